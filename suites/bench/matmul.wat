;; matmul.wat: dense f64 matrix multiply C = A * B, n x n, row-major, i-j-k order.
;;
;; Measures: f64 loads (A along a row, B down a column with stride 8n bytes), multiply-add
;; chains, one store per result. Memory: 25 pages; A at 0, B at 0x80000, C at 0x100000
;; (n <= 256; a larger n overlaps the matrices and still runs, with a different checksum).
;;
;; run(n): A[i][k] = f64((3i + 5k) % 17) - 8, B[k][j] = f64((7k + j) % 13) * 0.5;
;; C[i][j] = sum over k in order of A[i][k] * B[k][j]; then the checksum
;; s = sum over i, j in row-major order of C[i][j] * f64(i + 2j + 1), returned as its bits
;; (every value is a multiple of 0.5 well below 2^53, so all of it is exact).
;; About 13 n^3 instructions. Default n = 128: checksum in workloads.toml (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(128) = -4527313056639746048
(module
  (memory (export "memory") 25)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $k i32) (local $row i32) (local $acc f64) (local $s f64)
    (if (i32.eqz (local.get $n)) (then (return (i64.const 0))))
    ;; A and B
    (loop $fi
      (local.set $j (i32.const 0))
      (loop $fj
        (f64.store (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))
          (f64.sub
            (f64.convert_i32_u (i32.rem_u
              (i32.add (i32.mul (local.get $i) (i32.const 3)) (i32.mul (local.get $j) (i32.const 5)))
              (i32.const 17)))
            (f64.const 8)))
        (f64.store offset=0x80000
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))
          (f64.mul
            (f64.convert_i32_u (i32.rem_u
              (i32.add (i32.mul (local.get $i) (i32.const 7)) (local.get $j))
              (i32.const 13)))
            (f64.const 0.5)))
        (br_if $fj (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
      (br_if $fi (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    ;; C = A * B
    (local.set $i (i32.const 0))
    (loop $li
      (local.set $row (i32.mul (local.get $i) (local.get $n)))
      (local.set $j (i32.const 0))
      (loop $lj
        (local.set $acc (f64.const 0))
        (local.set $k (i32.const 0))
        (loop $lk
          (local.set $acc (f64.add (local.get $acc)
            (f64.mul
              (f64.load (i32.shl (i32.add (local.get $row) (local.get $k)) (i32.const 3)))
              (f64.load offset=0x80000
                (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j)) (i32.const 3))))))
          (br_if $lk (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
        (f64.store offset=0x100000 (i32.shl (i32.add (local.get $row) (local.get $j)) (i32.const 3))
          (local.get $acc))
        (br_if $lj (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
      (br_if $li (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    ;; checksum
    (local.set $i (i32.const 0))
    (loop $ci
      (local.set $j (i32.const 0))
      (loop $cj
        (local.set $s (f64.add (local.get $s)
          (f64.mul
            (f64.load offset=0x100000
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3)))
            (f64.convert_i32_u
              (i32.add (i32.add (local.get $i) (i32.shl (local.get $j) (i32.const 1))) (i32.const 1))))))
        (br_if $cj (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
      (br_if $ci (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i64.reinterpret_f64 (local.get $s))))
