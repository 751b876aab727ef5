;; A module: every export without parameters is called once and its outcome printed.
;; RUN: run %s
(module
  (memory (export "memory") 1 2)
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "past_max") (result i32) (memory.grow (i32.const 5)))
  (func (export "oob") (result i64) (i64.load (i32.const 131065)))
  (func (export "takes_args") (param i32))
  (func (export "spin") (loop (br 0))))
