//! memory64 on both strategies: 64-bit addresses and static offsets, `addr + offset` past
//! 2^64 trapping (never wrapping), stores straddling the end writing no byte, bulk operations
//! with i64 operands, memory.grow's i64 -1, and i64 data segment offsets. The guard strategy
//! compares the address once and lets its guard region cover the offset
//! (`exec/access.rs`, `ea64`); the checked one checks the sum; both must give the same
//! results, traps and bytes.

use super::{Outcome, on_both_strategies, trap_of};
use redzone_engine::{TrapKind, Value};

const WAT: &str = r#"
(module
  (memory (export "mem") i64 1 3)
  (data (i64.const 65530) "\01\02\03\04\05\06")
  (func (export "st64") (param i64 i64) local.get 0 local.get 1 i64.store)
  (func (export "st32") (param i64 i32) local.get 0 local.get 1 i32.store offset=4)
  (func (export "st8") (param i64 i32) local.get 0 local.get 1 i32.store8 offset=65535)
  (func (export "ld64") (param i64) (result i64) local.get 0 i64.load)
  (func (export "ld8s") (param i64) (result i32) local.get 0 i32.load8_s offset=1)
  (func (export "ld_far") (param i64) (result i64) local.get 0 i64.load offset=0xffffffffffffff00)
  (func (export "ld_4g") (param i64) (result i32) local.get 0 i32.load offset=0x100000000)
  (func (export "v128st") (param i64) local.get 0 v128.const i64x2 -1 -1 v128.store offset=8)
  (func (export "size") (result i64) memory.size)
  (func (export "grow") (param i64) (result i64) local.get 0 memory.grow)
  (func (export "fill") (param i64 i32 i64) local.get 0 local.get 1 local.get 2 memory.fill)
  (func (export "copy") (param i64 i64 i64) local.get 0 local.get 1 local.get 2 memory.copy)
)"#;

fn i64s(v: &[i64]) -> Vec<Value> {
    v.iter().map(|&x| Value::I64(x)).collect()
}

fn both(calls: &[(&str, Vec<Value>)]) -> Outcome {
    on_both_strategies(WAT, calls)
}

#[test]
fn straddling_stores_write_no_byte_and_in_bounds_ones_do() {
    let mut calls = Vec::new();
    for back in 0..8i64 {
        calls.push(("st64", i64s(&[65536 - back, -1])));
    }
    // 16 bytes at 65521: one byte past the end.
    calls.push(("v128st", i64s(&[65536 - 8 - 15])));
    calls.push(("st64", i64s(&[65536 - 16, -1])));
    let (results, bytes) = both(&calls);
    for (back, r) in results[..9].iter().enumerate() {
        assert_eq!(trap_of(r), Some(TrapKind::MemoryOutOfBounds), "call {back}");
    }
    assert!(results[9].is_ok());
    assert_eq!(&bytes[65530..], &[1, 2, 3, 4, 5, 6], "the straddling stores wrote nothing over the segment");
    assert_eq!(&bytes[65528..65530], &[0, 0], "nor before it");
    assert_eq!(&bytes[65520..65528], &[0xff; 8], "the store that fits wrote its 8 bytes");
}

#[test]
fn addr_plus_offset_past_2_64_traps_instead_of_wrapping() {
    // 0x100 + 0xffff_ffff_ffff_ff00 is exactly 2^64: wrapped it would read address 0.
    let calls = vec![
        ("ld_far", i64s(&[0x100])),
        ("ld_far", i64s(&[0x1000])),
        ("ld_far", i64s(&[-1])),
        ("ld_4g", i64s(&[0])),
        ("ld_4g", i64s(&[-0x1_0000_0000])),
        ("ld64", i64s(&[-1])),
        ("ld64", i64s(&[1 << 32])),
        ("ld8s", i64s(&[-1])),
        ("st8", vec![Value::I64(-65535), Value::I32(1)]),
    ];
    let (results, bytes) = both(&calls);
    for (r, (name, args)) in results.iter().zip(&calls) {
        assert_eq!(trap_of(r), Some(TrapKind::MemoryOutOfBounds), "{name} {args:?}");
    }
    assert_eq!(&bytes[65530..], &[1, 2, 3, 4, 5, 6], "the segment at an i64 offset; nothing else written");
}

#[test]
fn loads_stores_grow_and_bulk_operations_use_64_bit_operands() {
    let calls = vec![
        ("ld64", i64s(&[65528])),
        ("ld8s", i64s(&[65532])),
        ("st32", vec![Value::I64(16), Value::I32(-2)]),
        ("size", vec![]),
        ("grow", i64s(&[1 << 32])),
        ("grow", i64s(&[-1])),
        ("grow", i64s(&[1])),
        ("ld64", i64s(&[65536])),
        ("grow", i64s(&[2])),
        ("size", vec![]),
        ("fill", vec![Value::I64(100), Value::I32(7), Value::I64(4)]),
        ("fill", vec![Value::I64(131072), Value::I32(9), Value::I64(1 << 32)]),
        ("fill", vec![Value::I64(131072), Value::I32(9), Value::I64(0)]),
        ("copy", i64s(&[131068, 100, 4])),
        ("copy", i64s(&[0, 100, -1])),
        ("copy", i64s(&[131072, 0, 0])),
        ("st8", vec![Value::I64(65536), Value::I32(0x5a)]),
    ];
    let (r, bytes) = both(&calls);
    let ok = |i: usize| r[i].as_ref().unwrap().clone();
    assert_eq!(ok(0), vec![Value::I64(0x0605_0403_0201_0000)]);
    assert_eq!(ok(1), vec![Value::I32(4)], "load8_s at 65532 + 1");
    assert_eq!(ok(3), vec![Value::I64(1)]);
    assert_eq!(ok(4), vec![Value::I64(-1)], "memory.grow's -1 is an i64");
    assert_eq!(ok(5), vec![Value::I64(-1)]);
    assert_eq!(ok(6), vec![Value::I64(1)]);
    assert_eq!(ok(7), vec![Value::I64(0)], "a new page reads zero");
    assert_eq!(ok(8), vec![Value::I64(-1)], "past the maximum of 3");
    assert_eq!(ok(9), vec![Value::I64(2)]);
    assert_eq!(trap_of(&r[11]), Some(TrapKind::MemoryOutOfBounds), "a fill of 2^32 bytes");
    assert!(r[12].is_ok(), "a zero-length fill at exactly len");
    assert_eq!(trap_of(&r[14]), Some(TrapKind::MemoryOutOfBounds), "a copy of 2^64 - 1 bytes");
    assert!(r[15].is_ok(), "a zero-length copy at exactly len");
    assert_eq!(bytes.len(), 131072);
    assert_eq!(&bytes[20..24], &(-2i32).to_le_bytes());
    assert_eq!(&bytes[100..104], &[7; 4]);
    assert_eq!(&bytes[131068..131071], &[7; 3], "the copy to the end");
    assert_eq!(bytes[131071], 0x5a, "st8 offset=65535 at address 65536 is the last byte");
    assert_eq!(bytes[131067], 0);
}
