// Entry point of the native backend (Linux only; the JS loader reports why it is
// unavailable elsewhere).
#include <napi.h>

#include "addon_data.h"
#include "image.h"
#include "operations.h"

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  wasm_cow::InitAddonData(env);
  wasm_cow::Image::Register(env, exports);
  wasm_cow::RegisterProbe(env, exports);
  wasm_cow::RegisterMapping(env, exports);
  wasm_cow::RegisterMappings(env, exports);
  wasm_cow::RegisterReset(env, exports);
  wasm_cow::RegisterPageState(env, exports);
  wasm_cow::RegisterAccounting(env, exports);
  wasm_cow::RegisterParentDeath(env, exports);
  wasm_cow::RegisterWasmtimeLibrary(env, exports);
  wasm_cow::RegisterWasmtimeEngine(env, exports);
  wasm_cow::RegisterUserfault(env, exports);
  wasm_cow::RegisterMadviseCost(env, exports);
  return exports;
}

NODE_API_MODULE(wasm_cow_native, InitAddon)
