//! The wasmer adapter (Cranelift only: singlepass and LLVM are BUSL-1.1 licensed and never
//! enabled), in its two bounds-check strategies, chosen by the engine's [`Tunables`]:
//!
//! - `wasmer:guard`: [`MemoryStyle::Static`], which in wasmer 7.4 always means a 4 GiB bound
//!   plus a 4 GiB (and one page) offset guard; Cranelift elides bounds checks and faults on
//!   the PROT_NONE guard become traps;
//! - `wasmer:checked`: [`MemoryStyle::Dynamic`] with `offset_guard_size: 0`, so generated code
//!   compares every access with the current length, and the memory is mapped at exactly its
//!   size and moves when it grows.
//!
//! Fuel is wasmer-middlewares' [`MeteringMiddleware`]. One `Metering` can serve one module only (it
//! panics on the second), so the adapter's engine carries [`MeteringPerModule`], which makes
//! a fresh `Metering` for each module it compiles; every module is then compiled by the one
//! engine the store runs on. Each instance meters itself; the adapter keeps one store-wide
//! budget by giving every instance the remaining budget before a call and subtracting what
//! they all spent after it. Metering exhaustion surfaces as an `unreachable` trap;
//! [`get_remaining_points`] tells the two apart, so it maps to `OutOfFuel`. Known limit: a
//! start function that runs out of fuel is reported as `unreachable`, because a failed
//! instantiation leaves no instance to ask.

use super::imports::{DUMMY_TRAP, DummyFuncs, DummyTrap, zero};
use super::{
    Engine, EngineError, Export, ExportKind, InstanceId, MemoryState, Metering, ModuleId, Provided, ProvidedItem,
    TableState, Val, spectest,
};
use redzone_engine::{TrapKind, ValType};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use wasmer::sys::vm::{VMMemory, VMMemoryDefinition, VMTable, VMTableDefinition};
use wasmer::sys::{
    BaseTunables, CompilerConfig, Cranelift, EngineBuilder, Features, FunctionMiddleware, MiddlewareError,
    ModuleMiddleware, NativeEngineExt, Tunables,
};
use wasmer::wasmparser::Operator;
use wasmer::{
    CompileError, Extern, ExternRef, ExternType, Function, FunctionType, Global, Instance, InstantiationError,
    LinkError, LocalFunctionIndex, Memory, MemoryError, MemoryStyle, MemoryType, Module, ModuleInfo, RuntimeError,
    Store, Table, TableStyle, TableType, Type, Value, WasmError,
};
use wasmer_middlewares::Metering as MeteringMiddleware;
use wasmer_middlewares::metering::{MeteringPoints, get_remaining_points, set_remaining_points};

/// The exact wasmer release this adapter is built and tested against.
pub const VERSION: &str = "7.4.2";

/// Exports the metering middleware adds to every module; hidden from the harness.
const METERING_EXPORT_PREFIX: &str = "wasmer_metering_";

/// The bounds-check strategy of a wasmer configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// `MemoryStyle::Static`: 4 GiB bound + 4 GiB guard, no explicit checks.
    Guard,
    /// `MemoryStyle::Dynamic { offset_guard_size: 0 }`: explicit checks.
    Checked,
}

/// Tunables that give every memory one style and leave everything else to wasmer's
/// [`BaseTunables`] (which would pick `Static` for every 32-bit memory).
#[derive(Clone)]
struct StrategyTunables {
    style: MemoryStyle,
    base: BaseTunables,
}

impl StrategyTunables {
    fn new(strategy: Strategy) -> Self {
        let style = match strategy {
            Strategy::Guard => MemoryStyle::Static,
            Strategy::Checked => MemoryStyle::Dynamic { offset_guard_size: 0 },
        };
        StrategyTunables { style, base: BaseTunables::new() }
    }
}

impl Tunables for StrategyTunables {
    fn memory_style(&self, _memory: &MemoryType) -> MemoryStyle {
        self.style
    }

    fn table_style(&self, table: &TableType) -> TableStyle {
        self.base.table_style(table)
    }

    fn create_host_memory(&self, ty: &MemoryType, style: &MemoryStyle) -> Result<VMMemory, MemoryError> {
        self.base.create_host_memory(ty, style)
    }

