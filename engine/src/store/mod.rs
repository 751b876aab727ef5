//! The store: every runtime object (functions, tables, memories, globals, segments,
//! instances) lives in one `Vec` per kind, addressed by index, as in the spec's store model.
//! Handles ([`Func`], [`Memory`], ...) are those indices; instances refer to store objects by
//! address, so imported and exported objects are shared between instances.
//!
//! The store is generic over the memory strategy `M`: a `Store<CheckedMemory>` runs the
//! explicit-check interpreter, a `Store<GuardMemory>` the guard-page one.
//!
//! Data enters through [`Store::instantiate`] and the `new_*` host constructors, and leaves
//! through [`Store::call`] and the accessors.

mod instantiate;
mod linker;

pub use linker::Linker;

use crate::Caller;
use crate::error::Error;
use crate::exec;
use crate::exec::ExecState;
use crate::func::{FuncInstance, FuncKind, FuncType};
use crate::global::{GlobalInstance, GlobalType};
use crate::memory::{CheckedMemory, LinearMemory, MemoryType};
use crate::module::{ExportIndex, ExternType, Module, ModuleInner};
use crate::table::{TableInstance, TableType};
use crate::trap::{Trap, TrapKind};
use crate::value::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Limits and budgets of a store.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Most nested wasm calls before a `StackOverflow` trap. Defaults to 100,000.
    pub max_call_depth: usize,
    /// Most value-stack cells (locals and operands, 8 bytes each) over all frames before a
    /// `StackOverflow` trap. Defaults to 4 Mi cells (32 MiB).
    pub max_value_stack: usize,
    /// Instruction budget per store; `None` runs without fuel. Defaults to `None`.
    pub fuel: Option<u64>,
    /// Host cap on the pages any memory may grow to, below its declared maximum.
    /// Defaults to `None` (the declared maximum or the index type's limit).
    pub memory_limit_pages: Option<u64>,
    /// Host cap on the elements any table may grow to. Defaults to 10,000,000.
    pub table_limit_elements: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_call_depth: 100_000,
            max_value_stack: 4 << 20,
            fuel: None,
            memory_limit_pages: None,
            table_limit_elements: Some(10_000_000),
        }
    }
}

/// A function in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func(pub(crate) u32);
/// A table in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table(pub(crate) u32);
/// A memory in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory(pub(crate) u32);
/// A global in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global(pub(crate) u32);
/// An instance in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance(pub(crate) u32);

/// Anything an instance can import or export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A table.
    Table(Table),
    /// A memory.
    Memory(Memory),
    /// A global.
    Global(Global),
}

/// An element segment instance: its items as reference cells (empty once dropped).
#[derive(Debug, Clone, Default)]
pub(crate) struct ElemInstance {
    pub(crate) items: Arc<[u64]>,
}

/// A data segment instance (empty once dropped).
#[derive(Debug, Clone, Default)]
pub(crate) struct DataInstance {
    pub(crate) bytes: Arc<[u8]>,
}

/// An instance: its module and the store addresses of everything in its index spaces.
pub(crate) struct InstanceData {
    pub(crate) module: Arc<ModuleInner>,
    /// Store type id of each of the module's type indices.
    pub(crate) type_ids: Vec<u32>,
    pub(crate) funcs: Vec<u32>,
    pub(crate) tables: Vec<u32>,
    pub(crate) memories: Vec<u32>,
    pub(crate) globals: Vec<u32>,
    pub(crate) elems: Vec<u32>,
    pub(crate) datas: Vec<u32>,
}

/// Interns function types so equal types share one id.
#[derive(Default)]
pub(crate) struct TypeRegistry {
    ids: HashMap<FuncType, u32>,
    types: Vec<FuncType>,
}

impl TypeRegistry {
    pub(crate) fn intern(&mut self, ty: &FuncType) -> u32 {
        if let Some(&id) = self.ids.get(ty) {
            return id;
        }
        let id = self.types.len() as u32;
        self.types.push(ty.clone());
        self.ids.insert(ty.clone(), id);
        id
    }
}

