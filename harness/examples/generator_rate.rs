//! Measures each generator: cases per second of generation alone, then of generation plus a
//! run on the fuzz targets' fleet (`redzone_harness::fuzz::target::engine_names`), with the
//! share of cases that instantiate and of steps that are inconclusive. Divergences (other than
//! quiet NaN payloads, which the targets excuse too) are counted and the first few saved
//! (module and case JSON) under OUT_DIR.
//!
//! ```text
//! cargo run --release -p redzone-harness --example generator_rate -- [SECONDS] [OUT_DIR]
//! ```
//! SECONDS (per generator and phase) defaults to 10; OUT_DIR to `target/generator-rate`.
//! Inputs are seeded random bytes (seed 1), 4 KiB each.

use arbitrary::Unstructured;
use redzone_harness::fuzz::target::{Ran, config, engine_names, fuel, quiet_nan_payloads_only, render};
use redzone_harness::generators::{GeneratorKind, Rng, generate};
use redzone_harness::oracles::Verdict;
use redzone_harness::oracles::case::run_case;
use redzone_harness::oracles::fleet::Fleet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const INPUT_LEN: usize = 4096;
const SAVED_PER_GENERATOR: usize = 3;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = match args.next() {
        Some(s) => s.parse().map_err(|_| anyhow::anyhow!("SECONDS must be a whole number, got {s:?}"))?,
        None => 10,
    };
    let out = PathBuf::from(args.next().unwrap_or_else(|| "target/generator-rate".into()));
    let budget = Duration::from_secs(seconds);
    let names = engine_names();
    let _ = config(); // load the mutate corpus outside the timings
    println!("fleet: {}; {seconds} s per generator and phase; {INPUT_LEN}-byte inputs", names.join(", "));
    println!(
        "{:<8} {:>12} {:>10} {:>12} {:>12} {:>12} {:>12} {:>9}",
        "gen", "gen/s", "made", "run cases/s", "instantiated", "calls/case", "inconclusive", "diverged"
    );
    for kind in GeneratorKind::ALL {
        let mut rng = Rng::new(1);
        let (mut tried, mut made) = (0u64, 0u64);
        let start = Instant::now();
        while start.elapsed() < budget {
            let data = rng.bytes(INPUT_LEN);
            tried += 1;
            made += generate(kind, &mut Unstructured::new(&data), config()).is_ok() as u64;
        }
        let gen_rate = made as f64 / start.elapsed().as_secs_f64();

        let mut rng = Rng::new(1);
        let (mut cases, mut instantiated, mut steps, mut inconclusive, mut calls, mut diverged) = (0, 0, 0, 0, 0, 0);
        let mut reasons = std::collections::BTreeMap::new();
        let start = Instant::now();
        while start.elapsed() < budget {
            let data = rng.bytes(INPUT_LEN);
            let Ok(case) = generate(kind, &mut Unstructured::new(&data), config()) else { continue };
            let fuel = Some(fuel(kind));
            let run = run_case("rate", &case, fuel, || Fleet::build(names, fuel))?;
            let ran = Ran::of(&run);
            cases += 1;
            instantiated += ran.instantiated as usize;
            steps += run.steps.len();
            inconclusive += run.inconclusive();
            for step in &run.steps {
                if let Verdict::Inconclusive { why } = &step.verdict {
                    for part in why.split("; ") {
                        reasons.entry(part.to_string()).or_insert((0usize, step.label.clone())).0 += 1;
                    }
                }
            }
            calls += ran.calls;
            if run.steps.iter().any(|s| s.verdict.is_divergence() && !quiet_nan_payloads_only(s)) {
                diverged += 1;
                if diverged <= SAVED_PER_GENERATOR {
                    let dir = out.join(format!("{kind}-{diverged}"));
                    std::fs::create_dir_all(&dir)?;
                    std::fs::write(dir.join("module.wasm"), &case.wasm)?;
                    std::fs::write(dir.join("case.json"), serde_json::to_string_pretty(&case)?)?;
                    std::fs::write(dir.join("divergence.txt"), render(&case, &run))?;
                }
            }
        }
        let run_rate = cases as f64 / start.elapsed().as_secs_f64();
        let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
        println!(
            "{:<8} {:>12.0} {:>9.0}% {:>12.1} {:>11.1}% {:>12.1} {:>11.1}% {:>9}",
            kind.name(),
            gen_rate,
            pct(made as usize, tried as usize),
            run_rate,
            pct(instantiated, cases),
            calls as f64 / cases.max(1) as f64,
            pct(inconclusive, steps),
            diverged
        );
        let mut reasons: Vec<(String, (usize, String))> = reasons.into_iter().collect();
        reasons.sort_by_key(|(_, (n, _))| std::cmp::Reverse(*n));
        for (why, (n, label)) in reasons.iter().take(4) {
            let label: String = label.chars().take(80).collect();
            println!("         inconclusive {n:>5}x: {why} (first at {label})");
        }
    }
    Ok(())
}
