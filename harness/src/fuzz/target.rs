//! What the four generator targets (`differential`, `edges`, `mutate`, `abi`) share: fuzzer
//! bytes -> [`generate`] -> [`run_case`] on a fleet -> a panic on divergence (libFuzzer's
//! signal for a finding), and the seeded driver their `smoke` tests use.
//!
//! The fleet is [`DEFAULT_ENGINES`] (both redzone strategies, wasmtime with guard pages, and
//! wasmi: one engine per implementation family plus redzone's two strategies, which keeps a
//! case at a few milliseconds) unless `REDZONE_FUZZ_ENGINES` names others, in the syntax of
//! `--engines` (`all`, `-wasmer:guard`, ...). Each step gets [`fuel`] (a million
//! instructions; more for the loop-free `edges` modules and for the ABI guests); running out
//! of it, a stack overflow or a host limit is inconclusive, never a finding.

use crate::engines::{self, EngineInfo};
use crate::engines::{NanClass, Val};
use crate::generators::{GeneratorConfig, GeneratorKind, Rng, TestCase, generate};
use crate::oracles::case::run_case;
use crate::oracles::fleet::{Fleet, ModuleRun, Step};
use crate::oracles::{Observed, Verdict, What};
use arbitrary::Unstructured;
use std::sync::OnceLock;

/// The configurations a target runs when `REDZONE_FUZZ_ENGINES` is not set (those this build
/// has, in this order).
pub const DEFAULT_ENGINES: &[&str] = &["redzone:guard", "redzone:checked", "wasmtime:guard", "wasmi"];

/// The environment variable that replaces [`DEFAULT_ENGINES`].
pub const ENGINES_ENV: &str = "REDZONE_FUZZ_ENGINES";

/// Fuel per step (instantiation or call) for modules that may loop.
pub const FUEL: u64 = 1_000_000;

/// Fuel per step for `edges` modules, which have no loops or calls: it only has to cover
/// wasmtime's charge for bulk operations, one unit per byte *before* the bounds check, so a
/// 4 GiB `memory.fill` reaches its trap instead of running out of fuel (inconclusive).
pub const EDGES_FUEL: u64 = 1 << 36;

/// Fuel per step for `abi` cases: the suite's guests always finish, but upper-casing or
/// sorting a 64 KiB input takes a few million instructions.
pub const ABI_FUEL: u64 = 100_000_000;

/// The fuel per step for cases of generator `kind`.
pub fn fuel(kind: GeneratorKind) -> u64 {
    match kind {
        GeneratorKind::Edges => EDGES_FUEL,
        GeneratorKind::Abi => ABI_FUEL,
        GeneratorKind::Smith | GeneratorKind::Mutate => FUEL,
    }
}

/// The fleet's configuration names, chosen once per process.
///
/// # Panics
/// When `REDZONE_FUZZ_ENGINES` names an unknown engine: a fuzz run with a mistyped fleet
/// must stop at once, with the list of known names.
pub fn engine_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| match std::env::var(ENGINES_ENV) {
        Ok(list) if !list.trim().is_empty() => {
            engines::select(&list).unwrap_or_else(|e| panic!("{ENGINES_ENV}={list}: {e}"))
        }
        _ => {
            let available: Vec<&EngineInfo> = engines::available().collect();
            DEFAULT_ENGINES.iter().copied().filter(|n| available.iter().any(|c| c.name == *n)).collect()
        }
    })
}

/// The generators' settings (the `mutate` corpus is loaded once per process).
pub fn config() -> &'static GeneratorConfig {
    static CONFIG: OnceLock<GeneratorConfig> = OnceLock::new();
    CONFIG.get_or_init(GeneratorConfig::default)
}

/// What one input did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ran {
    /// Whether the module instantiated (on the first engine).
    pub instantiated: bool,
    /// Calls made (ABI round trips included).
    pub calls: usize,
    /// Calls that returned (on the first engine).
    pub returned: usize,
    /// Calls that trapped (on the first engine).
    pub trapped: usize,
    /// Steps whose verdict was inconclusive.
    pub inconclusive: usize,
}

impl Ran {
    /// Counts a run's steps.
    pub fn of(run: &ModuleRun) -> Ran {
        let mut ran = Ran {
            instantiated: run.steps.first().and_then(first) == Some(&Observed::Instantiated),
            inconclusive: run.inconclusive(),
            ..Ran::default()
        };
        for step in run.steps.iter().skip(1).filter(|s| s.label != "instantiate") {
            ran.calls += 1;
            match first(step) {
                Some(Observed::Returned { .. }) => ran.returned += 1,
                Some(Observed::Trapped { .. }) => ran.trapped += 1,
                _ => {}
            }
        }
        ran
    }
}

fn first(step: &Step) -> Option<&Observed> {
    step.outcomes.first().map(|o| &o.observed)
}

