;; streams64.wat: streams.wat with a 64-bit memory (memory64), the twin of every stream workload.
;;
;; Measures: what a 64-bit index costs the sequential streams of streams.wat. The kernels,
;; the layout, the data and the results are streams.wat's; only the index type differs: the
;; memory is `i64`, the pointer locals and address constants are i64, and the loop compares
;; and increments of the pointer are i64 instructions (the same number of instructions per
;; element as the 32-bit original). Engines whose guard region covers a 32-bit index must
;; check a 64-bit one explicitly (or with one compare of the address), so the difference is
;; the index's bounds check, not the work.
;; Memory: 64 pages (i64); layout, start function and exports as in streams.wat:
;;   i32 A B C at 0x000000 0x040000 0x080000, i64 at 0x0C0000 0x140000 0x1C0000,
;;   f64 at 0x240000 0x2C0000 0x340000; A32[i] = i * 2654435761, B32[i] = i ^ 0x5555,
;;   A64[i] = i * 0x9E3779B97F4A7C15, B64[i] = i * 3 + 1, AF[i] = 1.0 / f64(i + 1),
;;   BF[i] = f64(i) * 0.001.
;; Exports sum_T / fill_T / add_T (n) as in streams.wat; fill and add return the same sample
;; checksum (16 i64 loads of C), so every checksum equals the 32-bit workload's.
;;
;; Checksums at the default n (reference.py, the models of streams.wat; the same as
;; workloads.toml):
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
  (memory (export "memory") i64 64)

  (func $init (local $i i32) (local $a i64)
    (loop $l
      (local.set $a (i64.extend_i32_u (local.get $i)))
      (i32.store offset=0x000000 (i64.shl (local.get $a) (i64.const 2))
        (i32.mul (local.get $i) (i32.const 2654435761)))
      (i32.store offset=0x040000 (i64.shl (local.get $a) (i64.const 2))
        (i32.xor (local.get $i) (i32.const 0x5555)))
      (i64.store offset=0x0C0000 (i64.shl (local.get $a) (i64.const 3))
        (i64.mul (local.get $a) (i64.const 0x9E3779B97F4A7C15)))
      (i64.store offset=0x140000 (i64.shl (local.get $a) (i64.const 3))
        (i64.add (i64.mul (local.get $a) (i64.const 3)) (i64.const 1)))
      (f64.store offset=0x240000 (i64.shl (local.get $a) (i64.const 3))
        (f64.div (f64.const 1) (f64.convert_i32_u (i32.add (local.get $i) (i32.const 1)))))
      (f64.store offset=0x2C0000 (i64.shl (local.get $a) (i64.const 3))
        (f64.mul (f64.convert_i32_u (local.get $i)) (f64.const 0.001)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 65536)))))
  (start $init)

  ;; The sample checksum of the region [base, base + 16 * stride).
  (func $sample (param $base i64) (param $stride i64) (result i64) (local $k i64) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc)
        (i64.load (i64.add (local.get $base) (i64.mul (local.get $k) (local.get $stride))))))
      (br_if $l (i64.lt_u (local.tee $k (i64.add (local.get $k) (i64.const 1))) (i64.const 16))))
    (local.get $acc))

  (func (export "sum_i32") (param $n i32) (result i64) (local $p i64) (local $acc i64)
    (block $end
      (loop $pass
        (br_if $end (i32.eqz (local.get $n)))
        (local.set $p (i64.const 0x000000))
        (loop $l
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.load (local.get $p)))))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 4))) (i64.const 0x040000))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc))

  (func (export "sum_i64") (param $n i32) (result i64) (local $p i64) (local $acc i64)
    (block $end
      (loop $pass
        (br_if $end (i32.eqz (local.get $n)))
        (local.set $p (i64.const 0x0C0000))
        (loop $l
          (local.set $acc (i64.add (local.get $acc) (i64.load (local.get $p))))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 8))) (i64.const 0x140000))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc))

  (func (export "sum_f64") (param $n i32) (result i64) (local $p i64) (local $acc f64)
    (block $end
      (loop $pass
        (br_if $end (i32.eqz (local.get $n)))
        (local.set $p (i64.const 0x240000))
        (loop $l
          (local.set $acc (f64.add (local.get $acc) (f64.load (local.get $p))))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 8))) (i64.const 0x2C0000))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (i64.reinterpret_f64 (local.get $acc)))

  (func (export "fill_i32") (param $n i32) (result i64) (local $pass i32) (local $p i64) (local $v i32)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i64.const 0x080000))
        (local.set $v (local.get $pass))
        (loop $l
          (i32.store (local.get $p) (local.get $v))
          (local.set $v (i32.add (local.get $v) (i32.const 1)))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 4))) (i64.const 0x0C0000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i64.const 0x080000) (i64.const 0x4000)))

  (func (export "fill_i64") (param $n i32) (result i64) (local $pass i32) (local $p i64) (local $v i64)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i64.const 0x1C0000))
        (local.set $v (i64.extend_i32_u (local.get $pass)))
        (loop $l
          (i64.store (local.get $p) (local.get $v))
          (local.set $v (i64.add (local.get $v) (i64.const 1)))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 8))) (i64.const 0x240000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i64.const 0x1C0000) (i64.const 0x8000)))

  (func (export "fill_f64") (param $n i32) (result i64) (local $pass i32) (local $p i64) (local $v f64)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i64.const 0x340000))
        (local.set $v (f64.convert_i32_u (local.get $pass)))
        (loop $l
          (f64.store (local.get $p) (local.get $v))
          (local.set $v (f64.add (local.get $v) (f64.const 1)))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 8))) (i64.const 0x3C0000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i64.const 0x340000) (i64.const 0x8000)))

  ;; add: one pointer walks A; B and C are at fixed distances from it (static offsets).
  (func (export "add_i32") (param $n i32) (result i64) (local $pass i32) (local $p i64)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i64.const 0x000000))
        (loop $l
          (i32.store offset=0x080000 (local.get $p)
            (i32.add (i32.add (i32.load (local.get $p)) (i32.load offset=0x040000 (local.get $p)))
              (local.get $pass)))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 4))) (i64.const 0x040000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i64.const 0x080000) (i64.const 0x4000)))

  (func (export "add_i64") (param $n i32) (result i64) (local $pass i32) (local $p i64) (local $k i64)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i64.const 0x0C0000))
        (local.set $k (i64.extend_i32_u (local.get $pass)))
        (loop $l
          (i64.store offset=0x100000 (local.get $p)
            (i64.add (i64.add (i64.load (local.get $p)) (i64.load offset=0x080000 (local.get $p)))
              (local.get $k)))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 8))) (i64.const 0x140000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i64.const 0x1C0000) (i64.const 0x8000)))

  (func (export "add_f64") (param $n i32) (result i64) (local $pass i32) (local $p i64) (local $k f64)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $p (i64.const 0x240000))
        (local.set $k (f64.convert_i32_u (local.get $pass)))
        (loop $l
          (f64.store offset=0x100000 (local.get $p)
            (f64.add (f64.add (f64.load (local.get $p)) (f64.load offset=0x080000 (local.get $p)))
              (local.get $k)))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 8))) (i64.const 0x2C0000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i64.const 0x340000) (i64.const 0x8000))))
