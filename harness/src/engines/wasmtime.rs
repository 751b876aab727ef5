//! The wasmtime adapter (Cranelift), in its two bounds-check strategies:
//!
//! - `wasmtime:guard`: signals-based traps on, a 4 GiB reservation and a 4 GiB guard per
//!   memory, so Cranelift elides bounds checks and an out-of-bounds access faults on a
//!   PROT_NONE page that wasmtime's signal handler turns into a trap;
//! - `wasmtime:checked`: signals-based traps off, reservation 0 and guard 0, so every access
//!   is compared with the memory's current length in generated code, and a memory that grows
//!   past its small growth reservation moves.
//!
//! One [`wasmtime::Engine`] per strategy is shared by every adapter (it holds no per-test
//! state); each adapter owns one [`Store`]. Imports resolve from the `spectest` module and
//! registered instances through one `(module, name) -> Extern` map, exactly as the other
//! peers do. Fuel is always on (`consume_fuel`), with "no budget" as `u64::MAX`; traps are
//! mapped from [`Trap`] codes, never from messages.

use super::imports::{DUMMY_TRAP, DummyFuncs, DummyTrap, zero};
use super::{
    Engine, EngineError, Export, ExportKind, InstanceId, MemoryState, Metering, ModuleId, Provided, ProvidedItem,
    TableState, Val, spectest,
};
use redzone_engine::{TrapKind, ValType};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;
use wasmtime::{
    Config, Extern, ExternRef, ExternType, Func, FuncType, Global, GlobalType, Instance, Memory, MemoryType, Module,
    Mutability, Ref, RefType, Store, Table, TableType, Trap,
};

/// The exact wasmtime release this adapter is built and tested against.
pub const VERSION: &str = "48.0.0";

/// Bytes of address space a `wasmtime:guard` memory reserves, and the guard after it.
pub const GUARD_RESERVATION: u64 = 4 << 30;

/// Extra bytes a `wasmtime:checked` memory reserves for growing in place before it moves.
/// Small on purpose: growth beyond it reallocates, which is what proves the memory dynamic.
pub const CHECKED_GROWTH_RESERVATION: u64 = 1 << 20;

/// The bounds-check strategy of a wasmtime configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Virtual-memory guard: no explicit checks, faults become traps.
    Guard,
    /// Explicit checks in generated code, no signal handlers.
    Checked,
}

impl Strategy {
    fn config(self, metering: Metering) -> Config {
        let mut config = Config::new();
        // The feature set redzone implements: WebAssembly 2.0 (with fixed-width SIMD), plus
        // tail calls, extended constants, memory64, multi-memory and custom page sizes (wasmtime
        // gives a 1-byte-page memory explicit checks itself). Everything else is refused,
        // as redzone refuses it, so a module one engine rejects and another runs is a real
        // divergence.
        config
            .wasm_simd(true)
            .wasm_relaxed_simd(false)
            .wasm_multi_memory(true)
            .wasm_memory64(true)
            .wasm_custom_page_sizes(true)
            .wasm_wide_arithmetic(false)
            .wasm_gc(false)
            .wasm_function_references(false)
            .wasm_exceptions(false)
            .wasm_reference_types(true)
            .wasm_bulk_memory(true)
            .wasm_multi_value(true)
            .wasm_tail_call(true)
            .wasm_extended_const(true)
            .consume_fuel(metering == Metering::On);
        match self {
            Strategy::Guard => {
                config
                    .signals_based_traps(true)
                    .memory_reservation(GUARD_RESERVATION)
                    .memory_guard_size(GUARD_RESERVATION)
                    .memory_may_move(false);
            }
            Strategy::Checked => {
                config
                    .signals_based_traps(false)
                    .memory_reservation(0)
                    .memory_guard_size(0)
                    .memory_reservation_for_growth(CHECKED_GROWTH_RESERVATION)
                    .memory_may_move(true);
            }
        }
        config
    }

    /// The shared engine for this strategy, made on first use.
    fn engine(self, metering: Metering) -> Result<&'static wasmtime::Engine, EngineError> {
        type Cell = OnceLock<Result<wasmtime::Engine, String>>;
        static ENGINES: [Cell; 4] = [Cell::new(), Cell::new(), Cell::new(), Cell::new()];
        let cell = &ENGINES[(self as usize) * 2 + (metering as usize)];
        cell.get_or_init(|| wasmtime::Engine::new(&self.config(metering)).map_err(|e| format!("{e:#}")))
            .as_ref()
            .map_err(|e| EngineError::limit(format!("wasmtime engine: {e}")))
    }
}

