;; Not valid: the function returns an i64 where it declares an i32 (for `redzone engines
;; --module` in tests/cli/engines-module.wat).
(module (memory 1 (pagesize 1)) (func (result i32) i64.const 0))
