;; Data placed after a 1 MiB stack (wasm-ld --stack-first): the image starts at 1 MiB,
;; so Wasmtime trims 1 MiB of leading zeros instead of mapping them.
(module
  (memory (export "memory") 32)
  (data (i32.const 0x100000) "configuration table v1\00")
  (data (i32.const 0x100400) "\01\02\03\04\05\06\07\08")
  (func (export "first_byte") (result i32) (i32.load8_u (i32.const 0x100400))))
