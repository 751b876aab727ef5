//! A test-only adapter that wraps a real engine and perturbs one thing at a time (a memory
//! byte, a global, a table entry, a trap kind, a result value): the oracle must report each
//! with the right location, and nothing when nothing is perturbed.

use crate::trial;
use libtest_mimic::{Failed, Trial};
use redzone_engine::TrapKind;
use redzone_harness::engines::{
    self, Engine, EngineError, Export, InstanceId, MemoryState, ModuleId, Provided, TableState, Val,
};
use redzone_harness::oracles::fleet::{CallPlan, Fleet, run_module};
use redzone_harness::oracles::{Location, Verdict, What};
use std::borrow::Cow;

/// What the wrapper changes.
#[derive(Debug, Clone, Copy)]
enum Perturb {
    Nothing,
    MemoryByte(usize),
    Global,
    TableEntry(usize),
    TrapKind,
    Result,
}

struct Perturbed {
    inner: Box<dyn Engine>,
    what: Perturb,
    name: String,
}

impl Engine for Perturbed {
    fn name(&self) -> &str {
        &self.name
    }
    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        self.inner.compile(wasm)
    }
    fn provide(&mut self, provided: &[Provided]) -> Result<InstanceId, EngineError> {
        self.inner.provide(provided)
    }
    fn instantiate_with(&mut self, module: ModuleId, dummies: Option<InstanceId>) -> Result<InstanceId, EngineError> {
        self.inner.instantiate_with(module, dummies)
    }
    fn register(&mut self, instance: InstanceId, name: &str) -> Result<(), EngineError> {
        self.inner.register(instance, name)
    }
    fn exports(&self, instance: InstanceId) -> Result<Vec<Export>, EngineError> {
        self.inner.exports(instance)
    }
    fn call(&mut self, instance: InstanceId, name: &str, args: &[Val]) -> Result<Vec<Val>, EngineError> {
        match (self.inner.call(instance, name, args), self.what) {
            (Ok(mut values), Perturb::Result) if !values.is_empty() => {
                if let Val::I32(x) = values[0] {
                    values[0] = Val::I32(x ^ 1);
                }
                Ok(values)
            }
            (Err(e), Perturb::TrapKind) if e.trap_kind().is_some() => {
                Err(EngineError::trap(TrapKind::UnreachableCodeReached, "perturbed"))
            }
            (r, _) => r,
        }
    }
    fn global(&self, instance: InstanceId, name: &str) -> Result<Val, EngineError> {
        let v = self.inner.global(instance, name)?;
        Ok(match (v, self.what) {
            (Val::I32(x), Perturb::Global) => Val::I32(x.wrapping_add(1)),
            (v, _) => v,
        })
    }
    fn memory(&self, instance: InstanceId, name: &str) -> Result<MemoryState<'_>, EngineError> {
        let m = self.inner.memory(instance, name)?;
        match self.what {
            // A memory too small to hold the byte stays as it is (an empty memory 0 beside a
            // perturbed memory 1).
            Perturb::MemoryByte(at) if at < m.bytes.len() => {
                let mut bytes = m.bytes.into_owned();
                bytes[at] ^= 0x5a;
                Ok(MemoryState { pages: m.pages, bytes: Cow::Owned(bytes) })
            }
            _ => Ok(m),
        }
    }
    fn table(&self, instance: InstanceId, name: &str) -> Result<TableState, EngineError> {
        let mut t = self.inner.table(instance, name)?;
        if let Perturb::TableEntry(i) = self.what {
            t.null[i] = !t.null[i];
        }
        Ok(t)
    }
    fn write_memory(&mut self, instance: InstanceId, name: &str, offset: u64, bytes: &[u8]) -> Result<(), EngineError> {
        self.inner.write_memory(instance, name, offset, bytes)
    }
    fn set_fuel(&mut self, fuel: Option<u64>) {
        self.inner.set_fuel(fuel)
    }
}

const MODULE: &str = r#"(module
  (memory (export "memory") 1)
  (global (export "counter") (mut i32) (i32.const 0))
  (table (export "table") 4 funcref)
  (elem (i32.const 1) $id)
  (func $id (export "id") (param i32) (result i32) (local.get 0))
  (func (export "bump") (global.set 0 (i32.add (global.get 0) (i32.const 1))))
  (func (export "trap") (drop (i32.load (i32.const 70000)))))"#;

fn fleet(what: Perturb) -> Result<Fleet, EngineError> {
    let real = engines::build("redzone:checked")?;
    let inner = engines::build("redzone:checked")?;
    let perturbed = Perturbed { inner, what, name: "perturbed".into() };
    Ok(Fleet::from_engines(vec![real, Box::new(perturbed)], Some(1_000_000)))
}

