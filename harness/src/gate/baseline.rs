//! The baseline file (`reports/baseline.json`): a results document
//! ([`crate::bench::results::Results`]) plus an optional top-level `tolerances` object of
//! per-check tolerances in percent, keyed by check name or family:
//!
//! ```json
//! "tolerances": { "ratio": 30, "ratio:wasmer:grow_loop": 60, "speed:redzone:guard/wasmi": 40 }
//! ```
//!
//! The field lives beside the results rather than inside their schema because it is the
//! gate's policy, not a measurement: `redzone bench` never writes it, and
//! `redzone gate --update-baseline` carries it over from the old baseline into the new one.
//! Writes are atomic (a temporary file in the same folder, then a rename), so a CI job killed
//! half-way never leaves a truncated baseline.

use super::Family;
use crate::bench::results::Results;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The key of the tolerances object in a baseline file.
pub const TOLERANCES_KEY: &str = "tolerances";

/// A baseline: the results it was made from and the gate's per-check tolerances.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// The measurements.
    pub results: Results,
    /// Per-check tolerances in percent (see [`super::Settings::overrides`]).
    pub tolerances: BTreeMap<String, f64>,
}

/// Why a baseline or results file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// The baseline file does not exist.
    #[error(
        "baseline {} not found: make one with `redzone gate --update-baseline --baseline {}` (add \
         `--current FILE` to use a `redzone bench --out FILE` run instead of measuring now)",
        path.display(),
        path.display()
    )]
    MissingBaseline {
        /// The path given.
        path: PathBuf,
    },
    /// A file could not be read or written.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done (`reading the baseline`).
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not a usable results document or its tolerances are malformed.
    #[error("{} is not a usable {what}: {why}", path.display())]
    Invalid {
        /// `baseline` or `results file`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        why: String,
    },
}

impl Baseline {
    /// Parses a baseline document: a results document with an optional `tolerances` object.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let results = Results::from_json(text)?;
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let tolerances = match value.get(TOLERANCES_KEY) {
            None | Some(serde_json::Value::Null) => BTreeMap::new(),
            Some(serde_json::Value::Object(map)) => {
                let mut tolerances = BTreeMap::new();
                for (key, v) in map {
                    let pct = v.as_f64().ok_or_else(|| format!("tolerance `{key}` is {v}, not a number of percent"))?;
                    check_tolerance(key, pct)?;
                    tolerances.insert(key.clone(), pct);
                }
                tolerances
            }
            Some(other) => {
                return Err(format!("`{TOLERANCES_KEY}` is {other}, not an object of check name -> percent"));
            }
        };
        Ok(Baseline { results, tolerances })
    }

    /// Reads and parses the baseline at `path`.
    pub fn load(path: &Path) -> Result<Baseline, GateError> {
        let text = std::fs::read_to_string(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                GateError::MissingBaseline { path: path.to_path_buf() }
            } else {
                GateError::Io { what: "reading the baseline", path: path.to_path_buf(), source }
            }
        })?;
        Baseline::parse(&text).map_err(|why| GateError::Invalid { what: "baseline", path: path.to_path_buf(), why })
    }

    /// The document as written to a file: the results in their own field order (as `redzone
    /// bench` writes them, so a baseline update diffs cleanly), then `tolerances` when there
    /// are any.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Document<'a> {
            #[serde(flatten)]
            results: &'a Results,
            #[serde(skip_serializing_if = "BTreeMap::is_empty")]
            tolerances: &'a BTreeMap<String, f64>,
        }
        let document = Document { results: &self.results, tolerances: &self.tolerances };
        let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the baseline to `path` atomically: a temporary file beside it, then a rename.
    pub fn write(&self, path: &Path) -> Result<(), GateError> {
        let io = |what, source| GateError::Io { what, path: path.to_path_buf(), source };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io("creating the folder of", e))?;
        }
        crate::report::write_atomic(path, self.to_json().as_bytes()).map_err(|e| io("writing the baseline", e))
    }
}

/// Reads a results document (`--current`).
pub fn load_results(path: &Path) -> Result<Results, GateError> {
    let text = std::fs::read_to_string(path).map_err(|source| GateError::Io {
        what: "reading the results file",
        path: path.to_path_buf(),
        source,
    })?;
    Results::from_json(&text).map_err(|why| GateError::Invalid { what: "results file", path: path.to_path_buf(), why })
}

/// Checks one tolerance entry: a family with tolerances, or a check name of one, and a finite
/// percentage that is not negative. A misspelt key would otherwise do nothing, silently.
pub fn check_tolerance(key: &str, pct: f64) -> Result<(), String> {
    let families = [Family::Ratio, Family::Speed];
    let known =
        families.iter().any(|f| key == f.key() || key.strip_prefix(f.key()).is_some_and(|r| r.starts_with(':')));
    if !known {
        return Err(format!(
            "tolerance key `{key}` names no performance check: use `ratio`, `speed`, or a check name such as \
             `ratio:redzone:sum_i32` or `speed:redzone:checked/wasmi`"
        ));
    }
    if !pct.is_finite() || pct < 0.0 {
        return Err(format!("tolerance `{key}` is {pct}: give a percentage of 0 or more"));
    }
    Ok(())
}
