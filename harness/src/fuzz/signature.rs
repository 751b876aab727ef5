//! A finding's [`Signature`]: what makes two divergences "the same bug", so the fuzz loop
//! saves one finding per signature and counts the rest as duplicates.
//!
//! Data enters as a [`ModuleRun`] (every step of a case on a fleet) and the module bytes; it
//! leaves as the signature of the run's first diverging step, made of:
//! - the divergence kind ([`What`]: instantiation, result, trap, memory, global, table, crash);
//! - the engine groups on each side, each sorted by configuration name, smaller side first,
//!   with the class of outcome each side saw (`trap`, `value`, `compile_error`, ...);
//! - the trap kinds involved (any engine's, sorted);
//! - the opcode at the trap site: the trapping instruction's module offset comes from the
//!   engines that report one (redzone's interpreter first, then wasmtime), decoded with
//!   wasmparser; `unknown` when no engine trapped with an offset.
//!
//! A native crash of a worker process ([`Signature::crash`]) is signed by its class
//! (`SIGSEGV`, `abort`, `stack-overflow`, `oom`, `timeout`) and the configurations whose runs
//! alone die of it: `crash:redzone:crash-canary:SIGSEGV` for people,
//! `crash-sigsegv.redzone_crash-canary.unknown.<hash>` as a directory.
//!
//! Signatures cluster by root cause ([`Signature::cluster`]): the engines on the smallest side
//! (the odd ones out, where a bug usually lives) and the opcode. One planted bug shows up as
//! trap-vs-value at one access, memory at another and result at a third; each is a
//! signature, all are one cluster, and the campaign saves one finding per cluster.
//!
//! It renders as a short string safe as a directory name
//! (`trap-vs-value.redzone_checked-vs-6.i64_load.1a2b3c4d`: the classes, the sides, named when
//! small and counted when large, the opcode, and a hash of everything, so sides that are
//! counted stay distinct) and as JSON (every field in full).
//!
//! The hash is FNV-1a over the signature's JSON text: stable across runs, machines and Rust
//! releases, which matters because directory names outlive the process that made them.

use crate::engines::{NanClass, Val};
use crate::oracles::fleet::{ModuleRun, Step};
use crate::oracles::{Observed, Outcome, Verdict, What, trap_name};
use redzone_engine::TrapKind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Sides with more engines than this are written as a count in the directory name.
const NAMED_SIDE: usize = 2;

/// The signature of a divergence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Signature {
    /// What differs.
    pub what: What,
    /// The engine groups, smaller first (ties by name), each with its engines sorted.
    pub sides: Vec<Side>,
    /// Trap kinds seen by any engine in the diverging step, sorted and deduplicated.
    pub traps: Vec<String>,
    /// The instruction at the trap site in wasm text naming with `_` for `.`
    /// (`i64_load`), or `unknown`.
    pub opcode: String,
}

/// The engines on one side of a divergence and the class of outcome they saw.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Side {
    /// Configuration names, sorted.
    pub engines: Vec<String>,
    /// `value`, `trap`, `instantiated`, `compile_error`, `link_error`, `harness_error`,
    /// `panic` (or, for state divergences, the kind of state: `memory`, `global`, `table`).
    pub class: String,
}

/// The class of an outcome, as a signature names it.
fn class(observed: &Observed) -> &'static str {
    match observed {
        Observed::Instantiated => "instantiated",
        Observed::Returned { .. } => "value",
        Observed::CompileError { .. } => "compile_error",
        Observed::LinkError { .. } => "link_error",
        Observed::Trapped { .. } => "trap",
        Observed::Unsupported { .. } => "unsupported",
        Observed::Limit { .. } => "limit",
        Observed::HarnessError { .. } => "harness_error",
        Observed::Panicked { .. } => "panic",
    }
}