    unsafe fn create_vm_memory(
        &self,
        ty: &MemoryType,
        style: &MemoryStyle,
        vm_definition_location: NonNull<VMMemoryDefinition>,
    ) -> Result<VMMemory, MemoryError> {
        // SAFETY: wasmer's caller guarantees `vm_definition_location` points at an owned
        // `VMMemoryDefinition` (in a VMContext); it is passed on unchanged.
        unsafe { self.base.create_vm_memory(ty, style, vm_definition_location) }
    }

    fn create_host_table(&self, ty: &TableType, style: &TableStyle) -> Result<VMTable, String> {
        self.base.create_host_table(ty, style)
    }

    unsafe fn create_vm_table(
        &self,
        ty: &TableType,
        style: &TableStyle,
        vm_definition_location: NonNull<VMTableDefinition>,
    ) -> Result<VMTable, String> {
        // SAFETY: as for memories, the location comes from wasmer and is passed on unchanged.
        unsafe { self.base.create_vm_table(ty, style, vm_definition_location) }
    }
}

/// The feature set redzone implements: WebAssembly 2.0 (with fixed-width SIMD), plus tail
/// calls, extended constants and multi-memory (mutable globals, sign extension and saturating
/// conversions are always on in wasmer; its Cranelift backend passes every multi-memory spec
/// file). Everything else is refused, as redzone refuses it. Two proposals redzone implements
/// stay off, refused cleanly as unsupported, their spec files recorded expectations:
/// memory64, because wasmer 7.4.2's Cranelift backend validates memory64 modules and then
/// panics compiling them ("64bit memory not implemented yet"; 64-bit tables: "unexpected
/// expression type" and a Cranelift aliasing assertion); and custom page sizes, which wasmer
/// 7.4.2 does not have at all (its `Features` has no switch for them and its memory types
/// carry no page size).
fn features() -> Features {
    let mut features = Features::none();
    features
        .reference_types(true)
        .bulk_memory(true)
        .multi_value(true)
        .tail_call(true)
        .extended_const(true)
        .simd(true)
        .multi_memory(true)
        .memory64(false);
    features
}

/// Every operator costs one unit of fuel.
fn operator_cost(_: &Operator) -> u64 {
    1
}

type FuelMetering = MeteringMiddleware<fn(&Operator) -> u64>;

/// Gives each compiled module its own [`MeteringMiddleware`] (which serves one module only), starting
/// with the budget in `initial` at compile time. Modules must be compiled one at a time,
/// which the adapter's `&mut self` guarantees: the engine is never shared between adapters.
#[derive(Debug)]
struct MeteringPerModule {
    initial: Arc<AtomicU64>,
    current: Mutex<Option<Arc<FuelMetering>>>,
}

impl ModuleMiddleware for MeteringPerModule {
    fn generate_function_middleware<'a>(&self, index: LocalFunctionIndex) -> Box<dyn FunctionMiddleware<'a> + 'a> {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner()).clone();
        // wasmer transforms a module's info before it compiles any of its functions.
        current.expect("module info is transformed before functions compile").generate_function_middleware(index)
    }

    fn transform_module_info(&self, info: &mut ModuleInfo) -> Result<(), MiddlewareError> {
        let metering: Arc<FuelMetering> =
            Arc::new(MeteringMiddleware::new(self.initial.load(Ordering::Relaxed), operator_cost));
        metering.transform_module_info(info)?;
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(metering);
        Ok(())
    }
}

/// An engine for `strategy` whose modules are metered starting from `initial` fuel (when
/// `metering` is on; otherwise the modules carry no instrumentation).
fn make_engine(strategy: Strategy, initial: Arc<AtomicU64>, metering: Metering) -> wasmer::Engine {
    let mut compiler = Cranelift::new();
    if metering == Metering::On {
        compiler.push_middleware(Arc::new(MeteringPerModule { initial, current: Mutex::new(None) }));
    }
    let mut engine: wasmer::Engine = EngineBuilder::new(compiler).set_features(Some(features())).engine().into();
    engine.set_tunables(StrategyTunables::new(strategy));
    engine
}

