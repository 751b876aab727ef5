//! Constant expressions (global initialisers, segment offsets, element items), including the
//! extended-const arithmetic, decoded once into a small op list and evaluated at
//! instantiation.

/// One operation of a constant expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ConstOp {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
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
