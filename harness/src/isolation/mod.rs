//! Process isolation: running test cases where an engine that crashes, aborts, overflows its
//! native stack, runs out of memory or hangs takes down only a worker process, never the
//! campaign that asked.
//!
//! Data enters as a [`Job`] (a case, its fuel, the engine configurations, what to render) and
//! leaves as a [`Ran`]: either the [`RunReport`] of a run that completed (the counters and the
//! first divergence's signature that the fuzz loop needs, the finding's step record, and the
//! rendered run for `redzone run`/`replay`) or the [`Death`] of the worker that ran it,
//! classified ([`death`]).
//!
//! Two [`Runner`]s produce it:
//! - [`InProcess`] runs the job on this thread (what `--isolation none` and the library's
//!   tests use): fastest, but a native crash ends the process;
//! - [`worker::Worker`] sends it to a long-lived `redzone worker` process over a pipe
//!   ([`protocol`]: length-prefixed JSON headers with the module as a binary blob) and reads
//!   the report back; the worker runs under a memory limit (`RLIMIT_DATA`, which counts what
//!   is committed, not the engines' PROT_NONE guard reservations) and a wall-clock timeout per
//!   job, and is respawned after it dies. The worker side is [`serve`].
//!
//! Re-executed workers were chosen over a fork server: the harness runs jobs on threads, and
//! a `fork` of a multi-threaded process may inherit locks held by other threads (the
//! allocator's, the engines' code registries); a worker pays its start-up once and then only
//! the pipe's cost per case (measured in the README).
//!
//! To isolate another verb: build a [`Job`] for what it runs and hand it to a [`Runner`].

pub mod death;
pub mod protocol;
pub mod serve;
pub mod worker;

pub use death::{CrashClass, Death};
pub use worker::{Worker, WorkerSettings};

use crate::engines::{EngineError, ImportPolicy};
use crate::fuzz::finding::{self, StepRecord};
use crate::fuzz::signature::{self, Signature};
use crate::generators::TestCase;
use crate::oracles::Observed;
use crate::oracles::case::run_case;
use crate::oracles::fleet::{CallPlan, Fleet, ModuleRun};
use crate::spec::{ScriptOptions, ScriptReport, SuiteFile};
use serde::{Deserialize, Serialize};

/// How a verb runs its cases.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Isolation {
    /// On the caller's thread: a native crash in an engine ends the process.
    #[default]
    None,
    /// In `redzone worker` processes with these settings.
    Process(WorkerSettings),
}

impl Isolation {
    /// A runner for this isolation (one per thread: a worker process serves one job at a time).
    pub fn runner(&self) -> Box<dyn Runner> {
        match self {
            Isolation::None => Box::new(InProcess),
            Isolation::Process(settings) => Box::new(Worker::new(settings.clone())),
        }
    }
}

/// What a run should also produce for people, besides its [`RunReport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Render {
    /// Nothing (the fuzz loop).
    #[default]
    None,
    /// The steps as `redzone run` prints them.
    Text,
    /// The run as JSON.
    Json,
}

/// One case to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The name steps are labelled with (a file, or `<generator>-<index>`).
    pub file: String,
    /// The case, module included.
    pub case: TestCase,
    /// Fuel per step on every engine.
    pub fuel: Option<u64>,
    /// Engine configurations.
    pub engines: Vec<String>,
    /// What to render.
    pub render: Render,
}

/// What a completed run reports: all that the fuzz loop, `redzone run` and `replay` need,
/// small enough to cross a pipe.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RunReport {
    /// Steps compared (the instantiation and each call).
    pub steps: u64,
    /// Steps whose verdict was inconclusive.
    pub inconclusive: u64,
    /// Whether some engine instantiated the module.
    pub instantiated: bool,
    /// The first diverging step and its signature, by the fuzz loop's rule
    /// ([`signature::of_run`]).
    pub divergence: Option<(usize, Signature)>,
    /// That step as a finding records it.
    pub step: Option<StepRecord>,
    /// The run rendered as text ([`Render::Text`]).
    pub text: Option<String>,
    /// The run as JSON ([`Render::Json`]).
    pub json: Option<serde_json::Value>,
}