/// An instance of the adapter: a module's, or the host instance of dummy imports that
/// [`Engine::provide`] made (its items by label, in import order).
enum Slot {
    Wasm(Instance),
    Host(Vec<(String, Extern)>),
}

/// wasmer with one bounds-check strategy, one store per adapter.
pub struct WasmerEngine {
    name: &'static str,
    /// The engine compiling modules (the store's), and the fuel its next module starts with.
    engine: wasmer::Engine,
    initial_fuel: Arc<AtomicU64>,
    /// Global and table reads need `&mut Store` in wasmer; the trait reads through `&self`.
    store: RefCell<Store>,
    modules: Vec<Module>,
    /// Module instances and host instances of dummy imports.
    instances: Vec<Slot>,
    names: HashMap<(String, String), Extern>,
    spectest_ready: bool,
    /// The store-wide fuel left, `None` for no limit (always `None` when unmetered).
    fuel: Option<u64>,
    metering: Metering,
}

impl WasmerEngine {
    /// A fresh adapter (a new store) for `strategy`, named `name`.
    pub fn new(name: &'static str, strategy: Strategy, metering: Metering) -> Result<Self, EngineError> {
        let initial_fuel = Arc::new(AtomicU64::new(u64::MAX));
        let engine = make_engine(strategy, initial_fuel.clone(), metering);
        Ok(WasmerEngine {
            name,
            store: RefCell::new(Store::new(engine.clone())),
            engine,
            initial_fuel,
            modules: Vec::new(),
            instances: Vec::new(),
            names: HashMap::new(),
            spectest_ready: false,
            fuel: None,
            metering,
        })
    }

