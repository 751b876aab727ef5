(module
  (type (;0;) (func))
  (type (;1;) (func (param i32) (result i32)))
  (type (;2;) (func (param i64 i32) (result i64)))
  (type (;3;) (func (param f32) (result f64)))
  (type (;4;) (func (param i32) (result i32 i64)))
  (import "env" "empty" (memory (;0;) 0 1))
  (import "env" "g_i32" (global (;0;) (mut i32)))
  (import "env" "g_ref" (global (;1;) (mut externref)))
  (import "env" "nop" (func (;0;) (type 0)))
  (import "env" "i32_i32" (func (;1;) (type 1) (param i32) (result i32)))
  (table (;0;) 0 262 externref)
  (global (;2;) (mut v128) v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i64) i64.const 0)
  (global (;5;) (mut i64) i64.const 0)
  (global (;6;) (mut i32) i32.const 0)
  (global (;7;) (mut i32) i32.const 1000)
  (export "" (func 1))
  (export "3" (func 2))
  (export "4" (func 3))
  (export "5" (func 4))
  (export "6" (func 5))
  (export "7" (func 6))
  (export "8" (func 7))
  (export "9" (table 0))
  (export "10" (memory 0))
  (export "11" (global 0))
  (export "12" (global 1))
  (export "\u{1e}" (global 2))
  (export "14" (global 3))
  (export "'" (global 4))
  (export "16" (global 5))
  (func (;2;) (type 4) (param i32) (result i32 i64)
    (local v128 f32)
    global.get 7
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 7
    i32.const 1
    i32.sub
    global.set 7
    call 0
    call 0
    i32.const 134217728
    block (result f32) ;; label = @1
      i64.const 752922690864263173
      f64.convert_i64_s
      i64.const -6688990390626352818
      f64.convert_i64_u
      i64.trunc_f64_s
      block (result i32) ;; label = @2
        ref.null func
        global.get 1
        local.get 1
        i16x8.neg
        i16x8.extadd_pairwise_i8x16_s
        global.get 2
        v128.xor
        global.set 2
        drop
        drop
        i32.const 33554431
      end
      global.get 3
      i32.xor
      global.set 3
      global.get 4
      i64.xor
      global.set 4
      i64.reinterpret_f64
      global.get 5
      i64.xor
      global.set 5
      f32.const -0x1.24607p+83 (;=-11045680000000000000000000;)
    end
    i32.reinterpret_f32
    global.get 6
    i32.xor
    global.set 6
    i64.const -2635621774175671385
  )
  (func (;3;) (type 4) (param i32) (result i32 i64)
    i32.const 0
    i64.const 0
  )
  (func (;4;) (type 3) (param f32) (result f64)
    (local v128 v128 f64 f32 f32)
    global.get 7
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 7
    i32.const 1
    i32.sub
    global.set 7
    table.size 0
    memory.size
    i32x4.splat
    i32x4.neg
    f64x2.ceil
    local.tee 2
    v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
    local.get 2
    v128.bitselect
    f64x2.neg
    v128.store16_lane offset=1404888665 0
    ref.null extern
    ref.is_null
    table.get 0
    f32.const -nan:0x7fc000 (;=NaN;)
    i32.reinterpret_f32
    i32x4.splat
    f32x4.abs
    i32x4.extadd_pairwise_i16x8_s
    i16x8.extend_high_i8x16_s
    i64x2.extend_low_i32x4_s
    global.get 1
    local.get 0
    f64.promote_f32
    f64.nearest
    local.tee 3
    f64.const nan (;=NaN;)
    i32.const 0
    select
    i64.const -8
    loop (result f64) ;; label = @1
      global.get 7
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 7
      i32.const 1
      i32.sub
      global.set 7
      block ;; label = @2
        call 7
        call 0
        i64.const -2121393996055428918
        i64.clz
        i64.extend16_s
        f32.convert_i64_s
        f32.sqrt
        local.tee 4
        f32.const nan (;=NaN;)
        local.get 4
        local.get 4
        f32.eq
        select
        i32.trunc_f32_s
        i64.load32_u offset=47357 align=1
        i64.clz
        i32.const 2043053717
        v128.load16x4_s offset=432050686 align=1
        i8x16.neg
        i16x8.extract_lane_u 2
        local.get 1
        v128.store16_lane offset=51461 2
        f32.const -0x1.21e834p+79 (;=-684523650000000000000000;)
        i64.trunc_f32_u
        i32.const -134217728
        v128.load64_splat align=2
        i64x2.all_true
        i32.extend16_s
        i16x8.splat
        local.set 1
        i64.const -65537
        f32.convert_i64_u
        f32.floor
        local.tee 5
        f32.const nan (;=NaN;)
        local.get 5
        local.get 5
        f32.eq
        select
        global.get 1
        i64.const -3036909745384690393
        memory.size
        v128.load32_splat offset=57240
        block ;; label = @3
          call 0
          memory.size
          v128.load8_splat
          call 7
          f64x2.convert_low_i32x4_s
          i16x8.extend_high_i8x16_s
          i8x16.extract_lane_u 1
          v128.load8x8_u align=1
          f32x4.convert_i32x4_s
          f64.const -nan:0xfffff00000000 (;=NaN;)
          loop ;; label = @4
            global.get 7
            i32.eqz
            if ;; label = @5
              unreachable
            end
            global.get 7
            i32.const 1
            i32.sub
            global.set 7
            i64.const -17
            f32.convert_i64_u
            i32.trunc_f32_u
            memory.size
            i32.lt_u
            global.set 0
            br 3 (;@1;)
            global.get 1
            v128.const i32x4 0x892dda10 0x726fe77b 0x8a644d2e 0xcbe36553
            global.get 2
            v128.xor
            global.set 2
            drop
          end
          i64.reinterpret_f64
          global.get 5
          i64.xor
          global.set 5
          global.get 2
          v128.xor
          global.set 2
        end
        global.get 2
        v128.xor
        global.set 2
        global.get 4
        i64.xor
        global.set 4
        drop
        i32.reinterpret_f32
        global.get 6
        i32.xor
        global.set 6
        global.get 4
        i64.xor
        global.set 4
        global.get 4
        i64.xor
        global.set 4
      end
      f64.const -0x1.56bd394ca6c3dp-801 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001003915663291493;)
    end
    i64.reinterpret_f64
    global.get 5
    i64.xor
    global.set 5
    global.get 4
    i64.xor
    global.set 4
    i64.reinterpret_f64
    global.get 5
    i64.xor
    global.set 5
    drop
    global.get 2
    v128.xor
    global.set 2
    drop
    f64.const -nan:0xffffffffdffff (;=NaN;)
  )
  (func (;5;) (type 1) (param i32) (result i32)
    (local v128 f64 v128 v128 v128 v128 v128)
    global.get 7
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 7
    i32.const 1
    i32.sub
    global.set 7
    call 0
    call 0
    i32.const 8192
    i32.extend8_s
    v128.load32_splat
    i64x2.extend_low_i32x4_s
    f64x2.floor
    local.tee 3
    v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
    local.get 3
    local.get 3
    f64x2.eq
    v128.bitselect
    local.set 1
    local.get 0
    f64.load align=2
    memory.size
    f32.reinterpret_i32
    i32.reinterpret_f32
    f32.convert_i32_u
    i64.trunc_sat_f32_s
    f64.convert_i64_s
    f64.gt
    loop (result funcref) ;; label = @1
      global.get 7
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 7
      i32.const 1
      i32.sub
      global.set 7
      ref.null func
      br 0 (;@1;)
    end
    ref.is_null
    v128.load32_splat offset=7981 align=1
    i32x4.extract_lane 0
    v128.load32_zero offset=1019138111 align=1
    f64x2.neg
    i16x8.abs
    i16x8.abs
    i16x8.extadd_pairwise_i8x16_u
    i64.const 0
    f64.reinterpret_i64
    i64.reinterpret_f64
    call 0
    f64.convert_i64_u
    f64.neg
    loop (result i64) ;; label = @1
      global.get 7
      i32.eqz
      if ;; label = @2
        unreachable
      end
      global.get 7
      i32.const 1
      i32.sub
      global.set 7
      call 0
      local.get 0
      i32.extend16_s
      local.get 1
      br 0 (;@1;)
      f64x2.extract_lane 0
      i32.trunc_f64_u
      i32x4.splat
      i8x16.extract_lane_s 5
      i32.shr_s
      i8x16.splat
      f32x4.ceil
      local.tee 4
      v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000
      local.get 4
      local.get 4
      f32x4.eq
      v128.bitselect
      i32.const -1196891142
      i32.load16_u offset=10345 align=1
      i32.ctz
      i32.ctz
      memory.grow
      local.get 1
      v128.load16_lane align=1 6
      i16x8.max_s
      i32x4.extend_high_i16x8_s
      f64x2.trunc
      local.tee 5
      v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
      local.get 5
      local.get 5
      f64x2.eq
      v128.bitselect
      i32x4.extend_low_i16x8_u
      v128.not
      f32x4.nearest
      local.tee 6
      v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000
      local.get 6
      local.get 6
      f32x4.eq
      v128.bitselect
      i32x4.trunc_sat_f32x4_u
      f64x2.floor
      local.tee 7
      v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
      local.get 7
      local.get 7
      f64x2.eq
      v128.bitselect
      i16x8.extadd_pairwise_i8x16_u
      global.get 2
      v128.xor
      global.set 2
      i64.const 134217728
    end
    global.get 4
    i64.xor
    global.set 4
    i64.reinterpret_f64
    global.get 5
    i64.xor
    global.set 5
    global.get 2
    v128.xor
    global.set 2
  )
  (func (;6;) (type 2) (param i64 i32) (result i64)
    i64.const 0
  )
  (func (;7;) (type 0))
)
