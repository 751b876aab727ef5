//! The harness's value type: what every adapter passes in and gets back, whatever engine it
//! wraps, and the comparison rule the oracle and the spec runner use.
//!
//! Floats are raw bits. Two values are the same when they are bit-identical, except NaNs,
//! which WebAssembly lets engines produce with any sign and (for arithmetic NaNs) any payload:
//! those compare by [`NanClass`]. A `v128` has no lane type, so it compares bit-exactly
//! except lane-wise NaNs: two vectors are the same when, read as `f32x4` or as `f64x2`, every
//! lane is either bit-identical or a NaN in both (any NaN: SIMD arithmetic is free in the
//! payload and sign of every NaN lane it produces). Function references carry no identity (a
//! function address means nothing across engines), only whether they are null.

use redzone_engine::ValType;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A value crossing an engine adapter.
///
/// Serialised as `{"type": "f32", "value": 2143289344}`: floats as their bits, so NaN
/// payloads survive a round trip through JSON (a finding's calls are replayed exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Val {
    /// 32-bit integer.
    I32(i32),
    /// 64-bit integer.
    I64(i64),
    /// 32-bit float, as raw IEEE-754 bits.
    F32(u32),
    /// 64-bit float, as raw IEEE-754 bits.
    F64(u64),
    /// 128-bit vector, as raw bits (lane 0 in the low bits).
    V128(u128),
    /// A function reference: only whether it is null is comparable across engines.
    FuncRef {
        /// True for `ref.null func`.
        null: bool,
    },
    /// A host reference: the host's number, or `None` for null.
    ExternRef(Option<u32>),
}

/// The class of a NaN, the only thing about a NaN that engines must agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NanClass {
    /// Quiet bit set, rest of the payload zero (any sign).
    Canonical,
    /// Quiet bit set, some other payload bit set (any sign).
    Arithmetic,
    /// Quiet bit clear.
    Signalling,
}

impl NanClass {
    /// The class of a 32-bit float's bits, or `None` when it is not a NaN.
    pub fn of_f32(bits: u32) -> Option<NanClass> {
        Self::classify(bits as u64, 8, 23)
    }

    /// The class of a 64-bit float's bits, or `None` when it is not a NaN.
    pub fn of_f64(bits: u64) -> Option<NanClass> {
        Self::classify(bits, 11, 52)
    }

    fn classify(bits: u64, exp_bits: u32, frac_bits: u32) -> Option<NanClass> {
        let exp_mask = (1u64 << exp_bits) - 1;
        let frac_mask = (1u64 << frac_bits) - 1;
        let quiet = 1u64 << (frac_bits - 1);
        let frac = bits & frac_mask;
        if (bits >> frac_bits) & exp_mask != exp_mask || frac == 0 {
            return None;
        }
        Some(if frac == quiet {
            NanClass::Canonical
        } else if frac & quiet != 0 {
            NanClass::Arithmetic
        } else {
            NanClass::Signalling
        })
    }
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef { .. } => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The NaN class of a float value, `None` for non-NaNs and non-floats.
    pub fn nan_class(&self) -> Option<NanClass> {
        match *self {
            Val::F32(b) => NanClass::of_f32(b),
            Val::F64(b) => NanClass::of_f64(b),
            _ => None,
        }
    }

    /// Whether two engines' results agree: bit-exact, except NaNs compared by class.
    pub fn same(&self, other: &Val) -> bool {
        if let (Val::V128(a), Val::V128(b)) = (self, other) {
            return same_v128(*a, *b);
        }
        match (self.nan_class(), other.nan_class()) {
            (Some(a), Some(b)) => a == b && self.ty() == other.ty(),
            (None, None) => self == other,
            _ => false,
        }
    }
}

/// Whether two vectors agree: bit-identical, or lane-wise so with NaN lanes (any NaN) free,
/// read as `f32x4` or as `f64x2`.
pub fn same_v128(a: u128, b: u128) -> bool {
    let f32x4 = (0..4).all(|i| {
        let (x, y) = ((a >> (32 * i)) as u32, (b >> (32 * i)) as u32);
        x == y || (NanClass::of_f32(x).is_some() && NanClass::of_f32(y).is_some())
    });
    let f64x2 = (0..2).all(|i| {
        let (x, y) = ((a >> (64 * i)) as u64, (b >> (64 * i)) as u64);
        x == y || (NanClass::of_f64(x).is_some() && NanClass::of_f64(y).is_some())
    });
    a == b || f32x4 || f64x2
}

