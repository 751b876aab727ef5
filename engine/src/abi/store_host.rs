//! [`StoreHost`]: the [`AbiHost`] view of an instance in a redzone [`Store`].

use super::{AbiError, AbiHost, ExportShape, MEMORY};
use crate::memory::LinearMemory;
use crate::store::{Extern, Instance, Memory, Store};
use crate::value::Value;

/// An instance in a redzone store, seen through the ABI.
pub struct StoreHost<'s, M: LinearMemory> {
    store: &'s mut Store<M>,
    instance: Instance,
}

impl<'s, M: LinearMemory> StoreHost<'s, M> {
    /// The view of `instance` in `store`.
    pub fn new(store: &'s mut Store<M>, instance: Instance) -> Self {
        StoreHost { store, instance }
    }

    /// The store.
    pub fn store(&mut self) -> &mut Store<M> {
        self.store
    }

    fn memory(&self) -> Result<Memory, AbiError> {
        match self.store.get_export(self.instance, MEMORY) {
            Some(Extern::Memory(m)) => Ok(m),
            _ => Err(AbiError::missing_export(MEMORY)),
        }
    }
}

impl<M: LinearMemory> AbiHost for StoreHost<'_, M> {
    fn export(&self, name: &str) -> Option<ExportShape> {
        Some(match self.store.get_export(self.instance, name)? {
            Extern::Func(f) => {
                let ty = self.store.func_type(f);
                ExportShape::Func { params: ty.params().to_vec(), results: ty.results().to_vec() }
            }
            Extern::Memory(_) => ExportShape::Memory,
            Extern::Global(_) => ExportShape::Other("global"),
            Extern::Table(_) => ExportShape::Other("table"),
        })
    }

    fn memory_size(&self) -> Result<u64, AbiError> {
        Ok(self.store.memory(self.memory()?).size_bytes())
    }

    fn read_memory(&self, offset: u64, buf: &mut [u8]) -> Result<(), AbiError> {
        let memory = self.store.memory(self.memory()?);
        memory.read(offset, buf).map_err(|_| oob(offset, buf.len(), memory.size_bytes()))
    }

    fn write_memory(&mut self, offset: u64, bytes: &[u8]) -> Result<(), AbiError> {
        let memory = self.store.memory_mut(self.memory()?);
        let size = memory.size_bytes();
        memory.write(offset, bytes).map_err(|_| oob(offset, bytes.len(), size))
    }

    fn call(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>, AbiError> {
        match self.store.get_export(self.instance, name) {
            Some(Extern::Func(f)) => Ok(self.store.call(f, args)?),
            Some(_) => Err(AbiError::wrong_signature(name, "a function", "another kind of export")),
            None => Err(AbiError::missing_export(name)),
        }
    }
}

/// A host range that failed the memory's own check (the client checks first, so this only
/// reports a host that skipped it).
#[cold]
fn oob(offset: u64, len: usize, memory_size: u64) -> AbiError {
    AbiError::out_of_bounds(offset.min(u32::MAX as u64) as u32, len.min(u32::MAX as usize) as u32, memory_size)
}
