//! The `edges` generator's multi-memory share ([`EdgesConfig::multi_memory_percent`]): modules
//! with two or three memories whose every function does one thing at one memory's boundary,
//! or between two memories, and returns an i64, as the modules of [`super::edges`] do.
//!
//! Half of the modules have only 32-bit memories (so wasmer 7.4.2, which runs without
//! memory64, takes part); in the other half each memory is 32- or 64-bit, at least one 64-bit
//! (wasmer then finds the module unsupported: inconclusive). Each memory has 0 to 2 pages
//! (one in three modules has an empty one), a declared maximum half of the time, an active
//! data segment at its start and one ending at or near its length (one in ten overrunning it,
//! so instantiation traps after the earlier segments wrote); memory 0 is exported as
//! `memory`, memory 1 as `memory1`, and memory 2 is not exported (the harness exposes it, see
//! `oracles::expose`). One module in five whose memory 0 is 32-bit imports it.
//!
//! | weight | operation | returns |
//! | --- | --- | --- |
//! | 20 | a load of any width and type from one memory (memory 1 or 2 three times in four) | the loaded bits |
//! | 18 | a store of any width and type to one memory | the last 8 bytes of that memory |
//! | 20 | `memory.copy` between two memories (one in six within one) | every memory's size |
//! | 10 | `memory.init` into one memory | every memory's size |
//! | 8 | `memory.fill` of one memory | every memory's size |
//! | 12 | `memory.grow` of one memory: 0 to 2 pages, or a delta that must fail | its result |
//! | 7 | `memory.grow` of one memory, then an i64 load from another at the grown one's new length | the loaded bits |
//! | 5 | every memory's `memory.size` | them, 16 bits each |
//!
//! Every address is in its own memory's index type: a copy between a 32-bit and a 64-bit
//! memory takes an i32 and an i64 address and an i32 length (an i64 length only when both
//! are 64-bit). Addresses are relative to the length of the memory they address or, one time
//! in five, of another memory (so an engine that checks against the wrong memory's length
//! shows), constants near 0, 2^16 and 2^32, or wrap past the index type's range with the
//! static offset (`addr + offset` is 2^32 or 2^64 plus 0 to 31). Calls: every function once in
//! order, then some more at random, so grows of one memory and accesses to the others
//! interleave.

use super::case::TestCase;
use super::edges::{
    EdgesConfig, LOADS, STORES, bulk_len_among, describe_addr, init_range, listed_case, load_instr, push_store_value,
    segment_len, store_instr, to_i64,
};
use arbitrary::Unstructured;
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, DataCountSection, DataSection, ExportKind, ExportSection, Function,
    FunctionSection, ImportSection, Instruction as I, MemArg, MemArgTarget, MemorySection, MemoryType, Module,
    TypeSection, ValType,
};

const PAGE: u64 = 65536;
/// The memory64 index space's page limit: 2^64 bytes.
const MAX_PAGES64: u64 = 1 << 48;

/// One memory of the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Memory {
    initial: u64,
    maximum: Option<u64>,
    memory64: bool,
}

/// An address operand, pushed in the index type of the memory it addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Addr {
    /// The length in bytes of memory `of` when the function runs, plus `delta`.
    Len { of: u32, delta: i64 },
    /// A constant (truncated to 32 bits for a 32-bit memory).
    Const(u64),
}

impl Addr {
    /// Pushes the address for a memory of index type `memory64`. A length is computed in 64
    /// bits and wrapped for a 32-bit memory, which is what i32 arithmetic would give.
    fn emit(self, f: &mut Function, plan: &Plan, memory64: bool) {
        match self {
            Addr::Len { of, delta } => {
                push_size64(f, of, plan.memories[of as usize].memory64);
                f.instruction(&I::I64Const(16));
                f.instruction(&I::I64Shl);
                f.instruction(&I::I64Const(delta));
                f.instruction(&I::I64Add);
                if !memory64 {
                    f.instruction(&I::I32WrapI64);
                }
            }
            Addr::Const(a) if memory64 => {
                f.instruction(&I::I64Const(a as i64));
            }
            Addr::Const(a) => {
                f.instruction(&I::I32Const(a as i32));
            }
        }
    }

