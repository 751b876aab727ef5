;; sieve64.wat: sieve.wat with a 64-bit memory (memory64), the twin of `sieve`.
;;
;; Measures: what a 64-bit index costs strided byte stores and a byte scan: the same sieve as
;; sieve.wat, with the memory `i64` and the numbers i and j, which are also the flags'
;; addresses, held as i64 (n is widened once); memory.fill takes i64 operands. The loops keep
;; the original's instruction counts (a prime is added to the sum without an extension).
;; Memory: 128 pages (i64), so n may be up to 8 MiB (a larger n traps out of bounds).
;;
;; run(n) = the sum of the primes below n (i64). Flags at byte i; 0 = prime so far.
;;
;; Checksums at the default n (reference.py, the model of sieve.wat; the same as
;; workloads.toml):
;;   run(2000000) = 142913828922
(module
  (memory (export "memory") i64 128)
  (func (export "run") (param $n32 i32) (result i64)
    (local $n i64) (local $i i64) (local $j i64) (local $acc i64)
    (local.set $n (i64.extend_i32_u (local.get $n32)))
    (memory.fill (i64.const 0) (i32.const 0) (local.get $n))
    (local.set $i (i64.const 2))
    (block $done
      (loop $outer
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $acc (i64.add (local.get $acc) (local.get $i)))
            ;; as in sieve.wat: from i = 65536 on, i * i is past any n the memory holds
            (if (i64.lt_u (local.get $i) (i64.const 65536))
              (then
                (local.set $j (i64.mul (local.get $i) (local.get $i)))
                (block $marked
                  (loop $mark
                    (br_if $marked (i64.ge_u (local.get $j) (local.get $n)))
                    (i32.store8 (local.get $j) (i32.const 1))
                    (local.set $j (i64.add (local.get $j) (local.get $i)))
                    (br $mark)))))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $outer)))
    (local.get $acc)))
