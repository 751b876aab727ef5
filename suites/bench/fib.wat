;; fib.wat: recursive Fibonacci.
;;
;; Measures: call and return overhead, i64 arithmetic, branches. Compute only: the module
;; has no memory, so it is the control of the guard/checked comparison (the two strategies
;; should not differ here).
;;
;; run(n) = fib(n) by naive recursion (fib(0) = 0, fib(1) = 1): about 2 * fib(n+1) calls.
;; Default n = 30: checksum 832040 (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(30) = 832040
(module
  (func $fib (param $n i32) (result i64)
    (if (result i64) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i64.extend_i32_u (local.get $n)))
      (else
        (i64.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "run") (param $n i32) (result i64)
    (call $fib (local.get $n))))
