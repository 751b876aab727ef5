//! Unit tests of the comparison on a small hand-made results document.

use super::*;
use crate::bench::results::{
    Build, Conformance, Differential, EngineEntry, Estimate, FuzzBudget, Machine, Measurement, Method, MutantBudget,
    PassCounts, Ratio, SCHEMA, WorkloadEntry,
};

const CONFIGS: [&str; 5] = ["redzone:guard", "redzone:checked", "wasmtime:guard", "wasmtime:checked", "wasmi"];

fn estimate(median: f64) -> Estimate {
    Estimate { median, low: median * 0.97, high: median * 1.03 }
}

fn measurement(workload: &str, engine: &str, ns: f64) -> Measurement {
    Measurement {
        workload: workload.into(),
        engine: engine.into(),
        samples_ns: vec![ns; 5],
        time_ns: estimate(ns),
        checksum_ok: true,
        error: None,
        unsupported: false,
    }
}

/// Two workloads on five configurations, guard 0.8x checked, conformance and a clean
/// differential.
pub(crate) fn sample() -> Results {
    let base_ns = [("redzone:guard", 800.0), ("redzone:checked", 1000.0), ("wasmtime:guard", 80.0)];
    let more_ns = [("wasmtime:checked", 100.0), ("wasmi", 1500.0)];
    let mut measurements = Vec::new();
    for (i, w) in ["sum", "gather"].iter().enumerate() {
        for (engine, ns) in base_ns.iter().chain(&more_ns) {
            measurements.push(measurement(w, engine, ns * (i + 1) as f64));
        }
    }
    let mut ratios = Vec::new();
    for family in ["redzone", "wasmtime"] {
        for w in ["sum", "gather", "geomean"] {
            ratios.push(Ratio { engine: family.into(), workload: w.into(), ratio: estimate(0.8) });
        }
    }
    let engines = CONFIGS
        .iter()
        .map(|c| EngineEntry { name: c.to_string(), engine: "test".into(), bounds_checks: "test".into() })
        .collect();
    let counts = PassCounts { passed: 100, failed: 0, expected_failures: 0 };
    Results {
        schema: SCHEMA.into(),
        created: "2026-11-21T09:00:00Z".into(),
        mode: "quick".into(),
        machine: Machine {
            hostname: "ci".into(),
            cpu: "cpu".into(),
            cores: 2,
            memory_bytes: 0,
            os: "linux".into(),
            arch: "x86_64".into(),
        },
        redzone: Build { version: "0.1.0".into(), commit: "abc".into(), profile: "release".into() },
        engines,
        method: Method {
            warmup: 1,
            samples: 5,
            order: "shuffled".into(),
            seed: 1,
            interval: "test".into(),
            confidence: 0.95,
        },
        workloads: ["sum", "gather"]
            .iter()
            .map(|w| WorkloadEntry {
                name: w.to_string(),
                group: "stream".into(),
                twin: None,
                stresses: "".into(),
                n: 1,
                checksum: 0,
            })
            .collect(),
        measurements,
        ratios,
        index_costs: Vec::new(),
        abi: Vec::new(),
        conformance: Some(Conformance {
            suite: "/suite".into(),
            suite_commit: "s1".into(),
            engines: CONFIGS.iter().map(|c| (c.to_string(), counts)).collect(),
        }),
        differential: Some(Differential {
            regressions_replayed: 3,
            regressions_diverging: Vec::new(),
            fuzz: vec![FuzzBudget {
                generator: "smith".into(),
                seed: 7,
                executions: 500,
                findings: Vec::new(),
                known: Vec::new(),
            }],
            mutants: vec![MutantBudget {
                mutant: "copy-forward-only".into(),
                generator: "edges".into(),
                seed: 1,
                executions: 200,
                killed: true,
                first: Some("memory.redzone_checked+redzone_guard-vs-1.unknown.0".into()),
            }],
        }),
        mutants: None,
    }
}

fn status(report: &GateReport, name: &str) -> CheckStatus {
    report.check(name).unwrap_or_else(|| panic!("no check {name} in\n{}", report.text())).status
}

