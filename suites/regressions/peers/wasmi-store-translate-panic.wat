;; wasmi 2.0.0 panics (unreachable!() in translate_store, translator/func/mod.rs:2583) while
;; compiling this wasm-smith module; the six other configurations trap MemoryOutOfBounds in
;; its start function. Found by the smith generator (seed 1, examples/generator_rate).
;; Replay: redzone replay suites/regressions/peers/wasmi-store-translate-panic.wasm
(module
  (type (;0;) (func))
  (func (;0;) (type 0)
    (local f32 f32 f64)
    global.get 4
    i32.eqz
    if  ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    br 0 (;@0;)
    memory.size
    f32.const -0x1.3797e6p-16 (;=-1.85724e-05;)
    br 0 (;@0;)
    local.get 0
    f32.gt
    i32.load8_s offset=126105
    i64.extend_i32_u
    i64.eqz
    i32.ctz
    i32.clz
    i32.and
    f32.const -0x1.80fd34p-36 (;=-2.18841e-11;)
    f32.sqrt
    local.tee 1
    f32.const nan (;=nan;)
    local.get 1
    local.get 1
    f32.eq
    select
    f64.const 0x1.d77d85419d958p+661 (;=1.76222e+199;)
    elem.drop 0
    elem.drop 1
    f64.const 0x1.ffp-1044 (;=1.05893e-314;)
    i64.reinterpret_f64
    i64.clz
    f64.const -0x1.259eab55ec3ccp-949 (;=-2.41035e-286;)
    i32.trunc_f64_u
    i64.load16_s offset=8888
    i64.clz
    i32.wrap_i64
    if  ;; label = @1
      block  ;; label = @2
        ref.null extern
        i32.const 16383
        f64.load offset=2147520033 align=4
        i32.trunc_f64_s
        i32.load8_u offset=419351
        f64.load offset=826071
        block  ;; label = @3
          local.get 0
          memory.size
          i64.load16_s offset=549533 align=1
          i64.const -17592186044416
          i64.extend8_s
          i64.rem_s
          f64.reinterpret_i64
          f64.neg
          elem.drop 1
          i64.trunc_f64_s
          f64.convert_i64_u
          i32.trunc_sat_f64_s
          i32.load16_u offset=128215
          i64.load offset=780490 align=4
          i64.const 1181856953628904843
          br 1 (;@2;)
          f64.reinterpret_i64
          f64.floor
          local.tee 2
          f64.const nan (;=nan;)
          local.get 2
          local.get 2
          f64.eq
          select
          i32.trunc_sat_f64_u
          i32.load8_u offset=413519
          i64.load8_s offset=593510
          i64.mul
          i64.extend16_s
          i32.const 589823
          memory.size
          i32.add
          i32.eqz
          ref.null extern
          ref.null extern
          br 0 (;@3;)
          block (result i32)  ;; label = @4
            table.size 1
            i64.extend_i32_s
            i64.eqz
            i64.extend_i32_u
            memory.size
            local.get 0
            i32.trunc_f32_s
            f32.convert_i32_s
            f32.abs
            block (result funcref)  ;; label = @5
              table.size 1
              br 5 (;@0;)
              i32.load8_u offset=241261
              i64.load16_u offset=572857
              i64.extend32_s
              i64.ctz
              i64.ctz
              table.size 0
              i64.load32_s offset=805863
              i64.ge_u
              i64.load8_s offset=528642
              f64.convert_i64_u
              i64.reinterpret_f64
              global.get 0
              i64.xor
              global.set 0
              ref.null func
            end
            drop
            i32.reinterpret_f32
            global.get 1
            i32.xor
            global.set 1
            global.get 2
            i32.xor
            global.set 2
            global.get 3
            i64.xor
            global.set 3
            i32.const -1588273560
          end
          global.get 2
          i32.xor
          global.set 2
          drop
          drop
          global.get 2
          i32.xor
          global.set 2
          global.get 3
          i64.xor
          global.set 3
          i32.reinterpret_f32
          global.get 1
          i32.xor
          global.set 1
        end
        i64.reinterpret_f64
        global.get 0
        i64.xor
        global.set 0
        drop
      end
    end
    global.get 3
    i64.xor
    global.set 3
    i64.reinterpret_f64
    global.get 0
    i64.xor
    global.set 0
    i32.reinterpret_f32
    global.get 1
    i32.xor
    global.set 1
    global.get 2
    i32.xor
    global.set 2)
  (func (;1;) (type 0)
    (local i32)
    global.get 4
    i32.eqz
    if  ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    f64.const 0x1.5225196e07fe3p-109 (;=2.03514e-33;)
    table.size 1
    i64.load8_u offset=740024
    f32.const 0x1p-119 (;=1.50463e-36;)
    nop
    i64.trunc_sat_f32_s
    i64.lt_s
    call 1
    block  ;; label = @1
      table.size 1
      memory.grow
      f32.load offset=482022494 align=2
      memory.size
      i64.extend_i32_s
      f32.const 0x1.ep-146 (;=2.10195e-44;)
      block (result f32)  ;; label = @2
        ref.null extern
        memory.size
        i32.eqz
        local.tee 0
        local.get 0
        i32.store16 offset=221246
        ref.is_null
        i32.const 1023
        i32.or
        loop  ;; label = @3
          global.get 4
          i32.eqz
          if  ;; label = @4
            unreachable
          end
          global.get 4
          i32.const 1
          i32.sub
          global.set 4
          i32.const 1516275679
          i32.ctz
          i32.popcnt
          i32.load16_s offset=159357 align=1
          br_if 0 (;@3;)
          br 0 (;@3;)
          return
          i32.const -1275068416
          if  ;; label = @4
            loop  ;; label = @5
              global.get 4
              i32.eqz
              if  ;; label = @6
                unreachable
              end
              global.get 4
              i32.const 1
              i32.sub
              global.set 4
              local.get 0
              table.size 1
              i32.div_u
              i32.load8_s offset=409379
              local.set 0
              i32.const -13300990
              f64.const -0x1.4aae26c94abfcp-874 (;=-1.02554e-263;)
              f64.store offset=657517 align=2
              memory.size
              block  ;; label = @6
                elem.drop 0
                elem.drop 0
                f64.const -nan:0xffff000000000 (;=-nan;)
                ref.null func
                memory.size
                i64.load offset=566413 align=4
                i64.extend16_s
                memory.size
                i32.load offset=518258 align=2
                f64.load offset=154004 align=2
                i64.trunc_f64_u
                i32.const 134217727
                i64.extend_i32_u
                i64.const 256
                i64.add
                i64.rotl
                f32.const 0x1.p-128 (;=2.93874e-39;)
                i32.trunc_sat_f32_u
                f32.const -0x1.79a97p-97 (;=-9.31008e-30;)
                table.size 0
                call 1
                i64.load16_s offset=133527
                i64.popcnt
                i64.clz
                call 0
                elem.drop 0
                i64.extend32_s
                loop  ;; label = @7
                  global.get 4
                  i32.eqz
                  if  ;; label = @8
                    unreachable
                  end
                  global.get 4
                  i32.const 1
                  i32.sub
                  global.set 4
                  block  ;; label = @8
                  end
                  call 0
                  memory.size
                  i32.load offset=158001
                  i32.load16_u offset=424737
                  if  ;; label = @8
                    f64.const -0x1.26178ddb026b1p+712 (;=-2.47514e+214;)
                    ref.null func
                    f32.const -0x1.c6cdcap-31 (;=-8.27283e-10;)
                    memory.size
                    local.set 0
                    i64.const 1104839542430099094
                    memory.size
                    i32.load8_u offset=758293
                    i64.extend_i32_u
                    i64.gt_s
                    i64.load32_s offset=688444
                    table.size 1
                    i32.load16_u offset=267903 align=1
                    f32.reinterpret_i32
                    i32.const -809046244
                    local.tee 0
                    f64.load offset=57069 align=2
                    memory.size
                    i32.extend16_s
                    global.get 2
                    i32.xor
                    global.set 2
                    i64.reinterpret_f64
                    global.get 0
                    i64.xor
                    global.set 0
                    i32.reinterpret_f32
                    global.get 1
                    i32.xor
                    global.set 1
                    global.get 3
                    i64.xor
                    global.set 3
                    i32.reinterpret_f32
                    global.get 1
                    i32.xor
                    global.set 1
                    drop
                    i64.reinterpret_f64
                    global.get 0
                    i64.xor
                    global.set 0
                  end
                end
                global.get 3
                i64.xor
                global.set 3
                i32.reinterpret_f32
                global.get 1
                i32.xor
                global.set 1
                global.get 2
                i32.xor
                global.set 2
                global.get 3
                i64.xor
                global.set 3
                global.get 3
                i64.xor
                global.set 3
                drop
                i64.reinterpret_f64
                global.get 0
                i64.xor
                global.set 0
              end
              global.get 2
              i32.xor
              global.set 2
            end
          end
        end
        global.get 2
        i32.xor
        global.set 2
        f32.const -nan:0x7f0000 (;=-nan;)
      end
      i32.reinterpret_f32
      global.get 1
      i32.xor
      global.set 1
      i32.reinterpret_f32
      global.get 1
      i32.xor
      global.set 1
      global.get 3
      i64.xor
      global.set 3
      i32.reinterpret_f32
      global.get 1
      i32.xor
      global.set 1
    end
    global.get 2
    i32.xor
    global.set 2
    i64.reinterpret_f64
    global.get 0
    i64.xor
    global.set 0)
  (func (;2;) (type 0)
    (local f32 f32 externref f64 i64 f64)
    global.get 4
    i32.eqz
    if  ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    ref.null func
    table.size 1
    f32.const -0x1.82fe38p-37 (;=-1.0999e-11;)
    f32.neg
    elem.drop 0
    br 0 (;@0;)
    i32.trunc_f32_u
    i32.rem_s
    i32.clz
    i64.const 512
    i64.store32 offset=104211 align=2
    i64.const -8247182921695483570
    block (result f32)  ;; label = @1
      ref.null func
      ref.null func
      call 2
      f32.const -nan:0x7bffff (;=-nan;)
      i64.trunc_f32_u
      f32.convert_i64_u
      i32.const 589832
      f32.const -nan:0x7fff00 (;=-nan;)
      f64.const -0x1.2076d2d82988bp-379 (;=-9.15132e-115;)
      f64.abs
      call 2
      call 0
      f32.const 0x1.15eb8cp+58 (;=3.1291e+17;)
      i32.trunc_sat_f32_u
      br_table 1 (;@0;) 1 (;@0;)
      br 1 (;@0;)
      local.tee 3
      i32.trunc_f64_s
      local.get 4
      i64.eqz
      i64.extend_i32_s
      f64.reinterpret_i64
      i64.trunc_sat_f64_u
      i32.wrap_i64
      i32.mul
      if  ;; label = @2
      end
      i64.trunc_sat_f32_u
      i64.extend16_s
      local.tee 4
      i32.wrap_i64
      i32.store16 offset=16652
      block (result i64)  ;; label = @2
        block  ;; label = @3
          elem.drop 1
          br 3 (;@0;)
          br 3 (;@0;)
          i32.const -1431655766
          ref.null func
          local.get 3
          i64.const 20
          f64.convert_i64_s
          f64.min
          local.tee 5
          f64.const nan (;=nan;)
          local.get 5
          local.get 5
          f64.eq
          select
          i32.trunc_f64_s
          f32.const 0x1.2e5f04p-90 (;=9.54115e-28;)
          i32.trunc_f32_u
          i64.load16_u offset=787455 align=1
          f32.const 0x1.1fffcp-130 (;=8.26517e-40;)
          elem.drop 0
          ref.null func
          table.size 1
          i64.load32_u offset=551458
          i64.extend16_s
          memory.size
          i64.load8_s offset=536426
          i64.div_s
          i64.eqz
          i32.ctz
          i32.extend8_s
          memory.size
          i32.store16 offset=285519
          f64.const 0x1.7a86817d395b9p-909 (;=3.41656e-274;)
          ref.null extern
          loop  ;; label = @4
            global.get 4
            i32.eqz
            if  ;; label = @5
              unreachable
            end
            global.get 4
            i32.const 1
            i32.sub
            global.set 4
            f64.const 0x1.p-1038 (;=3.39519e-313;)
            ref.null func
            ref.null extern
            call 2
            i32.const -229052387
            i32.load offset=241223
            i32.ctz
            global.get 2
            i32.xor
            global.set 2
            drop
            drop
            i64.reinterpret_f64
            global.get 0
            i64.xor
            global.set 0
          end
          drop
          i64.reinterpret_f64
          global.get 0
          i64.xor
          global.set 0
          drop
          i32.reinterpret_f32
          global.get 1
          i32.xor
          global.set 1
          global.get 3
          i64.xor
          global.set 3
          global.get 2
          i32.xor
          global.set 2
          drop
          global.get 2
          i32.xor
          global.set 2
        end
        i64.const 7231237147764779204
      end
      global.get 3
      i64.xor
      global.set 3
      i32.reinterpret_f32
      global.get 1
      i32.xor
      global.set 1
      drop
      drop
      f32.const -nan:0x7fffc0 (;=-nan;)
    end
    i32.reinterpret_f32
    global.get 1
    i32.xor
    global.set 1
    global.get 3
    i64.xor
    global.set 3
    drop)
  (table (;0;) 19 externref)
  (table (;1;) 0 externref)
  (memory (;0;) 9 13)
  (global (;0;) (mut i64) (i64.const 0))
  (global (;1;) (mut i32) (i32.const 0))
  (global (;2;) (mut i32) (i32.const 0))
  (global (;3;) (mut i64) (i64.const 0))
  (global (;4;) (mut i32) (i32.const 1000))
  (export "\0e" (func 0))
  (export "" (func 1))
  (export "2" (func 2))
  (export "3" (table 0))
  (export "4" (table 1))
  (export "5" (memory 0))
  (export "6" (global 0))
  (export "W`" (global 1))
  (export "\225};" (global 2))
  (export "9" (global 3))
  (start 1)
  (elem (;0;) declare externref)
  (elem (;1;) declare func))
