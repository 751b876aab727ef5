;; Static offsets near 2^16, 2^31 and 2^32-1, with dynamic addresses near len and near 2^32.
;;
;; Checks: the effective address is addr + offset computed WITHOUT wrapping (up to 2^33-2), so
;; an address near 2^32 plus any offset is out of bounds and never wraps around to a low,
;; in-bounds address; an access traps unless ea + size <= len (one page, 65536). Stores that
;; would wrap to address 0 if the sum were 32-bit must trap and leave byte 0 alone.
(module
  (memory 1)
  (data (i32.const 0) "\2a")
  (data (i32.const 65532) "\01\02\03\04")
  (func (export "ld_off_65532") (param i32) (result i32) (i32.load offset=65532 (local.get 0)))
  (func (export "ld_off_65535") (param i32) (result i32) (i32.load8_u offset=65535 (local.get 0)))
  (func (export "ld_off_65536") (param i32) (result i32) (i32.load8_u offset=65536 (local.get 0)))
  (func (export "ld_off_2p31") (param i32) (result i32) (i32.load8_u offset=2147483648 (local.get 0)))
  (func (export "ld_off_2p31m1") (param i32) (result i32) (i32.load offset=2147483647 (local.get 0)))
  (func (export "ld_off_max") (param i32) (result i32) (i32.load8_u offset=4294967295 (local.get 0)))
  (func (export "ld64_off_max") (param i32) (result i64) (i64.load offset=4294967295 (local.get 0)))
  (func (export "ld_off_1") (param i32) (result i32) (i32.load8_u offset=1 (local.get 0)))
  (func (export "ld_off_0") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "st_off_1") (param i32) (i32.store8 offset=1 (local.get 0) (i32.const 0xff)))
  (func (export "st32_off_4") (param i32) (i32.store offset=4 (local.get 0) (i32.const -1)))
  (func (export "st64_off_max") (param i32) (i64.store offset=4294967295 (local.get 0) (i64.const -1)))
  (func (export "byte0") (result i32) (i32.load8_u (i32.const 0)))
)

;; offset 65532: only address 0 fits a 4-byte load.
(assert_return (invoke "ld_off_65532" (i32.const 0)) (i32.const 0x04030201))
(assert_trap (invoke "ld_off_65532" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "ld_off_65532" (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "ld_off_65532" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "ld_off_65532" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "ld_off_65532" (i32.const -65532)) "out of bounds memory access")

;; offset 65535 / 65536 with a one-byte load.
(assert_return (invoke "ld_off_65535" (i32.const 0)) (i32.const 4))
(assert_trap (invoke "ld_off_65535" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "ld_off_65535" (i32.const -65535)) "out of bounds memory access")
(assert_trap (invoke "ld_off_65536" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "ld_off_65536" (i32.const -65536)) "out of bounds memory access")

;; offsets near 2^31: out of bounds for every address, including those that would bring a
;; wrapping 32-bit sum back to 0.
(assert_trap (invoke "ld_off_2p31" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "ld_off_2p31" (i32.const 0x80000000)) "out of bounds memory access")
(assert_trap (invoke "ld_off_2p31" (i32.const 0x7fffffff)) "out of bounds memory access")
(assert_trap (invoke "ld_off_2p31m1" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "ld_off_2p31m1" (i32.const 0x80000001)) "out of bounds memory access")

;; offset 2^32-1: ea runs from 2^32-1 to 2^33-2, never in bounds.
(assert_trap (invoke "ld_off_max" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "ld_off_max" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "ld_off_max" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "ld64_off_max" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "ld64_off_max" (i32.const -8)) "out of bounds memory access")

;; addresses near 2^32 with small offsets: 0xffffffff + 1 is 2^32, not 0.
(assert_trap (invoke "ld_off_0" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "ld_off_1" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "ld_off_1" (i32.const -2)) "out of bounds memory access")
(assert_return (invoke "ld_off_1" (i32.const 65534)) (i32.const 4))
(assert_trap (invoke "ld_off_1" (i32.const 65535)) "out of bounds memory access")

;; stores that a 32-bit wrap would send to address 0 trap and leave byte 0 (0x2a) alone.
(assert_trap (invoke "st_off_1" (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "byte0") (i32.const 0x2a))
(assert_trap (invoke "st32_off_4" (i32.const -4)) "out of bounds memory access")
(assert_trap (invoke "st32_off_4" (i32.const -8)) "out of bounds memory access")
(assert_return (invoke "byte0") (i32.const 0x2a))
(assert_trap (invoke "st64_off_max" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "st64_off_max" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "byte0") (i32.const 0x2a))
(assert_return (invoke "ld_off_65532" (i32.const 0)) (i32.const 0x04030201))
