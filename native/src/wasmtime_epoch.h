// Epoch interruption's clock: a thread that advances the engine's epoch every `tickMs`,
// so that a Store whose deadline is N ticks away traps ("interrupt") after about N × tickMs
// of guest code. This is how Wasmtime stops runaway code without killing the process.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "wasmtime_api.h"

namespace wasm_cow {

class EpochTicker {
 public:
  EpochTicker(const WasmtimeApi& api, const wasm_engine_t* engine, uint32_t tickMs)
      : thread_([this, &api, engine, tickMs] {
          std::unique_lock<std::mutex> lock(mutex_);
          while (!stop_.wait_for(lock, std::chrono::milliseconds(tickMs), [this] { return stopping_; })) {
            api.wasmtime_engine_increment_epoch(engine);  // thread-safe: an atomic add
          }
        }) {}

  ~EpochTicker() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    stop_.notify_one();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread thread_;  // last: it starts once the members it uses exist
};

}  // namespace wasm_cow
