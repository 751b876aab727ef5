//! The CI regression gate: compares the results document of the current state
//! ([`crate::bench::results::Results`], written by `redzone bench`) with a committed baseline
//! (the same document, plus optional per-check `tolerances`), and produces a [`GateReport`]: an
//! ordered list of [`Check`]s, each passed, failed or skipped, with a message saying what
//! changed. It reads nothing but those two documents.
//!
//! What fails, in the order checks are listed:
//! - conformance (`conformance:<configuration>`): for every configuration in the baseline,
//!   spec `passed` dropped or `failed` rose, or the configuration is missing from a current run
//!   that has conformance counts;
//! - regressions (`regressions`): any case of `suites/regressions/` diverges again;
//! - fuzz budget (`fuzz:<generator>:<seed>`): the fixed-seed budget found a new divergence
//!   (one whose cluster is a recorded peer bug in `suites/regressions/peers` is reported in
//!   the check's message, not failed on);
//! - mutant budgets (`mutants:<mutant>`): a fixed-seed campaign no longer kills its planted
//!   bug of the mutant zoo (`crate::mutants::GATE`): a generator lost its reach;
//! - checksums (`checksums`): a workload returned a wrong checksum, or no longer runs on a
//!   configuration where the baseline ran it;
//! - performance, ratios only, never absolute times (see [`perf`]): each guard/checked ratio
//!   (`ratio:<engine>:<workload>`) and each configuration's geometric-mean time relative to a
//!   reference configuration (`speed:<configuration>/<reference>`), when the current ratio is
//!   worse than the baseline's by more than the tolerance even between the interval ends (the
//!   current interval's low end above the baseline's high end times 1 + tolerance), so the
//!   medians differ by more than the tolerance and the intervals do not overlap. Strict on
//!   purpose: on a noisy 2-core machine a gate that cries wolf gets switched off;
//! - 64-bit index cost (`index64:<configuration>:geomean[:<group>]`): the memory64 twins'
//!   time over their 32-bit originals' rose beyond the tolerance, by the same rule.
//!
//! A section the current run did not measure (no conformance counts, no differential) is
//! skipped, not failed: the gate can run on a bench file alone. [`Settings::require_all`]
//! (`--require-all`) turns those skips into failures for CI jobs that must measure
//! everything. Workloads, ratios and configurations that were added or removed are reported as
//! skipped checks, never failures: adding a workload must not need a baseline update.
//!
//! Data leaves as text ([`GateReport::text`]), JUnit XML ([`GateReport::junit`], one testcase
//! per check) and JSON (the report serialises). To add a check: a function in this module (or
//! [`perf`]) that pushes [`Check`]s, called from [`compare`] in its place in the order, and a
//! [`Family`] variant if it is a new kind.

pub mod baseline;
pub mod perf;
mod render;

pub use baseline::{Baseline, GateError};

use crate::bench::results::{Differential, Results};
use crate::generators::GeneratorKind;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The built-in tolerance, in percent: how much worse a ratio may get before it can fail.
pub const DEFAULT_TOLERANCE_PCT: f64 = 25.0;

/// How strict the gate is.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Percent by which an engine's overall guard/checked geometric mean
    /// (`ratio:<engine>:geomean`) may worsen before its check fails, and the base of every
    /// other performance check's tolerance ([`Scope`]), for checks that
    /// [`Settings::overrides`] does not name (`--tolerance`). Defaults to 25.
    pub tolerance_pct: f64,
    /// What [`Settings::tolerance_pct`] is multiplied by for a group's guard/checked mean (2 to
    /// 4 workloads) and for a relative speed (two engines' code, each moving with its own
    /// layout). Defaults to 2.
    pub summary_factor: f64,
    /// What [`Settings::tolerance_pct`] is multiplied by for a single workload's guard/checked
    /// ratio. Defaults to 3.
    ///
    /// Why three tiers: between builds with the same engine code, code layout moves single
    /// workloads a lot. Measured on this machine (eight quick runs from three builds, all 56
    /// ordered comparisons), the current interval's low end exceeded the baseline's high end by
    /// up to 52% for one workload (redzone's `heapsort`), 39% for a speed (redzone:guard
    /// relative to wasmtime:guard), 21% for a group mean and 13% for an overall mean.
    pub workload_factor: f64,
    /// Per-check tolerances in percent, keyed by check name (`ratio:wasmer:sum_i32`) or by
    /// family (`ratio`, `speed`); an exact name wins over its family, and both win over the
    /// built-in ones. The baseline file's `tolerances` field fills it. Defaults to empty.
    pub overrides: BTreeMap<String, f64>,
    /// Whether a section the current run did not measure (conformance, differential) fails
    /// instead of being skipped (`--require-all`). Defaults to false.
    pub require_all: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tolerance_pct: DEFAULT_TOLERANCE_PCT,
            summary_factor: 2.0,
            workload_factor: 3.0,
            overrides: BTreeMap::new(),
            require_all: false,
        }
    }
}

