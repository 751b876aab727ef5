//! The wasmi adapter: an interpreter whose only bounds-check strategy is an explicit
//! comparison with the memory's current length (its memories are plain heap buffers, with no
//! reservation or guard pages, and it installs no signal handlers).
//!
//! One [`wasmi::Engine`] is shared by every adapter; each adapter owns one [`Store`]. Imports
//! resolve from `spectest` and registered instances through one `(module, name) -> Extern`
//! map, as in the other peers. Fuel is always on, with "no budget" as `u64::MAX`; traps are
//! mapped from wasmi's [`TrapCode`], never from messages.

use super::imports::{DUMMY_TRAP, DummyFuncs, DummyTrap, zero};
use super::{
    Engine, EngineError, Export, ExportKind, InstanceId, MemoryState, Metering, ModuleId, Provided, ProvidedItem,
    TableState, Val, spectest,
};
use redzone_engine::{TrapKind, ValType};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;
use wasmi::TrapCode;
use wasmi::errors::{ErrorKind, InstantiationError};
use wasmi::{
    Config, Extern, ExternRef, ExternType, Func, FuncType, Global, Instance, Memory, MemoryType, Module, Mutability,
    Nullable, Ref, RefType, Store, Table, TableType,
};

/// The exact wasmi release this adapter is built and tested against.
pub const VERSION: &str = "2.0.0";

/// The shared engine for `metering`, made on first use.
fn engine(metering: Metering) -> &'static wasmi::Engine {
    static ENGINES: [OnceLock<wasmi::Engine>; 2] = [OnceLock::new(), OnceLock::new()];
    ENGINES[metering as usize].get_or_init(|| {
        let mut config = Config::default();
        // The feature set redzone implements: WebAssembly 2.0 (fixed-width SIMD through
        // wasmi's `simd` cargo feature), plus tail calls, extended constants, memory64
        // (wasmi's `memory64` cargo feature), multi-memory and custom page sizes; everything
        // else refused, as redzone refuses it.
        config
            .wasm_simd(true)
            .wasm_relaxed_simd(false)
            .wasm_mutable_global(true)
            .wasm_sign_extension(true)
            .wasm_saturating_float_to_int(true)
            .wasm_multi_value(true)
            .wasm_bulk_memory(true)
            .wasm_reference_types(true)
            .wasm_tail_call(true)
            .wasm_extended_const(true)
            .wasm_memory64(true)
            .wasm_multi_memory(true)
            .wasm_custom_page_sizes(true)
            .wasm_wide_arithmetic(false)
            .consume_fuel(metering == Metering::On);
        wasmi::Engine::new(&config)
    })
}

/// An instance of the adapter: a module's (with its module's index), or the host instance of
/// dummy imports that [`Engine::provide`] made (its items by label, in import order).
enum Slot {
    Wasm(Instance, usize),
    Host(Vec<(String, Extern)>),
}

/// wasmi carries host errors as [`wasmi::errors::HostError`]s: the dummy trap is one, so the
/// adapter recognises it by type.
impl wasmi::errors::HostError for DummyTrap {}

/// wasmi, one store per adapter.
pub struct WasmiEngine {
    store: Store<()>,
    /// Each module with its export names in declaration order (wasmi lists them sorted).
    modules: Vec<(Module, Vec<String>)>,
    /// Each instance with the index of its module (for export types), or a host instance of
    /// dummy imports.
    instances: Vec<Slot>,
    names: HashMap<(String, String), Extern>,
    spectest_ready: bool,
    metering: Metering,
}

impl WasmiEngine {
    /// A fresh adapter (a new store).
    pub fn new(metering: Metering) -> Result<Self, EngineError> {
        let mut store = Store::new(engine(metering), ());
        if metering == Metering::On {
            store.set_fuel(u64::MAX).map_err(|e| EngineError::limit(format!("wasmi fuel: {e}")))?;
        }
        Ok(WasmiEngine {
            store,
            modules: Vec::new(),
            instances: Vec::new(),
            names: HashMap::new(),
            spectest_ready: false,
            metering,
        })
    }

