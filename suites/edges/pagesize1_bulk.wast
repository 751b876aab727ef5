;; custom page sizes (issue 12): memory.fill, memory.copy and memory.init across the odd length
;; (37 bytes) of a 1-byte-page memory, and a copy between it and a 64 KiB-page memory.
;;
;; Why: bulk operations check their whole range against the length first and write nothing when
;; any byte is out of bounds; with 1-byte pages the length is any byte count, so an engine that
;; rounds it to a page (wasm's or the host's) lets a range that crosses it through. A
;; zero-length operation at exactly the length succeeds, one byte past it traps. wasmer 7.4.2
;; has no custom page sizes: its failures here are recorded expectations.
(module
  (memory $small (export "memory") 37 (pagesize 1))
  (memory $big (export "big") 1)
  (data $tail (memory $small) (i32.const 33) "\a1\a2\a3\a4")
  (data $p "\01\02\03\04\05\06")
  (func (export "ld32") (param i32) (result i32) (i32.load $small (local.get 0)))
  (func (export "big ld32") (param i32) (result i32) (i32.load $big (local.get 0)))
  (func (export "fill") (param i32 i32 i32) (memory.fill $small (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy $small $small (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $small $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "to big") (param i32 i32 i32) (memory.copy $big $small (local.get 0) (local.get 1) (local.get 2)))
  (func (export "from big") (param i32 i32 i32) (memory.copy $small $big (local.get 0) (local.get 1) (local.get 2)))
  (func (export "grow") (param i32) (result i32) (memory.grow $small (local.get 0)))
)

(assert_return (invoke "ld32" (i32.const 33)) (i32.const 0xa4a3a2a1))

;; Fill: crossing the length traps and writes nothing; ending at it writes.
(assert_trap (invoke "fill" (i32.const 34) (i32.const 0xee) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 0) (i32.const 0xee) (i32.const 38)) "out of bounds memory access")
(assert_return (invoke "ld32" (i32.const 33)) (i32.const 0xa4a3a2a1))
(assert_return (invoke "fill" (i32.const 37) (i32.const 0xee) (i32.const 0)))
(assert_trap (invoke "fill" (i32.const 38) (i32.const 0xee) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "fill" (i32.const 35) (i32.const 0xb0) (i32.const 2)))
(assert_return (invoke "ld32" (i32.const 33)) (i32.const 0xb0b0a2a1))

;; Copy within: either range crossing the length traps and writes nothing.
(assert_trap (invoke "copy" (i32.const 34) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 34) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "ld32" (i32.const 0)) (i32.const 0))
(assert_return (invoke "copy" (i32.const 0) (i32.const 33) (i32.const 4)))
(assert_return (invoke "ld32" (i32.const 0)) (i32.const 0xb0b0a2a1))
(assert_return (invoke "copy" (i32.const 37) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "copy" (i32.const 38) (i32.const 0) (i32.const 0)) "out of bounds memory access")

;; Init: the segment's bytes past the length are refused whole.
(assert_trap (invoke "init" (i32.const 33) (i32.const 0) (i32.const 5)) "out of bounds memory access")
(assert_return (invoke "ld32" (i32.const 33)) (i32.const 0xb0b0a2a1))
(assert_return (invoke "init" (i32.const 33) (i32.const 2) (i32.const 4)))
(assert_return (invoke "ld32" (i32.const 33)) (i32.const 0x06050403))

;; Between memories of different page sizes: each range against its own memory's length.
(assert_return (invoke "to big" (i32.const 65532) (i32.const 33) (i32.const 4)))
(assert_return (invoke "big ld32" (i32.const 65532)) (i32.const 0x06050403))
(assert_trap (invoke "to big" (i32.const 65533) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "to big" (i32.const 0) (i32.const 34) (i32.const 4)) "out of bounds memory access")
(assert_trap (invoke "from big" (i32.const 34) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "ld32" (i32.const 33)) (i32.const 0x06050403))

;; After growing by one byte the same fill fits.
(assert_return (invoke "grow" (i32.const 1)) (i32.const 37))
(assert_return (invoke "fill" (i32.const 34) (i32.const 0xcc) (i32.const 4)))
(assert_return (invoke "ld32" (i32.const 34)) (i32.const 0xcccccccc))
