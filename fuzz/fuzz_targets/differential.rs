//! wasm-smith modules configured for memory, every export called with seeded arguments, on
//! several engines; panics on a divergence. Logic and `smoke` test:
//! `redzone_harness::fuzz::differential`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = redzone_harness::fuzz::differential::run(data);
});
