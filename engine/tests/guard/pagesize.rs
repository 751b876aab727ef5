//! Custom page sizes (1-byte pages) on both strategies: memory.size and memory.grow count
//! bytes, the length ends off a host page, and on guard pages such a memory is checked
//! explicitly (the bytes between its length and the next host page are committed, so the
//! hardware would not trap there). A straddling store at an odd length must write no byte on
//! either strategy, and both must give the same results, traps and bytes.

use super::{Outcome, on_both_strategies, shared, trap_of};
use redzone_engine::{GuardMemory, LinearMemory, MemoryType, Strategy, TrapKind, Value};

const WAT: &str = r#"
(module
  (memory (export "mem") 5 (pagesize 1))
  (memory (export "big") 1)
  (data (i32.const 1) "\01\02\03\04")
  (func (export "st32") (param i32 i32) local.get 0 local.get 1 i32.store)
  (func (export "st64") (param i32 i64) local.get 0 local.get 1 i64.store)
  (func (export "st8off") (param i32 i32) local.get 0 local.get 1 i32.store8 offset=3)
  (func (export "ld8") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "ld16") (param i32) (result i32) local.get 0 i32.load16_u)
  (func (export "v128st") (param i32) local.get 0 v128.const i64x2 -1 -1 v128.store)
  (func (export "v128ld") (param i32) (result i64) local.get 0 v128.load i64x2.extract_lane 0)
  (func (export "size") (result i32) memory.size)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "fill") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill)
  (func (export "to_big") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy 1 0)
)"#;

fn i32s(v: &[i32]) -> Vec<Value> {
    v.iter().map(|&x| Value::I32(x)).collect()
}

fn both(calls: &[(&str, Vec<Value>)]) -> Outcome {
    on_both_strategies(WAT, calls)
}

#[test]
fn straddling_accesses_at_an_odd_length_trap_and_write_no_byte() {
    // The memory is 5 bytes: [0, 1, 2, 3, 4] after the data segment.
    let calls = vec![
        ("st32", i32s(&[2, -1])),
        ("st32", i32s(&[3, -1])),
        ("st32", i32s(&[4, -1])),
        ("st32", i32s(&[5, -1])),
        ("st64", vec![Value::I32(0), Value::I64(-1)]),
        ("st8off", i32s(&[2, 0x77])),
        ("v128st", i32s(&[0])),
        ("ld8", i32s(&[4])),
        ("ld8", i32s(&[5])),
        ("ld16", i32s(&[4])),
        ("v128ld", i32s(&[0])),
        ("st32", i32s(&[1, 0x0a0b_0c0d])),
        ("st8off", i32s(&[1, 0x77])),
    ];
    let (r, bytes) = both(&calls);
    for i in [0, 1, 2, 3, 4, 5, 6, 8, 9, 10] {
        assert_eq!(trap_of(&r[i]), Some(TrapKind::MemoryOutOfBounds), "call {i}: {:?}", calls[i]);
    }
    assert_eq!(r[7].as_ref().unwrap(), &i32s(&[4]), "the last byte reads");
    assert!(r[11].is_ok() && r[12].is_ok(), "the accesses that end exactly at the length");
    assert_eq!(bytes, [0, 0x0d, 0x0c, 0x0b, 0x77], "only the in-bounds stores wrote");
}

