//! `redzone bench`: the workloads of `suites/bench/` on engine configurations, sampled in
//! shuffled rounds, summarised with confidence intervals, printed as tables and written as
//! the results JSON that `redzone report` and `redzone gate` read. The measuring is
//! [`crate::bench::run`]; this file parses arguments, draws progress on stderr, renders the
//! tables and writes the file.

use super::{Format, Status};
use crate::bench::abi::size_label;
use crate::bench::results::{Estimate, Results};
use crate::bench::summary::{family, relative};
use crate::bench::{self, BenchOptions, Phase, Progress};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

const METHOD: &str = "\
Method: every (workload, configuration) pair is compiled and instantiated once, warmed up,\n\
and then sampled in rounds; each round visits every pair once in an order shuffled by\n\
--seed, so drift and noise spread over all engines. A sample is one call of the workload's\n\
export (a fresh instance, made outside the timing, for `fresh` workloads; instantiate + call\n\
for `measure = \"instantiate\"`), and every call's checksum is checked against the manifest.\n\
Without --samples the run takes 40 (quick) or 50 (full) rounds, fewer (never under 10) when\n\
they would not fit the time budget (--budget; 150 s quick, 20 min full).\n\n\
Each time is the median of its samples with an exact distribution-free 95% interval from\n\
binomial order statistics. The guard/checked ratio of each engine family measured in both\n\
strategies, and the geometric means per group and overall, carry 95% percentile-bootstrap\n\
intervals (2,000 replicates, both sample sets resampled independently, seeded). The memory64\n\
twins (group mem64: the stream, random and offset workloads with a 64-bit memory) are each\n\
divided by their 32-bit original on every configuration (\"32-bit vs 64-bit index\", with the\n\
same intervals) and left out of the overall means; `--workloads mem64,stream,random,offset`\n\
runs just the pairs. A wrong checksum or an engine error makes the run fail (exit 1) after\n\
the results are written; a configuration that refuses a workload as an unsupported feature\n\
(wasmer 7.4.2 and memory64) is recorded and shown as unsupported, not a failure. Build with\n\
--release: debug timings mean little.";

/// Arguments of `redzone bench`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = METHOD)]
pub struct BenchArgs {
    /// Run every workload at its quick size (the manifest's quick_n), with a 150 s budget.
    #[arg(long)]
    pub quick: bool,
    /// Engine configurations, comma-separated (`all`, or `-name` to exclude one).
    #[arg(long, value_name = "LIST", default_value = "all")]
    pub engines: String,
    /// Only these workloads: names or groups, comma-separated (default: every workload).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub workloads: Vec<String>,
    /// Exactly N samples per workload and configuration, whatever the time (default: adapt
    /// to the budget).
    #[arg(long, value_name = "N")]
    pub samples: Option<usize>,
    /// Seed of the round order and the bootstrap.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Write the results JSON to FILE (parent folders are created; written atomically).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also run the spec testsuite in DIR on the configurations and record pass counts
    /// (WASM_SPEC_TESTSUITE is not read here, so a run's length never depends on it).
    #[arg(long, value_name = "DIR")]
    pub spec_suite: Option<PathBuf>,
    /// Output format on stdout: tables, or the results JSON.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// The workload manifest (default: suites/bench/workloads.toml).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Wall time, in seconds, the workload rounds should fit in (default: 150 quick, 1200
    /// full); ignored with --samples.
    #[arg(long, value_name = "SECONDS")]
    pub budget: Option<u64>,
    /// Untimed passes over every pair before sampling.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub warmup: usize,
    /// Skip the ABI round-trip points.
    #[arg(long)]
    pub no_abi: bool,
}

impl BenchArgs {
    fn options(&self) -> BenchOptions {
        let mut options = if self.quick { BenchOptions::quick() } else { BenchOptions::default() };
        if let Some(manifest) = &self.manifest {
            options.manifest = manifest.clone();
        }
        options.engines = vec![self.engines.clone()];
        options.workloads = self.workloads.iter().map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect();
        options.samples = self.samples;
        options.seed = self.seed;
        options.budget = self.budget.map(Duration::from_secs);
        options.warmup = self.warmup;
        options.abi = !self.no_abi;
        options.spec_suite = self.spec_suite.clone();
        options
    }
}

/// Runs the verb.
pub fn run(args: BenchArgs) -> anyhow::Result<Status> {
    let options = args.options();
    // Find out now, not after a half-hour run, that the results cannot be written.
    if let Some(out) = &args.out {
        check_writable(out)?;
    }
    let mut display = Display::new();
    let results = bench::run(&options, &mut |p| display.progress(p))?;
    display.finish();
    let json = serde_json::to_string_pretty(&results).context("serialising the results")?;
    if let Some(out) = &args.out {
        write_atomic(out, json.as_bytes())?;
    }
    let problems = display.problems;
    match args.format {
        Format::Json => println!("{json}"),
        Format::Text => {
            print!("{}", render(&results, options.replicates));
            for p in &problems {
                println!("problem: {p}");
            }
            if let Some(out) = &args.out {
                println!("results written to {}", out.display());
            }
        }
    }
    Ok(if problems.is_empty() { Status::Ok } else { Status::Failed })
}

