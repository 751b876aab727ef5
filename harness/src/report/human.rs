//! The human renderer: a progress bar on stderr while scripts run (hidden when stderr is not
//! a terminal), then a table with one row per file and a column per engine
//! (`passed/failed/skipped`), a total row, and the failures with their `file:line:col`.

use super::{Event, Reporter, Results};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};

/// Failures shown per file and engine; the JSON output has all of them.
pub const MAX_FAILURES_SHOWN: usize = 20;

/// Renders events as text to `out`.
pub struct HumanReporter<W: Write> {
    out: W,
    results: Results,
    progress: Option<ProgressBar>,
    show_progress: bool,
    show_timing: bool,
}

impl<W: Write> HumanReporter<W> {
    /// A renderer writing to `out`, with a progress bar when stderr is a terminal.
    pub fn new(out: W) -> Self {
        HumanReporter {
            out,
            results: Results::default(),
            progress: None,
            show_progress: std::io::stderr().is_terminal(),
            show_timing: true,
        }
    }

    /// Turns off timings in the output (for snapshot tests and reproducible logs).
    pub fn without_timing(mut self) -> Self {
        self.show_timing = false;
        self
    }

    /// The collected results.
    pub fn results(&self) -> &Results {
        &self.results
    }

    fn render(&mut self) -> std::io::Result<()> {
        let r = &self.results;
        let out = &mut self.out;
        for note in &r.notes {
            writeln!(out, "{note}")?;
        }
        if r.files.is_empty() {
            return Ok(());
        }
        writeln!(out, "{}", r.title)?;
        const HEADER: &str = "file (passed/failed/skipped)";
        let name_width = r.files.iter().map(|f| f.len()).max().unwrap_or(0).max(HEADER.len());
        let cell = |c: Option<&crate::spec::ScriptReport>| match c {
            Some(rep) => format!("{}/{}/{}", rep.passed, rep.failed, rep.skipped),
            None => "not run".to_string(),
        };
        let totals = r.totals();
        let col_width: Vec<usize> = r
            .engines
            .iter()
            .enumerate()
            .map(|(col, name)| {
                let widest = r.cells.iter().map(|row| cell(row[col].as_ref()).len()).max().unwrap_or(0);
                let total = &totals[col];
                let total_len = format!("{}/{}/{}", total.passed, total.failed, total.skipped).len();
                name.len().max(widest).max(total_len)
            })
            .collect();
        write!(out, "{HEADER:<name_width$}")?;
        for (name, w) in r.engines.iter().zip(&col_width) {
            write!(out, "  {name:>w$}")?;
        }
        writeln!(out)?;
        for (file, row) in r.files.iter().zip(&r.cells) {
            write!(out, "{file:<name_width$}")?;
            for (c, w) in row.iter().zip(&col_width) {
                write!(out, "  {:>w$}", cell(c.as_ref()))?;
            }
            let status = if row.iter().all(|c| c.as_ref().is_some_and(|r| r.skip_reason.is_some())) {
                let reason = row.iter().flatten().find_map(|r| r.skip_reason.clone()).unwrap_or_default();
                format!("  skipped: {reason}")
            } else if row.iter().any(|c| c.as_ref().is_none_or(|r| !r.ok())) {
                "  FAILED".to_string()
            } else {
                String::new()
            };
            writeln!(out, "{status}")?;
        }
        write!(out, "{:<name_width$}", "total")?;
        for (t, w) in totals.iter().zip(&col_width) {
            write!(out, "  {:>w$}", format!("{}/{}/{}", t.passed, t.failed, t.skipped))?;
        }
        writeln!(out)?;

        for (i, rep) in r.reports().filter(|rep| !rep.ok()).enumerate() {
            if i == 0 {
                writeln!(out, "\nfailures:")?;
            }
            for f in rep.failures.iter().take(MAX_FAILURES_SHOWN) {
                writeln!(out, "  [{}] {f}", rep.engine)?;
            }
            if rep.failures.len() > MAX_FAILURES_SHOWN {
                writeln!(
                    out,
                    "  [{}] {}: ... and {} more (--format json lists every failure)",
                    rep.engine,
                    rep.file,
                    rep.failures.len() - MAX_FAILURES_SHOWN
                )?;
            }
        }
        // Recorded expectations (a proposal a peer lacks, a documented limit) count as skipped;
        // say which and why, one line per file and reason with the engines it covers.
        let mut recorded: Vec<(&str, &str, Vec<&str>, usize)> = Vec::new();
        for rep in r.reports() {
            for reason in &rep.expected {
                let n = rep.expected_failures.len();
                match recorded.iter_mut().find(|(f, why, _, _)| *f == rep.file && *why == reason.as_str()) {
                    Some((_, _, engines, count)) => {
                        engines.push(&rep.engine);
                        *count = (*count).max(n);
                    }
                    None => recorded.push((&rep.file, reason, vec![&rep.engine], n)),
                }
            }
        }
        if !recorded.is_empty() {
            writeln!(out, "\nrecorded expected failures (counted as skipped):")?;
            for (file, reason, engines, n) in &recorded {
                writeln!(out, "  {file} [{}]: {n} check(s): {reason}", engines.join(", "))?;
            }
        }
        let failed: u64 = totals.iter().map(|t| t.failed).sum();
        let passed: u64 = totals.iter().map(|t| t.passed).sum();
        let skipped: u64 = totals.iter().map(|t| t.skipped).sum();
        let verdict = if r.ok() { "ok" } else { "FAILED" };
        write!(out, "\n{verdict}: {passed} passed, {failed} failed, {skipped} skipped")?;
        if self.show_timing {
            write!(out, " in {:.2}s", r.elapsed.as_secs_f64())?;
        }
        writeln!(out)?;
        out.flush()
    }
}