    /// Where the memory exported as `name` lives and how many bytes are accessible, for tests
    /// that look at its mapping.
    pub fn memory_handle(&self, instance: InstanceId, name: &str) -> Result<(*mut u8, usize), EngineError> {
        let Extern::Memory(m) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a memory")));
        };
        let store = self.store.borrow();
        let view = m.view(&*store);
        Ok((view.data_ptr(), view.data_size() as usize))
    }

    fn define_spectest(&mut self) -> Result<(), EngineError> {
        let store = self.store.get_mut();
        let mut define = |name: &str, item: Extern| {
            self.names.insert(("spectest".to_string(), name.to_string()), item);
        };
        for (name, params) in spectest::PRINT_FUNCS {
            let ty = FunctionType::new(params.iter().map(|t| to_wasmer_type(*t)).collect::<Vec<_>>(), []);
            define(name, Function::new(store, ty, |_| Ok(Vec::new())).into());
        }
        let globals = [
            ("global_i32", Value::I32(spectest::GLOBAL_I32)),
            ("global_i64", Value::I64(spectest::GLOBAL_I64)),
            ("global_f32", Value::F32(spectest::GLOBAL_F32)),
            ("global_f64", Value::F64(spectest::GLOBAL_F64)),
        ];
        for (name, value) in globals {
            define(name, Global::new(store, value).into());
        }
        let (min, max) = spectest::TABLE_LIMITS;
        let ty = TableType::new(Type::FuncRef, min as u32, Some(max as u32));
        let table = Table::new(store, ty, Value::FuncRef(None)).map_err(|e| EngineError::limit(e.message()))?;
        define("table", table.into());
        let (min, max) = spectest::MEMORY_LIMITS;
        let memory = Memory::new(store, MemoryType::new(min as u32, Some(max as u32), false))
            .map_err(|e| EngineError::limit(e.to_string()))?;
        define("memory", memory.into());
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
            Slot::Wasm(instance) => {
                instance.exports.get_extern(name).filter(|_| !name.starts_with(METERING_EXPORT_PREFIX)).cloned()
            }
            Slot::Host(items) => items.iter().find(|(n, _)| n == name).map(|(_, item)| item.clone()),
        };
        found.ok_or_else(|| EngineError::usage(format!("instance #{} has no export named {name:?}", id.0)))
    }

    /// Every export of an instance or host instance, in order (without the metering globals).
    fn all_exports(&self, id: InstanceId) -> Result<Vec<(String, Extern)>, EngineError> {
        Ok(match self.slot(id)? {
            Slot::Wasm(instance) => instance
                .exports
                .iter()
                .filter(|(field, _)| !field.starts_with(METERING_EXPORT_PREFIX))
                .map(|(field, item)| (field.clone(), item.clone()))
                .collect(),
            Slot::Host(items) => items.clone(),
        })
    }

    /// One dummy extern in the store.
    fn make_dummy(&mut self, item: &ProvidedItem) -> Result<Extern, EngineError> {
        let store = self.store.get_mut();
        let u32_of = |n: u64| u32::try_from(n).map_err(|_| EngineError::limit(format!("{n} does not fit in 32 bits")));
        Ok(match item {
            ProvidedItem::Func { params, results, behaviour } => {
                let ty = FunctionType::new(
                    params.iter().map(|t| to_wasmer_type(*t)).collect::<Vec<_>>(),
                    results.iter().map(|t| to_wasmer_type(*t)).collect::<Vec<_>>(),
                );
                let f = match behaviour {
                    DummyFuncs::Zeros => {
                        let results = results.clone();
                        Function::new(store, ty, move |_| Ok(results.iter().map(|t| wasmer_zero(*t)).collect()))
                    }
                    DummyFuncs::Trap => Function::new(store, ty, |_| Err(RuntimeError::user(Box::new(DummyTrap)))),
                };
                f.into()
            }
            ProvidedItem::Global { content, mutable: true } => Global::new_mut(store, wasmer_zero(*content)).into(),
            ProvidedItem::Global { content, mutable: false } => Global::new(store, wasmer_zero(*content)).into(),
            ProvidedItem::Table { element, minimum, maximum } => {
                let ty = TableType::new(to_wasmer_type(*element), u32_of(*minimum)?, maximum.map(u32_of).transpose()?);
                Table::new(store, ty, wasmer_zero(*element)).map_err(|e| EngineError::limit(e.message()))?.into()
            }
            ProvidedItem::Memory { minimum, maximum } => {
                let ty = MemoryType::new(u32_of(*minimum)?, maximum.map(u32_of).transpose()?, false);
                Memory::new(store, ty).map_err(|e| EngineError::limit(e.to_string()))?.into()
            }
        })
    }

    /// Gives every instance the store-wide budget before a call.
    fn hand_out_fuel(&mut self) {
        let points = self.fuel.unwrap_or(u64::MAX);
        let store = self.store.get_mut();
        for slot in &self.instances {
            if let Slot::Wasm(instance) = slot {
                set_remaining_points(store, instance, points);
            }
        }
    }

    /// Collects what every instance spent; true when one of them ran out.
    fn collect_fuel(&mut self) -> bool {
        let store = self.store.get_mut();
        let given = self.fuel.unwrap_or(u64::MAX);
        let mut spent = 0u64;
        let mut exhausted = false;
        for instance in self.instances.iter().filter_map(|slot| match slot {
            Slot::Wasm(instance) => Some(instance),
            Slot::Host(_) => None,
        }) {
            match get_remaining_points(store, instance) {
                MeteringPoints::Remaining(left) => spent = spent.saturating_add(given.saturating_sub(left)),
                MeteringPoints::Exhausted => exhausted = true,
            }
        }
        if let Some(fuel) = &mut self.fuel {
            *fuel = if exhausted { 0 } else { fuel.saturating_sub(spent) };
        }
        exhausted
    }

    fn make_wasmer_value(&mut self, v: &Val) -> Result<Value, EngineError> {
        Ok(match *v {
            Val::I32(x) => Value::I32(x),
            Val::I64(x) => Value::I64(x),
            Val::F32(x) => Value::F32(f32::from_bits(x)),
            Val::F64(x) => Value::F64(f64::from_bits(x)),
            Val::V128(x) => Value::V128(x),
            Val::FuncRef { null: true } => Value::FuncRef(None),
            Val::FuncRef { null: false } => {
                return Err(EngineError::usage("a non-null funcref cannot be passed in from the harness"));
            }
            Val::ExternRef(None) => Value::ExternRef(None),
            Val::ExternRef(Some(n)) => Value::ExternRef(Some(ExternRef::new(self.store.get_mut(), n))),
        })
    }
}

