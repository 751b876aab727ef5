//! The `edges` generator: redzone's own modules, encoded with wasm-encoder and driven by
//! `arbitrary`, whose every function does one thing at the memory boundary and returns a
//! value, so a wrong bounds check shows as a different result, a missing or extra trap, or
//! different bytes in memory.
//!
//! [`EdgesConfig::memory64_percent`] of the modules (a quarter by default) have a 64-bit
//! memory and aim at 64-bit boundaries instead (`edges64`: addresses and offsets near 2^32,
//! 2^48 and 2^64-1, `addr + offset` past 2^64, grows past 2^48 bytes, bulk operations with
//! i64 operands), and [`EdgesConfig::page_size_1_percent`] (a tenth) a 1-byte-page memory
//! whose length ends off a host page (`edges_pages`: accesses, grows by single bytes and
//! bulk operations across it); the rest are the 32-bit modules described here, in the same
//! shares as before.
//!
//! A module has one memory, exported as `memory`, of 0 to [`EdgesConfig::max_initial_pages`]
//! pages, with a declared maximum (up to four pages more) [`EdgesConfig::max_declared_percent`]
//! of the time; up to two active data segments ending at or near the initial length (one in
//! ten longer than the room left, so instantiation traps) and up to three passive segments;
//! and 1 to [`EdgesConfig::max_functions`] exported functions `() -> i64`, each one of:
//!
//! | weight | operation | returns |
//! | --- | --- | --- |
//! | 30 | a load of any width and type (14 kinds) | the loaded bits, as i64 |
//! | 20 | a store of any width and type (9 kinds) | the 8 bytes before the length, as i64 |
//! | 10 | `memory.grow` by 0-2 pages (or, with a maximum, past it or by 2^16 or -1) | its result |
//! | 10 | `memory.grow`, then an i64 load near the old or the new length | the loaded bits |
//! | 7 / 7 / 7 | `memory.fill` / `memory.copy` / `memory.init` | `memory.size` |
//! | 4 | `data.drop` | `memory.size` |
//! | 5 | `memory.size` | it |
//! | 25 | a `v128` load or store, any of the 22 memory instructions and any lane | the vector's two i64 halves folded, or the last 16 bytes folded |
//!
//! (Table operations take 35 more when the module has a table; the shares above are of
//! the 160 of a module with one.)
//!
//! Loads and stores address memory in one of five ways ([`EdgesConfig::wrap_percent`] and the
//! rest in fixed shares):
//! - *wrap* (25% by default): a static offset and an address whose 32-bit sum wraps into the
//!   first 32 bytes (an address just under 2^32 with a small offset, or a small address with an
//!   offset just under 2^32). The effective address is over 4 GiB and must trap; an engine that
//!   adds in 32 bits reads or writes the start of memory instead;
//! - *near the end* (30%): `len + d` for `d` in `-8..=8` (computed from `memory.size` when the
//!   function runs, so it follows grows), offset 0 to 8: loads and stores that fit, end exactly
//!   at `len`, straddle it, or start past it;
//! - *big offset* (20%): offsets near 2^16, 2^31 and 2^32-1 with small addresses, addresses
//!   near the end or near 2^32;
//! - *constant address* (15%): near 0, 2^16, 2^31 and 2^32, offset 0 to 8;
//! - *random* (10%): any address and offset.
//!
//! `v128` accesses take the same modes, and half the time an address at `len + d` for `d`
//! in `-16..=16` with offset 0 to 16: 16-byte accesses that fit, end exactly at `len`,
//! straddle it by 1 to 15 bytes, or start past it, and lane accesses of every width there.
//!
//! Bulk operations take destinations and sources the same ways and lengths among 0, 1, a few
//! bytes, 2^16, 2^31-1 and 2^32-1, so zero-length operations at exactly `len`, ranges that
//! cross `len` and ranges whose end overflows 32 bits all come up. `memory.init` and
//! `data.drop` name any segment, active ones included (dropped once instantiated).
//!
//! Calls: every function once in order, then up to [`EdgesConfig::max_extra_calls`] more
//! picked at random, so accesses run before and after grows.
//!
//! [`EdgesConfig::multi_memory_percent`] of the modules have two or three memories of either
//! index type instead (`edges_multi`): accesses to memories 1 and 2 at their ends, copies
//! between memories across either one's length, inits and fills of memories 1 and 2, and grows
//! of one memory interleaved with accesses to the others.

use super::case::{Call, Calls, GeneratorKind, TestCase};
use arbitrary::Unstructured;
use std::borrow::Cow;
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, DataCountSection, DataSection, ElementSection, Elements, ExportKind,
    ExportSection, Function, FunctionSection, HeapType, ImportSection, Instruction as I, MemArg, MemArgTarget,
    MemorySection, MemoryType, Module, RefType, TableSection, TableType, TypeSection, ValType,
};

/// Settings of the `edges` generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgesConfig {
    /// Largest initial memory, in pages (the initial size is drawn from `0..=` this).
    /// Defaults to 4.
    pub max_initial_pages: u32,
    /// Percentage of modules whose memory declares a maximum. Defaults to 50.
    pub max_declared_percent: u32,
    /// Most functions per module. Defaults to 8.
    pub max_functions: usize,
    /// Most calls after each function's first. Defaults to 8.
    pub max_extra_calls: usize,
    /// Percentage of loads and stores whose address and static offset wrap past 2^32 into
    /// the first bytes of memory. Defaults to 25.
    pub wrap_percent: u32,
    /// Percentage of modules with a memory64 memory and 64-bit boundary operations
    /// (`edges64`); wasmer 7.4.2, which runs without memory64, finds them unsupported
    /// (inconclusive). Defaults to 25.
    pub memory64_percent: u32,
    /// Percentage of modules with a 1-byte-page memory (custom-page-sizes) whose length ends
    /// off a host page, and accesses, grows and bulk operations across it (`edges_pages`);
    /// wasmer 7.4.2, which has no custom page sizes, finds them unsupported (inconclusive).
    /// Defaults to 10.
    pub page_size_1_percent: u32,
    /// Percentage of modules with two or three memories, 32- or 64-bit, and operations on
    /// memories 1 and 2 and between memories (`edges_multi`); taken from the same roll after
    /// [`Self::memory64_percent`] and before [`Self::page_size_1_percent`], so the three
    /// together are at most 100. Defaults to 20.
    pub multi_memory_percent: u32,
}

impl Default for EdgesConfig {
    fn default() -> Self {
        EdgesConfig {
            max_initial_pages: 4,
            max_declared_percent: 50,
            max_functions: 8,
            max_extra_calls: 8,
            wrap_percent: 25,
            memory64_percent: 25,
            page_size_1_percent: 10,
            multi_memory_percent: 20,
        }
    }
}

const PAGE: i64 = 65536;

