//! `redzone fuzz`: the differential fuzz loop ([`crate::fuzz::campaign`]) with a progress
//! display on stderr and a summary on stdout.
//!
//! Findings are written to `--out DIR` as they are found, one directory per signature (see
//! [`crate::fuzz::finding`]). Ctrl-C stops taking new cases, finishes those under way and
//! prints the summary; a second Ctrl-C ends the process at once. Exit status: 0 when nothing
//! diverged, 1 when something did (or the harness itself panicked on a case), 2 on a usage or
//! input error.

use super::{Format, Status, jobs};
use crate::engines;
use crate::fuzz::campaign::{self, CampaignConfig, Limit, Snapshot, Summary};
use crate::fuzz::shrink::ShrinkConfig;
use crate::generators::GeneratorKind;
use crate::isolation::{Isolation, WorkerSettings};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Arguments of `redzone fuzz`.
#[derive(Debug, clap::Args)]
pub struct FuzzArgs {
    /// Generators, repeatable or comma-separated (default: all four, taken in turn).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "NAME")]
    pub generator: Vec<GeneratorKind>,
    /// Stop after this many seconds (cases under way, and their shrinking, finish first).
    #[arg(long, value_name = "N", conflicts_with = "executions")]
    pub seconds: Option<u64>,
    /// Stop after this many cases (default: 1000 when --seconds is not given).
    #[arg(long, value_name = "N")]
    pub executions: Option<u64>,
    /// Seed of every case (default: from the clock; printed, and recorded in each finding).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads, each with its own engines (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Where findings are written, one directory per signature (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Engine configurations, comma-separated (`all`, or `-name` to exclude one).
    #[arg(long, value_name = "LIST", default_value = "all")]
    pub engines: String,
    /// Fuel per step on every engine; running out makes the step inconclusive (default: per
    /// generator, 1,000,000, and 2^36 for edges, whose modules cannot loop).
    #[arg(long, value_name = "F")]
    pub fuel: Option<u64>,
    /// Save findings as generated, without shrinking them.
    #[arg(long)]
    pub no_shrink: bool,
    /// Time limit for shrinking one finding, in seconds.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub shrink_seconds: u64,
    /// Where cases run: `process` (default) runs them in `redzone worker` processes, so a
    /// crash, abort, native stack overflow, memory blow-up or hang of an engine costs a
    /// worker and becomes a classified finding; `none` runs them in this process's threads
    /// (no pipe, but a native crash ends the campaign; the README has both rates).
    #[arg(long, value_enum, default_value_t = IsolationArg::Process)]
    pub isolation: IsolationArg,
    /// Wall-clock limit per case run in a worker, in seconds; a case still running then is a
    /// `timeout` crash finding.
    #[arg(long, value_name = "N", default_value_t = 60)]
    pub timeout: u64,
    /// Memory limit of each worker (RLIMIT_DATA) in MiB; an allocation past it is an `oom`
    /// crash finding. 0 for no limit.
    #[arg(long, value_name = "MIB", default_value_t = 8192)]
    pub memory_limit: u64,
    /// Output format of the summary on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `--isolation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IsolationArg {
    /// Worker processes.
    Process,
    /// This process.
    None,
}

impl IsolationArg {
    /// The isolation, with workers started from this executable.
    pub fn isolation(self, timeout_seconds: u64, memory_limit_mib: u64) -> anyhow::Result<Isolation> {
        Ok(match self {
            IsolationArg::None => Isolation::None,
            IsolationArg::Process => {
                let mut settings = WorkerSettings::current_exe()?;
                settings.timeout = Duration::from_secs(timeout_seconds.max(1));
                settings.memory_limit = (memory_limit_mib > 0).then_some(memory_limit_mib << 20);
                Isolation::Process(settings)
            }
        })
    }
}

/// Set by the SIGINT handler: the campaign takes no new case once it is set.
pub(crate) static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
    // SAFETY: signal(2) is async-signal-safe; restoring the default action makes a second
    // Ctrl-C end the process at once.
    unsafe { libc::signal(libc::SIGINT, libc::SIG_DFL) };
}

