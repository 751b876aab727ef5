(module
  (type (;0;) (func))
  (type (;1;) (func (param i64) (result i32 f32)))
  (memory (;0;) 0 16)
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (global (;5;) (mut i32) i32.const 3)
  (export "" (func 1))
  (func (;0;) (type 0))
  (func (;1;) (type 1) (param i64) (result i32 f32)
    (local i32 f32 f64 f32)
    i32.const 0
    if ;; label = @1
      unreachable
    end
    global.get 5
    global.set 5
    loop ;; label = @1
      i32.const 0
      if ;; label = @2
        unreachable
      end
      global.get 5
      global.set 5
      loop (type 0) ;; label = @2
        i32.const 1
        if ;; label = @3
        else
          unreachable
        end
        global.get 5
        global.set 5
        i32.const 1
        global.get 0
        f64.load
        i32.trunc_sat_f64_s
        br_if 0 (;@2;)
        i64.const 0
        call 3
        global.get 0
        local.tee 1
        local.get 1
        i32.store offset=331017 align=1
        call 2
        ref.null func
        i64.const 0
        call 2
        br 1 (;@1;)
        f64.reinterpret_i64
        f64.abs
        f64.sqrt
        local.tee 3
        f64.const 0x0p+0 (;=0;)
        i32.const 0
        select
        i64.trunc_f64_u
        i64.ctz
        call 0
        f64.reinterpret_i64
        f64.const -0x1.631e6fa221a1dp-453 (;=-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005964111781128539;)
        f32.const 0x1.fffffep-120 (;=0.0000000000000000000000000000000000015046327;)
        f64.promote_f32
        loop (result funcref) ;; label = @3
          i32.const 0
          if ;; label = @4
            unreachable
          end
          i32.const 0
          global.set 5
          i64.const 1
          ref.null func
          i64.const 0
          unreachable
          f64.convert_i64_u
          f32.demote_f64
          f32.abs
          f32.sqrt
          local.tee 4
          f32.const nan (;=NaN;)
          i32.const 1
          select
          i32.reinterpret_f32
          global.get 1
          i32.xor
          global.set 1
          drop
          global.get 3
          i64.xor
          global.set 3
          ref.null func
        end
        drop
        i64.reinterpret_f64
        global.get 2
        i64.xor
        global.set 2
        i64.reinterpret_f64
        global.get 2
        i64.xor
        global.set 2
        i64.reinterpret_f64
        i64.const 0
        i64.xor
        global.set 2
        drop
        global.get 3
        i64.xor
        global.set 3
        global.get 4
        i32.xor
        global.set 4
      end
    end
    i32.const 0
    f32.const 0x1.d9c846p+56 (;=133357870000000000;)
  )
  (func (;2;) (type 0))
  (func (;3;) (type 0))
)
