;; simd_gather.wat: the random loads of gather.wat, four at a time into the lanes of a v128.
;;
;; Measures: what bounds checks cost lane loads (issue 13): v128.load32_lane is a 4-byte
;; access at a random address that replaces one lane of a vector; four per iteration, then
;; two i64x2 adds of the widened lanes.
;; Memory: 65 pages; the table T of 2^20 i32s at 0, filled by the start function with
;; T[i] = (i * 2246822519) ^ (i >> 5) (u32), as in gather.wat.
;;
;; gather_lanes(n): x = 1; n times: four times x = x * 1103515245 + 12345 (u32) and lane k of
;; v = T[(x >> 10) & 0xFFFFF] (k = 0..3); acc (i64x2) += the lanes widened unsigned. Returns
;; the sum of acc's lanes, the same sum as gather's run(4n).
;; About 30 instructions per 4 loads. Default n = 500,000: checksum in workloads.toml
;; (reference.py: the gather model at 4n).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   gather_lanes(500000) = 4293337672283355
(module
  (memory (export "memory") 65)

  (func $init (local $i i32)
    (loop $l
      (i32.store (i32.shl (local.get $i) (i32.const 2))
        (i32.xor (i32.mul (local.get $i) (i32.const 2246822519)) (i32.shr_u (local.get $i) (i32.const 5))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0x100000)))))
  (start $init)

  ;; The next LCG state's table address.
  (func $next (param $x i32) (result i32)
    (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))

  (func (export "gather_lanes") (param $n i32) (result i64) (local $x i32) (local $v v128) (local $acc v128)
    (local.set $x (i32.const 1))
    (if (i32.eqz (local.get $n)) (then (return (i64.const 0))))
    (loop $l
      (local.set $x (call $next (local.get $x)))
      (local.set $v (v128.load32_lane 0 (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0x3FFFFC))
        (local.get $v)))
      (local.set $x (call $next (local.get $x)))
      (local.set $v (v128.load32_lane 1 (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0x3FFFFC))
        (local.get $v)))
      (local.set $x (call $next (local.get $x)))
      (local.set $v (v128.load32_lane 2 (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0x3FFFFC))
        (local.get $v)))
      (local.set $x (call $next (local.get $x)))
      (local.set $v (v128.load32_lane 3 (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0x3FFFFC))
        (local.get $v)))
      (local.set $acc (i64x2.add (local.get $acc) (i64x2.extend_low_i32x4_u (local.get $v))))
      (local.set $acc (i64x2.add (local.get $acc) (i64x2.extend_high_i32x4_u (local.get $v))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i64.add (i64x2.extract_lane 0 (local.get $acc)) (i64x2.extract_lane 1 (local.get $acc)))))
