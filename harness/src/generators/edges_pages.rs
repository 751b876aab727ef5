//! The `edges` generator's page-size-1 share ([`super::edges::EdgesConfig::page_size_1_percent`]):
//! modules with one 32-bit memory of 1-byte pages (custom-page-sizes, exported as `memory`)
//! whose length is any byte count, odd ones and ones just off a 4 KiB or 64 KiB boundary
//! included, so the end of memory falls inside a host page, where guard pages cannot catch an
//! access (redzone checks such memories explicitly on both strategies). Every function does
//! one thing at the end of memory and returns an i64, as the modules of [`super::edges`] do:
//!
//! | weight | operation | returns |
//! | --- | --- | --- |
//! | 30 | a load of any width and type at `len + d` (`d` in `-12..=4`, offset 0 to 8), or at a small, wrapping or random address | the loaded bits |
//! | 25 | a store of any width and type, addressed the same ways | the 8 bytes before the length |
//! | 10 | `v128.load` / `v128.store` at `len + d` (`d` in `-20..=4`) | the vector folded / the 8 bytes before the length |
//! | 10 | `memory.grow` by 0 to 17 bytes, by 65,536, past the declared maximum, or by 2^32 - 1 | its result |
//! | 6 | `memory.grow` by 1 to 17 bytes, then a load at the new `len + d` | the loaded bits |
//! | 6 / 6 / 5 | `memory.fill` / `memory.copy` / `memory.init` at `len + d`, 0 to 17 bytes or 2^16, 2^31 - 1, 2^32 - 1 | `memory.size` |
//! | 2 | `memory.size` | it |
//!
//! `len` is `memory.size` itself (one page is one byte), read when the function runs, so
//! accesses follow grows. Growth is certain on every engine: small deltas, and 2^32 - 1 only
//! when the memory has at least 2 bytes (the result passes 2^32 bytes, beyond the 32-bit limit
//! of 2^32 - 1 bytes on every engine).
//! Data segments: one ending exactly at the initial length (one in ten overrunning it by a few
//! bytes, so instantiation traps), one at 0, and up to two passive ones.

use super::case::{Call, Calls, GeneratorKind, TestCase};
use super::edges::{
    Bulk, EdgesConfig, LOADS, STORES, bulk_len, data_section, describe_addr, emit_bulk, load_instr, push_size,
    push_store_value, segment_len, store_instr, to_i64,
};
use arbitrary::Unstructured;
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, DataCountSection, ExportKind, ExportSection, Function, FunctionSection,
    Instruction as I, MemArg, MemArgTarget, MemorySection, MemoryType, Module, TypeSection, ValType,
};

/// An i32 address operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Addr {
    /// The memory's length in bytes when the function runs, plus this.
    Len(i32),
    /// A constant.
    Const(u32),
}

impl Addr {
    fn emit(self, f: &mut Function) {
        match self {
            Addr::Len(delta) => push_len_plus(f, delta),
            Addr::Const(a) => {
                f.instruction(&I::I32Const(a as i32));
            }
        }
    }

    fn describe(self) -> String {
        describe_addr(match self {
            Addr::Len(d) => Ok(d.into()),
            Addr::Const(a) => Err(a.into()),
        })
    }
}

/// Pushes the length in bytes plus `delta`: with 1-byte pages, `memory.size` is the length.
fn push_len_plus(f: &mut Function, delta: i32) {
    f.instruction(&I::MemorySize(0));
    f.instruction(&I::I32Const(delta));
    f.instruction(&I::I32Add);
}

/// Pushes the 8 bytes before the length as an i64, or -1 in a memory smaller than 8 bytes.
fn push_last_8_bytes(f: &mut Function) {
    f.instruction(&I::MemorySize(0));
    f.instruction(&I::I32Const(8));
    f.instruction(&I::I32LtU);
    f.instruction(&I::If(BlockType::Result(ValType::I64)));
    f.instruction(&I::I64Const(-1));
    f.instruction(&I::Else);
    push_len_plus(f, -8);
    f.instruction(&I::I64Load(memarg(0, 0)));
    f.instruction(&I::End);
}

