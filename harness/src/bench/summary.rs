//! Ratios derived from the measurements of a run: guard over checked for every engine
//! family measured in both strategies ([`guard_ratios`], what [`super::results::Results`]
//! stores), and one configuration's time over another's ([`relative`]: redzone against wasmi
//! or wasmtime, which `redzone bench` prints and a report may draw).
//!
//! Each comes per workload, then as the geometric mean per group (`geomean:<group>`) and over
//! all workloads (`geomean`), with the bootstrap intervals of [`super::stats`]. Only
//! measurements that ran and returned the right checksum count. The resampling seed is
//! derived from the run's seed and the pair, so the same run gives the same intervals.

use super::results::{Measurement, Ratio, WorkloadEntry};
use super::stats::{RatioEstimate, geomean};
use crate::generators::Rng;

/// The engine family of a configuration name and its strategy: `("wasmtime", Some("guard"))`,
/// `("wasmi", None)`.
pub fn family(name: &str) -> (&str, Option<&str>) {
    match name.split_once(':') {
        Some((family, strategy)) => (family, Some(strategy)),
        None => (name, None),
    }
}

/// The families among `engines` that have both a `:guard` and a `:checked` configuration, in
/// first-seen order.
pub fn families_with_both<'a>(engines: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for name in engines {
        let (fam, strategy) = family(name);
        let has = |s: &str| engines.iter().any(|n| family(n) == (fam, Some(s)));
        if strategy.is_some() && has("guard") && has("checked") && !out.contains(&fam) {
            out.push(fam);
        }
    }
    out
}

fn usable<'m>(measurements: &'m [Measurement], workload: &str, engine: &str) -> Option<&'m [f64]> {
    measurements
        .iter()
        .find(|m| m.workload == workload && m.engine == engine)
        .filter(|m| m.error.is_none() && m.checksum_ok && !m.samples_ns.is_empty())
        .map(|m| &m.samples_ns[..])
}

/// A seed for the pair `(a, b)` derived from the run's `seed` (FNV-1a over the names).
fn pair_seed(seed: u64, a: &str, b: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for byte in a.bytes().chain([0]).chain(b.bytes()) {
        h = (h ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Time of `numerator` over time of `denominator` per workload, then the geometric means per
/// group and overall, each labelled `label` in [`Ratio::engine`].
pub fn ratios(
    measurements: &[Measurement],
    workloads: &[WorkloadEntry],
    numerator: &str,
    denominator: &str,
    label: &str,
    replicates: usize,
    seed: u64,
) -> Vec<Ratio> {
    let mut rng = Rng::new(pair_seed(seed, numerator, denominator));
    let mut per_workload: Vec<(&WorkloadEntry, RatioEstimate)> = Vec::new();
    for w in workloads {
        let (Some(top), Some(bottom)) =
            (usable(measurements, &w.name, numerator), usable(measurements, &w.name, denominator))
        else {
            continue;
        };
        if let Some(r) = RatioEstimate::new(top, bottom, replicates, &mut rng) {
            per_workload.push((w, r));
        }
    }
    let entry = |workload: String, ratio| Ratio { engine: label.to_string(), workload, ratio };
    let mut out: Vec<Ratio> = per_workload.iter().map(|(w, r)| entry(w.name.clone(), r.estimate)).collect();
    let mut groups: Vec<&str> = Vec::new();
    for (w, _) in &per_workload {
        if !groups.contains(&w.group.as_str()) {
            groups.push(&w.group);
        }
    }
    for group in groups {
        let members: Vec<&RatioEstimate> =
            per_workload.iter().filter(|(w, _)| w.group == group).map(|(_, r)| r).collect();
        if let Some(g) = geomean(&members) {
            out.push(entry(format!("geomean:{group}"), g));
        }
    }
    let all: Vec<&RatioEstimate> = per_workload.iter().map(|(_, r)| r).collect();
    if let Some(g) = geomean(&all) {
        out.push(entry("geomean".to_string(), g));
    }
    out
}

/// Guard over checked for every family of `engines` measured in both strategies.
pub fn guard_ratios(
    measurements: &[Measurement],
    workloads: &[WorkloadEntry],
    engines: &[&str],
    replicates: usize,
    seed: u64,
) -> Vec<Ratio> {
    families_with_both(engines)
        .into_iter()
        .flat_map(|fam| {
            let (guard, checked) = (format!("{fam}:guard"), format!("{fam}:checked"));
            ratios(measurements, workloads, &guard, &checked, fam, replicates, seed)
        })
        .collect()
}

/// `engine`'s time over `baseline`'s (above 1: `engine` is slower), labelled
/// `engine / baseline`.
pub fn relative(
    measurements: &[Measurement],
    workloads: &[WorkloadEntry],
    engine: &str,
    baseline: &str,
    replicates: usize,
    seed: u64,
) -> Vec<Ratio> {
    ratios(measurements, workloads, engine, baseline, &format!("{engine} / {baseline}"), replicates, seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::results::Estimate;

    fn m(workload: &str, engine: &str, samples: &[f64], ok: bool) -> Measurement {
        Measurement {
            workload: workload.into(),
            engine: engine.into(),
            samples_ns: samples.to_vec(),
            time_ns: Estimate { median: 0.0, low: 0.0, high: 0.0 },
            checksum_ok: ok,
            error: None,
        }
    }

    fn w(name: &str, group: &str) -> WorkloadEntry {
        WorkloadEntry { name: name.into(), group: group.into(), stresses: String::new(), n: 1, checksum: 0 }
    }

    #[test]
    fn families() {
        assert_eq!(family("wasmtime:guard"), ("wasmtime", Some("guard")));
        assert_eq!(family("wasmi"), ("wasmi", None));
        let names = ["redzone:guard", "wasmi", "wasmer:checked", "redzone:checked", "wasmtime:guard"];
        assert_eq!(families_with_both(&names), ["redzone"]);
    }

    #[test]
    fn ratios_per_workload_group_and_overall() {
        let measurements = vec![
            m("a", "x:guard", &[2.0; 3], true),
            m("a", "x:checked", &[1.0; 3], true),
            m("b", "x:guard", &[8.0; 3], true),
            m("b", "x:checked", &[1.0; 3], true),
            m("c", "x:guard", &[3.0; 3], true),
            m("c", "x:checked", &[1.0; 3], true),
            m("d", "x:guard", &[5.0; 3], false),
            m("d", "x:checked", &[1.0; 3], true),
        ];
        let workloads = [w("a", "g1"), w("b", "g1"), w("c", "g2"), w("d", "g2")];
        let r = guard_ratios(&measurements, &workloads, &["x:guard", "x:checked", "y"], 100, 1);
        let get = |name: &str| r.iter().find(|r| r.workload == name).map(|r| r.ratio.median);
        assert_eq!(get("a"), Some(2.0));
        assert_eq!(get("d"), None, "a wrong checksum does not count");
        assert_eq!(get("geomean:g1"), Some(4.0));
        assert!((get("geomean:g2").unwrap() - 3.0).abs() < 1e-12, "only c counts in g2");
        assert!((get("geomean").unwrap() - 48f64.cbrt()).abs() < 1e-12);
        assert!(r.iter().all(|r| r.engine == "x"));
        let rel = relative(&measurements, &workloads, "x:checked", "x:guard", 100, 1);
        assert_eq!(rel[0].engine, "x:checked / x:guard");
        assert_eq!(rel[0].ratio.median, 0.5);
        assert!(relative(&measurements, &workloads, "x:guard", "z", 10, 1).is_empty());
    }
}
