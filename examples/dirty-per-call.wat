;; Every call of `touch` writes one byte into the next 4 KiB page, so each request
;; dirties exactly one more page of the image.
(module
  (memory (export "memory") 16)
  (global $next (mut i32) (i32.const 0))
  (data (i32.const 0) "page 0: image bytes")
  (data (i32.const 0x8000) "page 8: more image bytes")
  (func (export "touch") (result i32)
    (i32.store8 (global.get $next) (i32.const 0xff))
    (global.set $next (i32.add (global.get $next) (i32.const 4096)))
    (global.get $next)))
