//! wasm-mutate mutants of the modules of `suites/` (and the spec testsuite when
//! WASM_SPEC_TESTSUITE is set) on several engines; panics on a divergence. Logic and `smoke`
//! test: `redzone_harness::fuzz::mutate`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = redzone_harness::fuzz::mutate::run(data);
});
