//! Generators: input -> test case. Kept apart from judging (the spec runner, and the
//! oracles of the differential), as wasmtime's `crates/fuzzing` does.
//!
//! Every generator turns fuzzer bytes (`arbitrary::Unstructured`: libFuzzer's, or seeded
//! random bytes in `redzone fuzz`) into a [`TestCase`] (module bytes plus the calls to make)
//! through [`generate`]; `oracles::case::run_case` runs a case on a fleet.
//!
//! - [`smith`]: wasm-smith modules configured for memory (traps allowed, everything exported);
//! - [`edges`]: redzone's own modules aimed at the boundary (`len-8 ..= len+8`, offsets near
//!   2^16, 2^31, 2^32-1, grows, bulk operations, dropped segments), and in a share of cases
//!   (`edges64`) memory64 modules aimed at 64-bit boundaries (2^32, 2^48, 2^64-1), in another
//!   (`edges_multi`) modules with two or three memories, 32- and 64-bit, and copies between them;
//! - [`mutate`]: wasm-mutate applied to the modules of `suites/` and the spec testsuite;
//! - [`abi`]: arbitrary inputs through the `suites/abi/` guests;
//! - [`corrupt`]: byte-level corruptions of valid modules (truncations, bit flips, insertions,
//!   deletions) for the bad-input test and the `load` target;
//! - [`args`]: call arguments for an export's parameters, near memory edges, for the
//!   differential `redzone run` and seeded cases.
//!
//! To add a generator: a new file with a settings struct (`Default`, each field's default
//! documented) and `generate(u, &config) -> arbitrary::Result<TestCase>`, a
//! [`GeneratorKind`] variant, a field of [`GeneratorConfig`] and an arm of [`generate`].

pub mod abi;
pub mod args;
mod case;
pub mod corrupt;
pub mod edges;
mod edges64;
mod edges_multi;
mod edges_pages;
pub mod mutate;
pub mod smith;

pub use case::{AbiCall, Call, Calls, FEATURES, GeneratorConfig, GeneratorKind, TestCase, generate, validates};

/// A small deterministic random number generator (SplitMix64): the same seed gives the same
/// mutations on every machine, so a failing case is reproducible from its seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        // Multiply-shift keeps the bias negligible for the small ranges used here.
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// `len` random bytes.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_in_range() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng::new(8).next_u64(), xs[0]);
        let mut r = Rng::new(1);
        let mut seen = [false; 10];
        for _ in 0..1000 {
            let x = r.below(10);
            seen[x as usize] = true;
        }
        assert!(seen.iter().all(|&s| s), "every value of 0..10 comes up");
    }
}
