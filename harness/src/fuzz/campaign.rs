//! The differential fuzz loop behind `redzone fuzz`: generated cases on a fleet of engine
//! configurations, divergences signed, confirmed, deduplicated, shrunk and saved.
//!
//! Data enters as a [`CampaignConfig`]; each case comes from a byte buffer that depends only
//! on the campaign seed and the case's index ([`case_bytes`]), fed to the generator the index
//! selects ([`generator_for`]), so `(seed, index)` reproduces a case whatever `--jobs` was.
//! Jobs are threads that take the next index from a shared counter; each has its own
//! [`Runner`] ([`CampaignConfig::isolation`]): a `redzone worker` process (the CLI's default),
//! or the job's own thread. Either way every case gets fresh fleets through
//! `oracles::case::run_case`.
//!
//! Per case:
//! 1. generate (bytes that make no case are counted as skipped);
//! 2. run it; count instantiations, steps and inconclusive steps (fuel, stack, host limits
//!    and unsupported proposals are never findings);
//! 3. on a divergence, run it again: a different signature (or none) the second time is
//!    engine nondeterminism, counted as `flaky`, never a finding;
//! 4. when the worker died (a signal, an abort, a native stack overflow, the memory limit or
//!    the timeout), run the case on each configuration alone in a fresh worker: the ones that
//!    die of the same class are the crash's configurations and its signature
//!    ([`Signature::crash`]); none dying again is `flaky`;
//! 5. a signature whose root-cause cluster ([`Signature::cluster`]) was seen before (in this
//!    campaign, or in a finding already in `--out`) is a duplicate; a new one is shrunk
//!    ([`super::shrink`], candidates run through the same runner, so a candidate that
//!    crashes costs a worker) and written at once ([`super::finding::save`]), so nothing
//!    already found is lost.
//!
//! Progress leaves as [`Snapshot`]s passed to an observer every 200 ms; the result is a
//! [`Summary`]. [`budget`] is the gate's fixed-seed, fixed-execution run.

use super::finding::{self, Build, Finding, FindingRecord, Saved, ShrinkRecord, StepRecord};
use super::shrink::{ShrinkConfig, shrink};
use super::signature::Signature;
use crate::bench::results::FuzzBudget;
use crate::engines::default_names;
use crate::generators::{GeneratorConfig, GeneratorKind, Rng, TestCase, generate};
use crate::isolation::{self, Death, Isolation, Job, Ran, Render, Runner};
use crate::oracles::fleet::Fleet;
use anyhow::Context;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// When a campaign stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// After this long (a case under way, and its shrinking, is finished first).
    Time(Duration),
    /// After this many cases (case indices `0..n`, skipped inputs included).
    Executions(u64),
}

/// A campaign's settings.
#[derive(Debug, Clone)]
pub struct CampaignConfig {
    /// Generators, taken in turn by case index. Defaults to all four.
    pub generators: Vec<GeneratorKind>,
    /// Engine configurations. Defaults to every available one (the seven of DESIGN.md).
    pub engines: Vec<String>,
    /// The seed every case's bytes derive from. Defaults to 0.
    pub seed: u64,
    /// Worker threads. Defaults to 1.
    pub jobs: usize,
    /// When to stop. Defaults to 1,000 executions.
    pub limit: Limit,
    /// Fuel per step on every engine (running out is inconclusive); `None` takes each
    /// generator's own ([`crate::fuzz::target::fuel`]: 1,000,000, and 2^36 for `edges`, whose
    /// modules cannot loop but whose bulk operations wasmtime charges per byte before their
    /// bounds check). Defaults to `None`.
    pub fuel: Option<u64>,
    /// Shrinking settings; `None` saves findings as generated. Defaults to
    /// [`ShrinkConfig::default`].
    pub shrink: Option<ShrinkConfig>,
    /// Where findings are written (`<out>/<signature>/`); `None` keeps them in the summary
    /// only. Defaults to `None`.
    pub out: Option<PathBuf>,
    /// Largest input buffer per case, in bytes (each case draws its length up to this).
    /// Defaults to 8,192.
    pub max_input: usize,
    /// The generators' own settings. Defaults to [`GeneratorConfig::default`].
    pub generator: GeneratorConfig,
    /// Where cases run: worker processes that a crash or hang costs, not the campaign, or
    /// the job threads themselves. Defaults to [`Isolation::None`] (the library's callers
    /// have no `redzone` executable to start; the CLI passes its own).
    pub isolation: Isolation,
    /// More directories of saved findings whose clusters count as known (met again, never
    /// new), besides `out`: the gate passes `suites/regressions/peers`, the peer bugs
    /// already reduced and recorded. Defaults to none.
    pub known: Vec<PathBuf>,
}

