//! multi-memory on both strategies: accesses, memory.size/grow/fill/init and v128 accesses on
//! memories other than memory 0 (the general, out-of-line path), memory.copy between a
//! 32-bit and a 64-bit memory in both directions and between two indices of one imported
//! memory, data segments into memory 2, a trap on memory 1 that leaves memory 0 untouched,
//! and several imported and exported memories shared with the host. Every scenario runs on
//! guard pages and on explicit checks, which must agree on results, traps and every memory.

use super::shared;
use redzone_engine::{
    CheckedMemory, Error, Extern, GuardMemory, LinearMemory, MemoryType, Module, Store, TrapKind, Value,
};

/// Three memories: 32-bit 0, 32-bit 1 (at most 2 pages) and 64-bit 2, each exported, with a
/// segment into memory 2 and a passive one.
const THREE: &str = r#"
(module
  (memory $m0 (export "m0") 1)
  (memory $m1 (export "m1") 1 2)
  (memory $m2 (export "m2") i64 1)
  (data (memory $m2) (i64.const 65534) "\aa\bb")
  (data $p "\01\02\03\04")
  (func (export "st0") (param i32 i32) local.get 0 local.get 1 i32.store)
  (func (export "st1") (param i32 i32) local.get 0 local.get 1 i32.store $m1)
  (func (export "ld1") (param i32) (result i32) local.get 0 i32.load $m1)
  (func (export "st2") (param i64 i64) local.get 0 local.get 1 i64.store $m2 offset=2)
  (func (export "ld2") (param i64) (result i32) local.get 0 i32.load8_u $m2)
  (func (export "copy12") (param i32 i64 i32) local.get 0 local.get 1 local.get 2 memory.copy $m1 $m2)
  (func (export "copy21") (param i64 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy $m2 $m1)
  (func (export "size1") (result i32) memory.size $m1)
  (func (export "size2") (result i64) memory.size $m2)
  (func (export "grow1") (param i32) (result i32) local.get 0 memory.grow $m1)
  (func (export "fill1") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill $m1)
  (func (export "init2") (param i64 i32 i32) local.get 0 local.get 1 local.get 2 memory.init $m2 $p)
  (func (export "vst1") (param i32) local.get 0 v128.const i64x2 -1 -1 v128.store $m1)
  (func (export "vld1") (param i32) (result i64) local.get 0 v128.load $m1 offset=8 i64x2.extract_lane 0)
)"#;

/// Results of the calls in order, and the bytes of every exported memory, by name.
type Seen = (Vec<Result<Vec<Value>, Error>>, Vec<(String, Vec<u8>)>);

/// Instantiates `wat` with `imports` made by `host` in a fresh store of strategy `M`, makes
/// `calls`, audits the reservations and reads every exported memory.
fn seen<M: LinearMemory>(wat: &str, host: fn(&mut Store<M>) -> Vec<Extern>, calls: &[(&str, Vec<Value>)]) -> Seen {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut store: Store<M> = Store::new(Default::default());
    let imports = host(&mut store);
    let inst = store.instantiate(&module, &imports).unwrap();
    let results = calls
        .iter()
        .map(|(name, args)| match store.get_export(inst, name) {
            Some(Extern::Func(f)) => store.call(f, args),
            _ => panic!("no function {name}"),
        })
        .collect();
    store.audit_memories().unwrap();
    let memories = module
        .exports()
        .into_iter()
        .filter_map(|(name, _)| match store.get_export(inst, &name) {
            Some(Extern::Memory(m)) => Some((name, store.memory(m).data().to_vec())),
            _ => None,
        })
        .collect();
    (results, memories)
}

/// [`seen`] on guard pages and on explicit checks; asserts they agree and returns one.
fn on_both(
    wat: &str,
    guard_host: fn(&mut Store<GuardMemory>) -> Vec<Extern>,
    checked_host: fn(&mut Store<CheckedMemory>) -> Vec<Extern>,
    calls: &[(&str, Vec<Value>)],
) -> Seen {
    let _g = shared();
    let g = seen::<GuardMemory>(wat, guard_host, calls);
    let c = seen::<CheckedMemory>(wat, checked_host, calls);
    assert_eq!(format!("{:?}", g.0), format!("{:?}", c.0), "results and traps agree across strategies");
    assert!(g.1 == c.1, "every memory agrees across strategies");
    g
}

fn no_imports<M: LinearMemory>(_: &mut Store<M>) -> Vec<Extern> {
    Vec::new()
}

fn kind(r: &Result<Vec<Value>, Error>) -> Option<TrapKind> {
    r.as_ref().err().and_then(|e| e.as_trap()).map(|t| t.kind.clone())
}

fn memory<'a>(memories: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &memories.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no memory {name}")).1
}

