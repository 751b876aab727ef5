//! The `abi` generator: arbitrary inputs through the guests of `suites/abi/` (`ABI.md`). A
//! case is one guest module and a few round trips (host `alloc`, copy in, call, read the
//! result back, `dealloc`) on the same instance, so allocator state carries from one call to
//! the next, as it does in a real host.
//!
//! Guests that import the `env` module (`region.wat`) are left out: a case's module must
//! instantiate on its own. The broken guests (`bad_ptr`, `bad_len`, ...) are in: their
//! [`crate::abi::AbiError`]s must be the same on every engine too.
//!
//! Distribution of inputs (each call independently): a quarter raw bytes from the fuzzer
//! (mostly invalid UTF-8), a quarter valid UTF-8 text with multi-byte characters, a quarter
//! arrays of edge numbers (i32 extremes, f64 NaNs, infinities and signed zeros, lengths not a
//! multiple of the element size), a quarter lengths on the guests' limits (empty, one byte,
//! the one-page guest's largest input and one more, a page and one more, up to
//! [`AbiConfig::max_input_len`]).

use super::case::{AbiCall, Calls, GeneratorKind, TestCase};
use crate::abi::guests::{self, GUESTS, Guest};
use crate::abi::suite::{BOUNDED_MAX, text};
use arbitrary::Unstructured;
use std::sync::OnceLock;

/// Settings of the `abi` generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbiConfig {
    /// Longest input, in bytes. Defaults to 64 KiB (65,536).
    pub max_input_len: usize,
    /// Most round trips per case. Defaults to 4.
    pub max_calls: usize,
}

impl Default for AbiConfig {
    fn default() -> Self {
        AbiConfig { max_input_len: 65536, max_calls: 4 }
    }
}

/// The guests a case may use (no imports) and their binaries, built once.
fn usable() -> &'static [(&'static Guest, Vec<u8>)] {
    static GUESTS_BUILT: OnceLock<Vec<(&'static Guest, Vec<u8>)>> = OnceLock::new();
    GUESTS_BUILT
        .get_or_init(|| GUESTS.iter().filter(|g| !g.env).filter_map(|g| Some((g, guests::wasm(g).ok()?))).collect())
}

/// Edge values for arrays: i32 and f64 extremes, NaNs with payloads, signed zeros.
const I32_EDGES: &[i32] = &[0, 1, -1, i32::MIN, i32::MAX, 0x8000, -0x8000, 65536, 0x7fff_fff8];
const F64_EDGES: &[u64] = &[
    0,
    0x8000_0000_0000_0000,
    0x7ff0_0000_0000_0000,
    0xfff0_0000_0000_0000,
    0x7ff8_0000_0000_0000,
    0x7ff8_0000_0000_0001,
    0x7ff0_0000_0000_0001,
    0x3ff0_0000_0000_0000,
    0x7fef_ffff_ffff_ffff,
    0x0000_0000_0000_0001,
];

/// `len` bytes: the fuzzer's while they last, then a repeating pattern (a long input costs
/// libFuzzer no more than a short one).
fn bytes(u: &mut Unstructured, len: usize) -> Vec<u8> {
    let take = len.min(u.len());
    let mut out = u.bytes(take).map(<[u8]>::to_vec).unwrap_or_default();
    let mut i = out.len();
    while out.len() < len {
        out.push((i as u8).wrapping_mul(31).wrapping_add(7));
        i += 1;
    }
    out
}

fn input(u: &mut Unstructured, config: &AbiConfig) -> arbitrary::Result<Vec<u8>> {
    let max = config.max_input_len;
    let small = |u: &mut Unstructured| -> arbitrary::Result<usize> { Ok(u.int_in_range(0..=64usize)?.min(max)) };
    Ok(match u.int_in_range(0..=3u8)? {
        0 => {
            let len = small(u)?;
            bytes(u, len)
        }
        1 => {
            let len = if u.ratio(1, 4)? { u.int_in_range(0..=max)? } else { small(u)? };
            text(len)
        }
        2 => {
            let count = u.int_in_range(0..=16usize)?;
            let mut out = Vec::new();
            for _ in 0..count {
                if u.arbitrary()? {
                    out.extend_from_slice(&u.choose(I32_EDGES)?.to_le_bytes());
                } else {
                    out.extend_from_slice(&u.choose(F64_EDGES)?.to_le_bytes());
                }
            }
            // Lengths that are not a whole number of elements.
            let extra = u.int_in_range(0..=3usize)?;
            out.extend(bytes(u, extra));
            out.truncate(max);
            out
        }
        _ => {
            let lens = [0, 1, 7, 8, BOUNDED_MAX, BOUNDED_MAX + 1, 65535, 65536, 65537, max];
            let len = (*u.choose(&lens)?).min(max);
            if u.arbitrary()? { text(len) } else { bytes(u, len) }
        }
    })
}

/// An ABI case from `u`: a guest, then up to [`AbiConfig::max_calls`] round trips.
pub fn generate(u: &mut Unstructured, config: &AbiConfig) -> arbitrary::Result<TestCase> {
    let guests = usable();
    // The well-behaved guest (first) half the time: it has every function.
    let (guest, wasm) = if u.arbitrary()? { &guests[0] } else { u.choose(guests)? };
    let count = u.int_in_range(1..=config.max_calls.max(1))?;
    let mut calls = Vec::with_capacity(count);
    for _ in 0..count {
        let function = u.choose(guest.functions)?.to_string();
        calls.push(AbiCall { function, input: input(u, config)? });
    }
    Ok(TestCase::new(GeneratorKind::Abi, wasm.clone(), Calls::Abi(calls)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::suite::call_of;
    use crate::generators::Rng;

    #[test]
    fn cases_use_standalone_guests_and_known_functions_within_the_length_limit() {
        assert!(usable().len() >= 2 && usable()[0].0.name == "guest.wat");
        let config = AbiConfig { max_input_len: 70_000, max_calls: 3 };
        let mut rng = Rng::new(3);
        let (mut empty, mut long, mut invalid) = (0, 0, 0);
        for _ in 0..200 {
            let data = rng.bytes(256);
            let case = generate(&mut Unstructured::new(&data), &config).unwrap();
            let Calls::Abi(calls) = &case.calls else { panic!("abi cases list ABI calls") };
            assert!((1..=3).contains(&calls.len()));
            for call in calls {
                assert!(call_of(&call.function).is_some(), "{}", call.function);
                assert!(call.input.len() <= 70_000);
                empty += call.input.is_empty() as usize;
                long += (call.input.len() > BOUNDED_MAX) as usize;
                invalid += std::str::from_utf8(&call.input).is_err() as usize;
            }
        }
        assert!(empty > 0 && long > 0 && invalid > 0, "empty {empty}, long {long}, invalid UTF-8 {invalid}");
    }
}
