//! [`Fleet`]: the same module on several engines in lockstep, one step at a time, each step
//! judged by [`super::compare`].
//!
//! Data enters as engine adapters (built by name, or any [`Engine`], such as a test's
//! perturbing wrapper), module bytes and calls; it leaves as [`Step`]s (every engine's
//! [`Outcome`] and the [`Verdict`]) and, for a whole module, a [`ModuleRun`].
//!
//! Imports are satisfied with dummies by default ([`ImportPolicy::Dummies`], see
//! `engines::imports`): each engine gets the same [`engines::Provided`] list as a host
//! instance, and the host instance's memories, globals and tables are part of every state
//! comparison under their labels (`import:env.memory`), from the instantiation step on (even
//! one that trapped: a data segment that wrote into an imported memory before trapping has
//! left bytes that must be the same everywhere). [`Fleet::with_imports`] picks strict linking
//! instead. An import no engine could be given (a tag, a shared memory) makes the instantiation
//! step inconclusive with the reason, and so does every engine refusing to link the dummies:
//! a link failure is never agreement when the harness chose what to link.
//!
//! Every engine call runs under `catch_unwind`: a panic is that engine's outcome
//! ([`Observed::Panicked`]), the engine is dropped from later steps, and the others go on.
//! After an inconclusive step (fuel, stack, limits) the engines' states may legitimately
//! differ, so [`run_module`] starts them afresh before the next call.

use super::{
    Location, MAX_RANGES, MemoryDigest, Observed, Outcome, State, TableDigest, Verdict, What, compare, hex_diff,
    memory_ranges,
};
use crate::engines::imports::{self, ImportPolicy, PlanError};
use crate::engines::{
    self, Engine, EngineError, Export, ExportKind, InstanceId, Provided, Val, display_values, panic_free,
};
use crate::generators::Rng;
use crate::generators::args::{ArgConfig, arguments, parse_arg};
use redzone_engine::ValType;
use serde::Serialize;
use std::path::PathBuf;

/// One engine of a fleet.
struct Member {
    name: String,
    /// `None` once the engine panicked: its state can no longer be trusted.
    engine: Option<Box<dyn Engine>>,
    instance: Option<InstanceId>,
    /// Exported memories, globals and tables of `instance`, read once.
    state_exports: Vec<Export>,
    /// The host instance of dummy imports, when the module has imports and the fleet provides
    /// them; it outlives a failed instantiation.
    host: Option<InstanceId>,
    /// The memories, globals and tables of `host`, by label.
    host_state: Vec<Export>,
    functions: Vec<(String, Vec<ValType>)>,
}

impl Member {
    /// Where to read the state item `name`: the instance's export, or the host's dummy.
    fn holder_of(&self, name: &str) -> Option<InstanceId> {
        if self.state_exports.iter().any(|e| e.name == name) { self.instance } else { self.host }
    }
}

/// Several engines running the same module in lockstep.
pub struct Fleet {
    members: Vec<Member>,
    fuel: Option<u64>,
    imports: ImportPolicy,
}

/// One step on every engine, and the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// `instantiate`, or the call as `name(args)`.
    pub label: String,
    /// Each engine's outcome, in engine order.
    pub outcomes: Vec<Outcome>,
    /// The oracle's verdict.
    pub verdict: Verdict,
}

/// Reads the state of an instance: every exported memory, global and table. Memories are
/// hashed by page when `hash_pages` is set; callers that already know every engine's
/// memories are byte-for-byte equal (see [`memories_equal`]) pass false and get empty hash
/// lists, which compare equal: hashing in an unoptimised build costs far more than `memcmp`.
pub fn observe(
    engine: &dyn Engine,
    instance: InstanceId,
    exports: &[Export],
    hash_pages: bool,
) -> Result<State, EngineError> {
    let mut state = State::default();
    for export in exports {
        match &export.kind {
            ExportKind::Memory => {
                let m = engine.memory(instance, &export.name)?;
                state.memories.push(if hash_pages {
                    MemoryDigest::new(&export.name, m.pages, &m.bytes)
                } else {
                    MemoryDigest { name: export.name.clone(), pages: m.pages, hashes: Vec::new() }
                });
            }
            ExportKind::Global(_) => state.globals.push((export.name.clone(), engine.global(instance, &export.name)?)),
            ExportKind::Table => {
                let t = engine.table(instance, &export.name)?;
                state.tables.push(TableDigest { name: export.name.clone(), size: t.null.len() as u64, null: t.null });
            }
            ExportKind::Func { .. } => {}
        }
    }
    Ok(state)
}

