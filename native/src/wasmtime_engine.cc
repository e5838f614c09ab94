// Real Wasmtime, driven through its C API: one Engine with the pooling allocator and
// copy-on-write images (Wasmtime's own slots, its own memfd images and resets), modules
// compiled once, a fresh Store per instance. Dropping an instance drops its Store, which
// is Wasmtime's reset of the slot. What Wasmtime did is observed from outside (memory base
// and the kernel's page states), never re-derived.
//
// new WasmtimeEngine({ totalMemories?, maxMemorySize?, keepResident?, maxUnusedWarmSlots?,
//                      epochTickMs? })      (an option left out keeps Wasmtime's default;
//                                            epochTickMs turns epoch interruption on)
//   .compile(bytes) → module id
//   .instantiate(moduleId, { wasi?: { args, maxOutputBytes }, deadlineMs? }) → instance id
//   .compileComponent(bytes) → component id
//   .instantiateComponent(componentId, { wasi: { args, maxOutputBytes }, deadlineMs? })
//       → instance id (WASI 0.2 and wasi:http's interfaces from Wasmtime, no network)
//   .componentFunction(instance, name) → { params: [{ name, type }], result } | null
//   .callComponent(instance, name, args, deadlineMs?) → { result } (JSON values,
//       wasmtime_component_values.h)
//   .imageMemories() → [{ base, length, imageOffset, imageLength, inode }]: every memory
//       of this process with Wasmtime's image mapped in it (wasmtime_image_memories.h);
//       snapshotAt accepts their ranges
//   .memory(instance, exportName) → { base: bigint, length } | null
//   .call(instance, exportName, args [{ type, value }], resultTypes, deadlineMs?) → values
//   .takeOutput(instance) → { stdout, stderr, droppedStdout, droppedStderr }
//   .read(instance, exportName, offset, length) → Uint8Array (a copy)
//   .snapshot(instance, exportName, imageOffset, imageLength, withStates?) → page states
//       (page_state.h)
//   .snapshotAt(base, length, imageOffset, imageLength, withStates?): the same for a range this engine
//       reported as a memory's (a slot after its Store was dropped)
//   .drop(instance)
//   .lastSyscalls() → { mmap, mprotect, madvise, ioctl } made by the last instantiate, call
//       or drop, or { unavailable: reason }   (with options.syscallTracepoints: the ids of
//       the syscalls' sys_enter tracepoints, in that order, from tracefs)
// Failures throw with Wasmtime's message; a trap's error has `trapCode` (Wasmtime's
// wasmtime_trap_code_t; 10 is an epoch interrupt), a WASI exit has `exitStatus`.
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common.h"
#include "operations.h"
#include "page_state.h"
#include "syscall_counters.h"
#include "wasmtime_api.h"
#include "wasmtime_component_call.h"
#include "wasmtime_epoch.h"
#include "wasmtime_image_memories.h"
#include "wasmtime_output.h"
#include "wasmtime_values.h"