fn scale_ratio(r: &mut Results, engine: &str, workload: &str, by: f64) {
    for ratio in r.ratios.iter_mut().filter(|x| x.engine == engine && x.workload == workload) {
        ratio.ratio =
            Estimate { median: ratio.ratio.median * by, low: ratio.ratio.low * by, high: ratio.ratio.high * by };
    }
}

/// `sample` with `sum_m64`, the memory64 twin of `sum`, at `cost` times its time on every
/// configuration,
/// refused as unsupported by `wasmer:guard`, and the index costs `redzone bench` computes.
fn with_twins(cost: f64) -> Results {
    let mut r = sample();
    r.workloads.push(WorkloadEntry {
        name: "sum_m64".into(),
        group: "mem64".into(),
        twin: Some("sum".into()),
        stresses: "".into(),
        n: 1,
        checksum: 0,
    });
    let twins: Vec<Measurement> = r
        .measurements
        .iter()
        .filter(|m| m.workload == "sum")
        .map(|m| measurement("sum_m64", &m.engine, m.time_ns.median * cost))
        .collect();
    r.measurements.extend(twins);
    r.measurements.push(Measurement {
        samples_ns: Vec::new(),
        checksum_ok: false,
        error: Some("unsupported feature: memory64".into()),
        unsupported: true,
        ..measurement("sum_m64", "wasmer:guard", 0.0)
    });
    r.index_costs = crate::bench::summary::all_index_costs(&r.measurements, &r.workloads, &CONFIGS, 50, 1);
    r
}

#[test]
fn index_costs_are_guarded_and_new_ones_skip_against_an_old_baseline() {
    let old = sample();
    let cur = with_twins(1.5);
    assert!(cur.index_costs.iter().any(|r| r.engine == "redzone:guard" && r.workload == "geomean"));
    let report = compare(&old, &cur, &Settings::default());
    assert!(report.passed, "{}", report.text());
    let index: Vec<&Check> = report.checks.iter().filter(|c| c.family == Family::Index).collect();
    assert_eq!(index.len(), 2 * CONFIGS.len(), "geomean and geomean:stream per configuration: {index:?}");
    assert!(index.iter().all(|c| c.status == CheckStatus::Skip && c.message.contains("new, not in the baseline")));
    assert!(report.check("index64:wasmi:sum_m64").is_none(), "single twins are not checked");
    let checksums = &report.check("checksums").unwrap().message;
    assert!(checksums.contains("1 refused by a configuration that lacks a feature"), "{checksums}");

    // Against a baseline with twins: a doubled index cost fails, a small rise passes.
    let base = with_twins(1.5);
    let report = compare(&base, &with_twins(1.6), &Settings::default());
    assert!(report.passed, "{}", report.text());
    // The twin stays out of the speed means, which are over the ordinary workloads.
    let speed = &report.check("speed:redzone:guard/wasmi").unwrap().message;
    assert!(speed.contains("over 2 workloads"), "{speed}");
    assert_eq!(status(&report, "index64:redzone:checked:geomean"), CheckStatus::Pass);
    let report = compare(&base, &with_twins(3.0), &Settings::default());
    assert_eq!(status(&report, "index64:redzone:checked:geomean"), CheckStatus::Fail);
    assert_eq!(status(&report, "index64:wasmtime:guard:geomean:stream"), CheckStatus::Fail);
    let message = &report.check("index64:wasmi:geomean").unwrap().message;
    assert!(message.contains("64-bit / 32-bit time"), "{message}");
    // A twin that ran in the baseline and is refused now stopped running.
    let mut refused = with_twins(1.5);
    let m = refused.measurements.iter_mut().find(|m| m.workload == "sum_m64" && m.engine == "wasmi").unwrap();
    *m = Measurement {
        samples_ns: Vec::new(),
        error: Some("unsupported feature: memory64".into()),
        unsupported: true,
        ..m.clone()
    };
    let report = compare(&base, &refused, &Settings::default());
    assert_eq!(status(&report, "checksums"), CheckStatus::Fail);
    assert!(report.check("checksums").unwrap().message.contains("sum_m64 on wasmi"));
}

