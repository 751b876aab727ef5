//! `redzone run PATH...`: the differential. Every input runs on every selected engine
//! configuration at once and the oracle ([`crate::oracles`]) judges each step.
//!
//! - `.wat`/`.wasm` modules: instantiated on each engine ([`run_module`]), then every exported
//!   function is called with arguments derived from `--seed` (or just `--invoke NAME ARGS`),
//!   comparing results, traps and every exported memory, global and table after each call.
//!   Imports are satisfied with deterministic dummies (`engines::imports`; `--dummy-funcs trap`
//!   makes the dummy functions trap instead of returning zeros), named on a `provided:` line,
//!   and the imported memories, globals and tables are compared as `import:module.name`. An
//!   import the harness cannot make (a tag, a shared memory) makes the module inconclusive
//!   with the reason, never an agreement on a link error.
//!   The text output is a block per module: one line per step with the verdict, and on a
//!   divergence the engines grouped by what they saw and the differing bytes in hex.
//! - `.wast` scripts: run in lockstep with the cross-engine state diff, as `redzone spec`
//!   does, plus their own assertions.
//!
//! A module on which an engine panicked or engines diverged is saved with a `finding.json`
//! under `--out DIR` (panics are saved under the system temp dir when no `--out` is given, and
//! the path is printed). Folders are walked for the three extensions. Exit status: 1 on a
//! divergence or a failed script assertion, 2 on a usage or input error, 0 otherwise.

use super::{Format, Status, jobs};
use crate::engines::{self, DummyFuncs, ImportPolicy};
use crate::isolation::{Death, Isolation, ModuleJob, ModuleRan, ModuleReport, Runner};
use crate::oracles::fleet::{CallPlan, Fleet, ModuleRun, run_module};
use crate::oracles::{Observed, Verdict};
use crate::report::human::HumanReporter;
use crate::report::json::JsonReporter;
use crate::report::{Event, Reporter, Results};
use crate::spec::{Scope, ScriptOptions, SuiteFile, lockstep};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Fuel for each call of a module's export (and for its instantiation), unless `--fuel` says
/// otherwise.
pub const FUEL_PER_CALL: u64 = 100_000_000;

/// What dummy functions do, as `--dummy-funcs` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DummyFuncsArg {
    /// Return the zero of each result type.
    #[default]
    Zeros,
    /// Trap (`dummy import called`).
    Trap,
}

/// Arguments of `redzone run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Engine configurations, comma-separated (`all`, or `-name` to exclude one).
    #[arg(long, value_name = "LIST", default_value = "all")]
    pub engines: String,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Seed for the arguments of the calls.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Calls per export that takes parameters (each with fresh seeded arguments).
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub calls: usize,
    /// Call only this export, with these arguments (`--invoke load 65535`); must be last.
    #[arg(long, value_name = "NAME ARGS", num_args = 1.., allow_hyphen_values = true)]
    pub invoke: Option<Vec<String>>,
    /// Instructions each step (instantiation, or one call) may run before it stops as out of
    /// fuel, which is inconclusive. Defaults to 100,000,000.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub fuel: Option<u64>,
    /// What the dummy functions given to a module's imports do: return zeros, or trap.
    #[arg(long, value_enum, value_name = "WHAT", default_value_t)]
    pub dummy_funcs: DummyFuncsArg,
    /// Where modules and scripts run: `process` (default: worker processes, so an engine that
    /// crashes, aborts or hangs on a module is reported as a classified crash and the run goes
    /// on) or `none` (this process).
    #[arg(long, value_enum, default_value_t = super::fuzz::IsolationArg::Process)]
    pub isolation: super::fuzz::IsolationArg,
    /// Wall-clock limit per module (or script) in a worker, in seconds.
    #[arg(long, value_name = "N", default_value_t = 300)]
    pub timeout: u64,
    /// Where to save modules that diverged or crashed an engine (findings).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads for scripts (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Files (.wast, .wat, .wasm) or folders to walk for them.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

/// A file to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A `.wast` script.
    Script(PathBuf),
    /// A `.wat` or `.wasm` module.
    Module(PathBuf),
}

