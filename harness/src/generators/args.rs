//! Call arguments from a seed: for each parameter type a value drawn from boundary-ish
//! candidates (0, ±1, page multiples, the memory's current size ± a little, values near 2^31
//! and 2^32) or plain random bits, so `redzone run` pokes at memory edges by default.

use super::Rng;
use crate::engines::Val;
use redzone_engine::ValType;

/// Settings for argument generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgConfig {
    /// The byte length of the module's first exported memory, around which addresses are
    /// drawn. Defaults to one page (65,536).
    pub memory_len: u64,
}

impl Default for ArgConfig {
    fn default() -> Self {
        ArgConfig { memory_len: 65536 }
    }
}

/// Integers that sit on edges whatever the memory's size.
const FIXED: &[i64] = &[
    0,
    1,
    -1,
    2,
    4,
    8,
    0xff,
    0xffff,
    0x1_0000,
    0x7fff_ffff,
    -0x8000_0000,
    0xffff_fff8,
    0xffff_ffff,
    0x1_0000_0000,
    i64::MAX,
    i64::MIN,
];

/// One integer: a fixed edge, a page multiple, the memory length plus a small delta, or
/// random bits.
fn integer(rng: &mut Rng, config: &ArgConfig) -> i64 {
    match rng.below(4) {
        0 => FIXED[rng.below(FIXED.len() as u64) as usize],
        1 => (rng.below(5) * 65536) as i64,
        2 => config.memory_len as i64 + rng.below(25) as i64 - 16,
        _ => rng.next_u64() as i64,
    }
}

/// Floats: zeros, ones, infinities, NaNs (quiet and signalling) or random bits.
fn float_bits(rng: &mut Rng, double: bool) -> u64 {
    const F32: &[u32] = &[0, 0x8000_0000, 0x3f80_0000, 0xbf80_0000, 0x7f80_0000, 0x7fc0_0000, 0x7f80_0001, 0x4f80_0000];
    const F64: &[u64] = &[
        0,
        0x8000_0000_0000_0000,
        0x3ff0_0000_0000_0000,
        0xbff0_0000_0000_0000,
        0x7ff0_0000_0000_0000,
        0x7ff8_0000_0000_0000,
        0x7ff0_0000_0000_0001,
        0x41f0_0000_0000_0000,
    ];
    let pick = rng.below(3) != 0;
    match (double, pick) {
        (false, true) => F32[rng.below(F32.len() as u64) as usize] as u64,
        (false, false) => rng.next_u64() & 0xffff_ffff,
        (true, true) => F64[rng.below(F64.len() as u64) as usize],
        (true, false) => rng.next_u64(),
    }
}

/// Arguments for a function taking `params`.
pub fn arguments(params: &[ValType], rng: &mut Rng, config: &ArgConfig) -> Vec<Val> {
    params
        .iter()
        .map(|ty| match ty {
            ValType::I32 => Val::I32(integer(rng, config) as i32),
            ValType::I64 => Val::I64(integer(rng, config)),
            ValType::F32 => Val::F32(float_bits(rng, false) as u32),
            ValType::F64 => Val::F64(float_bits(rng, true)),
            // Two halves of edge-leaning bits: lanes of every width meet 0, -1, MIN, NaNs.
            ValType::V128 => Val::V128(float_bits(rng, true) as u128 | (integer(rng, config) as u64 as u128) << 64),
            ValType::FuncRef => Val::FuncRef { null: true },
            ValType::ExternRef => {
                if rng.below(2) == 0 {
                    Val::ExternRef(None)
                } else {
                    Val::ExternRef(Some(rng.below(16) as u32))
                }
            }
        })
        .collect()
}