namespace wasm_cow {

namespace {

// The name Wasmtime gives the memfd of a memory image, as /proc/self/maps shows it.
const char kImageMapping[] = "/memfd:wasm-memory-image (deleted)";

std::string TakeMessage(const WasmtimeApi& api, wasm_byte_vec_t& vec) {
  std::string text(vec.data ? vec.data : "", vec.size);
  api.wasm_byte_vec_delete(&vec);
  // wasm_trap_message counts a terminating NUL in the vector.
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

// Throws a JS Error with the message of a Wasmtime error or trap (either may be null),
// and frees both. The error carries `exitStatus` for a WASI exit and `trapCode` for a trap.
void ThrowIfFailed(Napi::Env env, const WasmtimeApi& api, wasmtime_error_t* error, wasm_trap_t* trap,
                   const std::string& what) {
  if (!error && !trap) return;
  wasm_byte_vec_t vec{0, nullptr};
  std::string message;
  int exitStatus = 0;
  bool exited = false;
  uint8_t trapCode = 0;
  bool trapped = false;
  if (error) {
    exited = api.wasmtime_error_exit_status(error, &exitStatus);
    api.wasmtime_error_message(error, &vec);
    message = TakeMessage(api, vec);
    api.wasmtime_error_delete(error);
  }
  if (trap) {
    trapped = api.wasmtime_trap_code(trap, &trapCode);
    api.wasm_trap_message(trap, &vec);
    message = TakeMessage(api, vec);
    api.wasm_trap_delete(trap);
  }
  Napi::Error thrown = Napi::Error::New(env, what + ": " + message);
  if (exited) thrown.Value().Set("exitStatus", Napi::Number::New(env, exitStatus));
  if (trapped) thrown.Value().Set("trapCode", Napi::Number::New(env, trapCode));
  throw thrown;
}

// The one argument of a call that takes a binary's bytes.
Napi::Uint8Array OnlyBytes(const Napi::CallbackInfo& info, const char* usage) {
  if (info.Length() != 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), usage);
  }
  return info[0].As<Napi::Uint8Array>();
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

uint64_t GetAddress(Napi::Env env, const Napi::Value& value, const char* what) {
  bool lossless = false;
  uint64_t address = value.IsBigInt() ? value.As<Napi::BigInt>().Uint64Value(&lossless) : 0;
  if (!lossless) throw Napi::TypeError::New(env, std::string(what) + " must be an address (a u64 BigInt)");
  return address;
}

class WasmtimeEngine : public Napi::ObjectWrap<WasmtimeEngine> {
 public:
  static void Register(Napi::Env env, Napi::Object exports) {
    exports.Set("WasmtimeEngine",
                DefineClass(env, "WasmtimeEngine",
                            {
                                InstanceMethod("compile", &WasmtimeEngine::Compile),
                                InstanceMethod("instantiate", &WasmtimeEngine::Instantiate),
                                InstanceMethod("compileComponent", &WasmtimeEngine::CompileComponent),
                                InstanceMethod("instantiateComponent", &WasmtimeEngine::InstantiateComponent),
                                InstanceMethod("componentFunction", &WasmtimeEngine::ComponentFunction),
                                InstanceMethod("callComponent", &WasmtimeEngine::CallComponent),
                                InstanceMethod("imageMemories", &WasmtimeEngine::ImageMemories),
                                InstanceMethod("memory", &WasmtimeEngine::Memory),
                                InstanceMethod("call", &WasmtimeEngine::Call),
                                InstanceMethod("takeOutput", &WasmtimeEngine::TakeOutput),
                                InstanceMethod("read", &WasmtimeEngine::Read),
                                InstanceMethod("snapshot", &WasmtimeEngine::Snapshot),
                                InstanceMethod("snapshotAt", &WasmtimeEngine::SnapshotAt),
                                InstanceMethod("drop", &WasmtimeEngine::Drop),
                                InstanceMethod("lastSyscalls", &WasmtimeEngine::LastSyscalls),
                            }));
  }

  explicit WasmtimeEngine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<WasmtimeEngine>(info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    if (info.Length() != 1 || !info[0].IsObject()) {
      throw Napi::TypeError::New(env, "new WasmtimeEngine(options) takes an options object");
    }
    Napi::Object options = info[0].As<Napi::Object>();
    auto given = [&](const char* name) { return !options.Get(name).IsUndefined(); };
    wasmtime_pooling_allocation_config_t* pooling = api.wasmtime_pooling_allocation_config_new();
    // Validated before anything is handed to Wasmtime: a bad option throws here.
    try {
      if (given("totalMemories")) {
        uint32_t total = GetU32(env, options.Get("totalMemories"), "totalMemories");
        if (total == 0) throw Napi::RangeError::New(env, "totalMemories must be at least 1");
        api.wasmtime_pooling_allocation_config_total_memories_set(pooling, total);
      }
      if (given("maxMemorySize")) {
        api.wasmtime_pooling_allocation_config_max_memory_size_set(
            pooling, GetSize(env, options.Get("maxMemorySize"), "maxMemorySize"));
      }
      if (given("keepResident")) {
        api.wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(
            pooling, GetSize(env, options.Get("keepResident"), "keepResident"));
      }
      if (given("maxUnusedWarmSlots")) {
        api.wasmtime_pooling_allocation_config_max_unused_warm_slots_set(
            pooling, GetU32(env, options.Get("maxUnusedWarmSlots"), "maxUnusedWarmSlots"));
      }
      if (given("syscallTracepoints")) OpenCounters(env, options.Get("syscallTracepoints"));
      if (given("epochTickMs")) {
        epochTickMs_ = GetU32(env, options.Get("epochTickMs"), "epochTickMs");
        if (epochTickMs_ == 0) throw Napi::RangeError::New(env, "epochTickMs must be at least 1");
      }
    } catch (...) {
      api.wasmtime_pooling_allocation_config_delete(pooling);
      throw;
    }
    wasm_config_t* config = api.wasm_config_new();
    api.wasmtime_config_memory_init_cow_set(config, true);
    api.wasmtime_config_wasm_component_model_set(config, true);
    api.wasmtime_config_epoch_interruption_set(config, epochTickMs_ > 0);
    api.wasmtime_pooling_allocation_strategy_set(config, pooling);
    api.wasmtime_pooling_allocation_config_delete(pooling);  // the config keeps its own copy
    engine_ = api.wasm_engine_new_with_config(config);       // takes ownership of config
    if (!engine_) throw Napi::Error::New(env, "Wasmtime could not create an engine with this configuration");
    if (epochTickMs_ > 0) ticker_ = std::make_unique<EpochTicker>(api, engine_, epochTickMs_);
  }