    fn describe(self) -> String {
        match self {
            Addr::Len { of, delta: 0 } => format!("len{of}"),
            Addr::Len { of, delta } => format!("len{of}{delta:+}"),
            Addr::Const(a) => describe_addr(Err(a)),
        }
    }
}

/// A constant address `v`, clamped to the index type's range (so names show the address the
/// instruction gets).
fn constant(v: i64, memory64: bool) -> Addr {
    Addr::Const(if memory64 { v.max(0) as u64 } else { v.clamp(0, u32::MAX.into()) as u64 })
}

/// A random constant address of the index type.
fn random(u: &mut Unstructured, memory64: bool) -> arbitrary::Result<Addr> {
    Ok(Addr::Const(if memory64 { u.arbitrary()? } else { u.arbitrary::<u32>()?.into() }))
}

impl Addr {
    /// A constant's value (0 for a length).
    fn value(self) -> u64 {
        match self {
            Addr::Const(a) => a,
            Addr::Len { .. } => 0,
        }
    }
}

/// Pushes memory `m`'s size in pages as an i64.
fn push_size64(f: &mut Function, m: u32, memory64: bool) {
    f.instruction(&I::MemorySize(m));
    if !memory64 {
        f.instruction(&I::I64ExtendI32U);
    }
}

fn memarg(m: u32, offset: u64, align: u32) -> MemArg {
    MemArg { offset, align, target: MemArgTarget::Memory(m), ordering: None }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Load { mem: u32, width: usize, addr: Addr, offset: u64, align: u32 },
    Store { mem: u32, width: usize, addr: Addr, offset: u64, align: u32, value: u64 },
    Copy { dst_mem: u32, src_mem: u32, dst: Addr, src: Addr, len: u64 },
    Init { mem: u32, segment: u32, dst: Addr, src: u32, len: u32 },
    Fill { mem: u32, dst: Addr, value: u8, len: u64 },
    Grow { mem: u32, delta: u64 },
    GrowThenLoad { mem: u32, delta: u64, load_mem: u32, at: i64 },
    Sizes,
}

impl Op {
    fn describe(&self) -> String {
        let at = |addr: Addr, offset: u64| format!("offset={offset:#x} addr={}", addr.describe());
        match self {
            Op::Load { mem, width, addr, offset, .. } => {
                format!("mm {} m{mem} {}", LOADS[*width].name, at(*addr, *offset))
            }
            Op::Store { mem, width, addr, offset, .. } => {
                format!("mm {} m{mem} {}", STORES[*width].name, at(*addr, *offset))
            }
            Op::Copy { dst_mem, src_mem, dst, src, len } => format!(
                "mm memory.copy m{dst_mem}<-m{src_mem} dst={} src={} len={len:#x}",
                dst.describe(),
                src.describe()
            ),
            Op::Init { mem, segment, dst, src, len } => {
                format!("mm memory.init m{mem} {segment} dst={} src={src:#x} len={len:#x}", dst.describe())
            }
            Op::Fill { mem, dst, len, .. } => format!("mm memory.fill m{mem} dst={} len={len:#x}", dst.describe()),
            Op::Grow { mem, delta } => format!("mm memory.grow m{mem} {delta:#x}"),
            Op::GrowThenLoad { mem, delta, load_mem, at } => {
                format!("mm memory.grow m{mem} {delta:#x} then i64.load m{load_mem} at len{mem}{at:+}")
            }
            Op::Sizes => "mm memory.size of each".into(),
        }
    }