/// The inputs under `paths`, in the order given, folders walked in sorted order.
pub fn collect_inputs(paths: &[PathBuf]) -> anyhow::Result<Vec<Input>> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found).with_context(|| format!("reading {}", path.display()))?;
            found.sort();
            out.extend(found.into_iter().filter_map(classify));
        } else {
            match classify(path.clone()) {
                Some(input) => out.push(input),
                None => bail!("{}: expected a .wast, .wat or .wasm file", path.display()),
            }
        }
    }
    if out.is_empty() {
        bail!(
            "no .wast, .wat or .wasm files under {}",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn classify(path: PathBuf) -> Option<Input> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("wast") => Some(Input::Script(path)),
        Some("wat" | "wasm") => Some(Input::Module(path)),
        _ => None,
    }
}

/// What a differential run over some inputs produced.
#[derive(Debug, Default)]
pub struct RunSummary {
    /// Script results (engines and the `diff` column), when there were scripts.
    pub scripts: Option<Results>,
    /// One run per module.
    pub modules: Vec<ModuleRun>,
    /// Modules that could not be read or parsed, as `file: error`.
    pub input_errors: Vec<String>,
}

impl RunSummary {
    /// Whether every engine agreed (and every script assertion held).
    pub fn ok(&self) -> bool {
        self.scripts.as_ref().is_none_or(|r| r.ok()) && self.modules.iter().all(|m| m.divergences() == 0)
    }
}

/// Options of [`differential`].
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Engine configurations.
    pub engines: Vec<&'static str>,
    /// What to call in each module.
    pub plan: CallPlan,
    /// Where findings go (`None`: panics go under the system temp dir, divergences are not saved).
    pub out: Option<PathBuf>,
    /// Worker threads for scripts.
    pub jobs: usize,
    /// How modules' imports are satisfied (scripts always link strictly, with `spectest`).
    /// Defaults to dummies whose functions return zeros.
    pub imports: ImportPolicy,
    /// Where scripts run ([`differential`] runs modules on this thread; the verb runs them
    /// in workers itself when isolated, see [`run_isolated_module`]).
    pub isolation: Isolation,
}

/// The library entry of `redzone run`: every input on every engine, judged by the oracle.
/// `on_script` sees each script report as it finishes, `on_module` each module run.
pub fn differential(
    inputs: &[Input],
    options: &RunOptions,
    mut on_script: impl FnMut(&Event<'_>),
    mut on_module: impl FnMut(&ModuleRun),
) -> anyhow::Result<RunSummary> {
    let start = Instant::now();
    let mut summary = RunSummary::default();
    let scripts: Vec<SuiteFile> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::Script(p) => Some(SuiteFile {
                path: p.clone(),
                name: p.display().to_string(),
                scope: Scope::In("given on the command line".into()),
            }),
            Input::Module(_) => None,
        })
        .collect();
    if !scripts.is_empty() {
        let mut results = Results::default();
        let names: Vec<String> = scripts.iter().map(|f| f.name.clone()).collect();
        let columns = lockstep::columns(&options.engines);
        let started = Event::Started { title: "scripts", files: &names, engines: &columns };
        results.apply(&started);
        on_script(&started);
        let options_ = ScriptOptions::default();
        let isolation = &options.isolation;
        crate::spec::run_all_isolated(
            &scripts,
            &options.engines,
            &options_,
            options.jobs,
            true,
            isolation,
            |file, report| {
                let event = Event::Finished { file, report: &report };
                results.apply(&event);
                on_script(&event);
            },
        );
        let done = Event::Done { elapsed: start.elapsed() };
        results.apply(&done);
        on_script(&done);
        summary.scripts = Some(results);
    }
    for input in inputs {
        let Input::Module(path) = input else { continue };
        let name = path.display().to_string();
        let bytes = match module_bytes(path) {
            Ok(b) => b,
            Err(e) => {
                summary.input_errors.push(format!("{name}: {e}"));
                continue;
            }
        };
        let fuel = options.plan.fuel;
        let make = || Ok(Fleet::build(&options.engines, fuel)?.with_imports(options.imports));
        let mut run = run_module(&name, &bytes, &options.plan, make).with_context(|| name.clone())?;
        if run.panicked() || (run.divergences() > 0 && options.out.is_some()) {
            let dir = findings_dir(options);
            let doc =
                FindingDoc { file: &run.file, engines: &run.engines, seed: run.seed, run: serde_json::to_value(&run)? };
            run.saved = Some(save_finding(&dir, path, &bytes, &doc)?);
        }
        on_module(&run);
        summary.modules.push(run);
    }
    Ok(summary)
}

