//! Spec testsuite pass counts per configuration, for the results document
//! ([`Conformance`]): `redzone bench --spec-suite DIR` fills it, and `redzone gate` calls
//! [`measure`] itself. The scripts run as `redzone spec --no-diff` runs them (the committed
//! scope manifest, the recorded expected failures, each engine on its own), on every core.

use super::machine::git_head;
use super::results::{Conformance, PassCounts};
use crate::spec::{Manifest, run_all};
use anyhow::{Context, bail};
use std::collections::BTreeMap;
use std::path::Path;

/// Runs every in-scope script of the testsuite at `suite` on each of `engines` and counts
/// passed, failed and expected-failing checks per configuration. `on_file(done, total)` is
/// called as scripts finish. An unknown engine, or a folder with no `.wast` file, is an
/// error; failing checks are counts, not errors.
pub fn measure_with(
    suite: &Path,
    engines: &[&str],
    mut on_file: impl FnMut(usize, usize),
) -> anyhow::Result<Conformance> {
    let names = crate::engines::select(&engines.join(",")).context("conformance engines")?;
    if !suite.is_dir() {
        bail!(
            "spec testsuite `{}` is not a directory: pass --spec-suite DIR (a WebAssembly/testsuite checkout)",
            suite.display()
        );
    }
    let files = crate::spec::suite::discover(suite, &Manifest::builtin(), &[])
        .with_context(|| format!("reading the spec testsuite at {}", suite.display()))?;
    if !files.iter().any(|f| f.scope.is_in()) {
        bail!("no in-scope .wast file under {}: is it the testsuite's root?", suite.display());
    }
    let mut counts: BTreeMap<String, PassCounts> =
        names.iter().map(|n| (n.to_string(), PassCounts::default())).collect();
    let total = files.len() * names.len();
    let mut done = 0;
    let jobs = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    run_all(&files, &names, &crate::spec::ScriptOptions::default(), jobs, |_, report| {
        let entry = counts.entry(report.engine.clone()).or_default();
        entry.passed += report.passed;
        entry.failed += report.failed;
        entry.expected_failures += report.expected_failures.len() as u64;
        done += 1;
        on_file(done, total);
    });
    Ok(Conformance { suite: suite.display().to_string(), suite_commit: git_head(suite), engines: counts })
}

/// [`measure_with`] without progress.
pub fn measure(suite: &Path, engines: &[&str]) -> anyhow::Result<Conformance> {
    measure_with(suite, engines, |_, _| {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_a_small_suite_per_engine() {
        let dir = std::env::temp_dir().join(format!("redzone-conformance-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // `address.wast` is in the committed scope manifest.
        std::fs::write(
            dir.join("address.wast"),
            r#"(module (func (export "one") (result i32) i32.const 1))
               (assert_return (invoke "one") (i32.const 1))
               (assert_return (invoke "one") (i32.const 2))"#,
        )
        .unwrap();
        let mut calls = 0;
        let c = measure_with(&dir, &["redzone:checked", "wasmi"], |done, total| {
            calls += 1;
            assert!(done <= total);
        })
        .unwrap();
        assert_eq!(calls, 2);
        for engine in ["redzone:checked", "wasmi"] {
            let counts = c.engines[engine];
            assert_eq!((counts.passed, counts.failed), (2, 1), "{engine}: module + one assertion pass");
        }
        let err = format!("{:#}", measure(&dir, &["nope"]).unwrap_err());
        assert!(err.contains("unknown engine `nope`"), "{err}");
        let empty = dir.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        assert!(measure(&empty, &["wasmi"]).unwrap_err().to_string().contains("no in-scope"));
        assert!(measure(&dir.join("absent"), &["wasmi"]).unwrap_err().to_string().contains("not a directory"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
