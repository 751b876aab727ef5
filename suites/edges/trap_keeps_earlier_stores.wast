;; A trap does not undo the stores that happened before it: a byte loop running off the end
;; leaves every in-bounds byte written, whereas memory.fill over the same range writes nothing.
;;
;; Why: the "no partial write" rule is per instruction. Stores completed before the trapping
;; instruction stay, in the same call; the instance remains usable after the trap. An engine
;; that snapshots and restores memory on trap, or that writes the trapping store partially,
;; differs here. "spray" writes byte i = v at a, a+1, ... for n bytes with i32.store8 in a loop.
(module
  (memory 1)
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "spray") (param $a i32) (param $v i32) (param $n i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (i32.add (local.get $a) (local.get $i)) (i32.add (local.get $v) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  (func (export "two_stores") (param $a i32) (param $b i32)
    (i32.store (local.get $a) (i32.const 0x44332211))
    (i64.store (local.get $b) (i64.const -1)))
)

;; memory.fill of 8 bytes at len-4: traps, writes nothing
(assert_trap (invoke "fill" (i32.const 0xfffc) (i32.const 0x77) (i32.const 0x8)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 0xfff8)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfff9)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffa)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffb)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffc)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffd)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffe)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xffff)) (i32.const 0x0))

;; the same range byte by byte: the 4 in-bounds bytes are written, then the fifth store traps
(assert_trap (invoke "spray" (i32.const 0xfffc) (i32.const 0x50) (i32.const 0x8)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 0xfff8)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfff9)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffa)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffb)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffc)) (i32.const 0x50))
(assert_return (invoke "byte" (i32.const 0xfffd)) (i32.const 0x51))
(assert_return (invoke "byte" (i32.const 0xfffe)) (i32.const 0x52))
(assert_return (invoke "byte" (i32.const 0xffff)) (i32.const 0x53))

;; two stores in one call: the first (in bounds) stays, the second (straddling) writes nothing
(assert_trap (invoke "two_stores" (i32.const 0xfff4) (i32.const 0xfffa)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 0xfff4)) (i32.const 0x11))
(assert_return (invoke "byte" (i32.const 0xfff5)) (i32.const 0x22))
(assert_return (invoke "byte" (i32.const 0xfff6)) (i32.const 0x33))
(assert_return (invoke "byte" (i32.const 0xfff7)) (i32.const 0x44))
(assert_return (invoke "byte" (i32.const 0xfff8)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfff9)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffa)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffb)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffc)) (i32.const 0x50))
(assert_return (invoke "byte" (i32.const 0xfffd)) (i32.const 0x51))
(assert_return (invoke "byte" (i32.const 0xfffe)) (i32.const 0x52))
(assert_return (invoke "byte" (i32.const 0xffff)) (i32.const 0x53))

;; the instance still works after the traps
(assert_return (invoke "spray" (i32.const 0xfffe) (i32.const 0x60) (i32.const 0x2)))
(assert_return (invoke "byte" (i32.const 0xfff8)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfff9)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffa)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffb)) (i32.const 0x0))
(assert_return (invoke "byte" (i32.const 0xfffc)) (i32.const 0x50))
(assert_return (invoke "byte" (i32.const 0xfffd)) (i32.const 0x51))
(assert_return (invoke "byte" (i32.const 0xfffe)) (i32.const 0x60))
(assert_return (invoke "byte" (i32.const 0xffff)) (i32.const 0x61))
