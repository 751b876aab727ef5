;; streams.wat: sequential streams over i32, i64 and f64 arrays of 65,536 elements.
;;
;; Measures: sequential loads and stores one after another through a pointer, the loop
;; shape where a bounds check per access is most visible next to the tiny amount of work.
;; Memory: 64 pages; the arrays (A, B, C per type) fill 3.75 MiB, so one pass stays
;; within L2/L3 and the cost is the access, not DRAM.
;;
;; Layout (byte addresses):   A        B        C        (each 65,536 elements)
;;   i32 (256 KiB each)       0x000000 0x040000 0x080000
;;   i64 (512 KiB each)       0x0C0000 0x140000 0x1C0000
;;   f64 (512 KiB each)       0x240000 0x2C0000 0x340000
;; The start function fills A and B (so it is part of instantiation, not of run):
;;   A32[i] = i * 2654435761 (u32)   B32[i] = i ^ 0x5555
;;   A64[i] = i * 0x9E3779B97F4A7C15 B64[i] = i * 3 + 1
;;   AF[i]  = 1.0 / f64(i + 1)       BF[i]  = f64(i) * 0.001
;;
;; Exports (all (param n i32) (result i64), n = number of passes over the 65,536 elements):
;;   sum_T(n):  acc += A[i] over n passes; i32 elements extended unsigned into an i64
;;              sum, i64 wrapping, f64 summed in order and returned as its bits.
;;   fill_T(n): pass p stores C[i] = p + i (f64: a running f64 starting at p, + 1.0 each).
;;   add_T(n):  pass p stores C[i] = A[i] + B[i] + p (wrapping; f64: (A + B) + f64(p)).
;; fill and add return the sample checksum: the sum (wrapping) of 16 i64 loads of C's raw
;; bytes at C + k * size/16, k = 0..15, so only the last pass counts and every call on
;; the same instance returns the same value.
;; About 6 (sum), 5 (fill) and 9 (add) instructions per element.
;; Default n = 100 passes (add: 50): checksums in workloads.toml (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   sum_i32(100) = 14073646753382400
;;   sum_i64(100) = 1608171604429635584
;;   sum_f64(100) = 4652846270598533791
;;   fill_i32(100) = 2117934273496624
;;   fill_i64(100) = 493104
;;   fill_f64(100) = 946402434584936448
;;   add_i32(50) = -851475655538812832
;;   add_i64(50) = 1220258545769120544
;;   add_f64(50) = 375635200310643012
(module
  (memory (export "memory") 64)

  (func $init (local $i i32)
    (loop $l
      (i32.store offset=0x000000 (i32.shl (local.get $i) (i32.const 2))
        (i32.mul (local.get $i) (i32.const 2654435761)))
      (i32.store offset=0x040000 (i32.shl (local.get $i) (i32.const 2))
        (i32.xor (local.get $i) (i32.const 0x5555)))
      (i64.store offset=0x0C0000 (i32.shl (local.get $i) (i32.const 3))
        (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 0x9E3779B97F4A7C15)))
      (i64.store offset=0x140000 (i32.shl (local.get $i) (i32.const 3))
        (i64.add (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 3)) (i64.const 1)))
      (f64.store offset=0x240000 (i32.shl (local.get $i) (i32.const 3))
        (f64.div (f64.const 1) (f64.convert_i32_u (i32.add (local.get $i) (i32.const 1)))))
      (f64.store offset=0x2C0000 (i32.shl (local.get $i) (i32.const 3))
        (f64.mul (f64.convert_i32_u (local.get $i)) (f64.const 0.001)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 65536)))))
  (start $init)

  ;; The sample checksum of the region [base, base + 16 * stride).
  (func $sample (param $base i32) (param $stride i32) (result i64) (local $k i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc)
        (i64.load (i32.add (local.get $base) (i32.mul (local.get $k) (local.get $stride))))))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 16))))
    (local.get $acc))

  (func (export "sum_i32") (param $n i32) (result i64) (local $p i32) (local $acc i64)
    (block $end
      (loop $pass
        (br_if $end (i32.eqz (local.get $n)))
        (local.set $p (i32.const 0x000000))
        (loop $l
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.load (local.get $p)))))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 4))) (i32.const 0x040000))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc))

  (func (export "sum_i64") (param $n i32) (result i64) (local $p i32) (local $acc i64)
    (block $end
      (loop $pass
        (br_if $end (i32.eqz (local.get $n)))
        (local.set $p (i32.const 0x0C0000))
        (loop $l
          (local.set $acc (i64.add (local.get $acc) (i64.load (local.get $p))))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 8))) (i32.const 0x140000))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc))

  (func (export "sum_f64") (param $n i32) (result i64) (local $p i32) (local $acc f64)
    (block $end
      (loop $pass
        (br_if $end (i32.eqz (local.get $n)))
        (local.set $p (i32.const 0x240000))
        (loop $l
          (local.set $acc (f64.add (local.get $acc) (f64.load (local.get $p))))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 8))) (i32.const 0x2C0000))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (i64.reinterpret_f64 (local.get $acc)))

  (func (export "fill_i32") (param $n i32) (result i64) (local $pass i32) (local $p i32) (local $v i32)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i32.const 0x080000))
        (local.set $v (local.get $pass))
        (loop $l
          (i32.store (local.get $p) (local.get $v))
          (local.set $v (i32.add (local.get $v) (i32.const 1)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 4))) (i32.const 0x0C0000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i32.const 0x080000) (i32.const 0x4000)))

  (func (export "fill_i64") (param $n i32) (result i64) (local $pass i32) (local $p i32) (local $v i64)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i32.const 0x1C0000))
        (local.set $v (i64.extend_i32_u (local.get $pass)))
        (loop $l
          (i64.store (local.get $p) (local.get $v))
          (local.set $v (i64.add (local.get $v) (i64.const 1)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 8))) (i32.const 0x240000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i32.const 0x1C0000) (i32.const 0x8000)))

  (func (export "fill_f64") (param $n i32) (result i64) (local $pass i32) (local $p i32) (local $v f64)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i32.const 0x340000))
        (local.set $v (f64.convert_i32_u (local.get $pass)))
        (loop $l
          (f64.store (local.get $p) (local.get $v))
          (local.set $v (f64.add (local.get $v) (f64.const 1)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 8))) (i32.const 0x3C0000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i32.const 0x340000) (i32.const 0x8000)))

  ;; add: one pointer walks A; B and C are at fixed distances from it (static offsets).
  (func (export "add_i32") (param $n i32) (result i64) (local $pass i32) (local $p i32)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i32.const 0x000000))
        (loop $l
          (i32.store offset=0x080000 (local.get $p)
            (i32.add (i32.add (i32.load (local.get $p)) (i32.load offset=0x040000 (local.get $p)))
              (local.get $pass)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 4))) (i32.const 0x040000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i32.const 0x080000) (i32.const 0x4000)))

  (func (export "add_i64") (param $n i32) (result i64) (local $pass i32) (local $p i32) (local $k i64)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i32.const 0x0C0000))
        (local.set $k (i64.extend_i32_u (local.get $pass)))
        (loop $l
          (i64.store offset=0x100000 (local.get $p)
            (i64.add (i64.add (i64.load (local.get $p)) (i64.load offset=0x080000 (local.get $p)))
              (local.get $k)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 8))) (i32.const 0x140000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i32.const 0x1C0000) (i32.const 0x8000)))

  (func (export "add_f64") (param $n i32) (result i64) (local $pass i32) (local $p i32) (local $k f64)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i32.const 0x240000))
        (local.set $k (f64.convert_i32_u (local.get $pass)))
        (loop $l
          (f64.store offset=0x100000 (local.get $p)
            (f64.add (f64.add (f64.load (local.get $p)) (f64.load offset=0x080000 (local.get $p)))
              (local.get $k)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 8))) (i32.const 0x2C0000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i32.const 0x340000) (i32.const 0x8000))))
