//! The string/array passing ABI (`suites/abi/ABI.md`) on every engine configuration.
//!
//! The client and every check live in `redzone_engine::abi` ([`AbiClient`], [`check_range`],
//! [`check_alloc`]); this module only gives the client a view of an engine adapter,
//! [`EngineHost`], so wasmtime, wasmer and wasmi go through exactly the checks redzone's
//! own engine does. [`guests`] holds the suite's guests (the allocator spliced in) and loads
//! them onto an adapter; [`suite`] runs every guest function on a fixed set of inputs on
//! every configuration in lockstep, diffs outputs and memories, checks what the broken
//! guests must produce, and runs the leak check. `redzone abi` (`cli/abi.rs`) renders it.
//!
//! To add a guest: a `.wat` in `suites/abi/` and an entry in [`guests::GUESTS`]; to add a
//! function shape or input: [`suite::CALLS`] or [`suite::inputs`].

pub mod guests;
pub mod suite;

pub use redzone_engine::abi::{
    AbiClient, AbiError, AbiErrorKind, AbiHost, Arg, ExportShape, Output, Ret, check_alloc, check_range,
};

use crate::engines::{Engine, EngineError, EngineErrorKind, ExportKind, InstanceId, Val, panic_free};
use redzone_engine::memory::checked_range;
use redzone_engine::{Value, abi::MEMORY};

/// An instance in an engine adapter, seen through the ABI. A panic inside the engine is
/// caught and reported as [`AbiErrorKind::Engine`].
pub struct EngineHost<'e> {
    engine: &'e mut dyn Engine,
    instance: InstanceId,
}

impl<'e> EngineHost<'e> {
    /// The view of `instance` in `engine`.
    pub fn new(engine: &'e mut dyn Engine, instance: InstanceId) -> Self {
        EngineHost { engine, instance }
    }

    /// The ABI client for `instance` in `engine` (checks the ABI's exports).
    pub fn client(engine: &'e mut dyn Engine, instance: InstanceId) -> Result<AbiClient<Self>, AbiError> {
        AbiClient::new(EngineHost::new(engine, instance))
    }

    /// The adapter.
    pub fn engine(&mut self) -> &mut dyn Engine {
        self.engine
    }
}

/// An adapter error as an ABI error: traps keep their canonical kind.
pub fn abi_error(err: &EngineError) -> AbiError {
    match err.kind() {
        EngineErrorKind::Trap { kind, .. } => AbiError::trap(kind.clone()),
        _ => AbiError::engine(err.to_string()),
    }
}

fn caught<R>(f: impl FnOnce() -> Result<R, EngineError>) -> Result<R, AbiError> {
    match panic_free(f) {
        Ok(result) => result.map_err(|e| abi_error(&e)),
        Err(panic) => Err(AbiError::engine(format!("engine panicked: {panic}"))),
    }
}

impl AbiHost for EngineHost<'_> {
    fn export(&self, name: &str) -> Option<ExportShape> {
        let exports = caught(|| self.engine.exports(self.instance)).ok()?;
        let export = exports.into_iter().find(|e| e.name == name)?;
        Some(match export.kind {
            ExportKind::Func { params, results } => ExportShape::Func { params, results },
            ExportKind::Memory => ExportShape::Memory,
            ExportKind::Global(_) => ExportShape::Other("global"),
            ExportKind::Table => ExportShape::Other("table"),
        })
    }

    fn memory_size(&self) -> Result<u64, AbiError> {
        caught(|| self.engine.memory(self.instance, MEMORY).map(|m| m.bytes.len() as u64))
    }

    fn read_memory(&self, offset: u64, buf: &mut [u8]) -> Result<(), AbiError> {
        caught(|| {
            let memory = self.engine.memory(self.instance, MEMORY)?;
            let size = memory.bytes.len() as u64;
            let range = checked_range(offset, buf.len() as u64, size).map_err(|_| {
                EngineError::usage(format!("read of {} bytes at {offset:#x} is outside memory", buf.len()))
            })?;
            buf.copy_from_slice(&memory.bytes[range]);
            Ok(())
        })
    }

    fn write_memory(&mut self, offset: u64, bytes: &[u8]) -> Result<(), AbiError> {
        caught(|| self.engine.write_memory(self.instance, MEMORY, offset, bytes))
    }

    fn call(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>, AbiError> {
        let args: Vec<Val> = args.iter().map(to_val).collect::<Result<_, _>>()?;
        let results = caught(|| self.engine.call(self.instance, name, &args))?;
        results.iter().map(from_val).collect()
    }
}

fn to_val(v: &Value) -> Result<Val, AbiError> {
    Ok(match *v {
        Value::I32(x) => Val::I32(x),
        Value::I64(x) => Val::I64(x),
        Value::F32(x) => Val::F32(x),
        Value::F64(x) => Val::F64(x),
        _ => return Err(AbiError::engine("references do not cross the ABI")),
    })
}

/// A harness value as an engine value (numbers only: references do not cross the ABI).
pub fn from_val(v: &Val) -> Result<Value, AbiError> {
    Ok(match *v {
        Val::I32(x) => Value::I32(x),
        Val::I64(x) => Value::I64(x),
        Val::F32(x) => Value::F32(x),
        Val::F64(x) => Value::F64(x),
        _ => return Err(AbiError::engine("references do not cross the ABI")),
    })
}

/// An engine value as a harness value, for comparing with [`Val::same`] (NaNs by class).
pub fn val_of(v: &Value) -> Option<Val> {
    to_val(v).ok()
}
