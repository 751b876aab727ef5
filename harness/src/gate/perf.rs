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
//! - relative speed (`speed:<configuration>/<reference>`): the geometric mean over workloads
//!   of one configuration's median time divided by the reference's, computed here from the
//!   measurements. The references: every configuration against `wasmi` (the one peer with a
//!   single mode, and an interpreter like redzone's own, so it is the steadiest yardstick), and
//!   each redzone strategy against wasmtime's same strategy (the issue asks where redzone
//!   stands against wasmtime). Worse means higher: the configuration got slower relative to
//!   its reference. Only workloads both documents measured on both configurations count, so
//!   adding a workload does not move the mean.
//!
//! A check fails when the current ratio's median is worse than the baseline's by more than
//! the tolerance AND the current interval lies wholly on the worse side of the baseline's
//! (the intervals do not overlap). The interval of a relative speed is conservative: per
//! workload `[low_a / high_b, high_a / low_b]`, and the geometric means of those bounds.
//! That is wider than a bootstrap interval would be, which is the point: on a noisy 2-core
//! machine a false alarm costs more than a missed 10% regression (the tolerance is 25% anyway).

use super::{Check, CheckStatus, Family, Settings};
use crate::bench::results::{Estimate, Results};
use std::collections::{BTreeMap, BTreeSet};

/// The configuration every other one is measured against in the `speed` checks.
pub const YARDSTICK: &str = "wasmi";

/// Pushes one check per guard/checked ratio of the baseline, then a skipped one per ratio that
/// only the current run has.
pub fn guard_checked(baseline: &Results, current: &Results, settings: &Settings, out: &mut Vec<Check>) {
    let now: BTreeMap<(&str, &str), Estimate> =
        current.ratios.iter().map(|r| ((r.engine.as_str(), r.workload.as_str()), r.ratio)).collect();
    let families_now: BTreeSet<&str> = current.ratios.iter().map(|r| r.engine.as_str()).collect();
    let mut seen = BTreeSet::new();
    for r in &baseline.ratios {
        let key = (r.engine.as_str(), r.workload.as_str());
        if !seen.insert(key) {
            continue;
        }
        let subject = format!("{}:{}", r.engine, r.workload);
        let check = match now.get(&key) {
            Some(new) => {
                let name = format!("{}:{subject}", Family::Ratio.key());
                let tolerance = settings.tolerance_for(&name, Family::Ratio);
                judge(Family::Ratio, &subject, "guard/checked", r.ratio, *new, tolerance)
            }
            None if !families_now.contains(r.engine.as_str()) => Check::new(
                Family::Ratio,
                Some(&subject),
                CheckStatus::Skip,
                format!("not measured: the current run has no {} guard/checked ratios", r.engine),
            ),
            None => Check::new(
                Family::Ratio,
                Some(&subject),
                CheckStatus::Skip,
                format!("removed: in the baseline ({}), not in the current run", show(&r.ratio)),
            ),
        };
        out.push(check);
    }
    for r in &current.ratios {
        let key = (r.engine.as_str(), r.workload.as_str());
        if seen.insert(key) {
            out.push(Check::new(
                Family::Ratio,
                Some(&format!("{}:{}", r.engine, r.workload)),
                CheckStatus::Skip,
                format!("new, not in the baseline: guard/checked {}", show(&r.ratio)),
            ));
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
        if both.is_empty() {
            let why = if current.measurements.iter().any(|m| m.engine == config)
                && current.measurements.iter().any(|m| m.engine == reference)
            {
                "no workload ran on both configurations in both runs"
            } else {
                "not measured: the current run lacks one of the two configurations"
            };
            out.push(Check::new(Family::Speed, Some(&subject), CheckStatus::Skip, why.into()));
            continue;
        }
        let (Some(old), Some(new)) =
            (geomean_ratio(baseline, &config, &reference, &both), geomean_ratio(current, &config, &reference, &both))
        else {
            continue; // `usable` admits only finite positive times, so both means exist.
        };
        let name = format!("{}:{subject}", Family::Speed.key());
        let tolerance = settings.tolerance_for(&name, Family::Speed);
        let what = format!("time relative to {reference}, geometric mean over {} workloads,", both.len());
        out.push(judge(Family::Speed, &subject, &what, old, new, tolerance));
    }
}

/// Workloads that ran without error on both configurations, with times a ratio can be made
/// of (finite and positive).
fn usable(r: &Results, a: &str, b: &str) -> BTreeSet<String> {
    let good = |w: &str, e: &str| {
        r.measurement(w, e).is_some_and(|m| {
            let t = m.time_ns;
            m.error.is_none() && [t.median, t.low, t.high].iter().all(|x| x.is_finite() && *x > 0.0)
        })
    };
    r.measurements
        .iter()
        .filter(|m| m.engine == a && good(&m.workload, a) && good(&m.workload, b))
        .map(|m| m.workload.clone())
        .collect()
}

/// The geometric mean over `workloads` of `a`'s time over `b`'s, with conservative bounds.
fn geomean_ratio(r: &Results, a: &str, b: &str, workloads: &BTreeSet<String>) -> Option<Estimate> {
    let mut logs = [0.0f64; 3];
    for w in workloads {
        let (ta, tb) = (r.measurement(w, a)?.time_ns, r.measurement(w, b)?.time_ns);
        logs[0] += (ta.median / tb.median).ln();
        logs[1] += (ta.low / tb.high).ln();
        logs[2] += (ta.high / tb.low).ln();
    }
    let n = workloads.len() as f64;
    let [median, low, high] = logs.map(|l| (l / n).exp());
    Some(Estimate { median, low, high })
}

/// Whether an estimate can take part in a comparison.
fn comparable(e: &Estimate) -> bool {
    [e.median, e.low, e.high].iter().all(|x| x.is_finite()) && e.median > 0.0 && e.low <= e.high
}

/// `0.823 [0.801, 0.845]`.
fn show(e: &Estimate) -> String {
    format!("{:.3} [{:.3}, {:.3}]", e.median, e.low, e.high)
}

/// The verdict on one ratio where higher is worse.
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
    let worse = change_pct > tolerance_pct;
    let apart = new.low > old.high;
    let verdict = match (worse, apart) {
        (true, true) => "worse beyond the tolerance, and the intervals do not overlap",
        (true, false) => "worse beyond the tolerance, but the intervals overlap: taken as noise",
        _ if change_pct < 0.0 => "better",
        _ => "within the tolerance",
    };
    let status = if worse && apart { CheckStatus::Fail } else { CheckStatus::Pass };
    Check::new(
        family,
        Some(subject),
        status,
        format!("{what} {} -> {} ({change_pct:+.1}%, tolerance {tolerance_pct}%): {verdict}", show(&old), show(&new)),
    )
}