/// A dynamic address operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Addr {
    /// The memory's length when the function runs, plus this.
    Len(i32),
    /// A constant.
    Const(u32),
}

impl Addr {
    fn emit(self, f: &mut Function) {
        match self {
            Addr::Len(delta) => push_len_plus(f, delta.into(), false),
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

/// Pushes memory 0's length in bytes plus `delta`: an i32, or an i64 for a 64-bit memory.
pub(super) fn push_len_plus(f: &mut Function, delta: i64, memory64: bool) {
    f.instruction(&I::MemorySize(0));
    if memory64 {
        f.instruction(&I::I64Const(16));
        f.instruction(&I::I64Shl);
        f.instruction(&I::I64Const(delta));
        f.instruction(&I::I64Add);
    } else {
        f.instruction(&I::I32Const(16));
        f.instruction(&I::I32Shl);
        f.instruction(&I::I32Const(delta as i32));
        f.instruction(&I::I32Add);
    }
}

/// An address as export names show it: `len`, `len-3` (`Ok`, relative to the length) or a
/// hex constant (`Err`).
pub(super) fn describe_addr(addr: Result<i64, u64>) -> String {
    match addr {
        Ok(0) => "len".into(),
        Ok(d) => format!("len{d:+}"),
        Err(a) => format!("{a:#x}"),
    }
}

/// Pushes `value` as a constant of `ty` (floats by their bits), for a store of that type.
pub(super) fn push_store_value(f: &mut Function, ty: ValType, value: u64) {
    match ty {
        ValType::I32 => f.instruction(&I::I32Const(value as i32)),
        ValType::I64 => f.instruction(&I::I64Const(value as i64)),
        ValType::F32 => f.instruction(&I::I32Const(value as i32)).instruction(&I::F32ReinterpretI32),
        _ => f.instruction(&I::I64Const(value as i64)).instruction(&I::F64ReinterpretI64),
    };
}

/// Pushes the 8 bytes before the end of memory 0 as an i64 (a store that trapped straddling
/// the end must not have written them), or -1 in a memory smaller than 8 bytes.
pub(super) fn push_last_8_bytes(f: &mut Function, memory64: bool) {
    f.instruction(&I::MemorySize(0));
    f.instruction(if memory64 { &I::I64Eqz } else { &I::I32Eqz });
    f.instruction(&I::If(BlockType::Result(ValType::I64)));
    f.instruction(&I::I64Const(-1));
    f.instruction(&I::Else);
    push_len_plus(f, -8, memory64);
    f.instruction(&I::I64Load(MemArg { offset: 0, align: 0, target: MemArgTarget::Memory(0), ordering: None }));
    f.instruction(&I::End);
}

/// The length of data segment `segment` (active ones first, then passive), 0 if none.
pub(super) fn segment_len<T>(active: &[(T, Vec<u8>)], passive: &[Vec<u8>], segment: u32) -> u32 {
    let i = segment as usize;
    let bytes = active.get(i).map(|(_, b)| b).or_else(|| passive.get(i - active.len().min(i)));
    bytes.map_or(0, |b| b.len() as u32)
}

/// Loads: name, natural alignment (log2), and how the result becomes an i64.
#[derive(Debug, Clone, Copy)]
pub(super) struct Width {
    pub(super) name: &'static str,
    pub(super) align: u32,
    /// Value type on the stack after a load / before a store.
    pub(super) ty: ValType,
}

pub(super) const LOADS: &[Width] = &[
    Width { name: "i32.load", align: 2, ty: ValType::I32 },
    Width { name: "i32.load8_s", align: 0, ty: ValType::I32 },
    Width { name: "i32.load8_u", align: 0, ty: ValType::I32 },
    Width { name: "i32.load16_s", align: 1, ty: ValType::I32 },
    Width { name: "i32.load16_u", align: 1, ty: ValType::I32 },
    Width { name: "i64.load", align: 3, ty: ValType::I64 },
    Width { name: "i64.load8_s", align: 0, ty: ValType::I64 },
    Width { name: "i64.load8_u", align: 0, ty: ValType::I64 },
    Width { name: "i64.load16_s", align: 1, ty: ValType::I64 },
    Width { name: "i64.load16_u", align: 1, ty: ValType::I64 },
    Width { name: "i64.load32_s", align: 2, ty: ValType::I64 },
    Width { name: "i64.load32_u", align: 2, ty: ValType::I64 },
    Width { name: "f32.load", align: 2, ty: ValType::F32 },
    Width { name: "f64.load", align: 3, ty: ValType::F64 },
];

pub(super) const STORES: &[Width] = &[
    Width { name: "i32.store", align: 2, ty: ValType::I32 },
    Width { name: "i32.store8", align: 0, ty: ValType::I32 },
    Width { name: "i32.store16", align: 1, ty: ValType::I32 },
    Width { name: "i64.store", align: 3, ty: ValType::I64 },
    Width { name: "i64.store8", align: 0, ty: ValType::I64 },
    Width { name: "i64.store16", align: 1, ty: ValType::I64 },
    Width { name: "i64.store32", align: 2, ty: ValType::I64 },
    Width { name: "f32.store", align: 2, ty: ValType::F32 },
    Width { name: "f64.store", align: 3, ty: ValType::F64 },
];

pub(super) fn load_instr(name: &str, m: MemArg) -> I<'static> {
    match name {
        "i32.load" => I::I32Load(m),
        "i32.load8_s" => I::I32Load8S(m),
        "i32.load8_u" => I::I32Load8U(m),
        "i32.load16_s" => I::I32Load16S(m),
        "i32.load16_u" => I::I32Load16U(m),
        "i64.load" => I::I64Load(m),
        "i64.load8_s" => I::I64Load8S(m),
        "i64.load8_u" => I::I64Load8U(m),
        "i64.load16_s" => I::I64Load16S(m),
        "i64.load16_u" => I::I64Load16U(m),
        "i64.load32_s" => I::I64Load32S(m),
        "i64.load32_u" => I::I64Load32U(m),
        "f32.load" => I::F32Load(m),
        _ => I::F64Load(m),
    }
}

pub(super) fn store_instr(name: &str, m: MemArg) -> I<'static> {
    match name {
        "i32.store" => I::I32Store(m),
        "i32.store8" => I::I32Store8(m),
        "i32.store16" => I::I32Store16(m),
        "i64.store" => I::I64Store(m),
        "i64.store8" => I::I64Store8(m),
        "i64.store16" => I::I64Store16(m),
        "i64.store32" => I::I64Store32(m),
        "f32.store" => I::F32Store(m),
        _ => I::F64Store(m),
    }
}

/// A `v128` memory instruction: natural alignment (log2, the access is `1 << align` bytes),
/// number of lanes for the lane accesses (0 for the others), and whether it stores.
#[derive(Debug, Clone, Copy)]
struct V128Access {
    name: &'static str,
    align: u32,
    lanes: u8,
    store: bool,
}

const fn v128(name: &'static str, align: u32, lanes: u8, store: bool) -> V128Access {
    V128Access { name, align, lanes, store }
}

const V128_ACCESSES: &[V128Access] = &[
    v128("v128.load", 4, 0, false),
    v128("v128.load8x8_s", 3, 0, false),
    v128("v128.load8x8_u", 3, 0, false),
    v128("v128.load16x4_s", 3, 0, false),
    v128("v128.load16x4_u", 3, 0, false),
    v128("v128.load32x2_s", 3, 0, false),
    v128("v128.load32x2_u", 3, 0, false),
    v128("v128.load8_splat", 0, 0, false),
    v128("v128.load16_splat", 1, 0, false),
    v128("v128.load32_splat", 2, 0, false),
    v128("v128.load64_splat", 3, 0, false),
    v128("v128.load32_zero", 2, 0, false),
    v128("v128.load64_zero", 3, 0, false),
    v128("v128.load8_lane", 0, 16, false),
    v128("v128.load16_lane", 1, 8, false),
    v128("v128.load32_lane", 2, 4, false),
    v128("v128.load64_lane", 3, 2, false),
    v128("v128.store", 4, 0, true),
    v128("v128.store8_lane", 0, 16, true),
    v128("v128.store16_lane", 1, 8, true),
    v128("v128.store32_lane", 2, 4, true),
    v128("v128.store64_lane", 3, 2, true),
];

fn v128_instr(name: &str, m: MemArg, lane: u8) -> I<'static> {
    match name {
        "v128.load" => I::V128Load(m),
        "v128.load8x8_s" => I::V128Load8x8S(m),
        "v128.load8x8_u" => I::V128Load8x8U(m),
        "v128.load16x4_s" => I::V128Load16x4S(m),
        "v128.load16x4_u" => I::V128Load16x4U(m),
        "v128.load32x2_s" => I::V128Load32x2S(m),
        "v128.load32x2_u" => I::V128Load32x2U(m),
        "v128.load8_splat" => I::V128Load8Splat(m),
        "v128.load16_splat" => I::V128Load16Splat(m),
        "v128.load32_splat" => I::V128Load32Splat(m),
        "v128.load64_splat" => I::V128Load64Splat(m),
        "v128.load32_zero" => I::V128Load32Zero(m),
        "v128.load64_zero" => I::V128Load64Zero(m),
        "v128.load8_lane" => I::V128Load8Lane { memarg: m, lane },
        "v128.load16_lane" => I::V128Load16Lane { memarg: m, lane },
        "v128.load32_lane" => I::V128Load32Lane { memarg: m, lane },
        "v128.load64_lane" => I::V128Load64Lane { memarg: m, lane },
        "v128.store" => I::V128Store(m),
        "v128.store8_lane" => I::V128Store8Lane { memarg: m, lane },
        "v128.store16_lane" => I::V128Store16Lane { memarg: m, lane },
        "v128.store32_lane" => I::V128Store32Lane { memarg: m, lane },
        _ => I::V128Store64Lane { memarg: m, lane },
    }
}

