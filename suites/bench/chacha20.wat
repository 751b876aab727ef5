;; chacha20.wat: the ChaCha20 block function (RFC 8439) with its state in linear memory.
;;
;; Measures: a crypto round function whose 16-word state lives in memory rather than in
;; locals: every quarter-round step is two i32 loads, an add/xor/rotate and a store, at
;; constant addresses in one 64-byte line (the bounds check dominates the address work),
;; plus one call per quarter round and a 64-byte memory.copy per block.
;; Memory: 1 page; the input state at 0 (a data segment: the constants, the key
;; 00 01 .. 1f and the nonce 00 00 00 09 00 00 00 4a 00 00 00 00 of RFC 8439 section 2.3.2),
;; the working state at 64.
;;
;; run(n): for block b = 0 .. n-1: input word 12 (the counter) = b + 1; working = input;
;; 10 double rounds (4 column, 4 diagonal quarter rounds); for i = 0..15:
;; acc = rotl64(acc, 5) ^ u(working[i] + input[i]). Block 0 is the RFC's test vector
;; (section 2.3.2, counter 1), which reference.py checks its own ChaCha20 against.
;; About 6,200 instructions per block. Default n = 8,000: checksum in workloads.toml
;; (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(8000) = 6509351869342005100
(module
  (memory (export "memory") 1)
  (data (i32.const 0)
    "expand 32-byte k"
    "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f"
    "\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f"
    "\01\00\00\00" "\00\00\00\09\00\00\00\4a\00\00\00\00")

  ;; One quarter round on the working words at byte addresses a, b, c and d.
  (func $qr (param $a i32) (param $b i32) (param $c i32) (param $d i32)
    (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.load (local.get $b))))
    (i32.store (local.get $d) (i32.rotl (i32.xor (i32.load (local.get $d)) (i32.load (local.get $a))) (i32.const 16)))
    (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.load (local.get $d))))
    (i32.store (local.get $b) (i32.rotl (i32.xor (i32.load (local.get $b)) (i32.load (local.get $c))) (i32.const 12)))
    (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.load (local.get $b))))
    (i32.store (local.get $d) (i32.rotl (i32.xor (i32.load (local.get $d)) (i32.load (local.get $a))) (i32.const 8)))
    (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.load (local.get $d))))
    (i32.store (local.get $b) (i32.rotl (i32.xor (i32.load (local.get $b)) (i32.load (local.get $c))) (i32.const 7))))

  (func (export "run") (param $n i32) (result i64)
    (local $block i32) (local $round i32) (local $i i32) (local $acc i64)
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $block) (local.get $n)))
        (i32.store (i32.const 48) (i32.add (local.get $block) (i32.const 1)))
        (memory.copy (i32.const 64) (i32.const 0) (i32.const 64))
        (local.set $round (i32.const 10))
        (loop $double
          (call $qr (i32.const 64) (i32.const 80) (i32.const 96) (i32.const 112))
          (call $qr (i32.const 68) (i32.const 84) (i32.const 100) (i32.const 116))
          (call $qr (i32.const 72) (i32.const 88) (i32.const 104) (i32.const 120))
          (call $qr (i32.const 76) (i32.const 92) (i32.const 108) (i32.const 124))
          (call $qr (i32.const 64) (i32.const 84) (i32.const 104) (i32.const 124))
          (call $qr (i32.const 68) (i32.const 88) (i32.const 108) (i32.const 112))
          (call $qr (i32.const 72) (i32.const 92) (i32.const 96) (i32.const 116))
          (call $qr (i32.const 76) (i32.const 80) (i32.const 100) (i32.const 120))
          (br_if $double (local.tee $round (i32.sub (local.get $round) (i32.const 1)))))
        (local.set $i (i32.const 0))
        (loop $out
          (local.set $acc (i64.xor (i64.rotl (local.get $acc) (i64.const 5))
            (i64.extend_i32_u (i32.add (i32.load offset=64 (local.get $i)) (i32.load (local.get $i))))))
          (br_if $out (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 64))))
        (local.set $block (i32.add (local.get $block) (i32.const 1)))
        (br $blocks)))
    (local.get $acc)))