impl Default for CampaignConfig {
    fn default() -> Self {
        CampaignConfig {
            generators: GeneratorKind::ALL.to_vec(),
            engines: default_names().into_iter().map(str::to_string).collect(),
            seed: 0,
            jobs: 1,
            limit: Limit::Executions(1000),
            fuel: None,
            shrink: Some(ShrinkConfig::default()),
            out: None,
            max_input: 8192,
            generator: GeneratorConfig::default(),
            isolation: Isolation::None,
            known: Vec::new(),
        }
    }
}

/// The input bytes of case `index` of a campaign with `seed`: between 16 and `max_input`
/// bytes (at least 16), the same on every machine.
pub fn case_bytes(seed: u64, index: u64, max_input: usize) -> Vec<u8> {
    let mut rng = Rng::new(Rng::new(seed).next_u64() ^ index);
    let max = max_input.max(16) as u64;
    let len = 16 + rng.below(max - 15) as usize;
    rng.bytes(len)
}

/// The generator of case `index`: the configured ones in turn (`None` when there are none).
pub fn generator_for(generators: &[GeneratorKind], index: u64) -> Option<GeneratorKind> {
    let n = generators.len() as u64;
    (n > 0).then(|| generators[(index % n) as usize])
}

/// Case `index` of a campaign, or `None` when its bytes make no case.
pub fn case_at(config: &CampaignConfig, index: u64) -> Option<TestCase> {
    let kind = generator_for(&config.generators, index)?;
    let bytes = case_bytes(config.seed, index, config.max_input);
    generate(kind, &mut arbitrary::Unstructured::new(&bytes), &config.generator).ok()
}

/// Counters of one generator, shared by the jobs.
#[derive(Debug, Default)]
struct Counters {
    executions: AtomicU64,
    skipped: AtomicU64,
    instantiated: AtomicU64,
    steps: AtomicU64,
    inconclusive: AtomicU64,
    new: AtomicU64,
    duplicates: AtomicU64,
    flaky: AtomicU64,
    crashes: AtomicU64,
    harness_panics: AtomicU64,
}

/// One generator's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneratorSummary {
    /// The generator.
    pub generator: GeneratorKind,
    /// Cases run on the engines.
    pub executions: u64,
    /// Cases per second of wall-clock time (all jobs together).
    pub executions_per_second: f64,
    /// Inputs that made no case.
    pub skipped: u64,
    /// Share of cases that instantiated on at least one engine.
    pub instantiated_share: f64,
    /// Steps (instantiations and calls) compared.
    pub steps: u64,
    /// Steps whose verdict was inconclusive.
    pub inconclusive_steps: u64,
    /// Share of steps whose verdict was inconclusive.
    pub inconclusive_share: f64,
    /// New signatures.
    pub findings: u64,
    /// Divergences whose signature was already known.
    pub duplicates: u64,
    /// Divergences that did not reproduce on a second run (nondeterminism; not findings).
    pub flaky: u64,
    /// Cases whose worker process died (crashes, aborts, stack overflows, memory limit,
    /// timeouts), confirmed or not.
    pub crashes: u64,
    /// Cases where the harness itself (not an engine) panicked.
    pub harness_panics: u64,
}

/// Progress so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// Time since the start.
    pub elapsed: Duration,
    /// Per generator.
    pub generators: Vec<GeneratorSummary>,
}

impl Snapshot {
    /// Cases run, all generators.
    pub fn executions(&self) -> u64 {
        self.generators.iter().map(|g| g.executions).sum()
    }

