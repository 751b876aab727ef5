//! The benchmark workloads of `suites/bench/`, read from its manifest (`workloads.toml`)
//! with the library's reader (`redzone_harness::bench::manifest`), and run with the
//! library's sampler (`bench::workload::WorkloadRun`), exactly as `redzone bench` runs them:
//!
//! - `bench::manifest`: the manifest parses and passes the reader's checks (unique names,
//!   sizes in range, every field filled in), every `.wat` file in the folder is a workload's
//!   file (a new file must be added to the manifest), each file's header states the
//!   manifest's checksum at the default `n`, and there are at least 20 workloads in 10 files;
//! - `bench::<engine>::<workload>`: the workload at its `quick_n` on every available engine
//!   has the signature `(i32) -> i64` and returns the manifest's `quick_checksum` on each of
//!   three samples (on the same instance, or on new ones when the workload is `fresh`), since
//!   `redzone bench` takes many. With `REDZONE_BENCH_FULL=1` the trial also checks the full
//!   `n` against `checksum` (slow on debug builds of the peers). A memory64 twin may be
//!   refused as `unsupported feature: memory64` by a configuration without memory64 (wasmer
//!   7.4.2), which `redzone bench` records as unsupported; any other refusal fails.
//!
//! The checksums come from `suites/bench/reference.py`, not from any engine.

use crate::{engine_names, trial};
use libtest_mimic::{Failed, Trial};
use redzone_harness::bench::manifest::{Manifest, Size, Workload};
use redzone_harness::bench::schedule::Task;
use redzone_harness::bench::workload::WorkloadRun;
use redzone_harness::engines::panic_free;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    let manifest = Manifest::load(&Manifest::default_path()).map(Arc::new).map_err(|e| e.to_string());
    let checked = manifest.clone();
    trials.push(trial("bench::manifest".into(), move || check_manifest(checked?)));
    let Ok(manifest) = manifest else { return };
    for engine in engine_names() {
        for w in &manifest.workloads {
            let (manifest, w) = (Arc::clone(&manifest), w.clone());
            trials.push(trial(format!("bench::{engine}::{}", w.name), move || {
                panic_free(|| run_workload(&manifest, engine, &w)).map_err(|p| format!("{engine} panicked: {p}"))?
            }));
        }
    }
}

fn check_manifest(manifest: Arc<Manifest>) -> Result<(), Failed> {
    let mut problems = manifest.audit();
    let files: BTreeSet<&str> = manifest.workloads.iter().map(|w| w.file.as_str()).collect();
    if manifest.workloads.len() < 20 || files.len() < 10 {
        problems.push(format!(
            "expected at least 20 workloads in 10 files, found {} in {}",
            manifest.workloads.len(),
            files.len()
        ));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n").into()) }
}

fn run_workload(manifest: &Manifest, engine: &str, w: &Workload) -> Result<(), Failed> {
    let sizes: &[Size] =
        if std::env::var_os("REDZONE_BENCH_FULL").is_some() { &[Size::Quick, Size::Full] } else { &[Size::Quick] };
    for &size in sizes {
        let mut run = WorkloadRun::load(manifest, w, engine, size);
        for _ in 0..3 {
            run.step(true);
        }
        if run.unsupported() {
            let e = run.error().unwrap_or_default();
            if w.twin.is_some() && e.contains("unsupported feature: memory64") {
                return Ok(());
            }
            return Err(format!("{} size: refused as unsupported: {e}", size.name()).into());
        }
        if let Some(e) = run.error() {
            return Err(format!("{} size: {e}", size.name()).into());
        }
        if let Some(m) = run.mismatch() {
            return Err(format!("{} size: {m}", size.name()).into());
        }
        if run.samples().len() != 3 || !run.checksum_ok() {
            return Err(format!(
                "{} size: {} samples, checksum_ok {}",
                size.name(),
                run.samples().len(),
                run.checksum_ok()
            )
            .into());
        }
    }
    Ok(())
}
