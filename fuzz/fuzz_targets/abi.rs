//! Arbitrary strings and arrays through the `suites/abi/` guests on several engines; panics
//! when outputs, ABI errors or memories diverge. Logic and `smoke` test:
//! `redzone_harness::fuzz::abi`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = redzone_harness::fuzz::abi::run(data);
});
