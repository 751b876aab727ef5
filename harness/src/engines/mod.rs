//! Engine adapters: one trait, [`Engine`], that every engine configuration implements, one
//! file per engine, and [`build`] to make one by its name (`redzone:checked`, ...).
//!
//! Data enters an adapter as module bytes and [`Val`] arguments, and leaves as [`Val`]
//! results, [`EngineError`]s (traps mapped into redzone's canonical
//! [`redzone_engine::TrapKind`]: no engine is the reference) and snapshots of exported state
//! ([`MemoryState`], [`TableState`], globals). An adapter value owns one store: modules,
//! instances and registrations live as long as it does, so a `.wast` script or a
//! differential run builds a fresh adapter per script.
//!
//! Every adapter provides the spec testsuite's `spectest` host module (see [`spectest`]), and
//! resolves imports by `(module, name)` from it and from instances registered with
//! [`Engine::register`] (strict linking, what the spec runner uses). For any other module it
//! can also satisfy every import with deterministic dummies ([`imports`]: one shared
//! description, [`Provided`], that each adapter turns into a host instance with
//! [`Engine::provide`] and links with [`Engine::instantiate_with`]).
//!
//! To add an engine: a new file implementing [`Engine`], an entry in [`CONFIGURATIONS`], and
//! one match arm in [`build`].

mod boundary;
mod error;
pub mod imports;
mod redzone;
mod value;
pub mod wasmer;
pub mod wasmi;
pub mod wasmtime;

#[cfg(test)]
mod peer_tests;
#[cfg(test)]
mod reservation;

pub use boundary::CatchPanics;
pub use error::{EngineError, EngineErrorKind, panic_message};
pub use imports::{DummyFuncs, ImportPolicy, Provided, ProvidedItem};
pub use redzone::RedzoneEngine;
pub use value::{NanClass, Val, display_values, same_values};

use redzone_engine::{CheckedMemory, ValType};
use serde::Serialize;
use std::borrow::Cow;

/// Runs `f`, turning a panic into `Err` with its message: the guard around engine code in the
/// runners and tests, so one engine's panic is that engine's failure, not the process's end.
pub fn panic_free<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| panic_message(&*p))
}

/// A module compiled by an adapter (an index into the adapter's own list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModuleId(pub u32);

/// An instance made by an adapter (an index into the adapter's own list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InstanceId(pub u32);

/// What an export is, as far as the harness needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportKind {
    /// A function and its signature.
    Func {
        /// Parameter types.
        params: Vec<ValType>,
        /// Result types.
        results: Vec<ValType>,
    },
    /// A global of this type.
    Global(ValType),
    /// A memory.
    Memory,
    /// A table.
    Table,
}

/// An export of an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// What it is.
    pub kind: ExportKind,
}

/// An exported memory as seen after a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryState<'a> {
    /// Current size in pages.
    pub pages: u64,
    /// Every accessible byte (borrowed where the engine allows it).
    pub bytes: Cow<'a, [u8]>,
}

/// An exported table as seen after a call. Element identity is not comparable across
/// engines, nullness is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableState {
    /// Element type.
    pub element: ValType,
    /// For each element, whether it is null.
    pub null: Vec<bool>,
}

/// One engine configuration wrapped for the harness.
///
/// Methods take the adapter's own ids; an id from another adapter is a
/// [`EngineErrorKind::Usage`] error, never a panic.
pub trait Engine {
    /// The configuration name (`redzone:checked`, ...).
    fn name(&self) -> &str;

    /// Decodes and validates `wasm`.
    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError>;

    /// Instantiates a compiled module, resolving imports by `(module, name)` from
    /// `spectest` and the registered instances (strict linking).
    fn instantiate(&mut self, module: ModuleId) -> Result<InstanceId, EngineError> {
        self.instantiate_with(module, None)
    }

