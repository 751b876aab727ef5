//! `redzone reduce DIR`: shrinks a saved finding again with wasm-shrink, keeping its
//! signature, and updates `module.wasm`, `module.wat`, `finding.json` and `replay.sh` in place
//! (each file replaced atomically; `original.wasm` is kept). Useful with a larger budget or
//! another seed than the fuzz loop's.
//!
//! Exit status: 0 when the finding was reduced (or is already as small as this budget gets
//! it), 1 when it no longer reproduces its signature (nothing to reduce: replay it), 2 on bad
//! input.
//!
//! Candidates run in `redzone worker` processes by default, so a finding that crashes an
//! engine (a `crash-*` signature) is reduced while the crashing configurations alone still
//! die of the same class.

use super::Status;
use crate::fuzz::finding::{self, ShrinkRecord};
use crate::fuzz::shrink::{ShrinkConfig, shrink};
use crate::generators::TestCase;
use crate::isolation::{Job, Ran, Render, Runner};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Arguments of `redzone reduce`.
#[derive(Debug, clap::Args)]
pub struct ReduceArgs {
    /// The finding directory (what `redzone fuzz --out` wrote).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Failed attempts in a row after which wasm-shrink stops.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub attempts: u32,
    /// Time limit in seconds.
    #[arg(long, value_name = "N", default_value_t = 120)]
    pub seconds: u64,
    /// wasm-shrink's seed (another seed tries other reductions first).
    #[arg(long, value_name = "S", default_value_t = 42)]
    pub seed: u64,
    /// Where candidates run: `process` (default: worker processes, required for crash
    /// findings) or `none` (this process).
    #[arg(long, value_enum, default_value_t = super::fuzz::IsolationArg::Process)]
    pub isolation: super::fuzz::IsolationArg,
}

/// What a reduction did: sizes before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reduced {
    /// `module.wasm` before.
    pub before: usize,
    /// `module.wasm` after.
    pub after: usize,
    /// `original.wasm`.
    pub original: usize,
}

/// Reduces the finding in `dir` with candidates run by `runner`; `None` when it no longer
/// reproduces its signature.
pub fn reduce(dir: &Path, config: &ShrinkConfig, runner: &mut dyn Runner) -> anyhow::Result<Option<Reduced>> {
    let found = finding::load(dir)?;
    let mut record = found.record.clone();
    let engines = match (record.signature.is_native_crash(), record.signature.sides.first()) {
        (true, Some(side)) => side.engines.clone(),
        _ => record.engine_names(),
    };
    let case = TestCase { wasm: found.wasm.clone(), ..record.case.clone() };
    let job =
        Job { file: finding::MODULE.into(), case: case.clone(), fuel: record.fuel, engines, render: Render::None };
    let context = || format!("{} on {}", dir.display(), job.engines.join(", "));
    let recorded = record.signature.clone();
    if !runner.run(&job).with_context(context)?.shows(&recorded) {
        return Ok(None);
    }
    let shrunk = shrink(
        &case,
        |candidate| Ok(runner.run(&Job { case: candidate.clone(), ..job.clone() })?.shows(&recorded)),
        config,
    )
    .with_context(context)?;
    let saved = TestCase { wasm: shrunk.wasm.clone(), ..case };
    if let Ran::Completed(report) = runner.run(&Job { case: saved.clone(), ..job.clone() }).with_context(context)?
        && let Some(step) = report.step
    {
        record.step = step;
    }
    record.shrink = Some(ShrinkRecord {
        original_bytes: found.original.len(),
        bytes: shrunk.wasm.len(),
        candidates: shrunk.candidates,
        note: shrunk.note,
    });
    record.case = saved;
    finding::rewrite(dir, &shrunk.wasm, &record)?;
    Ok(Some(Reduced { before: found.wasm.len(), after: shrunk.wasm.len(), original: found.original.len() }))
}

/// Runs `redzone reduce`.
pub fn run(args: ReduceArgs) -> anyhow::Result<Status> {
    let config =
        ShrinkConfig { attempts: args.attempts, time_limit: Duration::from_secs(args.seconds), seed: args.seed };
    let mut runner = args.isolation.isolation(60, 8192)?.runner();
    match reduce(&args.dir, &config, &mut *runner)? {
        Some(r) => {
            println!(
                "{}: module.wasm {} -> {} bytes (original.wasm {} bytes)",
                args.dir.display(),
                r.before,
                r.after,
                r.original
            );
            Ok(Status::Ok)
        }
        None => {
            println!(
                "{}: no longer reproduces its recorded signature; nothing to reduce (see `redzone replay {}`)",
                args.dir.display(),
                args.dir.display()
            );
            Ok(Status::Failed)
        }
    }
}