#[test]
fn size_and_grow_count_bytes_and_new_bytes_read_zero() {
    let calls = vec![
        ("size", vec![]),
        ("grow", i32s(&[1])),
        ("size", vec![]),
        ("ld8", i32s(&[5])),
        ("grow", i32s(&[4090])),
        ("size", vec![]),
        ("st32", i32s(&[3, 0x1122_3344])),
        ("ld16", i32s(&[4094])),
        ("ld16", i32s(&[4095])),
        ("grow", i32s(&[3])),
        ("st64", vec![Value::I32(4092), Value::I64(-1)]),
        ("ld16", i32s(&[4097])),
        // 4,099 + (2^32 - 4,099) = 2^32 bytes: one past the 32-bit limit of 2^32 - 1.
        ("grow", i32s(&[(u32::MAX - 4098) as i32])),
        ("grow", i32s(&[-1])),
        ("size", vec![]),
        ("grow", i32s(&[0])),
    ];
    let (r, bytes) = both(&calls);
    let ok = |i: usize| r[i].as_ref().unwrap().clone();
    assert_eq!(ok(0), i32s(&[5]));
    assert_eq!(ok(1), i32s(&[5]), "grow returns the old size in bytes");
    assert_eq!(ok(2), i32s(&[6]));
    assert_eq!(ok(3), i32s(&[0]), "the grown byte is zero");
    assert_eq!(ok(4), i32s(&[6]));
    assert_eq!(ok(5), i32s(&[4096]), "now exactly one host page");
    assert!(r[6].is_ok());
    assert_eq!(ok(7), i32s(&[0]));
    assert_eq!(trap_of(&r[8]), Some(TrapKind::MemoryOutOfBounds), "a straddle at the host page's end");
    assert_eq!(ok(9), i32s(&[4096]), "grows into the next host page");
    assert_eq!(trap_of(&r[10]), Some(TrapKind::MemoryOutOfBounds), "4092 + 8 > 4099");
    assert_eq!(ok(11), i32s(&[0]), "the new bytes past the host page read zero");
    assert_eq!(ok(12), i32s(&[-1]), "2^32 bytes is one more than a 32-bit 1-byte-page memory holds");
    assert_eq!(ok(13), i32s(&[-1]));
    assert_eq!(ok(14), i32s(&[4099]), "failed grows change nothing");
    assert_eq!(ok(15), i32s(&[4099]));
    assert_eq!(bytes.len(), 4099);
    assert_eq!(&bytes[..7], &[0, 1, 2, 0x44, 0x33, 0x22, 0x11]);
    assert!(bytes[7..].iter().all(|&b| b == 0), "the straddling store wrote nothing");
}

#[test]
fn bulk_operations_across_the_length_write_nothing() {
    let calls = vec![
        ("fill", i32s(&[3, 0x55, 3])),
        ("fill", i32s(&[5, 0x55, 0])),
        ("fill", i32s(&[6, 0x55, 0])),
        ("to_big", i32s(&[65534, 3, 2])),
        ("to_big", i32s(&[65535, 3, 2])),
        ("to_big", i32s(&[0, 4, 2])),
        ("fill", i32s(&[3, 0x66, 2])),
    ];
    let (r, bytes) = both(&calls);
    assert_eq!(trap_of(&r[0]), Some(TrapKind::MemoryOutOfBounds), "a fill past the length");
    assert!(r[1].is_ok(), "a zero-length fill at exactly the length");
    assert_eq!(trap_of(&r[2]), Some(TrapKind::MemoryOutOfBounds), "a zero-length fill past it");
    assert!(r[3].is_ok(), "a copy of bytes 3..5 into the 64 KiB memory's end");
    assert_eq!(trap_of(&r[4]), Some(TrapKind::MemoryOutOfBounds), "past the big memory's end");
    assert_eq!(trap_of(&r[5]), Some(TrapKind::MemoryOutOfBounds), "reading past the small one's");
    assert_eq!(bytes, [0, 1, 2, 0x66, 0x66]);
}

#[test]
fn a_guard_store_places_a_1_byte_page_memory_in_a_reservation_with_explicit_checks() {
    let _g = shared();
    let ty = MemoryType { page_size_log2: 0, ..MemoryType::new(4097, None) };
    let (strategy, why) = Strategy::Guard.for_memory(&ty);
    assert_eq!(strategy, Strategy::Checked, "the fallback the store applies");
    assert!(why.is_some_and(|w| w.contains("host page")));
    let mut m = GuardMemory::new(ty, None).unwrap();
    assert!(m.explicit_checks());
    assert_eq!((m.size_bytes(), m.committed_bytes()), (4097, 8192));
    m.audit().unwrap();
    // Host-side accesses on the memory itself are checked too: byte 4097 is committed but
    // not part of the memory.
    assert_eq!(m.store::<u8>(4097, 1), Err(redzone_engine::memory::OutOfBounds));
    assert_eq!(m.store::<u16>(4096, 1), Err(redzone_engine::memory::OutOfBounds));
    assert_eq!(m.load::<u8>(4096), Ok(0));
    assert_eq!(m.grow(8191), Some(4097));
    assert_eq!((m.size_bytes(), m.committed_bytes()), (12288, 12288));
    m.audit().unwrap();
    assert!(m.data().iter().all(|&b| b == 0));
    let wide = MemoryType { index64: true, ..ty };
    let mut m = GuardMemory::new(wide, None).unwrap();
    assert_eq!(m.grow(u64::MAX - 4097), None, "past the 4 GiB a guard memory64 memory holds");
    assert_eq!(m.grow((4 << 30) - 4097), Some(4097), "up to exactly 4 GiB");
}
