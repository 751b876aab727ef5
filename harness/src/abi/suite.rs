//! The ABI suite run: every guest function on a fixed set of inputs, on every engine
//! configuration in lockstep (one fresh adapter per guest and engine), outputs and final
//! memories diffed across engines, the broken guests' expected errors checked, and the
//! leak check.
//!
//! A verdict per call: `agree` when every engine produced the same output (bytes by length
//! and hash, values with NaNs by class) or the same [`AbiError`] (by kind, details
//! included: they are deterministic); `inconclusive` when an engine hit a resource limit
//! or ran out of stack; `diverge` otherwise.

use super::guests::{self, DATA_OFFSET, Expect, GUESTS, Guest, REGION_LEN};
use super::{AbiClient, AbiError, AbiErrorKind, EngineHost, val_of};
use crate::engines::{Engine, EngineError, InstanceId, Val, build, panic_free};
use crate::oracles::{MemoryDigest, memory_ranges, page_hash};
use redzone_engine::{TrapKind, ValType};
use serde::Serialize;

/// One input of the fixed set.
#[derive(Debug, Clone)]
pub struct Input {
    /// Its name in reports.
    pub name: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Valid UTF-8 text of exactly `len` bytes (ASCII, two-, three- and four-byte characters).
pub fn text(len: usize) -> Vec<u8> {
    const UNIT: &str = "redzone ünïcödé € 😀 ";
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        for c in UNIT.chars() {
            let mut buf = [0; 4];
            let s = c.encode_utf8(&mut buf);
            if out.len() + s.len() > len {
                out.resize(len, b'.');
                break;
            }
            out.extend_from_slice(s.as_bytes());
        }
    }
    out.truncate(len);
    out
}

/// The longest string `bounded.wat` can upper-case in its one page: the input block and the
/// result block, 8-byte headers and 8-byte rounding included, fill the heap (1024..65536).
pub const BOUNDED_MAX: usize = 32248;

/// The fixed inputs: empty, one byte, text with multi-byte characters, invalid UTF-8, the
/// longest string a one-page guest can handle and one byte more, a page and one byte (forces
/// memory.grow), 1 MiB and 16 MiB. `max_len` leaves out the larger ones.
pub fn inputs(max_len: Option<usize>) -> Vec<Input> {
    let all = vec![
        Input { name: "empty", bytes: Vec::new() },
        Input { name: "one-byte", bytes: b"a".to_vec() },
        Input { name: "utf8", bytes: "héllo, wörld € 😀!".as_bytes().to_vec() },
        Input { name: "invalid-utf8", bytes: vec![b'a', 0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80, b'z'] },
        Input { name: "max-one-page", bytes: text(BOUNDED_MAX) },
        Input { name: "max-one-page+1", bytes: text(BOUNDED_MAX + 1) },
        Input { name: "page+1", bytes: text(65537) },
        Input { name: "1MiB", bytes: text(1 << 20) },
        Input { name: "16MiB", bytes: text(16 << 20) },
    ];
    all.into_iter().filter(|i| max_len.is_none_or(|m| i.bytes.len() <= m)).collect()
}

/// How an input becomes a call's arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prep {
    /// The input as one `(ptr, len)` argument.
    Whole,
    /// The input cut to a whole number of `n`-byte elements.
    Elements(usize),
    /// The input and a short suffix, as two arguments.
    WithSuffix,
}

/// What a call returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A `(ptr, len)` result.
    Bytes,
    /// A value of this type.
    Value(ValType),
    /// A value, and the region at [`DATA_OFFSET`] the guest wrote.
    Region,
}

/// How to call one ABI function.
#[derive(Debug, Clone, Copy)]
pub struct Call {
    /// Export name.
    pub func: &'static str,
    /// Arguments from the input.
    pub prep: Prep,
    /// Result.
    pub shape: Shape,
    /// Inputs longer than this are skipped (heapsort in an interpreter on 16 MiB is slow
    /// and adds nothing over 1 MiB).
    pub max_input: usize,
}

/// Every function of the suite's guests.
pub const CALLS: &[Call] = &[
    Call { func: "upper", prep: Prep::Whole, shape: Shape::Bytes, max_input: usize::MAX },
    Call { func: "reverse", prep: Prep::Whole, shape: Shape::Bytes, max_input: usize::MAX },
    Call { func: "array_sum_u8", prep: Prep::Whole, shape: Shape::Value(ValType::I64), max_input: usize::MAX },
    Call { func: "array_sum_i32", prep: Prep::Elements(4), shape: Shape::Value(ValType::I64), max_input: usize::MAX },
    Call { func: "array_sum_f64", prep: Prep::Elements(8), shape: Shape::Value(ValType::F64), max_input: usize::MAX },
    Call { func: "sort_i32", prep: Prep::Elements(4), shape: Shape::Bytes, max_input: 1 << 20 },
    Call { func: "concat", prep: Prep::WithSuffix, shape: Shape::Bytes, max_input: usize::MAX },
    Call { func: "count_chars", prep: Prep::Whole, shape: Shape::Value(ValType::I32), max_input: usize::MAX },
    Call { func: "stats", prep: Prep::Whole, shape: Shape::Region, max_input: usize::MAX },
];

