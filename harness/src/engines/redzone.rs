//! The adapter for redzone's own interpreter, generic over its memory strategy, so each
//! strategy (`redzone:checked`, `redzone:guard`) is one type parameter and one arm in
//! [`super::build`].

use super::imports::{DUMMY_TRAP, DummyFuncs, zero};
use super::{
    Engine, EngineError, Export, ExportKind, InstanceId, MemoryState, Metering, ModuleId, Provided, ProvidedItem,
    TableState, Val, spectest,
};
use redzone_engine::{
    Config, Error, ErrorKind, Extern, FuncType, GlobalType, Instance, LinearMemory, Linker, MemoryType, Module, Store,
    TableType, Trap, TrapKind, ValType, Value,
};
use std::borrow::Cow;

/// An instance of the adapter: a module's, or the host instance of dummy imports that
/// [`Engine::provide`] made (its items by label, in import order).
enum Slot {
    Wasm(Instance),
    Host(Vec<(String, Extern)>),
}

/// redzone's interpreter with memory strategy `M`, one store per adapter.
pub struct RedzoneEngine<M: LinearMemory> {
    name: &'static str,
    store: Store<M>,
    linker: Linker,
    /// Whether `spectest` is in the linker yet (made on first instantiation, so that
    /// compile-only uses never touch the store).
    spectest_ready: bool,
    modules: Vec<Module>,
    instances: Vec<Slot>,
    /// Off: budgets are ignored (the interpreter's fuel is a const generic, so "on with no
    /// budget" already costs nothing; off only keeps the adapters' contract alike).
    metering: Metering,
}

impl<M: LinearMemory> RedzoneEngine<M> {
    /// A fresh adapter with the default store [`Config`].
    pub fn new(name: &'static str) -> Result<Self, EngineError> {
        Self::with_config(name, Config::default())
    }

    /// A fresh adapter with a given store configuration (call depth, limits, fuel).
    pub fn with_config(name: &'static str, config: Config) -> Result<Self, EngineError> {
        Ok(RedzoneEngine {
            name,
            store: Store::new(config),
            linker: Linker::new(),
            spectest_ready: false,
            modules: Vec::new(),
            instances: Vec::new(),
            metering: Metering::On,
        })
    }

    /// The same adapter with `metering` (see [`Metering`]).
    pub fn with_metering(mut self, metering: Metering) -> Self {
        self.metering = metering;
        if metering == Metering::Off {
            self.store.set_fuel(None);
        }
        self
    }

    /// The underlying store, for tests that need more than the adapter shows.
    pub fn store(&self) -> &Store<M> {
        &self.store
    }

    fn define_spectest(&mut self) -> Result<(), EngineError> {
        let store = &mut self.store;
        for (name, params) in spectest::PRINT_FUNCS {
            let f = store.new_host_func(FuncType::new(params.iter().copied(), []), |_, _, _| Ok(()));
            self.linker.define("spectest", name, Extern::Func(f));
        }
        let globals = [
            ("global_i32", Value::I32(spectest::GLOBAL_I32)),
            ("global_i64", Value::I64(spectest::GLOBAL_I64)),
            ("global_f32", Value::f32(spectest::GLOBAL_F32)),
            ("global_f64", Value::f64(spectest::GLOBAL_F64)),
        ];
        for (name, value) in globals {
            let g = store
                .new_global(GlobalType { content: value.ty(), mutable: false }, value)
                .map_err(|e| map_error(e, false))?;
            self.linker.define("spectest", name, Extern::Global(g));
        }
        let (min, max) = spectest::TABLE_LIMITS;
        let table = store
            .new_table(TableType { element: ValType::FuncRef, minimum: min, maximum: Some(max) }, Value::FuncRef(None))
            .map_err(|e| map_error(e, false))?;
        self.linker.define("spectest", "table", Extern::Table(table));
        let (min, max) = spectest::MEMORY_LIMITS;
        let memory = store.new_memory(MemoryType::new(min, Some(max))).map_err(|e| map_error(e, false))?;
        self.linker.define("spectest", "memory", Extern::Memory(memory));
        self.spectest_ready = true;
        Ok(())
    }

    fn slot(&self, id: InstanceId) -> Result<&Slot, EngineError> {
        self.instances
            .get(id.0 as usize)
            .ok_or_else(|| EngineError::usage(format!("no instance #{} in {}", id.0, self.name)))
    }

    /// Every export of an instance or host instance, in order.
    fn all_exports(&self, id: InstanceId) -> Result<Vec<(String, Extern)>, EngineError> {
        Ok(match self.slot(id)? {
            Slot::Wasm(instance) => self.store.exports(*instance),
            Slot::Host(items) => items.clone(),
        })
    }