/// Whether every engine's exported memories (the same exports on each) hold the same bytes.
/// `sides` are (engine, instance, exports); a memory that cannot be read counts as different.
pub fn memories_equal(sides: &[(&dyn Engine, InstanceId, &[Export])]) -> bool {
    let Some(((first, first_instance, exports), rest)) = sides.split_first() else { return true };
    exports.iter().filter(|e| e.kind == ExportKind::Memory).all(|e| {
        let Ok(Ok(a)) = panic_free(|| first.memory(*first_instance, &e.name)) else { return false };
        rest.iter().all(|(engine, instance, _)| {
            matches!(panic_free(|| engine.memory(*instance, &e.name).map(|m| m.bytes[..] == a.bytes[..])), Ok(Ok(true)))
        })
    })
}

/// Fills in the byte offset and the hex lines of a memory divergence from the engines' bytes.
/// `bytes_of` gives an engine's memory by configuration name.
pub fn explain_memory<'a>(verdict: &mut Verdict, bytes_of: impl Fn(&str, &str) -> Option<std::borrow::Cow<'a, [u8]>>) {
    let Verdict::Diverge { what: What::Memory, location: Location::Memory { memory, offset, .. }, engines, detail } =
        verdict
    else {
        return;
    };
    let shown: Vec<(String, std::borrow::Cow<'a, [u8]>)> =
        engines.iter().filter_map(|g| Some((g.engines[0].clone(), bytes_of(&g.engines[0], memory)?))).collect();
    if shown.len() < 2 {
        return;
    }
    let ranges = memory_ranges(&shown[0].1, &shown[1].1, MAX_RANGES);
    *offset = ranges.first().map(|r| r.start as u64);
    let named: Vec<(&str, &[u8])> = shown.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
    *detail = hex_diff(&ranges, &named);
}

impl Fleet {
    /// Builds the named configurations, each with `fuel` per step.
    pub fn build(names: &[&str], fuel: Option<u64>) -> Result<Fleet, EngineError> {
        let mut engines = Vec::new();
        for name in names {
            let engine = panic_free(|| engines::build(name))
                .map_err(|msg| EngineError::usage(format!("building {name} panicked: {msg}")))??;
            engines.push(engine);
        }
        Ok(Fleet::from_engines(engines, fuel))
    }

    /// A fleet of ready-made adapters (for tests that wrap engines).
    pub fn from_engines(engines: Vec<Box<dyn Engine>>, fuel: Option<u64>) -> Fleet {
        let members = engines
            .into_iter()
            .map(|e| Member {
                name: e.name().to_string(),
                engine: Some(e),
                instance: None,
                state_exports: Vec::new(),
                host: None,
                host_state: Vec::new(),
                functions: Vec::new(),
            })
            .collect();
        Fleet { members, fuel, imports: ImportPolicy::default() }
    }

    /// The same fleet resolving imports by `policy` (dummies by default).
    pub fn with_imports(mut self, policy: ImportPolicy) -> Fleet {
        self.imports = policy;
        self
    }

    /// What this fleet provides for the imports of `wasm`: empty under strict linking or for a
    /// module without imports, and the reason when an import cannot be provided.
    pub fn provided(&self, wasm: &[u8]) -> Result<Vec<Provided>, PlanError> {
        match self.imports {
            ImportPolicy::Strict => Ok(Vec::new()),
            ImportPolicy::Dummies(funcs) => imports::plan(wasm, funcs),
        }
    }

    /// The engines' names, in order.
    pub fn names(&self) -> Vec<String> {
        self.members.iter().map(|m| m.name.clone()).collect()
    }

    /// Compiles and instantiates `wasm` on every engine and compares the outcomes and the
    /// initial state (of every memory, exported or not).
    pub fn instantiate(&mut self, wasm: &[u8]) -> Step {
        // Every memory is compared: unexported ones get an export (see `expose`); the
        // imported ones are the provided dummies, compared under their `import:` labels.
        let exposed = super::expose::expose_memories(wasm, false);
        let wasm: &[u8] = &exposed;
        let fuel = self.fuel;
        let plan = self.provided(wasm);
        let mut outcomes = Vec::new();
        for m in &mut self.members {
            let Some(engine) = m.engine.as_mut() else { continue };
            let result = panic_free(|| {
                engine.set_fuel(fuel);
                let module = match engine.compile(wasm) {
                    Ok(module) => module,
                    Err(e) => return (None, Vec::new(), Err(e)),
                };
                let host = match &plan {
                    Ok(list) if list.is_empty() => None,
                    Ok(list) => match engine.provide(list) {
                        Ok(host) => Some(host),
                        Err(e) => return (None, Vec::new(), Err(e)),
                    },
                    Err(e) => return (None, Vec::new(), Err(EngineError::unsupported(e.to_string()))),
                };
                let host_state = match host.map(|h| engine.exports(h)).transpose() {
                    Ok(items) => items.unwrap_or_default().into_iter().filter(is_state).collect(),
                    Err(e) => return (host, Vec::new(), Err(e)),
                };
                let outcome = engine.instantiate_with(module, host).and_then(|instance| {
                    let exports = engine.exports(instance)?;
                    Ok::<_, EngineError>((instance, exports))
                });
                (host, host_state, outcome)
            });
            let mut trap_site = None;
            let (observed, state) = match result {
                Err(message) => {
                    m.engine = None;
                    (Observed::Panicked { message }, None)
                }
                Ok((host, host_state, outcome)) => {
                    m.host = host;
                    m.host_state = host_state;
                    match outcome {
                        Err(e) => {
                            trap_site = e.trap_offset();
                            (Observed::from_error(&e), None)
                        }
                        Ok((instance, exports)) => {
                            m.instance = Some(instance);
                            m.functions = exports
                                .iter()
                                .filter_map(|e| match &e.kind {
                                    ExportKind::Func { params, .. } => Some((e.name.clone(), params.clone())),
                                    _ => None,
                                })
                                .collect();
                            m.state_exports = exports.into_iter().filter(is_state).collect();
                            (Observed::Instantiated, None)
                        }
                    }
                }
            };
            outcomes.push(Outcome { engine: m.name.clone(), observed, state, trap_site });
        }
        self.observe_all(&mut outcomes);
        let mut step = self.judge("instantiate".into(), Location::Module, outcomes);
        let provided = matches!(&plan, Ok(list) if !list.is_empty());
        if provided
            && step.verdict == Verdict::Agree
            && let Some(Outcome { observed: Observed::LinkError { message }, .. }) = step.outcomes.first()
        {
            // The harness chose every import, so a module that links nowhere says nothing about
            // the engines: it is the harness's failure, never an agreement.
            step.verdict = Verdict::Inconclusive {
                why: format!("no engine could link the dummy imports the harness provided: {message}"),
            };
        }
        step
    }

    /// The exported functions and their parameters, from the first engine that instantiated.
    pub fn functions(&self) -> Vec<(String, Vec<ValType>)> {
        self.members.iter().find(|m| m.instance.is_some()).map(|m| m.functions.clone()).unwrap_or_default()
    }

    /// Whether any engine holds an instance to call.
    pub fn instantiated(&self) -> bool {
        self.members.iter().any(|m| m.instance.is_some() && m.engine.is_some())
    }

    /// The byte length of the first exported memory on the first engine that has one, or
    /// else of the first imported one.
    pub fn memory_len(&self) -> Option<u64> {
        self.members.iter().find_map(|m| {
            let engine = m.engine.as_ref()?;
            let first = |list: &[Export]| list.iter().find(|e| e.kind == ExportKind::Memory).map(|e| e.name.clone());
            let name = first(&m.state_exports).or_else(|| first(&m.host_state))?;
            engine.memory(m.holder_of(&name)?, &name).ok().map(|s| s.bytes.len() as u64)
        })
    }

    /// Calls `export` with `args` on every engine that instantiated, then reads every state.
    pub fn call(&mut self, export: &str, args: &[Val]) -> Step {
        let fuel = self.fuel;
        let mut outcomes = Vec::new();
        for m in &mut self.members {
            let (Some(engine), Some(instance)) = (m.engine.as_mut(), m.instance) else { continue };
            let result = panic_free(|| {
                engine.set_fuel(fuel);
                engine.call(instance, export, args)
            });
            let mut trap_site = None;
            let observed = match result {
                Err(message) => {
                    m.engine = None;
                    Observed::Panicked { message }
                }
                Ok(Ok(values)) => Observed::returned(values),
                Ok(Err(e)) => {
                    trap_site = e.trap_offset();
                    Observed::from_error(&e)
                }
            };
            outcomes.push(Outcome { engine: m.name.clone(), observed, state: None, trap_site });
        }
        self.observe_all(&mut outcomes);
        let label = format!("{export}({})", display_values(args).trim_matches(['[', ']']));
        self.judge(label, Location::Call { export: export.to_string() }, outcomes)
    }

    /// Runs `work` on every engine that instantiated (with the fleet's fuel, under
    /// `catch_unwind`: a panic is that engine's outcome and drops it), then reads every state
    /// and judges, like [`Fleet::call`]. For steps that are not one plain call, such as an ABI
    /// round trip (`oracles::case`).
    pub fn step_with(
        &mut self,
        label: String,
        location: Location,
        mut work: impl FnMut(&mut dyn Engine, InstanceId) -> Observed,
    ) -> Step {
        let fuel = self.fuel;
        let mut outcomes = Vec::new();
        for m in &mut self.members {
            let (Some(engine), Some(instance)) = (m.engine.as_mut(), m.instance) else { continue };
            let observed = match panic_free(|| {
                engine.set_fuel(fuel);
                work(&mut **engine, instance)
            }) {
                Ok(observed) => observed,
                Err(message) => Observed::Panicked { message },
            };
            if matches!(observed, Observed::Panicked { .. }) {
                m.engine = None;
            }
            outcomes.push(Outcome { engine: m.name.clone(), observed, state: None, trap_site: None });
        }
        self.observe_all(&mut outcomes);
        self.judge(label, location, outcomes)
    }

    /// Reads every live engine's state (its dummy imports' first, then its exports') into its
    /// outcome, hashing pages only when the memories differ somewhere.
    fn observe_all(&mut self, outcomes: &mut [Outcome]) {
        let live: Vec<&Member> =
            self.members.iter().filter(|m| m.engine.is_some() && (m.instance.is_some() || m.host.is_some())).collect();
        let hash = !memories_equal(&sides(&live, |m| (m.host, &m.host_state)))
            || !memories_equal(&sides(&live, |m| (m.instance, &m.state_exports)));
        for m in live {
            let Some(engine) = m.engine.as_ref() else { continue };
            let Some(outcome) = outcomes.iter_mut().find(|o| o.engine == m.name) else { continue };
            if matches!(outcome.observed, Observed::Panicked { .. }) {
                continue;
            }
            let read = panic_free(|| {
                let mut state = match m.host {
                    Some(host) => observe(&**engine, host, &m.host_state, hash)?,
                    None => State::default(),
                };
                if let Some(instance) = m.instance {
                    let own = observe(&**engine, instance, &m.state_exports, hash)?;
                    state.memories.extend(own.memories);
                    state.globals.extend(own.globals);
                    state.tables.extend(own.tables);
                }
                Ok::<_, EngineError>(state)
            });
            if let Ok(Ok(state)) = read {
                outcome.state = Some(state);
            }
        }
    }

    fn judge(&self, label: String, location: Location, outcomes: Vec<Outcome>) -> Step {
        let mut verdict = compare(&location, &outcomes);
        explain_memory(&mut verdict, |engine, memory| {
            let m = self.members.iter().find(|m| m.name == engine)?;
            let state = m.engine.as_ref()?.memory(m.holder_of(memory)?, memory).ok()?;
            Some(state.bytes)
        });
        Step { label, outcomes, verdict }
    }
}

/// The (engine, instance, state exports) of every live member that has the instance `of`
/// picks (its module instance, or its host instance of dummy imports).
fn sides<'a>(
    live: &[&'a Member],
    of: impl Fn(&'a Member) -> (Option<InstanceId>, &'a Vec<Export>),
) -> Vec<(&'a dyn Engine, InstanceId, &'a [Export])> {
    live.iter()
        .filter_map(|m| {
            let (id, exports) = of(m);
            Some((&**m.engine.as_ref()?, id?, &exports[..]))
        })
        .collect()
}

/// Whether an export is state the oracle compares (a memory, global or table).
fn is_state(export: &Export) -> bool {
    !matches!(export.kind, ExportKind::Func { .. })
}

/// What `run_module` calls.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CallPlan {
    /// Seed for the arguments. Defaults to 0.
    pub seed: u64,
    /// Calls of each export that takes parameters (exports without parameters are called
    /// once). Defaults to 4.
    pub calls_per_export: usize,
    /// Call only this export with these arguments (parsed by its parameter types) instead.
    pub invoke: Option<(String, Vec<String>)>,
    /// Fuel per step. Defaults to 100 million instructions.
    pub fuel: Option<u64>,
}

