//! `suites/regressions/`: divergences that were found and fixed, kept so they stay fixed.
//!
//! Each case is three files with one name: `<name>.wasm` (the module that diverged, usually a
//! shrunk fuzz finding), `<name>.wat` (the same module as text, for readers; `.wasm` is what
//! runs) and `<name>.json`, a [`RegressionRecord`]: one line saying what the bug was and where
//! it came from, and the case's calls (a `TestCase` without its module). Cases are found by
//! walking the directory, never listed.
//!
//! A case replays on every available engine configuration (not only those of the original
//! finding: a fixed bug must agree everywhere) and passes when no step diverges.
//! `cargo test` makes one trial per case (`harness/tests/regressions.rs`); the gate calls
//! [`replay_all`]; `redzone replay <name>.json` replays one by hand.

use crate::engines::EngineError;
use crate::generators::TestCase;
use crate::oracles::case::run_case;
use crate::oracles::fleet::{Fleet, ModuleRun};
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Fuel per step when a case does not say.
pub const DEFAULT_FUEL: u64 = 10_000_000;

/// `<name>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegressionRecord {
    /// What the bug was, which engine had it, where it came from (one line).
    pub what: String,
    /// The generator and calls (the module is `<name>.wasm`).
    pub case: TestCase,
    /// Fuel per step. Defaults to [`DEFAULT_FUEL`] when absent.
    #[serde(default)]
    pub fuel: Option<u64>,
}

/// A regression case, read.
#[derive(Debug, Clone, PartialEq)]
pub struct RegressionCase {
    /// The case's name (file stem).
    pub name: String,
    /// Its `.json` file.
    pub path: PathBuf,
    /// The record, with `case.wasm` filled in from `<name>.wasm`.
    pub record: RegressionRecord,
}

impl RegressionCase {
    /// Reads the case whose record is `json` (`<name>.json` beside `<name>.wasm`).
    pub fn load(json: &Path) -> anyhow::Result<RegressionCase> {
        let text = std::fs::read_to_string(json).with_context(|| format!("cannot read {}", json.display()))?;
        let mut record: RegressionRecord = serde_json::from_str(&text).with_context(|| {
            format!("{}: not a regression case record (fields `what`, `case`, optional `fuel`)", json.display())
        })?;
        let wasm_path = json.with_extension("wasm");
        record.case.wasm = std::fs::read(&wasm_path).with_context(|| {
            format!("cannot read {}: every regression case is a .json with a .wasm beside it", wasm_path.display())
        })?;
        let name = json.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        Ok(RegressionCase { name, path: json.to_path_buf(), record })
    }

    /// Runs the case on the fleets `make` builds.
    pub fn run(&self, make: impl FnMut() -> Result<Fleet, EngineError>) -> Result<ModuleRun, EngineError> {
        let fuel = Some(self.record.fuel.unwrap_or(DEFAULT_FUEL));
        run_case(&self.path.display().to_string(), &self.record.case, fuel, make)
    }

    /// Runs the case on `engines`.
    pub fn replay(&self, engines: &[&str]) -> Result<ModuleRun, EngineError> {
        let fuel = Some(self.record.fuel.unwrap_or(DEFAULT_FUEL));
        self.run(|| Fleet::build(engines, fuel))
    }
}

/// The `.json` records in `dir`, sorted by name (the directory's README and the `.wasm` and
/// `.wat` files beside them are not records).
pub fn case_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read the regression suite {}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// Replays every case in `dir` on `engines`: each case's name and whether it diverges. A
/// case that cannot be read is an error (naming the file).
pub fn replay_all(dir: &Path, engines: &[&str]) -> anyhow::Result<Vec<(String, bool)>> {
    let mut out = Vec::new();
    for file in case_files(dir)? {
        let case = RegressionCase::load(&file)?;
        let run = case.replay(engines).with_context(|| format!("replaying {}", file.display()))?;
        out.push((case.name, run.divergences() > 0));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::{Call, Calls, GeneratorKind};

    #[test]
    fn cases_are_read_replayed_and_bad_ones_named() {
        let dir = std::env::temp_dir().join(format!("redzone-regressions-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let wasm = wat::parse_str(
            r#"(module (memory (export "memory") 1)
                 (func (export "load") (param i32) (result i32) (i32.load offset=16 (local.get 0))))"#,
        )
        .unwrap();
        let record = RegressionRecord {
            what: "test case".into(),
            case: TestCase::new(
                GeneratorKind::Edges,
                Vec::new(),
                Calls::Listed(vec![Call { export: "load".into(), args: vec![crate::engines::Val::I32(-8)] }]),
            ),
            fuel: None,
        };
        std::fs::write(dir.join("wrap.json"), serde_json::to_string(&record).unwrap()).unwrap();
        std::fs::write(dir.join("wrap.wasm"), &wasm).unwrap();
        std::fs::write(dir.join("README.md"), "not a case").unwrap();
        assert_eq!(replay_all(&dir, &["redzone:checked", "wasmi"]).unwrap(), vec![("wrap".to_string(), false)]);
        let canary = crate::engines::select("redzone:canary,redzone:checked").expect("tests build with the canary");
        assert_eq!(replay_all(&dir, &canary).unwrap(), vec![("wrap".to_string(), true)], "the canary wraps -8 + 16");
        std::fs::write(dir.join("broken.json"), "{\"what\": 1}").unwrap();
        let err = format!("{:#}", replay_all(&dir, &["redzone:checked"]).unwrap_err());
        assert!(err.contains("broken.json") && err.contains("not a regression case record"), "{err}");
        std::fs::write(dir.join("broken.json"), serde_json::to_string(&record).unwrap()).unwrap();
        let err = format!("{:#}", replay_all(&dir, &["redzone:checked"]).unwrap_err());
        assert!(err.contains("broken.wasm"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
