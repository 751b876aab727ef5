//! One trial per script in `suites/edges/` and engine, and one running `redzone run`'s
//! differential over the whole folder on every available configuration.

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
    trials.push(trial("edges::differential".into(), || {
        use redzone_harness::cli::run::{Input, RunOptions, collect_inputs, differential};
        use redzone_harness::oracles::fleet::CallPlan;
        let inputs: Vec<Input> = collect_inputs(&[workspace_root().join("suites/edges")]).map_err(|e| e.to_string())?;
        let options = RunOptions {
            engines: engine_names(),
            plan: CallPlan::default(),
            out: None,
            jobs: 2,
            imports: Default::default(),
            isolation: Default::default(),
        };
        let summary = differential(&inputs, &options, |_| {}, |_| {}).map_err(|e| e.to_string())?;
        let mut problems: Vec<String> = summary.input_errors.clone();
        if let Some(results) = &summary.scripts {
            for r in results.reports().filter(|r| !r.ok()) {
                problems.extend(r.failures.iter().map(|f| format!("[{}] {f}", r.engine)));
            }
            if results.reports().count() == 0 {
                problems.push("no script ran".into());
            }
        }
        for m in summary.modules.iter().filter(|m| m.divergences() > 0) {
            problems.push(redzone_harness::cli::run::render_module(m));
        }
        if problems.is_empty() { Ok(()) } else { Err(problems.join("\n").into()) }
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
