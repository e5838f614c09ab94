// The component-model part of Wasmtime 49's C API the engine uses (wasmtime/component/*.h),
// declared here for the same reason as wasmtime_c_api.h: the addon builds without
// Wasmtime's headers. Layouts are those of the 49.0.0 wheel's ctypes bindings
// (wasmtime/_bindings.py); the value kinds are its _ffi.py constants.
#pragma once

#include <cstddef>
#include <cstdint>

#include "wasmtime_c_api.h"

extern "C" {

struct wasmtime_component_t;
struct wasmtime_component_linker_t;
struct wasmtime_component_export_index_t;
struct wasmtime_component_func_type_t;
struct wasmtime_component_list_type_t;
struct wasmtime_component_record_type_t;
struct wasmtime_component_tuple_type_t;
struct wasmtime_component_variant_type_t;
struct wasmtime_component_enum_type_t;
struct wasmtime_component_option_type_t;
struct wasmtime_component_result_type_t;
struct wasmtime_component_flags_type_t;

struct wasmtime_component_instance_t {
  uint64_t store_id;
  uint32_t private_index;
};

// {u64, u32} (16 bytes with padding), then a u32 and a pointer: 32 bytes.
struct wasmtime_component_func_t {
  struct {
    uint64_t store_id;
    uint32_t private1;
  } id;
  uint32_t private2;
  void* private3;
};
static_assert(sizeof(wasmtime_component_func_t) == 32, "wasmtime_component_func_t is 32 bytes in Wasmtime 49");

// A type: its kind and, for compound kinds, a pointer Wasmtime owns until
// wasmtime_component_valtype_delete. Only written by Wasmtime (an out parameter).
struct wasmtime_component_valtype_t {
  uint8_t kind;
  union {
    wasmtime_component_list_type_t* list;
    wasmtime_component_record_type_t* record;
    wasmtime_component_tuple_type_t* tuple;
    wasmtime_component_variant_type_t* variant;
    wasmtime_component_enum_type_t* enumeration;
    wasmtime_component_option_type_t* option;
    wasmtime_component_result_type_t* result;
    wasmtime_component_flags_type_t* flags;
    void* other;
  } of;
};

enum : uint8_t {
  kValtypeBool = 0,
  kValtypeS8 = 1,
  kValtypeS16 = 2,
  kValtypeS32 = 3,
  kValtypeS64 = 4,
  kValtypeU8 = 5,
  kValtypeU16 = 6,
  kValtypeU32 = 7,
  kValtypeU64 = 8,
  kValtypeF32 = 9,
  kValtypeF64 = 10,
  kValtypeChar = 11,
  kValtypeString = 12,
  kValtypeList = 13,
  kValtypeRecord = 14,
  kValtypeTuple = 15,
  kValtypeVariant = 16,
  kValtypeEnum = 17,
  kValtypeOption = 18,
  kValtypeResult = 19,
  kValtypeFlags = 20,
  kValtypeOwn = 21,
  kValtypeBorrow = 22,
  kValtypeFuture = 23,
  kValtypeStream = 24,
  kValtypeErrorContext = 25,
};

// A value's kinds are numbered differently from its type's (the integers interleave).
enum : uint8_t {
  kValBool = 0,
  kValS8 = 1,
  kValU8 = 2,
  kValS16 = 3,
  kValU16 = 4,
  kValS32 = 5,
  kValU32 = 6,
  kValS64 = 7,
  kValU64 = 8,
  kValF32 = 9,
  kValF64 = 10,
  kValChar = 11,
  kValString = 12,
  kValList = 13,
  kValRecord = 14,
  kValTuple = 15,
  kValVariant = 16,
  kValEnum = 17,
  kValOption = 18,
  kValResult = 19,
  kValFlags = 20,
};

struct wasmtime_component_val_t;
struct wasmtime_component_valrecord_entry_t;

struct wasmtime_component_vallist_t {
  size_t size;
  wasmtime_component_val_t* data;
};
struct wasmtime_component_valrecord_t {
  size_t size;
  wasmtime_component_valrecord_entry_t* data;
};
struct wasmtime_component_valflags_t {
  size_t size;
  wasm_byte_vec_t* data;
};

// Arrays of values are indexed by Wasmtime: the size must be exactly Wasmtime's, 32 bytes
// (a u8 kind, then a 24-byte union whose largest member is a variant: a name and a pointer).
struct wasmtime_component_val_t {
  uint8_t kind;
  union {
    bool boolean;
    int8_t s8;
    uint8_t u8;
    int16_t s16;
    uint16_t u16;
    int32_t s32;
    uint32_t u32;
    int64_t s64;
    uint64_t u64;
    float f32;
    double f64;
    uint32_t character;
    wasm_byte_vec_t string;
    wasmtime_component_vallist_t list;  // also a tuple's layout
    wasmtime_component_valrecord_t record;
    struct {
      wasm_byte_vec_t discriminant;
      wasmtime_component_val_t* val;  // null without a payload
    } variant;
    wasm_byte_vec_t enumeration;
    wasmtime_component_val_t* option;  // null for none
    struct {
      bool is_ok;
      wasmtime_component_val_t* val;  // null without a payload
    } result;
    wasmtime_component_valflags_t flags;
  } of;
};

struct wasmtime_component_valrecord_entry_t {
  wasm_byte_vec_t name;
  wasmtime_component_val_t val;
};
static_assert(sizeof(wasmtime_component_val_t) == 32, "wasmtime_component_val_t is 32 bytes in Wasmtime 49");
static_assert(sizeof(wasmtime_component_valrecord_entry_t) == 48, "a record entry is 48 bytes in Wasmtime 49");

void wasmtime_config_wasm_component_model_set(wasm_config_t*, bool);
wasmtime_error_t* wasmtime_component_new(const wasm_engine_t*, const uint8_t* buf, size_t len,
                                         wasmtime_component_t** component_out);
void wasmtime_component_delete(wasmtime_component_t*);
wasmtime_component_linker_t* wasmtime_component_linker_new(const wasm_engine_t*);
wasmtime_error_t* wasmtime_component_linker_add_wasip2(wasmtime_component_linker_t*);
wasmtime_error_t* wasmtime_component_linker_add_wasi_http(wasmtime_component_linker_t*);
wasmtime_error_t* wasmtime_component_linker_instantiate(const wasmtime_component_linker_t*, wasmtime_context_t*,
                                                        const wasmtime_component_t*,
                                                        wasmtime_component_instance_t* instance_out);
void wasmtime_component_linker_delete(wasmtime_component_linker_t*);
wasmtime_component_export_index_t* wasmtime_component_instance_get_export_index(
    const wasmtime_component_instance_t*, wasmtime_context_t*, const wasmtime_component_export_index_t* instance_index,
    const char* name, size_t name_len);
void wasmtime_component_export_index_delete(wasmtime_component_export_index_t*);
bool wasmtime_component_instance_get_func(const wasmtime_component_instance_t*, wasmtime_context_t*,
                                          const wasmtime_component_export_index_t*,
                                          wasmtime_component_func_t* func_out);
wasmtime_component_func_type_t* wasmtime_component_func_type(const wasmtime_component_func_t*, wasmtime_context_t*);
void wasmtime_component_func_type_delete(wasmtime_component_func_type_t*);
size_t wasmtime_component_func_type_param_count(const wasmtime_component_func_type_t*);
bool wasmtime_component_func_type_param_nth(const wasmtime_component_func_type_t*, size_t nth, const char** name,
                                            size_t* name_len, wasmtime_component_valtype_t* type_out);
bool wasmtime_component_func_type_result(const wasmtime_component_func_type_t*, wasmtime_component_valtype_t* out);
wasmtime_error_t* wasmtime_component_func_call(const wasmtime_component_func_t*, wasmtime_context_t*,
                                               const wasmtime_component_val_t* args, size_t args_size,
                                               wasmtime_component_val_t* results, size_t results_size);
void wasmtime_component_valtype_delete(wasmtime_component_valtype_t*);
void wasmtime_component_list_type_element(const wasmtime_component_list_type_t*, wasmtime_component_valtype_t* out);
size_t wasmtime_component_record_type_field_count(const wasmtime_component_record_type_t*);
bool wasmtime_component_record_type_field_nth(const wasmtime_component_record_type_t*, size_t nth, const char** name,
                                              size_t* name_len, wasmtime_component_valtype_t* type_out);
size_t wasmtime_component_tuple_type_types_count(const wasmtime_component_tuple_type_t*);
bool wasmtime_component_tuple_type_types_nth(const wasmtime_component_tuple_type_t*, size_t nth,
                                             wasmtime_component_valtype_t* type_out);
size_t wasmtime_component_variant_type_case_count(const wasmtime_component_variant_type_t*);
bool wasmtime_component_variant_type_case_nth(const wasmtime_component_variant_type_t*, size_t nth, const char** name,
                                              size_t* name_len, bool* has_payload,
                                              wasmtime_component_valtype_t* payload_out);
size_t wasmtime_component_enum_type_names_count(const wasmtime_component_enum_type_t*);
bool wasmtime_component_enum_type_names_nth(const wasmtime_component_enum_type_t*, size_t nth, const char** name,
                                            size_t* name_len);
void wasmtime_component_option_type_ty(const wasmtime_component_option_type_t*, wasmtime_component_valtype_t* out);
bool wasmtime_component_result_type_ok(const wasmtime_component_result_type_t*, wasmtime_component_valtype_t* out);
bool wasmtime_component_result_type_err(const wasmtime_component_result_type_t*, wasmtime_component_valtype_t* out);
size_t wasmtime_component_flags_type_names_count(const wasmtime_component_flags_type_t*);
bool wasmtime_component_flags_type_names_nth(const wasmtime_component_flags_type_t*, size_t nth, const char** name,
                                             size_t* name_len);
void wasmtime_component_vallist_new_uninit(wasmtime_component_vallist_t* out, size_t size);
void wasmtime_component_valrecord_new_uninit(wasmtime_component_valrecord_t* out, size_t size);
void wasmtime_component_valtuple_new_uninit(wasmtime_component_vallist_t* out, size_t size);
void wasmtime_component_valflags_new_uninit(wasmtime_component_valflags_t* out, size_t size);
wasmtime_component_val_t* wasmtime_component_val_new(wasmtime_component_val_t* value);
void wasmtime_component_val_delete(wasmtime_component_val_t*);
void wasm_byte_vec_new(wasm_byte_vec_t* out, size_t size, const char* data);
}