/// A trap kind as a signature records it: the canonical name, and for `Other` only the text
/// before the first `:` (engines put addresses and numbers after it, which would split one
/// bug into many signatures).
fn trap_label(kind: &TrapKind) -> String {
    match kind {
        TrapKind::Other(message) => {
            let head: String = message.split(':').next().unwrap_or("").trim().chars().take(40).collect();
            format!("Other({head})")
        }
        kind => trap_name(kind),
    }
}

/// The first diverging step of `run` and its signature; `None` when no step diverges.
pub fn of_run(run: &ModuleRun, wasm: &[u8]) -> Option<(usize, Signature)> {
    run.steps.iter().enumerate().find_map(|(i, step)| of_step(step, wasm).map(|s| (i, s)))
}

/// Whether a result divergence is only quiet NaNs of different classes: when an operand is a
/// NaN with a payload, the spec lets arithmetic return any arithmetic NaN, the canonical one
/// included, so engines legitimately differ (x86 keeps the first operand's NaN, wasmi
/// another). The oracle compares NaNs by class; the fuzz loop does not call this a finding.
pub fn quiet_nans_only(step: &Step) -> bool {
    let Verdict::Diverge { what: What::Result, .. } = step.verdict else { return false };
    let quiet = |v: &Val| matches!(v.nan_class(), Some(NanClass::Canonical | NanClass::Arithmetic));
    let same = |a: &[Val], b: &[Val]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y) || (quiet(x) && quiet(y) && x.ty() == y.ty()))
    };
    let values: Vec<&[Val]> = step
        .outcomes
        .iter()
        .filter_map(|o| match &o.observed {
            Observed::Returned { values } => Some(&values[..]),
            _ => None,
        })
        .collect();
    values.len() == step.outcomes.len() && values.windows(2).all(|w| same(w[0], w[1]))
}

/// The signature of one step, when it diverges (a difference in quiet NaNs only is not a
/// divergence here: see [`quiet_nans_only`]).
pub fn of_step(step: &Step, wasm: &[u8]) -> Option<Signature> {
    let Verdict::Diverge { what, engines: groups, .. } = &step.verdict else { return None };
    if quiet_nans_only(step) {
        return None;
    }
    let outcome = |engine: &str| step.outcomes.iter().find(|o| o.engine == engine);
    let state = matches!(what, What::Memory | What::Global | What::Table);
    let mut sides: Vec<Side> = groups
        .iter()
        .map(|g| {
            let mut engines = g.engines.clone();
            engines.sort();
            let class = if state {
                what.to_string()
            } else {
                g.engines.first().and_then(|e| outcome(e)).map_or("missing", |o| class(&o.observed)).to_string()
            };
            Side { engines, class }
        })
        .collect();
    sides.sort_by(|a, b| a.engines.len().cmp(&b.engines.len()).then_with(|| a.engines.cmp(&b.engines)));
    let mut traps: Vec<String> = step
        .outcomes
        .iter()
        .filter_map(|o| match &o.observed {
            Observed::Trapped { trap, .. } => Some(trap_label(trap)),
            _ => None,
        })
        .collect();
    traps.sort();
    traps.dedup();
    let opcode = trap_site(&step.outcomes).and_then(|at| opcode_at(wasm, at)).unwrap_or_else(|| "unknown".into());
    Some(Signature { what: *what, sides, traps, opcode })
}

/// The module offset of the trapping instruction: redzone's engines first (the independent
/// oracle, and the one whose offsets the tests pin), then any other engine that reports one.
fn trap_site(outcomes: &[Outcome]) -> Option<u32> {
    let redzone = outcomes.iter().filter(|o| o.engine.starts_with("redzone:")).find_map(|o| o.trap_site);
    redzone.or_else(|| outcomes.iter().find_map(|o| o.trap_site))
}

