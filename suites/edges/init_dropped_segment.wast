;; memory.init from a dropped passive segment: a dropped segment has length 0, so only
;; length-0 inits with source offset 0 succeed (still subject to d <= len), everything else traps.
;;
;; Why: data.drop frees the segment; after it memory.init must behave as if the segment were
;; empty, not read freed bytes, not keep the old contents, and not fail on a length 0 at
;; offset 0 either. Dropping twice is allowed. Another, undropped segment is unaffected.
(module
  (memory 1)
  (data $one "\a1\a2\a3\a4")
  (data $two "\b1\b2")
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "init1") (param i32 i32 i32) (memory.init $one (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init2") (param i32 i32 i32) (memory.init $two (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop1") (data.drop $one))
)

;; before the drop: the segment works, at the end of memory too
(assert_return (invoke "init1" (i32.const 0xfffc) (i32.const 0x0) (i32.const 0x4)))
(assert_return (invoke "init1" (i32.const 0x0) (i32.const 0x1) (i32.const 0x3)))
(assert_trap (invoke "init1" (i32.const 0xfffd) (i32.const 0x0) (i32.const 0x4)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 0x0)) (i32.const 0xa2))
(assert_return (invoke "byte" (i32.const 0x1)) (i32.const 0xa3))
(assert_return (invoke "byte" (i32.const 0x2)) (i32.const 0xa4))
(assert_return (invoke "byte" (i32.const 0x3)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffc)) (i32.const 0xa1))
(assert_return (invoke "byte" (i32.const 0xfffd)) (i32.const 0xa2))
(assert_return (invoke "byte" (i32.const 0xfffe)) (i32.const 0xa3))
(assert_return (invoke "byte" (i32.const 0xffff)) (i32.const 0xa4))

;; drop; then only length 0 at source offset 0 works
(assert_return (invoke "drop1"))
(assert_return (invoke "init1" (i32.const 0x0) (i32.const 0x0) (i32.const 0x0)))
(assert_return (invoke "init1" (i32.const 0x10000) (i32.const 0x0) (i32.const 0x0)))
(assert_trap (invoke "init1" (i32.const 0x10001) (i32.const 0x0) (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "init1" (i32.const 0x0) (i32.const 0x1) (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "init1" (i32.const 0x0) (i32.const 0x4) (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "init1" (i32.const 0x0) (i32.const 0x0) (i32.const 0x1)) "out of bounds memory access")
(assert_trap (invoke "init1" (i32.const 0x0) (i32.const 0x0) (i32.const 0x4)) "out of bounds memory access")
(assert_trap (invoke "init1" (i32.const 0xfffc) (i32.const 0x0) (i32.const 0x4)) "out of bounds memory access")
(assert_trap (invoke "init1" (i32.const 0xffffffff) (i32.const 0x0) (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "init1" (i32.const 0x0) (i32.const 0xffffffff) (i32.const 0x0)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 0x0)) (i32.const 0xa2))
(assert_return (invoke "byte" (i32.const 0x1)) (i32.const 0xa3))
(assert_return (invoke "byte" (i32.const 0x2)) (i32.const 0xa4))
(assert_return (invoke "byte" (i32.const 0x3)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffc)) (i32.const 0xa1))
(assert_return (invoke "byte" (i32.const 0xfffd)) (i32.const 0xa2))
(assert_return (invoke "byte" (i32.const 0xfffe)) (i32.const 0xa3))
(assert_return (invoke "byte" (i32.const 0xffff)) (i32.const 0xa4))

;; dropping again is fine; the other segment still works
(assert_return (invoke "drop1"))
(assert_return (invoke "init2" (i32.const 0xfffe) (i32.const 0x0) (i32.const 0x2)))
(assert_trap (invoke "init2" (i32.const 0xffff) (i32.const 0x0) (i32.const 0x2)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 0x0)) (i32.const 0xa2))
(assert_return (invoke "byte" (i32.const 0x1)) (i32.const 0xa3))
(assert_return (invoke "byte" (i32.const 0x2)) (i32.const 0xa4))
(assert_return (invoke "byte" (i32.const 0x3)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffc)) (i32.const 0xa1))
(assert_return (invoke "byte" (i32.const 0xfffd)) (i32.const 0xa2))
(assert_return (invoke "byte" (i32.const 0xfffe)) (i32.const 0xb1))
(assert_return (invoke "byte" (i32.const 0xffff)) (i32.const 0xb2))
