;; gather.wat: random loads from a 4 MiB table, indexes from an LCG.
;;
;; Measures: independent random-access i32 loads (the addresses do not depend on loaded
;; values, so the CPU can overlap the cache misses); the table is larger than L2.
;; Memory: 65 pages; the table T of 2^20 i32s at 0, filled by the start function with
;; T[i] = (i * 2246822519) ^ (i >> 5) (u32).
;;
;; run(n): x = 1; n times: x = x * 1103515245 + 12345 (u32); acc += u(T[(x >> 10) & 0xFFFFF]).
;; About 12 instructions per load. Default n = 2,000,000: checksum in workloads.toml
;; (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(2000000) = 4293337672283355
(module
  (memory (export "memory") 65)

  (func $init (local $i i32)
    (loop $l
      (i32.store (i32.shl (local.get $i) (i32.const 2))
        (i32.xor (i32.mul (local.get $i) (i32.const 2246822519)) (i32.shr_u (local.get $i) (i32.const 5))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0x100000)))))
  (start $init)

  (func (export "run") (param $n i32) (result i64) (local $x i32) (local $acc i64)
    (local.set $x (i32.const 1))
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (loop $l
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $acc (i64.add (local.get $acc)
        (i64.extend_i32_u
          (i32.load (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0x3FFFFC))))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
