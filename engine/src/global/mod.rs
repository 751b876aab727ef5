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
    /// The high half of a `v128` global (`Value::hi_cell`); 0 for every other type. Apart
    /// from `value` so that the scalar `global.get`/`global.set` stay one 64-bit move.
    pub(crate) hi: u64,
}
