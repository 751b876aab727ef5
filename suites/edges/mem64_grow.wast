;; memory64 (issue 12): memory.grow with i64 deltas past 2^48 bytes (2^32 pages), past the
;; 2^48-page index space and of -1 (2^64-1 pages) must return -1 and change nothing; growth
;; within the maximum returns the old size, keeps the old bytes and zeroes the new page.
;;
;; Why: an engine that converts the i64 delta to 32 bits, multiplies pages by 65536 in 64-bit
;; modular arithmetic (2^48 pages * 2^16 = 0 bytes) or adds the delta to the old size without
;; an overflow check grows by a wrong amount, "succeeds" with 0 new bytes, or tries to map
;; petabytes and crashes. The first module declares a maximum of 4 pages, so every failure is
;; certain; the second declares none, and asks only for deltas beyond the 2^48-page limit (a
;; grow of 2^32 pages there could fail or succeed by host resources, which is not a bug).
;; wasmer 7.4.2 runs without memory64: its failures here are recorded expectations.
(module
  (memory (export "memory") i64 1 4)
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "size") (result i64) (memory.size))
  (func (export "ld8") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "st8") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
)
(invoke "st8" (i64.const 65535) (i32.const 7))
(assert_return (invoke "grow" (i64.const 0x100000000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0x100000001)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0xffffffff)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0x1000000000000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0x8000000000000000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 4)) (i64.const -1))
(assert_return (invoke "size") (i64.const 1))
(assert_trap (invoke "ld8" (i64.const 65536)) "out of bounds memory access")
(assert_return (invoke "grow" (i64.const 1)) (i64.const 1))
(assert_return (invoke "ld8" (i64.const 65535)) (i32.const 7))
(assert_return (invoke "ld8" (i64.const 65536)) (i32.const 0))
(assert_return (invoke "ld8" (i64.const 131071)) (i32.const 0))
(assert_trap (invoke "ld8" (i64.const 131072)) "out of bounds memory access")
(assert_return (invoke "grow" (i64.const 3)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 2)) (i64.const 2))
(assert_return (invoke "size") (i64.const 4))
(assert_return (invoke "grow" (i64.const 0)) (i64.const 4))
(assert_return (invoke "grow" (i64.const 1)) (i64.const -1))
(assert_return (invoke "ld8" (i64.const 262143)) (i32.const 0))
(assert_trap (invoke "ld8" (i64.const 262144)) "out of bounds memory access")

(module
  (memory i64 0)
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "size") (result i64) (memory.size))
)
(assert_return (invoke "grow" (i64.const 0x1000000000001)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0x0001000000010000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0xffff000000000000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0x8000000000000000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "size") (i64.const 0))
(assert_return (invoke "grow" (i64.const 1)) (i64.const 0))
(assert_return (invoke "grow" (i64.const 0x1000000000000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "size") (i64.const 1))
