//! The gate's performance checks. Only ratios are compared, never absolute times: a CI runner
//! that is 30% slower than the machine that made the baseline slows every engine alike, so a
//! ratio between two configurations measured in the same interleaved run keeps its meaning
//! where a time does not.
//!
//! Two kinds of ratio:
//! - guard/checked (`ratio:<engine>:<workload>`), taken as written in the results' `ratios`
//!   (per workload and the `geomean:<group>` / `geomean` summaries). Worse means higher: guard
//!   pages lost some of their advantage over explicit checks. (A rise can also come from the
//!   checked configuration getting faster; the `speed` checks tell the two apart.)
//! - 64-bit index cost (`index64:<configuration>:geomean` and `...:geomean:<group>`), taken as
//!   written in the results' `index_costs`: a memory64 twin's time over its 32-bit original's
//!   on one configuration, averaged. Worse means higher: the 64-bit index got dearer. Same
//!   tolerances as guard/checked means (25% overall, 50% per group).
//! - relative speed (`speed:<configuration>/<reference>`): the geometric mean over workloads
//!   of one configuration's median time divided by the reference's, computed here from the
//!   measurements. The references: every configuration against `wasmi` (the one peer with a
//!   single mode, and an interpreter like redzone's own, so it is the steadiest yardstick), and
//!   each redzone strategy against wasmtime's same strategy (the issue asks where redzone
//!   stands against wasmtime). Worse means higher: the configuration got slower relative to
//!   its reference. Only workloads both documents measured on both configurations count, so
//!   adding a workload does not move the mean; the memory64 twins never count (they repeat
//!   other workloads' kernels, as in the bench's own overall means).
//!
//! A check fails when the low end of the current interval is worse than the high end of the
//! baseline's by more than the tolerance: `current.low > baseline.high * (1 + tolerance)`.
//! That implies both that the medians moved by more than the tolerance and that the intervals
//! do not overlap, and asks more than either: a 95% interval from one run covers the noise
//! within that run, not the drift between runs and builds on a loaded 2-core machine, and the
//! tolerance is what absorbs the drift. The tolerance is 25% for an engine's overall
//! guard/checked mean, 50% for a group's mean and for relative speeds, and 75% for a single
//! workload's ratio ([`Settings`] says why).
//!
//! Measured on this machine under load (eight quick runs from three builds with the same
//! engine code, all 56 ordered comparisons, 129 checks each): `median worse by 25% and
//! intervals apart` raised 166 false alarms and failed 30 comparisons (mostly redzone's
//! single-workload ratios, and its speed relative to wasmtime:guard); this rule with these
//! tolerances raised none, the closest check reaching 0.93 of its limit. The price is
//! sensitivity where intervals are wide: a doubling is caught when the baseline's `high / low`
//! is under 1.14 for a workload (56 of the baseline's 84) or 1.33 for a group mean (15 of 24);
//! a doubling of an engine's overall mean is caught for all three engines.
//! The `speed` intervals are the bench's own (bootstrap over the samples in the document,
//! [`summary::relative`]), from a fixed seed.

use super::{Check, CheckStatus, Family, Scope, Settings};
use crate::bench::results::{Estimate, Ratio, Results, WorkloadEntry};
use crate::bench::summary;
use std::collections::{BTreeMap, BTreeSet};

/// The configuration every other one is measured against in the `speed` checks.
pub const YARDSTICK: &str = "wasmi";

/// The bootstrap seed of the `speed` intervals.
const SPEED_SEED: u64 = 1;

/// Bootstrap replicates per workload ratio in the `speed` intervals. Fewer than the bench's
/// 2,000: the gate resamples every pair of two documents, which took about 20 s per run in a
/// debug build, and the 2.5% and 97.5% percentiles of 500 draws move by far less than the 25%
/// tolerance.
const SPEED_REPLICATES: usize = 500;

/// Pushes one check per guard/checked ratio of the baseline, then a skipped one per ratio that
/// only the current run has.
pub fn guard_checked(baseline: &Results, current: &Results, settings: &Settings, out: &mut Vec<Check>) {
    let family = RatioFamily { family: Family::Ratio, what: "guard/checked", of: "guard/checked ratios" };
    family.checks(&baseline.ratios, &current.ratios, |_| true, settings, out);
}

