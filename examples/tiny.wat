;; The smallest interesting module: one page of memory and a greeting at 1 KiB, the
;; address LLVM gives the first data when the stack is placed after the data.
(module
  (memory (export "memory") 1)
  (data (i32.const 1024) "Hello from a copy-on-write image!\00")
  (func (export "greeting") (result i32) (i32.const 1024)))