/// The progress display: an indicatif bar on a terminal, a line per stage and round
/// otherwise; it also collects the problems.
struct Display {
    bar: Option<ProgressBar>,
    last: Option<(Phase, usize)>,
    problems: Vec<String>,
}

impl Display {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{prefix:>8} [{bar:24}] {pos}/{len} {wide_msg}")
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Display { bar, last: None, problems: Vec::new() }
    }

    fn progress(&mut self, progress: Progress<'_>) {
        match progress {
            Progress::Warning(w) => self.line(&format!("warning: {w}")),
            Progress::Problem(p) => {
                self.line(&format!("problem: {p}"));
                self.problems.push(p.to_string());
            }
            Progress::Step(s) => {
                let eta = s.eta.map(|e| format!(", ETA {}", clock(e))).unwrap_or_default();
                let message = format!(
                    "round {}/{}, elapsed {}{eta}: {} on {}",
                    s.round,
                    s.rounds,
                    clock(s.elapsed),
                    s.workload,
                    s.engine
                );
                match &self.bar {
                    Some(bar) => {
                        bar.set_prefix(s.phase.name());
                        bar.set_length(s.total as u64);
                        bar.set_position(s.done as u64);
                        bar.set_message(message);
                    }
                    None if self.last != Some((s.phase, s.round)) => {
                        eprintln!(
                            "{}: round {}/{}, elapsed {}{eta}",
                            s.phase.name(),
                            s.round,
                            s.rounds,
                            clock(s.elapsed)
                        );
                    }
                    None => {}
                }
                self.last = Some((s.phase, s.round));
            }
        }
    }

    fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

/// Creates `out`'s folder and checks a file can be made there.
fn check_writable(out: &Path) -> anyhow::Result<()> {
    let probe = temp_path(out);
    if let Some(parent) = probe.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder of --out {}", out.display()))?;
    }
    std::fs::write(&probe, b"").with_context(|| format!("cannot write --out {}", out.display()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

fn temp_path(out: &Path) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "results.json".into());
    out.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `bytes` to a temporary file beside `out` and renames it over `out`, so a reader
/// never sees half a file.
fn write_atomic(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder of --out {}", out.display()))?;
    }
    crate::report::write_atomic(out, bytes).with_context(|| format!("cannot write --out {}", out.display()))
}

/// A time in nanoseconds with a unit that keeps 3 or 4 significant digits.
fn time(ns: f64) -> String {
    match ns {
        x if x >= 1e9 => format!("{:.2} s", x / 1e9),
        x if x >= 1e6 => format!("{:.2} ms", x / 1e6),
        x if x >= 1e3 => format!("{:.2} µs", x / 1e3),
        x => format!("{x:.0} ns"),
    }
}

fn ratio(e: &Estimate) -> String {
    format!("{:.3} [{:.3}, {:.3}]", e.median, e.low, e.high)
}

