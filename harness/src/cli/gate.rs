//! `redzone gate`: the CI regression gate. Compares the current state (a `redzone bench`
//! results file given with `--current`, or measured now) with the committed baseline and
//! prints every check ([`crate::gate`] says what fails and why); `--junit` also writes JUnit
//! XML. `--update-baseline` writes the current results over the baseline instead, on purpose,
//! and prints what changed against the old one.
//!
//! Exit status: 0 when every check passed (or the baseline was updated), 1 when a check
//! failed, 2 on a usage or input error (a missing or unreadable baseline, a bad results file).

use super::{Format, Status};
use crate::bench::results::Results;
use crate::bench::{self, BenchOptions, Progress};
use crate::gate::{self, Baseline, GateError, Settings};
use crate::spec::suite::Lookup;
use anyhow::Context;
use std::path::PathBuf;

/// Arguments of `redzone gate`.
#[derive(Debug, clap::Args)]
pub struct GateArgs {
    /// The baseline results file (reports/baseline.json in this repository).
    #[arg(long, value_name = "FILE")]
    pub baseline: PathBuf,
    /// The current results, from `redzone bench --out FILE`. Without it the gate measures
    /// the current state itself: a quick bench, and the spec testsuite when found.
    #[arg(long, value_name = "FILE")]
    pub current: Option<PathBuf>,
    /// Also write JUnit XML (one testcase per check) to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Percent by which a performance ratio may worsen before its check fails, for checks
    /// the baseline's `tolerances` do not name [default: 25].
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub tolerance: Option<f64>,
    /// Fail, instead of skipping, when the current run did not measure a section the gate
    /// checks (conformance counts, regression replays, the fuzz budget).
    #[arg(long)]
    pub require_all: bool,
    /// Write the current results to the baseline file (atomically) instead of checking, and
    /// print what changed against the old baseline. Exit 0.
    #[arg(long)]
    pub update_baseline: bool,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// When measuring: the spec testsuite directory for the conformance counts (default:
    /// $WASM_SPEC_TESTSUITE, then suites/spec/testsuite; skipped when none is found).
    #[arg(long, value_name = "DIR")]
    pub spec_suite: Option<PathBuf>,
    /// When measuring: the regression suite to replay (default: this checkout's
    /// suites/regressions). The fixed-seed fuzz budgets run too.
    #[arg(long, value_name = "DIR")]
    pub regressions: Option<PathBuf>,
    /// When measuring: engine configurations, comma-separated (`all`, or `-name` to exclude
    /// one).
    #[arg(long, value_name = "LIST", default_value = "all")]
    pub engines: String,
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let pct: f64 = s.trim_end_matches('%').parse().map_err(|_| format!("`{s}` is not a percentage (e.g. 25)"))?;
    if !pct.is_finite() || pct < 0.0 {
        return Err(format!("`{s}`: give a percentage of 0 or more"));
    }
    Ok(pct)
}

