;; offsets.wat: the same read-modify-write loop with static offsets 0, 4 KiB, 64 KiB and 64 MiB.
;;
;; Measures: whether an engine's bounds checks cost more as the static `offset=` immediate
;; grows (guard regions cover small offsets, explicit checks must add them in, 64 MiB is past
;; any small guard). The four exports touch exactly the same bytes: the 256 KiB region R at
;; 64 MiB (0x4000000 .. 0x4040000, the end of memory), addressed as dynamic base + offset
;; with base = R - offset, so they differ only in how the address is split.
;; Memory: 1028 pages (64 MiB + 256 KiB), exactly enough; the start function fills R with
;; w[i] = i * 0x01000193 + 0x811C9DC5 (u32, i = 0 .. 65535).
;;
;; run_0 / run_4k / run_64k / run_64m (n): 2n passes over R; each element: v = load;
;; acc += u(v); store v ^ 0x5BD1E995. The second pass of each pair undoes the first, so R
;; is back to w after every call and the result is n * (sum(w) + sum(w ^ 0x5BD1E995)) for
;; all four. About 9 instructions per element, 65,536 elements per pass.
;; Default n = 40: checksum in workloads.toml (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run_0(40) = 11259138379612160
;;   run_4k(40) = 11259138379612160
;;   run_64k(40) = 11259138379612160
;;   run_64m(40) = 11259138379612160
(module
  (memory (export "memory") 1028)

  (func $init (local $i i32)
    (loop $l
      (i32.store offset=0x4000000 (i32.shl (local.get $i) (i32.const 2))
        (i32.add (i32.mul (local.get $i) (i32.const 0x01000193)) (i32.const 0x811C9DC5)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0x10000)))))
  (start $init)

  (func (export "run_0") (param $n i32) (result i64) (local $p i32) (local $end i32) (local $v i32) (local $acc i64)
    (local.set $n (i32.shl (local.get $n) (i32.const 1)))
    (local.set $end (i32.add (i32.const 0x4000000) (i32.const 0x40000)))
    (block $done
      (loop $pass
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (i32.const 0x4000000))
        (loop $l
          (local.set $v (i32.load offset=0x0 (local.get $p)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $v))))
          (i32.store offset=0x0 (local.get $p) (i32.xor (local.get $v) (i32.const 0x5BD1E995)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $end))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc))

  (func (export "run_4k") (param $n i32) (result i64) (local $p i32) (local $end i32) (local $v i32) (local $acc i64)
    (local.set $n (i32.shl (local.get $n) (i32.const 1)))
    (local.set $end (i32.add (i32.const 0x3fff000) (i32.const 0x40000)))
    (block $done
      (loop $pass
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (i32.const 0x3fff000))
        (loop $l
          (local.set $v (i32.load offset=0x1000 (local.get $p)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $v))))
          (i32.store offset=0x1000 (local.get $p) (i32.xor (local.get $v) (i32.const 0x5BD1E995)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $end))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc))

  (func (export "run_64k") (param $n i32) (result i64) (local $p i32) (local $end i32) (local $v i32) (local $acc i64)
    (local.set $n (i32.shl (local.get $n) (i32.const 1)))
    (local.set $end (i32.add (i32.const 0x3ff0000) (i32.const 0x40000)))
    (block $done
      (loop $pass
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (i32.const 0x3ff0000))
        (loop $l
          (local.set $v (i32.load offset=0x10000 (local.get $p)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $v))))
          (i32.store offset=0x10000 (local.get $p) (i32.xor (local.get $v) (i32.const 0x5BD1E995)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $end))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc))

  (func (export "run_64m") (param $n i32) (result i64) (local $p i32) (local $end i32) (local $v i32) (local $acc i64)
    (local.set $n (i32.shl (local.get $n) (i32.const 1)))
    (local.set $end (i32.add (i32.const 0x0) (i32.const 0x40000)))
    (block $done
      (loop $pass
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (i32.const 0x0))
        (loop $l
          (local.set $v (i32.load offset=0x4000000 (local.get $p)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $v))))
          (i32.store offset=0x4000000 (local.get $p) (i32.xor (local.get $v) (i32.const 0x5BD1E995)))
          (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $end))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $pass)))
    (local.get $acc)))
