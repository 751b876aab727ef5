;; multi-memory (issue 12): memory.copy between two 32-bit memories of different sizes, in both
;; directions, at and across either memory's length, and into and out of an empty memory.
;;
;; Why: a copy between memories checks the source range against the SOURCE memory's length and
;; the destination range against the DESTINATION memory's length. An engine that checks both
;; against one memory (memory 0's, or the destination's) accepts a source that runs past the
;; smaller memory's end, or refuses a source beyond the smaller memory's length that the larger
;; one has. A trapping copy writes no byte, even when its destination range is in bounds; a
;; zero-length copy at exactly either length succeeds and one byte past it traps.
(module
  (memory $big 2)    ;; memory 0: 131072 bytes
  (memory $small 1)  ;; memory 1: 65536 bytes
  (memory $empty 0)  ;; memory 2: 0 bytes
  (data (memory $big) (i32.const 0) "\01\02\03\04\05\06\07\08")
  (data (memory $big) (i32.const 131064) "\a1\a2\a3\a4\a5\a6\a7\a8")
  (data (memory $small) (i32.const 0) "\11\12\13\14\15\16\17\18")
  (data (memory $small) (i32.const 65528) "\b1\b2\b3\b4\b5\b6\b7\b8")
  ;; small <- big, big <- small, empty <- small, small <- empty
  (func (export "copy_s_b") (param i32 i32 i32) (memory.copy $small $big (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_b_s") (param i32 i32 i32) (memory.copy $big $small (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_e_s") (param i32 i32 i32) (memory.copy $empty $small (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_s_e") (param i32 i32 i32) (memory.copy $small $empty (local.get 0) (local.get 1) (local.get 2)))
  (func (export "big32") (param i32) (result i32) (i32.load $big (local.get 0)))
  (func (export "small32") (param i32) (result i32) (i32.load $small (local.get 0)))
  (func (export "sizes") (result i32 i32 i32) (memory.size $big) (memory.size $small) (memory.size $empty))
)

;; small <- big: the last 4 bytes of the big memory into the last 4 of the small one, the
;; source beyond the small memory's length (valid: it is checked against the big one).
(invoke "copy_s_b" (i32.const 65532) (i32.const 131068) (i32.const 4))
(assert_return (invoke "small32" (i32.const 65532)) (i32.const 0xa8a7a6a5))
;; the destination crosses the small memory's end by one byte: nothing is written
(assert_trap (invoke "copy_s_b" (i32.const 65533) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "small32" (i32.const 65532)) (i32.const 0xa8a7a6a5))
;; the source crosses the big memory's end: nothing is written at the in-bounds destination
(assert_trap (invoke "copy_s_b" (i32.const 0) (i32.const 131069) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "small32" (i32.const 0)) (i32.const 0x14131211))
;; zero length at exactly each length, one past it traps
(invoke "copy_s_b" (i32.const 65536) (i32.const 131072) (i32.const 0))
(assert_trap (invoke "copy_s_b" (i32.const 65537) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy_s_b" (i32.const 0) (i32.const 131073) (i32.const 0)) "out of bounds memory access")
;; a length that wraps 32 bits from the destination
(assert_trap (invoke "copy_s_b" (i32.const 8) (i32.const 0) (i32.const -4)) "out of bounds memory access")
(assert_return (invoke "small32" (i32.const 8)) (i32.const 0))

;; big <- small: a source past the small memory's length traps although the same range is
;; inside the big memory (an engine checking the source against the destination's length
;; would copy)
(assert_trap (invoke "copy_b_s" (i32.const 0) (i32.const 65533) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "big32" (i32.const 0)) (i32.const 0x04030201))
(assert_trap (invoke "copy_b_s" (i32.const 16) (i32.const 65536) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "big32" (i32.const 16)) (i32.const 0))
;; the small memory's last 8 bytes (the last 4 copied there above) to the big memory's last 8,
;; then one byte further
(invoke "copy_b_s" (i32.const 131064) (i32.const 65528) (i32.const 8))
(assert_return (invoke "big32" (i32.const 131064)) (i32.const 0xb4b3b2b1))
(assert_trap (invoke "copy_b_s" (i32.const 131065) (i32.const 0) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "big32" (i32.const 131064)) (i32.const 0xb4b3b2b1))
;; a destination beyond the small memory's length is fine in the big one
(invoke "copy_b_s" (i32.const 65536) (i32.const 0) (i32.const 4))
(assert_return (invoke "big32" (i32.const 65536)) (i32.const 0x14131211))
(invoke "copy_b_s" (i32.const 131072) (i32.const 65536) (i32.const 0))
(assert_trap (invoke "copy_b_s" (i32.const 131072) (i32.const 65537) (i32.const 0)) "out of bounds memory access")

;; the empty memory: zero length at 0 in either direction, one byte traps
(invoke "copy_e_s" (i32.const 0) (i32.const 65536) (i32.const 0))
(invoke "copy_s_e" (i32.const 65536) (i32.const 0) (i32.const 0))
(assert_trap (invoke "copy_e_s" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "copy_s_e" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "copy_e_s" (i32.const 1) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "small32" (i32.const 0)) (i32.const 0x14131211))
(assert_return (invoke "sizes") (i32.const 2) (i32.const 1) (i32.const 0))
