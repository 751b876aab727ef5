//! Guard-page memory (`redzone:guard`) driven directly: loads and stores inside `run_guest`,
//! compared with the explicit-check strategy, audited against `/proc/self/maps`, under
//! threads, and with faults that are not the engine's (in child processes).
//!
//! Tests that count mappings or rely on the reuse pool take [`exclusive`]; all others take
//! [`shared`], so the counts are not disturbed by reservations of tests running beside them.

mod audit;
mod crash;
mod equivalence;
mod memory64;
mod multimem;
mod pagesize;
mod store;
mod threads;

use redzone_engine::memory::OutOfBounds;
use redzone_engine::{
    CheckedMemory, Error, Extern, GuardMemory, LinearMemory, MemoryType, Module, Store, TrapKind, Value,
};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

static MAPPINGS: RwLock<()> = RwLock::new(());

/// For tests that only need their own reservations.
fn shared() -> RwLockReadGuard<'static, ()> {
    MAPPINGS.read().unwrap_or_else(|e| e.into_inner())
}

/// For tests that count the process's mappings or use the reuse pool.
fn exclusive() -> RwLockWriteGuard<'static, ()> {
    MAPPINGS.write().unwrap_or_else(|e| e.into_inner())
}

/// Every call's result, and the bytes of the memory exported as `mem` afterwards.
type Outcome = (Vec<Result<Vec<Value>, Error>>, Vec<u8>);

/// Instantiates `wat` (no imports, a memory exported as `mem`) in a store of strategy `M`,
/// makes `calls`, audits the memories and returns the outcome.
fn run_calls<M: LinearMemory>(wat: &str, calls: &[(&str, Vec<Value>)]) -> Outcome {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut store: Store<M> = Store::new(Default::default());
    let inst = store.instantiate(&module, &[]).unwrap();
    let mut results = Vec::new();
    for (name, args) in calls {
        let Some(Extern::Func(f)) = store.get_export(inst, name) else { panic!("no export {name}") };
        results.push(store.call(f, args));
    }
    let Some(Extern::Memory(mem)) = store.get_export(inst, "mem") else { panic!("no memory") };
    store.audit_memories().unwrap();
    (results, store.memory(mem).data().to_vec())
}

/// Runs `calls` of `wat` on both strategies, checks they agree on every result, trap and
/// byte, and returns the guard outcome.
fn on_both_strategies(wat: &str, calls: &[(&str, Vec<Value>)]) -> Outcome {
    let _g = shared();
    let g = run_calls::<GuardMemory>(wat, calls);
    let c = run_calls::<CheckedMemory>(wat, calls);
    assert_eq!(format!("{:?}", g.0), format!("{:?}", c.0), "results and traps");
    assert!(g.1 == c.1, "memory contents differ");
    g
}

/// The trap kind of a call's result, if it trapped.
fn trap_of(r: &Result<Vec<Value>, Error>) -> Option<TrapKind> {
    r.as_ref().err().and_then(|e| e.as_trap()).map(|t| t.kind.clone())
}

fn guard_mem(min: u64, max: Option<u64>) -> GuardMemory {
    GuardMemory::new(MemoryType::new(min, max), None).expect("guard memory")
}

/// Runs `f` as guest code over all of `mems`, as the interpreter does.
fn guest<R>(mems: &mut [GuardMemory], f: impl FnOnce(&mut [GuardMemory]) -> R) -> Result<R, OutOfBounds> {
    let p: *mut [GuardMemory] = mems;
    // SAFETY: `mems` is borrowed for the whole call, so it stays alive and unmoved; the
    // closure owns only a pointer and `f`, which in these tests captures references only.
    unsafe { GuardMemory::run_guest(p as *const [GuardMemory], move || f(&mut *p)) }
}

/// One guest store of width `width` (1, 2, 4 or 8) of the low bytes of `v`.
fn store_n<M: LinearMemory>(m: &mut M, width: u32, ea: u64, v: u64) -> Result<(), OutOfBounds> {
    match width {
        1 => m.store::<u8>(ea, v as u8),
        2 => m.store::<u16>(ea, v as u16),
        4 => m.store::<u32>(ea, v as u32),
        _ => m.store::<u64>(ea, v),
    }
}

/// One guest load of width `width`, zero-extended.
fn load_n<M: LinearMemory>(m: &M, width: u32, ea: u64) -> Result<u64, OutOfBounds> {
    match width {
        1 => m.load::<u8>(ea).map(u64::from),
        2 => m.load::<u16>(ea).map(u64::from),
        4 => m.load::<u32>(ea).map(u64::from),
        _ => m.load::<u64>(ea),
    }
}