/// A module's binary: `.wasm` as it is; `.wat` through the ABI suite's build step (the shared
/// allocator spliced in where a guest asks for it) and then the text parser.
pub(crate) fn module_bytes(path: &Path) -> Result<Vec<u8>, String> {
    if path.extension().is_some_and(|e| e == "wat") {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
        wat::parse_str(crate::abi::guests::expand(&text)).map_err(|mut e| {
            e.set_path(path);
            e.to_string()
        })
    } else {
        wat::parse_file(path).map_err(|e| e.to_string())
    }
}

/// Where findings go: `--out`, or for panics and crashes without it, the temp directory.
fn findings_dir(options: &RunOptions) -> PathBuf {
    options.out.clone().unwrap_or_else(|| std::env::temp_dir().join("redzone-findings"))
}

/// What a `redzone run` finding's `finding.json` holds besides the replay line.
struct FindingDoc<'a> {
    file: &'a str,
    engines: &'a [String],
    seed: u64,
    /// The run, or for a crash the death and the engines that crash alone.
    run: serde_json::Value,
}

/// Saves a finding: `DIR/<stem>-<hash>/module.wasm`, `module.wat` when the input was text,
/// and `finding.json` (every step with its verdict, or the crash, and the line that replays it).
fn save_finding(dir: &Path, input: &Path, wasm: &[u8], run: &FindingDoc<'_>) -> anyhow::Result<PathBuf> {
    let stem = input.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "module".into());
    let folder = dir.join(format!("{stem}-{:016x}", crate::oracles::page_hash(wasm)));
    std::fs::create_dir_all(&folder).with_context(|| format!("creating the findings folder {}", folder.display()))?;
    std::fs::write(folder.join("module.wasm"), wasm)?;
    if input.extension().is_some_and(|e| e == "wat")
        && let Ok(text) = std::fs::read(input)
    {
        std::fs::write(folder.join("module.wat"), text)?;
    }
    let replay = format!(
        "redzone run {} --engines {} --seed {}",
        folder.join("module.wasm").display(),
        run.engines.join(","),
        run.seed
    );
    let doc = serde_json::json!({ "file": run.file, "replay": replay, "run": run.run });
    std::fs::write(folder.join("finding.json"), serde_json::to_string_pretty(&doc)?)?;
    Ok(folder)
}

/// The text block of one module run: a line per step, and the engines grouped by outcome
/// (with the hex of differing bytes) where they diverge.
pub fn render_module(run: &ModuleRun) -> String {
    let mut s = format!("{}  (engines: {}; seed {})\n", run.file, run.engines.join(", "), run.seed);
    if !run.provided.is_empty() {
        let items: Vec<String> = run.provided.iter().map(ToString::to_string).collect();
        s.push_str(&format!("  provided: {}\n", items.join(", ")));
    }
    let width = run.steps.iter().map(|st| st.label.len()).max().unwrap_or(0).min(40);
    for step in &run.steps {
        let common = step.outcomes.first().map(|o| o.observed.to_string()).unwrap_or_else(|| "(no engine)".into());
        match &step.verdict {
            Verdict::Agree => s.push_str(&format!("  {:<width$}  {common}\n", step.label)),
            Verdict::Inconclusive { why } => {
                s.push_str(&format!("  {:<width$}  {common}  [inconclusive: {why}]\n", step.label))
            }
            Verdict::Diverge { what, location, engines, detail } => {
                s.push_str(&format!("  {:<width$}  DIVERGE on {what} at {location}\n", step.label));
                for g in engines {
                    s.push_str(&format!("      {}: {}\n", g.engines.join(", "), g.seen));
                }
                for line in detail {
                    s.push_str(&format!("      {line}\n"));
                }
            }
        }
    }
    let verdict = if run.divergences() > 0 { "DIVERGE" } else { "agree" };
    s.push_str(&format!(
        "verdict: {verdict} ({} steps, {} divergent, {} inconclusive)\n",
        run.steps.len(),
        run.divergences(),
        run.inconclusive()
    ));
    if let Some(dir) = &run.saved {
        s.push_str(&format!("saved to {}\n", dir.display()));
    }
    s
}

/// Whether a step of `run` ran out of fuel on some engine.
pub fn ran_out_of_fuel(run: &ModuleRun) -> bool {
    run.steps
        .iter()
        .flat_map(|s| &s.outcomes)
        .any(|o| matches!(&o.observed, Observed::Trapped { trap: redzone_engine::TrapKind::OutOfFuel, .. }))
}

