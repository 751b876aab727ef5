//! The ABI client against the guests of `suites/abi/`, on both memory strategies.

use super::*;
use crate::{CheckedMemory, Extern, GlobalType, Instance, LinearMemory, MemoryType, Module, Store, TrapKind};

const ALLOCATOR: &str = include_str!("../../../suites/abi/allocator.inc");

/// The build step of the ABI suite: the allocator spliced in where the guest asks for it.
fn guest_wasm(source: &str) -> Vec<u8> {
    assert!(source.contains(";; @include allocator.inc"));
    wat::parse_str(source.replace(";; @include allocator.inc", ALLOCATOR)).expect("guest assembles")
}

fn load<M: LinearMemory>(store: &mut Store<M>, source: &str) -> Instance {
    let module = Module::new(&guest_wasm(source)).expect("guest validates");
    store.instantiate(&module, &[]).expect("guest instantiates")
}

fn load_wat<M: LinearMemory>(store: &mut Store<M>, wat: &str) -> Instance {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    store.instantiate(&module, &[]).unwrap()
}

const GUEST: &str = include_str!("../../../suites/abi/guest.wat");

fn trap_kind(err: &AbiError) -> Option<&TrapKind> {
    match err.kind() {
        AbiErrorKind::Trap(kind) => Some(kind),
        _ => None,
    }
}

#[test]
fn ranges_are_checked_without_wrapping() {
    assert_eq!(check_range(0, 0, 0), Ok(0..0));
    assert_eq!(check_range(65536, 0, 65536), Ok(65536..65536));
    assert_eq!(check_range(65528, 8, 65536), Ok(65528..65536));
    let err = check_range(65529, 8, 65536).unwrap_err();
    assert_eq!(err.kind(), &AbiErrorKind::OutOfBounds { ptr: 65529, len: 8, memory_size: 65536 });
    // would wrap to 7 in 32-bit arithmetic
    assert_eq!(check_range(u32::MAX, 8, 1 << 32).unwrap_err().name(), "OutOfBounds");
    assert_eq!(check_range(8, u32::MAX, 1 << 32).unwrap_err().name(), "OutOfBounds");
    assert_eq!(check_range(1, u32::MAX, 1 << 32), Ok(1..(1 << 32)));
}

#[test]
fn alloc_results_are_checked_for_null_alignment_and_range() {
    assert_eq!(check_alloc(0, 0, 65536), Ok(()));
    assert_eq!(check_alloc(1024, 16, 65536), Ok(()));
    assert_eq!(check_alloc(0, 1, 65536).unwrap_err().kind(), &AbiErrorKind::AllocFailed { len: 1 });
    assert_eq!(check_alloc(1028, 1, 65536).unwrap_err().kind(), &AbiErrorKind::Misaligned { ptr: 1028, align: 8 });
    assert_eq!(check_alloc(65536, 8, 65536).unwrap_err().name(), "OutOfBounds");
}

#[test]
fn error_stays_one_pointer_wide() {
    assert_eq!(std::mem::size_of::<AbiError>(), std::mem::size_of::<usize>());
}

#[test]
fn typed_arrays_round_trip_little_endian() {
    assert_eq!(encode(&[1i32, -2]), vec![1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]);
    assert_eq!(decode::<i64>(&encode(&[i64::MIN, 7])).unwrap(), vec![i64::MIN, 7]);
    assert_eq!(decode::<f32>(&encode(&[1.5f32])).unwrap(), vec![1.5]);
    assert_eq!(decode::<f64>(&[0; 12]).unwrap_err().kind(), &AbiErrorKind::BadArrayLength { len: 12, element_size: 8 });
}