    /// New signatures, all generators.
    pub fn findings(&self) -> u64 {
        self.generators.iter().map(|g| g.findings).sum()
    }

    /// Duplicates, all generators.
    pub fn duplicates(&self) -> u64 {
        self.generators.iter().map(|g| g.duplicates).sum()
    }

    /// Worker deaths, all generators.
    pub fn crashes(&self) -> u64 {
        self.generators.iter().map(|g| g.crashes).sum()
    }

    /// Share of inconclusive steps, all generators.
    pub fn inconclusive_share(&self) -> f64 {
        let steps: u64 = self.generators.iter().map(|g| g.steps).sum();
        let inconclusive: u64 = self.generators.iter().map(|g| g.inconclusive_steps).sum();
        if steps == 0 { 0.0 } else { inconclusive as f64 / steps as f64 }
    }
}

/// A root-cause cluster the campaign met, with the first signature that showed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    /// The signature's directory name.
    pub name: String,
    /// `crash:<configuration>:<class>` for a native crash, else the name.
    pub label: String,
    /// The signature.
    pub signature: Signature,
    /// Its root-cause cluster ([`Signature::cluster`]).
    pub cluster: String,
    /// Other signatures of the same cluster met later, each with the first case that showed
    /// it (not saved: `(seed, index)` regenerates the case).
    pub variants: Vec<Variant>,
    /// The generator of the first case that showed it.
    pub generator: GeneratorKind,
    /// That case's index.
    pub index: u64,
    /// Seconds from the campaign's start to this cluster's first case being confirmed.
    pub seconds: f64,
    /// Where it was saved (`None` without `--out`, or when it was already there).
    pub path: Option<PathBuf>,
    /// Whether it was already in `--out` before this campaign.
    pub known: bool,
    /// Later cases of the same cluster (same signature, or a variant).
    pub duplicates: u64,
    /// Module size before and after shrinking.
    pub bytes: (usize, usize),
}

/// A later signature of a cluster, and the case that first showed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// The signature's directory name.
    pub name: String,
    /// The case index.
    pub index: u64,
}

/// A harness panic (a bug in redzone's harness, not in an engine).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HarnessPanic {
    /// The case.
    pub index: u64,
    /// The generator.
    pub generator: GeneratorKind,
    /// The message.
    pub message: String,
}

/// What a campaign did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The seed.
    pub seed: u64,
    /// Engine configurations.
    pub engines: Vec<String>,
    /// Jobs.
    pub jobs: usize,
    /// Whether it was stopped early (Ctrl-C).
    pub interrupted: bool,
    /// Figures at the end.
    pub totals: Snapshot,
    /// Every root-cause cluster met (new ones, and known ones met again), in order of
    /// discovery: one finding each.
    pub findings: Vec<Found>,
    /// Distinct signatures met, all clusters together.
    pub signatures: usize,
    /// Worker processes started (one per job, plus one per death; 0 without isolation).
    pub workers_started: u64,
    /// Harness panics, with the case to reproduce each.
    pub harness_panics: Vec<HarnessPanic>,
    /// The findings directory.
    pub out: Option<PathBuf>,
}

impl Summary {
    /// Whether any divergence was met (new or already known).
    pub fn diverged(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// State shared by the jobs.
struct Shared<'a> {
    config: &'a CampaignConfig,
    start: Instant,
    next: AtomicU64,
    stop: &'a AtomicBool,
    failed: AtomicBool,
    counters: Vec<Counters>,
    /// Cluster -> position in `found`.
    seen: Mutex<BTreeMap<String, usize>>,
    /// Signature names met.
    signatures: Mutex<std::collections::BTreeSet<String>>,
    workers_started: AtomicU64,
    found: Mutex<Vec<Found>>,
    panics: Mutex<Vec<HarnessPanic>>,
}

impl Shared<'_> {
    fn counters(&self, kind: GeneratorKind) -> &Counters {
        let i = self.config.generators.iter().position(|g| *g == kind).unwrap_or(0);
        &self.counters[i]
    }