  ~WasmtimeEngine() override {
    const WasmtimeApi* api = LoadedWasmtime();
    if (!api) return;
    ticker_.reset();
    for (auto& [id, live] : instances_) api->wasmtime_store_delete(live.store);
    for (Compiled& compiled : modules_) {
      for (wasmtime_linker_t* linker : compiled.linkers) {
        if (linker) api->wasmtime_linker_delete(linker);
      }
      api->wasmtime_module_delete(compiled.module);
    }
    for (CompiledComponent& compiled : components_) {
      if (compiled.linker) api->wasmtime_component_linker_delete(compiled.linker);
      api->wasmtime_component_delete(compiled.component);
    }
    if (engine_) api->wasm_engine_delete(engine_);
  }

 private:
  // A compiled module and its linkers, made on first use: [0] without WASI, [1] with it.
  // Each defines the imports nobody provides as functions that trap when called (as the
  // V8 path's stubs do); one per module, so two modules' like-named imports never clash.
  struct Compiled {
    wasmtime_module_t* module;
    wasmtime_linker_t* linkers[2];
  };

  // A compiled component and its linker (WASI 0.2 and traps for the rest), made on first use.
  struct CompiledComponent {
    wasmtime_component_t* component;
    wasmtime_component_linker_t* linker;
  };

  struct Live {
    wasmtime_store_t* store;
    wasmtime_instance_t instance;        // a module's instance
    std::shared_ptr<WasiOutput> output;  // null without WASI
    bool isComponent = false;
    wasmtime_component_instance_t component{};  // a component's instance
  };

  wasmtime_linker_t* LinkerFor(Napi::Env env, const WasmtimeApi& api, Compiled& compiled, bool wasi) {
    wasmtime_linker_t*& linker = compiled.linkers[wasi ? 1 : 0];
    if (linker) return linker;
    wasmtime_linker_t* made = api.wasmtime_linker_new(engine_);
    wasmtime_error_t* error = wasi ? api.wasmtime_linker_define_wasi(made) : nullptr;
    if (!error) error = api.wasmtime_linker_define_unknown_imports_as_traps(made, compiled.module);
    if (error) api.wasmtime_linker_delete(made);
    ThrowIfFailed(env, api, error, nullptr, "Wasmtime could not link the module's imports");
    linker = made;
    return linker;
  }

  // Guest code of this Store may run for `deadlineMs` (undefined: without limit) before
  // the epoch interrupts it. Without epoch interruption there is no deadline to set.
  void SetDeadline(Napi::Env env, const WasmtimeApi& api, wasmtime_store_t* store, const Napi::Value& deadline) {
    if (epochTickMs_ == 0) return;
    uint64_t ticks = std::numeric_limits<uint64_t>::max() / 2;
    if (!deadline.IsUndefined()) {
      size_t ms = GetSize(env, deadline, "deadlineMs");
      // One tick more than the quotient: the first tick may come at once.
      ticks = (ms + epochTickMs_ - 1) / epochTickMs_ + 1;
    }
    api.wasmtime_context_set_epoch_deadline(api.wasmtime_store_context(store), ticks);
  }

