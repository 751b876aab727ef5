//! The `smith` generator: wasm-smith modules aimed at memory. Unlike wasmtime's differential
//! fuzzing, traps are allowed (an out-of-bounds access is what redzone is for), every item is
//! exported (so the oracle sees every memory, global and table), NaNs are canonicalised (so
//! float results compare bit-exactly), and each module has one bounded memory with a
//! declared maximum, usually reached by `memory.grow`: a 32-bit one, or, in a share of modules
//! ([`SmithConfig::memory64_percent`]), a memory wasm-smith may make 64-bit (i64 addresses,
//! sizes and static offsets; such modules have no tables, since wasm-smith then makes 64-bit
//! tables too, which redzone does not implement). wasmer 7.4.2 runs without memory64, so there
//! a 64-bit module is an `unsupported feature` outcome: inconclusive, never a finding. Features are what redzone implements
//! ([`super::case::FEATURES`]) less tail calls unless asked for ([`SmithConfig::tail_calls`]).
//! A share of modules ([`SmithConfig::imports_percent`]) import functions, globals, tables or
//! their memory (from [`SmithConfig::import_menu`]; such a module has at most one memory, and
//! may have none): the fleet gives every engine the same dummies for them (`engines::imports`)
//! and compares the imported memories, globals and tables too, so data segments and stores
//! into an imported memory are fuzzed as well. Another share ([`SmithConfig::simd_percent`])
//! use fixed-width SIMD, whose 16-byte and lane loads and stores go through the same bounds
//! checks. And a share ([`SmithConfig::custom_page_sizes_percent`]) may state page sizes
//! (custom-page-sizes: wasm-smith gives a memory a stated page size half of the time, 1 byte
//! or 64 KiB), so 1-byte-page memories, whose length ends off a host page and which redzone
//! checks explicitly even on guard pages, are fuzzed too; wasmer 7.4.2 has no custom page
//! sizes, so there such a module is `unsupported feature`, inconclusive. Another ([`SmithConfig::multi_memory_percent`]) may have several memories, whose
//! loads, stores, bulk operations, grows and sizes each name one (wasm-smith picks the index
//! among the memories of the address's type), and whose `memory.copy` may go from one to
//! another; mixed with the memory64 share, their index types may differ. Calls: every export
//! with seeded arguments.

use super::case::{Calls, GeneratorKind, TestCase};
use arbitrary::Unstructured;
use wasm_smith::{Config, MemoryOffsetChoices, Module};

/// Settings of the `smith` generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmithConfig {
    /// Largest memory, in 64 KiB pages (also the declared maximum, which wasm-smith always
    /// writes here). Defaults to 16 pages.
    pub max_pages: u64,
    /// Fewest functions per module (wasm-smith otherwise often makes none, and a module
    /// without functions exercises only instantiation). Defaults to 3.
    pub min_funcs: usize,
    /// Most functions per module. Defaults to 20.
    pub max_funcs: usize,
    /// Most instructions per function body. Defaults to 100.
    pub max_instructions: usize,
    /// Weights of static offsets that are in bounds of the initial size, in bounds only after
    /// growth, and beyond the maximum (wasm-smith's `MemoryOffsetChoices`). Defaults to
    /// (60, 30, 10): more out-of-bounds offsets than wasm-smith's (90, 9, 1).
    pub offset_weights: (u32, u32, u32),
    /// Whether functions get wasm-smith's fuel counter (`ensure_termination`), so infinite
    /// loops trap with `unreachable` on every engine alike instead of running out of the
    /// fleet's fuel (an inconclusive step). Defaults to true.
    pub ensure_termination: bool,
    /// The counter's start value when [`Self::ensure_termination`] is set: loop iterations and
    /// calls each cost one, over the instance's whole life. Small enough that neither the
    /// fleet's fuel nor any engine's stack runs out first (both make a step inconclusive).
    /// Defaults to 1,000.
    pub termination_fuel: u32,
    /// Seeded calls of each export that takes parameters. Defaults to 3.
    pub calls_per_export: usize,
    /// Whether modules may use tail calls (redzone, wasmtime and wasmi implement them). Off by
    /// default: wasmer 7.4's Cranelift refuses them, so on the full fleet every such module is
    /// inconclusive (15% of cases when on), and they have nothing to do with memory.
    /// Defaults to false.
    pub tail_calls: bool,
    /// Share of cases, in percent, whose module imports things: each picks an arbitrary subset
    /// of [`Self::import_menu`] (functions of several signatures, globals of every type, a
    /// table, and its memory in one of three sizes); the others import nothing. Defaults to 25.
    pub imports_percent: u8,
    /// Share of cases, in percent, whose module may use fixed-width SIMD (`v128` values, the
    /// 16-byte and lane loads and stores); the others use none. Defaults to 25.
    pub simd_percent: u8,
    /// Share of cases, in percent, whose module may have a 64-bit memory (wasm-smith picks
    /// 32 or 64 bits for the memory it defines, so about half of these do). Defaults to 25.
    pub memory64_percent: u8,
    /// Share of cases, in percent, whose module may state its memories' page sizes
    /// (wasm-smith's `custom_page_sizes_enabled`: half of its memories then get a stated page
    /// size, half of those 1 byte). Defaults to 20.
    pub custom_page_sizes_percent: u8,
    /// Share of cases, in percent, whose module may have several memories (up to
    /// [`Self::max_memories`], at least two unless it imports one, each up to
    /// [`Self::max_pages`]); the others have one. Defaults to 25.
    pub multi_memory_percent: u8,
    /// Most memories, imported ones included, of a module in the multi-memory share.
    /// Defaults to 3.
    pub max_memories: usize,
}