    fn export(&self, id: InstanceId, name: &str) -> Result<Extern, EngineError> {
        let found = match self.slot(id)? {
            Slot::Wasm(instance) => self.store.get_export(*instance, name),
            Slot::Host(items) => items.iter().find(|(n, _)| n == name).map(|(_, item)| *item),
        };
        found.ok_or_else(|| EngineError::usage(format!("instance #{} has no export named {name:?}", id.0)))
    }

    /// One dummy extern in the store.
    fn make_dummy(&mut self, item: &ProvidedItem) -> Result<Extern, EngineError> {
        let store = &mut self.store;
        Ok(match item {
            ProvidedItem::Func { params, results, behaviour } => {
                let ty = FuncType::new(params.iter().copied(), results.iter().copied());
                let zeros: Vec<Value> = results.iter().map(|t| engine_zero(*t)).collect();
                let f = match behaviour {
                    DummyFuncs::Zeros => store.new_host_func(ty, move |_, _, out| {
                        out.copy_from_slice(&zeros);
                        Ok(())
                    }),
                    DummyFuncs::Trap => {
                        store.new_host_func(ty, |_, _, _| Err(Trap::new(TrapKind::Other(DUMMY_TRAP.into()))))
                    }
                };
                Extern::Func(f)
            }
            ProvidedItem::Global { content, mutable } => {
                let ty = GlobalType { content: *content, mutable: *mutable };
                Extern::Global(store.new_global(ty, engine_zero(*content)).map_err(|e| map_error(e, false))?)
            }
            ProvidedItem::Table { element, minimum, maximum } => {
                let ty = TableType { element: *element, minimum: *minimum, maximum: *maximum };
                Extern::Table(store.new_table(ty, engine_zero(*element)).map_err(|e| map_error(e, false))?)
            }
            ProvidedItem::Memory { minimum, maximum } => {
                Extern::Memory(store.new_memory(MemoryType::new(*minimum, *maximum)).map_err(|e| map_error(e, false))?)
            }
        })
    }
}

/// The zero of a type as the interpreter's value.
fn engine_zero(ty: ValType) -> Value {
    // `zero` never makes a non-null reference, which is all `to_engine_value` refuses.
    to_engine_value(&zero(ty)).unwrap_or(Value::I32(0))
}

/// Maps the engine's error into the adapter's, keeping the stage.
fn map_error(err: Error, instantiating: bool) -> EngineError {
    match err.kind() {
        ErrorKind::Malformed { .. } | ErrorKind::Invalid { .. } => EngineError::compile(err.to_string()),
        ErrorKind::Unsupported { .. } => EngineError::unsupported(err.to_string()),
        ErrorKind::Link { .. } => EngineError::link(err.to_string()),
        ErrorKind::Trap(trap) => {
            let detail = match (trap.func, trap.offset) {
                (Some(func), Some(offset)) => format!("in func {func} at offset {offset:#x}"),
                (Some(func), None) => format!("in func {func}"),
                _ => String::new(),
            };
            let err = if instantiating {
                EngineError::instantiation_trap(trap.kind.clone(), detail)
            } else {
                EngineError::trap(trap.kind.clone(), detail)
            };
            err.at_offset(trap.offset)
        }
        ErrorKind::Usage(msg) => EngineError::usage(msg.clone()),
        ErrorKind::Limit(msg) => EngineError::limit(msg.clone()),
    }
}

fn to_engine_value(v: &Val) -> Result<Value, EngineError> {
    Ok(match *v {
        Val::I32(x) => Value::I32(x),
        Val::I64(x) => Value::I64(x),
        Val::F32(x) => Value::F32(x),
        Val::F64(x) => Value::F64(x),
        Val::V128(x) => Value::V128(x),
        Val::FuncRef { null: true } => Value::FuncRef(None),
        Val::FuncRef { null: false } => {
            return Err(EngineError::usage("a non-null funcref cannot be passed in from the harness"));
        }
        Val::ExternRef(x) => Value::ExternRef(x),
    })
}

fn from_engine_value(v: &Value) -> Val {
    match *v {
        Value::I32(x) => Val::I32(x),
        Value::I64(x) => Val::I64(x),
        Value::F32(x) => Val::F32(x),
        Value::F64(x) => Val::F64(x),
        Value::V128(x) => Val::V128(x),
        Value::FuncRef(f) => Val::FuncRef { null: f.is_none() },
        Value::ExternRef(x) => Val::ExternRef(x),
    }
}

