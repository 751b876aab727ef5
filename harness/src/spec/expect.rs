//! What a `.wast` directive expects, turned into the harness's terms: argument values,
//! result patterns (`nan:canonical`, `nan:arithmetic`, also per lane of a `v128`, reference
//! results, `either`), and the
//! [`TrapKind`] a spec trap message stands for. Traps are compared by kind, never by message.

use crate::engines::{NanClass, Val};
use redzone_engine::TrapKind;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

/// The canonical trap kind a spec testsuite message names. Messages are matched by prefix,
/// as the reference interpreter sometimes appends details; an unknown message becomes
/// [`TrapKind::Other`] and only matches an engine trap with the same message.
pub fn trap_kind_for_message(message: &str) -> TrapKind {
    const TABLE: &[(&str, TrapKind)] = &[
        ("out of bounds memory access", TrapKind::MemoryOutOfBounds),
        ("out of bounds table access", TrapKind::TableOutOfBounds),
        // call_indirect with an index past the table's end.
        ("undefined element", TrapKind::TableOutOfBounds),
        ("uninitialized element", TrapKind::IndirectCallToNull),
        ("indirect call type mismatch", TrapKind::BadSignature),
        ("null", TrapKind::NullReference),
        ("integer divide by zero", TrapKind::IntegerDivisionByZero),
        ("integer overflow", TrapKind::IntegerOverflow),
        ("invalid conversion to integer", TrapKind::BadConversionToInteger),
        ("unreachable", TrapKind::UnreachableCodeReached),
        ("call stack exhausted", TrapKind::StackOverflow),
        ("stack overflow", TrapKind::StackOverflow),
        ("all fuel consumed", TrapKind::OutOfFuel),
    ];
    TABLE
        .iter()
        .find(|(prefix, _)| message.starts_with(prefix))
        .map(|(_, kind)| kind.clone())
        .unwrap_or_else(|| TrapKind::Other(message.to_string()))
}

/// The harness value of a `.wast` argument, or why it cannot be passed.
pub fn arg_value(arg: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(core) = arg else {
        return Err("component-model arguments are not supported".into());
    };
    Ok(match core {
        WastArgCore::I32(x) => Val::I32(*x),
        WastArgCore::I64(x) => Val::I64(*x),
        WastArgCore::F32(x) => Val::F32(x.bits),
        WastArgCore::F64(x) => Val::F64(x.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::Func | AbstractHeapType::NoFunc, .. }) => {
            Val::FuncRef { null: true }
        }
        WastArgCore::RefNull(HeapType::Abstract {
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern, ..
        }) => Val::ExternRef(None),
        WastArgCore::RefNull(other) => return Err(format!("ref.null of heap type {other:?} is not supported")),
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(*n)),
        WastArgCore::RefHost(_) => return Err("ref.host (GC proposal) is not supported".into()),
    })
}

/// An expected result.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// Exactly this value (floats bit for bit).
    Exact(Val),
    /// A canonical NaN of this float type (32 or 64).
    CanonicalNan(u8),
    /// Any arithmetic NaN (quiet bit set) of this float type.
    ArithmeticNan(u8),
    /// A null reference; `None` for any reference type.
    NullRef(Option<redzone_engine::ValType>),
    /// A non-null funcref.
    NonNullFunc,
    /// A non-null externref, optionally with this host number.
    NonNullExtern(Option<u32>),
    /// A `v128` whose float lanes of this width (32 or 64) match one by one.
    Lanes(u8, Vec<Lane>),
    /// Any of these.
    Either(Vec<Expected>),
}

/// What one float lane of a `v128` result must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Exactly these bits.
    Bits(u64),
    /// A canonical NaN.
    CanonicalNan,
    /// Any arithmetic NaN.
    ArithmeticNan,
}

impl Lane {
    fn of<T>(p: &NanPattern<T>, bits: impl Fn(&T) -> u64) -> Lane {
        match p {
            NanPattern::Value(x) => Lane::Bits(bits(x)),
            NanPattern::CanonicalNan => Lane::CanonicalNan,
            NanPattern::ArithmeticNan => Lane::ArithmeticNan,
        }
    }

    fn matches(self, width: u8, bits: u64) -> bool {
        let class = if width == 32 { NanClass::of_f32(bits as u32) } else { NanClass::of_f64(bits) };
        match self {
            Lane::Bits(b) => b == bits,
            Lane::CanonicalNan => class == Some(NanClass::Canonical),
            Lane::ArithmeticNan => matches!(class, Some(NanClass::Canonical | NanClass::Arithmetic)),
        }
    }
}

