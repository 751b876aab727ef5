//! Modules with imports on every configuration, through the fleet's dummy imports
//! (`engines::imports`): what is provided is the same everywhere, every export runs, and the
//! imported memories, globals and tables are compared like exported ones.
//!
//! - `imports::every_kind_runs_and_agrees`: `suites/edges/imports_every_kind.wat` (a memory, a
//!   table, two globals and three functions imported) has every export called with seeded
//!   arguments on every configuration, with agreement and the imported state compared;
//! - `imports::segment_trapping_halfway`: a data segment into an imported memory that traps:
//!   the earlier segment's bytes stay, the trapping one writes nothing, and every engine's
//!   imported memory after the failed instantiation holds exactly that;
//! - `imports::smith_cases_with_imports`: smith cases that import, over a fixed seed range, all
//!   instantiate on every configuration and never diverge;
//! - `imports::unprovidable_is_inconclusive`: an exception tag import is inconclusive with a
//!   message naming it, never an agreement on a link error.

use crate::{engine_names, trial, workspace_root};
use arbitrary::Unstructured;
use libtest_mimic::{Failed, Trial};
use redzone_engine::TrapKind;
use redzone_harness::engines::{DummyFuncs, ProvidedItem};
use redzone_harness::generators::smith::{SmithConfig, generate};
use redzone_harness::generators::{Calls, Rng};
use redzone_harness::oracles::case::run_case;
use redzone_harness::oracles::fleet::{CallPlan, Fleet, ModuleRun, run_module};
use redzone_harness::oracles::{Observed, State, Verdict};

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    trials.push(trial("imports::every_kind_runs_and_agrees".into(), every_kind));
    trials.push(trial("imports::segment_trapping_halfway".into(), segment_trapping_halfway));
    trials.push(trial("imports::smith_cases_with_imports".into(), smith_cases));
    trials.push(trial("imports::unprovidable_is_inconclusive".into(), unprovidable));
}

fn run(file: &str, wasm: &[u8], plan: &CallPlan) -> Result<ModuleRun, Failed> {
    let names = engine_names();
    run_module(file, wasm, plan, || Fleet::build(&names, plan.fuel)).map_err(|e| e.to_string().into())
}

/// The state every engine saw after `step`, checked to be there on all of them.
fn states(run: &ModuleRun, step: usize) -> Result<Vec<&State>, Failed> {
    let step = &run.steps[step];
    step.outcomes
        .iter()
        .map(|o| o.state.as_ref().ok_or_else(|| format!("{}: no state after {}", o.engine, step.label).into()))
        .collect()
}

fn every_kind() -> Result<(), Failed> {
    let path = workspace_root().join("suites/edges/imports_every_kind.wat");
    let wasm = wat::parse_file(&path).map_err(|e| e.to_string())?;
    let plan = CallPlan { calls_per_export: 3, fuel: Some(1_000_000), ..CallPlan::default() };
    let run = run("imports_every_kind.wat", &wasm, &plan)?;
    let shown = || redzone_harness::cli::run::render_module(&run);
    let kinds: Vec<&str> = run
        .provided
        .iter()
        .map(|p| match p.item {
            ProvidedItem::Memory { .. } => "memory",
            ProvidedItem::Table { .. } => "table",
            ProvidedItem::Global { .. } => "global",
            ProvidedItem::Func { .. } => "func",
        })
        .collect();
    if kinds != ["memory", "table", "global", "global", "func", "func", "func"] {
        return Err(format!("provided {kinds:?}\n{}", shown()).into());
    }
    if run.steps[0].outcomes.iter().any(|o| o.observed != Observed::Instantiated) || run.divergences() > 0 {
        return Err(format!("did not instantiate and agree everywhere:\n{}", shown()).into());
    }
    if run.inconclusive() > 0 || run.engines.len() != engine_names().len() {
        return Err(format!("inconclusive steps or missing engines:\n{}", shown()).into());
    }
    for export in ["store", "load", "grow", "bump", "base", "call_answer", "call_pair", "call_log", "indirect"] {
        if !run.steps.iter().any(|s| s.label.starts_with(&format!("{export}("))) {
            return Err(format!("export {export} was never called:\n{}", shown()).into());
        }
    }
    // The imported state is read on every engine and compared: the memory the segment wrote
    // (and `grow` grew), the mutable global `bump` counts with, the table.
    for state in states(&run, run.steps.len() - 1)? {
        let names: Vec<&str> = state
            .memories
            .iter()
            .map(|m| m.name.as_str())
            .chain(state.globals.iter().map(|(n, _)| n.as_str()))
            .chain(state.tables.iter().map(|t| t.name.as_str()))
            .collect();
        if names != ["import:env.memory", "import:env.counter", "import:env.base", "import:env.table"] {
            return Err(format!("state items {names:?}").into());
        }
        if state.memories[0].pages != 2 || state.globals[0].1 != redzone_harness::engines::Val::I32(1) {
            return Err(format!("grow and bump should show in the imported state: {state:?}").into());
        }
    }
    Ok(())
}

