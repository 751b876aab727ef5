//! Bad input never panics and always gives a typed error (issue 2, "Bad input").
//!
//! Every `assert_malformed` / `assert_invalid` module of the in-scope testsuite files, a few
//! thousand deterministic mutations (truncations, bit flips, byte insertions and deletions,
//! seed 0x7ed2_0e00) of the valid modules there (or of `suites/edges` when no testsuite is
//! around), and seeded random bytes go through `redzone_harness::fuzz::load::run`: decode,
//! validate, instantiate with `spectest`, and a fuel-limited call of every export. `run`
//! itself asserts that each error has the right stage and that decode errors carry their
//! byte offset; here every panic is caught and reported with the input that caused it.

use crate::{trial, workspace_root};
use libtest_mimic::{Failed, Trial};
use redzone_harness::engines::panic_free;
use redzone_harness::fuzz::load::{LoadOutcome, run};
use redzone_harness::generators::{Rng, corrupt::mutants};
use redzone_harness::spec::suite::{discover, find_wast_files};
use redzone_harness::spec::{Manifest, parse_buffer};
use std::path::{Path, PathBuf};

/// Mutants made in all.
const MUTANTS: usize = 4000;
/// The fixed seed of the mutations.
const SEED: u64 = 0x7ed2_0e00;

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>, suite: Option<&Path>) {
    let scripts = scripts(suite);
    let has_suite = suite.is_some();
    let s = scripts.clone();
    trials.push(trial("bad_input::testsuite_rejected_modules".into(), move || {
        if !has_suite {
            return Err("needs the spec testsuite (see the spec::testsuite_present trial)".into());
        }
        let (_, rejected) = collect(&s);
        if rejected.len() < 1000 {
            return Err(format!("only {} malformed/invalid modules found", rejected.len()).into());
        }
        feed(rejected.iter().map(|(what, bytes)| (what.clone(), bytes.clone())))
    }));
    let s = scripts;
    trials.push(trial("bad_input::mutated_modules".into(), move || {
        let (valid, _) = collect(&s);
        if valid.is_empty() {
            return Err("no valid module to mutate".into());
        }
        let mut rng = Rng::new(SEED);
        let per_seed = MUTANTS.div_ceil(valid.len()).max(1);
        let mut inputs = Vec::new();
        'outer: for (what, bytes) in &valid {
            for (mutations, mutant) in mutants(bytes, &mut rng, per_seed) {
                inputs.push((format!("{what} mutated by {mutations:?}"), mutant));
                if inputs.len() == MUTANTS {
                    break 'outer;
                }
            }
        }
        feed(inputs.into_iter())
    }));
    trials.push(trial("bad_input::random_bytes".into(), || {
        let mut rng = Rng::new(SEED ^ 1);
        let inputs = (0..500).map(|i| {
            let len = rng.below(200) as usize;
            let mut bytes = if i % 2 == 0 { b"\0asm\x01\0\0\0".to_vec() } else { Vec::new() };
            bytes.extend(rng.bytes(len));
            (format!("random input #{i}"), bytes)
        });
        feed(inputs)
    }));
}

/// The scripts to take modules from: in-scope testsuite files, else `suites/edges`.
fn scripts(suite: Option<&Path>) -> Vec<PathBuf> {
    match suite {
        Some(root) => discover(root, &Manifest::builtin(), &[])
            .unwrap_or_default()
            .into_iter()
            .filter(|f| f.scope.is_in())
            .map(|f| f.path)
            .collect(),
        None => find_wast_files(&workspace_root().join("suites/edges"))
            .unwrap_or_default()
            .into_iter()
            .map(|(p, _)| p)
            .collect(),
    }
}

type Labelled = Vec<(String, Vec<u8>)>;

/// The binaries of a set of scripts: (valid modules, malformed or invalid modules).
fn collect(scripts: &[PathBuf]) -> (Labelled, Labelled) {
    let (mut valid, mut rejected) = (Vec::new(), Vec::new());
    for path in scripts {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let Ok(buf) = parse_buffer(&text) else { continue };
        let Ok(script) = wast::parser::parse::<wast::Wast<'_>>(&buf) else { continue };
        for directive in script.directives {
            let (line, _) = directive.span().linecol_in(&text);
            let what = format!("{}:{}", path.display(), line + 1);
            match directive {
                wast::WastDirective::Module(mut m) => {
                    if let Ok(bytes) = m.encode() {
                        valid.push((what, bytes));
                    }
                }
                wast::WastDirective::AssertMalformed { mut module, .. }
                | wast::WastDirective::AssertInvalid { mut module, .. } => {
                    if let Ok(bytes) = module.encode() {
                        rejected.push((what, bytes));
                    }
                }
                _ => {}
            }
        }
    }
    (valid, rejected)
}

/// Runs every input, catching panics; fails listing the first few inputs that panicked.
fn feed(inputs: impl Iterator<Item = (String, Vec<u8>)>) -> Result<(), Failed> {
    let (mut total, mut panics) = (0usize, Vec::new());
    let mut outcomes = [0usize; 3];
    for (what, bytes) in inputs {
        total += 1;
        match panic_free(|| run(&bytes)) {
            Ok(LoadOutcome::Rejected(_)) => outcomes[0] += 1,
            Ok(LoadOutcome::NotInstantiated(_)) => outcomes[1] += 1,
            Ok(LoadOutcome::Ran { .. }) => outcomes[2] += 1,
            Err(msg) => panics.push(format!("{what}: {msg}")),
        }
    }
    if total == 0 {
        return Err("no input".into());
    }
    if panics.is_empty() {
        eprintln!("{total} inputs: {} rejected, {} not instantiated, {} ran", outcomes[0], outcomes[1], outcomes[2]);
        return Ok(());
    }
    let shown: Vec<&String> = panics.iter().take(20).collect();
    Err(format!(
        "{} of {total} inputs panicked (first {}):\n  {}",
        panics.len(),
        shown.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  ")
    )
    .into())
}
