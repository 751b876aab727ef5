//! What the report shows, picked out of a [`Results`] document: the rows of each chart and
//! table, the headline figures, and the colour of every engine. Charts, HTML and Markdown
//! all draw from here, so they cannot disagree about a number.
//!
//! Measurements that failed (an error, or a wrong checksum) are left out of every ratio and
//! geometric mean: a fast wrong answer is not a speed.

use crate::bench::results::{Estimate, Measurement, PassCounts, Results};

/// The configuration every other one is compared with in "engine against engine", when the
/// run has it: the optimising compiler with guard pages is what most embedders ship.
pub const PREFERRED_BASELINE: &str = "wasmtime:guard";

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, for CSS.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// The colour mixed halfway with white: the checked variant of an engine's colour in
    /// bar charts, where a hollow marker is not available.
    pub fn light(self) -> Rgb {
        let mix = |c: u8| ((c as u16 + 255) / 2) as u8;
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }
}

/// The engine family of a configuration: `wasmtime:guard` -> `wasmtime`, `wasmi` -> `wasmi`.
pub fn family(config: &str) -> &str {
    config.split_once(':').map_or(config, |(family, _)| family)
}

/// Whether a configuration checks bounds explicitly (`:checked`, or an engine with no guard
/// mode at all, like wasmi): drawn hollow and dashed.
pub fn is_checked(config: &str) -> bool {
    match config.split_once(':') {
        Some((_, strategy)) => strategy != "guard",
        None => true,
    }
}

/// The colour of an engine family, the same in every chart and table (colour-blind-safe
/// hues from the Okabe-Ito palette). Families the report does not know get one of the
/// remaining hues, chosen from the name so it stays the same from run to run.
pub fn colour(family: &str) -> Rgb {
    match family {
        "redzone" => Rgb(0xd5, 0x5e, 0x00),
        "wasmtime" => Rgb(0x00, 0x72, 0xb2),
        "wasmer" => Rgb(0x00, 0x9e, 0x73),
        "wasmi" => Rgb(0xcc, 0x79, 0xa7),
        other => {
            const SPARE: [Rgb; 3] = [Rgb(0xe6, 0x9f, 0x00), Rgb(0x56, 0xb4, 0xe9), Rgb(0x55, 0x55, 0x55)];
            let hash = other.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
            SPARE[hash % SPARE.len()]
        }
    }
}

/// Whether a measurement has a time that can be compared: it ran, returned the right
/// checksum every time, and has a positive median.
pub fn usable(m: &Measurement) -> bool {
    m.ran_correctly() && m.time_ns.median > 0.0
}

/// The median time of a workload on a configuration, when usable.
pub fn time(results: &Results, workload: &str, config: &str) -> Option<Estimate> {
    results.measurement(workload, config).filter(|m| usable(m)).map(|m| m.time_ns)
}

/// `a / b` with a conservative interval: the low end over the high end and back. Without
/// the joint distribution this over-covers, which is the safe side for a published figure.
pub fn divide(a: Estimate, b: Estimate) -> Estimate {
    Estimate { median: a.median / b.median, low: a.low / b.high, high: a.high / b.low }
}

/// The geometric mean of positive values (`None` when there are none, or any is not
/// positive).
pub fn geomean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for v in values {
        if v.is_nan() || v <= 0.0 || v.is_infinite() {
            return None;
        }
        sum += v.ln();
        n += 1;
    }
    (n > 0).then(|| (sum / n as f64).exp())
}

/// The configuration names of the run, in its order.
pub fn configs(results: &Results) -> Vec<&str> {
    results.engines.iter().map(|e| e.name.as_str()).collect()
}

/// The engine families that have a guard/checked ratio, in the order of the run's
/// configurations (then any the configurations do not list).
pub fn ratio_families(results: &Results) -> Vec<&str> {
    let mut families: Vec<&str> = Vec::new();
    let listed = results.engines.iter().map(|e| family(&e.name));
    for f in listed.chain(results.ratios.iter().map(|r| r.engine.as_str())) {
        if !families.contains(&f) && results.ratios.iter().any(|r| r.engine == f) {
            families.push(f);
        }
    }
    families
}

/// One row of a per-workload chart or table: the workload and a value per series (`None`
/// where that series has nothing for it).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Workload name (or `geomean`).
    pub label: String,
    /// One entry per series, in the series order of the chart.
    pub values: Vec<Option<Estimate>>,
}

