;; One exported memory, two importing instances and the exporter: writes at the end by one
;; are read by the others, a grow by any of them is seen by all, and a trap in one instance
;; leaves the memory as the others expect.
;;
;; Why: with several instances on one memory there are several places an engine could cache
;; the base and the length (one per instance, or per compiled function). All must follow the
;; single memory: after the second importer grows it, the first importer and the exporter
;; must be able to access the new page at once, and the byte after the new end must trap
;; everywhere. The exporter starts with 0 pages, so nothing can be accessed until a grow.
(module $E
  (memory (export "mem") 0 4)
  (func (export "size") (result i32) (memory.size))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
(register "E" $E)
(module $A
  (import "E" "mem" (memory 0 4))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
)
(module $B
  (import "E" "mem" (memory 0))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "size") (result i32) (memory.size))
)

;; 0 pages: nothing is accessible from anywhere; zero-length fill at 0 (= len) is fine
(assert_trap (invoke $E "load8" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke $A "load32" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke $B "load32" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke $B "fill" (i32.const 0) (i32.const 1) (i32.const 0)))
(assert_trap (invoke $B "fill" (i32.const 0) (i32.const 1) (i32.const 1)) "out of bounds memory access")

;; A grows to 1 page; B and E see it
(assert_return (invoke $A "grow" (i32.const 1)) (i32.const 0))
(assert_return (invoke $B "size") (i32.const 1))
(assert_return (invoke $A "store32" (i32.const 65532) (i32.const 0x0a0b0c0d)))
(assert_return (invoke $B "load32" (i32.const 65532)) (i32.const 0x0a0b0c0d))
(assert_return (invoke $E "load8" (i32.const 65535)) (i32.const 0x0a))
(assert_trap (invoke $E "load8" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke $B "load32" (i32.const 65533)) "out of bounds memory access")

;; B fills across the end: traps, nothing written (A still reads its value)
(assert_trap (invoke $B "fill" (i32.const 65530) (i32.const 0xee) (i32.const 7)) "out of bounds memory access")
(assert_return (invoke $A "load32" (i32.const 65532)) (i32.const 0x0a0b0c0d))
(assert_return (invoke $E "load8" (i32.const 65530)) (i32.const 0))

;; B grows by 2; A stores across the old end at once, E reads it
(assert_return (invoke $B "grow" (i32.const 2)) (i32.const 1))
(assert_return (invoke $E "size") (i32.const 3))
(assert_return (invoke $A "store32" (i32.const 65534) (i32.const 0x44332211)))
(assert_return (invoke $E "load8" (i32.const 65535)) (i32.const 0x22))
(assert_return (invoke $E "load8" (i32.const 65536)) (i32.const 0x33))
(assert_return (invoke $A "store32" (i32.const 196604) (i32.const 0x7f000001)))
(assert_return (invoke $B "load32" (i32.const 196604)) (i32.const 0x7f000001))
(assert_trap (invoke $A "store32" (i32.const 196605) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke $E "load8" (i32.const 196607)) (i32.const 0x7f))
(assert_trap (invoke $E "load8" (i32.const 196608)) "out of bounds memory access")
(assert_return (invoke $B "fill" (i32.const 196608) (i32.const 1) (i32.const 0)))
(assert_trap (invoke $B "fill" (i32.const 196609) (i32.const 1) (i32.const 0)) "out of bounds memory access")

;; the maximum (4 pages) applies whichever instance grows: 3 + 2 fails, 3 + 1 succeeds, then 4 + 1 fails
(assert_return (invoke $B "grow" (i32.const 2)) (i32.const -1))
(assert_return (invoke $A "grow" (i32.const 1)) (i32.const 3))
(assert_return (invoke $B "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke $E "size") (i32.const 4))
(assert_return (invoke $B "load32" (i32.const 262140)) (i32.const 0))
(assert_trap (invoke $A "load32" (i32.const 262141)) "out of bounds memory access")
