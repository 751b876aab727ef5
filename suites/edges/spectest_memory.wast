;; The harness's own host memory: spectest "memory" (memory 1 2) and "global_i32" (666),
;; imported by several modules in turn, with data segments placed at the imported global.
;;
;; Why: spectest's memory is created by the host, not by any module, and outlives every module
;; that imports it; all of them see one buffer and one length. Checks: a data segment at
;; (global.get 666) lands at 666 and is seen by a later module; segments ending exactly at len
;; instantiate and one byte past trap (writing nothing of the failing segment, but keeping the
;; earlier ones); grow through one importer moves the bound for every importer; grow past the
;; maximum 2 fails; import declarations are matched against the memory's current size.
(module $a
  (import "spectest" "memory" (memory 1 2))
  (import "spectest" "global_i32" (global $g i32))
  (data (global.get $g) "\66\06\00\00")
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "at_g") (result i32) (i32.load (global.get $g)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
(assert_return (invoke "at_g") (i32.const 0x666))
(assert_return (invoke "load" (i32.const 664)) (i32.const 0x06660000))
(assert_return (invoke "size") (i32.const 1))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0))
(assert_trap (invoke "load8" (i32.const 65536)) "out of bounds memory access")

;; a second importer: the segment at 666 is there; its own segment ends exactly at len
(module $b
  (import "spectest" "memory" (memory 1))
  (import "spectest" "global_i32" (global $g i32))
  (data (i32.const 65532) "\b1\b2\b3\b4")
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
)
(assert_return (invoke $b "load" (i32.const 666)) (i32.const 0x666))
(assert_return (invoke $a "load" (i32.const 65532)) (i32.const 0xb4b3b2b1))
(assert_trap (invoke $b "load" (i32.const 65533)) "out of bounds memory access")

;; one byte past the end: instantiation traps; the first segment is written, the failing one
;; is not (65532.. keeps b1 b2 b3 b4), the one after it never runs
(assert_trap
  (module
    (import "spectest" "memory" (memory 1))
    (data (i32.const 8) "\c8")
    (data (i32.const 65533) "\ff\ff\ff\ff")
    (data (i32.const 9) "\c9"))
  "out of bounds memory access")
(assert_return (invoke $a "load8" (i32.const 8)) (i32.const 0xc8))
(assert_return (invoke $a "load8" (i32.const 9)) (i32.const 0))
(assert_return (invoke $a "load" (i32.const 65532)) (i32.const 0xb4b3b2b1))

;; grow through $b: $a sees the new size and the zeroed page, the new end is the bound for both
(assert_return (invoke $b "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke $a "size") (i32.const 2))
(assert_return (invoke $a "load" (i32.const 65536)) (i32.const 0))
(assert_return (invoke $a "load" (i32.const 131068)) (i32.const 0))
(assert_trap (invoke $a "load" (i32.const 131069)) "out of bounds memory access")
(assert_return (invoke $b "store" (i32.const 131068) (i32.const 0x12345678)))
(assert_return (invoke $a "load" (i32.const 131068)) (i32.const 0x12345678))
(assert_trap (invoke $b "store" (i32.const 131069) (i32.const -1)) "out of bounds memory access")
(assert_return (invoke $a "load" (i32.const 131068)) (i32.const 0x12345678))
;; at the maximum (2): grow fails through either importer
(assert_return (invoke $a "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke $b "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke $a "grow" (i32.const 0)) (i32.const 2))
;; a segment ending exactly at the new len instantiates
(module (import "spectest" "memory" (memory 2 2)) (data (i32.const 131070) "\e1\e2"))
(assert_return (invoke $a "load" (i32.const 131068)) (i32.const 0xe2e15678))
;; declarations are matched against the current size (2) and the maximum (2)
(assert_unlinkable (module (import "spectest" "memory" (memory 3))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "memory" (memory 1 1))) "incompatible import type")
(module (import "spectest" "memory" (memory 0)))
