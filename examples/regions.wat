;; A wasm-ld-style layout: read-only data and data (segments named ".rodata" and ".data"),
;; a 64 KiB stack after them, the heap after the stack, and the linker's globals that
;; say so (`__data_end` and `__heap_base` exported, `__stack_pointer` named). `work`
;; writes two .data pages, one stack page and two heap pages, so a run's dirtied pages
;; are attributed to all three regions.
(module
  (memory (export "memory") 4)
  (global $__stack_pointer (mut i32) (i32.const 0x12010))
  (global $__data_end (export "__data_end") i32 (i32.const 0x2010))
  (global $__heap_base (export "__heap_base") i32 (i32.const 0x12010))
  (data $.rodata (i32.const 0x400) "read-only: version 1\00")
  (data $.data (i32.const 0x1ff0) "counter: 0, log: empty, 32 bytes")
  (func (export "work") (result i32)
    ;; .data: two pages of the image, copied on write.
    (i32.store (i32.const 0x1ff0) (i32.const 1))
    (i32.store (i32.const 0x2004) (i32.const 2))
    ;; The stack: a frame 4 KiB below its top.
    (i32.store (i32.sub (global.get $__stack_pointer) (i32.const 0x1010)) (i32.const 3))
    ;; The heap: two allocations.
    (i32.store (i32.const 0x20000) (i32.const 4))
    (i32.store (i32.const 0x21000) (i32.const 5))
    (i32.const 5)))