/// The call description of `func`.
pub fn call_of(func: &str) -> Option<&'static Call> {
    CALLS.iter().find(|c| c.func == func)
}

/// What a successful call produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Observed {
    /// Result bytes, by length and hash.
    Bytes {
        /// Length.
        len: usize,
        /// [`page_hash`] of the bytes.
        hash: u64,
    },
    /// A value.
    Value {
        /// The value.
        value: Val,
    },
    /// A value and the host region's bytes.
    Region {
        /// The value.
        value: Val,
        /// The region's bytes.
        region: Vec<u8>,
    },
}

impl Observed {
    fn same(&self, other: &Observed) -> bool {
        match (self, other) {
            (Observed::Value { value: a }, Observed::Value { value: b }) => a.same(b),
            (Observed::Region { value: a, region: r }, Observed::Region { value: b, region: s }) => a.same(b) && r == s,
            _ => self == other,
        }
    }

    /// A short description.
    pub fn summary(&self) -> String {
        match self {
            Observed::Bytes { len, hash } => format!("{len} bytes #{hash:016x}"),
            Observed::Value { value } => value.to_string(),
            Observed::Region { value, region } => format!("{value}, region {region:02x?}"),
        }
    }
}

/// One engine's outcome of one call.
pub type Outcome = Result<Observed, AbiError>;

/// A short description of an outcome.
pub fn summary(outcome: &Outcome) -> String {
    match outcome {
        Ok(o) => o.summary(),
        Err(e) => format!("{}: {e}", e.name()),
    }
}

/// Runs one call with `input` through the ABI client.
pub fn run_call<H: super::AbiHost>(client: &mut AbiClient<H>, call: &Call, input: &[u8]) -> Outcome {
    let cut;
    let args: Vec<&[u8]> = match call.prep {
        Prep::Whole => vec![input],
        Prep::Elements(n) => {
            cut = &input[..input.len() / n * n];
            vec![cut]
        }
        Prep::WithSuffix => vec![input, b"|suffix"],
    };
    match call.shape {
        Shape::Bytes => {
            let bytes = client.call_bytes(call.func, &args)?;
            Ok(Observed::Bytes { len: bytes.len(), hash: page_hash(&bytes) })
        }
        Shape::Value(ty) => {
            let value = client.call_value(call.func, &args, ty)?;
            Ok(Observed::Value { value: val_of(&value).ok_or_else(|| AbiError::engine("reference result"))? })
        }
        Shape::Region => {
            let value = client.call_value(call.func, &args, ValType::I32)?;
            let region = client.read(DATA_OFFSET, REGION_LEN)?;
            Ok(Observed::Region { value: val_of(&value).ok_or_else(|| AbiError::engine("reference result"))?, region })
        }
    }
}

/// Why an outcome cannot be compared (limits that differ legitimately between engines).
fn inconclusive(outcome: &Outcome) -> Option<String> {
    match outcome.as_ref().err().map(|e| e.kind()) {
        Some(AbiErrorKind::Trap(k @ (TrapKind::StackOverflow | TrapKind::OutOfFuel))) => Some(k.to_string()),
        Some(AbiErrorKind::Engine(msg)) => Some(msg.clone()),
        _ => None,
    }
}

fn same(a: &Outcome, b: &Outcome) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x.same(y),
        (Err(x), Err(y)) => x.kind() == y.kind(),
        _ => false,
    }
}

/// The verdict on one call (or one guest's final memory) across engines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every engine agrees.
    Agree,
    /// Engines differ.
    Diverge,
    /// An engine hit a limit that may legitimately differ.
    Inconclusive,
}

/// One call on every engine.
#[derive(Debug, Clone, Serialize)]
pub struct CaseReport {
    /// Guest file.
    pub guest: &'static str,
    /// Function.
    pub func: &'static str,
    /// Input name.
    pub input: &'static str,
    /// The verdict.
    pub verdict: Verdict,
    /// Each engine's outcome, summarised.
    pub outcomes: Vec<(String, String)>,
}

