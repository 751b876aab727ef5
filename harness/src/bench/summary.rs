//! Ratios derived from the measurements of a run: guard over checked for every engine
//! family measured in both strategies ([`guard_ratios`], what [`super::results::Results`]
//! stores), and one configuration's time over another's ([`relative`]: redzone against wasmi
//! or wasmtime, which `redzone bench` prints and a report may draw).
//!
//! Each comes per workload, then as the geometric mean per group (`geomean:<group>`) and over
//! all workloads but the memory64 twins (`geomean`), with the bootstrap intervals of
//! [`super::stats`]. [`index_costs`] pairs each memory64 twin with its 32-bit original on one
//! configuration: what a 64-bit index costs. Only measurements that ran and returned the
//! right checksum count. The resampling seed is derived from the run's seed and the pair, so
//! the same run gives the same intervals.

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
        .filter(|m| m.ran_correctly())
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

/// One ratio of a summary: the name it is listed under, the group its mean goes into, and
/// whether it counts in the overall mean.
struct Term<'w> {
    name: &'w str,
    group: &'w str,
    overall: bool,
    ratio: RatioEstimate,
}

/// The terms as [`Ratio`]s labelled `label`: each one, then the geometric mean per group
/// (`geomean:<group>`, in first-seen order) and over the terms marked `overall` (`geomean`).
fn summarise(terms: &[Term<'_>], label: &str) -> Vec<Ratio> {
    let entry = |workload: String, ratio| Ratio { engine: label.to_string(), workload, ratio };
    let mut out: Vec<Ratio> = terms.iter().map(|t| entry(t.name.to_string(), t.ratio.estimate)).collect();
    let mut groups: Vec<&str> = Vec::new();
    for t in terms {
        if !groups.contains(&t.group) {
            groups.push(t.group);
        }
    }
    for group in groups {
        let members: Vec<&RatioEstimate> = terms.iter().filter(|t| t.group == group).map(|t| &t.ratio).collect();
        if let Some(g) = geomean(&members) {
            out.push(entry(format!("geomean:{group}"), g));
        }
    }
    let all: Vec<&RatioEstimate> = terms.iter().filter(|t| t.overall).map(|t| &t.ratio).collect();
    if let Some(g) = geomean(&all) {
        out.push(entry("geomean".to_string(), g));
    }
    out
}

/// Time of `numerator` over time of `denominator` per workload, then the geometric means per
/// group and overall, each labelled `label` in [`Ratio::engine`]. The overall mean leaves the
/// memory64 twins out (they repeat the stream, random and offset kernels, and not every
/// engine runs them), so it keeps meaning the same workloads as before the twins; their own
/// group mean (`geomean:mem64`) has them.
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
    let mut terms = Vec::new();
    for w in workloads {
        let (Some(top), Some(bottom)) =
            (usable(measurements, &w.name, numerator), usable(measurements, &w.name, denominator))
        else {
            continue;
        };
        if let Some(ratio) = RatioEstimate::new(top, bottom, replicates, &mut rng) {
            terms.push(Term { name: &w.name, group: &w.group, overall: w.twin.is_none(), ratio });
        }
    }
    summarise(&terms, label)
}

/// What a 64-bit index costs `config`: the time of every memory64 twin over the time of its
/// 32-bit original, both on `config`, listed under the twin's name; then the geometric
/// means per group of the originals (`geomean:stream`, ...) and over every pair (`geomean`),
/// labelled `config`. Pairs where either side did not run correctly are left out, so a
/// configuration that runs no twin (wasmer 7.4.2 has no memory64) gets no entry at all.
pub fn index_costs(
    measurements: &[Measurement],
    workloads: &[WorkloadEntry],
    config: &str,
    replicates: usize,
    seed: u64,
) -> Vec<Ratio> {
    let mut rng = Rng::new(pair_seed(seed, config, "index64"));
    let mut terms = Vec::new();
    for w in workloads {
        let Some(original) = w.twin.as_ref().and_then(|t| workloads.iter().find(|o| &o.name == t)) else {
            continue;
        };
        let (Some(top), Some(bottom)) =
            (usable(measurements, &w.name, config), usable(measurements, &original.name, config))
        else {
            continue;
        };
        if let Some(ratio) = RatioEstimate::new(top, bottom, replicates, &mut rng) {
            terms.push(Term { name: &w.name, group: &original.group, overall: true, ratio });
        }
    }
    summarise(&terms, config)
}