    /// Where the memory exported as `name` lives and how many bytes are accessible, for tests
    /// that look at its mapping.
    pub fn memory_handle(&self, instance: InstanceId, name: &str) -> Result<(*mut u8, usize), EngineError> {
        let Extern::Memory(m) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a memory")));
        };
        Ok((m.data_ptr(&self.store), m.data_size(&self.store)))
    }

    fn define_spectest(&mut self) -> Result<(), EngineError> {
        let store = &mut self.store;
        let mut define = |name: &str, item: Extern| {
            self.names.insert(("spectest".to_string(), name.to_string()), item);
        };
        for (name, params) in spectest::PRINT_FUNCS {
            let ty = FuncType::new(params.iter().map(|t| to_wasmi_type(*t)), []);
            define(name, Func::new(&mut *store, ty, |_, _, _| Ok(())).into());
        }
        let globals = [
            ("global_i32", wasmi::Val::I32(spectest::GLOBAL_I32)),
            ("global_i64", wasmi::Val::I64(spectest::GLOBAL_I64)),
            ("global_f32", wasmi::Val::F32(spectest::GLOBAL_F32.into())),
            ("global_f64", wasmi::Val::F64(spectest::GLOBAL_F64.into())),
        ];
        for (name, value) in globals {
            define(name, Global::new(&mut *store, value, Mutability::Const).into());
        }
        let (min, max) = spectest::TABLE_LIMITS;
        let ty = TableType::new(RefType::Func, min as u32, Some(max as u32));
        let table = Table::new(&mut *store, ty, Ref::Func(Nullable::Null)).map_err(limit)?;
        define("table", table.into());
        let (min, max) = spectest::MEMORY_LIMITS;
        let memory = Memory::new(&mut *store, MemoryType::new(min as u32, Some(max as u32))).map_err(limit)?;
        define("memory", memory.into());
        self.spectest_ready = true;
        Ok(())
    }

    fn slot(&self, id: InstanceId) -> Result<&Slot, EngineError> {
        self.instances.get(id.0 as usize).ok_or_else(|| EngineError::usage(format!("no instance #{} in wasmi", id.0)))
    }

    fn export(&self, id: InstanceId, name: &str) -> Result<Extern, EngineError> {
        let found = match self.slot(id)? {
            Slot::Wasm(instance, _) => instance.get_export(&self.store, name),
            Slot::Host(items) => items.iter().find(|(n, _)| n == name).map(|(_, item)| *item),
        };
        found.ok_or_else(|| EngineError::usage(format!("instance #{} has no export named {name:?}", id.0)))
    }

    /// Every export of an instance or host instance, in order.
    fn all_exports(&self, id: InstanceId) -> Result<Vec<(String, Extern)>, EngineError> {
        Ok(match self.slot(id)? {
            Slot::Wasm(instance, _) => {
                instance.exports(&self.store).map(|e| (e.name().to_string(), e.into_extern())).collect()
            }
            Slot::Host(items) => items.clone(),
        })
    }

    /// One dummy extern in the store.
    fn make_dummy(&mut self, item: &ProvidedItem) -> Result<Extern, EngineError> {
        let store = &mut self.store;
        let u32_of = |n: u64| u32::try_from(n).map_err(|_| EngineError::limit(format!("{n} does not fit in 32 bits")));
        Ok(match item {
            ProvidedItem::Func { params, results, behaviour } => {
                let ty =
                    FuncType::new(params.iter().map(|t| to_wasmi_type(*t)), results.iter().map(|t| to_wasmi_type(*t)));
                let f = match behaviour {
                    DummyFuncs::Zeros => {
                        let results = results.clone();
                        Func::new(&mut *store, ty, move |_, _, out| {
                            for (slot, ty) in out.iter_mut().zip(&results) {
                                *slot = wasmi_zero(*ty);
                            }
                            Ok(())
                        })
                    }
                    DummyFuncs::Trap => Func::new(&mut *store, ty, |_, _, _| Err(wasmi::Error::host(DummyTrap))),
                };
                f.into()
            }
            ProvidedItem::Global { content, mutable } => {
                let mutability = if *mutable { Mutability::Var } else { Mutability::Const };
                Global::new(&mut *store, wasmi_zero(*content), mutability).into()
            }
            ProvidedItem::Table { element, minimum, maximum } => {
                let (element, init) = match element {
                    ValType::ExternRef => (RefType::Extern, Ref::Extern(Nullable::Null)),
                    _ => (RefType::Func, Ref::Func(Nullable::Null)),
                };
                let ty = TableType::new(element, u32_of(*minimum)?, maximum.map(u32_of).transpose()?);
                Table::new(&mut *store, ty, init).map_err(limit)?.into()
            }
            ProvidedItem::Memory { minimum, maximum } => {
                let ty = MemoryType::new(u32_of(*minimum)?, maximum.map(u32_of).transpose()?);
                Memory::new(&mut *store, ty).map_err(limit)?.into()
            }
        })
    }

    fn make_wasmi_value(&mut self, v: &Val) -> Result<wasmi::Val, EngineError> {
        Ok(match *v {
            Val::I32(x) => wasmi::Val::I32(x),
            Val::I64(x) => wasmi::Val::I64(x),
            Val::F32(x) => wasmi::Val::F32(wasmi::F32::from_bits(x)),
            Val::F64(x) => wasmi::Val::F64(wasmi::F64::from_bits(x)),
            Val::V128(x) => wasmi::Val::V128(wasmi::V128::from(x)),
            Val::FuncRef { null: true } => wasmi::Val::FuncRef(Nullable::Null),
            Val::FuncRef { null: false } => {
                return Err(EngineError::usage("a non-null funcref cannot be passed in from the harness"));
            }
            Val::ExternRef(None) => wasmi::Val::ExternRef(Nullable::Null),
            Val::ExternRef(Some(n)) => wasmi::Val::ExternRef(Nullable::Val(ExternRef::new(&mut self.store, n))),
        })
    }
}

