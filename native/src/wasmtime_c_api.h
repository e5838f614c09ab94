// The part of Wasmtime 49's C API the engine uses, declared here because the addon builds
// without Wasmtime's headers (the library is loaded at run time, wasmtime_library.cc).
// Layouts and signatures are those of Wasmtime 49.0.0 as its wheel's ctypes bindings
// (wasmtime/_bindings.py, generated from the release's headers) give them: the main
// branch's headers already differ (a 16-byte anyref there, 24 bytes in 49.0.0). The
// functions are never linked, only named for `decltype` in WasmtimeApi; the real library
// is the judge (test/native/wasmtime-engine.test.ts calls each through it).
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

struct wasm_config_t;
struct wasm_engine_t;
struct wasm_trap_t;
struct wasi_config_t;
struct wasmtime_error_t;
struct wasmtime_module_t;
struct wasmtime_store_t;
struct wasmtime_context_t;
struct wasmtime_linker_t;
struct wasmtime_pooling_allocation_config_t;

struct wasm_byte_vec_t {
  size_t size;
  char* data;
};

struct wasmtime_instance_t {
  uint64_t store_id;
  size_t private_index;
};

struct wasmtime_func_t {
  uint64_t store_id;
  void* private_pointer;
};

// An anonymous struct of {u64, u32} (16 bytes with padding) followed by a u32: 24 bytes.
struct wasmtime_memory_t {
  struct {
    uint64_t store_id;
    uint32_t private1;
  } id;
  uint32_t private2;
};

enum : uint8_t { kWasmtimeExternFunc = 0, kWasmtimeExternMemory = 3 };

// Only written by Wasmtime (an out parameter): the union is given more room than any of
// Wasmtime's members needs, so a larger member can never write past it.
struct wasmtime_extern_t {
  uint8_t kind;
  union {
    wasmtime_func_t func;
    wasmtime_memory_t memory;
    uint8_t room[64];
  } of;
};

enum : uint8_t { kWasmtimeI32 = 0, kWasmtimeI64 = 1, kWasmtimeF32 = 2, kWasmtimeF64 = 3 };

// Arrays of these are indexed by Wasmtime: the size must be exactly Wasmtime's, 32 bytes
// (a u8 kind, then a 24-byte union aligned to 8, whose largest members are the GC refs:
// store id u64, two u32, a pointer).
struct wasmtime_val_t {
  uint8_t kind;
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint8_t v128[16];
    struct {
      uint64_t store_id;
      uint32_t private1;
      uint32_t private2;
      void* private3;
    } gc_ref;
  } of;
};
static_assert(sizeof(wasmtime_val_t) == 32, "wasmtime_val_t is 32 bytes in Wasmtime 49.0.0");
static_assert(sizeof(wasmtime_memory_t) == 24, "wasmtime_memory_t is 24 bytes in Wasmtime 49");
static_assert(sizeof(wasmtime_func_t) == 16, "wasmtime_func_t is 16 bytes in Wasmtime 49");

wasm_config_t* wasm_config_new();
wasm_engine_t* wasm_engine_new_with_config(wasm_config_t*);
void wasm_engine_delete(wasm_engine_t*);
void wasmtime_config_memory_init_cow_set(wasm_config_t*, bool);
void wasmtime_config_epoch_interruption_set(wasm_config_t*, bool);
wasmtime_pooling_allocation_config_t* wasmtime_pooling_allocation_config_new();
void wasmtime_pooling_allocation_config_delete(wasmtime_pooling_allocation_config_t*);
void wasmtime_pooling_allocation_config_total_memories_set(wasmtime_pooling_allocation_config_t*, uint32_t);
void wasmtime_pooling_allocation_config_max_memory_size_set(wasmtime_pooling_allocation_config_t*, size_t);
void wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(wasmtime_pooling_allocation_config_t*, size_t);
void wasmtime_pooling_allocation_config_max_unused_warm_slots_set(wasmtime_pooling_allocation_config_t*, uint32_t);
void wasmtime_pooling_allocation_strategy_set(wasm_config_t*, const wasmtime_pooling_allocation_config_t*);
void wasmtime_engine_increment_epoch(const wasm_engine_t*);
wasmtime_error_t* wasmtime_module_new(wasm_engine_t*, const uint8_t* wasm, size_t length, wasmtime_module_t** ret);
void wasmtime_module_delete(wasmtime_module_t*);
wasmtime_store_t* wasmtime_store_new(wasm_engine_t*, void* data, void (*finalizer)(void*));
wasmtime_context_t* wasmtime_store_context(wasmtime_store_t*);
void wasmtime_store_delete(wasmtime_store_t*);
void wasmtime_context_set_epoch_deadline(wasmtime_context_t*, uint64_t ticks_beyond_current);
wasmtime_error_t* wasmtime_context_set_wasi(wasmtime_context_t*, wasi_config_t*);
wasmtime_linker_t* wasmtime_linker_new(wasm_engine_t*);
wasmtime_error_t* wasmtime_linker_define_wasi(wasmtime_linker_t*);
wasmtime_error_t* wasmtime_linker_define_unknown_imports_as_traps(wasmtime_linker_t*, const wasmtime_module_t*);
wasmtime_error_t* wasmtime_linker_instantiate(const wasmtime_linker_t*, wasmtime_context_t*, const wasmtime_module_t*,
                                              wasmtime_instance_t* instance, wasm_trap_t** trap);
void wasmtime_linker_delete(wasmtime_linker_t*);
bool wasmtime_instance_export_get(wasmtime_context_t*, const wasmtime_instance_t*, const char* name, size_t length,
                                  wasmtime_extern_t* item);
wasmtime_error_t* wasmtime_func_call(wasmtime_context_t*, const wasmtime_func_t*, const wasmtime_val_t* args,
                                     size_t nargs, wasmtime_val_t* results, size_t nresults, wasm_trap_t** trap);
uint8_t* wasmtime_memory_data(wasmtime_context_t*, const wasmtime_memory_t*);
size_t wasmtime_memory_data_size(const wasmtime_context_t*, const wasmtime_memory_t*);
void wasmtime_error_message(const wasmtime_error_t*, wasm_byte_vec_t* message);
void wasmtime_error_delete(wasmtime_error_t*);
bool wasmtime_error_exit_status(const wasmtime_error_t*, int* status);
bool wasmtime_trap_code(const wasm_trap_t*, uint8_t* code);
void wasm_trap_message(const wasm_trap_t*, wasm_byte_vec_t* out);
void wasm_trap_delete(wasm_trap_t*);
void wasm_byte_vec_delete(wasm_byte_vec_t*);
wasi_config_t* wasi_config_new();
bool wasi_config_set_argv(wasi_config_t*, size_t argc, const char* argv[]);
void wasi_config_set_stdout_custom(wasi_config_t*, ptrdiff_t (*callback)(void*, const unsigned char*, size_t),
                                   void* data, void (*finalizer)(void*));
void wasi_config_set_stderr_custom(wasi_config_t*, ptrdiff_t (*callback)(void*, const unsigned char*, size_t),
                                   void* data, void (*finalizer)(void*));
}
