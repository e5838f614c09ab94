;; A module that imports its memory, as Emscripten builds with -sIMPORTED_MEMORY,
;; pthread builds, SQLite and QuickJS do: Wasmtime makes no image for memory it does not
;; own, so the segments are copied at every instantiation. The runner makes the memory
;; from the import's type and shows its pages outside the pool. `touch` writes one byte
;; into the next 4 KiB page after the data.
(module
  (import "env" "memory" (memory 4))
  (global $next (mut i32) (i32.const 0x3000))
  (data (i32.const 0x1000) "static data, copied at instantiation")
  (data (i32.const 0x2000) "more data, on the next page")
  (func (export "touch") (result i32)
    (i32.store8 (global.get $next) (i32.const 0xff))
    (global.set $next (i32.add (global.get $next) (i32.const 4096)))
    (global.get $next)))