/// The zero of a type as a wasmi value (nulls for references).
fn wasmi_zero(ty: ValType) -> wasmi::Val {
    match zero(ty) {
        Val::I32(x) => wasmi::Val::I32(x),
        Val::I64(x) => wasmi::Val::I64(x),
        Val::F32(x) => wasmi::Val::F32(wasmi::F32::from_bits(x)),
        Val::F64(x) => wasmi::Val::F64(wasmi::F64::from_bits(x)),
        Val::V128(x) => wasmi::Val::V128(wasmi::V128::from(x)),
        Val::FuncRef { .. } => wasmi::Val::FuncRef(Nullable::Null),
        Val::ExternRef(_) => wasmi::Val::ExternRef(Nullable::Null),
    }
}

fn limit(err: wasmi::Error) -> EngineError {
    EngineError::limit(format!("wasmi: {err}"))
}

fn to_wasmi_type(t: ValType) -> wasmi::ValType {
    match t {
        ValType::I32 => wasmi::ValType::I32,
        ValType::I64 => wasmi::ValType::I64,
        ValType::F32 => wasmi::ValType::F32,
        ValType::F64 => wasmi::ValType::F64,
        ValType::V128 => wasmi::ValType::V128,
        ValType::FuncRef => wasmi::ValType::FuncRef,
        ValType::ExternRef => wasmi::ValType::ExternRef,
    }
}

fn from_wasmi_type(t: &wasmi::ValType) -> Result<ValType, EngineError> {
    Ok(match t {
        wasmi::ValType::I32 => ValType::I32,
        wasmi::ValType::I64 => ValType::I64,
        wasmi::ValType::F32 => ValType::F32,
        wasmi::ValType::F64 => ValType::F64,
        wasmi::ValType::V128 => ValType::V128,
        wasmi::ValType::FuncRef => ValType::FuncRef,
        wasmi::ValType::ExternRef => ValType::ExternRef,
    })
}

