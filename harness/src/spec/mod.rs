//! The spec testsuite runner: finding the testsuite ([`suite`]), deciding what is in scope
//! ([`manifest`]), matching expectations ([`expect`]) and running scripts ([`WastRunner`]).
//!
//! Data enters as a suite directory (or any `.wast` paths) and engine names; it leaves as one
//! [`ScriptReport`] per file and engine, handed to a callback as soon as it is ready so the
//! caller can stream it to the reporters. Scripts run on `jobs` worker threads, each with a
//! fresh adapter per script.
//!
//! With two or more engines, [`lockstep`] runs each file on all of them at once and diffs
//! their exported state after every directive that runs code (the cross-engine diff).
//!
//! To support a new directive: a match arm in `runner.rs`. To widen the scope: a rule in
//! `suites/spec/manifest.toml`.

pub mod expect;
pub mod expectations;
pub mod lockstep;
pub mod manifest;
mod runner;
pub mod suite;

pub use expectations::Expectations;
pub use manifest::{Manifest, Scope};
pub use runner::{Failure, ScriptOptions, ScriptReport, WastRunner, count_directives, parse_buffer};
pub use suite::{SuiteFile, SuiteLocation};

use crate::engines;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Runs one script on one engine configuration, or skips it when `scope` says so, then
/// applies the recorded expected failures of that engine ([`Expectations`]). Never fails: an
/// unreadable file or an unknown engine is a failed report saying so.
pub fn run_one(path: &Path, name: &str, scope: &Scope, engine: &str, options: &ScriptOptions) -> ScriptReport {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            return setup_failure(name, engine, "(file)", "a readable .wast file", &format!("{}: {e}", path.display()));
        }
    };
    if let Some(reason) = scope.skip_reason() {
        return ScriptReport::skipped(name, engine, count_directives(&text).unwrap_or(0), &reason);
    }
    match engines::build(engine) {
        Ok(adapter) => {
            let mut report = WastRunner::new(adapter, options.clone()).run_script(name, &text);
            Expectations::builtin().apply(&mut report);
            report
        }
        Err(e) => setup_failure(name, engine, "(engine)", "an engine to run on", &e.to_string()),
    }
}

fn setup_failure(name: &str, engine: &str, directive: &str, expected: &str, seen: &str) -> ScriptReport {
    let mut report = ScriptReport::skipped(name, engine, 0, "");
    report.skip_reason = None;
    report.failed = 1;
    report.failures.push(Failure {
        file: name.to_string(),
        line: 1,
        col: 1,
        directive: directive.to_string(),
        expected: expected.to_string(),
        seen: seen.to_string(),
    });
    report
}

/// Runs every file on every engine on `jobs` threads (at least one), calling `on_report`
/// on the calling thread with the file's index in `files` and its report, in completion
/// order.
pub fn run_all(
    files: &[SuiteFile],
    engine_names: &[&str],
    options: &ScriptOptions,
    jobs: usize,
    on_report: impl FnMut(usize, ScriptReport),
) {
    run_all_isolated(files, engine_names, options, jobs, false, &crate::isolation::Isolation::None, on_report)
}
/// Runs `files` on `engine_names` like [`run_all`] (or [`lockstep::run_all`] when
/// `lockstep`), each file's run going through a runner of `isolation`, one per job thread: in
/// worker processes, an engine that crashes, aborts or hangs on a script fails that script
/// on that engine with the classified death (found by running the script on each engine
/// alone), and the run goes on.
pub fn run_all_isolated(
    files: &[SuiteFile],
    engine_names: &[&str],
    options: &ScriptOptions,
    jobs: usize,
    lockstep: bool,
    isolation: &crate::isolation::Isolation,
    mut on_report: impl FnMut(usize, ScriptReport),
) {
    use crate::isolation::SpecJob;
    let engines: Vec<String> = engine_names.iter().map(|e| e.to_string()).collect();
    let work: Vec<(usize, Vec<String>)> = if lockstep {
        (0..files.len()).map(|i| (i, engines.clone())).collect()
    } else {
        (0..files.len()).flat_map(|i| engines.iter().map(move |e| (i, vec![e.clone()]))).collect()
    };
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, work.len().max(1)) {
            let tx = tx.clone();
            let (work, next) = (&work, &next);
            std::thread::Builder::new()
                // The wast parser and encoder recurse on nesting depth; give them room.
                .stack_size(64 << 20)
                .spawn_scoped(scope, move || {
                    let mut runner = isolation.runner();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((file, engines)) = work.get(i) else { break };
                        let job = SpecJob {
                            file: files[*file].clone(),
                            engines: engines.clone(),
                            lockstep,
                            options: options.clone(),
                        };
                        for report in spec_job(&mut *runner, &job) {
                            if tx.send((*file, report)).is_err() {
                                return;
                            }
                        }
                    }
                })
                .expect("spawning a worker thread");
        }
        drop(tx);
        for (file, report) in rx {
            on_report(file, report);
        }
    });
}

/// The reports of one spec job: the runner's, or after a death, each engine's alone (the one
/// that dies again gets a failure naming the death) and, in lockstep, a diff column that says
/// nothing was compared.
fn spec_job(runner: &mut dyn crate::isolation::Runner, job: &crate::isolation::SpecJob) -> Vec<ScriptReport> {
    use crate::isolation::SpecRan;
    let name = &job.file.name;
    let failed = |engine: &str, seen: String| {
        setup_failure(name, engine, "(script)", "the script to run to its end (in a worker process)", &seen)
    };
    let death = match runner.spec(job) {
        Ok(SpecRan::Reports(reports)) => return reports,
        Ok(SpecRan::Died(death)) => death,
        Err(e) => return job.engines.iter().map(|e2| failed(e2, format!("the worker failed: {e:#}"))).collect(),
    };
    if job.engines.len() == 1 && !job.lockstep {
        return vec![failed(&job.engines[0], format!("the worker running it died: {death}"))];
    }
    let mut reports = Vec::new();
    for engine in &job.engines {
        let alone = crate::isolation::SpecJob { engines: vec![engine.clone()], lockstep: false, ..job.clone() };
        match runner.spec(&alone) {
            Ok(SpecRan::Reports(mut r)) => reports.append(&mut r),
            Ok(SpecRan::Died(d)) => reports.push(failed(engine, format!("the worker running it died: {d}"))),
            Err(e) => reports.push(failed(engine, format!("the worker failed: {e:#}"))),
        }
    }
    if job.lockstep && job.engines.len() > 1 {
        let mut diff = ScriptReport::skipped(name, lockstep::DIFF_COLUMN, 0, "");
        diff.skip_reason = Some(format!("not compared: the lockstep run died ({death})"));
        reports.push(diff);
    }
    reports
}