/// The expectation of a `v128` pattern: exact bits, or float lanes with NaN patterns.
fn v128_expected(p: &V128Pattern) -> Expected {
    fn pack<const N: usize>(lanes: [u64; N], bits: u32) -> u128 {
        let mask = u128::MAX >> (128 - bits);
        lanes.iter().enumerate().fold(0, |acc, (i, x)| acc | (*x as u128 & mask) << (i as u32 * bits))
    }
    let lanes = |width: u8, lanes: Vec<Lane>| {
        let bits: Option<Vec<u64>> =
            lanes.iter().map(|l| if let Lane::Bits(b) = l { Some(*b) } else { None }).collect();
        match bits {
            // Every lane exact: one bit-exact value.
            Some(b) if width == 32 => Expected::Exact(Val::V128(pack::<4>([b[0], b[1], b[2], b[3]], 32))),
            Some(b) => Expected::Exact(Val::V128(pack::<2>([b[0], b[1]], 64))),
            None => Expected::Lanes(width, lanes),
        }
    };
    match p {
        V128Pattern::I8x16(x) => Expected::Exact(Val::V128(pack(x.map(|v| v as u8 as u64), 8))),
        V128Pattern::I16x8(x) => Expected::Exact(Val::V128(pack(x.map(|v| v as u16 as u64), 16))),
        V128Pattern::I32x4(x) => Expected::Exact(Val::V128(pack(x.map(|v| v as u32 as u64), 32))),
        V128Pattern::I64x2(x) => Expected::Exact(Val::V128(pack(x.map(|v| v as u64), 64))),
        V128Pattern::F32x4(x) => lanes(32, x.iter().map(|p| Lane::of(p, |f| f.bits as u64)).collect()),
        V128Pattern::F64x2(x) => lanes(64, x.iter().map(|p| Lane::of(p, |f| f.bits)).collect()),
    }
}

/// The pattern of a `.wast` expected result, or why the harness cannot check it.
pub fn expected(ret: &WastRet<'_>) -> Result<Expected, String> {
    let WastRet::Core(core) = ret else {
        return Err("component-model results are not supported".into());
    };
    expected_core(core)
}

fn expected_core(core: &WastRetCore<'_>) -> Result<Expected, String> {
    use redzone_engine::ValType;
    Ok(match core {
        WastRetCore::I32(x) => Expected::Exact(Val::I32(*x)),
        WastRetCore::I64(x) => Expected::Exact(Val::I64(*x)),
        WastRetCore::F32(NanPattern::Value(x)) => Expected::Exact(Val::F32(x.bits)),
        WastRetCore::F32(NanPattern::CanonicalNan) => Expected::CanonicalNan(32),
        WastRetCore::F32(NanPattern::ArithmeticNan) => Expected::ArithmeticNan(32),
        WastRetCore::F64(NanPattern::Value(x)) => Expected::Exact(Val::F64(x.bits)),
        WastRetCore::F64(NanPattern::CanonicalNan) => Expected::CanonicalNan(64),
        WastRetCore::F64(NanPattern::ArithmeticNan) => Expected::ArithmeticNan(64),
        WastRetCore::V128(p) => v128_expected(p),
        WastRetCore::RefNull(None) => Expected::NullRef(None),
        WastRetCore::RefNull(Some(HeapType::Abstract {
            ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
            ..
        })) => Expected::NullRef(Some(ValType::FuncRef)),
        WastRetCore::RefNull(Some(HeapType::Abstract {
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
            ..
        })) => Expected::NullRef(Some(ValType::ExternRef)),
        WastRetCore::RefNull(Some(other)) => return Err(format!("ref.null of heap type {other:?} is not supported")),
        WastRetCore::RefExtern(n) => Expected::NonNullExtern(*n),
        WastRetCore::RefFunc(_) => Expected::NonNullFunc,
        WastRetCore::Either(alternatives) => {
            Expected::Either(alternatives.iter().map(expected_core).collect::<Result<_, _>>()?)
        }
        other => return Err(format!("result pattern {other:?} (GC proposal) is not supported")),
    })
}

