// Component-model values between JS and Wasmtime's `wasmtime_component_val_t`, guided by
// the function's types as Wasmtime reports them. The JS side is plain JSON:
//
//   bool → boolean; s8…u32, f32, f64 → number; s64, u64 → BigInt (in: also an integer
//   number or a decimal string); char → a one-character string; string → string;
//   list<T>, tuple → array; record → object by field name; enum → its case's name;
//   flags → array of the names set; option<T> → null or the value; result →
//   { ok: value } or { err: value } (null without a payload); variant →
//   { tag: case, value? }.
//
// Resources, futures, streams and error contexts cannot be written as JSON: a function
// that takes one is refused with the parameter's name.
#pragma once

#include <napi.h>

#include <string>

#include "wasmtime_api.h"

namespace wasm_cow {

// Owns a type Wasmtime wrote into `type` (compound types hold pointers Wasmtime owns).
class ComponentType {
 public:
  explicit ComponentType(const WasmtimeApi& api) : api_(api) {}
  ~ComponentType() {
    if (filled_) api_.wasmtime_component_valtype_delete(&type_);
  }
  ComponentType(const ComponentType&) = delete;
  ComponentType& operator=(const ComponentType&) = delete;

  // For Wasmtime to write into; counted as filled from then on.
  wasmtime_component_valtype_t* Out() {
    filled_ = true;
    return &type_;
  }
  const wasmtime_component_valtype_t& operator*() const { return type_; }

 private:
  const WasmtimeApi& api_;
  wasmtime_component_valtype_t type_{};
  bool filled_ = false;
};

// The type in WIT's words: "list<u8>", "record { a: u32, b: string }".
std::string ComponentTypeText(const WasmtimeApi& api, const wasmtime_component_valtype_t& type);

// Lowers `value` to a value of `type` into `out`; `where` names it in errors ("argument 2
// (name)", then ".field", "[3]"). On a TypeError nothing is left to free.
void ComponentValueOf(Napi::Env env, const WasmtimeApi& api, const wasmtime_component_valtype_t& type,
                      const Napi::Value& value, const std::string& where, wasmtime_component_val_t& out);

Napi::Value ComponentValueToJs(Napi::Env env, const wasmtime_component_val_t& value);

}  // namespace wasm_cow
