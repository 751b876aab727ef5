//! The logic behind the cargo-fuzz targets in `fuzz/fuzz_targets/`. Each target is a few
//! lines of libFuzzer glue calling `redzone_harness::fuzz::<name>::run(data)`; the logic lives
//! here so that plain `cargo test` drives it too (each `run` has a `smoke` test feeding it 100
//! seeded inputs).
//!
//! To add a target: a module here with `pub fn run(data: &[u8])` and a `smoke` test, and a
//! file plus a `[[bin]]` entry in `fuzz/`.

pub mod abi;
pub mod differential;
pub mod edges;
pub mod load;
pub mod mutate;
pub mod target;