impl Expected {
    /// Whether `seen` satisfies this pattern.
    pub fn matches(&self, seen: &Val) -> bool {
        match (self, seen) {
            // Exact means bit-exact here, NaN payloads included: the spec writes a specific
            // NaN only where the result is deterministic.
            (Expected::Exact(v), s) => v == s,
            (Expected::CanonicalNan(32), Val::F32(b)) => NanClass::of_f32(*b) == Some(NanClass::Canonical),
            (Expected::CanonicalNan(64), Val::F64(b)) => NanClass::of_f64(*b) == Some(NanClass::Canonical),
            (Expected::ArithmeticNan(32), Val::F32(b)) => {
                matches!(NanClass::of_f32(*b), Some(NanClass::Canonical | NanClass::Arithmetic))
            }
            (Expected::ArithmeticNan(64), Val::F64(b)) => {
                matches!(NanClass::of_f64(*b), Some(NanClass::Canonical | NanClass::Arithmetic))
            }
            (Expected::NullRef(ty), s) => {
                let null = matches!(s, Val::FuncRef { null: true } | Val::ExternRef(None));
                null && ty.is_none_or(|t| t == s.ty())
            }
            (Expected::NonNullFunc, Val::FuncRef { null }) => !null,
            (Expected::NonNullExtern(want), Val::ExternRef(Some(n))) => want.is_none_or(|w| w == *n),
            (Expected::Lanes(width, lanes), Val::V128(v)) => lanes.iter().enumerate().all(|(i, lane)| {
                let bits = (*v >> (i as u32 * *width as u32)) as u64;
                let bits = if *width == 32 { bits & 0xffff_ffff } else { bits };
                lane.matches(*width, bits)
            }),
            (Expected::Either(alts), s) => alts.iter().any(|a| a.matches(s)),
            _ => false,
        }
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::Exact(v) => write!(f, "{v}"),
            Expected::CanonicalNan(w) => write!(f, "f{w}:nan:canonical"),
            Expected::ArithmeticNan(w) => write!(f, "f{w}:nan:arithmetic"),
            Expected::NullRef(None) => f.write_str("ref.null"),
            Expected::NullRef(Some(redzone_engine::ValType::FuncRef)) => f.write_str("ref.null func"),
            Expected::NullRef(Some(_)) => f.write_str("ref.null extern"),
            Expected::NonNullFunc => f.write_str("ref.func"),
            Expected::NonNullExtern(None) => f.write_str("ref.extern"),
            Expected::NonNullExtern(Some(n)) => write!(f, "ref.extern {n}"),
            Expected::Lanes(width, lanes) => {
                let items: Vec<String> = lanes
                    .iter()
                    .map(|l| match l {
                        Lane::Bits(b) => format!("{b:#x}"),
                        Lane::CanonicalNan => "nan:canonical".into(),
                        Lane::ArithmeticNan => "nan:arithmetic".into(),
                    })
                    .collect();
                write!(f, "f{width}x{} {}", 128 / *width as u32, items.join(" "))
            }
            Expected::Either(alts) => {
                let items: Vec<String> = alts.iter().map(|a| a.to_string()).collect();
                write!(f, "either({})", items.join(" | "))
            }
        }
    }
}