/// Local 1 of a function doing a `v128` access: where the vector is folded.
const V128_LOCAL: u32 = 1;

/// Folds the `v128` on the stack into an i64: its low half xor its high half rotated by one
/// (every bit of both halves counts).
fn fold_v128(f: &mut Function) {
    f.instruction(&I::LocalTee(V128_LOCAL));
    f.instruction(&I::I64x2ExtractLane(0));
    f.instruction(&I::LocalGet(V128_LOCAL));
    f.instruction(&I::I64x2ExtractLane(1));
    f.instruction(&I::I64Const(1));
    f.instruction(&I::I64Rotl);
    f.instruction(&I::I64Xor);
}

/// Turns the value of type `ty` on the stack into its exact bits as an i64 (floats are
/// reinterpreted, never converted, so NaN payloads survive).
pub(super) fn to_i64(f: &mut Function, ty: ValType) {
    match ty {
        ValType::I32 => {
            f.instruction(&I::I64ExtendI32U);
        }
        ValType::F32 => {
            f.instruction(&I::I32ReinterpretF32);
            f.instruction(&I::I64ExtendI32U);
        }
        ValType::F64 => {
            f.instruction(&I::I64ReinterpretF64);
        }
        _ => {}
    }
}

/// One function's operation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Load {
        width: usize,
        addr: Addr,
        offset: u32,
        align: u32,
    },
    Store {
        width: usize,
        addr: Addr,
        offset: u32,
        align: u32,
        value: u64,
    },
    /// A `v128` memory instruction ([`V128_ACCESSES`]); lane accesses take `lane`, and
    /// stores and lane loads `value` (the stored vector, or the one whose lane is replaced).
    V128 {
        access: usize,
        addr: Addr,
        offset: u32,
        align: u32,
        lane: u8,
        value: u128,
    },
    Grow {
        delta: u32,
    },
    GrowThenLoad {
        delta: u32,
        new_end: bool,
        at: i32,
    },
    Fill {
        dst: Addr,
        value: u8,
        len: u32,
    },
    Copy {
        dst: Addr,
        src: Addr,
        len: u32,
    },
    Init {
        segment: u32,
        dst: Addr,
        src: u32,
        len: u32,
    },
    Drop {
        segment: u32,
    },
    /// `data.drop` then `memory.init` of the same segment: a dropped segment re-used.
    Reuse {
        segment: u32,
        dst: Addr,
        src: u32,
        len: u32,
    },
    Size,
    /// `ref.is_null (table.get at)`.
    TableGet {
        at: TIdx,
    },
    /// `table.set at (ref.func f | ref.null)`, then `table.size`.
    TableSet {
        at: TIdx,
        func: Option<u32>,
    },
    /// `table.grow` by `delta` with `(ref.func f | ref.null)`; its result.
    TableGrow {
        delta: u32,
        func: Option<u32>,
    },
    /// `table.fill`, then `table.size`.
    TableFill {
        dst: TIdx,
        func: Option<u32>,
        len: u32,
    },
    /// `table.copy` within the table, then `table.size`.
    TableCopy {
        dst: TIdx,
        src: TIdx,
        len: u32,
    },
    /// `table.init` (after `elem.drop` of the same segment when `dropped`), then `table.size`.
    TableInit {
        segment: u32,
        dst: TIdx,
        src: u32,
        len: u32,
        dropped: bool,
    },
}

/// A table index operand: the table's size when the function runs, plus this, or a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TIdx {
    Size(i32),
    Const(u32),
}

impl TIdx {
    fn emit(self, f: &mut Function) {
        match self {
            TIdx::Size(d) => {
                f.instruction(&I::TableSize(0));
                f.instruction(&I::I32Const(d));
                f.instruction(&I::I32Add);
            }
            TIdx::Const(c) => {
                f.instruction(&I::I32Const(c as i32));
            }
        }
    }

