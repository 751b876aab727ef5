;; multi-memory (issue 12): stores, loads, memory.init and memory.fill on memory 1 at and across
;; its length, and memory.grow of one memory, with memory 0 watched throughout.
;;
;; Why: every access to a memory other than 0 names its memory, and is bounds-checked against
;; that memory's length. An engine that checks against memory 0's length (here twice as long)
;; lets a straddling store on memory 1 write past its end or into memory 0; one that writes to
;; memory 0 shows there. memory.grow of memory 1 changes memory 1 only: memory 0 keeps its
;; size, and memory 1's new pages are accessible (and zero) on memory 1 alone.
(module
  (memory $m0 2)      ;; memory 0: 131072 bytes
  (memory $m1 1 2)    ;; memory 1: 65536 bytes, at most 2 pages
  (data (memory $m0) (i32.const 65528) "\c1\c2\c3\c4\c5\c6\c7\c8\c9\ca\cb\cc\cd\ce\cf\d0")
  (data (memory $m1) (i32.const 65528) "\e1\e2\e3\e4\e5\e6\e7\e8")
  (data $seg "\f1\f2\f3\f4")
  (func (export "store1") (param i32 i64) (i64.store $m1 (local.get 0) (local.get 1)))
  (func (export "store1_off") (param i32 i32) (i32.store $m1 offset=4 (local.get 0) (local.get 1)))
  (func (export "load1") (param i32) (result i64) (i64.load $m1 (local.get 0)))
  (func (export "byte1") (param i32) (result i32) (i32.load8_u $m1 (local.get 0)))
  (func (export "load0") (param i32) (result i64) (i64.load $m0 (local.get 0)))
  (func (export "init1") (param i32 i32 i32) (memory.init $m1 $seg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill1") (param i32 i32 i32) (memory.fill $m1 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "grow1") (param i32) (result i32) (memory.grow $m1 (local.get 0)))
  (func (export "grow0") (param i32) (result i32) (memory.grow $m0 (local.get 0)))
  (func (export "size0") (result i32) (memory.size $m0))
  (func (export "size1") (result i32) (memory.size $m1))
)

;; loads on memory 1 at len-8 .. len+1: the last fits, the others straddle or start past the end
(assert_return (invoke "load1" (i32.const 65528)) (i64.const 0xe8e7e6e5e4e3e2e1))
(assert_trap (invoke "load1" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "load1" (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "load1" (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke "byte1" (i32.const 65535)) (i32.const 0xe8))
(assert_trap (invoke "byte1" (i32.const 65536)) "out of bounds memory access")

;; a store straddling memory 1's end writes nothing, in memory 1 or memory 0
(assert_trap (invoke "store1" (i32.const 65532) (i64.const -1)) "out of bounds memory access")
(assert_return (invoke "load1" (i32.const 65528)) (i64.const 0xe8e7e6e5e4e3e2e1))
(assert_return (invoke "load0" (i32.const 65528)) (i64.const 0xc8c7c6c5c4c3c2c1))
(assert_return (invoke "load0" (i32.const 65536)) (i64.const 0xd0cfcecdcccbcac9))
(assert_trap (invoke "store1_off" (i32.const 65529) (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "load1" (i32.const 65528)) (i64.const 0xe8e7e6e5e4e3e2e1))
;; a store that fits changes memory 1 only
(invoke "store1" (i32.const 65528) (i64.const 0x0102030405060708))
(assert_return (invoke "load1" (i32.const 65528)) (i64.const 0x0102030405060708))
(assert_return (invoke "load0" (i32.const 65528)) (i64.const 0xc8c7c6c5c4c3c2c1))
(invoke "store1_off" (i32.const 65528) (i32.const 0x11223344))
(assert_return (invoke "load1" (i32.const 65528)) (i64.const 0x1122334405060708))

;; memory.init into memory 1: up to its end, across it (nothing written), at exactly len
(invoke "init1" (i32.const 65532) (i32.const 0) (i32.const 4))
(assert_return (invoke "load1" (i32.const 65528)) (i64.const 0xf4f3f2f105060708))
(assert_trap (invoke "init1" (i32.const 65533) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "init1" (i32.const 65534) (i32.const 2) (i32.const 3)) "out of bounds memory access")
(assert_return (invoke "load1" (i32.const 65528)) (i64.const 0xf4f3f2f105060708))
(assert_return (invoke "load0" (i32.const 65528)) (i64.const 0xc8c7c6c5c4c3c2c1))
(invoke "init1" (i32.const 65536) (i32.const 4) (i32.const 0))
(assert_trap (invoke "init1" (i32.const 65537) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "init1" (i32.const 65536) (i32.const 0) (i32.const 1)) "out of bounds memory access")

;; memory.fill on memory 1 across its end writes nothing
(assert_trap (invoke "fill1" (i32.const 65530) (i32.const 0xaa) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "load1" (i32.const 65528)) (i64.const 0xf4f3f2f105060708))
(invoke "fill1" (i32.const 65536) (i32.const 0xaa) (i32.const 0))
(assert_trap (invoke "fill1" (i32.const 65537) (i32.const 0xaa) (i32.const 0)) "out of bounds memory access")

;; memory.grow of memory 1 leaves memory 0's size; its new page is zero and reachable on
;; memory 1 only, and the old straddling store now fits
(assert_return (invoke "grow1" (i32.const 1)) (i32.const 1))
(assert_return (invoke "size1") (i32.const 2))
(assert_return (invoke "size0") (i32.const 2))
(assert_return (invoke "load1" (i32.const 131064)) (i64.const 0))
(assert_trap (invoke "load1" (i32.const 131065)) "out of bounds memory access")
(invoke "store1" (i32.const 65532) (i64.const -1))
(assert_return (invoke "load1" (i32.const 65528)) (i64.const 0xffffffff05060708))
(assert_return (invoke "load1" (i32.const 65536)) (i64.const 0x00000000ffffffff))
(assert_return (invoke "load0" (i32.const 65536)) (i64.const 0xd0cfcecdcccbcac9))
;; past memory 1's maximum: -1, no size changes anywhere
(assert_return (invoke "grow1" (i32.const 1)) (i32.const -1))
(assert_return (invoke "size1") (i32.const 2))
(assert_return (invoke "size0") (i32.const 2))
;; memory.grow of memory 0 leaves memory 1's size
(assert_return (invoke "grow0" (i32.const 1)) (i32.const 2))
(assert_return (invoke "size0") (i32.const 3))
(assert_return (invoke "size1") (i32.const 2))
(assert_trap (invoke "load1" (i32.const 131065)) "out of bounds memory access")
(assert_return (invoke "load0" (i32.const 196600)) (i64.const 0))