  Napi::Value Compile(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    Napi::Uint8Array bytes = OnlyBytes(info, "compile(bytes) takes a Uint8Array");
    wasmtime_module_t* module = nullptr;
    ThrowIfFailed(env, api,
                  Counted([&] { return api.wasmtime_module_new(engine_, bytes.Data(), bytes.ByteLength(), &module); }),
                  nullptr, "Wasmtime could not compile the module");
    modules_.push_back({module, {nullptr, nullptr}});
    return Napi::Number::New(env, static_cast<double>(modules_.size() - 1));
  }

  // A Store for one instance, with WASI when `options.wasi` is given (or `requireWasi`):
  // no preopened directory, no environment, no stdin, only arguments and two captured
  // streams; and the deadline of `options.deadlineMs` for what runs at instantiation.
  Live NewStore(Napi::Env env, const WasmtimeApi& api, const Napi::Value& given, bool requireWasi) {
    if (!given.IsObject()) throw Napi::TypeError::New(env, "instantiating takes an options object");
    Napi::Object options = given.As<Napi::Object>();
    Napi::Value wasiOptions = options.Get("wasi");
    bool wasi = wasiOptions.IsObject();
    if (requireWasi && !wasi) throw Napi::TypeError::New(env, "a component is instantiated with WASI options");
    std::vector<std::string> args;
    size_t maxOutputBytes = 0;
    if (wasi) {
      Napi::Object object = wasiOptions.As<Napi::Object>();
      maxOutputBytes = GetSize(env, object.Get("maxOutputBytes"), "wasi.maxOutputBytes");
      if (!object.Get("args").IsArray()) throw Napi::TypeError::New(env, "wasi.args is an array of strings");
      Napi::Array list = object.Get("args").As<Napi::Array>();
      for (uint32_t i = 0; i < list.Length(); i++) {
        if (!list.Get(i).IsString()) throw Napi::TypeError::New(env, "wasi.args is an array of strings");
        args.push_back(list.Get(i).As<Napi::String>().Utf8Value());
      }
    }
    wasmtime_store_t* store = api.wasmtime_store_new(engine_, nullptr, nullptr);
    Live live{store, {}, nullptr};
    if (wasi) {
      wasi_config_t* config = api.wasi_config_new();
      std::vector<const char*> argv;
      for (const std::string& arg : args) argv.push_back(arg.c_str());
      api.wasi_config_set_argv(config, argv.size(), argv.data());
      live.output = std::make_shared<WasiOutput>(maxOutputBytes);
      WasiOutput::Attach(api, config, live.output);
      wasmtime_error_t* error = api.wasmtime_context_set_wasi(api.wasmtime_store_context(store), config);
      if (error) api.wasmtime_store_delete(store);
      ThrowIfFailed(env, api, error, nullptr, "Wasmtime could not set up WASI");
    }
    try {
      SetDeadline(env, api, store, options.Get("deadlineMs"));
    } catch (...) {
      api.wasmtime_store_delete(store);
      throw;
    }
    return live;
  }

  // A new instance's id, once Wasmtime has made it; on failure the Store goes and the
  // error is thrown.
  Napi::Value Keep(Napi::Env env, const WasmtimeApi& api, Live& live, wasmtime_error_t* error, wasm_trap_t* trap,
                   const char* what) {
    if (error || trap) api.wasmtime_store_delete(live.store);
    ThrowIfFailed(env, api, error, trap, what);
    uint32_t id = nextInstance_++;
    instances_.emplace(id, live);
    return Napi::Number::New(env, id);
  }

  // instantiate(moduleId, { wasi?: { args: string[], maxOutputBytes }, deadlineMs? })
  Napi::Value Instantiate(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    size_t index = GetSize(env, info[0], "moduleId");
    if (index >= modules_.size()) throw Napi::RangeError::New(env, "no module with this id");
    bool wasi = info[1].IsObject() && info[1].As<Napi::Object>().Get("wasi").IsObject();
    wasmtime_linker_t* linker = LinkerFor(env, api, modules_[index], wasi);
    Live live = NewStore(env, api, info[1], false);
    wasm_trap_t* trap = nullptr;
    wasmtime_error_t* error = Counted([&] {
      return api.wasmtime_linker_instantiate(linker, api.wasmtime_store_context(live.store), modules_[index].module,
                                             &live.instance, &trap);
    });
    return Keep(env, api, live, error, trap, "Wasmtime could not instantiate the module");
  }

