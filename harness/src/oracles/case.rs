//! Running a generated [`TestCase`] on a fleet: instantiate, then the case's calls, each
//! compared across engines as a [`Step`] with its [`Verdict`], so the fuzz loop signs, shrinks
//! and saves every kind of case the same way.
//!
//! - [`Calls::Seeded`] is [`run_module`] with a [`CallPlan`] of that seed;
//! - [`Calls::Listed`] makes exactly those calls, in order;
//! - [`Calls::Abi`] makes one step per round trip through `abi::suite::run_call` (host
//!   `alloc`, copy in, call, check and read the result, `dealloc`). Its outcome becomes an
//!   [`Observed`] (see [`abi_observed`]), and the memory after it is compared like any call's.
//!
//! After an inconclusive step (fuel, stack, host limits) the engines' states may differ
//! legitimately, so the next step runs on a fresh fleet and instance.

use super::fleet::{CallPlan, Fleet, ModuleRun, Step, restart, run_module};
use super::{Location, Observed, Verdict, page_hash};
use crate::abi::suite::{self, call_of, run_call};
use crate::abi::{AbiErrorKind, guests};
use crate::engines::{EngineError, NanClass, Val};
use crate::generators::{AbiCall, Calls, TestCase};
use redzone_engine::TrapKind;

/// Runs `case` on the fleets `make` builds (each with `fuel` per step), like [`run_module`]:
/// instantiate, then the calls, comparing after each; a fresh fleet after an inconclusive
/// step. Errors come only from `make`.
pub fn run_case(
    file: &str,
    case: &TestCase,
    fuel: Option<u64>,
    make: impl FnMut() -> Result<Fleet, EngineError>,
) -> Result<ModuleRun, EngineError> {
    match &case.calls {
        Calls::Seeded { seed, calls_per_export } => {
            let plan = CallPlan { seed: *seed, calls_per_export: *calls_per_export, invoke: None, fuel };
            run_module(file, &case.wasm, &plan, make)
        }
        Calls::Listed(calls) => {
            run_steps(file, &case.wasm, calls.len(), make, |fleet, i| fleet.call(&calls[i].export, &calls[i].args))
        }
        Calls::Abi(calls) => run_steps(file, &case.wasm, calls.len(), make, |fleet, i| abi_step(fleet, &calls[i])),
    }
}

/// Instantiates `wasm`, then makes `count` steps with `step`, starting afresh after an
/// inconclusive one (and stopping when the fresh instance cannot be made alike).
fn run_steps(
    file: &str,
    wasm: &[u8],
    count: usize,
    mut make: impl FnMut() -> Result<Fleet, EngineError>,
    mut step: impl FnMut(&mut Fleet, usize) -> Step,
) -> Result<ModuleRun, EngineError> {
    let mut fleet = make()?;
    let mut run = ModuleRun {
        file: file.to_string(),
        engines: fleet.names(),
        seed: 0,
        provided: fleet.provided(wasm).unwrap_or_default(),
        steps: Vec::new(),
        saved: None,
    };
    run.steps.push(fleet.instantiate(wasm));
    if !fleet.instantiated() {
        return Ok(run);
    }
    for i in 0..count {
        let done = step(&mut fleet, i);
        let fresh = matches!(done.verdict, Verdict::Inconclusive { .. });
        run.steps.push(done);
        if fresh && i + 1 < count {
            match restart(&mut run, wasm, &mut make)? {
                Some(new) => fleet = new,
                None => return Ok(run),
            }
        }
    }
    Ok(run)
}

/// One ABI round trip on every engine of `fleet`.
fn abi_step(fleet: &mut Fleet, call: &AbiCall) -> Step {
    let label = format!("{}({} bytes)", call.function, call.input.len());
    let location = Location::Call { export: call.function.clone() };
    fleet.step_with(label, location, |engine, instance| {
        let Some(shape) = call_of(&call.function) else {
            return Observed::HarnessError { message: format!("`{}` is not an ABI function", call.function) };
        };
        let outcome = match guests::client(engine, instance) {
            Ok(mut client) => run_call(&mut client, shape, &call.input),
            Err(e) => Err(e),
        };
        abi_observed(&outcome)
    })
}

/// A quiet NaN as the canonical NaN. The guests' float results are sums of input elements,
/// and the inputs may hold NaNs with any payload: then the spec lets `f64.add` return any
/// arithmetic NaN, the canonical one included, so engines legitimately differ between the
/// two classes (wasmi keeps a payload where the others return the canonical NaN). Signalling
/// NaNs, which no arithmetic returns, stay as they are.
fn quiet_nan_as_canonical(value: Val) -> Val {
    match (value, value.nan_class()) {
        (Val::F32(bits), Some(NanClass::Canonical | NanClass::Arithmetic)) => {
            Val::F32((bits & 0x8000_0000) | 0x7fc0_0000)
        }
        (Val::F64(bits), Some(NanClass::Canonical | NanClass::Arithmetic)) => {
            Val::F64((bits & 0x8000_0000_0000_0000) | 0x7ff8_0000_0000_0000)
        }
        _ => value,
    }
}

