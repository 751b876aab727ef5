//! Process isolation: proof that cases run in `redzone worker` processes survive every way an
//! engine can take a process down, with each death classified, and that a fuzz campaign goes
//! on past a crashing engine and saves the crash as a finding that replays.
//!
//! - `isolation::crash_classes`: a worker is asked to die by a segfault, an abort, a native
//!   stack overflow, an allocation past its memory limit and a hang; each death must get its
//!   class, and the same worker slot must run a real case right after each (respawned);
//! - `isolation::crash_canary_campaign`: a campaign on the test-only `redzone:crash-canary`
//!   (a dangling read kills the process by SIGSEGV), the `redzone:canary` (a wrong bounds
//!   check) and `redzone:checked` runs every case of its budget, reports the crash as one
//!   classified finding `crash:redzone:crash-canary:SIGSEGV` and the canary's divergence as
//!   another, and the crash's `replay.sh` reproduces it through the `redzone` binary.

use crate::trial;
use libtest_mimic::{Failed, Trial};
use redzone_harness::engines::{CANARY, CRASH_CANARY};
use redzone_harness::fuzz::campaign::{self, CampaignConfig, Limit};
use redzone_harness::fuzz::finding;
use redzone_harness::generators::{Calls, GeneratorKind, TestCase};
use redzone_harness::isolation::protocol::SelfCrash;
use redzone_harness::isolation::{CrashClass, Isolation, Job, Ran, Render, Runner, Worker, WorkerSettings};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    trials.push(trial("isolation::crash_classes".into(), crash_classes));
    trials.push(trial("isolation::crash_canary_campaign".into(), crash_canary_campaign));
}

/// Workers of this test build's `redzone`, with a small memory limit and a short timeout.
fn settings() -> WorkerSettings {
    WorkerSettings {
        exe: env!("CARGO_BIN_EXE_redzone").into(),
        timeout: Duration::from_secs(5),
        memory_limit: Some(2 << 30),
        mutant: None,
    }
}

/// A real case: a module whose export returns 7.
fn seven() -> Job {
    let wasm = wat::parse_str(r#"(module (func (export "f") (result i32) (i32.const 7)))"#).expect("valid text");
    let case = TestCase::new(GeneratorKind::Smith, wasm, Calls::Seeded { seed: 0, calls_per_export: 1 });
    Job {
        file: "seven.wat".into(),
        case,
        fuel: Some(1000),
        engines: vec!["redzone:checked".into(), "wasmi".into()],
        render: Render::Text,
    }
}

fn crash_classes() -> Result<(), Failed> {
    let mut worker = Worker::new(settings());
    let cases = [
        (SelfCrash::Segfault, CrashClass::Signal("SIGSEGV".into())),
        (SelfCrash::Abort, CrashClass::Abort),
        (SelfCrash::StackOverflow, CrashClass::StackOverflow),
        (SelfCrash::Allocate, CrashClass::Oom),
        (SelfCrash::Hang, CrashClass::Timeout),
    ];
    let count = cases.len() as u64;
    for (crash, class) in cases {
        let death = worker.self_test(crash).map_err(|e| format!("{crash:?}: {e:#}"))?;
        let death = death.ok_or_else(|| format!("{crash:?}: the worker answered instead of dying"))?;
        if death.class != class {
            return Err(format!(
                "{crash:?}: classified {} ({}), expected {class}\n{}",
                death.class, death.status, death.stderr
            )
            .into());
        }
        match worker.run(&seven()).map_err(|e| format!("after {crash:?}: {e:#}"))? {
            Ran::Completed(report) if report.divergence.is_none() && report.steps == 2 => {}
            other => return Err(format!("after {crash:?} the respawned worker should run the case: {other:?}").into()),
        }
    }
    if worker.processes_started() != 1 + count {
        return Err(format!("{} processes started, expected one plus one per death", worker.processes_started()).into());
    }
    Ok(())
}

fn crash_canary_campaign() -> Result<(), Failed> {
    let out = std::env::temp_dir().join(format!("redzone-crash-canary-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    const BUDGET: u64 = 150;
    let config = CampaignConfig {
        generators: vec![GeneratorKind::Edges],
        engines: vec![CRASH_CANARY.name.into(), CANARY.name.into(), "redzone:checked".into()],
        seed: 7,
        jobs: 2,
        limit: Limit::Executions(BUDGET),
        out: Some(out.clone()),
        isolation: Isolation::Process(settings()),
        ..CampaignConfig::default()
    };
    let summary = campaign::run(&config, &AtomicBool::new(false), |_| {}).map_err(|e| format!("{e:#}"))?;
    let t = &summary.totals;
    let ran: u64 = t.generators.iter().map(|g| g.executions + g.skipped).sum();
    if ran != BUDGET {
        return Err(format!("the campaign stopped early: {ran} of {BUDGET} cases\n{t:#?}").into());
    }
    let label = format!("crash:{}:SIGSEGV", CRASH_CANARY.name);
    let crash = summary
        .findings
        .iter()
        .find(|f| f.label == label)
        .ok_or_else(|| format!("no {label} finding: {:#?}\n{t:#?}", summary.findings))?;
    if summary.findings.iter().filter(|f| f.label == label).count() != 1 {
        return Err(format!("the crash should be one finding: {:#?}", summary.findings).into());
    }
    if !summary.findings.iter().any(|f| f.signature.sides.first().is_some_and(|s| s.engines == [CANARY.name])) {
        return Err(format!("the canary's divergence should be found too: {:#?}", summary.findings).into());
    }
    if t.crashes() == 0 || summary.workers_started < 3 {
        return Err(format!("{} crashes, {} workers started", t.crashes(), summary.workers_started).into());
    }
    let dir = crash.path.clone().ok_or("the crash finding was not saved")?;
    let saved = finding::load(&dir).map_err(|e| e.to_string())?;
    if saved.wasm.len() > saved.original.len() || !saved.record.signature.is_native_crash() {
        return Err(
            format!("{} bytes from {}; {:?}", saved.wasm.len(), saved.original.len(), saved.record.signature).into()
        );
    }
    let replay = std::process::Command::new(dir.join(finding::REPLAY))
        .env("REDZONE", env!("CARGO_BIN_EXE_redzone"))
        .output()
        .map_err(|e| format!("running replay.sh: {e}"))?;
    let stdout = String::from_utf8_lossy(&replay.stdout);
    if replay.status.code() != Some(1) || !stdout.contains(&format!("still crashes, same signature: {label}")) {
        return Err(format!(
            "replay.sh should exit 1 with the same crash, got {:?}\n{stdout}{}",
            replay.status.code(),
            String::from_utf8_lossy(&replay.stderr)
        )
        .into());
    }
    std::fs::remove_dir_all(&out)?;
    Ok(())
}