/// The name of the instruction at module offset `at` (`i64_load`), if `at` is the start of
/// an instruction in a function body of `wasm`.
pub fn opcode_at(wasm: &[u8], at: u32) -> Option<String> {
    let at = u64::from(at);
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let wasmparser::Payload::CodeSectionEntry(body) = payload.ok()? else { continue };
        if !body.range().contains(&at) {
            continue;
        }
        let mut ops = body.get_operators_reader().ok()?;
        while !ops.eof() {
            let (op, offset) = ops.read_with_offset().ok()?;
            if offset == at {
                return Some(operator_name(&op));
            }
            if offset > at {
                return None;
            }
        }
        return None;
    }
    None
}

/// `I64Load { .. }` -> `i64_load`, `I32Load8S` -> `i32_load8_s`: the wasm text name with `_`
/// for `.`, taken from the operator's variant name.
fn operator_name(op: &wasmparser::Operator) -> String {
    let debug = format!("{op:?}");
    let variant = debug.split([' ', '{', '(']).next().unwrap_or("");
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in variant.chars() {
        if c.is_ascii_uppercase() && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        prev = Some(c);
    }
    out
}

/// The family of an opcode name, for clustering: `load/store` for every load and store of
/// any width (scalar, SIMD, lane), `bulk-memory` for `memory.fill/copy/init` and `data.drop`,
/// `grow` for `memory.grow` and `memory.size`, `table` for table instructions and
/// `call_indirect`, else the opcode itself (`i32_div_s`, `unknown`).
pub fn opcode_family(opcode: &str) -> &str {
    let access = ["_load", "_store"].iter().any(|k| opcode.contains(k));
    match opcode {
        _ if access => "load/store",
        "memory_fill" | "memory_copy" | "memory_init" | "data_drop" => "bulk-memory",
        "memory_grow" | "memory_size" => "grow",
        _ if opcode.starts_with("table_") || opcode == "call_indirect" || opcode == "elem_drop" => "table",
        _ => opcode,
    }
}

/// FNV-1a, 64 bits: a hash with a fixed definition.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

impl Signature {
    /// The signature of a native crash of class `class` (its label, `SIGSEGV`) on the
    /// configurations `crashed` (the others ran the case to its end alone).
    pub fn crash(class: &str, crashed: &[String], others: &[String]) -> Signature {
        let side = |engines: &[String], class: &str| {
            let mut engines = engines.to_vec();
            engines.sort();
            Side { engines, class: class.to_string() }
        };
        let mut sides = vec![side(crashed, class)];
        if !others.is_empty() {
            sides.push(side(others, "completed"));
        }
        Signature { what: What::Crash, sides, traps: vec![class.to_string()], opcode: "unknown".into() }
    }

    /// Whether this is a native crash's signature (rather than a panic or a divergence).
    pub fn is_native_crash(&self) -> bool {
        // An engine panic, caught in the process, is a `Crash` divergence too: its panicking
        // side has the class `panic`, which a native crash's sides never have.
        self.what == What::Crash && !self.sides.iter().any(|s| s.class == "panic")
    }

    /// `crash:<configuration>[,<configuration>]:<class>` for a native crash, else the
    /// directory name.
    pub fn label(&self) -> String {
        match (self.is_native_crash(), self.sides.first()) {
            (true, Some(side)) => format!("crash:{}:{}", side.engines.join(","), side.class),
            _ => self.name(),
        }
    }

    /// The root-cause cluster: the engines on the smallest side (ties broken by name, as the
    /// sides are sorted) and the opcode's family ([`opcode_family`]), as `<engines>@<family>`.
    /// Divergence kinds, the other sides and the access width are left out: one wrong bounds
    /// check shows up as a trap on an `i32.load`, a value on an `i64.store16` and a memory
    /// difference elsewhere, always on the same odd engines and always at a load or store.
    pub fn cluster(&self) -> String {
        let odd = self.sides.first().map(|s| s.engines.join("+")).unwrap_or_default();
        let crash = if self.is_native_crash() { format!(":{}", self.traps.join("+")) } else { String::new() };
        format!("{odd}{crash}@{}", opcode_family(&self.opcode))
    }

