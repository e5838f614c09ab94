// Registration of each group of addon functions.
#pragma once

#include <napi.h>

namespace wasm_cow {

void RegisterProbe(Napi::Env env, Napi::Object exports);
void RegisterMapping(Napi::Env env, Napi::Object exports);
void RegisterMappings(Napi::Env env, Napi::Object exports);
void RegisterReset(Napi::Env env, Napi::Object exports);
void RegisterPageState(Napi::Env env, Napi::Object exports);
void RegisterAccounting(Napi::Env env, Napi::Object exports);
void RegisterParentDeath(Napi::Env env, Napi::Object exports);
void RegisterWasmtimeLibrary(Napi::Env env, Napi::Object exports);
void RegisterWasmtimeEngine(Napi::Env env, Napi::Object exports);
void RegisterUserfault(Napi::Env env, Napi::Object exports);
void RegisterMadviseCost(Napi::Env env, Napi::Object exports);

}  // namespace wasm_cow
