//! `redzone run PATH...`: runs what the paths hold on engine configurations.
//!
//! - `.wast` scripts run exactly as in `redzone spec` (the same runner), as if in scope;
//! - `.wat`/`.wasm` modules are loaded and instantiated (with `spectest` available), then
//!   every exported function that takes no parameters is called once, with fuel, and each
//!   outcome is printed.
//!
//! Folders are walked for those three extensions. Issue 4 turns this verb into the full
//! differential: [`ModuleOutcome`] is what the oracle will compare between engines.

use super::{Format, Status, jobs};
use crate::engines::{self, Engine, EngineError, ExportKind, Val, display_values};
use crate::report::human::HumanReporter;
use crate::report::json::JsonReporter;
use crate::report::{Event, Reporter, Results};
use crate::spec::{Scope, ScriptOptions, SuiteFile, run_all};
use anyhow::{Context, bail};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Fuel for each call of a module's export.
pub const FUEL_PER_CALL: u64 = 100_000_000;

/// Arguments of `redzone run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Engine configurations, comma-separated (`all`, or `-name` to exclude one).
    #[arg(long, value_name = "LIST", default_value = "all")]
    pub engines: String,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Worker threads for scripts (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Files (.wast, .wat, .wasm) or folders to walk for them.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

/// A file to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A `.wast` script.
    Script(PathBuf),
    /// A `.wat` or `.wasm` module.
    Module(PathBuf),
}

/// The inputs under `paths`, in the order given, folders walked in sorted order.
pub fn collect_inputs(paths: &[PathBuf]) -> anyhow::Result<Vec<Input>> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found).with_context(|| format!("reading {}", path.display()))?;
            found.sort();
            out.extend(found.into_iter().filter_map(classify));
        } else {
            match classify(path.clone()) {
                Some(input) => out.push(input),
                None => bail!("{}: expected a .wast, .wat or .wasm file", path.display()),
            }
        }
    }
    if out.is_empty() {
        bail!(
            "no .wast, .wat or .wasm files under {}",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn classify(path: PathBuf) -> Option<Input> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("wast") => Some(Input::Script(path)),
        Some("wat" | "wasm") => Some(Input::Module(path)),
        _ => None,
    }
}

/// The outcome of one call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallOutcome {
    /// Export name.
    pub export: String,
    /// Results, or the error (a trap, usually) as text.
    pub result: Result<Vec<Val>, String>,
}

/// What one engine did with one module.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModuleOutcome {
    /// The file.
    pub file: String,
    /// The engine configuration.
    pub engine: String,
    /// Instantiation: `Ok` or the error as text.
    pub instantiate: Result<(), String>,
    /// The calls, in export order.
    pub calls: Vec<CallOutcome>,
}

/// Loads `wasm` on `engine`, instantiates it, and calls each exported function that takes
/// no parameters.
pub fn run_module(engine: &mut dyn Engine, file: &str, wasm: &[u8]) -> ModuleOutcome {
    let mut outcome = ModuleOutcome {
        file: file.to_string(),
        engine: engine.name().to_string(),
        instantiate: Ok(()),
        calls: Vec::new(),
    };
    engine.set_fuel(Some(FUEL_PER_CALL));
    let instance = match engine.load(wasm) {
        Ok(i) => i,
        Err(e) => {
            outcome.instantiate = Err(e.to_string());
            return outcome;
        }
    };
    let exports = match engine.exports(instance) {
        Ok(x) => x,
        Err(e) => {
            outcome.instantiate = Err(e.to_string());
            return outcome;
        }
    };
    for export in exports {
        if !matches!(&export.kind, ExportKind::Func { params, .. } if params.is_empty()) {
            continue;
        }
        engine.set_fuel(Some(FUEL_PER_CALL));
        let result = engine.call(instance, &export.name, &[]).map_err(|e: EngineError| e.to_string());
        outcome.calls.push(CallOutcome { export: export.name, result });
    }
    outcome
}

fn render_module(o: &ModuleOutcome) -> String {
    let mut s = format!("{} [{}]\n", o.file, o.engine);
    match &o.instantiate {
        Ok(()) => s.push_str("  instantiate: ok\n"),
        Err(e) => s.push_str(&format!("  instantiate: {e}\n")),
    }
    for c in &o.calls {
        match &c.result {
            Ok(values) => s.push_str(&format!("  {}: {}\n", c.export, display_values(values))),
            Err(e) => s.push_str(&format!("  {}: {e}\n", c.export)),
        }
    }
    s
}