/// A left-aligned first column and right-aligned others, from rows of cells.
fn table(out: &mut String, rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The text tables of a run.
fn render(results: &Results, replicates: usize) -> String {
    let mut out = String::new();
    let engines: Vec<&str> = results.engines.iter().map(|e| e.name.as_str()).collect();
    let _ = writeln!(
        out,
        "redzone bench: {} run, {} build, {} samples per pair (seed {}), on {} ({} cores)\n",
        results.mode,
        results.redzone.profile,
        results.method.samples,
        results.method.seed,
        results.machine.cpu,
        results.machine.cores
    );
    let _ = writeln!(out, "median time per sample (95% intervals in the JSON)");
    let mut rows = vec![std::iter::once("workload".to_string()).chain(engines.iter().map(|e| e.to_string())).collect()];
    for w in &results.workloads {
        let mut row = vec![w.name.clone()];
        for engine in &engines {
            row.push(match results.measurement(&w.name, engine) {
                Some(m) if m.unsupported => "unsupported".to_string(),
                Some(m) if m.error.is_some() => "error".to_string(),
                Some(m) if !m.checksum_ok => format!("{} (wrong)", time(m.time_ns.median)),
                Some(m) => time(m.time_ns.median),
                None => "-".to_string(),
            });
        }
        rows.push(row);
    }
    table(&mut out, &rows);

    let families: Vec<&str> = {
        let mut f: Vec<&str> = Vec::new();
        for r in &results.ratios {
            if !f.contains(&r.engine.as_str()) {
                f.push(&r.engine);
            }
        }
        f
    };
    if !families.is_empty() {
        let _ = writeln!(out, "\nguard / checked time, median [95% interval] (below 1: guard pages are faster)");
        let mut names: Vec<&str> = Vec::new();
        for r in &results.ratios {
            if !names.contains(&r.workload.as_str()) {
                names.push(&r.workload);
            }
        }
        let mut rows =
            vec![std::iter::once("workload".to_string()).chain(families.iter().map(|f| f.to_string())).collect()];
        for name in names {
            let mut row = vec![name.to_string()];
            for fam in &families {
                let found = results.ratios.iter().find(|r| r.engine == *fam && r.workload == name);
                row.push(found.map(|r| ratio(&r.ratio)).unwrap_or_else(|| "-".to_string()));
            }
            rows.push(row);
        }
        table(&mut out, &rows);
    }

    if !results.index_costs.is_empty() {
        let _ = writeln!(
            out,
            "\n32-bit vs 64-bit index: memory64 twin time / 32-bit time, geometric mean [95% interval] \
             (above 1: the 64-bit index costs)"
        );
        let mut keys: Vec<&str> =
            results.index_costs.iter().map(|r| r.workload.as_str()).filter(|w| w.starts_with("geomean")).collect();
        keys.sort_by_key(|k| (*k == "geomean", *k));
        keys.dedup();
        let mut rows = vec![
            std::iter::once("configuration".to_string())
                .chain(keys.iter().map(|k| k.strip_prefix("geomean:").unwrap_or("all").to_string()))
                .collect::<Vec<_>>(),
        ];
        for engine in &engines {
            let of = |key: &str| results.index_costs.iter().find(|r| r.engine == *engine && r.workload == key);
            let unsupported = results.measurements.iter().any(|m| m.engine == *engine && m.unsupported);
            let row: Vec<String> = keys
                .iter()
                .map(|k| match of(k) {
                    Some(r) => ratio(&r.ratio),
                    None if unsupported => "unsupported".to_string(),
                    None => "-".to_string(),
                })
                .collect();
            rows.push(std::iter::once(engine.to_string()).chain(row).collect());
        }
        table(&mut out, &rows);
    }

    let pairs: Vec<(&str, &str)> = ["redzone:guard", "redzone:checked"]
        .iter()
        .flat_map(|r| ["wasmi", "wasmtime:guard"].map(move |b| (*r, b)))
        .filter(|(a, b)| engines.contains(a) && engines.contains(b))
        .collect();
    if !pairs.is_empty() {
        let _ = writeln!(out, "\nrelative time, geometric mean over workloads [95% interval] (above 1: slower)");
        let mut rows = Vec::new();
        for (a, b) in pairs {
            let r = relative(&results.measurements, &results.workloads, a, b, replicates, results.method.seed);
            if let Some(g) = r.iter().find(|r| r.workload == "geomean") {
                rows.push(vec![format!("{a} / {b}"), ratio(&g.ratio)]);
            }
        }
        table(&mut out, &rows);
    }

    if !results.abi.is_empty() {
        let _ = writeln!(out, "\nABI round trip (upper), median time per round trip; memcpy in and out for scale");
        let mut sizes: Vec<u64> = results.abi.iter().map(|p| p.bytes).collect();
        sizes.dedup();
        let mut rows = vec![
            ["size", "memcpy"].iter().map(|s| s.to_string()).chain(engines.iter().map(|e| e.to_string())).collect(),
        ];
        for bytes in sizes {
            let points: Vec<_> = results.abi.iter().filter(|p| p.bytes == bytes).collect();
            let mut row = vec![size_label(bytes as usize), time(points[0].memcpy_ns.median)];
            for engine in &engines {
                row.push(points.iter().find(|p| p.engine == *engine).map_or("-".into(), |p| time(p.time_ns.median)));
            }
            rows.push(row);
        }
        table(&mut out, &rows);
    }

    if let Some(c) = &results.conformance {
        let _ = writeln!(out, "\nspec testsuite at {} ({})", c.suite, c.suite_commit);
        let mut rows = vec![vec!["engine".to_string(), "passed".into(), "failed".into(), "expected failures".into()]];
        for (engine, counts) in &c.engines {
            rows.push(vec![
                engine.clone(),
                counts.passed.to_string(),
                counts.failed.to_string(),
                counts.expected_failures.to_string(),
            ]);
        }
        table(&mut out, &rows);
    }
    if results.ratios.is_empty() && !engines.iter().any(|e| family(e).1.is_some()) {
        let _ = writeln!(out, "\n(no guard/checked ratio: no engine family was measured in both strategies)");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redzone-cli-bench-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn args(extra: &[&str]) -> BenchArgs {
        let argv = ["redzone", "bench"].iter().chain(extra).copied();
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Bench(args) => args,
            _ => unreachable!("parsed as bench"),
        }
    }

    /// A one-workload manifest whose checksum is `checksum` (the right one is 10).
    fn manifest(dir: &Path, checksum: i64) -> PathBuf {
        std::fs::write(
            dir.join("ten.wat"),
            r#"(module (func (export "run") (param i32) (result i64) (i64.extend_i32_u (local.get 0))))"#,
        )
        .unwrap();
        let path = dir.join("workloads.toml");
        let text = format!(
            "[[workload]]\nname = \"ten\"\nfile = \"ten.wat\"\nexport = \"run\"\ngroup = \"compute\"\nn = 10\n\
             checksum = {checksum}\nquick_n = 10\nquick_checksum = {checksum}\ninstructions = \"1\"\nstresses = \"-\"\n"
        );
        std::fs::write(&path, text).unwrap();
        path
    }

    fn run_with(dir: &Path, checksum: i64) -> anyhow::Result<Status> {
        let manifest = manifest(dir, checksum);
        let out = dir.join("nested/results.json");
        run(args(&[
            "--quick",
            "--engines",
            "redzone:checked",
            "--samples",
            "3",
            "--warmup",
            "1",
            "--no-abi",
            "--manifest",
            manifest.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--format",
            "json",
        ]))
    }

    #[test]
    fn a_wrong_checksum_fails_the_run_after_writing_the_results() {
        let dir = temp_dir("checksum");
        assert_eq!(run_with(&dir, 11).unwrap(), Status::Failed);
        let results = Results::from_json(&std::fs::read_to_string(dir.join("nested/results.json")).unwrap()).unwrap();
        assert!(!results.measurements[0].checksum_ok);
        assert_eq!(results.measurements[0].samples_ns.len(), 3);
        assert_eq!(run_with(&dir, 10).unwrap(), Status::Ok);
        let entries: Vec<_> = std::fs::read_dir(dir.join("nested")).unwrap().flatten().collect();
        assert_eq!(entries.len(), 1, "no temporary file is left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        let dir = temp_dir("bad");
        let manifest = manifest(&dir, 10);
        let m = manifest.to_str().unwrap();
        let err = |extra: &[&str]| format!("{:#}", run(args(extra)).unwrap_err());
        let e = err(&["--manifest", "/nonexistent/workloads.toml"]);
        assert!(e.contains("/nonexistent/workloads.toml") && e.contains("--manifest"), "{e}");
        let e = err(&["--manifest", m, "--workloads", "ten,nine"]);
        assert!(e.contains("`nine`") && e.contains("ten"), "{e}");
        let e = err(&["--manifest", m, "--engines", "v8"]);
        assert!(e.contains("--engines") && e.contains("unknown engine `v8`"), "{e}");
        let blocker = dir.join("file");
        std::fs::write(&blocker, "").unwrap();
        let e = err(&["--manifest", m, "--out", blocker.join("results.json").to_str().unwrap()]);
        assert!(e.contains("--out") && e.contains("file/results.json"), "{e}");
        let e = err(&["--manifest", m, "--samples", "0"]);
        assert!(e.contains("--samples"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_text_report_has_every_table() {
        let dir = temp_dir("render");
        let options = BenchOptions {
            manifest: manifest(&dir, 10),
            engines: vec!["redzone:guard".into(), "redzone:checked".into(), "wasmi".into()],
            samples: Some(3),
            warmup: 1,
            replicates: 50,
            ..BenchOptions::quick()
        };
        let results = bench::run(&options, &mut |_| {}).unwrap();
        let text = render(&results, 50);
        for needle in [
            "quick run",
            "3 samples per pair",
            "guard / checked time",
            "geomean:compute",
            "redzone:guard / wasmi",
            "redzone:checked / wasmi",
            "ABI round trip",
            "1 KiB",
        ] {
            assert!(text.contains(needle), "no `{needle}` in:\n{text}");
        }
        // Column widths follow the measured times, so the header is compared word by word.
        let header = ["workload", "redzone:guard", "redzone:checked", "wasmi"];
        assert!(text.lines().any(|line| line.split_whitespace().eq(header)), "no time table header in:\n{text}");
        assert!(!text.contains("wasmtime:guard"), "only the measured configurations:\n{text}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn times_and_tables() {
        assert_eq!(time(950.0), "950 ns");
        assert_eq!(time(12_345.0), "12.35 µs");
        assert_eq!(time(2.5e6), "2.50 ms");
        let mut out = String::new();
        table(&mut out, &[vec!["a".into(), "1".into()], vec!["long".into(), "100".into()]]);
        assert_eq!(out, "a       1\nlong  100\n");
        assert_eq!(clock(Duration::from_secs(125)), "2:05");
    }
}
