;; A script with one deliberate failure, to show how failures are reported.
;; RUN: run %s
(module
  (memory 1)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))
(assert_return (invoke "load" (i32.const 0)) (i32.const 0))
(assert_trap (invoke "load" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_return (invoke "div" (i32.const 7) (i32.const 2)) (i32.const 4))