fn segment_trapping_halfway() -> Result<(), Failed> {
    let wasm = wat::parse_str(
        r#"(module
             (import "env" "memory" (memory 1 1))
             (data (i32.const 0) "\aa\bb")
             (data (i32.const 65535) "\01\02")
             (data (i32.const 16) "\cc"))"#,
    )
    .map_err(|e| e.to_string())?;
    let run = run("segment.wat", &wasm, &CallPlan::default())?;
    let step = &run.steps[0];
    let trap = Observed::Trapped { trap: TrapKind::MemoryOutOfBounds, instantiating: true };
    if step.verdict != Verdict::Agree || step.outcomes.iter().any(|o| o.observed != trap) {
        return Err(redzone_harness::cli::run::render_module(&run).into());
    }
    for (state, outcome) in states(&run, 0)?.into_iter().zip(&step.outcomes) {
        if state.memories.len() != 1 || state.memories[0].name != "import:env.memory" {
            return Err(
                format!("{}: the imported memory is not in the compared state: {state:?}", outcome.engine).into()
            );
        }
    }
    // The fleet compares the bytes (equal here, so it keeps no page hashes); what they are is
    // checked on each engine directly: the first segment, and nothing of the others.
    let provided = redzone_harness::engines::imports::plan(&wasm, DummyFuncs::Zeros).map_err(|e| e.to_string())?;
    for name in engine_names() {
        let mut engine = redzone_harness::engines::build(name).map_err(|e| e.to_string())?;
        let module = engine.compile(&wasm).map_err(|e| e.to_string())?;
        let host = engine.provide(&provided).map_err(|e| e.to_string())?;
        let err = engine.instantiate_with(module, Some(host)).err().ok_or("instantiated")?;
        if err.trap_kind() != Some(&TrapKind::MemoryOutOfBounds) {
            return Err(format!("{name}: {err}").into());
        }
        let memory = engine.memory(host, "import:env.memory").map_err(|e| e.to_string())?;
        let written: Vec<(usize, u8)> =
            memory.bytes.iter().enumerate().filter(|(_, b)| **b != 0).map(|(i, b)| (i, *b)).collect();
        if written != [(0, 0xaa), (1, 0xbb)] {
            return Err(format!("{name}: bytes written before the trap: {written:x?}").into());
        }
    }
    Ok(())
}

fn smith_cases() -> Result<(), Failed> {
    let names = engine_names();
    let config = SmithConfig { imports_percent: 100, ..SmithConfig::default() };
    let fuel = Some(1_000_000);
    let (mut importing, mut instantiated, mut with_memory) = (0, 0, 0);
    let mut problems = Vec::new();
    for seed in 0..24u64 {
        let data = Rng::new(seed).bytes(4096);
        let Ok(case) = generate(&mut Unstructured::new(&data), &config) else { continue };
        let run = run_case(&format!("smith seed {seed}"), &case, fuel, || Fleet::build(&names, fuel))
            .map_err(|e| e.to_string())?;
        if run.provided.is_empty() {
            continue;
        }
        importing += 1;
        if run.steps[0].outcomes.iter().all(|o| o.observed == Observed::Instantiated) {
            instantiated += 1;
            with_memory += usize::from(run.provided.iter().any(|p| matches!(p.item, ProvidedItem::Memory { .. })));
        }
        if run.divergences() > 0 {
            problems.push(redzone_harness::cli::run::render_module(&run));
        }
        assert!(matches!(case.calls, Calls::Seeded { .. }));
    }
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }
    if instantiated == 0 || with_memory == 0 || instantiated * 2 < importing {
        return Err(format!(
            "{importing} cases imported, {instantiated} instantiated on every engine, {with_memory} of them with an \
             imported memory"
        )
        .into());
    }
    Ok(())
}

fn unprovidable() -> Result<(), Failed> {
    let wasm =
        wat::parse_str(r#"(module (import "env" "tag" (tag)) (func (export "f")))"#).map_err(|e| e.to_string())?;
    let run = run("tag.wat", &wasm, &CallPlan::default())?;
    let Verdict::Inconclusive { why } = &run.steps[0].verdict else {
        return Err(format!("not inconclusive:\n{}", redzone_harness::cli::run::render_module(&run)).into());
    };
    if !why.contains("\"env\".\"tag\"") && !why.contains("exception") {
        return Err(format!("the reason does not name the import: {why}").into());
    }
    Ok(())
}
