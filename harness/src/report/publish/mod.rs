//! Published performance reports (`redzone report`): a results document
//! ([`crate::bench::results::Results`], the JSON `redzone bench` writes) in, a directory out
//! with `index.html` (one static page, charts inline, no JavaScript), `README.md` (the same
//! content in Markdown), the SVG charts and a copy of the input `results.json`.
//!
//! How data flows: [`load`] reads and checks the JSON; [`data`] picks out what each chart and
//! table shows; [`charts`] draws the SVGs with plotters; [`content`] builds one document
//! model that [`html`] and [`markdown`] render, so both say the same; [`render`] returns the
//! files in memory and [`publish`] writes them to `<out>/<date>/` and `<out>/latest/`.
//! Reports read only the JSON, never a live run.
//!
//! To add a chart: its data in `data.rs`, its drawing in `charts.rs` (listed in
//! [`charts::all`]), its table in `content.rs`.
//!
//! ```
//! use redzone_harness::report::publish;
//! let path = redzone_harness::spec::suite::workspace_root().join("harness/tests/report/results.json");
//! let (text, results) = publish::load(&path)?;
//! let report = publish::render(&results, &text, "2026-11-21")?;
//! assert!(report.file("index.html").unwrap().starts_with(b"<!DOCTYPE html>"));
//! # Ok::<(), publish::PublishError>(())
//! ```

pub mod charts;
pub mod content;
pub mod data;
pub mod format;
pub mod html;
pub mod markdown;

use crate::bench::results::Results;
use std::path::{Path, PathBuf};

/// What went wrong reading a results document or writing a report.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The input could not be read.
    #[error(
        "cannot read results {}: {error}; pass --input FILE with a results JSON written by `redzone bench --out FILE`",
        path.display()
    )]
    Read {
        /// The input path.
        path: PathBuf,
        /// Why (in the message, not a separate source, so it is printed once).
        error: std::io::Error,
    },
    /// The input is not a results document of this schema.
    #[error("{}: {message}", path.display())]
    Parse {
        /// The input path.
        path: PathBuf,
        /// What is wrong, from [`Results::from_json`].
        message: String,
    },
    /// A `--date` that is not `YYYY-MM-DD`.
    #[error("bad date `{0}`: expected YYYY-MM-DD (it names the report directory)")]
    Date(String),
    /// No `--date` and a `created` time with no date in it.
    #[error("the results' `created` time `{0}` does not start with a YYYY-MM-DD date; pass --date YYYY-MM-DD")]
    NoDate(String),
    /// plotters failed to draw a chart.
    #[error("drawing the {chart} chart: {message}")]
    Chart {
        /// The chart.
        chart: String,
        /// plotters' message.
        message: String,
    },
    /// A report file or directory could not be written.
    #[error("cannot write {}: {error}; check that --out names a writable directory", path.display())]
    Write {
        /// The path being written.
        path: PathBuf,
        /// Why (in the message, not a separate source, so it is printed once).
        error: std::io::Error,
    },
}

/// Where and under which date [`publish`] writes. Plain settings with defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The reports directory: the report goes to `<out>/<date>/` and `<out>/latest/`.
    /// Defaults to `reports`.
    pub out: PathBuf,
    /// The date directory's name, `YYYY-MM-DD`. Defaults to `None`: the date of the
    /// results' `created` time.
    pub date: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { out: PathBuf::from("reports"), date: None }
    }
}

/// A rendered report, in memory: file names (no directories) and their bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The page title.
    pub title: String,
    /// `index.html`, `README.md`, the charts' `*.svg` and `results.json`, in that order.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Report {
    /// The bytes of one file, by name.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_slice())
    }
}

/// Where [`publish`] wrote a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// `<out>/<date>/`.
    pub dated: PathBuf,
    /// `<out>/latest/`.
    pub latest: PathBuf,
    /// The file names written into each.
    pub files: Vec<String>,
}

