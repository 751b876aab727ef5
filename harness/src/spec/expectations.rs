//! Known, explained failures of an engine configuration on in-scope spec files
//! (`suites/spec/expectations.toml`): a peer that lacks a proposal redzone implements, or a
//! documented limit. The manifest decides what is in scope for everyone; this file records,
//! per engine, the checks that cannot pass and why. Anything not recorded that fails is a
//! failure; a recorded check that passes is one too (the record is stale: delete it).
//!
//! An expected failure is taken out of the report's `failed` count and `failures` list, moved
//! to `expected_failures` with its reason in `expected`, and counted as skipped (it did not
//! pass). To record one: an `[[expect]]` entry with the engines, the file glob, the lines of
//! the directives (or none, for every failure in the file) and the reason.

use super::manifest::covers;
use super::runner::{Failure, ScriptReport};
use serde::Deserialize;

/// The expectations committed with the project, built into the binary.
pub const BUILTIN: &str = include_str!("../../../suites/spec/expectations.toml");

/// One recorded expectation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Engine configuration names it applies to.
    pub engines: Vec<String>,
    /// A manifest-style glob over suite-relative paths (a folder covers its files).
    pub path: String,
    /// 1-based lines of the directives expected to fail; empty: every failure in the file,
    /// and at least one.
    #[serde(default)]
    pub lines: Vec<usize>,
    /// Why the engine cannot pass them.
    pub reason: String,
}

/// The parsed expectations file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// Every entry; several may cover one file and engine.
    #[serde(rename = "expect", default)]
    pub entries: Vec<Expect>,
}

/// An expectations file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ExpectationsError {
    /// Not valid TOML, or not the expected shape.
    #[error("expectations file is not valid: {0}")]
    Parse(#[from] toml::de::Error),
    /// An entry without engines, a path or a reason, or naming an unknown engine.
    #[error("expectation {index} (`{path}`): {problem}")]
    Entry {
        /// 1-based entry number.
        index: usize,
        /// Its glob.
        path: String,
        /// What is wrong.
        problem: String,
    },
}

impl Expectations {
    /// Parses and checks an expectations file.
    pub fn parse(text: &str) -> Result<Expectations, ExpectationsError> {
        let parsed: Expectations = toml::from_str(text)?;
        for (i, e) in parsed.entries.iter().enumerate() {
            let unknown = e.engines.iter().find(|n| !crate::engines::CONFIGURATIONS.iter().any(|c| c.name == *n));
            let problem = if e.engines.is_empty() {
                Some("name at least one engine".to_string())
            } else if let Some(name) = unknown {
                Some(format!("unknown engine `{name}`"))
            } else if e.path.trim().is_empty() {
                Some("the path glob is empty".to_string())
            } else if e.reason.trim().is_empty() {
                Some("every expectation needs a reason".to_string())
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(ExpectationsError::Entry { index: i + 1, path: e.path.clone(), problem });
            }
        }
        Ok(parsed)
    }

    /// The expectations built into the binary.
    pub fn builtin() -> Expectations {
        Expectations::parse(BUILTIN).expect("suites/spec/expectations.toml is checked by a unit test")
    }