/// Runs the verb.
pub fn run(args: GateArgs) -> anyhow::Result<Status> {
    if args.update_baseline {
        return update(&args);
    }
    // Read the baseline before measuring: a missing one should not cost a bench run.
    let baseline = Baseline::load(&args.baseline)?;
    let current = current(&args)?;
    let mut settings =
        Settings { overrides: baseline.tolerances.clone(), require_all: args.require_all, ..Settings::default() };
    if let Some(pct) = args.tolerance {
        settings.tolerance_pct = pct;
    }
    let report = gate::compare(&baseline.results, &current, &settings);
    if let Some(path) = &args.junit {
        std::fs::write(path, report.junit())
            .with_context(|| format!("writing the JUnit file {} (does its folder exist?)", path.display()))?;
    }
    match args.format {
        Format::Text => print!("{}", report.text()),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(if report.passed { Status::Ok } else { Status::Failed })
}

/// `--update-baseline`: keeps the old baseline's tolerances, writes, and shows the comparison
/// of the new results against the old ones (for the commit message and the reviewer).
fn update(args: &GateArgs) -> anyhow::Result<Status> {
    let old = match Baseline::load(&args.baseline) {
        Ok(old) => Some(old),
        Err(GateError::MissingBaseline { .. }) => None,
        Err(GateError::Invalid { why, .. }) => {
            eprintln!("note: the old baseline {} could not be read ({why}); replacing it", args.baseline.display());
            None
        }
        Err(e) => return Err(e.into()),
    };
    let results = current(args)?;
    // A wrong answer must not become the reference: the baseline would then fail against
    // itself. A workload an engine cannot run at all (an error) is a known limitation.
    let wrong: Vec<String> = results
        .measurements
        .iter()
        .filter(|m| m.error.is_none() && !m.checksum_ok)
        .map(|m| format!("{} on {}", m.workload, m.engine))
        .collect();
    if !wrong.is_empty() {
        anyhow::bail!(
            "not updating the baseline: these measurements returned a wrong checksum: {} (fix the engine or the \
             workload, then measure again)",
            wrong.join(", ")
        );
    }
    let tolerances = old.as_ref().map(|o| o.tolerances.clone()).unwrap_or_default();
    let new = Baseline { results, tolerances };
    new.write(&args.baseline)?;
    let Some(old) = old else {
        match args.format {
            Format::Text => println!("created the baseline {}", args.baseline.display()),
            Format::Json => println!("{}", serde_json::json!({ "created": args.baseline.display().to_string() })),
        }
        return Ok(Status::Ok);
    };
    let settings = Settings { overrides: old.tolerances.clone(), ..Settings::default() };
    let report = gate::compare(&old.results, &new.results, &settings);
    match args.format {
        Format::Text => {
            println!("updated the baseline {}; against the old one:", args.baseline.display());
            print!("{}", report.text());
        }
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(Status::Ok)
}

/// The current results: `--current`, or measured now.
fn current(args: &GateArgs) -> anyhow::Result<Results> {
    match &args.current {
        Some(path) => Ok(gate::baseline::load_results(path)?),
        None => measure(args),
    }
}

/// Measures the current state: the quick bench on `--engines` (with the spec testsuite,
/// 15 s on this 2-core machine in a release build), the spec testsuite's counts when a testsuite is found (an
/// explicit `--spec-suite` or WASM_SPEC_TESTSUITE that is not a directory is an error), and
/// the differential section ([`gate::measure_differential`]). Progress goes to stderr, one
/// line per stage, so CI logs show where the time went.
fn measure(args: &GateArgs) -> anyhow::Result<Results> {
    let engines = crate::engines::select(&args.engines).context("--engines")?;
    let spec_suite = Lookup::from_env(args.spec_suite.clone()).locate().context("--spec-suite")?.map(|l| l.root);
    match &spec_suite {
        Some(root) => eprintln!("gate: measuring the quick bench and the spec testsuite at {}", root.display()),
        None => eprintln!(
            "gate: measuring the quick bench; no spec testsuite found, so conformance is not measured (pass \
             --spec-suite DIR or set WASM_SPEC_TESTSUITE)"
        ),
    }
    let options =
        BenchOptions { engines: engines.iter().map(|e| e.to_string()).collect(), spec_suite, ..BenchOptions::quick() };
    let mut stage = None;
    let mut results = bench::run(&options, &mut |p| match p {
        Progress::Step(step) if stage != Some(step.phase) => {
            stage = Some(step.phase);
            eprintln!("gate: {} ({:.0?} so far)", step.phase.name(), step.elapsed);
        }
        Progress::Step(_) => {}
        Progress::Warning(w) => eprintln!("gate: warning: {w}"),
        // Problems land in the measurements too, where the checksums check reports them.
        Progress::Problem(p) => eprintln!("gate: problem: {p}"),
    })
    .context("measuring the current state (redzone bench --quick)")?;
    let regressions =
        args.regressions.clone().unwrap_or_else(|| crate::spec::suite::workspace_root().join("suites/regressions"));
    let differential = gate::measure_differential(&regressions, &engines, &mut |stage| eprintln!("gate: {stage}"))
        .context("measuring the differential (regression replays and the fuzz budget)")?;
    results.differential = Some(differential);
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerances_are_non_negative_percentages() {
        assert_eq!(parse_percent("25"), Ok(25.0));
        assert_eq!(parse_percent("12.5%"), Ok(12.5));
        for bad in ["-1", "abc", "NaN", "inf", ""] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
    }
}
