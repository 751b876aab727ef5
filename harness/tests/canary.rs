//! The canary: proof that the fuzz loop finds what it exists to find. The harness's tests
//! build redzone-engine with its `canary` feature (a dev-dependency), which adds the
//! `redzone:canary` configuration: the checked memory with the effective address wrapped at
//! 2^32. A campaign with the `edges` generator, a fixed seed and a fixed budget on
//! `redzone:canary,redzone:checked` must find it, save it shrunk, and its `replay.sh` must
//! still report the divergence (exit 1) through the `redzone` binary.

use crate::trial;
use libtest_mimic::{Failed, Trial};
use redzone_harness::engines::{self, CANARY};
use redzone_harness::fuzz::campaign::{self, CampaignConfig, Limit};
use redzone_harness::fuzz::finding;
use redzone_harness::generators::GeneratorKind;
use std::sync::atomic::AtomicBool;

/// The campaign's seed.
const SEED: u64 = 2026;
/// Its budget of cases; the edges generator finds the canary in far fewer.
const BUDGET: u64 = 200;

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    trials.push(trial("canary::found_shrunk_replayed".into(), found_shrunk_replayed));
    trials.push(trial("canary::never_selected_by_default".into(), never_selected_by_default));
}

fn found_shrunk_replayed() -> Result<(), Failed> {
    let out = std::env::temp_dir().join(format!("redzone-canary-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let config = CampaignConfig {
        generators: vec![GeneratorKind::Edges],
        engines: vec![CANARY.name.into(), "redzone:checked".into()],
        seed: SEED,
        jobs: 2,
        limit: Limit::Executions(BUDGET),
        out: Some(out.clone()),
        ..CampaignConfig::default()
    };
    let summary = campaign::run(&config, &AtomicBool::new(false), |_| {}).map_err(|e| format!("{e:#}"))?;
    let found =
        summary.findings.iter().find(|f| f.signature.sides.iter().any(|s| s.engines == [CANARY.name])).ok_or_else(
            || format!("no canary finding in {BUDGET} edges cases from seed {SEED}: {:#?}", summary.totals),
        )?;
    let dir = found.path.clone().ok_or("the finding was not saved")?;
    if dir != out.join(&found.name) {
        return Err(format!("saved at {}, not under its signature {}", dir.display(), found.name).into());
    }
    let saved = finding::load(&dir).map_err(|e| e.to_string())?;
    if saved.wasm.len() >= saved.original.len() {
        return Err(format!("not shrunk: {} bytes from {}", saved.wasm.len(), saved.original.len()).into());
    }
    if saved.record.signature != found.signature || saved.record.name != found.name {
        return Err(format!("finding.json names {} / {:?}", saved.record.name, saved.record.signature).into());
    }
    let what = format!("{:?}", saved.record.signature.what);
    if !["Trap", "Result", "Memory"].contains(&what.as_str()) || saved.record.signature.opcode == "unknown" {
        return Err(format!(
            "a wrapped access should be a trap/value/memory divergence at a load or store: {found:#?}"
        )
        .into());
    }
    // The binary must be this test build's (with the canary): a build of the binary without
    // it in a shared target directory would make replay.sh fail for the wrong reason.
    let engines = std::process::Command::new(env!("CARGO_BIN_EXE_redzone"))
        .arg("engines")
        .output()
        .map_err(|e| format!("running redzone engines: {e}"))?;
    if !String::from_utf8_lossy(&engines.stdout).contains(CANARY.name) {
        return Err(format!(
            "{} has no {}: it was rebuilt without the canary feature since this test was built",
            env!("CARGO_BIN_EXE_redzone"),
            CANARY.name
        )
        .into());
    }
    let replay = std::process::Command::new(dir.join(finding::REPLAY))
        .env("REDZONE", env!("CARGO_BIN_EXE_redzone"))
        .output()
        .map_err(|e| format!("running replay.sh: {e}"))?;
    let stdout = String::from_utf8_lossy(&replay.stdout);
    if replay.status.code() != Some(1) || !stdout.contains("still diverges, same signature") {
        return Err(format!(
            "replay.sh should exit 1 with the same signature, got {:?}\n{stdout}{}",
            replay.status.code(),
            String::from_utf8_lossy(&replay.stderr)
        )
        .into());
    }
    std::fs::remove_dir_all(&out)?;
    Ok(())
}

fn never_selected_by_default() -> Result<(), Failed> {
    let all = engines::select("all").map_err(|e| e.to_string())?;
    if all.contains(&CANARY.name) || engines::default_names().contains(&CANARY.name) {
        return Err(format!("the canary must never be a default: {all:?}").into());
    }
    if engines::CONFIGURATIONS.iter().any(|c| c.name == CANARY.name) {
        return Err("the canary is not one of the seven configurations".into());
    }
    // This test build has it (dev-dependency), and then only by name.
    if engines::select(CANARY.name).map_err(|e| e.to_string())? != [CANARY.name] {
        return Err("the test build selects the canary by name".into());
    }
    Ok(())
}