fn memarg(offset: u32, align: u32) -> MemArg {
    MemArg { offset: offset.into(), align, target: MemArgTarget::Memory(0), ordering: None }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Load { width: usize, addr: Addr, offset: u32, align: u32 },
    Store { width: usize, addr: Addr, offset: u32, align: u32, value: u64 },
    V128Load { addr: Addr, offset: u32 },
    V128Store { addr: Addr, offset: u32, value: u128 },
    Grow { delta: u32 },
    GrowThenLoad { delta: u32, width: usize, at: i32 },
    Fill { dst: Addr, value: u8, len: u32 },
    Copy { dst: Addr, src: Addr, len: u32 },
    Init { segment: u32, dst: Addr, src: u32, len: u32 },
    Size,
}

impl Op {
    fn describe(&self) -> String {
        let at = |addr: Addr, offset: u32| format!("offset={offset:#x} addr={}", addr.describe());
        match self {
            Op::Load { width, addr, offset, .. } => format!("p1 {} {}", LOADS[*width].name, at(*addr, *offset)),
            Op::Store { width, addr, offset, .. } => format!("p1 {} {}", STORES[*width].name, at(*addr, *offset)),
            Op::V128Load { addr, offset } => format!("p1 v128.load {}", at(*addr, *offset)),
            Op::V128Store { addr, offset, .. } => format!("p1 v128.store {}", at(*addr, *offset)),
            Op::Grow { delta } => format!("p1 memory.grow {delta:#x}"),
            Op::GrowThenLoad { delta, width, at } => {
                format!("p1 memory.grow {delta:#x} then {} addr={}", LOADS[*width].name, Addr::Len(*at).describe())
            }
            Op::Fill { dst, len, .. } => format!("p1 memory.fill dst={} len={len:#x}", dst.describe()),
            Op::Copy { dst, src, len } => {
                format!("p1 memory.copy dst={} src={} len={len:#x}", dst.describe(), src.describe())
            }
            Op::Init { segment, dst, src, len } => {
                format!("p1 memory.init {segment} dst={} src={src:#x} len={len:#x}", dst.describe())
            }
            Op::Size => "p1 memory.size".into(),
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
                push_last_8_bytes(f);
            }
            Op::V128Load { addr, offset } => {
                // The low half xor the high half: every byte of the vector counts.
                addr.emit(f);
                f.instruction(&I::V128Load(memarg(offset, 0)));
                f.instruction(&I::LocalTee(0));
                f.instruction(&I::I64x2ExtractLane(0));
                f.instruction(&I::LocalGet(0));
                f.instruction(&I::I64x2ExtractLane(1));
                f.instruction(&I::I64Xor);
            }
            Op::V128Store { addr, offset, value } => {
                addr.emit(f);
                f.instruction(&I::V128Const(value as i128));
                f.instruction(&I::V128Store(memarg(offset, 0)));
                push_last_8_bytes(f);
            }
            Op::Grow { delta } => {
                f.instruction(&I::I32Const(delta as i32));
                f.instruction(&I::MemoryGrow(0));
                f.instruction(&I::I64ExtendI32S);
            }
            Op::GrowThenLoad { delta, width, at } => {
                f.instruction(&I::I32Const(delta as i32));
                f.instruction(&I::MemoryGrow(0));
                f.instruction(&I::Drop);
                push_len_plus(f, at);
                f.instruction(&load_instr(LOADS[width].name, memarg(0, 0)));
                to_i64(f, LOADS[width].ty);
            }
            Op::Fill { dst, value, len } => {
                emit_bulk(f, Bulk::Fill { value }, |f| dst.emit(f), |_| {}, len.into(), false)
            }
            Op::Copy { dst, src, len } => emit_bulk(f, Bulk::Copy, |f| dst.emit(f), |f| src.emit(f), len.into(), false),
            Op::Init { segment, dst, src, len } => {
                emit_bulk(f, Bulk::Init { segment, src }, |f| dst.emit(f), |_| {}, len.into(), false)
            }
            Op::Size => push_size(f, false),
        }
        f.instruction(&I::End);
    }
}

