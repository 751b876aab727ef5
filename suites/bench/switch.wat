;; switch.wat: a state machine dispatched with br_table.
;;
;; Measures: indirect branches (br_table with 8 targets plus default), hard to predict
;; because the next state mostly comes from a pseudo-random number. Compute only: no memory.
;;
;; run(n): n steps. Each step advances x = x * 1664525 + 1013904223 (u32, x0 = 0x12345678),
;; then runs the current state's arm (acc is i64, u(v) is v extended unsigned):
;;   0: acc += u(x);                    state = x >> 29
;;   1: acc ^= u(x) << 32;              state = 4
;;   2: acc *= 3;                       state = (x >> 13) & 7
;;   3: acc -= u(x >> 7);               state = 0
;;   4: acc = rotl(acc, 9);             state = (x >> 27) & 7
;;   5: acc += 5;                       state = (x >> 3) & 7
;;   6: acc ^= acc >> 11 (unsigned);    state = (x >> 20) & 7
;;   7: acc -= u(x) * 7;                state = (x >> 17) & 7
;; About 15 instructions per step. Default n = 3,000,000: checksum in workloads.toml
;; (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(3000000) = -530527196555441561
(module
  (func (export "run") (param $n i32) (result i64)
    (local $state i32) (local $x i32) (local $acc i64)
    (local.set $x (i32.const 0x12345678))
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (loop $step
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223)))
      (block $done
        (block $s7
          (block $s6
            (block $s5
              (block $s4
                (block $s3
                  (block $s2
                    (block $s1
                      (block $s0
                        (br_table $s0 $s1 $s2 $s3 $s4 $s5 $s6 $s7 (local.get $state)))
                      ;; state 0
                      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $x))))
                      (local.set $state (i32.shr_u (local.get $x) (i32.const 29)))
                      (br $done))
                    ;; state 1
                    (local.set $acc (i64.xor (local.get $acc)
                      (i64.shl (i64.extend_i32_u (local.get $x)) (i64.const 32))))
                    (local.set $state (i32.const 4))
                    (br $done))
                  ;; state 2
                  (local.set $acc (i64.mul (local.get $acc) (i64.const 3)))
                  (local.set $state (i32.and (i32.shr_u (local.get $x) (i32.const 13)) (i32.const 7)))
                  (br $done))
                ;; state 3
                (local.set $acc (i64.sub (local.get $acc)
                  (i64.extend_i32_u (i32.shr_u (local.get $x) (i32.const 7)))))
                (local.set $state (i32.const 0))
                (br $done))
              ;; state 4
              (local.set $acc (i64.rotl (local.get $acc) (i64.const 9)))
              (local.set $state (i32.and (i32.shr_u (local.get $x) (i32.const 27)) (i32.const 7)))
              (br $done))
            ;; state 5
            (local.set $acc (i64.add (local.get $acc) (i64.const 5)))
            (local.set $state (i32.and (i32.shr_u (local.get $x) (i32.const 3)) (i32.const 7)))
            (br $done))
          ;; state 6
          (local.set $acc (i64.xor (local.get $acc) (i64.shr_u (local.get $acc) (i64.const 11))))
          (local.set $state (i32.and (i32.shr_u (local.get $x) (i32.const 20)) (i32.const 7)))
          (br $done))
        ;; state 7 (and the default, which no state reaches)
        (local.set $acc (i64.sub (local.get $acc)
          (i64.mul (i64.extend_i32_u (local.get $x)) (i64.const 7))))
        (local.set $state (i32.and (i32.shr_u (local.get $x) (i32.const 17)) (i32.const 7))))
      (br_if $step (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