/// An ABI round trip's outcome as a step outcome, so the oracle compares it:
/// - a byte result is returned as `[i64 length, i64 page hash of the bytes]`;
/// - a value result as itself, quiet NaNs as the canonical NaN (a region result: the value
///   and the region's hash);
/// - a guest trap as that trap;
/// - an engine-level failure (a resource limit, a failed adapter call) as a host limit, which
///   makes the step inconclusive as in `redzone abi`, except a panic, which stays a panic;
/// - every other [`crate::abi::AbiError`] (out of bounds, misaligned, invalid UTF-8, ...) as
///   a trap `Other("abi <Kind>: <message>")`: the host's checks are deterministic, so engines
///   must agree on kind and details.
pub fn abi_observed(outcome: &suite::Outcome) -> Observed {
    match outcome {
        Ok(suite::Observed::Bytes { len, hash }) => {
            Observed::returned(vec![Val::I64(*len as i64), Val::I64(*hash as i64)])
        }
        Ok(suite::Observed::Value { value }) => Observed::returned(vec![quiet_nan_as_canonical(*value)]),
        Ok(suite::Observed::Region { value, region }) => {
            Observed::returned(vec![quiet_nan_as_canonical(*value), Val::I64(page_hash(region) as i64)])
        }
        Err(e) => match e.kind() {
            AbiErrorKind::Trap(kind) => Observed::Trapped { trap: kind.clone(), instantiating: false },
            AbiErrorKind::Engine(message) if message.contains("panicked") => {
                Observed::Panicked { message: message.clone() }
            }
            AbiErrorKind::Engine(message) => Observed::Limit { message: message.clone() },
            _ => Observed::Trapped { trap: TrapKind::Other(format!("abi {}: {e}", e.name())), instantiating: false },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::AbiError;
    use crate::engines::default_names;
    use crate::generators::{Call, GeneratorKind};

    fn fleet() -> Result<Fleet, EngineError> {
        Fleet::build(&default_names(), Some(1_000_000))
    }

    #[test]
    fn listed_calls_run_in_order_on_one_instance() {
        let wasm = wat::parse_str(
            r#"(module (memory (export "memory") 0 2)
                 (func (export "grow") (result i32) (memory.grow (i32.const 1)))
                 (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))"#,
        )
        .unwrap();
        let call = |export: &str, args: Vec<Val>| Call { export: export.into(), args };
        let case = TestCase::new(
            GeneratorKind::Edges,
            wasm,
            Calls::Listed(vec![
                call("load", vec![Val::I32(0)]),
                call("grow", vec![]),
                call("load", vec![Val::I32(65532)]),
                call("load", vec![Val::I32(65533)]),
            ]),
        );
        let run = run_case("case.wasm", &case, Some(1_000_000), fleet).unwrap();
        assert_eq!(run.steps.len(), 5);
        assert_eq!(run.divergences(), 0, "{:#?}", run.steps);
        let seen: Vec<&Observed> = run.steps.iter().map(|s| &s.outcomes[0].observed).collect();
        let oob = Observed::Trapped { trap: TrapKind::MemoryOutOfBounds, instantiating: false };
        assert_eq!(seen[1], &oob, "nothing to load before the grow");
        assert_eq!(seen[2], &Observed::returned(vec![Val::I32(0)]));
        assert_eq!(seen[3], &Observed::returned(vec![Val::I32(0)]), "in bounds after the grow");
        assert_eq!(seen[4], &oob, "straddles the new end");
    }

    #[test]
    fn abi_round_trips_are_steps_with_verdicts() {
        let guest = guests::guest("guest.wat").unwrap();
        let case = TestCase::new(
            GeneratorKind::Abi,
            guests::wasm(guest).unwrap(),
            Calls::Abi(vec![
                AbiCall { function: "upper".into(), input: b"redzone".to_vec() },
                AbiCall { function: "array_sum_i32".into(), input: vec![1, 0, 0, 0, 2, 0, 0, 0] },
                AbiCall { function: "upper".into(), input: vec![b'a', 0xff] },
                AbiCall { function: "nope".into(), input: vec![] },
            ]),
        );
        let run = run_case("guest.wat", &case, Some(10_000_000), fleet).unwrap();
        assert_eq!(run.steps.len(), 5);
        assert_eq!(run.divergences(), 0, "{:#?}", run.steps);
        let first = &run.steps[1].outcomes[0].observed;
        assert!(matches!(first, Observed::Returned { values } if values[0] == Val::I64(7)), "{first}");
        assert_eq!(run.steps[2].outcomes[0].observed, Observed::returned(vec![Val::I64(3)]));
        let invalid = &run.steps[3].outcomes[0].observed;
        assert!(
            matches!(invalid, Observed::Returned { values } if values[0] == Val::I64(2)),
            "bytes, not text: {invalid}"
        );
        assert!(matches!(run.steps[4].outcomes[0].observed, Observed::HarnessError { .. }));
    }

    #[test]
    fn abi_errors_map_to_comparable_outcomes() {
        let oob: suite::Outcome = Err(AbiError::out_of_bounds(8, 16, 65536));
        assert!(
            matches!(abi_observed(&oob), Observed::Trapped { trap: TrapKind::Other(m), .. } if m.contains("0x8+16"))
        );
        let trap: suite::Outcome = Err(AbiError::trap(TrapKind::UnreachableCodeReached));
        assert_eq!(
            abi_observed(&trap),
            Observed::Trapped { trap: TrapKind::UnreachableCodeReached, instantiating: false }
        );
        assert!(abi_observed(&Err(AbiError::engine("memory limit"))).inconclusive().is_some());
        let sum = |bits: u64| abi_observed(&Ok(suite::Observed::Value { value: Val::F64(bits) }));
        assert_eq!(sum(0x7fff_ffff_7ff0_0000), sum(0x7ff8_0000_0000_0000), "arithmetic NaNs are canonical here");
        assert_ne!(sum(0x7ff0_0000_0000_0001), sum(0x7ff8_0000_0000_0000), "signalling NaNs are not");
        assert_ne!(sum(0), sum(0x8000_0000_0000_0000), "signed zeros still differ");
        let panic = abi_observed(&Err(AbiError::engine("engine panicked: boom")));
        assert!(matches!(panic, Observed::Panicked { .. }));
    }
}
