//! The WebAssembly features the engine implements, and naming the feature a refused module
//! needs (`unsupported feature: simd`).
//!
//! Modules are validated with [`SUPPORTED`] only. When that fails, [`explain`] checks whether
//! the module would validate with one more proposal enabled; if so the error becomes
//! `Unsupported { feature }` instead of a validation error, so users learn that the engine,
//! not their module, is the limit. This costs extra validation only on the error path.

use crate::error::{Error, ErrorKind};
use wasmparser::{Validator, WasmFeatures};

/// The WebAssembly 2.0 core (fixed-width SIMD included), plus tail calls, extended constant
/// expressions, memory64 (64-bit memories; 64-bit tables are refused by the loader as
/// `unsupported feature: table64`), multi-memory and custom page sizes (1 byte and 64 KiB).
pub(crate) const SUPPORTED: WasmFeatures = WasmFeatures::WASM2
    .union(WasmFeatures::TAIL_CALL)
    .union(WasmFeatures::EXTENDED_CONST)
    .union(WasmFeatures::MEMORY64)
    .union(WasmFeatures::MULTI_MEMORY)
    .union(WasmFeatures::CUSTOM_PAGE_SIZES);

/// Proposals the engine refuses, each with what it needs enabled to validate and its name.
const REFUSED: &[(&str, WasmFeatures)] = &[
    ("relaxed-simd", WasmFeatures::RELAXED_SIMD),
    ("threads", WasmFeatures::THREADS),
    ("exception-handling", WasmFeatures::EXCEPTIONS),
    ("legacy-exceptions", WasmFeatures::LEGACY_EXCEPTIONS),
    ("function-references", WasmFeatures::FUNCTION_REFERENCES),
    ("gc", WasmFeatures::FUNCTION_REFERENCES.union(WasmFeatures::GC)),
    ("wide-arithmetic", WasmFeatures::WIDE_ARITHMETIC),
    ("memory-control", WasmFeatures::MEMORY_CONTROL),
    ("stack-switching", WasmFeatures::STACK_SWITCHING.union(WasmFeatures::EXCEPTIONS)),
    ("component-model", WasmFeatures::COMPONENT_MODEL),
];

fn validates_with(bytes: &[u8], extra: WasmFeatures) -> bool {
    Validator::new_with_features(SUPPORTED.union(extra)).validate_all(bytes).is_ok()
}

/// Turns a load error into `Unsupported` when one refused proposal would make the module
/// valid; otherwise returns it unchanged.
#[cold]
pub(crate) fn explain(bytes: &[u8], err: Error) -> Error {
    let offset = match err.kind() {
        ErrorKind::Malformed { offset, .. } | ErrorKind::Invalid { offset, .. } => *offset,
        _ => return err,
    };
    let all = REFUSED.iter().fold(WasmFeatures::empty(), |acc, (_, f)| acc.union(*f));
    if !validates_with(bytes, all) {
        return err;
    }
    let needed: Vec<&str> = match REFUSED.iter().find(|(_, f)| validates_with(bytes, *f)) {
        Some((name, _)) => vec![name],
        // It takes several proposals together: name every one that changes the outcome.
        None => REFUSED.iter().filter(|(_, f)| !validates_with(bytes, all.difference(*f))).map(|(n, _)| *n).collect(),
    };
    if needed.is_empty() {
        return err;
    }
    Error::unsupported(needed.join(" + "), offset)
}

#[cfg(test)]
mod tests {
    use crate::Module;

    fn load_err(wat: &str) -> String {
        let bytes = wat::parse_str(wat).unwrap();
        Module::new(&bytes).unwrap_err().to_string()
    }

    #[test]
    fn refused_proposals_are_named() {
        assert!(Module::new(&wat::parse_str("(module (func (result v128) v128.const i64x2 0 0))").unwrap()).is_ok());
        let e =
            load_err("(module (func (param v128 v128) (result v128) local.get 0 local.get 1 i8x16.relaxed_swizzle))");
        assert!(e.starts_with("unsupported feature: relaxed-simd"), "{e}");
        assert!(Module::new(&wat::parse_str("(module (memory i64 1))").unwrap()).is_ok());
        assert!(load_err("(module (table i64 1 funcref))").starts_with("unsupported feature: table64"));
        assert!(Module::new(&wat::parse_str("(module (memory 1) (memory i64 1))").unwrap()).is_ok());
        assert!(load_err("(module (memory 1 1 shared))").starts_with("unsupported feature: threads"));
        assert!(
            Module::new(&wat::parse_str("(module (memory 1 (pagesize 1)) (memory i64 2 (pagesize 1)))").unwrap())
                .is_ok()
        );
        let e = load_err("(module (memory 1 (pagesize 4096)))");
        assert!(e.starts_with("invalid module: invalid custom page size"), "{e}");
        assert!(load_err("(module (tag))").starts_with("unsupported feature: exception-handling"));
    }

    #[test]
    fn invalid_modules_stay_invalid() {
        let e = load_err("(module (func (result i32) i64.const 0))");
        assert!(e.starts_with("invalid module: type mismatch"), "{e}");
        let e = Module::new(b"\0asm\x01\0\0\0\x01").unwrap_err().to_string();
        assert!(e.contains("(at offset 0x"), "{e}");
    }
}
