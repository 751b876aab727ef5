;; instantiate.wat: instantiate-and-drop; `run` itself is trivial.
;;
;; Measures: what it costs to instantiate a small module with state and throw the instance
;; away (memory reservation or allocation, data and element segments, globals, then the
;; teardown), the per-request cost of an engine used as a sandbox. `measure =
;; "instantiate"` in workloads.toml: every sample compiles nothing, instantiates the
;; compiled module, calls run and drops the instance.
;; Memory: 4 pages (maximum 64); a 1 KiB data segment at 0x1000 with byte i =
;; ((i * 167 + 13) ^ (i >> 3)) & 0xFF, a text segment at 0x2000 and one at 0x30000; a
;; table of 4 functions from an element segment; two globals.
;;
;; run(n): acc = sum over i < n of load8_u(0x1000 + (i * 37) % 1024) plus $bias (7),
;; plus the table function (i & 3) applied to i through call_indirect (f_k(i) = i * (k + 1)).
;; Default n = 16: checksum in workloads.toml (reference.py).
;;
;; Checksums at the default n (reference.py; the same as workloads.toml):
;;   run(16) = 2248
(module
  (type $f (func (param i32) (result i32)))
  (memory (export "memory") 4 64)
  (table 4 funcref)
  (global $bias i32 (i32.const 7))
  (global $calls (mut i32) (i32.const 0))
  (elem (i32.const 0) $f1 $f2 $f3 $f4)
  (func $f1 (type $f) (local.get 0))
  (func $f2 (type $f) (i32.mul (local.get 0) (i32.const 2)))
  (func $f3 (type $f) (i32.mul (local.get 0) (i32.const 3)))
  (func $f4 (type $f) (i32.mul (local.get 0) (i32.const 4)))
  (data (i32.const 0x1000)
    "\0d\b4\5b\02\a9\50\f7\9e\44\ed\92\3b\e0\89\2e\d7\7f\26\c9\70\1b\c2\65\0c\b6\5f\00\a9\52\fb\9c\45"
    "\e9\90\3f\e6\8d\34\d3\7a\20\c9\76\1f\c4\6d\0a\b3\5b\02\ad\54\ff\a6\41\e8\92\3b\e4\8d\36\df\78\21"
    "\c5\7c\13\ca\61\18\bf\56\0c\a5\5a\f3\a8\41\e6\9f\37\ee\81\38\d3\8a\2d\c4\7e\17\c8\61\1a\b3\54\0d"
    "\a1\58\f7\ae\45\fc\9b\32\e8\81\3e\d7\8c\25\c2\7b\13\ca\65\1c\b7\6e\09\a0\5a\f3\ac\45\fe\97\30\e9"
    "\9d\24\cb\92\39\c0\67\0e\d4\7d\02\ab\70\19\be\47\ef\b6\59\e0\8b\52\f5\9c\26\cf\90\39\c2\6b\0c\d5"
    "\79\00\af\76\1d\a4\43\ea\b0\59\e6\8f\54\fd\9a\23\cb\92\3d\c4\6f\36\d1\78\02\ab\74\1d\a6\4f\e8\b1"
    "\55\ec\83\5a\f1\88\2f\c6\9c\35\ca\63\38\d1\76\0f\a7\7e\11\a8\43\1a\bd\54\ee\87\58\f1\8a\23\c4\9d"
    "\31\c8\67\3e\d5\6c\0b\a2\78\11\ae\47\1c\b5\52\eb\83\5a\f5\8c\27\fe\99\30\ca\63\3c\d5\6e\07\a0\79"
    "\2d\94\7b\22\89\70\d7\be\64\cd\b2\1b\c0\a9\0e\f7\5f\06\e9\50\3b\e2\45\2c\96\7f\20\89\72\db\bc\65"
    "\c9\b0\1f\c6\ad\14\f3\5a\00\e9\56\3f\e4\4d\2a\93\7b\22\8d\74\df\86\61\c8\b2\1b\c4\ad\16\ff\58\01"
    "\e5\5c\33\ea\41\38\9f\76\2c\85\7a\d3\88\61\c6\bf\17\ce\a1\18\f3\aa\0d\e4\5e\37\e8\41\3a\93\74\2d"
    "\81\78\d7\8e\65\dc\bb\12\c8\a1\1e\f7\ac\05\e2\5b\33\ea\45\3c\97\4e\29\80\7a\d3\8c\65\de\b7\10\c9"
    "\bd\04\eb\b2\19\e0\47\2e\f4\5d\22\8b\50\39\9e\67\cf\96\79\c0\ab\72\d5\bc\06\ef\b0\19\e2\4b\2c\f5"
    "\59\20\8f\56\3d\84\63\ca\90\79\c6\af\74\dd\ba\03\eb\b2\1d\e4\4f\16\f1\58\22\8b\54\3d\86\6f\c8\91"
    "\75\cc\a3\7a\d1\a8\0f\e6\bc\15\ea\43\18\f1\56\2f\87\5e\31\88\63\3a\9d\74\ce\a7\78\d1\aa\03\e4\bd"
    "\11\e8\47\1e\f5\4c\2b\82\58\31\8e\67\3c\95\72\cb\a3\7a\d5\ac\07\de\b9\10\ea\43\1c\f5\4e\27\80\59"
    "\4d\f4\1b\42\e9\10\b7\de\04\ad\d2\7b\a0\c9\6e\97\3f\66\89\30\5b\82\25\4c\f6\1f\40\e9\12\bb\dc\05"
    "\a9\d0\7f\a6\cd\74\93\3a\60\89\36\5f\84\2d\4a\f3\1b\42\ed\14\bf\e6\01\a8\d2\7b\a4\cd\76\9f\38\61"
    "\85\3c\53\8a\21\58\ff\16\4c\e5\1a\b3\e8\01\a6\df\77\ae\c1\78\93\ca\6d\84\3e\57\88\21\5a\f3\14\4d"
    "\e1\18\b7\ee\05\bc\db\72\a8\c1\7e\97\cc\65\82\3b\53\8a\25\5c\f7\2e\49\e0\1a\b3\ec\05\be\d7\70\a9"
    "\dd\64\8b\d2\79\80\27\4e\94\3d\42\eb\30\59\fe\07\af\f6\19\a0\cb\12\b5\dc\66\8f\d0\79\82\2b\4c\95"
    "\39\40\ef\36\5d\e4\03\aa\f0\19\a6\cf\14\bd\da\63\8b\d2\7d\84\2f\76\91\38\42\eb\34\5d\e6\0f\a8\f1"
    "\15\ac\c3\1a\b1\c8\6f\86\dc\75\8a\23\78\91\36\4f\e7\3e\51\e8\03\5a\fd\14\ae\c7\18\b1\ca\63\84\dd"
    "\71\88\27\7e\95\2c\4b\e2\38\51\ee\07\5c\f5\12\ab\c3\1a\b5\cc\67\be\d9\70\8a\23\7c\95\2e\47\e0\39"
    "\6d\d4\3b\62\c9\30\97\fe\24\8d\f2\5b\80\e9\4e\b7\1f\46\a9\10\7b\a2\05\6c\d6\3f\60\c9\32\9b\fc\25"
    "\89\f0\5f\86\ed\54\b3\1a\40\a9\16\7f\a4\0d\6a\d3\3b\62\cd\34\9f\c6\21\88\f2\5b\84\ed\56\bf\18\41"
    "\a5\1c\73\aa\01\78\df\36\6c\c5\3a\93\c8\21\86\ff\57\8e\e1\58\b3\ea\4d\a4\1e\77\a8\01\7a\d3\34\6d"
    "\c1\38\97\ce\25\9c\fb\52\88\e1\5e\b7\ec\45\a2\1b\73\aa\05\7c\d7\0e\69\c0\3a\93\cc\25\9e\f7\50\89"
    "\fd\44\ab\f2\59\a0\07\6e\b4\1d\62\cb\10\79\de\27\8f\d6\39\80\eb\32\95\fc\46\af\f0\59\a2\0b\6c\b5"
    "\19\60\cf\16\7d\c4\23\8a\d0\39\86\ef\34\9d\fa\43\ab\f2\5d\a4\0f\56\b1\18\62\cb\14\7d\c6\2f\88\d1"
    "\35\8c\e3\3a\91\e8\4f\a6\fc\55\aa\03\58\b1\16\6f\c7\1e\71\c8\23\7a\dd\34\8e\e7\38\91\ea\43\a4\fd"
    "\51\a8\07\5e\b5\0c\6b\c2\18\71\ce\27\7c\d5\32\8b\e3\3a\95\ec\47\9e\f9\50\aa\03\5c\b5\0e\67\c0\19")
  (data (i32.const 0x2000) "redzone: instantiate-and-drop benchmark")
  (data (i32.const 0x30000) "a segment in the last page")
  (func (export "run") (param $n i32) (result i64) (local $i i32) (local $acc i64)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i64.add (local.get $acc)
          (i64.extend_i32_u (i32.add
            (i32.add
              (i32.load8_u offset=0x1000 (i32.rem_u (i32.mul (local.get $i) (i32.const 37)) (i32.const 1024)))
              (global.get $bias))
            (call_indirect (type $f) (local.get $i) (i32.and (local.get $i) (i32.const 3)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc)))
