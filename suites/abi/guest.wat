;; The ABI guest: the allocator and every well-behaved ABI function (see ABI.md).
;; Each function takes its inputs as (ptr, len) pairs, frees them before returning, and
;; returns a byte result as a fresh (ptr, len) pair that the host frees with `dealloc`.
;; Malformed input (invalid UTF-8, an array length that is not a whole number of
;; elements) traps with `unreachable`.
(module
  (memory (export "memory") 1)
  ;; @include allocator.inc
  (export "alloc" (func $alloc))
  (export "dealloc" (func $dealloc))
  (export "live_bytes" (func $live_bytes))

  ;; ASCII upper case: a-z become A-Z, every other byte is copied.
  (func (export "upper") (param $p i32) (param $n i32) (result i32 i32)
    (local $out i32) (local $i i32) (local $c i32)
    (local.set $out (call $alloc_or_trap (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.load8_u (i32.add (local.get $p) (local.get $i))))
        (if (i32.lt_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 26))
          (then (local.set $c (i32.sub (local.get $c) (i32.const 32)))))
        (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $c))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $dealloc (local.get $p) (local.get $n))
    (local.get $out) (local.get $n))

  ;; The bytes in reverse order.
  (func (export "reverse") (param $p i32) (param $n i32) (result i32 i32)
    (local $out i32) (local $i i32)
    (local.set $out (call $alloc_or_trap (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8
          (i32.add (local.get $out) (i32.sub (i32.sub (local.get $n) (i32.const 1)) (local.get $i)))
          (i32.load8_u (i32.add (local.get $p) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $dealloc (local.get $p) (local.get $n))
    (local.get $out) (local.get $n))

  ;; Sum of the bytes as unsigned integers.
  (func (export "array_sum_u8") (param $p i32) (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i64.add (local.get $sum)
          (i64.load8_u (i32.add (local.get $p) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $dealloc (local.get $p) (local.get $n))
    (local.get $sum))

  ;; Sum of little-endian signed i32s (len in bytes, a multiple of 4), without overflow.
  (func (export "array_sum_i32") (param $p i32) (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    (if (i32.and (local.get $n) (i32.const 3)) (then unreachable))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i64.add (local.get $sum)
          (i64.load32_s (i32.add (local.get $p) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (call $dealloc (local.get $p) (local.get $n))
    (local.get $sum))

  ;; Sum of little-endian f64s (len in bytes, a multiple of 8), added left to right.
  (func (export "array_sum_f64") (param $p i32) (param $n i32) (result f64)
    (local $i i32) (local $sum f64)
    (if (i32.and (local.get $n) (i32.const 7)) (then unreachable))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (f64.add (local.get $sum)
          (f64.load (i32.add (local.get $p) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    (call $dealloc (local.get $p) (local.get $n))
    (local.get $sum))

  ;; Element $i of the i32 array at $a.
  (func $get (param $a i32) (param $i i32) (result i32)
    (i32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
  (func $swap (param $a i32) (param $i i32) (param $j i32)
    (local $t i32)
    (local.set $t (call $get (local.get $a) (local.get $i)))
    (i32.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
      (call $get (local.get $a) (local.get $j)))
    (i32.store (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 2))) (local.get $t)))
  ;; Restores the max-heap property below $root in a[0..$end).
  (func $sift (param $a i32) (param $root i32) (param $end i32)
    (local $child i32)
    (block $done
      (loop $down
        (local.set $child (i32.add (i32.shl (local.get $root) (i32.const 1)) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $child) (local.get $end)))
        (if (i32.lt_u (i32.add (local.get $child) (i32.const 1)) (local.get $end))
          (then
            (if (i32.lt_s (call $get (local.get $a) (local.get $child))
                          (call $get (local.get $a) (i32.add (local.get $child) (i32.const 1))))
              (then (local.set $child (i32.add (local.get $child) (i32.const 1)))))))
        (br_if $done (i32.ge_s (call $get (local.get $a) (local.get $root))
                               (call $get (local.get $a) (local.get $child))))
        (call $swap (local.get $a) (local.get $root) (local.get $child))
        (local.set $root (local.get $child))
        (br $down))))

  ;; A sorted copy (ascending, signed) of an i32 array (len in bytes, a multiple of 4): heapsort.
  (func (export "sort_i32") (param $p i32) (param $n i32) (result i32 i32)
    (local $out i32) (local $count i32) (local $i i32)
    (if (i32.and (local.get $n) (i32.const 3)) (then unreachable))
    (local.set $out (call $alloc_or_trap (local.get $n)))
    (memory.copy (local.get $out) (local.get $p) (local.get $n))
    (call $dealloc (local.get $p) (local.get $n))
    (local.set $count (i32.shr_u (local.get $n) (i32.const 2)))
    (local.set $i (i32.shr_u (local.get $count) (i32.const 1)))
    (block $built
      (loop $build
        (br_if $built (i32.eqz (local.get $i)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (call $sift (local.get $out) (local.get $i) (local.get $count))
        (br $build)))
    (local.set $i (local.get $count))
    (block $sorted
      (loop $pop
        (br_if $sorted (i32.le_u (local.get $i) (i32.const 1)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (call $swap (local.get $out) (i32.const 0) (local.get $i))
        (call $sift (local.get $out) (i32.const 0) (local.get $i))
        (br $pop)))
    (local.get $out) (local.get $n))

  ;; The first string followed by the second.
  (func (export "concat") (param $p1 i32) (param $n1 i32) (param $p2 i32) (param $n2 i32)
    (result i32 i32)
    (local $n i32) (local $out i32)
    (local.set $n (i32.add (local.get $n1) (local.get $n2)))
    (if (i32.lt_u (local.get $n) (local.get $n1)) (then unreachable))
    (local.set $out (call $alloc_or_trap (local.get $n)))
    (memory.copy (local.get $out) (local.get $p1) (local.get $n1))
    (memory.copy (i32.add (local.get $out) (local.get $n1)) (local.get $p2) (local.get $n2))
    (call $dealloc (local.get $p1) (local.get $n1))
    (call $dealloc (local.get $p2) (local.get $n2))
    (local.get $out) (local.get $n))

  ;; The number of Unicode scalar values in a UTF-8 string; traps on invalid UTF-8
  ;; (overlong forms, surrogates, values past U+10FFFF, truncated sequences).
  (func (export "count_chars") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $count i32) (local $b i32) (local $len i32) (local $lo i32)
    (local $hi i32) (local $k i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $b (i32.load8_u (i32.add (local.get $p) (local.get $i))))
        (local.set $lo (i32.const 0x80))
        (local.set $hi (i32.const 0xbf))
        (if (i32.lt_u (local.get $b) (i32.const 0x80))
          (then (local.set $len (i32.const 1)))
          (else (if (i32.lt_u (local.get $b) (i32.const 0xc2))
          (then unreachable)
          (else (if (i32.le_u (local.get $b) (i32.const 0xdf))
          (then (local.set $len (i32.const 2)))
          (else (if (i32.le_u (local.get $b) (i32.const 0xef))
          (then
            (local.set $len (i32.const 3))
            (if (i32.eq (local.get $b) (i32.const 0xe0)) (then (local.set $lo (i32.const 0xa0))))
            (if (i32.eq (local.get $b) (i32.const 0xed)) (then (local.set $hi (i32.const 0x9f)))))
          (else (if (i32.le_u (local.get $b) (i32.const 0xf4))
          (then
            (local.set $len (i32.const 4))
            (if (i32.eq (local.get $b) (i32.const 0xf0)) (then (local.set $lo (i32.const 0x90))))
            (if (i32.eq (local.get $b) (i32.const 0xf4)) (then (local.set $hi (i32.const 0x8f)))))
          (else unreachable))))))))))
        ;; the whole sequence must be there
        (if (i32.gt_u (local.get $len) (i32.sub (local.get $n) (local.get $i))) (then unreachable))
        (if (i32.gt_u (local.get $len) (i32.const 1))
          (then
            (local.set $b (i32.load8_u offset=1 (i32.add (local.get $p) (local.get $i))))
            (if (i32.or (i32.lt_u (local.get $b) (local.get $lo)) (i32.gt_u (local.get $b) (local.get $hi)))
              (then unreachable))
            (local.set $k (i32.const 2))
            (block $conts
              (loop $cont
                (br_if $conts (i32.ge_u (local.get $k) (local.get $len)))
                (if (i32.ne (i32.and (i32.load8_u (i32.add (local.get $p) (i32.add (local.get $i) (local.get $k))))
                                     (i32.const 0xc0))
                            (i32.const 0x80))
                  (then unreachable))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $cont)))))
        (local.set $i (i32.add (local.get $i) (local.get $len)))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (br $next)))
    (call $dealloc (local.get $p) (local.get $n))
    (local.get $count))
)