    /// Makes the dummy externs `provided` describes (see [`imports`]) as a host instance
    /// whose exports are the dummies, each named by its [`Provided::label`]; its state is read
    /// with [`Engine::exports`], [`Engine::memory`], [`Engine::global`] and [`Engine::table`]
    /// like any instance's, and it outlives a failed instantiation that used it.
    fn provide(&mut self, provided: &[Provided]) -> Result<InstanceId, EngineError>;

    /// Instantiates a compiled module. With `dummies` (a host instance from
    /// [`Engine::provide`] for this module's imports), import `i` resolves to a registered
    /// name when there is one (the real shared extern) and otherwise to the host instance's
    /// item `i`; `spectest` is not consulted. With `None`, linking is strict, as in
    /// [`Engine::instantiate`].
    fn instantiate_with(&mut self, module: ModuleId, dummies: Option<InstanceId>) -> Result<InstanceId, EngineError>;

    /// Makes every export of `instance` importable under the module name `name`.
    fn register(&mut self, instance: InstanceId, name: &str) -> Result<(), EngineError>;

    /// The exports of an instance, in declaration order.
    fn exports(&self, instance: InstanceId) -> Result<Vec<Export>, EngineError>;

    /// Calls the exported function `name` with `args`.
    fn call(&mut self, instance: InstanceId, name: &str, args: &[Val]) -> Result<Vec<Val>, EngineError>;

    /// The value of the exported global `name`.
    fn global(&self, instance: InstanceId, name: &str) -> Result<Val, EngineError>;

    /// The exported memory `name`.
    fn memory(&self, instance: InstanceId, name: &str) -> Result<MemoryState<'_>, EngineError>;

    /// Copies `bytes` into the exported memory `name` at `offset` (the host side of the
    /// string/array ABI). Out of bounds is a [`EngineErrorKind::Usage`] error and writes
    /// nothing.
    fn write_memory(&mut self, instance: InstanceId, name: &str, offset: u64, bytes: &[u8]) -> Result<(), EngineError>;

    /// The exported table `name`.
    fn table(&self, instance: InstanceId, name: &str) -> Result<TableState, EngineError>;

    /// Sets the instruction budget for the calls that follow (`None`: unlimited). Running
    /// out is a [`redzone_engine::TrapKind::OutOfFuel`] trap.
    fn set_fuel(&mut self, fuel: Option<u64>);

    /// Compiles and instantiates in one step.
    fn load(&mut self, wasm: &[u8]) -> Result<InstanceId, EngineError> {
        let module = self.compile(wasm)?;
        self.instantiate(module)
    }
}

/// What the `spectest` host module holds: every adapter provides exactly this.
pub mod spectest {
    use redzone_engine::ValType;

    /// `spectest.global_i32`.
    pub const GLOBAL_I32: i32 = 666;
    /// `spectest.global_i64`.
    pub const GLOBAL_I64: i64 = 666;
    /// `spectest.global_f32`.
    pub const GLOBAL_F32: f32 = 666.6;
    /// `spectest.global_f64`.
    pub const GLOBAL_F64: f64 = 666.6;
    /// `spectest.table`: funcref, minimum and maximum elements.
    pub const TABLE_LIMITS: (u64, u64) = (10, 20);
    /// `spectest.memory`: minimum and maximum pages.
    pub const MEMORY_LIMITS: (u64, u64) = (1, 2);
    /// The `print*` functions and their parameters (none return anything).
    pub const PRINT_FUNCS: &[(&str, &[ValType])] = &[
        ("print", &[]),
        ("print_i32", &[ValType::I32]),
        ("print_i64", &[ValType::I64]),
        ("print_f32", &[ValType::F32]),
        ("print_f64", &[ValType::F64]),
        ("print_i32_f32", &[ValType::I32, ValType::F32]),
        ("print_f64_f64", &[ValType::F64, ValType::F64]),
    ];
}

/// A known engine configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EngineInfo {
    /// Configuration name, as `--engines` takes it.
    pub name: &'static str,
    /// The engine and its version.
    pub engine: &'static str,
    /// How out-of-bounds memory accesses are caught.
    pub bounds_checks: &'static str,
    /// Whether this build can run it ([`build`] succeeds).
    pub available: bool,
}