    fn describe(self) -> String {
        match self {
            TIdx::Size(0) => "size".into(),
            TIdx::Size(d) => format!("size{d:+}"),
            TIdx::Const(c) => format!("{c}"),
        }
    }
}

/// Pushes `ref.func f` or `ref.null func`.
fn func_ref(f: &mut Function, func: Option<u32>) {
    match func {
        Some(i) => f.instruction(&I::RefFunc(i)),
        None => f.instruction(&I::RefNull(HeapType::FUNC)),
    };
}

fn table_size(f: &mut Function) {
    f.instruction(&I::TableSize(0));
    f.instruction(&I::I64ExtendI32U);
}

impl Op {
    fn describe(&self) -> String {
        let at = |addr: Addr, offset: u32| format!("offset={offset:#x} addr={}", addr.describe());
        match self {
            Op::Load { width, addr, offset, .. } => format!("{} {}", LOADS[*width].name, at(*addr, *offset)),
            Op::Store { width, addr, offset, .. } => format!("{} {}", STORES[*width].name, at(*addr, *offset)),
            Op::V128 { access, addr, offset, lane, .. } => {
                let a = V128_ACCESSES[*access];
                let lane = if a.lanes > 0 { format!(" lane={lane}") } else { String::new() };
                format!("{}{lane} {}", a.name, at(*addr, *offset))
            }
            Op::Grow { delta } => format!("memory.grow {}", *delta as i32),
            Op::GrowThenLoad { delta, new_end, at } => {
                format!(
                    "memory.grow {} then i64.load at {}{at:+}",
                    *delta as i32,
                    if *new_end { "new len" } else { "old len" }
                )
            }
            Op::Fill { dst, len, .. } => format!("memory.fill dst={} len={len:#x}", dst.describe()),
            Op::Copy { dst, src, len } => {
                format!("memory.copy dst={} src={} len={len:#x}", dst.describe(), src.describe())
            }
            Op::Init { segment, dst, src, len } => {
                format!("memory.init {segment} dst={} src={src:#x} len={len:#x}", dst.describe())
            }
            Op::Drop { segment } => format!("data.drop {segment}"),
            Op::Reuse { segment, dst, src, len } => {
                format!("data.drop {segment} then memory.init dst={} src={src:#x} len={len:#x}", dst.describe())
            }
            Op::Size => "memory.size".into(),
            Op::TableGet { at } => format!("table.get {}", at.describe()),
            Op::TableSet { at, func } => format!("table.set {} {func:?}", at.describe()),
            Op::TableGrow { delta, func } => format!("table.grow {} {func:?}", *delta as i32),
            Op::TableFill { dst, func, len } => format!("table.fill dst={} {func:?} len={len:#x}", dst.describe()),
            Op::TableCopy { dst, src, len } => {
                format!("table.copy dst={} src={} len={len:#x}", dst.describe(), src.describe())
            }
            Op::TableInit { segment, dst, src, len, dropped } => format!(
                "{}table.init {segment} dst={} src={src} len={len:#x}",
                if *dropped { format!("elem.drop {segment} then ") } else { String::new() },
                dst.describe()
            ),
        }
    }

    fn emit(&self, f: &mut Function) {
        self.emit_body(f);
        f.instruction(&I::End);
    }

    /// The operation's instructions, without the function's `end`.
    fn emit_body(&self, f: &mut Function) {
        let memarg = |offset: u32, align: u32| MemArg {
            offset: offset as u64,
            align,
            target: MemArgTarget::Memory(0),
            ordering: None,
        };
        match *self {
            Op::Load { width, addr, offset, align } => {
                let w = LOADS[width];
                addr.emit(f);
                f.instruction(&load_instr(w.name, memarg(offset, align)));
                to_i64(f, w.ty);
            }
            Op::Store { width, addr, offset, align, value } => {
                let w = STORES[width];
                addr.emit(f);
                push_store_value(f, w.ty, value);
                f.instruction(&store_instr(w.name, memarg(offset, align)));
                push_last_8_bytes(f, false);
            }
            Op::V128 { access, addr, offset, align, lane, value } => {
                let a = V128_ACCESSES[access];
                addr.emit(f);
                if a.store || a.lanes > 0 {
                    f.instruction(&I::V128Const(value as i128));
                }
                f.instruction(&v128_instr(a.name, memarg(offset, align), lane));
                if !a.store {
                    fold_v128(f);
                    return;
                }
                // The last 16 bytes, folded (a straddling store must not have written any of
                // them when it trapped), or -1 in a memory smaller than 16 bytes.
                f.instruction(&I::MemorySize(0));
                f.instruction(&I::I32Eqz);
                f.instruction(&I::If(BlockType::Result(ValType::I64)));
                f.instruction(&I::I64Const(-1));
                f.instruction(&I::Else);
                Addr::Len(-16).emit(f);
                f.instruction(&I::V128Load(memarg(0, 0)));
                fold_v128(f);
                f.instruction(&I::End);
            }
            Op::Grow { delta } => {
                f.instruction(&I::I32Const(delta as i32));
                f.instruction(&I::MemoryGrow(0));
                f.instruction(&I::I64ExtendI32S);
            }
            Op::GrowThenLoad { delta, new_end, at } => {
                f.instruction(&I::I32Const(delta as i32));
                f.instruction(&I::MemoryGrow(0));
                f.instruction(&I::LocalSet(0));
                if new_end {
                    f.instruction(&I::MemorySize(0));
                } else {
                    // A failed grow gives -1: its "old length" is 0xffff0000, out of bounds.
                    f.instruction(&I::LocalGet(0));
                }
                f.instruction(&I::I32Const(16));
                f.instruction(&I::I32Shl);
                f.instruction(&I::I32Const(at));
                f.instruction(&I::I32Add);
                f.instruction(&I::I64Load(memarg(0, 0)));
            }
            Op::Fill { dst, value, len } => {
                emit_bulk(f, Bulk::Fill { value }, |f| dst.emit(f), |_| {}, len.into(), false)
            }
            Op::Copy { dst, src, len } => emit_bulk(f, Bulk::Copy, |f| dst.emit(f), |f| src.emit(f), len.into(), false),
            Op::Init { segment, dst, src, len } => {
                emit_bulk(f, Bulk::Init { segment, src }, |f| dst.emit(f), |_| {}, len.into(), false)
            }
            Op::Drop { segment } => {
                f.instruction(&I::DataDrop(segment));
                size(f);
            }
            Op::Reuse { segment, dst, src, len } => {
                f.instruction(&I::DataDrop(segment));
                Op::Init { segment, dst, src, len }.emit_body(f);
            }
            Op::Size => size(f),
            Op::TableGet { at } => {
                at.emit(f);
                f.instruction(&I::TableGet(0));
                f.instruction(&I::RefIsNull);
                f.instruction(&I::I64ExtendI32U);
            }
            Op::TableSet { at, func } => {
                at.emit(f);
                func_ref(f, func);
                f.instruction(&I::TableSet(0));
                table_size(f);
            }
            Op::TableGrow { delta, func } => {
                func_ref(f, func);
                f.instruction(&I::I32Const(delta as i32));
                f.instruction(&I::TableGrow(0));
                f.instruction(&I::I64ExtendI32S);
            }
            Op::TableFill { dst, func, len } => {
                dst.emit(f);
                func_ref(f, func);
                f.instruction(&I::I32Const(len as i32));
                f.instruction(&I::TableFill(0));
                table_size(f);
            }
            Op::TableCopy { dst, src, len } => {
                dst.emit(f);
                src.emit(f);
                f.instruction(&I::I32Const(len as i32));
                f.instruction(&I::TableCopy { src_table: 0, dst_table: 0 });
                table_size(f);
            }
            Op::TableInit { segment, dst, src, len, dropped } => {
                if dropped {
                    f.instruction(&I::ElemDrop(segment));
                }
                dst.emit(f);
                f.instruction(&I::I32Const(src as i32));
                f.instruction(&I::I32Const(len as i32));
                f.instruction(&I::TableInit { elem_index: segment, table: 0 });
                table_size(f);
            }
        }
    }
}