/// Pushes one check per index-cost mean of the baseline (`index64:<configuration>:geomean`
/// and `index64:<configuration>:geomean:<group>`: a memory64 twin's time over its 32-bit
/// original's on one configuration), then a skipped one per mean only the current run has.
/// A baseline made before the twins has none, so every current one is new and skipped.
/// Single twins are not checked: 17 workloads on six configurations would add a hundred
/// single-workload checks whose layout noise only the widest tolerance absorbs, and a change
/// in what the index costs shows in the means.
pub fn index_costs(baseline: &Results, current: &Results, settings: &Settings, out: &mut Vec<Check>) {
    let family = RatioFamily { family: Family::Index, what: "64-bit / 32-bit time", of: "memory64 twins" };
    family.checks(&baseline.index_costs, &current.index_costs, |r| r.workload.starts_with("geomean"), settings, out);
}

/// A family of ratio checks taken as written in the two documents (higher is worse).
struct RatioFamily {
    family: Family,
    /// What the ratio is, for messages (`guard/checked`).
    what: &'static str,
    /// What a run without such ratios lacks, for messages.
    of: &'static str,
}

impl RatioFamily {
    /// One check per ratio of `baseline` that `keep` accepts, judged against `current`'s,
    /// then a skipped one per ratio only `current` has.
    fn checks(
        &self,
        baseline: &[Ratio],
        current: &[Ratio],
        keep: impl Fn(&Ratio) -> bool,
        settings: &Settings,
        out: &mut Vec<Check>,
    ) {
        let now: BTreeMap<(&str, &str), Estimate> =
            current.iter().filter(|r| keep(r)).map(|r| ((r.engine.as_str(), r.workload.as_str()), r.ratio)).collect();
        let engines_now: BTreeSet<&str> = current.iter().map(|r| r.engine.as_str()).collect();
        let mut seen = BTreeSet::new();
        for r in baseline.iter().filter(|r| keep(r)) {
            let key = (r.engine.as_str(), r.workload.as_str());
            if !seen.insert(key) {
                continue;
            }
            let subject = format!("{}:{}", r.engine, r.workload);
            let check = match now.get(&key) {
                Some(new) => {
                    let name = format!("{}:{subject}", self.family.key());
                    let scope = match r.workload.as_str() {
                        "geomean" => Scope::Overall,
                        w if w.starts_with("geomean:") => Scope::Summary,
                        _ => Scope::Workload,
                    };
                    let tolerance = settings.tolerance_for(&name, self.family, scope);
                    judge(self.family, &subject, self.what, r.ratio, *new, tolerance)
                }
                None if !engines_now.contains(r.engine.as_str()) => Check::new(
                    self.family,
                    Some(&subject),
                    CheckStatus::Skip,
                    format!("not measured: the current run has no {} {}", r.engine, self.of),
                ),
                None => Check::new(
                    self.family,
                    Some(&subject),
                    CheckStatus::Skip,
                    format!("removed: in the baseline ({}), not in the current run", show(&r.ratio)),
                ),
            };
            out.push(check);
        }
        for r in current.iter().filter(|r| keep(r)) {
            let key = (r.engine.as_str(), r.workload.as_str());
            if seen.insert(key) {
                out.push(Check::new(
                    self.family,
                    Some(&format!("{}:{}", r.engine, r.workload)),
                    CheckStatus::Skip,
                    format!("new, not in the baseline: {} {}", self.what, show(&r.ratio)),
                ));
            }
        }
    }
}

/// The (configuration, reference) pairs of the `speed` checks among `configurations`.
pub fn speed_pairs(configurations: &BTreeSet<String>) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if configurations.contains(YARDSTICK) {
        for c in configurations.iter().filter(|c| c.as_str() != YARDSTICK) {
            pairs.push((c.clone(), YARDSTICK.to_string()));
        }
    }
    for strategy in ["guard", "checked"] {
        let (ours, theirs) = (format!("redzone:{strategy}"), format!("wasmtime:{strategy}"));
        if configurations.contains(&ours) && configurations.contains(&theirs) {
            pairs.push((ours, theirs));
        }
    }
    pairs
}