/// The text a target panics with: every diverging step, its detail lines and the case's
/// calls (the module is what the input generates again).
pub fn render(case: &TestCase, run: &ModuleRun) -> String {
    let mut out =
        format!("{} case of {} bytes diverged on {}\n", case.generator, case.wasm.len(), run.engines.join(", "));
    for step in run.steps.iter().filter(|s| s.verdict.is_divergence()) {
        out.push_str(&format!("  {}: {}\n", step.label, step.verdict));
        if let Verdict::Diverge { detail, .. } = &step.verdict {
            for line in detail {
                out.push_str(&format!("    {line}\n"));
            }
        }
    }
    let mut calls = serde_json::to_string(&case.calls).unwrap_or_default();
    if calls.len() > MAX_RENDERED_CALLS {
        // ABI inputs run to 64 KiB (128 KiB of hex): the input file reproduces them anyway.
        let cut = (0..=MAX_RENDERED_CALLS).rev().find(|i| calls.is_char_boundary(*i)).unwrap_or(0);
        calls.truncate(cut);
        calls.push_str(" ...");
    }
    out.push_str(&format!("calls: {calls}\n"));
    out
}

/// Characters of the case's calls (as JSON) that [`render`] shows.
pub const MAX_RENDERED_CALLS: usize = 4096;

/// Runs one input through generator `kind` on the fleet. `None` when the bytes make no case.
///
/// # Panics
/// On a divergence (the finding), with [`render`]'s text.
pub fn run(kind: GeneratorKind, data: &[u8]) -> Option<Ran> {
    let case = generate(kind, &mut Unstructured::new(data), config()).ok()?;
    let names = engine_names();
    let fuel = Some(fuel(kind));
    let run = run_case(&format!("{kind} input"), &case, fuel, || Fleet::build(names, fuel))
        .unwrap_or_else(|e| panic!("cannot build the fuzz fleet {names:?}: {e}"));
    if run.steps.iter().any(|s| s.verdict.is_divergence() && !quiet_nan_payloads_only(s)) {
        panic!("{}", render(&case, &run));
    }
    Some(Ran::of(&run))
}

/// Whether a divergence is only in which quiet NaN a call returned. When an operand is a NaN
/// with a payload the spec lets arithmetic return any quiet NaN, the canonical one included,
/// and engines differ (wasmi returns the canonical NaN where x86 code keeps the operand's
/// payload; spec modules such as `float_exprs.wast` in the `mutate` corpus hit it with seeded
/// signalling-NaN arguments). The oracle compares NaNs by class, so it reports these; the
/// targets do not treat them as findings.
pub fn quiet_nan_payloads_only(step: &Step) -> bool {
    let quiet = |v: &Val| matches!(v.nan_class(), Some(NanClass::Canonical | NanClass::Arithmetic));
    let Verdict::Diverge { what: What::Result, .. } = step.verdict else { return false };
    let results: Vec<&Vec<Val>> = step
        .outcomes
        .iter()
        .filter_map(|o| match &o.observed {
            Observed::Returned { values } => Some(values),
            _ => None,
        })
        .collect();
    let Some((first, rest)) = results.split_first() else { return false };
    results.len() == step.outcomes.len()
        && rest.iter().all(|r| {
            r.len() == first.len()
                && r.iter().zip(first.iter()).all(|(a, b)| a.same(b) || (quiet(a) && quiet(b) && a.ty() == b.ty()))
        })
}

/// Totals of a seeded smoke run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Inputs that made a case.
    pub cases: usize,
    /// Cases whose module instantiated.
    pub instantiated: usize,
    /// Sums over the cases.
    pub ran: Ran,
}

/// Feeds `inputs` seeded random inputs of `len` bytes to `target` (the smoke tests' driver).
pub fn smoke(target: fn(&[u8]) -> Option<Ran>, seed: u64, inputs: usize, len: usize) -> Totals {
    let mut rng = Rng::new(seed);
    let mut totals = Totals::default();
    for _ in 0..inputs {
        let data = rng.bytes(len);
        let Some(ran) = target(&data) else { continue };
        totals.cases += 1;
        totals.instantiated += ran.instantiated as usize;
        totals.ran.calls += ran.calls;
        totals.ran.returned += ran.returned;
        totals.ran.trapped += ran.trapped;
        totals.ran.inconclusive += ran.inconclusive;
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracles::{Location, Outcome, compare};

    fn step(values: &[Val]) -> Step {
        let outcomes: Vec<Outcome> = values
            .iter()
            .enumerate()
            .map(|(i, v)| Outcome {
                engine: format!("e{i}"),
                observed: Observed::returned(vec![*v]),
                state: None,
                trap_site: None,
            })
            .collect();
        let verdict = compare(&Location::Call { export: "f".into() }, &outcomes);
        Step { label: "f()".into(), outcomes, verdict }
    }

    #[test]
    fn only_quiet_nan_payload_differences_are_excused() {
        let nan_payloads = step(&[Val::F32(0x7fc0_0001), Val::F32(0x7fc0_0000)]);
        assert!(nan_payloads.verdict.is_divergence() && quiet_nan_payloads_only(&nan_payloads));
        let signalling = step(&[Val::F32(0x7f80_0001), Val::F32(0x7fc0_0000)]);
        assert!(signalling.verdict.is_divergence() && !quiet_nan_payloads_only(&signalling));
        let numbers = step(&[Val::F32(0), Val::F32(0x8000_0000)]);
        assert!(numbers.verdict.is_divergence() && !quiet_nan_payloads_only(&numbers));
        assert!(!quiet_nan_payloads_only(&step(&[Val::I32(1), Val::I32(1)])), "agreement is not a divergence");
    }
}