    /// A stable 32-bit hash of the whole signature, in hex.
    pub fn hash(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("{:08x}", fnv1a(json.as_bytes()) as u32)
    }

    /// The directory name: `<classes>.<sides>.<opcode>.<hash>`, made only of
    /// `[a-z0-9_+.-]`.
    pub fn name(&self) -> String {
        if self.is_native_crash() {
            let class = self.sides.first().map_or("crash", |s| s.class.as_str());
            let engines = self.sides.first().map(|s| s.engines.join("+")).unwrap_or_default();
            let name = format!("crash-{class}.{}.{}.{}", engines.replace(':', "_"), self.opcode, self.hash());
            return name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || "_+.-".contains(c) { c.to_ascii_lowercase() } else { '_' })
                .collect();
        }
        let classes = match self.what {
            What::Memory | What::Global | What::Table => self.what.to_string(),
            _ => self.sides.iter().map(|s| s.class.as_str()).collect::<Vec<_>>().join("-vs-"),
        };
        let sides: Vec<String> = self
            .sides
            .iter()
            .map(|s| match s.engines.len() {
                n if n > NAMED_SIDE => n.to_string(),
                _ => s.engines.iter().map(|e| e.replace(':', "_")).collect::<Vec<_>>().join("+"),
            })
            .collect();
        let name = format!("{classes}.{}.{}.{}", sides.join("-vs-"), self.opcode, self.hash());
        name.chars()
            .map(|c| if c.is_ascii_alphanumeric() || "_+.-".contains(c) { c.to_ascii_lowercase() } else { '_' })
            .collect()
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::default_names;
    use crate::oracles::fleet::{CallPlan, Fleet, run_module};