/// Reads and parses a results document, returning its text (copied into the report as is)
/// and the parsed form.
pub fn load(path: &Path) -> Result<(String, Results), PublishError> {
    let text = std::fs::read_to_string(path).map_err(|error| PublishError::Read { path: path.to_path_buf(), error })?;
    let results =
        Results::from_json(&text).map_err(|message| PublishError::Parse { path: path.to_path_buf(), message })?;
    Ok((text, results))
}

/// The report's date: `date` when given (checked), else the date of `results.created`.
pub fn report_date(results: &Results, date: Option<&str>) -> Result<String, PublishError> {
    match date {
        Some(d) if data::valid_date(d) => Ok(d.to_string()),
        Some(d) => Err(PublishError::Date(d.to_string())),
        None => data::date_of(&results.created)
            .map(str::to_string)
            .ok_or_else(|| PublishError::NoDate(results.created.clone())),
    }
}

/// Renders the report of `results` (whose JSON text is `input`) for `date`, in memory.
pub fn render(results: &Results, input: &str, date: &str) -> Result<Report, PublishError> {
    let charts = charts::all(results).map_err(|(chart, message)| PublishError::Chart { chart, message })?;
    let svgs: Vec<(String, Vec<u8>)> =
        charts.iter().map(|c| (c.file.to_string(), c.svg.clone().into_bytes())).collect();
    let doc = content::build(results, date, charts);
    let mut files = vec![
        ("index.html".to_string(), html::render(&doc, &results.mode).into_bytes()),
        ("README.md".to_string(), markdown::render(&doc, &results.mode).into_bytes()),
    ];
    files.extend(svgs);
    files.push(("results.json".to_string(), input.as_bytes().to_vec()));
    Ok(Report { title: doc.title, files })
}

/// Reads `input`, renders it and writes `<out>/<date>/` (each file atomically) and
/// `<out>/latest/` (replaced as a whole).
pub fn publish(input: &Path, settings: &Settings) -> Result<Published, PublishError> {
    let (text, results) = load(input)?;
    let date = report_date(&results, settings.date.as_deref())?;
    let report = render(&results, &text, &date)?;
    let dated = settings.out.join(&date);
    let latest = settings.out.join("latest");
    write_files(&dated, &report)?;
    replace_dir(&latest, &report)?;
    Ok(Published { dated, latest, files: report.files.iter().map(|(n, _)| n.clone()).collect() })
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> PublishError + '_ {
    move |error| PublishError::Write { path: path.to_path_buf(), error }
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
/// a reader sees the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PublishError> {
    super::write_atomic(path, bytes).map_err(write_error(path))
}

/// Writes every file of `report` into `dir` (created when missing), each atomically.
pub fn write_files(dir: &Path, report: &Report) -> Result<(), PublishError> {
    std::fs::create_dir_all(dir).map_err(write_error(dir))?;
    for (name, bytes) in &report.files {
        write_atomic(&dir.join(name), bytes)?;
    }
    Ok(())
}

