//! Benchmarks: the workloads of `suites/bench/` on every configuration, and the results
//! document ([`results::Results`]) that `redzone bench` writes and `redzone report` and
//! `redzone gate` read.
//!
//! [`run`] is the whole of `redzone bench` as a library call (the gate calls it too):
//!
//! 1. the manifest ([`manifest`]) gives the workloads, at their quick or full size;
//! 2. every (workload, configuration) pair is prepared once ([`workload::WorkloadRun`]:
//!    compile, instantiate, check the export's signature);
//! 3. [`schedule`] warms every pair up, then takes samples in rounds: each round visits every
//!    pair once in an order shuffled by the seed, so drift and noise spread over all engines;
//!    the number of rounds fits a time budget unless `samples` fixes it;
//! 4. every call's checksum is checked; errors (traps, compile errors, panics) are recorded
//!    on their measurement, never raised;
//! 5. the ABI round trip ([`abi`]) is sampled the same way at a few sizes, next to a memcpy;
//! 6. with a spec testsuite, [`conformance`] counts passes per configuration;
//! 7. [`stats`] summarises: medians with distribution-free intervals, guard/checked ratios
//!    per engine family with bootstrap intervals, and their geometric means ([`summary`]).
//!
//! Progress goes to a callback ([`Progress`]), so the CLI can draw a bar and the gate can
//! stay quiet. [`problems`] lists what makes a run fail (wrong checksums, engine errors).
//!
//! ```no_run
//! use redzone_harness::bench::{BenchOptions, run};
//! let options = BenchOptions { engines: vec!["redzone:guard".into(), "redzone:checked".into()], ..BenchOptions::quick() };
//! let results = run(&options, &mut |_| {})?;
//! for ratio in &results.ratios {
//!     println!("{} {}: {:.3}", ratio.engine, ratio.workload, ratio.ratio.median);
//! }
//! # Ok::<(), anyhow::Error>(())
//! ```
//!
//! To add a workload: see `suites/bench/README.md` (a `.wat`, a model in `reference.py`, a
//! `[[workload]]` in the manifest); nothing here changes.

pub mod abi;
pub mod conformance;
pub mod machine;
pub mod manifest;
pub mod results;
pub mod schedule;
pub mod stats;
pub mod summary;
pub mod workload;

use anyhow::{Context, bail};
use manifest::{Manifest, Size};
use results::{AbiPoint, Method, Results, SCHEMA, WorkloadEntry};
use schedule::{Plan, Task};
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};
use workload::WorkloadRun;

/// Rounds never go below this when the budget is tight (a 95% median interval needs 6).
pub const MIN_SAMPLES: usize = 10;
/// Rounds a quick run takes when its budget allows.
pub const QUICK_SAMPLES: usize = 40;
/// Rounds a full run takes when its budget allows.
pub const FULL_SAMPLES: usize = 50;
/// Wall time for the workload rounds of a quick run.
pub const QUICK_BUDGET: Duration = Duration::from_secs(150);
/// Wall time for the workload rounds of a full run.
pub const FULL_BUDGET: Duration = Duration::from_secs(20 * 60);

/// What to measure and how. Start from [`BenchOptions::default`] (a full run) or
/// [`BenchOptions::quick`].
#[derive(Debug, Clone, PartialEq)]
pub struct BenchOptions {
    /// The workload manifest. Defaults to [`Manifest::default_path`].
    pub manifest: PathBuf,
    /// Which size of every workload to run. Defaults to [`Size::Full`].
    pub size: Size,
    /// Configuration names, or an `--engines` list's items (`all`, `-name`). Defaults to
    /// empty: every available configuration.
    pub engines: Vec<String>,
    /// Workload names or groups. Defaults to empty: every workload.
    pub workloads: Vec<String>,
    /// Samples per (workload, configuration), taken whatever the time. Defaults to `None`:
    /// [`QUICK_SAMPLES`] or [`FULL_SAMPLES`], cut to fit `budget` (never below
    /// [`MIN_SAMPLES`]).
    pub samples: Option<usize>,
    /// Untimed passes over every pair before sampling. Defaults to 2.
    pub warmup: usize,
    /// Seed of the round order and of the bootstrap. Defaults to 1.
    pub seed: u64,
    /// Wall time the workload rounds should fit in. Defaults to `None`: [`QUICK_BUDGET`] or
    /// [`FULL_BUDGET`] by `size`.
    pub budget: Option<Duration>,
    /// Whether to time the ABI round trip. Defaults to true.
    pub abi: bool,
    /// A spec testsuite to count passes on ([`conformance`]). Defaults to `None`.
    pub spec_suite: Option<PathBuf>,
    /// Bootstrap replicates per ratio. Defaults to [`stats::DEFAULT_REPLICATES`] (2000).
    pub replicates: usize,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            manifest: Manifest::default_path(),
            size: Size::Full,
            engines: Vec::new(),
            workloads: Vec::new(),
            samples: None,
            warmup: 2,
            seed: 1,
            budget: None,
            abi: true,
            spec_suite: None,
            replicates: stats::DEFAULT_REPLICATES,
        }
    }
}

