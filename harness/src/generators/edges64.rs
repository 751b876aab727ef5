//! The `edges` generator's 64-bit share ([`super::edges::EdgesConfig::memory64_percent`]):
//! modules with one memory64 memory (exported as `memory`, 0 to 2 pages, a declared maximum
//! half of the time) whose every function does one thing at a 64-bit boundary and returns an
//! i64, as the 32-bit modules of [`super::edges`] do:
//!
//! | weight | operation | returns |
//! | --- | --- | --- |
//! | 35 | a load of any width and type, i64 address, 64-bit static offset | the loaded bits |
//! | 25 | a store of any width and type | the 8 bytes before the length |
//! | 12 | `memory.grow` with an i64 delta: small, past the maximum, past 2^48 bytes (2^32 pages), past 2^48 pages, -1 | its result |
//! | 8 / 8 / 7 | `memory.fill` / `memory.copy` / `memory.init` with i64 operands at and across `len` and near 2^32, 2^48, 2^64 | `memory.size` |
//! | 5 | `memory.size` | it |
//!
//! Loads and stores address memory in one of five ways:
//! - *overflow* (25%): `addr + offset` is 2^64 plus 0 to 31 (an address just under 2^64 with a
//!   small offset, or a small address with an offset just under 2^64). It must trap; an engine
//!   that adds in 64 bits without a carry check accesses the first bytes of memory instead;
//! - *near the end* (25%): `len + d` for `d` in `-8..=8`, offset 0 to 8 (`len` from
//!   `memory.size` when the function runs);
//! - *big offset* (25%): offsets near 2^32 (where redzone:guard's guard region stops covering
//!   the offset), 2^48 and 2^64-1, with small addresses, addresses near the end or near 2^32;
//! - *constant address* (15%): near 2^32, 2^48 and 2^64-1, offset 0 to 8;
//! - *random* (10%): any address and offset.
//!
//! Growth never asks for more than a few pages where it could succeed: a memory64 grow of
//! 2^32 pages without a maximum succeeds or fails by host resources, so such deltas come only
//! with a declared maximum (failure is then certain) or beyond 2^48 pages (past the index
//! space, failure is certain anywhere). Data segments take i64 offsets, ending at or near the
//! initial length (one in ten overrunning it).

use super::case::TestCase;
use super::edges::{
    Bulk, EdgesConfig, LOADS, STORES, bulk_len_among, data_section, describe_addr, emit_bulk, load_instr,
    push_last_8_bytes, push_len_plus, push_size, push_store_value, segment_len, store_instr, to_i64,
};
use arbitrary::Unstructured;
use wasm_encoder::{
    CodeSection, ConstExpr, DataCountSection, ExportKind, ExportSection, Function, FunctionSection, Instruction as I,
    MemArg, MemArgTarget, MemorySection, MemoryType, Module, TypeSection, ValType,
};

const PAGE: i128 = 65536;
/// The memory64 index space's page limit: 2^64 bytes.
const MAX_PAGES: u64 = 1 << 48;

/// An i64 address operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Addr {
    /// The memory's length in bytes when the function runs, plus this.
    Len(i64),
    /// A constant.
    Const(u64),
}

impl Addr {
    fn emit(self, f: &mut Function) {
        match self {
            Addr::Len(delta) => push_len_plus(f, delta, true),
            Addr::Const(a) => {
                f.instruction(&I::I64Const(a as i64));
            }
        }
    }