impl Settings {
    /// The tolerance, in percent, of the check `name` of `family` over `scope`.
    pub fn tolerance_for(&self, name: &str, family: Family, scope: Scope) -> f64 {
        let factor = match scope {
            Scope::Overall => 1.0,
            Scope::Summary => self.summary_factor,
            Scope::Workload => self.workload_factor,
        };
        self.overrides
            .get(name)
            .or_else(|| self.overrides.get(family.key()))
            .copied()
            .unwrap_or(self.tolerance_pct * factor)
    }
}

/// What a performance check summarises, which sets its built-in tolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// An engine's guard/checked mean over every workload, or a configuration's mean 64-bit
    /// index cost over every memory64 twin: [`Settings::tolerance_pct`].
    Overall,
    /// A group's guard/checked mean or index cost, or a relative speed: times
    /// [`Settings::summary_factor`].
    Summary,
    /// One workload's guard/checked ratio: times [`Settings::workload_factor`].
    Workload,
}

/// What a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Spec testsuite pass and fail counts of one configuration.
    Conformance,
    /// Regression cases diverging again.
    Regressions,
    /// Divergences found by a fixed-seed fuzz budget.
    Fuzz,
    /// A planted bug a fixed-seed campaign no longer kills.
    Mutants,
    /// Workload checksums and workloads that stopped running.
    Checksums,
    /// A guard/checked time ratio of one engine and workload.
    Ratio,
    /// A configuration's geometric-mean time relative to a reference configuration.
    Speed,
    /// A configuration's memory64 twins' time over their 32-bit originals', averaged.
    Index,
}

impl Family {
    /// The family's name, the first part of its checks' names and a `tolerances` key.
    pub fn key(self) -> &'static str {
        match self {
            Family::Conformance => "conformance",
            Family::Regressions => "regressions",
            Family::Fuzz => "fuzz",
            Family::Mutants => "mutants",
            Family::Checksums => "checksums",
            Family::Ratio => "ratio",
            Family::Speed => "speed",
            Family::Index => "index64",
        }
    }
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Nothing got worse.
    Pass,
    /// Something got worse: the gate fails.
    Fail,
    /// Nothing to compare (not measured, or only in one of the documents).
    Skip,
}

/// One check: its name, how it ended and what changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Unique name, `<family>` or `<family>:<subject>` (`conformance:wasmi`).
    pub name: String,
    /// What it looks at.
    pub family: Family,
    /// How it ended.
    pub status: CheckStatus,
    /// What changed, old -> new, and the tolerance where one applies.
    pub message: String,
}

impl Check {
    fn new(family: Family, subject: Option<&str>, status: CheckStatus, message: String) -> Check {
        let name = match subject {
            Some(s) => format!("{}:{s}", family.key()),
            None => family.key().to_string(),
        };
        Check { name, family, status, message }
    }
}

/// Where one of the compared documents came from, for the report's header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// When its run started.
    pub created: String,
    /// `quick` or `full`.
    pub mode: String,
    /// The redzone commit.
    pub commit: String,
    /// Host name and CPU.
    pub machine: String,
}

impl Provenance {
    fn of(r: &Results) -> Provenance {
        Provenance {
            created: r.created.clone(),
            mode: r.mode.clone(),
            commit: r.redzone.commit.clone(),
            machine: format!("{} ({}, {} cores)", r.machine.hostname, r.machine.cpu, r.machine.cores),
        }
    }
}