/// Every configuration of DESIGN.md, in its order; `available` marks those built so far.
pub const CONFIGURATIONS: &[EngineInfo] = &[
    EngineInfo {
        name: "redzone:guard",
        engine: "redzone interpreter",
        bounds_checks: "none: 8 GiB PROT_NONE reservation, SIGSEGV/SIGBUS -> trap",
        available: redzone_engine::memory::GUARD_AVAILABLE,
    },
    EngineInfo {
        name: "redzone:checked",
        engine: "redzone interpreter",
        bounds_checks: "explicit addr + offset + size <= len on each access",
        available: true,
    },
    EngineInfo {
        name: "wasmtime:guard",
        engine: "wasmtime 48.0.0, Cranelift",
        bounds_checks: "signals on, 4 GiB reservation + 4 GiB guard",
        available: true,
    },
    EngineInfo {
        name: "wasmtime:checked",
        engine: "wasmtime 48.0.0, Cranelift",
        bounds_checks: "signals off, reservation 0, guard 0",
        available: true,
    },
    EngineInfo {
        name: "wasmer:guard",
        engine: "wasmer 7.4.2, Cranelift",
        bounds_checks: "MemoryStyle::Static (4 GiB + 4 GiB guard)",
        available: true,
    },
    EngineInfo {
        name: "wasmer:checked",
        engine: "wasmer 7.4.2, Cranelift",
        bounds_checks: "MemoryStyle::Dynamic { offset_guard_size: 0 }",
        available: true,
    },
    EngineInfo { name: "wasmi", engine: "wasmi 2.0.0", bounds_checks: "explicit (its only mode)", available: true },
];

/// The test-only configuration `redzone:canary`: the checked memory with a planted bug (the
/// effective address wraps at 2^32), which `redzone fuzz --generator edges` must find. It is
/// `available` only when redzone-engine is built with its `canary` feature (the harness's own
/// tests turn it on; `cargo build --features canary` does for the binary), and even then it is
/// never part of `all` or the default lists: it is selected by name only.
pub const CANARY: EngineInfo = EngineInfo {
    name: "redzone:canary",
    engine: "redzone interpreter",
    bounds_checks: "explicit, with a planted bug: (addr + offset) wraps at 2^32",
    available: redzone_engine::memory::CANARY_BUILT,
};

/// The test-only `redzone:crash-canary` configuration: the checked memory with a planted
/// memory-safety bug (an out-of-bounds load from a zero-page memory reads through a dangling
/// pointer), which kills the process by SIGSEGV. Process isolation must survive it, classify
/// it and save it (`redzone fuzz` keeps going). Built and selected like [`CANARY`].
pub const CRASH_CANARY: EngineInfo = EngineInfo {
    name: "redzone:crash-canary",
    engine: "redzone interpreter",
    bounds_checks: "explicit, with a planted bug: out-of-bounds loads from an empty memory read a dangling pointer",
    available: redzone_engine::memory::CANARY_BUILT,
};

/// The configurations this build can make that are never selected by default: the
/// [`CANARY`] and [`CRASH_CANARY`] when they are built in, else nothing.
pub fn test_only() -> impl Iterator<Item = &'static EngineInfo> {
    [&CANARY, &CRASH_CANARY].into_iter().filter(|c| c.available)
}

/// The configurations [`build`] can make, in [`CONFIGURATIONS`] order.
pub fn available() -> impl Iterator<Item = &'static EngineInfo> {
    CONFIGURATIONS.iter().filter(|c| c.available)
}

/// The default `--engines` selection: every available configuration.
pub fn default_names() -> Vec<&'static str> {
    available().map(|c| c.name).collect()
}