fn size(f: &mut Function) {
    push_size(f, false);
}

/// Pushes `memory.size` as the function's i64 result.
pub(super) fn push_size(f: &mut Function, memory64: bool) {
    f.instruction(&I::MemorySize(0));
    if !memory64 {
        f.instruction(&I::I64ExtendI32U);
    }
}

/// A bulk memory operation on memory 0, its operands apart from the addresses and length.
#[derive(Debug, Clone, Copy)]
pub(super) enum Bulk {
    /// `memory.fill` with this byte.
    Fill { value: u8 },
    /// `memory.copy` within memory 0.
    Copy,
    /// `memory.init` from this data segment, starting at `src` in it.
    Init { segment: u32, src: u32 },
}

/// Emits `op` (the destination pushed by `dst`, a copy's source by `src`, then `len` as the
/// memory's index type, or as an i32 for `memory.init`), then `memory.size` as an i64.
pub(super) fn emit_bulk(
    f: &mut Function,
    op: Bulk,
    dst: impl FnOnce(&mut Function),
    src: impl FnOnce(&mut Function),
    len: u64,
    memory64: bool,
) {
    dst(f);
    let index = |f: &mut Function, v: u64| {
        f.instruction(&if memory64 { I::I64Const(v as i64) } else { I::I32Const(v as i32) });
    };
    match op {
        Bulk::Fill { value } => {
            f.instruction(&I::I32Const(value.into()));
            index(f, len);
            f.instruction(&I::MemoryFill(0));
        }
        Bulk::Copy => {
            src(f);
            index(f, len);
            f.instruction(&I::MemoryCopy { src_mem: 0, dst_mem: 0 });
        }
        Bulk::Init { segment, src } => {
            f.instruction(&I::I32Const(src as i32));
            f.instruction(&I::I32Const(len as i32));
            f.instruction(&I::MemoryInit { mem: 0, data_index: segment });
        }
    }
    push_size(f, memory64);
}

/// A value within `spread` of `base`, clamped to u32.
fn near(u: &mut Unstructured, base: i64, spread: i64) -> arbitrary::Result<u32> {
    Ok((base + u.int_in_range(-spread..=spread)?).clamp(0, u32::MAX as i64) as u32)
}

/// An address and static offset for a load or store (the modes of the module docs).
fn address(u: &mut Unstructured, config: &EdgesConfig) -> arbitrary::Result<(Addr, u32)> {
    let roll = u.int_in_range(0..=99u32)?;
    let wrap = config.wrap_percent.min(100);
    if roll < wrap {
        // The 32-bit sum lands on a target in the first 32 bytes; the true sum is 2^32 more.
        let target = u.int_in_range(0..=31u32)?;
        let offset =
            if u.arbitrary()? { u.int_in_range(target + 1..=64)? } else { u32::MAX - u.int_in_range(0..=63u32)? };
        return Ok((Addr::Const(target.wrapping_sub(offset)), offset));
    }
    // The remaining modes share the rest: near the end 30, big offset 20, constant 15, random 10.
    let rest = (roll - wrap) * 75 / (100 - wrap).max(1);
    Ok(match rest {
        0..30 => (Addr::Len(u.int_in_range(-8..=8)?), if u.ratio(2, 3)? { 0 } else { u.int_in_range(0..=8)? }),
        30..50 => {
            let base = *u.choose(&[1 << 16, 1 << 31, u32::MAX as i64])?;
            let offset = near(u, base, 8)?;
            let addr = match u.int_in_range(0..=2u8)? {
                0 => Addr::Const(u.int_in_range(0..=16)?),
                1 => Addr::Len(u.int_in_range(-8..=8)?),
                _ => Addr::Const(near(u, 1 << 32, 16)?),
            };
            (addr, offset)
        }
        50..65 => {
            let base = *u.choose(&[0, 1 << 16, 1 << 31, 1 << 32])?;
            (Addr::Const(near(u, base, 8)?), u.int_in_range(0..=8)?)
        }
        _ => (Addr::Const(u.arbitrary()?), u.arbitrary()?),
    })
}

/// A `v128` access: any of the instructions and lanes, half the time at `len-16 ..= len+16`.
fn v128_op(u: &mut Unstructured, config: &EdgesConfig) -> arbitrary::Result<Op> {
    let access = u.choose_index(V128_ACCESSES.len())?;
    let a = V128_ACCESSES[access];
    let (addr, offset) = if u.arbitrary()? {
        (Addr::Len(u.int_in_range(-16..=16)?), if u.ratio(2, 3)? { 0 } else { u.int_in_range(0..=16)? })
    } else {
        address(u, config)?
    };
    let lane = if a.lanes > 0 { u.int_in_range(0..=a.lanes - 1)? } else { 0 };
    Ok(Op::V128 { access, addr, offset, align: u.int_in_range(0..=a.align)?, lane, value: u.arbitrary()? })
}

/// A bulk operation's address: near the end, small, near 2^32, or random.
fn bulk_addr(u: &mut Unstructured) -> arbitrary::Result<Addr> {
    Ok(match u.int_in_range(0..=9u8)? {
        0..=5 => Addr::Len(u.int_in_range(-16..=4)?),
        6 | 7 => Addr::Const(u.int_in_range(0..=64)?),
        8 => Addr::Const(near(u, 1 << 32, 16)?),
        _ => Addr::Const(u.arbitrary()?),
    })
}

