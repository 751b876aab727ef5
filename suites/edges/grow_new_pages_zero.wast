;; memory.grow keeps every old byte and hands out zeroed pages: content at both ends of the
;; old memory survives two grows, every new page reads as zero up to the new end, and the
;; first byte past it traps.
;;
;; Why: an engine that reallocates on grow can lose the tail of the old memory (copying only
;; the first page, or `len - 8` bytes), and one that recycles memory can hand out pages that
;; still hold old contents. Sums over whole pages see both.
(module
  (memory 2 6)
  (data (i32.const 0) "\01\02\03\04")
  (data (i32.const 0x10000) "\05\06\07\08")
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  ;; sum of the bytes in [from, to)
  (func (export "sum") (param $from i32) (param $to i32) (result i32)
    (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $from) (local.get $to)))
        (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $from))))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $next)))
    (local.get $s))
)

(assert_return (invoke "store" (i32.const 0x1fff8) (i64.const 0x0102030405060708)))
(assert_return (invoke "store" (i32.const 0x18000) (i64.const 0x7f7f7f7f7f7f7f7f)))
;; page 2: 5+6+7+8 + 0x7f*8 + 1+2+...+8
(assert_return (invoke "sum" (i32.const 0x10000) (i32.const 0x20000)) (i32.const 0x436))
(assert_return (invoke "sum" (i32.const 0) (i32.const 0x10000)) (i32.const 10))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 2))
(assert_return (invoke "sum" (i32.const 0x20000) (i32.const 0x30000)) (i32.const 0))
(assert_return (invoke "sum" (i32.const 0x10000) (i32.const 0x20000)) (i32.const 0x436))
(assert_return (invoke "store" (i32.const 0x2fff8) (i64.const -1)))
(assert_return (invoke "grow" (i32.const 2)) (i32.const 3))
(assert_return (invoke "sum" (i32.const 0x30000) (i32.const 0x50000)) (i32.const 0))
(assert_return (invoke "sum" (i32.const 0x20000) (i32.const 0x30000)) (i32.const 0x7f8))
(assert_return (invoke "sum" (i32.const 0x10000) (i32.const 0x20000)) (i32.const 0x436))
(assert_return (invoke "sum" (i32.const 0) (i32.const 0x10000)) (i32.const 10))
(assert_return (invoke "byte" (i32.const 0x1ffff)) (i32.const 1))
(assert_return (invoke "byte" (i32.const 0x1fff8)) (i32.const 8))
(assert_return (invoke "byte" (i32.const 0x4ffff)) (i32.const 0))
(assert_trap (invoke "byte" (i32.const 0x50000)) "out of bounds memory access")
(assert_trap (invoke "store" (i32.const 0x4fff9) (i64.const -1)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 0x4fff9)) (i32.const 0))
(assert_return (invoke "grow" (i32.const 2)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 5))
(assert_return (invoke "sum" (i32.const 0x50000) (i32.const 0x60000)) (i32.const 0))
