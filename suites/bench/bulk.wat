;; bulk.wat: memory.copy and memory.fill of pseudo-random lengths at pseudo-random places.
;;
;; Measures: the bulk-memory instructions, where an engine checks the whole range once and
;; then runs memmove/memset (a strategy difference shows only in the per-operation check),
;; over lengths of 1 byte to 32 KiB, unaligned.
;; Memory: 16 pages; the source S (256 KiB at 0) filled by the start function with the
;; i32 words i * 2654435761 (u32); the destination D at 0x40000 (128 KiB + 32 KiB used).
;; S is never written, so every call on an instance returns the same checksum.
;;
;; LCG: x = x * 1103515245 + 12345 (u32), x0 = 99; load8 is i32.load8_u extended to i64.
;; copy(n): n times: x = lcg(x); len = ((x >> 17) & 0x7FFF) + 1; x = lcg(x);
;;   src = (x >> 14) & 0x1FFFF; x = lcg(x); dst = 0x40000 + ((x >> 14) & 0x1FFFF);
;;   memory.copy(dst, src, len); acc = acc * 31 + load8(dst) + (load8(dst + len - 1) << 8) + len.
;; fill(n): n times: x = lcg(x); len = ((x >> 17) & 0x7FFF) + 1; x = lcg(x);
;;   dst = 0x40000 + ((x >> 14) & 0x1FFFF); memory.fill(dst, x & 0xFF, len);
;;   acc = acc * 31 + load8(dst) + (load8(dst + len - 1) << 8) + len.
;; (acc is a wrapping i64.) 16 KiB per operation on average. Default n = 20,000: checksums
;; in workloads.toml (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   copy(20000) = 6269002098983802478
;;   fill(20000) = 2770205567641907374
(module
  (memory (export "memory") 16)

  (func $init (local $i i32)
    (loop $l
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $i) (i32.const 2654435761)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0x10000)))))
  (start $init)

  (func $lcg (param $x i32) (result i32)
    (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))

  (func $mix (param $acc i64) (param $dst i32) (param $len i32) (result i64)
    (i64.add
      (i64.add (i64.mul (local.get $acc) (i64.const 31)) (i64.load8_u (local.get $dst)))
      (i64.add
        (i64.shl (i64.load8_u (i32.sub (i32.add (local.get $dst) (local.get $len)) (i32.const 1))) (i64.const 8))
        (i64.extend_i32_u (local.get $len)))))

  (func (export "copy") (param $n i32) (result i64)
    (local $x i32) (local $len i32) (local $src i32) (local $dst i32) (local $acc i64)
    (local.set $x (i32.const 99))
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (loop $op
      (local.set $x (call $lcg (local.get $x)))
      (local.set $len (i32.add (i32.and (i32.shr_u (local.get $x) (i32.const 17)) (i32.const 0x7FFF)) (i32.const 1)))
      (local.set $x (call $lcg (local.get $x)))
      (local.set $src (i32.and (i32.shr_u (local.get $x) (i32.const 14)) (i32.const 0x1FFFF)))
      (local.set $x (call $lcg (local.get $x)))
      (local.set $dst (i32.add (i32.const 0x40000) (i32.and (i32.shr_u (local.get $x) (i32.const 14)) (i32.const 0x1FFFF))))
      (memory.copy (local.get $dst) (local.get $src) (local.get $len))
      (local.set $acc (call $mix (local.get $acc) (local.get $dst) (local.get $len)))
      (br_if $op (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))

  (func (export "fill") (param $n i32) (result i64)
    (local $x i32) (local $len i32) (local $dst i32) (local $acc i64)
    (local.set $x (i32.const 99))
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (loop $op
      (local.set $x (call $lcg (local.get $x)))
      (local.set $len (i32.add (i32.and (i32.shr_u (local.get $x) (i32.const 17)) (i32.const 0x7FFF)) (i32.const 1)))
      (local.set $x (call $lcg (local.get $x)))
      (local.set $dst (i32.add (i32.const 0x40000) (i32.and (i32.shr_u (local.get $x) (i32.const 14)) (i32.const 0x1FFFF))))
      (memory.fill (local.get $dst) (i32.and (local.get $x) (i32.const 0xFF)) (local.get $len))
      (local.set $acc (call $mix (local.get $acc) (local.get $dst) (local.get $len)))
      (br_if $op (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
