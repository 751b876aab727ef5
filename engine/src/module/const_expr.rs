//! Constant expressions (global initialisers, segment offsets, element items), including the
//! extended-const arithmetic, decoded once into a small op list and evaluated at
//! instantiation against the instance's globals and functions.

use crate::error::Error;
use crate::value::REF_NULL;
use wasmparser::Operator;

/// One operation of a constant expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ConstOp {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    RefNull,
    RefFunc(u32),
    GlobalGet(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A decoded constant expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstExpr {
    pub(crate) ops: Box<[ConstOp]>,
}

impl ConstExpr {
    /// Decodes a (validated) constant expression.
    pub(crate) fn decode(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, Error> {
        let mut ops = Vec::new();
        let mut reader = expr.get_operators_reader();
        while !reader.eof() {
            let offset = reader.original_position();
            let op = reader.read().map_err(|e| Error::malformed(e.message(), e.offset()))?;
            ops.push(match op {
                Operator::I32Const { value } => ConstOp::I32(value),
                Operator::I64Const { value } => ConstOp::I64(value),
                Operator::F32Const { value } => ConstOp::F32(value.bits()),
                Operator::F64Const { value } => ConstOp::F64(value.bits()),
                Operator::V128Const { value } => ConstOp::V128(value.i128() as u128),
                Operator::RefNull { .. } => ConstOp::RefNull,
                Operator::RefFunc { function_index } => ConstOp::RefFunc(function_index),
                Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
                Operator::I32Add => ConstOp::I32Add,
                Operator::I32Sub => ConstOp::I32Sub,
                Operator::I32Mul => ConstOp::I32Mul,
                Operator::I64Add => ConstOp::I64Add,
                Operator::I64Sub => ConstOp::I64Sub,
                Operator::I64Mul => ConstOp::I64Mul,
                Operator::End => break,
                other => {
                    return Err(Error::invalid(format!("constant expression required, found {other:?}"), offset));
                }
            });
        }
        Ok(ConstExpr { ops: ops.into() })
    }

    /// Evaluates to an untyped cell. `global` gives the cell of a global by module index,
    /// `func` the store address of a function by module index. (For expressions of any
    /// type but `v128`; see [`ConstExpr::eval128`].)
    pub(crate) fn eval(&self, global: impl Fn(u32) -> u64, func: impl Fn(u32) -> u32) -> u64 {
        self.eval128(|g| global(g) as u128, func) as u64
    }

    /// Evaluates to a 128-bit cell: a `v128` whole, any other type in the low 64 bits.
    /// `global` gives a global's value the same way.
    pub(crate) fn eval128(&self, global: impl Fn(u32) -> u128, func: impl Fn(u32) -> u32) -> u128 {
        let mut stack: Vec<u128> = Vec::with_capacity(4);
        // Validation guarantees the stack shape; the fallbacks only keep this total.
        let pop = |stack: &mut Vec<u128>| stack.pop().unwrap_or(0);
        for op in self.ops.iter() {
            let v = match *op {
                ConstOp::I32(x) => x as u32 as u128,
                ConstOp::I64(x) => x as u64 as u128,
                ConstOp::F32(x) => x as u128,
                ConstOp::F64(x) => x as u128,
                ConstOp::V128(x) => x,
                ConstOp::RefNull => REF_NULL as u128,
                ConstOp::RefFunc(f) => func(f) as u128,
                ConstOp::GlobalGet(g) => global(g),
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    let b = pop(&mut stack) as u32;
                    let a = pop(&mut stack) as u32;
                    (match *op {
                        ConstOp::I32Add => a.wrapping_add(b),
                        ConstOp::I32Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    }) as u128
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    let b = pop(&mut stack) as u64;
                    let a = pop(&mut stack) as u64;
                    (match *op {
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    }) as u128
                }
            };
            stack.push(v);
        }
        pop(&mut stack)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_const_arithmetic_wraps() {
        let e = ConstExpr { ops: Box::new([ConstOp::GlobalGet(0), ConstOp::I32(1), ConstOp::I32Add]) };
        assert_eq!(e.eval(|_| u32::MAX as u64, |f| f), 0);
        let e = ConstExpr {
            ops: Box::new([ConstOp::I64(3), ConstOp::I64(-5), ConstOp::I64Mul, ConstOp::I64(1), ConstOp::I64Sub]),
        };
        assert_eq!(e.eval(|_| 0, |f| f) as i64, -16);
        let e = ConstExpr { ops: Box::new([ConstOp::RefFunc(2)]) };
        assert_eq!(e.eval(|_| 0, |f| f + 10), 12);
        let e = ConstExpr { ops: Box::new([ConstOp::V128(u128::MAX - 1)]) };
        assert_eq!(e.eval128(|_| 0, |f| f), u128::MAX - 1);
        let e = ConstExpr { ops: Box::new([ConstOp::GlobalGet(0)]) };
        assert_eq!(e.eval128(|_| 7 << 100, |f| f), 7 << 100);
    }
}
