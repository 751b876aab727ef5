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
    mut on_report: impl FnMut(usize, ScriptReport),
) {
    let work: Vec<(usize, &str)> = (0..files.len()).flat_map(|i| engine_names.iter().map(move |e| (i, *e))).collect();
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
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(file, engine)) = work.get(i) else { break };
                        let f = &files[file];
                        let report = run_one(&f.path, &f.name, &f.scope, engine, options);
                        if tx.send((file, report)).is_err() {
                            break;
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
