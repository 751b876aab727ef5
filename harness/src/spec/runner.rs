//! [`WastRunner`]: runs one `.wast` script's directives, in order, on one engine adapter, and
//! counts every directive as one check that passed, failed or was skipped.
//!
//! Commands (`module`, `register`, `invoke`) count too: they pass when they succeed. A
//! directive the harness cannot run (threads, exceptions, component-model values, v128
//! values) is a failure with the reason, never a silent skip: out-of-scope files are kept
//! out by the manifest, not here.

use super::expect::{Expected, arg_value, display_expected, expected, trap_kind_for_message};
use crate::engines::{Engine, EngineError, EngineErrorKind, InstanceId, ModuleId, Val, display_values, panic_message};
use redzone_engine::TrapKind;
use serde::Serialize;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};
use wast::token::Id;
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, Wat};

/// How a script is run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScriptOptions {
    /// Instruction budget for each invoke and each instantiation, so a runaway engine bug ends
    /// as a failure instead of a hang. `None` runs without fuel. Defaults to 2^33, far above
    /// what any spec test needs; not 2^32, because wasmtime charges fuel in proportion to a
    /// bulk operation's length before its bounds check, and the testsuite fills, copies and
    /// inits up to 2^32 - 1 bytes or elements, expecting an out-of-bounds trap.
    pub fuel_per_call: Option<u64>,
    /// Exports every memory a `module` directive's module does not export (see
    /// `oracles::expose`), so that the lockstep state diff compares every memory. The checks
    /// see the same module but for the added exports. Defaults to false; the lockstep runs
    /// turn it on.
    pub expose_memories: bool,
}

impl Default for ScriptOptions {
    fn default() -> Self {
        ScriptOptions { fuel_per_call: Some(1 << 33), expose_memories: false }
    }
}

/// One check that did not pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Failure {
    /// Script path as given to the runner.
    pub file: String,
    /// 1-based line of the directive.
    pub line: usize,
    /// 1-based column of the directive.
    pub col: usize,
    /// The directive (`assert_return`, `module`, ...).
    pub directive: String,
    /// What the script expected.
    pub expected: String,
    /// What the engine did.
    pub seen: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: expected {}, seen {}",
            self.file, self.line, self.col, self.directive, self.expected, self.seen
        )
    }
}

/// The outcome of one script on one engine.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ScriptReport {
    /// Script path as given to the runner.
    pub file: String,
    /// Engine configuration name.
    pub engine: String,
    /// Checks that passed.
    pub passed: u64,
    /// Checks that failed (each has an entry in `failures`).
    pub failed: u64,
    /// Checks not run, with the reason in `skip_reason` (whole out-of-scope scripts only).
    pub skipped: u64,
    /// Why the script was skipped, when it was.
    pub skip_reason: Option<String>,
    /// Every failure, in script order.
    pub failures: Vec<Failure>,
    /// Why this engine is expected to fail some checks (suites/spec/expectations.toml).
    pub expected: Vec<String>,
    /// The failures that were expected, counted in `skipped` rather than `failed`.
    pub expected_failures: Vec<Failure>,
    /// Wall time (redacted from snapshots, never asserted on).
    #[serde(serialize_with = "serialize_secs", deserialize_with = "deserialize_secs")]
    pub duration: Duration,
}

fn serialize_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

fn deserialize_secs<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let secs = <f64 as serde::Deserialize>::deserialize(d)?;
    Ok(Duration::try_from_secs_f64(secs).unwrap_or_default())
}

impl ScriptReport {
    fn new(file: &str, engine: &str) -> Self {
        ScriptReport {
            file: file.to_string(),
            engine: engine.to_string(),
            passed: 0,
            failed: 0,
            skipped: 0,
            skip_reason: None,
            failures: Vec::new(),
            expected: Vec::new(),
            expected_failures: Vec::new(),
            duration: Duration::ZERO,
        }
    }

    /// A report for a script that was not run: `checks` directives skipped for `reason`.
    pub fn skipped(file: &str, engine: &str, checks: u64, reason: &str) -> Self {
        let mut r = ScriptReport::new(file, engine);
        r.skipped = checks;
        r.skip_reason = Some(reason.to_string());
        r
    }

