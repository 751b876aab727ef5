;; wasmi 2.0.0 panics ("internal error: entered unreachable code": `translate_store`,
;; engine/translator/func/mod.rs:2583, the `(Reg, Reg)` arm when `store_rr` gives no op) when
;; a store's address and value are the same value: `local.tee` leaves it in wasmi's register
;; and `local.get` of the same local reads it again. wasmi translates lazily, so the panic
;; comes at the first call; the six other configurations trap MemoryOutOfBounds (8 + 331017
;; is past the one page). Hand-reduced from
;; peers/panic-vs-trap.wasmi-vs-6.f64_load.1afdbb8f/ (smith, seed 5, case 7659, the first
;; memory64-share campaign of issue 12; the module itself has a 32-bit memory).
;; Replay: redzone replay suites/regressions/peers/wasmi-store-same-operand-panic.wat
(module
  (memory 1)
  (global $g (mut i32) (i32.const 8))
  (func (export "f") (result i32)
    (local i32)
    global.get $g
    local.tee 0
    local.get 0
    i32.store offset=331017 align=1
    i32.const 1))
