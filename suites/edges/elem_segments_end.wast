;; Active element segments at the end of an imported table: a segment ending exactly at the
;; size fits, one entry past traps at instantiation and writes nothing of that segment, an
;; empty segment at the size fits; a passive segment's table.init at the end, and after
;; elem.drop only length 0 works.
;;
;; Why: element segments are bounds-checked by hand at instantiation, with the same
;; off-by-one and partial-write classes as data segments. The table is imported, so what a
;; failed instantiation did or did not write stays observable through the exporter.
(module $A
  (type $v (func (result i32)))
  (table $t (export "t") 4 funcref)
  (func $f7 (result i32) (i32.const 7))
  (elem (table $t) (i32.const 0) func $f7)
  (func (export "at") (param i32) (result i32) (call_indirect $t (type $v) (local.get 0)))
  (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
)
(register "A" $A)

;; a segment that ends exactly at the end of the table
(module $B
  (import "A" "t" (table $t 4 funcref))
  (func $f20 (result i32) (i32.const 20))
  (func $f21 (result i32) (i32.const 21))
  (elem (table $t) (i32.const 2) func $f20 $f21)
)
(assert_return (invoke $A "at" (i32.const 0)) (i32.const 7))
(assert_return (invoke $A "is_null" (i32.const 1)) (i32.const 1))
(assert_return (invoke $A "at" (i32.const 2)) (i32.const 20))
(assert_return (invoke $A "at" (i32.const 3)) (i32.const 21))

;; one entry past the end: the instantiation traps and this segment writes nothing
(assert_trap
  (module
    (import "A" "t" (table $t 4 funcref))
    (func $f30 (result i32) (i32.const 30))
    (func $f31 (result i32) (i32.const 31))
    (elem (table $t) (i32.const 3) func $f30 $f31)
  )
  "out of bounds table access"
)
(assert_return (invoke $A "at" (i32.const 3)) (i32.const 21))
(assert_trap
  (module
    (import "A" "t" (table $t 4 funcref))
    (func $f40 (result i32) (i32.const 40))
    (elem (table $t) (i32.const 1) func $f40 $f40 $f40 $f40)
  )
  "out of bounds table access"
)
(assert_return (invoke $A "is_null" (i32.const 1)) (i32.const 1))
(assert_return (invoke $A "at" (i32.const 2)) (i32.const 20))
(assert_trap
  (module
    (import "A" "t" (table $t 4 funcref))
    (func $f50 (result i32) (i32.const 50))
    (elem (table $t) (i32.const 5) func)
  )
  "out of bounds table access"
)
(assert_trap
  (module
    (import "A" "t" (table $t 4 funcref))
    (func $f60 (result i32) (i32.const 60))
    (elem (table $t) (i32.const 0xffffffff) func $f60)
  )
  "out of bounds table access"
)
(assert_return (invoke $A "at" (i32.const 0)) (i32.const 7))

;; an empty segment at exactly the size fits
(module $E
  (import "A" "t" (table $t 4 funcref))
  (elem (table $t) (i32.const 4) func)
)
(assert_return (invoke $A "at" (i32.const 3)) (i32.const 21))

;; a passive segment: table.init up to the end, then after elem.drop only length 0
(module $C
  (type $v (func (result i32)))
  (import "A" "t" (table $t 4 funcref))
  (func $f80 (result i32) (i32.const 80))
  (func $f81 (result i32) (i32.const 81))
  (func $f82 (result i32) (i32.const 82))
  (elem $p func $f80 $f81 $f82)
  (func (export "init") (param i32 i32 i32) (table.init $t $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (elem.drop $p))
)
(assert_return (invoke $C "init" (i32.const 1) (i32.const 0) (i32.const 3)))
(assert_return (invoke $A "at" (i32.const 1)) (i32.const 80))
(assert_return (invoke $A "at" (i32.const 2)) (i32.const 81))
(assert_return (invoke $A "at" (i32.const 3)) (i32.const 82))
(assert_return (invoke $C "init" (i32.const 4) (i32.const 3) (i32.const 0)))
(assert_trap (invoke $C "init" (i32.const 5) (i32.const 0) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke $C "init" (i32.const 0) (i32.const 4) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke $C "init" (i32.const 2) (i32.const 0) (i32.const 3)) "out of bounds table access")
(assert_trap (invoke $C "init" (i32.const 0) (i32.const 1) (i32.const 3)) "out of bounds table access")
(assert_return (invoke $A "at" (i32.const 0)) (i32.const 7))
(assert_return (invoke $C "init" (i32.const 0) (i32.const 2) (i32.const 1)))
(assert_return (invoke $A "at" (i32.const 0)) (i32.const 82))
(assert_return (invoke $C "drop"))
(assert_return (invoke $C "init" (i32.const 4) (i32.const 0) (i32.const 0)))
(assert_return (invoke $C "init" (i32.const 0) (i32.const 0) (i32.const 0)))
(assert_trap (invoke $C "init" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds table access")
(assert_trap (invoke $C "init" (i32.const 0) (i32.const 1) (i32.const 0)) "out of bounds table access")
(assert_return (invoke $A "at" (i32.const 0)) (i32.const 82))
(assert_return (invoke $A "at" (i32.const 1)) (i32.const 80))