/// Whether an adapter meters execution (fuel).
///
/// The differential always meters: fuel is how a generated infinite loop ends. Benchmarks do
/// not: wasmtime's `consume_fuel`, wasmer's `Metering` middleware and wasmi's fuel each add
/// their own per-instruction or per-block cost, which would make engine-against-engine times
/// measure metering as much as bounds checks. redzone's interpreter compiles fuel in as a const
/// generic, so it costs nothing when no budget is set either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Metering {
    /// Fuel is counted; [`Engine::set_fuel`] sets a budget. The default.
    #[default]
    On,
    /// No fuel instrumentation at all; [`Engine::set_fuel`] is ignored, so a call runs until it
    /// returns or traps. For benchmarks of known-terminating workloads only.
    Off,
}

/// Makes a fresh adapter (a new store) for the configuration `name`, metered.
pub fn build(name: &str) -> Result<Box<dyn Engine>, EngineError> {
    build_with(name, Metering::On)
}

/// Makes a fresh adapter (a new store) for the configuration `name` with `metering`.
pub fn build_with(name: &str, metering: Metering) -> Result<Box<dyn Engine>, EngineError> {
    match name {
        #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
        "redzone:guard" => {
            Ok(Box::new(RedzoneEngine::<redzone_engine::GuardMemory>::new("redzone:guard")?.with_metering(metering)))
        }
        "redzone:checked" => {
            Ok(Box::new(RedzoneEngine::<CheckedMemory>::new("redzone:checked")?.with_metering(metering)))
        }
        "wasmtime:guard" => Ok(Box::new(CatchPanics::new(wasmtime::WasmtimeEngine::new(
            "wasmtime:guard",
            wasmtime::Strategy::Guard,
            metering,
        )?))),
        "wasmtime:checked" => Ok(Box::new(CatchPanics::new(wasmtime::WasmtimeEngine::new(
            "wasmtime:checked",
            wasmtime::Strategy::Checked,
            metering,
        )?))),
        "wasmer:guard" => Ok(Box::new(CatchPanics::new(wasmer::WasmerEngine::new(
            "wasmer:guard",
            wasmer::Strategy::Guard,
            metering,
        )?))),
        "wasmer:checked" => Ok(Box::new(CatchPanics::new(wasmer::WasmerEngine::new(
            "wasmer:checked",
            wasmer::Strategy::Checked,
            metering,
        )?))),
        "wasmi" => Ok(Box::new(CatchPanics::new(wasmi::WasmiEngine::new(metering)?))),
        "redzone:canary" if CANARY.available => Ok(Box::new(
            RedzoneEngine::<redzone_engine::memory::CanaryMemory>::new("redzone:canary")?.with_metering(metering),
        )),
        "redzone:crash-canary" if CRASH_CANARY.available => Ok(Box::new(
            RedzoneEngine::<redzone_engine::memory::CrashCanaryMemory>::new("redzone:crash-canary")?
                .with_metering(metering),
        )),
        _ => Err(unknown(name)),
    }
}

#[cold]
fn unknown(name: &str) -> EngineError {
    let known: Vec<&str> = default_names();
    if name == CANARY.name || name == CRASH_CANARY.name {
        return EngineError::usage(format!(
            "`{name}` is a test-only configuration this build does not have: build redzone with \
             `cargo build -p redzone-harness --features canary`"
        ));
    }
    match CONFIGURATIONS.iter().find(|c| c.name == name) {
        Some(_) => EngineError::usage(format!("engine `{name}` is not built yet; available: {}", known.join(", "))),
        None => EngineError::usage(format!("unknown engine `{name}`; known engines: {}", known.join(", "))),
    }
}

/// Parses an `--engines` list: comma-separated names, `all` for every available one, and
/// `-name` to drop a name from what came before (a list that starts with `-name` starts from
/// `all`). Every name is checked against [`CONFIGURATIONS`].
pub fn select(list: &str) -> Result<Vec<&'static str>, EngineError> {
    let mut chosen: Vec<&'static str> = Vec::new();
    for (i, item) in list.split(',').map(str::trim).filter(|s| !s.is_empty()).enumerate() {
        if let Some(excluded) = item.strip_prefix('-') {
            if i == 0 {
                chosen = default_names();
            }
            let name = lookup(excluded)?;
            chosen.retain(|n| *n != name);
        } else if item == "all" {
            for n in default_names() {
                if !chosen.contains(&n) {
                    chosen.push(n);
                }
            }
        } else {
            let name = lookup(item)?;
            if !CONFIGURATIONS.iter().chain(test_only()).any(|c| c.name == name && c.available) {
                return Err(unknown(name));
            }
            if !chosen.contains(&name) {
                chosen.push(name);
            }
        }
    }
    if chosen.is_empty() {
        return Err(EngineError::usage(format!(
            "no engine selected by `{list}`; available: {}",
            default_names().join(", ")
        )));
    }
    Ok(chosen)
}