/// The store's contents; the interpreter works on this directly.
pub(crate) struct StoreInner<M: LinearMemory> {
    pub(crate) config: Config,
    pub(crate) types: TypeRegistry,
    pub(crate) funcs: Vec<FuncInstance>,
    pub(crate) tables: Vec<TableInstance>,
    pub(crate) memories: Vec<M>,
    pub(crate) globals: Vec<GlobalInstance>,
    pub(crate) elems: Vec<ElemInstance>,
    pub(crate) datas: Vec<DataInstance>,
    pub(crate) instances: Vec<InstanceData>,
    /// Remaining fuel, when fuel is on.
    pub(crate) fuel: Option<u64>,
    /// The interpreter's reusable stacks.
    pub(crate) exec: ExecState,
}

/// A store of runtime objects using memory strategy `M`.
///
/// Handles ([`Func`], [`Memory`], ...) belong to the store that made them. As in wasmtime,
/// using a handle with another store is a programming error: the accessors panic when the
/// handle is out of range (they cannot tell a foreign handle that happens to be in range).
/// Wasm input never reaches those panics: [`Store::call`] and instantiation check every
/// handle and value they are given and answer with an [`Error`].
pub struct Store<M: LinearMemory = CheckedMemory> {
    pub(crate) inner: StoreInner<M>,
}

impl<M: LinearMemory> Store<M> {
    fn export_extern(&self, instance: Instance, index: ExportIndex) -> Extern {
        let inst = &self.inner.instances[instance.0 as usize];
        match index {
            ExportIndex::Func(i) => Extern::Func(Func(inst.funcs[i as usize])),
            ExportIndex::Table(i) => Extern::Table(Table(inst.tables[i as usize])),
            ExportIndex::Memory(i) => Extern::Memory(Memory(inst.memories[i as usize])),
            ExportIndex::Global(i) => Extern::Global(Global(inst.globals[i as usize])),
        }
    }

    /// A function reference handed in by the host must name a function of this store.
    fn check_ref(&self, value: Value) -> Result<(), Error> {
        match value {
            Value::FuncRef(Some(f)) if f.0 as usize >= self.inner.funcs.len() => {
                Err(Error::usage(format!("function {} does not exist in this store", f.0)))
            }
            _ => Ok(()),
        }
    }

    /// An empty store.
    pub fn new(config: Config) -> Self {
        let fuel = config.fuel;
        Store {
            inner: StoreInner {
                config,
                types: TypeRegistry::default(),
                funcs: Vec::new(),
                tables: Vec::new(),
                memories: Vec::new(),
                globals: Vec::new(),
                elems: Vec::new(),
                datas: Vec::new(),
                instances: Vec::new(),
                fuel,
                exec: ExecState::default(),
            },
        }
    }

