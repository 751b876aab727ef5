;; Deliberately broken guest: `upper` frees its input twice; the allocator traps on the second dealloc (unreachable).
;; Its `upper` otherwise behaves as guest.wat's.
(module
  (memory (export "memory") 1)
  ;; @include allocator.inc
  (export "alloc" (func $alloc))
  (export "dealloc" (func $dealloc))
  (export "live_bytes" (func $live_bytes))

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
    (call $dealloc (local.get $p) (local.get $n))
    (local.get $out) (local.get $n))
)
