//! `redzone replay PATH`: runs a saved divergence again and says whether it still diverges.
//!
//! PATH is one of:
//! - a finding directory (what `redzone fuzz --out` writes): its `module.wasm` with the calls,
//!   engines and fuel of its `finding.json`, and the signature compared with the recorded one;
//! - a regression case (`suites/regressions/<name>.json`, or its `.wasm`/`.wat`): its calls
//!   on every available engine;
//! - any other `.wasm`/`.wat` module: every export called with seeded arguments
//!   (`--seed`, `--calls`), as `redzone run` does.
//!
//! The case runs in a `redzone worker` process (`--isolation process`, the default), so a
//! finding that crashes an engine is replayed as a crash: the worker's death is classified,
//! the case is run on each configuration alone to name the ones that crash, and the crash's
//! signature is compared with the recorded one.
//!
//! The steps print as in `redzone run`. Exit status: 0 when nothing diverges or crashes any
//! more, 1 when it still does, 2 when PATH is not one of the above or an engine cannot be
//! built.

use super::{Format, Status};
use crate::engines;
use crate::fuzz::finding::{self, Finding};
use crate::fuzz::regressions::RegressionCase;
use crate::fuzz::signature::Signature;
use crate::generators::{Calls, GeneratorKind, TestCase};
use crate::isolation::{self, Death, Job, Ran, Render, RunReport, Runner};
use anyhow::{Context, bail};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Fuel per step for a plain module.
const MODULE_FUEL: u64 = 10_000_000;

/// Arguments of `redzone replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// A finding directory, a regression case (.json), or a module (.wasm/.wat).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Engine configurations (default: the finding's own; all for other inputs).
    #[arg(long, value_name = "LIST")]
    pub engines: Option<String>,
    /// Seed of the arguments, for a plain module.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Calls per export that takes parameters, for a plain module.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub calls: usize,
    /// Where the case runs: `process` (default: a worker process, so a crash is reported
    /// and classified) or `none` (this process).
    #[arg(long, value_enum, default_value_t = super::fuzz::IsolationArg::Process)]
    pub isolation: super::fuzz::IsolationArg,
    /// Wall-clock limit for the case in a worker, in seconds.
    #[arg(long, value_name = "N", default_value_t = 60)]
    pub timeout: u64,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// What PATH holds.
#[derive(Debug)]
pub enum Target {
    /// A fuzz finding.
    Finding(Box<Finding>),
    /// A regression case.
    Regression(RegressionCase),
    /// A module with seeded calls.
    Module(TestCase),
}