impl Default for CallPlan {
    fn default() -> Self {
        CallPlan { seed: 0, calls_per_export: 4, invoke: None, fuel: Some(100_000_000) }
    }
}

/// One module on a fleet: every step and its verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModuleRun {
    /// The file, as given.
    pub file: String,
    /// Engine configurations, in order.
    pub engines: Vec<String>,
    /// The argument seed.
    pub seed: u64,
    /// What the harness provided for the module's imports (empty without imports, or when an
    /// import could not be provided: the instantiation step then says why).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provided: Vec<Provided>,
    /// Instantiation, then each call.
    pub steps: Vec<Step>,
    /// Where the module was saved, when an engine panicked or diverged.
    pub saved: Option<PathBuf>,
}

impl ModuleRun {
    /// Steps whose verdict is a divergence.
    pub fn divergences(&self) -> usize {
        self.steps.iter().filter(|s| s.verdict.is_divergence()).count()
    }

    /// Steps whose verdict is inconclusive.
    pub fn inconclusive(&self) -> usize {
        self.steps.iter().filter(|s| matches!(s.verdict, Verdict::Inconclusive { .. })).count()
    }

    /// Whether any engine panicked.
    pub fn panicked(&self) -> bool {
        self.steps.iter().any(|s| matches!(s.verdict, Verdict::Diverge { what: What::Crash, .. }))
    }
}