/// Pushes one check per (configuration, reference) pair the baseline measured.
pub fn speed(baseline: &Results, current: &Results, settings: &Settings, out: &mut Vec<Check>) {
    let configurations: BTreeSet<String> = baseline.measurements.iter().map(|m| m.engine.clone()).collect();
    for (config, reference) in speed_pairs(&configurations) {
        let subject = format!("{config}/{reference}");
        let both = &usable(baseline, &config, &reference) & &usable(current, &config, &reference);
        let means = (!both.is_empty()).then(|| {
            // Workload groups only matter for per-group means, which these checks do not use.
            let workloads: Vec<WorkloadEntry> = both
                .iter()
                .map(|name| WorkloadEntry {
                    name: name.clone(),
                    group: String::new(),
                    twin: None,
                    stresses: String::new(),
                    n: 0,
                    checksum: 0,
                })
                .collect();
            (
                geomean_ratio(baseline, &config, &reference, &workloads),
                geomean_ratio(current, &config, &reference, &workloads),
            )
        });
        let (old, new) = match means {
            Some((Some(old), Some(new))) => (old, new),
            _ => {
                let why = if current.measurements.iter().any(|m| m.engine == config)
                    && current.measurements.iter().any(|m| m.engine == reference)
                {
                    "no workload ran correctly on both configurations in both runs"
                } else {
                    "not measured: the current run lacks one of the two configurations"
                };
                out.push(Check::new(Family::Speed, Some(&subject), CheckStatus::Skip, why.into()));
                continue;
            }
        };
        let name = format!("{}:{subject}", Family::Speed.key());
        let tolerance = settings.tolerance_for(&name, Family::Speed, Scope::Summary);
        let what = format!("time relative to {reference}, geometric mean over {} workloads,", both.len());
        out.push(judge(Family::Speed, &subject, &what, old, new, tolerance));
    }
}

/// Workloads that ran on both configurations with samples and the right checksum (what
/// `redzone bench` itself takes into its ratios), memory64 twins left out as in the bench's
/// overall means.
fn usable(r: &Results, a: &str, b: &str) -> BTreeSet<String> {
    let good = |w: &str, e: &str| r.measurement(w, e).is_some_and(|m| m.ran_correctly());
    r.measurements
        .iter()
        .filter(|m| m.engine == a && !r.is_twin(&m.workload) && good(&m.workload, a) && good(&m.workload, b))
        .map(|m| m.workload.clone())
        .collect()
}

/// The geometric mean over `workloads` of `a`'s median time over `b`'s, with the bench's own
/// bootstrap interval (the samples are in the document), drawn from a fixed seed so a
/// document always gives the same interval.
fn geomean_ratio(r: &Results, a: &str, b: &str, workloads: &[WorkloadEntry]) -> Option<Estimate> {
    summary::relative(&r.measurements, workloads, a, b, SPEED_REPLICATES, SPEED_SEED)
        .into_iter()
        .find(|ratio| ratio.workload == "geomean")
        .map(|ratio| ratio.ratio)
}

/// Whether an estimate can take part in a comparison.
fn comparable(e: &Estimate) -> bool {
    [e.median, e.low, e.high].iter().all(|x| x.is_finite()) && e.median > 0.0 && e.low <= e.high
}

/// `0.8231 [0.8010, 0.8452]`.
fn show(e: &Estimate) -> String {
    format!("{} [{}, {}]", significant(e.median), significant(e.low), significant(e.high))
}

/// Four significant digits: ratios run from 0.008 (wasmer's grow loop) to 10 and more, and a
/// fixed number of decimals would print two different bounds alike.
fn significant(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return format!("{x}");
    }
    let decimals = (3 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    format!("{x:.decimals$}")
}

/// The verdict on one ratio where higher is worse: it fails when the low end of the current
/// interval exceeds the high end of the baseline's by more than the tolerance (which implies
/// that the medians differ by more than the tolerance and that the intervals do not overlap).
pub fn judge(family: Family, subject: &str, what: &str, old: Estimate, new: Estimate, tolerance_pct: f64) -> Check {
    if !comparable(&old) || !comparable(&new) {
        return Check::new(
            family,
            Some(subject),
            CheckStatus::Skip,
            format!(
                "cannot compare {what} {} -> {}: not a positive finite ratio with an interval",
                show(&old),
                show(&new)
            ),
        );
    }
    let change_pct = (new.median / old.median - 1.0) * 100.0;
    let limit = old.high * (1.0 + tolerance_pct / 100.0);
    let (status, verdict) = if new.low > limit {
        (
            CheckStatus::Fail,
            format!("worse beyond the tolerance even between the interval ends ({:.3} > {limit:.3})", new.low),
        )
    } else if change_pct > tolerance_pct {
        (CheckStatus::Pass, "the median is worse beyond the tolerance, but the intervals leave room for noise".into())
    } else if change_pct < 0.0 {
        (CheckStatus::Pass, "better".into())
    } else {
        (CheckStatus::Pass, "within the tolerance".into())
    };
    Check::new(
        family,
        Some(subject),
        status,
        format!("{what} {} -> {} ({change_pct:+.1}%, tolerance {tolerance_pct}%): {verdict}", show(&old), show(&new)),
    )
}