fn args(v: &[Value]) -> Vec<Value> {
    v.to_vec()
}

use Value::{I32, I64};

#[test]
fn a_trap_on_memory_1_leaves_memory_0_and_memory_1_untouched() {
    let calls = vec![
        ("st1", args(&[I32(65532), I32(0x1122_3344)])),
        ("ld1", args(&[I32(65532)])),
        // Straddling the end of memory 1 by 1..3 bytes: a trap, no byte written anywhere.
        ("st1", args(&[I32(65533), I32(-1)])),
        ("st1", args(&[I32(65535), I32(-1)])),
        ("st1", args(&[I32(-1), I32(-1)])),
        ("vst1", args(&[I32(65536 - 15)])),
        // Memory 2 is 64-bit: addr + offset past 2^64 traps instead of wrapping to 0.
        ("st2", args(&[I64(-2), I64(-1)])),
        ("st0", args(&[I32(8), I32(0x0102_0304)])),
    ];
    let (r, mems) = on_both(THREE, no_imports, no_imports, &calls);
    assert!(r[0].is_ok());
    assert_eq!(r[1].as_ref().unwrap(), &vec![I32(0x1122_3344)]);
    for (i, r) in r.iter().enumerate().take(7).skip(2) {
        assert_eq!(kind(r), Some(TrapKind::MemoryOutOfBounds), "call {i}");
    }
    let (m0, m1, m2) = (memory(&mems, "m0"), memory(&mems, "m1"), memory(&mems, "m2"));
    assert_eq!(&m1[65532..], &[0x44, 0x33, 0x22, 0x11], "the straddling stores wrote nothing");
    assert!(m1[..65532].iter().all(|&b| b == 0), "nor anywhere else in memory 1");
    assert_eq!(&m0[8..12], &[4, 3, 2, 1], "memory 0's own store");
    assert_eq!(m0.iter().filter(|&&b| b != 0).count(), 4, "memory 0 saw only its own store");
    assert_eq!(&m2[..2], &[0, 0], "the wrapping store wrote nothing at address 0 of memory 2");
}

#[test]
fn copies_between_a_32_bit_and_a_64_bit_memory_check_each_side() {
    let calls = vec![
        // The segment into memory 2 at 65534 (an i64 offset) is there at instantiation.
        ("ld2", args(&[I64(65534)])),
        ("st1", args(&[I32(100), I32(0x4433_2211)])),
        ("copy12", args(&[I32(0), I64(65534), I32(2)])),
        ("copy21", args(&[I64(10), I32(100), I32(4)])),
        // Out of bounds on either side: a trap, nothing written.
        ("copy12", args(&[I32(65535), I64(0), I32(2)])),
        ("copy12", args(&[I32(0), I64(65535), I32(2)])),
        ("copy21", args(&[I64(-1), I32(0), I32(1)])),
        // Zero bytes at exactly the end of both memories.
        ("copy12", args(&[I32(65536), I64(65536), I32(0)])),
        // The length is an i32 when either memory is 32-bit: -1 is 2^32 - 1, not 2^64 - 1.
        ("copy21", args(&[I64(0), I32(0), I32(-1)])),
    ];
    let (r, mems) = on_both(THREE, no_imports, no_imports, &calls);
    assert_eq!(r[0].as_ref().unwrap(), &vec![I32(0xaa)], "the data segment went into memory 2");
    for i in [1, 2, 3, 7] {
        assert!(r[i].is_ok(), "call {i}: {:?}", r[i]);
    }
    for i in [4, 5, 6, 8] {
        assert_eq!(kind(&r[i]), Some(TrapKind::MemoryOutOfBounds), "call {i}");
    }
    let (m1, m2) = (memory(&mems, "m1"), memory(&mems, "m2"));
    assert_eq!(&m1[..2], &[0xaa, 0xbb], "memory 2 -> memory 1");
    assert_eq!(&m2[10..14], &[0x11, 0x22, 0x33, 0x44], "memory 1 -> memory 2");
    assert_eq!(m1[65535], 0, "the out-of-bounds copy wrote nothing");
    assert!(memory(&mems, "m0").iter().all(|&b| b == 0), "memory 0 never took part");
}