    /// The fuel per step for cases of `kind`.
    fn fuel(&self, kind: GeneratorKind) -> Option<u64> {
        Some(self.config.fuel.unwrap_or_else(|| crate::fuzz::target::fuel(kind)))
    }

    /// The job running `case` on every configuration of the campaign.
    fn job(&self, file: &str, case: &TestCase) -> Job {
        Job {
            file: file.to_string(),
            case: case.clone(),
            fuel: self.fuel(case.generator),
            engines: self.config.engines.clone(),
            render: Render::None,
        }
    }

    fn snapshot(&self) -> Snapshot {
        let elapsed = self.start.elapsed();
        let secs = elapsed.as_secs_f64().max(1e-9);
        let share = |part: u64, whole: u64| if whole == 0 { 0.0 } else { part as f64 / whole as f64 };
        let generators = self
            .config
            .generators
            .iter()
            .zip(&self.counters)
            .map(|(kind, c)| {
                let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
                let executions = get(&c.executions);
                GeneratorSummary {
                    generator: *kind,
                    executions,
                    executions_per_second: executions as f64 / secs,
                    skipped: get(&c.skipped),
                    instantiated_share: share(get(&c.instantiated), executions),
                    steps: get(&c.steps),
                    inconclusive_steps: get(&c.inconclusive),
                    inconclusive_share: share(get(&c.inconclusive), get(&c.steps)),
                    findings: get(&c.new),
                    duplicates: get(&c.duplicates),
                    flaky: get(&c.flaky),
                    crashes: get(&c.crashes),
                    harness_panics: get(&c.harness_panics),
                }
            })
            .collect();
        Snapshot { elapsed, generators }
    }

    /// The next case index, or `None` when the campaign is over.
    fn claim(&self) -> Option<u64> {
        if self.stop.load(Ordering::Relaxed) || self.failed.load(Ordering::Relaxed) {
            return None;
        }
        let index = self.next.fetch_add(1, Ordering::Relaxed);
        match self.config.limit {
            Limit::Executions(n) if index >= n => None,
            Limit::Time(t) if self.start.elapsed() >= t => None,
            _ => Some(index),
        }
    }
}

/// Clusters of the findings already saved in `dirs` (the campaign's `out` and its `known`
/// directories), so a campaign that resumes in the same directory, or meets a recorded peer
/// bug, counts them as duplicates. A directory whose record cannot be read counts by its
/// name alone; a directory that does not exist adds nothing.
fn known_clusters<'a>(dirs: impl IntoIterator<Item = &'a Path>) -> Vec<String> {
    let mut clusters: Vec<String> = dirs
        .into_iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join(finding::RECORD).is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| match finding::load(&e.path()) {
            Ok(f) => f.record.signature.cluster(),
            Err(_) => e.file_name().to_string_lossy().into_owned(),
        })
        .collect();
    clusters.sort();
    clusters.dedup();
    clusters
}