impl RunReport {
    /// The report of `run`, whose module is `wasm`.
    pub fn of(run: &ModuleRun, wasm: &[u8], render: Render) -> RunReport {
        let divergence = signature::of_run(run, wasm);
        let step = divergence.as_ref().and_then(|(i, _)| run.steps.get(*i).map(|s| finding::step_record(*i, s)));
        RunReport {
            steps: run.steps.len() as u64,
            inconclusive: run.inconclusive() as u64,
            instantiated: run
                .steps
                .first()
                .is_some_and(|s| s.outcomes.iter().any(|o| o.observed == Observed::Instantiated)),
            divergence,
            step,
            text: (render == Render::Text).then(|| crate::cli::run::render_module(run)),
            json: (render == Render::Json).then(|| serde_json::to_value(run).unwrap_or_default()),
        }
    }
}

/// The result of a job.
#[derive(Debug, Clone, PartialEq)]
pub enum Ran {
    /// The run completed (the engines may still disagree: see the report).
    Completed(Box<RunReport>),
    /// The process running it died.
    Died(Death),
}

impl Ran {
    /// The divergence's signature, when the run completed and diverged.
    pub fn signature(&self) -> Option<&Signature> {
        match self {
            Ran::Completed(r) => r.divergence.as_ref().map(|(_, s)| s),
            Ran::Died(_) => None,
        }
    }

    /// Whether this shows `signature`: the same divergence, or for a native crash's
    /// signature a death of the same class (the shrinking predicate of every caller).
    pub fn shows(&self, signature: &Signature) -> bool {
        match self {
            Ran::Completed(_) => self.signature() == Some(signature),
            Ran::Died(death) => signature.is_native_crash() && signature.traps.first() == Some(&death.class.label()),
        }
    }

    /// The death, when the process died.
    pub fn death(&self) -> Option<&Death> {
        match self {
            Ran::Died(d) => Some(d),
            Ran::Completed(_) => None,
        }
    }
}

/// One spec testsuite file to run: on each engine alone, or on all of them in lockstep with
/// the cross-engine diff ([`crate::spec::lockstep`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecJob {
    /// The file.
    pub file: SuiteFile,
    /// Engine configurations.
    pub engines: Vec<String>,
    /// Lockstep (one report per engine, then the diff column's) or one engine at a time.
    pub lockstep: bool,
    /// The runner's options.
    pub options: ScriptOptions,
}

/// The result of a [`SpecJob`].
#[derive(Debug, Clone, PartialEq)]
pub enum SpecRan {
    /// The reports, in engine order (then the diff column's, in lockstep).
    Reports(Vec<ScriptReport>),
    /// The process running the file died.
    Died(Death),
}

/// Runs a spec job here and now: the body of both runners.
pub fn execute_spec(job: &SpecJob) -> Vec<ScriptReport> {
    let f = &job.file;
    let names: Vec<&str> = job.engines.iter().map(String::as_str).collect();
    if job.lockstep {
        crate::spec::lockstep::run_file(&f.path, &f.name, &f.scope, &names, &job.options)
    } else {
        names.iter().map(|e| crate::spec::run_one(&f.path, &f.name, &f.scope, e, &job.options)).collect()
    }
}

/// One module for `redzone run`: instantiated, then its exports called as `plan` says, with
/// imports resolved as `imports` says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleJob {
    /// The file, as given.
    pub file: String,
    /// The module (the blob on the wire).
    #[serde(skip)]
    pub wasm: Vec<u8>,
    /// The calls.
    pub plan: CallPlan,
    /// How imports are resolved.
    pub imports: ImportPolicy,
    /// Engine configurations.
    pub engines: Vec<String>,
}

/// What a module run reports: the run rendered both ways, and what the verb's exit status
/// and notes need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleReport {
    /// `redzone run`'s text block.
    pub text: String,
    /// The run as JSON.
    pub json: serde_json::Value,
    /// Diverging steps.
    pub divergences: usize,
    /// Whether an engine panicked.
    pub panicked: bool,
    /// Whether a step ran out of fuel on some engine.
    pub out_of_fuel: bool,
}