fn to_wasmer_type(t: ValType) -> Type {
    match t {
        ValType::I32 => Type::I32,
        ValType::I64 => Type::I64,
        ValType::F32 => Type::F32,
        ValType::F64 => Type::F64,
        ValType::V128 => Type::V128,
        ValType::FuncRef => Type::FuncRef,
        ValType::ExternRef => Type::ExternRef,
    }
}

fn from_wasmer_type(t: Type) -> Result<ValType, EngineError> {
    Ok(match t {
        Type::I32 => ValType::I32,
        Type::I64 => ValType::I64,
        Type::F32 => ValType::F32,
        Type::F64 => ValType::F64,
        Type::V128 => ValType::V128,
        Type::FuncRef => ValType::FuncRef,
        Type::ExternRef => ValType::ExternRef,
        other => return Err(EngineError::unsupported(format!("wasmer value type {other} has no redzone equivalent"))),
    })
}

fn from_wasmer_value(store: &Store, v: &Value) -> Result<Val, EngineError> {
    Ok(match v {
        Value::I32(x) => Val::I32(*x),
        Value::I64(x) => Val::I64(*x),
        Value::F32(x) => Val::F32(x.to_bits()),
        Value::F64(x) => Val::F64(x.to_bits()),
        Value::V128(x) => Val::V128(*x),
        Value::FuncRef(f) => Val::FuncRef { null: f.is_none() },
        Value::ExternRef(None) => Val::ExternRef(None),
        Value::ExternRef(Some(r)) => match r.downcast::<u32>(store) {
            Some(n) => Val::ExternRef(Some(*n)),
            None => return Err(EngineError::usage("an externref that the harness did not make")),
        },
        other => return Err(EngineError::unsupported(format!("wasmer value {other:?} has no redzone equivalent"))),
    })
}

/// The zero of a type as a wasmer value (nulls for references).
fn wasmer_zero(ty: ValType) -> Value {
    match zero(ty) {
        Val::I32(x) => Value::I32(x),
        Val::I64(x) => Value::I64(x),
        Val::F32(x) => Value::F32(f32::from_bits(x)),
        Val::F64(x) => Value::F64(f64::from_bits(x)),
        Val::V128(x) => Value::V128(x),
        Val::FuncRef { .. } => Value::FuncRef(None),
        Val::ExternRef(_) => Value::ExternRef(None),
    }
}

fn value_is_null(v: &Value) -> bool {
    matches!(v, Value::FuncRef(None) | Value::ExternRef(None) | Value::ExceptionRef(None))
}

/// wasmer's trap code in redzone's terms (`unreachable` as is: metering is told apart by
/// the caller, who can ask the instances).
fn trap_kind(err: RuntimeError) -> TrapKind {
    use wasmer::sys::vm::TrapCode;
    if err.downcast_ref::<DummyTrap>().is_some() {
        return TrapKind::Other(DUMMY_TRAP.into());
    }
    let message = err.message();
    match err.to_trap() {
        Some(TrapCode::StackOverflow) => TrapKind::StackOverflow,
        Some(TrapCode::HeapAccessOutOfBounds) => TrapKind::MemoryOutOfBounds,
        Some(TrapCode::TableAccessOutOfBounds) => TrapKind::TableOutOfBounds,
        Some(TrapCode::IndirectCallToNull) => TrapKind::IndirectCallToNull,
        Some(TrapCode::BadSignature) => TrapKind::BadSignature,
        Some(TrapCode::IntegerOverflow) => TrapKind::IntegerOverflow,
        Some(TrapCode::IntegerDivisionByZero) => TrapKind::IntegerDivisionByZero,
        Some(TrapCode::BadConversionToInteger) => TrapKind::BadConversionToInteger,
        Some(TrapCode::UnreachableCodeReached) => TrapKind::UnreachableCodeReached,
        Some(other) => TrapKind::Other(other.message().to_string()),
        None => TrapKind::Other(message),
    }
}

