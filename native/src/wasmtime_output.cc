#include "wasmtime_output.h"

#include <algorithm>

namespace wasm_cow {

namespace {

// The data of one custom stream: which stream it is, and the output it appends to.
struct Sink {
  std::shared_ptr<WasiOutput> output;
  int stream;
};

}  // namespace

void WasiOutput::Attach(const WasmtimeApi& api, wasi_config_t* config, const std::shared_ptr<WasiOutput>& self) {
  auto write = [](void* data, const unsigned char* bytes, size_t length) -> ptrdiff_t {
    Sink* sink = static_cast<Sink*>(data);
    sink->output->Append(sink->stream, bytes, length);
    return static_cast<ptrdiff_t>(length);  // all of it, kept or counted
  };
  auto finalize = [](void* data) { delete static_cast<Sink*>(data); };
  api.wasi_config_set_stdout_custom(config, write, new Sink{self, 0}, finalize);
  api.wasi_config_set_stderr_custom(config, write, new Sink{self, 1}, finalize);
}

void WasiOutput::Append(int stream, const unsigned char* bytes, size_t length) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string& text = text_[stream];
  size_t room = maxBytes_ > text.size() ? maxBytes_ - text.size() : 0;
  size_t kept = std::min(room, length);
  text.append(reinterpret_cast<const char*>(bytes), kept);
  dropped_[stream] += length - kept;
}

WasiOutput::Taken WasiOutput::Take() {
  std::lock_guard<std::mutex> lock(mutex_);
  Taken taken{{std::move(text_[0]), std::move(text_[1])}, {dropped_[0], dropped_[1]}};
  text_[0].clear();
  text_[1].clear();
  dropped_[0] = dropped_[1] = 0;
  return taken;
}

}  // namespace wasm_cow
