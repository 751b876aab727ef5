(module (func (export "f") (result i32) (i32.const 0)))
(assert_return (invoke "f") (i32.const 0))
