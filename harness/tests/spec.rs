//! One trial per in-scope spec testsuite file and engine.
//!
//! The testsuite is found as `redzone spec` finds it (`WASM_SPEC_TESTSUITE`, relative paths
//! tried against the crate directory cargo runs tests in and then the workspace root; then
//! `suites/spec/testsuite`). Without one, a single ignored trial says how to point at one,
//! unless `REDZONE_REQUIRE_SPEC_SUITE=1`, when a failing trial says so.

use crate::{check_report, engine_names, trial};
use libtest_mimic::Trial;
use redzone_harness::spec::suite::{HOW_TO_POINT, Lookup, discover, required_by_env};
use redzone_harness::spec::{Manifest, ScriptOptions, run_one};
use std::path::PathBuf;

/// Adds the trials; returns the testsuite root when there is one.
pub fn trials(trials: &mut Vec<Trial>) -> Option<PathBuf> {
    let location = match Lookup::from_env(None).locate() {
        Ok(Some(location)) => location,
        Ok(None) if required_by_env() => {
            trials.push(trial("spec::testsuite_present".into(), || {
                Err(format!("spec testsuite not found and REDZONE_REQUIRE_SPEC_SUITE is set: {HOW_TO_POINT}").into())
            }));
            return None;
        }
        Ok(None) => {
            eprintln!("note: spec testsuite not found, spec trials skipped: {HOW_TO_POINT}");
            trials.push(Trial::test("spec::testsuite_present", || Ok(())).with_ignored_flag(true));
            return None;
        }
        Err(e) => {
            let msg = e.to_string();
            trials.push(trial("spec::testsuite_present".into(), move || Err(msg.into())));
            return None;
        }
    };
    let files = match discover(&location.root, &Manifest::builtin(), &[]) {
        Ok(f) => f,
        Err(e) => {
            let msg = format!("reading {}: {e}", location.root.display());
            trials.push(trial("spec::testsuite_readable".into(), move || Err(msg.into())));
            return None;
        }
    };
    let in_scope: Vec<_> = files.into_iter().filter(|f| f.scope.is_in()).collect();
    let count = in_scope.len();
    trials.push(trial("spec::scope_is_not_empty".into(), move || {
        if count < 50 {
            return Err(format!("only {count} in-scope files: is the suite root right?").into());
        }
        Ok(())
    }));
    for engine in engine_names() {
        for file in &in_scope {
            let (path, name, scope) = (file.path.clone(), file.name.clone(), file.scope.clone());
            trials.push(trial(format!("spec::{engine}::{name}"), move || {
                check_report(&run_one(&path, &name, &scope, engine, &ScriptOptions::default()))
            }));
        }
    }
    Some(location.root)
}