    /// Moves the failures `report` was expected to have out of its failed checks, and adds a
    /// failure for every expectation that did not happen.
    pub fn apply(&self, report: &mut ScriptReport) {
        if report.skip_reason.is_some() {
            return;
        }
        let entries: Vec<&Expect> = self
            .entries
            .iter()
            .filter(|e| e.engines.contains(&report.engine) && covers(&e.path, &report.file))
            .collect();
        if entries.is_empty() {
            return;
        }
        let mut stale = Vec::new();
        for entry in &entries {
            let matches = |f: &Failure| entry.lines.is_empty() || entry.lines.contains(&f.line);
            let (expected, kept): (Vec<Failure>, Vec<Failure>) =
                std::mem::take(&mut report.failures).into_iter().partition(matches);
            report.failures = kept;
            let missing: Vec<usize> =
                entry.lines.iter().copied().filter(|l| !expected.iter().any(|f| f.line == *l)).collect();
            if expected.is_empty() || !missing.is_empty() {
                stale.push(Failure {
                    file: report.file.clone(),
                    line: missing.first().copied().unwrap_or(1),
                    col: 1,
                    directive: "(expectation)".to_string(),
                    expected: format!("a recorded failure ({})", entry.reason),
                    seen: if missing.is_empty() {
                        "no failure: remove the entry from suites/spec/expectations.toml".to_string()
                    } else {
                        format!("lines {missing:?} passed: remove them from suites/spec/expectations.toml")
                    },
                });
            }
            let n = expected.len() as u64;
            report.failed -= n;
            report.skipped += n;
            if n > 0 && !report.expected.contains(&entry.reason) {
                report.expected.push(entry.reason.clone());
            }
            report.expected_failures.extend(expected);
        }
        report.failed += stale.len() as u64;
        report.failures.extend(stale);
        report.failures.sort_by_key(|f| (f.line, f.col));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(line: usize) -> Failure {
        Failure {
            file: "a.wast".into(),
            line,
            col: 1,
            directive: "assert_return".into(),
            expected: "x".into(),
            seen: "y".into(),
        }
    }

    fn report(engine: &str, failed_lines: &[usize]) -> ScriptReport {
        let mut r = ScriptReport::skipped("a.wast", engine, 0, "");
        r.skip_reason = None;
        r.passed = 10;
        r.failed = failed_lines.len() as u64;
        r.failures = failed_lines.iter().map(|l| failure(*l)).collect();
        r
    }

    const TEXT: &str = r#"
        [[expect]]
        engines = ["wasmi"]
        path = "a.wast"
        lines = [3, 5]
        reason = "wasmi lacks it"

        [[expect]]
        engines = ["wasmer:guard"]
        path = "*.wast"
        reason = "wasmer lacks it"
    "#;

    #[test]
    fn recorded_failures_move_out_and_everything_else_stays() {
        let e = Expectations::parse(TEXT).unwrap();
        let mut r = report("wasmi", &[3, 4, 5]);
        e.apply(&mut r);
        assert_eq!((r.failed, r.skipped), (1, 2));
        assert_eq!(r.failures.iter().map(|f| f.line).collect::<Vec<_>>(), [4]);
        assert_eq!(r.expected_failures.len(), 2);
        assert_eq!(r.expected, ["wasmi lacks it"]);
        let mut r = report("wasmer:guard", &[7, 8]);
        e.apply(&mut r);
        assert!(r.ok() && r.skipped == 2, "{r:?}");
        let mut r = report("redzone:checked", &[3]);
        e.apply(&mut r);
        assert_eq!(r.failed, 1, "other engines are untouched");
    }

    #[test]
    fn a_recorded_failure_that_passes_is_a_failure() {
        let e = Expectations::parse(TEXT).unwrap();
        let mut r = report("wasmi", &[3]);
        e.apply(&mut r);
        assert_eq!(r.failed, 1);
        assert!(r.failures[0].seen.contains("lines [5] passed"), "{:?}", r.failures);
        let mut r = report("wasmer:guard", &[]);
        e.apply(&mut r);
        assert_eq!(r.failed, 1);
        assert!(r.failures[0].seen.contains("no failure"), "{:?}", r.failures);
    }

    #[test]
    fn bad_entries_are_refused_and_the_builtin_file_parses() {
        let err = Expectations::parse("[[expect]]\nengines = [\"v8\"]\npath = \"a\"\nreason = \"r\"").unwrap_err();
        assert!(err.to_string().contains("unknown engine `v8`"), "{err}");
        assert!(Expectations::parse("[[expect]]\nengines = [\"wasmi\"]\npath = \"a\"\nreason = \"\"").is_err());
        Expectations::builtin();
    }
}
