;; hash64.wat: hash.wat with a 64-bit memory (memory64), the twin of `hash`.
;;
;; Measures: what a 64-bit index costs hashed loads and stores with linear probing: the same
;; table, keys and probing as hash.wat, with the memory `i64`. The hash is computed in 32 bits
;; and widened once per operation; the slot index h and its address are then i64 (the probe's
;; add and mask are i64 instructions, and h goes into the sum without an extension), so the
;; loops keep the original's instruction counts; memory.fill takes i64 operands.
;; Memory: 8 pages (i64); 2^16 slots of 8 bytes at 0: key (i32, 0 = empty) then count (i32).
;;
;; run(n): clear the table; x = 0x2545F491; n times:
;;   x = x * 1103515245 + 12345 (u32); key = ((x >> 8) % 40000) + 1;
;;   h = (key * 0x9E3779B1) >> 16 (u32); probe h, h+1, ... (mod 2^16) to the slot holding key
;;   (count += 1) or to the first empty one (store key, count = 1);
;;   acc += u(h) + (u(count) << 32), h being the slot finally used (wrapping i64).
;;
;; Checksums at the default n (reference.py, the model of hash.wat; the same as
;; workloads.toml):
;;   run(1500000) = 127203962431781811
(module
  (memory (export "memory") i64 8)
  (func (export "run") (param $n i32) (result i64)
    (local $x i32) (local $key i32) (local $h i64) (local $slot i64) (local $k i32)
    (local $count i32) (local $acc i64)
    (memory.fill (i64.const 0) (i32.const 0) (i64.const 0x80000))
    (local.set $x (i32.const 0x2545F491))
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (loop $op
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $key (i32.add (i32.rem_u (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 40000)) (i32.const 1)))
      (local.set $h (i64.extend_i32_u
        (i32.shr_u (i32.mul (local.get $key) (i32.const 0x9E3779B1)) (i32.const 16))))
      (block $found
        (loop $probe
          (local.set $slot (i64.shl (local.get $h) (i64.const 3)))
          (local.set $k (i32.load (local.get $slot)))
          (if (i32.eq (local.get $k) (local.get $key))
            (then
              (local.set $count (i32.add (i32.load offset=4 (local.get $slot)) (i32.const 1)))
              (i32.store offset=4 (local.get $slot) (local.get $count))
              (br $found)))
          (if (i32.eqz (local.get $k))
            (then
              (i32.store (local.get $slot) (local.get $key))
              (local.set $count (i32.const 1))
              (i32.store offset=4 (local.get $slot) (local.get $count))
              (br $found)))
          (local.set $h (i64.and (i64.add (local.get $h) (i64.const 1)) (i64.const 0xFFFF)))
          (br $probe)))
      (local.set $acc (i64.add (local.get $acc)
        (i64.add (local.get $h)
          (i64.shl (i64.extend_i32_u (local.get $count)) (i64.const 32)))))
      (br_if $op (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