    fn describe(self) -> String {
        describe_addr(match self {
            Addr::Len(d) => Ok(d),
            Addr::Const(a) => Err(a),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Load { width: usize, addr: Addr, offset: u64, align: u32 },
    Store { width: usize, addr: Addr, offset: u64, align: u32, value: u64 },
    Grow { delta: u64 },
    Fill { dst: Addr, value: u8, len: u64 },
    Copy { dst: Addr, src: Addr, len: u64 },
    Init { segment: u32, dst: Addr, src: u32, len: u32 },
    Size,
}

fn memarg(offset: u64, align: u32) -> MemArg {
    MemArg { offset, align, target: MemArgTarget::Memory(0), ordering: None }
}

impl Op {
    fn describe(&self) -> String {
        let at = |addr: Addr, offset: u64| format!("offset={offset:#x} addr={}", addr.describe());
        match self {
            Op::Load { width, addr, offset, .. } => format!("m64 {} {}", LOADS[*width].name, at(*addr, *offset)),
            Op::Store { width, addr, offset, .. } => format!("m64 {} {}", STORES[*width].name, at(*addr, *offset)),
            Op::Grow { delta } => format!("m64 memory.grow {delta:#x}"),
            Op::Fill { dst, len, .. } => format!("m64 memory.fill dst={} len={len:#x}", dst.describe()),
            Op::Copy { dst, src, len } => {
                format!("m64 memory.copy dst={} src={} len={len:#x}", dst.describe(), src.describe())
            }
            Op::Init { segment, dst, src, len } => {
                format!("m64 memory.init {segment} dst={} src={src:#x} len={len:#x}", dst.describe())
            }
            Op::Size => "m64 memory.size".into(),
        }
    }

    fn emit(&self, f: &mut Function) {
        match *self {
            Op::Load { width, addr, offset, align } => {
                addr.emit(f);
                f.instruction(&load_instr(LOADS[width].name, memarg(offset, align)));
                to_i64(f, LOADS[width].ty);
            }
            Op::Store { width, addr, offset, align, value } => {
                let w = STORES[width];
                addr.emit(f);
                push_store_value(f, w.ty, value);
                f.instruction(&store_instr(w.name, memarg(offset, align)));
                push_last_8_bytes(f, true);
            }
            Op::Grow { delta } => {
                f.instruction(&I::I64Const(delta as i64));
                f.instruction(&I::MemoryGrow(0));
            }
            Op::Fill { dst, value, len } => emit_bulk(f, Bulk::Fill { value }, |f| dst.emit(f), |_| {}, len, true),
            Op::Copy { dst, src, len } => emit_bulk(f, Bulk::Copy, |f| dst.emit(f), |f| src.emit(f), len, true),
            Op::Init { segment, dst, src, len } => {
                emit_bulk(f, Bulk::Init { segment, src }, |f| dst.emit(f), |_| {}, len.into(), true)
            }
            Op::Size => push_size(f, true),
        }
        f.instruction(&I::End);
    }
}

/// A value within `spread` of `base`, clamped to u64.
fn near(u: &mut Unstructured, base: i128, spread: i128) -> arbitrary::Result<u64> {
    Ok((base + u.int_in_range(-spread..=spread)?).clamp(0, u64::MAX as i128) as u64)
}

/// A constant near one of the 64-bit boundaries: 2^32, 2^48 or 2^64-1.
fn boundary(u: &mut Unstructured, spread: i128) -> arbitrary::Result<u64> {
    let base = *u.choose(&[1i128 << 32, 1 << 48, u64::MAX as i128])?;
    near(u, base, spread)
}

/// An address and a static offset for a load or store (the modes of the module docs).
fn address(u: &mut Unstructured) -> arbitrary::Result<(Addr, u64)> {
    Ok(match u.int_in_range(0..=99u8)? {
        0..25 => {
            // The 64-bit sum wraps to `target`; the true sum is 2^64 more.
            let target = u.int_in_range(0..=31u64)?;
            let k = u.int_in_range(target + 1..=64)?;
            let (small, big) = (k, target.wrapping_sub(k));
            if u.arbitrary()? { (Addr::Const(big), small) } else { (Addr::Const(small), big) }
        }
        25..50 => (Addr::Len(u.int_in_range(-8..=8)?), if u.ratio(2, 3)? { 0 } else { u.int_in_range(0..=8)? }),
        50..75 => {
            let offset = boundary(u, 8)?;
            let addr = match u.int_in_range(0..=2u8)? {
                0 => Addr::Const(u.int_in_range(0..=16)?),
                1 => Addr::Len(u.int_in_range(-8..=8)?),
                _ => Addr::Const(near(u, 1 << 32, 16)?),
            };
            (addr, offset)
        }
        75..90 => (Addr::Const(boundary(u, 8)?), u.int_in_range(0..=8)?),
        _ => (Addr::Const(u.arbitrary()?), u.arbitrary()?),
    })
}

/// A bulk operation's i64 address: near the end, small, near a 64-bit boundary, or random.
fn bulk_addr(u: &mut Unstructured) -> arbitrary::Result<Addr> {
    Ok(match u.int_in_range(0..=9u8)? {
        0..=5 => Addr::Len(u.int_in_range(-16..=4)?),
        6 => Addr::Const(u.int_in_range(0..=64)?),
        7 | 8 => Addr::Const(boundary(u, 16)?),
        _ => Addr::Const(u.arbitrary()?),
    })
}

/// A bulk length: zero, a few bytes, or one that reaches 2^32, 2^48 or past 2^64 from any
/// address.
fn bulk_len(u: &mut Unstructured) -> arbitrary::Result<u64> {
    bulk_len_among(u, [1 << 32, 1 << 48, u64::MAX])
}

/// A grow delta whose result is certain on every engine (see the module docs).
fn grow_delta(u: &mut Unstructured, plan: &Plan) -> arbitrary::Result<u64> {
    if u.ratio(1, 2)? {
        return u.int_in_range(0..=2);
    }
    Ok(match plan.maximum {
        Some(max) => *u.choose(&[max - plan.initial + 1, 1 << 32, (1 << 32) + 1, MAX_PAGES, u64::MAX])?,
        None => *u.choose(&[MAX_PAGES + 1, 1 << 63, u64::MAX, u64::MAX - 1])?,
    })
}

/// The module being generated.
struct Plan {
    initial: u64,
    maximum: Option<u64>,
    /// Active data segments: i64 offset and bytes.
    active: Vec<(u64, Vec<u8>)>,
    passive: Vec<Vec<u8>>,
    ops: Vec<Op>,
}

impl Plan {
    fn op(&self, u: &mut Unstructured) -> arbitrary::Result<Op> {
        let segments = (self.active.len() + self.passive.len()) as u32;
        let align = |u: &mut Unstructured, natural: u32| u.int_in_range(0..=natural);
        Ok(match u.int_in_range(0..=99u8)? {
            0..35 => {
                let width = u.choose_index(LOADS.len())?;
                let (addr, offset) = address(u)?;
                Op::Load { width, addr, offset, align: align(u, LOADS[width].align)? }
            }
            35..60 => {
                let width = u.choose_index(STORES.len())?;
                let (addr, offset) = address(u)?;
                Op::Store { width, addr, offset, align: align(u, STORES[width].align)?, value: u.arbitrary()? }
            }
            60..72 => Op::Grow { delta: grow_delta(u, self)? },
            72..80 => Op::Fill { dst: bulk_addr(u)?, value: u.arbitrary()?, len: bulk_len(u)? },
            80..88 => Op::Copy { dst: bulk_addr(u)?, src: bulk_addr(u)?, len: bulk_len(u)? },
            88..95 if segments > 0 => {
                let segment = u.int_in_range(0..=segments - 1)?;
                let seg_len = segment_len(&self.active, &self.passive, segment);
                let (src, len) = if seg_len > 0 && u.arbitrary()? {
                    let src = u.int_in_range(0..=seg_len - 1)?;
                    (src, u.int_in_range(1..=seg_len - src)?)
                } else {
                    (u.int_in_range(0..=20)?, *u.choose(&[0, 1, 7, u32::MAX])?)
                };
                Op::Init { segment, dst: bulk_addr(u)?, src, len }
            }
            _ => Op::Size,
        })
    }

    fn names(&self) -> Vec<String> {
        self.ops.iter().enumerate().map(|(i, op)| format!("f{i} {}", op.describe())).collect()
    }

    fn encode(&self) -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], [ValType::I64]);
        module.section(&types);
        let mut funcs = FunctionSection::new();
        for _ in &self.ops {
            funcs.function(0);
        }
        module.section(&funcs);
        let mut memories = MemorySection::new();
        memories.memory(MemoryType {
            minimum: self.initial,
            maximum: self.maximum,
            memory64: true,
            shared: false,
            page_size_log2: None,
        });
        module.section(&memories);
        let mut exports = ExportSection::new();
        exports.export("memory", ExportKind::Memory, 0);
        for (i, name) in self.names().iter().enumerate() {
            exports.export(name, ExportKind::Func, i as u32);
        }
        module.section(&exports);
        module.section(&DataCountSection { count: (self.active.len() + self.passive.len()) as u32 });
        let mut code = CodeSection::new();
        for op in &self.ops {
            let mut f = Function::new([]);
            op.emit(&mut f);
            code.function(&f);
        }
        module.section(&code);
        let active = self.active.iter().map(|(offset, bytes)| (ConstExpr::i64_const(*offset as i64), bytes.as_slice()));
        module.section(&data_section(active, &self.passive));
        module.finish()
    }
}

