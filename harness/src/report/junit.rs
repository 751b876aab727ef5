//! JUnit XML for CI systems: one `<testsuite>` per engine, one `<testcase>` per file, a
//! `<failure>` listing every failed check, `<skipped>` with the reason for out-of-scope files.

use super::{Event, Reporter, Results};
use std::fmt::Write as _;
use std::io::Write;

/// Renders events as JUnit XML to `out` on [`Event::Done`].
pub struct JunitReporter<W: Write> {
    out: W,
    results: Results,
}

impl<W: Write> JunitReporter<W> {
    /// A renderer writing to `out`.
    pub fn new(out: W) -> Self {
        JunitReporter { out, results: Results::default() }
    }

    /// The XML of a set of results.
    pub fn xml(results: &Results) -> String {
        let totals = results.totals();
        let tests = results.files.len() * results.engines.len();
        let failures = results.reports().filter(|r| !r.ok()).count();
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            x,
            "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" time=\"{:.3}\">",
            escape(&results.title),
            results.elapsed.as_secs_f64()
        );
        for (col, engine) in results.engines.iter().enumerate() {
            let reports: Vec<_> = results.cells.iter().filter_map(|row| row[col].as_ref()).collect();
            let suite_failures = reports.iter().filter(|r| !r.ok()).count();
            let skipped = reports.iter().filter(|r| r.skip_reason.is_some()).count();
            let _ = writeln!(
                x,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{suite_failures}\" skipped=\"{skipped}\" \
                 assertions=\"{}\">",
                escape(engine),
                results.files.len(),
                totals[col].passed + totals[col].failed
            );
            for (file, row) in results.files.iter().zip(&results.cells) {
                let Some(r) = &row[col] else {
                    let _ = writeln!(
                        x,
                        "    <testcase classname=\"{}\" name=\"{}\"><failure message=\"not run\"/></testcase>",
                        escape(engine),
                        escape(file)
                    );
                    continue;
                };
                let _ = write!(
                    x,
                    "    <testcase classname=\"{}\" name=\"{}\" assertions=\"{}\" time=\"{:.3}\"",
                    escape(engine),
                    escape(file),
                    r.passed + r.failed,
                    r.duration.as_secs_f64()
                );
                if let Some(reason) = &r.skip_reason {
                    let _ = writeln!(x, ">\n      <skipped message=\"{}\"/>\n    </testcase>", escape(reason));
                } else if !r.ok() {
                    let body: Vec<String> = r.failures.iter().map(|f| f.to_string()).collect();
                    let _ = writeln!(
                        x,
                        ">\n      <failure message=\"{} of {} checks failed\">{}</failure>\n    </testcase>",
                        r.failed,
                        r.passed + r.failed,
                        escape(&body.join("\n"))
                    );
                } else {
                    x.push_str("/>\n");
                }
            }
            x.push_str("  </testsuite>\n");
        }
        x.push_str("</testsuites>\n");
        x
    }
}

/// XML-escapes text and attribute values; drops characters XML 1.0 cannot carry. The gate's
/// JUnit writer uses it too.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

impl<W: Write> Reporter for JunitReporter<W> {
    fn handle(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        self.results.apply(event);
        if let Event::Done { .. } = event {
            self.out.write_all(Self::xml(&self.results).as_bytes())?;
            self.out.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::sample;

    #[test]
    fn xml_has_a_case_per_file_and_escapes() {
        let xml = JunitReporter::<Vec<u8>>::xml(&sample());
        assert!(xml.contains("<testsuites name=\"spec testsuite at /suite\" tests=\"3\" failures=\"1\""), "{xml}");
        assert!(xml.contains("<testsuite name=\"redzone:checked\" tests=\"3\" failures=\"1\" skipped=\"1\""), "{xml}");
        assert!(xml.contains("<skipped message=\"SIMD is not implemented\"/>"), "{xml}");
        assert!(xml.contains("<failure message=\"1 of 4 checks failed\">c.wast:4:2: assert_return"), "{xml}");
        assert_eq!(xml.matches("<testcase ").count(), 3);
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\\u{1}");
    }
}
