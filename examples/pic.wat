;; Position-independent code: data offsets are relative to an imported __memory_base,
;; so no static image can exist.
(module
  (import "env" "__memory_base" (global $memory_base i32))
  (memory (export "memory") 1)
  (data (global.get $memory_base) "relocatable data"))