    fn emit(&self, f: &mut Function, plan: &Plan) {
        let wide = |m: u32| plan.memories[m as usize].memory64;
        // A length or fill size in memory `m`'s index type.
        let index = |f: &mut Function, v: u64, memory64: bool| {
            f.instruction(&if memory64 { I::I64Const(v as i64) } else { I::I32Const(v as i32) });
        };
        match *self {
            Op::Load { mem, width, addr, offset, align } => {
                addr.emit(f, plan, wide(mem));
                f.instruction(&load_instr(LOADS[width].name, memarg(mem, offset, align)));
                to_i64(f, LOADS[width].ty);
            }
            Op::Store { mem, width, addr, offset, align, value } => {
                addr.emit(f, plan, wide(mem));
                push_store_value(f, STORES[width].ty, value);
                f.instruction(&store_instr(STORES[width].name, memarg(mem, offset, align)));
                push_last_8_bytes_of(f, plan, mem);
            }
            Op::Copy { dst_mem, src_mem, dst, src, len } => {
                dst.emit(f, plan, wide(dst_mem));
                src.emit(f, plan, wide(src_mem));
                index(f, len, wide(dst_mem) && wide(src_mem));
                f.instruction(&I::MemoryCopy { src_mem, dst_mem });
                push_sizes(f, plan);
            }
            Op::Init { mem, segment, dst, src, len } => {
                dst.emit(f, plan, wide(mem));
                f.instruction(&I::I32Const(src as i32));
                f.instruction(&I::I32Const(len as i32));
                f.instruction(&I::MemoryInit { mem, data_index: segment });
                push_sizes(f, plan);
            }
            Op::Fill { mem, dst, value, len } => {
                dst.emit(f, plan, wide(mem));
                f.instruction(&I::I32Const(value.into()));
                index(f, len, wide(mem));
                f.instruction(&I::MemoryFill(mem));
                push_sizes(f, plan);
            }
            Op::Grow { mem, delta } => {
                index(f, delta, wide(mem));
                f.instruction(&I::MemoryGrow(mem));
                if !wide(mem) {
                    f.instruction(&I::I64ExtendI32S);
                }
            }
            Op::GrowThenLoad { mem, delta, load_mem, at } => {
                index(f, delta, wide(mem));
                f.instruction(&I::MemoryGrow(mem));
                f.instruction(&I::Drop);
                Addr::Len { of: mem, delta: at }.emit(f, plan, wide(load_mem));
                f.instruction(&I::I64Load(memarg(load_mem, 0, 0)));
            }
            Op::Sizes => push_sizes(f, plan),
        }
        f.instruction(&I::End);
    }
}

/// Pushes the 8 bytes before the end of memory `m` as an i64, or -1 when it is empty (a store
/// that trapped straddling the end must not have written them).
fn push_last_8_bytes_of(f: &mut Function, plan: &Plan, m: u32) {
    push_size64(f, m, plan.memories[m as usize].memory64);
    f.instruction(&I::I64Eqz);
    f.instruction(&I::If(BlockType::Result(ValType::I64)));
    f.instruction(&I::I64Const(-1));
    f.instruction(&I::Else);
    Addr::Len { of: m, delta: -8 }.emit(f, plan, plan.memories[m as usize].memory64);
    f.instruction(&I::I64Load(memarg(m, 0, 0)));
    f.instruction(&I::End);
}

/// Pushes every memory's size in pages as one i64, 16 bits each (memory 0 lowest): sizes stay
/// far below 2^16 pages, since grows that could reach that far must fail.
fn push_sizes(f: &mut Function, plan: &Plan) {
    for m in 0..plan.memories.len() as u32 {
        push_size64(f, m, plan.memories[m as usize].memory64);
        if m > 0 {
            f.instruction(&I::I64Const(16 * i64::from(m)));
            f.instruction(&I::I64Shl);
            f.instruction(&I::I64Or);
        }
    }
}

/// The module being generated.
struct Plan {
    memories: Vec<Memory>,
    /// Whether memory 0 (32-bit) is imported as `env.memory`.
    imported: bool,
    /// Active data segments: memory, offset and bytes.
    active: Vec<((u32, u64), Vec<u8>)>,
    passive: Vec<Vec<u8>>,
    ops: Vec<Op>,
}

impl Plan {
    /// Memory 0 one time in four, else another one.
    fn pick(&self, u: &mut Unstructured) -> arbitrary::Result<u32> {
        let n = self.memories.len() as u32;
        Ok(if u.ratio(1, 4)? { 0 } else { u.int_in_range(1..=n - 1)? })
    }

    /// Any memory but `m`.
    fn other(&self, u: &mut Unstructured, m: u32) -> arbitrary::Result<u32> {
        let n = self.memories.len() as u32;
        Ok((m + u.int_in_range(1..=n - 1)?) % n)
    }