/// A guest's memory after all its calls, compared across engines.
#[derive(Debug, Clone, Serialize)]
pub struct MemoryReport {
    /// Guest file.
    pub guest: &'static str,
    /// The verdict.
    pub verdict: Verdict,
    /// Each engine's size in pages.
    pub pages: Vec<(String, u64)>,
    /// The first differing byte ranges between the first engine and each that differs.
    pub differences: Vec<String>,
}

/// A broken guest that did not fail as it must (the host's checks missed something).
#[derive(Debug, Clone, Serialize)]
pub struct ExpectationFailure {
    /// Guest file.
    pub guest: &'static str,
    /// Engine.
    pub engine: String,
    /// What was expected.
    pub expected: String,
    /// What happened.
    pub found: String,
}

/// The leak check of one function on one engine.
#[derive(Debug, Clone, Serialize)]
pub struct LeakReport {
    /// Guest file.
    pub guest: &'static str,
    /// Function.
    pub func: &'static str,
    /// Engine.
    pub engine: String,
    /// Calls made.
    pub calls: u32,
    /// `live_bytes` before the first call.
    pub live_before: u32,
    /// `live_bytes` after the last call (results freed).
    pub live_after: u32,
    /// Memory pages after the first call.
    pub pages_after_first: u64,
    /// Memory pages after the last call.
    pub pages_after: u64,
    /// Whether it leaked (live bytes off baseline, or memory still growing).
    pub leaked: bool,
    /// Whether the guest is expected to leak.
    pub expected: bool,
    /// Why the check could not run, if it could not.
    pub error: Option<String>,
}

/// Options of a suite run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Configurations to run, in order.
    pub engines: Vec<&'static str>,
    /// Calls per function for the leak check; `None` skips it. Defaults to `None`.
    pub leak_check: Option<u32>,
    /// Largest input to use; `None` for the whole fixed set (up to 16 MiB). Defaults to `None`.
    pub max_input: Option<usize>,
    /// Guests to run (file names); empty for all. Defaults to empty.
    pub guests: Vec<String>,
}

/// Everything a run found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The configurations.
    pub engines: Vec<String>,
    /// Every call.
    pub cases: Vec<CaseReport>,
    /// Every guest's final memory.
    pub memories: Vec<MemoryReport>,
    /// Broken guests that did not fail as they must.
    pub expectations: Vec<ExpectationFailure>,
    /// Leak checks, when asked for.
    pub leaks: Vec<LeakReport>,
}

impl Report {
    /// Calls and memories on which engines diverge.
    pub fn divergences(&self) -> usize {
        self.cases.iter().filter(|c| c.verdict == Verdict::Diverge).count()
            + self.memories.iter().filter(|m| m.verdict == Verdict::Diverge).count()
    }

    /// Leaks on guests that should not leak, and leaking guests the check missed.
    pub fn unexpected_leaks(&self) -> usize {
        self.leaks
            .iter()
            .filter(|l| (l.error.is_none() && l.leaked != l.expected) || (l.expected && l.error.is_some()))
            .count()
    }

    /// Whether the run passed: no divergence, no unexpected leak, every expectation met.
    pub fn ok(&self) -> bool {
        self.divergences() == 0 && self.unexpected_leaks() == 0 && self.expectations.is_empty()
    }
}

/// One guest loaded on one engine.
struct Side {
    name: String,
    engine: Box<dyn Engine>,
    instance: Result<InstanceId, EngineError>,
}

impl Side {
    fn new(name: &str, guest: &Guest) -> Result<Side, EngineError> {
        let mut engine = build(name)?;
        let instance = match panic_free(|| guests::load(&mut *engine, guest)) {
            Ok(result) => result,
            Err(panic) => Err(EngineError::usage(format!("engine panicked loading {}: {panic}", guest.name))),
        };
        Ok(Side { name: name.to_string(), engine, instance })
    }

    fn client(&mut self) -> Result<AbiClient<EngineHost<'_>>, AbiError> {
        let instance = self.instance.clone().map_err(|e| super::abi_error(&e))?;
        guests::client(&mut *self.engine, instance)
    }
}