/// Runs a campaign. `stop` ends it early when set (Ctrl-C); `observe` sees progress every
/// 200 ms and once at the end. Errors: an engine configuration that cannot be built, or a
/// findings directory that cannot be written.
pub fn run(config: &CampaignConfig, stop: &AtomicBool, mut observe: impl FnMut(&Snapshot)) -> anyhow::Result<Summary> {
    anyhow::ensure!(!config.generators.is_empty(), "no generator selected");
    anyhow::ensure!(!config.engines.is_empty(), "no engine selected");
    let names: Vec<&str> = config.engines.iter().map(String::as_str).collect();
    // Fail fast, with the engine's own message, before any thread starts.
    Fleet::build(&names, None).with_context(|| format!("building the engines {}", names.join(", ")))?;
    let shared = Shared {
        config,
        start: Instant::now(),
        next: AtomicU64::new(0),
        stop,
        failed: AtomicBool::new(false),
        counters: config.generators.iter().map(|_| Counters::default()).collect(),
        seen: Mutex::new(BTreeMap::new()),
        signatures: Mutex::new(Default::default()),
        workers_started: AtomicU64::new(0),
        found: Mutex::new(Vec::new()),
        panics: Mutex::new(Vec::new()),
    };
    let known = known_clusters(config.out.as_deref().into_iter().chain(config.known.iter().map(PathBuf::as_path)));
    let errors: Vec<anyhow::Error> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..config.jobs.max(1))
            .map(|job| {
                let shared = &shared;
                let known = &known;
                std::thread::Builder::new()
                    .name(format!("fuzz-{job}"))
                    // Deeply nested generated modules recurse in the validators and compilers.
                    .stack_size(64 << 20)
                    .spawn_scoped(s, move || worker(shared, known))
            })
            .collect::<Result<_, _>>()
            .map_err(|e| vec![anyhow::anyhow!("cannot start a fuzz job: {e}")])?;
        while !handles.iter().all(|h| h.is_finished()) {
            std::thread::sleep(Duration::from_millis(200));
            observe(&shared.snapshot());
        }
        Ok::<_, Vec<anyhow::Error>>(
            handles
                .into_iter()
                .filter_map(|h| match h.join() {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(e),
                    Err(p) => Some(anyhow::anyhow!("a fuzz job panicked: {}", crate::engines::panic_message(&*p))),
                })
                .collect(),
        )
    })
    .unwrap_or_else(|e| e);
    if let Some(e) = errors.into_iter().next() {
        return Err(e);
    }
    let totals = shared.snapshot();
    observe(&totals);
    Ok(Summary {
        seed: config.seed,
        engines: config.engines.clone(),
        jobs: config.jobs.max(1),
        interrupted: stop.load(Ordering::Relaxed),
        totals,
        findings: shared.found.into_inner().unwrap_or_else(|p| p.into_inner()),
        signatures: shared.signatures.into_inner().unwrap_or_else(|p| p.into_inner()).len(),
        workers_started: shared.workers_started.load(Ordering::Relaxed),
        harness_panics: shared.panics.into_inner().unwrap_or_else(|p| p.into_inner()),
        out: config.out.clone(),
    })
}

/// One job: cases until the campaign is over.
fn worker(shared: &Shared, known: &[String]) -> anyhow::Result<()> {
    let mut runner = shared.config.isolation.runner();
    let result = cases(shared, known, &mut *runner);
    shared.workers_started.fetch_add(runner.processes_started(), Ordering::Relaxed);
    result
}

/// The job's loop: cases until the campaign is over.
fn cases(shared: &Shared, known: &[String], runner: &mut dyn Runner) -> anyhow::Result<()> {
    while let Some(index) = shared.claim() {
        let Some(kind) = generator_for(&shared.config.generators, index) else { break };
        match crate::engines::panic_free(|| one_case(shared, known, runner, kind, index)) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                shared.failed.store(true, Ordering::Relaxed);
                return Err(e);
            }
            Err(message) => {
                shared.counters(kind).harness_panics.fetch_add(1, Ordering::Relaxed);
                let mut panics = shared.panics.lock().unwrap_or_else(|p| p.into_inner());
                panics.push(HarnessPanic { index, generator: kind, message });
            }
        }
    }
    Ok(())
}

/// What a case showed, once confirmed.
enum Confirmed {
    /// A divergence with this signature.
    Diverged(Signature),
    /// A native crash: its signature, the death, the engines that die alone.
    Crashed(Signature, Death, Vec<String>),
}

