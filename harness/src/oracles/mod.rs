//! Oracles: test case outcomes -> a [`Verdict`]. Kept apart from the generators that make
//! test cases, as wasmtime's `crates/fuzzing` does.
//!
//! Data enters as one [`Outcome`] per engine for the same step (an instantiation or a call):
//! what the step produced ([`Observed`]: results, trap kind, rejection stage) and, after it, a
//! [`State`] digest of every exported memory (size and per-page hashes), global and table
//! (size and which entries are null), and of every imported one the harness provided (named
//! `import:module.name`, see `engines::imports`). Memories a module does not export are
//! exported for the comparison by [`expose`] (`redzone:memory<index>`), so every memory of an
//! instance is compared, whatever its index. [`compare`] groups engines by equal outcome
//! (no engine is the reference) and returns the first difference as a [`Verdict`]:
//!
//! 1. a panic on any engine is a [`What::Crash`] divergence (the engine failed, the others'
//!    results are kept);
//! 2. a stack overflow, running out of fuel, a host resource limit or a proposal the engine
//!    does not implement on any engine makes the step [`Verdict::Inconclusive`]: those differ
//!    legitimately between engines;
//! 3. the step's own outcome by class (instantiated / compile error / link error / trap kind /
//!    values, NaNs by class, everything else bit-exact);
//! 4. then the state, export by export: memory size, page hashes, globals, table sizes and null
//!    entries.
//!
//! Hashes say which page differs; [`memory_ranges`] and [`hex_diff`] turn two engines' bytes
//! into the first differing ranges, which the driver ([`fleet`]) attaches to a memory verdict
//! while the engines are still alive.
//!
//! To compare something new: a field in [`State`], a [`What`] and [`Location`] for it, and a
//! step in [`compare_states`].

pub mod case;
pub mod expose;
pub mod fleet;

use crate::engines::{EngineError, EngineErrorKind, Val, display_values};
use redzone_engine::TrapKind;
use serde::Serialize;
use std::fmt;

/// WebAssembly page size.
pub const PAGE: usize = 65536;
/// Differing byte ranges shown per memory divergence.
pub const MAX_RANGES: usize = 4;
/// Bytes shown per differing range.
pub const MAX_RANGE_BYTES: usize = 32;

/// What one step (an instantiation or a call) produced on one engine.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Observed {
    /// The module instantiated.
    Instantiated,
    /// The call returned these values.
    Returned {
        /// Results.
        values: Vec<Val>,
    },
    /// Decoding or validation failed.
    CompileError {
        /// The engine's message (not compared).
        message: String,
    },
    /// Imports could not be resolved.
    LinkError {
        /// The engine's message (not compared).
        message: String,
    },
    /// A trap, in a call or during instantiation (start function, segment initialisation).
    Trapped {
        /// Canonical kind (compared).
        #[serde(serialize_with = "serialize_trap")]
        trap: TrapKind,
        /// Whether it happened while instantiating.
        instantiating: bool,
    },
    /// A proposal the engine does not implement (inconclusive).
    Unsupported {
        /// The engine's message.
        message: String,
    },
    /// A host resource limit (inconclusive).
    Limit {
        /// The engine's message.
        message: String,
    },
    /// The harness could not make the call on this engine (wrong export, argument types).
    HarnessError {
        /// Why.
        message: String,
    },
    /// The engine or its adapter panicked.
    Panicked {
        /// The panic message.
        message: String,
    },
}

fn serialize_trap<S: serde::Serializer>(t: &TrapKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&trap_name(t))
}

/// A stable name for a trap kind (`MemoryOutOfBounds`, `Other(message)`).
pub fn trap_name(t: &TrapKind) -> String {
    format!("{t:?}").replace('"', "")
}

impl Observed {
    /// The outcome of a successful call.
    pub fn returned(values: Vec<Val>) -> Self {
        Observed::Returned { values }
    }