#[test]
fn the_same_document_passes_every_family() {
    let r = sample();
    let report = compare(&r, &r, &Settings::default());
    assert!(report.passed, "{}", report.text());
    let families: BTreeSet<Family> = report.checks.iter().map(|c| c.family).collect();
    assert_eq!(families.len(), 7, "{}", report.text());
    assert_eq!(report.counts(), (report.checks.len(), 0, 0), "{}", report.text());
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    // Ordered: conformance first, speed last.
    assert_eq!(report.checks.first().unwrap().family, Family::Conformance);
    assert_eq!(report.checks.last().unwrap().family, Family::Speed);
}

#[test]
fn conformance_fails_on_fewer_passes_more_failures_or_a_missing_configuration() {
    let base = sample();
    let mut cur = sample();
    let c = cur.conformance.as_mut().unwrap();
    c.engines.get_mut("wasmi").unwrap().passed = 99;
    c.engines.get_mut("redzone:guard").unwrap().failed = 2;
    c.engines.remove("wasmtime:guard");
    let report = compare(&base, &cur, &Settings::default());
    assert!(!report.passed);
    assert_eq!(status(&report, "conformance:wasmi"), CheckStatus::Fail);
    assert!(report.check("conformance:wasmi").unwrap().message.contains("passed 100 -> 99 (-1)"));
    assert_eq!(status(&report, "conformance:redzone:guard"), CheckStatus::Fail);
    assert!(report.check("conformance:wasmtime:guard").unwrap().message.contains("missing"));
    assert_eq!(status(&report, "conformance:redzone:checked"), CheckStatus::Pass);
    assert_eq!(report.failures().count(), 3, "{}", report.text());
}

#[test]
fn more_passes_pass_and_a_new_configuration_is_reported() {
    let base = sample();
    let mut cur = sample();
    let c = cur.conformance.as_mut().unwrap();
    c.engines.get_mut("wasmi").unwrap().passed = 120;
    c.engines.insert("wasmer:guard".into(), PassCounts { passed: 5, failed: 1, expected_failures: 0 });
    let report = compare(&base, &cur, &Settings::default());
    assert!(report.passed, "{}", report.text());
    assert_eq!(status(&report, "conformance:wasmer:guard"), CheckStatus::Skip);
}

#[test]
fn unmeasured_sections_skip_unless_everything_is_required() {
    let base = sample();
    let mut cur = sample();
    cur.conformance = None;
    cur.differential = None;
    let report = compare(&base, &cur, &Settings::default());
    assert!(report.passed, "{}", report.text());
    for name in ["conformance", "regressions", "fuzz"] {
        assert_eq!(status(&report, name), CheckStatus::Skip);
    }
    let strict = Settings { require_all: true, ..Settings::default() };
    let report = compare(&base, &cur, &strict);
    assert!(!report.passed);
    assert_eq!(report.failures().count(), 3, "{}", report.text());
}

#[test]
fn diverging_regressions_and_fuzz_findings_fail() {
    let base = sample();
    let mut cur = sample();
    let d = cur.differential.as_mut().unwrap();
    d.regressions_diverging.push("grow_past_max".into());
    d.fuzz[0].findings.push("diverge:memory".into());
    let report = compare(&base, &cur, &Settings::default());
    assert_eq!(status(&report, "regressions"), CheckStatus::Fail);
    assert!(
        report.check("regressions").unwrap().message.contains("1 of 3 regression cases diverge again: grow_past_max")
    );
    assert_eq!(status(&report, "fuzz:smith:7"), CheckStatus::Fail);
    assert!(report.check("fuzz:smith:7").unwrap().message.contains("diverge:memory"));
}

