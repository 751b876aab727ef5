;; sieve.wat: the sieve of Eratosthenes, one byte per number.
;;
;; Measures: byte stores with a stride that grows with each prime (mostly cache-missing for
;; large primes), then a sequential byte scan; a memory.fill clears the flags first.
;; Memory: 128 pages, so n may be up to 8 MiB (a larger n traps out of bounds).
;;
;; run(n) = the sum of the primes below n (i64). Flags at byte i; 0 = prime so far.
;; About n * (5 + 2 * ln ln n) instructions. Default n = 2,000,000: checksum in
;; workloads.toml (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(2000000) = 142913828922
(module
  (memory (export "memory") 128)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $acc i64)
    (memory.fill (i32.const 0) (i32.const 0) (local.get $n))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
            ;; i * i overflows u32 from i = 65536; no such i has multiples left to mark
            (if (i32.lt_u (local.get $i) (i32.const 65536))
              (then
                (local.set $j (i32.mul (local.get $i) (local.get $i)))
                (block $marked
                  (loop $mark
                    (br_if $marked (i32.ge_u (local.get $j) (local.get $n)))
                    (i32.store8 (local.get $j) (i32.const 1))
                    (local.set $j (i32.add (local.get $j) (local.get $i)))
                    (br $mark)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.get $acc)))
