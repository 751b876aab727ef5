;; grow.wat: memory.grow one page at a time, touching each new page.
;;
;; Measures: the cost of growing linear memory (guard memory: changing protection inside
;; the reservation; explicit checks: possibly reallocating and copying) and of the first
;; write to a new page. Memory: 1 page at instantiation, at most 1,025 pages (64 MiB more):
;; the differential (`redzone run suites/`) calls `run` with arbitrary n, and an unbounded
;; one-page grow loop to 4 GiB is quadratic on configurations that move memory to grow it
;; (wasmtime:checked copies its memory every 16 pages there: hours of copying).
;; Growth is permanent, so each call needs a fresh instance (`fresh = true` in
;; workloads.toml): instantiation is not timed, the call is.
;;
;; run(n): n times: old = memory.grow(1) (traps with unreachable unless old is the
;; previous size); store the i64 old * 0x9E3779B97F4A7C15 at byte old * 65536 + 8;
;; acc += u(memory.size). Then acc += every stored i64 read back, page 1 .. n.
;; (acc is a wrapping i64.) Default n = 256 pages (16 MiB more): checksum in
;; workloads.toml (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(256) = -2839066132956509184
(module
  (memory (export "memory") 1 1025)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $old i32) (local $acc i64)
    (if (i32.eqz (local.get $n)) (then (return (i64.const 0))))
    (loop $grow
      (local.set $old (memory.grow (i32.const 1)))
      (if (i32.ne (local.get $old) (i32.add (local.get $i) (i32.const 1))) (then unreachable))
      (i64.store offset=8 (i32.shl (local.get $old) (i32.const 16))
        (i64.mul (i64.extend_i32_u (local.get $old)) (i64.const 0x9E3779B97F4A7C15)))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (memory.size))))
      (br_if $grow (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.set $i (i32.const 1))
    (loop $read
      (local.set $acc (i64.add (local.get $acc) (i64.load offset=8 (i32.shl (local.get $i) (i32.const 16)))))
      (br_if $read (i32.le_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc)))
