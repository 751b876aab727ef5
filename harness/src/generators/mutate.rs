//! The `mutate` generator: wasm-mutate applied to a corpus of real modules, so generated
//! modules start from hand-written corner cases (`suites/edges/`, `suites/bench/`, and the
//! spec testsuite when it is configured) rather than from nothing.
//!
//! A case picks a corpus module and a seed from the fuzzer bytes, then applies one to
//! [`MutateConfig::max_mutations`] wasm-mutate steps, each with the next seed. A step whose
//! output does not validate with redzone's features ([`super::case::FEATURES`]: wasm-mutate
//! knows nothing of them) or that fails is retried with the next seed, up to
//! [`MutateConfig::attempts`] tries in all; when no step succeeds the case is
//! `arbitrary::Error::IncorrectFormat` (the caller skips it). Calls: every export with seeded
//! arguments.
//!
//! [`Corpus::load`] extracts binary modules from `.wast` (every `(module ...)` directive),
//! `.wat` (the ABI guests' allocator spliced in) and `.wasm` files under some directories.

use super::case::{Calls, GeneratorKind, TestCase, validates};
use crate::engines::panic_free;
use crate::spec::parse_buffer;
use crate::spec::suite::{Lookup, SuiteSource, workspace_root};
use arbitrary::Unstructured;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use wasm_mutate::WasmMutate;

/// Seed modules for wasm-mutate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corpus {
    /// Each module's origin (`file:line` for `.wast` modules) and bytes, in directory order.
    pub modules: Vec<(String, Vec<u8>)>,
}

/// A corpus that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// A directory could not be read.
    #[error("corpus directory `{dir}` cannot be read ({source}): pass an existing directory of .wast/.wat/.wasm files")]
    Read {
        /// The directory.
        dir: String,
        /// Why.
        source: std::io::Error,
    },
    /// No file under the directories held a module that validates with redzone's features.
    #[error("no usable module under {dirs}: the corpus needs .wast, .wat or .wasm files that redzone can load")]
    Empty {
        /// The directories, comma-separated.
        dirs: String,
    },
}

/// Files from the edge suite built into the binary, the corpus of last resort when the source
/// tree is not around at run time.
const EMBEDDED: &[(&str, &str)] = &[
    ("offset_near_2p32.wast", include_str!("../../../suites/edges/offset_near_2p32.wast")),
    ("grow_then_access.wast", include_str!("../../../suites/edges/grow_then_access.wast")),
    ("bulk_bounds.wast", include_str!("../../../suites/edges/bulk_bounds.wast")),
    ("stores_at_end.wast", include_str!("../../../suites/edges/stores_at_end.wast")),
];

impl Corpus {
    /// Every module in `.wast`, `.wat` and `.wasm` files under `dirs` (recursively, in sorted
    /// order) that validates with redzone's features.
    pub fn load(dirs: &[PathBuf]) -> Result<Corpus, CorpusError> {
        let mut files = Vec::new();
        for dir in dirs {
            walk(dir, &mut files).map_err(|source| CorpusError::Read { dir: dir.display().to_string(), source })?;
        }
        files.sort();
        let mut corpus = Corpus::default();
        for file in files {
            let Ok(bytes) = std::fs::read(&file) else { continue };
            corpus.add_file(&file.display().to_string(), &bytes);
        }
        if corpus.modules.is_empty() {
            let dirs: Vec<String> = dirs.iter().map(|d| format!("`{}`", d.display())).collect();
            return Err(CorpusError::Empty { dirs: dirs.join(", ") });
        }
        Ok(corpus)
    }

    /// Adds the modules of one file, by its extension (`.wasm` as is, `.wat` parsed, anything
    /// else as a `.wast` script); modules that do not validate are left out.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) {
        let found: Vec<(String, Vec<u8>)> = if name.ends_with(".wasm") {
            vec![(name.to_string(), bytes.to_vec())]
        } else {
            let Ok(text) = std::str::from_utf8(bytes) else { return };
            if name.ends_with(".wat") {
                wat::parse_str(crate::abi::guests::expand(text))
                    .map(|b| vec![(name.to_string(), b)])
                    .unwrap_or_default()
            } else {
                wast_modules(name, text)
            }
        };
        self.modules.extend(found.into_iter().filter(|(_, b)| validates(b)));
    }

    /// The default corpus, loaded once: `suites/edges/` and `suites/bench/` of the source tree,
    /// plus the spec testsuite when `WASM_SPEC_TESTSUITE` names it; when the source tree is
    /// gone, a few edge scripts built into the binary.
    pub fn builtin() -> Arc<Corpus> {
        static BUILTIN: OnceLock<Arc<Corpus>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let root = workspace_root().join("suites");
                let mut dirs = vec![root.join("edges"), root.join("bench")];
                if let Ok(Some(found)) = Lookup::from_env(None).locate()
                    && found.source == SuiteSource::Env
                {
                    dirs.push(found.root);
                }
                let corpus = Corpus::load(&dirs).unwrap_or_else(|_| {
                    let mut c = Corpus::default();
                    for (name, text) in EMBEDDED {
                        c.add_file(name, text.as_bytes());
                    }
                    c
                });
                Arc::new(corpus)
            })
            .clone()
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "wast" || e == "wat" || e == "wasm") {
            out.push(path);
        }
    }
    Ok(())
}