/// A 32-bit bulk length: [`bulk_len_among`] with 64 KiB, 2^31-1 and 2^32-1 as the big ones.
pub(super) fn bulk_len(u: &mut Unstructured) -> arbitrary::Result<u32> {
    Ok(bulk_len_among(u, [1 << 16, i32::MAX as u64, u32::MAX as u64])? as u32)
}

/// A bulk length: 0 (three in ten), 1 to 17 bytes (four in ten), or one of `big` (one in ten
/// each).
pub(super) fn bulk_len_among(u: &mut Unstructured, big: [u64; 3]) -> arbitrary::Result<u64> {
    Ok(match u.int_in_range(0..=9u8)? {
        0..=2 => 0,
        3..=6 => u.int_in_range(1..=17)?,
        7 => big[0],
        8 => big[1],
        _ => big[2],
    })
}

/// `memory.copy` operands: in two of five, overlapping ranges a few bytes apart near the
/// start or the end of memory (both directions, where a copy must behave like `memmove`);
/// otherwise independent bulk addresses and lengths.
fn copy(u: &mut Unstructured) -> arbitrary::Result<Op> {
    if u.ratio(1, 2)? {
        let len = u.int_in_range(2..=16)?;
        let (base, shift) = (u.int_in_range(0..=8)?, u.int_in_range(1..=len - 1)?);
        let (a, b) = if u.arbitrary()? { (base + shift, base) } else { (base, base + shift) };
        let at = |k: i32, end: bool| if end { Addr::Len(k - 24) } else { Addr::Const(k as u32) };
        let end = u.arbitrary()?;
        return Ok(Op::Copy { dst: at(a, end), src: at(b, end), len: len as u32 });
    }
    Ok(Op::Copy { dst: bulk_addr(u)?, src: bulk_addr(u)?, len: bulk_len(u)? })
}

/// `memory.init` operands for segment `segment` of `len` bytes: half the time a source range
/// inside the segment (so the copy happens unless the segment was dropped), else any.
pub(super) fn init_range(u: &mut Unstructured, seg_len: u32) -> arbitrary::Result<(u32, u32)> {
    if seg_len > 0 && u.arbitrary()? {
        let src = u.int_in_range(0..=seg_len - 1)?;
        return Ok((src, u.int_in_range(1..=seg_len - src)?));
    }
    Ok((u.int_in_range(0..=20)?, bulk_len(u)?))
}

/// A table index: near the table's size when the function runs (most), or a small constant.
fn table_index(u: &mut Unstructured) -> arbitrary::Result<TIdx> {
    Ok(if u.ratio(3, 4)? { TIdx::Size(u.int_in_range(-4..=1)?) } else { TIdx::Const(u.int_in_range(0..=6)?) })
}

/// The module's funcref table, when it has one.
struct TablePlan {
    initial: u32,
    maximum: Option<u32>,
    /// Imported as `env.table` (the host provides it) rather than defined.
    imported: bool,
    /// Active element segments: offset and function indices.
    active: Vec<(u32, Vec<u32>)>,
    /// Passive element segments: function indices.
    passive: Vec<Vec<u32>>,
}

/// The module being generated.
struct Plan {
    initial: u32,
    maximum: Option<u32>,
    /// Memory imported as `env.memory` (the host provides it, so what instantiation wrote
    /// before a trap stays observable) rather than defined.
    memory_imported: bool,
    active: Vec<(u32, Vec<u8>)>,
    passive: Vec<Vec<u8>>,
    table: Option<TablePlan>,
    /// Functions the module will have (element segments refer to them).
    functions: u32,
    ops: Vec<Op>,
}

impl Plan {
    fn segment_len(&self, segment: u32) -> u32 {
        segment_len(&self.active, &self.passive, segment)
    }
}

/// A function reference for a table operation: one of the module's functions, or null.
fn some_func(u: &mut Unstructured, functions: u32) -> arbitrary::Result<Option<u32>> {
    Ok(if u.ratio(2, 3)? { Some(u.int_in_range(0..=functions.max(1) - 1)?) } else { None })
}

/// A table operation at the table's boundary.
fn table_op(u: &mut Unstructured, plan: &Plan, table: &TablePlan) -> arbitrary::Result<Op> {
    let n = plan.functions;
    let elems = (table.active.len() + table.passive.len()) as u32;
    Ok(match u.int_in_range(0..=9u8)? {
        0 => Op::TableGet { at: table_index(u)? },
        1 => Op::TableSet { at: table_index(u)?, func: some_func(u, n)? },
        2 => {
            let delta = match table.maximum {
                Some(max) if u.ratio(1, 2)? => *u.choose(&[max - table.initial + 1, max - table.initial, 1 << 20])?,
                _ => u.int_in_range(0..=2)?,
            };
            Op::TableGrow { delta, func: some_func(u, n)? }
        }
        3 => {
            Op::TableFill { dst: table_index(u)?, func: some_func(u, n)?, len: *u.choose(&[0, 0, 1, 2, 3, u32::MAX])? }
        }
        4..=6 => {
            // Overlapping ranges near the end, where the active segments put functions among
            // the nulls: a copy must behave like `memmove` in both directions.
            let len = u.int_in_range(2..=4)?;
            let shift = u.int_in_range(1..=len - 1)?;
            let base = u.int_in_range(-5..=-len)?;
            let (a, b) = if u.arbitrary()? { (base + shift, base) } else { (base, base + shift) };
            Op::TableCopy { dst: TIdx::Size(a), src: TIdx::Size(b), len: len as u32 }
        }
        _ if elems > 0 => {
            let segment = u.int_in_range(0..=elems - 1)?;
            let items = table
                .active
                .get(segment as usize)
                .map(|(_, f)| f)
                .or_else(|| table.passive.get(segment as usize - table.active.len().min(segment as usize)));
            let seg_len = items.map_or(0, |f| f.len() as u32);
            let (src, len) = if seg_len > 0 && u.arbitrary()? {
                let src = u.int_in_range(0..=seg_len - 1)?;
                (src, u.int_in_range(1..=seg_len - src)?)
            } else {
                (u.int_in_range(0..=4)?, u.int_in_range(0..=3)?)
            };
            let dst = if u.arbitrary()? { TIdx::Const(0) } else { table_index(u)? };
            Op::TableInit { segment, dst, src, len, dropped: u.arbitrary()? }
        }
        _ => Op::TableGet { at: table_index(u)? },
    })
}

fn grow_delta(u: &mut Unstructured, maximum: Option<u32>) -> arbitrary::Result<u32> {
    // Deltas that must fail only where a maximum makes failure deterministic: without one, a
    // 4 GiB grow succeeds or fails by host resources, which is not a divergence.
    match maximum {
        Some(max) if u.ratio(1, 3)? => Ok(*u.choose(&[max + 1, max.saturating_sub(1), 1 << 16, u32::MAX])?),
        _ => u.int_in_range(0..=2),
    }
}