/// The outcome of [`compare`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateReport {
    /// Whether every check passed or was skipped.
    pub passed: bool,
    /// The baseline's origin.
    pub baseline: Provenance,
    /// The current run's origin.
    pub current: Provenance,
    /// Things to know that are not checks (the documents come from different machines, ...).
    pub notes: Vec<String>,
    /// Every check, in order: conformance, regressions, fuzz, checksums, ratios, speed, index64.
    pub checks: Vec<Check>,
}

impl GateReport {
    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == CheckStatus::Fail)
    }

    /// Counts of passed, failed and skipped checks.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |s| self.checks.iter().filter(|c| c.status == s).count();
        (count(CheckStatus::Pass), count(CheckStatus::Fail), count(CheckStatus::Skip))
    }

    /// The check named `name`.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// Compares the current run with the baseline. Never panics, whatever the documents hold:
/// numbers that cannot be compared (zero, negative, NaN) make a skipped check saying so.
pub fn compare(baseline: &Results, current: &Results, settings: &Settings) -> GateReport {
    let mut checks = Vec::new();
    conformance(baseline, current, settings, &mut checks);
    differential(current, settings, &mut checks);
    checksums(baseline, current, &mut checks);
    perf::guard_checked(baseline, current, settings, &mut checks);
    perf::speed(baseline, current, settings, &mut checks);
    perf::index_costs(baseline, current, settings, &mut checks);
    GateReport {
        passed: checks.iter().all(|c| c.status != CheckStatus::Fail),
        baseline: Provenance::of(baseline),
        current: Provenance::of(current),
        notes: notes(baseline, current),
        checks,
    }
}

/// The fixed-seed fuzz budgets the gate runs: each generator, a seed, and how many cases.
/// Sized for a CI step: about 20 s in a release build on all seven configurations on a
/// 2-core machine (mutate is the slow one: its corpus modules run whole benchmark loops).
pub const FUZZ_BUDGETS: &[(GeneratorKind, u64, u64)] = &[
    (GeneratorKind::Edges, 1, 1_000),
    (GeneratorKind::Smith, 1, 1_000),
    (GeneratorKind::Abi, 1, 100),
    (GeneratorKind::Mutate, 1, 50),
];

/// The differential section of the current state on `engines`: every case of the regression
/// suite `regressions` (normally `suites/regressions`) replayed, and the [`FUZZ_BUDGETS`].
/// `progress` hears one line per stage. Errors (an unreadable case, an engine that cannot be
/// built) are errors, never a pass.
pub fn measure_differential(
    regressions: &Path,
    engines: &[&str],
    progress: &mut dyn FnMut(&str),
) -> anyhow::Result<Differential> {
    progress(&format!("replaying the regression cases of {}", regressions.display()));
    let replayed = crate::fuzz::regressions::replay_all(regressions, engines)?;
    let regressions_diverging = replayed.iter().filter(|(_, diverges)| *diverges).map(|(n, _)| n.clone()).collect();
    // Peer bugs already reduced and recorded are met again by the budgets now and then
    // (a wasmi panic on a store whose address and value are one value); they are reported,
    // not failed on: the gate guards redzone and the harness, and a peer's known bug is no
    // regression of either.
    let known = [regressions.join("peers")];
    let mut fuzz = Vec::new();
    for &(generator, seed, executions) in FUZZ_BUDGETS {
        progress(&format!("fuzz budget: {executions} {} cases from seed {seed}", generator.name()));
        fuzz.push(crate::fuzz::campaign::budget(generator, seed, executions, engines, &known)?);
    }
    // The mutant budgets run in workers started from this executable (the `redzone` binary):
    // only builds with the zoo have them.
    let mutants = if redzone_engine::mutants::BUILT {
        crate::mutants::run_gate(&crate::isolation::WorkerSettings::current_exe()?, |line| progress(line))?
    } else {
        progress("mutant budgets skipped: this build has no mutant zoo (--features mutants)");
        Vec::new()
    };
    Ok(Differential { regressions_replayed: replayed.len() as u64, regressions_diverging, fuzz, mutants })
}

