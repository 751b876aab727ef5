;; memory64 (issue 12): i64 addresses and 64-bit static offsets near 2^32, 2^48 and 2^64-1 on a
;; one-page memory, and `addr + offset` sums that overflow 2^64.
;;
;; Why: the effective address of a memory64 access is addr + offset computed WITHOUT wrapping,
;; a 65-bit value; an access traps unless ea + size <= len. An engine that adds in 64-bit
;; modular arithmetic turns (2^64 - 8) + offset 8 into address 0 and silently reads or writes
;; the first bytes (byte 0 holds 0xaa so a wrapped load shows it; stores into it are read back).
;; Offsets near 2^32 are where redzone:guard's guard region stops covering the static offset
;; (it covers offsets below 2^32 with one compare of the address), 2^48 is the top of the
;; memory64 page index space in bytes' terms, and 2^64-1 is the largest offset. In-bounds
;; accesses at len-8 .. len-1 (with and without an offset) check that the bound is exact.
;; wasmer 7.4.2 runs without memory64: its failures here are recorded expectations.
(module
  (memory (export "memory") i64 1 1)
  (data (i64.const 0) "\aa\bb\cc\dd")
  (data (i64.const 65528) "\01\02\03\04\05\06\07\08")
  (func (export "ld8") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "ld64") (param i64) (result i64) (i64.load (local.get 0)))
  (func (export "ld8 offset=8") (param i64) (result i32) (i32.load8_u offset=8 (local.get 0)))
  (func (export "ld8 offset=2^32-1") (param i64) (result i32) (i32.load8_u offset=0xffffffff (local.get 0)))
  (func (export "ld8 offset=2^32") (param i64) (result i32) (i32.load8_u offset=0x100000000 (local.get 0)))
  (func (export "ld8 offset=2^48") (param i64) (result i32) (i32.load8_u offset=0x1000000000000 (local.get 0)))
  (func (export "ld8 offset=2^64-1") (param i64) (result i32)
    (i32.load8_u offset=0xffffffffffffffff (local.get 0)))
  (func (export "ld64 offset=0x1fff8") (param i64) (result i64) (i64.load offset=0x1fff8 (local.get 0)))
  (func (export "st32 offset=4") (param i64 i32) (i32.store offset=4 (local.get 0) (local.get 1)))
  (func (export "st8 offset=2^64-1") (param i64 i32)
    (i32.store8 offset=0xffffffffffffffff (local.get 0) (local.get 1)))
  (func (export "st64 offset=2^32") (param i64 i64) (i64.store offset=0x100000000 (local.get 0) (local.get 1)))
)

;; In bounds, up to the last byte.
(assert_return (invoke "ld8" (i64.const 0)) (i32.const 0xaa))
(assert_return (invoke "ld64" (i64.const 65528)) (i64.const 0x0807060504030201))
(assert_return (invoke "ld8" (i64.const 65535)) (i32.const 0x08))
(assert_return (invoke "ld8 offset=8" (i64.const 65527)) (i32.const 0x08))
;; ea = 0x1fff8 + (2^64 - 0x20000) = 2^64 - 8: far out of bounds, no overflow.
(assert_trap (invoke "ld64 offset=0x1fff8" (i64.const -0x20000)) "out of bounds memory access")

;; One past the end, and addresses at 2^32, 2^48 and 2^64-1.
(assert_trap (invoke "ld64" (i64.const 65529)) "out of bounds memory access")
(assert_trap (invoke "ld8" (i64.const 65536)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=8" (i64.const 65528)) "out of bounds memory access")
(assert_trap (invoke "ld8" (i64.const 0xffffffff)) "out of bounds memory access")
(assert_trap (invoke "ld8" (i64.const 0x100000000)) "out of bounds memory access")
(assert_trap (invoke "ld8" (i64.const 0x1000000000000)) "out of bounds memory access")
(assert_trap (invoke "ld8" (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "ld64" (i64.const -8)) "out of bounds memory access")

;; Static offsets at 2^32-1, 2^32, 2^48 and 2^64-1 from address 0 and from the last byte.
(assert_trap (invoke "ld8 offset=2^32-1" (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=2^32-1" (i64.const 65535)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=2^32" (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=2^32" (i64.const 65535)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=2^48" (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=2^48" (i64.const 0xffff000000000000)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=2^64-1" (i64.const 0)) "out of bounds memory access")

;; addr + offset = 2^64 + k: wrapped, these would be bytes 0..7 (or 0xfff8), all in bounds.
(assert_trap (invoke "ld8 offset=2^64-1" (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=2^64-1" (i64.const 4)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=8" (i64.const -8)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=8" (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=2^32" (i64.const 0xffffffff00000000)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=2^48" (i64.const 0xffff000000000001)) "out of bounds memory access")
(assert_trap (invoke "ld64 offset=0x1fff8" (i64.const -0x10000)) "out of bounds memory access")

;; Stores whose sum overflows write nothing: byte 0..3 keep their bytes.
(assert_trap (invoke "st32 offset=4" (i64.const -4) (i32.const 0x11223344)) "out of bounds memory access")
(assert_trap (invoke "st8 offset=2^64-1" (i64.const 1) (i32.const 0x55)) "out of bounds memory access")
(assert_trap (invoke "st8 offset=2^64-1" (i64.const 3) (i32.const 0x55)) "out of bounds memory access")
(assert_trap (invoke "st64 offset=2^32" (i64.const 0xffffffff00000000) (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "st64 offset=2^32" (i64.const 0) (i64.const -1)) "out of bounds memory access")
(assert_return (invoke "ld8" (i64.const 0)) (i32.const 0xaa))
(assert_return (invoke "ld64" (i64.const 0)) (i64.const 0xddccbbaa))

;; A store straddling the end writes nothing; one that fits writes its 4 bytes.
(assert_trap (invoke "st32 offset=4" (i64.const 65529) (i32.const 0x11223344)) "out of bounds memory access")
(assert_return (invoke "ld64" (i64.const 65528)) (i64.const 0x0807060504030201))
(invoke "st32 offset=4" (i64.const 65528) (i32.const 0x11223344))
(assert_return (invoke "ld64" (i64.const 65528)) (i64.const 0x1122334404030201))
