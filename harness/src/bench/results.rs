//! The results document: what `redzone bench` writes, and the only thing `redzone report` and
//! `redzone gate` read. One JSON file holds a run's measurements, the ratios derived from them,
//! the ABI throughput, the conformance counts, and where it all came from (machine, engine
//! versions, commit), so a report or a gate decision can be traced to a run.
//!
//! The format is versioned by [`SCHEMA`]; a reader refuses another version with a message
//! that names both. Times are nanoseconds per sample (one call of a workload's export, or one
//! instantiate-call-drop for `measure = "instantiate"` workloads).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The schema tag written in [`Results::schema`].
pub const SCHEMA: &str = "redzone-results/1";

/// One run of `redzone bench` (and, optionally, the conformance and differential checks the
/// gate compares).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// When the run started, RFC 3339 in UTC (`2026-11-21T09:30:00Z`).
    pub created: String,
    /// `quick` or `full`.
    pub mode: String,
    /// Where it ran.
    pub machine: Machine,
    /// What ran: redzone's version and commit.
    pub redzone: Build,
    /// Every configuration measured, with its engine version and bounds-check strategy.
    pub engines: Vec<EngineEntry>,
    /// How the samples were taken and summarised.
    pub method: Method,
    /// The workloads, as the manifest describes them.
    pub workloads: Vec<WorkloadEntry>,
    /// One entry per workload and configuration.
    pub measurements: Vec<Measurement>,
    /// Guard time divided by checked time, per engine and workload (engines with both).
    pub ratios: Vec<Ratio>,
    /// What a 64-bit index costs: the time of each memory64 twin divided by the time of its
    /// 32-bit original on the same configuration ([`Ratio::engine`] is the configuration),
    /// per twin, then `geomean:<group of the originals>` and `geomean` (empty in runs
    /// without twins, and in results written before they existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub index_costs: Vec<Ratio>,
    /// ABI round trips against a host memcpy of the same bytes (empty when not measured).
    #[serde(default)]
    pub abi: Vec<AbiPoint>,
    /// Spec testsuite counts per configuration (absent when the suite was not run).
    #[serde(default)]
    pub conformance: Option<Conformance>,
    /// Regression replays and the fixed-seed fuzz budget (absent when not run).
    #[serde(default)]
    pub differential: Option<Differential>,
    /// The mutant zoo's kill table (`redzone mutants --results FILE` adds it), when measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutants: Option<crate::mutants::KillTable>,
}

/// The machine a run was made on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Host name.
    pub hostname: String,
    /// CPU model name (`/proc/cpuinfo`).
    pub cpu: String,
    /// Logical CPUs available to the process.
    pub cores: usize,
    /// Total memory in bytes (0 when unknown).
    pub memory_bytes: u64,
    /// Operating system and kernel (`linux 6.1.0-...`).
    pub os: String,
    /// Target architecture (`x86_64`).
    pub arch: String,
}

/// The redzone build that made a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Build {
    /// Crate version.
    pub version: String,
    /// `git rev-parse HEAD` of the checkout, with `-dirty` when it had changes; `unknown`
    /// outside a git checkout.
    pub commit: String,
    /// `release` or `debug`.
    pub profile: String,
}

/// One configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineEntry {
    /// Configuration name (`wasmtime:guard`).
    pub name: String,
    /// Engine and version (`wasmtime 48.0.0, Cranelift`).
    pub engine: String,
    /// How out-of-bounds accesses are caught.
    pub bounds_checks: String,
}

/// How samples were taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    /// Untimed calls per workload and configuration before sampling.
    pub warmup: usize,
    /// Timed samples per workload and configuration.
    pub samples: usize,
    /// How runs were ordered (`rounds; in each round every (workload, configuration) pair
    /// once, in a shuffled order`).
    pub order: String,
    /// The shuffle seed.
    pub seed: u64,
    /// How the confidence intervals were computed.
    pub interval: String,
    /// Confidence level of every interval (0.95).
    pub confidence: f64,
}

/// A workload, as run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadEntry {
    /// Unique name (`sum_i32`).
    pub name: String,
    /// compute | stream | random | dense | crypto | offset | bulk | instantiate | simd | mem64.
    pub group: String,
    /// For a memory64 twin, the 32-bit workload it doubles (see
    /// [`super::manifest::Workload::twin`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twin: Option<String>,
    /// The memory behaviour it stresses.
    pub stresses: String,
    /// The size argument used.
    pub n: i64,
    /// The checksum every engine must return at `n`.
    pub checksum: i64,
}

/// A summary of samples: the median and a confidence interval around it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Median.
    pub median: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
}

/// One workload on one configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// Workload name.
    pub workload: String,
    /// Configuration name.
    pub engine: String,
    /// Every timed sample, in nanoseconds, in the order taken.
    pub samples_ns: Vec<f64>,
    /// Median and interval of the samples, in nanoseconds.
    pub time_ns: Estimate,
    /// Whether every call returned the workload's checksum.
    pub checksum_ok: bool,
    /// Why the workload could not run on this configuration (no samples then).
    #[serde(default)]
    pub error: Option<String>,
    /// Whether that reason is a feature the configuration lacks (the engine's `unsupported
    /// feature` refusal, such as wasmer 7.4.2 and memory64): a known limitation, recorded
    /// and shown, not a failure of the run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsupported: bool,
}

