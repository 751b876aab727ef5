;; An engine that crashes the process: the test-only redzone:crash-canary reads through a
;; dangling pointer on an out-of-bounds load from an empty memory. The module runs in a worker
;; process, so the crash is reported and classified (the configurations that crash alone are
;; named), the module is saved, and `redzone run` exits 1 instead of dying (`--isolation none`
;; would end the process). `redzone replay` reports the crash the same way, and without the
;; crashing configuration the module runs and agrees.
;; RUN: run %s --engines redzone:crash-canary,redzone:checked,wasmi
;; RUN: replay %s --engines redzone:crash-canary,wasmi
;; RUN: replay %s --engines redzone:checked,wasmi
(module
  (memory (export "memory") 0)
  (func (export "load") (result i32) (i32.load (i32.const 8))))
