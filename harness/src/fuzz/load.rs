//! The `load` fuzz target: any bytes go through decode, validate, instantiate and a
//! fuel-limited call of every exported function. Nothing may panic, and every error must be
//! typed by stage: bytes the engine rejects are compile errors (or unsupported features) that
//! carry the byte offset, never traps or crashes.

use crate::engines::{Engine, EngineError, EngineErrorKind, ExportKind, RedzoneEngine, Val};
use redzone_engine::{CheckedMemory, Config, ValType};

/// Fuel for each call: enough for real work, little enough that a loop ends quickly.
pub const FUEL_PER_CALL: u64 = 100_000;

/// The store limits fuzzed modules run under: small, so a module asking for 4 GiB or a
/// million-deep recursion costs nothing.
pub fn config() -> Config {
    Config {
        max_call_depth: 1_000,
        max_value_stack: 1 << 16,
        fuel: Some(FUEL_PER_CALL),
        memory_limit_pages: Some(160),
        table_limit_elements: Some(10_000),
    }
}

/// What happened to one input.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadOutcome {
    /// Decoding or validation refused the bytes.
    Rejected(EngineError),
    /// The module is valid but instantiation failed (a link error or a trap).
    NotInstantiated(EngineError),
    /// Instantiated; this many exported functions were called, this many of them trapped.
    Ran {
        /// Calls made.
        calls: usize,
        /// Calls that trapped.
        traps: usize,
    },
}

/// Runs one input. Panics (a finding, for libFuzzer) when an error has the wrong stage or a
/// decode error lacks its byte offset.
pub fn run(data: &[u8]) -> LoadOutcome {
    let mut engine = RedzoneEngine::<CheckedMemory>::with_config("redzone:checked", config())
        .expect("a store with fuel is always available");
    let module = match engine.compile(data) {
        Ok(m) => m,
        Err(e) => {
            match e.kind() {
                EngineErrorKind::Compile(msg) => assert!(msg.contains("(at offset 0x"), "no byte offset: {msg}"),
                EngineErrorKind::Unsupported(_) => {}
                other => panic!("compile failed with a non-compile error: {other}"),
            }
            return LoadOutcome::Rejected(e);
        }
    };
    engine.set_fuel(Some(FUEL_PER_CALL));
    let instance = match engine.instantiate(module) {
        Ok(i) => i,
        Err(e) => {
            assert!(
                matches!(
                    e.kind(),
                    EngineErrorKind::Link(_) | EngineErrorKind::InstantiationTrap { .. } | EngineErrorKind::Limit(_)
                ),
                "instantiation failed with an error of another stage: {e}"
            );
            return LoadOutcome::NotInstantiated(e);
        }
    };
    let exports = engine.exports(instance).expect("the instance just made exists");
    let (mut calls, mut traps) = (0, 0);
    for export in exports {
        let ExportKind::Func { params, .. } = &export.kind else { continue };
        let args: Vec<Val> = params.iter().map(|t| zero(*t)).collect();
        engine.set_fuel(Some(FUEL_PER_CALL));
        calls += 1;
        if let Err(e) = engine.call(instance, &export.name, &args) {
            assert!(
                matches!(e.kind(), EngineErrorKind::Trap { .. } | EngineErrorKind::Limit(_)),
                "a call failed with an error of another stage: {e}"
            );
            traps += 1;
        }
    }
    LoadOutcome::Ran { calls, traps }
}

fn zero(ty: ValType) -> Val {
    match ty {
        ValType::I32 => Val::I32(0),
        ValType::I64 => Val::I64(0),
        ValType::F32 => Val::F32(0),
        ValType::F64 => Val::F64(0),
        ValType::V128 => Val::V128(0),
        ValType::FuncRef => Val::FuncRef { null: true },
        ValType::ExternRef => Val::ExternRef(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::{Rng, corrupt::mutants};

    /// A module that exercises memory, a table, a loop and a trap, to mutate from.
    const SEED_WAT: &str = r#"(module
        (memory (export "mem") 1 2)
        (table 2 funcref)
        (global $g (mut i32) (i32.const 7))
        (data (i32.const 8) "redzone")
        (func $spin (export "spin") (loop br 0))
        (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
        (func (export "oob") (result i32) (i32.load (i32.const 65536)))
        (func (export "grow") (result i32) (memory.grow (i32.const 1)))
        (func (export "fill") (memory.fill (i32.const 0) (i32.const 1) (i32.const 100)))
        (elem (i32.const 0) $spin))"#;

    #[test]
    fn smoke() {
        let seed = wat::parse_str(SEED_WAT).unwrap();
        let mut rng = Rng::new(0x5eed);
        let mut inputs: Vec<Vec<u8>> = vec![seed.clone(), Vec::new(), rng.bytes(64)];
        inputs.extend(mutants(&seed, &mut rng, 97).into_iter().map(|(_, bytes)| bytes));
        assert_eq!(inputs.len(), 100);
        let mut rejected = 0;
        for input in &inputs {
            if let LoadOutcome::Rejected(_) = run(input) {
                rejected += 1;
            }
        }
        assert!(rejected >= 3, "the empty input, random bytes and some mutants are rejected");
        assert_eq!(run(&seed), LoadOutcome::Ran { calls: 5, traps: 2 }, "spin runs out of fuel, oob traps");
    }
}
