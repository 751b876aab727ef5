;; heapsort.wat: in-place heapsort of n pseudo-random u32s.
;;
;; Measures: data-dependent loads and stores jumping down a binary heap (parent i, children
;; 2i+1 and 2i+2), so the access pattern spreads out as the heap grows; unpredictable
;; compare branches. Memory: 64 pages; the array at 0 (n <= 2^22).
;;
;; run(n): a[i] = x after x = x * 1103515245 + 12345 (u32, x0 = 7) for each i in order;
;; build a max-heap (sift down from n/2 - 1 to 0), then n - 1 times swap a[0] with the last
;; heap element and sift down; compares are unsigned. Traps (unreachable) if the result is
;; not sorted. Returns sum over i of u(a[i]) * (i + 1) (wrapping i64).
;; About 30 n log2 n instructions. Default n = 100,000: checksum in workloads.toml
;; (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(100000) = -4111794664210387278
(module
  (memory (export "memory") 64)

  (func $sift (param $root i32) (param $end i32)
    (local $child i32) (local $r i32) (local $c i32)
    (block $done
      (loop $down
        (local.set $child (i32.add (i32.shl (local.get $root) (i32.const 1)) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $child) (local.get $end)))
        (local.set $c (i32.load (i32.shl (local.get $child) (i32.const 2))))
        (if (i32.lt_u (i32.add (local.get $child) (i32.const 1)) (local.get $end))
          (then
            (if (i32.lt_u (local.get $c) (i32.load offset=4 (i32.shl (local.get $child) (i32.const 2))))
              (then
                (local.set $child (i32.add (local.get $child) (i32.const 1)))
                (local.set $c (i32.load (i32.shl (local.get $child) (i32.const 2))))))))
        (local.set $r (i32.load (i32.shl (local.get $root) (i32.const 2))))
        (br_if $done (i32.ge_u (local.get $r) (local.get $c)))
        (i32.store (i32.shl (local.get $root) (i32.const 2)) (local.get $c))
        (i32.store (i32.shl (local.get $child) (i32.const 2)) (local.get $r))
        (local.set $root (local.get $child))
        (br $down))))

  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i32) (local $end i32) (local $t i32) (local $acc i64)
    (if (i32.lt_u (local.get $n) (i32.const 2)) (then (return (i64.const 0))))
    (local.set $x (i32.const 7))
    (loop $fill
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $x))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    ;; heapify
    (local.set $i (i32.shr_u (local.get $n) (i32.const 1)))
    (loop $heapify
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (call $sift (local.get $i) (local.get $n))
      (br_if $heapify (local.get $i)))
    ;; pop the maximum to the end, n - 1 times
    (local.set $end (i32.sub (local.get $n) (i32.const 1)))
    (loop $pop
      (local.set $t (i32.load (i32.const 0)))
      (i32.store (i32.const 0) (i32.load (i32.shl (local.get $end) (i32.const 2))))
      (i32.store (i32.shl (local.get $end) (i32.const 2)) (local.get $t))
      (call $sift (i32.const 0) (local.get $end))
      (br_if $pop (local.tee $end (i32.sub (local.get $end) (i32.const 1)))))
    ;; check and checksum
    (local.set $i (i32.const 0))
    (loop $check
      (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n))
        (then
          (if (i32.gt_u (i32.load (i32.shl (local.get $i) (i32.const 2)))
                        (i32.load offset=4 (i32.shl (local.get $i) (i32.const 2))))
            (then unreachable))))
      (local.set $acc (i64.add (local.get $acc)
        (i64.mul (i64.extend_i32_u (i32.load (i32.shl (local.get $i) (i32.const 2))))
          (i64.extend_i32_u (i32.add (local.get $i) (i32.const 1))))))
      (br_if $check (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc)))