/// An instance of the adapter: a module's (with its module's index), or the host instance of
/// dummy imports that [`Engine::provide`] made (its items by label, in import order).
enum Slot {
    Wasm(Instance, usize),
    Host(Vec<(String, Extern)>),
}

/// wasmtime with one bounds-check strategy, one store per adapter.
pub struct WasmtimeEngine {
    name: &'static str,
    engine: &'static wasmtime::Engine,
    /// Reading a global or a table needs `&mut Store` in wasmtime (GC roots); the adapter
    /// trait reads state through `&self`, hence the cell. Never borrowed across a call.
    store: RefCell<Store<()>>,
    modules: Vec<Module>,
    /// Each instance with the index of its module (for export types), or a host instance of
    /// dummy imports.
    instances: Vec<Slot>,
    /// What imports resolve to: `spectest` and every registered instance's exports.
    names: HashMap<(String, String), Extern>,
    spectest_ready: bool,
    metering: Metering,
}

impl WasmtimeEngine {
    /// A fresh adapter (a new store) for `strategy`, named `name`.
    pub fn new(name: &'static str, strategy: Strategy, metering: Metering) -> Result<Self, EngineError> {
        let engine = strategy.engine(metering)?;
        let mut store = Store::new(engine, ());
        if metering == Metering::On {
            store.set_fuel(u64::MAX).map_err(|e| EngineError::limit(format!("wasmtime fuel: {e}")))?;
        }
        Ok(WasmtimeEngine {
            name,
            engine,
            store: RefCell::new(store),
            modules: Vec::new(),
            instances: Vec::new(),
            names: HashMap::new(),
            spectest_ready: false,
            metering,
        })
    }

