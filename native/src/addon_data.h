// Per-environment state of the addon, captured once when it loads: the Image class, and
// the original getter of WebAssembly.Memory.prototype.buffer. Calling that getter with a
// value as receiver is the one reliable test that the value is a real memory (V8 checks
// the receiver), and it cannot be fooled by an own or overridden `buffer` property. And
// the original Uint8Array constructor: Node 20's N-API cannot read a SharedArrayBuffer's
// data pointer, but it can read a typed array's, and a Uint8Array over a shared memory's
// buffer has the memory's.
#pragma once

#include <napi.h>

namespace wasm_cow {

struct AddonData {
  Napi::FunctionReference imageConstructor;
  Napi::FunctionReference memoryBufferGetter;
  Napi::FunctionReference uint8ArrayConstructor;
};

// Creates the instance data; the Image class is filled in by Image::Register.
void InitAddonData(Napi::Env env);
AddonData& GetAddonData(Napi::Env env);

}  // namespace wasm_cow