    /// Whether nothing failed.
    pub fn ok(&self) -> bool {
        self.failed == 0
    }
}

/// Lexes a script for the `wast` parser. "Confusing" unicode (bidirectional overrides and
/// the like) is allowed: the testsuite uses it on purpose (`names.wast`), and a test script is
/// not source code a person is tricked into reading.
pub fn parse_buffer(text: &str) -> Result<wast::parser::ParseBuffer<'_>, wast::Error> {
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    wast::parser::ParseBuffer::new_with_lexer(lexer)
}

/// The number of directives in a script, or `None` when it does not parse. Used to count the
/// checks of a script that is skipped.
pub fn count_directives(text: &str) -> Option<u64> {
    let buf = parse_buffer(text).ok()?;
    let script: Wast<'_> = wast::parser::parse(&buf).ok()?;
    Some(script.directives.len() as u64)
}

/// Runs `.wast` scripts on one engine adapter. Build a new runner (and adapter) per script:
/// the adapter's store holds the script's modules and registrations.
pub struct WastRunner {
    engine: Box<dyn Engine>,
    options: ScriptOptions,
    /// The most recent instance (what unnamed `invoke`, `get` and `register` use).
    current: Option<InstanceId>,
    /// Why there is no current instance, when its module failed.
    current_missing: Option<String>,
    instances: HashMap<String, InstanceId>,
    definitions: HashMap<String, ModuleId>,
    last_definition: Option<ModuleId>,
}

/// Why a check failed: what was expected and what was seen.
struct Mismatch {
    expected: String,
    seen: String,
}

type Check = Result<(), Mismatch>;

fn mismatch(expected: impl Into<String>, seen: impl Into<String>) -> Mismatch {
    Mismatch { expected: expected.into(), seen: seen.into() }
}

impl WastRunner {
    /// A runner for one script on `engine`.
    pub fn new(engine: Box<dyn Engine>, options: ScriptOptions) -> Self {
        WastRunner {
            engine,
            options,
            current: None,
            current_missing: None,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
        }
    }