fn lookup(name: &str) -> Result<&'static str, EngineError> {
    CONFIGURATIONS.iter().chain(test_only()).find(|c| c.name == name).map(|c| c.name).ok_or_else(|| unknown(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_list_the_known_ones() {
        let err = build("v8").err().expect("v8 is not an engine here").to_string();
        assert!(err.contains("unknown engine `v8`") && err.contains("redzone:checked"), "{err}");
        let err = select("redzone:checked,nope").unwrap_err().to_string();
        assert!(err.contains("`nope`"), "{err}");
    }

    #[test]
    fn selection_handles_all_and_exclusions() {
        assert_eq!(select("redzone:checked").unwrap(), vec!["redzone:checked"]);
        assert_eq!(select("all").unwrap(), default_names());
        assert_eq!(select(" redzone:checked , redzone:checked ").unwrap(), vec!["redzone:checked"]);
        let all_but_checked: Vec<_> = default_names().into_iter().filter(|n| *n != "redzone:checked").collect();
        if all_but_checked.is_empty() {
            assert!(select("-redzone:checked").is_err(), "nothing left");
        } else {
            assert_eq!(select("-redzone:checked").unwrap(), all_but_checked);
        }
        let everything: Vec<String> = default_names().iter().map(|n| format!("-{n}")).collect();
        assert!(select(&everything.join(",")).is_err(), "nothing left");
        assert!(select("").is_err());
    }

    #[test]
    fn the_canary_is_selected_by_name_only() {
        assert!(!default_names().contains(&CANARY.name), "never a default");
        assert!(!select("all").unwrap().contains(&CANARY.name), "never in all");
        let chosen = select("redzone:canary,redzone:checked");
        assert_eq!(chosen.is_ok(), CANARY.available, "selectable by name exactly when built in");
        match chosen {
            Ok(names) => {
                assert_eq!(names, vec![CANARY.name, "redzone:checked"]);
                assert_eq!(build(CANARY.name).unwrap().name(), CANARY.name);
            }
            Err(e) => assert!(e.to_string().contains("--features canary"), "{e}"),
        }
    }

    #[test]
    fn every_available_configuration_builds() {
        for info in available() {
            let engine = build(info.name).unwrap();
            assert_eq!(engine.name(), info.name);
        }
    }

    /// Metered adapters stop a loop at its budget; unmetered ones ignore budgets and run it
    /// to the end (what `redzone bench` relies on), with the same result on every engine.
    #[test]
    fn metering_off_runs_without_a_budget_and_on_stops_at_it() {
        let wasm = wat::parse_str(
            r#"(module (func (export "count") (param i32) (result i32) (local i32)
                 (loop (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                   (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
                 (local.get 1)))"#,
        )
        .unwrap();
        for info in available() {
            let mut off = build_with(info.name, Metering::Off).unwrap();
            off.set_fuel(Some(100));
            let instance = off.load(&wasm).unwrap();
            let got = off.call(instance, "count", &[Val::I32(100_000)]);
            assert_eq!(got.unwrap(), vec![Val::I32(100_000)], "{} unmetered", info.name);

            let mut on = build_with(info.name, Metering::On).unwrap();
            let instance = on.load(&wasm).unwrap();
            on.set_fuel(Some(100));
            let err = on.call(instance, "count", &[Val::I32(100_000)]).unwrap_err();
            assert_eq!(err.trap_kind(), Some(&redzone_engine::TrapKind::OutOfFuel), "{} metered: {err}", info.name);
        }
    }
}
