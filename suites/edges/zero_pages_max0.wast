;; A memory that is 0 pages and can never grow (memory 0 0), with bulk operations and data.
;;
;; Why: the degenerate memory: every access traps, memory.grow by anything but 0 returns -1
;; (grow 0 returns 0), and the bulk operations follow the same rule as anywhere else: length 0
;; at offset 0 (= len) succeeds, length 0 at offset 1 traps, length 1 traps. An empty active data
;; segment at offset 0 instantiates; an empty one at offset 1, or a 1-byte one at 0, does not.
(module
  (memory 0 0)
  (data (i32.const 0) "")
  (data $p "\01\02")
  (func (export "i32.load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "i32.store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $p (local.get 0) (local.get 1) (local.get 2)))
)
(assert_return (invoke "size") (i32.const 0x0))
(assert_return (invoke "grow" (i32.const 0x1)) (i32.const 0xffffffff))
(assert_return (invoke "grow" (i32.const 0x10000)) (i32.const 0xffffffff))
(assert_return (invoke "grow" (i32.const 0xffffffff)) (i32.const 0xffffffff))
(assert_return (invoke "grow" (i32.const 0x0)) (i32.const 0x0))
(assert_return (invoke "size") (i32.const 0x0))
(assert_trap (invoke "i32.load8_u" (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "i32.store8" (i32.const 0x0) (i32.const 0x1)) "out of bounds memory access")

;; bulk operations: length 0 at len (0) is fine, anything else traps
(assert_return (invoke "fill" (i32.const 0x0) (i32.const 0x0) (i32.const 0x0)))
(assert_trap (invoke "fill" (i32.const 0x1) (i32.const 0x0) (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 0x0) (i32.const 0x0) (i32.const 0x1)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 0xffffffff) (i32.const 0x0) (i32.const 0x0)) "out of bounds memory access")
(assert_return (invoke "copy" (i32.const 0x0) (i32.const 0x0) (i32.const 0x0)))
(assert_trap (invoke "copy" (i32.const 0x1) (i32.const 0x0) (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0x0) (i32.const 0x1) (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0x0) (i32.const 0x0) (i32.const 0x1)) "out of bounds memory access")
(assert_return (invoke "init" (i32.const 0x0) (i32.const 0x0) (i32.const 0x0)))
(assert_return (invoke "init" (i32.const 0x0) (i32.const 0x2) (i32.const 0x0)))
(assert_trap (invoke "init" (i32.const 0x0) (i32.const 0x3) (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 0x1) (i32.const 0x0) (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 0x0) (i32.const 0x0) (i32.const 0x1)) "out of bounds memory access")

;; data segments against a 0-page memory
(module (memory 0 0) (data (i32.const 0) ""))
(module (memory 0) (data (i32.const 0) "") (data (i32.const 0) ""))
(assert_trap (module (memory 0 0) (data (i32.const 1) "")) "out of bounds memory access")
(assert_trap (module (memory 0 0) (data (i32.const 0) "\00")) "out of bounds memory access")
(assert_trap (module (memory 0) (data (i32.const -1) "")) "out of bounds memory access")