/// An address and a static offset for a load or store: near the end (70%), small (10%), an
/// `addr + offset` that wraps 2^32 into the first bytes (10%), or random (10%).
fn address(u: &mut Unstructured) -> arbitrary::Result<(Addr, u32)> {
    Ok(match u.int_in_range(0..=9u8)? {
        0..=6 => (Addr::Len(u.int_in_range(-12..=4)?), if u.ratio(2, 3)? { 0 } else { u.int_in_range(0..=8)? }),
        7 => (Addr::Const(u.int_in_range(0..=64)?), u.int_in_range(0..=8)?),
        8 => {
            let target = u.int_in_range(0..=15u32)?;
            let offset = u.int_in_range(target + 1..=64)?;
            (Addr::Const(target.wrapping_sub(offset)), offset)
        }
        _ => (Addr::Const(u.arbitrary()?), u.arbitrary()?),
    })
}

/// A bulk operation's address: near the end (70%), small, or random.
fn bulk_addr(u: &mut Unstructured) -> arbitrary::Result<Addr> {
    Ok(match u.int_in_range(0..=9u8)? {
        0..=6 => Addr::Len(u.int_in_range(-16..=4)?),
        7 | 8 => Addr::Const(u.int_in_range(0..=32)?),
        _ => Addr::Const(u.arbitrary()?),
    })
}

/// The module being generated.
struct Plan {
    /// Initial length in bytes (= pages).
    initial: u32,
    maximum: Option<u32>,
    /// Active data segments: offset and bytes.
    active: Vec<(u32, Vec<u8>)>,
    passive: Vec<Vec<u8>>,
    ops: Vec<Op>,
}

impl Plan {
    /// A grow delta whose result is certain on every engine (see the module docs).
    fn grow_delta(&self, u: &mut Unstructured) -> arbitrary::Result<u32> {
        Ok(match u.int_in_range(0..=9u8)? {
            0..=5 => u.int_in_range(0..=17)?,
            6 => 1 << 16,
            // From 2 bytes up the result passes 2^32 bytes: certain failure everywhere
            // (wasmi 2.0.0 grants exactly 2^32 bytes, one past the limit, which would be
            // a wasmi finding that allocates 4 GiB).
            7 if self.initial > 1 => u32::MAX,
            _ => match self.maximum {
                Some(max) => max - self.initial + 1,
                None => u.int_in_range(1..=3)?,
            },
        })
    }