/// The result of a [`ModuleJob`].
#[derive(Debug, Clone, PartialEq)]
pub enum ModuleRan {
    /// The run completed.
    Done(Box<ModuleReport>),
    /// The process running it died.
    Died(Death),
}

/// Runs a module job here and now: the body of both runners.
pub fn execute_module(job: &ModuleJob) -> Result<(ModuleRun, ModuleReport), EngineError> {
    let names: Vec<&str> = job.engines.iter().map(String::as_str).collect();
    let make = || Ok(Fleet::build(&names, job.plan.fuel)?.with_imports(job.imports));
    let run = crate::oracles::fleet::run_module(&job.file, &job.wasm, &job.plan, make)?;
    let report = ModuleReport {
        text: crate::cli::run::render_module(&run),
        json: serde_json::to_value(&run).unwrap_or_default(),
        divergences: run.divergences(),
        panicked: run.panicked(),
        out_of_fuel: crate::cli::run::ran_out_of_fuel(&run),
    };
    Ok((run, report))
}

/// Something that runs jobs.
pub trait Runner {
    /// Runs `job`. Errors: the engines cannot be built, or the worker cannot be started or
    /// spoken to (not a crash: a crash is [`Ran::Died`]).
    fn run(&mut self, job: &Job) -> anyhow::Result<Ran>;

    /// Runs a spec testsuite file. Errors as for [`Runner::run`].
    fn spec(&mut self, job: &SpecJob) -> anyhow::Result<SpecRan>;

    /// Runs a module for `redzone run`. Errors as for [`Runner::run`].
    fn module(&mut self, job: &ModuleJob) -> anyhow::Result<ModuleRan>;

    /// Worker processes this runner has started so far (0 for one that runs in-process).
    fn processes_started(&self) -> u64 {
        0
    }
}

/// Runs `job` here and now: the body of both runners.
pub fn execute(job: &Job) -> Result<RunReport, EngineError> {
    let names: Vec<&str> = job.engines.iter().map(String::as_str).collect();
    let run = run_case(&job.file, &job.case, job.fuel, || Fleet::build(&names, job.fuel))?;
    Ok(RunReport::of(&run, &job.case.wasm, job.render))
}

/// The runner without isolation.
#[derive(Debug, Clone, Copy, Default)]
pub struct InProcess;

impl Runner for InProcess {
    fn run(&mut self, job: &Job) -> anyhow::Result<Ran> {
        let report = execute(job).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Ran::Completed(Box::new(report)))
    }

    fn spec(&mut self, job: &SpecJob) -> anyhow::Result<SpecRan> {
        Ok(SpecRan::Reports(execute_spec(job)))
    }

    fn module(&mut self, job: &ModuleJob) -> anyhow::Result<ModuleRan> {
        let (_, report) = execute_module(job).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(ModuleRan::Done(Box::new(report)))
    }
}

/// Runs `job` on each of its engines alone (each in a fresh process when `runner` isolates)
/// and returns the engines whose run died of the same class as `death`, in the job's order:
/// the confirmation of a crash and its attribution to configurations in one pass.
pub fn crashing_engines(runner: &mut dyn Runner, job: &Job, death: &Death) -> anyhow::Result<Vec<String>> {
    dying_alone(&job.engines, death, |engine| {
        let alone = Job { engines: vec![engine.to_string()], render: Render::None, ..job.clone() };
        Ok(runner.run(&alone)?.death().cloned())
    })
}

/// The engines of `engines` whose run alone (`run_alone`, which returns the death when the
/// run died) dies of the same class as `death`, in order: the attribution loop of every kind
/// of job.
pub fn dying_alone(
    engines: &[String],
    death: &Death,
    mut run_alone: impl FnMut(&str) -> anyhow::Result<Option<Death>>,
) -> anyhow::Result<Vec<String>> {
    let mut crashed = Vec::new();
    for engine in engines {
        if run_alone(engine)?.is_some_and(|d| d.class == death.class) {
            crashed.push(engine.clone());
        }
    }
    Ok(crashed)
}