/// [`index_costs`] of every configuration of `engines`, in their order.
pub fn all_index_costs(
    measurements: &[Measurement],
    workloads: &[WorkloadEntry],
    engines: &[&str],
    replicates: usize,
    seed: u64,
) -> Vec<Ratio> {
    engines.iter().flat_map(|e| index_costs(measurements, workloads, e, replicates, seed)).collect()
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
            unsupported: false,
        }
    }

    fn w(name: &str, group: &str) -> WorkloadEntry {
        WorkloadEntry { name: name.into(), group: group.into(), twin: None, stresses: String::new(), n: 1, checksum: 0 }
    }

    fn twin(name: &str, of: &str) -> WorkloadEntry {
        WorkloadEntry { twin: Some(of.into()), ..w(name, "mem64") }
    }

    #[test]
    fn index_costs_pair_twins_with_their_originals_per_configuration() {
        let mut measurements = Vec::new();
        for (config, a, b, c) in [("x:guard", 1.0, 4.0, 2.0), ("x:checked", 1.0, 1.0, 1.0)] {
            measurements.push(m("a", config, &[a; 3], true));
            measurements.push(m("b", config, &[b; 3], true));
            measurements.push(m("c", config, &[c; 3], true));
        }
        // x:guard: a_m64 takes 2x a, b_m64 1.5x b, c_m64 8x c; x:checked: 3x, 3x and a wrong checksum.
        for (config, a64, b64, c64, c_ok) in [("x:guard", 2.0, 6.0, 16.0, true), ("x:checked", 3.0, 3.0, 1.0, false)] {
            measurements.push(m("a_m64", config, &[a64; 3], true));
            measurements.push(m("b_m64", config, &[b64; 3], true));
            measurements.push(m("c_m64", config, &[c64; 3], c_ok));
        }
        let workloads =
            [w("a", "g1"), w("b", "g1"), w("c", "g2"), twin("a_m64", "a"), twin("b_m64", "b"), twin("c_m64", "c")];
        let costs = all_index_costs(&measurements, &workloads, &["x:guard", "x:checked", "y"], 100, 1);
        let get = |config: &str, name: &str| {
            costs.iter().find(|r| r.engine == config && r.workload == name).map(|r| r.ratio.median)
        };
        assert_eq!(get("x:guard", "a_m64"), Some(2.0));
        assert_eq!(get("x:guard", "c_m64"), Some(8.0));
        assert!((get("x:guard", "geomean:g1").unwrap() - 3f64.sqrt()).abs() < 1e-12, "grouped by the originals");
        assert!((get("x:guard", "geomean:g2").unwrap() - 8.0).abs() < 1e-12);
        assert!((get("x:guard", "geomean").unwrap() - 24f64.cbrt()).abs() < 1e-12);
        assert_eq!(get("x:checked", "c_m64"), None, "a wrong checksum does not count");
        assert!((get("x:checked", "geomean").unwrap() - 3.0).abs() < 1e-12);
        assert!(!costs.iter().any(|r| r.engine == "y"), "a configuration without measurements has no entry");
        // The guard/checked summary keeps the twins out of its overall mean, in their own group.
        let r = guard_ratios(&measurements, &workloads, &["x:guard", "x:checked"], 100, 1);
        let get = |name: &str| r.iter().find(|r| r.workload == name).map(|r| r.ratio.median);
        assert!((get("geomean").unwrap() - 8f64.cbrt()).abs() < 1e-12, "a, b and c only: {r:?}");
        assert!((get("geomean:mem64").unwrap() - (4.0f64 / 3.0).sqrt()).abs() < 1e-12);
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
