;; wasmi 2.0.0 returns a stale value here (0, or 1920300133 when six other engines ran first
;; in the same process); redzone (both strategies), wasmtime and wasmer return 7.
;;
;;   redzone run suites/regressions/peers/wasmi-if-param-clobbers-value-below.wat --invoke f 7 0
;;
;; An `if` with a block parameter whose then-branch holds a nested block or loop: when the
;; else-branch runs, the value below the parameter (here `local.get 0`) reads back as whatever
;; the register held before, not the local's value. Reduced by hand from the fuzz finding in
;; global.wasmi-vs-6.unknown.46658a23/ (redzone fuzz --generator smith --seed 1 on all seven
;; configurations, case 9472). Without the nested block, or with a constant condition, wasmi
;; agrees.
(module
  (func (export "f") (param i32 i32) (result i32)
    local.get 0          ;; the value that must survive the if
    i32.const 0          ;; the if's parameter
    local.get 1          ;; condition: 0 takes the else-branch
    if (param i32) (result i32)
      block end
    else
      drop
      i32.const 0
    end
    drop))
