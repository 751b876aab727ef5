;; chase64.wat: chase.wat with a 64-bit memory (memory64), the twin of `chase`.
;;
;; Measures: what a 64-bit index costs dependent loads: the same permutation cycle and walk as
;; chase.wat, with the memory `i64`. The index k is held as an i64, loaded with
;; `i64.load32_u` (the same 4 bytes, zero-extended) and shifted into an i64 address, as code
;; compiled for a 64-bit memory does; the loop keeps the original's instruction count (the
;; extension moves from the sum into the load).
;; Memory: 17 pages (i64). The permutation P of 2^18 i32 indexes (1 MiB) is a single cycle built
;; by the start function with Sattolo's algorithm: P = identity; for i = 2^18 - 1 down to 1:
;; x = x * 1103515245 + 12345 (u32, x0 = 42); j = (x >> 8) % i; swap P[i], P[j].
;;
;; run(n): k = 0; n times: k = P[k]; acc = acc * 31 + u(k) (wrapping i64).
;;
;; Checksums at the default n (reference.py, the model of chase.wat; the same as
;; workloads.toml):
;;   run(4000000) = 2188417977856132160
(module
  (memory (export "memory") i64 17)

  (func $init (local $i i32) (local $j i32) (local $x i32) (local $t i32)
    (loop $id
      (i32.store (i64.shl (i64.extend_i32_u (local.get $i)) (i64.const 2)) (local.get $i))
      (br_if $id (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0x40000))))
    (local.set $x (i32.const 42))
    (local.set $i (i32.const 0x3FFFF))
    (loop $shuffle
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $j (i32.rem_u (i32.shr_u (local.get $x) (i32.const 8)) (local.get $i)))
      (local.set $t (i32.load (i64.shl (i64.extend_i32_u (local.get $i)) (i64.const 2))))
      (i32.store (i64.shl (i64.extend_i32_u (local.get $i)) (i64.const 2))
        (i32.load (i64.shl (i64.extend_i32_u (local.get $j)) (i64.const 2))))
      (i32.store (i64.shl (i64.extend_i32_u (local.get $j)) (i64.const 2)) (local.get $t))
      (br_if $shuffle (local.tee $i (i32.sub (local.get $i) (i32.const 1))))))
  (start $init)

  (func (export "run") (param $n i32) (result i64) (local $k i64) (local $acc i64)
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (loop $l
      (local.set $k (i64.load32_u (i64.shl (local.get $k) (i64.const 2))))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31)) (local.get $k)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
