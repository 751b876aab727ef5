//! `redzone gate` on the committed baseline (`reports/baseline.json`), through the binary:
//!
//! - `gate::baseline_against_itself`: the baseline compared with itself passes (exit 0);
//! - `gate::worse::<what>`: a current run derived from the baseline and made worse in one way
//!   (fewer spec passes on one configuration, a diverging regression case, a fuzz finding, a
//!   guard/checked ratio twice as high, redzone:checked twice as slow, a wrong checksum) fails
//!   with exit 1, the text names each failed check, and the JUnit XML parses and holds
//!   exactly those checks as failed testcases;
//! - `gate::improvement`: every ratio and relative speed better than the baseline's passes;
//! - `gate::missing_baseline`: exit 2 and a message saying how to make one;
//! - `gate::update_baseline`: `--update-baseline` replaces the baseline, keeping its tolerances;
//!   `gate::update_refuses_wrong_checksums`: but not with results holding a wrong checksum.
//!
//! The derived documents live in a temporary folder per trial. When the baseline has no
//! conformance or differential section (the differential is measured in another branch), the
//! trial adds a clean one to both sides before making the current one worse.

use crate::{trial, workspace_root};
use libtest_mimic::{Failed, Trial};
use redzone_harness::bench::results::{Conformance, Differential, FuzzBudget, MutantBudget, PassCounts, Results};
use redzone_harness::gate::Baseline;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Makes the current document (and, when it must add a section, the baseline) worse in one
/// way and returns the names of the checks that must fail (and no other may).
type Worsen = fn(&mut Results, &mut Results) -> Result<Vec<String>, Failed>;

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    trials.push(trial("gate::baseline_against_itself".into(), against_itself));
    let worse: [(&str, Worsen); 7] = [
        ("fewer_spec_passes", fewer_spec_passes),
        ("diverging_regression", diverging_regression),
        ("fuzz_finding", fuzz_finding),
        ("surviving_mutant", surviving_mutant),
        ("guard_checked_ratio_doubled", ratio_doubled),
        ("redzone_checked_twice_as_slow", checked_twice_as_slow),
        ("wrong_checksum", wrong_checksum),
    ];
    for (name, worsen) in worse {
        trials.push(trial(format!("gate::worse::{name}"), move || fails_on(name, worsen)));
    }
    trials.push(trial("gate::improvement".into(), improvement));
    trials.push(trial("gate::missing_baseline".into(), missing_baseline));
    trials.push(trial("gate::update_baseline".into(), update_baseline));
    trials.push(trial("gate::update_refuses_wrong_checksums".into(), update_refuses_wrong_checksums));
}

fn baseline_path() -> PathBuf {
    workspace_root().join("reports/baseline.json")
}

fn committed() -> Result<Baseline, Failed> {
    let path = baseline_path();
    Baseline::load(&path).map_err(|e| format!("the committed baseline: {e}").into())
}