/// Chart (a): guard/checked per workload, one series per engine family, with a last
/// `geomean` row when the document has one. Geomeans per group stay in the tables.
pub fn check_cost(results: &Results) -> (Vec<String>, Vec<Row>) {
    let families = ratio_families(results);
    let find = |family: &str, workload: &str| {
        results.ratios.iter().find(|r| r.engine == family && r.workload == workload).map(|r| r.ratio)
    };
    let mut labels: Vec<&str> = results.workloads.iter().map(|w| w.name.as_str()).collect();
    labels.push("geomean");
    let rows = labels
        .into_iter()
        .map(|w| Row { label: w.to_string(), values: families.iter().map(|f| find(f, w)).collect() })
        .filter(|row| row.values.iter().any(Option::is_some))
        .collect();
    (families.iter().map(|f| f.to_string()).collect(), rows)
}

/// The configuration "engine against engine" divides by: [`PREFERRED_BASELINE`] when the run
/// has it, else its first configuration.
pub fn baseline(results: &Results) -> Option<&str> {
    let configs = configs(results);
    configs.iter().find(|c| **c == PREFERRED_BASELINE).or(configs.first()).copied()
}

/// Chart (b): each configuration's median time per workload divided by the baseline's
/// (see [`baseline`]), one series per configuration (the baseline included, at 1).
pub fn relative_times(results: &Results) -> Option<(String, Vec<String>, Vec<Row>)> {
    let base = baseline(results)?;
    let configs = configs(results);
    let rows = results
        .workloads
        .iter()
        .map(|w| {
            let reference = time(results, &w.name, base);
            let values = configs.iter().map(|c| Some(divide(time(results, &w.name, c)?, reference?))).collect();
            Row { label: w.name.clone(), values }
        })
        .filter(|row| row.values.iter().any(Option::is_some))
        .collect();
    Some((base.to_string(), configs.iter().map(|c| c.to_string()).collect(), rows))
}

/// Conformance counts per configuration, in the run's configuration order, then any other
/// configuration the counts name (empty when the run has no conformance counts).
pub fn conformance_rows(results: &Results) -> Vec<(String, PassCounts)> {
    let Some(c) = &results.conformance else { return Vec::new() };
    let mut names: Vec<&str> = configs(results).into_iter().filter(|n| c.engines.contains_key(*n)).collect();
    names.extend(c.engines.keys().map(String::as_str).filter(|n| !results.engines.iter().any(|e| e.name == *n)));
    names.into_iter().map(|n| (n.to_string(), c.engines[n])).collect()
}

/// One configuration's ABI points: (input bytes, round trip / memcpy), by size.
#[derive(Debug, Clone, PartialEq)]
pub struct AbiSeries {
    /// Configuration name.
    pub config: String,
    /// `(bytes, time / memcpy time)`, ascending by bytes.
    pub points: Vec<(u64, Estimate)>,
}

/// Chart (c): the ABI round trip over a host memcpy of the same bytes, per configuration,
/// in the run's configuration order. Points with a non-positive memcpy time are dropped.
pub fn abi_series(results: &Results) -> Vec<AbiSeries> {
    let mut order: Vec<&str> = configs(results);
    for p in &results.abi {
        if !order.contains(&p.engine.as_str()) {
            order.push(&p.engine);
        }
    }
    order
        .into_iter()
        .filter_map(|config| {
            let mut points: Vec<(u64, Estimate)> = results
                .abi
                .iter()
                .filter(|p| p.engine == config && p.memcpy_ns.median > 0.0 && p.memcpy_ns.low > 0.0)
                .map(|p| (p.bytes, divide(p.time_ns, p.memcpy_ns)))
                .collect();
            points.sort_by_key(|(bytes, _)| *bytes);
            (!points.is_empty()).then(|| AbiSeries { config: config.to_string(), points })
        })
        .collect()
}

/// A headline comparison: the geometric mean over workloads of `a`'s median time divided
/// by `b`'s.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The configuration measured.
    pub a: String,
    /// The one it is divided by.
    pub b: String,
    /// Geometric mean of the time ratios (below 1: `a` is faster).
    pub geomean: f64,
    /// How many workloads both ran usably.
    pub workloads: usize,
}

/// `a` against `b` over every workload both ran usably but the memory64 twins, which repeat
/// other workloads' kernels (`None` when there is none).
pub fn compare(results: &Results, a: &str, b: &str) -> Option<Comparison> {
    let ratios: Vec<f64> = results
        .workloads
        .iter()
        .filter(|w| w.twin.is_none())
        .filter_map(|w| Some(time(results, &w.name, a)?.median / time(results, &w.name, b)?.median))
        .collect();
    let geomean = geomean(ratios.iter().copied())?;
    Some(Comparison { a: a.to_string(), b: b.to_string(), geomean, workloads: ratios.len() })
}