fn guest_functions<M: LinearMemory>() {
    let mut store: Store<M> = Store::new(Default::default());
    let instance = load(&mut store, GUEST);
    let mut g = AbiClient::for_store(&mut store, instance).unwrap();
    assert_eq!(g.live_bytes().unwrap(), Some(0));
    assert_eq!(g.call_str("upper", &["hello, wörld!"]).unwrap(), "HELLO, WöRLD!");
    assert_eq!(g.call_str("upper", &[""]).unwrap(), "");
    assert_eq!(g.call_bytes("reverse", &[&[1, 2, 3]]).unwrap(), vec![3, 2, 1]);
    // reversing a multi-byte character leaves bytes that are not UTF-8
    let err = g.call_str("reverse", &["é"]).unwrap_err();
    assert_eq!(err.kind(), &AbiErrorKind::InvalidUtf8 { valid_up_to: 0 });
    assert_eq!(g.call_str("concat", &["foo", "bär"]).unwrap(), "foobär");
    assert_eq!(g.call_str("concat", &["", ""]).unwrap(), "");
    assert_eq!(g.call_value("array_sum_u8", &[&[255, 255, 3]], ValType::I64).unwrap(), Value::I64(513));
    let ints = encode(&[i32::MAX, i32::MAX, -5]);
    assert_eq!(g.call_value("array_sum_i32", &[&ints], ValType::I64).unwrap(), Value::I64(2 * i32::MAX as i64 - 5));
    let floats = encode(&[0.5f64, 0.25, -2.0]);
    assert_eq!(g.call_value("array_sum_f64", &[&floats], ValType::F64).unwrap(), Value::f64(-1.25));
    assert_eq!(
        g.call_array::<i32>("sort_i32", &[&[5, -1, 3, i32::MIN, 0, 3]]).unwrap(),
        vec![i32::MIN, -1, 0, 3, 3, 5]
    );
    assert_eq!(g.call_array::<i32>("sort_i32", &[&[]]).unwrap(), Vec::<i32>::new());
    assert_eq!(g.call_value("count_chars", &["aé€😀".as_bytes()], ValType::I32).unwrap(), Value::I32(4));
    assert_eq!(g.live_bytes().unwrap(), Some(0), "every call freed its input and the host its result");
    // a length that is not whole elements is the guest's to reject
    let err = g.call_value("array_sum_i32", &[&[1, 2, 3]], ValType::I64).unwrap_err();
    assert_eq!(trap_kind(&err), Some(&TrapKind::UnreachableCodeReached));
}