impl<W: Write> Reporter for HumanReporter<W> {
    fn handle(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        self.results.apply(event);
        match event {
            Event::Started { files, engines, .. } if self.show_progress => {
                let bar = ProgressBar::with_draw_target(
                    Some((files.len() * engines.len()) as u64),
                    ProgressDrawTarget::stderr(),
                );
                bar.set_style(
                    ProgressStyle::with_template("{bar:40} {pos}/{len} scripts  {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                self.progress = Some(bar);
            }
            Event::Finished { report, .. } => {
                if let Some(bar) = &self.progress {
                    bar.inc(1);
                    bar.set_message(format!("{} on {}", report.file, report.engine));
                }
            }
            Event::Done { .. } => {
                if let Some(bar) = self.progress.take() {
                    bar.finish_and_clear();
                }
                self.render()?;
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::sample;

    #[test]
    fn table_rows_totals_and_failures() {
        let mut rep = HumanReporter::new(Vec::new()).without_timing();
        rep.show_progress = false;
        rep.results = sample();
        rep.render().unwrap();
        let text = String::from_utf8(rep.out).unwrap();
        let expected = "\
spec testsuite at /suite
file (passed/failed/skipped)  redzone:checked
a.wast                                 10/0/0
simd_b.wast                             0/0/7  skipped: SIMD is not implemented
c.wast                                  3/1/0  FAILED
total                                  13/1/7

failures:
  [redzone:checked] c.wast:4:2: assert_return: expected [i32:1], seen [i32:2]

FAILED: 13 passed, 1 failed, 7 skipped
";
        assert_eq!(text, expected);
    }

    #[test]
    fn recorded_expectations_are_listed_with_their_engines_and_reason() {
        use crate::report::{Event, Results};
        use crate::spec::{Failure, ScriptReport};
        let files = vec!["mem64_grow.wast".to_string()];
        let engines = vec!["wasmer:guard".to_string(), "wasmer:checked".to_string()];
        let mut results = Results::default();
        results.apply(&Event::Started { title: "scripts", files: &files, engines: &engines });
        for engine in &engines {
            let mut r = ScriptReport::skipped("mem64_grow.wast", engine, 2, "");
            r.skip_reason = None;
            r.expected.push("unsupported feature: memory64".into());
            let failure = |line| Failure {
                file: "mem64_grow.wast".into(),
                line,
                col: 2,
                directive: "assert_return".into(),
                expected: "[i64:1]".into(),
                seen: "no instance".into(),
            };
            r.expected_failures = vec![failure(3), failure(4)];
            results.apply(&Event::Finished { file: 0, report: &r });
        }
        let mut rep = HumanReporter::new(Vec::new()).without_timing();
        rep.show_progress = false;
        rep.results = results;
        rep.render().unwrap();
        let text = String::from_utf8(rep.out).unwrap();
        assert!(
            text.contains(
                "recorded expected failures (counted as skipped):\n  mem64_grow.wast [wasmer:guard, wasmer:checked]: \
                 2 check(s): unsupported feature: memory64\n"
            ),
            "{text}"
        );
        assert!(text.contains("ok: 0 passed, 0 failed, 4 skipped"), "{text}");
    }
}