/// Reads PATH.
pub fn resolve(path: &Path, seed: u64, calls: usize) -> anyhow::Result<Target> {
    if path.is_dir() {
        if !path.join(finding::RECORD).is_file() {
            bail!(
                "{}: not a finding directory (no {}); pass a directory that `redzone fuzz --out` wrote, a \
                 regression case .json, or a .wasm/.wat module",
                path.display(),
                finding::RECORD
            );
        }
        return Ok(Target::Finding(Box::new(finding::load(path)?)));
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => Ok(Target::Regression(RegressionCase::load(path)?)),
        Some("wasm" | "wat") => {
            let record = path.with_extension("json");
            if record.is_file() && path.with_extension("wasm").is_file() {
                return Ok(Target::Regression(RegressionCase::load(&record)?));
            }
            let wasm = super::run::module_bytes(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            Ok(Target::Module(TestCase::new(
                GeneratorKind::Smith,
                wasm,
                Calls::Seeded { seed, calls_per_export: calls },
            )))
        }
        _ if !path.exists() => bail!("{}: no such file or directory", path.display()),
        _ => bail!("{}: expected a finding directory, a regression case .json, or a .wasm/.wat module", path.display()),
    }
}

/// The outcome of a replay.
#[derive(Debug, Serialize)]
pub struct Replayed {
    /// The run's report (with the steps rendered as asked), when it completed.
    pub report: Option<RunReport>,
    /// How the worker died, when it did.
    pub crash: Option<Death>,
    /// The signature now, when it diverges or crashes.
    pub signature: Option<Signature>,
    /// The signature recorded in the finding.
    pub recorded: Option<Signature>,
}

impl Replayed {
    /// Whether it still diverges or crashes (by the fuzz loop's rule: a difference in quiet
    /// NaNs only does not count, see [`crate::fuzz::signature::quiet_nans_only`]).
    pub fn diverges(&self) -> bool {
        self.signature.is_some()
    }
}

/// The case, fuel and recorded signature of a target.
fn case_of(target: &Target) -> (TestCase, Option<u64>, Option<Signature>) {
    match target {
        Target::Finding(f) => (
            TestCase { wasm: f.wasm.clone(), ..f.record.case.clone() },
            f.record.fuel,
            Some(f.record.signature.clone()),
        ),
        Target::Regression(r) => {
            (r.record.case.clone(), Some(r.record.fuel.unwrap_or(crate::fuzz::regressions::DEFAULT_FUEL)), None)
        }
        Target::Module(case) => (case.clone(), Some(MODULE_FUEL), None),
    }
}

/// Replays `target` on `engines` (default: the finding's own, else every available one)
/// through `runner`, rendering the steps as `render` says.
pub fn replay(
    target: &Target,
    engines: Option<&str>,
    file: &str,
    render: Render,
    runner: &mut dyn Runner,
) -> anyhow::Result<Replayed> {
    let names: Vec<String> = match (engines, target) {
        (Some(list), _) => engines::select(list).context("--engines")?.into_iter().map(str::to_string).collect(),
        (None, Target::Finding(f)) => f.record.engine_names(),
        (None, _) => engines::default_names().into_iter().map(str::to_string).collect(),
    };
    let (case, fuel, recorded) = case_of(target);
    let job = Job { file: file.to_string(), case, fuel, engines: names.clone(), render };
    let ran = runner.run(&job).with_context(|| format!("replaying {file} on {}", names.join(", ")))?;
    Ok(match ran {
        Ran::Completed(report) => {
            let signature = report.divergence.as_ref().map(|(_, s)| s.clone());
            Replayed { report: Some(*report), crash: None, signature, recorded }
        }
        Ran::Died(death) => {
            let mut crashed = isolation::crashing_engines(runner, &job, &death)?;
            if crashed.is_empty() {
                // It died with every engine together but with none alone: name them all.
                crashed = names.clone();
            }
            let others: Vec<String> = names.iter().filter(|e| !crashed.contains(e)).cloned().collect();
            let signature = Signature::crash(&death.class.label(), &crashed, &others);
            Replayed { report: None, crash: Some(death), signature: Some(signature), recorded }
        }
    })
}

/// The lines after the steps: whether it still diverges, and with which signature.
pub fn render_verdict(r: &Replayed) -> String {
    let mut out = String::new();
    if let Some(death) = &r.crash {
        out.push_str(&format!("the worker running the case died: {death}\n"));
        for line in death.stderr.lines().rev().take(8).collect::<Vec<_>>().into_iter().rev() {
            out.push_str(&format!("  stderr: {line}\n"));
        }
    }
    let verb = if r.crash.is_some() { "crashes" } else { "diverges" };
    out.push_str(&match (&r.signature, &r.recorded) {
        (None, _) => "no longer diverges\n".to_string(),
        (Some(now), Some(then)) if now == then => format!("still {verb}, same signature: {}\n", now.label()),
        (Some(now), Some(then)) => {
            format!("still {verb}, with another signature: {} (recorded: {})\n", now.label(), then.label())
        }
        (Some(now), None) => format!("{verb}: {}\n", now.label()),
    });
    out
}

/// Runs `redzone replay`.
pub fn run(args: ReplayArgs) -> anyhow::Result<Status> {
    let target = resolve(&args.path, args.seed, args.calls)?;
    let file = args.path.display().to_string();
    let isolation = args.isolation.isolation(args.timeout, 8192)?;
    let mut runner = isolation.runner();
    let render = match args.format {
        Format::Text => Render::Text,
        Format::Json => Render::Json,
    };
    let replayed = replay(&target, args.engines.as_deref(), &file, render, &mut *runner)?;
    match args.format {
        Format::Text => {
            if let Some(text) = replayed.report.as_ref().and_then(|r| r.text.as_deref()) {
                print!("{text}");
            }
            print!("{}", render_verdict(&replayed));
        }
        Format::Json => {
            let doc = serde_json::json!({
                "diverges": replayed.diverges(),
                "signature": replayed.signature,
                "label": replayed.signature.as_ref().map(Signature::label),
                "recorded": replayed.recorded,
                "crash": replayed.crash,
                "run": replayed.report.as_ref().and_then(|r| r.json.clone()),
            });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
    }
    Ok(if replayed.diverges() { Status::Failed } else { Status::Ok })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_recognised_or_refused_with_the_fix() {
        let dir = std::env::temp_dir().join(format!("redzone-replay-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let err = resolve(&dir, 0, 1).unwrap_err().to_string();
        assert!(err.contains("not a finding directory") && err.contains("redzone fuzz --out"), "{err}");
        let err = resolve(&dir.join("missing.wasm"), 0, 1).unwrap_err().to_string();
        assert!(err.contains("missing.wasm"), "{err}");
        std::fs::write(dir.join("notes.txt"), "").unwrap();
        assert!(resolve(&dir.join("notes.txt"), 0, 1).unwrap_err().to_string().contains("expected a finding"));
        std::fs::write(dir.join("m.wat"), r#"(module (func (export "f") (param i32) (result i32) local.get 0))"#)
            .unwrap();
        let Target::Module(case) = resolve(&dir.join("m.wat"), 5, 2).unwrap() else { panic!("a plain module") };
        assert_eq!(case.calls, Calls::Seeded { seed: 5, calls_per_export: 2 });
        let mut here = crate::isolation::InProcess;
        let replayed =
            replay(&Target::Module(case), Some("redzone:checked,wasmi"), "m.wat", Render::Text, &mut here).unwrap();
        assert!(!replayed.diverges());
        let report = replayed.report.as_ref().unwrap();
        assert_eq!(report.steps, 3);
        assert!(report.text.as_deref().unwrap().contains("m.wat"), "{:?}", report.text);
        assert_eq!(render_verdict(&replayed), "no longer diverges\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