fn first_divergence(what: Perturb) -> Result<Option<(String, Verdict)>, Failed> {
    let wasm = wat::parse_str(MODULE).map_err(|e| e.to_string())?;
    let plan = CallPlan { calls_per_export: 2, ..CallPlan::default() };
    let run = run_module("perturb.wat", &wasm, &plan, || fleet(what)).map_err(|e| e.to_string())?;
    Ok(run.steps.into_iter().find(|s| s.verdict.is_divergence()).map(|s| (s.label, s.verdict)))
}

fn expect(what: Perturb, want_what: What, want_location: Location) -> Result<(), Failed> {
    let Some((step, verdict)) = first_divergence(what)? else {
        return Err(format!("{what:?}: no divergence reported").into());
    };
    let Verdict::Diverge { what: got, location, engines, .. } = &verdict else { unreachable!() };
    if *got != want_what || *location != want_location {
        return Err(format!("{what:?}: at step {step}: {verdict}, wanted {want_what} at {want_location}").into());
    }
    let sides: Vec<&Vec<String>> = engines.iter().map(|g| &g.engines).collect();
    if sides != [&vec!["redzone:checked".to_string()], &vec!["perturbed".to_string()]] {
        return Err(format!("{what:?}: engines grouped as {sides:?}").into());
    }
    Ok(())
}

/// Instantiating `wat` with byte 0x10 of every memory flipped on one side diverges first in
/// memory `memory`, at that byte.
fn instantiation_diverges_in(wat: &str, memory: &str) -> Result<(), Failed> {
    let wasm = wat::parse_str(wat).map_err(|e| e.to_string())?;
    let run = run_module("memory.wat", &wasm, &CallPlan::default(), || fleet(Perturb::MemoryByte(0x10)))
        .map_err(|e| e.to_string())?;
    let want = Location::Memory { memory: memory.into(), page: 0, offset: Some(0x10) };
    match &run.steps[0].verdict {
        Verdict::Diverge { what: What::Memory, location, .. } if *location == want => Ok(()),
        other => Err(format!("{other}").into()),
    }
}

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    trials.push(trial("perturb::nothing_perturbed_agrees".into(), || match first_divergence(Perturb::Nothing)? {
        None => Ok(()),
        Some((step, v)) => Err(format!("unperturbed run diverged at {step}: {v}").into()),
    }));
    trials.push(trial("perturb::memory_byte".into(), || {
        let Some((_, Verdict::Diverge { location, detail, .. })) = first_divergence(Perturb::MemoryByte(0x1234))?
        else {
            return Err("no divergence".into());
        };
        let want = Location::Memory { memory: "memory".into(), page: 0, offset: Some(0x1234) };
        if location != want || !detail.iter().any(|l| l.contains("5a")) {
            return Err(format!("{location:?} {detail:#?}").into());
        }
        expect(Perturb::MemoryByte(0x1234), What::Memory, want)
    }));
    trials.push(trial("perturb::imported_memory_byte".into(), || {
        // A memory the module imports (a dummy the fleet provided) and does not export is
        // compared too, under its label: a flipped byte in it is a divergence located there.
        instantiation_diverges_in(
            r#"(module (import "env" "memory" (memory 1)) (data (i32.const 3) "\01"))"#,
            "import:env.memory",
        )
    }));
    trials.push(trial("perturb::unexported_memory_1_byte".into(), || {
        // Memory 1 is not exported: the fleet exports it for the comparison
        // (`oracles::expose`), so a flipped byte in it is a divergence located there.
        instantiation_diverges_in(
            r#"(module (memory (export "empty") 0) (memory 1) (data (memory 1) (i32.const 3) "\01")
                 (func (export "st") (param i32) (i32.store8 1 (local.get 0) (i32.const 9))))"#,
            "redzone:memory1",
        )
    }));
    trials.push(trial("perturb::global".into(), || {
        expect(Perturb::Global, What::Global, Location::Global { global: "counter".into() })
    }));
    trials.push(trial("perturb::table_entry".into(), || {
        expect(Perturb::TableEntry(2), What::Table, Location::TableEntry { table: "table".into(), index: 2 })
    }));
    trials.push(trial("perturb::trap_kind".into(), || {
        expect(Perturb::TrapKind, What::Trap, Location::Call { export: "trap".into() })
    }));
    trials.push(trial("perturb::result".into(), || {
        expect(Perturb::Result, What::Result, Location::Call { export: "id".into() })
    }));
}