fn plan(u: &mut Unstructured, config: &EdgesConfig) -> arbitrary::Result<Plan> {
    let initial = u.int_in_range(0..=2u64)?;
    let maximum = if u.ratio(1, 2)? { Some(initial + u.int_in_range(0..=2)?) } else { None };
    let len = initial as i128 * PAGE;
    let mut active = Vec::new();
    if len > 0 && u.ratio(3, 4)? {
        let size = u.int_in_range(8..=32)?;
        active.push((0, u.bytes(size)?.to_vec()));
    }
    if u.arbitrary()? {
        // Ends at most 16 bytes before the length; one in ten overruns it.
        let room = u.int_in_range(0..=16i128)?.min(len);
        let size = if u.ratio(1, 10)? { room + u.int_in_range(1..=8)? } else { u.int_in_range(0..=room)? };
        active.push(((len - room) as u64, u.bytes(size as usize)?.to_vec()));
    }
    let mut passive = Vec::new();
    for _ in 0..u.int_in_range(0..=2)? {
        let size = u.int_in_range(0..=16)?;
        passive.push(u.bytes(size)?.to_vec());
    }
    let mut plan = Plan { initial, maximum, active, passive, ops: Vec::new() };
    for _ in 0..u.int_in_range(1..=config.max_functions.max(1))? {
        let next = plan.op(u)?;
        plan.ops.push(next);
    }
    Ok(plan)
}