#[test]
fn recorded_peer_bugs_met_again_are_reported_not_failed() {
    let base = sample();
    let mut cur = sample();
    cur.differential.as_mut().unwrap().fuzz[0].known.push("panic-vs-trap.wasmi-vs-6.f64_load.1afdbb8f".into());
    let report = compare(&base, &cur, &Settings::default());
    assert_eq!(status(&report, "fuzz:smith:7"), CheckStatus::Pass);
    let message = &report.check("fuzz:smith:7").unwrap().message;
    assert!(message.contains("no new divergence"), "{message}");
    assert!(
        message.contains("met 1 recorded peer bug(s) again: panic-vs-trap.wasmi-vs-6.f64_load.1afdbb8f"),
        "{message}"
    );
    // A new finding beside a known one still fails.
    cur.differential.as_mut().unwrap().fuzz[0].findings.push("diverge:memory".into());
    assert_eq!(status(&compare(&base, &cur, &Settings::default()), "fuzz:smith:7"), CheckStatus::Fail);
}

#[test]
fn a_mutant_budget_that_no_longer_kills_fails_and_none_run_is_skipped() {
    let base = sample();
    let mut cur = sample();
    assert_eq!(status(&compare(&base, &cur, &Settings::default()), "mutants:copy-forward-only"), CheckStatus::Pass);
    let m = &mut cur.differential.as_mut().unwrap().mutants[0];
    (m.killed, m.first) = (false, None);
    let report = compare(&base, &cur, &Settings::default());
    assert_eq!(status(&report, "mutants:copy-forward-only"), CheckStatus::Fail);
    assert!(report.check("mutants:copy-forward-only").unwrap().message.contains("edges generator lost its reach"));
    cur.differential.as_mut().unwrap().mutants.clear();
    let report = compare(&base, &cur, &Settings::default());
    assert_eq!(status(&report, "mutants"), CheckStatus::Skip);
    let strict = Settings { require_all: true, ..Settings::default() };
    assert_eq!(status(&compare(&base, &cur, &strict), "mutants"), CheckStatus::Fail);
}

#[test]
fn wrong_checksums_and_workloads_that_stopped_running_fail() {
    let mut base = sample();
    let mut cur = sample();
    cur.measurements[0].checksum_ok = false;
    cur.measurements[1].error = Some("out of fuel".into());
    // Failing in both is a known limitation, not a regression.
    base.measurements[2].error = Some("unsupported".into());
    cur.measurements[2].error = Some("unsupported".into());
    let report = compare(&base, &cur, &Settings::default());
    let message = &report.check("checksums").unwrap().message;
    assert_eq!(status(&report, "checksums"), CheckStatus::Fail);
    assert!(message.contains("wrong checksum: sum on redzone:guard"), "{message}");
    assert!(message.contains("sum on redzone:checked (out of fuel)"), "{message}");
    assert!(!message.contains("wasmtime:guard"), "{message}");
}

#[test]
fn a_ratio_fails_only_when_worse_beyond_the_tolerance_with_apart_intervals() {
    let base = sample();
    let mut cur = sample();
    scale_ratio(&mut cur, "redzone", "sum", 2.0);
    scale_ratio(&mut cur, "wasmtime", "sum", 1.1);
    scale_ratio(&mut cur, "redzone", "gather", 0.5);
    let report = compare(&base, &cur, &Settings::default());
    assert_eq!(status(&report, "ratio:redzone:sum"), CheckStatus::Fail);
    assert!(
        report.check("ratio:redzone:sum").unwrap().message.contains("0.8000 [0.7760, 0.8240] -> 1.600 [1.552, 1.648]")
    );
    assert_eq!(status(&report, "ratio:wasmtime:sum"), CheckStatus::Pass);
    assert!(report.check("ratio:redzone:gather").unwrap().message.contains("better"));
    assert_eq!(report.failures().count(), 1, "{}", report.text());

    // The overall mean worse by 40% (beyond its 25%) but with a wide interval: noise.
    let mut noisy = sample();
    let r = noisy.ratios.iter_mut().find(|r| r.engine == "redzone" && r.workload == "geomean").unwrap();
    r.ratio = Estimate { median: 1.12, low: 0.7, high: 1.5 };
    let report = compare(&base, &noisy, &Settings::default());
    assert_eq!(status(&report, "ratio:redzone:geomean"), CheckStatus::Pass);
    assert!(report.check("ratio:redzone:geomean").unwrap().message.contains("room for noise"));
}

