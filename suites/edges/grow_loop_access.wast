;; Loads and stores after memory.grow in a loop, inside one function call.
;;
;; Why: an engine that caches the memory base or length in a register or local for the duration
;; of a function (or a loop) must reload it after memory.grow; otherwise the accesses right
;; after the grow, in the same frame, trap wrongly (stale small bound), or read/write through a
;; stale base if the memory moved. "grow_and_touch" grows one page at a time, and after each grow
;; stores to the last byte of the new page and reads back the whole i64 at the new len-8 and the
;; first byte of the new page; "sum_last" then walks the last byte of every page.
(module
  (memory 1 8)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "i32.load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "i64.load") (param i32) (result i64) (i64.load (local.get 0)))
  ;; grows n pages, one at a time; after each grow writes (page index + 1) at the new len-1
  ;; and accumulates the i64 at the new len-8 and the byte at the start of the new page.
  (func (export "grow_and_touch") (param $n i32) (result i64)
    (local $i i32) (local $len i32) (local $acc i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (local.set $len (i32.shl (memory.size) (i32.const 16)))
        (i32.store8 (i32.sub (local.get $len) (i32.const 1)) (i32.add (memory.size) (i32.const 0)))
        (local.set $acc (i64.add (local.get $acc)
          (i64.load (i32.sub (local.get $len) (i32.const 8)))))
        (local.set $acc (i64.add (local.get $acc)
          (i64.load8_u (i32.sub (local.get $len) (i32.const 65536)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; the sum of the last byte of each page
  (func (export "sum_last") (result i32)
    (local $p i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (memory.size)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc)
          (i32.load8_u (i32.sub (i32.shl (local.get $p) (i32.const 16)) (i32.const 1)))))
        (br $next)))
    (local.get $acc))
  ;; grows once, then loads at (old len + k) in the same function
  (func (export "grow_load_at") (param $k i32) (result i32)
    (i32.load8_u (i32.add (i32.shl (memory.grow (i32.const 1)) (i32.const 16)) (local.get $k))))
)

;; grow 4 pages in a loop: the i64 at len-8 holds (pages << 56) after the store
(assert_return (invoke "grow_and_touch" (i32.const 0x4)) (i64.const 0xe00000000000000))
(assert_return (invoke "size") (i32.const 0x5))
(assert_return (invoke "sum_last") (i32.const 0xe))
(assert_return (invoke "i32.load8_u" (i32.const 0x4ffff)) (i32.const 0x5))
(assert_trap (invoke "i32.load8_u" (i32.const 0x50000)) "out of bounds memory access")

;; grow 2 more in a loop, then the loop stops at the maximum (8) when grow returns -1
(assert_return (invoke "grow_and_touch" (i32.const 0x5)) (i64.const 0x1500000000000000))
(assert_return (invoke "size") (i32.const 0x8))
(assert_return (invoke "sum_last") (i32.const 0x23))
(assert_return (invoke "i64.load" (i32.const 0x7fff8)) (i64.const 0x800000000000000))
(assert_trap (invoke "i64.load" (i32.const 0x7fff9)) "out of bounds memory access")

;; at the maximum, grow returns -1, so the address is (-1 << 16) + k = 0xFFFF0000 + k: out of bounds
(assert_trap (invoke "grow_load_at" (i32.const 0x0)) "out of bounds memory access")
(assert_trap (invoke "grow_load_at" (i32.const 0xffff)) "out of bounds memory access")

;; on a fresh instance, grow returns the old size and the new page is readable right away
(module
  (memory 1 8)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "i32.load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "i64.load") (param i32) (result i64) (i64.load (local.get 0)))
  ;; grows n pages, one at a time; after each grow writes (page index + 1) at the new len-1
  ;; and accumulates the i64 at the new len-8 and the byte at the start of the new page.
  (func (export "grow_and_touch") (param $n i32) (result i64)
    (local $i i32) (local $len i32) (local $acc i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (local.set $len (i32.shl (memory.size) (i32.const 16)))
        (i32.store8 (i32.sub (local.get $len) (i32.const 1)) (i32.add (memory.size) (i32.const 0)))
        (local.set $acc (i64.add (local.get $acc)
          (i64.load (i32.sub (local.get $len) (i32.const 8)))))
        (local.set $acc (i64.add (local.get $acc)
          (i64.load8_u (i32.sub (local.get $len) (i32.const 65536)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; the sum of the last byte of each page
  (func (export "sum_last") (result i32)
    (local $p i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (memory.size)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc)
          (i32.load8_u (i32.sub (i32.shl (local.get $p) (i32.const 16)) (i32.const 1)))))
        (br $next)))
    (local.get $acc))
  ;; grows once, then loads at (old len + k) in the same function
  (func (export "grow_load_at") (param $k i32) (result i32)
    (i32.load8_u (i32.add (i32.shl (memory.grow (i32.const 1)) (i32.const 16)) (local.get $k))))
)
(assert_return (invoke "grow_load_at" (i32.const 0x0)) (i32.const 0x0))
(assert_return (invoke "grow_load_at" (i32.const 0xffff)) (i32.const 0x0))
(assert_return (invoke "size") (i32.const 0x3))
