// Wasm numbers between JS and Wasmtime's `wasmtime_val_t`: { type, value } objects in,
// numbers (BigInt for i64) out. Reference and vector types are not passed: the runner
// refuses them before a call.
#pragma once

#include <napi.h>

#include "wasmtime_c_api.h"

namespace wasm_cow {

// "i32" | "i64" | "f32" | "f64" → the value kind; a TypeError for anything else.
uint8_t WasmtimeKindOf(Napi::Env env, const Napi::Value& type);

// { type, value } → a wasmtime_val_t; an i64 is a BigInt, the others JS numbers.
wasmtime_val_t WasmtimeValueOf(Napi::Env env, const Napi::Value& arg);

Napi::Value WasmtimeValueToJs(Napi::Env env, const wasmtime_val_t& value);

}  // namespace wasm_cow