/// The note printed when a module ran out of the default fuel: how to give it more.
pub fn fuel_note() -> String {
    format!(
        "note: a step ran out of the default fuel ({FUEL_PER_CALL} instructions per step), which makes it \
         inconclusive; raise it with --fuel N if the module needs more"
    )
}

/// A module that `redzone run` ran in a worker process.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IsolatedModule {
    /// The file.
    pub file: String,
    /// The run, when it completed.
    pub report: Option<ModuleReport>,
    /// How the worker died, when it did.
    pub crash: Option<Death>,
    /// The configurations whose runs alone die the same way.
    pub crashed: Vec<String>,
    /// Where the module was saved (a crash always is; a divergence with `--out`).
    pub saved: Option<PathBuf>,
}

impl IsolatedModule {
    /// Whether the engines agreed and nothing crashed.
    pub fn ok(&self) -> bool {
        self.crash.is_none() && self.report.as_ref().is_some_and(|r| r.divergences == 0)
    }

    /// The text block: the run's, or the crash's.
    pub fn render(&self) -> String {
        let mut s = match (&self.report, &self.crash) {
            (Some(report), _) => report.text.clone(),
            (None, Some(death)) => {
                let mut s = format!("{}\n  CRASH: the worker running it died: {death}\n", self.file);
                for line in death.stderr.lines().rev().take(6).collect::<Vec<_>>().into_iter().rev() {
                    s.push_str(&format!("      stderr: {line}\n"));
                }
                let who = if self.crashed.is_empty() {
                    "none alone (only together)".to_string()
                } else {
                    self.crashed.join(", ")
                };
                let mut sorted = self.crashed.clone();
                sorted.sort();
                s.push_str(&format!(
                    "verdict: CRASH (crash:{}:{}; crashes alone: {who})\n",
                    sorted.join(","),
                    death.class
                ));
                s
            }
            (None, None) => format!("{}\n  (no outcome)\n", self.file),
        };
        // The worker's text cannot know where the parent saved the module.
        if let Some(dir) = &self.saved {
            s.push_str(&format!("saved to {}\n", dir.display()));
        }
        s
    }
}

/// Runs one module through `runner` (a worker process): its report, or after a death the
/// configurations that die alone, the module saved under `options.out` (or the temp dir).
pub fn run_isolated_module(
    runner: &mut dyn Runner,
    path: &Path,
    wasm: Vec<u8>,
    options: &RunOptions,
) -> anyhow::Result<IsolatedModule> {
    let file = path.display().to_string();
    let engines: Vec<String> = options.engines.iter().map(|e| e.to_string()).collect();
    let job = ModuleJob { file: file.clone(), wasm, plan: options.plan.clone(), imports: options.imports, engines };
    let mut module = IsolatedModule { file: file.clone(), report: None, crash: None, crashed: Vec::new(), saved: None };
    match runner.module(&job).with_context(|| file.clone())? {
        ModuleRan::Done(report) => {
            if report.panicked || (report.divergences > 0 && options.out.is_some()) {
                let dir = findings_dir(options);
                let doc =
                    FindingDoc { file: &file, engines: &job.engines, seed: job.plan.seed, run: report.json.clone() };
                module.saved = Some(save_finding(&dir, path, &job.wasm, &doc)?);
            }
            module.report = Some(*report);
        }
        ModuleRan::Died(death) => {
            module.crashed = crate::isolation::dying_alone(&job.engines, &death, |engine| {
                let alone = ModuleJob { engines: vec![engine.to_string()], ..job.clone() };
                Ok(match runner.module(&alone).with_context(|| file.clone())? {
                    ModuleRan::Died(d) => Some(d),
                    ModuleRan::Done(_) => None,
                })
            })?;
            let dir = findings_dir(options);
            let run = serde_json::json!({ "crash": death, "crashes_alone": module.crashed });
            let doc = FindingDoc { file: &file, engines: &job.engines, seed: job.plan.seed, run };
            module.saved = Some(save_finding(&dir, path, &job.wasm, &doc)?);
            module.crash = Some(death);
        }
    }
    Ok(module)
}