fn from_wasmi_value(store: &Store<()>, v: &wasmi::Val) -> Result<Val, EngineError> {
    Ok(match v {
        wasmi::Val::I32(x) => Val::I32(*x),
        wasmi::Val::I64(x) => Val::I64(*x),
        wasmi::Val::F32(x) => Val::F32(x.to_bits()),
        wasmi::Val::F64(x) => Val::F64(x.to_bits()),
        wasmi::Val::V128(x) => Val::V128(x.as_u128()),
        wasmi::Val::FuncRef(f) => Val::FuncRef { null: f.is_null() },
        wasmi::Val::ExternRef(Nullable::Null) => Val::ExternRef(None),
        wasmi::Val::ExternRef(Nullable::Val(r)) => match r.data(store).downcast_ref::<u32>() {
            Some(n) => Val::ExternRef(Some(*n)),
            None => return Err(EngineError::usage("an externref that the harness did not make")),
        },
    })
}

/// wasmi's trap code in redzone's terms; `None` when the error is not a trap.
fn trap_kind(err: &wasmi::Error) -> Option<TrapKind> {
    if err.downcast_ref::<DummyTrap>().is_some() {
        return Some(TrapKind::Other(DUMMY_TRAP.into()));
    }
    let code = err.as_trap_code()?;
    Some(match code {
        TrapCode::UnreachableCodeReached => TrapKind::UnreachableCodeReached,
        TrapCode::MemoryOutOfBounds => TrapKind::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds => TrapKind::TableOutOfBounds,
        TrapCode::IndirectCallToNull => TrapKind::IndirectCallToNull,
        TrapCode::IntegerDivisionByZero => TrapKind::IntegerDivisionByZero,
        TrapCode::IntegerOverflow => TrapKind::IntegerOverflow,
        TrapCode::BadConversionToInteger => TrapKind::BadConversionToInteger,
        TrapCode::StackOverflow => TrapKind::StackOverflow,
        TrapCode::BadSignature => TrapKind::BadSignature,
        TrapCode::OutOfFuel => TrapKind::OutOfFuel,
        other => TrapKind::Other(other.to_string()),
    })
}

/// The export names of a module that wasmi has validated, in declaration order.
fn export_order(wasm: &[u8]) -> Result<Vec<String>, wasmparser::BinaryReaderError> {
    let mut names = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::ExportSection(reader) = payload? {
            for export in reader {
                names.push(export?.name.to_string());
            }
        }
    }
    Ok(names)
}

/// A failed instantiation: a trap (segments, start function), a resource limit, or a link
/// error (an import of the wrong kind or type).
fn instantiation_error(err: wasmi::Error) -> EngineError {
    if let Some(kind) = trap_kind(&err) {
        return EngineError::instantiation_trap(kind, "");
    }
    match err.kind() {
        // An active element segment past the table's end: the spec's trap, a typed error here.
        ErrorKind::Instantiation(InstantiationError::ElementSegmentDoesNotFit { .. }) => {
            EngineError::instantiation_trap(TrapKind::TableOutOfBounds, "")
        }
        ErrorKind::Memory(_) | ErrorKind::Table(_) | ErrorKind::UserLimits(_) | ErrorKind::ImplementationLimits(_) => {
            EngineError::limit(err.to_string())
        }
        _ => EngineError::link(err.to_string()),
    }
}