    /// The outcome of an engine error.
    pub fn from_error(err: &EngineError) -> Self {
        let message = err.to_string();
        match err.kind() {
            EngineErrorKind::Compile(_) => Observed::CompileError { message },
            EngineErrorKind::Unsupported(_) => Observed::Unsupported { message },
            EngineErrorKind::Link(_) => Observed::LinkError { message },
            EngineErrorKind::Trap { kind, .. } => Observed::Trapped { trap: kind.clone(), instantiating: false },
            EngineErrorKind::InstantiationTrap { kind, .. } => {
                Observed::Trapped { trap: kind.clone(), instantiating: true }
            }
            EngineErrorKind::Limit(_) => Observed::Limit { message },
            EngineErrorKind::Usage(_) => Observed::HarnessError { message },
            EngineErrorKind::Panic(msg) => Observed::Panicked { message: msg.clone() },
        }
    }

    /// Why this outcome cannot be compared, when it legitimately differs between engines.
    pub fn inconclusive(&self) -> Option<String> {
        match self {
            Observed::Trapped { trap: TrapKind::StackOverflow, .. } => Some("stack overflow".into()),
            Observed::Trapped { trap: TrapKind::OutOfFuel, .. } => Some("out of fuel".into()),
            Observed::Limit { message } => Some(message.clone()),
            Observed::Unsupported { message } => Some(message.clone()),
            _ => None,
        }
    }

    /// Whether two outcomes agree: messages are ignored, values compared by [`Val::same`].
    pub fn same(&self, other: &Observed) -> bool {
        match (self, other) {
            (Observed::Returned { values: a }, Observed::Returned { values: b }) => crate::engines::same_values(a, b),
            (Observed::Trapped { trap: a, instantiating: x }, Observed::Trapped { trap: b, instantiating: y }) => {
                a == b && x == y
            }
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }

    fn what(&self) -> What {
        match self {
            Observed::Returned { .. } => What::Result,
            Observed::Trapped { instantiating: false, .. } => What::Trap,
            _ => What::Instantiation,
        }
    }
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Observed::Instantiated => f.write_str("instantiated"),
            Observed::Returned { values } => f.write_str(&display_values(values)),
            Observed::CompileError { message }
            | Observed::LinkError { message }
            | Observed::Unsupported { message }
            | Observed::Limit { message }
            | Observed::HarnessError { message } => f.write_str(message),
            Observed::Trapped { trap, instantiating: false } => write!(f, "trap: {trap}"),
            Observed::Trapped { trap, instantiating: true } => write!(f, "trap during instantiation: {trap}"),
            Observed::Panicked { message } => write!(f, "engine panicked: {message}"),
        }
    }
}

/// An exported memory after a step: its size and a hash of each 64 KiB page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemoryDigest {
    /// Export name.
    pub name: String,
    /// Size in pages.
    pub pages: u64,
    /// One hash per page (a short last page, in a memory the host made, is hashed as is).
    #[serde(skip)]
    pub hashes: Vec<u64>,
}

impl MemoryDigest {
    /// Digests `bytes`.
    pub fn new(name: &str, pages: u64, bytes: &[u8]) -> Self {
        MemoryDigest { name: name.to_string(), pages, hashes: bytes.chunks(PAGE).map(page_hash).collect() }
    }
}

/// An exported table after a step: nullness of each entry (identity is not comparable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableDigest {
    /// Export name.
    pub name: String,
    /// For each element, whether it is null.
    #[serde(skip)]
    pub null: Vec<bool>,
    /// Number of elements.
    pub size: u64,
}

/// Every exported memory, global and table of an instance after a step, in export order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct State {
    /// Exported memories.
    pub memories: Vec<MemoryDigest>,
    /// Exported globals and their values.
    pub globals: Vec<(String, Val)>,
    /// Exported tables.
    pub tables: Vec<TableDigest>,
}