/// The memory proposal left off for wasmer (see `features`) that `wasm` uses, if any, with
/// why it is off: a 64-bit memory, or a memory that states its page size (custom-page-sizes),
/// defined or imported (read as far as the module's sections parse).
fn refused_memory_proposal(wasm: &[u8]) -> Option<&'static str> {
    use wasmparser::{Payload, TypeRef};
    let refused = |m: &wasmparser::MemoryType| {
        if m.memory64 {
            Some(
                "memory64 (wasmer 7.4.2's Cranelift backend cannot compile 64-bit memories, so the harness leaves it off)",
            )
        } else if m.page_size_log2.is_some() {
            Some("custom-page-sizes (wasmer 7.4.2 has no custom page sizes: its memory types carry no page size)")
        } else {
            None
        }
    };
    wasmparser::Parser::new(0).parse_all(wasm).map_while(Result::ok).find_map(|payload| match payload {
        Payload::MemorySection(r) => r.into_iter().flatten().find_map(|m| refused(&m)),
        Payload::ImportSection(r) => r.into_imports().flatten().find_map(|i| match i.ty {
            TypeRef::Memory(m) => refused(&m),
            _ => None,
        }),
        _ => None,
    })
}

fn compile_error(err: CompileError) -> EngineError {
    match err {
        CompileError::UnsupportedFeature(f) | CompileError::Wasm(WasmError::Unsupported(f)) => {
            EngineError::unsupported(f)
        }
        CompileError::Resource(msg) => EngineError::limit(msg),
        other => EngineError::compile(other.to_string()),
    }
}