impl Engine for WasmiEngine {
    fn name(&self) -> &str {
        "wasmi"
    }

    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        let module = Module::new(engine(self.metering), wasm).map_err(|e| match e.kind() {
            ErrorKind::ImplementationLimits(_) | ErrorKind::UserLimits(_) => EngineError::limit(e.to_string()),
            _ => EngineError::compile(e.to_string()),
        })?;
        let order = export_order(wasm).map_err(|e| EngineError::compile(format!("reading exports: {e}")))?;
        self.modules.push((module, order));
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
        let index = module.0 as usize;
        let (module, _) =
            self.modules.get(index).ok_or_else(|| EngineError::usage(format!("no module #{} in wasmi", module.0)))?;
        // wasmi lists a module's imports grouped by kind (functions, tables, memories, globals),
        // each group in section order, while the dummies are in section order: the k-th import
        // of a kind takes the k-th dummy of that kind.
        let kind_of = |item: &Extern| match item {
            Extern::Func(_) => 0,
            Extern::Table(_) => 1,
            Extern::Memory(_) => 2,
            Extern::Global(_) => 3,
        };
        let mut by_kind: [std::collections::VecDeque<Extern>; 4] = Default::default();
        for (_, item) in host.iter().flatten() {
            by_kind[kind_of(item)].push_back(*item);
        }
        let mut imports = Vec::new();
        for import in module.imports() {
            let key = (import.module().to_string(), import.name().to_string());
            let kind = match import.ty() {
                ExternType::Func(_) => 0,
                ExternType::Table(_) => 1,
                ExternType::Memory(_) => 2,
                ExternType::Global(_) => 3,
            };
            let dummy = by_kind[kind].pop_front();
            // With dummies, registered names are real shared externs; `spectest` is left out.
            let real = self.names.get(&key).filter(|_| host.is_none() || key.0 != "spectest");
            match (real, dummy, &host) {
                (Some(item), _, _) => imports.push(*item),
                (None, Some(dummy), Some(_)) => imports.push(dummy),
                (None, None, Some(_)) => {
                    return Err(EngineError::usage(format!("no dummy for import {:?}.{:?}", key.0, key.1)));
                }
                (None, _, None) => {
                    return Err(EngineError::link(format!("unknown import {:?}.{:?}", key.0, key.1)));
                }
            }
        }
        let instance = Instance::new(&mut self.store, module, &imports).map_err(instantiation_error)?;
        self.instances.push(Slot::Wasm(instance, index));
        Ok(InstanceId(self.instances.len() as u32 - 1))
    }

    fn register(&mut self, instance: InstanceId, name: &str) -> Result<(), EngineError> {
        for (field, item) in self.all_exports(instance)? {
            self.names.insert((name.to_string(), field), item);
        }
        Ok(())
    }

    fn exports(&self, instance: InstanceId) -> Result<Vec<Export>, EngineError> {
        let module = match self.slot(instance)? {
            Slot::Wasm(_, module) => *module,
            Slot::Host(items) => {
                return items
                    .iter()
                    .map(|(name, item)| {
                        let kind = match item {
                            Extern::Func(f) => {
                                let ty = f.ty(&self.store);
                                ExportKind::Func {
                                    params: ty.params().iter().map(from_wasmi_type).collect::<Result<_, _>>()?,
                                    results: ty.results().iter().map(from_wasmi_type).collect::<Result<_, _>>()?,
                                }
                            }
                            Extern::Global(g) => ExportKind::Global(from_wasmi_type(&g.ty(&self.store).content())?),
                            Extern::Memory(_) => ExportKind::Memory,
                            Extern::Table(_) => ExportKind::Table,
                        };
                        Ok(Export { name: name.clone(), kind })
                    })
                    .collect();
            }
        };
        let (module, order) = &self.modules[module];
        order
            .iter()
            .map(|name| {
                let ty = module.get_export(name).ok_or_else(|| EngineError::usage(format!("no export {name:?}")))?;
                let kind = match ty {
                    ExternType::Func(f) => ExportKind::Func {
                        params: f.params().iter().map(from_wasmi_type).collect::<Result<_, _>>()?,
                        results: f.results().iter().map(from_wasmi_type).collect::<Result<_, _>>()?,
                    },
                    ExternType::Global(g) => ExportKind::Global(from_wasmi_type(&g.content())?),
                    ExternType::Memory(_) => ExportKind::Memory,
                    ExternType::Table(_) => ExportKind::Table,
                };
                Ok(Export { name: name.clone(), kind })
            })
            .collect()
    }

    fn call(&mut self, instance: InstanceId, name: &str, args: &[Val]) -> Result<Vec<Val>, EngineError> {
        let Extern::Func(func) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a function")));
        };
        let ty = func.ty(&self.store);
        let params: Vec<ValType> = ty.params().iter().map(from_wasmi_type).collect::<Result<_, _>>()?;
        let given: Vec<ValType> = args.iter().map(Val::ty).collect();
        if params != given {
            return Err(EngineError::usage(format!("{name:?} takes {params:?}, was given {given:?}")));
        }
        let args = args.iter().map(|a| self.make_wasmi_value(a)).collect::<Result<Vec<_>, _>>()?;
        let mut results = vec![wasmi::Val::I32(0); ty.results().len()];
        func.call(&mut self.store, &args, &mut results).map_err(|e| match trap_kind(&e) {
            Some(kind) => EngineError::trap(kind, ""),
            None => EngineError::trap(TrapKind::Other(e.to_string()), ""),
        })?;
        results.iter().map(|v| from_wasmi_value(&self.store, v)).collect()
    }

    fn global(&self, instance: InstanceId, name: &str) -> Result<Val, EngineError> {
        let Extern::Global(g) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a global")));
        };
        from_wasmi_value(&self.store, &g.get(&self.store))
    }

    fn memory(&self, instance: InstanceId, name: &str) -> Result<MemoryState<'_>, EngineError> {
        let Extern::Memory(m) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a memory")));
        };
        Ok(MemoryState { pages: m.size(&self.store), bytes: Cow::Borrowed(m.data(&self.store)) })
    }

    fn write_memory(&mut self, instance: InstanceId, name: &str, offset: u64, bytes: &[u8]) -> Result<(), EngineError> {
        let Extern::Memory(m) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a memory")));
        };
        let size = m.data_size(&self.store) as u64;
        let end = offset.checked_add(bytes.len() as u64);
        if end.is_none_or(|end| end > size) {
            return Err(EngineError::usage(format!(
                "write of {} bytes at {offset:#x} is outside memory {name:?} of {size} bytes",
                bytes.len()
            )));
        }
        m.write(&mut self.store, offset as usize, bytes).map_err(|e| EngineError::usage(e.to_string()))
    }

    fn table(&self, instance: InstanceId, name: &str) -> Result<TableState, EngineError> {
        let Extern::Table(t) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a table")));
        };
        let element = match t.ty(&self.store).element() {
            RefType::Func => ValType::FuncRef,
            RefType::Extern => ValType::ExternRef,
        };
        let size = t.size(&self.store);
        let null = (0..size).map(|i| t.get(&self.store, i).is_none_or(|r| r.is_null())).collect();
        Ok(TableState { element, null })
    }

    fn set_fuel(&mut self, fuel: Option<u64>) {
        if self.metering == Metering::Off {
            return;
        }
        // A metered engine always counts; "unlimited" is a budget nothing can spend.
        self.store.set_fuel(fuel.unwrap_or(u64::MAX)).expect("fuel is enabled in the wasmi config");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_access_is_checked_against_the_current_length() {
        // wasmi has no guard mode: an access one byte past the end traps before and after
        // growth, at exactly the length, with no reservation involved.
        let mut engine = WasmiEngine::new(Metering::On).unwrap();
        let i = engine
            .load(
                &wat::parse_str(
                    r#"(module (memory (export "mem") 1)
                      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
                      (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
                )
                .unwrap(),
            )
            .unwrap();
        for pages in [1, 3] {
            let end = pages << 16;
            assert_eq!(engine.memory_handle(i, "mem").unwrap().1, end as usize);
            assert_eq!(engine.call(i, "peek", &[Val::I32(end - 1)]).unwrap(), vec![Val::I32(0)]);
            let err = engine.call(i, "peek", &[Val::I32(end)]).unwrap_err();
            assert_eq!(err.trap_kind(), Some(&TrapKind::MemoryOutOfBounds));
            engine.call(i, "grow", &[Val::I32(2)]).unwrap();
        }
    }
}