/// Runs the verb.
pub fn run(args: RunArgs) -> anyhow::Result<Status> {
    let engine_names = engines::select(&args.engines).context("--engines")?;
    let inputs = collect_inputs(&args.paths)?;
    let invoke = match args.invoke {
        Some(mut words) if !words.is_empty() => Some((words.remove(0), words)),
        _ => None,
    };
    let fuel = args.fuel.unwrap_or(FUEL_PER_CALL);
    let plan = CallPlan { seed: args.seed, calls_per_export: args.calls, invoke, fuel: Some(fuel) };
    let funcs = match args.dummy_funcs {
        DummyFuncsArg::Zeros => DummyFuncs::Zeros,
        DummyFuncsArg::Trap => DummyFuncs::Trap,
    };
    let imports = ImportPolicy::Dummies(funcs);
    let isolation = args.isolation.isolation(args.timeout, 8192)?;
    let isolated = isolation != Isolation::None;
    let options = RunOptions { engines: engine_names, plan, out: args.out, jobs: jobs(args.jobs), imports, isolation };
    // In workers, modules run here one by one (below); `differential` runs the scripts.
    let (modules, inputs): (Vec<Input>, Vec<Input>) =
        inputs.into_iter().partition(|i| isolated && matches!(i, Input::Module(_)));
    let default_fuel = args.fuel.is_none();
    let text = args.format == Format::Text;
    let mut human = HumanReporter::new(std::io::stdout());
    let mut summary = differential(
        &inputs,
        &options,
        |event| {
            if text {
                let _ = human.handle(event);
            }
        },
        |module| {
            if text {
                print!("{}", render_module(module));
                if default_fuel && ran_out_of_fuel(module) {
                    println!("{}", fuel_note());
                }
            }
        },
    )?;
    let mut isolated_runs = Vec::new();
    if !modules.is_empty() {
        let mut runner = options.isolation.runner();
        for input in &modules {
            let Input::Module(path) = input else { continue };
            let bytes = match module_bytes(path) {
                Ok(b) => b,
                Err(e) => {
                    summary.input_errors.push(format!("{}: {e}", path.display()));
                    continue;
                }
            };
            let m = run_isolated_module(&mut *runner, path, bytes, &options)?;
            if text {
                print!("{}", m.render());
                if default_fuel && m.report.as_ref().is_some_and(|r| r.out_of_fuel) {
                    println!("{}", fuel_note());
                }
            }
            isolated_runs.push(m);
        }
    }
    let ok = summary.ok() && isolated_runs.iter().all(IsolatedModule::ok);
    if !text {
        let out_of_default_fuel = default_fuel
            && (summary.modules.iter().any(ran_out_of_fuel)
                || isolated_runs.iter().any(|m| m.report.as_ref().is_some_and(|r| r.out_of_fuel)));
        let mut module_docs: Vec<serde_json::Value> =
            summary.modules.iter().map(serde_json::to_value).collect::<Result<_, _>>()?;
        for m in &isolated_runs {
            module_docs.push(match (&m.report, &m.crash) {
                (Some(report), _) => report.json.clone(),
                _ => serde_json::json!({
                    "file": m.file, "crash": m.crash, "crashes_alone": m.crashed, "saved": m.saved,
                }),
            });
        }
        let doc = serde_json::json!({
            "ok": ok,
            "fuel": fuel,
            "note": out_of_default_fuel.then(fuel_note),
            "scripts": summary.scripts.as_ref().map(JsonReporter::<Vec<u8>>::document),
            "modules": module_docs,
            "input_errors": summary.input_errors,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    }
    if !summary.input_errors.is_empty() {
        bail!(
            "{} input file(s) could not be read:\n  {}",
            summary.input_errors.len(),
            summary.input_errors.join("\n  ")
        );
    }
    Ok(if ok { Status::Ok } else { Status::Failed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_classified_and_sorted() {
        let dir = std::env::temp_dir().join(format!("redzone-run-inputs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for f in ["b.wat", "a.wast", "sub/c.wasm", "notes.md"] {
            std::fs::write(dir.join(f), "").unwrap();
        }
        let inputs = collect_inputs(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(
            inputs,
            vec![
                Input::Script(dir.join("a.wast")),
                Input::Module(dir.join("b.wat")),
                Input::Module(dir.join("sub/c.wasm"))
            ]
        );
        let err = collect_inputs(&[dir.join("notes.md")]).unwrap_err().to_string();
        assert!(err.contains("expected a .wast, .wat or .wasm file"), "{err}");
        assert!(collect_inputs(&[dir.join("missing")]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