/// One engine's outcome of one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Engine configuration.
    pub engine: String,
    /// What the step produced.
    pub observed: Observed,
    /// The instance's state after the step (`None` when there is no instance, or it could not
    /// be read).
    #[serde(skip)]
    pub state: Option<State>,
    /// Module offset of the trapping instruction, when the step trapped and the engine says
    /// where (redzone's interpreter and wasmtime do). Not compared: the fuzz signature uses it
    /// to name the opcode at the trap site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trap_site: Option<u32>,
}

/// What differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// Instantiation outcome (accepted by some, rejected or trapped on others).
    Instantiation,
    /// Call results.
    Result,
    /// Whether or how a call trapped.
    Trap,
    /// A memory's size or contents.
    Memory,
    /// A global's value.
    Global,
    /// A table's size or null entries.
    Table,
    /// An engine panicked.
    Crash,
}

impl fmt::Display for What {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            What::Instantiation => "instantiation",
            What::Result => "result",
            What::Trap => "trap",
            What::Memory => "memory",
            What::Global => "global",
            What::Table => "table",
            What::Crash => "crash",
        })
    }
}

/// Where it differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum Location {
    /// The module as a whole (instantiation).
    Module,
    /// The outcome of a call of this export.
    Call {
        /// Export name.
        export: String,
    },
    /// A memory's size.
    MemorySize {
        /// Export name.
        memory: String,
    },
    /// A memory's bytes.
    Memory {
        /// Export name.
        memory: String,
        /// First differing page.
        page: u64,
        /// First differing byte, once the bytes were compared.
        offset: Option<u64>,
    },
    /// A global.
    Global {
        /// Export name.
        global: String,
    },
    /// A table's size.
    TableSize {
        /// Export name.
        table: String,
    },
    /// A table entry (null on some engines, not on others).
    TableEntry {
        /// Export name.
        table: String,
        /// Element index.
        index: u64,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Module => f.write_str("module"),
            Location::Call { export } => write!(f, "call {export:?}"),
            Location::MemorySize { memory } => write!(f, "memory {memory:?} size"),
            Location::Memory { memory, offset: Some(offset), .. } => write!(f, "memory {memory:?} at {offset:#x}"),
            Location::Memory { memory, page, offset: None } => write!(f, "memory {memory:?} page {page}"),
            Location::Global { global } => write!(f, "global {global:?}"),
            Location::TableSize { table } => write!(f, "table {table:?} size"),
            Location::TableEntry { table, index } => write!(f, "table {table:?} entry {index}"),
        }
    }
}

/// Engines that agree with each other, and what they saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// Engine configurations.
    pub engines: Vec<String>,
    /// Their common value, as text.
    pub seen: String,
}

/// The oracle's answer for one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Every engine saw the same.
    Agree,
    /// Engines disagree: on what, where, and which engines on each side (largest group first).
    Diverge {
        /// What differs.
        what: What,
        /// Where.
        location: Location,
        /// Engines grouped by equal outcome.
        engines: Vec<Group>,
        /// Further lines (the differing bytes in hex, for memories).
        detail: Vec<String>,
    },
    /// The outcomes cannot be compared (fuel, stack, host limits, unsupported proposals).
    Inconclusive {
        /// Why, naming the engines.
        why: String,
    },
}

impl Verdict {
    /// Whether this is a divergence.
    pub fn is_divergence(&self) -> bool {
        matches!(self, Verdict::Diverge { .. })
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Agree => f.write_str("agree"),
            Verdict::Inconclusive { why } => write!(f, "inconclusive: {why}"),
            Verdict::Diverge { what, location, engines, .. } => {
                write!(f, "DIVERGE on {what} at {location}:")?;
                for (i, g) in engines.iter().enumerate() {
                    let sep = if i == 0 { " " } else { "; " };
                    write!(f, "{sep}{} saw {}", g.engines.join(", "), g.seen)?;
                }
                Ok(())
            }
        }
    }
}