  Napi::Value CompileComponent(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    Napi::Uint8Array bytes = OnlyBytes(info, "compileComponent(bytes) takes a Uint8Array");
    wasmtime_component_t* component = nullptr;
    ThrowIfFailed(env, api, Counted([&] {
                    return api.wasmtime_component_new(engine_, bytes.Data(), bytes.ByteLength(), &component);
                  }),
                  nullptr, "Wasmtime could not compile the component");
    components_.push_back({component, nullptr});
    return Napi::Number::New(env, static_cast<double>(components_.size() - 1));
  }

  // instantiateComponent(componentId, { wasi: { args, maxOutputBytes }, deadlineMs? })
  Napi::Value InstantiateComponent(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    size_t index = GetSize(env, info[0], "componentId");
    if (index >= components_.size()) throw Napi::RangeError::New(env, "no component with this id");
    CompiledComponent& compiled = components_[index];
    if (!compiled.linker) {
      wasmtime_component_linker_t* made = api.wasmtime_component_linker_new(engine_);
      wasmtime_error_t* error = api.wasmtime_component_linker_add_wasip2(made);
      // wasi:http's interfaces are linked so that components built for it (as componentize-js
      // builds every one) instantiate, but the Store gets no HTTP context: no network. Other
      // imports are not stubbed: Wasmtime 49's define_unknown_imports_as_traps defines a
      // WASI import of a newer 0.2.x version anew, and the component then fails to link
      // ("mismatched resource types"); Wasmtime's own error names an import nobody provides.
      if (!error) error = api.wasmtime_component_linker_add_wasi_http(made);
      if (error) api.wasmtime_component_linker_delete(made);
      ThrowIfFailed(env, api, error, nullptr, "Wasmtime could not link the component's imports");
      compiled.linker = made;
    }
    Live live = NewStore(env, api, info[1], true);
    live.isComponent = true;
    wasmtime_error_t* error = Counted([&] {
      return api.wasmtime_component_linker_instantiate(compiled.linker, api.wasmtime_store_context(live.store),
                                                       compiled.component, &live.component);
    });
    return Keep(env, api, live, error, nullptr, "Wasmtime could not instantiate the component");
  }

  // The component instance named by `value`, and its exported function `name`.
  Live& ComponentFunc(Napi::Env env, const WasmtimeApi& api, const Napi::Value& value, const Napi::Value& name,
                      wasmtime_component_func_t& func, bool& found) {
    Live& live = GetLive(env, value);
    if (!live.isComponent) throw Napi::TypeError::New(env, "this instance is a module's, not a component's");
    if (!name.IsString()) throw Napi::TypeError::New(env, "the export name must be a string");
    found = FindComponentFunc(api, api.wasmtime_store_context(live.store), live.component,
                              name.As<Napi::String>().Utf8Value(), func);
    return live;
  }

  Napi::Value ComponentFunction(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    wasmtime_component_func_t func{};
    bool found = false;
    Live& live = ComponentFunc(env, api, info[0], info[1], func, found);
    if (!found) return env.Null();
    return DescribeComponentFunc(env, api, api.wasmtime_store_context(live.store), func);
  }

  // callComponent(instance, name, args, deadlineMs?) → { result }
  Napi::Value CallComponent(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    wasmtime_component_func_t func{};
    bool found = false;
    Live& live = ComponentFunc(env, api, info[0], info[1], func, found);
    if (!found) throw Napi::Error::New(env, "no exported function of this name");
    if (!info[2].IsArray()) throw Napi::TypeError::New(env, "callComponent(instance, name, args) takes an array");
    wasmtime_context_t* context = api.wasmtime_store_context(live.store);
    ComponentCallValues values(env, api, context, func, info[2].As<Napi::Array>());
    SetDeadline(env, api, live.store, info[3]);
    wasmtime_error_t* error = Counted([&] {
      return api.wasmtime_component_func_call(&func, context, values.args(), values.argCount(), values.results(),
                                              values.resultCount());
    });
    ThrowIfFailed(env, api, error, nullptr, "Wasmtime");
    Napi::Object out = Napi::Object::New(env);
    out.Set("result", values.Result(env));
    return out;
  }

