;; `redzone run` on a module with imports: every engine gets the same dummies, listed on the
;; `provided:` line (and in the JSON), and the imported memory and global are compared.
;; RUN: run %s --calls 1
;; RUN: run %s --dummy-funcs trap --invoke call 3
;; RUN: run %s --format json --invoke call 3
(module
  (import "env" "memory" (memory 1 2))
  (import "env" "counter" (global $counter (mut i32)))
  (import "env" "f" (func $f (param i32) (result i32)))
  (data (i32.const 0) "\2a")
  (func (export "call") (param i32) (result i32) (call $f (local.get 0)))
  (func (export "first") (result i32) (i32.load8_u (i32.const 0)))
  (func (export "bump") (global.set $counter (i32.add (global.get $counter) (i32.const 1)))))