/// The headline comparisons: each redzone configuration against wasmi and against wasmtime
/// in the same strategy, those the run has.
pub fn headline_comparisons(results: &Results) -> Vec<Comparison> {
    let pairs = [
        ("redzone:guard", "wasmi"),
        ("redzone:checked", "wasmi"),
        ("redzone:guard", "wasmtime:guard"),
        ("redzone:checked", "wasmtime:checked"),
    ];
    pairs.iter().filter_map(|(a, b)| compare(results, a, b)).collect()
}

/// The configurations with index costs (a memory64 twin over its 32-bit original), in the
/// run's order, then any the configurations do not list.
pub fn index_configs(results: &Results) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for c in configs(results).into_iter().chain(results.index_costs.iter().map(|r| r.engine.as_str())) {
        if !out.contains(&c) && results.index_costs.iter().any(|r| r.engine == c) {
            out.push(c);
        }
    }
    out
}

/// The configurations that refused memory64 twins as a feature they lack, each with the
/// engine's reason (the first twin's), in the run's order.
pub fn index_unsupported(results: &Results) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for m in results.measurements.iter().filter(|m| m.unsupported && results.is_twin(&m.workload)) {
        if !out.iter().any(|(c, _)| *c == m.engine) {
            out.push((&m.engine, m.error.as_deref().unwrap_or_default()));
        }
    }
    let order = configs(results);
    out.sort_by_key(|(c, _)| order.iter().position(|o| o == c).unwrap_or(order.len()));
    out
}

/// The chart of what a 64-bit index costs: one row per group of the 32-bit originals
/// (`stream`, ...) and a last one over every pair (`all`), one series per configuration of
/// [`index_configs`]; each value is the geometric mean of twin time / original time with its
/// bootstrap interval, as `redzone bench` computed it.
pub fn index_cost(results: &Results) -> (Vec<String>, Vec<Row>) {
    let configs = index_configs(results);
    let find = |config: &str, key: &str| {
        results.index_costs.iter().find(|r| r.engine == config && r.workload == key).map(|r| r.ratio)
    };
    let mut keys: Vec<&str> = Vec::new();
    for r in &results.index_costs {
        if r.workload.starts_with("geomean:") && !keys.contains(&r.workload.as_str()) {
            keys.push(&r.workload);
        }
    }
    keys.push("geomean");
    let rows = keys
        .into_iter()
        .map(|key| Row {
            label: key.strip_prefix("geomean:").unwrap_or("all").to_string(),
            values: configs.iter().map(|c| find(c, key)).collect(),
        })
        .filter(|row| row.values.iter().any(Option::is_some))
        .collect();
    (configs.iter().map(|c| c.to_string()).collect(), rows)
}

/// The geometric-mean guard/checked ratio of an engine family: the document's `geomean`
/// entry, or computed from its per-workload ratios when the document has none.
pub fn family_geomean(results: &Results, family: &str) -> Option<Estimate> {
    let of_family = || results.ratios.iter().filter(|r| r.engine == family);
    if let Some(r) = of_family().find(|r| r.workload == "geomean") {
        return Some(r.ratio);
    }
    let per_workload: Vec<Estimate> =
        of_family().filter(|r| !r.workload.starts_with("geomean")).map(|r| r.ratio).collect();
    Some(Estimate {
        median: geomean(per_workload.iter().map(|e| e.median))?,
        low: geomean(per_workload.iter().map(|e| e.low))?,
        high: geomean(per_workload.iter().map(|e| e.high))?,
    })
}

/// The date part of an RFC 3339 timestamp (`2026-11-21T09:30:00Z` -> `2026-11-21`), when it
/// has a valid one.
pub fn date_of(created: &str) -> Option<&str> {
    let date = created.get(..10)?;
    valid_date(date).then_some(date)
}

