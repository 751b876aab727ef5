//! Function instances: wasm functions of an instance, and host functions with the
//! [`Caller`] view they get of the calling instance's memory.
//!
//! A host function receives typed arguments and fills typed results; it may return a
//! [`Trap`], which unwinds the wasm call that invoked it.

mod ty;

pub use ty::FuncType;

use crate::memory::{LinearMemory, OutOfBounds};
use crate::trap::Trap;
use crate::value::Value;
use std::sync::Arc;

/// The closure behind a host function.
pub type HostFn = Arc<dyn Fn(&mut Caller<'_>, &[Value], &mut [Value]) -> Result<(), Trap> + Send + Sync>;

/// What a host function sees of its caller: the calling instance's memory 0, if it has one.
/// Every access is explicitly checked and never faults, whatever the memory strategy.
pub struct Caller<'a> {
    pub(crate) memory: Option<&'a mut dyn HostMemory>,
}

impl<'a> Caller<'a> {
    /// A caller without a memory (a call from the host itself).
    pub fn without_memory() -> Self {
        Caller { memory: None }
    }

    /// The size of the caller's memory in bytes, or `None` when it has no memory.
    pub fn memory_size(&self) -> Option<u64> {
        self.memory.as_ref().map(|m| m.size_bytes())
    }

    /// Reads the caller's memory at `offset`.
    pub fn read_memory(&self, offset: u64, buf: &mut [u8]) -> Result<(), Trap> {
        match &self.memory {
            Some(m) => m.read(offset, buf).map_err(|_| Trap::new(crate::TrapKind::MemoryOutOfBounds)),
            None => Err(Trap::new(crate::TrapKind::Other("caller has no memory".into()))),
        }
    }

    /// Writes the caller's memory at `offset`; writes nothing when out of bounds.
    pub fn write_memory(&mut self, offset: u64, bytes: &[u8]) -> Result<(), Trap> {
        match &mut self.memory {
            Some(m) => m.write(offset, bytes).map_err(|_| Trap::new(crate::TrapKind::MemoryOutOfBounds)),
            None => Err(Trap::new(crate::TrapKind::Other("caller has no memory".into()))),
        }
    }
}

/// The object-safe, explicitly checked part of a memory that host code may use.
pub(crate) trait HostMemory {
    fn size_bytes(&self) -> u64;
    fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), OutOfBounds>;
    fn write(&mut self, offset: u64, bytes: &[u8]) -> Result<(), OutOfBounds>;
}

impl<M: LinearMemory> HostMemory for M {
    fn size_bytes(&self) -> u64 {
        LinearMemory::size_bytes(self)
    }
    fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), OutOfBounds> {
        LinearMemory::read(self, offset, buf)
    }
    fn write(&mut self, offset: u64, bytes: &[u8]) -> Result<(), OutOfBounds> {
        LinearMemory::write(self, offset, bytes)
    }
}

/// A function in the store.
pub(crate) struct FuncInstance {
    /// The store's canonical id of the function's type (equal ids mean equal types), so that
    /// `call_indirect` compares one integer.
    pub(crate) type_id: u32,
    /// The signature itself.
    pub(crate) ty: FuncType,
    pub(crate) kind: FuncKind,
}

pub(crate) enum FuncKind {
    /// Function `index` (in the module's function index space, imports included) of store
    /// instance `instance`; its code is `module.code[index - module.num_imported_funcs]`.
    Wasm { instance: u32, index: u32 },
    /// A host function.
    Host(HostFn),
}
