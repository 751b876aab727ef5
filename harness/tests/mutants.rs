//! The mutant zoo through the `redzone` binary (the harness's tests build redzone-engine with
//! its `mutants` feature, a dev-dependency, so the binary they start has the zoo):
//! - `mutants::gate_subset_kills_every_budget`: every fixed-budget campaign of
//!   `redzone_harness::mutants::GATE` (the subset `redzone gate` runs) kills its planted bug,
//!   in worker processes that carry it, as the gate does;
//! - `mutants::kill_table_through_the_cli`: `redzone mutants` on two mutants, JSON out, the
//!   kill table's shape, and the spec-free `suites/edges` line; `--results` adds it to a
//!   results document;
//! - `mutants::list_and_bad_names`: `--list` prints the whole zoo; an unknown `--only` name
//!   and an unknown `REDZONE_MUTANT` are usage errors (exit 2) that say what to do.
//!
//! The active mutant lives in worker processes only: this test process never switches one
//! on, so the other trials running beside these see the correct engine.

use crate::trial;
use libtest_mimic::{Failed, Trial};
use redzone_engine::mutants::{ENV, ZOO};
use redzone_harness::isolation::WorkerSettings;
use std::path::PathBuf;
use std::process::{Command, Output};

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    trials.push(trial("mutants::gate_subset_kills_every_budget".into(), gate_subset));
    trials.push(trial("mutants::kill_table_through_the_cli".into(), kill_table));
    trials.push(trial("mutants::list_and_bad_names".into(), list_and_bad_names));
}

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_redzone"))
}

fn redzone(args: &[&str], env: &[(&str, &str)]) -> Result<Output, Failed> {
    let mut command = Command::new(exe());
    command.args(args).env("RUST_BACKTRACE", "0").env_remove(ENV);
    for (k, v) in env {
        command.env(k, v);
    }
    Ok(command.output()?)
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn gate_subset() -> Result<(), Failed> {
    let budgets =
        redzone_harness::mutants::run_gate(&WorkerSettings::new(exe()), |_| {}).map_err(|e| format!("{e:#}"))?;
    let missed: Vec<String> = budgets
        .iter()
        .filter(|b| !b.killed)
        .map(|b| format!("{} ({} {} cases, seed {})", b.mutant, b.executions, b.generator, b.seed))
        .collect();
    if budgets.len() != redzone_harness::mutants::GATE.len() || !missed.is_empty() {
        return Err(format!("budgets that no longer kill their mutant: {missed:?} of {budgets:#?}").into());
    }
    Ok(())
}

fn kill_table() -> Result<(), Failed> {
    let dir = std::env::temp_dir().join(format!("redzone-mutants-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let json = dir.join("kill.json");
    let out = redzone(
        &[
            "mutants",
            "--only",
            "addr-wrap-32,guard-commits-past-end",
            "--seconds",
            "20",
            "--stop-at-first",
            "--generator",
            "edges",
            "--engines",
            "redzone:guard,redzone:checked,wasmi",
            "--no-spec",
            "-j",
            "2",
            "--format",
            "json",
            "--out",
            json.to_str().ok_or("non-UTF-8 temp dir")?,
        ],
        &[],
    )?;
    if out.status.code() != Some(0) {
        return Err(describe(&out).into());
    }
    let table: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("{e}\n{}", describe(&out)))?;
    let saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json)?)?;
    if saved != table {
        return Err("--out and stdout differ".into());
    }
    let rows = table["rows"].as_array().ok_or("no rows")?;
    let names: Vec<&str> = rows.iter().filter_map(|r| r["name"].as_str()).collect();
    if names != ["addr-wrap-32", "guard-commits-past-end"] {
        return Err(format!("rows for {names:?}").into());
    }
    for row in rows {
        let fuzz = &row["fuzz"];
        if fuzz["killed"] != true || fuzz["generator"] != "edges" || !fuzz["seconds"].is_number() {
            return Err(format!("not killed by edges within 20 s: {row:#}").into());
        }
        if !row["spec"].is_null() || row["edges"]["caught"] != true {
            return Err(format!("spec skipped and suites/edges catching it expected: {row:#}").into());
        }
    }
    // --results: the kill table joins a results document; a bad one costs no run.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{}")?;
    let out = redzone(&["mutants", "--only", "1", "--no-spec", "--results", bad.to_str().ok_or("path")?], &[])?;
    if out.status.code() != Some(2) || !String::from_utf8_lossy(&out.stderr).contains("--results") {
        return Err(format!("a bad --results file should be refused first\n{}", describe(&out)).into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn list_and_bad_names() -> Result<(), Failed> {
    let out = redzone(&["mutants", "--list"], &[])?;
    let text = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(0) || text.lines().count() < ZOO.len() || !ZOO.iter().all(|m| text.contains(m.name)) {
        return Err(format!("--list should print all {} mutants\n{}", ZOO.len(), describe(&out)).into());
    }
    let out = redzone(&["mutants", "--only", "no-such-bug"], &[])?;
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2) || !err.contains("no-such-bug") || !err.contains("--list") {
        return Err(format!("an unknown --only name is a usage error naming --list\n{}", describe(&out)).into());
    }
    let out = redzone(&["engines"], &[(ENV, "no-such-bug")])?;
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2) || !err.contains(ENV) || !err.contains("no-such-bug") {
        return Err(format!("an unknown {ENV} is refused before anything runs\n{}", describe(&out)).into());
    }
    Ok(())
}
