// Per-environment state of the addon, captured once when it loads: the Image class, and
// the original getter of WebAssembly.Memory.prototype.buffer. Calling that getter with a
// value as receiver is the one reliable test that the value is a real memory (V8 checks
// the receiver), and it cannot be fooled by an own or overridden `buffer` property.
#pragma once

#include <napi.h>

namespace wasm_cow {

struct AddonData {
  Napi::FunctionReference imageConstructor;
  Napi::FunctionReference memoryBufferGetter;
};

// Creates the instance data; the Image class is filled in by Image::Register.
void InitAddonData(Napi::Env env);
AddonData& GetAddonData(Napi::Env env);

}  // namespace wasm_cow
