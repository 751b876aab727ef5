;; memory.grow up to the declared maximum, past it, and access after growing.
;;
;; Checks: grow returns the old size in pages, or -1 past the maximum (3 pages here) or for a
;; huge delta, and a failed grow changes nothing; the new pages are zeroed and accessible right
;; away, the new end is the new bound (len-1 works, len traps), and old contents stay.
(module
  (memory 1 3)
  (data (i32.const 65535) "\7f")
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
)

(assert_trap (invoke "load8" (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 0)) (i32.const 1))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke "size") (i32.const 2))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0x7f))
(assert_return (invoke "load8" (i32.const 65536)) (i32.const 0))
(assert_return (invoke "load64" (i32.const 131064)) (i64.const 0))
(assert_trap (invoke "load64" (i32.const 131065)) "out of bounds memory access")
(assert_trap (invoke "load8" (i32.const 131072)) "out of bounds memory access")
(assert_return (invoke "store8" (i32.const 131071) (i32.const 9)))
(assert_return (invoke "load8" (i32.const 131071)) (i32.const 9))

;; past the maximum: -1, and nothing changes.
(assert_return (invoke "grow" (i32.const 2)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 0x10000)) (i32.const -1))
(assert_return (invoke "grow" (i32.const -1)) (i32.const -1))
(assert_return (invoke "size") (i32.const 2))
(assert_trap (invoke "load8" (i32.const 131072)) "out of bounds memory access")

;; exactly to the maximum, then not one page more.
(assert_return (invoke "grow" (i32.const 1)) (i32.const 2))
(assert_return (invoke "size") (i32.const 3))
(assert_return (invoke "load8" (i32.const 196607)) (i32.const 0))
(assert_trap (invoke "load8" (i32.const 196608)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 0)) (i32.const 3))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0x7f))
(assert_return (invoke "load8" (i32.const 131071)) (i32.const 9))

;; without a declared maximum, the 32-bit limit (65536 pages) still caps growth.
(module
  (memory 0)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
(assert_return (invoke "grow" (i32.const 0x10001)) (i32.const -1))
(assert_return (invoke "grow" (i32.const -1)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 0)) (i32.const 0))
