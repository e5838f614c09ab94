// The page-state snapshot of a linear memory (page_state.cc), for any memory whose base
// and length the caller owns: a V8 memory (`snapshot`) or a Wasmtime one
// (wasmtime_engine.cc).
#pragma once

#include <napi.h>

#include "common.h"

namespace wasm_cow {

// { states, tally, method, ns, imageSharedPages, imageExclusivePages, imageFrames }; the image
// range (offset and length from JS values) must be page-aligned and inside the memory.
Napi::Value SnapshotOf(Napi::Env env, const LinearMemory& memory, const Napi::Value& imageOffset,
                       const Napi::Value& imageLength);

}  // namespace wasm_cow