fn op(u: &mut Unstructured, config: &EdgesConfig, plan: &Plan) -> arbitrary::Result<Op> {
    let segments = (plan.active.len() + plan.passive.len()) as u32;
    // 0..100 memory operations, 100..135 table ones (memory.size without a table), 135..160
    // v128 accesses.
    let roll = u.int_in_range(0..=159u32)?;
    let align = |u: &mut Unstructured, natural: u32| u.int_in_range(0..=natural);
    Ok(match roll {
        0..30 => {
            let width = u.choose_index(LOADS.len())?;
            let (addr, offset) = address(u, config)?;
            Op::Load { width, addr, offset, align: align(u, LOADS[width].align)? }
        }
        30..50 => {
            let width = u.choose_index(STORES.len())?;
            let (addr, offset) = address(u, config)?;
            Op::Store { width, addr, offset, align: align(u, STORES[width].align)?, value: u.arbitrary()? }
        }
        50..60 => Op::Grow { delta: grow_delta(u, plan.maximum)? },
        60..70 => Op::GrowThenLoad {
            delta: grow_delta(u, plan.maximum)?,
            new_end: u.arbitrary()?,
            at: u.int_in_range(-12..=4)?,
        },
        70..77 => Op::Fill { dst: bulk_addr(u)?, value: u.arbitrary()?, len: bulk_len(u)? },
        77..84 => copy(u)?,
        84..91 if segments > 0 => {
            let segment = u.int_in_range(0..=segments - 1)?;
            let (src, len) = init_range(u, plan.segment_len(segment))?;
            Op::Init { segment, dst: bulk_addr(u)?, src, len }
        }
        91..93 if segments > 0 => Op::Drop { segment: u.int_in_range(0..=segments - 1)? },
        93..=98 if segments > 0 => {
            // A passive segment when there is one (active ones are dropped at instantiation,
            // so re-using them is always a trap), into the first bytes most of the time.
            let active = plan.active.len() as u32;
            let segment = if segments > active { u.int_in_range(active..=segments - 1)? } else { 0 };
            let (src, len) = init_range(u, plan.segment_len(segment))?;
            let dst = if u.ratio(2, 3)? { Addr::Const(u.int_in_range(0..=8)?) } else { bulk_addr(u)? };
            Op::Reuse { segment, dst, src, len }
        }
        135.. => v128_op(u, config)?,
        100.. => match &plan.table {
            Some(table) => table_op(u, plan, table)?,
            None => Op::Size,
        },
        _ => Op::Size,
    })
}

fn plan(u: &mut Unstructured, config: &EdgesConfig) -> arbitrary::Result<Plan> {
    let initial = u.int_in_range(0..=config.max_initial_pages)?;
    let maximum = if u.int_in_range(0..=99u32)? < config.max_declared_percent {
        Some(initial + u.int_in_range(0..=4)?)
    } else {
        None
    };
    let len = initial as i64 * PAGE;
    let mut active = Vec::new();
    if len > 0 && u.ratio(3, 4)? {
        // Content at the start of memory, for copies and loads there to see.
        let size = u.int_in_range(8..=32)?;
        active.push((0, u.bytes(size)?.to_vec()));
    }
    for _ in 0..u.int_in_range(0..=2)? {
        // Ends at most 16 bytes before the length; one in ten overruns it.
        let room = u.int_in_range(0..=16i64)?.min(len);
        let size = if u.ratio(1, 10)? { room + u.int_in_range(1..=8)? } else { u.int_in_range(0..=room)? };
        active.push(((len - room) as u32, u.bytes(size as usize)?.to_vec()));
    }
    let mut passive = Vec::new();
    for _ in 0..u.int_in_range(0..=3)? {
        let size = u.int_in_range(0..=16)?;
        passive.push(u.bytes(size)?.to_vec());
    }
    let functions = u.int_in_range(1..=config.max_functions.max(1))? as u32;
    let table = if u.ratio(1, 2)? {
        let initial = u.int_in_range(0..=8u32)?;
        let maximum = if u.arbitrary()? { Some(initial + u.int_in_range(0..=3)?) } else { None };
        let imported = u.ratio(1, 3)?;
        // What an overrunning segment wrote before its trap is observable only in a table that
        // outlives the failed instantiation: overruns are more common in an imported one.
        let overrun = if imported { (1, 4) } else { (1, 10) };
        let mut active = Vec::new();
        for _ in 0..if initial > 0 { u.int_in_range(0..=2)? } else { 0 } {
            // Ends at most 2 before the size, or exactly at it; some overrun it by 1.
            let n = u.int_in_range(1..=3u32)?.min(initial);
            let end = initial as i64 - u.int_in_range(0..=2)? + if u.ratio(overrun.0, overrun.1)? { 1 } else { 0 };
            let offset = (end - n as i64).max(0) as u32;
            let funcs = (0..n).map(|_| u.int_in_range(0..=functions - 1)).collect::<arbitrary::Result<_>>()?;
            active.push((offset, funcs));
        }
        let mut passive = Vec::new();
        for _ in 0..u.int_in_range(0..=2)? {
            let n = u.int_in_range(1..=3u32)?;
            passive.push((0..n).map(|_| u.int_in_range(0..=functions - 1)).collect::<arbitrary::Result<_>>()?);
        }
        Some(TablePlan { initial, maximum, imported, active, passive })
    } else {
        None
    };
    let memory_imported = u.ratio(1, 4)?;
    let mut plan = Plan { initial, maximum, memory_imported, active, passive, table, functions, ops: Vec::new() };
    for _ in 0..functions {
        let next = op(u, config, &plan)?;
        plan.ops.push(next);
    }
    Ok(plan)
}

impl Plan {
    fn names(&self) -> Vec<String> {
        self.ops.iter().enumerate().map(|(i, op)| format!("f{i} {}", op.describe())).collect()
    }