/// Routes the first Ctrl-C to [`INTERRUPTED`]. Only an atomic store happens in the handler,
/// which is async-signal-safe.
pub(crate) fn catch_sigint() {
    let handler: extern "C" fn(libc::c_int) = on_sigint;
    // SAFETY: installing a handler that only stores to an atomic and calls signal(2).
    unsafe { libc::signal(libc::SIGINT, handler as libc::sighandler_t) };
}

/// The campaign settings the arguments describe.
pub fn config(args: &FuzzArgs) -> anyhow::Result<CampaignConfig> {
    let engines = engines::select(&args.engines).context("--engines")?;
    let limit = match (args.seconds, args.executions) {
        (Some(s), _) => Limit::Time(Duration::from_secs(s)),
        (None, Some(n)) => Limit::Executions(n),
        (None, None) => Limit::Executions(1000),
    };
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
    });
    let generators = if args.generator.is_empty() { GeneratorKind::ALL.to_vec() } else { dedup(&args.generator) };
    Ok(CampaignConfig {
        generators,
        engines: engines.into_iter().map(str::to_string).collect(),
        seed,
        jobs: jobs(args.jobs),
        limit,
        fuel: args.fuel,
        shrink: (!args.no_shrink)
            .then(|| ShrinkConfig { time_limit: Duration::from_secs(args.shrink_seconds), ..ShrinkConfig::default() }),
        out: Some(args.out.clone()),
        isolation: args.isolation.isolation(args.timeout, args.memory_limit)?,
        ..CampaignConfig::default()
    })
}

fn dedup(kinds: &[GeneratorKind]) -> Vec<GeneratorKind> {
    let mut out: Vec<GeneratorKind> = Vec::new();
    for k in kinds {
        if !out.contains(k) {
            out.push(*k);
        }
    }
    out
}

/// The progress line: elapsed, executions and their rate, cases per generator, findings and
/// the inconclusive share.
pub fn progress_line(s: &Snapshot) -> String {
    let secs = s.elapsed.as_secs_f64().max(1e-9);
    let per: Vec<String> = s.generators.iter().map(|g| format!("{} {}", g.generator, g.executions)).collect();
    format!(
        "{} execs ({:.1}/s) | {} | findings {} new, {} dup | crashes {} | inconclusive {:.1}%",
        s.executions(),
        s.executions() as f64 / secs,
        per.join(", "),
        s.findings(),
        s.duplicates(),
        s.crashes(),
        100.0 * s.inconclusive_share()
    )
}

/// The text summary.
pub fn render_summary(summary: &Summary) -> String {
    let t = &summary.totals;
    let mut out = format!(
        "fuzz: seed {}, {} job(s), {:.1} s{}\nengines: {}\n",
        summary.seed,
        summary.jobs,
        t.elapsed.as_secs_f64(),
        if summary.interrupted { ", interrupted" } else { "" },
        summary.engines.join(", ")
    );
    out.push_str(&format!(
        "{:<10} {:>8} {:>9} {:>8} {:>13} {:>13} {:>9} {:>10} {:>6} {:>8}\n",
        "generator",
        "execs",
        "execs/s",
        "skipped",
        "instantiated",
        "inconclusive",
        "findings",
        "duplicates",
        "flaky",
        "crashes"
    ));
    for g in &t.generators {
        out.push_str(&format!(
            "{:<10} {:>8} {:>9.1} {:>8} {:>12.1}% {:>12.1}% {:>9} {:>10} {:>6} {:>8}\n",
            g.generator.name(),
            g.executions,
            g.executions_per_second,
            g.skipped,
            100.0 * g.instantiated_share,
            100.0 * g.inconclusive_share,
            g.findings,
            g.duplicates,
            g.flaky,
            g.crashes
        ));
    }
    if summary.findings.is_empty() {
        out.push_str("no divergence\n");
    } else {
        out.push_str(&format!(
            "{} root-cause cluster(s) from {} distinct signature(s); one finding saved per cluster\n",
            summary.findings.len(),
            summary.signatures
        ));
    }
    for f in &summary.findings {
        let state = if f.known { "known" } else { "NEW" };
        let bytes = if f.bytes.0 == f.bytes.1 {
            format!("{} bytes", f.bytes.0)
        } else {
            format!("shrunk {} -> {} bytes", f.bytes.0, f.bytes.1)
        };
        out.push_str(&format!(
            "{state:<5} {}  ({} case {}, {bytes}, {} duplicate(s))\n",
            f.label, f.generator, f.index, f.duplicates
        ));
        if !f.variants.is_empty() {
            let shown: Vec<&str> = f.variants.iter().take(3).map(|v| v.name.as_str()).collect();
            let more = match f.variants.len().saturating_sub(shown.len()) {
                0 => String::new(),
                n => format!(" and {n} more (see --format json)"),
            };
            out.push_str(&format!("      cluster {}: also {}{more}\n", f.cluster, shown.join(", ")));
        }
        if let Some(path) = &f.path {
            out.push_str(&format!("      {}  (replay: {}/replay.sh)\n", path.display(), path.display()));
        }
    }
    for p in &summary.harness_panics {
        out.push_str(&format!(
            "HARNESS PANIC on {} case {} (seed {}): {}\n",
            p.generator, p.index, summary.seed, p.message
        ));
    }
    out
}

