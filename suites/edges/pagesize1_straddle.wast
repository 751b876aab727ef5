;; custom page sizes (issue 12): a memory of 1-byte pages whose length (4,099 bytes) is odd and
;; ends inside a host page; straddling loads and stores at the length, a v128 store across it,
;; growth by single bytes, and a data segment ending exactly at the length.
;;
;; Why: with 1-byte pages the end of memory is not on a 4 KiB boundary, so the bytes from the
;; length up to the next host page are mapped read/write and a guard page cannot catch an access
;; there: an engine that relies on guard pages for such a memory reads or writes past the end
;; without a trap. redzone checks these memories explicitly on both strategies. Every trapping
;; store must write no byte (the segment's last bytes are read back after each); memory.size and
;; memory.grow count bytes. wasmer 7.4.2 has no custom page sizes: its failures here are recorded
;; expectations.
(module
  (memory (export "memory") 4099 (pagesize 1))
  (data (i32.const 4091) "\01\02\03\04\05\06\07\08")
  (func (export "ld8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "ld16") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "ld32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "ld64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "ld8 offset=3") (param i32) (result i32) (i32.load8_u offset=3 (local.get 0)))
  (func (export "st8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "st32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "st64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "v128st") (param i32) (v128.store (local.get 0) (v128.const i64x2 -1 -1)))
  (func (export "v128ld hi") (param i32) (result i64) (i64x2.extract_lane 1 (v128.load (local.get 0))))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)

;; The data segment ends exactly at the length.
(assert_return (invoke "size") (i32.const 4099))
(assert_return (invoke "ld64" (i32.const 4091)) (i64.const 0x0807060504030201))
(assert_return (invoke "ld8" (i32.const 4098)) (i32.const 8))

;; Loads that end at the length read; one byte further traps.
(assert_return (invoke "ld16" (i32.const 4097)) (i32.const 0x0807))
(assert_trap (invoke "ld16" (i32.const 4098)) "out of bounds memory access")
(assert_return (invoke "ld32" (i32.const 4095)) (i32.const 0x08070605))
(assert_trap (invoke "ld32" (i32.const 4096)) "out of bounds memory access")
(assert_trap (invoke "ld32" (i32.const 4097)) "out of bounds memory access")
(assert_trap (invoke "ld64" (i32.const 4092)) "out of bounds memory access")
(assert_trap (invoke "ld8" (i32.const 4099)) "out of bounds memory access")
(assert_trap (invoke "ld8" (i32.const 4100)) "out of bounds memory access")
(assert_trap (invoke "ld8 offset=3" (i32.const 4096)) "out of bounds memory access")
(assert_return (invoke "ld8 offset=3" (i32.const 4095)) (i32.const 8))
(assert_trap (invoke "v128ld hi" (i32.const 4084)) "out of bounds memory access")
(assert_return (invoke "v128ld hi" (i32.const 4083)) (i64.const 0x0807060504030201))

;; Straddling stores trap and write no byte.
(assert_trap (invoke "st32" (i32.const 4096) (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "st32" (i32.const 4098) (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "st64" (i32.const 4092) (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "v128st" (i32.const 4084)) "out of bounds memory access")
(assert_trap (invoke "st8" (i32.const 4099) (i32.const 0xee)) "out of bounds memory access")
(assert_return (invoke "ld64" (i32.const 4091)) (i64.const 0x0807060504030201))

;; Stores that end exactly at the length write.
(assert_return (invoke "st32" (i32.const 4095) (i32.const 0x44332211)))
(assert_return (invoke "ld64" (i32.const 4091)) (i64.const 0x4433221104030201))

;; Grow by one byte: the new byte reads zero, the bound moves by one.
(assert_return (invoke "grow" (i32.const 1)) (i32.const 4099))
(assert_return (invoke "size") (i32.const 4100))
(assert_return (invoke "ld8" (i32.const 4099)) (i32.const 0))
(assert_return (invoke "ld16" (i32.const 4098)) (i32.const 0x0044))
(assert_trap (invoke "ld8" (i32.const 4100)) "out of bounds memory access")
(assert_return (invoke "st8" (i32.const 4099) (i32.const 0x99)))
(assert_trap (invoke "st32" (i32.const 4097) (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "ld32" (i32.const 4096)) (i32.const 0x99443322))

;; Grow across the next host page boundary (8,192) by an odd amount.
(assert_return (invoke "grow" (i32.const 4093)) (i32.const 4100))
(assert_return (invoke "size") (i32.const 8193))
(assert_return (invoke "ld8" (i32.const 8192)) (i32.const 0))
(assert_trap (invoke "ld16" (i32.const 8192)) "out of bounds memory access")
(assert_return (invoke "st8" (i32.const 8192) (i32.const 0x5a)))
(assert_return (invoke "ld8" (i32.const 8192)) (i32.const 0x5a))

;; 8,193 + (2^32 - 8,192) bytes is past the 32-bit limit of 2^32 - 1 bytes: refused. (Growing to
;; exactly 2^32 bytes, one past the limit, is refused by redzone and wasmtime but granted by
;; wasmi 2.0.0, whose memory.size then wraps to 0: a wasmi bug, see the README; a state diff
;; cannot be recorded as an expectation, so that case is not in this script.)
(assert_return (invoke "grow" (i32.const -8192)) (i32.const -1))
(assert_return (invoke "grow" (i32.const -1)) (i32.const -1))
(assert_return (invoke "size") (i32.const 8193))