    fn encode(&self) -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], [ValType::I64]);
        module.section(&types);
        let memory = MemoryType {
            minimum: self.initial as u64,
            maximum: self.maximum.map(u64::from),
            memory64: false,
            shared: false,
            page_size_log2: None,
        };
        let table = self.table.as_ref().map(|t| {
            let ty = TableType {
                element_type: RefType::FUNCREF,
                table64: false,
                minimum: t.initial as u64,
                maximum: t.maximum.map(u64::from),
                shared: false,
            };
            (t, ty)
        });
        let mut imports = ImportSection::new();
        if self.memory_imported {
            imports.import("env", "memory", memory);
        }
        if let Some((t, ty)) = &table
            && t.imported
        {
            imports.import("env", "table", *ty);
        }
        if !imports.is_empty() {
            module.section(&imports);
        }
        let mut funcs = FunctionSection::new();
        for _ in &self.ops {
            funcs.function(0);
        }
        module.section(&funcs);
        if let Some((t, ty)) = &table
            && !t.imported
        {
            let mut tables = TableSection::new();
            tables.table(*ty);
            module.section(&tables);
        }
        if !self.memory_imported {
            let mut memories = MemorySection::new();
            memories.memory(memory);
            module.section(&memories);
        }
        let mut exports = ExportSection::new();
        exports.export("memory", ExportKind::Memory, 0);
        if table.is_some() {
            exports.export("table", ExportKind::Table, 0);
        }
        for (i, name) in self.names().iter().enumerate() {
            exports.export(name, ExportKind::Func, i as u32);
        }
        module.section(&exports);
        // Active and passive element segments first (their indices are what table.init
        // names), then one declaring every function for `ref.func`.
        let mut elements = ElementSection::new();
        if let Some((t, _)) = &table {
            for (offset, funcs) in &t.active {
                elements.active(
                    Some(0),
                    &ConstExpr::i32_const(*offset as i32),
                    Elements::Functions(Cow::Borrowed(funcs)),
                );
            }
            for funcs in &t.passive {
                elements.passive(Elements::Functions(Cow::Borrowed(funcs)));
            }
        }
        let all: Vec<u32> = (0..self.ops.len() as u32).collect();
        elements.declared(Elements::Functions(Cow::Owned(all)));
        module.section(&elements);
        let segments = (self.active.len() + self.passive.len()) as u32;
        module.section(&DataCountSection { count: segments });
        let mut code = CodeSection::new();
        for op in &self.ops {
            // Only functions doing a v128 access declare a v128 local: the other modules
            // stay free of SIMD.
            let mut f = match op {
                Op::V128 { .. } => Function::new([(1, ValType::I32), (1, ValType::V128)]),
                _ => Function::new([(1, ValType::I32)]),
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

/// The data section: active segments into memory 0 at their offset expressions, then the
/// passive ones.
pub(super) fn data_section<'a>(
    active: impl IntoIterator<Item = (ConstExpr, &'a [u8])>,
    passive: &[Vec<u8>],
) -> DataSection {
    let mut data = DataSection::new();
    for (offset, bytes) in active {
        data.active(0, &offset, bytes.iter().copied());
    }
    for bytes in passive {
        data.passive(bytes.iter().copied());
    }
    data
}

/// A boundary module from `u`, with its calls listed.
pub fn generate(u: &mut Unstructured, config: &EdgesConfig) -> arbitrary::Result<TestCase> {
    // One draw picks the share, so the 32-bit cases take the same bytes as before.
    let share = u.int_in_range(0..=99u32)?;
    let mut bound = config.memory64_percent;
    if share < bound {
        return super::edges64::generate(u, config);
    }
    bound = bound.saturating_add(config.multi_memory_percent);
    if share < bound {
        return super::edges_multi::generate(u, config);
    }
    if share < bound.saturating_add(config.page_size_1_percent) {
        return super::edges_pages::generate(u, config);
    }
    let plan = plan(u, config)?;
    Ok(listed_case(u, config, &plan.names(), plan.encode()))
}

/// The case of module `wasm`, whose functions are exported as `names`, calling them in
/// [`call_order`].
pub(super) fn listed_case(u: &mut Unstructured, config: &EdgesConfig, names: &[String], wasm: Vec<u8>) -> TestCase {
    let calls = call_order(u, config, names.len())
        .into_iter()
        .map(|i| Call { export: names[i].clone(), args: Vec::new() })
        .collect();
    TestCase::new(GeneratorKind::Edges, wasm, Calls::Listed(calls))
}

/// The order of calls of `functions` functions: each once in order, then up to
/// [`EdgesConfig::max_extra_calls`] more picked from `u`.
pub(super) fn call_order(u: &mut Unstructured, config: &EdgesConfig, functions: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..functions).collect();
    for _ in 0..u.int_in_range(0..=config.max_extra_calls).unwrap_or(0) {
        order.push(u.choose_index(functions).unwrap_or(0));
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::Rng;
    use crate::generators::case::validates;

    fn cases(n: usize, seed: u64) -> Vec<TestCase> {
        let mut rng = Rng::new(seed);
        (0..n)
            .filter_map(|_| {
                let data = rng.bytes(512);
                generate(&mut Unstructured::new(&data), &EdgesConfig::default()).ok()
            })
            .collect()
    }

    #[test]
    fn modules_validate_and_list_every_function() {
        let all = cases(300, 11);
        assert!(all.len() >= 290, "almost every input makes a module ({})", all.len());
        for case in &all {
            assert!(validates(&case.wasm), "invalid edges module");
            let Calls::Listed(calls) = &case.calls else { panic!("edges cases list their calls") };
            assert!(!calls.is_empty() && calls.iter().all(|c| c.args.is_empty()));
        }
    }

    /// The export names of every listed call of `all`, in order.
    fn listed_exports(all: &[TestCase]) -> Vec<&str> {
        all.iter()
            .flat_map(|c| match &c.calls {
                Calls::Listed(calls) => calls.as_slice(),
                _ => &[],
            })
            .map(|c| c.export.as_str())
            .collect()
    }

    #[test]
    fn wrapping_addresses_and_boundary_offsets_are_common() {
        let all = cases(300, 12);
        let names = listed_exports(&all);
        let count = |pred: &dyn Fn(&str) -> bool| names.iter().filter(|n| pred(n)).count();
        let wraps = count(&|n| {
            if n.contains(" m64 ") || n.contains(" mm ") {
                return false;
            }
            let (Some(o), Some(a)) = (n.split("offset=0x").nth(1), n.split("addr=0x").nth(1)) else { return false };
            let parse = |s: &str| u64::from_str_radix(s.split(' ').next().unwrap_or(""), 16).ok();
            matches!((parse(o), parse(a)), (Some(o), Some(a)) if (o + a) >> 32 == 1 && (o + a) & 0xffff_ffff < 32)
        });
        assert!(wraps * 20 >= names.len(), "{wraps} of {} calls wrap", names.len());
        assert!(count(&|n| n.contains("addr=len")) * 10 >= names.len());
        assert!(count(&|n| n.contains("memory.grow")) > 0 && count(&|n| n.contains("memory.init")) > 0);
        assert!(count(&|n| n.contains("offset=0xffffffff")) > 0 && count(&|n| n.contains("offset=0x1000")) > 0);
    }

    #[test]
    fn every_v128_access_comes_up_near_the_end() {
        let all = cases(600, 13);
        let names = listed_exports(&all);
        for a in V128_ACCESSES {
            let near_end =
                names.iter().filter(|n| n.contains(&format!("{} ", a.name)) && n.contains("addr=len")).count();
            assert!(near_end > 0, "{} never at len-16..len+16", a.name);
        }
        let straddles = names.iter().filter(|n| n.contains("v128.store offset=0x0 addr=len-")).count();
        assert!(straddles > 0, "16-byte stores straddle the end");
    }
}
