//! `redzone abi`: the string/array ABI suite (`suites/abi/`) on engine configurations:
//! every guest function on the fixed inputs, outputs and memories diffed across engines,
//! broken guests checked for the error they must produce, and with `--leak-check N` each
//! function called N times watching `live_bytes` and the memory size.

use super::{Format, Status};
use crate::abi::suite::{self, Options, Report, Verdict};
use crate::engines;
use anyhow::Context;

/// Arguments of `redzone abi`.
#[derive(Debug, clap::Args)]
pub struct AbiArgs {
    /// Engine configurations (comma-separated; `all`, `-name` to exclude). Defaults to every
    /// available one.
    #[arg(long)]
    pub engines: Option<String>,
    /// Call each function this many times and report a leak when `live_bytes` does not come
    /// back to its baseline or the memory keeps growing.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub leak_check: Option<u32>,
    /// Leave out inputs longer than this many bytes (the fixed set goes up to 16 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_input: Option<usize>,
    /// Run only these guests (file names in suites/abi/, e.g. guest.wat).
    #[arg(long = "guest", value_name = "FILE")]
    pub guests: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Runs the suite and prints the report. Exit 1 on a divergence, a leak where none is
/// expected (or none where one is), or a broken guest that did not fail as it must.
pub fn run(args: AbiArgs) -> anyhow::Result<Status> {
    let engines = match &args.engines {
        Some(list) => engines::select(list)?,
        None => engines::default_names(),
    };
    for name in &args.guests {
        if crate::abi::guests::guest(name).is_none() {
            let known: Vec<&str> = crate::abi::guests::GUESTS.iter().map(|g| g.name).collect();
            anyhow::bail!("unknown ABI guest `{name}`; the guests are: {}", known.join(", "));
        }
    }
    let options =
        Options { engines, leak_check: args.leak_check, max_input: args.max_input, guests: args.guests.clone() };
    let report = suite::run(&options).context("running the ABI suite")?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => print!("{}", text(&report)),
    }
    Ok(if report.ok() { Status::Ok } else { Status::Failed })
}

fn verdict_name(v: &Verdict) -> &'static str {
    match v {
        Verdict::Agree => "agree",
        Verdict::Diverge => "DIVERGE",
        Verdict::Inconclusive => "inconclusive",
    }
}

/// The text rendering: one line per call (the agreed outcome, or every engine's when they
/// differ), memories, expectations, leaks, and a summary line.
pub fn text(report: &Report) -> String {
    let mut out = format!("abi: engines {}\n", report.engines.join(", "));
    for case in &report.cases {
        let first = case.outcomes.first().map(|(_, o)| o.as_str()).unwrap_or("");
        out.push_str(&format!(
            "{:<16} {:<14} {:<15} {:<12} {}\n",
            case.guest,
            case.func,
            case.input,
            verdict_name(&case.verdict),
            if case.verdict == Verdict::Agree { first } else { "" }
        ));
        if case.verdict != Verdict::Agree {
            for (engine, outcome) in &case.outcomes {
                out.push_str(&format!("    {engine}: {outcome}\n"));
            }
        }
    }
    for m in &report.memories {
        let pages: Vec<String> = m.pages.iter().map(|(e, p)| format!("{e} {p}")).collect();
        out.push_str(&format!("memory {:<16} {:<12} pages: {}\n", m.guest, verdict_name(&m.verdict), pages.join(", ")));
        for d in &m.differences {
            out.push_str(&format!("    {d}\n"));
        }
    }
    for e in &report.expectations {
        out.push_str(&format!("UNMET {} on {}: expected {}, got {}\n", e.guest, e.engine, e.expected, e.found));
    }
    for l in &report.leaks {
        let status = match (&l.error, l.leaked, l.expected) {
            (Some(_), _, true) => "UNCHECKED (expected a leak)",
            (Some(_), _, false) => "unchecked",
            (None, true, true) => "leak (expected)",
            (None, true, false) => "LEAK",
            (None, false, true) => "NO LEAK (expected one)",
            (None, false, false) => "ok",
        };
        out.push_str(&format!(
            "leak-check {:<16} {:<14} {:<16} {status}: {} calls, live bytes {} -> {}, pages {} -> {}{}\n",
            l.guest,
            l.func,
            l.engine,
            l.calls,
            l.live_before,
            l.live_after,
            l.pages_after_first,
            l.pages_after,
            l.error.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()
        ));
    }
    let agree = report.cases.iter().filter(|c| c.verdict == Verdict::Agree).count();
    out.push_str(&format!(
        "{} calls: {agree} agree, {} diverge; {} unmet expectations; {} unexpected leak results: {}\n",
        report.cases.len(),
        report.divergences(),
        report.expectations.len(),
        report.unexpected_leaks(),
        if report.ok() { "ok" } else { "FAILED" }
    ));
    out
}
