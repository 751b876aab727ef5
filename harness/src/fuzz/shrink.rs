//! Shrinking a finding with wasm-shrink while it keeps its [`Signature`].
//!
//! Data enters as the case that diverged or crashed (module and calls) and a predicate that
//! runs a candidate and says whether it still shows the same thing (the callers use
//! [`crate::isolation::Ran::shows`]: the same signature, or a death of the same class); it
//! leaves as a smaller module ([`Shrunk`]) on which the same calls still show it. The
//! predicate runs the whole case: a candidate that loses an export the calls need, or moves
//! the divergence to another instruction or engine group, has another signature (or none)
//! and is rejected, so the calls always make sense on the result.
//!
//! wasm-shrink only bounds attempts; [`ShrinkConfig::time_limit`] is enforced by the
//! predicate, which fails once the time is up. The best module so far is tracked through
//! wasm-shrink's new-smallest callback, so stopping early still returns it.

use crate::generators::TestCase;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Shrinking settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShrinkConfig {
    /// Failed attempts in a row after which the module counts as small as it gets (wasm-shrink's
    /// `attempts`). Defaults to 1,000.
    pub attempts: u32,
    /// Wall-clock budget for one shrink; the smallest module found so far is kept when it
    /// runs out. Defaults to 30 seconds.
    pub time_limit: Duration,
    /// wasm-shrink's seed (which reductions it tries first). Defaults to 42.
    pub seed: u64,
}

impl Default for ShrinkConfig {
    fn default() -> Self {
        ShrinkConfig { attempts: 1000, time_limit: Duration::from_secs(30), seed: 42 }
    }
}

/// The result of shrinking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shrunk {
    /// The smallest module with the same signature (the input when nothing smaller was found).
    pub wasm: Vec<u8>,
    /// Candidates run.
    pub candidates: u64,
    /// Why shrinking stopped early or could not run (`None` when wasm-shrink finished).
    pub note: Option<String>,
}

/// The predicate's way of stopping wasm-shrink when the time is up.
#[derive(Debug)]
struct OutOfTime;

impl std::fmt::Display for OutOfTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("shrink time limit reached")
    }
}

impl std::error::Error for OutOfTime {}