    /// The store's configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The memory strategy's name (`checked` or `guard`).
    pub fn strategy(&self) -> &'static str {
        M::STRATEGY
    }

    /// Sets the remaining fuel (`None` turns fuel off).
    pub fn set_fuel(&mut self, fuel: Option<u64>) {
        self.inner.fuel = fuel;
    }

    /// The remaining fuel, when fuel is on.
    pub fn fuel(&self) -> Option<u64> {
        self.inner.fuel
    }

    /// Instantiates `module` with `imports` given in the module's import order.
    ///
    /// Link errors are [`crate::ErrorKind::Link`]; a trap while initialising segments or in
    /// the start function is [`crate::ErrorKind::Trap`] (segments written before the trap
    /// stay written, as the spec requires).
    pub fn instantiate(&mut self, module: &Module, imports: &[Extern]) -> Result<Instance, Error> {
        instantiate::instantiate(&mut self.inner, module, imports)
    }

    /// The export `name` of `instance`.
    pub fn get_export(&self, instance: Instance, name: &str) -> Option<Extern> {
        let inst = self.inner.instances.get(instance.0 as usize)?;
        let (_, index) = inst.module.exports.iter().find(|(n, _)| n == name)?;
        Some(self.export_extern(instance, *index))
    }

    /// Every export of `instance`, in declaration order.
    pub fn exports(&self, instance: Instance) -> Vec<(String, Extern)> {
        let Some(inst) = self.inner.instances.get(instance.0 as usize) else { return Vec::new() };
        inst.module.exports.iter().map(|(name, index)| (name.clone(), self.export_extern(instance, *index))).collect()
    }

    /// Calls `func` with `args`, checked against its type.
    pub fn call(&mut self, func: Func, args: &[Value]) -> Result<Vec<Value>, Error> {
        let Some(f) = self.inner.funcs.get(func.0 as usize) else {
            return Err(Error::usage(format!("function {} does not exist in this store", func.0)));
        };
        let params = f.ty.params();
        if args.len() != params.len() {
            return Err(Error::usage(format!(
                "function of type {} takes {} arguments, {} were given",
                f.ty,
                params.len(),
                args.len()
            )));
        }
        for (i, (arg, want)) in args.iter().zip(params).enumerate() {
            if arg.ty() != *want {
                return Err(Error::usage(format!("argument {i} should be {want}, got {arg}")));
            }
            self.check_ref(*arg)?;
        }
        Ok(exec::invoke(&mut self.inner, func.0, args)?)
    }

    /// The type of `func`.
    pub fn func_type(&self, func: Func) -> &FuncType {
        &self.inner.funcs[func.0 as usize].ty
    }

    /// Adds a host function.
    pub fn new_host_func(
        &mut self,
        ty: FuncType,
        f: impl Fn(&mut Caller<'_>, &[Value], &mut [Value]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Func {
        let type_id = self.inner.types.intern(&ty);
        self.inner.funcs.push(FuncInstance { type_id, ty, kind: FuncKind::Host(Arc::new(f)) });
        Func(self.inner.funcs.len() as u32 - 1)
    }

    /// Creates a memory on the host, to hand to modules as an import (seed 000's
    /// `new WebAssembly.Memory({initial, maximum})`).
    pub fn new_memory(&mut self, ty: MemoryType) -> Result<Memory, Error> {
        let mem = M::new(ty, self.inner.config.memory_limit_pages)?;
        self.inner.memories.push(mem);
        Ok(Memory(self.inner.memories.len() as u32 - 1))
    }

    /// Creates a table on the host, every element set to `init`.
    pub fn new_table(&mut self, ty: TableType, init: Value) -> Result<Table, Error> {
        if init.ty() != ty.element {
            return Err(Error::usage(format!("a table of {} cannot start with {init}", ty.element)));
        }
        self.check_ref(init)?;
        let table = TableInstance::new(ty, init.to_cell(), self.inner.config.table_limit_elements)
            .ok_or_else(|| Error::limit(format!("table of {} elements exceeds the host limit", ty.minimum)))?;
        self.inner.tables.push(table);
        Ok(Table(self.inner.tables.len() as u32 - 1))
    }

    /// Creates a global on the host.
    pub fn new_global(&mut self, ty: GlobalType, value: Value) -> Result<Global, Error> {
        if value.ty() != ty.content {
            return Err(Error::usage(format!("a global of type {} cannot hold {value}", ty.content)));
        }
        self.check_ref(value)?;
        self.inner.globals.push(GlobalInstance { ty, value: value.to_cell(), hi: value.hi_cell() });
        Ok(Global(self.inner.globals.len() as u32 - 1))
    }

    /// Direct access to a memory (its accessible bytes, size, and checked read/write).
    pub fn memory(&self, memory: Memory) -> &M {
        &self.inner.memories[memory.0 as usize]
    }

    /// Direct mutable access to a memory.
    pub fn memory_mut(&mut self, memory: Memory) -> &mut M {
        &mut self.inner.memories[memory.0 as usize]
    }

    /// Grows a memory by `delta` pages: the old size in pages, or `None` past its limits.
    pub fn memory_grow(&mut self, memory: Memory, delta: u64) -> Option<u64> {
        self.memory_mut(memory).grow(delta)
    }

    /// Checks every memory of the store against the operating system's record of its
    /// reservation (the guard audit, `/proc/self/maps`); always `Ok` for strategies without
    /// reservations. For harness runs and tests: it reads a proc file per memory.
    pub fn audit_memories(&self) -> Result<(), String> {
        self.inner.memories.iter().try_for_each(|m| m.audit())
    }

    /// The value of a global.
    pub fn global_get(&self, global: Global) -> Value {
        let g = &self.inner.globals[global.0 as usize];
        Value::from_cells(g.ty.content, g.value, g.hi)
    }

    /// The type of a global.
    pub fn global_type(&self, global: Global) -> GlobalType {
        self.inner.globals[global.0 as usize].ty
    }

    /// Sets a mutable global; errors on an immutable global or a value of the wrong type.
    pub fn global_set(&mut self, global: Global, value: Value) -> Result<(), Error> {
        self.check_ref(value)?;
        let g = &mut self.inner.globals[global.0 as usize];
        if !g.ty.mutable {
            return Err(Error::usage("cannot set an immutable global"));
        }
        if value.ty() != g.ty.content {
            return Err(Error::usage(format!("a global of type {} cannot hold {value}", g.ty.content)));
        }
        g.value = value.to_cell();
        g.hi = value.hi_cell();
        Ok(())
    }

    /// The type of a table (its minimum is the initial size).
    pub fn table_type(&self, table: Table) -> TableType {
        self.inner.tables[table.0 as usize].ty
    }

    /// The current size of a table.
    pub fn table_size(&self, table: Table) -> u64 {
        self.inner.tables[table.0 as usize].size()
    }

    /// Element `index` of a table, or `None` when out of bounds.
    pub fn table_get(&self, table: Table, index: u64) -> Option<Value> {
        let t = &self.inner.tables[table.0 as usize];
        t.get(index).ok().map(|cell| Value::from_cell(t.ty.element, cell))
    }

    /// Sets element `index` of a table.
    pub fn table_set(&mut self, table: Table, index: u64, value: Value) -> Result<(), Error> {
        self.check_ref(value)?;
        let t = &mut self.inner.tables[table.0 as usize];
        if value.ty() != t.ty.element {
            return Err(Error::usage(format!("a table of {} cannot hold {value}", t.ty.element)));
        }
        t.set(index, value.to_cell()).map_err(|_| Trap::new(TrapKind::TableOutOfBounds).into())
    }

    /// The type of an extern (current sizes as minimums, as import matching sees them).
    pub fn extern_type(&self, item: Extern) -> ExternType {
        match item {
            Extern::Func(f) => ExternType::Func(self.func_type(f).clone()),
            Extern::Table(t) => {
                let mut ty = self.table_type(t);
                ty.minimum = self.table_size(t);
                ExternType::Table(ty)
            }
            Extern::Memory(m) => {
                let mem = self.memory(m);
                ExternType::Memory(MemoryType { minimum: mem.size_pages(), ..mem.ty() })
            }
            Extern::Global(g) => ExternType::Global(self.global_type(g)),
        }
    }

    /// Grows a table by `delta` elements set to `init`: the old size, or `None` past its
    /// limits.
    pub fn table_grow(&mut self, table: Table, delta: u64, init: Value) -> Result<Option<u64>, Error> {
        self.check_ref(init)?;
        let t = &mut self.inner.tables[table.0 as usize];
        if init.ty() != t.ty.element {
            return Err(Error::usage(format!("a table of {} cannot hold {init}", t.ty.element)));
        }
        Ok(t.grow(delta, init.to_cell()))
    }
}

#[cfg(test)]
mod tests;