    const OOB: &str = r#"(module (memory (export "memory") 1)
        (func (export "f") (param i32) (result i64) (i64.load offset=8 (local.get 0))))"#;

    fn step(outcomes: Vec<(&str, Observed, Option<u32>)>, verdict: Verdict) -> Step {
        let outcomes = outcomes
            .into_iter()
            .map(|(e, observed, trap_site)| Outcome { engine: e.into(), observed, state: None, trap_site })
            .collect();
        Step { label: "f(i32:0)".into(), outcomes, verdict }
    }

    fn diverge(what: What, groups: &[&[&str]]) -> Verdict {
        let engines = groups
            .iter()
            .map(|g| crate::oracles::Group { engines: g.iter().map(|e| e.to_string()).collect(), seen: "x".into() })
            .collect();
        Verdict::Diverge { what, location: crate::oracles::Location::Module, engines, detail: vec![] }
    }

    #[test]
    fn names_the_opcode_at_every_engines_trap_site() {
        let wasm = wat::parse_str(OOB).unwrap();
        let plan = CallPlan { invoke: Some(("f".into(), vec!["65530".into()])), ..CallPlan::default() };
        let names = default_names();
        let run = run_module("m", &wasm, &plan, || Fleet::build(&names, None)).unwrap();
        let call = &run.steps[1];
        let sites: Vec<(&str, Option<u32>)> = call.outcomes.iter().map(|o| (o.engine.as_str(), o.trap_site)).collect();
        for (engine, site) in &sites {
            if engine.starts_with("redzone:") || engine.starts_with("wasmtime:") {
                let site = site.unwrap_or_else(|| panic!("{engine} reports no trap site: {sites:?}"));
                assert_eq!(opcode_at(&wasm, site).as_deref(), Some("i64_load"), "{engine}");
            }
        }
        assert!(sites.iter().any(|(_, s)| s.is_some()), "{sites:?}");
        assert_eq!(of_step(call, &wasm), None, "the engines agree");
    }

    #[test]
    fn signature_is_sorted_named_and_stable() {
        let wasm = wat::parse_str(OOB).unwrap();
        let site = (0..wasm.len() as u32).find(|&at| opcode_at(&wasm, at).as_deref() == Some("i64_load")).unwrap();
        let trap = Observed::Trapped { trap: TrapKind::MemoryOutOfBounds, instantiating: false };
        let value = Observed::returned(vec![Val::I64(0)]);
        let s = step(
            vec![
                ("redzone:checked", trap.clone(), Some(site)),
                ("wasmi", value.clone(), None),
                ("redzone:canary", value.clone(), None),
            ],
            diverge(What::Trap, &[&["wasmi", "redzone:canary"], &["redzone:checked"]]),
        );
        let sig = of_step(&s, &wasm).unwrap();
        assert_eq!(sig.sides[0], Side { engines: vec!["redzone:checked".into()], class: "trap".into() });
        assert_eq!(sig.sides[1].engines, vec!["redzone:canary", "wasmi"], "sorted within a side");
        assert_eq!(sig.traps, vec!["MemoryOutOfBounds"]);
        assert_eq!(sig.opcode, "i64_load");
        let name = sig.name();
        assert!(name.starts_with("trap-vs-value.redzone_checked-vs-redzone_canary+wasmi.i64_load."), "{name}");
        assert_eq!(name, sig.name(), "deterministic");
        assert_eq!(name.rsplit('.').next().unwrap().len(), 8);
        let json = serde_json::to_string(&sig).unwrap();
        assert_eq!(serde_json::from_str::<Signature>(&json).unwrap(), sig);

        // Large sides are counted, and two signatures that differ only in a counted side
        // still get different names.
        let six = ["a", "b", "c", "d", "e", "f"];
        let other_six = ["a", "b", "c", "d", "e", "g"];
        let big = |six: &[&str]| {
            let mut outcomes: Vec<(&str, Observed, Option<u32>)> =
                six.iter().map(|e| (*e, value.clone(), None)).collect();
            outcomes.push(("redzone:checked", trap.clone(), Some(site)));
            of_step(&step(outcomes, diverge(What::Trap, &[six, &["redzone:checked"]])), &wasm).unwrap().name()
        };
        assert!(big(&six).starts_with("trap-vs-value.redzone_checked-vs-6.i64_load."), "{}", big(&six));
        assert_ne!(big(&six), big(&other_six));
    }

    #[test]
    fn quiet_nans_of_different_classes_are_not_findings() {
        let ret = |v: Vec<Val>| Observed::returned(v);
        let canonical = Val::F64(0x7ff8_0000_0000_0000);
        let payload = Val::F64(0xffff_8000_0000_0001);
        let nan_step = |a: Val, b: Val| {
            step(
                vec![("a", ret(vec![Val::I32(1), a]), None), ("b", ret(vec![Val::I32(1), b]), None)],
                diverge(What::Result, &[&["a"], &["b"]]),
            )
        };
        assert!(quiet_nans_only(&nan_step(canonical, payload)));
        assert_eq!(of_step(&nan_step(canonical, payload), b""), None);
        let signalling = Val::F64(0x7ff0_0000_0000_0001);
        assert!(of_step(&nan_step(canonical, signalling), b"").is_some(), "no arithmetic makes a signalling NaN");
        assert!(of_step(&nan_step(canonical, Val::F64(0)), b"").is_some(), "a number is not a NaN");
        let mut trapped = nan_step(canonical, payload);
        trapped.outcomes[1].observed = Observed::Trapped { trap: TrapKind::MemoryOutOfBounds, instantiating: false };
        assert!(!quiet_nans_only(&trapped));
    }

    #[test]
    fn state_divergences_and_unknown_sites() {
        let ok = Observed::returned(vec![]);
        let s = step(vec![("a", ok.clone(), None), ("b", ok, None)], diverge(What::Memory, &[&["b"], &["a"]]));
        let sig = of_step(&s, b"\0asm\x01\0\0\0").unwrap();
        assert_eq!(sig.opcode, "unknown");
        assert!(sig.name().starts_with("memory.a-vs-b.unknown."), "{}", sig.name());
        assert!(of_step(&step(vec![], Verdict::Agree), b"").is_none());
        let other = |m: &str| trap_label(&TrapKind::Other(m.into()));
        assert_eq!(other("abi OutOfBounds: pointer 0x10 past 0x8"), other("abi OutOfBounds: pointer 0x20 past 0x8"));
        assert_eq!(opcode_at(b"not wasm", 3), None, "bad bytes are no opcode, not a panic");
    }

    #[test]
    fn crashes_are_signed_by_class_and_engines_and_clusters_merge_kinds() {
        let crash = Signature::crash("SIGSEGV", &["redzone:crash-canary".into()], &["wasmi".into(), "a".into()]);
        assert!(crash.is_native_crash());
        assert_eq!(crash.label(), "crash:redzone:crash-canary:SIGSEGV");
        assert!(crash.name().starts_with("crash-sigsegv.redzone_crash-canary.unknown."), "{}", crash.name());
        assert_eq!(crash.sides[1].engines, vec!["a", "wasmi"], "sorted");
        assert_ne!(crash.name(), Signature::crash("abort", &["redzone:crash-canary".into()], &[]).name());
        assert_eq!(crash.cluster(), "redzone:crash-canary:SIGSEGV@unknown");
        let at = |opcode: &str| Signature { opcode: opcode.into(), ..crash.clone() }.cluster();
        assert_eq!(at("i32_load"), at("i64_store16"), "every width of access is one family");
        assert_eq!(at("v128_load64_lane"), at("f64_store"));
        assert_ne!(at("i32_load"), at("memory_fill"));
        assert_eq!(at("memory_copy"), at("memory_init"));
        assert_ne!(at("memory_grow"), at("i32_div_s"));
        assert_eq!(opcode_family("call_indirect"), "table");
        // A peer's caught panic beside a value is a divergence, not redzone's native crash.
        let panic = Signature {
            what: What::Crash,
            sides: vec![
                Side { engines: vec!["redzone:checked".into()], class: "value".into() },
                Side { engines: vec!["wasmi".into()], class: "panic".into() },
            ],
            traps: vec![],
            opcode: "unknown".into(),
        };
        assert!(!panic.is_native_crash());
        assert!(!panic.label().starts_with("crash:"), "{}", panic.label());

        let ok = Observed::returned(vec![]);
        let memory = of_step(
            &step(
                vec![("a", ok.clone(), None), ("b", ok.clone(), None)],
                diverge(What::Memory, &[&["b"], &["a", "c"]]),
            ),
            b"",
        )
        .unwrap();
        let trap = Observed::Trapped { trap: TrapKind::MemoryOutOfBounds, instantiating: false };
        let result =
            of_step(&step(vec![("b", trap, None), ("a", ok, None)], diverge(What::Trap, &[&["a", "c"], &["b"]])), b"")
                .unwrap();
        assert!(!memory.is_native_crash());
        assert_ne!(memory.name(), result.name(), "two signatures");
        assert_eq!(memory.cluster(), result.cluster(), "one cluster: the odd engine b, the same (unknown) opcode");
        assert_eq!(memory.label(), memory.name());
    }

    #[test]
    fn operator_names_follow_the_text_format() {
        let wasm = wat::parse_str(
            r#"(module (memory 1) (table 1 funcref) (type $t (func))
                 (func (drop (i32.load8_s (i32.const 0))) (drop (memory.grow (i32.const 1)))
                   (call_indirect (type $t) (i32.const 0)) unreachable))"#,
        )
        .unwrap();
        let names: Vec<String> = (0..wasm.len() as u32).filter_map(|at| opcode_at(&wasm, at)).collect();
        for expected in ["i32_load8_s", "memory_grow", "call_indirect", "unreachable", "i32_const", "drop"] {
            assert!(names.iter().any(|n| n == expected), "{expected} in {names:?}");
        }
    }
}