impl Engine for WasmerEngine {
    fn name(&self) -> &str {
        self.name
    }

    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        // The start function, if any, runs with the budget left now.
        self.initial_fuel.store(self.fuel.unwrap_or(u64::MAX), Ordering::Relaxed);
        let module = Module::new(&self.engine, wasm).map_err(|e| match e {
            // memory64 and custom page sizes are off for wasmer (see `features`), so such a
            // module is refused at validation: a proposal this configuration lacks
            // (inconclusive in the differential), not a compile error the other engines would
            // disagree with.
            CompileError::Validate(e) => match refused_memory_proposal(wasm) {
                Some(proposal) => EngineError::unsupported(proposal),
                None => compile_error(CompileError::Validate(e)),
            },
            other => compile_error(other),
        })?;
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
        // By index, not through `Imports` (a map): a module may import one name twice.
        let mut externs = Vec::new();
        for (i, import) in module.imports().enumerate() {
            let key = (import.module().to_string(), import.name().to_string());
            // With dummies, registered names are real shared externs; `spectest` is left out.
            let real = self.names.get(&key).filter(|_| host.is_none() || key.0 != "spectest");
            match (real, &host) {
                (Some(item), _) => externs.push(item.clone()),
                (None, Some(host)) => match host.get(i) {
                    Some((_, dummy)) => externs.push(dummy.clone()),
                    None => return Err(EngineError::usage(format!("no dummy for import {i} of the module"))),
                },
                (None, None) => return Err(EngineError::link(format!("unknown import {:?}.{:?}", key.0, key.1))),
            }
        }
        let store = self.store.get_mut();
        let instance = Instance::new_by_index(store, module, &externs).map_err(|e| match e {
            InstantiationError::Link(LinkError::Import(..)) => EngineError::link(e.to_string()),
            InstantiationError::Link(LinkError::Trap(trap)) | InstantiationError::Start(trap) => {
                EngineError::instantiation_trap(trap_kind(trap), "")
            }
            InstantiationError::Link(LinkError::Resource(msg)) => EngineError::limit(msg),
            other => EngineError::limit(other.to_string()),
        })?;
        if let Some(fuel) = &mut self.fuel
            && let MeteringPoints::Remaining(left) = get_remaining_points(store, &instance)
        {
            *fuel = left;
        }
        self.instances.push(Slot::Wasm(instance));
        Ok(InstanceId(self.instances.len() as u32 - 1))
    }

    fn register(&mut self, instance: InstanceId, name: &str) -> Result<(), EngineError> {
        for (field, item) in self.all_exports(instance)? {
            self.names.insert((name.to_string(), field), item);
        }
        Ok(())
    }

    fn exports(&self, instance: InstanceId) -> Result<Vec<Export>, EngineError> {
        let instance = match self.slot(instance)? {
            Slot::Wasm(instance) => instance,
            Slot::Host(items) => {
                let store = self.store.borrow();
                return items
                    .iter()
                    .map(|(name, item)| {
                        let kind = match item {
                            Extern::Function(f) => {
                                let ty = f.ty(&*store);
                                ExportKind::Func {
                                    params: ty
                                        .params()
                                        .iter()
                                        .map(|t| from_wasmer_type(*t))
                                        .collect::<Result<_, _>>()?,
                                    results: ty
                                        .results()
                                        .iter()
                                        .map(|t| from_wasmer_type(*t))
                                        .collect::<Result<_, _>>()?,
                                }
                            }
                            Extern::Global(g) => ExportKind::Global(from_wasmer_type(g.ty(&*store).ty)?),
                            Extern::Memory(_) => ExportKind::Memory,
                            Extern::Table(_) => ExportKind::Table,
                            _ => return Err(EngineError::unsupported("a host item redzone does not make")),
                        };
                        Ok(Export { name: name.clone(), kind })
                    })
                    .collect();
            }
        };
        instance
            .module()
            .exports()
            .filter(|export| !export.name().starts_with(METERING_EXPORT_PREFIX))
            .map(|export| {
                let kind = match export.ty() {
                    ExternType::Function(f) => ExportKind::Func {
                        params: f.params().iter().map(|t| from_wasmer_type(*t)).collect::<Result<_, _>>()?,
                        results: f.results().iter().map(|t| from_wasmer_type(*t)).collect::<Result<_, _>>()?,
                    },
                    ExternType::Global(g) => ExportKind::Global(from_wasmer_type(g.ty)?),
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
        let Extern::Function(func) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a function")));
        };
        let ty = func.ty(&*self.store.borrow());
        let params: Vec<ValType> = ty.params().iter().map(|t| from_wasmer_type(*t)).collect::<Result<_, _>>()?;
        let given: Vec<ValType> = args.iter().map(Val::ty).collect();
        if params != given {
            return Err(EngineError::usage(format!("{name:?} takes {params:?}, was given {given:?}")));
        }
        let args = args.iter().map(|a| self.make_wasmer_value(a)).collect::<Result<Vec<_>, _>>()?;
        if self.fuel.is_some() {
            self.hand_out_fuel();
        }
        let outcome = func.call(self.store.get_mut(), &args);
        let exhausted = self.fuel.is_some() && self.collect_fuel();
        match outcome {
            Ok(results) => results.iter().map(|v| from_wasmer_value(self.store.get_mut(), v)).collect(),
            Err(_) if exhausted => Err(EngineError::trap(TrapKind::OutOfFuel, "")),
            Err(e) => Err(EngineError::trap(trap_kind(e), "")),
        }
    }

    fn global(&self, instance: InstanceId, name: &str) -> Result<Val, EngineError> {
        let Extern::Global(g) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a global")));
        };
        let mut store = self.store.borrow_mut();
        let value = g.get(&mut *store);
        from_wasmer_value(&store, &value)
    }

    fn memory(&self, instance: InstanceId, name: &str) -> Result<MemoryState<'_>, EngineError> {
        let Extern::Memory(m) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a memory")));
        };
        let store = self.store.borrow();
        let view = m.view(&*store);
        let bytes = view.copy_to_vec().map_err(|e| EngineError::limit(format!("reading wasmer memory: {e}")))?;
        Ok(MemoryState { pages: u64::from(view.size().0), bytes: Cow::Owned(bytes) })
    }

    fn write_memory(&mut self, instance: InstanceId, name: &str, offset: u64, bytes: &[u8]) -> Result<(), EngineError> {
        let Extern::Memory(m) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a memory")));
        };
        let store = self.store.get_mut();
        let view = m.view(&*store);
        let size = view.data_size();
        let end = offset.checked_add(bytes.len() as u64);
        if end.is_none_or(|end| end > size) {
            return Err(EngineError::usage(format!(
                "write of {} bytes at {offset:#x} is outside memory {name:?} of {size} bytes",
                bytes.len()
            )));
        }
        view.write(offset, bytes).map_err(|e| EngineError::usage(e.to_string()))
    }

    fn table(&self, instance: InstanceId, name: &str) -> Result<TableState, EngineError> {
        let Extern::Table(t) = self.export(instance, name)? else {
            return Err(EngineError::usage(format!("export {name:?} is not a table")));
        };
        let mut store = self.store.borrow_mut();
        let element = from_wasmer_type(t.ty(&*store).ty)?;
        let size = t.size(&*store);
        let null = (0..size).map(|i| t.get(&mut *store, i).is_none_or(|v| value_is_null(&v))).collect();
        Ok(TableState { element, null })
    }

    fn set_fuel(&mut self, fuel: Option<u64>) {
        // Unmetered modules have no counters to set: the budget stays "none".
        if self.metering == Metering::Off {
            return;
        }
        self.fuel = fuel;
        // With no budget nothing is handed out per call, so reset every counter once here.
        if fuel.is_none() {
            self.hand_out_fuel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::reservation::{self, GROWER};

    fn grower(strategy: Strategy) -> (WasmerEngine, InstanceId) {
        let mut engine = WasmerEngine::new("test", strategy, Metering::On).unwrap();
        let instance = engine.load(&wat::parse_str(GROWER).unwrap()).unwrap();
        (engine, instance)
    }

    #[test]
    fn guard_memories_sit_at_the_start_of_an_8_gib_reservation_and_never_move() {
        let (mut engine, i) = grower(Strategy::Guard);
        let (base, len) = engine.memory_handle(i, "mem").unwrap();
        let found = reservation::at(base as usize).expect("the memory is mapped");
        assert_eq!(found.accessible, len as u64, "only the memory's pages are accessible: {found:?}");
        assert!(found.accessible + found.guard >= 8 << 30, "4 GiB bound + 4 GiB guard: {found:?}");
        engine.call(i, "grow", &[Val::I32(40)]).unwrap();
        let (after, len) = engine.memory_handle(i, "mem").unwrap();
        assert_eq!((after, len), (base, 41 << 16), "growth commits pages in place");
        assert_eq!(reservation::at(base as usize).unwrap().accessible, 41 << 16);
    }

    #[test]
    fn checked_memories_are_dynamic_they_move_on_every_growth() {
        let (mut engine, i) = grower(Strategy::Checked);
        engine.call(i, "poke", &[Val::I32(100)]).unwrap();
        let (base, _) = engine.memory_handle(i, "mem").unwrap();
        // A Dynamic memory with no offset guard is mapped at exactly its size, so growing by
        // one page reallocates it; a Static memory never moves. Code for a memory that moves
        // loads its base and length on use and checks every access.
        assert_eq!(engine.call(i, "grow", &[Val::I32(1)]).unwrap(), vec![Val::I32(1)]);
        let (after, len) = engine.memory_handle(i, "mem").unwrap();
        assert_ne!(after, base, "a checked memory moves when it grows");
        assert_eq!(len, 2 << 16);
        assert_eq!(engine.call(i, "peek", &[Val::I32(100)]).unwrap(), vec![Val::I32(0x5a)], "contents moved along");
        assert_eq!(engine.call(i, "peek", &[Val::I32((2 << 16) - 1)]).unwrap(), vec![Val::I32(0)]);
        let err = engine.call(i, "peek", &[Val::I32(2 << 16)]).unwrap_err();
        assert_eq!(err.trap_kind(), Some(&TrapKind::MemoryOutOfBounds), "the check follows the new length");
    }

    #[test]
    fn the_tunables_pick_the_style_whatever_the_memory() {
        for ty in
            [MemoryType::new(0, None, false), MemoryType::new(1, Some(1), false), MemoryType::new(65536, None, false)]
        {
            assert_eq!(StrategyTunables::new(Strategy::Guard).memory_style(&ty), MemoryStyle::Static);
            assert_eq!(
                StrategyTunables::new(Strategy::Checked).memory_style(&ty),
                MemoryStyle::Dynamic { offset_guard_size: 0 }
            );
        }
    }
}
