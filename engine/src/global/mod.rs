//! Globals: their type and the store's global instances (one untyped cell each).

use crate::value::ValType;

/// The type of a global.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalType {
    /// The value type.
    pub content: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
}

/// A global in the store.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GlobalInstance {
    pub(crate) ty: GlobalType,
    /// The value as an untyped cell (see `Value::to_cell`).
    pub(crate) value: u64,
}