/// Parses a command-line argument as a value of type `ty`: integers in decimal or `0x` hex
/// (wrapping into the type's width), floats as decimal, `inf`, `nan`, or raw bits written
/// `0x...`; `null` for references.
pub fn parse_arg(ty: ValType, text: &str) -> Result<Val, String> {
    let int = |t: &str| -> Option<i128> {
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let v = match digits.strip_prefix("0x") {
            Some(hex) => i128::from_str_radix(&hex.replace('_', ""), 16).ok()?,
            None => digits.replace('_', "").parse::<i128>().ok()?,
        };
        Some(if neg { -v } else { v })
    };
    let bad = || format!("{text:?} is not a {ty:?} value");
    Ok(match ty {
        ValType::I32 => {
            Val::I32(int(text).filter(|v| *v >= i32::MIN as i128 && *v <= u32::MAX as i128).ok_or_else(bad)? as i32)
        }
        ValType::I64 => {
            Val::I64(int(text).filter(|v| *v >= i64::MIN as i128 && *v <= u64::MAX as i128).ok_or_else(bad)? as i64)
        }
        ValType::F32 => match text.strip_prefix("0x") {
            Some(hex) => Val::F32(u32::from_str_radix(hex, 16).map_err(|_| bad())?),
            None => Val::F32(text.parse::<f32>().map_err(|_| bad())?.to_bits()),
        },
        ValType::F64 => match text.strip_prefix("0x") {
            Some(hex) => Val::F64(u64::from_str_radix(hex, 16).map_err(|_| bad())?),
            None => Val::F64(text.parse::<f64>().map_err(|_| bad())?.to_bits()),
        },
        ValType::V128 => {
            let hex = text.strip_prefix("0x").ok_or_else(bad)?;
            Val::V128(u128::from_str_radix(&hex.replace('_', ""), 16).map_err(|_| bad())?)
        }
        ValType::FuncRef if text == "null" => Val::FuncRef { null: true },
        ValType::ExternRef if text == "null" => Val::ExternRef(None),
        ValType::ExternRef => Val::ExternRef(Some(text.parse().map_err(|_| bad())?)),
        ValType::FuncRef => return Err(format!("{text:?}: only `null` can be passed as a funcref")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_near_the_edges() {
        let config = ArgConfig { memory_len: 3 * 65536 };
        let params = [ValType::I32, ValType::I64, ValType::F32, ValType::F64, ValType::ExternRef];
        let a: Vec<Vec<Val>> = {
            let mut rng = Rng::new(5);
            (0..50).map(|_| arguments(&params, &mut rng, &config)).collect()
        };
        let mut rng = Rng::new(5);
        let b: Vec<Vec<Val>> = (0..50).map(|_| arguments(&params, &mut rng, &config)).collect();
        assert_eq!(a, b);
        let near_end = a.iter().any(|v| matches!(v[0], Val::I32(x) if (3 * 65536 - 16..=3 * 65536 + 8).contains(&x)));
        assert!(near_end, "some i32 lands within a few bytes of the memory's end");
        assert!(a.iter().any(|v| v[0] == Val::I32(0)) || a.iter().any(|v| v[0] == Val::I32(-1)));
    }

    #[test]
    fn parses_command_line_values() {
        assert_eq!(parse_arg(ValType::I32, "-1"), Ok(Val::I32(-1)));
        assert_eq!(parse_arg(ValType::I32, "0xffffffff"), Ok(Val::I32(-1)));
        assert_eq!(parse_arg(ValType::I64, "65_536"), Ok(Val::I64(65536)));
        assert_eq!(parse_arg(ValType::F32, "1"), Ok(Val::F32(0x3f80_0000)));
        assert_eq!(parse_arg(ValType::F64, "0x7ff8000000000001"), Ok(Val::F64(0x7ff8_0000_0000_0001)));
        assert_eq!(parse_arg(ValType::ExternRef, "null"), Ok(Val::ExternRef(None)));
        assert!(parse_arg(ValType::I32, "0x1_0000_0000").is_err());
        assert!(parse_arg(ValType::I32, "one").is_err());
    }
}
