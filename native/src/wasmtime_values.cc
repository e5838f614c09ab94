#include "wasmtime_values.h"

#include <string>

namespace wasm_cow {

uint8_t WasmtimeKindOf(Napi::Env env, const Napi::Value& type) {
  std::string name = type.IsString() ? type.As<Napi::String>().Utf8Value() : "";
  if (name == "i32") return kWasmtimeI32;
  if (name == "i64") return kWasmtimeI64;
  if (name == "f32") return kWasmtimeF32;
  if (name == "f64") return kWasmtimeF64;
  throw Napi::TypeError::New(env, "value types are \"i32\", \"i64\", \"f32\" or \"f64\"");
}

wasmtime_val_t WasmtimeValueOf(Napi::Env env, const Napi::Value& arg) {
  if (!arg.IsObject()) throw Napi::TypeError::New(env, "each argument is { type, value }");
  Napi::Object object = arg.As<Napi::Object>();
  wasmtime_val_t value{};
  value.kind = WasmtimeKindOf(env, object.Get("type"));
  Napi::Value raw = object.Get("value");
  if (value.kind == kWasmtimeI64) {
    if (!raw.IsBigInt()) throw Napi::TypeError::New(env, "an i64 argument is a BigInt");
    bool lossless = false;
    value.of.i64 = raw.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) throw Napi::RangeError::New(env, "an i64 argument must fit in 64 bits");
    return value;
  }
  if (!raw.IsNumber()) throw Napi::TypeError::New(env, "an i32, f32 or f64 argument is a number");
  double number = raw.As<Napi::Number>().DoubleValue();
  if (value.kind == kWasmtimeI32) value.of.i32 = raw.As<Napi::Number>().Int32Value();
  if (value.kind == kWasmtimeF32) value.of.f32 = static_cast<float>(number);
  if (value.kind == kWasmtimeF64) value.of.f64 = number;
  return value;
}

Napi::Value WasmtimeValueToJs(Napi::Env env, const wasmtime_val_t& value) {
  switch (value.kind) {
    case kWasmtimeI32:
      return Napi::Number::New(env, value.of.i32);
    case kWasmtimeI64:
      return Napi::BigInt::New(env, value.of.i64);
    case kWasmtimeF32:
      return Napi::Number::New(env, value.of.f32);
    default:
      return Napi::Number::New(env, value.of.f64);
  }
}

}  // namespace wasm_cow