/// Groups indices `0..n` into classes of `same`, keeping first-seen order, then sorts the
/// groups largest first (stable, so ties keep engine order).
fn group(n: usize, same: impl Fn(usize, usize) -> bool) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..n {
        match groups.iter_mut().find(|g| same(g[0], i)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    groups
}

fn diverge(
    what: What,
    location: Location,
    groups: &[Vec<usize>],
    names: &[&str],
    seen: impl Fn(usize) -> String,
) -> Verdict {
    Verdict::Diverge {
        what,
        location,
        engines: groups
            .iter()
            .map(|g| Group { engines: g.iter().map(|&i| names[i].to_string()).collect(), seen: seen(g[0]) })
            .collect(),
        detail: Vec::new(),
    }
}

/// Compares every engine's outcome of one step; `location` names the step (the call's
/// export, or [`Location::Module`] for an instantiation).
pub fn compare(location: &Location, outcomes: &[Outcome]) -> Verdict {
    let names: Vec<&str> = outcomes.iter().map(|o| o.engine.as_str()).collect();
    let panicked = |i: usize| matches!(outcomes[i].observed, Observed::Panicked { .. });
    if (0..outcomes.len()).any(panicked) {
        let groups = group(outcomes.len(), |a, b| panicked(a) == panicked(b));
        return diverge(What::Crash, location.clone(), &groups, &names, |i| outcomes[i].observed.to_string());
    }
    let reasons: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.observed.inconclusive().map(|why| format!("{} on {}", why, o.engine)))
        .collect();
    if !reasons.is_empty() {
        return Verdict::Inconclusive { why: reasons.join("; ") };
    }
    let groups = group(outcomes.len(), |a, b| outcomes[a].observed.same(&outcomes[b].observed));
    if groups.len() > 1 {
        // A trap on one side and values on the other is about the trap; a rejection anywhere
        // is about instantiation.
        let what = groups
            .iter()
            .map(|g| outcomes[g[0]].observed.what())
            .min_by_key(|w| match w {
                What::Instantiation => 0,
                What::Trap => 1,
                _ => 2,
            })
            .unwrap_or(What::Result);
        return diverge(what, location.clone(), &groups, &names, |i| outcomes[i].observed.to_string());
    }
    let with_state: Vec<(&str, &State)> =
        outcomes.iter().filter_map(|o| o.state.as_ref().map(|s| (o.engine.as_str(), s))).collect();
    compare_states(&with_state)
}

