//! The engine's internal code: what every function body is translated into, once, at load
//! time. The interpreter (`exec`) runs only this, never wasm bytes.
//!
//! # Design
//! The code is register-based. Every value of a running function lives in a *slot*, a 64-bit
//! cell of the frame: the function's locals (parameters first) occupy slots `0..num_locals`,
//! its constant pool the next `K` (constants that loops use as operands, written at frame
//! entry; see `translate`), and the wasm operand stack position `p` has the fixed home slot
//! `num_locals + K + p`, since its
//! height is known at every point of translation. Each [`Instr`] names its operand and result
//! slots directly, so `local.get` emits nothing, constants become immediates where an
//! instruction has an immediate form, and a compare followed by `br_if`/`if` becomes one
//! fused branch.
//!
//! Calling convention: a call's arguments sit in consecutive slots `base..` of the caller; the
//! callee's frame starts there (its parameters are its first locals) and its results are left
//! in its slots `0..num_results`, i.e. in the caller's slots `base..`.
//!
//! Instructions are 16 bytes (a tag and three 32-bit fields, checked by a test). An instruction
//! that needs more operands is followed by one [`Instr::Ext`] word that the interpreter reads
//! and skips. Branch targets are offsets (an `i32` stored as `u32`) relative to the
//! instruction after the branch.
//!
//! Data enters through [`translate_function`] (called by `module` once per body) and leaves
//! as a [`CompiledFunc`] stored in the module; `exec` reads it.
//!
//! # Adding an instruction
//! Add a variant here (tuple variants put the result slot first), emit it in
//! `translate/ops.rs`, and give it an arm in `exec/run.rs`. If it has a single result slot
//! named first, add it to [`Instr::dst_mut`] so that `local.set` can retarget it; if it can
//! trap, the translator's offset table already records its wasm offset.

mod simd;
mod translate;

pub(crate) use simd::SimdOp;
pub(crate) use translate::translate_function;

/// The most instructions a function may translate to: the interpreter's threaded copy of the
/// code holds branch offsets in bytes, in an `i32`, at up to 32 bytes per word.
pub(crate) const MAX_CODE_WORDS: usize = 1 << 26;

/// A frame-relative slot index.
pub(crate) type Slot = u32;

/// A translated function body.
#[derive(Debug)]
pub(crate) struct CompiledFunc {
    /// Index in the module's function index space (for trap locations).
    pub(crate) func_index: u32,
    /// Number of parameters (the first locals).
    pub(crate) num_params: u32,
    /// Parameters plus declared locals.
    pub(crate) num_locals: u32,
    /// Slots the frame needs: locals, the constant pool, then the deepest operand stack.
    pub(crate) frame_size: u32,
    /// The constant pool: written to slots `num_locals..` at every frame entry, so that code
    /// in loops reads its constants from slots instead of writing them each iteration.
    pub(crate) consts: Box<[u64]>,
    /// The instructions.
    pub(crate) code: Code,
    /// Wasm byte offset of the operator each instruction came from, by instruction index;
    /// read only when trapping.
    pub(crate) offsets: Box<[u32]>,
    /// By instruction: whether its result is read through the result register only (by the
    /// next instruction, from an operand stack slot nothing else reads), so that the
    /// interpreter need not write the slot (see `translate::use_result_register`).
    pub(crate) register_only: Box<[bool]>,
    /// The code as the interpreter runs it: threaded with one strategy's handlers, built on
    /// the first call under that strategy (see `exec/threaded.rs`).
    pub(crate) threaded: crate::exec::Threaded,
}

/// A function's instructions. Those of a function with a loop start at
/// [`placement::CODE`](crate::placement::CODE) within a page (see `placement`): the
/// interpreter loads every instruction it runs, and with code wherever the allocator put it,
/// a loop whose instructions shared low address bits with the slots it writes ran up to 40%
/// slower in one process or configuration than in another (`matmul` 14.7 against 20.6 ms).
/// Other functions' are a plain boxed slice.
/// The interpreter's threaded copies of the code (`exec/threaded.rs`) are placed the same way.
pub(crate) enum Code<T: Copy = Instr> {
    Boxed(Box<[T]>),
    Placed(crate::placement::PagePlaced<T>, usize),
}

impl<T: Copy> Code<T> {
    /// `instrs`, page-placed when `placed`.
    pub(crate) fn new(instrs: Vec<T>, placed: bool) -> Code<T> {
        if !placed || instrs.is_empty() {
            return Code::Boxed(instrs.into_boxed_slice());
        }
        let buf = crate::placement::PagePlaced::<T>::new(crate::placement::CODE, instrs.len());
        // SAFETY: the buffer has room for `instrs.len()` instructions; distinct allocations.
        unsafe { std::ptr::copy_nonoverlapping(instrs.as_ptr(), buf.ptr(), instrs.len()) };
        Code::Placed(buf, instrs.len())
    }
}

impl<T: Copy> Code<T> {
    /// Whether the code is page-placed.
    pub(crate) fn placed(&self) -> bool {
        matches!(self, Code::Placed(..))
    }
}

impl<T: Copy> std::ops::Deref for Code<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Code::Boxed(b) => b,
            // SAFETY: `new` wrote `len` instructions there.
            Code::Placed(buf, len) => unsafe { std::slice::from_raw_parts(buf.ptr(), *len) },
        }
    }
}