    /// An address and static offset for a load or store on memory `m`.
    fn access(&self, u: &mut Unstructured, m: u32) -> arbitrary::Result<(Addr, u64)> {
        let memory64 = self.memories[m as usize].memory64;
        let small = |u: &mut Unstructured| -> arbitrary::Result<u64> {
            if u.ratio(2, 3)? { Ok(0) } else { u.int_in_range(0..=8) }
        };
        Ok(match u.int_in_range(0..=99u8)? {
            0..15 => {
                // addr + offset is the index space's size plus 0..31: it must trap.
                let target = u.int_in_range(0..=31u64)?;
                let k = u.int_in_range(target + 1..=64)?;
                let top = if memory64 { u64::MAX } else { u64::from(u32::MAX) };
                let big = top - (k - target - 1);
                if u.arbitrary()? { (Addr::Const(big), k) } else { (Addr::Const(k), big) }
            }
            15..65 => (Addr::Len { of: m, delta: u.int_in_range(-8..=8)? }, small(u)?),
            65..80 => (Addr::Len { of: self.other(u, m)?, delta: u.int_in_range(-8..=8)? }, small(u)?),
            80..95 => {
                let base = *u.choose(&[0i64, 1 << 16, 1 << 32])?;
                (constant(base + u.int_in_range(-8..=8)?, memory64), small(u)?)
            }
            _ => (random(u, memory64)?, random(u, memory64)?.value()),
        })
    }

    /// A bulk operation's address in memory `m`: near its end, near another memory's end,
    /// small, near 2^32, or random.
    fn bulk_addr(&self, u: &mut Unstructured, m: u32) -> arbitrary::Result<Addr> {
        let memory64 = self.memories[m as usize].memory64;
        Ok(match u.int_in_range(0..=9u8)? {
            0..=4 => Addr::Len { of: m, delta: u.int_in_range(-16..=4)? },
            5 => Addr::Len { of: self.other(u, m)?, delta: u.int_in_range(-16..=4)? },
            6 | 7 => Addr::Const(u.int_in_range(0..=64)?),
            8 => constant((1 << 32) + u.int_in_range(-16..=16)?, memory64),
            _ => random(u, memory64)?,
        })
    }

    /// A grow delta for memory `m` whose result is certain on every engine: 0 to 2 pages, or
    /// one past the declared maximum or the index space (never one a host may refuse).
    fn grow_delta(&self, u: &mut Unstructured, m: u32) -> arbitrary::Result<u64> {
        let memory = self.memories[m as usize];
        if u.ratio(2, 3)? {
            return u.int_in_range(0..=2);
        }
        Ok(match (memory.maximum, memory.memory64) {
            (Some(max), false) => *u.choose(&[max - memory.initial + 1, 1 << 16, u64::from(u32::MAX)])?,
            (Some(max), true) => *u.choose(&[max - memory.initial + 1, 1 << 32, MAX_PAGES64, u64::MAX])?,
            (None, false) => *u.choose(&[(1 << 16) + 1, u64::from(u32::MAX)])?,
            (None, true) => *u.choose(&[MAX_PAGES64 + 1, u64::MAX])?,
        })
    }

