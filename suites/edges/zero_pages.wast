;; A memory of 0 pages: every access traps, zero-length bulk operations at 0 succeed, and it
;; becomes usable after growing.
;;
;; Checks: len = 0 means address 0 is already out of bounds for every width; memory.fill and
;; memory.copy of length 0 at address 0 (= len) succeed and at address 1 trap; a 0-page memory
;; with maximum 0 cannot grow; after memory.grow 1 the first page reads as zeros.
(module
  (memory 0)
  (func (export "size") (result i32) (memory.size))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "store8") (param i32) (i32.store8 (local.get 0) (i32.const 1)))
  (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 0) (local.get 1)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
(assert_return (invoke "size") (i32.const 0))
(assert_trap (invoke "load8" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "load64" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "load8" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "store8" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "fill" (i32.const 0) (i32.const 0)))
(assert_trap (invoke "fill" (i32.const 1) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "copy" (i32.const 0) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "copy" (i32.const 1) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const 0))
(assert_return (invoke "size") (i32.const 1))
(assert_return (invoke "load64" (i32.const 65528)) (i64.const 0))
(assert_trap (invoke "load64" (i32.const 65529)) "out of bounds memory access")

(module
  (memory 0 0)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
(assert_return (invoke "grow" (i32.const 0)) (i32.const 0))
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(assert_trap (invoke "load8" (i32.const 0)) "out of bounds memory access")

;; A data segment of length 0 at offset 0 fits a 0-page memory; one byte does not.
(module (memory 0) (data (i32.const 0) ""))
(assert_trap (module (memory 0) (data (i32.const 0) "x")) "out of bounds memory access")
(assert_trap (module (memory 0) (data (i32.const 1) "")) "out of bounds memory access")
