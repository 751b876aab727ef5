//! [`TestCase`]: what every generator makes and every consumer (the `redzone fuzz` loop, the
//! cargo-fuzz targets, `redzone replay`) runs: module bytes plus the calls to make, and
//! [`generate`], the one entry point from fuzzer bytes to a case.
//!
//! A case serialises without its module (`wasm` is stored beside it as `module.wasm`), so a
//! finding's `finding.json` holds exactly the calls that diverged and replay makes them again.
//! Each generator owns its settings struct; [`GeneratorConfig`] gathers them.

use super::abi::AbiConfig;
use super::edges::EdgesConfig;
use super::mutate::MutateConfig;
use super::smith::SmithConfig;
use crate::engines::Val;
use arbitrary::Unstructured;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The WebAssembly features redzone's engine implements (the engine's own validator set):
/// the 2.0 core (fixed-width SIMD included), plus tail calls, extended constant expressions
/// memory64 (64-bit tables validate here but the engine refuses them as unsupported),
/// multi-memory and custom page sizes. Generated and mutated modules must validate with these, or every engine but
/// the peers would refuse them and the run would say nothing about memory.
pub const FEATURES: wasmparser::WasmFeatures = wasmparser::WasmFeatures::WASM2
    .union(wasmparser::WasmFeatures::TAIL_CALL)
    .union(wasmparser::WasmFeatures::EXTENDED_CONST)
    .union(wasmparser::WasmFeatures::MEMORY64)
    .union(wasmparser::WasmFeatures::CUSTOM_PAGE_SIZES)
    .union(wasmparser::WasmFeatures::MULTI_MEMORY);

/// Whether `wasm` validates with [`FEATURES`].
pub fn validates(wasm: &[u8]) -> bool {
    wasmparser::Validator::new_with_features(FEATURES).validate_all(wasm).is_ok()
}

/// The memory types of `wasm`, imported ones first, as wasmparser reads them (for tests of
/// what the generators make).
#[cfg(test)]
pub(crate) fn memory_types(wasm: &[u8]) -> Vec<wasmparser::MemoryType> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm).flatten() {
        match payload {
            wasmparser::Payload::ImportSection(r) => {
                out.extend(r.into_imports().flatten().filter_map(|i| match i.ty {
                    wasmparser::TypeRef::Memory(m) => Some(m),
                    _ => None,
                }))
            }
            wasmparser::Payload::MemorySection(r) => out.extend(r.into_iter().flatten()),
            _ => {}
        }
    }
    out
}

/// Which generator made a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum GeneratorKind {
    /// wasm-smith modules configured for memory ([`super::smith`]).
    Smith,
    /// redzone's boundary-aimed modules ([`super::edges`]).
    Edges,
    /// wasm-mutate applied to corpus modules ([`super::mutate`]).
    Mutate,
    /// Arbitrary inputs through the ABI guests ([`super::abi`]).
    Abi,
}

impl GeneratorKind {
    /// Every generator, in documentation order.
    pub const ALL: [GeneratorKind; 4] =
        [GeneratorKind::Smith, GeneratorKind::Edges, GeneratorKind::Mutate, GeneratorKind::Abi];

    /// The lowercase name (`smith`, `edges`, `mutate`, `abi`), as `--generator` takes it.
    pub fn name(self) -> &'static str {
        match self {
            GeneratorKind::Smith => "smith",
            GeneratorKind::Edges => "edges",
            GeneratorKind::Mutate => "mutate",
            GeneratorKind::Abi => "abi",
        }
    }
}

impl fmt::Display for GeneratorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A generated test case: module bytes and what to call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestCase {
    /// The generator that made it.
    pub generator: GeneratorKind,
    /// The module. Not serialised: it is stored beside the case as `module.wasm`; a case read
    /// back from JSON has it empty until the caller fills it in.
    #[serde(skip)]
    pub wasm: Vec<u8>,
    /// What to call once it is instantiated.
    pub calls: Calls,
}

impl TestCase {
    /// A case from its parts.
    pub fn new(generator: GeneratorKind, wasm: Vec<u8>, calls: Calls) -> Self {
        TestCase { generator, wasm, calls }
    }

    /// The listed calls ([`Calls::Listed`]), none for other kinds of calls.
    #[cfg(test)]
    pub(crate) fn listed(&self) -> &[Call] {
        match &self.calls {
            Calls::Listed(calls) => calls,
            _ => &[],
        }
    }

    /// The number of calls the case makes after instantiation, when it is known without
    /// instantiating (`None` for [`Calls::Seeded`], which depends on the exports).
    pub fn listed_calls(&self) -> Option<usize> {
        match &self.calls {
            Calls::Seeded { .. } => None,
            Calls::Listed(calls) => Some(calls.len()),
            Calls::Abi(calls) => Some(calls.len()),
        }
    }
}

