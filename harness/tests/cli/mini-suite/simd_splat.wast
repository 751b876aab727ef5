(module (func (export "f") (result v128) (i32x4.splat (i32.const 1))))
(assert_return (invoke "f") (v128.const i32x4 1 1 1 1))
