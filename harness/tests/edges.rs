//! One trial per script in `suites/edges/` and engine.

use crate::{check_report, engine_names, trial, workspace_root};
use libtest_mimic::Trial;
use redzone_harness::spec::suite::find_wast_files;
use redzone_harness::spec::{Scope, ScriptOptions, run_one};

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    let dir = workspace_root().join("suites/edges");
    let files = find_wast_files(&dir).unwrap_or_default();
    let count = files.len();
    trials.push(trial("edges::suite_has_scripts".into(), move || {
        if count < 5 {
            return Err(format!("expected at least 5 scripts in suites/edges, found {count}").into());
        }
        Ok(())
    }));
    for engine in engine_names() {
        for (path, name) in &files {
            let (path, name) = (path.clone(), format!("suites/edges/{name}"));
            trials.push(trial(format!("edges::{engine}::{name}"), move || {
                let scope = Scope::In("project suite".into());
                check_report(&run_one(&path, &name, &scope, engine, &ScriptOptions::default()))
            }));
        }
    }
}
