//! Numeric semantics that Rust's operators do not give exactly as the spec defines them:
//! float min/max (NaN and signed zeros), rounding that must yield an arithmetic NaN, and the
//! trapping float-to-int conversions.

use crate::trap::TrapKind;

macro_rules! float_helpers {
    ($t:ty, $min:ident, $max:ident, $nearest:ident, $ceil:ident, $floor:ident, $trunc:ident) => {
        /// `min`: NaN if either operand is NaN; `-0` is below `+0`.
        #[inline]
        pub(super) fn $min(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                // Adding propagates a (quieted) NaN: an arithmetic NaN, as the spec allows.
                return a + b;
            }
            if a == b {
                // Equal but possibly zeros of different signs: the sign bit of either wins.
                return <$t>::from_bits(a.to_bits() | b.to_bits());
            }
            if a < b { a } else { b }
        }

        /// `max`: NaN if either operand is NaN; `+0` is above `-0`.
        #[inline]
        pub(super) fn $max(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                return <$t>::from_bits(a.to_bits() & b.to_bits());
            }
            if a > b { a } else { b }
        }

        /// Round to nearest, ties to even; a NaN comes back quieted.
        #[inline]
        pub(super) fn $nearest(x: $t) -> $t {
            if x.is_nan() { x + x } else { x.round_ties_even() }
        }

        #[inline]
        pub(super) fn $ceil(x: $t) -> $t {
            if x.is_nan() { x + x } else { x.ceil() }
        }

        #[inline]
        pub(super) fn $floor(x: $t) -> $t {
            if x.is_nan() { x + x } else { x.floor() }
        }

        #[inline]
        pub(super) fn $trunc(x: $t) -> $t {
            if x.is_nan() { x + x } else { x.trunc() }
        }
    };
}

float_helpers!(f32, f32_min, f32_max, f32_nearest, f32_ceil, f32_floor, f32_trunc);
float_helpers!(f64, f64_min, f64_max, f64_nearest, f64_ceil, f64_floor, f64_trunc);

/// Checks a trapping float-to-int conversion: `x` (exactly widened to f64) must be a number
/// strictly between `lo` and `hi`, the nearest values outside the target range whose
/// truncation no longer fits.
#[inline]
fn check(x: f64, lo: f64, hi: f64) -> Result<f64, TrapKind> {
    if x.is_nan() {
        return Err(TrapKind::BadConversionToInteger);
    }
    if x > lo && x < hi { Ok(x) } else { Err(TrapKind::IntegerOverflow) }
}

const I32_LO: f64 = -2147483649.0;
const I32_HI: f64 = 2147483648.0;
const U32_HI: f64 = 4294967296.0;
/// The largest f64 below -2^63 (-2^63 - 2048): anything above it truncates to at least -2^63.
const I64_LO: f64 = -9223372036854777856.0;
const I64_HI: f64 = 9223372036854775808.0;
const U64_HI: f64 = 18446744073709551616.0;

#[inline]
pub(super) fn i32_trunc_s(x: f64) -> Result<i32, TrapKind> {
    check(x, I32_LO, I32_HI).map(|x| x as i32)
}

#[inline]
pub(super) fn i32_trunc_u(x: f64) -> Result<u32, TrapKind> {
    check(x, -1.0, U32_HI).map(|x| x as u32)
}

#[inline]
pub(super) fn i64_trunc_s(x: f64) -> Result<i64, TrapKind> {
    check(x, I64_LO, I64_HI).map(|x| x as i64)
}

#[inline]
pub(super) fn i64_trunc_u(x: f64) -> Result<u64, TrapKind> {
    check(x, -1.0, U64_HI).map(|x| x as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_order_signed_zeros_and_propagate_nan() {
        assert_eq!(f32_min(0.0, -0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f32_max(-0.0, 0.0).to_bits(), 0.0f32.to_bits());
        assert!(f64_min(f64::NAN, 1.0).is_nan());
        assert!(f64_max(1.0, f64::NAN).is_nan());
        assert_eq!(f64_min(1.0, 2.0), 1.0);
        assert_eq!(f32_max(1.0, 2.0), 2.0);
    }

    #[test]
    fn nearest_ties_to_even() {
        assert_eq!(f32_nearest(2.5), 2.0);
        assert_eq!(f32_nearest(3.5), 4.0);
        assert_eq!(f64_nearest(-0.5).to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn trapping_conversions_at_their_edges() {
        assert_eq!(i32_trunc_s(-2147483648.9), Ok(i32::MIN));
        assert_eq!(i32_trunc_s(-2147483649.0), Err(TrapKind::IntegerOverflow));
        assert_eq!(i32_trunc_s(2147483647.9), Ok(i32::MAX));
        assert_eq!(i32_trunc_u(-0.9), Ok(0));
        assert_eq!(i32_trunc_u(-1.0), Err(TrapKind::IntegerOverflow));
        assert_eq!(i64_trunc_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(i64_trunc_s(9223372036854775808.0), Err(TrapKind::IntegerOverflow));
        assert_eq!(i64_trunc_u(18446744073709549568.0), Ok(18446744073709549568));
        assert_eq!(i64_trunc_u(f64::NAN), Err(TrapKind::BadConversionToInteger));
    }
}
