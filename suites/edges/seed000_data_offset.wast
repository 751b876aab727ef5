;; Seed 000: a host-created memory shared with a module, plus an imported `data_offset` global
;; telling the module where to write its results; the host reads them back from its memory.
;;
;; Why: this is how real hosts pass data (seed 000): the module does not own the memory, so
;; its bounds are those of the imported memory, and the offset comes from outside. Here the
;; "host" is a registered module "mem" that exports "pages" (memory 1 2) and "data_offset";
;; a second host "mem_end" re-exports the SAME memory with data_offset = len - 16. Checks:
;; results land at data_offset + 4*i and the host sees them; with data_offset near len, the
;; store that would cross len traps after the earlier stores stayed written; an active data
;; segment placed at (global.get $data_offset) lands there, ends exactly at len, or makes
;; instantiation fail one byte past, leaving the shared memory unchanged by that segment.
(module $host
  (memory (export "pages") 1 2)
  (global (export "data_offset") i32 (i32.const 1024))
  (func (export "read32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "read8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
(register "mem" $host)

(module $host_end
  (memory (import "mem" "pages") 1 2)
  (global (export "data_offset") i32 (i32.const 65520))
  (export "pages" (memory 0))
)
(register "mem_end" $host_end)

;; The guest, as in the seed: writes n results (idx * idx + x) at data_offset + idx * 4 and
;; returns the number of bytes written.
(module $guest
  (import "mem" "pages" (memory 1))
  (global $data_offset (import "mem" "data_offset") i32)
  (func (export "expensive_calc") (param $x i32) (param $n i32) (result i32)
    (local $idx i32)
    (block $done
      (loop $do_it_again
        (br_if $done (i32.ge_u (local.get $idx) (local.get $n)))
        (i32.store
          (i32.add (global.get $data_offset) (i32.shl (local.get $idx) (i32.const 2)))
          (i32.add (i32.mul (local.get $idx) (local.get $idx)) (local.get $x)))
        (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
        (br $do_it_again)))
    (i32.shl (local.get $idx) (i32.const 2)))
  (func (export "offset") (result i32) (global.get $data_offset))
)
(assert_return (invoke $guest "offset") (i32.const 1024))
(assert_return (invoke $guest "expensive_calc" (i32.const 7) (i32.const 4)) (i32.const 16))
(assert_return (invoke $host "read32" (i32.const 1024)) (i32.const 7))
(assert_return (invoke $host "read32" (i32.const 1028)) (i32.const 8))
(assert_return (invoke $host "read32" (i32.const 1032)) (i32.const 11))
(assert_return (invoke $host "read32" (i32.const 1036)) (i32.const 16))
(assert_return (invoke $host "read32" (i32.const 1040)) (i32.const 0))

;; The same guest code against the second host: data_offset = 65520, so exactly 4 results fit.
(module $guest_end
  (import "mem_end" "pages" (memory 1))
  (global $data_offset (import "mem_end" "data_offset") i32)
  (func (export "expensive_calc") (param $x i32) (param $n i32) (result i32)
    (local $idx i32)
    (block $done
      (loop $do_it_again
        (br_if $done (i32.ge_u (local.get $idx) (local.get $n)))
        (i32.store
          (i32.add (global.get $data_offset) (i32.shl (local.get $idx) (i32.const 2)))
          (i32.add (i32.mul (local.get $idx) (local.get $idx)) (local.get $x)))
        (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
        (br $do_it_again)))
    (i32.shl (local.get $idx) (i32.const 2)))
)
(assert_return (invoke $guest_end "expensive_calc" (i32.const 100) (i32.const 4)) (i32.const 16))
(assert_return (invoke $host "read32" (i32.const 65520)) (i32.const 100))
(assert_return (invoke $host "read32" (i32.const 65532)) (i32.const 109))
;; 5 results: the fifth store (at 65536) traps; the first four were rewritten and stay.
(assert_trap (invoke $guest_end "expensive_calc" (i32.const 200) (i32.const 5)) "out of bounds memory access")
(assert_return (invoke $host "read32" (i32.const 65520)) (i32.const 200))
(assert_return (invoke $host "read32" (i32.const 65524)) (i32.const 201))
(assert_return (invoke $host "read32" (i32.const 65528)) (i32.const 204))
(assert_return (invoke $host "read32" (i32.const 65532)) (i32.const 209))
;; After the host grows the memory, the same call fits.
(assert_return (invoke $host "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke $guest_end "expensive_calc" (i32.const 300) (i32.const 5)) (i32.const 20))
(assert_return (invoke $host "read32" (i32.const 65536)) (i32.const 316))
(assert_return (invoke $host "read32" (i32.const 65520)) (i32.const 300))

;; A data segment at the imported offset: it lands at 65520 (host view).
(module (import "mem_end" "pages" (memory 1)) (global $o (import "mem_end" "data_offset") i32)
  (data (global.get $o) "\de\ad\be\ef"))
(assert_return (invoke $host "read32" (i32.const 65520)) (i32.const 0xefbeadde))
;; A third host re-exports the same memory (now 2 pages, len 131072) with data_offset = len - 4.
(module $host_top
  (memory (import "mem" "pages") 1 2)
  (global (export "data_offset") i32 (i32.const 131068))
  (export "pages" (memory 0))
)
(register "mem_top" $host_top)
;; ends exactly at len (131068 + 4 = 131072): instantiates
(module (import "mem_top" "pages" (memory 2)) (global $o (import "mem_top" "data_offset") i32)
  (data (global.get $o) "\01\02\03\04"))
(assert_return (invoke $host "read32" (i32.const 131068)) (i32.const 0x04030201))
;; one byte past: instantiation traps; the first segment (at 0) is written, the failing one
;; writes nothing (131068..131071 keep 01 02 03 04)
(assert_trap
  (module (import "mem_top" "pages" (memory 2)) (global $o (import "mem_top" "data_offset") i32)
    (data (i32.const 0) "\5a")
    (data (global.get $o) "\aa\bb\cc\dd\ee"))
  "out of bounds memory access")
(assert_return (invoke $host "read8" (i32.const 0)) (i32.const 0x5a))
(assert_return (invoke $host "read32" (i32.const 131068)) (i32.const 0x04030201))
(assert_return (invoke $host "size") (i32.const 2))
;; the guest's import declares (memory 1) with no maximum; the host's memory (now 2 pages, max 2)
;; still matches it; a declaration larger than the current size does not.
(assert_unlinkable (module (import "mem" "pages" (memory 3))) "incompatible import type")
(assert_unlinkable (module (import "mem" "pages" (memory 1 1))) "incompatible import type")
