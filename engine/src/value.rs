//! Values that cross the boundary between the host and the engine, and their types.
//!
//! Inside the interpreter every value is an untyped 64-bit cell (a `v128` is two: its low half
//! in the value stack, its high half in the same slot of the parallel high-half stack, see
//! `exec`); [`Value`] is the typed form used by the host API. Floats are kept as raw IEEE-754
//! bits so NaN payloads survive exactly.

use crate::store::Func;
use std::fmt;

/// The type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
    /// 128-bit vector (SIMD).
    V128,
    /// A nullable reference to a function.
    FuncRef,
    /// A nullable reference owned by the host.
    ExternRef,
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        })
    }
}

/// A typed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Value {
    /// 32-bit integer.
    I32(i32),
    /// 64-bit integer.
    I64(i64),
    /// 32-bit float, as raw bits.
    F32(u32),
    /// 64-bit float, as raw bits.
    F64(u64),
    /// 128-bit vector, as raw bits (lane 0 in the low bits, as in memory: little-endian).
    V128(u128),
    /// A function reference, or null.
    FuncRef(Option<Func>),
    /// A host reference (an opaque number chosen by the host), or null.
    ExternRef(Option<u32>),
}

impl Value {
    /// The type of this value.
    pub fn ty(&self) -> ValType {
        match self {
            Value::I32(_) => ValType::I32,
            Value::I64(_) => ValType::I64,
            Value::F32(_) => ValType::F32,
            Value::F64(_) => ValType::F64,
            Value::V128(_) => ValType::V128,
            Value::FuncRef(_) => ValType::FuncRef,
            Value::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The zero value (or null reference) of a type: what locals and new table slots start as.
    pub fn default_for(ty: ValType) -> Value {
        match ty {
            ValType::I32 => Value::I32(0),
            ValType::I64 => Value::I64(0),
            ValType::F32 => Value::F32(0),
            ValType::F64 => Value::F64(0),
            ValType::V128 => Value::V128(0),
            ValType::FuncRef => Value::FuncRef(None),
            ValType::ExternRef => Value::ExternRef(None),
        }
    }

    /// A 32-bit float value.
    pub fn f32(x: f32) -> Value {
        Value::F32(x.to_bits())
    }

    /// A 64-bit float value.
    pub fn f64(x: f64) -> Value {
        Value::F64(x.to_bits())
    }

    /// The untyped 64-bit cell the interpreter stores this value in
    /// (references use [`REF_NULL`] for null; a `v128` gives its low half, see [`Value::hi_cell`]).
    pub(crate) fn to_cell(self) -> u64 {
        match self {
            Value::V128(x) => x as u64,
            Value::I32(x) => x as u32 as u64,
            Value::I64(x) => x as u64,
            Value::F32(x) => x as u64,
            Value::F64(x) => x,
            Value::FuncRef(None) | Value::ExternRef(None) => REF_NULL,
            Value::FuncRef(Some(f)) => f.0 as u64,
            Value::ExternRef(Some(x)) => x as u64,
        }
    }

    /// The high half of a `v128` (0 for every other type).
    pub(crate) fn hi_cell(self) -> u64 {
        match self {
            Value::V128(x) => (x >> 64) as u64,
            _ => 0,
        }
    }

    /// The typed value of a low cell and a high cell (the high one is read only for `v128`).
    pub(crate) fn from_cells(ty: ValType, cell: u64, hi: u64) -> Value {
        match ty {
            ValType::V128 => Value::V128(cell as u128 | (hi as u128) << 64),
            _ => Value::from_cell(ty, cell),
        }
    }

    /// The typed value of an untyped cell (a `v128` gets a zero high half: see
    /// [`Value::from_cells`]).
    pub(crate) fn from_cell(ty: ValType, cell: u64) -> Value {
        match ty {
            ValType::V128 => Value::V128(cell as u128),
            ValType::I32 => Value::I32(cell as u32 as i32),
            ValType::I64 => Value::I64(cell as i64),
            ValType::F32 => Value::F32(cell as u32),
            ValType::F64 => Value::F64(cell),
            ValType::FuncRef if cell == REF_NULL => Value::FuncRef(None),
            ValType::FuncRef => Value::FuncRef(Some(Func(cell as u32))),
            ValType::ExternRef if cell == REF_NULL => Value::ExternRef(None),
            ValType::ExternRef => Value::ExternRef(Some(cell as u32)),
        }
    }
}

/// The untyped cell of a null reference. A non-null funcref cell holds the store's function
/// address; a non-null externref cell holds the host's number.
pub(crate) const REF_NULL: u64 = u64::MAX;

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::I32(x) => write!(f, "i32:{x}"),
            Value::I64(x) => write!(f, "i64:{x}"),
            Value::F32(x) => write!(f, "f32:{} ({x:#010x})", f32::from_bits(*x)),
            Value::F64(x) => write!(f, "f64:{} ({x:#018x})", f64::from_bits(*x)),
            Value::V128(x) => write!(f, "v128:{x:#034x}"),
            Value::FuncRef(None) => write!(f, "funcref:null"),
            Value::FuncRef(Some(func)) => write!(f, "funcref:{}", func.0),
            Value::ExternRef(None) => write!(f, "externref:null"),
            Value::ExternRef(Some(x)) => write!(f, "externref:{x}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip_every_type() {
        let values = [
            Value::I32(-1),
            Value::I64(i64::MIN),
            Value::F32(0x7fc0_0001),
            Value::F64(0xfff8_0000_0000_0001),
            Value::V128(0x8000_0000_0000_0001_ffff_0000_0000_0002),
            Value::FuncRef(None),
            Value::FuncRef(Some(Func(7))),
            Value::ExternRef(None),
            Value::ExternRef(Some(u32::MAX)),
        ];
        for v in values {
            assert_eq!(Value::from_cells(v.ty(), v.to_cell(), v.hi_cell()), v, "{v}");
        }
    }
}
