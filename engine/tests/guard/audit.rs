//! Reservations audited against `/proc/self/maps` after instantiate, grow and drop sequences;
//! reuse that leaves nothing readable; create/drop cycles that leave the address space as it
//! was.

use super::{exclusive, guard_mem, guarded_load, shared};
use redzone_engine::memory::audit::{audit_in, audit_memories, audit_released, mapped_bytes, read_maps};
use redzone_engine::memory::guard::{KEEP_RESIDENT, POOL_CAPACITY, RESERVATION};
use redzone_engine::{GuardMemory, LinearMemory};

#[test]
fn reservations_stay_prot_none_past_the_accessible_size() {
    // Exclusive: the dropped reservation must not be taken from the pool by another test
    // before it is audited.
    let _g = exclusive();
    let mut mems = vec![guard_mem(0, None), guard_mem(1, Some(4)), guard_mem(3, None)];
    audit_memories(&mems).unwrap();
    assert_eq!(mems[0].grow(2), Some(0));
    assert_eq!(mems[1].grow(3), Some(1));
    assert_eq!(mems[1].grow(1), None, "past the maximum");
    assert_eq!(mems[2].grow(0), Some(3));
    audit_memories(&mems).unwrap();
    let dropped = mems.remove(1);
    let base = dropped.reservation_base() as usize;
    drop(dropped);
    let maps = read_maps().unwrap();
    mems.iter().try_for_each(|m| audit_in(&maps, m)).unwrap();
    audit_released(&maps, base).unwrap();
    assert_eq!(mems[1].grow(100), Some(3));
    audit_memories(&mems).unwrap();
}

#[test]
fn the_audit_catches_a_guard_page_made_accessible() {
    let _g = shared();
    let m = guard_mem(1, None);
    let base = m.reservation_base() as usize;
    // Simulate seed 001's class of bug: one guard page past the end becomes accessible.
    let page = (base + 65536 + 8192) as *mut libc::c_void;
    // SAFETY: the page lies in this test's own reservation, unused by anything.
    assert_eq!(unsafe { libc::mprotect(page, 4096, libc::PROT_READ) }, 0);
    let err = audit_memories(std::slice::from_ref(&m)).unwrap_err();
    assert!(err.what.contains("r--p"), "{err}");
    // SAFETY: as above; put the page back before the memory is released.
    assert_eq!(unsafe { libc::mprotect(page, 4096, libc::PROT_NONE) }, 0);
    audit_memories(std::slice::from_ref(&m)).unwrap();
}

#[test]
fn a_reused_reservation_leaves_no_byte_of_the_previous_instance_readable() {
    let _g = exclusive();
    GuardMemory::trim_pool();
    let mut first = guard_mem(2, None);
    assert_eq!(first.grow(1), Some(2));
    first.data_mut().fill(0xa5);
    let base = first.reservation_base();
    drop(first);
    assert_eq!(GuardMemory::pooled(), 1);
    let maps = read_maps().unwrap();
    audit_released(&maps, base as usize).unwrap();
    let mut second = guard_mem(1, None);
    assert_eq!(second.reservation_base(), base, "the pooled reservation is reused");
    assert!(second.data().iter().all(|&b| b == 0), "the reused prefix reads back as zero");
    for ea in [65536u64, 2 * 65536, 3 * 65536 - 8] {
        assert!(guarded_load(&mut second, 8, ea).is_err(), "old byte at {ea:#x} is not readable");
    }
    audit_memories(std::slice::from_ref(&second)).unwrap();
    assert_eq!(second.grow(2), Some(1));
    assert!(second.data().iter().all(|&b| b == 0), "pages committed again read back as zero");
    drop(second);
    // Past the part kept resident, pages are discarded rather than zeroed: check those too.
    let pages = (KEEP_RESIDENT as u64 >> 16) + 4;
    let mut big = guard_mem(pages, None);
    big.data_mut().fill(0x5c);
    let base = big.reservation_base();
    drop(big);
    audit_released(&read_maps().unwrap(), base as usize).unwrap();
    let again = guard_mem(pages, None);
    assert_eq!(again.reservation_base(), base, "the pooled reservation is reused");
    assert!(again.data().iter().all(|&b| b == 0), "kept and discarded parts both read back as zero");
    audit_memories(std::slice::from_ref(&again)).unwrap();
    drop(again);
    // Only the resident pages are zeroed on release: scattered writes leave untouched pages
    // between them, and every byte still reads back as zero on reuse.
    let mut sparse = guard_mem(4, None);
    let base = sparse.reservation_base();
    let len = sparse.data().len();
    for at in [0, 5 * 4096 + 17, 7 * 4096, 40 * 4096 + 4095, len - 1] {
        sparse.data_mut()[at] = 0xee;
    }
    drop(sparse);
    let reused = guard_mem(4, None);
    assert_eq!(reused.reservation_base(), base, "the pooled reservation is reused");
    assert!(reused.data().iter().all(|&b| b == 0), "sparsely written pages read back as zero");
    drop(reused);
    GuardMemory::trim_pool();
}

#[test]
fn ten_thousand_create_drop_cycles_leave_the_address_space_as_it_was() {
    let _g = exclusive();
    GuardMemory::trim_pool();
    let before = mapped_bytes(&read_maps().unwrap());
    // Batches larger than the pool, so both reuse and unmapping are exercised.
    let batch = POOL_CAPACITY * 3;
    let mut created = 0;
    while created < 10_000 {
        let n = batch.min(10_000 - created);
        let mut live: Vec<GuardMemory> = (0..n).map(|i| guard_mem(1 + (i % 3) as u64, None)).collect();
        for m in &mut live {
            m.data_mut()[100] = 1;
        }
        created += n;
        drop(live);
        assert!(GuardMemory::pooled() <= POOL_CAPACITY);
    }
    GuardMemory::trim_pool();
    let after = mapped_bytes(&read_maps().unwrap());
    let drift = after.abs_diff(before);
    assert!(drift < RESERVATION / 64, "mapped bytes went from {before} to {after} ({created} cycles)");
}

#[test]
fn a_guard_store_audits_its_memories() {
    let _g = shared();
    let mut store: redzone_engine::Store<GuardMemory> = redzone_engine::Store::new(Default::default());
    assert_eq!(store.strategy(), "guard");
    let a = store.new_memory(redzone_engine::MemoryType::new(1, Some(5))).unwrap();
    let b = store.new_memory(redzone_engine::MemoryType::new(0, None)).unwrap();
    store.audit_memories().unwrap();
    assert_eq!(store.memory_grow(a, 4), Some(1));
    assert_eq!(store.memory_grow(a, 1), None);
    assert_eq!(store.memory_grow(b, 2), Some(0));
    store.audit_memories().unwrap();
    assert!(store.memory(a).audit().is_ok());
}
