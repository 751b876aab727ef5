//! The cross-engine state diff: one `.wast` script on several engines in lockstep, directive
//! by directive, with every engine's exported state compared after each directive that runs
//! code.
//!
//! Each engine keeps its own [`WastRunner`] and its own [`ScriptReport`] (so a script's own
//! assertions count exactly as in [`super::run_one`]); the script is parsed once per engine,
//! because running a directive consumes it. After a `module`, `module instance`, `invoke`,
//! `assert_return (invoke ..)` or `assert_trap (invoke ..)`, the instance that directive
//! touched is read on every engine that has it (memories hashed by page, globals, tables) and
//! compared (every memory: the lanes run each module with its unexported memories exported,
//! `oracles::expose`) with [`crate::oracles::compare_states`]. The comparisons go into one more report,
//! whose engine column is [`DIFF_COLUMN`]: a pass per agreeing comparison, a failure per
//! divergence naming the directive's `file:line:col`, the engines on each side and, for
//! memories, the differing bytes in hex. `assert_exhaustion` is not compared: engines stop at
//! different depths, with different side effects, legitimately.
//!
//! Data enters as suite files and engine names and leaves through a callback, one report per
//! engine plus the diff report per file, like [`super::run_all`].

use super::runner::directive_name;
use super::{Scope, ScriptOptions, ScriptReport, SuiteFile, WastRunner, parse_buffer, run_one};
use crate::engines::{self, Engine, Export, ExportKind, InstanceId, panic_free};
use crate::oracles::fleet::{explain_memory, memories_equal, observe};
use crate::oracles::{State, Verdict, compare_states};
use crate::spec::Failure;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;
use wast::{Wast, WastDirective, WastExecute};

/// The engine name of the cross-engine diff's report (its column in the tables).
pub const DIFF_COLUMN: &str = "diff";

/// The columns of a lockstep run on `engines`: the engines, then the diff when there are two
/// or more engines to compare.
pub fn columns(engines: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = engines.iter().map(|s| s.to_string()).collect();
    if engines.len() > 1 {
        out.push(DIFF_COLUMN.to_string());
    }
    out
}

/// Which instance a directive runs code in: `Some(None)` for the current one, `Some(Some(n))`
/// for the one named `$n`, `None` when the directive runs no code worth comparing after.
fn touched(d: &WastDirective<'_>) -> Option<Option<String>> {
    let name = |m: &Option<wast::token::Id<'_>>| m.map(|id| id.name().to_string());
    match d {
        WastDirective::Module(_) => Some(None),
        WastDirective::ModuleInstance { instance, .. } => Some(name(instance)),
        WastDirective::Invoke(i) => Some(name(&i.module)),
        WastDirective::AssertReturn { exec: WastExecute::Invoke(i), .. }
        | WastDirective::AssertTrap { exec: WastExecute::Invoke(i), .. } => Some(name(&i.module)),
        _ => None,
    }
}

/// One engine's side of a lockstep run.
struct Lane {
    runner: WastRunner,
    report: ScriptReport,
    poisoned: bool,
    /// Non-function exports per instance, read once.
    exports: HashMap<InstanceId, Vec<Export>>,
}

impl Lane {
    /// Reads (once) and caches the non-function exports of `instance`.
    fn cache_exports(&mut self, instance: InstanceId) -> bool {
        if self.exports.contains_key(&instance) {
            return true;
        }
        let engine = self.runner.engine();
        let Ok(Ok(all)) = panic_free(|| engine.exports(instance)) else { return false };
        let kept = all.into_iter().filter(|e| !matches!(e.kind, ExportKind::Func { .. })).collect();
        self.exports.insert(instance, kept);
        true
    }

    fn state(&self, instance: InstanceId, hash_pages: bool) -> Option<State> {
        let exports = self.exports.get(&instance)?;
        panic_free(|| observe(self.runner.engine(), instance, exports, hash_pages)).ok()?.ok()
    }
}

/// Runs one file on every engine in lockstep. Returns one report per engine, in order, then
/// the diff report when there are two or more engines. A file that cannot run in lockstep
/// (unreadable, out of scope, not parsing, an engine that does not build) runs engine by
/// engine through [`run_one`], which reports why.
pub fn run_file(
    path: &Path,
    name: &str,
    scope: &Scope,
    engine_names: &[&str],
    options: &ScriptOptions,
) -> Vec<ScriptReport> {
    let fallback = || {
        let mut reports: Vec<ScriptReport> =
            engine_names.iter().map(|e| run_one(path, name, scope, e, options)).collect();
        if reports.len() > 1 {
            // Nothing was compared: the diff column shows the first engine's skip or failure
            // reason without counting its checks again.
            let mut diff = ScriptReport::skipped(name, DIFF_COLUMN, 0, "");
            diff.skip_reason = reports[0].skip_reason.clone();
            reports.push(diff);
        }
        reports
    };
    if scope.skip_reason().is_some() {
        return fallback();
    }
    let Ok(text) = std::fs::read_to_string(path) else { return fallback() };
    let mut adapters = Vec::new();
    for engine in engine_names {
        let Ok(adapter) = engines::build(engine) else { return fallback() };
        adapters.push(adapter);
    }
    run_script(adapters, name, &text, options).unwrap_or_else(fallback)
}

