;; loops.wat: nested counted loops with integer mixing.
;;
;; Measures: loop control, local variable traffic and i32/i64 arithmetic (mul, xor, rotl,
;; shifts). Compute only: no memory at all.
;;
;; run(n): for i in 0..n, for j in 0..n:
;;   acc = rotl64((acc ^ i64(i * j + j)) * 0x9E3779B97F4A7C15, 17) + i
;; (i * j + j in wrapping u32, extended unsigned; acc starts at 0x243F6A8885A308D3).
;; About 20 instructions per inner iteration, n^2 iterations.
;; Default n = 1500: checksum in workloads.toml (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(1500) = -9124426434624529528
(module
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $acc i64)
    (local.set $acc (i64.const 0x243F6A8885A308D3))
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (loop $outer
      (local.set $j (i32.const 0))
      (loop $inner
        (local.set $acc
          (i64.add
            (i64.rotl
              (i64.mul
                (i64.xor (local.get $acc)
                  (i64.extend_i32_u
                    (i32.add (i32.mul (local.get $i) (local.get $j)) (local.get $j))))
                (i64.const 0x9E3779B97F4A7C15))
              (i64.const 17))
            (i64.extend_i32_u (local.get $i))))
        (br_if $inner (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
      (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc)))
