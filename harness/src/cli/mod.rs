//! The `redzone` command line: one file per verb, each with a clap `Args` struct and a
//! `run(args) -> anyhow::Result<Status>`. `main.rs` only parses and calls [`main`].
//!
//! Exit status: 0 when everything in scope passed, 1 when something failed (a check, or a
//! module that did not load), 2 on a usage or input error (clap's own errors exit 2 too).
//!
//! To add a verb: a file here, a variant of [`Command`], and an arm in [`main`].

pub mod abi;
pub mod bench;
pub mod engines;
pub mod fuzz;
pub mod gate;
pub mod mutants;
pub mod reduce;
pub mod replay;
pub mod report;
pub mod run;
pub mod spec;
pub mod worker;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

/// redzone: a differential conformance and benchmarking harness for WebAssembly engines,
/// centred on linear memory.
#[derive(Debug, Parser)]
#[command(name = "redzone", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the WebAssembly spec testsuite (.wast scripts) on engine configurations.
    Spec(spec::SpecArgs),
    /// The differential: run .wast scripts in lockstep, or .wat/.wasm modules (every export
    /// called with seeded arguments), on engine configurations, and compare results, traps,
    /// memories, globals and tables.
    Run(run::RunArgs),
    /// List the engine configurations.
    Engines(engines::EnginesArgs),
    /// Run the string/array ABI suite (suites/abi/) on engine configurations: diff outputs
    /// and memories, check the broken guests, and with --leak-check N look for leaks.
    Abi(abi::AbiArgs),
    /// The differential fuzz loop: generated modules on engine configurations, findings
    /// shrunk, deduplicated by signature and saved with a replay command.
    Fuzz(fuzz::FuzzArgs),
    /// Shrink a saved finding again (wasm-shrink), keeping its signature.
    Reduce(reduce::ReduceArgs),
    /// Re-run a saved finding; exits 0 when it no longer diverges.
    Replay(replay::ReplayArgs),
    /// Benchmark the suites/bench workloads on every configuration (interleaved, with
    /// confidence intervals) and write the results JSON.
    Bench(bench::BenchArgs),
    /// Render a results JSON as a Markdown and HTML report with SVG charts.
    Report(report::ReportArgs),
    /// Compare a run against a baseline: conformance, regressions, fuzz budget and
    /// performance ratios; exit 1 on a regression.
    Gate(gate::GateArgs),
    /// Measure bug-finding power: per planted engine bug of the mutant zoo (builds with
    /// `--features mutants`), a fuzz campaign, the spec testsuite and suites/edges; print the
    /// kill table.
    Mutants(mutants::MutantsArgs),
    /// The isolated worker process the harness starts itself (speaks a binary protocol on
    /// stdin/stdout; not for people).
    #[command(hide = true)]
    Worker(worker::WorkerArgs),
}

/// Output format on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Tables and messages for people.
    #[default]
    Text,
    /// One JSON document (the machine interface).
    Json,
}

/// How a verb ended, when it did not hit an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything passed (or nothing needed to run).
    Ok,
    /// Something failed.
    Failed,
}

/// Runs a parsed command line and returns the process exit status.
pub fn main(cli: Cli) -> ExitCode {
    // A mutant named in the environment must exist in this build: never run the correct
    // engine believing it is a mutant, or the other way round.
    if let Err(e) = redzone_engine::mutants::from_env() {
        eprintln!("error: {}: {e}", redzone_engine::mutants::ENV);
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Spec(args) => spec::run(args),
        Command::Run(args) => run::run(args),
        Command::Engines(args) => engines::run(args),
        Command::Abi(args) => abi::run(args),
        Command::Fuzz(args) => fuzz::run(args),
        Command::Reduce(args) => reduce::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Report(args) => report::run(args),
        Command::Gate(args) => gate::run(args),
        Command::Mutants(args) => mutants::run(args),
        Command::Worker(args) => worker::run(args),
    };
    match result {
        Ok(Status::Ok) => ExitCode::SUCCESS,
        Ok(Status::Failed) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Parses `--jobs`, defaulting to the machine's parallelism.
pub(crate) fn jobs(requested: Option<usize>) -> usize {
    requested.filter(|&j| j > 0).unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_the_spec_verb() {
        let cli = Cli::try_parse_from([
            "redzone",
            "spec",
            "--suite",
            "/s",
            "--engines",
            "redzone:checked",
            "--format",
            "json",
            "--junit",
            "out.xml",
            "--require-suite",
            "memory",
            "i32",
        ])
        .unwrap();
        let Command::Spec(args) = cli.command else { panic!("expected spec") };
        assert_eq!(args.filters, vec!["memory", "i32"]);
        assert!(args.require_suite);
        assert_eq!(args.format, Format::Json);
        assert!(Cli::try_parse_from(["redzone", "spec", "--format", "yaml"]).is_err());
    }
}