/// Runs the verb.
pub fn run(args: RunArgs) -> anyhow::Result<Status> {
    let engine_names = engines::select(&args.engines).context("--engines")?;
    let inputs = collect_inputs(&args.paths)?;
    let start = Instant::now();

    let scripts: Vec<SuiteFile> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::Script(p) => Some(SuiteFile {
                path: p.clone(),
                name: p.display().to_string(),
                scope: Scope::In("given on the command line".into()),
            }),
            Input::Module(_) => None,
        })
        .collect();
    let mut results = Results::default();
    let mut human = HumanReporter::new(std::io::stdout());
    let mut ok = true;
    if !scripts.is_empty() {
        let names: Vec<String> = scripts.iter().map(|f| f.name.clone()).collect();
        let engine_strings: Vec<String> = engine_names.iter().map(|s| s.to_string()).collect();
        let started = Event::Started { title: "scripts", files: &names, engines: &engine_strings };
        results.apply(&started);
        if args.format == Format::Text {
            human.handle(&started)?;
        }
        run_all(&scripts, &engine_names, &ScriptOptions::default(), jobs(args.jobs), |file, report| {
            ok &= report.ok();
            let event = Event::Finished { file, report: &report };
            results.apply(&event);
            if args.format == Format::Text {
                let _ = human.handle(&event);
            }
        });
        let done = Event::Done { elapsed: start.elapsed() };
        results.apply(&done);
        if args.format == Format::Text {
            human.handle(&done)?;
        }
    }

    let mut modules = Vec::new();
    let mut input_errors = Vec::new();
    for input in &inputs {
        let Input::Module(path) = input else { continue };
        let name = path.display().to_string();
        let bytes = match wat::parse_file(path) {
            Ok(b) => b,
            Err(e) => {
                input_errors.push(format!("{name}: {e}"));
                continue;
            }
        };
        for engine_name in &engine_names {
            let mut engine = engines::build(engine_name).with_context(|| format!("building {engine_name}"))?;
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_module(&mut *engine, &name, &bytes)))
                    .unwrap_or_else(|payload| ModuleOutcome {
                        file: name.clone(),
                        engine: engine_name.to_string(),
                        instantiate: Err(EngineError::panic(&*payload).to_string()),
                        calls: Vec::new(),
                    });
            if args.format == Format::Text {
                print!("{}", render_module(&outcome));
            }
            modules.push(outcome);
        }
    }
    if args.format == Format::Json {
        let doc = serde_json::json!({
            "scripts": if scripts.is_empty() { serde_json::Value::Null } else { JsonReporter::<Vec<u8>>::document(&results) },
            "modules": modules,
            "input_errors": input_errors,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    }
    if !input_errors.is_empty() {
        bail!("{} input file(s) could not be read:\n  {}", input_errors.len(), input_errors.join("\n  "));
    }
    Ok(if ok { Status::Ok } else { Status::Failed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_classified_and_sorted() {
        let dir = std::env::temp_dir().join(format!("redzone-run-inputs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for f in ["b.wat", "a.wast", "sub/c.wasm", "notes.md"] {
            std::fs::write(dir.join(f), "").unwrap();
        }
        let inputs = collect_inputs(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(
            inputs,
            vec![
                Input::Script(dir.join("a.wast")),
                Input::Module(dir.join("b.wat")),
                Input::Module(dir.join("sub/c.wasm"))
            ]
        );
        let err = collect_inputs(&[dir.join("notes.md")]).unwrap_err().to_string();
        assert!(err.contains("expected a .wast, .wat or .wasm file"), "{err}");
        assert!(collect_inputs(&[dir.join("missing")]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn module_outcomes_render_one_line_per_call() {
        let o = ModuleOutcome {
            file: "m.wat".into(),
            engine: "redzone:checked".into(),
            instantiate: Ok(()),
            calls: vec![
                CallOutcome { export: "f".into(), result: Ok(vec![Val::I32(1)]) },
                CallOutcome { export: "g".into(), result: Err("trap: unreachable".into()) },
            ],
        };
        assert_eq!(
            render_module(&o),
            "m.wat [redzone:checked]\n  instantiate: ok\n  f: [i32:1]\n  g: trap: unreachable\n"
        );
    }
}