    fn op(&self, u: &mut Unstructured) -> arbitrary::Result<Op> {
        let segments = (self.active.len() + self.passive.len()) as u32;
        let align = |u: &mut Unstructured, natural: u32| u.int_in_range(0..=natural);
        let near_end = |u: &mut Unstructured| -> arbitrary::Result<(Addr, u32)> {
            Ok((Addr::Len(u.int_in_range(-20..=4)?), if u.ratio(3, 4)? { 0 } else { u.int_in_range(0..=8)? }))
        };
        Ok(match u.int_in_range(0..=99u8)? {
            0..30 => {
                let width = u.choose_index(LOADS.len())?;
                let (addr, offset) = address(u)?;
                Op::Load { width, addr, offset, align: align(u, LOADS[width].align)? }
            }
            30..55 => {
                let width = u.choose_index(STORES.len())?;
                let (addr, offset) = address(u)?;
                Op::Store { width, addr, offset, align: align(u, STORES[width].align)?, value: u.arbitrary()? }
            }
            55..60 => {
                let (addr, offset) = near_end(u)?;
                Op::V128Load { addr, offset }
            }
            60..65 => {
                let (addr, offset) = near_end(u)?;
                Op::V128Store { addr, offset, value: u.arbitrary()? }
            }
            65..75 => Op::Grow { delta: self.grow_delta(u)? },
            75..81 => Op::GrowThenLoad {
                delta: u.int_in_range(1..=17)?,
                width: u.choose_index(LOADS.len())?,
                at: u.int_in_range(-10..=2)?,
            },
            81..87 => Op::Fill { dst: bulk_addr(u)?, value: u.arbitrary()?, len: bulk_len(u)? },
            87..93 => Op::Copy { dst: bulk_addr(u)?, src: bulk_addr(u)?, len: bulk_len(u)? },
            93..98 if segments > 0 => {
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
            minimum: self.initial.into(),
            maximum: self.maximum.map(u64::from),
            memory64: false,
            shared: false,
            page_size_log2: Some(0),
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
            // Only the v128 loads need a local, to fold the vector.
            let mut f = match op {
                Op::V128Load { .. } => Function::new([(1, ValType::V128)]),
                _ => Function::new([]),
            };
            op.emit(&mut f);
            code.function(&f);
        }
        module.section(&code);
        let active = self.active.iter().map(|(offset, bytes)| (ConstExpr::i32_const(*offset as i32), bytes.as_slice()));
        module.section(&data_section(active, &self.passive));
        module.finish()
    }
}

/// An initial length: a few bytes, a few hundred, or just around 4 KiB or 64 KiB (a host
/// page and a wasm page), odd about half the time.
fn initial_len(u: &mut Unstructured) -> arbitrary::Result<u32> {
    Ok(match u.int_in_range(0..=9u8)? {
        0..=3 => u.int_in_range(0..=40)?,
        4..=5 => u.int_in_range(41..=300)?,
        6..=7 => (4096 + u.int_in_range(-8..=8i32)?) as u32,
        _ => (65536 + u.int_in_range(-8..=8i32)?) as u32,
    })
}

fn plan(u: &mut Unstructured, config: &EdgesConfig) -> arbitrary::Result<Plan> {
    let initial = initial_len(u)?;
    let maximum = if u.ratio(1, 2)? { Some(initial + u.int_in_range(0..=40)?) } else { None };
    let mut active = Vec::new();
    if initial > 0 && u.ratio(1, 2)? {
        let size = u.int_in_range(1..=initial.min(16))?;
        active.push((0, u.bytes(size as usize)?.to_vec()));
    }
    if u.ratio(3, 4)? {
        // Ends exactly at the length; one in ten overruns it by 1 to 8 bytes.
        let size = u.int_in_range(0..=initial.min(16))?;
        let over = if u.ratio(1, 10)? { u.int_in_range(1..=8)? } else { 0 };
        active.push((initial - size, u.bytes((size + over) as usize)?.to_vec()));
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

/// A page-size-1 boundary module from `u`, with its calls listed as
/// [`super::edges::generate`] lists them.
pub(super) fn generate(u: &mut Unstructured, config: &EdgesConfig) -> arbitrary::Result<TestCase> {
    let plan = plan(u, config)?;
    let names = plan.names();
    let calls = super::edges::call_order(u, config, names.len())
        .into_iter()
        .map(|i| Call { export: names[i].clone(), args: Vec::new() })
        .collect();
    Ok(TestCase::new(GeneratorKind::Edges, plan.encode(), Calls::Listed(calls)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::Rng;
    use crate::oracles::Observed;
    use crate::oracles::fleet::Fleet;
    use redzone_engine::TrapKind;

    /// `n` page-size-1 cases (every case of a config whose share is 100%).
    fn cases(n: usize, seed: u64) -> Vec<TestCase> {
        let config = EdgesConfig {
            memory64_percent: 0,
            multi_memory_percent: 0,
            page_size_1_percent: 100,
            ..EdgesConfig::default()
        };
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

    /// The page size (log2) of the one memory `wasm` defines.
    fn page_size_log2(wasm: &[u8]) -> Option<u32> {
        wasmparser::Parser::new(0).parse_all(wasm).find_map(|p| match p {
            Ok(wasmparser::Payload::MemorySection(r)) => r.into_iter().next()?.ok()?.page_size_log2,
            _ => None,
        })
    }

    #[test]
    fn page_size_1_modules_validate_only_with_custom_page_sizes_and_take_their_share() {
        let all = cases(200, 31);
        assert!(all.len() >= 190, "almost every input makes a module ({})", all.len());
        let without = crate::generators::FEATURES.difference(wasmparser::WasmFeatures::CUSTOM_PAGE_SIZES);
        for case in &all {
            if let Err(e) =
                wasmparser::Validator::new_with_features(crate::generators::FEATURES).validate_all(&case.wasm)
            {
                panic!("invalid page-size-1 edges module: {e}");
            }
            assert!(wasmparser::Validator::new_with_features(without).validate_all(&case.wasm).is_err());
            assert_eq!(page_size_log2(&case.wasm), Some(0));
            assert!(listed(case).iter().all(|c| c.export.contains(" p1 ")));
        }
        let names: Vec<&str> = all.iter().flat_map(|c| listed(c).iter().map(|c| c.export.as_str())).collect();
        for op in ["v128.load", "v128.store", "memory.fill", "memory.copy", "memory.init", "then", "addr=len-1"] {
            assert!(names.iter().any(|n| n.contains(op)), "no {op}");
        }
        // The default share: about a tenth of all edges cases.
        let mut rng = Rng::new(32);
        let (mut made, mut tiny) = (0, 0);
        for _ in 0..400 {
            let Ok(case) =
                super::super::edges::generate(&mut Unstructured::new(&rng.bytes(512)), &EdgesConfig::default())
            else {
                continue;
            };
            made += 1;
            tiny += usize::from(listed(&case).iter().any(|c| c.export.contains(" p1 ")));
        }
        assert!(tiny * 100 >= made * 4 && tiny * 100 <= made * 18, "about a tenth are page-size-1 ({tiny}/{made})");
    }

    #[test]
    fn wasmer_refuses_the_case_as_unsupported_and_the_verdict_is_inconclusive() {
        use crate::oracles::Verdict;
        let case = cases(1, 34).remove(0);
        let mut fleet =
            Fleet::build(&["redzone:checked", "wasmtime:checked", "wasmer:checked"], Some(1_000_000)).unwrap();
        let step = fleet.instantiate(&case.wasm);
        assert!(
            matches!(&step.outcomes[2].observed,
                Observed::Unsupported { message } if message.starts_with("unsupported feature: custom-page-sizes")),
            "{:?}",
            step.outcomes[2]
        );
        assert_ne!(step.outcomes[1].observed, step.outcomes[2].observed, "wasmtime runs it");
        assert!(matches!(step.verdict, Verdict::Inconclusive { .. }), "{:?}", step.verdict);
    }

    /// For a scalar load at `len + d` with static offset `o`, from its export name: `(d, o,
    /// width in bytes)`.
    fn load_at_len(name: &str) -> Option<(i64, i64, i64)> {
        let mut words = name.split(' ').skip(2);
        let op = words.next()?;
        // A load's natural alignment is its width.
        let bytes = 1 << LOADS.iter().find(|l| l.name == op)?.align;
        let offset = i64::from_str_radix(words.next()?.strip_prefix("offset=0x")?, 16).ok()?;
        let d = match words.next()?.strip_prefix("addr=len")? {
            "" => 0,
            d => d.parse().ok()?,
        };
        Some((d, offset, bytes))
    }

    #[test]
    fn both_redzone_strategies_agree_and_straddles_at_the_length_trap() {
        let (mut straddles, mut fits) = (0, 0);
        for case in cases(60, 33) {
            let mut fleet = Fleet::build(&["redzone:guard", "redzone:checked"], Some(1_000_000)).unwrap();
            let step = fleet.instantiate(&case.wasm);
            let agree = |step: &crate::oracles::fleet::Step| step.outcomes[0].observed == step.outcomes[1].observed;
            assert!(agree(&step), "instantiation differs: {:?}", step.outcomes);
            if step.outcomes[0].observed != Observed::Instantiated {
                continue;
            }
            for call in listed(&case) {
                let step = fleet.call(&call.export, &[]);
                assert!(agree(&step), "{}: {:?}", call.export, step.outcomes);
                // A load at len + d with offset o of w bytes ends past the length when
                // d + o + w > 0: it must trap, on 1-byte pages as on any.
                if let Some((d, o, w)) = load_at_len(&call.export) {
                    let trapped = matches!(
                        &step.outcomes[0].observed,
                        Observed::Trapped { trap: TrapKind::MemoryOutOfBounds, .. }
                    );
                    if d + o + w > 0 {
                        straddles += 1;
                        assert!(trapped, "{}: {:?}", call.export, step.outcomes[0].observed);
                    } else {
                        fits += usize::from(!trapped);
                    }
                }
            }
        }
        assert!(straddles > 0 && fits > 0, "straddling ({straddles}) and fitting ({fits}) loads came up");
    }
}