impl<T: Copy + std::fmt::Debug> std::fmt::Debug for Code<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One internal instruction.
///
/// Field conventions: tuple variants are `(dst, a, b)` for binary operations,
/// `(dst, a, imm)` for the `Imm` forms (an `i32` immediate, sign-extended for i64 operations),
/// `(dst, src)` for unary operations and conversions, `(dst, addr, offset)` for loads and
/// `(addr, value, offset)` for stores. `BrIf<cmp>` variants are `(a, b, target)` and branch
/// when the comparison holds. Slots are [`Slot`]s; targets are relative offsets (see the
/// module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Instr {
    /// Extra operands of the preceding instruction; never executed.
    Ext(u32, u32, u32),
    /// `(op, memory, dst, a)`: a SIMD operation, or an access to a memory other than a
    /// 32-bit memory 0 (memory64, multi-memory), followed by its `Ext` words (see
    /// [`SimdOp`]); run out of line. `memory` is the module's memory index of a memory
    /// operation, 0 otherwise.
    Simd(SimdOp, u16, Slot, Slot),
    /// `slot[dst] = slot[src]`.
    Copy(Slot, Slot),
    /// `slot[dst] = imm` zero-extended.
    Const32(Slot, u32),
    /// `slot[dst] = lo | hi << 32`.
    Const64(Slot, u32, u32),

    // ---- control ----
    /// Traps with `UnreachableCodeReached`.
    Unreachable,
    /// Jumps to the target.
    Br(u32),
    /// `(cond, target)`: jumps when the i32 in `cond` is not zero.
    BrIfNez(Slot, u32),
    /// `(cond, target)`: jumps when the i32 in `cond` is zero.
    BrIfEqz(Slot, u32),
    /// `(index, len)`: followed by `len + 1` `Br` words; takes the jump of word
    /// `min(index, len)` (without dispatching it).
    /// (Relative targets make each word's offset count from the word after it.)
    BrTable(Slot, u32),
    /// Returns; the results are already in slots `0..num_results`.
    Return,
    /// Copies `src` to slot 0 and returns (the common single-result return).
    Return1(Slot),
    /// Calls function `func` (module index space) with arguments in slots `base..`.
    Call {
        func: u32,
        base: Slot,
    },
    /// Calls through a table; followed by `Ext(table, 0, 0)`.
    CallIndirect {
        ty: u32,
        base: Slot,
        index: Slot,
    },
    /// Tail call: moves the arguments from `base..` to slot 0 and replaces the frame.
    ReturnCall {
        func: u32,
        base: Slot,
    },
    /// Indirect tail call; followed by `Ext(table, 0, 0)`.
    ReturnCallIndirect {
        ty: u32,
        base: Slot,
        index: Slot,
    },

    BrIfI32Eq(Slot, Slot, u32),
    BrIfI32Ne(Slot, Slot, u32),
    BrIfI32LtS(Slot, Slot, u32),
    BrIfI32LtU(Slot, Slot, u32),
    BrIfI32GtS(Slot, Slot, u32),
    BrIfI32GtU(Slot, Slot, u32),
    BrIfI32LeS(Slot, Slot, u32),
    BrIfI32LeU(Slot, Slot, u32),
    BrIfI32GeS(Slot, Slot, u32),
    BrIfI32GeU(Slot, Slot, u32),
    BrIfI32EqImm(Slot, i32, u32),
    BrIfI32NeImm(Slot, i32, u32),
    BrIfI32LtSImm(Slot, i32, u32),
    BrIfI32LtUImm(Slot, i32, u32),
    BrIfI32GtSImm(Slot, i32, u32),
    BrIfI32GtUImm(Slot, i32, u32),
    BrIfI32LeSImm(Slot, i32, u32),
    BrIfI32LeUImm(Slot, i32, u32),
    BrIfI32GeSImm(Slot, i32, u32),
    BrIfI32GeUImm(Slot, i32, u32),
    BrIfI64Eq(Slot, Slot, u32),
    BrIfI64Ne(Slot, Slot, u32),
    BrIfI64LtS(Slot, Slot, u32),
    BrIfI64LtU(Slot, Slot, u32),
    BrIfI64GtS(Slot, Slot, u32),
    BrIfI64GtU(Slot, Slot, u32),
    BrIfI64LeS(Slot, Slot, u32),
    BrIfI64LeU(Slot, Slot, u32),
    BrIfI64GeS(Slot, Slot, u32),
    BrIfI64GeU(Slot, Slot, u32),

    // Loop counters: `(step, a, b, target)` adds `step` to the i32 in `a` (writing it back),
    // then branches when the compare of the new value with `b` (a slot, or an immediate in
    // the `Imm` forms) holds; `IncBrIfNez` when the new value is not zero. Fused by the
    // translator from an `I32AddImm(a, a, step)` and the branch right after it (with no
    // label between), the step and back edge of most loops in one dispatch.
    IncBrIfNez(i16, Slot, u32),
    IncBrIfI32Ne(i16, Slot, Slot, u32),
    IncBrIfI32LtS(i16, Slot, Slot, u32),
    IncBrIfI32LtU(i16, Slot, Slot, u32),
    IncBrIfI32GtS(i16, Slot, Slot, u32),
    IncBrIfI32GtU(i16, Slot, Slot, u32),
    IncBrIfI32NeImm(i16, Slot, i32, u32),
    IncBrIfI32LtSImm(i16, Slot, i32, u32),
    IncBrIfI32LtUImm(i16, Slot, i32, u32),
    IncBrIfI32GtSImm(i16, Slot, i32, u32),
    IncBrIfI32GtUImm(i16, Slot, i32, u32),
    /// The same on an i64 counter (`I64AddImm` and an i64 compare with a slot).
    IncBrIfI64Ne(i16, Slot, Slot, u32),
    IncBrIfI64LtS(i16, Slot, Slot, u32),
    IncBrIfI64LtU(i16, Slot, Slot, u32),
    IncBrIfI64GtS(i16, Slot, Slot, u32),
    IncBrIfI64GtU(i16, Slot, Slot, u32),

    // ---- parametric, references, globals ----
    /// `(dst, a, b)` followed by `Ext(cond, 0, 0)`: `dst = cond != 0 ? a : b`.
    Select(Slot, Slot, Slot),
    RefIsNull(Slot, Slot),
    /// `(dst, func)`: the store address of function `func`.
    RefFunc(Slot, u32),
    /// `(dst, global)`.
    GlobalGet(Slot, u32),
    /// `(global, src)`.
    GlobalSet(u32, Slot),

    // ---- memory ----
    I32Load(Slot, Slot, u32),
    I64Load(Slot, Slot, u32),
    I32Load8S(Slot, Slot, u32),
    I32Load8U(Slot, Slot, u32),
    I32Load16S(Slot, Slot, u32),
    I32Load16U(Slot, Slot, u32),
    I64Load8S(Slot, Slot, u32),
    I64Load8U(Slot, Slot, u32),
    I64Load16S(Slot, Slot, u32),
    I64Load16U(Slot, Slot, u32),
    I64Load32S(Slot, Slot, u32),
    I64Load32U(Slot, Slot, u32),
    I32Store(Slot, Slot, u32),
    I64Store(Slot, Slot, u32),
    I32Store8(Slot, Slot, u32),
    I32Store16(Slot, Slot, u32),
    /// `(addr, value, offset)` with an immediate value (stores of constants are common in
    /// initialisation loops).
    I32StoreImm(Slot, i32, u32),
    I32Store8Imm(Slot, i32, u32),
    I32Store16Imm(Slot, i32, u32),
    /// The immediate is sign-extended to 64 bits.
    I64StoreImm(Slot, i32, u32),
    /// Indexed accesses: `(shift, dst, index, offset)` loads from address
    /// `(index << shift) + offset` (the shift in i32 arithmetic, as the `i32.shl` it replaces),
    /// `(shift, index, value, offset)` stores there. Fused by the translator from an
    /// `I32ShlImm` (shift 1 to 3) whose result only the access reads.
    I32LoadShl(u16, Slot, Slot, u32),
    I64LoadShl(u16, Slot, Slot, u32),
    I32StoreShl(u16, Slot, Slot, u32),
    I64StoreShl(u16, Slot, Slot, u32),
    /// Loads fused into the add that alone reads them: `(offset, dst, a, addr)` computes
    /// `dst = a + load(addr + offset)` (offset below 2^16). `I64AddLoad32U` adds a zero-extended
    /// `i32.load` (the `i64.extend_i32_u` between them emits nothing); `F64AddLoad` an
    /// `f64.load`. Their trap site is the load's.
    I32AddLoad(u16, Slot, Slot, Slot),
    I64AddLoad(u16, Slot, Slot, Slot),
    I64AddLoad32U(u16, Slot, Slot, Slot),
    F64AddLoad(u16, Slot, Slot, Slot),
    /// Accesses at a sum: `(offset, dst, a, b)` loads from address `a + b + offset`, the add in
    /// i32 arithmetic (wrapping, as the `i32.add` it replaces) and the offset below 2^16;
    /// `(offset, a, b, value)` stores there. Fused by the translator from an `I32Add` whose
    /// result only the access reads (`base + index` addressing, as in a byte loop).
    I32LoadAdd(u16, Slot, Slot, Slot),
    I64LoadAdd(u16, Slot, Slot, Slot),
    I32Load8UAdd(u16, Slot, Slot, Slot),
    I32StoreAdd(u16, Slot, Slot, Slot),
    I64StoreAdd(u16, Slot, Slot, Slot),
    I32Store8Add(u16, Slot, Slot, Slot),
    /// The scalar accesses again, on a memory64 memory 0 with 64 KiB pages (the address is an
    /// i64; the static offset, below 2^32, is the third field): inline in the loop after one
    /// compare of the address with the length (`exec/access.rs`, `ea64`).
    I32LoadM64(Slot, Slot, u32),
    I64LoadM64(Slot, Slot, u32),
    I32Load8SM64(Slot, Slot, u32),
    I32Load8UM64(Slot, Slot, u32),
    I32Load16SM64(Slot, Slot, u32),
    I32Load16UM64(Slot, Slot, u32),
    I64Load8SM64(Slot, Slot, u32),
    I64Load8UM64(Slot, Slot, u32),
    I64Load16SM64(Slot, Slot, u32),
    I64Load16UM64(Slot, Slot, u32),
    I64Load32SM64(Slot, Slot, u32),
    I64Load32UM64(Slot, Slot, u32),
    I32StoreM64(Slot, Slot, u32),
    I64StoreM64(Slot, Slot, u32),
    I32Store8M64(Slot, Slot, u32),
    I32Store16M64(Slot, Slot, u32),
    /// `(dst, addr, offset)`: `v128.load` from a 32-bit memory 0 with 64 KiB pages, inline in
    /// the loop like the scalar loads (other memories: `Simd` with `SimdOp::V128Load`).
    V128Load(Slot, Slot, u32),
    /// `(addr, value, offset)`: `v128.store`, as [`Instr::V128Load`].
    V128Store(Slot, Slot, u32),
    /// `(dst, a, b)`: the commonest lane-wise `v128` operations, inline in the loop (every
    /// other SIMD operation is a `Simd` word run out of line).
    I8x16Add(Slot, Slot, Slot),
    I16x8Add(Slot, Slot, Slot),
    I32x4Add(Slot, Slot, Slot),
    I64x2Add(Slot, Slot, Slot),
    I32x4Sub(Slot, Slot, Slot),
    I32x4Mul(Slot, Slot, Slot),
    F32x4Add(Slot, Slot, Slot),
    F32x4Mul(Slot, Slot, Slot),
    F64x2Add(Slot, Slot, Slot),
    F64x2Mul(Slot, Slot, Slot),
    V128And(Slot, Slot, Slot),
    V128Or(Slot, Slot, Slot),
    V128Xor(Slot, Slot, Slot),
    /// `(dst)`: size of memory 0 in pages (other memories: `SimdOp::MemSize`).
    MemorySize(Slot),
    /// `(dst, delta, memory)`.
    MemoryGrow(Slot, Slot, u32),
    /// `(args, memory)`: destination, byte, length in `args..args+3`.
    MemoryFill(Slot, u32),
    /// `(args, dst_memory, src_memory)`: destination, source, length in `args..args+3`.
    MemoryCopy(Slot, u32, u32),
    /// `(data, args, memory)`: destination, source, length in `args..args+3`.
    MemoryInit(u32, Slot, u32),
    DataDrop(u32),

    // ---- tables ----
    /// `(dst, table, index)`.
    TableGet(Slot, u32, Slot),
    /// `(table, index, value)`.
    TableSet(u32, Slot, Slot),
    /// `(dst, table)`.
    TableSize(Slot, u32),
    /// `(table, args)`: init value and delta in `args..args+2`; the result goes to `args`.
    TableGrow(u32, Slot),
    /// `(table, args)`: index, value, length in `args..args+3`.
    TableFill(u32, Slot),
    /// `(dst_table, src_table, args)`: destination, source, length in `args..args+3`.
    TableCopy(u32, u32, Slot),
    /// `(table, elem, args)`: destination, source, length in `args..args+3`.
    TableInit(u32, u32, Slot),
    ElemDrop(u32),

    // ---- i32 ----
    I32Eqz(Slot, Slot),
    I32Clz(Slot, Slot),
    I32Ctz(Slot, Slot),
    I32Popcnt(Slot, Slot),
    I32Extend8S(Slot, Slot),
    I32Extend16S(Slot, Slot),
    I32Add(Slot, Slot, Slot),
    I32Sub(Slot, Slot, Slot),
    I32Mul(Slot, Slot, Slot),
    I32DivS(Slot, Slot, Slot),
    I32DivU(Slot, Slot, Slot),
    I32RemS(Slot, Slot, Slot),
    I32RemU(Slot, Slot, Slot),
    I32And(Slot, Slot, Slot),
    I32Or(Slot, Slot, Slot),
    I32Xor(Slot, Slot, Slot),
    I32Shl(Slot, Slot, Slot),
    I32ShrS(Slot, Slot, Slot),
    I32ShrU(Slot, Slot, Slot),
    I32Rotl(Slot, Slot, Slot),
    I32Rotr(Slot, Slot, Slot),
    I32Eq(Slot, Slot, Slot),
    I32Ne(Slot, Slot, Slot),
    I32LtS(Slot, Slot, Slot),
    I32LtU(Slot, Slot, Slot),
    I32GtS(Slot, Slot, Slot),
    I32GtU(Slot, Slot, Slot),
    I32LeS(Slot, Slot, Slot),
    I32LeU(Slot, Slot, Slot),
    I32GeS(Slot, Slot, Slot),
    I32GeU(Slot, Slot, Slot),
    I32AddImm(Slot, Slot, i32),
    I32MulImm(Slot, Slot, i32),
    I32AndImm(Slot, Slot, i32),
    I32OrImm(Slot, Slot, i32),
    I32XorImm(Slot, Slot, i32),
    I32ShlImm(Slot, Slot, i32),
    I32ShrSImm(Slot, Slot, i32),
    I32ShrUImm(Slot, Slot, i32),
    I32RotlImm(Slot, Slot, i32),
    I32RotrImm(Slot, Slot, i32),
    I32EqImm(Slot, Slot, i32),
    I32NeImm(Slot, Slot, i32),
    I32LtSImm(Slot, Slot, i32),
    I32LtUImm(Slot, Slot, i32),
    I32GtSImm(Slot, Slot, i32),
    I32GtUImm(Slot, Slot, i32),
    I32LeSImm(Slot, Slot, i32),
    I32LeUImm(Slot, Slot, i32),
    I32GeSImm(Slot, Slot, i32),
    I32GeUImm(Slot, Slot, i32),

    // ---- i64 ----
    I64Eqz(Slot, Slot),
    I64Clz(Slot, Slot),
    I64Ctz(Slot, Slot),
    I64Popcnt(Slot, Slot),
    I64Extend8S(Slot, Slot),
    I64Extend16S(Slot, Slot),
    I64Extend32S(Slot, Slot),
    I64Add(Slot, Slot, Slot),
    I64Sub(Slot, Slot, Slot),
    I64Mul(Slot, Slot, Slot),
    I64DivS(Slot, Slot, Slot),
    I64DivU(Slot, Slot, Slot),
    I64RemS(Slot, Slot, Slot),
    I64RemU(Slot, Slot, Slot),
    I64And(Slot, Slot, Slot),
    I64Or(Slot, Slot, Slot),
    I64Xor(Slot, Slot, Slot),
    I64Shl(Slot, Slot, Slot),
    I64ShrS(Slot, Slot, Slot),
    I64ShrU(Slot, Slot, Slot),
    I64Rotl(Slot, Slot, Slot),
    I64Rotr(Slot, Slot, Slot),
    I64Eq(Slot, Slot, Slot),
    I64Ne(Slot, Slot, Slot),
    I64LtS(Slot, Slot, Slot),
    I64LtU(Slot, Slot, Slot),
    I64GtS(Slot, Slot, Slot),
    I64GtU(Slot, Slot, Slot),
    I64LeS(Slot, Slot, Slot),
    I64LeU(Slot, Slot, Slot),
    I64GeS(Slot, Slot, Slot),
    I64GeU(Slot, Slot, Slot),
    I64AddImm(Slot, Slot, i32),
    I64MulImm(Slot, Slot, i32),
    I64AndImm(Slot, Slot, i32),
    I64OrImm(Slot, Slot, i32),
    I64XorImm(Slot, Slot, i32),
    I64ShlImm(Slot, Slot, i32),
    I64ShrSImm(Slot, Slot, i32),
    I64ShrUImm(Slot, Slot, i32),

    // ---- f32 ----
    F32Abs(Slot, Slot),
    F32Neg(Slot, Slot),
    F32Ceil(Slot, Slot),
    F32Floor(Slot, Slot),
    F32Trunc(Slot, Slot),
    F32Nearest(Slot, Slot),
    F32Sqrt(Slot, Slot),
    F32Add(Slot, Slot, Slot),
    F32Sub(Slot, Slot, Slot),
    F32Mul(Slot, Slot, Slot),
    F32Div(Slot, Slot, Slot),
    F32Min(Slot, Slot, Slot),
    F32Max(Slot, Slot, Slot),
    F32Copysign(Slot, Slot, Slot),
    F32Eq(Slot, Slot, Slot),
    F32Ne(Slot, Slot, Slot),
    F32Lt(Slot, Slot, Slot),
    F32Gt(Slot, Slot, Slot),
    F32Le(Slot, Slot, Slot),
    F32Ge(Slot, Slot, Slot),

    // ---- f64 ----
    F64Abs(Slot, Slot),
    F64Neg(Slot, Slot),
    F64Ceil(Slot, Slot),
    F64Floor(Slot, Slot),
    F64Trunc(Slot, Slot),
    F64Nearest(Slot, Slot),
    F64Sqrt(Slot, Slot),
    F64Add(Slot, Slot, Slot),
    F64Sub(Slot, Slot, Slot),
    F64Mul(Slot, Slot, Slot),
    F64Div(Slot, Slot, Slot),
    F64Min(Slot, Slot, Slot),
    F64Max(Slot, Slot, Slot),
    F64Copysign(Slot, Slot, Slot),
    F64Eq(Slot, Slot, Slot),
    F64Ne(Slot, Slot, Slot),
    F64Lt(Slot, Slot, Slot),
    F64Gt(Slot, Slot, Slot),
    F64Le(Slot, Slot, Slot),
    F64Ge(Slot, Slot, Slot),

    // ---- the result register ----
    // Every instruction that writes one slot also leaves the value in the interpreter's
    // result register. These forms are their base instructions with operand `a` read from
    // that register instead of its slot: the translator's last pass (`translate::use_result_register`)
    // uses one where `a` is the slot the instruction just before wrote, on a path nothing
    // branches into, so the value takes no trip through memory between the two. The fields
    // are the base form's (`a` included: debug builds check that the register holds it).
    I32AddAcc(Slot, Slot, Slot),
    I32SubAcc(Slot, Slot, Slot),
    I32MulAcc(Slot, Slot, Slot),
    I32AndAcc(Slot, Slot, Slot),
    I32OrAcc(Slot, Slot, Slot),
    I32XorAcc(Slot, Slot, Slot),
    I32ShlAcc(Slot, Slot, Slot),
    I32ShrSAcc(Slot, Slot, Slot),
    I32ShrUAcc(Slot, Slot, Slot),
    I32RemUAcc(Slot, Slot, Slot),
    I32AddImmAcc(Slot, Slot, i32),
    I32MulImmAcc(Slot, Slot, i32),
    I32AndImmAcc(Slot, Slot, i32),
    I32OrImmAcc(Slot, Slot, i32),
    I32XorImmAcc(Slot, Slot, i32),
    I32ShlImmAcc(Slot, Slot, i32),
    I32ShrSImmAcc(Slot, Slot, i32),
    I32ShrUImmAcc(Slot, Slot, i32),
    I32RotlImmAcc(Slot, Slot, i32),
    I64AddAcc(Slot, Slot, Slot),
    I64SubAcc(Slot, Slot, Slot),
    I64MulAcc(Slot, Slot, Slot),
    I64AndAcc(Slot, Slot, Slot),
    I64OrAcc(Slot, Slot, Slot),
    I64XorAcc(Slot, Slot, Slot),
    I64ShlAcc(Slot, Slot, Slot),
    I64ShrUAcc(Slot, Slot, Slot),
    I64RotlAcc(Slot, Slot, Slot),
    I64AddImmAcc(Slot, Slot, i32),
    I64MulImmAcc(Slot, Slot, i32),
    I64AndImmAcc(Slot, Slot, i32),
    I64XorImmAcc(Slot, Slot, i32),
    I64ShlImmAcc(Slot, Slot, i32),
    I64ShrUImmAcc(Slot, Slot, i32),
    F64AddAcc(Slot, Slot, Slot),
    F64SubAcc(Slot, Slot, Slot),
    F64MulAcc(Slot, Slot, Slot),
    F32AddAcc(Slot, Slot, Slot),
    F32MulAcc(Slot, Slot, Slot),
    /// The add-loads (`I32AddLoad`, ...) with the added operand `a` in the result register
    /// (`...Acc`, as a sum accumulates), or with the address `p` there (`...AccAddr`).
    I32AddLoadAcc(u16, Slot, Slot, Slot),
    I64AddLoadAcc(u16, Slot, Slot, Slot),
    I64AddLoad32UAcc(u16, Slot, Slot, Slot),
    F64AddLoadAcc(u16, Slot, Slot, Slot),
    I32AddLoadAccAddr(u16, Slot, Slot, Slot),
    I64AddLoadAccAddr(u16, Slot, Slot, Slot),
    I64AddLoad32UAccAddr(u16, Slot, Slot, Slot),
    F64AddLoadAccAddr(u16, Slot, Slot, Slot),
    /// Branches on the result register: `BrIfNezAcc`/`BrIfEqzAcc` test it as the condition,
    /// the compares take it as operand `a` (a data-dependent branch then resolves without
    /// waiting for the slot, so a misprediction is found sooner).
    BrIfNezAcc(Slot, u32),
    BrIfEqzAcc(Slot, u32),
    BrIfI32EqAcc(Slot, Slot, u32),
    BrIfI32NeAcc(Slot, Slot, u32),
    BrIfI32LtSAcc(Slot, Slot, u32),
    BrIfI32LtUAcc(Slot, Slot, u32),
    BrIfI32GtSAcc(Slot, Slot, u32),
    BrIfI32GtUAcc(Slot, Slot, u32),
    BrIfI32LeSAcc(Slot, Slot, u32),
    BrIfI32LeUAcc(Slot, Slot, u32),
    BrIfI32GeSAcc(Slot, Slot, u32),
    BrIfI32GeUAcc(Slot, Slot, u32),
    BrIfI32EqImmAcc(Slot, i32, u32),
    BrIfI32NeImmAcc(Slot, i32, u32),
    BrIfI32LtSImmAcc(Slot, i32, u32),
    BrIfI32LtUImmAcc(Slot, i32, u32),
    BrIfI32GtSImmAcc(Slot, i32, u32),
    BrIfI32GtUImmAcc(Slot, i32, u32),
    BrIfI32LeSImmAcc(Slot, i32, u32),
    BrIfI32LeUImmAcc(Slot, i32, u32),
    BrIfI32GeSImmAcc(Slot, i32, u32),
    BrIfI32GeUImmAcc(Slot, i32, u32),
    /// Loads whose address (`a`) is in the result register.
    I32LoadAcc(Slot, Slot, u32),
    I64LoadAcc(Slot, Slot, u32),
    I32Load8UAcc(Slot, Slot, u32),
    I32LoadShlAcc(u16, Slot, Slot, u32),
    I64LoadShlAcc(u16, Slot, Slot, u32),

    // ---- conversions ----
    I32WrapI64(Slot, Slot),
    I32TruncF32S(Slot, Slot),
    I32TruncF32U(Slot, Slot),
    I32TruncF64S(Slot, Slot),
    I32TruncF64U(Slot, Slot),
    I64ExtendI32S(Slot, Slot),
    I64TruncF32S(Slot, Slot),
    I64TruncF32U(Slot, Slot),
    I64TruncF64S(Slot, Slot),
    I64TruncF64U(Slot, Slot),
    F32ConvertI32S(Slot, Slot),
    F32ConvertI32U(Slot, Slot),
    F32ConvertI64S(Slot, Slot),
    F32ConvertI64U(Slot, Slot),
    F32DemoteF64(Slot, Slot),
    F64ConvertI32S(Slot, Slot),
    F64ConvertI32U(Slot, Slot),
    F64ConvertI64S(Slot, Slot),
    F64ConvertI64U(Slot, Slot),
    F64PromoteF32(Slot, Slot),
    I32TruncSatF32S(Slot, Slot),
    I32TruncSatF32U(Slot, Slot),
    I32TruncSatF64S(Slot, Slot),
    I32TruncSatF64U(Slot, Slot),
    I64TruncSatF32S(Slot, Slot),
    I64TruncSatF32U(Slot, Slot),
    I64TruncSatF64S(Slot, Slot),
    I64TruncSatF64U(Slot, Slot),
}

