;; A module that imports one of everything: a memory, a table, a mutable and an immutable
;; global, and functions (one with a result, one returning two values, one returning none).
;; `redzone run` gives every engine the same dummies (memory 1..2 pages, table 2..8 null
;; entries, globals at zero, functions returning zeros), calls every export, and compares the
;; imported memory, globals and table after each step as `import:env.memory`, ...
;;
;; Why: a store into an imported memory, a grow of it, or a set of an imported global changes
;; state the module does not own; an engine that writes it to the wrong place, or grows a copy,
;; shows up only when the imported state is compared too.
(module
  (import "env" "memory" (memory 1 2))
  (import "env" "table" (table 2 8 funcref))
  (import "env" "counter" (global $counter (mut i32)))
  (import "env" "base" (global $base i64))
  (import "env" "answer" (func $answer (param i32) (result i32)))
  (import "env" "pair" (func $pair (result f64 externref)))
  (import "env" "log" (func $log (param i32)))
  ;; written at instantiation into the imported memory and table
  (data (i32.const 8) "\01\02\03\04")
  (elem (i32.const 1) $double)
  (func $double (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "base") (result i64) (global.get $base))
  (func (export "call_answer") (param i32) (result i32) (call $answer (local.get 0)))
  (func (export "call_pair") (result f64) (call $pair) (drop))
  (func (export "call_log") (call $log (i32.const 7)))
  (func (export "indirect") (param i32) (result i32)
    (call_indirect (param i32) (result i32) (i32.const 21) (local.get 0))))