/// The binary of every `(module ...)` directive of a script (quoted modules included when
/// they encode). The wast parser recurses on nesting depth, so deep scripts of the spec
/// testsuite are parsed on a thread with a large stack.
fn wast_modules(name: &str, text: &str) -> Vec<(String, Vec<u8>)> {
    let parse = || {
        let mut out = Vec::new();
        let Ok(buf) = parse_buffer(text) else { return out };
        let Ok(script) = wast::parser::parse::<wast::Wast<'_>>(&buf) else { return out };
        for directive in script.directives {
            let (line, _) = directive.span().linecol_in(text);
            if let wast::WastDirective::Module(mut m) = directive
                && let Ok(bytes) = m.encode()
            {
                out.push((format!("{name}:{}", line + 1), bytes));
            }
        }
        out
    };
    std::thread::scope(|s| {
        std::thread::Builder::new().stack_size(64 << 20).spawn_scoped(s, parse).ok().and_then(|h| h.join().ok())
    })
    .unwrap_or_default()
}

/// Settings of the `mutate` generator.
#[derive(Debug, Clone)]
pub struct MutateConfig {
    /// Modules to start from. Defaults to [`Corpus::builtin`].
    pub corpus: Arc<Corpus>,
    /// Most wasm-mutate steps applied in a row. Defaults to 3.
    pub max_mutations: u32,
    /// Steps tried in all (failed or invalid ones included) before giving up on a case.
    /// Defaults to 10.
    pub attempts: u32,
    /// wasm-mutate's fuel per step (its bound on the work of one mutation). Defaults to 1,000.
    pub fuel: u64,
    /// Seeded calls of each export that takes parameters. Defaults to 3.
    pub calls_per_export: usize,
    /// A mutant that executes `memory.grow` must declare every memory's maximum at or below
    /// this many pages, or it is skipped. Defaults to 64 (4 MiB). Grow loops from the corpus
    /// (seeded arguments ask for up to 2^31 iterations, and fuel does not bound a grow's cost)
    /// otherwise spend seconds per case in the checked peers, which move the whole memory on
    /// many grows: `mutate` ran at 1 case/s on all seven configurations, 18/s without them.
    pub max_grow_pages: u64,
}

impl Default for MutateConfig {
    fn default() -> Self {
        MutateConfig {
            corpus: Corpus::builtin(),
            max_mutations: 3,
            attempts: 10,
            fuel: 1_000,
            calls_per_export: 3,
            max_grow_pages: 64,
        }
    }
}

/// One wasm-mutate step with `seed`: its first output, when it validates.
fn step(wasm: &[u8], seed: u64, fuel: u64) -> Option<Vec<u8>> {
    // wasm-mutate is a third party's fuzzing tool: a panic in it skips the step rather than
    // ending the loop.
    let out = panic_free(|| {
        let mut mutate = WasmMutate::default();
        mutate.seed(seed).preserve_semantics(false).fuel(fuel);
        let mut outputs = mutate.run(wasm).ok()?;
        outputs.next()?.ok()
    })
    .ok()??;
    validates(&out).then_some(out)
}

