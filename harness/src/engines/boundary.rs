//! The adapter boundary: [`CatchPanics`] wraps any [`Engine`] so that a panic inside it (a
//! bug in a peer engine, or in its adapter) becomes that engine's [`EngineErrorKind::Panic`]
//! instead of unwinding through the harness and losing the other engines' results.
//!
//! After a panic the wrapped engine's store may be half-updated, so the wrapper is poisoned:
//! every later call reports the first panic again instead of touching the store. To put a new
//! engine behind the boundary, wrap it in [`super::build`]: `Box::new(CatchPanics::new(x))`.

use super::{
    Engine, EngineError, EngineErrorKind, Export, InstanceId, MemoryState, ModuleId, Provided, TableState, Val,
};
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// An [`Engine`] whose panics are caught and reported as errors.
pub struct CatchPanics<E> {
    inner: E,
    /// The message of the first panic, once there was one.
    poisoned: RefCell<Option<String>>,
}

impl<E: Engine> CatchPanics<E> {
    /// Wraps `inner`.
    pub fn new(inner: E) -> Self {
        CatchPanics { inner, poisoned: RefCell::new(None) }
    }

    /// The wrapped engine.
    pub fn inner(&self) -> &E {
        &self.inner
    }

    fn poisoned_error(&self) -> Option<EngineError> {
        let poisoned = self.poisoned.borrow();
        poisoned
            .as_ref()
            .map(|msg| EngineErrorKind::Panic(format!("{msg} (earlier call; the store is unusable)")).into())
    }

    fn poison(&self, payload: &(dyn std::any::Any + Send)) -> EngineError {
        let err = EngineError::panic(payload);
        if let EngineErrorKind::Panic(msg) = err.kind() {
            *self.poisoned.borrow_mut() = Some(msg.clone());
        }
        err
    }
}

/// Runs `$body` (an expression over `$this.inner`) unless the wrapper is poisoned, turning a
/// panic into an error. A macro rather than a generic helper because the body borrows
/// `self.inner` mutably or shared depending on the method.
macro_rules! guarded {
    ($this:ident, $body:expr) => {{
        if let Some(err) = $this.poisoned_error() {
            return Err(err);
        }
        match catch_unwind(AssertUnwindSafe(|| $body)) {
            Ok(result) => result,
            Err(payload) => Err($this.poison(&*payload)),
        }
    }};
}

impl<E: Engine> Engine for CatchPanics<E> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        guarded!(self, self.inner.compile(wasm))
    }

    fn instantiate(&mut self, module: ModuleId) -> Result<InstanceId, EngineError> {
        guarded!(self, self.inner.instantiate(module))
    }

    fn provide(&mut self, provided: &[Provided]) -> Result<InstanceId, EngineError> {
        guarded!(self, self.inner.provide(provided))
    }

    fn instantiate_with(&mut self, module: ModuleId, dummies: Option<InstanceId>) -> Result<InstanceId, EngineError> {
        guarded!(self, self.inner.instantiate_with(module, dummies))
    }

    fn register(&mut self, instance: InstanceId, name: &str) -> Result<(), EngineError> {
        guarded!(self, self.inner.register(instance, name))
    }

    fn exports(&self, instance: InstanceId) -> Result<Vec<Export>, EngineError> {
        guarded!(self, self.inner.exports(instance))
    }

    fn call(&mut self, instance: InstanceId, name: &str, args: &[Val]) -> Result<Vec<Val>, EngineError> {
        guarded!(self, self.inner.call(instance, name, args))
    }

    fn global(&self, instance: InstanceId, name: &str) -> Result<Val, EngineError> {
        guarded!(self, self.inner.global(instance, name))
    }

    fn memory(&self, instance: InstanceId, name: &str) -> Result<MemoryState<'_>, EngineError> {
        guarded!(self, self.inner.memory(instance, name))
    }

    fn write_memory(&mut self, instance: InstanceId, name: &str, offset: u64, bytes: &[u8]) -> Result<(), EngineError> {
        guarded!(self, self.inner.write_memory(instance, name, offset, bytes))
    }

    fn table(&self, instance: InstanceId, name: &str) -> Result<TableState, EngineError> {
        guarded!(self, self.inner.table(instance, name))
    }

    fn set_fuel(&mut self, fuel: Option<u64>) {
        if self.poisoned.borrow().is_some() {
            return;
        }
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| self.inner.set_fuel(fuel))) {
            self.poison(&*payload);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine that panics on `compile` and counts what reaches it.
    struct Panicky {
        calls: u32,
    }

    impl Engine for Panicky {
        fn name(&self) -> &str {
            "panicky"
        }
        fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
            self.calls += 1;
            if wasm.is_empty() {
                panic!("no bytes: {}", self.calls);
            }
            Ok(ModuleId(0))
        }
        fn provide(&mut self, _: &[Provided]) -> Result<InstanceId, EngineError> {
            Err(EngineError::usage("none"))
        }
        fn instantiate_with(&mut self, _: ModuleId, _: Option<InstanceId>) -> Result<InstanceId, EngineError> {
            self.calls += 1;
            Ok(InstanceId(0))
        }
        fn register(&mut self, _: InstanceId, _: &str) -> Result<(), EngineError> {
            Ok(())
        }
        fn exports(&self, _: InstanceId) -> Result<Vec<Export>, EngineError> {
            Ok(Vec::new())
        }
        fn call(&mut self, _: InstanceId, _: &str, _: &[Val]) -> Result<Vec<Val>, EngineError> {
            Ok(Vec::new())
        }
        fn global(&self, _: InstanceId, _: &str) -> Result<Val, EngineError> {
            Ok(Val::I32(0))
        }
        fn memory(&self, _: InstanceId, _: &str) -> Result<MemoryState<'_>, EngineError> {
            Err(EngineError::usage("none"))
        }
        fn write_memory(&mut self, _: InstanceId, _: &str, _: u64, _: &[u8]) -> Result<(), EngineError> {
            Err(EngineError::usage("none"))
        }
        fn table(&self, _: InstanceId, _: &str) -> Result<TableState, EngineError> {
            Err(EngineError::usage("none"))
        }
        fn set_fuel(&mut self, _: Option<u64>) {}
    }

    #[test]
    fn a_panic_becomes_an_error_and_poisons_the_adapter() {
        let mut engine = CatchPanics::new(Panicky { calls: 0 });
        assert_eq!(engine.compile(b"x").unwrap(), ModuleId(0), "no panic: passes through");
        let err = engine.compile(b"").unwrap_err();
        assert_eq!(err.kind(), &EngineErrorKind::Panic("no bytes: 2".into()));
        let err = engine.instantiate(ModuleId(0)).unwrap_err();
        assert!(matches!(err.kind(), EngineErrorKind::Panic(m) if m.starts_with("no bytes: 2 (earlier call")), "{err}");
        assert_eq!(engine.inner().calls, 2, "a poisoned adapter never reaches the engine again");
    }
}
