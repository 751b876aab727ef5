//! One trial per case of `suites/regressions/` (discovered by walking it): the case replays on
//! every available engine configuration, and every step must agree. A failure prints the
//! steps and the case's line saying what it was.

use crate::{engine_names, trial, workspace_root};
use libtest_mimic::Trial;
use redzone_harness::cli::run::render_module;
use redzone_harness::fuzz::regressions::{RegressionCase, case_files};

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    let dir = workspace_root().join("suites/regressions");
    let files = match case_files(&dir) {
        Ok(files) => files,
        Err(e) => {
            let message = format!("{e:#}");
            trials.push(trial("regressions::suite".into(), move || Err(message.into())));
            return;
        }
    };
    for file in files {
        let name = file.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        trials.push(trial(format!("regressions::{name}"), move || {
            let case = RegressionCase::load(&file).map_err(|e| format!("{e:#}"))?;
            let run = case.replay(&engine_names()).map_err(|e| e.to_string())?;
            if run.divergences() > 0 {
                return Err(format!("{}\n{}", case.record.what, render_module(&run)).into());
            }
            if run.steps.is_empty() {
                return Err(format!("{}: nothing ran", file.display()).into());
            }
            Ok(())
        }));
    }
}
