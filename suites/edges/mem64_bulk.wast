;; memory64 (issue 12): memory.fill, memory.copy and memory.init with i64 operands at and across
;; `len`, near 2^32 and 2^48, and with destination or source + length past 2^64.
;;
;; Why: on a 64-bit memory, d + n (and s + n) is a 65-bit sum: an engine that adds in 64-bit
;; modular arithmetic accepts (2^64 - 4) + 8 as the in-bounds range 0..4, and one that
;; truncates operands to 32 bits accepts 2^32 as address 0. Bulk operations check the whole
;; range before writing anything, so every trapping operation here is followed by a read
;; showing the bytes it would have written unchanged; zero-length operations at exactly `len`
;; succeed and one byte past it trap. memory.init takes an i64 destination and i32 source and
;; length (the segment's index type).
;; wasmer 7.4.2 runs without memory64: its failures here are recorded expectations.
(module
  (memory (export "memory") i64 1 1)
  (data (i64.const 0) "\01\02\03\04")
  (data $p "\aa\bb\cc\dd")
  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i64 i32 i32) (memory.init $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "ld32") (param i64) (result i32) (i32.load (local.get 0)))
)

;; fill
(invoke "fill" (i64.const 65536) (i32.const 0xff) (i64.const 0))
(assert_trap (invoke "fill" (i64.const 65537) (i32.const 0xff) (i64.const 0)) "out of bounds memory access")
(invoke "fill" (i64.const 65532) (i32.const 0x11) (i64.const 4))
(assert_return (invoke "ld32" (i64.const 65532)) (i32.const 0x11111111))
(assert_trap (invoke "fill" (i64.const 65533) (i32.const 0x22) (i64.const 4)) "out of bounds memory access")
(assert_return (invoke "ld32" (i64.const 65532)) (i32.const 0x11111111))
(assert_trap (invoke "fill" (i64.const -1) (i32.const 0x22) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 1) (i32.const 0x22) (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 4) (i32.const 0x22) (i64.const -3)) "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 0) (i32.const 0x22) (i64.const 0x100000000)) "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 0x100000000) (i32.const 0x22) (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 0x1000000000000) (i32.const 0x22) (i64.const 1)) "out of bounds memory access")
(assert_return (invoke "ld32" (i64.const 0)) (i32.const 0x04030201))

;; copy
(invoke "copy" (i64.const 65528) (i64.const 0) (i64.const 4))
(assert_return (invoke "ld32" (i64.const 65528)) (i32.const 0x04030201))
(assert_trap (invoke "copy" (i64.const 65534) (i64.const 0) (i64.const 4)) "out of bounds memory access")
(assert_return (invoke "ld32" (i64.const 65532)) (i32.const 0x11111111))
(assert_trap (invoke "copy" (i64.const 0) (i64.const 65534) (i64.const 4)) "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const 0) (i64.const -1) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const 0) (i64.const 2) (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const -4) (i64.const 0) (i64.const 8)) "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const 0) (i64.const 0x100000000) (i64.const 4)) "out of bounds memory access")
(assert_return (invoke "ld32" (i64.const 0)) (i32.const 0x04030201))
(invoke "copy" (i64.const 65536) (i64.const 0) (i64.const 0))
(invoke "copy" (i64.const 0) (i64.const 65536) (i64.const 0))
(assert_trap (invoke "copy" (i64.const 0) (i64.const 65537) (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const 0x100000000) (i64.const 0) (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const 0) (i64.const 0x1000000000000) (i64.const 0)) "out of bounds memory access")

;; init (from the 4-byte passive segment)
(invoke "init" (i64.const 65532) (i32.const 0) (i32.const 4))
(assert_return (invoke "ld32" (i64.const 65532)) (i32.const 0xddccbbaa))
(assert_trap (invoke "init" (i64.const 65533) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "ld32" (i64.const 65532)) (i32.const 0xddccbbaa))
(assert_trap (invoke "init" (i64.const -2) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "init" (i64.const 0) (i32.const 2) (i32.const 3)) "out of bounds memory access")
(assert_trap (invoke "init" (i64.const 0) (i32.const 0) (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "ld32" (i64.const 0)) (i32.const 0x04030201))
(invoke "init" (i64.const 65536) (i32.const 4) (i32.const 0))
(assert_trap (invoke "init" (i64.const 65537) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "init" (i64.const 0x100000000) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "init" (i64.const 0x100000000) (i32.const 0) (i32.const 1)) "out of bounds memory access")