/// Replaces `dir` as a whole: the report goes into a fresh sibling directory, the old one is
/// renamed aside, the new one renamed into place, and the old one removed. A reader sees a
/// complete old or new report (or, for the instant between the two renames, none); a failure
/// before the swap leaves the old one untouched.
pub fn replace_dir(dir: &Path, report: &Report) -> Result<(), PublishError> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "latest".into());
    std::fs::create_dir_all(parent).map_err(write_error(parent))?;
    let fresh = parent.join(format!(".{name}.new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    for stale in [&fresh, &old] {
        if stale.exists() {
            std::fs::remove_dir_all(stale).map_err(write_error(stale))?;
        }
    }
    if let Err(e) = write_files(&fresh, report) {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(e);
    }
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(dir, &old).map_err(write_error(dir))?;
    }
    if let Err(error) = std::fs::rename(&fresh, dir) {
        if had_old {
            let _ = std::fs::rename(&old, dir);
        }
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(PublishError::Write { path: dir.to_path_buf(), error });
    }
    if had_old {
        // `latest` may have been a plain file (or a symlink); remove whatever was set aside.
        let removed =
            if old.is_dir() && !old.is_symlink() { std::fs::remove_dir_all(&old) } else { std::fs::remove_file(&old) };
        removed.map_err(write_error(&old))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redzone-publish-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn dates_come_from_the_flag_or_the_results() {
        let r = data::tests::sample();
        assert_eq!(report_date(&r, None).unwrap(), "2026-11-21");
        assert_eq!(report_date(&r, Some("2027-01-02")).unwrap(), "2027-01-02");
        assert!(matches!(report_date(&r, Some("../x")), Err(PublishError::Date(_))));
        let mut bad = r.clone();
        bad.created = "soon".into();
        let e = report_date(&bad, None).unwrap_err();
        assert!(e.to_string().contains("--date"), "{e}");
    }

    #[test]
    fn sparse_and_degenerate_documents_render() {
        let mut empty = data::tests::sample();
        empty.engines.clear();
        empty.workloads.clear();
        empty.measurements.clear();
        empty.ratios.clear();
        empty.abi.clear();
        let report = render(&empty, "{}", "2026-11-21").unwrap();
        let names: Vec<&str> = report.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["index.html", "README.md", "results.json"], "no data, no charts");

        // Zero and huge values (a failed timer, a runaway sample) must not break the axes.
        let mut odd = data::tests::sample();
        odd.measurements[0].time_ns = crate::bench::results::Estimate { median: 0.0, low: 0.0, high: 0.0 };
        odd.ratios[0].ratio = crate::bench::results::Estimate { median: 1e-9, low: 0.0, high: 1e12 };
        odd.abi[0].memcpy_ns.low = 0.0;
        let report = render(&odd, "{}", "2026-11-21").unwrap();
        assert!(report.file("check-cost.svg").is_some() && report.file("engines.svg").is_some());
    }

    #[test]
    fn bad_inputs_are_named_errors() {
        let dir = temp_dir("bad");
        let missing = dir.join("missing.json");
        let e = load(&missing).unwrap_err().to_string();
        assert!(e.contains("missing.json") && e.contains("--input"), "{e}");
        let not_json = dir.join("x.json");
        std::fs::write(&not_json, "not json").unwrap();
        assert!(load(&not_json).unwrap_err().to_string().contains("not JSON"));
        std::fs::write(&not_json, r#"{"schema":"redzone-results/1","created":"x"}"#).unwrap();
        assert!(load(&not_json).unwrap_err().to_string().contains("missing field"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn latest_is_replaced_as_a_whole_and_dated_files_are_written() {
        let dir = temp_dir("write");
        let report = |names: &[&str]| Report {
            title: "t".into(),
            files: names.iter().map(|n| (n.to_string(), n.as_bytes().to_vec())).collect(),
        };
        let latest = dir.join("latest");
        replace_dir(&latest, &report(&["a.svg", "index.html"])).unwrap();
        replace_dir(&latest, &report(&["index.html"])).unwrap();
        assert!(!latest.join("a.svg").exists(), "a stale chart must not survive");
        assert_eq!(std::fs::read(latest.join("index.html")).unwrap(), b"index.html");
        let leftovers: Vec<_> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        assert_eq!(leftovers, vec!["latest"]);
        let file_latest = dir.join("file-latest");
        std::fs::write(&file_latest, "not a directory").unwrap();
        replace_dir(&file_latest, &report(&["index.html"])).unwrap();
        assert!(file_latest.join("index.html").is_file());
        std::fs::remove_dir_all(&file_latest).unwrap();
        write_files(&dir.join("2026-11-21"), &report(&["README.md"])).unwrap();
        assert_eq!(std::fs::read(dir.join("2026-11-21/README.md")).unwrap(), b"README.md");
        let blocked = dir.join("file");
        std::fs::write(&blocked, "").unwrap();
        let e = write_files(&blocked.join("sub"), &report(&["x"])).unwrap_err();
        assert!(matches!(e, PublishError::Write { .. }), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
