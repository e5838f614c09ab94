// The functions of the loaded libwasmtime, typed by the declarations of wasmtime_c_api.h
// and named by the list of wasmtime_symbols.h (one list: what is checked is what the
// engine calls, including the WASI and epoch functions its next steps use).
#pragma once

#include "wasmtime_c_api.h"
#include "wasmtime_component_c_api.h"
#include "wasmtime_symbols.h"

namespace wasm_cow {

struct WasmtimeApi {
#define WASM_COW_WASMTIME_FIELD(name) decltype(&::name) name = nullptr;
  WASM_COW_WASMTIME_SYMBOLS(WASM_COW_WASMTIME_FIELD)
#undef WASM_COW_WASMTIME_FIELD
};

// The loaded library's functions, or nullptr before loadWasmtime has succeeded.
const WasmtimeApi* LoadedWasmtime();

}  // namespace wasm_cow