/// Whether two result lists agree element by element (see [`Val::same`]).
pub fn same_values(a: &[Val], b: &[Val]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Val::I32(x) => write!(f, "i32:{x}"),
            Val::I64(x) => write!(f, "i64:{x}"),
            Val::F32(b) => match NanClass::of_f32(b) {
                Some(c) => write!(f, "f32:nan:{c:?} ({b:#010x})"),
                None => write!(f, "f32:{} ({b:#010x})", f32::from_bits(b)),
            },
            Val::F64(b) => match NanClass::of_f64(b) {
                Some(c) => write!(f, "f64:nan:{c:?} ({b:#018x})"),
                None => write!(f, "f64:{} ({b:#018x})", f64::from_bits(b)),
            },
            Val::V128(x) => write!(f, "v128:{x:#034x}"),
            Val::FuncRef { null: true } => f.write_str("ref.null func"),
            Val::FuncRef { null: false } => f.write_str("ref.func"),
            Val::ExternRef(None) => f.write_str("ref.null extern"),
            Val::ExternRef(Some(x)) => write!(f, "ref.extern {x}"),
        }
    }
}

/// Formats a list of values as `[a, b]`.
pub fn display_values(values: &[Val]) -> String {
    let items: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_classes() {
        assert_eq!(NanClass::of_f32(0x7fc0_0000), Some(NanClass::Canonical));
        assert_eq!(NanClass::of_f32(0xffc0_0000), Some(NanClass::Canonical));
        assert_eq!(NanClass::of_f32(0x7fc0_0001), Some(NanClass::Arithmetic));
        assert_eq!(NanClass::of_f32(0x7f80_0001), Some(NanClass::Signalling));
        assert_eq!(NanClass::of_f32(0x7f80_0000), None, "infinity");
        assert_eq!(NanClass::of_f32(0), None);
        assert_eq!(NanClass::of_f64(0x7ff8_0000_0000_0000), Some(NanClass::Canonical));
        assert_eq!(NanClass::of_f64(0xfff8_0000_0000_0001), Some(NanClass::Arithmetic));
        assert_eq!(NanClass::of_f64(0x7ff0_0000_0000_0001), Some(NanClass::Signalling));
        assert_eq!(NanClass::of_f64(0x7ff0_0000_0000_0000), None);
    }

    #[test]
    fn comparison_is_bitwise_except_nans() {
        assert!(Val::F32(0x7fc0_0000).same(&Val::F32(0xffc0_0000)), "NaN sign is free");
        assert!(!Val::F32(0x7fc0_0000).same(&Val::F32(0x7fc0_0001)), "class differs");
        assert!(Val::F32(0x7fc0_0002).same(&Val::F32(0x7fc0_0001)), "arithmetic payloads are free");
        assert!(!Val::F32(0).same(&Val::F32(0x8000_0000)), "+0 and -0 differ");
        assert!(!Val::F32(0x7fc0_0000).same(&Val::F64(0x7ff8_0000_0000_0000)));
        assert!(!Val::I32(1).same(&Val::I64(1)));
        assert!(Val::FuncRef { null: false }.same(&Val::FuncRef { null: false }));
        assert!(!Val::ExternRef(Some(1)).same(&Val::ExternRef(Some(2))));
        assert!(same_values(
            &[Val::I32(1), Val::F64(0x7ff8_0000_0000_0000)],
            &[Val::I32(1), Val::F64(0x7ff8_0000_0000_0000)]
        ));
        assert!(!same_values(&[Val::I32(1)], &[]));
    }

    #[test]
    fn vectors_compare_bitwise_except_nan_lanes() {
        let nan_lane1 = 0x7fc0_0000u128 << 32 | 5;
        let other_nan_lane1 = 0xffc0_0001u128 << 32 | 5;
        assert!(Val::V128(nan_lane1).same(&Val::V128(other_nan_lane1)), "f32x4 NaN lanes are free");
        assert!(!Val::V128(nan_lane1).same(&Val::V128(0x7fc0_0000u128 << 32 | 6)), "other lanes are exact");
        assert!(!Val::V128(1).same(&Val::V128(2)));
        let f64_nans = (0x7ff8_0000_0000_0000u128 << 64) | 0xfff8_0000_0000_0001;
        let f64_nans2 = (0xfff0_0000_0000_0001u128 << 64) | 0x7ff8_0000_0000_0000;
        assert!(Val::V128(f64_nans).same(&Val::V128(f64_nans2)), "f64x2 NaN lanes are free");
        assert!(!Val::V128(0).same(&Val::I32(0)));
        let json = serde_json::to_string(&Val::V128(u128::MAX - 3)).unwrap();
        assert_eq!(serde_json::from_str::<Val>(&json).unwrap(), Val::V128(u128::MAX - 3), "{json}");
    }

    #[test]
    fn display_shows_bits() {
        assert_eq!(Val::F32(0x3f80_0000).to_string(), "f32:1 (0x3f800000)");
        assert_eq!(Val::F64(0x7ff8_0000_0000_0000).to_string(), "f64:nan:Canonical (0x7ff8000000000000)");
        assert_eq!(display_values(&[Val::I32(-1), Val::ExternRef(None)]), "[i32:-1, ref.null extern]");
    }
}