/// Generates, runs and judges case `index`; saves it when it is a new root cause.
fn one_case(
    shared: &Shared,
    known: &[String],
    runner: &mut dyn Runner,
    kind: GeneratorKind,
    index: u64,
) -> anyhow::Result<()> {
    let config = shared.config;
    let counters = shared.counters(kind);
    let Some(case) = case_at(config, index) else {
        counters.skipped.fetch_add(1, Ordering::Relaxed);
        return Ok(());
    };
    let job = shared.job(&format!("{kind}-{index}"), &case);
    let ran = runner.run(&job)?;
    counters.executions.fetch_add(1, Ordering::Relaxed);
    let confirmed = match ran {
        Ran::Completed(report) => {
            counters.steps.fetch_add(report.steps, Ordering::Relaxed);
            counters.inconclusive.fetch_add(report.inconclusive, Ordering::Relaxed);
            if report.instantiated {
                counters.instantiated.fetch_add(1, Ordering::Relaxed);
            }
            let Some((_, signature)) = report.divergence else { return Ok(()) };
            // A divergence must reproduce before it counts: the same case run again must give
            // the same signature, or the engines are nondeterministic here and nothing is
            // claimed.
            if runner.run(&job)?.signature() != Some(&signature) {
                counters.flaky.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            Confirmed::Diverged(signature)
        }
        Ran::Died(death) => {
            counters.crashes.fetch_add(1, Ordering::Relaxed);
            let crashed = isolation::crashing_engines(runner, &job, &death)?;
            if crashed.is_empty() {
                counters.flaky.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            let others: Vec<String> = config.engines.iter().filter(|e| !crashed.contains(e)).cloned().collect();
            Confirmed::Crashed(Signature::crash(&death.class.label(), &crashed, &others), death, crashed)
        }
    };
    let signature = match &confirmed {
        Confirmed::Diverged(s) | Confirmed::Crashed(s, ..) => s.clone(),
    };
    let name = signature.name();
    let cluster = signature.cluster();
    {
        let mut seen = shared.seen.lock().unwrap_or_else(|p| p.into_inner());
        let mut found = shared.found.lock().unwrap_or_else(|p| p.into_inner());
        shared.signatures.lock().unwrap_or_else(|p| p.into_inner()).insert(name.clone());
        if let Some(&at) = seen.get(&cluster) {
            let first = &mut found[at];
            first.duplicates += 1;
            if first.name != name && !first.variants.iter().any(|v| v.name == name) {
                first.variants.push(Variant { name, index });
            }
            counters.duplicates.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let already = known.contains(&cluster);
        seen.insert(cluster.clone(), found.len());
        found.push(Found {
            name: name.clone(),
            label: signature.label(),
            signature: signature.clone(),
            cluster,
            variants: Vec::new(),
            generator: kind,
            index,
            seconds: shared.start.elapsed().as_secs_f64(),
            path: None,
            known: already,
            duplicates: 0,
            bytes: (case.wasm.len(), case.wasm.len()),
        });
        if already {
            counters.duplicates.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
    }
    counters.new.fetch_add(1, Ordering::Relaxed);
    let finding = match confirmed {
        Confirmed::Diverged(signature) => divergence_finding(shared, runner, &job, signature, index)?,
        Confirmed::Crashed(signature, death, crashed) => {
            crash_finding(shared, runner, &job, signature, &death, crashed, index)?
        }
    };
    let path = match &config.out {
        Some(out) => match finding::save(out, &finding)? {
            Saved::New(path) | Saved::Duplicate(path) => Some(path),
        },
        None => None,
    };
    let mut found = shared.found.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(f) = found.iter_mut().find(|f| f.name == finding.record.name) {
        f.path = path;
        f.bytes = (finding.original.len(), finding.wasm.len());
    }
    Ok(())
}

/// Shrinks the case while `interesting` holds (unless shrinking is off).
fn shrunk(
    shared: &Shared,
    case: &TestCase,
    interesting: impl FnMut(&TestCase) -> anyhow::Result<bool>,
) -> anyhow::Result<(Vec<u8>, Option<ShrinkRecord>)> {
    let Some(settings) = &shared.config.shrink else { return Ok((case.wasm.clone(), None)) };
    let shrunk = shrink(case, interesting, settings)?;
    let record = ShrinkRecord {
        original_bytes: case.wasm.len(),
        bytes: shrunk.wasm.len(),
        candidates: shrunk.candidates,
        note: shrunk.note,
    };
    Ok((shrunk.wasm, Some(record)))
}

/// A divergence's finding: shrunk through the runner, its step recorded from a final run.
fn divergence_finding(
    shared: &Shared,
    runner: &mut dyn Runner,
    job: &Job,
    signature: Signature,
    index: u64,
) -> anyhow::Result<Finding> {
    let (wasm, shrink) = shrunk(shared, &job.case, |candidate| {
        Ok(runner.run(&Job { case: candidate.clone(), ..job.clone() })?.shows(&signature))
    })?;
    let saved = TestCase { wasm: wasm.clone(), ..job.case.clone() };
    let last = runner.run(&Job { file: finding::MODULE.into(), case: saved.clone(), ..job.clone() })?;
    let step = match last {
        Ran::Completed(report) => report.step,
        Ran::Died(_) => None,
    };
    let step = match step {
        Some(step) => step,
        // The saved module stopped diverging on its final run (shrinking checked it did):
        // record the step of the original run instead.
        None => match runner.run(job)? {
            Ran::Completed(report) => report.step.unwrap_or_else(|| no_step("the divergence did not show again")),
            Ran::Died(death) => no_step(&format!("the worker died: {death}")),
        },
    };
    Ok(Finding {
        record: record(shared, job, saved, signature, step, shrink, index),
        wasm,
        original: job.case.wasm.clone(),
    })
}

/// A native crash's finding: shrunk while the crashing engines alone still die of the same
/// class (a timeout is not shrunk: each candidate could cost the whole timeout).
fn crash_finding(
    shared: &Shared,
    runner: &mut dyn Runner,
    job: &Job,
    signature: Signature,
    death: &Death,
    crashed: Vec<String>,
    index: u64,
) -> anyhow::Result<Finding> {
    let alone = Job { engines: crashed.clone(), ..job.clone() };
    let (wasm, shrink) = if death.class == isolation::CrashClass::Timeout {
        (job.case.wasm.clone(), None)
    } else {
        shrunk(shared, &job.case, |candidate| {
            Ok(runner.run(&Job { case: candidate.clone(), ..alone.clone() })?.shows(&signature))
        })?
    };
    let saved = TestCase { wasm: wasm.clone(), ..job.case.clone() };
    let others: Vec<&String> = job.engines.iter().filter(|e| !crashed.contains(e)).collect();
    let step = StepRecord {
        index: 0,
        label: "the whole case".into(),
        verdict: serde_json::json!({
            "verdict": "diverge",
            "what": "crash",
            "location": { "at": "module" },
            "engines": [
                { "engines": crashed, "seen": death.to_string() },
                { "engines": others, "seen": "completed" },
            ],
            "detail": death.stderr.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>(),
        }),
        outcomes: serde_json::json!(
            crashed
                .iter()
                .map(|e| serde_json::json!({
                    "engine": e,
                    "observed": { "kind": "crashed", "class": death.class.label(), "status": death.status },
                }))
                .collect::<Vec<_>>()
        ),
    };
    Ok(Finding {
        record: record(shared, job, saved, signature, step, shrink, index),
        wasm,
        original: job.case.wasm.clone(),
    })
}

#[cold]
fn no_step(why: &str) -> StepRecord {
    StepRecord {
        index: 0,
        label: format!("not recorded: {why}"),
        verdict: serde_json::Value::Null,
        outcomes: serde_json::Value::Null,
    }
}

/// The record of a finding.
fn record(
    shared: &Shared,
    job: &Job,
    case: TestCase,
    signature: Signature,
    step: StepRecord,
    shrink: Option<ShrinkRecord>,
    index: u64,
) -> FindingRecord {
    let config = shared.config;
    FindingRecord {
        name: signature.name(),
        signature,
        step,
        engines: finding::engine_versions(&config.engines),
        fuel: job.fuel,
        generator: case.generator,
        seed: config.seed,
        index,
        case,
        shrink,
        redzone: Build::current(),
        time: finding::rfc3339(std::time::SystemTime::now()),
    }
}

/// The gate's fuzz budget: `executions` cases of `generator` from `seed` on `engines`, one
/// job per core, nothing written, no shrinking (the signature is known before shrinking).
/// Returns the signatures found, sorted.
pub fn budget(
    generator: GeneratorKind,
    seed: u64,
    executions: u64,
    engines: &[&str],
    known: &[PathBuf],
) -> anyhow::Result<FuzzBudget> {
    let config = CampaignConfig {
        generators: vec![generator],
        engines: engines.iter().map(|e| e.to_string()).collect(),
        seed,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        limit: Limit::Executions(executions),
        shrink: None,
        out: None,
        known: known.to_vec(),
        ..CampaignConfig::default()
    };
    let summary = run(&config, &AtomicBool::new(false), |_| {})?;
    let (met, new): (Vec<_>, Vec<_>) = summary.findings.into_iter().partition(|f| f.known);
    let sorted = |found: Vec<Found>| {
        let mut names: Vec<String> = found.into_iter().map(|f| f.name).collect();
        names.sort();
        names
    };
    Ok(FuzzBudget {
        generator: generator.name().to_string(),
        seed,
        executions,
        findings: sorted(new),
        known: sorted(met),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_peer_findings_are_known_clusters_and_missing_folders_add_nothing() {
        let peers = Path::new(env!("CARGO_MANIFEST_DIR")).join("../suites/regressions/peers");
        let recorded = peers.join("panic-vs-trap.wasmi-vs-6.f64_load.1afdbb8f");
        let cluster = finding::load(&recorded).expect("the recorded wasmi finding loads").record.signature.cluster();
        let missing = peers.join("no-such-folder");
        let known = known_clusters([peers.as_path(), missing.as_path()]);
        assert!(known.contains(&cluster), "{cluster} not in {known:?}");
        assert!(known_clusters([missing.as_path()]).is_empty());
    }

    #[test]
    fn case_bytes_depend_only_on_seed_and_index() {
        assert_eq!(case_bytes(1, 5, 100), case_bytes(1, 5, 100));
        assert_ne!(case_bytes(1, 5, 100), case_bytes(1, 6, 100));
        assert_ne!(case_bytes(1, 5, 100), case_bytes(2, 5, 100));
        let lens: Vec<usize> = (0..200).map(|i| case_bytes(0, i, 100).len()).collect();
        assert!(lens.iter().all(|&n| (16..=100).contains(&n)), "{lens:?}");
        assert!(lens.iter().any(|&n| n < 40) && lens.iter().any(|&n| n > 80), "lengths vary");
        assert_eq!(case_bytes(0, 0, 0).len(), 16, "at least 16 bytes");
        let kinds = [GeneratorKind::Smith, GeneratorKind::Edges];
        assert_eq!((0..4).filter_map(|i| generator_for(&kinds, i)).collect::<Vec<_>>(), [kinds, kinds].concat());
        assert_eq!(generator_for(&[], 3), None);
    }

    #[test]
    fn agreeing_engines_give_no_findings_and_count_everything() {
        let config = CampaignConfig {
            generators: vec![GeneratorKind::Edges, GeneratorKind::Smith],
            engines: vec!["redzone:checked".into(), "wasmi".into()],
            seed: 3,
            jobs: 2,
            limit: Limit::Executions(40),
            ..CampaignConfig::default()
        };
        let mut snapshots = 0;
        let summary = run(&config, &AtomicBool::new(false), |_| snapshots += 1).unwrap();
        assert!(snapshots >= 1, "the observer sees the end");
        assert!(!summary.diverged(), "{:#?}", summary.findings);
        let t = &summary.totals;
        assert_eq!(t.generators.iter().map(|g| g.executions + g.skipped).sum::<u64>(), 40, "{t:#?}");
        assert_eq!(t.generators[0].executions + t.generators[0].skipped, 20, "half the indices each");
        assert!(t.generators.iter().all(|g| g.steps >= g.executions));
        assert!(t.executions() > 0);
    }

    #[test]
    fn a_stopped_campaign_stops_and_bad_engines_fail_before_starting() {
        let stop = AtomicBool::new(true);
        let config = CampaignConfig { engines: vec!["redzone:checked".into()], ..CampaignConfig::default() };
        let summary = run(&config, &stop, |_| {}).unwrap();
        assert!(summary.interrupted);
        assert_eq!(summary.totals.executions(), 0);
        let bad = CampaignConfig { engines: vec!["nope".into()], ..CampaignConfig::default() };
        let err = format!("{:#}", run(&bad, &AtomicBool::new(false), |_| {}).unwrap_err());
        assert!(err.contains("nope"), "{err}");
    }
}
