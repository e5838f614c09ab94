// Every function of Wasmtime's C API the Wasmtime engine uses, in one list: the loader
// checks each of them before anything is called (a library that lacks one is refused
// with its name), and the engine's function table is generated from the same list.
#pragma once

#define WASM_COW_WASMTIME_SYMBOLS(X)                                    \
  X(wasm_config_new)                                                    \
  X(wasm_engine_new_with_config)                                        \
  X(wasm_engine_delete)                                                 \
  X(wasmtime_config_memory_init_cow_set)                                \
  X(wasmtime_config_epoch_interruption_set)                             \
  X(wasmtime_pooling_allocation_config_new)                             \
  X(wasmtime_pooling_allocation_config_delete)                          \
  X(wasmtime_pooling_allocation_config_total_memories_set)              \
  X(wasmtime_pooling_allocation_config_max_memory_size_set)             \
  X(wasmtime_pooling_allocation_config_linear_memory_keep_resident_set) \
  X(wasmtime_pooling_allocation_config_max_unused_warm_slots_set)       \
  X(wasmtime_pooling_allocation_strategy_set)                           \
  X(wasmtime_engine_increment_epoch)                                    \
  X(wasmtime_module_new)                                                \
  X(wasmtime_module_delete)                                             \
  X(wasmtime_store_new)                                                 \
  X(wasmtime_store_context)                                             \
  X(wasmtime_store_delete)                                              \
  X(wasmtime_context_set_epoch_deadline)                                \
  X(wasmtime_context_set_wasi)                                          \
  X(wasmtime_linker_new)                                                \
  X(wasmtime_linker_define_wasi)                                        \
  X(wasmtime_linker_define_unknown_imports_as_traps)                    \
  X(wasmtime_linker_instantiate)                                        \
  X(wasmtime_linker_delete)                                             \
  X(wasmtime_instance_export_get)                                       \
  X(wasmtime_func_call)                                                 \
  X(wasmtime_memory_data)                                               \
  X(wasmtime_memory_data_size)                                          \
  X(wasmtime_error_message)                                             \
  X(wasmtime_error_delete)                                              \
  X(wasmtime_error_exit_status)                                         \
  X(wasmtime_trap_code)                                                 \
  X(wasm_trap_message)                                                  \
  X(wasm_trap_delete)                                                   \
  X(wasm_byte_vec_delete)                                               \
  X(wasi_config_new)                                                    \
  X(wasi_config_set_argv)                                               \
  X(wasi_config_set_stdout_custom)                                      \
  X(wasi_config_set_stderr_custom)
