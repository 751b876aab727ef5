;; gather64.wat: gather.wat with a 64-bit memory (memory64), the twin of `gather`.
;;
;; Measures: what a 64-bit index costs independent random loads: the same LCG, table and sum
;; as gather.wat, with the memory `i64`. The index is computed in 32 bits, as in the original,
;; and widened to an i64 address (`i64.extend_i32_u`), as code compiled for a 64-bit memory
;; does; the load zero-extends straight into the i64 sum (`i64.load32_u`, the same 4 bytes),
;; so the loop keeps the original's instruction count.
;; Memory: 65 pages (i64); the table T of 2^20 i32s at 0, filled by the start function with
;; T[i] = (i * 2246822519) ^ (i >> 5) (u32).
;;
;; run(n): x = 1; n times: x = x * 1103515245 + 12345 (u32); acc += u(T[(x >> 10) & 0xFFFFF]).
;;
;; Checksums at the default n (reference.py, the model of gather.wat; the same as
;; workloads.toml):
;;   run(2000000) = 4293337672283355
(module
  (memory (export "memory") i64 65)

  (func $init (local $i i32)
    (loop $l
      (i32.store (i64.shl (i64.extend_i32_u (local.get $i)) (i64.const 2))
        (i32.xor (i32.mul (local.get $i) (i32.const 2246822519)) (i32.shr_u (local.get $i) (i32.const 5))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0x100000)))))
  (start $init)

  (func (export "run") (param $n i32) (result i64) (local $x i32) (local $acc i64)
    (local.set $x (i32.const 1))
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (loop $l
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $acc (i64.add (local.get $acc)
        (i64.load32_u
          (i64.extend_i32_u (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0x3FFFFC))))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
