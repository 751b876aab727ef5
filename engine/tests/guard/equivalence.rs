//! The guard strategy traps exactly where the explicit strategy does: a grid of offsets near
//! 0, 2^16, 2^31 and 2^32-1, addresses near the memory's end and near 2^32, every width, for
//! loads and stores, comparing results and memory contents with `CheckedMemory`.

use super::{guard_mem, guarded_load, guarded_store, load_n, shared, store_n};
use redzone_engine::{CheckedMemory, LinearMemory, MemoryType};

fn around(x: u64, below: u64, above: u64) -> impl Iterator<Item = u64> {
    x.saturating_sub(below)..=x.saturating_add(above)
}

#[test]
fn guard_traps_exactly_where_checked_traps() {
    let _g = shared();
    let mut compared = 0u32;
    let mut trapped = 0u32;
    for pages in [1u64, 2] {
        let mut g = guard_mem(pages, None);
        let mut c = CheckedMemory::new(MemoryType::new(pages, None), None).unwrap();
        let len = c.size_bytes();
        for (i, b) in g.data_mut().iter_mut().enumerate() {
            *b = (i % 251) as u8;
        }
        c.data_mut().copy_from_slice(g.data());
        let offsets: Vec<u64> =
            [around(0, 0, 2), around(1 << 16, 1, 1), around(1 << 31, 1, 1), around(u32::MAX as u64, 8, 0)]
                .into_iter()
                .flatten()
                .collect();
        let addrs: Vec<u64> =
            [around(0, 0, 1), around(len, 9, 2), around(1 << 16, 1, 1), around(u32::MAX as u64, 9, 0)]
                .into_iter()
                .flatten()
                .collect();
        let mut v = 0x0123_4567_89ab_cdefu64;
        for &offset in &offsets {
            for &addr in &addrs {
                let ea = addr + offset;
                for width in [1u32, 2, 4, 8] {
                    let want = load_n(&c, width, ea);
                    assert_eq!(guarded_load(&mut g, width, ea), want, "load{width} addr {addr:#x} offset {offset:#x}");
                    v = v.rotate_left(9) ^ ea;
                    let want = store_n(&mut c, width, ea, v);
                    assert_eq!(
                        guarded_store(&mut g, width, ea, v),
                        want,
                        "store{width} addr {addr:#x} offset {offset:#x}"
                    );
                    compared += 2;
                    trapped += 2 * u32::from(want.is_err());
                }
            }
        }
        assert!(g.data() == c.data(), "memory contents differ after the grid ({pages} pages)");
    }
    assert!(trapped > 0 && trapped < compared, "the grid has both traps ({trapped}) and accesses ({compared})");
}