/// A guarded store: `Err` both for a trap and for a fault turned into one.
fn guarded_store(m: &mut GuardMemory, width: u32, ea: u64, v: u64) -> Result<(), OutOfBounds> {
    guest(std::slice::from_mut(m), |ms| store_n(&mut ms[0], width, ea, v)).and_then(|r| r)
}

fn guarded_load(m: &mut GuardMemory, width: u32, ea: u64) -> Result<u64, OutOfBounds> {
    guest(std::slice::from_mut(m), |ms| load_n(&ms[0], width, ea)).and_then(|r| r)
}

#[test]
fn straddling_stores_at_every_width_write_nothing() {
    let _g = shared();
    let mut m = guard_mem(1, None);
    let len = m.size_bytes();
    for (i, b) in m.data_mut().iter_mut().enumerate() {
        *b = (i * 7 + 3) as u8;
    }
    for width in [1u32, 2, 4, 8] {
        for back in 1..=7u64 {
            let before = m.data().to_vec();
            let ea = len - back;
            let r = guarded_store(&mut m, width, ea, u64::MAX);
            if u64::from(width) > back {
                assert_eq!(r, Err(OutOfBounds), "{width}-byte store at len-{back} must trap");
                assert!(m.data() == &before[..], "{width}-byte store at len-{back} changed memory");
            } else {
                assert_eq!(r, Ok(()), "{width}-byte store at len-{back} is in bounds");
                let e = ea as usize;
                assert!(m.data()[e..e + width as usize].iter().all(|&b| b == 0xff));
                assert!(m.data()[..e] == before[..e] && m.data()[e + width as usize..] == before[e + width as usize..]);
            }
        }
    }
}

/// The interpreter's inline `v128.load`/`v128.store` (one 16-byte access in the loop, with
/// the compare on checked memories and none on guard pages): a store straddling the end
/// traps and writes no byte, a load straddling it traps, in-bounds ones work, the same on
/// both strategies.
#[test]
fn inline_v128_accesses_straddling_the_end_trap_and_write_nothing() {
    let wat = r#"(module (memory (export "mem") 1)
        (func (export "st") (param i32) (v128.store (local.get 0) (v128.const i64x2 -1 -1)))
        (func (export "ld") (param i32) (result i64)
            (i64x2.extract_lane 1 (i32x4.add (v128.load (local.get 0)) (v128.load (local.get 0))))))"#;
    let end = 65536;
    let mut calls = vec![("st", vec![Value::I32(end - 32)]), ("ld", vec![Value::I32(end - 32)])];
    for back in 1..16 {
        calls.push(("st", vec![Value::I32(end - back)]));
        calls.push(("ld", vec![Value::I32(end - back)]));
    }
    let (results, bytes) = on_both_strategies(wat, &calls);
    assert!(results[0].is_ok(), "{:?}", results[0]);
    // Lanes of all ones doubled: 0xfffffffe in each i32 lane.
    assert!(
        matches!(results[1], Ok(ref v) if v == &vec![Value::I64(0xffff_fffe_ffff_fffe_u64 as i64)]),
        "{:?}",
        results[1]
    );
    for r in &results[2..] {
        assert_eq!(trap_of(r), Some(TrapKind::MemoryOutOfBounds), "{r:?}");
    }
    let end = end as usize;
    assert!(bytes[end - 32..end - 16].iter().all(|&b| b == 0xff));
    assert!(bytes[end - 16..].iter().all(|&b| b == 0), "a straddling v128.store wrote bytes");
}

#[test]
fn straddling_loads_trap_and_in_bounds_loads_read() {
    let _g = shared();
    let mut m = guard_mem(2, None);
    let len = m.size_bytes();
    m.data_mut()[len as usize - 1] = 0x99;
    assert_eq!(guarded_load(&mut m, 1, len - 1), Ok(0x99));
    assert_eq!(guarded_load(&mut m, 2, len - 2), Ok(0x9900));
    for width in [2u32, 4, 8] {
        assert_eq!(guarded_load(&mut m, width, len - 1), Err(OutOfBounds), "{width}-byte load at len-1");
    }
    assert_eq!(guarded_load(&mut m, 1, len), Err(OutOfBounds));
}

#[test]
fn a_zero_page_memory_traps_on_every_access() {
    let _g = shared();
    let mut m = guard_mem(0, None);
    assert_eq!(m.data().len(), 0);
    assert_eq!(guarded_load(&mut m, 1, 0), Err(OutOfBounds));
    assert_eq!(guarded_store(&mut m, 8, 0, 1), Err(OutOfBounds));
    assert_eq!(m.grow(1), Some(0));
    assert_eq!(guarded_store(&mut m, 8, 0, 1), Ok(()));
    assert_eq!(guarded_load(&mut m, 8, 65528), Ok(0));
}

