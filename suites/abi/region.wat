;; A guest that writes into a region the host provides, like seed 000's `expensive_calc`:
;; the host supplies the memory (`env.memory`, re-exported as `memory`) and the offset of
;; the region (`env.data_offset`); `stats` writes there and returns how many bytes it wrote.
;; The region must lie below the allocator's heap (1024); a `data_offset` that would reach
;; into the heap traps rather than corrupt it.
(module
  (import "env" "memory" (memory 1))
  (import "env" "data_offset" (global $data_offset i32))
  (export "memory" (memory 0))
  ;; @include allocator.inc
  (export "alloc" (func $alloc))
  (export "dealloc" (func $dealloc))
  (export "live_bytes" (func $live_bytes))

  ;; Writes four little-endian u32s at data_offset: the length, the wrapping sum of the
  ;; bytes, their FNV-1a hash and the largest byte; frees the input; returns 16.
  (func (export "stats") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $sum i32) (local $hash i32) (local $max i32) (local $b i32)
    (if (i32.gt_u (global.get $data_offset) (i32.sub (global.get $heap_base) (i32.const 16)))
      (then unreachable))
    (local.set $hash (i32.const 0x811c9dc5))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $b (i32.load8_u (i32.add (local.get $p) (local.get $i))))
        (local.set $sum (i32.add (local.get $sum) (local.get $b)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (local.get $b)) (i32.const 0x01000193)))
        (if (i32.gt_u (local.get $b) (local.get $max)) (then (local.set $max (local.get $b))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $dealloc (local.get $p) (local.get $n))
    (i32.store (global.get $data_offset) (local.get $n))
    (i32.store offset=4 (global.get $data_offset) (local.get $sum))
    (i32.store offset=8 (global.get $data_offset) (local.get $hash))
    (i32.store offset=12 (global.get $data_offset) (local.get $max))
    (i32.const 16))
)