    /// Runs every directive of `text` (the script at `file`, used in messages). A script that
    /// does not parse is one failure at the parse error's position. An engine panic is caught
    /// and fails the directive that caused it; the rest of the script is not run, as the
    /// adapter's state can no longer be trusted, and its directives count as failed.
    pub fn run_script(mut self, file: &str, text: &str) -> ScriptReport {
        let start = Instant::now();
        let mut report = ScriptReport::new(file, self.engine.name());
        let buf = match parse_buffer(text) {
            Ok(buf) => buf,
            Err(e) => {
                parse_failure(&mut report, file, text, e);
                report.duration = start.elapsed();
                return report;
            }
        };
        let script: Wast<'_> = match wast::parser::parse(&buf) {
            Ok(s) => s,
            Err(e) => {
                parse_failure(&mut report, file, text, e);
                report.duration = start.elapsed();
                return report;
            }
        };
        let total = script.directives.len();
        for (index, directive) in script.directives.into_iter().enumerate() {
            if self.step(&mut report, file, text, index, total, directive) {
                break;
            }
        }
        report.duration = start.elapsed();
        report
    }

    /// Runs one directive (the `index`-th of `total` in `text`) into `report`. Returns true
    /// when the engine panicked: the rest of the script is then counted as failed and must not
    /// run. Used by [`WastRunner::run_script`] and by the lockstep runner.
    pub(crate) fn step(
        &mut self,
        report: &mut ScriptReport,
        file: &str,
        text: &str,
        index: usize,
        total: usize,
        directive: WastDirective<'_>,
    ) -> bool {
        let (line, col) = directive.span().linecol_in(text);
        let name = directive_name(&directive);
        let outcome = catch_unwind(AssertUnwindSafe(|| self.directive(directive)));
        let (result, poisoned) = match outcome {
            Ok(r) => (r, false),
            Err(payload) => (Err(mismatch("no panic", format!("engine panicked: {}", panic_message(&*payload)))), true),
        };
        match result {
            Ok(()) => report.passed += 1,
            Err(m) => {
                report.failed += 1;
                report.failures.push(Failure {
                    file: file.to_string(),
                    line: line + 1,
                    col: col + 1,
                    directive: name.to_string(),
                    expected: m.expected,
                    seen: m.seen,
                });
            }
        }
        if poisoned {
            let rest = (total - index - 1) as u64;
            if rest > 0 {
                report.failed += rest;
                report.failures.push(Failure {
                    file: file.to_string(),
                    line: line + 1,
                    col: col + 1,
                    directive: "(rest of script)".to_string(),
                    expected: format!("{rest} more directives to run"),
                    seen: "not run: the engine panicked above".to_string(),
                });
            }
        }
        poisoned
    }

    /// An empty report for `file` on this runner's engine.
    pub(crate) fn new_report(&self, file: &str) -> ScriptReport {
        ScriptReport::new(file, self.engine.name())
    }

    /// The engine, to read state from.
    pub(crate) fn engine(&self) -> &dyn Engine {
        &*self.engine
    }

    /// The instance a directive naming `module` (or none, for the current one) acts on.
    pub(crate) fn instance_named(&self, module: Option<&str>) -> Option<InstanceId> {
        match module {
            Some(name) => self.instances.get(name).copied(),
            None => self.current,
        }
    }

    fn directive(&mut self, directive: WastDirective<'_>) -> Check {
        match directive {
            WastDirective::Module(mut module) => {
                let name = module.name();
                let result = self.encode(&mut module).and_then(|bytes| {
                    self.engine.load(&bytes).map_err(|e| mismatch("the module to instantiate", e.to_string()))
                });
                self.set_current(name, result)
            }
            WastDirective::ModuleDefinition(mut module) => {
                let name = module.name();
                let bytes = self.encode(&mut module)?;
                let id = self.engine.compile(&bytes).map_err(|e| mismatch("the module to compile", e.to_string()))?;
                if let Some(name) = name {
                    self.definitions.insert(name.name().to_string(), id);
                }
                self.last_definition = Some(id);
                Ok(())
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                let definition = match module {
                    Some(m) => self.definitions.get(m.name()).copied(),
                    None => self.last_definition,
                }
                .ok_or_else(|| mismatch("a module definition to instantiate", "none by that name"))?;
                let result = self
                    .engine
                    .instantiate(definition)
                    .map_err(|e| mismatch("the module to instantiate", e.to_string()));
                self.set_current(instance, result)
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance(module)?;
                self.engine
                    .register(instance, name)
                    .map_err(|e| mismatch(format!("to register as {name:?}"), e.to_string()))
            }
            WastDirective::Invoke(invoke) => self.invoke(&invoke).map(|_| ()).map_err(|e| match e {
                Ok(err) => mismatch("the call to return", err.to_string()),
                Err(m) => m,
            }),
            WastDirective::AssertReturn { exec, results, .. } => self.assert_return(exec, &results),
            WastDirective::AssertTrap { exec, message, .. } => self.assert_trap(exec, message),
            WastDirective::AssertExhaustion { call, message, .. } => {
                let want = trap_kind_for_message(message);
                match self.invoke(&call) {
                    Ok(values) => {
                        Err(mismatch(format!("trap: {want}"), format!("returned {}", display_values(&values))))
                    }
                    Err(Ok(e)) => expect_trap(&want, &e, false),
                    Err(Err(m)) => Err(m),
                }
            }
            WastDirective::AssertInvalid { mut module, message, .. } => self.assert_rejected(&mut module, message),
            WastDirective::AssertMalformed { mut module, message, .. } => self.assert_rejected(&mut module, message),
            WastDirective::AssertUnlinkable { mut module, message, .. } => {
                let bytes = encode_wat(&mut module)?;
                let id = self
                    .engine
                    .compile(&bytes)
                    .map_err(|e| mismatch(format!("a valid module that fails to link ({message:?})"), e.to_string()))?;
                match self.fueled(|engine| engine.instantiate(id)) {
                    Ok(_) => Err(mismatch(format!("a link error ({message:?})"), "instantiated")),
                    Err(e) if matches!(e.kind(), EngineErrorKind::Link(_)) => Ok(()),
                    Err(e) => Err(mismatch(format!("a link error ({message:?})"), e.to_string())),
                }
            }
            WastDirective::AssertInvalidCustom { .. } | WastDirective::AssertMalformedCustom { .. } => Err(mismatch(
                "a runnable directive",
                "custom-section assertions (annotations proposal) are not supported",
            )),
            WastDirective::AssertException { .. } => {
                Err(mismatch("a runnable directive", "assert_exception needs the exception-handling proposal"))
            }
            WastDirective::AssertSuspension { .. } => {
                Err(mismatch("a runnable directive", "assert_suspension needs the stack-switching proposal"))
            }
            WastDirective::Thread(_) | WastDirective::Wait { .. } => {
                Err(mismatch("a runnable directive", "thread/wait need the threads proposal"))
            }
        }
    }

    /// Runs `f` with the per-call fuel budget set.
    fn fueled<R>(&mut self, f: impl FnOnce(&mut dyn Engine) -> R) -> R {
        self.engine.set_fuel(self.options.fuel_per_call);
        f(&mut *self.engine)
    }

    fn encode(&mut self, module: &mut QuoteWat<'_>) -> Result<Vec<u8>, Mismatch> {
        let bytes = module
            .encode()
            .map_err(|e| mismatch("a module the text parser accepts", format!("text error: {}", e.message())))?;
        if !self.options.expose_memories {
            return Ok(bytes);
        }
        Ok(crate::oracles::expose::expose_memories(&bytes, true).into_owned())
    }

    fn set_current(&mut self, name: Option<Id<'_>>, result: Result<InstanceId, Mismatch>) -> Check {
        match result {
            Ok(instance) => {
                self.current = Some(instance);
                self.current_missing = None;
                if let Some(name) = name {
                    self.instances.insert(name.name().to_string(), instance);
                }
                Ok(())
            }
            Err(m) => {
                self.current = None;
                self.current_missing = Some(m.seen.clone());
                Err(m)
            }
        }
    }

    fn instance(&self, name: Option<Id<'_>>) -> Result<InstanceId, Mismatch> {
        match name {
            Some(id) => self.instances.get(id.name()).copied().ok_or_else(|| {
                mismatch(format!("an instance named ${}", id.name()), "none: its module failed or is missing")
            }),
            None => self.current.ok_or_else(|| {
                mismatch(
                    "a current module instance",
                    match &self.current_missing {
                        Some(why) => format!("none: the module above failed ({why})"),
                        None => "none: no module has been instantiated".to_string(),
                    },
                )
            }),
        }
    }

    /// Calls an export. `Err(Ok(_))` is an engine error (a trap, say); `Err(Err(_))` means the
    /// call could not be made at all.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Vec<Val>, Result<EngineError, Mismatch>> {
        let instance = self.instance(invoke.module).map_err(Err)?;
        let args = invoke
            .args
            .iter()
            .map(arg_value)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|why| Err(mismatch("arguments the harness can pass", why)))?;
        let name = invoke.name;
        self.fueled(|engine| engine.call(instance, name, &args)).map_err(|e| match e.kind() {
            EngineErrorKind::Usage(msg) => Err(mismatch(format!("an exported function {name:?}"), msg.clone())),
            _ => Ok(e),
        })
    }

    fn assert_return(&mut self, exec: WastExecute<'_>, results: &[wast::WastRet<'_>]) -> Check {
        let want: Vec<Expected> = results
            .iter()
            .map(expected)
            .collect::<Result<_, _>>()
            .map_err(|why| mismatch("results the harness can check", why))?;
        let seen = match exec {
            WastExecute::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(values) => values,
                Err(Ok(e)) => return Err(mismatch(display_expected(&want), e.to_string())),
                Err(Err(m)) => return Err(m),
            },
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module)?;
                let value = self
                    .engine
                    .global(instance, global)
                    .map_err(|e| mismatch(format!("an exported global {global:?}"), e.to_string()))?;
                vec![value]
            }
            WastExecute::Wat(mut wat) => {
                let bytes = encode_wat(&mut wat)?;
                self.fueled(|engine| engine.load(&bytes))
                    .map_err(|e| mismatch("the module to instantiate", e.to_string()))?;
                Vec::new()
            }
        };
        if want.len() == seen.len() && want.iter().zip(&seen).all(|(w, s)| w.matches(s)) {
            Ok(())
        } else {
            Err(mismatch(display_expected(&want), display_values(&seen)))
        }
    }

    fn assert_trap(&mut self, exec: WastExecute<'_>, message: &str) -> Check {
        let want = trap_kind_for_message(message);
        match exec {
            WastExecute::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(values) => Err(mismatch(format!("trap: {want}"), format!("returned {}", display_values(&values)))),
                Err(Ok(e)) => expect_trap(&want, &e, false),
                Err(Err(m)) => Err(m),
            },
            WastExecute::Wat(mut wat) => {
                let bytes = encode_wat(&mut wat)?;
                match self.fueled(|engine| engine.load(&bytes)) {
                    Ok(_) => Err(mismatch(format!("trap during instantiation: {want}"), "instantiated")),
                    Err(e) => expect_trap(&want, &e, true),
                }
            }
            WastExecute::Get { .. } => Err(mismatch(format!("trap: {want}"), "a global read, which cannot trap")),
        }
    }

    fn assert_rejected(&mut self, module: &mut QuoteWat<'_>, message: &str) -> Check {
        // A quoted module the text parser rejects is malformed text: the binary never exists,
        // so there is nothing to give the engine, and the assertion holds.
        let Ok(bytes) = module.encode() else {
            return Ok(());
        };
        match self.engine.compile(&bytes) {
            Ok(_) => Err(mismatch(format!("the module to be rejected ({message:?})"), "compiled")),
            Err(e) if matches!(e.kind(), EngineErrorKind::Compile(_) | EngineErrorKind::Unsupported(_)) => Ok(()),
            Err(e) => Err(mismatch(format!("a compile error ({message:?})"), e.to_string())),
        }
    }
}