/// Runs the suite.
pub fn run(options: &Options) -> Result<Report, EngineError> {
    let inputs = inputs(options.max_input);
    let mut report = Report { engines: options.engines.iter().map(|e| e.to_string()).collect(), ..Report::default() };
    let selected = GUESTS.iter().filter(|g| options.guests.is_empty() || options.guests.iter().any(|n| n == g.name));
    for guest in selected {
        let mut sides: Vec<Side> = options.engines.iter().map(|n| Side::new(n, guest)).collect::<Result<_, _>>()?;
        for func in guest.functions {
            let Some(call) = call_of(func) else { continue };
            for input in inputs.iter().filter(|i| i.bytes.len() <= call.max_input) {
                let outcomes: Vec<Outcome> = sides
                    .iter_mut()
                    .map(|s| s.client().and_then(|mut c| run_call(&mut c, call, &input.bytes)))
                    .collect();
                if let Expect::Error(name) = guest.expect {
                    for (side, outcome) in sides.iter().zip(&outcomes) {
                        if outcome.as_ref().err().map(|e| e.name()) != Some(name) {
                            report.expectations.push(ExpectationFailure {
                                guest: guest.name,
                                engine: side.name.clone(),
                                expected: format!("{name} from {func}({})", input.name),
                                found: summary(outcome),
                            });
                        }
                    }
                }
                let verdict = if outcomes.iter().any(|o| inconclusive(o).is_some()) {
                    Verdict::Inconclusive
                } else if outcomes.windows(2).all(|w| same(&w[0], &w[1])) {
                    Verdict::Agree
                } else {
                    Verdict::Diverge
                };
                report.cases.push(CaseReport {
                    guest: guest.name,
                    func: call.func,
                    input: input.name,
                    verdict,
                    outcomes: sides.iter().zip(&outcomes).map(|(s, o)| (s.name.clone(), summary(o))).collect(),
                });
            }
        }
        report.memories.push(compare_memories(guest, &sides));
        if let Some(n) = options.leak_check {
            for side in &mut sides {
                for func in guest.functions {
                    if let Some(call) = call_of(func) {
                        report.leaks.push(leak_check(guest, call, side, n));
                    }
                }
            }
        }
    }
    Ok(report)
}

fn compare_memories(guest: &Guest, sides: &[Side]) -> MemoryReport {
    let memories: Vec<Option<(u64, std::borrow::Cow<'_, [u8]>)>> = sides
        .iter()
        .map(|s| {
            let instance = s.instance.clone().ok()?;
            let m = s.engine.memory(instance, redzone_engine::abi::MEMORY).ok()?;
            Some((m.pages, m.bytes))
        })
        .collect();
    let digests: Vec<Option<MemoryDigest>> =
        memories.iter().map(|m| m.as_ref().map(|(pages, bytes)| MemoryDigest::new("memory", *pages, bytes))).collect();
    let mut differences = Vec::new();
    let mut verdict = Verdict::Agree;
    for (i, digest) in digests.iter().enumerate().skip(1) {
        if *digest != digests[0] {
            verdict = Verdict::Diverge;
            if let (Some((_, a)), Some((_, b))) = (&memories[0], &memories[i]) {
                let ranges = memory_ranges(a, b, 2);
                differences.push(format!("{} vs {}: {ranges:?}", sides[0].name, sides[i].name));
            } else {
                differences.push(format!("{} vs {}: memory missing on one", sides[0].name, sides[i].name));
            }
        }
    }
    MemoryReport {
        guest: guest.name,
        verdict,
        pages: sides.iter().zip(&digests).map(|(s, d)| (s.name.clone(), d.as_ref().map_or(0, |d| d.pages))).collect(),
        differences,
    }
}

/// The input the leak check calls with: short, valid UTF-8, whole i32 and f64 elements.
pub const LEAK_INPUT: &[u8] = "héllo, wörld! 0123456789abcdef".as_bytes();

fn leak_check(guest: &'static Guest, call: &Call, side: &mut Side, n: u32) -> LeakReport {
    let mut report = LeakReport {
        guest: guest.name,
        func: call.func,
        engine: side.name.clone(),
        calls: 0,
        live_before: 0,
        live_after: 0,
        pages_after_first: 0,
        pages_after: 0,
        leaked: false,
        expected: guest.expect == Expect::Leak,
        error: None,
    };
    let result = (|| -> Result<(), AbiError> {
        let mut client = side.client()?;
        let Some(before) = client.live_bytes()? else {
            return Err(AbiError::missing_export(redzone_engine::abi::LIVE_BYTES));
        };
        report.live_before = before;
        for i in 0..n {
            run_call(&mut client, call, LEAK_INPUT)?;
            report.calls = i + 1;
            let pages = client.memory_size()? >> 16;
            if i == 0 {
                report.pages_after_first = pages;
            }
            report.pages_after = pages;
            report.live_after = client.live_bytes()?.unwrap_or(0);
        }
        Ok(())
    })();
    if let Err(e) = result {
        report.error = Some(format!("{}: {e}", e.name()));
    }
    report.leaked = report.error.is_none()
        && (report.live_after != report.live_before || report.pages_after > report.pages_after_first);
    report
}
