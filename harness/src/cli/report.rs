//! `redzone report`: renders a results JSON (from `redzone bench`) as a published report:
//! `index.html`, `README.md`, SVG charts and a copy of the JSON, in `<out>/<date>/` and
//! `<out>/latest/`. The work is `report::publish`'s; this file parses arguments and prints
//! where the report went.

use super::Status;
use crate::report::publish::{self, Settings};
use std::path::PathBuf;

/// Arguments of `redzone report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The results JSON written by `redzone bench --out FILE`. Defaults to
    /// `<out>/latest/results.json`, which re-renders the latest report.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// The reports directory: the report is written to `<out>/<date>/` and `<out>/latest/`.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
    /// The date directory's name (YYYY-MM-DD). Defaults to the date the run was made.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

/// Renders and writes the report; any bad input (missing file, not JSON, another schema, a
/// bad date) is an error, which exits 2.
pub fn run(args: ReportArgs) -> anyhow::Result<Status> {
    let input = args.input.clone().unwrap_or_else(|| args.out.join("latest").join("results.json"));
    let settings = Settings { out: args.out, date: args.date };
    let published = publish::publish(&input, &settings)?;
    println!(
        "report: {} -> {} and {} ({})",
        input.display(),
        published.dated.display(),
        published.latest.display(),
        published.files.join(", ")
    );
    Ok(Status::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    #[test]
    fn parses_its_arguments_with_defaults() {
        let cli = Cli::try_parse_from(["redzone", "report", "--input", "r.json", "--date", "2026-11-21"]).unwrap();
        let Command::Report(args) = cli.command else { panic!("expected report") };
        assert_eq!(args.input, Some(PathBuf::from("r.json")));
        assert_eq!(args.out, PathBuf::from("reports"));
        assert_eq!(args.date.as_deref(), Some("2026-11-21"));
    }

    #[test]
    fn a_missing_input_is_an_error_that_says_what_to_pass() {
        let out = std::env::temp_dir().join(format!("redzone-cli-report-{}", std::process::id()));
        let err = run(ReportArgs { input: None, out: out.clone(), date: None }).unwrap_err().to_string();
        assert!(err.contains("latest/results.json") && err.contains("--input"), "{err}");
        assert!(!out.exists(), "nothing is written on bad input");
    }
}