impl BenchOptions {
    /// The defaults with quick sizes.
    pub fn quick() -> Self {
        BenchOptions { size: Size::Quick, ..BenchOptions::default() }
    }

    fn plan(&self) -> Plan {
        match self.samples {
            Some(n) => Plan::fixed(self.warmup, n),
            None => {
                let (target, budget) = match self.size {
                    Size::Quick => (QUICK_SAMPLES, QUICK_BUDGET),
                    Size::Full => (FULL_SAMPLES, FULL_BUDGET),
                };
                Plan {
                    warmup: self.warmup,
                    min_rounds: MIN_SAMPLES,
                    max_rounds: target,
                    budget: self.budget.unwrap_or(budget),
                }
            }
        }
    }

    /// ABI points are cheap next to the workloads: fewer rounds, a tenth of the budget.
    fn abi_plan(&self) -> Plan {
        let plan = self.plan();
        match self.samples {
            Some(_) => plan,
            None => Plan { warmup: 1, budget: plan.budget / 10, ..plan },
        }
    }
}

/// The stage a progress step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Compiling and instantiating a workload on a configuration.
    Prepare,
    /// Untimed warm-up calls.
    Warmup,
    /// Timed rounds over the workloads.
    Measure,
    /// Timed rounds over the ABI points.
    Abi,
    /// The spec testsuite.
    Conformance,
}

impl Phase {
    /// A word for people.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Prepare => "prepare",
            Phase::Warmup => "warm-up",
            Phase::Measure => "measure",
            Phase::Abi => "abi",
            Phase::Conformance => "spec",
        }
    }
}

/// One step of progress.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step<'a> {
    /// The stage.
    pub phase: Phase,
    /// The workload (or ABI point, or spec script count) being run.
    pub workload: &'a str,
    /// The configuration.
    pub engine: &'a str,
    /// The round (1-based), or the warm-up pass.
    pub round: usize,
    /// Rounds planned in this stage (may change as the plan adapts).
    pub rounds: usize,
    /// Steps of this stage done before this one.
    pub done: usize,
    /// Steps of this stage planned.
    pub total: usize,
    /// Since the run started.
    pub elapsed: Duration,
    /// Estimated time left in this stage, when known.
    pub eta: Option<Duration>,
}