    fn op(&self, u: &mut Unstructured) -> arbitrary::Result<Op> {
        let segments = (self.active.len() + self.passive.len()) as u32;
        let align = |u: &mut Unstructured, natural: u32| u.int_in_range(0..=natural);
        Ok(match u.int_in_range(0..=99u8)? {
            0..20 => {
                let (mem, width) = (self.pick(u)?, u.choose_index(LOADS.len())?);
                let (addr, offset) = self.access(u, mem)?;
                Op::Load { mem, width, addr, offset, align: align(u, LOADS[width].align)? }
            }
            20..38 => {
                let (mem, width) = (self.pick(u)?, u.choose_index(STORES.len())?);
                let (addr, offset) = self.access(u, mem)?;
                Op::Store { mem, width, addr, offset, align: align(u, STORES[width].align)?, value: u.arbitrary()? }
            }
            38..58 => {
                let src_mem = u.int_in_range(0..=self.memories.len() as u32 - 1)?;
                let dst_mem = if u.ratio(1, 6)? { src_mem } else { self.other(u, src_mem)? };
                let both64 = self.memories[dst_mem as usize].memory64 && self.memories[src_mem as usize].memory64;
                let len = if both64 {
                    bulk_len_among(u, [1 << 32, 1 << 48, u64::MAX])?
                } else {
                    bulk_len_among(u, [1 << 16, i32::MAX as u64, u32::MAX as u64])?
                };
                Op::Copy { dst_mem, src_mem, dst: self.bulk_addr(u, dst_mem)?, src: self.bulk_addr(u, src_mem)?, len }
            }
            58..68 if segments > 0 => {
                let (mem, segment) = (self.pick(u)?, u.int_in_range(0..=segments - 1)?);
                let (src, len) = init_range(u, segment_len(&self.active, &self.passive, segment))?;
                Op::Init { mem, segment, dst: self.bulk_addr(u, mem)?, src, len }
            }
            68..76 => {
                let mem = self.pick(u)?;
                let len = if self.memories[mem as usize].memory64 {
                    bulk_len_among(u, [1 << 32, 1 << 48, u64::MAX])?
                } else {
                    bulk_len_among(u, [1 << 16, i32::MAX as u64, u32::MAX as u64])?
                };
                Op::Fill { mem, dst: self.bulk_addr(u, mem)?, value: u.arbitrary()?, len }
            }
            76..88 => {
                let mem = self.pick(u)?;
                Op::Grow { mem, delta: self.grow_delta(u, mem)? }
            }
            88..95 => {
                let mem = self.pick(u)?;
                let delta = self.grow_delta(u, mem)?;
                Op::GrowThenLoad { mem, delta, load_mem: self.other(u, mem)?, at: u.int_in_range(-12..=4)? }
            }
            _ => Op::Sizes,
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
        let ty = |m: &Memory| MemoryType {
            minimum: m.initial,
            maximum: m.maximum,
            memory64: m.memory64,
            shared: false,
            page_size_log2: None,
        };
        if self.imported {
            let mut imports = ImportSection::new();
            imports.import("env", "memory", ty(&self.memories[0]));
            module.section(&imports);
        }
        let mut funcs = FunctionSection::new();
        for _ in &self.ops {
            funcs.function(0);
        }
        module.section(&funcs);
        let mut memories = MemorySection::new();
        for m in &self.memories[usize::from(self.imported)..] {
            memories.memory(ty(m));
        }
        module.section(&memories);
        let mut exports = ExportSection::new();
        exports.export("memory", ExportKind::Memory, 0);
        exports.export("memory1", ExportKind::Memory, 1);
        for (i, name) in self.names().iter().enumerate() {
            exports.export(name, ExportKind::Func, i as u32);
        }
        module.section(&exports);
        module.section(&DataCountSection { count: (self.active.len() + self.passive.len()) as u32 });
        let mut code = CodeSection::new();
        for op in &self.ops {
            let mut f = Function::new([]);
            op.emit(&mut f, self);
            code.function(&f);
        }
        module.section(&code);
        let mut data = DataSection::new();
        for ((m, offset), bytes) in &self.active {
            let offset = if self.memories[*m as usize].memory64 {
                ConstExpr::i64_const(*offset as i64)
            } else {
                ConstExpr::i32_const(*offset as i32)
            };
            data.active(*m, &offset, bytes.iter().copied());
        }
        for bytes in &self.passive {
            data.passive(bytes.iter().copied());
        }
        module.section(&data);
        module.finish()
    }
}

fn plan(u: &mut Unstructured, config: &EdgesConfig) -> arbitrary::Result<Plan> {
    let count = u.int_in_range(2..=3usize)?;
    let mixed = u.arbitrary::<bool>()?;
    let empty = if u.ratio(1, 3)? { Some(u.int_in_range(0..=count - 1)?) } else { None };
    let mut memories = Vec::new();
    for i in 0..count {
        let initial = if empty == Some(i) { 0 } else { u.int_in_range(0..=2u64)? };
        let maximum = if u.arbitrary()? { Some(initial + u.int_in_range(0..=2)?) } else { None };
        memories.push(Memory { initial, maximum, memory64: mixed && u.arbitrary()? });
    }
    if mixed && memories.iter().all(|m| !m.memory64) {
        let i = u.int_in_range(0..=count - 1)?;
        memories[i].memory64 = true;
    }
    let imported = !memories[0].memory64 && u.ratio(1, 5)?;
    let mut active = Vec::new();
    for (m, memory) in memories.iter().enumerate() {
        let len = memory.initial * PAGE;
        if len > 0 && u.arbitrary()? {
            let size = u.int_in_range(8..=32)?;
            active.push(((m as u32, 0), u.bytes(size)?.to_vec()));
        }
        if u.arbitrary()? {
            // Ends at most 16 bytes before the length; one in ten overruns it.
            let room = u.int_in_range(0..=16u64)?.min(len);
            let size = if u.ratio(1, 10)? { room + u.int_in_range(1..=8)? } else { u.int_in_range(0..=room)? };
            active.push(((m as u32, len - room), u.bytes(size as usize)?.to_vec()));
        }
    }
    let mut passive = Vec::new();
    for _ in 0..u.int_in_range(1..=2)? {
        let size = u.int_in_range(0..=16)?;
        passive.push(u.bytes(size)?.to_vec());
    }
    let mut plan = Plan { memories, imported, active, passive, ops: Vec::new() };
    for _ in 0..u.int_in_range(1..=config.max_functions.max(1))? {
        let next = plan.op(u)?;
        plan.ops.push(next);
    }
    Ok(plan)
}

/// A multi-memory boundary module from `u`, with its calls listed as [`super::edges::generate`]
/// lists them.
pub(super) fn generate(u: &mut Unstructured, config: &EdgesConfig) -> arbitrary::Result<TestCase> {
    let plan = plan(u, config)?;
    Ok(listed_case(u, config, &plan.names(), plan.encode()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::Rng;
    use crate::generators::case::memory_types;
    use crate::oracles::case::run_case;
    use crate::oracles::fleet::Fleet;
    use crate::oracles::{Observed, Verdict};
    use redzone_engine::TrapKind;
    use wasmparser::WasmFeatures;

    /// `n` multi-memory cases (every case of a config whose multi-memory share is 100%).
    fn cases(n: usize, seed: u64) -> Vec<TestCase> {
        let config = EdgesConfig { memory64_percent: 0, multi_memory_percent: 100, ..EdgesConfig::default() };
        let mut rng = Rng::new(seed);
        (0..n)
            .filter_map(|_| super::super::edges::generate(&mut Unstructured::new(&rng.bytes(512)), &config).ok())
            .collect()
    }

    fn validates_with(wasm: &[u8], features: WasmFeatures) -> bool {
        wasmparser::Validator::new_with_features(features).validate_all(wasm).is_ok()
    }

    #[test]
    fn modules_validate_only_with_multi_memory_and_take_their_share() {
        let all = cases(200, 31);
        assert!(all.len() >= 190, "almost every input makes a module ({})", all.len());
        let features = crate::generators::FEATURES;
        let (mut narrow, mut mixed) = (0, 0);
        for case in &all {
            assert!(validates_with(&case.wasm, features), "invalid multi-memory edges module");
            assert!(!validates_with(&case.wasm, features.difference(WasmFeatures::MULTI_MEMORY)));
            let memories = memory_types(&case.wasm);
            assert!((2..=3).contains(&memories.len()), "{memories:?}");
            let wide = memories.iter().filter(|m| m.memory64).count();
            narrow += usize::from(wide == 0);
            mixed += usize::from(wide > 0 && wide < memories.len());
            assert!(case.listed().iter().all(|c| c.export.contains(" mm ")));
        }
        assert!(narrow * 100 >= all.len() * 35, "about half have only 32-bit memories ({narrow}/{})", all.len());
        assert!(mixed * 100 >= all.len() * 20, "many mix 32- and 64-bit memories ({mixed}/{})", all.len());
        // The default share: a fifth of all edges cases.
        let mut rng = Rng::new(32);
        let (mut made, mut multi) = (0, 0);
        for _ in 0..400 {
            let config = EdgesConfig::default();
            let Ok(case) = super::super::edges::generate(&mut Unstructured::new(&rng.bytes(512)), &config) else {
                continue;
            };
            made += 1;
            multi += usize::from(memory_types(&case.wasm).len() > 1);
        }
        assert!(
            multi * 100 >= made * 12 && multi * 100 <= made * 28,
            "about a fifth are multi-memory ({multi}/{made})"
        );
    }

    #[test]
    fn every_cross_memory_operation_comes_up() {
        let all = cases(300, 33);
        let mut seen = std::collections::BTreeSet::new();
        for case in &all {
            let wide: Vec<bool> = memory_types(&case.wasm).iter().map(|m| m.memory64).collect();
            let bits = |m: &str| if wide[m.parse::<usize>().unwrap()] { 64 } else { 32 };
            for call in case.listed() {
                let name = &call.export;
                if let Some(rest) = name.split("memory.copy m").nth(1) {
                    let (dst, src) = rest.split_once("<-m").unwrap();
                    let src = &src[..1];
                    if dst != src {
                        seen.insert(format!("copy {}->{}", bits(src), bits(dst)));
                        if name.contains(&format!("dst=len{dst}")) || name.contains(&format!("src=len{src}")) {
                            seen.insert("copy across a length".into());
                        }
                    }
                }
                for what in ["memory.init", "memory.fill", "memory.grow", "store", "load"] {
                    if name.contains(&format!("{what} m1")) || name.contains(&format!("{what} m2")) {
                        seen.insert(format!("{what} on memory 1+"));
                    }
                }
                if name.contains("then i64.load") {
                    seen.insert("grow then access another".into());
                }
            }
        }
        for want in [
            "copy 32->32",
            "copy 32->64",
            "copy 64->32",
            "copy 64->64",
            "copy across a length",
            "memory.init on memory 1+",
            "memory.fill on memory 1+",
            "memory.grow on memory 1+",
            "store on memory 1+",
            "load on memory 1+",
            "grow then access another",
        ] {
            assert!(seen.contains(want), "never: {want} (seen {seen:?})");
        }
    }

    #[test]
    fn both_strategies_agree_and_sums_past_the_index_space_trap() {
        let (mut wraps, mut steps) = (0, 0);
        for case in cases(40, 34) {
            let mut fleet = Fleet::build(&["redzone:guard", "redzone:checked"], Some(1_000_000)).unwrap();
            let step = fleet.instantiate(&case.wasm);
            assert!(!step.verdict.is_divergence(), "instantiate: {:?}", step.verdict);
            if !fleet.instantiated() {
                continue;
            }
            for call in case.listed() {
                let step = fleet.call(&call.export, &[]);
                steps += 1;
                assert!(!step.verdict.is_divergence(), "{}: {:?}", call.export, step.verdict);
                let hex = |key: &str| {
                    let text = call.export.split(key).nth(1)?.split(' ').next()?;
                    u64::from_str_radix(text.strip_prefix("0x")?, 16).ok()
                };
                let (Some(offset), Some(addr)) = (hex("offset="), hex("addr=")) else { continue };
                let memory = call.export.split(" m").nth(2).and_then(|m| m[..1].parse::<usize>().ok()).unwrap();
                let top =
                    if memory_types(&case.wasm)[memory].memory64 { u128::from(u64::MAX) } else { u32::MAX.into() };
                if u128::from(offset) + u128::from(addr) > top {
                    wraps += 1;
                    let oob = Observed::Trapped { trap: TrapKind::MemoryOutOfBounds, instantiating: false };
                    assert_eq!(step.outcomes[0].observed, oob, "{}", call.export);
                }
            }
        }
        assert!(wraps > 0 && steps > 100, "{wraps} sums past the index space in {steps} steps");
    }

    #[test]
    fn wasmer_runs_the_32_bit_modules_and_refuses_the_mixed_ones() {
        let names = crate::engines::default_names();
        let all = cases(40, 35);
        let narrow = all.iter().find(|c| memory_types(&c.wasm).iter().all(|m| !m.memory64)).unwrap();
        let mixed = all.iter().find(|c| memory_types(&c.wasm).iter().any(|m| m.memory64)).unwrap();
        for (case, wasmer_runs) in [(narrow, true), (mixed, false)] {
            let run = run_case("edges multi-memory", case, Some(1_000_000), || Fleet::build(&names, Some(1_000_000)))
                .unwrap();
            assert_eq!(run.divergences(), 0, "{:#?}", run.steps);
            let wasmer = run.steps[0].outcomes.iter().find(|o| o.engine.starts_with("wasmer")).unwrap();
            let unsupported =
                matches!(&wasmer.observed, Observed::Unsupported { message } if message.contains("memory64"));
            assert_eq!(unsupported, !wasmer_runs, "{:?}", wasmer.observed);
            if !wasmer_runs {
                assert!(matches!(run.steps[0].verdict, Verdict::Inconclusive { .. }), "{:?}", run.steps[0].verdict);
            }
        }
    }
}
