//! Renderings of a [`GateReport`]: text for people (failures repeated at the end, so a long
//! list of passing ratios does not hide them) and JUnit XML for CI systems (one testcase per
//! check, classname `gate.<family>`).

use super::{CheckStatus, GateReport};
use crate::report::junit::escape;
use std::fmt::Write as _;

impl GateReport {
    /// The text rendering: a header naming both documents, the notes, one line per check in
    /// order, then the failures again and a summary line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let describe =
            |p: &super::Provenance| format!("{} run of {} at {} on {}", p.mode, p.created, p.commit, p.machine);
        let _ = writeln!(out, "baseline: {}", describe(&self.baseline));
        let _ = writeln!(out, "current:  {}", describe(&self.current));
        for note in &self.notes {
            let _ = writeln!(out, "note: {note}");
        }
        let width = self.checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for c in &self.checks {
            let _ = writeln!(out, "{} {:<width$}  {}", label(c.status), c.name, c.message);
        }
        let (passed, failed, skipped) = self.counts();
        if failed > 0 {
            let _ = writeln!(out, "\nfailed checks:");
            for c in self.failures() {
                let _ = writeln!(out, "  {}: {}", c.name, c.message);
            }
        }
        let _ = writeln!(
            out,
            "\ngate {}: {} checks, {passed} passed, {failed} failed, {skipped} skipped",
            if self.passed { "passed" } else { "FAILED" },
            self.checks.len()
        );
        out
    }

    /// JUnit XML: one `<testsuite name="redzone gate">`, one `<testcase>` per check with a
    /// `<failure>` or `<skipped>` carrying its message.
    pub fn junit(&self) -> String {
        let (_, failed, skipped) = self.counts();
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let tests = self.checks.len();
        let _ = writeln!(x, "<testsuites name=\"redzone gate\" tests=\"{tests}\" failures=\"{failed}\">");
        let _ = writeln!(
            x,
            "  <testsuite name=\"redzone gate\" tests=\"{tests}\" failures=\"{failed}\" skipped=\"{skipped}\">"
        );
        for c in &self.checks {
            let _ = write!(x, "    <testcase classname=\"gate.{}\" name=\"{}\"", c.family.key(), escape(&c.name));
            match c.status {
                CheckStatus::Pass => {
                    let _ = writeln!(x, ">\n      <system-out>{}</system-out>\n    </testcase>", escape(&c.message));
                }
                CheckStatus::Fail => {
                    let _ = writeln!(
                        x,
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                        escape(&c.message),
                        escape(&c.message)
                    );
                }
                CheckStatus::Skip => {
                    let _ = writeln!(x, ">\n      <skipped message=\"{}\"/>\n    </testcase>", escape(&c.message));
                }
            }
        }
        x.push_str("  </testsuite>\n</testsuites>\n");
        x
    }
}

fn label(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "pass",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Skip => "skip",
    }
}
