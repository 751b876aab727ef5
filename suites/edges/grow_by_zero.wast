;; memory.grow by 0, on memories of 1 page with room, 2 pages at their maximum, and after other
;; grows.
;;
;; Why: growing by 0 always succeeds (old + 0 <= max) and returns the current size, even at the
;; maximum; it must not allocate, reset, move or shrink anything: the bytes written before it,
;; including the last byte, read back unchanged, and the bound stays where it was.
(module
  (memory 1 2)
  (func (export "i32.load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "i32.load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "i32.store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
)
(assert_return (invoke "i32.store" (i32.const 0xfffc) (i32.const 0xcafef00d)))
(assert_return (invoke "grow" (i32.const 0x0)) (i32.const 0x1))
(assert_return (invoke "grow" (i32.const 0x0)) (i32.const 0x1))
(assert_return (invoke "grow" (i32.const 0x0)) (i32.const 0x1))
(assert_return (invoke "size") (i32.const 0x1))
(assert_return (invoke "i32.load" (i32.const 0xfffc)) (i32.const 0xcafef00d))
(assert_trap (invoke "i32.load" (i32.const 0xfffd)) "out of bounds memory access")
(assert_trap (invoke "i32.load8_u" (i32.const 0x10000)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 0x1)) (i32.const 0x1))
(assert_return (invoke "i32.store" (i32.const 0x1fffc) (i32.const 0x12345678)))

;; at the maximum (2 pages): grow 0 still succeeds and returns 2
(assert_return (invoke "grow" (i32.const 0x0)) (i32.const 0x2))
(assert_return (invoke "grow" (i32.const 0x0)) (i32.const 0x2))
(assert_return (invoke "grow" (i32.const 0x0)) (i32.const 0x2))
(assert_return (invoke "grow" (i32.const 0x1)) (i32.const 0xffffffff))
(assert_return (invoke "grow" (i32.const 0x0)) (i32.const 0x2))
(assert_return (invoke "size") (i32.const 0x2))
(assert_return (invoke "i32.load" (i32.const 0xfffc)) (i32.const 0xcafef00d))
(assert_return (invoke "i32.load" (i32.const 0x1fffc)) (i32.const 0x12345678))
(assert_trap (invoke "i32.load" (i32.const 0x1fffd)) "out of bounds memory access")
(assert_trap (invoke "i32.load8_u" (i32.const 0x20000)) "out of bounds memory access")
