;; memory.fill, memory.copy and memory.init at the end of memory.
;;
;; Checks: the whole range is checked before any byte is written, so an operation that runs
;; past len (65536) traps and writes nothing; a zero-length operation at exactly len succeeds
;; and one at len + 1 traps; overlapping copies at the end move the right bytes; memory.init
;; checks the segment range too, and a dropped segment behaves as a zero-length one.
(module
  (memory 1)
  (data $seg "\01\02\03\04")
  (data (i32.const 65528) "\a1\a2\a3\a4\a5\a6\a7\a8")
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $seg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (data.drop $seg))
  (func (export "tail") (result i64) (i64.load (i32.const 65528)))
  (func (export "head") (result i32) (i32.load (i32.const 0)))
)

;; zero length: fine at exactly len, a trap one past it.
(assert_return (invoke "fill" (i32.const 65536) (i32.const 0xff) (i32.const 0)))
(assert_trap (invoke "fill" (i32.const 65537) (i32.const 0xff) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "copy" (i32.const 65536) (i32.const 0) (i32.const 0)))
(assert_return (invoke "copy" (i32.const 0) (i32.const 65536) (i32.const 0)))
(assert_trap (invoke "copy" (i32.const 65537) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 65537) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "init" (i32.const 65536) (i32.const 0) (i32.const 0)))
(assert_return (invoke "init" (i32.const 0) (i32.const 4) (i32.const 0)))
(assert_trap (invoke "init" (i32.const 65537) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 0) (i32.const 5) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "tail") (i64.const 0xa8a7a6a5a4a3a2a1))

;; ranges that end one byte past len write nothing, not even their in-bounds prefix.
(assert_trap (invoke "fill" (i32.const 65528) (i32.const 0) (i32.const 9)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 65535) (i32.const 0) (i32.const 2)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 65528) (i32.const 0) (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "tail") (i64.const 0xa8a7a6a5a4a3a2a1))
(assert_trap (invoke "copy" (i32.const 65530) (i32.const 0) (i32.const 7)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 65528) (i32.const 65529) (i32.const 8)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 65529) (i32.const 65528) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "tail") (i64.const 0xa8a7a6a5a4a3a2a1))
(assert_trap (invoke "init" (i32.const 65533) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "tail") (i64.const 0xa8a7a6a5a4a3a2a1))
(assert_trap (invoke "copy" (i32.const 0) (i32.const 65533) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "head") (i32.const 0))

;; ranges that end exactly at len succeed.
(assert_return (invoke "init" (i32.const 65532) (i32.const 0) (i32.const 4)))
(assert_return (invoke "tail") (i64.const 0x04030201a4a3a2a1))
(assert_return (invoke "fill" (i32.const 65535) (i32.const 0xee) (i32.const 1)))
(assert_return (invoke "tail") (i64.const 0xee030201a4a3a2a1))

;; overlapping copies at the end, both directions.
(assert_return (invoke "copy" (i32.const 65529) (i32.const 65528) (i32.const 7)))
(assert_return (invoke "tail") (i64.const 0x030201a4a3a2a1a1))
(assert_return (invoke "copy" (i32.const 65528) (i32.const 65529) (i32.const 7)))
(assert_return (invoke "tail") (i64.const 0x03030201a4a3a2a1))

;; a dropped segment has length 0: init of 0 bytes at offset 0 works, anything else traps.
(invoke "drop")
(assert_return (invoke "init" (i32.const 65536) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "init" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 0) (i32.const 1) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "head") (i32.const 0))