/// Compares the state of one instance on several engines, export by export.
pub fn compare_states(states: &[(&str, &State)]) -> Verdict {
    let names: Vec<&str> = states.iter().map(|(n, _)| *n).collect();
    let Some((_, first)) = states.first() else { return Verdict::Agree };
    let n = states.len();
    for (m, memory) in first.memories.iter().enumerate() {
        let mem = |i: usize| states[i].1.memories.get(m);
        let groups = group(n, |a, b| mem(a).map(|x| x.pages) == mem(b).map(|x| x.pages));
        if groups.len() > 1 {
            let location = Location::MemorySize { memory: memory.name.clone() };
            return diverge(What::Memory, location, &groups, &names, |i| match mem(i) {
                Some(x) => format!("{} pages", x.pages),
                None => "no such memory".into(),
            });
        }
        let groups = group(n, |a, b| mem(a).map(|x| &x.hashes) == mem(b).map(|x| &x.hashes));
        if groups.len() > 1 {
            let (a, b) = (mem(groups[0][0]), mem(groups[1][0]));
            let page = match (a, b) {
                (Some(a), Some(b)) => a.hashes.iter().zip(&b.hashes).position(|(x, y)| x != y).unwrap_or(0),
                _ => 0,
            } as u64;
            let location = Location::Memory { memory: memory.name.clone(), page, offset: None };
            return diverge(What::Memory, location, &groups, &names, |i| match mem(i) {
                Some(x) => format!("page {page} hash {:016x}", x.hashes.get(page as usize).copied().unwrap_or(0)),
                None => "no such memory".into(),
            });
        }
    }
    for (g, (name, _)) in first.globals.iter().enumerate() {
        let val = |i: usize| states[i].1.globals.get(g).map(|(_, v)| v);
        let groups = group(n, |a, b| match (val(a), val(b)) {
            (Some(x), Some(y)) => x.same(y),
            (x, y) => x.is_none() && y.is_none(),
        });
        if groups.len() > 1 {
            let location = Location::Global { global: name.clone() };
            return diverge(What::Global, location, &groups, &names, |i| {
                val(i).map_or("no such global".into(), |v| v.to_string())
            });
        }
    }
    for (t, table) in first.tables.iter().enumerate() {
        let tab = |i: usize| states[i].1.tables.get(t);
        let groups = group(n, |a, b| tab(a).map(|x| x.size) == tab(b).map(|x| x.size));
        if groups.len() > 1 {
            let location = Location::TableSize { table: table.name.clone() };
            return diverge(What::Table, location, &groups, &names, |i| {
                tab(i).map_or("no such table".into(), |x| format!("{} elements", x.size))
            });
        }
        let groups = group(n, |a, b| tab(a).map(|x| &x.null) == tab(b).map(|x| &x.null));
        if groups.len() > 1 {
            let (a, b) = (tab(groups[0][0]), tab(groups[1][0]));
            let index = match (a, b) {
                (Some(a), Some(b)) => a.null.iter().zip(&b.null).position(|(x, y)| x != y).unwrap_or(0),
                _ => 0,
            };
            let location = Location::TableEntry { table: table.name.clone(), index: index as u64 };
            return diverge(What::Table, location, &groups, &names, |i| match tab(i).and_then(|x| x.null.get(index)) {
                Some(true) => format!("entry {index} null"),
                Some(false) => format!("entry {index} non-null"),
                None => "no such entry".into(),
            });
        }
    }
    Verdict::Agree
}

/// The hash of one page: std's SipHash with its fixed keys (the standard library is built
/// optimised even in debug builds, so this stays fast under `cargo test`). Hashes are only
/// compared within one process, so the algorithm may change between Rust releases. A
/// collision hides a divergence with probability ~2^-64.
pub fn page_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// A range of differing bytes, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ByteRange {
    /// First differing byte.
    pub start: usize,
    /// One past the last differing byte.
    pub end: usize,
}