/// A mutated corpus module from `u`.
pub fn generate(u: &mut Unstructured, config: &MutateConfig) -> arbitrary::Result<TestCase> {
    let (_, seed_module) = u.choose(&config.corpus.modules)?;
    let wanted = u.int_in_range(1..=config.max_mutations.max(1))?;
    let mut seed: u64 = u.arbitrary()?;
    let mut current = seed_module.clone();
    let (mut applied, mut tried) = (0, 0);
    while applied < wanted && tried < config.attempts.max(1) {
        tried += 1;
        seed = seed.wrapping_add(1);
        if let Some(out) = step(&current, seed, config.fuel) {
            current = out;
            applied += 1;
        }
    }
    if applied == 0 || grows_past(&current, config.max_grow_pages) {
        return Err(arbitrary::Error::IncorrectFormat);
    }
    let call_seed = u.arbitrary::<u64>().unwrap_or(seed);
    Ok(TestCase::new(
        GeneratorKind::Mutate,
        current,
        Calls::Seeded { seed: call_seed, calls_per_export: config.calls_per_export },
    ))
}

/// Whether `wasm` executes `memory.grow` on a memory (defined or imported) whose declared
/// maximum is absent or above `max_pages`. Bytes that do not parse count as growing: the
/// caller only passes validated modules.
fn grows_past(wasm: &[u8], max_pages: u64) -> bool {
    use wasmparser::{Operator, Payload, TypeRef};
    let (mut unbounded, mut grows) = (false, false);
    let too_big = |ty: &wasmparser::MemoryType| ty.maximum.is_none_or(|m| m > max_pages);
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let Ok(payload) = payload else { return true };
        match payload {
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    let Ok(import) = import else { return true };
                    if let TypeRef::Memory(ty) = import.ty {
                        unbounded |= too_big(&ty);
                    }
                }
            }
            Payload::MemorySection(memories) => {
                for ty in memories {
                    let Ok(ty) = ty else { return true };
                    unbounded |= too_big(&ty);
                }
            }
            Payload::CodeSectionEntry(body) => {
                let Ok(mut ops) = body.get_operators_reader() else { return true };
                while !ops.eof() {
                    match ops.read() {
                        Ok(Operator::MemoryGrow { .. }) => grows = true,
                        Ok(_) => {}
                        Err(_) => return true,
                    }
                }
            }
            _ => {}
        }
    }
    unbounded && grows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::Rng;

    #[test]
    fn grow_loops_on_large_or_unbounded_memories_are_skipped() {
        let module = |memory: &str, body: &str| {
            wat::parse_str(format!("(module (memory {memory}) (func (export \"f\") (result i32) {body}))")).unwrap()
        };
        let grow = "(memory.grow (i32.const 1))";
        assert!(grows_past(&module("1", grow), 64), "no maximum");
        assert!(grows_past(&module("1 1025", grow), 64), "maximum above the cap");
        assert!(!grows_past(&module("1 64", grow), 64), "bounded by the cap");
        assert!(!grows_past(&module("1", "(memory.size)"), 64), "never grows");
        let imported = wat::parse_str(
            r#"(module (import "m" "mem" (memory 1)) (func (export "f") (result i32) (memory.grow (i32.const 1))))"#,
        )
        .unwrap();
        assert!(grows_past(&imported, 64), "an imported memory without a maximum");
    }

    #[test]
    fn the_builtin_corpus_holds_edge_and_bench_modules() {
        let corpus = Corpus::builtin();
        assert!(corpus.modules.len() >= 60, "{} modules", corpus.modules.len());
        assert!(corpus.modules.iter().any(|(n, _)| n.contains("offset_near_2p32.wast:")));
        assert!(corpus.modules.iter().any(|(n, _)| n.ends_with("chacha20.wat")));
    }

    #[test]
    fn loading_reports_missing_and_empty_directories() {
        let err = Corpus::load(&[PathBuf::from("/nonexistent/redzone-corpus")]).unwrap_err().to_string();
        assert!(err.contains("cannot be read") && err.contains("/nonexistent/redzone-corpus"), "{err}");
        let dir = std::env::temp_dir().join(format!("redzone-empty-corpus-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("junk.wasm"), b"not wasm").unwrap();
        let err = Corpus::load(std::slice::from_ref(&dir)).unwrap_err().to_string();
        assert!(err.contains("no usable module"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn mutants_validate_and_differ_from_their_seed() {
        let config = MutateConfig::default();
        let mut rng = Rng::new(9);
        let (mut made, mut changed) = (0, 0);
        for _ in 0..30 {
            let data = rng.bytes(64);
            let Ok(case) = generate(&mut Unstructured::new(&data), &config) else { continue };
            made += 1;
            assert!(validates(&case.wasm));
            changed += !config.corpus.modules.iter().any(|(_, m)| *m == case.wasm) as usize;
        }
        assert!(made >= 20 && changed >= made / 2, "{made} made, {changed} changed");
    }
}
