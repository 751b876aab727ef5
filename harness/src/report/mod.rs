//! Reporting: results flow as [`Event`]s to renderers, as in nextest's `reporter/`.
//!
//! - [`human::HumanReporter`]: a progress bar on stderr (only on a terminal), then one row
//!   per file with a column per engine, a total, and the failures with their locations;
//! - [`json::JsonReporter`]: one JSON document (the machine interface: reports and the CI
//!   gate read only this);
//! - [`junit::JunitReporter`]: JUnit XML for CI systems (`--junit FILE`);
//! - [`publish`]: the published performance report (`redzone report`): a bench results
//!   document in, HTML, Markdown and SVG charts out.
//!
//! Every renderer collects events into [`Results`] and renders from it, so they agree on
//! counts. To add a renderer: implement [`Reporter`] and add it to the CLI's list.

pub mod human;
pub mod json;
pub mod junit;
pub mod publish;

use crate::spec::ScriptReport;
use serde::Serialize;
use std::time::Duration;

/// Something that happened during a run.
#[derive(Debug)]
pub enum Event<'a> {
    /// The run starts: these files (report names) on these engines.
    Started {
        /// What is being run (`spec testsuite at DIR`, ...).
        title: &'a str,
        /// File names, in display order.
        files: &'a [String],
        /// Engine names, in column order.
        engines: &'a [String],
    },
    /// A script finished on one engine.
    Finished {
        /// Index into the `files` of [`Event::Started`].
        file: usize,
        /// Its report.
        report: &'a ScriptReport,
    },
    /// Something to tell the user that is not a result (a skipped suite, say).
    Note(&'a str),
    /// The run is over.
    Done {
        /// Wall time of the whole run.
        elapsed: Duration,
    },
}

/// A renderer of events.
pub trait Reporter {
    /// Handles one event; renderers that print a summary do so on [`Event::Done`].
    fn handle(&mut self, event: &Event<'_>) -> std::io::Result<()>;
}

/// Passed, failed and skipped checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Checks that passed.
    pub passed: u64,
    /// Checks that failed.
    pub failed: u64,
    /// Checks not run.
    pub skipped: u64,
}

impl Counts {
    fn add(&mut self, r: &ScriptReport) {
        self.passed += r.passed;
        self.failed += r.failed;
        self.skipped += r.skipped;
    }
}

/// Everything a run produced, in a grid of files by engines.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// What was run.
    pub title: String,
    /// File names, in display order.
    pub files: Vec<String>,
    /// Engine names, in column order.
    pub engines: Vec<String>,
    /// `cells[file][engine]`, `None` until that script finished.
    pub cells: Vec<Vec<Option<ScriptReport>>>,
    /// Notes, in order.
    pub notes: Vec<String>,
    /// Wall time, once done.
    pub elapsed: Duration,
}

impl Results {
    /// Folds one event in.
    pub fn apply(&mut self, event: &Event<'_>) {
        match event {
            Event::Started { title, files, engines } => {
                self.title = title.to_string();
                self.files = files.to_vec();
                self.engines = engines.to_vec();
                self.cells = vec![vec![None; engines.len()]; files.len()];
            }
            Event::Finished { file, report } => {
                if let Some(col) = self.engines.iter().position(|e| *e == report.engine)
                    && let Some(row) = self.cells.get_mut(*file)
                {
                    row[col] = Some((*report).clone());
                }
            }
            Event::Note(note) => self.notes.push(note.to_string()),
            Event::Done { elapsed } => self.elapsed = *elapsed,
        }
    }

    /// Totals per engine, in column order.
    pub fn totals(&self) -> Vec<Counts> {
        let mut totals = vec![Counts::default(); self.engines.len()];
        for row in &self.cells {
            for (col, cell) in row.iter().enumerate() {
                if let Some(r) = cell {
                    totals[col].add(r);
                }
            }
        }
        totals
    }

    /// Whether every script ran and nothing failed.
    pub fn ok(&self) -> bool {
        self.cells.iter().flatten().all(|c| c.as_ref().is_some_and(|r| r.ok()))
    }

    /// Every report, row by row.
    pub fn reports(&self) -> impl Iterator<Item = &ScriptReport> {
        self.cells.iter().flatten().flatten()
    }
}

/// Writes `bytes` to `path` through a temporary file beside it (`.<name>.<pid>.tmp`, synced)
/// and a rename, so a reader sees the old file or the new one, never half of one. The
/// temporary file is removed when anything fails. Every report, results and baseline file goes
/// through here; callers add their own context to the error.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::spec::Failure;

    /// A small, fixed set of events for renderer tests.
    pub(crate) fn sample() -> Results {
        let files = vec!["a.wast".to_string(), "simd_b.wast".to_string(), "c.wast".to_string()];
        let engines = vec!["redzone:checked".to_string()];
        let mut results = Results::default();
        results.apply(&Event::Started { title: "spec testsuite at /suite", files: &files, engines: &engines });
        let mut a = ScriptReport::skipped("a.wast", "redzone:checked", 0, "");
        a.skip_reason = None;
        a.passed = 10;
        let b = ScriptReport::skipped("simd_b.wast", "redzone:checked", 7, "SIMD is not implemented");
        let mut c = ScriptReport::skipped("c.wast", "redzone:checked", 0, "");
        c.skip_reason = None;
        c.passed = 3;
        c.failed = 1;
        c.failures.push(Failure {
            file: "c.wast".into(),
            line: 4,
            col: 2,
            directive: "assert_return".into(),
            expected: "[i32:1]".into(),
            seen: "[i32:2]".into(),
        });
        for (i, r) in [a, b, c].iter().enumerate() {
            results.apply(&Event::Finished { file: i, report: r });
        }
        results.apply(&Event::Done { elapsed: Duration::from_millis(1500) });
        results
    }

    #[test]
    fn totals_and_verdict() {
        let r = sample();
        assert_eq!(r.totals(), vec![Counts { passed: 13, failed: 1, skipped: 7 }]);
        assert!(!r.ok());
        assert_eq!(r.reports().count(), 3);
    }
}
