;; Regression case (suites/regressions/funcref-local-starts-null-grow.json). redzone (both 
;; strategies): a funcref local started as ref.func 0 instead of null, so ref.is_null of it was 0 
;; and memory.grow grew by 0 pages instead of 1; found by redzone fuzz --generator smith --seed 1 
;; (case 5718, signature memory.redzone_checked+redzone_guard-vs-3.unreachable.ab656cc6), fixed in 
;; the translator by nulling reference locals at entry
;; The module is funcref-local-starts-null-grow.wasm; this text is for readers.
(module
  (type (;0;) (func))
  (type (;1;) (func (param i64)))
  (type (;2;) (func (result i32 i64)))
  (type (;3;) (func (result f64 i32)))
  (type (;4;) (func (result i32 f32)))
  (type (;5;) (func (result i32 externref)))
  (memory (;0;) 1 13)
  (global (;0;) (mut i64) i64.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (global (;5;) (mut i32) i32.const 0)
  (export "" (func 1))
  (export "6" (memory 0))
  (func (;0;) (type 4) (result i32 f32)
    (local f32 f32 f64 f64 f32)
    global.get 5
    if ;; label = @1
      unreachable
    end
    i32.const 0
    global.set 5
    i32.const 1
    return_call 1
    block (type 0) ;; label = @1
      return_call 1
      i32.trunc_f32_s
      i32.rotr
      nop
      i32.clz
      i32.popcnt
      f32.reinterpret_i32
      i64.trunc_sat_f32_s
      block (type 2) (result i32 i64) ;; label = @2
        i32.const 1
        if (type 4) (result i32 f32) ;; label = @3
          br 2 (;@1;)
          global.get 0
          loop (type 5) (result i32 externref) ;; label = @4
            global.get 5
            if ;; label = @5
              unreachable
            end
            global.get 5
            global.set 5
            f32.const 0x1.58a3bap-47 (;=0.000000000000009565669;)
            f64.const 0x1.f8p-1069 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000031;)
            call 1
            f64.promote_f32
            block (type 2) (result i32 i64) ;; label = @5
              i64.const 0
              i32.const 1
              br_table 1 (;@4;) 4 (;@1;) 1 (;@4;)
              i64.const 0
              loop ;; label = @6
                global.get 5
                if ;; label = @7
                  unreachable
                end
                global.get 5
                global.set 5
                loop (type 2) (result i32 i64) ;; label = @7
                  global.get 5
                  if ;; label = @8
                    unreachable
                  end
                  global.get 5
                  global.set 5
                  br 0 (;@7;)
                  i64.const 1
                  block ;; label = @8
                    f32.const -0x1.e51d88p+45 (;=-66673747000000;)
                    ref.null extern
                    local.get 2
                    global.get 0
                    i32.const 1
                    global.get 0
                    f32.convert_i64_s
                    f64.const -0x1.5e320a42790cdp-631 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001535123406088264;)
                    loop ;; label = @9
                      global.get 5
                      if ;; label = @10
                        unreachable
                      end
                      i32.const 1
                      global.set 5
                      i64.const 1
                      global.set 2
                    end
                    i64.reinterpret_f64
                    global.get 3
                    i64.xor
                    global.set 3
                    i32.reinterpret_f32
                    global.get 1
                    i32.xor
                    global.set 1
                    i32.const 0
                    i32.xor
                    global.set 4
                    i64.const 0
                    i64.xor
                    global.set 2
                    i64.reinterpret_f64
                    global.get 3
                    i64.xor
                    global.set 3
                    drop
                    i32.reinterpret_f32
                    global.get 1
                    i32.xor
                    global.set 1
                  end
                  global.get 2
                  i64.xor
                  global.set 2
                  i32.const 1
                  i64.const 0
                end
                global.get 2
                i64.xor
                global.set 2
                global.get 4
                i32.xor
                global.set 4
              end
              i64.const 0
              i64.xor
              global.set 2
              global.get 2
              i64.xor
              global.set 2
              i32.const 1
              i64.const 1
            end
            global.get 2
            i64.xor
            global.set 2
            global.get 4
            i32.xor
            global.set 4
            i64.reinterpret_f64
            global.get 3
            i64.xor
            global.set 3
            global.get 4
            i32.xor
            global.set 4
            i64.reinterpret_f64
            global.get 3
            i64.xor
            global.set 3
            i32.reinterpret_f32
            i32.const 0
            i32.xor
            global.set 1
            i32.const 1
            ref.null extern
          end
          drop
          global.get 4
          i32.xor
          global.set 4
          i64.const 1
          i64.xor
          global.set 2
          i32.const 0
          f32.const 0x1.6f2802p-80 (;=0.0000000000000000000000011863459;)
        else
          i32.const 0
          f32.const -0x1.40fd76p+112 (;=-6510452300000000000000000000000000;)
        end
        i32.reinterpret_f32
        global.get 1
        i32.xor
        global.set 1
        i64.const 1
      end
      global.get 2
      i64.xor
      global.set 2
      global.get 4
      i32.xor
      global.set 4
      global.get 2
      i64.xor
      global.set 2
    end
    i32.reinterpret_f32
    global.get 1
    i32.xor
    global.set 1
    global.get 4
    i32.xor
    global.set 4
    f32.const -0x1.0553f4p-9 (;=-0.001993774;)
  )
  (func (;1;) (type 4) (result i32 f32)
    (local funcref f64)
    i32.const 0
    if ;; label = @1
      unreachable
    end
    i32.const 0
    global.set 5
    i32.const 0
    f32.const 0x1.p-139 (;=0.000000000000000000000000000000000000000001435;)
    local.get 0
    f32.const -0x1.c9cb8p-52 (;=-0.0000000000000003970738;)
    local.get 0
    ref.is_null
    memory.grow
    local.get 0
    block (type 4) (result i32 f32) ;; label = @1
      global.get 0
      f64.convert_i64_s
      local.get 0
      call 2
      local.get 1
      global.get 0
      memory.size
      loop (type 3) (result f64 i32) ;; label = @2
        global.get 5
        if ;; label = @3
          unreachable
        end
        i32.const 1
        global.set 5
        i32.const 0
        br_if 0 (;@2;)
        loop ;; label = @3
          global.get 5
          if ;; label = @4
            unreachable
          end
          i32.const 0
          global.set 5
          br 0 (;@3;)
          local.get 0
          memory.size
          br 1 (;@2;)
          block (type 0) ;; label = @4
            ref.null func
            i64.const 1
            block (type 5) (result i32 externref) ;; label = @5
              call 2
              i32.const 0
              local.get 0
              i64.const 1
              loop (type 1) (param i64) ;; label = @6
                global.get 5
                if ;; label = @7
                  unreachable
                end
                global.get 5
                global.set 5
                block (result f64) ;; label = @7
                  i32.const 1
                  f64.convert_i32_s
                  i64.const 0
                  i64.const 0
                  f64.const 0x1.340883b669e2bp-652 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006438733850272481;)
                  i64.const 0
                  loop (result externref) ;; label = @8
                    i32.const 1
                    if ;; label = @9
                      unreachable
                    end
                    i32.const 0
                    global.set 5
                    global.get 0
                    i64.const 0
                    return_call 0
                    memory.size
                    unreachable
                    unreachable
                  end
                  unreachable
                end
                unreachable
              end
              unreachable
            end
            unreachable
          end
          unreachable
        end
        unreachable
      end
      unreachable
    end
    unreachable
  )
  (func (;2;) (type 0))
)