/// What [`run`] reports on the way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress<'a> {
    /// About to take a step.
    Step(Step<'a>),
    /// Something to know about the timings (a debug build, say).
    Warning(&'a str),
    /// Something that makes the run fail (a wrong checksum, an engine error); the run goes on.
    Problem(&'a str),
}

/// Runs the benchmark described by `options`, reporting progress to `progress`.
///
/// Errors are for bad input only (a missing or invalid manifest, an unknown workload or
/// engine, an unusable testsuite); engine failures are recorded in the results and
/// reported as [`Progress::Problem`] (see [`problems`]).
pub fn run(options: &BenchOptions, progress: &mut dyn FnMut(Progress<'_>)) -> anyhow::Result<Results> {
    let start = Instant::now();
    let created = machine::rfc3339(SystemTime::now());
    if options.samples == Some(0) {
        bail!("--samples must be at least 1");
    }
    let manifest = Manifest::load(&options.manifest)?;
    let selected = manifest.select(&options.workloads)?;
    let list = if options.engines.is_empty() { "all".to_string() } else { options.engines.join(",") };
    let engines = crate::engines::select(&list).context("--engines")?;
    if cfg!(debug_assertions) {
        progress(Progress::Warning(
            "this is a debug build: its timings are not representative (build with `cargo build --release`)",
        ));
    }

    // Modules are assembled once per file; a file that does not assemble is bad input.
    let mut modules: HashMap<&str, Rc<[u8]>> = HashMap::new();
    for w in &selected {
        if !modules.contains_key(w.file.as_str()) {
            modules.insert(&w.file, manifest.wasm(w)?.into());
        }
    }
    let mut tasks: Vec<WorkloadRun> = Vec::new();
    let total = selected.len() * engines.len();
    for w in &selected {
        for engine in &engines {
            progress(Progress::Step(Step {
                phase: Phase::Prepare,
                workload: &w.name,
                engine,
                round: 1,
                rounds: 1,
                done: tasks.len(),
                total,
                elapsed: start.elapsed(),
                eta: None,
            }));
            tasks.push(WorkloadRun::new(w, Rc::clone(&modules[w.file.as_str()]), engine, options.size));
        }
    }
    let mut rng = crate::generators::Rng::new(options.seed);
    let plan = options.plan();
    let rounds = schedule::run(&mut tasks, &plan, &mut rng, Phase::Measure, start, progress);
    for task in &tasks {
        if task.unsupported() {
            continue;
        }
        if let Some(problem) = task.error().or(task.mismatch()) {
            progress(Progress::Problem(problem));
        }
    }
    for line in unsupported_lines(&tasks) {
        progress(Progress::Warning(&line));
    }
    let measurements: Vec<_> = tasks.iter().map(|t| t.measurement()).collect();
    drop(tasks);

    let abi = if options.abi { measure_abi(options, &engines, &mut rng, start, progress) } else { Vec::new() };
    let conformance = match &options.spec_suite {
        None => None,
        Some(suite) => Some(conformance::measure_with(suite, &engines, |done, total| {
            progress(Progress::Step(Step {
                phase: Phase::Conformance,
                workload: "spec testsuite",
                engine: "all",
                round: 1,
                rounds: 1,
                done: done.saturating_sub(1),
                total,
                elapsed: start.elapsed(),
                eta: None,
            }))
        })?),
    };

    let workloads: Vec<WorkloadEntry> = selected
        .iter()
        .map(|w| {
            let (n, checksum) = w.size(options.size);
            WorkloadEntry {
                name: w.name.clone(),
                group: w.group.clone(),
                twin: w.twin.clone(),
                stresses: w.stresses.clone(),
                n: n.into(),
                checksum,
            }
        })
        .collect();
    let ratios = summary::guard_ratios(&measurements, &workloads, &engines, options.replicates, options.seed);
    let index_costs = summary::all_index_costs(&measurements, &workloads, &engines, options.replicates, options.seed);
    Ok(Results {
        schema: SCHEMA.to_string(),
        created,
        mode: options.size.name().to_string(),
        machine: machine::machine(),
        redzone: machine::build(&crate::spec::suite::workspace_root()),
        engines: machine::engine_entries(&engines),
        method: Method {
            warmup: plan.warmup,
            samples: rounds,
            order: "warm-up passes, then rounds; in each round every (workload, configuration) pair once, in an \
                    order shuffled by the seed; every engine unmetered (no fuel instrumentation)"
                .to_string(),
            seed: options.seed,
            interval: stats::INTERVAL_METHOD.to_string(),
            confidence: stats::CONFIDENCE,
        },
        workloads,
        measurements,
        ratios,
        index_costs,
        abi,
        conformance,
        differential: None,
        mutants: None,
    })
}

/// Round trips of every size on every configuration, next to a memcpy of each size.
fn measure_abi(
    options: &BenchOptions,
    engines: &[&str],
    rng: &mut crate::generators::Rng,
    start: Instant,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Vec<AbiPoint> {
    let sizes = match options.size {
        Size::Quick => abi::QUICK_SIZES,
        Size::Full => abi::FULL_SIZES,
    };
    let mut trips: Vec<Box<dyn schedule::Task>> = Vec::new();
    let mut index: Vec<(usize, Option<&str>)> = Vec::new();
    for &bytes in sizes {
        trips.push(Box::new(abi::Memcpy::new(bytes)));
        index.push((bytes, None));
        for engine in engines {
            match abi::RoundTrip::new(engine, bytes) {
                Ok(trip) => {
                    trips.push(Box::new(trip));
                    index.push((bytes, Some(engine)));
                }
                Err(e) => progress(Progress::Problem(&format!("abi round trip: {e}"))),
            }
        }
    }
    schedule::run(&mut trips, &options.abi_plan(), rng, Phase::Abi, start, progress);
    let mut points = Vec::new();
    let mut memcpy = HashMap::new();
    for (task, (bytes, engine)) in trips.iter().zip(&index) {
        match engine {
            None => {
                memcpy.insert(*bytes, stats::median_interval(task.samples()));
            }
            Some(engine) => {
                if let Some(e) = task.error() {
                    progress(Progress::Problem(&format!("abi round trip: {e}")));
                    continue;
                }
                points.push((*engine, *bytes, stats::median_interval(task.samples())));
            }
        }
    }
    points
        .into_iter()
        .map(|(engine, bytes, time_ns)| AbiPoint {
            engine: engine.to_string(),
            bytes: bytes as u64,
            time_ns,
            memcpy_ns: memcpy[&bytes],
        })
        .collect()
}

/// One line per configuration that lacks a feature some workloads need (wasmer 7.4.2 and
/// memory64): which workloads it did not run, and why. Not a failure.
fn unsupported_lines(tasks: &[WorkloadRun]) -> Vec<String> {
    let mut by_engine: Vec<(&str, Vec<&str>, &str)> = Vec::new();
    for task in tasks.iter().filter(|t| t.unsupported()) {
        let why = task.error().unwrap_or_default();
        match by_engine.iter_mut().find(|(engine, _, _)| *engine == task.engine()) {
            Some((_, workloads, _)) => workloads.push(task.workload()),
            None => by_engine.push((task.engine(), vec![task.workload()], why)),
        }
    }
    by_engine
        .into_iter()
        .map(|(engine, workloads, why)| {
            format!("{engine} cannot run {} workload(s) ({}): {why}", workloads.len(), workloads.join(", "))
        })
        .collect()
}

/// What makes a run fail: every measurement with an engine error or a wrong checksum, one
/// line each (ABI failures are reported as [`Progress::Problem`] only). A feature the
/// configuration lacks ([`results::Measurement::unsupported`]) is not a failure.
pub fn problems(results: &Results) -> Vec<String> {
    results
        .measurements
        .iter()
        .filter(|m| m.failed())
        .map(|m| match &m.error {
            Some(e) => format!("{} on {}: {e}", m.workload, m.engine),
            None => format!("{} on {}: wrong checksum", m.workload, m.engine),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two tiny workloads (a loop over memory and a compute loop) in a manifest of their own.
    fn tiny_manifest(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redzone-bench-run-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // sum of i for i in 0..n, stored and reloaded through memory: n(n-1)/2
        std::fs::write(
            dir.join("tiny.wat"),
            r#"(module (memory 1)
              (func (export "mem") (param i32) (result i64) (local i32) (local i64)
                (block (loop
                  (br_if 1 (i32.ge_u (local.get 1) (local.get 0)))
                  (i32.store (i32.const 64) (local.get 1))
                  (local.set 2 (i64.add (local.get 2) (i64.load32_u (i32.const 64))))
                  (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                  (br 0)))
                (local.get 2))
              (func (export "calc") (param i32) (result i64) (local i64)
                (block (loop
                  (br_if 1 (i32.eqz (local.get 0)))
                  (local.set 1 (i64.add (local.get 1) (i64.const 2)))
                  (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                  (br 0)))
                (local.get 1)))"#,
        )
        .unwrap();
        let entry = |name: &str, export: &str, group: &str, n: i32, sum: i64, qn: i32, qsum: i64| {
            format!(
                "[[workload]]\nname = \"{name}\"\nfile = \"tiny.wat\"\nexport = \"{export}\"\ngroup = \"{group}\"\n\
                 n = {n}\nchecksum = {sum}\nquick_n = {qn}\nquick_checksum = {qsum}\ninstructions = \"1K\"\n\
                 stresses = \"a test\"\n"
            )
        };
        let text =
            entry("mem", "mem", "stream", 100, 4950, 10, 45) + &entry("calc", "calc", "compute", 100, 200, 10, 20);
        std::fs::write(dir.join("workloads.toml"), text).unwrap();
        dir.join("workloads.toml")
    }

    #[test]
    fn a_run_produces_complete_results() {
        let manifest = tiny_manifest("complete");
        let options = BenchOptions {
            manifest: manifest.clone(),
            engines: vec!["redzone:guard".into(), "redzone:checked".into()],
            samples: Some(3),
            warmup: 1,
            abi: false,
            replicates: 200,
            ..BenchOptions::quick()
        };
        let mut steps = 0;
        let mut problems = Vec::new();
        let results = run(&options, &mut |p| match p {
            Progress::Step(_) => steps += 1,
            Progress::Problem(p) => problems.push(p.to_string()),
            Progress::Warning(_) => {}
        })
        .unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert!(super::problems(&results).is_empty());
        assert_eq!(steps, 4 + 4 + 4 * 3, "prepare, one warm-up pass and three rounds of four pairs");
        // The document is a valid results file (what report and gate read).
        let json = serde_json::to_string(&results).unwrap();
        let back = Results::from_json(&json).unwrap();
        assert_eq!(
            (&back.measurements, &back.workloads, &back.engines),
            (&results.measurements, &results.workloads, &results.engines)
        );
        assert_eq!(back.ratios.len(), results.ratios.len());
        assert_eq!((results.mode.as_str(), results.method.samples, results.method.warmup), ("quick", 3, 1));
        assert_eq!(results.engines.len(), 2);
        assert_eq!(
            results.workloads.iter().map(|w| (w.name.as_str(), w.n, w.checksum)).collect::<Vec<_>>(),
            [("mem", 10, 45), ("calc", 10, 20)]
        );
        assert_eq!(results.measurements.len(), 4);
        for m in &results.measurements {
            assert!(m.checksum_ok && m.error.is_none(), "{m:?}");
            assert_eq!(m.samples_ns.len(), 3);
            assert!(m.time_ns.low <= m.time_ns.median && m.time_ns.median <= m.time_ns.high);
        }
        let ratio = |w: &str| results.ratios.iter().find(|r| r.engine == "redzone" && r.workload == w);
        for w in ["mem", "calc", "geomean:stream", "geomean:compute", "geomean"] {
            let r = ratio(w).unwrap_or_else(|| panic!("no ratio for {w}: {:?}", results.ratios));
            assert!(r.ratio.median > 0.0 && r.ratio.low <= r.ratio.median && r.ratio.median <= r.ratio.high);
        }
        assert!(results.abi.is_empty() && results.conformance.is_none());
        std::fs::remove_dir_all(manifest.parent().unwrap()).unwrap();
    }

    #[test]
    fn abi_points_pair_every_configuration_with_memcpy() {
        let manifest = tiny_manifest("abi");
        let options = BenchOptions {
            manifest: manifest.clone(),
            engines: vec!["redzone:checked".into(), "wasmi".into()],
            workloads: vec!["calc".into()],
            samples: Some(2),
            warmup: 1,
            replicates: 10,
            ..BenchOptions::quick()
        };
        let results = run(&options, &mut |_| {}).unwrap();
        assert_eq!(results.measurements.len(), 2);
        assert!(results.ratios.is_empty(), "no family has both strategies here");
        assert_eq!(results.abi.len(), 2 * abi::QUICK_SIZES.len());
        for p in &results.abi {
            assert!(p.time_ns.median > 0.0 && p.memcpy_ns.median > 0.0, "{p:?}");
        }
        std::fs::remove_dir_all(manifest.parent().unwrap()).unwrap();
    }

    #[test]
    fn problems_name_wrong_checksums_and_errors() {
        let manifest = tiny_manifest("problems");
        let text = std::fs::read_to_string(&manifest).unwrap().replace("quick_checksum = 45", "quick_checksum = 46");
        std::fs::write(&manifest, text).unwrap();
        let options = BenchOptions {
            manifest: manifest.clone(),
            engines: vec!["redzone:checked".into()],
            samples: Some(1),
            warmup: 0,
            abi: false,
            ..BenchOptions::quick()
        };
        let mut reported = Vec::new();
        let results = run(&options, &mut |p| {
            if let Progress::Problem(p) = p {
                reported.push(p.to_string())
            }
        })
        .unwrap();
        assert_eq!(problems(&results), ["mem on redzone:checked: wrong checksum"]);
        assert_eq!(reported.len(), 1);
        assert!(reported[0].contains("I64(45)") && reported[0].contains("I64(46)"), "{reported:?}");
        std::fs::remove_dir_all(manifest.parent().unwrap()).unwrap();
    }
}