#[test]
fn guest_functions_checked() {
    guest_functions::<CheckedMemory>();
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn guest_functions_guard() {
    guest_functions::<crate::GuardMemory>();
}

#[test]
fn count_chars_traps_on_invalid_utf8() {
    let mut store: Store<CheckedMemory> = Store::new(Default::default());
    let instance = load(&mut store, GUEST);
    let mut g = AbiClient::for_store(&mut store, instance).unwrap();
    let invalid: &[&[u8]] = &[
        &[0xff],
        &[0x80],
        &[0xc0, 0xaf],             // overlong '/'
        &[0xe0, 0x80, 0xaf],       // overlong
        &[0xed, 0xa0, 0x80],       // surrogate U+D800
        &[0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
        &[b'a', 0xe2, 0x82],       // truncated
        &[0xf0, 0x9f, 0x98, b'a'], // bad continuation
    ];
    for bytes in invalid {
        let err = g.call_value("count_chars", &[bytes], ValType::I32).unwrap_err();
        assert_eq!(trap_kind(&err), Some(&TrapKind::UnreachableCodeReached), "{bytes:x?}");
        assert!(std::str::from_utf8(bytes).is_err(), "the case itself is invalid: {bytes:x?}");
    }
    for s in
        ["", "\u{7f}", "\u{80}", "\u{7ff}", "\u{800}", "\u{d7ff}", "\u{e000}", "\u{ffff}", "\u{10000}", "\u{10ffff}"]
    {
        let n = g.call_value("count_chars", &[s.as_bytes()], ValType::I32).unwrap();
        assert_eq!(n, Value::I32(s.chars().count() as i32), "{s:?}");
    }
}

#[test]
fn large_inputs_grow_memory_and_freed_blocks_are_reused() {
    let mut store: Store<CheckedMemory> = Store::new(Default::default());
    let instance = load(&mut store, GUEST);
    let mut g = AbiClient::for_store(&mut store, instance).unwrap();
    let big: Vec<u8> = (0..(1u32 << 20)).map(|i| b'a' + (i % 26) as u8).collect();
    let start = g.memory_size().unwrap();
    let up = g.call_bytes("upper", &[&big]).unwrap();
    assert!(up.iter().zip(&big).all(|(u, b)| *u == b.to_ascii_uppercase()));
    let grown = g.memory_size().unwrap();
    assert!(grown >= start + (2 << 20), "input and result both live at once: {grown}");
    for _ in 0..5 {
        assert_eq!(g.call_bytes("reverse", &[&big]).unwrap().len(), big.len());
    }
    assert_eq!(g.memory_size().unwrap(), grown, "freed blocks are reused, memory stops growing");
    assert_eq!(g.live_bytes().unwrap(), Some(0));
}

#[test]
fn allocator_reuses_coalesces_and_traps_on_misuse() {
    let mut store: Store<CheckedMemory> = Store::new(Default::default());
    let instance = load(&mut store, GUEST);
    let mut g = AbiClient::for_store(&mut store, instance).unwrap();
    let a = g.alloc(100).unwrap();
    let b = g.alloc(100).unwrap();
    let c = g.alloc(8).unwrap();
    assert_eq!(a % 8 + b % 8 + c % 8, 0);
    assert!(b >= a + 100 && c >= b + 100, "blocks do not overlap");
    g.dealloc(a, 100).unwrap();
    assert_eq!(g.alloc(50).unwrap(), a, "first fit reuses the freed block");
    g.dealloc(a, 50).unwrap();
    g.dealloc(b, 100).unwrap();
    let ab = g.alloc(200).unwrap();
    assert_eq!(ab, a, "two adjacent free blocks coalesce into one that fits 200 bytes");
    assert_eq!(g.live_bytes().unwrap(), Some(208));
    let unreachable = Some(&TrapKind::UnreachableCodeReached);
    assert_eq!(trap_kind(&g.dealloc(c, 9).unwrap_err()), unreachable, "wrong length");
    g.dealloc(c, 8).unwrap();
    assert_eq!(trap_kind(&g.dealloc(c, 8).unwrap_err()), unreachable, "double free");
    assert_eq!(trap_kind(&g.dealloc(ab + 8, 0).unwrap_err()), unreachable, "inside a block");
    assert_eq!(trap_kind(&g.dealloc(16, 0).unwrap_err()), unreachable, "below the heap");
    assert_eq!(trap_kind(&g.dealloc(1 << 20, 0).unwrap_err()), unreachable, "past the heap");
    assert_eq!(g.alloc(u32::MAX).unwrap_err().kind(), &AbiErrorKind::AllocFailed { len: u32::MAX });
    g.dealloc(0, 0).unwrap();
}

#[test]
fn region_guest_writes_at_the_host_data_offset() {
    let mut store: Store<CheckedMemory> = Store::new(Default::default());
    let memory = store.new_memory(MemoryType::new(1, None)).unwrap();
    let offset = store.new_global(GlobalType { content: ValType::I32, mutable: false }, Value::I32(256)).unwrap();
    let module = Module::new(&guest_wasm(include_str!("../../../suites/abi/region.wat"))).unwrap();
    let instance = store.instantiate(&module, &[Extern::Memory(memory), Extern::Global(offset)]).unwrap();
    let mut g = AbiClient::for_store(&mut store, instance).unwrap();
    let written = g.call_value("stats", &[b"abc"], ValType::I32).unwrap();
    assert_eq!(written, Value::I32(16));
    let region = decode::<u32>(&g.read(256, 16).unwrap());
    let hash = b"abc".iter().fold(0x811c9dc5u32, |h, &b| (h ^ b as u32).wrapping_mul(0x01000193));
    assert_eq!(region.unwrap(), vec![3, 294, hash, 99]);
    assert_eq!(g.live_bytes().unwrap(), Some(0));
    // the host's memory is the guest's
    let mut word = [0u8; 4];
    g.host_mut().store().memory(memory).read(256, &mut word).unwrap();
    assert_eq!(word, [3, 0, 0, 0]);
}

fn broken<M: LinearMemory>(file: &str, source: &str, input: &[u8]) -> (AbiError, u64) {
    let mut store: Store<M> = Store::new(Default::default());
    let instance = load(&mut store, source);
    let mut g = AbiClient::for_store(&mut store, instance).unwrap();
    let err = g.call_bytes("upper", &[input]).expect_err(file);
    (err, g.memory_size().unwrap())
}

fn broken_guests<M: LinearMemory>() {
    let (err, size) = broken::<M>("bad_ptr", include_str!("../../../suites/abi/bad_ptr.wat"), b"abc");
    assert_eq!(err.kind(), &AbiErrorKind::OutOfBounds { ptr: size as u32 + 65536, len: 3, memory_size: size });
    let (err, size) = broken::<M>("bad_len", include_str!("../../../suites/abi/bad_len.wat"), b"abc");
    let AbiErrorKind::OutOfBounds { len, memory_size, .. } = *err.kind() else { panic!("{err}") };
    assert_eq!((len as u64, memory_size), (size - 8, size));
    let (err, _) = broken::<M>("bad_align", include_str!("../../../suites/abi/bad_align.wat"), b"abc");
    assert_eq!(err.name(), "Misaligned", "{err}");
    let (err, _) = broken::<M>("double_free", include_str!("../../../suites/abi/double_free.wat"), b"");
    assert_eq!(trap_kind(&err), Some(&TrapKind::UnreachableCodeReached), "{err}");
    let (err, _) = broken::<M>("bounded", include_str!("../../../suites/abi/bounded.wat"), &[b'x'; 100_000]);
    assert_eq!(err.kind(), &AbiErrorKind::AllocFailed { len: 100_000 });

    let mut store: Store<M> = Store::new(Default::default());
    let instance = load(&mut store, include_str!("../../../suites/abi/leak.wat"));
    let mut g = AbiClient::for_store(&mut store, instance).unwrap();
    for round in 1..=3 {
        assert_eq!(g.call_str("upper", &["leaky"]).unwrap(), "LEAKY");
        assert_eq!(g.live_bytes().unwrap(), Some(5 * round), "the input is never freed");
    }
}

#[test]
fn broken_guests_checked() {
    broken_guests::<CheckedMemory>();
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn broken_guests_guard() {
    broken_guests::<crate::GuardMemory>();
}

#[test]
fn missing_exports_and_wrong_signatures_are_reported() {
    let mut store: Store<CheckedMemory> = Store::new(Default::default());
    let no_memory = load_wat(&mut store, r#"(module (func (export "alloc") (param i32) (result i32) i32.const 0))"#);
    let err = AbiClient::for_store(&mut store, no_memory).err().unwrap();
    assert_eq!(err.kind(), &AbiErrorKind::MissingExport { name: "memory".into() });
    let no_dealloc = load_wat(
        &mut store,
        r#"(module (memory (export "memory") 1) (func (export "alloc") (param i32) (result i32) i32.const 8))"#,
    );
    let err = AbiClient::for_store(&mut store, no_dealloc).err().unwrap();
    assert_eq!(err.kind(), &AbiErrorKind::MissingExport { name: "dealloc".into() });
    let wide_alloc = load_wat(
        &mut store,
        r#"(module (memory (export "memory") 1) (func (export "alloc") (param i64) (result i32) i32.const 8)
            (func (export "dealloc") (param i32 i32)))"#,
    );
    let err = AbiClient::for_store(&mut store, wide_alloc).err().unwrap();
    assert_eq!(
        err.kind(),
        &AbiErrorKind::WrongSignature {
            name: "alloc".into(),
            expected: "[i32] -> [i32]".into(),
            found: "[i64] -> [i32]".into()
        }
    );
    let global_memory = load_wat(&mut store, r#"(module (global (export "memory") i32 (i32.const 0)))"#);
    assert_eq!(AbiClient::for_store(&mut store, global_memory).err().unwrap().name(), "WrongSignature");

    let instance = load(&mut store, GUEST);
    let mut g = AbiClient::for_store(&mut store, instance).unwrap();
    let err = g.call_value("upper", &[b"x"], ValType::I32).unwrap_err();
    assert_eq!(err.name(), "WrongSignature", "upper returns a (ptr, len) pair: {err}");
    let err = g.call_bytes("concat", &[b"x"]).unwrap_err();
    assert_eq!(err.name(), "WrongSignature", "concat takes two pairs: {err}");
    assert_eq!(g.call_bytes("nope", &[]).unwrap_err().kind(), &AbiErrorKind::MissingExport { name: "nope".into() });
    assert_eq!(g.live_bytes().unwrap(), Some(0), "a refused call allocates nothing");
}