  Napi::Value ImageMemories(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::vector<ImageMemory> found;
    if (!FindImageMemories(kImageMapping, found)) ThrowErrno(env, "cannot read /proc/self/maps");
    Napi::Array list = Napi::Array::New(env, found.size());
    for (size_t i = 0; i < found.size(); i++) {
      const ImageMemory& memory = found[i];
      size_t& seen = seenMemories_[memory.base];
      seen = std::max<size_t>(seen, memory.length);
      Napi::Object each = Napi::Object::New(env);
      each.Set("base", AddressToBigInt(env, reinterpret_cast<uint8_t*>(memory.base)));
      each.Set("length", Napi::Number::New(env, static_cast<double>(memory.length)));
      each.Set("imageOffset", Napi::Number::New(env, static_cast<double>(memory.imageOffset)));
      each.Set("imageLength", Napi::Number::New(env, static_cast<double>(memory.imageLength)));
      each.Set("inode", Napi::Number::New(env, static_cast<double>(memory.inode)));
      list.Set(static_cast<uint32_t>(i), each);
    }
    return list;
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
    if (live.isComponent)
      throw Napi::TypeError::New(env, "this instance is a component's: its core exports are not reachable");
    std::string text = name.As<Napi::String>().Utf8Value();
    return api.wasmtime_instance_export_get(api.wasmtime_store_context(live.store), &live.instance, text.data(),
                                            text.size(), &item) &&
           item.kind == kind;
  }

  // The exported memory `name` of the instance named by info[0], if there is one. Its
  // range is remembered: snapshotAt may look at it after the Store is gone.
  bool ExportedMemory(const Napi::CallbackInfo& info, LinearMemory& memory) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    Live& live = GetLive(env, info[0]);
    wasmtime_extern_t item{};
    if (!Export(env, api, live, info[1], kWasmtimeExternMemory, item)) return false;
    wasmtime_context_t* context = api.wasmtime_store_context(live.store);
    memory = {api.wasmtime_memory_data(context, &item.of.memory),
              api.wasmtime_memory_data_size(context, &item.of.memory)};
    size_t& seen = seenMemories_[reinterpret_cast<uint64_t>(memory.base)];
    seen = std::max(seen, memory.length);
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
    return SnapshotOf(env, memory, info[2], info[3], info[4]);
  }

