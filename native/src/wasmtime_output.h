// What a WASI instance under Wasmtime writes to stdout and stderr, kept in memory: the
// engine gives Wasmtime a custom stream per fd (no file, no terminal). Wasmtime may call a
// custom stream from a thread of its own, so the streams only append under a lock, and
// the runner takes the text after each step. Each stream keeps at most `maxBytes` per
// step; what is written past it is counted, not kept (as in the V8 path's wasi-output.ts).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "wasmtime_api.h"

namespace wasm_cow {

class WasiOutput {
 public:
  explicit WasiOutput(size_t maxBytes) : maxBytes_(maxBytes) {}

  // Gives `config` a stdout and a stderr that append here; they keep `self` alive.
  static void Attach(const WasmtimeApi& api, wasi_config_t* config, const std::shared_ptr<WasiOutput>& self);

  struct Taken {
    std::string text[2];
    size_t dropped[2];
  };
  // What was written since the last call, stdout first; the counters start again.
  Taken Take();

 private:
  void Append(int stream, const unsigned char* bytes, size_t length);

  std::mutex mutex_;
  size_t maxBytes_;
  std::string text_[2];
  size_t dropped_[2] = {0, 0};
};

}  // namespace wasm_cow
