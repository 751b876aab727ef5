//! The benchmark workloads of `suites/bench/`, read from its manifest (`workloads.toml`):
//!
//! - `bench::manifest`: the manifest parses, names are unique, every `.wat` file in the
//!   folder is a workload's file (a new file must be added to the manifest), and each file's
//!   header states the manifest's checksum at the default `n`;
//! - `bench::<engine>::<workload>`: the workload at its `quick_n` on every available engine
//!   returns the manifest's `quick_checksum`, with the signature `(i32) -> i64`; a second
//!   call returns it again (on the same instance, or on a new one when the workload is
//!   `fresh`), since `redzone bench` takes many samples. With `REDZONE_BENCH_FULL=1` the
//!   trial also checks the full `n` against `checksum` (slow on debug builds of the peers).
//!
//! The checksums come from `suites/bench/reference.py`, not from any engine.

use crate::{engine_names, trial, workspace_root};
use libtest_mimic::{Failed, Trial};
use redzone_engine::ValType;
use redzone_harness::engines::{Engine, ExportKind, InstanceId, ModuleId, Val, build, panic_free};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `suites/bench/workloads.toml`.
#[derive(Debug, Deserialize)]
struct Manifest {
    workload: Vec<Workload>,
}

/// One `[[workload]]`; the fields `redzone bench` alone uses (instructions, stresses,
/// group) are checked for presence only.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Workload {
    name: String,
    file: String,
    export: String,
    group: String,
    n: i32,
    checksum: i64,
    quick_n: i32,
    quick_checksum: i64,
    instructions: String,
    stresses: String,
    #[serde(default)]
    fresh: bool,
    #[serde(default = "run_measure")]
    measure: String,
}

fn run_measure() -> String {
    "run".into()
}

fn bench_dir() -> PathBuf {
    workspace_root().join("suites/bench")
}

fn load_manifest(dir: &Path) -> Result<Manifest, String> {
    let path = dir.join("workloads.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    let dir = bench_dir();
    let manifest = load_manifest(&dir);
    let workloads = manifest.as_ref().map(|m| m.workload.clone()).unwrap_or_default();
    trials.push(trial("bench::manifest".into(), move || check_manifest(&dir, manifest)));
    for engine in engine_names() {
        for w in &workloads {
            let w = w.clone();
            trials.push(trial(format!("bench::{engine}::{}", w.name), move || {
                panic_free(|| run_workload(engine, &w)).map_err(|p| format!("{engine} panicked: {p}"))?
            }));
        }
    }
}

fn check_manifest(dir: &Path, manifest: Result<Manifest, String>) -> Result<(), Failed> {
    let manifest = manifest?;
    let mut problems = Vec::new();
    let mut names = BTreeSet::new();
    for w in &manifest.workload {
        if !names.insert(w.name.as_str()) {
            problems.push(format!("workload `{}` is listed twice", w.name));
        }
        match std::fs::read_to_string(dir.join(&w.file)) {
            Err(e) => problems.push(format!("{}: file `{}`: {e}", w.name, w.file)),
            Ok(text) => {
                let line = format!(";;   {}({}) = {}", w.export, w.n, w.checksum);
                if !text.lines().any(|l| l == line) {
                    problems.push(format!("{}: the header of {} must say `{line}`", w.name, w.file));
                }
            }
        }
        if w.quick_n > w.n || w.quick_n < 0 {
            problems.push(format!("{}: quick_n {} must be between 0 and n {}", w.name, w.quick_n, w.n));
        }
        if !["run", "instantiate"].contains(&w.measure.as_str()) {
            problems.push(format!("{}: measure `{}` is neither `run` nor `instantiate`", w.name, w.measure));
        }
        if w.group.is_empty() || w.instructions.is_empty() || w.stresses.is_empty() {
            problems.push(format!("{}: group, instructions and stresses must be filled in", w.name));
        }
    }
    let listed: BTreeSet<&str> = manifest.workload.iter().map(|w| w.file.as_str()).collect();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = 0;
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wat") {
            files += 1;
            if !listed.contains(name.as_str()) {
                problems.push(format!("{name} is in suites/bench but no workload in workloads.toml uses it"));
            }
        }
    }
    if manifest.workload.len() < 20 || files < 10 {
        problems
            .push(format!("expected at least 20 workloads in 10 files, found {} in {files}", manifest.workload.len()));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n").into()) }
}

fn run_workload(engine: &str, w: &Workload) -> Result<(), Failed> {
    let path = bench_dir().join(&w.file);
    let wasm = wat::parse_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut e = build(engine)?;
    e.set_fuel(None);
    let module = e.compile(&wasm).map_err(|err| format!("{engine}: compiling {}: {err}", w.file))?;
    let instance = e.instantiate(module).map_err(|err| format!("{engine}: instantiating {}: {err}", w.file))?;
    check_signature(&*e, instance, w)?;
    let sizes: &[(i32, i64)] = if std::env::var_os("REDZONE_BENCH_FULL").is_some() {
        &[(w.quick_n, w.quick_checksum), (w.n, w.checksum)]
    } else {
        &[(w.quick_n, w.quick_checksum)]
    };
    let mut first = Some(instance);
    for &(n, expected) in sizes {
        // twice per size: bench takes many samples, and each must see the same answer
        for attempt in ["first", "second"] {
            let instance = match first.take() {
                Some(i) => i,
                None if w.fresh => fresh(&mut *e, module, w)?,
                None => instance,
            };
            let got = e
                .call(instance, &w.export, &[Val::I32(n)])
                .map_err(|err| format!("{engine}: {}({n}) ({attempt} call): {err}", w.export))?;
            if got != [Val::I64(expected)] {
                return Err(format!(
                    "{engine}: {} {}({n}) ({attempt} call) returned {got:?}, workloads.toml expects I64({expected})",
                    w.file, w.export
                )
                .into());
            }
        }
    }
    Ok(())
}

fn fresh(e: &mut dyn Engine, module: ModuleId, w: &Workload) -> Result<InstanceId, Failed> {
    e.instantiate(module).map_err(|err| format!("{}: instantiating {} again: {err}", e.name(), w.file).into())
}

fn check_signature(e: &dyn Engine, instance: InstanceId, w: &Workload) -> Result<(), Failed> {
    let exports = e.exports(instance)?;
    let export =
        exports.iter().find(|x| x.name == w.export).ok_or_else(|| format!("{}: no export `{}`", w.file, w.export))?;
    match &export.kind {
        ExportKind::Func { params, results } if params[..] == [ValType::I32] && results[..] == [ValType::I64] => Ok(()),
        other => Err(format!("{}: export `{}` is {other:?}, not (i32) -> i64", w.file, w.export).into()),
    }
}
