;; stencil.wat: a 2D five-point Jacobi sweep over a 256 x 256 f64 grid.
;;
;; Measures: four neighbour loads per cell through static offsets (one row apart is 2 KiB)
;; from one moving pointer, and a store into the other grid; f64 adds and a multiply.
;; Memory: 16 pages; grid G0 at 0 and G1 at 0x80000 (512 KiB each), row-major.
;;
;; run(n): both grids G[y][x] = f64((7x + 13y) % 32); then n sweeps, alternating source
;; and destination (G0 -> G1 first): for y, x in 1..255 (row-major),
;;   dst[y][x] = (((src[y-1][x] + src[y+1][x]) + src[y][x-1]) + src[y][x+1]) * 0.25;
;; the border keeps its initial values. Returns the bits of the row-major f64 sum of the
;; grid the last sweep wrote (G0 when n = 0).
;; About 20 instructions per cell, 64,516 cells per sweep. Default n = 25: checksum in
;; workloads.toml (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(25) = 4696973284983335593
(module
  (memory (export "memory") 16)
  (func (export "run") (param $n i32) (result i64)
    (local $x i32) (local $y i32) (local $p i32) (local $v f64)
    (local $src i32) (local $delta i32) (local $q i32) (local $end i32) (local $s f64)
    ;; initial grids
    (loop $iy
      (local.set $x (i32.const 0))
      (loop $ix
        (local.set $p (i32.shl (i32.add (i32.shl (local.get $y) (i32.const 8)) (local.get $x)) (i32.const 3)))
        (local.set $v (f64.convert_i32_u (i32.and
          (i32.add (i32.mul (local.get $x) (i32.const 7)) (i32.mul (local.get $y) (i32.const 13)))
          (i32.const 31))))
        (f64.store (local.get $p) (local.get $v))
        (f64.store offset=0x80000 (local.get $p) (local.get $v))
        (br_if $ix (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 1))) (i32.const 256))))
      (br_if $iy (i32.lt_u (local.tee $y (i32.add (local.get $y) (i32.const 1))) (i32.const 256))))
    ;; sweeps; q points at src[y-1][x-1], the destination is q + delta
    (local.set $delta (i32.const 0x80000))
    (block $swept
      (loop $sweep
        (br_if $swept (i32.eqz (local.get $n)))
        (local.set $y (i32.const 1))
        (loop $row
          (local.set $q (i32.add (local.get $src) (i32.shl (i32.sub (local.get $y) (i32.const 1)) (i32.const 11))))
          (local.set $end (i32.add (local.get $q) (i32.const 2032)))
          (loop $cell
            (f64.store offset=2056 (i32.add (local.get $q) (local.get $delta))
              (f64.mul
                (f64.add
                  (f64.add
                    (f64.add (f64.load offset=8 (local.get $q)) (f64.load offset=4104 (local.get $q)))
                    (f64.load offset=2048 (local.get $q)))
                  (f64.load offset=2064 (local.get $q)))
                (f64.const 0.25)))
            (br_if $cell (i32.ne (local.tee $q (i32.add (local.get $q) (i32.const 8))) (local.get $end))))
          (br_if $row (i32.lt_u (local.tee $y (i32.add (local.get $y) (i32.const 1))) (i32.const 255))))
        (local.set $src (i32.add (local.get $src) (local.get $delta)))
        (local.set $delta (i32.sub (i32.const 0) (local.get $delta)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $sweep)))
    ;; the sum of the grid written last (now the source)
    (local.set $p (local.get $src))
    (local.set $end (i32.add (local.get $src) (i32.const 0x80000)))
    (loop $sum
      (local.set $s (f64.add (local.get $s) (f64.load (local.get $p))))
      (br_if $sum (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 8))) (local.get $end))))
    (i64.reinterpret_f64 (local.get $s))))
