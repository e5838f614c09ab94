;; Two tiny segments 40 MiB apart: the span is far more than twice the data and more
;; than the 16 MiB dense limit, so Wasmtime falls back to segmented initialisation.
(module
  (memory (export "memory") 1024)
  (data (i32.const 0x1000) "header")
  (data (i32.const 0x2801000) "trailer"))