#[test]
fn size_grow_fill_init_and_v128_act_on_the_memory_they_name() {
    let calls = vec![
        ("size1", vec![]),
        ("grow1", args(&[I32(1)])),
        ("size1", vec![]),
        ("grow1", args(&[I32(1)])),
        ("size2", vec![]),
        ("fill1", args(&[I32(131070), I32(0x5a), I32(2)])),
        ("fill1", args(&[I32(131071), I32(0x5a), I32(2)])),
        ("init2", args(&[I64(200), I32(1), I32(3)])),
        ("init2", args(&[I64(65535), I32(0), I32(2)])),
        ("vst1", args(&[I32(131072 - 16)])),
        ("vld1", args(&[I32(131072 - 24)])),
        ("vst1", args(&[I32(131072 - 8)])),
    ];
    let (r, mems) = on_both(THREE, no_imports, no_imports, &calls);
    let ok = |i: usize| r[i].as_ref().unwrap().clone();
    assert_eq!(ok(0), vec![I32(1)]);
    assert_eq!(ok(1), vec![I32(1)], "memory 1 grew from 1 page");
    assert_eq!(ok(2), vec![I32(2)]);
    assert_eq!(ok(3), vec![I32(-1)], "memory 1's maximum is 2");
    assert_eq!(ok(4), vec![I64(1)], "memory 2 did not grow with memory 1");
    assert_eq!(kind(&r[6]), Some(TrapKind::MemoryOutOfBounds), "a fill past memory 1's new end");
    assert_eq!(kind(&r[8]), Some(TrapKind::MemoryOutOfBounds), "an init past memory 2's end");
    assert_eq!(ok(10), vec![I64(-1)], "v128 store then load on memory 1");
    assert_eq!(kind(&r[11]), Some(TrapKind::MemoryOutOfBounds), "a straddling v128 store");
    let (m0, m1, m2) = (memory(&mems, "m0"), memory(&mems, "m1"), memory(&mems, "m2"));
    assert_eq!(m0.len(), 65536, "memory 0 kept its size");
    assert_eq!(m1.len(), 131072);
    assert_eq!(&m1[131056..], &[0xff; 16], "the v128 store that fits; the straddling one wrote nothing more");
    assert_eq!(&m2[200..203], &[2, 3, 4], "memory.init into memory 2");
    assert_eq!(m2[65535], 0xbb, "the failed init wrote nothing over the segment");
}

/// Two host memories: a 32-bit one of 1 page and a 64-bit one of 1 page.
fn two_host_memories<M: LinearMemory>(store: &mut Store<M>) -> Vec<Extern> {
    let a = store.new_memory(MemoryType::new(1, None)).unwrap();
    let b = store.new_memory(MemoryType { index64: true, ..MemoryType::new(1, Some(4)) }).unwrap();
    vec![Extern::Memory(a), Extern::Memory(b), Extern::Memory(a)]
}

#[test]
fn imported_memories_are_shared_with_the_host_and_one_memory_may_be_imported_twice() {
    const WAT: &str = r#"
    (module
      (import "env" "a" (memory $a 1))
      (import "env" "b" (memory $b i64 1))
      (import "env" "a" (memory $a2 1))
      (memory $own (export "own") 1)
      (export "a" (memory $a))
      (export "b" (memory $b))
      (data (memory $b) (i64.const 4) "\07")
      (func (export "st_b") (param i64 i32) local.get 0 local.get 1 i32.store8 $b)
      (func (export "st_a2") (param i32 i32) local.get 0 local.get 1 i32.store $a2)
      (func (export "ld_a") (param i32) (result i32) local.get 0 i32.load $a)
      ;; $a and $a2 are one memory: an overlapping copy must behave like memmove.
      (func (export "move") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy $a $a2)
      (func (export "grow_b") (param i64) (result i64) local.get 0 memory.grow $b)
      (func (export "to_own") (param i32 i64 i32) local.get 0 local.get 1 local.get 2 memory.copy $own $b)
    )"#;
    let calls = vec![
        ("st_b", args(&[I64(5), I32(8)])),
        ("st_a2", args(&[I32(0), I32(0x0403_0201)])),
        ("ld_a", args(&[I32(0)])),
        ("move", args(&[I32(1), I32(0), I32(4)])),
        ("grow_b", args(&[I64(1)])),
        ("to_own", args(&[I32(0), I64(4), I32(2)])),
        ("st_b", args(&[I64(131072), I32(1)])),
    ];
    let (r, mems) = on_both(WAT, two_host_memories, two_host_memories, &calls);
    assert_eq!(r[2].as_ref().unwrap(), &vec![I32(0x0403_0201)], "a store through $a2 is seen through $a");
    assert!(r[3].is_ok());
    assert_eq!(r[4].as_ref().unwrap(), &vec![I64(1)]);
    assert_eq!(kind(&r[6]), Some(TrapKind::MemoryOutOfBounds), "past the grown imported memory");
    let (a, b, own) = (memory(&mems, "a"), memory(&mems, "b"), memory(&mems, "own"));
    assert_eq!(&a[..5], &[1, 1, 2, 3, 4], "memmove semantics within one memory under two indices");
    assert_eq!(b.len(), 131072, "the host's memory grew");
    assert_eq!(&b[4..6], &[7, 8], "segment and store into the second import");
    assert_eq!(&own[..2], &[7, 8], "64-bit import -> own 32-bit memory");
}
