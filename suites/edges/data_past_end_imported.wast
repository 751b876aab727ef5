;; Data segments one byte past the end of a memory imported from a registered module: the
;; instantiation traps, the segments before the failing one stay written (visible through the
;; exporter), the failing one writes nothing, later ones and the start function never run.
;;
;; Why: since bulk memory, segments are applied one by one with memory.init semantics and a
;; failure stops instantiation without undoing earlier segments; with an imported memory those
;; writes survive the failed module. An engine that checks all segments first (the old MVP
;; rule) writes nothing at all; one that copies the in-bounds prefix of the failing segment, or
;; wraps 0xFFFFFFFF + 1 to 0, writes too much. The exporter's grow later makes the same
;; module instantiate, since the bound is the length at instantiation time.
(module $M
  (memory (export "mem") 1 2)
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
(register "M" $M)

;; segment 2 ends at 65537: segment 1 (at the very end) is written, segment 2 is not (65533..65535
;; keep segment 1's bytes), segment 3 and the start function (which would write 0x5f at 100) never run
(assert_trap
  (module
    (memory (import "M" "mem") 1)
    (data (i32.const 65532) "\d1\d2\d3\d4")
    (data (i32.const 65533) "\e1\e2\e3\e4")
    (data (i32.const 16) "\f1")
    (func $start (i32.store8 (i32.const 100) (i32.const 0x5f)))
    (start $start))
  "out of bounds memory access")
(assert_return (invoke $M "load32" (i32.const 65532)) (i32.const 0xd4d3d2d1))
(assert_return (invoke $M "load8" (i32.const 16)) (i32.const 0))
(assert_return (invoke $M "load8" (i32.const 100)) (i32.const 0))

;; an offset of 0xFFFFFFFF with one byte is 2^32, out of bounds, not address 0
(assert_trap
  (module
    (memory (import "M" "mem") 1)
    (data (i32.const 1) "\a1")
    (data (i32.const 0xFFFFFFFF) "\a0"))
  "out of bounds memory access")
(assert_return (invoke $M "load8" (i32.const 0)) (i32.const 0))
(assert_return (invoke $M "load8" (i32.const 1)) (i32.const 0xa1))

;; a passive segment before the failing one is not applied at all; an empty active segment at
;; len is fine and is followed by the failing one
(assert_trap
  (module
    (memory (import "M" "mem") 1)
    (data "\99\99")
    (data (i32.const 65536) "")
    (data (i32.const 2) "\b2")
    (data (i32.const 65536) "\ff"))
  "out of bounds memory access")
(assert_return (invoke $M "load8" (i32.const 2)) (i32.const 0xb2))
(assert_return (invoke $M "load8" (i32.const 3)) (i32.const 0))

;; after the exporter grows to 2 pages, the first module instantiates: its segments 1..3 are
;; applied in order (segment 2 overwrites 65533..65535 and reaches 65536) and its start runs
(assert_return (invoke $M "grow" (i32.const 1)) (i32.const 1))
(module
  (memory (import "M" "mem") 1)
  (data (i32.const 65532) "\d1\d2\d3\d4")
  (data (i32.const 65533) "\e1\e2\e3\e4")
  (data (i32.const 16) "\f1")
  (func $start (i32.store8 (i32.const 100) (i32.const 0x5f)))
  (start $start))
(assert_return (invoke $M "load32" (i32.const 65532)) (i32.const 0xe3e2e1d1))
(assert_return (invoke $M "load8" (i32.const 65536)) (i32.const 0xe4))
(assert_return (invoke $M "load8" (i32.const 16)) (i32.const 0xf1))
(assert_return (invoke $M "load8" (i32.const 100)) (i32.const 0x5f))
;; and the new end is the new bound for a segment: 131072 ok (empty), 131071 + 2 not
(module (memory (import "M" "mem") 2) (data (i32.const 131071) "\c7"))
(assert_return (invoke $M "load8" (i32.const 131071)) (i32.const 0xc7))
(assert_trap (module (memory (import "M" "mem") 2) (data (i32.const 131070) "\00") (data (i32.const 131071) "\01\02")) "out of bounds memory access")
(assert_return (invoke $M "load8" (i32.const 131070)) (i32.const 0))
(assert_return (invoke $M "load8" (i32.const 131071)) (i32.const 0xc7))
