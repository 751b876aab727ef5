//! `redzone spec`: runs the spec testsuite's in-scope `.wast` files on engine
//! configurations, one row per file, a column per engine. With two or more engines the files
//! run in lockstep with the cross-engine state diff on (its own `diff` column; see
//! [`crate::spec::lockstep`]); `--no-diff` runs each engine on its own instead.
//!
//! Files run in `redzone worker` processes by default (`--isolation process`): an engine that
//! crashes, aborts or hangs on a script fails that script on that engine with the classified
//! death, and the run goes on.

use super::{Format, Status, jobs};
use crate::engines;
use crate::report::human::HumanReporter;
use crate::report::json::JsonReporter;
use crate::report::junit::JunitReporter;
use crate::report::{Event, Reporter};
use crate::spec::suite::{HOW_TO_POINT, Lookup, SuiteError, SuiteSource, discover, required_by_env};
use crate::spec::{Manifest, ScriptOptions, run_all_isolated};
use anyhow::{Context, bail};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `redzone spec`.
#[derive(Debug, clap::Args)]
pub struct SpecArgs {
    /// The testsuite directory (default: $WASM_SPEC_TESTSUITE, then suites/spec/testsuite).
    #[arg(long, value_name = "DIR")]
    pub suite: Option<PathBuf>,
    /// Engine configurations, comma-separated (`all`, or `-name` to exclude one).
    #[arg(long, value_name = "LIST", default_value = "all")]
    pub engines: String,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Also write JUnit XML to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Fail (exit 2) instead of skipping when no testsuite is found (also
    /// REDZONE_REQUIRE_SPEC_SUITE=1).
    #[arg(long)]
    pub require_suite: bool,
    /// A scope manifest to use instead of the built-in suites/spec/manifest.toml.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Turn off the cross-engine state diff (engines then run independently).
    #[arg(long)]
    pub no_diff: bool,
    /// Where files run: `process` (default: worker processes, so a crashing engine fails its
    /// script instead of ending the run) or `none` (this process).
    #[arg(long, value_enum, default_value_t = super::fuzz::IsolationArg::Process)]
    pub isolation: super::fuzz::IsolationArg,
    /// Wall-clock limit per file in a worker, in seconds.
    #[arg(long, value_name = "N", default_value_t = 600)]
    pub timeout: u64,
    /// Only run files whose path (relative to the suite) contains one of these strings.
    #[arg(value_name = "FILTER")]
    pub filters: Vec<String>,
}

/// Runs the verb.
pub fn run(args: SpecArgs) -> anyhow::Result<Status> {
    let engine_names = engines::select(&args.engines).context("--engines")?;
    let manifest = match &args.manifest {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            Manifest::parse(&text).with_context(|| format!("in {}", path.display()))?
        }
        None => Manifest::builtin(),
    };
    let required = args.require_suite || required_by_env();
    let location = Lookup::from_env(args.suite.clone()).locate()?;
    let mut reporters: Vec<Box<dyn Reporter>> = Vec::new();
    match args.format {
        Format::Text => reporters.push(Box::new(HumanReporter::new(std::io::stdout()))),
        Format::Json => reporters.push(Box::new(JsonReporter::new(std::io::stdout()))),
    }
    if let Some(path) = &args.junit {
        let file = std::fs::File::create(path)
            .with_context(|| format!("creating the JUnit file {} (does its folder exist?)", path.display()))?;
        reporters.push(Box::new(JunitReporter::new(std::io::BufWriter::new(file))));
    }
    let mut emit = |event: &Event<'_>| -> anyhow::Result<()> {
        for r in reporters.iter_mut() {
            r.handle(event).context("writing the report")?;
        }
        Ok(())
    };
    let start = Instant::now();

    let Some(location) = location else {
        if required {
            return Err(SuiteError::Missing.into());
        }
        emit(&Event::Note(&format!("spec testsuite not found, so it was skipped: to run it, {HOW_TO_POINT}")))?;
        emit(&Event::Done { elapsed: start.elapsed() })?;
        return Ok(Status::Ok);
    };
    let files = discover(&location.root, &manifest, &args.filters)
        .with_context(|| format!("reading the spec testsuite at {}", location.root.display()))?;
    if files.is_empty() {
        if args.filters.is_empty() {
            bail!("no .wast files under {}: is it the testsuite's root? {HOW_TO_POINT}", location.root.display());
        }
        bail!("no .wast file under {} matches {:?}", location.root.display(), args.filters);
    }
    let source = match location.source {
        SuiteSource::Flag => "--suite",
        SuiteSource::Env => "WASM_SPEC_TESTSUITE",
        SuiteSource::Checkout => "checkout",
    };
    let title = format!("spec testsuite at {} (from {source})", location.root.display());
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let lockstep = !args.no_diff && engine_names.len() > 1;
    let columns: Vec<String> = if lockstep {
        crate::spec::lockstep::columns(&engine_names)
    } else {
        engine_names.iter().map(|s| s.to_string()).collect()
    };
    emit(&Event::Started { title: &title, files: &names, engines: &columns })?;
    let mut ok = true;
    let mut write_error = None;
    let on_report = |file, report: crate::spec::ScriptReport| {
        ok &= report.ok();
        if let Err(e) = emit(&Event::Finished { file, report: &report })
            && write_error.is_none()
        {
            write_error = Some(e);
        }
    };
    let isolation = args.isolation.isolation(args.timeout, 8192)?;
    let options = ScriptOptions::default();
    run_all_isolated(&files, &engine_names, &options, jobs(args.jobs), lockstep, &isolation, on_report);
    if let Some(e) = write_error {
        return Err(e);
    }
    emit(&Event::Done { elapsed: start.elapsed() })?;
    Ok(if ok { Status::Ok } else { Status::Failed })
}