impl Default for SmithConfig {
    fn default() -> Self {
        SmithConfig {
            max_pages: 16,
            min_funcs: 3,
            max_funcs: 20,
            max_instructions: 100,
            offset_weights: (60, 30, 10),
            ensure_termination: true,
            termination_fuel: 1_000,
            calls_per_export: 3,
            tail_calls: false,
            imports_percent: 25,
            simd_percent: 25,
            memory64_percent: 25,
            custom_page_sizes_percent: 20,
            multi_memory_percent: 25,
            max_memories: 3,
        }
    }
}

impl SmithConfig {
    /// The wasm-smith configuration these settings describe, for a module without imports.
    pub fn wasm_smith(&self) -> Config {
        self.wasm_smith_importing(false)
    }

    /// What an importing module chooses its imports from, as a module of imports: wasm-smith
    /// takes each one or not (a memory only while the module has none, so the first memory
    /// taken wins). Named imports of known types rather than wasm-smith's arbitrary ones, whose
    /// long random names use up the fuzzer's bytes so that nearly every import is a function.
    /// The memories: `env.memory` (1 page up to [`Self::max_pages`]), `env.small` (1..2) and
    /// `env.empty` (0..1).
    pub fn import_menu(&self) -> Vec<u8> {
        let max = self.max_pages.max(1);
        let menu = format!(
            r#"(module
                 (import "env" "memory" (memory 1 {max}))
                 (import "env" "small" (memory 1 2))
                 (import "env" "empty" (memory 0 1))
                 (import "env" "table" (table 1 16 funcref))
                 (import "env" "refs" (table 0 4 externref))
                 (import "env" "g_i32" (global (mut i32)))
                 (import "env" "g_i64" (global i64))
                 (import "env" "g_f32" (global (mut f32)))
                 (import "env" "g_f64" (global f64))
                 (import "env" "g_ref" (global (mut externref)))
                 (import "env" "nop" (func))
                 (import "env" "i32_i32" (func (param i32) (result i32)))
                 (import "env" "i64_i32_i64" (func (param i64 i32) (result i64)))
                 (import "env" "f32_f64" (func (param f32) (result f64)))
                 (import "env" "pair" (func (param i32) (result i32 i64))))"#
        );
        // The menu is fixed text: it always parses.
        wat::parse_str(menu).unwrap_or_default()
    }

    /// The wasm-smith configuration these settings describe, importing from
    /// [`Self::import_menu`] when `importing`, else nothing; without SIMD.
    pub fn wasm_smith_importing(&self, importing: bool) -> Config {
        self.wasm_smith_for(importing, false)
    }

    /// The wasm-smith configuration for one case: importing and SIMD as for
    /// [`Self::wasm_smith_for`], and when `memory64`, a defined memory may be 64-bit (with the
    /// same [`Self::max_pages`] bound) and the module has no tables.
    pub fn wasm_smith_case(&self, importing: bool, simd: bool, memory64: bool) -> Config {
        let mut config = self.wasm_smith_for(importing, simd);
        if memory64 {
            config.memory64_enabled = true;
            config.max_memory64_bytes = u128::from(self.max_pages.max(1)) * 65536;
            // wasm-smith ties 64-bit tables to memory64; redzone refuses them (table64 is not
            // implemented), which would make these cases inconclusive on its two configurations.
            config.max_tables = 0;
        }
        config
    }

    /// [`Self::wasm_smith_case`], with several memories when `multi_memory`: up to
    /// [`Self::max_memories`], and at least two unless the module imports (wasm-smith counts
    /// only defined memories towards its minimum, so an importing module may have fewer).
    pub fn wasm_smith_multi(&self, importing: bool, simd: bool, memory64: bool, multi_memory: bool) -> Config {
        let mut config = self.wasm_smith_case(importing, simd, memory64);
        if multi_memory {
            config.max_memories = self.max_memories.max(2);
            config.min_memories = if importing { 0 } else { 2 };
        }
        config
    }

    /// The wasm-smith configuration these settings describe, importing as for
    /// [`Self::wasm_smith_importing`], and with fixed-width SIMD when `simd`.
    pub fn wasm_smith_for(&self, importing: bool, simd: bool) -> Config {
        let (a, b, c) = self.offset_weights;
        Config {
            max_imports: if importing { 16 } else { 0 },
            min_imports: 0,
            available_imports: importing.then(|| self.import_menu()),
            // Compact import groups are a proposal no peer decodes; plain imports only.
            compact_imports_enabled: false,
            export_everything: true,
            canonicalize_nans: true,
            disallow_traps: false,
            // wasm-smith counts only defined memories towards `min_memories` and fails a module
            // whose imported memory leaves no room for one, so an importing module may have none.
            min_memories: u32::from(!importing),
            max_memories: 1,
            memory_max_size_required: true,
            max_memory32_bytes: self.max_pages.max(1) * 65536,
            memory_offset_choices: MemoryOffsetChoices(a, b, c.max(if a == 0 && b == 0 { 1 } else { 0 })),
            min_funcs: self.min_funcs,
            max_funcs: self.max_funcs,
            max_instructions: self.max_instructions,
            max_tables: 2,
            max_table_elements: 1_000,
            // A table without a maximum lets `table.grow` ask for 2^31 elements: wasmer 7.4
            // resizes its element vector and aborts the whole process when the allocation
            // fails (34 GB in a smith campaign), where the spec lets growth fail with -1.
            table_max_size_required: true,
            bulk_memory_enabled: true,
            reference_types_enabled: true,
            multi_value_enabled: true,
            saturating_float_to_int_enabled: true,
            sign_extension_ops_enabled: true,
            tail_call_enabled: self.tail_calls,
            extended_const_enabled: true,
            simd_enabled: simd,
            relaxed_simd_enabled: false,
            threads_enabled: false,
            shared_everything_threads_enabled: false,
            memory64_enabled: false,
            exceptions_enabled: false,
            gc_enabled: false,
            custom_page_sizes_enabled: false,
            custom_descriptors_enabled: false,
            wide_arithmetic_enabled: false,
            ..Config::default()
        }
    }
}