/// Runs `redzone fuzz`.
pub fn run(args: FuzzArgs) -> anyhow::Result<Status> {
    let config = config(&args)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating the findings directory {}", args.out.display()))?;
    eprintln!(
        "fuzzing with seed {} on {} ({} job(s)); findings go to {}",
        config.seed,
        config.engines.join(", "),
        config.jobs,
        args.out.display()
    );
    catch_sigint();
    let bar = match config.limit {
        Limit::Time(t) => ProgressBar::new(t.as_secs()),
        Limit::Executions(n) => ProgressBar::new(n),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    let template = "{elapsed_precise} [{bar:20}] {msg}";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    let by_time = matches!(config.limit, Limit::Time(_));
    let summary = campaign::run(&config, &INTERRUPTED, |s| {
        bar.set_position(if by_time { s.elapsed.as_secs() } else { s.executions() });
        bar.set_message(progress_line(s));
    });
    bar.finish_and_clear();
    let summary = summary?;
    match args.format {
        Format::Text => print!("{}", render_summary(&summary)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
    }
    Ok(if summary.diverged() || !summary.harness_panics.is_empty() { Status::Failed } else { Status::Ok })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<FuzzArgs, clap::Error> {
        let cli = Cli::try_parse_from([&["redzone", "fuzz"], args].concat())?;
        let Command::Fuzz(a) = cli.command else { panic!("expected fuzz") };
        Ok(a)
    }

    #[test]
    fn arguments_make_the_campaign() {
        let a = parse(&["--out", "f", "--generator", "edges,smith", "--generator", "edges", "--seed", "9"]).unwrap();
        let c = config(&a).unwrap();
        assert_eq!(c.generators, vec![GeneratorKind::Edges, GeneratorKind::Smith]);
        assert_eq!(c.seed, 9);
        assert_eq!(c.limit, Limit::Executions(1000));
        assert_eq!(c.engines, engines::default_names());
        assert!(c.shrink.is_some());
        let a = parse(&["--out", "f", "--seconds", "5", "--no-shrink", "--engines", "wasmi"]).unwrap();
        let c = config(&a).unwrap();
        assert_eq!((c.limit, c.shrink.is_none(), c.generators.len()), (Limit::Time(Duration::from_secs(5)), true, 4));
        assert!(parse(&["--seconds", "5"]).is_err(), "--out is required");
        assert!(parse(&["--out", "f", "--seconds", "5", "--executions", "3"]).is_err());
        assert!(parse(&["--out", "f", "--generator", "afl"]).is_err());
        let err = config(&parse(&["--out", "f", "--engines", "v8"]).unwrap()).unwrap_err();
        assert!(format!("{err:#}").contains("unknown engine `v8`"), "{err:#}");
    }
}
