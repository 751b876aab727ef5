;; Regression case (suites/regressions/funcref-local-starts-null-global.json). redzone (both 
;; strategies): a funcref local started as ref.func 0 instead of null (frames are zeroed and 0 is 
;; the first function), so global.set of the untouched local stored a function; found by redzone 
;; fuzz --generator smith --seed 1 (case 3746, signature 
;; global.redzone_checked+redzone_guard-vs-3.return_call_indirect.38f2ce77), fixed in the 
;; translator by nulling reference locals at entry
;; The module is funcref-local-starts-null-global.wasm; this text is for readers.
(module
  (type (;0;) (func (param externref) (result i32 f32 funcref i32)))
  (table (;0;) 38 funcref)
  (memory (;0;) 4 16)
  (global (;0;) externref ref.null extern)
  (global (;1;) (mut f64) f64.const 0x0p+0 (;=0;))
  (global (;2;) (mut funcref) ref.null func)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (global (;5;) (mut i32) i32.const 0)
  (global (;6;) (mut i64) i64.const 0)
  (global (;7;) (mut i32) i32.const 3)
  (export "" (func 0))
  (export "8" (global 2))
  (func (;0;) (type 0) (param externref) (result i32 f32 funcref i32)
    (local i32 funcref f32 f32)
    global.get 7
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 7
    global.set 7
    i32.const 0
    i64.const 0
    i64.store offset=231756 align=4
    i32.const 0
    block (result externref) ;; label = @1
      f64.const 0x1.09900645da14dp+633 (;=36975511877957570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
      local.get 2
      global.set 2
      i32.const 1
      local.tee 1
      i64.const 1
      i64.store offset=42628 align=4
      f32.const -0x1.c38c78p+76 (;=-133273655000000000000000;)
      global.get 1
      block (result funcref) ;; label = @2
        i32.const 0
        local.get 1
        if (result f64) ;; label = @3
          ref.null extern
          local.get 0
          ref.null extern
          block ;; label = @4
          end
          local.set 0
          memory.size
          return_call_indirect (type 0)
          table.size 0
          f64.convert_i32_u
          table.size 0
          local.get 1
          f64.const inf (;=inf;)
          global.get 0
          ref.null extern
          br 2 (;@1;)
          ref.func 0
          br 1 (;@2;)
          ref.is_null
          i64.extend_i32_u
          i64.popcnt
          f64.convert_i64_u
          f64.eq
          i32.sub
          local.set 1
          f32.convert_i32_u
          f32.trunc
          local.tee 3
          f32.const 0x1p+0 (;=1;)
          i32.const 0
          select
          f32.nearest
          local.tee 4
          f32.const nan (;=NaN;)
          i32.const 0
          select
          i32.reinterpret_f32
          f32.load offset=71876 align=1
          i64.const 0
          i64.extend16_s
          f64.const -0x1.54617c5189d36p-160 (;=-0.0000000000000000000000000000000000000000000000009097577987855562;)
          f64.const -nan:0xffffffffff800 (;=NaN;)
          local.get 2
          i32.const 1
          loop ;; label = @4
            global.get 7
            if ;; label = @5
              unreachable
            end
            global.get 7
            global.set 7
            i64.const 0
            loop (result f64) ;; label = @5
              global.get 7
              if ;; label = @6
                unreachable
              end
              i32.const 0
              global.set 7
              i32.const 1
              global.get 2
              block ;; label = @6
                f64.const 0x1.6b049a777aeedp-197 (;=0.000000000000000000000000000000000000000000000000000000000007059582649904097;)
                local.get 0
                ref.null func
                global.set 2
                i32.const 0
                f32.const -0x1.409d6p-62 (;=-0.00000000000000000027157125;)
                global.get 0
                local.get 2
                block (result externref) ;; label = @7
                  i32.const 0
                  global.set 5
                  local.get 1
                  global.set 5
                  ref.null extern
                end
                drop
                drop
                drop
                i32.reinterpret_f32
                i32.const 0
                i32.xor
                global.set 4
                global.get 5
                i32.xor
                global.set 5
                drop
                i64.reinterpret_f64
                global.get 3
                i64.xor
                global.set 3
              end
              drop
              global.get 5
              i32.xor
              global.set 5
              f64.const 0x1.017758b2763bap-940 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010821421888880594;)
            end
            i64.reinterpret_f64
            i64.const 0
            i64.xor
            global.set 3
            i64.const 0
            i64.xor
            global.set 6
          end
          global.get 5
          i32.xor
          global.set 5
          drop
          i64.reinterpret_f64
          i64.const 1
          i64.xor
          global.set 3
          i64.reinterpret_f64
          global.get 3
          i64.xor
          global.set 3
          global.get 6
          i64.xor
          global.set 6
          i32.reinterpret_f32
          global.get 4
          i32.xor
          global.set 4
          i64.reinterpret_f64
          i64.const 0
          i64.xor
          global.set 3
          global.get 5
          i32.xor
          global.set 5
          drop
          i32.reinterpret_f32
          i32.const 1
          i32.xor
          global.set 4
          i32.const 1
          i32.xor
          global.set 5
          drop
          f64.const 0x1.p-1066 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001265;)
        else
          f64.const 0x1.4ed3359ee4973p-997 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000009765000798028245;)
        end
        i64.reinterpret_f64
        global.get 3
        i64.xor
        global.set 3
        global.get 5
        i32.xor
        global.set 5
        ref.null func
      end
      drop
      i64.reinterpret_f64
      i64.const 0
      i64.xor
      global.set 3
      i32.reinterpret_f32
      global.get 4
      i32.xor
      global.set 4
      i64.reinterpret_f64
      global.get 3
      i64.xor
      global.set 3
      ref.null extern
    end
    drop
    f32.const 0x1.p-146 (;=0.000000000000000000000000000000000000000000011;)
    ref.null func
    i32.const 0
  )
)