#[test]
fn tolerances_come_from_the_check_then_its_family_then_the_built_in_ones() {
    let base = sample();
    let mut cur = sample();
    for (engine, workload) in [("redzone", "geomean"), ("wasmtime", "geomean"), ("redzone", "sum")] {
        scale_ratio(&mut cur, engine, workload, 1.5);
    }
    // Built in: 25% for an engine's overall mean, three times that for one workload's ratio.
    let mut settings = Settings::default();
    let report = compare(&base, &cur, &settings);
    let failed: Vec<&str> = report.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(failed, ["ratio:redzone:geomean", "ratio:wasmtime:geomean"], "{}", report.text());
    assert!(report.check("ratio:redzone:sum").unwrap().message.contains("tolerance 75%"));
    settings.overrides.insert("ratio".into(), 60.0);
    assert!(compare(&base, &cur, &settings).passed);
    settings.overrides.insert("ratio:wasmtime:geomean".into(), 10.0);
    let report = compare(&base, &cur, &settings);
    assert_eq!(report.failures().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["ratio:wasmtime:geomean"]);
    assert!(report.check("ratio:wasmtime:geomean").unwrap().message.contains("tolerance 10%"));
    // --tolerance moves both built-in ones.
    let strict = Settings { tolerance_pct: 10.0, ..Settings::default() };
    assert!(compare(&base, &cur, &strict).check("ratio:redzone:sum").unwrap().status == CheckStatus::Fail);
}

#[test]
fn a_slower_configuration_fails_its_speed_checks() {
    let base = sample();
    let mut cur = sample();
    for m in cur.measurements.iter_mut().filter(|m| m.engine == "redzone:checked") {
        m.samples_ns.iter_mut().for_each(|t| *t *= 2.0);
    }
    let report = compare(&base, &cur, &Settings::default());
    let failed: Vec<&str> = report.failures().filter(|c| c.family == Family::Speed).map(|c| c.name.as_str()).collect();
    assert_eq!(failed, ["speed:redzone:checked/wasmi", "speed:redzone:checked/wasmtime:checked"], "{}", report.text());
    assert!(report.check("speed:redzone:checked/wasmi").unwrap().message.contains("0.6667"));
    assert_eq!(status(&report, "speed:redzone:guard/wasmi"), CheckStatus::Pass);
}

#[test]
fn added_and_removed_workloads_are_reported_not_failed() {
    let base = sample();
    let mut cur = sample();
    cur.ratios.retain(|r| r.workload != "gather");
    cur.measurements.retain(|m| m.workload != "gather");
    cur.ratios.push(Ratio { engine: "redzone".into(), workload: "fill".into(), ratio: estimate(5.0) });
    for (engine, ns) in [("redzone:checked", 1e9), ("wasmi", 1.0)] {
        cur.measurements.push(measurement("fill", engine, ns));
    }
    let report = compare(&base, &cur, &Settings::default());
    assert!(report.passed, "{}", report.text());
    assert!(report.check("ratio:redzone:gather").unwrap().message.starts_with("removed"));
    assert!(report.check("ratio:redzone:fill").unwrap().message.starts_with("new"));
    // The speed mean covers only workloads both runs measured: `fill` does not move it.
    assert!(report.check("speed:redzone:checked/wasmi").unwrap().message.contains("over 1 workloads"));
}

#[test]
fn numbers_that_cannot_be_compared_are_skipped_without_panicking() {
    let base = sample();
    let mut cur = sample();
    cur.ratios[0].ratio = Estimate { median: f64::NAN, low: 0.0, high: f64::INFINITY };
    cur.ratios[1].ratio = Estimate { median: -1.0, low: -2.0, high: 0.0 };
    for m in cur.measurements.iter_mut().filter(|m| m.engine == "wasmi") {
        m.samples_ns.iter_mut().for_each(|t| *t = 0.0);
    }
    let report = compare(&base, &cur, &Settings::default());
    assert!(report.passed, "{}", report.text());
    assert_eq!(status(&report, "ratio:redzone:sum"), CheckStatus::Skip);
    assert_eq!(status(&report, "ratio:redzone:gather"), CheckStatus::Skip);
    assert_eq!(status(&report, "speed:redzone:checked/wasmi"), CheckStatus::Skip);
    let empty = Results { measurements: Vec::new(), ratios: Vec::new(), ..sample() };
    assert!(compare(&empty, &empty, &Settings::default()).passed);
}

