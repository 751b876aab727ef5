;; `redzone engines --module`: the bounds-check strategy of each memory of a module on each
;; redzone configuration, and why; a module that does not load is reported and exits 1.
;; RUN: engines --module %s
;; RUN: engines --module %s --format json
;; RUN: engines --module tests/cli/modules/invalid.wat
;; RUN: engines --module tests/cli/modules/no-such-module.wasm
(module
  (import "env" "shared" (memory 1))
  (memory 5 (pagesize 1))
  (memory i64 1))