    /// The memory exported as `name`, for tests that look at where it lives.
    pub fn memory_handle(&self, instance: InstanceId, name: &str) -> Result<(*mut u8, usize), EngineError> {
        let Extern::Memory(m) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a memory")));
        };
        let store = self.store.borrow();
        Ok((m.data_ptr(&*store), m.data_size(&*store)))
    }

    fn define_spectest(&mut self) -> Result<(), EngineError> {
        let store = self.store.get_mut();
        let mut define = |name: &str, item: Extern| {
            self.names.insert(("spectest".to_string(), name.to_string()), item);
        };
        for (name, params) in spectest::PRINT_FUNCS {
            let ty = FuncType::new(self.engine, params.iter().map(|t| to_wasmtime_type(*t)), []);
            define(name, Func::new(&mut *store, ty, |_, _, _| Ok(())).into());
        }
        let globals = [
            ("global_i32", wasmtime::ValType::I32, wasmtime::Val::I32(spectest::GLOBAL_I32)),
            ("global_i64", wasmtime::ValType::I64, wasmtime::Val::I64(spectest::GLOBAL_I64)),
            ("global_f32", wasmtime::ValType::F32, wasmtime::Val::F32(spectest::GLOBAL_F32.to_bits())),
            ("global_f64", wasmtime::ValType::F64, wasmtime::Val::F64(spectest::GLOBAL_F64.to_bits())),
        ];
        for (name, ty, value) in globals {
            let ty = GlobalType::new(ty, Mutability::Const);
            define(name, Global::new(&mut *store, ty, value).map_err(limit)?.into());
        }
        let (min, max) = spectest::TABLE_LIMITS;
        let ty = TableType::new(RefType::FUNCREF, min as u32, Some(max as u32));
        define("table", Table::new(&mut *store, ty, Ref::Func(None)).map_err(limit)?.into());
        let (min, max) = spectest::MEMORY_LIMITS;
        let ty = MemoryType::new(min as u32, Some(max as u32));
        define("memory", Memory::new(&mut *store, ty).map_err(limit)?.into());
        self.spectest_ready = true;
        Ok(())
    }

    fn slot(&self, id: InstanceId) -> Result<&Slot, EngineError> {
        self.instances
            .get(id.0 as usize)
            .ok_or_else(|| EngineError::usage(format!("no instance #{} in {}", id.0, self.name)))
    }

    fn export(&self, id: InstanceId, name: &str) -> Result<Extern, EngineError> {
        let found = match self.slot(id)? {
            Slot::Wasm(instance, _) => instance.get_export(&mut *self.store.borrow_mut(), name),
            Slot::Host(items) => items.iter().find(|(n, _)| n == name).map(|(_, item)| item.clone()),
        };
        found.ok_or_else(|| EngineError::usage(format!("instance #{} has no export named {name:?}", id.0)))
    }

    /// Every export of an instance or host instance, in order.
    fn all_exports(&mut self, id: InstanceId) -> Result<Vec<(String, Extern)>, EngineError> {
        let store = self.store.get_mut();
        Ok(match self.instances.get(id.0 as usize) {
            Some(Slot::Wasm(instance, _)) => {
                instance.exports(&mut *store).map(|e| (e.name().to_string(), e.into_extern())).collect()
            }
            Some(Slot::Host(items)) => items.clone(),
            None => return Err(EngineError::usage(format!("no instance #{} in {}", id.0, self.name))),
        })
    }

    /// One dummy extern in the store.
    fn make_dummy(&mut self, item: &ProvidedItem) -> Result<Extern, EngineError> {
        let engine = self.engine;
        let store = self.store.get_mut();
        let u32_of = |n: u64| u32::try_from(n).map_err(|_| EngineError::limit(format!("{n} does not fit in 32 bits")));
        Ok(match item {
            ProvidedItem::Func { params, results, behaviour } => {
                let ty = FuncType::new(
                    engine,
                    params.iter().map(|t| to_wasmtime_type(*t)),
                    results.iter().map(|t| to_wasmtime_type(*t)),
                );
                let f = match behaviour {
                    DummyFuncs::Zeros => {
                        let results = results.clone();
                        Func::new(&mut *store, ty, move |_, _, out| {
                            for (slot, ty) in out.iter_mut().zip(&results) {
                                *slot = wasmtime_zero(*ty);
                            }
                            Ok(())
                        })
                    }
                    DummyFuncs::Trap => Func::new(&mut *store, ty, |_, _, _| Err(wasmtime::Error::new(DummyTrap))),
                };
                f.into()
            }
            ProvidedItem::Global { content, mutable } => {
                let mutability = if *mutable { Mutability::Var } else { Mutability::Const };
                let ty = GlobalType::new(to_wasmtime_type(*content), mutability);
                Global::new(&mut *store, ty, wasmtime_zero(*content)).map_err(limit)?.into()
            }
            ProvidedItem::Table { element, minimum, maximum } => {
                let (element, init) = match element {
                    ValType::ExternRef => (RefType::EXTERNREF, Ref::Extern(None)),
                    _ => (RefType::FUNCREF, Ref::Func(None)),
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

    fn make_wasmtime_value(&mut self, v: &Val) -> Result<wasmtime::Val, EngineError> {
        Ok(match *v {
            Val::I32(x) => wasmtime::Val::I32(x),
            Val::I64(x) => wasmtime::Val::I64(x),
            Val::F32(x) => wasmtime::Val::F32(x),
            Val::F64(x) => wasmtime::Val::F64(x),
            Val::V128(x) => wasmtime::Val::V128(wasmtime::V128::from(x)),
            Val::FuncRef { null: true } => wasmtime::Val::FuncRef(None),
            Val::FuncRef { null: false } => {
                return Err(EngineError::usage("a non-null funcref cannot be passed in from the harness"));
            }
            Val::ExternRef(None) => wasmtime::Val::ExternRef(None),
            Val::ExternRef(Some(n)) => {
                wasmtime::Val::ExternRef(Some(ExternRef::new(self.store.get_mut(), n).map_err(limit)?))
            }
        })
    }
}

/// The zero of a type as a wasmtime value (no reference to root: nulls only).
fn wasmtime_zero(ty: ValType) -> wasmtime::Val {
    match zero(ty) {
        Val::I32(x) => wasmtime::Val::I32(x),
        Val::I64(x) => wasmtime::Val::I64(x),
        Val::F32(x) => wasmtime::Val::F32(x),
        Val::F64(x) => wasmtime::Val::F64(x),
        Val::V128(x) => wasmtime::Val::V128(wasmtime::V128::from(x)),
        Val::FuncRef { .. } => wasmtime::Val::FuncRef(None),
        Val::ExternRef(_) => wasmtime::Val::ExternRef(None),
    }
}

fn limit(err: wasmtime::Error) -> EngineError {
    EngineError::limit(format!("wasmtime: {err:#}"))
}

fn to_wasmtime_type(t: ValType) -> wasmtime::ValType {
    match t {
        ValType::I32 => wasmtime::ValType::I32,
        ValType::I64 => wasmtime::ValType::I64,
        ValType::F32 => wasmtime::ValType::F32,
        ValType::F64 => wasmtime::ValType::F64,
        ValType::V128 => wasmtime::ValType::V128,
        ValType::FuncRef => wasmtime::ValType::FUNCREF,
        ValType::ExternRef => wasmtime::ValType::EXTERNREF,
    }
}

fn from_wasmtime_type(t: &wasmtime::ValType) -> Result<ValType, EngineError> {
    Ok(match t {
        wasmtime::ValType::I32 => ValType::I32,
        wasmtime::ValType::I64 => ValType::I64,
        wasmtime::ValType::F32 => ValType::F32,
        wasmtime::ValType::F64 => ValType::F64,
        wasmtime::ValType::V128 => ValType::V128,
        t if t.is_funcref() => ValType::FuncRef,
        t if t.is_externref() => ValType::ExternRef,
        other => {
            return Err(EngineError::unsupported(format!("wasmtime value type {other} has no redzone equivalent")));
        }
    })
}

fn from_ref_type(t: &RefType) -> Result<ValType, EngineError> {
    from_wasmtime_type(&wasmtime::ValType::Ref(t.clone()))
}

fn from_wasmtime_value(store: &Store<()>, v: &wasmtime::Val) -> Result<Val, EngineError> {
    Ok(match v {
        wasmtime::Val::I32(x) => Val::I32(*x),
        wasmtime::Val::I64(x) => Val::I64(*x),
        wasmtime::Val::F32(x) => Val::F32(*x),
        wasmtime::Val::F64(x) => Val::F64(*x),
        wasmtime::Val::V128(x) => Val::V128(x.as_u128()),
        wasmtime::Val::FuncRef(f) => Val::FuncRef { null: f.is_none() },
        wasmtime::Val::ExternRef(None) => Val::ExternRef(None),
        wasmtime::Val::ExternRef(Some(r)) => {
            let data = r.data(store).map_err(limit)?;
            match data.and_then(|d| d.downcast_ref::<u32>()) {
                Some(n) => Val::ExternRef(Some(*n)),
                None => return Err(EngineError::usage("an externref that the harness did not make")),
            }
        }
        other => return Err(EngineError::unsupported(format!("wasmtime value {other:?} has no redzone equivalent"))),
    })
}

fn ref_is_null(r: &Ref) -> bool {
    r.is_null()
}

/// wasmtime's trap code in redzone's terms; `None` when the error is not a trap.
fn trap_kind(err: &wasmtime::Error) -> Option<TrapKind> {
    if err.downcast_ref::<DummyTrap>().is_some() {
        return Some(TrapKind::Other(DUMMY_TRAP.into()));
    }
    let trap = err.downcast_ref::<Trap>()?;
    Some(match trap {
        Trap::StackOverflow => TrapKind::StackOverflow,
        Trap::MemoryOutOfBounds => TrapKind::MemoryOutOfBounds,
        Trap::TableOutOfBounds => TrapKind::TableOutOfBounds,
        Trap::IndirectCallToNull => TrapKind::IndirectCallToNull,
        Trap::BadSignature => TrapKind::BadSignature,
        Trap::IntegerOverflow => TrapKind::IntegerOverflow,
        Trap::IntegerDivisionByZero => TrapKind::IntegerDivisionByZero,
        Trap::BadConversionToInteger => TrapKind::BadConversionToInteger,
        Trap::UnreachableCodeReached => TrapKind::UnreachableCodeReached,
        Trap::OutOfFuel => TrapKind::OutOfFuel,
        Trap::NullReference => TrapKind::NullReference,
        other => TrapKind::Other(other.to_string()),
    })
}

/// The module offset of the instruction that trapped: the innermost frame of the trap's
/// wasm backtrace (wasmtime attaches one unless backtraces are turned off).
fn trap_site(err: &wasmtime::Error) -> Option<u32> {
    let frame = err.downcast_ref::<wasmtime::WasmBacktrace>()?.frames().first()?;
    u32::try_from(frame.module_offset()?).ok()
}

impl Engine for WasmtimeEngine {
    fn name(&self) -> &str {
        self.name
    }

    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        let module = Module::new(self.engine, wasm).map_err(|e| EngineError::compile(format!("{e:#}")))?;
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
        let index = module.0 as usize;
        let module = self
            .modules
            .get(index)
            .ok_or_else(|| EngineError::usage(format!("no module #{} in {}", module.0, self.name)))?;
        let mut imports = Vec::new();
        for (i, import) in module.imports().enumerate() {
            let key = (import.module().to_string(), import.name().to_string());
            // With dummies, registered names are real shared externs; `spectest` is left out.
            let real = self.names.get(&key).filter(|_| host.is_none() || key.0 != "spectest");
            match (real, &host) {
                (Some(item), _) => imports.push(item.clone()),
                (None, Some(host)) => match host.get(i) {
                    Some((_, dummy)) => imports.push(dummy.clone()),
                    None => return Err(EngineError::usage(format!("no dummy for import {i} of the module"))),
                },
                (None, None) => return Err(EngineError::link(format!("unknown import {:?}.{:?}", key.0, key.1))),
            }
        }
        let store = self.store.get_mut();
        let instance = Instance::new(&mut *store, module, &imports).map_err(|e| match trap_kind(&e) {
            Some(kind) => EngineError::instantiation_trap(kind, "").at_offset(trap_site(&e)),
            // Instance::new fails without a trap only when an import does not match.
            None => EngineError::link(format!("{e:#}")),
        })?;
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
                let mut store = self.store.borrow_mut();
                return items
                    .iter()
                    .map(|(name, item)| {
                        let kind = match item {
                            Extern::Func(f) => {
                                let ty = f.ty(&*store);
                                ExportKind::Func {
                                    params: ty.params().map(|t| from_wasmtime_type(&t)).collect::<Result<_, _>>()?,
                                    results: ty.results().map(|t| from_wasmtime_type(&t)).collect::<Result<_, _>>()?,
                                }
                            }
                            Extern::Global(g) => ExportKind::Global(from_wasmtime_type(g.ty(&mut *store).content())?),
                            Extern::Memory(_) => ExportKind::Memory,
                            Extern::Table(_) => ExportKind::Table,
                            _ => return Err(EngineError::unsupported("a host item redzone does not make")),
                        };
                        Ok(Export { name: name.clone(), kind })
                    })
                    .collect();
            }
        };
        self.modules[module]
            .exports()
            .map(|export| {
                let kind = match export.ty() {
                    ExternType::Func(f) => ExportKind::Func {
                        params: f.params().map(|t| from_wasmtime_type(&t)).collect::<Result<_, _>>()?,
                        results: f.results().map(|t| from_wasmtime_type(&t)).collect::<Result<_, _>>()?,
                    },
                    ExternType::Global(g) => ExportKind::Global(from_wasmtime_type(g.content())?),
                    ExternType::Memory(_) => ExportKind::Memory,
                    ExternType::Table(_) => ExportKind::Table,
                    ExternType::Tag(_) => {
                        return Err(EngineError::unsupported("exception tags are not part of redzone's feature set"));
                    }
                };
                Ok(Export { name: export.name().to_string(), kind })
            })
            .collect()
    }

    fn call(&mut self, instance: InstanceId, name: &str, args: &[Val]) -> Result<Vec<Val>, EngineError> {
        let Extern::Func(func) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a function")));
        };
        let ty = func.ty(&*self.store.borrow());
        let params: Vec<ValType> = ty.params().map(|t| from_wasmtime_type(&t)).collect::<Result<_, _>>()?;
        let given: Vec<ValType> = args.iter().map(Val::ty).collect();
        if params != given {
            return Err(EngineError::usage(format!("{name:?} takes {params:?}, was given {given:?}")));
        }
        let args = args.iter().map(|a| self.make_wasmtime_value(a)).collect::<Result<Vec<_>, _>>()?;
        let mut results = vec![wasmtime::Val::I32(0); ty.results().len()];
        let store = self.store.get_mut();
        func.call(&mut *store, &args, &mut results).map_err(|e| {
            let err = match trap_kind(&e) {
                Some(kind) => EngineError::trap(kind, ""),
                None => EngineError::trap(TrapKind::Other(format!("{e:#}")), ""),
            };
            err.at_offset(trap_site(&e))
        })?;
        results.iter().map(|v| from_wasmtime_value(store, v)).collect()
    }

    fn global(&self, instance: InstanceId, name: &str) -> Result<Val, EngineError> {
        let Extern::Global(g) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a global")));
        };
        let mut store = self.store.borrow_mut();
        let value = g.get(&mut *store);
        from_wasmtime_value(&store, &value)
    }

    fn memory(&self, instance: InstanceId, name: &str) -> Result<MemoryState<'_>, EngineError> {
        let Extern::Memory(m) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a memory")));
        };
        let store = self.store.borrow();
        // The bytes live behind the store's cell, so they are copied out.
        Ok(MemoryState { pages: m.size(&*store), bytes: Cow::Owned(m.data(&*store).to_vec()) })
    }

    fn write_memory(&mut self, instance: InstanceId, name: &str, offset: u64, bytes: &[u8]) -> Result<(), EngineError> {
        let Extern::Memory(m) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a memory")));
        };
        let store = self.store.get_mut();
        let size = m.data_size(&*store) as u64;
        let end = offset.checked_add(bytes.len() as u64);
        if end.is_none_or(|end| end > size) {
            return Err(EngineError::usage(format!(
                "write of {} bytes at {offset:#x} is outside memory {name:?} of {size} bytes",
                bytes.len()
            )));
        }
        m.write(&mut *store, offset as usize, bytes).map_err(|e| EngineError::usage(format!("{e:#}")))
    }

    fn table(&self, instance: InstanceId, name: &str) -> Result<TableState, EngineError> {
        let Extern::Table(t) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a table")));
        };
        let mut store = self.store.borrow_mut();
        let element = from_ref_type(t.ty(&*store).element())?;
        let size = t.size(&*store);
        let null = (0..size).map(|i| t.get(&mut *store, i).is_none_or(|r| ref_is_null(&r))).collect();
        Ok(TableState { element, null })
    }

    fn set_fuel(&mut self, fuel: Option<u64>) {
        if self.metering == Metering::Off {
            return;
        }
        // A metered engine always counts; "unlimited" is a budget nothing can spend.
        self.store.get_mut().set_fuel(fuel.unwrap_or(u64::MAX)).expect("fuel is enabled in every wasmtime config");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::reservation::{self, GROWER};

    fn grower(strategy: Strategy) -> (WasmtimeEngine, InstanceId) {
        let mut engine = WasmtimeEngine::new("test", strategy, Metering::On).unwrap();
        let instance = engine.load(&wat::parse_str(GROWER).unwrap()).unwrap();
        (engine, instance)
    }

    #[test]
    fn guard_memories_sit_at_the_start_of_an_8_gib_reservation_and_never_move() {
        let (mut engine, i) = grower(Strategy::Guard);
        let (base, len) = engine.memory_handle(i, "mem").unwrap();
        let found = reservation::at(base as usize).expect("the memory is mapped");
        assert_eq!(found.accessible, len as u64, "only the memory's pages are accessible: {found:?}");
        assert!(found.accessible + found.guard >= 2 * GUARD_RESERVATION, "4 GiB reserved + 4 GiB guard: {found:?}");
        engine.call(i, "grow", &[Val::I32(40)]).unwrap();
        let (after, len) = engine.memory_handle(i, "mem").unwrap();
        assert_eq!((after, len), (base, 41 << 16), "growth commits pages in place");
        assert_eq!(reservation::at(base as usize).unwrap().accessible, 41 << 16);
    }

    #[test]
    fn checked_memories_are_dynamic_they_move_when_they_outgrow_their_mapping() {
        let (mut engine, i) = grower(Strategy::Checked);
        engine.call(i, "poke", &[Val::I32(100)]).unwrap();
        let (base, _) = engine.memory_handle(i, "mem").unwrap();
        // 41 pages do not fit in 1 page + the 1 MiB growth reservation: wasmtime must move the
        // memory, which it never does for a memory inside a static 4 GiB reservation. Code for
        // a memory that can move loads its base and length on use and checks every access.
        let pages = (CHECKED_GROWTH_RESERVATION >> 16) as i32 + 24;
        assert_eq!(engine.call(i, "grow", &[Val::I32(pages)]).unwrap(), vec![Val::I32(1)]);
        let (after, len) = engine.memory_handle(i, "mem").unwrap();
        assert_ne!(after, base, "a checked memory moves when it outgrows its reservation");
        assert_eq!(len, (pages as usize + 1) << 16);
        assert_eq!(engine.call(i, "peek", &[Val::I32(100)]).unwrap(), vec![Val::I32(0x5a)], "contents moved along");
        let end = len as i32;
        assert_eq!(engine.call(i, "peek", &[Val::I32(end - 1)]).unwrap(), vec![Val::I32(0)]);
        let err = engine.call(i, "peek", &[Val::I32(end)]).unwrap_err();
        assert_eq!(err.trap_kind(), Some(&TrapKind::MemoryOutOfBounds), "the check follows the new length");
    }
}