#[test]
fn renderings_name_what_failed() {
    let base = sample();
    let mut cur = sample();
    cur.differential.as_mut().unwrap().regressions_diverging.push("a<b".into());
    cur.machine.hostname = "other".into();
    let report = compare(&base, &cur, &Settings::default());
    let text = report.text();
    assert!(text.contains("FAIL regressions"), "{text}");
    assert!(text.contains("failed checks:\n  regressions: 1 of 3"), "{text}");
    assert!(text.contains("gate FAILED"), "{text}");
    assert!(text.contains("note: the documents come from different machines"), "{text}");
    let xml = report.junit();
    assert_eq!(xml.matches("<testcase ").count(), report.checks.len());
    assert!(xml.contains("<testcase classname=\"gate.regressions\" name=\"regressions\">\n      <failure message=\"1 of 3 regression cases diverge again: a&lt;b\">"), "{xml}");
    assert!(xml.contains("failures=\"1\" skipped=\"0\""), "{xml}");
}

#[test]
fn baseline_tolerances_parse_validate_and_survive_a_rewrite() {
    let mut value = serde_json::to_value(sample()).unwrap();
    value["tolerances"] = serde_json::json!({"ratio": 30, "speed:redzone:guard/wasmi": 40.5});
    let baseline = Baseline::parse(&value.to_string()).unwrap();
    assert_eq!(baseline.tolerances.get("ratio"), Some(&30.0));
    assert_eq!(Baseline::parse(&baseline.to_json()).unwrap(), baseline);
    // The results keep their field order (a baseline update diffs cleanly), tolerances last.
    let text = baseline.to_json();
    assert!(text.starts_with("{\n  \"schema\": "), "{text}");
    assert!(text.trim_end().trim_end_matches('}').trim_end().ends_with('}') && text.contains("\"tolerances\": {"));
    for (bad, needle) in [
        (serde_json::json!({"ratios": 30}), "names no performance check"),
        (serde_json::json!({"conformance": 30}), "names no performance check"),
        (serde_json::json!({"ratio": -1}), "0 or more"),
        (serde_json::json!({"ratio": "30%"}), "not a number"),
        (serde_json::json!([30]), "not an object"),
    ] {
        value["tolerances"] = bad;
        let err = Baseline::parse(&value.to_string()).unwrap_err();
        assert!(err.contains(needle), "{err}");
    }
    let without = Baseline { results: sample(), tolerances: BTreeMap::new() };
    assert!(!without.to_json().contains("tolerances"));
}

#[test]
fn baselines_are_written_atomically_and_a_missing_one_says_how_to_make_it() {
    let dir = std::env::temp_dir().join(format!("redzone-gate-unit-{}", std::process::id()));
    let path = dir.join("nested/baseline.json");
    let err = Baseline::load(&path).unwrap_err();
    assert!(matches!(err, GateError::MissingBaseline { .. }));
    assert!(err.to_string().contains("redzone gate --update-baseline"), "{err}");
    let baseline = Baseline { results: sample(), tolerances: [("ratio".to_string(), 20.0)].into() };
    baseline.write(&path).unwrap();
    assert_eq!(Baseline::load(&path).unwrap(), baseline);
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().filter_map(|e| e.ok()).collect();
    assert_eq!(leftovers.len(), 1, "temporary file left behind: {leftovers:?}");
    std::fs::write(&path, "{\"schema\": \"redzone-results/0\"}").unwrap();
    let err = Baseline::load(&path).unwrap_err().to_string();
    assert!(err.contains("is not a usable baseline") && err.contains("redzone-results/0"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