fn not_measured(settings: &Settings) -> CheckStatus {
    if settings.require_all { CheckStatus::Fail } else { CheckStatus::Skip }
}

fn conformance(baseline: &Results, current: &Results, settings: &Settings, out: &mut Vec<Check>) {
    let Some(old) = &baseline.conformance else {
        out.push(Check::new(
            Family::Conformance,
            None,
            CheckStatus::Skip,
            "the baseline has no spec testsuite counts: nothing to compare (make the baseline with the \
             testsuite found, e.g. WASM_SPEC_TESTSUITE set, to gate on conformance)"
                .into(),
        ));
        return;
    };
    let Some(new) = &current.conformance else {
        out.push(Check::new(
            Family::Conformance,
            None,
            not_measured(settings),
            "not measured: the current run has no spec testsuite counts (pass --spec-suite DIR or set \
             WASM_SPEC_TESTSUITE)"
                .into(),
        ));
        return;
    };
    let suite_note = if old.suite_commit != new.suite_commit {
        format!(" (the testsuite changed: {} -> {})", old.suite_commit, new.suite_commit)
    } else {
        String::new()
    };
    for (name, was) in &old.engines {
        let Some(now) = new.engines.get(name) else {
            out.push(Check::new(
                Family::Conformance,
                Some(name),
                CheckStatus::Fail,
                format!(
                    "missing from the current run (the baseline had {} passed, {} failed){suite_note}",
                    was.passed, was.failed
                ),
            ));
            continue;
        };
        let dropped = now.passed < was.passed;
        let rose = now.failed > was.failed;
        let mut message = format!(
            "passed {} -> {} ({}), failed {} -> {} ({})",
            was.passed,
            now.passed,
            signed_diff(was.passed, now.passed),
            was.failed,
            now.failed,
            signed_diff(was.failed, now.failed)
        );
        if was.expected_failures != now.expected_failures {
            message.push_str(&format!(
                ", recorded expected failures {} -> {}",
                was.expected_failures, now.expected_failures
            ));
        }
        message.push_str(&suite_note);
        let status = if dropped || rose { CheckStatus::Fail } else { CheckStatus::Pass };
        out.push(Check::new(Family::Conformance, Some(name), status, message));
    }
    for (name, now) in new.engines.iter().filter(|(n, _)| !old.engines.contains_key(*n)) {
        out.push(Check::new(
            Family::Conformance,
            Some(name),
            CheckStatus::Skip,
            format!("new configuration, not in the baseline: passed {}, failed {}", now.passed, now.failed),
        ));
    }
}

fn signed_diff(old: u64, new: u64) -> String {
    if new >= old { format!("+{}", new - old) } else { format!("-{}", old - new) }
}

fn differential(current: &Results, settings: &Settings, out: &mut Vec<Check>) {
    let Some(d) = &current.differential else {
        let why = "not measured: the current run has no differential section (regression replays and the \
                   fuzz budget)";
        out.push(Check::new(Family::Regressions, None, not_measured(settings), why.into()));
        out.push(Check::new(Family::Fuzz, None, not_measured(settings), why.into()));
        return;
    };
    let message = if d.regressions_diverging.is_empty() {
        format!("{} regression cases replayed, none diverges", d.regressions_replayed)
    } else {
        format!(
            "{} of {} regression cases diverge again: {}",
            d.regressions_diverging.len(),
            d.regressions_replayed,
            d.regressions_diverging.join(", ")
        )
    };
    let status = if d.regressions_diverging.is_empty() { CheckStatus::Pass } else { CheckStatus::Fail };
    out.push(Check::new(Family::Regressions, None, status, message));
    if d.fuzz.is_empty() {
        out.push(Check::new(Family::Fuzz, None, not_measured(settings), "no fuzz budget was run".into()));
    }
    for budget in &d.fuzz {
        let subject = format!("{}:{}", budget.generator, budget.seed);
        let (status, message) = if budget.findings.is_empty() {
            let known = match budget.known.as_slice() {
                [] => String::new(),
                met => format!(" (met {} recorded peer bug(s) again: {})", met.len(), met.join(", ")),
            };
            (
                CheckStatus::Pass,
                format!("{} executions with seed {}, no new divergence{known}", budget.executions, budget.seed),
            )
        } else {
            (
                CheckStatus::Fail,
                format!(
                    "{} divergences in {} executions with seed {}: {}",
                    budget.findings.len(),
                    budget.executions,
                    budget.seed,
                    budget.findings.join(", ")
                ),
            )
        };
        out.push(Check::new(Family::Fuzz, Some(&subject), status, message));
    }
    if d.mutants.is_empty() {
        let why = "no mutant budget was run (they need a build with the zoo: --features mutants)";
        out.push(Check::new(Family::Mutants, None, not_measured(settings), why.into()));
    }
    for budget in &d.mutants {
        let what = format!("{} {} cases with seed {}", budget.executions, budget.generator, budget.seed);
        let (status, message) = match &budget.first {
            Some(first) if budget.killed => (CheckStatus::Pass, format!("{what} killed it: {first}")),
            _ => (
                CheckStatus::Fail,
                format!("{what} no longer kill it: the {} generator lost its reach", budget.generator),
            ),
        };
        out.push(Check::new(Family::Mutants, Some(&budget.mutant), status, message));
    }
}