impl Instr {
    /// The result slot of an instruction that writes exactly one slot after reading all of
    /// its operands, so that the translator may retarget it (`local.set` of a fresh result).
    pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
        use Instr::*;
        match self {
            Copy(d, _)
            | Const32(d, _)
            | Const64(d, ..)
            | Select(d, ..)
            | RefIsNull(d, _)
            | RefFunc(d, _)
            | GlobalGet(d, _)
            | MemorySize(d)
            | MemoryGrow(d, ..)
            | TableGet(d, ..)
            | TableSize(d, _) => Some(d),
            I32Load(d, ..)
            | I64Load(d, ..)
            | I32Load8S(d, ..)
            | I32Load8U(d, ..)
            | I32Load16S(d, ..)
            | I32Load16U(d, ..)
            | I64Load8S(d, ..)
            | I64Load8U(d, ..)
            | I64Load16S(d, ..)
            | I64Load16U(d, ..)
            | I64Load32S(d, ..)
            | I64Load32U(d, ..) => Some(d),
            I32LoadShl(_, d, ..) | I64LoadShl(_, d, ..) => Some(d),
            I32AddLoad(_, d, ..) | I64AddLoad(_, d, ..) | I64AddLoad32U(_, d, ..) | F64AddLoad(_, d, ..) => Some(d),
            I32LoadAdd(_, d, ..) | I64LoadAdd(_, d, ..) | I32Load8UAdd(_, d, ..) => Some(d),
            I32LoadM64(d, ..)
            | I64LoadM64(d, ..)
            | I32Load8SM64(d, ..)
            | I32Load8UM64(d, ..)
            | I32Load16SM64(d, ..)
            | I32Load16UM64(d, ..)
            | I64Load8SM64(d, ..)
            | I64Load8UM64(d, ..)
            | I64Load16SM64(d, ..)
            | I64Load16UM64(d, ..)
            | I64Load32SM64(d, ..)
            | I64Load32UM64(d, ..) => Some(d),
            I32Eqz(d, _)
            | I32Clz(d, _)
            | I32Ctz(d, _)
            | I32Popcnt(d, _)
            | I32Extend8S(d, _)
            | I32Extend16S(d, _)
            | I32Add(d, ..)
            | I32Sub(d, ..)
            | I32Mul(d, ..)
            | I32DivS(d, ..)
            | I32DivU(d, ..)
            | I32RemS(d, ..)
            | I32RemU(d, ..)
            | I32And(d, ..)
            | I32Or(d, ..)
            | I32Xor(d, ..)
            | I32Shl(d, ..)
            | I32ShrS(d, ..)
            | I32ShrU(d, ..)
            | I32Rotl(d, ..)
            | I32Rotr(d, ..)
            | I32Eq(d, ..)
            | I32Ne(d, ..)
            | I32LtS(d, ..)
            | I32LtU(d, ..)
            | I32GtS(d, ..)
            | I32GtU(d, ..)
            | I32LeS(d, ..)
            | I32LeU(d, ..)
            | I32GeS(d, ..)
            | I32GeU(d, ..)
            | I32AddImm(d, ..)
            | I32MulImm(d, ..)
            | I32AndImm(d, ..)
            | I32OrImm(d, ..)
            | I32XorImm(d, ..)
            | I32ShlImm(d, ..)
            | I32ShrSImm(d, ..)
            | I32ShrUImm(d, ..)
            | I32RotlImm(d, ..)
            | I32RotrImm(d, ..)
            | I32EqImm(d, ..)
            | I32NeImm(d, ..)
            | I32LtSImm(d, ..)
            | I32LtUImm(d, ..)
            | I32GtSImm(d, ..)
            | I32GtUImm(d, ..)
            | I32LeSImm(d, ..)
            | I32LeUImm(d, ..)
            | I32GeSImm(d, ..)
            | I32GeUImm(d, ..) => Some(d),
            I64Eqz(d, _)
            | I64Clz(d, _)
            | I64Ctz(d, _)
            | I64Popcnt(d, _)
            | I64Extend8S(d, _)
            | I64Extend16S(d, _)
            | I64Extend32S(d, _)
            | I64Add(d, ..)
            | I64Sub(d, ..)
            | I64Mul(d, ..)
            | I64DivS(d, ..)
            | I64DivU(d, ..)
            | I64RemS(d, ..)
            | I64RemU(d, ..)
            | I64And(d, ..)
            | I64Or(d, ..)
            | I64Xor(d, ..)
            | I64Shl(d, ..)
            | I64ShrS(d, ..)
            | I64ShrU(d, ..)
            | I64Rotl(d, ..)
            | I64Rotr(d, ..)
            | I64Eq(d, ..)
            | I64Ne(d, ..)
            | I64LtS(d, ..)
            | I64LtU(d, ..)
            | I64GtS(d, ..)
            | I64GtU(d, ..)
            | I64LeS(d, ..)
            | I64LeU(d, ..)
            | I64GeS(d, ..)
            | I64GeU(d, ..)
            | I64AddImm(d, ..)
            | I64MulImm(d, ..)
            | I64AndImm(d, ..)
            | I64OrImm(d, ..)
            | I64XorImm(d, ..)
            | I64ShlImm(d, ..)
            | I64ShrSImm(d, ..)
            | I64ShrUImm(d, ..) => Some(d),
            F32Abs(d, _)
            | F32Neg(d, _)
            | F32Ceil(d, _)
            | F32Floor(d, _)
            | F32Trunc(d, _)
            | F32Nearest(d, _)
            | F32Sqrt(d, _)
            | F32Add(d, ..)
            | F32Sub(d, ..)
            | F32Mul(d, ..)
            | F32Div(d, ..)
            | F32Min(d, ..)
            | F32Max(d, ..)
            | F32Copysign(d, ..)
            | F32Eq(d, ..)
            | F32Ne(d, ..)
            | F32Lt(d, ..)
            | F32Gt(d, ..)
            | F32Le(d, ..)
            | F32Ge(d, ..) => Some(d),
            F64Abs(d, _)
            | F64Neg(d, _)
            | F64Ceil(d, _)
            | F64Floor(d, _)
            | F64Trunc(d, _)
            | F64Nearest(d, _)
            | F64Sqrt(d, _)
            | F64Add(d, ..)
            | F64Sub(d, ..)
            | F64Mul(d, ..)
            | F64Div(d, ..)
            | F64Min(d, ..)
            | F64Max(d, ..)
            | F64Copysign(d, ..)
            | F64Eq(d, ..)
            | F64Ne(d, ..)
            | F64Lt(d, ..)
            | F64Gt(d, ..)
            | F64Le(d, ..)
            | F64Ge(d, ..) => Some(d),
            I32AddAcc(d, ..)
            | I32SubAcc(d, ..)
            | I32MulAcc(d, ..)
            | I32AndAcc(d, ..)
            | I32OrAcc(d, ..)
            | I32XorAcc(d, ..)
            | I32ShlAcc(d, ..)
            | I32ShrSAcc(d, ..)
            | I32ShrUAcc(d, ..)
            | I32RemUAcc(d, ..)
            | I32AddImmAcc(d, ..)
            | I32MulImmAcc(d, ..)
            | I32AndImmAcc(d, ..)
            | I32OrImmAcc(d, ..)
            | I32XorImmAcc(d, ..)
            | I32ShlImmAcc(d, ..)
            | I32ShrSImmAcc(d, ..)
            | I32ShrUImmAcc(d, ..)
            | I32RotlImmAcc(d, ..)
            | I64AddAcc(d, ..)
            | I64SubAcc(d, ..)
            | I64MulAcc(d, ..)
            | I64AndAcc(d, ..)
            | I64OrAcc(d, ..)
            | I64XorAcc(d, ..)
            | I64ShlAcc(d, ..)
            | I64ShrUAcc(d, ..)
            | I64RotlAcc(d, ..)
            | I64AddImmAcc(d, ..)
            | I64MulImmAcc(d, ..)
            | I64AndImmAcc(d, ..)
            | I64XorImmAcc(d, ..)
            | I64ShlImmAcc(d, ..)
            | I64ShrUImmAcc(d, ..)
            | F64AddAcc(d, ..)
            | F64SubAcc(d, ..)
            | F64MulAcc(d, ..)
            | F32AddAcc(d, ..)
            | F32MulAcc(d, ..)
            | I32LoadAcc(d, ..)
            | I64LoadAcc(d, ..)
            | I32Load8UAcc(d, ..)
            | I32LoadShlAcc(_, d, ..)
            | I64LoadShlAcc(_, d, ..)
            | I32AddLoadAcc(_, d, ..)
            | I64AddLoadAcc(_, d, ..)
            | I64AddLoad32UAcc(_, d, ..)
            | F64AddLoadAcc(_, d, ..)
            | I32AddLoadAccAddr(_, d, ..)
            | I64AddLoadAccAddr(_, d, ..)
            | I64AddLoad32UAccAddr(_, d, ..)
            | F64AddLoadAccAddr(_, d, ..) => Some(d),
            I32WrapI64(d, _)
            | I32TruncF32S(d, _)
            | I32TruncF32U(d, _)
            | I32TruncF64S(d, _)
            | I32TruncF64U(d, _)
            | I64ExtendI32S(d, _)
            | I64TruncF32S(d, _)
            | I64TruncF32U(d, _)
            | I64TruncF64S(d, _)
            | I64TruncF64U(d, _)
            | F32ConvertI32S(d, _)
            | F32ConvertI32U(d, _)
            | F32ConvertI64S(d, _)
            | F32ConvertI64U(d, _)
            | F32DemoteF64(d, _)
            | F64ConvertI32S(d, _)
            | F64ConvertI32U(d, _)
            | F64ConvertI64S(d, _)
            | F64ConvertI64U(d, _)
            | F64PromoteF32(d, _)
            | I32TruncSatF32S(d, _)
            | I32TruncSatF32U(d, _)
            | I32TruncSatF64S(d, _)
            | I32TruncSatF64U(d, _)
            | I64TruncSatF32S(d, _)
            | I64TruncSatF32U(d, _)
            | I64TruncSatF64S(d, _)
            | I64TruncSatF64U(d, _) => Some(d),
            _ => None,
        }
    }

    /// The slot whose value this instruction leaves in the interpreter's result register
    /// when it completes: its single result, for every instruction the loop runs inline
    /// (those run out of line write their result themselves and leave the register alone).
    pub(crate) fn result_slot(&self) -> Option<Slot> {
        use Instr::*;
        match self {
            MemorySize(_) | MemoryGrow(..) | TableGet(..) | TableSize(..) => None,
            _ => self.clone().dst_mut().copied(),
        }
    }

    /// The form of this instruction that reads slot `r`'s value from the result register, if
    /// it has one and reads `r` where that form takes the register: as operand `a`, or as
    /// operand `b` of an integer operation that commutes (which is then swapped).
    /// Floating-point operations are not swapped: with two NaN operands, the order decides
    /// which payload the hardware passes on.
    pub(crate) fn with_acc(self, r: Slot) -> Option<Instr> {
        use Instr::*;
        macro_rules! pick {
            ($($base:ident => $acc:ident),* $(,)?) => {
                match self {
                    $($base(d, a, b) if a == r => Some($acc(d, a, b)),)*
                    _ => None,
                }
            };
        }
        // The compare-and-branches: the register replaces the first field.
        macro_rules! branch {
            ($($base:ident => $acc:ident),* $(,)?) => {
                match self {
                    $($base(a, b, t) if a == r => Some($acc(a, b, t)),)*
                    _ => None,
                }
            };
        }
        macro_rules! swap {
            ($($base:ident => $acc:ident),* $(,)?) => {
                match self {
                    $($base(d, a, b) if b == r && a != r => Some($acc(d, b, a)),)*
                    _ => None,
                }
            };
        }
        match self {
            I32LoadShl(k, d, a, o) if a == r => return Some(I32LoadShlAcc(k, d, a, o)),
            I64LoadShl(k, d, a, o) if a == r => return Some(I64LoadShlAcc(k, d, a, o)),
            BrIfNez(c, t) if c == r => return Some(BrIfNezAcc(c, t)),
            BrIfEqz(c, t) if c == r => return Some(BrIfEqzAcc(c, t)),
            // The address first: a load waits for it, and the add only after the load.
            I32AddLoad(o, d, a, p) if p == r => return Some(I32AddLoadAccAddr(o, d, a, p)),
            I64AddLoad(o, d, a, p) if p == r => return Some(I64AddLoadAccAddr(o, d, a, p)),
            I64AddLoad32U(o, d, a, p) if p == r => return Some(I64AddLoad32UAccAddr(o, d, a, p)),
            F64AddLoad(o, d, a, p) if p == r => return Some(F64AddLoadAccAddr(o, d, a, p)),
            I32AddLoad(o, d, a, p) if a == r => return Some(I32AddLoadAcc(o, d, a, p)),
            I64AddLoad(o, d, a, p) if a == r => return Some(I64AddLoadAcc(o, d, a, p)),
            I64AddLoad32U(o, d, a, p) if a == r => return Some(I64AddLoad32UAcc(o, d, a, p)),
            F64AddLoad(o, d, a, p) if a == r => return Some(F64AddLoadAcc(o, d, a, p)),
            _ => {}
        }
        let found = branch!(
            BrIfI32Eq => BrIfI32EqAcc, BrIfI32Ne => BrIfI32NeAcc, BrIfI32LtS => BrIfI32LtSAcc,
            BrIfI32LtU => BrIfI32LtUAcc, BrIfI32GtS => BrIfI32GtSAcc, BrIfI32GtU => BrIfI32GtUAcc,
            BrIfI32LeS => BrIfI32LeSAcc, BrIfI32LeU => BrIfI32LeUAcc, BrIfI32GeS => BrIfI32GeSAcc,
            BrIfI32GeU => BrIfI32GeUAcc, BrIfI32EqImm => BrIfI32EqImmAcc,
            BrIfI32NeImm => BrIfI32NeImmAcc, BrIfI32LtSImm => BrIfI32LtSImmAcc,
            BrIfI32LtUImm => BrIfI32LtUImmAcc, BrIfI32GtSImm => BrIfI32GtSImmAcc,
            BrIfI32GtUImm => BrIfI32GtUImmAcc, BrIfI32LeSImm => BrIfI32LeSImmAcc,
            BrIfI32LeUImm => BrIfI32LeUImmAcc, BrIfI32GeSImm => BrIfI32GeSImmAcc,
            BrIfI32GeUImm => BrIfI32GeUImmAcc,
        );
        if found.is_some() {
            return found;
        }
        let found = pick!(
            I32Add => I32AddAcc, I32Sub => I32SubAcc, I32Mul => I32MulAcc, I32And => I32AndAcc,
            I32Or => I32OrAcc, I32Xor => I32XorAcc, I32Shl => I32ShlAcc, I32ShrS => I32ShrSAcc,
            I32ShrU => I32ShrUAcc, I32RemU => I32RemUAcc,
            I64Add => I64AddAcc, I64Sub => I64SubAcc, I64Mul => I64MulAcc, I64And => I64AndAcc,
            I64Or => I64OrAcc, I64Xor => I64XorAcc, I64Shl => I64ShlAcc, I64ShrU => I64ShrUAcc,
            I64Rotl => I64RotlAcc,
            F64Add => F64AddAcc, F64Sub => F64SubAcc, F64Mul => F64MulAcc, F32Add => F32AddAcc,
            F32Mul => F32MulAcc,
        );
        if found.is_some() {
            return found;
        }
        let found = swap!(
            I32Add => I32AddAcc, I32Mul => I32MulAcc, I32And => I32AndAcc, I32Or => I32OrAcc,
            I32Xor => I32XorAcc, I64Add => I64AddAcc, I64Mul => I64MulAcc, I64And => I64AndAcc,
            I64Or => I64OrAcc, I64Xor => I64XorAcc,
        );
        if found.is_some() {
            return found;
        }
        pick!(
            I32AddImm => I32AddImmAcc, I32MulImm => I32MulImmAcc, I32AndImm => I32AndImmAcc,
            I32OrImm => I32OrImmAcc, I32XorImm => I32XorImmAcc, I32ShlImm => I32ShlImmAcc,
            I32ShrSImm => I32ShrSImmAcc, I32ShrUImm => I32ShrUImmAcc,
            I32RotlImm => I32RotlImmAcc, I64AddImm => I64AddImmAcc,
            I64MulImm => I64MulImmAcc, I64AndImm => I64AndImmAcc, I64XorImm => I64XorImmAcc,
            I64ShlImm => I64ShlImmAcc, I64ShrUImm => I64ShrUImmAcc,
            I32Load => I32LoadAcc, I64Load => I64LoadAcc, I32Load8U => I32Load8UAcc,
        )
    }

    /// The slot a result-register form ([`Instr::with_acc`]) reads through the register, when
    /// it reads that slot through no other operand; `None` for every other instruction (and
    /// for a form whose other operand is the same slot).
    pub(crate) fn acc_only(&self) -> Option<Slot> {
        use Instr::*;
        match *self {
            I32AddAcc(_, a, b)
            | I32SubAcc(_, a, b)
            | I32MulAcc(_, a, b)
            | I32AndAcc(_, a, b)
            | I32OrAcc(_, a, b)
            | I32XorAcc(_, a, b)
            | I32ShlAcc(_, a, b)
            | I32ShrSAcc(_, a, b)
            | I32ShrUAcc(_, a, b)
            | I32RemUAcc(_, a, b)
            | I64AddAcc(_, a, b)
            | I64SubAcc(_, a, b)
            | I64MulAcc(_, a, b)
            | I64AndAcc(_, a, b)
            | I64OrAcc(_, a, b)
            | I64XorAcc(_, a, b)
            | I64ShlAcc(_, a, b)
            | I64ShrUAcc(_, a, b)
            | I64RotlAcc(_, a, b)
            | F64AddAcc(_, a, b)
            | F64SubAcc(_, a, b)
            | F64MulAcc(_, a, b)
            | F32AddAcc(_, a, b)
            | F32MulAcc(_, a, b) => (a != b).then_some(a),
            I32AddImmAcc(_, a, _)
            | I32MulImmAcc(_, a, _)
            | I32AndImmAcc(_, a, _)
            | I32OrImmAcc(_, a, _)
            | I32XorImmAcc(_, a, _)
            | I32ShlImmAcc(_, a, _)
            | I32ShrSImmAcc(_, a, _)
            | I32ShrUImmAcc(_, a, _)
            | I32RotlImmAcc(_, a, _)
            | I64AddImmAcc(_, a, _)
            | I64MulImmAcc(_, a, _)
            | I64AndImmAcc(_, a, _)
            | I64XorImmAcc(_, a, _)
            | I64ShlImmAcc(_, a, _)
            | I64ShrUImmAcc(_, a, _) => Some(a),
            I32LoadAcc(_, a, _) | I64LoadAcc(_, a, _) | I32Load8UAcc(_, a, _) => Some(a),
            I32LoadShlAcc(_, _, a, _) | I64LoadShlAcc(_, _, a, _) => Some(a),
            I32AddLoadAcc(_, _, a, p)
            | I64AddLoadAcc(_, _, a, p)
            | I64AddLoad32UAcc(_, _, a, p)
            | F64AddLoadAcc(_, _, a, p) => (a != p).then_some(a),
            I32AddLoadAccAddr(_, _, a, p)
            | I64AddLoadAccAddr(_, _, a, p)
            | I64AddLoad32UAccAddr(_, _, a, p)
            | F64AddLoadAccAddr(_, _, a, p) => (a != p).then_some(p),
            BrIfNezAcc(c, _) | BrIfEqzAcc(c, _) => Some(c),
            BrIfI32EqAcc(a, b, _)
            | BrIfI32NeAcc(a, b, _)
            | BrIfI32LtSAcc(a, b, _)
            | BrIfI32LtUAcc(a, b, _)
            | BrIfI32GtSAcc(a, b, _)
            | BrIfI32GtUAcc(a, b, _)
            | BrIfI32LeSAcc(a, b, _)
            | BrIfI32LeUAcc(a, b, _)
            | BrIfI32GeSAcc(a, b, _)
            | BrIfI32GeUAcc(a, b, _) => (a != b).then_some(a),
            BrIfI32EqImmAcc(a, ..)
            | BrIfI32NeImmAcc(a, ..)
            | BrIfI32LtSImmAcc(a, ..)
            | BrIfI32LtUImmAcc(a, ..)
            | BrIfI32GtSImmAcc(a, ..)
            | BrIfI32GtUImmAcc(a, ..)
            | BrIfI32LeSImmAcc(a, ..)
            | BrIfI32LeUImmAcc(a, ..)
            | BrIfI32GeSImmAcc(a, ..)
            | BrIfI32GeUImmAcc(a, ..) => Some(a),
            _ => None,
        }
    }

    /// The memory64 form of a scalar access instruction (`I32Load` becomes `I32LoadM64`, ...),
    /// or `None` for any other instruction.
    pub(crate) fn on_memory64(self) -> Option<Instr> {
        use Instr::*;
        Some(match self {
            I32Load(d, a, o) => I32LoadM64(d, a, o),
            I64Load(d, a, o) => I64LoadM64(d, a, o),
            I32Load8S(d, a, o) => I32Load8SM64(d, a, o),
            I32Load8U(d, a, o) => I32Load8UM64(d, a, o),
            I32Load16S(d, a, o) => I32Load16SM64(d, a, o),
            I32Load16U(d, a, o) => I32Load16UM64(d, a, o),
            I64Load8S(d, a, o) => I64Load8SM64(d, a, o),
            I64Load8U(d, a, o) => I64Load8UM64(d, a, o),
            I64Load16S(d, a, o) => I64Load16SM64(d, a, o),
            I64Load16U(d, a, o) => I64Load16UM64(d, a, o),
            I64Load32S(d, a, o) => I64Load32SM64(d, a, o),
            I64Load32U(d, a, o) => I64Load32UM64(d, a, o),
            I32Store(a, v, o) => I32StoreM64(a, v, o),
            I64Store(a, v, o) => I64StoreM64(a, v, o),
            I32Store8(a, v, o) => I32Store8M64(a, v, o),
            I32Store16(a, v, o) => I32Store16M64(a, v, o),
            _ => return None,
        })
    }

    /// The branch target of a branch instruction, for patching forward branches.
    pub(crate) fn target_mut(&mut self) -> Option<&mut u32> {
        use Instr::*;
        match self {
            Br(t) | BrIfNez(_, t) | BrIfEqz(_, t) => Some(t),
            BrIfI32Eq(.., t)
            | BrIfI32Ne(.., t)
            | BrIfI32LtS(.., t)
            | BrIfI32LtU(.., t)
            | BrIfI32GtS(.., t)
            | BrIfI32GtU(.., t)
            | BrIfI32LeS(.., t)
            | BrIfI32LeU(.., t)
            | BrIfI32GeS(.., t)
            | BrIfI32GeU(.., t)
            | BrIfI64Eq(.., t)
            | BrIfI64Ne(.., t)
            | BrIfI64LtS(.., t)
            | BrIfI64LtU(.., t)
            | BrIfI64GtS(.., t)
            | BrIfI64GtU(.., t)
            | BrIfI64LeS(.., t)
            | BrIfI64LeU(.., t)
            | BrIfI64GeS(.., t)
            | BrIfI64GeU(.., t) => Some(t),
            BrIfI32EqImm(.., t)
            | BrIfI32NeImm(.., t)
            | BrIfI32LtSImm(.., t)
            | BrIfI32LtUImm(.., t)
            | BrIfI32GtSImm(.., t)
            | BrIfI32GtUImm(.., t)
            | BrIfI32LeSImm(.., t)
            | BrIfI32LeUImm(.., t)
            | BrIfI32GeSImm(.., t)
            | BrIfI32GeUImm(.., t) => Some(t),
            BrIfNezAcc(_, t) | BrIfEqzAcc(_, t) => Some(t),
            BrIfI32EqAcc(.., t)
            | BrIfI32NeAcc(.., t)
            | BrIfI32LtSAcc(.., t)
            | BrIfI32LtUAcc(.., t)
            | BrIfI32GtSAcc(.., t)
            | BrIfI32GtUAcc(.., t)
            | BrIfI32LeSAcc(.., t)
            | BrIfI32LeUAcc(.., t)
            | BrIfI32GeSAcc(.., t)
            | BrIfI32GeUAcc(.., t)
            | BrIfI32EqImmAcc(.., t)
            | BrIfI32NeImmAcc(.., t)
            | BrIfI32LtSImmAcc(.., t)
            | BrIfI32LtUImmAcc(.., t)
            | BrIfI32GtSImmAcc(.., t)
            | BrIfI32GtUImmAcc(.., t)
            | BrIfI32LeSImmAcc(.., t)
            | BrIfI32LeUImmAcc(.., t)
            | BrIfI32GeSImmAcc(.., t)
            | BrIfI32GeUImmAcc(.., t) => Some(t),
            IncBrIfNez(.., t)
            | IncBrIfI32Ne(.., t)
            | IncBrIfI32LtS(.., t)
            | IncBrIfI32LtU(.., t)
            | IncBrIfI32GtS(.., t)
            | IncBrIfI32GtU(.., t)
            | IncBrIfI32NeImm(.., t)
            | IncBrIfI32LtSImm(.., t)
            | IncBrIfI32LtUImm(.., t)
            | IncBrIfI32GtSImm(.., t)
            | IncBrIfI32GtUImm(.., t)
            | IncBrIfI64Ne(.., t)
            | IncBrIfI64LtS(.., t)
            | IncBrIfI64LtU(.., t)
            | IncBrIfI64GtS(.., t)
            | IncBrIfI64GtU(.., t) => Some(t),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_stay_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Instr>(), 16);
    }

    #[test]
    fn retargeting_reaches_results_and_branches() {
        let mut i = Instr::I32Add(5, 1, 2);
        *i.dst_mut().unwrap() = 0;
        assert_eq!(i, Instr::I32Add(0, 1, 2));
        assert!(Instr::I32Store(1, 2, 0).clone().dst_mut().is_none());
        let mut b = Instr::BrIfI32LtSImm(3, 7, 0);
        *b.target_mut().unwrap() = 42;
        assert_eq!(b, Instr::BrIfI32LtSImm(3, 7, 42));
    }
}
