;; simd_streams.wat: the add_i32 stream of streams.wat, vectorised: 16-byte loads and stores.
;;
;; Measures: what bounds checks cost a stream of v128 accesses (issue 13): per 4 elements,
;; two v128.load and one v128.store (each checked once for 16 bytes, or guarded) and two
;; i32x4.add, against add_i32's eight i32 loads and four stores.
;; Memory: 64 pages, the i32 arrays of streams.wat at the same addresses (A32 at 0x000000,
;; B32 at 0x040000, C32 at 0x080000, 65,536 elements each), filled by the start function with
;;   A32[i] = i * 2654435761 (u32)   B32[i] = i ^ 0x5555
;;
;; add_i32x4(n): pass p stores C[i] = A[i] + B[i] + p (wrapping), 4 lanes per instruction;
;; returns the sample checksum of streams.wat (the sum of 16 i64 loads of C at C + k * 0x4000),
;; so it equals add_i32(n) and every call on the same instance returns the same value.
;; About 9 instructions per 4 elements. Default n = 200 passes: checksums in workloads.toml
;; (reference.py: the add_i32 model).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   add_i32x4(200) = -851465347617300032
(module
  (memory (export "memory") 64)

  (func $init (local $i i32)
    (loop $l
      (i32.store offset=0x000000 (i32.shl (local.get $i) (i32.const 2))
        (i32.mul (local.get $i) (i32.const 2654435761)))
      (i32.store offset=0x040000 (i32.shl (local.get $i) (i32.const 2))
        (i32.xor (local.get $i) (i32.const 0x5555)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 65536)))))
  (start $init)

  ;; The sample checksum of the region [base, base + 16 * stride).
  (func $sample (param $base i32) (param $stride i32) (result i64) (local $k i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc)
        (i64.load (i32.add (local.get $base) (i32.mul (local.get $k) (local.get $stride))))))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 16))))
    (local.get $acc))

  (func (export "add_i32x4") (param $n i32) (result i64) (local $pass i32) (local $p i32) (local $k v128)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $k (i32x4.splat (local.get $pass)))
        (local.set $p (i32.const 0x000000))
        (loop $l
          (v128.store offset=0x080000 (local.get $p)
            (i32x4.add (i32x4.add (v128.load (local.get $p)) (v128.load offset=0x040000 (local.get $p)))
              (local.get $k)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 16))) (i32.const 0x040000))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $next)))
    (call $sample (i32.const 0x080000) (i32.const 0x4000))))
