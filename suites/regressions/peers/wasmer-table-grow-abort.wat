;; wasmer 7.4.2 aborts the process on table.grow of a table without a maximum by 2^31-1
;; elements (it allocates the whole element vector, 16 GiB, and aborts when that fails) where
;; the spec lets growth fail with -1. Found by the imports work's first smith campaign, which
;; it killed; `redzone run` and `redzone replay` report it as crash:wasmer:checked,wasmer:guard:oom.
(module
  (table $t 0 funcref)
  (func (export "grow") (result i32) (table.grow $t (ref.null func) (i32.const 0x7fffffff))))