impl<M: LinearMemory> Engine for RedzoneEngine<M> {
    fn name(&self) -> &str {
        self.name
    }

    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        let module = Module::new(wasm).map_err(|e| map_error(e, false))?;
        self.modules.push(module);
        Ok(ModuleId(self.modules.len() as u32 - 1))
    }

    fn provide(&mut self, provided: &[Provided]) -> Result<InstanceId, EngineError> {
        let mut items = Vec::with_capacity(provided.len());
        for p in provided {
            items.push((p.label.clone(), self.make_dummy(&p.item)?));
        }
        self.instances.push(Slot::Host(items));
        Ok(InstanceId(self.instances.len() as u32 - 1))
    }

    fn instantiate_with(&mut self, module: ModuleId, dummies: Option<InstanceId>) -> Result<InstanceId, EngineError> {
        if !self.spectest_ready {
            self.define_spectest()?;
        }
        let host = match dummies {
            Some(id) => Some(self.all_exports(id)?),
            None => None,
        };
        let module = self
            .modules
            .get(module.0 as usize)
            .ok_or_else(|| EngineError::usage(format!("no module #{} in {}", module.0, self.name)))?;
        let instance = match host {
            None => self.linker.instantiate(&mut self.store, module),
            Some(host) => {
                let wanted = module.imports();
                if host.len() != wanted.len() {
                    return Err(EngineError::usage(format!(
                        "the dummy imports provide {} items, the module imports {}",
                        host.len(),
                        wanted.len()
                    )));
                }
                // Registered names are real shared externs; the linker also holds `spectest`,
                // which dummy linking leaves out.
                let imports: Vec<Extern> = wanted
                    .iter()
                    .zip(&host)
                    .map(|(import, (_, dummy))| match self.linker.get(&import.module, &import.name) {
                        Some(real) if import.module != "spectest" => real,
                        _ => *dummy,
                    })
                    .collect();
                self.store.instantiate(module, &imports)
            }
        }
        .map_err(|e| map_error(e, true))?;
        self.instances.push(Slot::Wasm(instance));
        Ok(InstanceId(self.instances.len() as u32 - 1))
    }

    fn register(&mut self, instance: InstanceId, name: &str) -> Result<(), EngineError> {
        for (field, item) in self.all_exports(instance)? {
            self.linker.define(name, &field, item);
        }
        Ok(())
    }

    fn exports(&self, instance: InstanceId) -> Result<Vec<Export>, EngineError> {
        Ok(self
            .all_exports(instance)?
            .into_iter()
            .map(|(name, item)| {
                let kind = match item {
                    Extern::Func(f) => {
                        let ty = self.store.func_type(f);
                        ExportKind::Func { params: ty.params().to_vec(), results: ty.results().to_vec() }
                    }
                    Extern::Global(g) => ExportKind::Global(self.store.global_type(g).content),
                    Extern::Memory(_) => ExportKind::Memory,
                    Extern::Table(_) => ExportKind::Table,
                };
                Export { name, kind }
            })
            .collect())
    }

    fn call(&mut self, instance: InstanceId, name: &str, args: &[Val]) -> Result<Vec<Val>, EngineError> {
        let Extern::Func(func) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a function")));
        };
        let args = args.iter().map(to_engine_value).collect::<Result<Vec<_>, _>>()?;
        let results = self.store.call(func, &args).map_err(|e| map_error(e, false))?;
        Ok(results.iter().map(from_engine_value).collect())
    }

    fn global(&self, instance: InstanceId, name: &str) -> Result<Val, EngineError> {
        match self.export(instance, name)? {
            Extern::Global(g) => Ok(from_engine_value(&self.store.global_get(g))),
            _ => Err(EngineError::usage(format!("export {name:?} is not a global"))),
        }
    }

    fn memory(&self, instance: InstanceId, name: &str) -> Result<MemoryState<'_>, EngineError> {
        match self.export(instance, name)? {
            Extern::Memory(m) => {
                let memory = self.store.memory(m);
                Ok(MemoryState { pages: memory.size_pages(), bytes: Cow::Borrowed(memory.data()) })
            }
            _ => Err(EngineError::usage(format!("export {name:?} is not a memory"))),
        }
    }

    fn write_memory(&mut self, instance: InstanceId, name: &str, offset: u64, bytes: &[u8]) -> Result<(), EngineError> {
        match self.export(instance, name)? {
            Extern::Memory(m) => {
                let memory = self.store.memory_mut(m);
                let size = memory.size_bytes();
                memory.write(offset, bytes).map_err(|_| {
                    EngineError::usage(format!(
                        "write of {} bytes at {offset:#x} is outside memory {name:?} of {size} bytes",
                        bytes.len()
                    ))
                })
            }
            _ => Err(EngineError::usage(format!("export {name:?} is not a memory"))),
        }
    }

    fn table(&self, instance: InstanceId, name: &str) -> Result<TableState, EngineError> {
        match self.export(instance, name)? {
            Extern::Table(t) => {
                let size = self.store.table_size(t);
                let null = (0..size)
                    .map(|i| matches!(self.store.table_get(t, i), Some(Value::FuncRef(None) | Value::ExternRef(None))))
                    .collect();
                Ok(TableState { element: self.store.table_type(t).element, null })
            }
            _ => Err(EngineError::usage(format!("export {name:?} is not a table"))),
        }
    }

    fn set_fuel(&mut self, fuel: Option<u64>) {
        if self.metering == Metering::Off {
            return;
        }
        self.store.set_fuel(fuel);
    }
}
