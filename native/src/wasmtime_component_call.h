// An exported function of a component instance: found by name, described in WIT's words,
// and its arguments lowered from JSON by the types Wasmtime reports (the values' rules are
// in wasmtime_component_values.h). The engine makes the call itself (its deadline and
// system-call counting wrap every call into Wasmtime).
#pragma once

#include <napi.h>

#include <string>
#include <vector>

#include "wasmtime_api.h"

namespace wasm_cow {

// The function exported as `name`, or as "interface#function" from an exported instance
// (as `wasmtime run --invoke` and jco name them); false when there is none.
bool FindComponentFunc(const WasmtimeApi& api, wasmtime_context_t* context,
                       const wasmtime_component_instance_t& instance, const std::string& name,
                       wasmtime_component_func_t& out);

// { params: [{ name, type }], result: type | null }, types as WIT text.
Napi::Object DescribeComponentFunc(Napi::Env env, const WasmtimeApi& api, wasmtime_context_t* context,
                                   const wasmtime_component_func_t& func);

// One call's values: the arguments lowered from `args` (a TypeError names the first that
// does not fit), room for the result, and every value freed when it goes.
class ComponentCallValues {
 public:
  ComponentCallValues(Napi::Env env, const WasmtimeApi& api, wasmtime_context_t* context,
                      const wasmtime_component_func_t& func, const Napi::Array& args);
  ~ComponentCallValues();
  ComponentCallValues(const ComponentCallValues&) = delete;
  ComponentCallValues& operator=(const ComponentCallValues&) = delete;

  const wasmtime_component_val_t* args() const { return args_.data(); }
  size_t argCount() const { return args_.size(); }
  wasmtime_component_val_t* results() { return hasResult_ ? &result_ : nullptr; }
  size_t resultCount() const { return hasResult_ ? 1 : 0; }
  // Call after a successful call: the result as JSON values, or undefined without one.
  Napi::Value Result(Napi::Env env);

 private:
  void LowerArguments(Napi::Env env, const wasmtime_component_func_type_t* type, const Napi::Array& args);

  const WasmtimeApi& api_;
  std::vector<wasmtime_component_val_t> args_;
  bool hasResult_ = false;
  bool resultWritten_ = false;
  wasmtime_component_val_t result_{};
};

}  // namespace wasm_cow
