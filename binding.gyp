{
  "targets": [
    {
      "target_name": "wasm_cow_native",
      "conditions": [
        ["OS=='linux'", {
          "sources": [
            "native/src/accounting.cc",
            "native/src/addon.cc",
            "native/src/common.cc",
            "native/src/image.cc",
            "native/src/madvise_cost.cc",
            "native/src/mapping.cc",
            "native/src/mappings.cc",
            "native/src/page_map.cc",
            "native/src/page_state.cc",
            "native/src/parent_death.cc",
            "native/src/probe.cc",
            "native/src/reset.cc",
            "native/src/restore.cc",
            "native/src/syscall_counters.cc",
            "native/src/userfault.cc",
            "native/src/vmas.cc",
            "native/src/wasmtime_component_call.cc",
            "native/src/wasmtime_component_values.cc",
            "native/src/wasmtime_engine.cc",
            "native/src/wasmtime_image_memories.cc",
            "native/src/wasmtime_library.cc",
            "native/src/wasmtime_output.cc",
            "native/src/wasmtime_values.cc"
          ],
          "libraries": ["-ldl"]
        }]
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Werror"]
    }
  ]
}
