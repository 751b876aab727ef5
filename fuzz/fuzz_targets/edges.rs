//! Boundary modules (accesses at len-8..len+8, offsets near 2^32 that wrap, grows, bulk
//! operations) on several engines; panics on a divergence. Logic and `smoke` test:
//! `redzone_harness::fuzz::edges`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = redzone_harness::fuzz::edges::run(data);
});