/// What a case calls after instantiation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "calls", rename_all = "lowercase")]
pub enum Calls {
    /// Every exported function called with seeded arguments (`oracles::fleet::run_module`'s
    /// `CallPlan`): `calls_per_export` times each export that takes parameters, once each
    /// that takes none.
    Seeded {
        /// Seed of the arguments.
        seed: u64,
        /// Calls of each export that takes parameters.
        calls_per_export: usize,
    },
    /// These calls, in this order.
    Listed(Vec<Call>),
    /// ABI round trips through the guest's `alloc`/`dealloc` (`suites/abi/ABI.md`), in this
    /// order, on one instance.
    Abi(Vec<AbiCall>),
}

/// One call of an exported function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// Export name.
    pub export: String,
    /// Arguments.
    pub args: Vec<Val>,
}

/// One ABI round trip: the host copies `input` into the guest, calls `function` the way
/// `abi::suite::CALLS` describes (the whole input, whole elements of it, or it and a suffix),
/// reads the result back and frees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbiCall {
    /// The guest function (a key of `abi::suite::CALLS`: `upper`, `sort_i32`, ...).
    pub function: String,
    /// The input bytes, serialised as lowercase hex (half the size of a JSON number array).
    #[serde(with = "hex")]
    pub input: Vec<u8>,
}

/// Settings of every generator.
#[derive(Debug, Clone, Default)]
pub struct GeneratorConfig {
    /// wasm-smith settings. Defaults to [`SmithConfig::default`].
    pub smith: SmithConfig,
    /// Boundary generator settings. Defaults to [`EdgesConfig::default`].
    pub edges: EdgesConfig,
    /// wasm-mutate settings and corpus. Defaults to [`MutateConfig::default`] (the corpus
    /// built into the binary: `suites/edges/` and `suites/bench/`).
    pub mutate: MutateConfig,
    /// ABI input settings. Defaults to [`AbiConfig::default`].
    pub abi: AbiConfig,
}

/// One case from fuzzer bytes: the `redzone fuzz` loop feeds seeded random bytes, cargo-fuzz
/// feeds libFuzzer's. `Err` (`NotEnoughData`, `IncorrectFormat`) means these bytes make no
/// case; callers skip them.
pub fn generate(kind: GeneratorKind, u: &mut Unstructured, config: &GeneratorConfig) -> arbitrary::Result<TestCase> {
    match kind {
        GeneratorKind::Smith => super::smith::generate(u, &config.smith),
        GeneratorKind::Edges => super::edges::generate(u, &config.edges),
        GeneratorKind::Mutate => super::mutate::generate(u, &config.mutate),
        GeneratorKind::Abi => super::abi::generate(u, &config.abi),
    }
}

/// Serde helpers writing bytes as a hex string.
mod hex {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            out.push_str(&format!("{b:02x}"));
        }
        s.serialize_str(&out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        if text.len() % 2 != 0 {
            return Err(D::Error::custom(format!("hex input has an odd length ({})", text.len())));
        }
        (0..text.len())
            .step_by(2)
            .map(|i| {
                u8::from_str_radix(text.get(i..i + 2).unwrap_or("?"), 16)
                    .map_err(|_| D::Error::custom(format!("hex input: bad digits at {i}")))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_round_trip_through_json_with_nan_payloads() {
        let case = TestCase::new(
            GeneratorKind::Edges,
            vec![0, 97, 115, 109],
            Calls::Listed(vec![Call {
                export: "f".into(),
                args: vec![Val::F32(0x7fc0_0001), Val::F64(0xfff0_0000_0000_0001), Val::I32(-1), Val::ExternRef(None)],
            }]),
        );
        let json = serde_json::to_string(&case).unwrap();
        assert!(!json.contains("[0,97"), "the module is stored apart: {json}");
        let mut back: TestCase = serde_json::from_str(&json).unwrap();
        assert!(back.wasm.is_empty());
        back.wasm = case.wasm.clone();
        assert_eq!(back, case);
        let abi = TestCase::new(
            GeneratorKind::Abi,
            Vec::new(),
            Calls::Abi(vec![AbiCall { function: "upper".into(), input: vec![0, 0xff, b'a'] }]),
        );
        let json = serde_json::to_string(&abi).unwrap();
        assert!(json.contains("\"00ff61\""), "{json}");
        assert_eq!(serde_json::from_str::<TestCase>(&json).unwrap(), abi);
        let bad = json.replace("00ff61", "00f");
        assert!(serde_json::from_str::<TestCase>(&bad).unwrap_err().to_string().contains("odd length"));
    }

    #[test]
    fn generator_names_are_lowercase_everywhere() {
        for kind in GeneratorKind::ALL {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
            assert_eq!(<GeneratorKind as clap::ValueEnum>::from_str(kind.name(), false), Ok(kind));
        }
    }
}