#[test]
fn nested_activations_restore_the_outer_one() {
    let _g = shared();
    let mut outer = [guard_mem(1, None)];
    let mut inner = [guard_mem(1, None)];
    let r = guest(&mut outer, |o| {
        // Host code called from the guest runs guest code of another store.
        let nested = GuardMemory::run_host(|| guest(&mut inner, |i| i[0].store::<u32>(65534, 1)));
        assert_eq!(nested, Err(OutOfBounds), "the inner fault returns to the inner entry");
        let again = GuardMemory::run_host(|| guest(&mut inner, |i| i[0].store::<u32>(0, 7)));
        assert_eq!(again, Ok(Ok(())), "the inner store works after its trap");
        o[0].store::<u8>(10, 5).unwrap();
        // Back in the outer activation: its own guard region traps to the outer entry.
        o[0].store::<u64>(65536, 1).unwrap();
        unreachable!("the store above faults");
    });
    assert_eq!(r, Err(OutOfBounds));
    assert_eq!(outer[0].data()[10], 5, "the write before the trap stays");
    assert_eq!(inner[0].data()[0], 7);
}

#[test]
fn a_panic_in_guest_code_propagates_and_disarms() {
    let _g = shared();
    let mut m = [guard_mem(1, None)];
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = guest(&mut m, |_| panic!("host bug"));
    }));
    assert!(caught.is_err(), "the panic reaches the caller");
    assert_eq!(guest(&mut m, |ms| ms[0].load::<u8>(1 << 20)), Err(OutOfBounds), "later guest code still traps");
}

#[test]
fn host_accesses_are_checked_and_never_fault() {
    let _g = shared();
    let mut m = guard_mem(1, None);
    let len = m.size_bytes();
    assert_eq!(m.write(len - 2, &[1, 2, 3]), Err(OutOfBounds));
    assert_eq!(m.fill(len - 2, 9, 3), Err(OutOfBounds));
    assert_eq!(m.copy_within(len - 2, 0, 3), Err(OutOfBounds));
    let mut buf = [0u8; 4];
    assert_eq!(m.read(len - 3, &mut buf), Err(OutOfBounds));
    assert!(m.data().iter().all(|&b| b == 0), "no out-of-bounds host call wrote");
    assert_eq!(m.fill(len, 9, 0), Ok(()), "a zero-length operation at len succeeds");
    assert_eq!(m.write(len - 3, &[1, 2, 3]), Ok(()));
    assert_eq!(m.read(len - 3, &mut buf[..3]), Ok(()));
    assert_eq!(&buf[..3], &[1, 2, 3]);
}

#[test]
fn grow_to_4_gib_keeps_resident_memory_low() {
    let _g = shared();
    let mut m = guard_mem(1, None);
    assert_eq!(m.grow(65535), Some(1));
    assert_eq!(m.size_bytes(), 4 << 30);
    assert_eq!(m.grow(1), None, "65,536 pages is the 32-bit limit");
    let touched = [0u64, 1, 4096, 65535];
    for page in touched {
        assert_eq!(guarded_store(&mut m, 1, page * 65536 + 17, 0xcd), Ok(()));
    }
    assert_eq!(guarded_load(&mut m, 8, (4 << 30) - 8), Ok(0));
    assert_eq!(guarded_load(&mut m, 1, 4 << 30), Err(OutOfBounds));
    let rss = reservation_rss_kib(m.reservation_base() as usize);
    // Four touched 4 KiB pages (plus page-table-free neighbours if huge pages kick in).
    assert!(rss < 16 << 10, "resident memory of a 4 GiB memory with 4 bytes touched: {rss} KiB");
    assert!(rss >= 4 * 4, "the touched pages are resident: {rss} KiB");
}

/// Resident KiB of the mappings inside the reservation at `base`, from /proc/self/smaps.
fn reservation_rss_kib(base: usize) -> u64 {
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
    let end = base + redzone_engine::memory::guard::RESERVATION;
    let mut inside = false;
    let mut total = 0;
    for line in smaps.lines() {
        let first = line.split_ascii_whitespace().next().unwrap_or("");
        if let Some((s, e)) = first.split_once('-')
            && let (Ok(s), Ok(e)) = (usize::from_str_radix(s, 16), usize::from_str_radix(e, 16))
        {
            inside = s >= base && e <= end;
        } else if inside && let Some(kib) = line.strip_prefix("Rss:") {
            total += kib.trim().trim_end_matches("kB").trim().parse::<u64>().unwrap();
        }
    }
    total
}
