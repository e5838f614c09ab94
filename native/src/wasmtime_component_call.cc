#include "wasmtime_component_call.h"

#include <memory>

#include "wasmtime_component_values.h"

namespace wasm_cow {

namespace {

struct ExportIndexDeleter {
  const WasmtimeApi* api;
  void operator()(wasmtime_component_export_index_t* index) const {
    if (index) api->wasmtime_component_export_index_delete(index);
  }
};
using ExportIndex = std::unique_ptr<wasmtime_component_export_index_t, ExportIndexDeleter>;

struct FuncTypeDeleter {
  const WasmtimeApi* api;
  void operator()(wasmtime_component_func_type_t* type) const {
    if (type) api->wasmtime_component_func_type_delete(type);
  }
};
using FuncType = std::unique_ptr<wasmtime_component_func_type_t, FuncTypeDeleter>;

FuncType TypeOf(const WasmtimeApi& api, wasmtime_context_t* context, const wasmtime_component_func_t& func) {
  return FuncType(api.wasmtime_component_func_type(&func, context), FuncTypeDeleter{&api});
}

}  // namespace

bool FindComponentFunc(const WasmtimeApi& api, wasmtime_context_t* context,
                       const wasmtime_component_instance_t& instance, const std::string& name,
                       wasmtime_component_func_t& out) {
  size_t hash = name.find('#');
  ExportIndex parent(nullptr, ExportIndexDeleter{&api});
  std::string function = name;
  if (hash != std::string::npos) {
    parent.reset(api.wasmtime_component_instance_get_export_index(&instance, context, nullptr, name.data(), hash));
    if (!parent) return false;
    function = name.substr(hash + 1);
  }
  ExportIndex index(api.wasmtime_component_instance_get_export_index(&instance, context, parent.get(), function.data(),
                                                                     function.size()),
                    ExportIndexDeleter{&api});
  return index && api.wasmtime_component_instance_get_func(&instance, context, index.get(), &out);
}

Napi::Object DescribeComponentFunc(Napi::Env env, const WasmtimeApi& api, wasmtime_context_t* context,
                                   const wasmtime_component_func_t& func) {
  FuncType type = TypeOf(api, context, func);
  Napi::Array params = Napi::Array::New(env);
  for (size_t i = 0; i < api.wasmtime_component_func_type_param_count(type.get()); i++) {
    const char* name = nullptr;
    size_t length = 0;
    ComponentType param(api);
    if (!api.wasmtime_component_func_type_param_nth(type.get(), i, &name, &length, param.Out())) continue;
    Napi::Object described = Napi::Object::New(env);
    described.Set("name", Napi::String::New(env, name ? name : "", length));
    described.Set("type", ComponentTypeText(api, *param));
    params.Set(params.Length(), described);
  }
  ComponentType result(api);
  bool hasResult = api.wasmtime_component_func_type_result(type.get(), result.Out());
  Napi::Object described = Napi::Object::New(env);
  described.Set("params", params);
  described.Set("result",
                hasResult ? Napi::Value(Napi::String::New(env, ComponentTypeText(api, *result))) : env.Null());
  return described;
}

ComponentCallValues::ComponentCallValues(Napi::Env env, const WasmtimeApi& api, wasmtime_context_t* context,
                                         const wasmtime_component_func_t& func, const Napi::Array& args)
    : api_(api) {
  FuncType type = TypeOf(api, context, func);
  size_t count = api.wasmtime_component_func_type_param_count(type.get());
  if (args.Length() != count) {
    throw Napi::TypeError::New(env, "the function takes " + std::to_string(count) + " argument" +
                                        (count == 1 ? "" : "s") + ", " + std::to_string(args.Length()) + " given");
  }
  args_.reserve(count);
  // A destructor does not run for a constructor that throws: the arguments lowered so far
  // are freed here.
  try {
    LowerArguments(env, type.get(), args);
  } catch (...) {
    for (wasmtime_component_val_t& value : args_) api_.wasmtime_component_val_delete(&value);
    throw;
  }
  ComponentType result(api);
  hasResult_ = api.wasmtime_component_func_type_result(type.get(), result.Out());
}

void ComponentCallValues::LowerArguments(Napi::Env env, const wasmtime_component_func_type_t* type,
                                         const Napi::Array& args) {
  const WasmtimeApi& api = api_;
  for (size_t i = 0; i < args.Length(); i++) {
    const char* name = nullptr;
    size_t length = 0;
    ComponentType param(api);
    api.wasmtime_component_func_type_param_nth(type, i, &name, &length, param.Out());
    wasmtime_component_val_t value{};
    ComponentValueOf(env, api, *param, args.Get(static_cast<uint32_t>(i)),
                     "argument " + std::to_string(i + 1) + " (" + std::string(name ? name : "", length) + ")", value);
    args_.push_back(value);
  }
}

ComponentCallValues::~ComponentCallValues() {
  for (wasmtime_component_val_t& value : args_) api_.wasmtime_component_val_delete(&value);
  if (resultWritten_) api_.wasmtime_component_val_delete(&result_);
}

Napi::Value ComponentCallValues::Result(Napi::Env env) {
  if (!hasResult_) return env.Undefined();
  resultWritten_ = true;
  return ComponentValueToJs(env, result_);
}

}  // namespace wasm_cow
