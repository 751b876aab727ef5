(module
  (type (;0;) (func (param i32) (result externref i64)))
  (memory (;0;) 0 8)
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i64) i64.const 0)
  (global (;5;) (mut i32) i32.const 1)
  (export "" (func 0))
  (export "\u{7f}" (global 1))
  (func (;0;) (type 0) (param i32) (result externref i64)
    (local f32)
    i32.const 0
    if ;; label = @1
      unreachable
    end
    global.get 5
    global.set 5
    local.get 0
    global.get 0
    memory.size
    if (type 0) (param i32) (result externref i64) ;; label = @1
      i32.load16_u align=1
      i64.load16_s offset=52811
      f64.convert_i64_u
      i32.trunc_f64_s
      f32.reinterpret_i32
      loop ;; label = @2
        global.get 5
        if ;; label = @3
          unreachable
        end
        global.get 5
        global.set 5
        f32.const 0x0p+0 (;=0;)
        loop ;; label = @3
          i32.const 1
          if ;; label = @4
            unreachable
          end
          global.get 5
          global.set 5
          i32.const 1812305722
          br 0 (;@3;)
          i32.load8_s
          br_if 1 (;@2;)
          f64.const -0x1.7f4452863005ap+553 (;=-44141687613543130000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
          i64.const 0
          loop (result i64) ;; label = @4
            global.get 5
            if ;; label = @5
              unreachable
            end
            global.get 5
            global.set 5
            loop ;; label = @5
              global.get 5
              if ;; label = @6
                unreachable
              end
              global.get 5
              global.set 5
            end
            br 2 (;@2;)
            i64.const 0
            i32.const -1
            block ;; label = @5
              loop (result f32) ;; label = @6
                global.get 5
                i32.eqz
                if ;; label = @7
                  unreachable
                end
                global.get 5
                global.set 5
                global.get 0
                i32.const 1
                i32.store8 offset=135623
                f64.const 0x1.aa0ebe82fb9fep+483 (;=41563896184688813000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                f64.abs
                global.get 0
                return_call 1
                f32.const 0x1.601d82p-49 (;=0.0000000000000024432905;)
                memory.size
                f64.convert_i32_u
                i64.const -7711252973854092347
                f64.convert_i64_s
                f64.ge
                memory.grow
                br 1 (;@5;)
                local.get 0
                i32.div_u
                call 0
                i64.popcnt
                local.get 1
                f64.const -0x1.f417cce2d9732p-637 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000034253388973756154;)
                global.get 0
                i32.load16_u align=1
                br_if 4 (;@2;)
                i64.trunc_f64_u
                i64.const 0
                i64.lt_u
                br_table 0 (;@6;) 1 (;@5;) 2 (;@4;) 3 (;@3;) 4 (;@2;) 2 (;@4;)
                loop ;; label = @7
                  global.get 5
                  if ;; label = @8
                    unreachable
                  end
                  global.get 5
                  global.set 5
                  br 5 (;@2;)
                  i64.const 1
                  block ;; label = @8
                    f32.const -nan:0x7e0000 (;=NaN;)
                    i64.const 1
                    f64.convert_i64_s
                    local.get 1
                    global.get 0
                    br_if 3 (;@5;)
                    local.tee 1
                    i32.reinterpret_f32
                    local.tee 0
                    memory.size
                    i32.lt_s
                    global.get 1
                    i32.xor
                    global.set 1
                    i64.reinterpret_f64
                    global.get 2
                    i64.xor
                    global.set 2
                    i32.reinterpret_f32
                    global.get 3
                    i32.xor
                    global.set 3
                  end
                  global.get 4
                  i64.xor
                  global.set 4
                end
                i32.reinterpret_f32
                i32.const 1
                i32.xor
                global.set 3
                global.get 4
                i64.xor
                global.set 4
                drop
                i32.reinterpret_f32
                global.get 3
                i32.xor
                global.set 3
                i64.const 0
                i64.xor
                global.set 4
                drop
                i64.reinterpret_f64
                i64.const 0
                i64.xor
                global.set 2
                f32.const -0x1.fcbe84p+61 (;=-4582360400000000000;)
              end
              i32.reinterpret_f32
              global.get 3
              i32.xor
              global.set 3
            end
            global.get 1
            i32.xor
            global.set 1
          end
          global.get 4
          i64.xor
          global.set 4
          global.get 4
          i64.xor
          global.set 4
          i64.reinterpret_f64
          i64.const 0
          i64.xor
          global.set 2
        end
        i32.reinterpret_f32
        global.get 3
        i32.xor
        global.set 3
      end
      i32.reinterpret_f32
      i32.const 1
      i32.xor
      global.set 3
      ref.null extern
      i64.const 0
    else
      global.get 1
      i32.xor
      global.set 1
      ref.null extern
      i64.const 0
    end
    global.get 4
    i64.xor
    global.set 4
    drop
    global.get 1
    i32.xor
    global.set 1
    ref.null extern
    i64.const 0
  )
  (func (;1;) (type 0) (param i32) (result externref i64)
    unreachable
  )
)