fn checksums(baseline: &Results, current: &Results, out: &mut Vec<Check>) {
    let mut wrong = Vec::new();
    let mut stopped = Vec::new();
    for m in &current.measurements {
        match &m.error {
            None if !m.checksum_ok => wrong.push(format!("{} on {}", m.workload, m.engine)),
            // A workload that never ran on this configuration (an error, or a feature it lacks:
            // `unsupported`) is a known limitation, not a regression; one that ran in the
            // baseline and no longer does, for whatever reason, is.
            Some(err) if baseline.measurement(&m.workload, &m.engine).is_some_and(|b| b.error.is_none()) => {
                stopped.push(format!("{} on {} ({err})", m.workload, m.engine))
            }
            _ => {}
        }
    }
    let mut problems = Vec::new();
    if !wrong.is_empty() {
        problems.push(format!("wrong checksum: {}", wrong.join(", ")));
    }
    if !stopped.is_empty() {
        problems.push(format!("ran in the baseline, fails now: {}", stopped.join(", ")));
    }
    let check = if problems.is_empty() {
        let ran = current.measurements.iter().filter(|m| m.error.is_none()).count();
        let unsupported = current.measurements.iter().filter(|m| m.unsupported).count();
        let also = if unsupported > 0 {
            format!(" ({unsupported} refused by a configuration that lacks a feature they need: not failures)")
        } else {
            String::new()
        };
        Check::new(
            Family::Checksums,
            None,
            CheckStatus::Pass,
            format!("{ran} measurements, every checksum right{also}"),
        )
    } else {
        Check::new(Family::Checksums, None, CheckStatus::Fail, problems.join("; "))
    };
    out.push(check);
}

fn notes(baseline: &Results, current: &Results) -> Vec<String> {
    let mut notes = Vec::new();
    let (b, c) = (&baseline.machine, &current.machine);
    if (&b.hostname, &b.cpu, b.cores) != (&c.hostname, &c.cpu, c.cores) {
        notes.push(format!(
            "the documents come from different machines ({} vs {}): ratios carry across machines better than \
             times, but not perfectly",
            Provenance::of(baseline).machine,
            Provenance::of(current).machine
        ));
    }
    if baseline.mode != current.mode {
        notes.push(format!("the baseline is a {} run, the current one a {} run", baseline.mode, current.mode));
    }
    if baseline.redzone.profile != current.redzone.profile {
        notes.push(format!(
            "the baseline was measured on a {} build, the current run on a {} build",
            baseline.redzone.profile, current.redzone.profile
        ));
    }
    let names = |r: &Results| r.engines.iter().map(|e| e.name.clone()).collect::<BTreeSet<_>>();
    let (old, new) = (names(baseline), names(current));
    let gone: Vec<_> = old.difference(&new).cloned().collect();
    if !gone.is_empty() {
        notes.push(format!("configurations in the baseline but not measured now: {}", gone.join(", ")));
    }
    notes
}

#[cfg(test)]
pub(crate) mod tests;