impl Measurement {
    /// Whether the configuration ran the workload and returned the right checksum.
    pub fn ran_correctly(&self) -> bool {
        self.error.is_none() && self.checksum_ok && !self.samples_ns.is_empty()
    }

    /// Whether the run failed here: an engine error that is not a lacking feature, or a
    /// wrong checksum.
    pub fn failed(&self) -> bool {
        if self.error.is_some() { !self.unsupported } else { !self.checksum_ok }
    }
}

/// One time over another, per workload and as geometric means: guard over checked for one
/// engine (below 1: guard pages are faster), or a memory64 twin over its original on one
/// configuration (above 1: the 64-bit index costs time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    /// Engine family (`redzone`, `wasmtime`, `wasmer`) of a guard/checked ratio; the
    /// configuration (`wasmtime:guard`) of an index cost.
    pub engine: String,
    /// Workload name, or `geomean:<group>` / `geomean` for geometric means.
    pub workload: String,
    /// The ratio and its interval.
    pub ratio: Estimate,
}

/// An ABI round trip of `bytes` on one configuration, against a host memcpy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbiPoint {
    /// Configuration name.
    pub engine: String,
    /// Input size in bytes.
    pub bytes: u64,
    /// Round-trip time (alloc, copy in, call, copy out, dealloc), nanoseconds.
    pub time_ns: Estimate,
    /// Host memcpy in and out of the same bytes, nanoseconds.
    pub memcpy_ns: Estimate,
}

/// Spec testsuite counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conformance {
    /// The testsuite directory used.
    pub suite: String,
    /// Its `git rev-parse HEAD`, or `unknown`.
    pub suite_commit: String,
    /// Per configuration name.
    pub engines: BTreeMap<String, PassCounts>,
}

/// Assertion counts of one configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PassCounts {
    /// Checks that passed.
    pub passed: u64,
    /// Checks that failed (recorded expected failures excluded).
    pub failed: u64,
    /// Recorded expected failures (suites/spec/expectations.toml) that still fail.
    pub expected_failures: u64,
}

/// Regression replays and the fixed-seed fuzz budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Differential {
    /// `suites/regressions/` cases replayed.
    pub regressions_replayed: u64,
    /// Names of the cases that diverge again.
    pub regressions_diverging: Vec<String>,
    /// The fuzz budget: generator, seed, executions, and the signatures of what it found.
    pub fuzz: Vec<FuzzBudget>,
    /// The mutant budgets (`crate::mutants::GATE`): each must kill its planted bug. Empty in
    /// builds without the mutant zoo, and in results written before it existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mutants: Vec<MutantBudget>,
}

/// One fixed-budget campaign against a planted bug of the mutant zoo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutantBudget {
    /// The mutant's name.
    pub mutant: String,
    /// The generator.
    pub generator: String,
    /// The seed.
    pub seed: u64,
    /// Cases in the budget.
    pub executions: u64,
    /// Whether the budget killed it (a finding that sets redzone configurations apart).
    pub killed: bool,
    /// The first such finding's label, when killed.
    pub first: Option<String>,
}

/// One fixed-seed fuzz budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FuzzBudget {
    /// Generator name.
    pub generator: String,
    /// Seed.
    pub seed: u64,
    /// Executions run.
    pub executions: u64,
    /// Signatures of the new divergences found (empty when none).
    pub findings: Vec<String>,
    /// Signatures of divergences met again whose cluster is a recorded peer bug
    /// (`suites/regressions/peers`): reported, never a failure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub known: Vec<String>,
}

impl Results {
    /// Parses a results document, refusing another schema version.
    pub fn from_json(text: &str) -> Result<Results, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        match value.get("schema").and_then(|s| s.as_str()) {
            Some(SCHEMA) => {}
            Some(other) => {
                return Err(format!("schema {other} is not {SCHEMA}: re-run `redzone bench` with this redzone"));
            }
            None => return Err(format!("no \"schema\" field: not a redzone results file ({SCHEMA})")),
        }
        serde_json::from_value(value).map_err(|e| format!("not a valid {SCHEMA} document: {e}"))
    }

    /// The measurement of `workload` on `engine`.
    pub fn measurement(&self, workload: &str, engine: &str) -> Option<&Measurement> {
        self.measurements.iter().find(|m| m.workload == workload && m.engine == engine)
    }

    /// Whether `workload` is a memory64 twin (kept out of the means over all workloads).
    pub fn is_twin(&self, workload: &str) -> bool {
        self.workloads.iter().any(|w| w.name == workload && w.twin.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_other_schemas_and_non_results() {
        assert!(Results::from_json("{").unwrap_err().contains("not JSON"));
        assert!(Results::from_json("{}").unwrap_err().contains("no \"schema\""));
        let err = Results::from_json(r#"{"schema":"redzone-results/0"}"#).unwrap_err();
        assert!(err.contains("redzone-results/0") && err.contains(SCHEMA), "{err}");
        let err = Results::from_json(&format!(r#"{{"schema":"{SCHEMA}"}}"#)).unwrap_err();
        assert!(err.contains("missing field"), "{err}");
    }
}
