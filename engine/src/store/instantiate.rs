//! Instantiation: checking imports against the module's import types, allocating the
//! instance's functions, tables, memories, globals and segments in the store, running active
//! segments in order (a trap leaves earlier writes in place), then the start function.

use super::{Extern, Instance, StoreInner};
use crate::error::Error;
use crate::memory::LinearMemory;
use crate::module::Module;

pub(crate) fn instantiate<M: LinearMemory>(
    store: &mut StoreInner<M>,
    module: &Module,
    imports: &[Extern],
) -> Result<Instance, Error> {
    let _ = (store, module, imports);
    todo!()
}
