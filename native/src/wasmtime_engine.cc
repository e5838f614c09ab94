// Real Wasmtime, driven through its C API: one Engine with the pooling allocator and
// copy-on-write images (Wasmtime's own slots, its own memfd images and resets), modules
// compiled once, a fresh Store per instance. Dropping an instance drops its Store, which
// is Wasmtime's reset of the slot. What Wasmtime did is observed from outside (memory base
// and the kernel's page states), never re-derived.
//
// new WasmtimeEngine({ totalMemories, maxMemorySize, keepResident, maxUnusedWarmSlots })
//   .compile(bytes) → module id
//   .instantiate(moduleId) → instance id          (throws with Wasmtime's message)
//   .memory(instance, exportName) → { base: bigint, length } | null
//   .call(instance, exportName, args [{ type, value }], resultTypes) → values
//   .snapshot(instance, exportName, imageOffset, imageLength) → page states (page_state.h)
//   .drop(instance)
#include <map>
#include <string>
#include <vector>

#include "common.h"
#include "operations.h"
#include "page_state.h"
#include "wasmtime_api.h"

namespace wasm_cow {

namespace {

std::string TakeMessage(const WasmtimeApi& api, wasm_byte_vec_t& vec) {
  std::string text(vec.data ? vec.data : "", vec.size);
  api.wasm_byte_vec_delete(&vec);
  // wasm_trap_message counts a terminating NUL in the vector.
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

// Throws a JS Error with the message of a Wasmtime error or trap (either may be null),
// and frees both.
void ThrowIfFailed(Napi::Env env, const WasmtimeApi& api, wasmtime_error_t* error, wasm_trap_t* trap,
                   const std::string& what) {
  if (!error && !trap) return;
  wasm_byte_vec_t vec{0, nullptr};
  std::string message;
  if (error) {
    api.wasmtime_error_message(error, &vec);
    message = TakeMessage(api, vec);
    api.wasmtime_error_delete(error);
  }
  if (trap) {
    api.wasm_trap_message(trap, &vec);
    message = TakeMessage(api, vec);
    api.wasm_trap_delete(trap);
  }
  throw Napi::Error::New(env, what + ": " + message);
}

const WasmtimeApi& RequireApi(Napi::Env env) {
  const WasmtimeApi* api = LoadedWasmtime();
  if (!api) throw Napi::Error::New(env, "libwasmtime is not loaded: call loadWasmtime(path) first");
  return *api;
}

uint32_t GetU32(Napi::Env env, const Napi::Value& value, const char* what) {
  size_t n = GetSize(env, value, what);
  if (n > UINT32_MAX) throw Napi::RangeError::New(env, std::string(what) + " must fit in 32 bits");
  return static_cast<uint32_t>(n);
}

class WasmtimeEngine : public Napi::ObjectWrap<WasmtimeEngine> {
 public:
  static void Register(Napi::Env env, Napi::Object exports) {
    exports.Set("WasmtimeEngine", DefineClass(env, "WasmtimeEngine",
                                              {
                                                  InstanceMethod("compile", &WasmtimeEngine::Compile),
                                                  InstanceMethod("instantiate", &WasmtimeEngine::Instantiate),
                                                  InstanceMethod("memory", &WasmtimeEngine::Memory),
                                                  InstanceMethod("call", &WasmtimeEngine::Call),
                                                  InstanceMethod("snapshot", &WasmtimeEngine::Snapshot),
                                                  InstanceMethod("drop", &WasmtimeEngine::Drop),
                                              }));
  }

  explicit WasmtimeEngine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<WasmtimeEngine>(info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    if (info.Length() != 1 || !info[0].IsObject()) {
      throw Napi::TypeError::New(env, "new WasmtimeEngine(options) takes an options object");
    }
    Napi::Object options = info[0].As<Napi::Object>();
    uint32_t totalMemories = GetU32(env, options.Get("totalMemories"), "totalMemories");
    size_t maxMemorySize = GetSize(env, options.Get("maxMemorySize"), "maxMemorySize");
    size_t keepResident = GetSize(env, options.Get("keepResident"), "keepResident");
    uint32_t maxUnusedWarmSlots = GetU32(env, options.Get("maxUnusedWarmSlots"), "maxUnusedWarmSlots");
    if (totalMemories == 0) throw Napi::RangeError::New(env, "totalMemories must be at least 1");

    wasm_config_t* config = api.wasm_config_new();
    api.wasmtime_config_memory_init_cow_set(config, true);
    wasmtime_pooling_allocation_config_t* pooling = api.wasmtime_pooling_allocation_config_new();
    api.wasmtime_pooling_allocation_config_total_memories_set(pooling, totalMemories);
    api.wasmtime_pooling_allocation_config_max_memory_size_set(pooling, maxMemorySize);
    api.wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(pooling, keepResident);
    api.wasmtime_pooling_allocation_config_max_unused_warm_slots_set(pooling, maxUnusedWarmSlots);
    api.wasmtime_pooling_allocation_strategy_set(config, pooling);
    api.wasmtime_pooling_allocation_config_delete(pooling);  // the config keeps its own copy
    engine_ = api.wasm_engine_new_with_config(config);       // takes ownership of config
    if (!engine_) throw Napi::Error::New(env, "Wasmtime could not create an engine with this configuration");
    linker_ = api.wasmtime_linker_new(engine_);
  }

  ~WasmtimeEngine() override {
    const WasmtimeApi* api = LoadedWasmtime();
    if (!api) return;
    for (auto& [id, live] : instances_) api->wasmtime_store_delete(live.store);
    for (wasmtime_module_t* module : modules_) api->wasmtime_module_delete(module);
    if (linker_) api->wasmtime_linker_delete(linker_);
    if (engine_) api->wasm_engine_delete(engine_);
  }

 private:
  struct Live {
    wasmtime_store_t* store;
    wasmtime_instance_t instance;
  };

  Napi::Value Compile(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    if (info.Length() != 1 || !info[0].IsTypedArray() ||
        info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      throw Napi::TypeError::New(env, "compile(bytes) takes a Uint8Array");
    }
    Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
    wasmtime_module_t* module = nullptr;
    ThrowIfFailed(env, api, api.wasmtime_module_new(engine_, bytes.Data(), bytes.ByteLength(), &module), nullptr,
                  "Wasmtime could not compile the module");
    modules_.push_back(module);
    return Napi::Number::New(env, static_cast<double>(modules_.size() - 1));
  }

  Napi::Value Instantiate(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    size_t index = GetSize(env, info[0], "moduleId");
    if (index >= modules_.size()) throw Napi::RangeError::New(env, "no module with this id");
    wasmtime_store_t* store = api.wasmtime_store_new(engine_, nullptr, nullptr);
    Live live{store, {}};
    wasm_trap_t* trap = nullptr;
    wasmtime_error_t* error = api.wasmtime_linker_instantiate(linker_, api.wasmtime_store_context(store),
                                                              modules_[index], &live.instance, &trap);
    if (error || trap) api.wasmtime_store_delete(store);
    ThrowIfFailed(env, api, error, trap, "Wasmtime could not instantiate the module");
    uint32_t id = nextInstance_++;
    instances_.emplace(id, live);
    return Napi::Number::New(env, id);
  }

  Live& GetLive(Napi::Env env, const Napi::Value& value) {
    auto found = instances_.find(GetU32(env, value, "instance"));
    if (found == instances_.end()) throw Napi::RangeError::New(env, "no live instance with this id");
    return found->second;
  }

  // Looks up an export of `kind`; false when there is none of that name and kind.
  bool Export(Napi::Env env, const WasmtimeApi& api, Live& live, const Napi::Value& name, uint8_t kind,
              wasmtime_extern_t& item) {
    if (!name.IsString()) throw Napi::TypeError::New(env, "the export name must be a string");
    std::string text = name.As<Napi::String>().Utf8Value();
    return api.wasmtime_instance_export_get(api.wasmtime_store_context(live.store), &live.instance, text.data(),
                                            text.size(), &item) &&
           item.kind == kind;
  }

  // The exported memory `name` of the instance named by info[0], if there is one.
  bool ExportedMemory(const Napi::CallbackInfo& info, LinearMemory& memory) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    Live& live = GetLive(env, info[0]);
    wasmtime_extern_t item{};
    if (!Export(env, api, live, info[1], kWasmtimeExternMemory, item)) return false;
    wasmtime_context_t* context = api.wasmtime_store_context(live.store);
    memory = {api.wasmtime_memory_data(context, &item.of.memory),
              api.wasmtime_memory_data_size(context, &item.of.memory)};
    return true;
  }

  Napi::Value Memory(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    LinearMemory memory{};
    if (!ExportedMemory(info, memory)) return env.Null();
    Napi::Object result = Napi::Object::New(env);
    result.Set("base", AddressToBigInt(env, memory.base));
    result.Set("length", Napi::Number::New(env, static_cast<double>(memory.length)));
    return result;
  }

  // The kernel's page states of an instance's exported memory, read like a V8 memory's.
  Napi::Value Snapshot(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    LinearMemory memory{};
    if (!ExportedMemory(info, memory)) throw Napi::Error::New(env, "no exported memory of this name");
    return SnapshotOf(env, memory, info[2], info[3]);
  }

  Napi::Value Call(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    Live& live = GetLive(env, info[0]);
    wasmtime_extern_t item{};
    if (!Export(env, api, live, info[1], kWasmtimeExternFunc, item)) {
      throw Napi::Error::New(env, "no exported function of this name");
    }
    if (!info[2].IsArray() || !info[3].IsArray()) {
      throw Napi::TypeError::New(env, "call(instance, name, args, resultTypes) takes two arrays");
    }
    Napi::Array args = info[2].As<Napi::Array>();
    Napi::Array resultTypes = info[3].As<Napi::Array>();
    std::vector<wasmtime_val_t> params(args.Length());
    for (uint32_t i = 0; i < args.Length(); i++) params[i] = ToValue(env, args.Get(i));
    std::vector<wasmtime_val_t> results(resultTypes.Length());
    for (uint32_t i = 0; i < resultTypes.Length(); i++) results[i].kind = KindOf(env, resultTypes.Get(i));
    wasm_trap_t* trap = nullptr;
    // The call first, then the check: as arguments of one call, `trap` could be read
    // before the call that sets it.
    wasmtime_error_t* error =
        api.wasmtime_func_call(api.wasmtime_store_context(live.store), &item.of.func, params.data(), params.size(),
                               results.data(), results.size(), &trap);
    ThrowIfFailed(env, api, error, trap, "Wasmtime");
    Napi::Array out = Napi::Array::New(env, results.size());
    for (uint32_t i = 0; i < results.size(); i++) out.Set(i, FromValue(env, results[i]));
    return out;
  }

  Napi::Value Drop(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    Live& live = GetLive(env, info[0]);
    api.wasmtime_store_delete(live.store);
    instances_.erase(GetU32(env, info[0], "instance"));
    return env.Undefined();
  }

  static uint8_t KindOf(Napi::Env env, const Napi::Value& type) {
    std::string name = type.IsString() ? type.As<Napi::String>().Utf8Value() : "";
    if (name == "i32") return kWasmtimeI32;
    if (name == "i64") return kWasmtimeI64;
    if (name == "f32") return kWasmtimeF32;
    if (name == "f64") return kWasmtimeF64;
    throw Napi::TypeError::New(env, "value types are \"i32\", \"i64\", \"f32\" or \"f64\"");
  }

  static wasmtime_val_t ToValue(Napi::Env env, const Napi::Value& arg) {
    if (!arg.IsObject()) throw Napi::TypeError::New(env, "each argument is { type, value }");
    Napi::Object object = arg.As<Napi::Object>();
    wasmtime_val_t value{};
    value.kind = KindOf(env, object.Get("type"));
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

  static Napi::Value FromValue(Napi::Env env, const wasmtime_val_t& value) {
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

  wasm_engine_t* engine_ = nullptr;
  wasmtime_linker_t* linker_ = nullptr;
  std::vector<wasmtime_module_t*> modules_;
  std::map<uint32_t, Live> instances_;
  uint32_t nextInstance_ = 1;
};

}  // namespace

void RegisterWasmtimeEngine(Napi::Env env, Napi::Object exports) { WasmtimeEngine::Register(env, exports); }

}  // namespace wasm_cow