/// A fresh, empty folder for one trial's files.
fn scratch(name: &str) -> Result<PathBuf, Failed> {
    let dir = std::env::temp_dir().join(format!("redzone-gate-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn redzone(args: &[&str]) -> Result<Output, Failed> {
    Ok(Command::new(env!("CARGO_BIN_EXE_redzone")).args(args).env("RUST_BACKTRACE", "0").output()?)
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn write_results(path: &Path, results: &Results) -> Result<(), Failed> {
    std::fs::write(path, serde_json::to_string_pretty(results)?)?;
    Ok(())
}

fn against_itself() -> Result<(), Failed> {
    let path = baseline_path();
    let path = path.to_str().ok_or("non-UTF-8 workspace path")?;
    let out = redzone(&["gate", "--baseline", path, "--current", path])?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(0) || !stdout.contains("gate passed") {
        return Err(format!("the baseline against itself should pass\n{}", describe(&out)).into());
    }
    // It must have compared something: performance checks that passed.
    if !stdout.lines().any(|l| l.starts_with("pass ratio:")) || !stdout.lines().any(|l| l.starts_with("pass speed:")) {
        return Err(format!("no ratio or speed check passed\n{}", describe(&out)).into());
    }
    Ok(())
}

/// Gives both documents a clean conformance section when the baseline has none.
fn ensure_conformance(base: &mut Results, cur: &mut Results) {
    if base.conformance.is_none() {
        let counts = PassCounts { passed: 1000, failed: 0, expected_failures: 0 };
        base.conformance = Some(Conformance {
            suite: "test".into(),
            suite_commit: "test".into(),
            engines: base.engines.iter().map(|e| (e.name.clone(), counts)).collect(),
        });
        cur.conformance = base.conformance.clone();
    }
}

/// Gives the current document a clean differential section when it has none.
fn ensure_differential(cur: &mut Results) -> &mut Differential {
    cur.differential.get_or_insert_with(|| Differential {
        regressions_replayed: 1,
        regressions_diverging: Vec::new(),
        fuzz: vec![FuzzBudget {
            generator: "smith".into(),
            seed: 1,
            executions: 100,
            findings: Vec::new(),
            known: Vec::new(),
        }],
        mutants: Vec::new(),
    })
}

fn fewer_spec_passes(base: &mut Results, cur: &mut Results) -> Result<Vec<String>, Failed> {
    ensure_conformance(base, cur);
    let conformance = cur.conformance.as_mut().ok_or("no conformance")?;
    let (name, counts) = conformance.engines.iter_mut().next().ok_or("no configuration in the conformance counts")?;
    counts.passed = counts.passed.checked_sub(1).ok_or("a configuration with 0 passes cannot drop")?;
    Ok(vec![format!("conformance:{name}")])
}

fn diverging_regression(_: &mut Results, cur: &mut Results) -> Result<Vec<String>, Failed> {
    ensure_differential(cur).regressions_diverging.push("memory_grow_past_maximum".into());
    Ok(vec!["regressions".into()])
}

fn fuzz_finding(_: &mut Results, cur: &mut Results) -> Result<Vec<String>, Failed> {
    let d = ensure_differential(cur);
    if d.fuzz.is_empty() {
        d.fuzz.push(FuzzBudget {
            generator: "smith".into(),
            seed: 1,
            executions: 100,
            findings: Vec::new(),
            known: Vec::new(),
        });
    }
    d.fuzz[0].findings.push("diverge:memory:redzone:guard".into());
    Ok(vec![format!("fuzz:{}:{}", d.fuzz[0].generator, d.fuzz[0].seed)])
}

fn surviving_mutant(_: &mut Results, cur: &mut Results) -> Result<Vec<String>, Failed> {
    ensure_differential(cur).mutants = vec![MutantBudget {
        mutant: "copy-forward-only".into(),
        generator: "edges".into(),
        seed: 1,
        executions: 200,
        killed: false,
        first: None,
    }];
    Ok(vec!["mutants:copy-forward-only".into()])
}

fn ratio_doubled(base: &mut Results, cur: &mut Results) -> Result<Vec<String>, Failed> {
    // A ratio whose interval is narrow enough for a doubling to clear the gate's rule
    // (current low > baseline high x 1.75 for one workload, so high / low < 1.14).
    let index = base
        .ratios
        .iter()
        .position(|r| r.ratio.low > 0.0 && r.ratio.high < 1.1 * r.ratio.low)
        .ok_or("no guard/checked ratio in the baseline with an interval narrower than 1.1x")?;
    let r = &mut cur.ratios[index];
    r.ratio.median *= 2.0;
    r.ratio.low *= 2.0;
    r.ratio.high *= 2.0;
    Ok(vec![format!("ratio:{}:{}", r.engine, r.workload)])
}

fn checked_twice_as_slow(_: &mut Results, cur: &mut Results) -> Result<Vec<String>, Failed> {
    // Every sample of redzone:checked doubled: its time relative to wasmi and to
    // wasmtime:checked doubles (the guard/checked ratios are the bench's, left as they were).
    for m in cur.measurements.iter_mut().filter(|m| m.engine == "redzone:checked") {
        m.samples_ns.iter_mut().for_each(|t| *t *= 2.0);
    }
    Ok(vec!["speed:redzone:checked/wasmi".into(), "speed:redzone:checked/wasmtime:checked".into()])
}

/// Marks the first measurement that ran as having returned a wrong checksum; returns
/// `<workload> on <engine>`.
fn spoil_checksum(cur: &mut Results) -> Result<String, Failed> {
    let m = cur.measurements.iter_mut().find(|m| m.error.is_none()).ok_or("no measurement ran")?;
    m.checksum_ok = false;
    Ok(format!("{} on {}", m.workload, m.engine))
}

fn wrong_checksum(_: &mut Results, cur: &mut Results) -> Result<Vec<String>, Failed> {
    spoil_checksum(cur)?;
    Ok(vec!["checksums".into()])
}

fn fails_on(name: &str, worsen: Worsen) -> Result<(), Failed> {
    let dir = scratch(name)?;
    let mut base = committed()?.results;
    let mut cur = base.clone();
    let checks = worsen(&mut base, &mut cur)?;
    let (base_path, cur_path, junit_path) = (dir.join("baseline.json"), dir.join("current.json"), dir.join("gate.xml"));
    write_results(&base_path, &base)?;
    write_results(&cur_path, &cur)?;
    let path = |p: &Path| p.display().to_string();
    let out = redzone(&[
        "gate",
        "--baseline",
        &path(&base_path),
        "--current",
        &path(&cur_path),
        "--junit",
        &path(&junit_path),
    ])?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(1) {
        return Err(format!("expected exit 1 for a worse run ({checks:?})\n{}", describe(&out)).into());
    }
    for check in &checks {
        if !stdout.lines().any(|l| l.starts_with(&format!("FAIL {check} ")))
            || !stdout.contains(&format!("  {check}: "))
        {
            return Err(format!("the text does not name the failed check {check}\n{}", describe(&out)).into());
        }
    }
    let failed = junit_failures(&std::fs::read_to_string(&junit_path)?)?;
    if failed != checks {
        return Err(format!("JUnit failures {failed:?}, expected {checks:?}\n{}", describe(&out)).into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn improvement() -> Result<(), Failed> {
    let dir = scratch("improvement")?;
    let base = committed()?.results;
    let mut cur = base.clone();
    for r in &mut cur.ratios {
        r.ratio.median *= 0.5;
        r.ratio.low *= 0.5;
        r.ratio.high *= 0.5;
    }
    // Every redzone configuration twice as fast: its speed relative to every peer improves.
    for m in cur.measurements.iter_mut().filter(|m| m.engine.starts_with("redzone:")) {
        m.samples_ns.iter_mut().for_each(|t| *t *= 0.5);
    }
    let cur_path = dir.join("current.json");
    write_results(&cur_path, &cur)?;
    let baseline = baseline_path();
    let out = redzone(&[
        "gate",
        "--baseline",
        &baseline.display().to_string(),
        "--current",
        &cur_path.display().to_string(),
    ])?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(0) || !stdout.contains(": better") {
        return Err(format!("an improvement should pass and say `better`\n{}", describe(&out)).into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn missing_baseline() -> Result<(), Failed> {
    let dir = scratch("missing")?;
    let missing = dir.join("no-such-baseline.json");
    let out = redzone(&["gate", "--baseline", &missing.display().to_string(), "--current", "also-missing.json"])?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2)
        || !stderr.contains("no-such-baseline.json not found")
        || !stderr.contains("redzone gate --update-baseline")
    {
        return Err(format!("expected exit 2 and how to make a baseline\n{}", describe(&out)).into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Writes `old` as the baseline and `cur` as the current results in `dir`, runs
/// `--update-baseline`, and returns the baseline's path and the run's output.
fn run_update(dir: &Path, old: &Baseline, cur: &Results) -> Result<(PathBuf, Output), Failed> {
    let (base_path, cur_path) = (dir.join("baseline.json"), dir.join("current.json"));
    old.write(&base_path)?;
    write_results(&cur_path, cur)?;
    let (base_arg, cur_arg) = (base_path.display().to_string(), cur_path.display().to_string());
    let out = redzone(&["gate", "--update-baseline", "--baseline", &base_arg, "--current", &cur_arg])?;
    Ok((base_path, out))
}

fn update_baseline() -> Result<(), Failed> {
    let dir = scratch("update")?;
    let mut old = committed()?;
    old.tolerances.insert("ratio".into(), 33.0);
    let mut cur = old.results.clone();
    cur.created = "2099-01-01T00:00:00Z".into();
    cur.ratios.truncate(cur.ratios.len().saturating_sub(1));
    let (base_path, out) = run_update(&dir, &old, &cur)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(0) || !stdout.contains("updated the baseline") {
        return Err(format!("--update-baseline should succeed and say so\n{}", describe(&out)).into());
    }
    let new = Baseline::load(&base_path)?;
    // Compared field by field rather than with `==`: serde_json's float parsing may move a
    // sample by an ulp on the way through two files.
    let same = new.results.created == cur.created
        && new.results.ratios.len() == cur.ratios.len()
        && new.results.measurements.len() == cur.measurements.len();
    if !same {
        return Err("the updated baseline is not the current results".into());
    }
    if new.tolerances != old.tolerances {
        return Err(format!("tolerances not kept: {:?} -> {:?}", old.tolerances, new.tolerances).into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn update_refuses_wrong_checksums() -> Result<(), Failed> {
    let dir = scratch("update-wrong")?;
    let old = committed()?;
    let mut cur = old.results.clone();
    let what = spoil_checksum(&mut cur)?;
    let (base_path, out) = run_update(&dir, &old, &cur)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2) || !stderr.contains("wrong checksum") || !stderr.contains(&what) {
        return Err(format!("expected exit 2 naming {what}\n{}", describe(&out)).into());
    }
    if Baseline::load(&base_path)?.results.created != old.results.created {
        return Err("the baseline changed although the update was refused".into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Parses JUnit XML strictly enough to catch malformed output (balanced tags, quoted
/// attributes, known entities) and returns the names of the testcases holding a `<failure>`.
fn junit_failures(xml: &str) -> Result<Vec<String>, Failed> {
    let body = xml.strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").ok_or("no XML declaration")?;
    let mut stack: Vec<(String, Option<String>)> = Vec::new();
    let mut failed = Vec::new();
    let mut rest = body;
    let mut roots = 0;
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open])?;
        let close = rest[open..].find('>').ok_or("unclosed tag")? + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let (top, _) = stack.pop().ok_or_else(|| format!("</{name}> closes nothing"))?;
            if top != name {
                return Err(format!("</{name}> closes <{top}>").into());
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        let attrs = parse_attributes(attrs)?;
        if stack.is_empty() {
            roots += 1;
        }
        if name == "failure" {
            let case = stack.iter().rev().find(|(n, _)| n == "testcase").ok_or("<failure> outside a <testcase>")?;
            failed.push(case.1.clone().ok_or("a <testcase> without a name")?);
        }
        if !self_closing {
            let case_name = attrs.iter().find(|(k, _)| k == "name").map(|(_, v)| v.clone());
            stack.push((name.to_string(), case_name));
        }
    }
    check_text(rest)?;
    if !stack.is_empty() || roots != 1 {
        return Err(format!("unbalanced XML: {} open tags, {roots} roots", stack.len()).into());
    }
    Ok(failed)
}

fn parse_attributes(mut s: &str) -> Result<Vec<(String, String)>, Failed> {
    let mut attrs = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Ok(attrs);
        }
        let (key, after) = s.split_once("=\"").ok_or_else(|| format!("attribute without a quoted value: {s}"))?;
        let end = after.find('"').ok_or("unterminated attribute value")?;
        check_text(&after[..end])?;
        attrs.push((key.to_string(), unescape(&after[..end])));
        s = &after[end + 1..];
    }
}

fn check_text(text: &str) -> Result<(), Failed> {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
        if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity) {
            return Err(format!("bad entity {entity}").into());
        }
    }
    Ok(())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}
