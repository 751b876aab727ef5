//! redzone-harness: runs WebAssembly engines against the spec testsuite and, later, against
//! each other.
//!
//! How data flows:
//! - [`engines`]: one adapter trait for every engine configuration; module bytes and
//!   [`engines::Val`]s go in, results, typed errors and state snapshots come out;
//! - [`spec`]: finds `.wast` scripts (a directory walk filtered by the committed manifest)
//!   and runs each one's directives on an adapter, producing a [`spec::ScriptReport`];
//! - [`report`]: turns the stream of [`report::Event`]s into a human display (progress,
//!   table, failures) or a machine one (JSON, JUnit XML);
//! - [`abi`]: the string/array passing ABI on every engine (the client and its checks are
//!   `redzone_engine::abi`'s), the `suites/abi/` guests, and the suite run behind `redzone abi`;
//! - [`cli`]: one file per `redzone` verb, gluing the above together;
//! - [`oracles`]: outcomes of the same step on several engines -> a verdict (`Agree`,
//!   `Diverge`, `Inconclusive`), and the [`oracles::fleet::Fleet`] that runs engines in
//!   lockstep;
//! - [`generators`]: inputs made from a seed (byte-level mutations of modules, for now);
//! - [`fuzz`]: the logic behind the cargo-fuzz targets, kept here so `cargo test` runs it.
//! - [`bench`]: the `suites/bench` workloads and the ABI round trip on every configuration,
//!   sampled in shuffled rounds with every checksum checked, summarised with confidence
//!   intervals into the results document ([`bench::results::Results`]) reports and the gate read;
//! - [`isolation`]: cases run in `redzone worker` processes, so an engine that crashes, hangs
//!   or runs out of memory costs a worker, not the run; deaths classified as crash findings;
//! - [`mutants`]: bug-finding power measured: the kill table of the engine's mutant zoo (fuzz
//!   loop, spec testsuite and `suites/edges` per planted bug) and the gate's subset of it;
//! - [`gate`]: the CI regression gate: a baseline results document against the current one ->
//!   ordered pass/fail checks (conformance, regressions, fuzz budget, performance ratios).
//!
//! ```
//! use redzone_harness::spec::{ScriptOptions, WastRunner};
//! let script = r#"(module (func (export "one") (result i32) i32.const 1))
//!                 (assert_return (invoke "one") (i32.const 1))"#;
//! let engine = redzone_harness::engines::build("redzone:checked")?;
//! let report = WastRunner::new(engine, ScriptOptions::default()).run_script("one.wast", script);
//! assert_eq!((report.passed, report.failed), (2, 0));
//! # Ok::<(), redzone_harness::engines::EngineError>(())
//! ```

#![deny(missing_docs)]

pub mod abi;
pub mod bench;
pub mod cli;
pub mod engines;
pub mod fuzz;
pub mod gate;
pub mod generators;
pub mod isolation;
pub mod mutants;
pub mod oracles;
pub mod report;
pub mod spec;
