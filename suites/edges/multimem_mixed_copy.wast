;; multi-memory with memory64 (issue 12): memory.copy between a 32-bit and a 64-bit memory in
;; both directions, and between two 64-bit memories, at and across either memory's length.
;;
;; Why: each address of a copy has its own memory's index type and the length is an i64 only
;; when both memories are 64-bit (otherwise an i32). An engine that reads every operand as the
;; destination's type, or truncates a 64-bit source address to 32 bits, copies from address 0
;; where 2^32 must trap; one that checks against the wrong memory's length accepts ranges past
;; the smaller memory's end. A trapping copy writes nothing.
;; wasmer 7.4.2 runs without memory64: its failures here are recorded expectations.
(module
  (memory $w i64 2)   ;; memory 0, 64-bit: 131072 bytes
  (memory $n 1)       ;; memory 1, 32-bit: 65536 bytes
  (memory $e i64 0)   ;; memory 2, 64-bit, empty
  (data (memory $w) (i64.const 0) "\01\02\03\04\05\06\07\08")
  (data (memory $w) (i64.const 131064) "\a1\a2\a3\a4\a5\a6\a7\a8")
  (data (memory $n) (i32.const 0) "\11\12\13\14\15\16\17\18")
  (data (memory $n) (i32.const 65528) "\b1\b2\b3\b4\b5\b6\b7\b8")
  ;; 32 -> 64: i64 destination, i32 source, i32 length
  (func (export "copy_w_n") (param i64 i32 i32) (memory.copy $w $n (local.get 0) (local.get 1) (local.get 2)))
  ;; 64 -> 32: i32 destination, i64 source, i32 length
  (func (export "copy_n_w") (param i32 i64 i32) (memory.copy $n $w (local.get 0) (local.get 1) (local.get 2)))
  ;; 64 -> 64: all i64
  (func (export "copy_e_w") (param i64 i64 i64) (memory.copy $e $w (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_w_e") (param i64 i64 i64) (memory.copy $w $e (local.get 0) (local.get 1) (local.get 2)))
  (func (export "w32") (param i64) (result i32) (i32.load $w (local.get 0)))
  (func (export "n32") (param i32) (result i32) (i32.load $n (local.get 0)))
)

;; 32 -> 64: the small memory's last 4 bytes to the wide memory's last 4
(invoke "copy_w_n" (i64.const 131068) (i32.const 65532) (i32.const 4))
(assert_return (invoke "w32" (i64.const 131068)) (i32.const 0xb8b7b6b5))
;; a destination beyond the 32-bit memory's length is fine in the wide one
(invoke "copy_w_n" (i64.const 65536) (i32.const 0) (i32.const 8))
(assert_return (invoke "w32" (i64.const 65540)) (i32.const 0x18171615))
;; the source crosses the 32-bit memory's end (inside the wide one's length): nothing written
(assert_trap (invoke "copy_w_n" (i64.const 0) (i32.const 65533) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "w32" (i64.const 0)) (i32.const 0x04030201))
;; the destination crosses the wide memory's end
(assert_trap (invoke "copy_w_n" (i64.const 131069) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "w32" (i64.const 131068)) (i32.const 0xb8b7b6b5))
;; 64-bit destinations at 2^32 and near 2^64 trap (truncated to 32 bits they would be 0 and
;; 2^32 - 4)
(assert_trap (invoke "copy_w_n" (i64.const 0x100000000) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "copy_w_n" (i64.const -4) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "w32" (i64.const 0)) (i32.const 0x04030201))
;; zero length at exactly each length, one past traps; the i32 length is unsigned
(invoke "copy_w_n" (i64.const 131072) (i32.const 65536) (i32.const 0))
(assert_trap (invoke "copy_w_n" (i64.const 131073) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy_w_n" (i64.const 0) (i32.const 65537) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy_w_n" (i64.const 0) (i32.const 0) (i32.const -1)) "out of bounds memory access")

;; 64 -> 32: the wide memory's last 4 bytes to the 32-bit memory's last 4
(invoke "copy_n_w" (i32.const 65532) (i64.const 131068) (i32.const 4))
(assert_return (invoke "n32" (i32.const 65532)) (i32.const 0xb8b7b6b5))
(invoke "copy_n_w" (i32.const 65528) (i64.const 131064) (i32.const 4))
(assert_return (invoke "n32" (i32.const 65528)) (i32.const 0xa4a3a2a1))
;; a 64-bit source at 2^32 traps (truncated, it would be address 0 and copy \01\02\03\04)
(assert_trap (invoke "copy_n_w" (i32.const 0) (i64.const 0x100000000) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "copy_n_w" (i32.const 0) (i64.const 0x1000000000000) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "n32" (i32.const 0)) (i32.const 0x14131211))
;; the destination crosses the 32-bit memory's end (the range is inside the wide one)
(assert_trap (invoke "copy_n_w" (i32.const 65533) (i64.const 0) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "n32" (i32.const 65532)) (i32.const 0xb8b7b6b5))
;; the source crosses the wide memory's end
(assert_trap (invoke "copy_n_w" (i32.const 0) (i64.const 131070) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "n32" (i32.const 0)) (i32.const 0x14131211))
(invoke "copy_n_w" (i32.const 65536) (i64.const 131072) (i32.const 0))
(assert_trap (invoke "copy_n_w" (i32.const 65536) (i64.const 131073) (i32.const 0)) "out of bounds memory access")

;; 64 -> 64 into and out of the empty memory: i64 lengths
(invoke "copy_e_w" (i64.const 0) (i64.const 131072) (i64.const 0))
(invoke "copy_w_e" (i64.const 131072) (i64.const 0) (i64.const 0))
(assert_trap (invoke "copy_e_w" (i64.const 0) (i64.const 0) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "copy_w_e" (i64.const 0) (i64.const 0) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "copy_w_e" (i64.const 0) (i64.const 0) (i64.const 0x100000000)) "out of bounds memory access")
(assert_trap (invoke "copy_e_w" (i64.const 1) (i64.const 0) (i64.const 0)) "out of bounds memory access")
(assert_return (invoke "w32" (i64.const 0)) (i32.const 0x04030201))
