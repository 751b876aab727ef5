//! The machine renderer: one JSON document on [`super::Event::Done`]. Its shape is the
//! interface reports and the CI gate read:
//!
//! ```json
//! { "title": "...", "engines": ["redzone:checked"], "ok": true,
//!   "totals": { "redzone:checked": { "passed": 1, "failed": 0, "skipped": 0 } },
//!   "files": [ { "file": "address.wast", "results": [ { "engine": "...", "passed": 1,
//!     "failed": 0, "skipped": 0, "skip_reason": null, "failures": [], "duration": 0.1 } ] } ],
//!   "notes": [], "elapsed": 1.5 }
//! ```

use super::{Counts, Event, Reporter, Results};
use crate::spec::ScriptReport;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// Renders events as one JSON document to `out`.
pub struct JsonReporter<W: Write> {
    out: W,
    results: Results,
}

#[derive(Serialize)]
struct Document<'a> {
    title: &'a str,
    engines: &'a [String],
    ok: bool,
    totals: BTreeMap<&'a str, Counts>,
    files: Vec<FileEntry<'a>>,
    notes: &'a [String],
    elapsed: f64,
}

#[derive(Serialize)]
struct FileEntry<'a> {
    file: &'a str,
    results: Vec<&'a ScriptReport>,
}

impl<W: Write> JsonReporter<W> {
    /// A renderer writing to `out`.
    pub fn new(out: W) -> Self {
        JsonReporter { out, results: Results::default() }
    }

    /// The JSON value of a set of results.
    pub fn document(results: &Results) -> serde_json::Value {
        let totals = results.totals();
        let doc = Document {
            title: &results.title,
            engines: &results.engines,
            ok: results.ok(),
            totals: results.engines.iter().map(String::as_str).zip(totals).collect(),
            files: results
                .files
                .iter()
                .zip(&results.cells)
                .map(|(file, row)| FileEntry { file, results: row.iter().flatten().collect() })
                .collect(),
            notes: &results.notes,
            elapsed: results.elapsed.as_secs_f64(),
        };
        serde_json::to_value(&doc).expect("results serialise")
    }
}

impl<W: Write> Reporter for JsonReporter<W> {
    fn handle(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        self.results.apply(event);
        if let Event::Done { .. } = event {
            serde_json::to_writer_pretty(&mut self.out, &Self::document(&self.results))?;
            writeln!(self.out)?;
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
    fn document_shape() {
        let doc = JsonReporter::<Vec<u8>>::document(&sample());
        assert_eq!(doc["ok"], false);
        assert_eq!(doc["totals"]["redzone:checked"]["passed"], 13);
        assert_eq!(doc["files"][1]["results"][0]["skip_reason"], "SIMD is not implemented");
        let failure = &doc["files"][2]["results"][0]["failures"][0];
        assert_eq!(failure["line"], 4);
        assert_eq!(failure["seen"], "[i32:2]");
        assert_eq!(doc["elapsed"], 1.5);
    }

    #[test]
    fn writes_on_done_only() {
        let mut rep = JsonReporter::new(Vec::new());
        rep.handle(&Event::Note("hello")).unwrap();
        assert!(rep.out.is_empty());
        rep.handle(&Event::Done { elapsed: std::time::Duration::ZERO }).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&rep.out).unwrap();
        assert_eq!(v["notes"][0], "hello");
        assert_eq!(v["ok"], true, "nothing ran, nothing failed");
    }
}