  // The same for a range that was a memory of this engine's: page states come from
  // /proc/self/pagemap, which never touches the memory, so a slot whose Store is gone
  // (whatever Wasmtime left mapped there, or nothing) is safe to read.
  Napi::Value SnapshotAt(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint64_t base = GetAddress(env, info[0], "base");
    size_t length = GetSize(env, info[1], "length");
    auto seen = seenMemories_.find(base);
    if (seen == seenMemories_.end() || length > seen->second) {
      throw Napi::RangeError::New(env, "snapshotAt takes a range this engine reported as a memory's");
    }
    return SnapshotOf(env, {reinterpret_cast<uint8_t*>(base), length}, info[2], info[3], info[4]);
  }

  Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    LinearMemory memory{};
    if (!ExportedMemory(info, memory)) throw Napi::Error::New(env, "no exported memory of this name");
    size_t offset = std::min(GetSize(env, info[2], "offset"), memory.length);
    size_t length = std::min(GetSize(env, info[3], "length"), memory.length - offset);
    return Napi::Uint8Array::New(
        env, length,
        [&] {
          Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, length);
          std::copy(memory.base + offset, memory.base + offset + length, static_cast<uint8_t*>(buffer.Data()));
          return buffer;
        }(),
        0);
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
      throw Napi::TypeError::New(env, "call(instance, name, args, resultTypes, deadlineMs?) takes two arrays");
    }
    Napi::Array args = info[2].As<Napi::Array>();
    Napi::Array resultTypes = info[3].As<Napi::Array>();
    std::vector<wasmtime_val_t> params(args.Length());
    for (uint32_t i = 0; i < args.Length(); i++) params[i] = WasmtimeValueOf(env, args.Get(i));
    std::vector<wasmtime_val_t> results(resultTypes.Length());
    for (uint32_t i = 0; i < resultTypes.Length(); i++) results[i].kind = WasmtimeKindOf(env, resultTypes.Get(i));
    SetDeadline(env, api, live.store, info[4]);
    wasm_trap_t* trap = nullptr;
    // The call first, then the check: as arguments of one call, `trap` could be read
    // before the call that sets it.
    wasmtime_error_t* error = Counted([&] {
      return api.wasmtime_func_call(api.wasmtime_store_context(live.store), &item.of.func, params.data(), params.size(),
                                    results.data(), results.size(), &trap);
    });
    ThrowIfFailed(env, api, error, trap, "Wasmtime");
    Napi::Array out = Napi::Array::New(env, results.size());
    for (uint32_t i = 0; i < results.size(); i++) out.Set(i, WasmtimeValueToJs(env, results[i]));
    return out;
  }

  Napi::Value TakeOutput(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Live& live = GetLive(env, info[0]);
    if (!live.output) return env.Null();
    WasiOutput::Taken taken = live.output->Take();
    Napi::Object result = Napi::Object::New(env);
    result.Set("stdout", Napi::String::New(env, taken.text[0]));
    result.Set("stderr", Napi::String::New(env, taken.text[1]));
    result.Set("droppedStdout", Napi::Number::New(env, static_cast<double>(taken.dropped[0])));
    result.Set("droppedStderr", Napi::Number::New(env, static_cast<double>(taken.dropped[1])));
    return result;
  }

  Napi::Value Drop(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const WasmtimeApi& api = RequireApi(env);
    Live& live = GetLive(env, info[0]);
    Counted([&] { api.wasmtime_store_delete(live.store); });
    instances_.erase(GetU32(env, info[0], "instance"));
    return env.Undefined();
  }

  void OpenCounters(Napi::Env env, const Napi::Value& ids) {
    if (!ids.IsArray() || ids.As<Napi::Array>().Length() != SyscallCounters::kNames.size()) {
      throw Napi::TypeError::New(env, "syscallTracepoints is an array of 4 tracepoint ids");
    }
    std::array<uint64_t, 4> values{};
    for (uint32_t i = 0; i < values.size(); i++) {
      values[i] = GetSize(env, ids.As<Napi::Array>().Get(i), "a tracepoint id");
    }
    countersUnavailable_ = counters_.Open(values);
  }

  // Runs `call` (a call into Wasmtime) with the syscall counters on, when they are open.
  template <typename Call>
  auto Counted(Call call) -> decltype(call()) {
    if (!counters_.open()) return call();
    counters_.Start();
    struct Stop {
      WasmtimeEngine* self;
      ~Stop() {
        self->lastCounts_ = self->counters_.Stop();
        self->counted_ = true;
      }
    } stop{this};
    return call();
  }

  Napi::Value LastSyscalls(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object result = Napi::Object::New(env);
    if (!counters_.open()) {
      result.Set("unavailable", countersUnavailable_.empty()
                                    ? "no syscall tracepoints were given (tracefs is not readable)"
                                    : countersUnavailable_);
      return result;
    }
    for (size_t i = 0; i < SyscallCounters::kNames.size(); i++) {
      result.Set(SyscallCounters::kNames[i], Napi::Number::New(env, counted_ ? lastCounts_[i] : 0));
    }
    return result;
  }

  SyscallCounters counters_;
  std::string countersUnavailable_;
  std::array<uint64_t, 4> lastCounts_{};
  bool counted_ = false;
  wasm_engine_t* engine_ = nullptr;
  uint32_t epochTickMs_ = 0;
  std::unique_ptr<EpochTicker> ticker_;
  std::vector<Compiled> modules_;
  std::vector<CompiledComponent> components_;
  std::map<uint32_t, Live> instances_;
  // Base → largest length of every memory this engine has reported (Wasmtime's slots).
  std::map<uint64_t, size_t> seenMemories_;
  uint32_t nextInstance_ = 1;
};

}  // namespace

void RegisterWasmtimeEngine(Napi::Env env, Napi::Object exports) { WasmtimeEngine::Register(env, exports); }

}  // namespace wasm_cow
