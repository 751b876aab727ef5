;; memory.grow with huge deltas on a memory with no maximum (memory 1): 0xFFFFFFFF, 0x80000000,
;; 0x10000, 0xFFFF; none can succeed, and each failure changes nothing.
;;
;; Why: the delta is an unsigned 32-bit number. Read as signed, 0xFFFFFFFF is -1 and
;; 0x80000000 is negative, so a careless engine "shrinks" the memory or succeeds with
;; old + delta wrapped. Without a declared maximum the limit is 65536 pages (4 GiB), so
;; 1 + 0xFFFF (= 65536 pages) is the first delta that is allowed in principle; it is not tried
;; (the host may legitimately refuse 4 GiB). After each failure: size 1, the last byte readable,
;; the byte after still trapping.
(module
  (memory 1)
  (data (i32.const 65535) "\5e")
  (func (export "i32.load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "i64.load") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
)
(assert_return (invoke "grow" (i32.const 0xffffffff)) (i32.const 0xffffffff))
(assert_return (invoke "size") (i32.const 0x1))
(assert_return (invoke "i32.load8_u" (i32.const 0xffff)) (i32.const 0x5e))
(assert_trap (invoke "i32.load8_u" (i32.const 0x10000)) "out of bounds memory access")
(assert_trap (invoke "i64.load" (i32.const 0xfff9)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 0xfffffffe)) (i32.const 0xffffffff))
(assert_return (invoke "size") (i32.const 0x1))
(assert_return (invoke "i32.load8_u" (i32.const 0xffff)) (i32.const 0x5e))
(assert_trap (invoke "i32.load8_u" (i32.const 0x10000)) "out of bounds memory access")
(assert_trap (invoke "i64.load" (i32.const 0xfff9)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 0x80000000)) (i32.const 0xffffffff))
(assert_return (invoke "size") (i32.const 0x1))
(assert_return (invoke "i32.load8_u" (i32.const 0xffff)) (i32.const 0x5e))
(assert_trap (invoke "i32.load8_u" (i32.const 0x10000)) "out of bounds memory access")
(assert_trap (invoke "i64.load" (i32.const 0xfff9)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 0x7fffffff)) (i32.const 0xffffffff))
(assert_return (invoke "size") (i32.const 0x1))
(assert_return (invoke "i32.load8_u" (i32.const 0xffff)) (i32.const 0x5e))
(assert_trap (invoke "i32.load8_u" (i32.const 0x10000)) "out of bounds memory access")
(assert_trap (invoke "i64.load" (i32.const 0xfff9)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 0x10001)) (i32.const 0xffffffff))
(assert_return (invoke "size") (i32.const 0x1))
(assert_return (invoke "i32.load8_u" (i32.const 0xffff)) (i32.const 0x5e))
(assert_trap (invoke "i32.load8_u" (i32.const 0x10000)) "out of bounds memory access")
(assert_trap (invoke "i64.load" (i32.const 0xfff9)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 0x10000)) (i32.const 0xffffffff))
(assert_return (invoke "size") (i32.const 0x1))
(assert_return (invoke "i32.load8_u" (i32.const 0xffff)) (i32.const 0x5e))
(assert_trap (invoke "i32.load8_u" (i32.const 0x10000)) "out of bounds memory access")
(assert_trap (invoke "i64.load" (i32.const 0xfff9)) "out of bounds memory access")

;; a small grow still works afterwards
(assert_return (invoke "grow" (i32.const 0x1)) (i32.const 0x1))
(assert_return (invoke "grow" (i32.const 0xffff)) (i32.const 0xffffffff))
(assert_return (invoke "size") (i32.const 0x2))
(assert_return (invoke "i64.load" (i32.const 0xfff9)) (i64.const 0x5e000000000000))
(assert_return (invoke "i64.load" (i32.const 0x1fff8)) (i64.const 0x0))
(assert_trap (invoke "i64.load" (i32.const 0x1fff9)) "out of bounds memory access")

;; a declared maximum of 65536 pages does not change it: 0xFFFFFFFF still fails
(module
  (memory 0 65536)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
)
(assert_return (invoke "grow" (i32.const 0xffffffff)) (i32.const 0xffffffff))
(assert_return (invoke "grow" (i32.const 0x80000000)) (i32.const 0xffffffff))
(assert_return (invoke "grow" (i32.const 0x10001)) (i32.const 0xffffffff))
(assert_return (invoke "grow" (i32.const 0x0)) (i32.const 0x0))
(assert_return (invoke "size") (i32.const 0x0))
