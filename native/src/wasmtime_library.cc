// Wasmtime's C API library (libwasmtime), loaded at run time: the addon has no build-time
// dependency on it, so everything else works without it. One library per process, kept
// open for the process's life (its code may be running on any thread that called into it).
#include <dlfcn.h>

#include <string>
#include <vector>

#include "operations.h"
#include "wasmtime_api.h"

namespace wasm_cow {

namespace {

#define WASM_COW_SYMBOL_NAME(name) #name,
const char* const kSymbols[] = {WASM_COW_WASMTIME_SYMBOLS(WASM_COW_SYMBOL_NAME)};
#undef WASM_COW_SYMBOL_NAME

struct LoadedLibrary {
  void* handle = nullptr;
  std::string path;
  WasmtimeApi api;
};

LoadedLibrary loaded;

// Every symbol was found before this runs.
WasmtimeApi ResolveApi(void* handle) {
  WasmtimeApi api;
#define WASM_COW_RESOLVE(name) api.name = reinterpret_cast<decltype(api.name)>(dlsym(handle, #name));
  WASM_COW_WASMTIME_SYMBOLS(WASM_COW_RESOLVE)
#undef WASM_COW_RESOLVE
  return api;
}

Napi::Object Describe(Napi::Env env) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("path", loaded.path);
  result.Set("functions", Napi::Number::New(env, static_cast<double>(std::size(kSymbols))));
  return result;
}

// loadWasmtime(path) → { path, functions }
//
// RTLD_LOCAL: Wasmtime's symbols must not resolve other libraries' references (V8 has
// none of the same names, but a second copy of Rust's runtime could). RTLD_NOW: a library
// with unresolved dependencies fails here, with dlerror's words, not at the first call.
Napi::Value LoadWasmtime(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsString()) {
    throw Napi::TypeError::New(env, "loadWasmtime(path) takes the library's path as a string");
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  if (path.empty() || path.find('\0') != std::string::npos) {
    throw Napi::TypeError::New(env, "the library's path must be a non-empty string without NUL");
  }
  if (loaded.handle) {
    if (loaded.path == path) return Describe(env);
    throw Napi::Error::New(env, "libwasmtime is already loaded from " + loaded.path + ": one library per process");
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw Napi::Error::New(env, std::string("cannot load ") + path + ": " + dlerror());
  std::vector<std::string> missing;
  for (const char* symbol : kSymbols) {
    if (!dlsym(handle, symbol)) missing.emplace_back(symbol);
  }
  if (!missing.empty()) {
    dlclose(handle);
    std::string names;
    for (const std::string& name : missing) names += (names.empty() ? "" : ", ") + name;
    throw Napi::Error::New(env, path + " lacks " + std::to_string(missing.size()) + " of the " +
                                    std::to_string(std::size(kSymbols)) +
                                    " functions the Wasmtime engine needs: " + names);
  }
  loaded = {handle, path, ResolveApi(handle)};
  return Describe(env);
}

}  // namespace

const WasmtimeApi* LoadedWasmtime() { return loaded.handle ? &loaded.api : nullptr; }

void RegisterWasmtimeLibrary(Napi::Env env, Napi::Object exports) {
  exports.Set("loadWasmtime", Napi::Function::New(env, LoadWasmtime, "loadWasmtime"));
}

}  // namespace wasm_cow