/// After an inconclusive step: a fresh fleet from `make` with `wasm` instantiated again, or
/// `None` when the new instance cannot be made alike (that instantiation step is then added to
/// `run`, ending it).
pub fn restart(
    run: &mut ModuleRun,
    wasm: &[u8],
    make: &mut impl FnMut() -> Result<Fleet, EngineError>,
) -> Result<Option<Fleet>, EngineError> {
    let mut fleet = make()?;
    let again = fleet.instantiate(wasm);
    if !fleet.instantiated() || again.verdict.is_divergence() {
        run.steps.push(again);
        return Ok(None);
    }
    Ok(Some(fleet))
}

/// Runs `wasm` on the fleets `make` builds: instantiates, then calls every exported function
/// (or just `plan.invoke`) with seeded arguments, comparing after each step. A new fleet is
/// made after an inconclusive step. Errors are only usage errors (`--invoke` of an export that
/// does not exist, arguments that do not parse).
pub fn run_module(
    file: &str,
    wasm: &[u8],
    plan: &CallPlan,
    mut make: impl FnMut() -> Result<Fleet, EngineError>,
) -> Result<ModuleRun, EngineError> {
    let mut fleet = make()?;
    let mut run = ModuleRun {
        file: file.to_string(),
        engines: fleet.names(),
        seed: plan.seed,
        provided: fleet.provided(wasm).unwrap_or_default(),
        steps: Vec::new(),
        saved: None,
    };
    run.steps.push(fleet.instantiate(wasm));
    if !fleet.instantiated() {
        return Ok(run);
    }
    let functions = fleet.functions();
    let mut calls: Vec<(String, Vec<ValType>, usize)> = Vec::new();
    match &plan.invoke {
        Some((name, args)) => {
            let (_, params) = functions.iter().find(|(n, _)| n == name).ok_or_else(|| {
                let names: Vec<&str> = functions.iter().map(|(n, _)| n.as_str()).collect();
                EngineError::usage(format!("--invoke {name}: no such exported function; exports: {}", names.join(", ")))
            })?;
            if params.len() != args.len() {
                return Err(EngineError::usage(format!(
                    "--invoke {name}: takes {} argument(s) ({params:?}), {} given",
                    params.len(),
                    args.len()
                )));
            }
            calls.push((name.clone(), params.clone(), 1));
        }
        None => {
            for (name, params) in functions {
                let times = if params.is_empty() { 1 } else { plan.calls_per_export.max(1) };
                calls.push((name, params, times));
            }
        }
    }
    let mut rng = Rng::new(plan.seed);
    for (name, params, times) in calls {
        for _ in 0..times {
            let args = match &plan.invoke {
                Some((_, text)) => params
                    .iter()
                    .zip(text)
                    .map(|(ty, t)| parse_arg(*ty, t))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| EngineError::usage(format!("--invoke {name}: {e}")))?,
                None => {
                    let config = ArgConfig { memory_len: fleet.memory_len().unwrap_or(65536) };
                    arguments(&params, &mut rng, &config)
                }
            };
            let step = fleet.call(&name, &args);
            let fresh = matches!(step.verdict, Verdict::Inconclusive { .. });
            run.steps.push(step);
            if fresh {
                match restart(&mut run, wasm, &mut make)? {
                    Some(new) => fleet = new,
                    None => return Ok(run),
                }
            }
        }
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engines() -> Vec<&'static str> {
        engines::default_names()
    }

    #[test]
    fn a_module_runs_and_agrees_on_every_engine() {
        let wasm = wat::parse_str(
            r#"(module (memory (export "memory") 1) (global (export "g") (mut i32) (i32.const 0))
                 (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))
                   (global.set 0 (local.get 1)))
                 (func (export "spin") (loop (br 0))))"#,
        )
        .unwrap();
        let plan = CallPlan { calls_per_export: 8, fuel: Some(100_000), ..CallPlan::default() };
        let names = engines();
        let run = run_module("m.wat", &wasm, &plan, || Fleet::build(&names, plan.fuel)).unwrap();
        assert_eq!(run.steps.len(), 1 + 8 + 1);
        assert_eq!(run.divergences(), 0, "{:#?}", run.steps);
        assert_eq!(run.inconclusive(), 1, "spin runs out of fuel");
        let traps = run.steps.iter().filter(|s| matches!(s.outcomes[0].observed, Observed::Trapped { .. })).count();
        assert!(traps > 0 && traps < 9, "seeded addresses both hit and miss memory ({traps} traps)");
    }

    #[test]
    fn invoke_runs_one_call_and_checks_its_arguments() {
        let wasm = wat::parse_str(
            r#"(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"#,
        )
        .unwrap();
        let names = engines();
        let plan = CallPlan { invoke: Some(("add".into(), vec!["2".into(), "0x10".into()])), ..CallPlan::default() };
        let run = run_module("m.wat", &wasm, &plan, || Fleet::build(&names, plan.fuel)).unwrap();
        assert_eq!(run.steps[1].label, "add(i32:2, i32:16)");
        assert_eq!(run.steps[1].outcomes[0].observed, Observed::returned(vec![Val::I32(18)]));
        let plan = CallPlan { invoke: Some(("add".into(), vec!["2".into()])), ..CallPlan::default() };
        let err = run_module("m.wat", &wasm, &plan, || Fleet::build(&names, plan.fuel)).unwrap_err();
        assert!(err.to_string().contains("takes 2 argument(s)"), "{err}");
        let plan = CallPlan { invoke: Some(("nope".into(), vec![])), ..CallPlan::default() };
        let err = run_module("m.wat", &wasm, &plan, || Fleet::build(&names, plan.fuel)).unwrap_err();
        assert!(err.to_string().contains("exports: add"), "{err}");
    }

    #[test]
    fn rejected_modules_agree_when_every_engine_rejects_them() {
        let names = engines();
        let run = run_module("bad.wasm", b"\0asm\x01\0\0\0\x0f", &CallPlan::default(), || Fleet::build(&names, None))
            .unwrap();
        assert_eq!(run.steps.len(), 1);
        assert_eq!(run.steps[0].verdict, Verdict::Agree);
        assert!(matches!(run.steps[0].outcomes[0].observed, Observed::CompileError { .. }));
    }
}