/// Formats a list of expectations as `[a, b]`.
pub fn display_expected(list: &[Expected]) -> String {
    let items: Vec<String> = list.iter().map(|e| e.to_string()).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_messages_map_to_kinds() {
        assert_eq!(trap_kind_for_message("out of bounds memory access"), TrapKind::MemoryOutOfBounds);
        assert_eq!(trap_kind_for_message("undefined element"), TrapKind::TableOutOfBounds);
        assert_eq!(trap_kind_for_message("uninitialized element 2"), TrapKind::IndirectCallToNull);
        assert_eq!(trap_kind_for_message("unreachable executed"), TrapKind::UnreachableCodeReached);
        assert_eq!(trap_kind_for_message("call stack exhausted"), TrapKind::StackOverflow);
        assert_eq!(trap_kind_for_message("indirect call type mismatch"), TrapKind::BadSignature);
        assert_eq!(trap_kind_for_message("something new"), TrapKind::Other("something new".into()));
        for kind in [
            TrapKind::MemoryOutOfBounds,
            TrapKind::TableOutOfBounds,
            TrapKind::IndirectCallToNull,
            TrapKind::BadSignature,
            TrapKind::NullReference,
            TrapKind::IntegerDivisionByZero,
            TrapKind::IntegerOverflow,
            TrapKind::BadConversionToInteger,
            TrapKind::UnreachableCodeReached,
            TrapKind::StackOverflow,
            TrapKind::OutOfFuel,
        ] {
            assert_eq!(trap_kind_for_message(kind.spec_message()), kind, "round trip of {kind:?}");
        }
    }

    #[test]
    fn nan_patterns() {
        assert!(Expected::CanonicalNan(32).matches(&Val::F32(0xffc0_0000)));
        assert!(!Expected::CanonicalNan(32).matches(&Val::F32(0x7fc0_0001)));
        assert!(!Expected::CanonicalNan(32).matches(&Val::F64(0x7ff8_0000_0000_0000)));
        assert!(Expected::ArithmeticNan(64).matches(&Val::F64(0x7ff8_0000_0000_0001)));
        assert!(Expected::ArithmeticNan(64).matches(&Val::F64(0x7ff8_0000_0000_0000)));
        assert!(!Expected::ArithmeticNan(64).matches(&Val::F64(0x7ff0_0000_0000_0001)), "signalling");
        assert!(Expected::Exact(Val::F32(0x7fa0_0000)).matches(&Val::F32(0x7fa0_0000)));
        assert!(!Expected::Exact(Val::F32(0x7fa0_0000)).matches(&Val::F32(0x7fc0_0000)));
    }

    #[test]
    fn v128_patterns_are_exact_or_per_lane() {
        let wast = "(assert_return (invoke \"f\") (v128.const i16x8 -1 0 0 0 0 0 0 1)                     (v128.const f32x4 nan:canonical 1.0 nan:arithmetic -0.0))";
        let buf = wast::parser::ParseBuffer::new(wast).unwrap();
        let wast::Wast { directives } = wast::parser::parse::<wast::Wast>(&buf).unwrap();
        let wast::WastDirective::AssertReturn { results, .. } = &directives[0] else { panic!("not assert_return") };
        let ints = expected(&results[0]).unwrap();
        assert_eq!(ints, Expected::Exact(Val::V128(0x0001_0000_0000_0000_0000_0000_0000_ffff)));
        let floats = expected(&results[1]).unwrap();
        let lanes = |l: [u32; 4]| Val::V128(l.iter().enumerate().fold(0, |acc, (i, x)| acc | (*x as u128) << (32 * i)));
        assert!(floats.matches(&lanes([0xffc0_0000, 0x3f80_0000, 0x7fc0_0001, 0x8000_0000])));
        assert!(!floats.matches(&lanes([0x7fc0_0001, 0x3f80_0000, 0x7fc0_0001, 0x8000_0000])), "lane 0 canonical");
        assert!(!floats.matches(&lanes([0x7fc0_0000, 0x3f80_0000, 0x7fc0_0001, 0])), "lane 3 is -0.0");
        assert!(!floats.matches(&lanes([0x7fc0_0000, 0x3f80_0000, 0x7f80_0001, 0x8000_0000])), "signalling");
        assert_eq!(floats.to_string(), "f32x4 nan:canonical 0x3f800000 nan:arithmetic 0x80000000");
    }

    #[test]
    fn reference_patterns() {
        use redzone_engine::ValType;
        assert!(Expected::NullRef(None).matches(&Val::ExternRef(None)));
        assert!(Expected::NullRef(Some(ValType::FuncRef)).matches(&Val::FuncRef { null: true }));
        assert!(!Expected::NullRef(Some(ValType::FuncRef)).matches(&Val::ExternRef(None)));
        assert!(Expected::NonNullFunc.matches(&Val::FuncRef { null: false }));
        assert!(!Expected::NonNullFunc.matches(&Val::FuncRef { null: true }));
        assert!(Expected::NonNullExtern(Some(3)).matches(&Val::ExternRef(Some(3))));
        assert!(!Expected::NonNullExtern(Some(3)).matches(&Val::ExternRef(Some(4))));
        let either = Expected::Either(vec![Expected::Exact(Val::I32(1)), Expected::Exact(Val::I32(2))]);
        assert!(either.matches(&Val::I32(2)) && !either.matches(&Val::I32(3)));
        assert_eq!(either.to_string(), "either(i32:1 | i32:2)");
    }

    #[test]
    fn parses_patterns_from_wast_text() {
        let text = r#"(assert_return (invoke "f" (f32.const 1) (ref.extern 7) (ref.null func))
                        (f32.const nan:canonical) (f64.const nan:arithmetic) (ref.null extern) (ref.func))"#;
        let buf = wast::parser::ParseBuffer::new(text).unwrap();
        let script: wast::Wast<'_> = wast::parser::parse(&buf).unwrap();
        let wast::WastDirective::AssertReturn { exec: wast::WastExecute::Invoke(invoke), results, .. } =
            &script.directives[0]
        else {
            panic!("expected assert_return");
        };
        let args: Vec<Val> = invoke.args.iter().map(|a| arg_value(a).unwrap()).collect();
        assert_eq!(args, vec![Val::F32(0x3f80_0000), Val::ExternRef(Some(7)), Val::FuncRef { null: true }]);
        let expected: Vec<Expected> = results.iter().map(|r| expected(r).unwrap()).collect();
        assert_eq!(display_expected(&expected), "[f32:nan:canonical, f64:nan:arithmetic, ref.null extern, ref.func]");
    }
}