/// Runs the script `text` (reported as `name`) in lockstep on ready-made adapters (tests pass
/// wrapped engines here). `None` when the script does not parse: the per-engine runner
/// reports that.
pub fn run_script(
    adapters: Vec<Box<dyn Engine>>,
    name: &str,
    text: &str,
    options: &ScriptOptions,
) -> Option<Vec<ScriptReport>> {
    let mut buffers = Vec::new();
    for _ in &adapters {
        buffers.push(parse_buffer(text).ok()?);
    }
    let mut scripts = Vec::new();
    for buf in &buffers {
        scripts.push(wast::parser::parse::<Wast<'_>>(buf).ok()?.directives.into_iter());
    }
    let mut lanes = Vec::new();
    // The state diff compares every memory, exported or not (see `oracles::expose`).
    let options = ScriptOptions { expose_memories: true, ..options.clone() };
    for adapter in adapters {
        let runner = WastRunner::new(adapter, options.clone());
        let report = runner.new_report(name);
        lanes.push(Lane { runner, report, poisoned: false, exports: HashMap::new() });
    }
    if lanes.is_empty() {
        return Some(Vec::new());
    }
    let start = Instant::now();
    let mut diff = lanes[0].runner.new_report(name);
    diff.engine = DIFF_COLUMN.to_string();
    let total = scripts[0].len();
    for index in 0..total {
        let mut target = None;
        let mut position = (0, 0);
        let mut what = "";
        for (lane, script) in lanes.iter_mut().zip(scripts.iter_mut()) {
            let Some(directive) = script.next() else { continue };
            if target.is_none() {
                target = touched(&directive);
                position = directive.span().linecol_in(text);
                what = directive_name(&directive);
            }
            if !lane.poisoned {
                lane.poisoned = lane.runner.step(&mut lane.report, name, text, index, total, directive);
            }
        }
        let Some(module) = target else { continue };
        if lanes.len() < 2 {
            continue;
        }
        let mut present: Vec<(usize, InstanceId)> = Vec::new();
        for (i, lane) in lanes.iter_mut().enumerate().filter(|(_, l)| !l.poisoned) {
            if let Some(instance) = lane.runner.instance_named(module.as_deref())
                && lane.cache_exports(instance)
            {
                present.push((i, instance));
            }
        }
        let sides: Vec<(&dyn Engine, InstanceId, &[Export])> = present
            .iter()
            .map(|&(i, instance)| (lanes[i].runner.engine(), instance, &lanes[i].exports[&instance][..]))
            .collect();
        let hash = !memories_equal(&sides);
        let states: Vec<(String, State)> = present
            .iter()
            .filter_map(|&(i, instance)| Some((lanes[i].report.engine.clone(), lanes[i].state(instance, hash)?)))
            .collect();
        if states.len() < 2 {
            continue;
        }
        let named: Vec<(&str, &State)> = states.iter().map(|(n, s)| (n.as_str(), s)).collect();
        let mut verdict = compare_states(&named);
        if verdict == Verdict::Agree {
            diff.passed += 1;
            continue;
        }
        explain_memory(&mut verdict, |engine, memory| {
            let lane = lanes.iter().find(|l| l.report.engine == engine)?;
            let instance = lane.runner.instance_named(module.as_deref())?;
            lane.runner.engine().memory(instance, memory).ok().map(|m| m.bytes)
        });
        diff.failed += 1;
        let mut seen = verdict.to_string();
        if let Verdict::Diverge { detail, .. } = &verdict {
            for line in detail {
                seen.push_str("\n      ");
                seen.push_str(line);
            }
        }
        diff.failures.push(Failure {
            file: name.to_string(),
            line: position.0 + 1,
            col: position.1 + 1,
            directive: format!("state after {what}"),
            expected: "the same exported state on every engine".to_string(),
            seen,
        });
    }
    let elapsed = start.elapsed();
    let expectations = super::Expectations::builtin();
    let mut out: Vec<ScriptReport> = lanes
        .into_iter()
        .map(|mut l| {
            l.report.duration = elapsed;
            // Each engine's recorded failures, as `run_one` applies them.
            expectations.apply(&mut l.report);
            l.report
        })
        .collect();
    if out.len() > 1 {
        diff.duration = elapsed;
        out.push(diff);
    }
    Some(out)
}

/// Runs every file in lockstep on every engine, files spread over `jobs` threads (at least
/// one), calling `on_report` on the calling thread with the file's index and each report (the
/// engines', then the diff's), in completion order.
pub fn run_all(
    files: &[SuiteFile],
    engine_names: &[&str],
    options: &ScriptOptions,
    jobs: usize,
    on_report: impl FnMut(usize, ScriptReport),
) {
    super::run_all_isolated(files, engine_names, options, jobs, true, &crate::isolation::Isolation::None, on_report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(text: &str) -> std::path::PathBuf {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "redzone-lockstep-{}-{}.wast",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn every_code_running_directive_is_compared() {
        let path = script(
            r#"(module (memory (export "m") 1) (global (export "g") (mut i32) (i32.const 0))
                 (func (export "put") (param i32) (i32.store8 (local.get 0) (i32.const 7))
                   (global.set 0 (local.get 0))))
               (invoke "put" (i32.const 3))
               (assert_return (invoke "put" (i32.const 65535)))
               (assert_trap (invoke "put" (i32.const 65536)) "out of bounds memory access")"#,
        );
        let names = engines::default_names();
        let reports = run_file(&path, "t.wast", &Scope::In("test".into()), &names, &ScriptOptions::default());
        std::fs::remove_file(&path).unwrap();
        assert!(reports[..names.len()].iter().all(|r| r.passed == 4 && r.ok()), "{reports:#?}");
        if names.len() > 1 {
            let diff = reports.last().unwrap();
            assert_eq!(diff.engine, DIFF_COLUMN);
            assert_eq!((diff.passed, diff.failed), (4, 0), "{diff:#?}");
        }
    }

    #[test]
    fn one_engine_has_no_diff_column() {
        assert_eq!(columns(&["redzone:checked"]), vec!["redzone:checked"]);
        assert_eq!(columns(&["a", "b"]), vec!["a", "b", "diff"]);
    }
}
