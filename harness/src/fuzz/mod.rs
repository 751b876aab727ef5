//! The logic behind the cargo-fuzz targets in `fuzz/fuzz_targets/`. Each target is a few
//! lines of libFuzzer glue calling `redzone_harness::fuzz::<name>::run(data)`; the logic lives
//! here so that plain `cargo test` drives it too (each `run` has a `smoke` test feeding it 100
//! seeded inputs).
//!
//! To add a target: a module here with `pub fn run(data: &[u8])` and a `smoke` test, and a
//! file plus a `[[bin]]` entry in `fuzz/`.
//!
//! The `redzone fuzz` loop and what it leaves behind live here too:
//! - [`campaign`]: the loop itself (seeded cases, jobs, counters, confirmation of each
//!   divergence, deduplication) and [`campaign::budget`] for the gate;
//! - [`signature`]: what makes two divergences the same finding (kind, engine groups, trap
//!   kinds, opcode at the trap site), as a directory name and as JSON;
//! - [`shrink`]: wasm-shrink with the predicate "same signature on the same engines";
//! - [`finding`]: `DIR/<signature>/` written atomically (modules, text, record, replay.sh),
//!   read back by `redzone replay` and `redzone reduce`;
//! - [`regressions`]: the fixed divergences of `suites/regressions/`, replayed by `cargo test`
//!   and the gate.

pub mod abi;
pub mod campaign;
pub mod differential;
pub mod edges;
pub mod finding;
pub mod load;
pub mod mutate;
pub mod regressions;
pub mod shrink;
pub mod signature;
pub mod target;
