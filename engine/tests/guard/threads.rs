//! Many threads, each with its own memories, trapping thousands of times at once: every
//! access is classified as the explicit strategy classifies it, and the memories end up
//! byte-for-byte equal to an explicit-check shadow.

use super::{guard_mem, guest, load_n, shared, store_n};
use redzone_engine::memory::OutOfBounds;
use redzone_engine::{CheckedMemory, LinearMemory, MemoryType};

const THREADS: u64 = 8;
const ROUNDS: u32 = 3_000;

/// A small deterministic generator (xorshift64*), one stream per thread.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn worker(seed: u64) -> (u32, u32) {
    let mut mems = [guard_mem(1, None), guard_mem(2, None)];
    let mut shadow: Vec<CheckedMemory> =
        [1, 2].iter().map(|&p| CheckedMemory::new(MemoryType::new(p, None), None).unwrap()).collect();
    let mut rng = Rng(seed | 1);
    let (mut traps, mut ok) = (0, 0);
    for round in 0..ROUNDS {
        let which = (rng.next() % 2) as usize;
        let len = shadow[which].size_bytes();
        // Mostly near the end, sometimes far out, sometimes well inside.
        let ea = match rng.next() % 4 {
            0 => rng.next() % len,
            1 => len - 8 + rng.next() % 16,
            2 => len + rng.next() % (1 << 32),
            _ => (rng.next() % (1 << 32)) + (rng.next() % (1 << 32)),
        };
        let width = [1u32, 2, 4, 8][(rng.next() % 4) as usize];
        let v = rng.next();
        let (got, want) = if round % 2 == 0 {
            let got = guest(&mut mems, |ms| store_n(&mut ms[which], width, ea, v).map(|()| 0));
            (got, store_n(&mut shadow[which], width, ea, v).map(|()| 0))
        } else {
            let got = guest(&mut mems, |ms| load_n(&ms[which], width, ea));
            (got, load_n(&shadow[which], width, ea))
        };
        let got = got.and_then(|r| r);
        assert_eq!(got, want, "thread {seed}: round {round}, memory {which}, {width} bytes at {ea:#x}");
        if want == Err(OutOfBounds) {
            traps += 1;
        } else {
            ok += 1;
        }
    }
    for (g, c) in mems.iter().zip(&shadow) {
        assert!(g.data() == c.data(), "thread {seed}: memory contents differ from the shadow");
    }
    (traps, ok)
}

#[test]
fn eight_threads_trap_thousands_of_times_concurrently() {
    let _g = shared();
    let handles: Vec<_> = (0..THREADS).map(|t| std::thread::spawn(move || worker(0x9e37_79b9 * (t + 1)))).collect();
    let mut total_traps = 0;
    for h in handles {
        let (traps, ok) = h.join().expect("worker panicked");
        assert!(traps > 1000 && ok > 500, "traps {traps}, in-bounds accesses {ok}");
        total_traps += traps;
    }
    assert!(total_traps >= 8 * 1000);
}
