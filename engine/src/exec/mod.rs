//! The interpreter: runs internal code on a heap-allocated frame and value stack, generic
//! over the memory strategy.

use crate::memory::LinearMemory;
use crate::store::StoreInner;
use crate::trap::Trap;
use crate::value::Value;

/// Stacks reused across calls.
#[derive(Default)]
pub(crate) struct ExecState {}

/// Calls store function `func` with arguments already checked against its type.
pub(crate) fn invoke<M: LinearMemory>(
    store: &mut StoreInner<M>,
    func: u32,
    args: &[Value],
) -> Result<Vec<Value>, Trap> {
    let _ = (store, func, args);
    todo!("interpreter")
}