/// Shrinks `case.wasm` while `interesting` holds for the case with the candidate module (the
/// fuzz loop's predicate runs the candidate in a worker process, and for a crash asks whether
/// the worker still dies the same way). An error from `interesting` ends shrinking with it.
pub fn shrink(
    case: &TestCase,
    mut interesting: impl FnMut(&TestCase) -> anyhow::Result<bool>,
    config: &ShrinkConfig,
) -> anyhow::Result<Shrunk> {
    let best = Rc::new(RefCell::new(case.wasm.clone()));
    let candidates = Cell::new(0u64);
    let failure: RefCell<Option<anyhow::Error>> = RefCell::new(None);
    let deadline = Instant::now() + config.time_limit;
    let on_best = {
        let best = Rc::clone(&best);
        move |wasm: &[u8]| {
            *best.borrow_mut() = wasm.to_vec();
            Ok(())
        }
    };
    let shrinker = wasm_shrink::WasmShrink::default()
        .attempts(config.attempts)
        .seed(config.seed)
        .on_new_smallest(Some(Box::new(on_best)));
    let result = shrinker.run(case.wasm.clone(), |wasm: &[u8]| -> anyhow::Result<bool> {
        // The input itself is checked first; it is known to reproduce, so only candidates
        // count against the clock.
        if candidates.get() > 0 && Instant::now() >= deadline {
            return Err(OutOfTime.into());
        }
        candidates.set(candidates.get() + 1);
        let candidate = TestCase { wasm: wasm.to_vec(), ..case.clone() };
        match interesting(&candidate) {
            Ok(yes) => Ok(yes),
            Err(e) => {
                let message = format!("{e:#}");
                *failure.borrow_mut() = Some(e);
                Err(anyhow::anyhow!(message))
            }
        }
    });
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }
    let note = match result {
        Ok(info) => {
            *best.borrow_mut() = info.output;
            None
        }
        Err(e) if e.is::<OutOfTime>() => Some(format!("stopped at the time limit of {:?}", config.time_limit)),
        Err(e) => Some(format!("wasm-shrink stopped: {e:#}")),
    };
    let wasm = best.borrow().clone();
    Ok(Shrunk { wasm, candidates: candidates.get(), note })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::{CANARY, EngineError, Val};
    use crate::fuzz::signature::{self, Signature};
    use crate::generators::{Call, Calls, GeneratorKind};
    use crate::oracles::case::run_case;
    use crate::oracles::fleet::Fleet;

    /// The canary against the correct checked memory: they differ exactly on accesses whose
    /// effective address passes 2^32.
    fn fleet() -> Result<Fleet, EngineError> {
        // The harness's tests build redzone-engine with its canary feature (a dev-dependency).
        Fleet::build(&[CANARY.name, "redzone:checked"], Some(100_000))
    }

    /// Whether `case` with its module replaced by `wasm` still gives `signature` on `fleet`.
    fn reproduces(case: &TestCase, wasm: &[u8], signature: &Signature, fuel: Option<u64>) -> bool {
        let candidate = TestCase { wasm: wasm.to_vec(), ..case.clone() };
        let run = run_case("candidate.wasm", &candidate, fuel, fleet).unwrap();
        signature::of_run(&run, wasm).is_some_and(|(_, s)| &s == signature)
    }

    #[test]
    fn keeps_the_signature_and_drops_what_does_not_matter() {
        let wasm = wat::parse_str(
            r#"(module (memory (export "memory") 1) (global $g (mut i64) (i64.const 0))
                 (func $noise (param i64) (result i64)
                   (i64.mul (local.get 0) (i64.add (local.get 0) (i64.const 12345))))
                 (func (export "f") (param i32) (result i32)
                   (global.set $g (call $noise (i64.extend_i32_u (local.get 0))))
                   (i32.store8 (i32.const 3) (i32.const 7))
                   (i32.load offset=16 (local.get 0)))
                 (func (export "other") (result i64) (call $noise (i64.const 99))))"#,
        )
        .unwrap();
        let call = |export: &str, args| Call { export: export.into(), args };
        let case = TestCase::new(
            GeneratorKind::Edges,
            wasm.clone(),
            Calls::Listed(vec![call("other", vec![]), call("f", vec![Val::I32(-8)])]),
        );
        let run = run_case("case.wasm", &case, Some(100_000), fleet).unwrap();
        let (_, signature) = signature::of_run(&run, &wasm).expect("the canary wraps -8 + 16 to 8");
        assert_eq!(signature.opcode, "i32_load");
        assert!(reproduces(&case, &wasm, &signature, Some(100_000)));

        let shrunk =
            shrink(&case, |c| Ok(reproduces(&case, &c.wasm, &signature, Some(100_000))), &ShrinkConfig::default())
                .unwrap();
        assert!(shrunk.wasm.len() < wasm.len(), "{} bytes from {}", shrunk.wasm.len(), wasm.len());
        assert!(shrunk.candidates > 1);
        assert!(reproduces(&case, &shrunk.wasm, &signature, Some(100_000)), "same signature");

        let other = Signature { opcode: "i64_load".into(), ..signature.clone() };
        assert!(!reproduces(&case, &wasm, &other, Some(100_000)), "another signature is rejected");
    }

    #[test]
    fn a_case_that_does_not_diverge_is_kept_as_it_is() {
        let wasm = wat::parse_str(r#"(module (func (export "f") (result i32) (i32.const 1)))"#).unwrap();
        let case = TestCase::new(GeneratorKind::Edges, wasm.clone(), Calls::Seeded { seed: 0, calls_per_export: 1 });
        let signature =
            Signature { what: crate::oracles::What::Trap, sides: vec![], traps: vec![], opcode: "x".into() };
        let shrunk =
            shrink(&case, |c| Ok(reproduces(&case, &c.wasm, &signature, None)), &ShrinkConfig::default()).unwrap();
        assert_eq!(shrunk.wasm, wasm);
        assert!(shrunk.note.unwrap().contains("does not consider the input"), "wasm-shrink's refusal is reported");
    }
}