/// Whether `s` is a `YYYY-MM-DD` date (month 1–12, day 1–31): it becomes a directory name,
/// so nothing else may get through.
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return false;
    }
    let month: u32 = s[5..7].parse().unwrap_or(0);
    let day: u32 = s[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::bench::results::{AbiPoint, Build, EngineEntry, Machine, Method, Ratio, SCHEMA, WorkloadEntry};

    fn est(median: f64) -> Estimate {
        Estimate { median, low: median * 0.9, high: median * 1.1 }
    }

    fn measurement(workload: &str, engine: &str, median: f64) -> Measurement {
        Measurement {
            workload: workload.into(),
            engine: engine.into(),
            samples_ns: vec![median],
            time_ns: est(median),
            checksum_ok: true,
            error: None,
            unsupported: false,
        }
    }

    /// A small document: two workloads on four configurations, one failed measurement.
    pub(crate) fn sample() -> Results {
        let engines = ["redzone:guard", "redzone:checked", "wasmtime:guard", "wasmi"];
        let mut measurements = Vec::new();
        for (w, scale) in [("sum", 1.0), ("fib", 2.0)] {
            for (e, t) in engines.iter().zip([800.0, 1000.0, 100.0, 1600.0]) {
                measurements.push(measurement(w, e, t * scale));
            }
        }
        // fib on wasmi returned a wrong checksum: it must drop out of every comparison.
        measurements.last_mut().unwrap().checksum_ok = false;
        Results {
            schema: SCHEMA.into(),
            created: "2026-11-21T09:30:00Z".into(),
            mode: "quick".into(),
            machine: Machine {
                hostname: "h".into(),
                cpu: "cpu <x>".into(),
                cores: 2,
                memory_bytes: 0,
                os: "linux".into(),
                arch: "x86_64".into(),
            },
            redzone: Build { version: "0.1.0".into(), commit: "abc".into(), profile: "release".into() },
            engines: engines
                .iter()
                .map(|e| EngineEntry { name: e.to_string(), engine: "e".into(), bounds_checks: "b".into() })
                .collect(),
            method: Method {
                warmup: 1,
                samples: 1,
                order: "o".into(),
                seed: 1,
                interval: "i".into(),
                confidence: 0.95,
            },
            workloads: ["sum", "fib"]
                .iter()
                .map(|w| WorkloadEntry {
                    name: w.to_string(),
                    group: "g".into(),
                    twin: None,
                    stresses: "s".into(),
                    n: 1,
                    checksum: 1,
                })
                .collect(),
            measurements,
            ratios: vec![
                Ratio { engine: "redzone".into(), workload: "sum".into(), ratio: est(0.8) },
                Ratio { engine: "redzone".into(), workload: "fib".into(), ratio: est(0.2) },
            ],
            index_costs: Vec::new(),
            abi: vec![
                AbiPoint { engine: "wasmi".into(), bytes: 2048, time_ns: est(400.0), memcpy_ns: est(100.0) },
                AbiPoint { engine: "wasmi".into(), bytes: 1024, time_ns: est(300.0), memcpy_ns: est(100.0) },
                AbiPoint { engine: "redzone:guard".into(), bytes: 1024, time_ns: est(300.0), memcpy_ns: est(0.0) },
            ],
            conformance: None,
            differential: None,
            mutants: None,
        }
    }

    #[test]
    fn families_strategies_and_colours() {
        assert_eq!(family("wasmtime:guard"), "wasmtime");
        assert_eq!(family("wasmi"), "wasmi");
        assert!(!is_checked("redzone:guard"));
        assert!(is_checked("redzone:checked") && is_checked("wasmi"));
        assert_ne!(colour("redzone"), colour("wasmtime"));
        assert_eq!(colour("newengine"), colour("newengine"));
        assert_eq!(Rgb(0, 0x72, 0xb2).hex(), "#0072b2");
        assert_eq!(Rgb(1, 255, 0).light(), Rgb(128, 255, 127));
    }

    #[test]
    fn geomeans_and_division() {
        assert!((geomean([2.0, 8.0]).unwrap() - 4.0).abs() < 1e-12);
        assert_eq!(geomean([]), None);
        assert_eq!(geomean([1.0, 0.0]), None);
        let q = divide(Estimate { median: 2.0, low: 1.0, high: 3.0 }, Estimate { median: 1.0, low: 0.5, high: 2.0 });
        assert_eq!(q, Estimate { median: 2.0, low: 0.5, high: 6.0 });
    }

    #[test]
    fn check_cost_has_a_row_per_workload_with_ratios_and_a_computed_geomean() {
        let r = sample();
        let (families, rows) = check_cost(&r);
        assert_eq!(families, vec!["redzone"]);
        assert_eq!(rows.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(), vec!["sum", "fib"]);
        let g = family_geomean(&r, "redzone").unwrap();
        assert!((g.median - 0.4).abs() < 1e-12, "{g:?}");
        assert_eq!(family_geomean(&r, "wasmer"), None);
    }

    #[test]
    fn relative_times_divide_by_the_baseline_and_skip_bad_measurements() {
        let r = sample();
        let (base, series, rows) = relative_times(&r).unwrap();
        assert_eq!(base, "wasmtime:guard");
        assert_eq!(series.len(), 4);
        assert!((rows[0].values[0].unwrap().median - 8.0).abs() < 1e-12);
        assert!((rows[0].values[2].unwrap().median - 1.0).abs() < 1e-12);
        assert_eq!(rows[1].values[3], None, "a wrong checksum is not a time");
        let mut without = r.clone();
        without.engines.retain(|e| e.name != "wasmtime:guard");
        assert_eq!(baseline(&without), Some("redzone:guard"));
    }

    #[test]
    fn comparisons_use_only_workloads_both_ran() {
        let r = sample();
        let c = compare(&r, "redzone:guard", "wasmi").unwrap();
        assert_eq!(c.workloads, 1);
        assert!((c.geomean - 0.5).abs() < 1e-12);
        let names: Vec<_> = headline_comparisons(&r).iter().map(|c| format!("{}/{}", c.a, c.b)).collect();
        assert_eq!(names, vec!["redzone:guard/wasmi", "redzone:checked/wasmi", "redzone:guard/wasmtime:guard"]);
    }

    /// `sample` with `sum_m64`, the memory64 twin of `sum`, at `cost` times its time on every
    /// configuration but `redzone:checked`, which refuses it as unsupported, and the index
    /// costs `redzone bench` computes from that.
    pub(crate) fn with_twin(cost: f64) -> Results {
        let mut r = sample();
        r.workloads.push(WorkloadEntry {
            name: "sum_m64".into(),
            group: "mem64".into(),
            twin: Some("sum".into()),
            stresses: "s".into(),
            n: 1,
            checksum: 1,
        });
        let twins: Vec<Measurement> = r
            .measurements
            .iter()
            .filter(|m| m.workload == "sum")
            .map(|m| match m.engine.as_str() {
                "redzone:checked" => Measurement {
                    samples_ns: Vec::new(),
                    checksum_ok: false,
                    error: Some("unsupported feature: memory64".into()),
                    unsupported: true,
                    ..measurement("sum_m64", &m.engine, 0.0)
                },
                _ => measurement("sum_m64", &m.engine, m.time_ns.median * cost),
            })
            .collect();
        r.measurements.extend(twins);
        let names: Vec<&str> = r.engines.iter().map(|e| e.name.as_str()).collect();
        r.index_costs = crate::bench::summary::all_index_costs(&r.measurements, &r.workloads, &names, 20, 1);
        r
    }

    #[test]
    fn index_cost_rows_are_the_original_groups_and_the_unsupported_are_named() {
        let r = with_twin(1.25);
        let (configs, rows) = index_cost(&r);
        assert_eq!(configs, ["redzone:guard", "wasmtime:guard", "wasmi"], "no redzone:checked: it has no twin");
        assert_eq!(rows.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(), ["g", "all"]);
        for row in &rows {
            for v in &row.values {
                assert!((v.unwrap().median - 1.25).abs() < 1e-12, "{row:?}");
            }
        }
        assert_eq!(index_unsupported(&r), [("redzone:checked", "unsupported feature: memory64")]);
        assert!(index_cost(&sample()).1.is_empty() && index_unsupported(&sample()).is_empty());
        // The twin stays out of the headline comparisons: still one workload for guard/wasmi.
        assert_eq!(compare(&r, "redzone:guard", "wasmi").unwrap().workloads, 1);
    }

    #[test]
    fn abi_series_sorted_by_size_without_zero_memcpy() {
        let series = abi_series(&sample());
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].config, "wasmi");
        assert_eq!(series[0].points.iter().map(|p| p.0).collect::<Vec<_>>(), vec![1024, 2048]);
        assert!((series[0].points[0].1.median - 3.0).abs() < 1e-12);
    }

    #[test]
    fn conformance_rows_follow_the_run_order() {
        let mut r = sample();
        assert!(conformance_rows(&r).is_empty());
        let counts = |passed| PassCounts { passed, failed: 0, expected_failures: 0 };
        let engines = [("wasmi", 1), ("redzone:guard", 2), ("zzz", 3)].map(|(n, p)| (n.to_string(), counts(p)));
        r.conformance = Some(crate::bench::results::Conformance {
            suite: "s".into(),
            suite_commit: "c".into(),
            engines: engines.into_iter().collect(),
        });
        let names: Vec<String> = conformance_rows(&r).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, vec!["redzone:guard", "wasmi", "zzz"]);
    }

    #[test]
    fn dates() {
        assert_eq!(date_of("2026-11-21T09:30:00Z"), Some("2026-11-21"));
        assert_eq!(date_of("yesterday"), None);
        assert!(valid_date("2026-01-31"));
        assert!(!valid_date("2026-13-01") && !valid_date("2026-1-01") && !valid_date("../../etc"));
    }
}
