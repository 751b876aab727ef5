;; offsets64.wat: offsets.wat with a 64-bit memory (memory64), the twin of the offset workloads.
;;
;; Measures: what a 64-bit index costs the static-offset sweep of offsets.wat: the same
;; read-modify-write loop at static offsets 0, 4 KiB, 64 KiB and 64 MiB over the same 256 KiB
;; region R at 64 MiB, with the memory `i64`, the pointer and its end i64 (i64 add and compare
;; in the loop: the same number of instructions per element as the 32-bit original). With a
;; 64-bit index no engine can leave the check to a guard region alone: the address needs a
;; compare (or a full explicit check), and the offset is added in 64 bits.
;; Memory: 1028 pages (i64), exactly 64 MiB + 256 KiB; the start function fills R with
;; w[i] = i * 0x01000193 + 0x811C9DC5 (u32, i = 0 .. 65535).
;;
;; run_0 / run_4k / run_64k / run_64m (n): 2n passes over R addressed as base + offset with
;; base = R - offset; each element: v = load; acc += u(v); store v ^ 0x5BD1E995. R is back to
;; w after every call, and the result is n * (sum(w) + sum(w ^ 0x5BD1E995)), as in offsets.wat.
;;
;; Checksums at the default n (reference.py, the model of offsets.wat; the same as
;; workloads.toml):
;;   run_0(40) = 11259138379612160
;;   run_4k(40) = 11259138379612160
;;   run_64k(40) = 11259138379612160
;;   run_64m(40) = 11259138379612160
(module
  (memory (export "memory") i64 1028)

  (func $init (local $i i32)
    (loop $l
      (i32.store offset=0x4000000 (i64.shl (i64.extend_i32_u (local.get $i)) (i64.const 2))
        (i32.add (i32.mul (local.get $i) (i32.const 0x01000193)) (i32.const 0x811C9DC5)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0x10000)))))
  (start $init)

  (func (export "run_0") (param $n i32) (result i64) (local $p i64) (local $end i64) (local $v i32) (local $acc i64)
    (local.set $n (i32.shl (local.get $n) (i32.const 1)))
    (local.set $end (i64.add (i64.const 0x4000000) (i64.const 0x40000)))
    (block $done
      (loop $pass
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (i64.const 0x4000000))
        (loop $l
          (local.set $v (i32.load offset=0x0 (local.get $p)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $v))))
          (i32.store offset=0x0 (local.get $p) (i32.xor (local.get $v) (i32.const 0x5BD1E995)))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 4))) (local.get $end))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc))

  (func (export "run_4k") (param $n i32) (result i64) (local $p i64) (local $end i64) (local $v i32) (local $acc i64)
    (local.set $n (i32.shl (local.get $n) (i32.const 1)))
    (local.set $end (i64.add (i64.const 0x3fff000) (i64.const 0x40000)))
    (block $done
      (loop $pass
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (i64.const 0x3fff000))
        (loop $l
          (local.set $v (i32.load offset=0x1000 (local.get $p)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $v))))
          (i32.store offset=0x1000 (local.get $p) (i32.xor (local.get $v) (i32.const 0x5BD1E995)))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 4))) (local.get $end))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc))

  (func (export "run_64k") (param $n i32) (result i64) (local $p i64) (local $end i64) (local $v i32) (local $acc i64)
    (local.set $n (i32.shl (local.get $n) (i32.const 1)))
    (local.set $end (i64.add (i64.const 0x3ff0000) (i64.const 0x40000)))
    (block $done
      (loop $pass
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (i64.const 0x3ff0000))
        (loop $l
          (local.set $v (i32.load offset=0x10000 (local.get $p)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $v))))
          (i32.store offset=0x10000 (local.get $p) (i32.xor (local.get $v) (i32.const 0x5BD1E995)))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 4))) (local.get $end))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc))

  (func (export "run_64m") (param $n i32) (result i64) (local $p i64) (local $end i64) (local $v i32) (local $acc i64)
    (local.set $n (i32.shl (local.get $n) (i32.const 1)))
    (local.set $end (i64.add (i64.const 0x0) (i64.const 0x40000)))
    (block $done
      (loop $pass
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (i64.const 0x0))
        (loop $l
          (local.set $v (i32.load offset=0x4000000 (local.get $p)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $v))))
          (i32.store offset=0x4000000 (local.get $p) (i32.xor (local.get $v) (i32.const 0x5BD1E995)))
          (br_if $l (i64.ne (local.tee $p (i64.add (local.get $p) (i64.const 4))) (local.get $end))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc)))