fn encode_wat(wat: &mut Wat<'_>) -> Result<Vec<u8>, Mismatch> {
    wat.encode().map_err(|e| mismatch("a module the text parser accepts", format!("text error: {}", e.message())))
}

fn expect_trap(want: &TrapKind, err: &EngineError, instantiating: bool) -> Check {
    let stage_ok = match err.kind() {
        EngineErrorKind::Trap { .. } => !instantiating,
        EngineErrorKind::InstantiationTrap { .. } => instantiating,
        _ => false,
    };
    let what = if instantiating { format!("trap during instantiation: {want}") } else { format!("trap: {want}") };
    match err.trap_kind() {
        Some(kind) if stage_ok && kind == want => Ok(()),
        _ => Err(mismatch(what, err.to_string())),
    }
}

fn parse_failure(report: &mut ScriptReport, file: &str, text: &str, mut err: wast::Error) {
    let (line, col) = err.span().linecol_in(text);
    err.set_text(text);
    report.failed += 1;
    report.failures.push(Failure {
        file: file.to_string(),
        line: line + 1,
        col: col + 1,
        directive: "(script)".to_string(),
        expected: "a script the wast parser accepts".to_string(),
        seen: format!("parse error: {}", err.message()),
    });
}

/// The directive's keyword, for messages.
pub(crate) fn directive_name(d: &WastDirective<'_>) -> &'static str {
    match d {
        WastDirective::Module(QuoteWat::QuoteModule(..)) => "module quote",
        WastDirective::Module(QuoteWat::Wat(Wat::Module(m))) if matches!(m.kind, wast::core::ModuleKind::Binary(_)) => {
            "module binary"
        }
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module definition",
        WastDirective::ModuleInstance { .. } => "module instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
    }
}
