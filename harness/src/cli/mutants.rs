//! `redzone mutants`: the kill table of the mutant zoo. For each planted engine bug
//! (`redzone_engine::mutants`, in builds with the `mutants` feature) it runs a fuzz campaign,
//! the spec testsuite and `suites/edges`, and prints which of them found it and how fast
//! ([`crate::mutants`] does the work). `--list` prints the zoo in any build.
//!
//! Exit status: 0 when the run finished (and met `--min-kill-rate`, when given), 1 when the
//! kill rate is below it, 2 on a usage error or a build without the zoo.

use super::{Format, Status, jobs};
use crate::bench::results::Results;
use crate::engines;
use crate::generators::GeneratorKind;
use crate::mutants::{KillTable, ZooConfig, run_zoo};
use crate::spec::suite::{Lookup, SuiteError, SuiteFile, discover, find_wast_files, required_by_env, workspace_root};
use crate::spec::{Manifest, Scope};
use anyhow::Context;
use redzone_engine::mutants::{self, Mutant, ZOO};
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `redzone mutants`.
#[derive(Debug, clap::Args)]
pub struct MutantsArgs {
    /// Fuzz seconds per mutant.
    #[arg(long, value_name = "N", default_value_t = 60)]
    pub seconds: u64,
    /// Generators, comma-separated (default: all four, taken in turn).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "NAME")]
    pub generator: Vec<GeneratorKind>,
    /// Worker processes for the campaigns and scripts (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// The campaign seed, the same for every mutant.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Only these mutants, by number or name, comma-separated (default: the whole zoo).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub only: Vec<String>,
    /// Fuzz engine configurations, comma-separated (`all`, or `-name` to exclude one).
    #[arg(long, value_name = "LIST", default_value = "all")]
    pub engines: String,
    /// End each campaign at its first finding (faster; finding counts then stop at one).
    #[arg(long)]
    pub stop_at_first: bool,
    /// Skip the spec testsuite line of defence.
    #[arg(long)]
    pub no_spec: bool,
    /// Skip the `suites/edges` line of defence.
    #[arg(long)]
    pub no_edges: bool,
    /// The spec testsuite directory (default: $WASM_SPEC_TESTSUITE, then
    /// suites/spec/testsuite; that line is skipped, with a note, when none is found).
    #[arg(long, value_name = "DIR")]
    pub suite: Option<PathBuf>,
    /// Also write the kill table as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Add the kill table to a results document (from `redzone bench --out`), replacing any
    /// there, so `redzone report --input FILE` publishes it with a chart.
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// Exit 1 when the fuzz loop's kill rate is below PCT percent.
    #[arg(long, value_name = "PCT")]
    pub min_kill_rate: Option<f64>,
    /// Print the zoo (number, name, class, scope, what it does) and exit.
    #[arg(long)]
    pub list: bool,
}

/// Runs the verb.
pub fn run(args: MutantsArgs) -> anyhow::Result<Status> {
    if args.list {
        print_list(args.format)?;
        return Ok(Status::Ok);
    }
    anyhow::ensure!(mutants::BUILT, "{}", mutants::SelectError::NotBuilt);
    anyhow::ensure!(args.seconds > 0, "--seconds must be at least 1");
    let selected = select(&args.only)?;
    let engine_names = engines::select(&args.engines).context("--engines")?;
    let spec = if args.no_spec { None } else { spec_files(args.suite.clone())? };
    let edges = if args.no_edges { None } else { Some(edges_files()?) };
    let mut worker = crate::isolation::WorkerSettings::current_exe()?;
    worker.timeout = Duration::from_secs(60);
    let config = ZooConfig {
        mutants: selected,
        generators: if args.generator.is_empty() { GeneratorKind::ALL.to_vec() } else { args.generator.clone() },
        engines: engine_names.iter().map(|e| e.to_string()).collect(),
        seconds: args.seconds,
        jobs: jobs(args.jobs),
        seed: args.seed,
        stop_at_first: args.stop_at_first,
        spec,
        edges,
        worker,
    };
    eprintln!(
        "redzone mutants: {} mutant(s), {} s of fuzzing each with {} on {} configuration(s), -j {}",
        config.mutants.len(),
        config.seconds,
        config.generators.iter().map(|g| g.name()).collect::<Vec<_>>().join(","),
        config.engines.len(),
        config.jobs
    );
    // Read the results document first: a bad one should not cost the run.
    let results = match &args.results {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading --results {}", path.display()))?;
            Some(Results::from_json(&text).map_err(|e| anyhow::anyhow!("--results {}: {e}", path.display()))?)
        }
        None => None,
    };
    // Ctrl-C ends the current campaign and prints the rows finished so far.
    super::fuzz::catch_sigint();
    let table = run_zoo(&config, &super::fuzz::INTERRUPTED, |line| eprintln!("{line}"))?;
    if let (Some(path), Some(mut results)) = (&args.results, results) {
        results.mutants = Some(table.clone());
        let json = serde_json::to_string_pretty(&results)? + "\n";
        crate::report::write_atomic(path, json.as_bytes())
            .with_context(|| format!("writing the kill table into {}", path.display()))?;
        eprintln!("kill table added to {}", path.display());
    }
    if let Some(path) = &args.out {
        let json = serde_json::to_string_pretty(&table)?;
        std::fs::write(path, json + "\n").with_context(|| format!("writing the kill table to {}", path.display()))?;
    }
    match args.format {
        Format::Text => print!("{}", render(&table)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&table)?),
    }
    let rate = table.kill_rate() * 100.0;
    Ok(match args.min_kill_rate {
        Some(min) if rate < min => {
            eprintln!("kill rate {rate:.1}% is below --min-kill-rate {min}%");
            Status::Failed
        }
        _ => Status::Ok,
    })
}

