;; chase.wat: pointer chasing around one cycle through a random permutation.
;;
;; Measures: dependent loads, each address coming from the previous load, so every cache
;; miss is paid in full and in order (memory latency, not bandwidth). The permutation P of
;; 2^18 i32 indexes (1 MiB) is a single cycle built by the start function with Sattolo's
;; algorithm: P = identity; for i = 2^18 - 1 down to 1: x = x * 1103515245 + 12345 (u32,
;; x0 = 42); j = (x >> 8) % i; swap P[i], P[j].
;; Memory: 17 pages.
;;
;; run(n): k = 0; n times: k = P[k]; acc = acc * 31 + u(k) (wrapping i64).
;; About 9 instructions per step. Default n = 4,000,000: checksum in workloads.toml
;; (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(4000000) = 2188417977856132160
(module
  (memory (export "memory") 17)

  (func $init (local $i i32) (local $j i32) (local $x i32) (local $t i32)
    (loop $id
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
      (br_if $id (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0x40000))))
    (local.set $x (i32.const 42))
    (local.set $i (i32.const 0x3FFFF))
    (loop $shuffle
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $j (i32.rem_u (i32.shr_u (local.get $x) (i32.const 8)) (local.get $i)))
      (local.set $t (i32.load (i32.shl (local.get $i) (i32.const 2))))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.load (i32.shl (local.get $j) (i32.const 2))))
      (i32.store (i32.shl (local.get $j) (i32.const 2)) (local.get $t))
      (br_if $shuffle (local.tee $i (i32.sub (local.get $i) (i32.const 1))))))
  (start $init)

  (func (export "run") (param $n i32) (result i64) (local $k i32) (local $acc i64)
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (loop $l
      (local.set $k (i32.load (i32.shl (local.get $k) (i32.const 2))))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31)) (i64.extend_i32_u (local.get $k))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
