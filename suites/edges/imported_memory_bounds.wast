;; A memory imported from another module (register): the importer's loads and stores at the
;; end follow the exporter's memory, including after either side grows it.
;;
;; Why: an importing instance does not own the memory; an engine that copies the length (or
;; a guard-page base) into the importer at link time and never refreshes it gets the bound
;; wrong once the exporter grows the memory, or lets the exporter miss a grow done by the
;; importer. Checks every width at len-8 .. len (one fitting, one trapping per width) in the
;; importer, before and after a grow on each side, with the exporter reading back what the
;; importer wrote; a straddling store in the importer writes nothing the exporter can see.
(module $M
  (memory (export "mem") 1 3)
  (data (i32.const 65528) "\01\02\03\04\05\06\07\08")
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
(register "M" $M)

(module $I
  (import "M" "mem" (memory 1 3))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "i32.load8_s") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "i32.load16_u") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "i32.load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "i64.load32_s") (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (export "i64.load") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "f64.load") (param i32) (result i64) (i64.reinterpret_f64 (f64.load (local.get 0))))
  (func (export "i64.store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "i32.store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
)

;; len = 65536
(assert_return (invoke $I "size") (i32.const 1))
(assert_return (invoke $I "i32.load8_s" (i32.const 65535)) (i32.const 8))
(assert_trap (invoke $I "i32.load8_s" (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke $I "i32.load16_u" (i32.const 65534)) (i32.const 0x0807))
(assert_trap (invoke $I "i32.load16_u" (i32.const 65535)) "out of bounds memory access")
(assert_return (invoke $I "i32.load" (i32.const 65532)) (i32.const 0x08070605))
(assert_trap (invoke $I "i32.load" (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke $I "i64.load32_s" (i32.const 65532)) (i64.const 0x08070605))
(assert_trap (invoke $I "i64.load32_s" (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke $I "i64.load" (i32.const 65528)) (i64.const 0x0807060504030201))
(assert_trap (invoke $I "i64.load" (i32.const 65529)) "out of bounds memory access")
(assert_return (invoke $I "f64.load" (i32.const 65528)) (i64.const 0x0807060504030201))
(assert_trap (invoke $I "f64.load" (i32.const 65529)) "out of bounds memory access")
;; a straddling store by the importer writes nothing the exporter can see
(assert_trap (invoke $I "i64.store" (i32.const 65529) (i64.const -1)) "out of bounds memory access")
(assert_return (invoke $M "load64" (i32.const 65528)) (i64.const 0x0807060504030201))
(assert_trap (invoke $I "i32.store16" (i32.const 65535) (i32.const -1)) "out of bounds memory access")
(assert_return (invoke $M "load8" (i32.const 65535)) (i32.const 8))

;; the exporter grows: the importer's bound moves to 131072
(assert_return (invoke $M "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke $I "size") (i32.const 2))
(assert_return (invoke $I "i64.load" (i32.const 65529)) (i64.const 0x0008070605040302))
(assert_return (invoke $I "i64.load" (i32.const 131064)) (i64.const 0))
(assert_trap (invoke $I "i64.load" (i32.const 131065)) "out of bounds memory access")
(assert_return (invoke $I "i64.store" (i32.const 131064) (i64.const 0x1122334455667788)))
(assert_return (invoke $M "load64" (i32.const 131064)) (i64.const 0x1122334455667788))
(assert_trap (invoke $I "i32.store16" (i32.const 131071) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke $M "load8" (i32.const 131071)) (i32.const 0x11))

;; the importer grows: the exporter's bound moves to 196608
(assert_return (invoke $I "grow" (i32.const 1)) (i32.const 2))
(assert_return (invoke $M "size") (i32.const 3))
(assert_return (invoke $M "load64" (i32.const 196600)) (i64.const 0))
(assert_trap (invoke $M "load64" (i32.const 196601)) "out of bounds memory access")
(assert_return (invoke $I "i32.store16" (i32.const 196606) (i32.const 0xabcd)))
(assert_return (invoke $M "load8" (i32.const 196607)) (i32.const 0xab))
(assert_trap (invoke $M "load8" (i32.const 196608)) "out of bounds memory access")
;; the maximum (3) holds for both sides
(assert_return (invoke $I "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke $M "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke $I "size") (i32.const 3))
