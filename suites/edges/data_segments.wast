;; Active data segments that end exactly at len and one byte past it, with a shared memory.
;;
;; Checks: a segment ending exactly at len (65536) instantiates; one ending one byte past
;; makes instantiation trap with "out of bounds memory access"; segments are applied in order,
;; so with an imported (shared) memory the segments before the failing one stay written and the
;; failing one writes nothing, as the spec requires since bulk memory.
(module $M
  (memory (export "mem") 1)
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
(register "M" $M)

(module (memory (import "M" "mem") 1) (data (i32.const 65535) "\01"))
(assert_return (invoke $M "load8" (i32.const 65535)) (i32.const 1))
(module (memory (import "M" "mem") 1) (data (i32.const 65528) "\01\02\03\04\05\06\07\08"))
(assert_return (invoke $M "load8" (i32.const 65528)) (i32.const 1))

(assert_trap
  (module
    (memory (import "M" "mem") 1)
    (data (i32.const 0) "\aa")
    (data (i32.const 65529) "\bb\bb\bb\bb\bb\bb\bb\bb")
    (data (i32.const 1) "\cc"))
  "out of bounds memory access")
;; The first segment was written, the failing one wrote nothing, the third never ran.
(assert_return (invoke $M "load8" (i32.const 0)) (i32.const 0xaa))
(assert_return (invoke $M "load8" (i32.const 65529)) (i32.const 2))
(assert_return (invoke $M "load8" (i32.const 1)) (i32.const 0))

(assert_trap (module (memory (import "M" "mem") 1) (data (i32.const 65536) "\01")) "out of bounds memory access")
(assert_trap (module (memory (import "M" "mem") 1) (data (i32.const -1) "\01")) "out of bounds memory access")
(assert_trap (module (memory 1) (data (i32.const 65535) "\01\02")) "out of bounds memory access")
(module (memory 1) (data (i32.const 65536) ""))