/// The first `max` ranges where `a` and `b` differ (bytes past the shorter one count as
/// differing). Ranges separated by fewer than 8 equal bytes are merged.
pub fn memory_ranges(a: &[u8], b: &[u8], max: usize) -> Vec<ByteRange> {
    let len = a.len().max(b.len());
    let differs = |i: usize| a.get(i) != b.get(i);
    let mut out: Vec<ByteRange> = Vec::new();
    let mut i = 0;
    while i < len {
        // Skip equal pages quickly.
        if i % PAGE == 0 && i + PAGE <= a.len().min(b.len()) && a[i..i + PAGE] == b[i..i + PAGE] {
            i += PAGE;
            continue;
        }
        if !differs(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        let mut j = end;
        while j < len && j < end + 8 {
            if differs(j) {
                end = j + 1;
            }
            j += 1;
        }
        match out.last_mut() {
            Some(last) if start < last.end + 8 => last.end = end,
            _ => {
                if out.len() == max {
                    break;
                }
                out.push(ByteRange { start, end });
            }
        }
        i = end;
    }
    out
}

/// Hex lines showing each range on every named memory (at most [`MAX_RANGE_BYTES`] a range).
pub fn hex_diff(ranges: &[ByteRange], memories: &[(&str, &[u8])]) -> Vec<String> {
    let width = memories.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let mut lines = Vec::new();
    for r in ranges {
        let shown = (r.end - r.start).min(MAX_RANGE_BYTES);
        let more = if r.end - r.start > shown { " ..." } else { "" };
        lines.push(format!("{:#010x}..{:#010x} ({} bytes)", r.start, r.end, r.end - r.start));
        for (name, bytes) in memories {
            let hex: Vec<String> = (r.start..r.start + shown)
                .map(|i| bytes.get(i).map_or("--".to_string(), |b| format!("{b:02x}")))
                .collect();
            lines.push(format!("  {name:<width$}  {}{more}", hex.join(" ")));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(engine: &str, observed: Observed, state: Option<State>) -> Outcome {
        Outcome { engine: engine.into(), observed, state, trap_site: None }
    }

    fn state(memory: &[u8], global: i32, nulls: &[bool]) -> State {
        State {
            memories: vec![MemoryDigest::new("memory", (memory.len() / PAGE) as u64, memory)],
            globals: vec![("g".into(), Val::I32(global))],
            tables: vec![TableDigest { name: "t".into(), size: nulls.len() as u64, null: nulls.to_vec() }],
        }
    }

    fn call() -> Location {
        Location::Call { export: "f".into() }
    }

    #[test]
    fn equal_outcomes_agree_and_nans_compare_by_class() {
        let mem = vec![0u8; PAGE];
        let a = outcome("a", Observed::returned(vec![Val::F32(0x7fc0_0000)]), Some(state(&mem, 1, &[true])));
        let b = outcome("b", Observed::returned(vec![Val::F32(0xffc0_0000)]), Some(state(&mem, 1, &[true])));
        assert_eq!(compare(&call(), &[a.clone(), b]), Verdict::Agree);
        let c = outcome("c", Observed::returned(vec![Val::F32(0x7fc0_0001)]), Some(state(&mem, 1, &[true])));
        let Verdict::Diverge { what, engines, .. } = compare(&call(), &[a, c]) else { panic!("expected divergence") };
        assert_eq!(what, What::Result);
        assert_eq!(engines.len(), 2);
    }

    #[test]
    fn groups_engines_by_outcome_largest_first() {
        let trap = Observed::Trapped { trap: TrapKind::MemoryOutOfBounds, instantiating: false };
        let outs = [
            outcome("a", Observed::returned(vec![Val::I32(0)]), None),
            outcome("b", trap.clone(), None),
            outcome("c", trap, None),
        ];
        let Verdict::Diverge { what, location, engines, .. } = compare(&call(), &outs) else { panic!() };
        assert_eq!(what, What::Trap);
        assert_eq!(location, call());
        assert_eq!(engines[0].engines, vec!["b", "c"]);
        assert_eq!(engines[1].engines, vec!["a"]);
        assert_eq!(engines[1].seen, "[i32:0]");
    }

    #[test]
    fn rejection_against_acceptance_is_an_instantiation_divergence() {
        let outs = [
            outcome("a", Observed::Instantiated, None),
            outcome("b", Observed::CompileError { message: "bad".into() }, None),
        ];
        let v = compare(&Location::Module, &outs);
        assert!(matches!(v, Verdict::Diverge { what: What::Instantiation, location: Location::Module, .. }), "{v}");
        let same_stage = [
            outcome("a", Observed::CompileError { message: "one message".into() }, None),
            outcome("b", Observed::CompileError { message: "another".into() }, None),
        ];
        assert_eq!(compare(&Location::Module, &same_stage), Verdict::Agree, "messages are not compared");
    }

    #[test]
    fn fuel_stack_and_limits_are_inconclusive_but_panics_are_not() {
        let fuel = Observed::Trapped { trap: TrapKind::OutOfFuel, instantiating: false };
        let v = compare(&call(), &[outcome("a", fuel, None), outcome("b", Observed::returned(vec![]), None)]);
        assert_eq!(v, Verdict::Inconclusive { why: "out of fuel on a".into() });
        let stack = Observed::Trapped { trap: TrapKind::StackOverflow, instantiating: false };
        assert!(matches!(compare(&call(), &[outcome("a", stack, None)]), Verdict::Inconclusive { .. }));
        let limit = Observed::Limit { message: "no memory".into() };
        assert!(matches!(compare(&call(), &[outcome("a", limit, None)]), Verdict::Inconclusive { .. }));
        let panic = Observed::Panicked { message: "boom".into() };
        let v = compare(&call(), &[outcome("a", Observed::returned(vec![]), None), outcome("b", panic, None)]);
        let Verdict::Diverge { what: What::Crash, engines, .. } = v else { panic!("{v}") };
        assert_eq!(engines[1].engines, vec!["b"]);
        assert_eq!(engines[1].seen, "engine panicked: boom");
    }

    #[test]
    fn state_differences_are_located() {
        let mem = vec![0u8; 2 * PAGE];
        let mut other = mem.clone();
        other[PAGE + 5] = 1;
        let ok = Observed::returned(vec![]);
        let v = compare(
            &call(),
            &[
                outcome("a", ok.clone(), Some(state(&mem, 1, &[true]))),
                outcome("b", ok.clone(), Some(state(&other, 1, &[true]))),
            ],
        );
        let Verdict::Diverge { what: What::Memory, location, .. } = v else { panic!("{v}") };
        assert_eq!(location, Location::Memory { memory: "memory".into(), page: 1, offset: None });
        let v = compare(
            &call(),
            &[
                outcome("a", ok.clone(), Some(state(&mem, 1, &[true]))),
                outcome("b", ok.clone(), Some(state(&mem[..PAGE], 1, &[true]))),
            ],
        );
        assert!(matches!(v, Verdict::Diverge { location: Location::MemorySize { .. }, .. }), "{v}");
        let v = compare(
            &call(),
            &[
                outcome("a", ok.clone(), Some(state(&mem, 1, &[true]))),
                outcome("b", ok.clone(), Some(state(&mem, 2, &[true]))),
            ],
        );
        assert!(matches!(v, Verdict::Diverge { what: What::Global, location: Location::Global { .. }, .. }), "{v}");
        let v = compare(
            &call(),
            &[
                outcome("a", ok.clone(), Some(state(&mem, 1, &[true, true]))),
                outcome("b", ok, Some(state(&mem, 1, &[true, false]))),
            ],
        );
        let Verdict::Diverge { location, .. } = v else { panic!("{v}") };
        assert_eq!(location, Location::TableEntry { table: "t".into(), index: 1 });
    }

    #[test]
    fn byte_ranges_and_hex() {
        let a = vec![0u8; 3 * PAGE];
        let mut b = a.clone();
        b[10] = 1;
        b[12] = 2;
        b[2 * PAGE + 100] = 0xff;
        let ranges = memory_ranges(&a, &b, MAX_RANGES);
        assert_eq!(
            ranges,
            vec![ByteRange { start: 10, end: 13 }, ByteRange { start: 2 * PAGE + 100, end: 2 * PAGE + 101 }]
        );
        assert_eq!(memory_ranges(&a, &a, MAX_RANGES), vec![]);
        assert_eq!(memory_ranges(&a[..4], &a[..2], 1), vec![ByteRange { start: 2, end: 4 }]);
        let lines = hex_diff(&ranges[..1], &[("a", &a), ("bb", &b)]);
        assert_eq!(lines, vec!["0x0000000a..0x0000000d (3 bytes)", "  a   00 00 00", "  bb  01 00 02"]);
    }

    #[test]
    fn page_hash_sees_every_byte() {
        let page = vec![0u8; PAGE];
        let base = page_hash(&page);
        for i in [0, 7, 31, 32, 4095, PAGE - 1] {
            let mut p = page.clone();
            p[i] = 1;
            assert_ne!(page_hash(&p), base, "byte {i}");
        }
        assert_ne!(page_hash(&page[..PAGE - 1]), base, "length counts");
    }
}
