//! The harness's integration tests, one binary (libtest-mimic), trials discovered at run
//! time rather than listed:
//!
//! - `spec::<engine>::<file>`: every in-scope file of the spec testsuite on every available
//!   engine (the testsuite is found as `redzone spec` finds it; see `spec.rs`);
//! - `edges::<engine>::<file>`: every script in `suites/edges/`;
//! - `bad_input::*`: the testsuite's malformed and invalid modules and thousands of seeded
//!   mutations of valid ones go through load, instantiate and a fuel-limited call without a
//!   panic and with typed errors;
//! - `perturb::*`: a wrapper adapter that perturbs one thing at a time, and the oracle
//!   reporting each with its location (and nothing when nothing is perturbed);
//! - `edges::differential`: `redzone run`'s library entry over `suites/edges` on every
//!   available configuration, requiring agreement;
//! - `imports::*`: modules with imports on every configuration through the fleet's dummy
//!   imports, the imported state compared (see `imports.rs`);
//! - `abi::*`: the string/array ABI suite on every engine (see `abi.rs`);
//! - `bench::*`: every benchmark workload of `suites/bench/` at its quick size on every
//!   engine, against the manifest's checksum (see `bench.rs`);
//! - `canary::*`: the fuzz loop finds, shrinks and replays the planted bug of the test-only
//!   `redzone:canary` configuration, which is never selected by default (see `canary.rs`);
//! - `isolation::*`: worker processes survive and classify every kind of crash, and a fuzz
//!   campaign goes on past the test-only `redzone:crash-canary` and saves its crash as a
//!   finding that replays (see `isolation.rs`);
//! - `regressions::<case>`: every case of `suites/regressions/` agrees on every engine;
//! - `report::chromium`: a report rendered from a fixed results JSON, checked for its
//!   figures and opened in headless Chromium (see `report.rs`);
//! - `gate::*`: `redzone gate` on the committed baseline, on worse runs derived from it, and
//!   on a missing baseline (see `gate.rs`);
//! - `cli::<file>`: snapshot tests of the `redzone` binary (`tests/cli/`, `BLESS=1` to
//!   regenerate).

mod abi;
mod bad_input;
mod bench;
mod canary;
mod cli;
mod edges;
mod gate;
mod imports;
mod isolation;
mod mutants;
mod perturb;
mod regressions;
mod report;
mod spec;

use libtest_mimic::{Arguments, Failed, Trial};
use redzone_harness::spec::ScriptReport;

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    let suite = spec::trials(&mut trials);
    edges::trials(&mut trials);
    perturb::trials(&mut trials);
    imports::trials(&mut trials);
    bad_input::trials(&mut trials, suite.as_deref());
    cli::trials(&mut trials);
    abi::trials(&mut trials);
    bench::trials(&mut trials);
    canary::trials(&mut trials);
    isolation::trials(&mut trials);
    mutants::trials(&mut trials);
    regressions::trials(&mut trials);
    gate::trials(&mut trials);
    report::trials(&mut trials);
    libtest_mimic::run(&args, trials).exit();
}

/// Turns a script report into a trial result that lists every failure.
pub(crate) fn check_report(report: &ScriptReport) -> Result<(), Failed> {
    if report.ok() {
        // A file whose every check is a recorded expected failure (a peer that lacks the
        // proposal, e.g. wasmer on memory64) ran its checks; only a file with neither ran none.
        if report.passed == 0 && report.expected_failures.is_empty() {
            return Err(format!("{}: no check ran", report.file).into());
        }
        return Ok(());
    }
    let mut msg = format!("{} on {}: {} passed, {} failed\n", report.file, report.engine, report.passed, report.failed);
    for f in &report.failures {
        msg.push_str(&format!("  {f}\n"));
    }
    Err(msg.into())
}

/// Every available engine, the `engines` of each trial family.
pub(crate) fn engine_names() -> Vec<&'static str> {
    redzone_harness::engines::default_names()
}

/// The workspace root.
pub(crate) fn workspace_root() -> std::path::PathBuf {
    redzone_harness::spec::suite::workspace_root()
}

/// A trial.
pub(crate) fn trial(name: String, f: impl FnOnce() -> Result<(), Failed> + Send + 'static) -> Trial {
    Trial::test(name, f)
}
