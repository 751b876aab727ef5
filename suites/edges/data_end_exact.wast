;; Active data segments that end exactly at len, for several memory sizes and segment lengths,
;; with overlapping segments applied in order; and the smallest ones that end one byte past.
;;
;; Why: the check for an active segment at offset o with n bytes is o + n <= len (unwrapped);
;; o + n == len is the last legal position, whatever n is (1, 8, 256 bytes, or 0 at o = len).
;; Segments are applied in order, so a later overlapping segment wins byte by byte. Each
;; module's end bytes are read back; the failing variants trap at instantiation.
(module
  (memory 2)
  (data (i32.const 130816) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f\20\21\22\23\24\25\26\27\28\29\2a\2b\2c\2d\2e\2f\30\31\32\33\34\35\36\37\38\39\3a\3b\3c\3d\3e\3f\40\41\42\43\44\45\46\47\48\49\4a\4b\4c\4d\4e\4f\50\51\52\53\54\55\56\57\58\59\5a\5b\5c\5d\5e\5f\60\61\62\63\64\65\66\67\68\69\6a\6b\6c\6d\6e\6f\70\71\72\73\74\75\76\77\78\79\7a\7b\7c\7d\7e\7f\80\81\82\83\84\85\86\87\88\89\8a\8b\8c\8d\8e\8f\90\91\92\93\94\95\96\97\98\99\9a\9b\9c\9d\9e\9f\a0\a1\a2\a3\a4\a5\a6\a7\a8\a9\aa\ab\ac\ad\ae\af\b0\b1\b2\b3\b4\b5\b6\b7\b8\b9\ba\bb\bc\bd\be\bf\c0\c1\c2\c3\c4\c5\c6\c7\c8\c9\ca\cb\cc\cd\ce\cf\d0\d1\d2\d3\d4\d5\d6\d7\d8\d9\da\db\dc\dd\de\df\e0\e1\e2\e3\e4\e5\e6\e7\e8\e9\ea\eb\ec\ed\ee\ef\f0\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff")
  (data (i32.const 131064) "\a0\a1\a2\a3\a4\a5\a6\a7")
  (data (i32.const 131071) "\ee")
  (data (i32.const 131072) "")
  (data (i32.const 65535) "\55")
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
)
(assert_return (invoke "load8" (i32.const 130816)) (i32.const 0x00))
(assert_return (invoke "load8" (i32.const 130817)) (i32.const 0x01))
(assert_return (invoke "load64" (i32.const 131056)) (i64.const 0xf7f6f5f4f3f2f1f0))
(assert_return (invoke "load64" (i32.const 131064)) (i64.const 0xeea6a5a4a3a2a1a0))
(assert_return (invoke "load8" (i32.const 131071)) (i32.const 0xee))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0x55))
(assert_return (invoke "load8" (i32.const 65536)) (i32.const 0x00))
(assert_trap (invoke "load8" (i32.const 131072)) "out of bounds memory access")

;; a segment filling a one-page memory's last 8 bytes, and an empty one at len
(module
  (memory 1 1)
  (data (i32.const 65528) "\11\22\33\44\55\66\77\88")
  (data (i32.const 65536) "")
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0))))
(assert_return (invoke "load64" (i32.const 65528)) (i64.const 0x8877665544332211))

;; the offset is an i32 constant interpreted unsigned: -1 is 0xFFFFFFFF, not "the last byte"
(assert_trap (module (memory 1) (data (i32.const -1) "")) "out of bounds memory access")
(assert_trap (module (memory 1) (data (i32.const -1) "\01")) "out of bounds memory access")
(assert_trap (module (memory 1) (data (i32.const -65536) "\01")) "out of bounds memory access")
;; one byte past, for each length
(assert_trap (module (memory 2) (data (i32.const 131072) "\01")) "out of bounds memory access")
(assert_trap (module (memory 2) (data (i32.const 131065) "\01\02\03\04\05\06\07\08")) "out of bounds memory access")
(assert_trap (module (memory 2) (data (i32.const 131073) "")) "out of bounds memory access")
(assert_trap (module (memory 1) (data (i32.const 65281) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f\20\21\22\23\24\25\26\27\28\29\2a\2b\2c\2d\2e\2f\30\31\32\33\34\35\36\37\38\39\3a\3b\3c\3d\3e\3f\40\41\42\43\44\45\46\47\48\49\4a\4b\4c\4d\4e\4f\50\51\52\53\54\55\56\57\58\59\5a\5b\5c\5d\5e\5f\60\61\62\63\64\65\66\67\68\69\6a\6b\6c\6d\6e\6f\70\71\72\73\74\75\76\77\78\79\7a\7b\7c\7d\7e\7f\80\81\82\83\84\85\86\87\88\89\8a\8b\8c\8d\8e\8f\90\91\92\93\94\95\96\97\98\99\9a\9b\9c\9d\9e\9f\a0\a1\a2\a3\a4\a5\a6\a7\a8\a9\aa\ab\ac\ad\ae\af\b0\b1\b2\b3\b4\b5\b6\b7\b8\b9\ba\bb\bc\bd\be\bf\c0\c1\c2\c3\c4\c5\c6\c7\c8\c9\ca\cb\cc\cd\ce\cf\d0\d1\d2\d3\d4\d5\d6\d7\d8\d9\da\db\dc\dd\de\df\e0\e1\e2\e3\e4\e5\e6\e7\e8\e9\ea\eb\ec\ed\ee\ef\f0\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff")) "out of bounds memory access")
;; the declared maximum does not count, only the initial size
(assert_trap (module (memory 1 2) (data (i32.const 65536) "\01")) "out of bounds memory access")
