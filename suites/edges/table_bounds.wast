;; table.get/set/fill/copy/grow at the end of a funcref table: index size-1 works, size and
;; past trap, fills and copies of length 0 at exactly the size succeed and one past traps,
;; overlapping copies move every entry in both directions, and grow stops at the maximum.
;;
;; Why: a table is bounds-checked by hand in every engine (no guard pages), with the same
;; off-by-one, wrap and zero-length classes as memory. Entries are observed through
;; call_indirect, so a wrong entry shows as a wrong number, a null as a trap.
(module
  (type $v (func (result i32)))
  (table $t 4 6 funcref)
  (elem (table $t) (i32.const 0) func $f10 $f11 $f12 $f13)
  (func $f10 (result i32) (i32.const 10))
  (func $f11 (result i32) (i32.const 11))
  (func $f12 (result i32) (i32.const 12))
  (func $f13 (result i32) (i32.const 13))
  (func $f99 (result i32) (i32.const 99))
  (elem declare func $f99)
  (func (export "at") (param i32) (result i32) (call_indirect $t (type $v) (local.get 0)))
  (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  ;; set entry $i to $f99 (which = 1), to null (which = 0) or to the entry at $j (which = 2)
  (func (export "set") (param $i i32) (param $which i32) (param $j i32)
    (table.set $t (local.get $i)
      (if (result funcref) (i32.eq (local.get $which) (i32.const 1))
        (then (ref.func $f99))
        (else
          (if (result funcref) (i32.eq (local.get $which) (i32.const 2))
            (then (table.get $t (local.get $j)))
            (else (ref.null func))))))
  )
  (func (export "fill99") (param i32 i32) (table.fill $t (local.get 0) (ref.func $f99) (local.get 1)))
  (func (export "copy") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "size") (result i32) (table.size $t))
)

;; get and set at the boundary
(assert_return (invoke "at" (i32.const 3)) (i32.const 13))
(assert_return (invoke "is_null" (i32.const 3)) (i32.const 0))
(assert_trap (invoke "is_null" (i32.const 4)) "out of bounds table access")
(assert_trap (invoke "is_null" (i32.const 5)) "out of bounds table access")
(assert_trap (invoke "is_null" (i32.const 0xffffffff)) "out of bounds table access")
(assert_trap (invoke "at" (i32.const 4)) "undefined element")
(assert_return (invoke "set" (i32.const 3) (i32.const 1) (i32.const 0)))
(assert_return (invoke "at" (i32.const 3)) (i32.const 99))
(assert_trap (invoke "set" (i32.const 4) (i32.const 1) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke "set" (i32.const 0xffffffff) (i32.const 1) (i32.const 0)) "out of bounds table access")
(assert_return (invoke "set" (i32.const 3) (i32.const 2) (i32.const 0)))
(assert_return (invoke "at" (i32.const 3)) (i32.const 10))
(assert_return (invoke "set" (i32.const 3) (i32.const 0) (i32.const 0)))
(assert_return (invoke "is_null" (i32.const 3)) (i32.const 1))
(assert_trap (invoke "at" (i32.const 3)) "uninitialized element")
(assert_return (invoke "set" (i32.const 3) (i32.const 2) (i32.const 2)))
(assert_return (invoke "at" (i32.const 3)) (i32.const 12))

;; fill: length 0 at the size works, at size+1 traps; a fill past the end writes nothing
(assert_return (invoke "fill99" (i32.const 4) (i32.const 0)))
(assert_trap (invoke "fill99" (i32.const 5) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke "fill99" (i32.const 2) (i32.const 3)) "out of bounds table access")
(assert_trap (invoke "fill99" (i32.const 0) (i32.const 0xffffffff)) "out of bounds table access")
(assert_return (invoke "at" (i32.const 0)) (i32.const 10))
(assert_return (invoke "at" (i32.const 1)) (i32.const 11))
(assert_return (invoke "at" (i32.const 2)) (i32.const 12))
(assert_return (invoke "at" (i32.const 3)) (i32.const 12))
(assert_return (invoke "fill99" (i32.const 3) (i32.const 1)))
(assert_return (invoke "at" (i32.const 3)) (i32.const 99))
(assert_return (invoke "at" (i32.const 2)) (i32.const 12))

;; restore 10 11 12 13
(assert_return (invoke "set" (i32.const 3) (i32.const 2) (i32.const 2)))
(assert_return (invoke "set" (i32.const 2) (i32.const 2) (i32.const 1)))
(assert_return (invoke "set" (i32.const 1) (i32.const 2) (i32.const 0)))
(assert_return (invoke "set" (i32.const 0) (i32.const 1) (i32.const 0)))
;; now 99 10 11 12

;; copy: length 0 at the size works, past it traps; an out-of-range copy writes nothing
(assert_return (invoke "copy" (i32.const 4) (i32.const 0) (i32.const 0)))
(assert_return (invoke "copy" (i32.const 0) (i32.const 4) (i32.const 0)))
(assert_trap (invoke "copy" (i32.const 5) (i32.const 0) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 5) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke "copy" (i32.const 2) (i32.const 0) (i32.const 3)) "out of bounds table access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 2) (i32.const 3)) "out of bounds table access")
(assert_return (invoke "at" (i32.const 0)) (i32.const 99))
(assert_return (invoke "at" (i32.const 1)) (i32.const 10))
(assert_return (invoke "at" (i32.const 2)) (i32.const 11))
(assert_return (invoke "at" (i32.const 3)) (i32.const 12))

;; overlapping copy towards the end: 99 10 11 12 -> 99 99 10 11
(assert_return (invoke "copy" (i32.const 1) (i32.const 0) (i32.const 3)))
(assert_return (invoke "at" (i32.const 0)) (i32.const 99))
(assert_return (invoke "at" (i32.const 1)) (i32.const 99))
(assert_return (invoke "at" (i32.const 2)) (i32.const 10))
(assert_return (invoke "at" (i32.const 3)) (i32.const 11))
;; overlapping copy towards the start: 99 99 10 11 -> 99 10 11 11
(assert_return (invoke "copy" (i32.const 0) (i32.const 1) (i32.const 3)))
(assert_return (invoke "at" (i32.const 0)) (i32.const 99))
(assert_return (invoke "at" (i32.const 1)) (i32.const 10))
(assert_return (invoke "at" (i32.const 2)) (i32.const 11))
(assert_return (invoke "at" (i32.const 3)) (i32.const 11))

;; grow up to the maximum of 6 and no further; new entries are null
(assert_return (invoke "grow" (i32.const 0)) (i32.const 4))
(assert_return (invoke "grow" (i32.const 3)) (i32.const -1))
(assert_return (invoke "size") (i32.const 4))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 4))
(assert_return (invoke "size") (i32.const 5))
(assert_return (invoke "is_null" (i32.const 4)) (i32.const 1))
(assert_trap (invoke "is_null" (i32.const 5)) "out of bounds table access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const 5))
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 0xffffffff)) (i32.const -1))
(assert_return (invoke "size") (i32.const 6))
(assert_return (invoke "is_null" (i32.const 5)) (i32.const 1))
(assert_trap (invoke "is_null" (i32.const 6)) "out of bounds table access")
(assert_return (invoke "fill99" (i32.const 6) (i32.const 0)))
(assert_return (invoke "fill99" (i32.const 4) (i32.const 2)))
(assert_return (invoke "at" (i32.const 5)) (i32.const 99))
(assert_return (invoke "at" (i32.const 3)) (i32.const 11))