/// A memory64 boundary module from `u`, with its calls listed as [`super::edges::generate`]
/// lists them.
pub(super) fn generate(u: &mut Unstructured, config: &EdgesConfig) -> arbitrary::Result<TestCase> {
    let plan = plan(u, config)?;
    Ok(super::edges::listed_case(u, config, &plan.names(), plan.encode()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::Rng;
    use crate::generators::{Call, Calls};
    use crate::oracles::Observed;
    use crate::oracles::fleet::Fleet;
    use redzone_engine::TrapKind;

    /// `n` memory64 cases (every case of a config whose memory64 share is 100%).
    fn cases(n: usize, seed: u64) -> Vec<TestCase> {
        let config = EdgesConfig { memory64_percent: 100, ..EdgesConfig::default() };
        let mut rng = Rng::new(seed);
        (0..n)
            .filter_map(|_| super::super::edges::generate(&mut Unstructured::new(&rng.bytes(512)), &config).ok())
            .collect()
    }

    fn listed(case: &TestCase) -> &[Call] {
        match &case.calls {
            Calls::Listed(calls) => calls,
            _ => &[],
        }
    }

    /// The static offset and constant address an access's export name gives, when both are
    /// numbers.
    fn offset_and_addr(name: &str) -> Option<(u64, u64)> {
        let hex = |key: &str| {
            let text = name.split(key).nth(1)?.split(' ').next()?;
            u64::from_str_radix(text.strip_prefix("0x")?, 16).ok()
        };
        Some((hex("offset=")?, hex("addr=")?))
    }

    #[test]
    fn memory64_modules_validate_only_with_memory64_and_take_a_quarter() {
        let all = cases(200, 21);
        assert!(all.len() >= 190, "almost every input makes a module ({})", all.len());
        let without = crate::generators::FEATURES.difference(wasmparser::WasmFeatures::MEMORY64);
        for case in &all {
            if let Err(e) =
                wasmparser::Validator::new_with_features(crate::generators::FEATURES).validate_all(&case.wasm)
            {
                panic!("invalid memory64 edges module: {e}");
            }
            assert!(
                wasmparser::Validator::new_with_features(without).validate_all(&case.wasm).is_err(),
                "a memory64 case that validates without memory64"
            );
            assert!(listed(case).iter().all(|c| c.export.contains(" m64 ")));
        }
        // The default share: about a quarter of all edges cases.
        let mut rng = Rng::new(22);
        let (mut made, mut wide) = (0, 0);
        for _ in 0..400 {
            let Ok(case) =
                super::super::edges::generate(&mut Unstructured::new(&rng.bytes(512)), &EdgesConfig::default())
            else {
                continue;
            };
            made += 1;
            wide += usize::from(listed(&case).iter().any(|c| c.export.contains(" m64 ")));
        }
        assert!(wide * 100 >= made * 15 && wide * 100 <= made * 35, "about a quarter are memory64 ({wide}/{made})");
    }

    #[test]
    fn boundaries_near_2p32_2p48_2p64_all_come_up() {
        let all = cases(300, 23);
        let names: Vec<&str> = all.iter().flat_map(|c| listed(c).iter().map(|c| c.export.as_str())).collect();
        let has = |s: &str| names.iter().any(|n| n.contains(s));
        for prefix in ["offset=0x1000000", "offset=0xffff", "offset=0xfffffffffffff", "addr=0x1000000"] {
            assert!(has(prefix), "no access with {prefix}");
        }
        assert!(has("memory.grow 0x100000000"), "no grow by 2^32 pages (2^48 bytes)");
        assert!(has("memory.copy") && has("memory.fill") && has("memory.init"));
        let overflows =
            names.iter().filter_map(|n| offset_and_addr(n)).filter(|(o, a)| o.checked_add(*a).is_none()).count();
        assert!(overflows * 10 >= names.len() / 2, "{overflows} of {} calls overflow 2^64", names.len());
    }

    /// Runs `case` on both redzone strategies and returns every call's outcomes by export.
    fn run_on_redzone(case: &TestCase) -> Vec<(String, Vec<Observed>)> {
        let mut fleet = Fleet::build(&["redzone:guard", "redzone:checked"], Some(1_000_000)).unwrap();
        let step = fleet.instantiate(&case.wasm);
        let observed = |step: &crate::oracles::fleet::Step| step.outcomes.iter().map(|o| o.observed.clone()).collect();
        let mut out = vec![("instantiate".to_string(), observed(&step))];
        if step.outcomes.iter().all(|o| o.observed == Observed::Instantiated) {
            for call in listed(case) {
                out.push((call.export.clone(), observed(&fleet.call(&call.export, &[]))));
            }
        }
        out
    }

    #[test]
    fn a_configuration_without_memory64_makes_the_case_inconclusive() {
        use crate::oracles::Verdict;
        let case = cases(1, 25).remove(0);
        let mut fleet = Fleet::build(&["redzone:checked", "wasmer:checked"], Some(1_000_000)).unwrap();
        let step = fleet.instantiate(&case.wasm);
        assert!(
            matches!(&step.outcomes[1].observed, Observed::Unsupported { message } if message.contains("memory64")),
            "{:?}",
            step.outcomes[1]
        );
        assert!(matches!(step.verdict, Verdict::Inconclusive { .. }), "{:?}", step.verdict);
    }

    #[test]
    fn overflowing_sums_trap_and_big_grows_fail_on_both_strategies() {
        let (mut overflows, mut grows) = (0, 0);
        for case in cases(60, 24) {
            for (export, outcomes) in run_on_redzone(&case) {
                assert_eq!(outcomes.len(), 2, "{export}: both strategies ran");
                assert_eq!(outcomes[0], outcomes[1], "{export}: guard and checked differ");
                if offset_and_addr(&export).is_some_and(|(o, a)| o.checked_add(a).is_none()) {
                    overflows += 1;
                    let oob = Observed::Trapped { trap: TrapKind::MemoryOutOfBounds, instantiating: false };
                    assert_eq!(outcomes[0], oob, "{export}: addr + offset past 2^64 must trap");
                }
                let big = ["0x100000000", "0x100000001", "0x1000000000000", "0x1000000000001", "0xffffffffffffffff"];
                if big.iter().any(|d| export.ends_with(&format!("memory.grow {d}"))) {
                    grows += 1;
                    assert_eq!(outcomes[0], Observed::returned(vec![crate::engines::Val::I64(-1)]), "{export}");
                }
            }
        }
        assert!(overflows > 0 && grows > 0, "{overflows} overflowing accesses, {grows} big grows ran");
    }
}
