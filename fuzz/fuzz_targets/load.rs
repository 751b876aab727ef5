//! Any bytes through decode, validate, instantiate and a fuel-limited call; the logic (and
//! its `smoke` test) lives in `redzone_harness::fuzz::load`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = redzone_harness::fuzz::load::run(data);
});
