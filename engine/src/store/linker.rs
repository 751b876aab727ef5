//! Resolving imports by `(module, name)`: a map of definitions that builds the import list
//! [`super::Store::instantiate`] takes.

use super::{Extern, Instance, Store};
use crate::error::Error;
use crate::memory::LinearMemory;
use crate::module::Module;
use std::collections::HashMap;

/// Definitions by `(module, name)`.
#[derive(Debug, Default, Clone)]
pub struct Linker {
    defs: HashMap<(String, String), Extern>,
}

impl Linker {
    /// An empty linker.
    pub fn new() -> Self {
        Self::default()
    }

    /// Defines `module::name` (replacing an earlier definition).
    pub fn define(&mut self, module: &str, name: &str, item: Extern) -> &mut Self {
        self.defs.insert((module.to_string(), name.to_string()), item);
        self
    }

    /// Defines every export of `instance` under the module name `module` (the wast `register`).
    pub fn define_instance<M: LinearMemory>(
        &mut self,
        store: &Store<M>,
        module: &str,
        instance: Instance,
    ) -> &mut Self {
        for (name, item) in store.exports(instance) {
            self.define(module, &name, item);
        }
        self
    }

    /// The definition of `module::name`.
    pub fn get(&self, module: &str, name: &str) -> Option<Extern> {
        self.defs.get(&(module.to_string(), name.to_string())).copied()
    }

    /// Resolves every import of `module` and instantiates it.
    pub fn instantiate<M: LinearMemory>(&self, store: &mut Store<M>, module: &Module) -> Result<Instance, Error> {
        let mut imports = Vec::with_capacity(module.imports().len());
        for import in module.imports() {
            match self.get(&import.module, &import.name) {
                Some(item) => imports.push(item),
                None => {
                    return Err(Error::link(
                        &import.module,
                        &import.name,
                        "unknown import: nothing is defined under that name",
                    ));
                }
            }
        }
        store.instantiate(module, &imports)
    }
}