/// A wasm-smith module from `u`, with seeded calls (the seed also drawn from `u`).
pub fn generate(u: &mut Unstructured, config: &SmithConfig) -> arbitrary::Result<TestCase> {
    // Drawn first, so the rest of the bytes decide the module either way.
    let importing = u.int_in_range(0..=99u8)? < config.imports_percent;
    let simd = u.int_in_range(0..=99u8)? < config.simd_percent;
    let memory64 = u.int_in_range(0..=99u8)? < config.memory64_percent;
    let multi_memory = u.int_in_range(0..=99u8)? < config.multi_memory_percent;
    let mut smith = config.wasm_smith_multi(importing, simd, memory64, multi_memory);
    smith.custom_page_sizes_enabled = u.int_in_range(0..=99u8)? < config.custom_page_sizes_percent;
    let mut module = Module::new(smith, u)?;
    if config.ensure_termination {
        // Only fails for bodies wasm-smith did not generate itself (allow_invalid_funcs), which
        // this configuration never asks for.
        module.ensure_termination(config.termination_fuel).map_err(|_| arbitrary::Error::IncorrectFormat)?;
    }
    let seed = u.arbitrary::<u64>().unwrap_or(0);
    Ok(TestCase::new(
        GeneratorKind::Smith,
        module.to_bytes(),
        Calls::Seeded { seed, calls_per_export: config.calls_per_export },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::Rng;
    use crate::generators::case::{memory_types, validates};

    #[test]
    fn modules_validate_with_redzone_features_and_have_a_bounded_memory() {
        let mut rng = Rng::new(1);
        let config = SmithConfig { multi_memory_percent: 0, ..SmithConfig::default() };
        let mut made = 0;
        for _ in 0..50 {
            let data = rng.bytes(2048);
            let Ok(case) = generate(&mut Unstructured::new(&data), &config) else { continue };
            made += 1;
            assert!(validates(&case.wasm), "wasm-smith made a module redzone refuses");
            let memories = memory_types(&case.wasm);
            let imports = crate::engines::imports::plan(&case.wasm, crate::engines::DummyFuncs::Zeros).unwrap();
            if imports.is_empty() {
                assert_eq!(memories.len(), 1, "exactly one memory");
            } else {
                assert!(memories.len() <= 1, "at most one memory, defined or imported");
            }
            for memory in memories {
                let max = memory.maximum.expect("a declared maximum");
                // 16 pages of 64 KiB, whatever the page size (1-byte pages count bytes).
                assert!(max << memory.page_size_log2.unwrap_or(16) <= 16 << 16, "{memory:?}");
            }
        }
        assert!(made >= 40, "most random inputs make a module ({made}/50)");
    }

    #[test]
    fn a_share_of_modules_use_simd() {
        let uses_v128 = |wasm: &[u8]| {
            let no_simd = crate::generators::FEATURES.difference(wasmparser::WasmFeatures::SIMD);
            wasmparser::Validator::new_with_features(no_simd).validate_all(wasm).is_err()
        };
        let mut rng = Rng::new(5);
        let config = SmithConfig::default();
        let (mut made, mut simd) = (0, 0);
        for _ in 0..200 {
            let data = rng.bytes(4096);
            let Ok(case) = generate(&mut Unstructured::new(&data), &config) else { continue };
            made += 1;
            assert!(validates(&case.wasm), "wasm-smith made a module redzone refuses");
            simd += usize::from(uses_v128(&case.wasm));
        }
        assert!(simd * 100 >= made * 8 && simd * 100 <= made * 40, "about a quarter use SIMD ({simd}/{made})");
        let none = SmithConfig { simd_percent: 0, ..SmithConfig::default() };
        for _ in 0..30 {
            let data = rng.bytes(4096);
            let Ok(case) = generate(&mut Unstructured::new(&data), &none) else { continue };
            assert!(!uses_v128(&case.wasm), "0% makes no SIMD module");
        }
    }

    /// Whether `wasm` defines a 64-bit memory.
    fn has_memory64(wasm: &[u8]) -> bool {
        wasmparser::Parser::new(0).parse_all(wasm).any(|p| match p {
            Ok(wasmparser::Payload::MemorySection(r)) => r.into_iter().any(|m| m.is_ok_and(|m| m.memory64)),
            _ => false,
        })
    }

    #[test]
    fn a_share_of_modules_have_a_64_bit_memory_and_no_table() {
        let mut rng = Rng::new(9);
        let config = SmithConfig::default();
        let (mut made, mut wide) = (0, 0);
        for _ in 0..300 {
            let data = rng.bytes(4096);
            let Ok(case) = generate(&mut Unstructured::new(&data), &config) else { continue };
            made += 1;
            assert!(validates(&case.wasm), "wasm-smith made a module redzone refuses");
            if has_memory64(&case.wasm) {
                wide += 1;
                let tables = wasmparser::Parser::new(0)
                    .parse_all(&case.wasm)
                    .any(|p| matches!(p, Ok(wasmparser::Payload::TableSection(r)) if r.count() > 0));
                assert!(!tables, "a memory64 module defines no (possibly 64-bit) table");
            }
        }
        // A quarter may, and wasm-smith makes about half of those 64-bit.
        assert!(wide * 100 >= made * 5 && wide * 100 <= made * 30, "about an eighth are memory64 ({wide}/{made})");
        let none = SmithConfig { memory64_percent: 0, ..SmithConfig::default() };
        for _ in 0..40 {
            let data = rng.bytes(4096);
            let Ok(case) = generate(&mut Unstructured::new(&data), &none) else { continue };
            assert!(!has_memory64(&case.wasm), "0% makes no memory64 module");
        }
    }

    /// The page sizes (log2) `wasm` states for the memories it defines.
    fn stated_page_sizes(wasm: &[u8]) -> Vec<u32> {
        let mut out = Vec::new();
        for p in wasmparser::Parser::new(0).parse_all(wasm) {
            if let Ok(wasmparser::Payload::MemorySection(r)) = p {
                out.extend(r.into_iter().filter_map(|m| m.ok()?.page_size_log2));
            }
        }
        out
    }

    #[test]
    fn a_share_of_modules_state_page_sizes_some_of_one_byte() {
        let mut rng = Rng::new(11);
        let config = SmithConfig::default();
        let (mut made, mut stated, mut tiny) = (0, 0, 0);
        for _ in 0..400 {
            let data = rng.bytes(4096);
            let Ok(case) = generate(&mut Unstructured::new(&data), &config) else { continue };
            made += 1;
            assert!(validates(&case.wasm), "wasm-smith made a module redzone refuses");
            let sizes = stated_page_sizes(&case.wasm);
            assert!(sizes.iter().all(|&p| p == 0 || p == 16), "only 1-byte and 64 KiB pages: {sizes:?}");
            stated += usize::from(!sizes.is_empty());
            tiny += usize::from(sizes.contains(&0));
        }
        // A fifth may, and wasm-smith states a page size for about half of those memories.
        assert!(stated * 100 >= made * 4 && stated * 100 <= made * 20, "about a tenth state one ({stated}/{made})");
        assert!(tiny > 0, "some memories have 1-byte pages ({stated}/{made} state a page size)");
        let none = SmithConfig { custom_page_sizes_percent: 0, ..SmithConfig::default() };
        for _ in 0..40 {
            let data = rng.bytes(4096);
            let Ok(case) = generate(&mut Unstructured::new(&data), &none) else { continue };
            assert!(stated_page_sizes(&case.wasm).is_empty(), "0% states no page size");
        }
    }

    /// What the code of `wasm` does to memories other than 0: (loads and stores naming one,
    /// other instructions naming one). wasm-smith makes `memory.copy` rarely (it needs three
    /// operands of the right types on the stack), so copies between memories are few here;
    /// the `edges` generator makes them on purpose.
    fn uses_of_other_memories(wasm: &[u8]) -> (usize, usize) {
        use wasmparser::Operator as O;
        let (mut access, mut other) = (0, 0);
        for payload in wasmparser::Parser::new(0).parse_all(wasm).flatten() {
            let wasmparser::Payload::CodeSectionEntry(body) = payload else { continue };
            let Ok(reader) = body.get_operators_reader() else { continue };
            for op in reader.into_iter().flatten() {
                match op {
                    O::MemoryCopy { dst_mem, src_mem } => other += usize::from(dst_mem.max(src_mem) > 0),
                    O::MemoryGrow { mem }
                    | O::MemorySize { mem }
                    | O::MemoryFill { mem }
                    | O::MemoryInit { mem, .. } => other += usize::from(mem > 0),
                    op => {
                        if let Some(memarg) = memarg_of(&op) {
                            access += usize::from(!matches!(memarg.target, wasmparser::MemArgTarget::Memory(0)));
                        }
                    }
                }
            }
        }
        (access, other)
    }

    /// The memory argument of a load or store (scalar or `v128`).
    fn memarg_of(op: &wasmparser::Operator) -> Option<wasmparser::MemArg> {
        use wasmparser::Operator as O;
        Some(match *op {
            O::I32Load { memarg } | O::I64Load { memarg } | O::F32Load { memarg } | O::F64Load { memarg } => memarg,
            O::I32Load8S { memarg } | O::I32Load8U { memarg } | O::I32Load16S { memarg } | O::I32Load16U { memarg } => {
                memarg
            }
            O::I64Load8S { memarg } | O::I64Load8U { memarg } | O::I64Load16S { memarg } | O::I64Load16U { memarg } => {
                memarg
            }
            O::I64Load32S { memarg } | O::I64Load32U { memarg } => memarg,
            O::I32Store { memarg } | O::I64Store { memarg } | O::F32Store { memarg } | O::F64Store { memarg } => memarg,
            O::I32Store8 { memarg } | O::I32Store16 { memarg } | O::I64Store8 { memarg } => memarg,
            O::I64Store16 { memarg } | O::I64Store32 { memarg } => memarg,
            O::V128Load { memarg } | O::V128Store { memarg } => memarg,
            _ => return None,
        })
    }

    #[test]
    fn a_share_of_modules_have_several_memories_and_use_every_one() {
        let mut rng = Rng::new(12);
        let config = SmithConfig { custom_page_sizes_percent: 0, ..SmithConfig::default() };
        let (mut made, mut multi, mut mixed) = (0, 0, 0);
        let (mut access, mut other) = (0, 0);
        for _ in 0..300 {
            let data = rng.bytes(4096);
            let Ok(case) = generate(&mut Unstructured::new(&data), &config) else { continue };
            made += 1;
            assert!(validates(&case.wasm), "wasm-smith made a module redzone refuses");
            let memories = memory_types(&case.wasm);
            assert!(memories.len() <= 3, "at most max_memories ({})", memories.len());
            if memories.len() < 2 {
                continue;
            }
            multi += 1;
            mixed += usize::from(memories.iter().any(|m| m.memory64) && memories.iter().any(|m| !m.memory64));
            assert!(memories.iter().all(|m| m.maximum.is_some_and(|max| max <= 16)), "{memories:?}");
            let (a, o) = uses_of_other_memories(&case.wasm);
            (access, other) = (access + a, other + o);
        }
        assert!(multi * 100 >= made * 12 && multi * 100 <= made * 35, "about a quarter have several ({multi}/{made})");
        assert!(mixed > 0, "some mix 32- and 64-bit memories ({multi} with several)");
        assert!(
            access >= multi * 2 && other >= multi,
            "memories beyond 0 are used: {access} loads and stores, {other} other instructions, in {multi} modules"
        );
        let none = SmithConfig { multi_memory_percent: 0, ..SmithConfig::default() };
        for _ in 0..40 {
            let data = rng.bytes(4096);
            let Ok(case) = generate(&mut Unstructured::new(&data), &none) else { continue };
            assert!(memory_types(&case.wasm).len() <= 1, "0% makes no multi-memory module");
        }
    }

    #[test]
    fn multi_memory_modules_run_alike_on_every_configuration() {
        use crate::oracles::case::run_case;
        use crate::oracles::fleet::Fleet;
        let names = crate::engines::default_names();
        let config = SmithConfig { multi_memory_percent: 100, custom_page_sizes_percent: 0, ..SmithConfig::default() };
        let mut rng = Rng::new(14);
        let (mut ran, mut compared) = (0, 0);
        while ran < 4 {
            let data = rng.bytes(4096);
            let Ok(case) = generate(&mut Unstructured::new(&data), &config) else { continue };
            if memory_types(&case.wasm).len() < 2 {
                continue;
            }
            ran += 1;
            let run = run_case("smith multi-memory", &case, Some(1_000_000), || Fleet::build(&names, Some(1_000_000)))
                .unwrap();
            for step in &run.steps {
                assert!(!step.verdict.is_divergence(), "{}: {:?}", step.label, step.verdict);
                assert_eq!(step.outcomes.len(), names.len(), "{}: every configuration ran", step.label);
            }
            compared += run.steps.len() - run.inconclusive();
        }
        assert!(compared > 0, "some steps compared every configuration");
    }

    #[test]
    fn a_share_of_modules_import_and_every_import_can_be_provided() {
        use crate::engines::imports::{DummyFuncs, ProvidedItem, plan};
        let mut rng = Rng::new(3);
        let config = SmithConfig::default();
        let (mut made, mut importing, mut memories) = (0, 0, 0);
        for _ in 0..200 {
            let data = rng.bytes(2048);
            let Ok(case) = generate(&mut Unstructured::new(&data), &config) else { continue };
            made += 1;
            assert!(validates(&case.wasm), "wasm-smith made a module redzone refuses");
            let provided = plan(&case.wasm, DummyFuncs::Zeros).expect("smith imports only what the harness provides");
            importing += usize::from(!provided.is_empty());
            memories += provided.iter().filter(|p| matches!(p.item, ProvidedItem::Memory { .. })).count();
        }
        assert!(
            importing * 100 >= made * 10 && importing * 100 <= made * 40,
            "about a quarter import ({importing}/{made})"
        );
        assert!(memories > 0, "some modules import their memory ({importing}/{made} import)");
        let none = SmithConfig { imports_percent: 0, ..SmithConfig::default() };
        for _ in 0..20 {
            let data = rng.bytes(2048);
            let Ok(case) = generate(&mut Unstructured::new(&data), &none) else { continue };
            assert_eq!(plan(&case.wasm, DummyFuncs::Zeros).unwrap(), vec![], "0% imports nothing");
        }
    }
}