/// The mutants `only` names, or the whole zoo.
fn select(only: &[String]) -> anyhow::Result<Vec<&'static Mutant>> {
    if only.is_empty() {
        return Ok(ZOO.iter().collect());
    }
    only.iter()
        .map(|spec| mutants::find(spec).ok_or_else(|| mutants::SelectError::Unknown(spec.clone()).into()))
        .collect()
}

/// The spec testsuite's in-scope files, or `None` (with a note) when there is no suite and
/// none is required.
fn spec_files(flag: Option<PathBuf>) -> anyhow::Result<Option<Vec<SuiteFile>>> {
    let Some(location) = Lookup::from_env(flag).locate()? else {
        if required_by_env() {
            return Err(SuiteError::Missing.into());
        }
        eprintln!("note: spec testsuite not found, so that line of defence is skipped (see `redzone spec --help`)");
        return Ok(None);
    };
    let files = discover(&location.root, &Manifest::builtin(), &[])
        .with_context(|| format!("reading the spec testsuite at {}", location.root.display()))?;
    Ok(Some(files.into_iter().filter(|f| matches!(f.scope, Scope::In(_))).collect()))
}

/// This checkout's `suites/edges` scripts.
fn edges_files() -> anyhow::Result<Vec<SuiteFile>> {
    let dir = workspace_root().join("suites/edges");
    let files = find_wast_files(&dir).with_context(|| format!("reading {}", dir.display()))?;
    Ok(files
        .into_iter()
        .map(|(path, name)| SuiteFile {
            path,
            name: format!("suites/edges/{name}"),
            scope: Scope::In("project suite".into()),
        })
        .collect())
}

fn print_list(format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = ZOO
                .iter()
                .map(|m| {
                    serde_json::json!({"number": m.number, "name": m.name, "class": m.class,
                        "scope": m.scope.name(), "what": m.what})
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({"built": mutants::BUILT, "mutants": rows}))?
            );
        }
        Format::Text => {
            for m in ZOO {
                println!("{:>2}  {:<30} {:<9} {:<8} {}", m.number, m.name, m.class, m.scope.name(), m.what);
            }
            if !mutants::BUILT {
                println!("\n(this build has no planted bugs: {})", mutants::SelectError::NotBuilt);
            }
        }
    }
    Ok(())
}

/// The kill table as text: one line per mutant, then the rates.
pub fn render(t: &KillTable) -> String {
    let mut out = format!(
        "{:>2}  {:<30} {:<9} {:<8} {:<34} {:<18} {}\n",
        "#", "mutant", "class", "scope", "fuzz (first finding)", "spec", "edges"
    );
    let script = |o: &Option<crate::mutants::ScriptOutcome>| match o {
        None => "-".to_string(),
        Some(o) if o.caught => format!("caught ({} failed)", o.failed_checks),
        Some(_) => "missed".to_string(),
    };
    for r in &t.rows {
        let fuzz = match (r.fuzz.seconds, &r.fuzz.generator) {
            (Some(s), Some(g)) => format!("{s:>5.1} s {g:<6} {} cluster(s)", r.fuzz.clusters),
            _ => "not killed".to_string(),
        };
        out += &format!(
            "{:>2}  {:<30} {:<9} {:<8} {:<34} {:<18} {}\n",
            r.number,
            r.name,
            r.class,
            r.scope,
            fuzz,
            script(&r.spec),
            script(&r.edges)
        );
    }
    let n = t.rows.len();
    out += &format!(
        "\nfuzz loop: killed {} of {n} ({:.1}%) within {} s each (-j {}, seed {}, {}{})\n",
        t.killed(),
        t.kill_rate() * 100.0,
        t.seconds,
        t.jobs,
        t.seed,
        t.generators.join(","),
        if t.stop_at_first { ", stopped at first finding" } else { "" }
    );
    for (what, (caught, ran)) in
        [("spec testsuite", t.caught_by(|r| r.spec.as_ref())), ("suites/edges", t.caught_by(|r| r.edges.as_ref()))]
    {
        if ran > 0 {
            out += &format!("{what}: caught {caught} of {ran}\n");
        }
    }
    let missed: Vec<String> =
        t.rows.iter().filter(|r| !r.fuzz.killed).map(|r| format!("#{} {}", r.number, r.name)).collect();
    if !missed.is_empty() {
        out += &format!("not killed by the fuzz loop: {}\n", missed.join(", "));
    }
    out += &format!("elapsed {:.0} s\n", t.elapsed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_takes_numbers_and_names_and_names_the_bad_one() {
        let got = select(&["1".into(), "addr-wrap-32".into()]).unwrap();
        assert_eq!(got.iter().map(|m| m.number).collect::<Vec<_>>(), vec![1, 7]);
        let err = select(&["nope".into()]).unwrap_err().to_string();
        assert!(err.contains("`nope`") && err.contains("--list"), "{err}");
        assert_eq!(select(&[]).unwrap().len(), ZOO.len());
    }
}
