// The page-state snapshot of a linear memory (page_state.cc), for any memory whose base
// and length the caller owns: a V8 memory (`snapshot`) or a Wasmtime one
// (wasmtime_engine.cc).
#pragma once

#include <napi.h>

#include "common.h"

namespace wasm_cow {

// { tally, states, method, ns, imageSharedPages, imageExclusivePages, imageFrames }; the image
// range (offset and length from JS values) must be page-aligned and inside the memory;
// `withStates` (a boolean, or undefined for true) asks for the per-page states, null otherwise.
Napi::Value SnapshotOf(Napi::Env env, const LinearMemory& memory, const Napi::Value& imageOffset,
                       const Napi::Value& imageLength, const Napi::Value& withStates);

}  // namespace wasm_cow
