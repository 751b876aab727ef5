//! Translation of a wasm function body into internal code, validating it in the same pass.
//!
//! The translator mirrors the wasm operand stack with an [`Operand`] per position, saying where
//! the value is *now*: in its home slot (`Temp`), still in a local (`Local`, a `local.get` not
//! yet copied anywhere), or a constant not yet written (`Const`). Instructions read their
//! operands from wherever they are and write results to home slots. Pending `Local`/`Const`
//! entries are written to their home slots ("materialised") only when that becomes
//! necessary: before the local is overwritten, at block entry (so that every path into a
//! label sees the same layout), and where an instruction needs consecutive slots (call
//! arguments, bulk operations). A constant that a loop reads as an operand goes to the
//! function's constant pool instead: slots after the locals, written once at frame entry.
//!
//! Control flow: each [`Ctrl`] frame knows the stack height below its parameters; a branch
//! copies its values into the home slots of the label's positions, which are where the code
//! after the label (or a loop's body) expects them. Forward branches are patched when the
//! label's `end` is reached. Code after `br`, `return` or `unreachable` is validated but
//! not emitted.
//!
//! `v128` values take one slot like every other value; their high halves live in the same
//! slots of a parallel stack (see `exec`). So the layout is the same whatever the types, and
//! only moves need to know them: a move of a `v128` is [`SimdOp::Copy`]. The translator knows
//! which locals, labels and results are `v128` from their declared types.
//!
//! `ops.rs` holds the per-operator dispatch, `simd.rs` that of the SIMD operators; this file
//! the stack model and control flow.

mod ops;
mod simd;

use super::{CompiledFunc, Instr, SimdOp, Slot};
use crate::error::Error;
use wasmparser::{BlockType, FuncValidator, FunctionBody, ValidatorResources, WasmModuleResources};

/// Validates and translates one function body (function `func_index` in the module's index
/// space): one pass over its operators, and a second, without validation, when its loops
/// read constants from slots (see [`Translator::slot_at`]).
pub(crate) fn translate_function(
    func_index: u32,
    body: &FunctionBody<'_>,
    validator: &mut FuncValidator<ValidatorResources>,
) -> Result<CompiledFunc, Error> {
    let res = validator.resources();
    let (params_wide, results_wide) = res
        .type_index_of_function(func_index)
        .and_then(|t| func_type_wide(res, t))
        .ok_or_else(|| Error::invalid("function without a function type", body.range().start))?;
    let (num_params, num_results) = (params_wide.len() as u32, results_wide.len() as u32);
    let mut num_locals = num_params;
    let mut local_wide = params_wide;
    // Declared `v128` locals, as slot ranges: their high halves are zeroed at entry.
    let mut v128_locals: Vec<(u32, u32)> = Vec::new();
    // Declared locals of reference type, as slot ranges: frames start zeroed, but a null
    // reference is REF_NULL, not 0 (0 is the store's first function), so these get an
    // explicit null at entry.
    let mut ref_locals: Vec<(u32, u32)> = Vec::new();
    let mut locals = body.get_locals_reader().map_err(Error::from_decoder)?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, ty) = locals.read().map_err(Error::from_decoder)?;
        validator.define_locals(offset, count, ty).map_err(Error::from_validator)?;
        if ty.is_reference_type() {
            ref_locals.push((num_locals, count));
        }
        let wide = ty == wasmparser::ValType::V128;
        if wide {
            v128_locals.push((num_locals, count));
        }
        num_locals = num_locals.checked_add(count).ok_or_else(|| Error::invalid("too many locals", offset))?;
        // The validator has bounded the number of locals, so this vector stays small.
        local_wide.resize(num_locals as usize, wide);
    }
    // Pass 1 validates and translates, and notes the constants that loops read from a slot.
    // When there are any, pass 2 translates again (the body is valid by then) with those
    // constants in a pool of slots written at frame entry, so that no loop iteration spends
    // an instruction writing one.
    let prologue = |t: &mut Translator| {
        for &(first, count) in &ref_locals {
            for slot in first..first + count {
                t.emit_const(slot, crate::value::REF_NULL);
            }
        }
        for &(first, count) in &v128_locals {
            for slot in first..first + count {
                t.emit_simd(SimdOp::V128Const, slot, 0, [0, 0, 0]);
                t.emit(Instr::Ext(0, 0, 0));
            }
        }
    };
    let mut t = Translator::new(num_locals, results_wide.clone(), local_wide.clone(), Vec::new());
    prologue(&mut t);
    // The type each untyped `select` picks (`v128` or not), in order, for pass 2.
    let mut selects_wide = Vec::new();
    let mut reader = body.get_operators_reader().map_err(Error::from_decoder)?;
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset().map_err(Error::from_decoder)?;
        validator.op(offset, &op).map_err(Error::from_validator)?;
        t.offset = offset as u32;
        if matches!(op, wasmparser::Operator::Select) {
            // An untyped `select` may pick `v128`s: the validator knows the result's type.
            t.select_wide = matches!(validator.get_operand_type(0), Some(Some(wasmparser::ValType::V128)));
            selects_wide.push(t.select_wide);
        }
        t.translate(&op, validator.resources())?;
    }
    reader.finish().map_err(Error::from_decoder)?;
    if !t.loop_consts.is_empty() {
        let pool = t.loop_consts.clone();
        t = Translator::new(num_locals, results_wide, local_wide, pool);
        prologue(&mut t);
        let mut selects = selects_wide.into_iter();
        let mut reader = body.get_operators_reader().map_err(Error::from_decoder)?;
        while !reader.eof() {
            let (op, offset) = reader.read_with_offset().map_err(Error::from_decoder)?;
            t.offset = offset as u32;
            if matches!(op, wasmparser::Operator::Select) {
                t.select_wide = selects.next().unwrap_or(false);
            }
            t.translate(&op, validator.resources())?;
        }
    }
    let frame_size = (t.stack_base as u64 + t.max_height as u64).max(num_results as u64);
    let frame_size =
        u32::try_from(frame_size).map_err(|_| Error::unsupported("frames over 2^32 slots", t.offset as u64))?;
    if t.code.len() > super::MAX_CODE_WORDS {
        return Err(Error::unsupported("function bodies over 2^26 internal instructions", t.offset as u64));
    }
    let register_only = use_result_register(&mut t.code, t.stack_base);
    Ok(CompiledFunc {
        func_index,
        num_params,
        num_locals,
        frame_size,
        consts: t.pool.into_boxed_slice(),
        code: super::Code::new(t.code, t.has_loop),
        register_only,
        threaded: Default::default(),
        offsets: t.offsets.into_boxed_slice(),
    })
}

/// The last pass: where an instruction reads, as an operand that has a result-register form
/// ([`Instr::with_acc`]), the slot the instruction just before it wrote
/// ([`Instr::result_slot`]), it takes that form, and reads the value from the register the
/// interpreter keeps it in rather than from memory. A chain of dependent operations (a hash
/// step, an address computation, a multiply-accumulate) otherwise waits at every link for a
/// store to be forwarded to the load after it, several cycles each.
///
/// Sound because the slot is written too: only where the instruction runs straight after its
/// predecessor is the register sure to hold the value, so no branch target takes the form
/// (every branch's target is found from the code itself). A call's return lands after the
/// call, whose register contents nobody reads (a call is no producer), and `Ext` words are
/// neither producers nor consumers. Nothing moves, so branch offsets and the trap offset
/// table stay as they are.
///
/// Returns, by instruction, whether its result is read through the register only: it goes to
/// an operand stack slot (at or above `stack_base`; not a local's), and the next instruction
/// pops it from the register and reads the slot through no other operand
/// ([`Instr::acc_only`]). An operand stack value is read once, where it is popped, so no
/// other instruction reads that slot before it is written again, and the interpreter can
/// leave the slot unwritten.
fn use_result_register(code: &mut [Instr], stack_base: u32) -> Box<[bool]> {
    let mut is_target = vec![false; code.len() + 1];
    for (pc, i) in code.iter().enumerate() {
        if let Some(&mut rel) = i.clone().target_mut() {
            let to = pc as i64 + 1 + rel as i32 as i64;
            if let Some(t) = usize::try_from(to).ok().and_then(|to| is_target.get_mut(to)) {
                *t = true;
            }
        }
    }
    let mut register_only = vec![false; code.len()];
    for pc in 1..code.len() {
        if is_target[pc] {
            continue;
        }
        if let Some(r) = code[pc - 1].result_slot()
            && let Some(i) = code[pc].with_acc(r)
        {
            code[pc] = i;
            register_only[pc - 1] = r >= stack_base && i.acc_only() == Some(r);
        }
    }
    register_only.into_boxed_slice()
}

/// At most this many constants go to a function's pool (each costs a store per call).
const MAX_POOL: usize = 32;

/// `(params, results)` counts of type index `ty`.
fn func_type_arity(res: &ValidatorResources, ty: u32) -> Option<(u32, u32)> {
    let sub = res.sub_type_at(ty)?;
    match &sub.composite_type.inner {
        wasmparser::CompositeInnerType::Func(f) => Some((f.params().len() as u32, f.results().len() as u32)),
        _ => None,
    }
}

/// Which params and which results of type index `ty` are `v128`.
fn func_type_wide(res: &ValidatorResources, ty: u32) -> Option<(Vec<bool>, Vec<bool>)> {
    let sub = res.sub_type_at(ty)?;
    let wide = |ts: &[wasmparser::ValType]| ts.iter().map(|t| *t == wasmparser::ValType::V128).collect();
    match &sub.composite_type.inner {
        wasmparser::CompositeInnerType::Func(f) => Some((wide(f.params()), wide(f.results()))),
        _ => None,
    }
}

/// Where the value at one operand stack position is right now.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Operand {
    /// In its home slot.
    Temp,
    /// Still in local `i` (a pending `local.get`).
    Local(u32),
    /// A constant cell not yet written anywhere.
    Const(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CtrlKind {
    Func,
    Block,
    Loop,
    If,
    Else,
}

/// A control frame of the translator.
#[derive(Debug)]
struct Ctrl {
    kind: CtrlKind,
    /// Operand stack height below the block's parameters.
    height: u32,
    params: u32,
    results: u32,
    /// Which params are `v128` (empty when none is).
    params_wide: Vec<bool>,
    /// Which results are `v128` (empty when none is).
    results_wide: Vec<bool>,
    /// A loop's first instruction (its branch target).
    start: u32,
    /// Branches to this frame's end, to patch when it is reached.
    patches: Vec<usize>,
    /// An `if`'s branch to its `else` (or end).
    else_patch: Option<usize>,
    /// Entered in unreachable code: nothing inside is emitted.
    dead: bool,
}

/// A branch condition, possibly fused from the compare that produced it.
#[derive(Debug, Clone, Copy)]
enum Cond {
    Nez(Slot),
    Eqz(Slot),
    I32(Cmp, Slot, Slot),
    I32Imm(Cmp, Slot, i32),
    I64(Cmp, Slot, Slot),
}

/// Integer comparisons that fuse with branches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl Cmp {
    /// The comparison that holds exactly when `self` does not (exact for integers).
    fn invert(self) -> Cmp {
        use Cmp::*;
        match self {
            Eq => Ne,
            Ne => Eq,
            LtS => GeS,
            LtU => GeU,
            GtS => LeS,
            GtU => LeU,
            LeS => GtS,
            LeU => GtU,
            GeS => LtS,
            GeU => LtU,
        }
    }

    /// The comparison with its operands swapped (`a < b` is `b > a`).
    fn swap(self) -> Cmp {
        use Cmp::*;
        match self {
            Eq => Eq,
            Ne => Ne,
            LtS => GtS,
            LtU => GtU,
            GtS => LtS,
            GtU => LtU,
            LeS => GeS,
            LeU => GeU,
            GeS => LeS,
            GeU => LeU,
        }
    }

    fn i32(self, d: Slot, a: Slot, b: Slot) -> Instr {
        use Cmp::*;
        match self {
            Eq => Instr::I32Eq(d, a, b),
            Ne => Instr::I32Ne(d, a, b),
            LtS => Instr::I32LtS(d, a, b),
            LtU => Instr::I32LtU(d, a, b),
            GtS => Instr::I32GtS(d, a, b),
            GtU => Instr::I32GtU(d, a, b),
            LeS => Instr::I32LeS(d, a, b),
            LeU => Instr::I32LeU(d, a, b),
            GeS => Instr::I32GeS(d, a, b),
            GeU => Instr::I32GeU(d, a, b),
        }
    }

    fn i32_imm(self, d: Slot, a: Slot, imm: i32) -> Instr {
        use Cmp::*;
        match self {
            Eq => Instr::I32EqImm(d, a, imm),
            Ne => Instr::I32NeImm(d, a, imm),
            LtS => Instr::I32LtSImm(d, a, imm),
            LtU => Instr::I32LtUImm(d, a, imm),
            GtS => Instr::I32GtSImm(d, a, imm),
            GtU => Instr::I32GtUImm(d, a, imm),
            LeS => Instr::I32LeSImm(d, a, imm),
            LeU => Instr::I32LeUImm(d, a, imm),
            GeS => Instr::I32GeSImm(d, a, imm),
            GeU => Instr::I32GeUImm(d, a, imm),
        }
    }

    fn i64(self, d: Slot, a: Slot, b: Slot) -> Instr {
        use Cmp::*;
        match self {
            Eq => Instr::I64Eq(d, a, b),
            Ne => Instr::I64Ne(d, a, b),
            LtS => Instr::I64LtS(d, a, b),
            LtU => Instr::I64LtU(d, a, b),
            GtS => Instr::I64GtS(d, a, b),
            GtU => Instr::I64GtU(d, a, b),
            LeS => Instr::I64LeS(d, a, b),
            LeU => Instr::I64LeU(d, a, b),
            GeS => Instr::I64GeS(d, a, b),
            GeU => Instr::I64GeU(d, a, b),
        }
    }

    fn br_i32(self, a: Slot, b: Slot, t: u32) -> Instr {
        use Cmp::*;
        match self {
            Eq => Instr::BrIfI32Eq(a, b, t),
            Ne => Instr::BrIfI32Ne(a, b, t),
            LtS => Instr::BrIfI32LtS(a, b, t),
            LtU => Instr::BrIfI32LtU(a, b, t),
            GtS => Instr::BrIfI32GtS(a, b, t),
            GtU => Instr::BrIfI32GtU(a, b, t),
            LeS => Instr::BrIfI32LeS(a, b, t),
            LeU => Instr::BrIfI32LeU(a, b, t),
            GeS => Instr::BrIfI32GeS(a, b, t),
            GeU => Instr::BrIfI32GeU(a, b, t),
        }
    }

    fn br_i32_imm(self, a: Slot, imm: i32, t: u32) -> Instr {
        use Cmp::*;
        match self {
            Eq => Instr::BrIfI32EqImm(a, imm, t),
            Ne => Instr::BrIfI32NeImm(a, imm, t),
            LtS => Instr::BrIfI32LtSImm(a, imm, t),
            LtU => Instr::BrIfI32LtUImm(a, imm, t),
            GtS => Instr::BrIfI32GtSImm(a, imm, t),
            GtU => Instr::BrIfI32GtUImm(a, imm, t),
            LeS => Instr::BrIfI32LeSImm(a, imm, t),
            LeU => Instr::BrIfI32LeUImm(a, imm, t),
            GeS => Instr::BrIfI32GeSImm(a, imm, t),
            GeU => Instr::BrIfI32GeUImm(a, imm, t),
        }
    }

    fn br_i64(self, a: Slot, b: Slot, t: u32) -> Instr {
        use Cmp::*;
        match self {
            Eq => Instr::BrIfI64Eq(a, b, t),
            Ne => Instr::BrIfI64Ne(a, b, t),
            LtS => Instr::BrIfI64LtS(a, b, t),
            LtU => Instr::BrIfI64LtU(a, b, t),
            GtS => Instr::BrIfI64GtS(a, b, t),
            GtU => Instr::BrIfI64GtU(a, b, t),
            LeS => Instr::BrIfI64LeS(a, b, t),
            LeU => Instr::BrIfI64LeU(a, b, t),
            GeS => Instr::BrIfI64GeS(a, b, t),
            GeU => Instr::BrIfI64GeU(a, b, t),
        }
    }

    /// Recognises a compare instruction that can become a fused branch condition.
    fn of(instr: Instr) -> Option<Cond> {
        use Instr::*;
        let (c, a, b, kind) = match instr {
            I32Eqz(_, s) => return Some(Cond::Eqz(s)),
            I32Eq(_, a, b) => (Cmp::Eq, a, b, 0),
            I32Ne(_, a, b) => (Cmp::Ne, a, b, 0),
            I32LtS(_, a, b) => (Cmp::LtS, a, b, 0),
            I32LtU(_, a, b) => (Cmp::LtU, a, b, 0),
            I32GtS(_, a, b) => (Cmp::GtS, a, b, 0),
            I32GtU(_, a, b) => (Cmp::GtU, a, b, 0),
            I32LeS(_, a, b) => (Cmp::LeS, a, b, 0),
            I32LeU(_, a, b) => (Cmp::LeU, a, b, 0),
            I32GeS(_, a, b) => (Cmp::GeS, a, b, 0),
            I32GeU(_, a, b) => (Cmp::GeU, a, b, 0),
            I32EqImm(_, a, b) => (Cmp::Eq, a, b as u32, 1),
            I32NeImm(_, a, b) => (Cmp::Ne, a, b as u32, 1),
            I32LtSImm(_, a, b) => (Cmp::LtS, a, b as u32, 1),
            I32LtUImm(_, a, b) => (Cmp::LtU, a, b as u32, 1),
            I32GtSImm(_, a, b) => (Cmp::GtS, a, b as u32, 1),
            I32GtUImm(_, a, b) => (Cmp::GtU, a, b as u32, 1),
            I32LeSImm(_, a, b) => (Cmp::LeS, a, b as u32, 1),
            I32LeUImm(_, a, b) => (Cmp::LeU, a, b as u32, 1),
            I32GeSImm(_, a, b) => (Cmp::GeS, a, b as u32, 1),
            I32GeUImm(_, a, b) => (Cmp::GeU, a, b as u32, 1),
            I64Eq(_, a, b) => (Cmp::Eq, a, b, 2),
            I64Ne(_, a, b) => (Cmp::Ne, a, b, 2),
            I64LtS(_, a, b) => (Cmp::LtS, a, b, 2),
            I64LtU(_, a, b) => (Cmp::LtU, a, b, 2),
            I64GtS(_, a, b) => (Cmp::GtS, a, b, 2),
            I64GtU(_, a, b) => (Cmp::GtU, a, b, 2),
            I64LeS(_, a, b) => (Cmp::LeS, a, b, 2),
            I64LeU(_, a, b) => (Cmp::LeU, a, b, 2),
            I64GeS(_, a, b) => (Cmp::GeS, a, b, 2),
            I64GeU(_, a, b) => (Cmp::GeU, a, b, 2),
            _ => return None,
        };
        Some(match kind {
            0 => Cond::I32(c, a, b),
            1 => Cond::I32Imm(c, a, b as i32),
            _ => Cond::I64(c, a, b),
        })
    }
}

impl Cond {
    /// The branch to `target` taken when the condition holds (or, with `negate`, fails).
    fn branch(self, target: u32, negate: bool) -> Instr {
        let c = |c: Cmp| if negate { c.invert() } else { c };
        match self {
            Cond::Nez(s) if negate => Instr::BrIfEqz(s, target),
            Cond::Nez(s) => Instr::BrIfNez(s, target),
            Cond::Eqz(s) if negate => Instr::BrIfNez(s, target),
            Cond::Eqz(s) => Instr::BrIfEqz(s, target),
            Cond::I32(k, a, b) => c(k).br_i32(a, b, target),
            Cond::I32Imm(k, a, imm) => c(k).br_i32_imm(a, imm, target),
            Cond::I64(k, a, b) => c(k).br_i64(a, b, target),
        }
    }
}

/// The instruction that produced the top of the stack, while nothing else has been emitted
/// and no label placed since: `local.set` may retarget it, `br_if` may fuse with it.
#[derive(Debug, Clone, Copy)]
struct Fresh {
    pc: usize,
    end: usize,
    pos: usize,
}

/// The translator's state for one function body.
struct Translator {
    num_locals: u32,
    /// The constant pool: cell `k` is in slot `num_locals + k` from frame entry on.
    pool: Vec<u64>,
    /// The first operand stack home slot: `num_locals + pool.len()`.
    stack_base: u32,
    /// Constants read from a slot inside a loop that are not in the pool (distinct, at most
    /// [`MAX_POOL`]): what pass 2 pools.
    loop_consts: Vec<u64>,
    num_results: u32,
    /// Which results of the function are `v128`.
    results_wide: Vec<bool>,
    /// Which locals are `v128`.
    local_wide: Vec<bool>,
    /// Whether the untyped `select` being translated picks `v128`s.
    select_wide: bool,
    stack: Vec<Operand>,
    max_height: u32,
    ctrl: Vec<Ctrl>,
    code: Vec<Instr>,
    offsets: Vec<u32>,
    /// Wasm offset of the operator being translated.
    offset: u32,
    fresh: Option<Fresh>,
    /// False after an unconditional transfer of control, until the next label.
    reachable: bool,
    /// Whether the body has a `loop` (its code is then page-placed, see `code::Code`).
    has_loop: bool,
    /// The pc of the last label placed: an instruction emitted there may be a branch
    /// target, so it must not fuse with the one before it.
    label_pc: usize,
}

impl Translator {
    fn new(num_locals: u32, results_wide: Vec<bool>, local_wide: Vec<bool>, pool: Vec<u64>) -> Self {
        let num_results = results_wide.len() as u32;
        Translator {
            num_locals,
            stack_base: num_locals + pool.len() as u32,
            pool,
            loop_consts: Vec::new(),
            num_results,
            results_wide: results_wide.clone(),
            local_wide,
            select_wide: false,
            stack: Vec::new(),
            max_height: 0,
            ctrl: vec![Ctrl {
                kind: CtrlKind::Func,
                height: 0,
                params: 0,
                results: num_results,
                params_wide: Vec::new(),
                results_wide,
                start: 0,
                patches: Vec::new(),
                else_patch: None,
                dead: false,
            }],
            code: Vec::new(),
            offsets: Vec::new(),
            offset: 0,
            fresh: None,
            reachable: true,
            label_pc: 0,
            has_loop: false,
        }
    }

    // ---- emission ----

    fn pc(&self) -> u32 {
        self.code.len() as u32
    }

    fn emit(&mut self, i: Instr) -> usize {
        self.code.push(i);
        self.offsets.push(self.offset);
        self.code.len() - 1
    }

    /// Emits `i`, whose single result is the new top of the stack, and remembers it as fresh.
    fn emit_result(&mut self, i: Instr) {
        let pc = self.emit(i);
        self.fresh = Some(Fresh { pc, end: self.code.len(), pos: self.stack.len() - 1 });
    }

    /// The fresh producer of the top of the stack, if it is still retargetable.
    fn fresh_top(&self) -> Option<usize> {
        self.fresh_at(self.stack.len().checked_sub(1)?)
    }

    /// The pc of the fresh producer of the value at stack position `pos`, if it is still the
    /// last instruction emitted (nothing emitted or labelled since) and the value is still
    /// its temporary.
    pub(super) fn fresh_at(&self, pos: usize) -> Option<usize> {
        let f = self.fresh?;
        (f.end == self.code.len() && f.pos == pos && self.stack[pos] == Operand::Temp).then_some(f.pc)
    }

    /// Removes the fresh producer at `pc` (the last instruction, see [`Self::fresh_at`]): an
    /// instruction that fuses it does its work instead.
    pub(super) fn drop_fresh(&mut self, pc: usize) {
        self.code.truncate(pc);
        self.offsets.truncate(pc);
        self.fresh = None;
    }

    /// Points the branch at `at` to instruction `target`. Targets are stored relative to the
    /// instruction after the branch (the interpreter's `ip` when it executes the branch), so
    /// that taking a branch needs no code base pointer.
    fn patch(&mut self, at: usize, target: u32) {
        if let Some(t) = self.code[at].target_mut() {
            *t = (target as i64 - (at as i64 + 1)) as i32 as u32;
        }
    }

    /// Places a label at the current pc: nothing emitted before it may be retargeted.
    fn label(&mut self) {
        self.fresh = None;
        self.label_pc = self.code.len();
    }

    /// A loop counter step fused with the branch on the new counter (`Instr::IncBrIf*`):
    /// when the last instruction is `I32AddImm(a, a, step)` (or `I64AddImm` before an i64
    /// compare) with a step that fits 16 bits,
    /// no label lies between it and the branch about to be emitted, and `cond` tests `a`,
    /// the add is removed and the fused branch to `target` returned.
    fn fuse_counter(&mut self, cond: Cond, target: u32) -> Option<Instr> {
        let at = self.code.len().checked_sub(1)?;
        if self.label_pc > at {
            return None;
        }
        let (d, s, step, wide) = match self.code[at] {
            Instr::I32AddImm(d, s, step) => (d, s, step, false),
            Instr::I64AddImm(d, s, step) => (d, s, step, true),
            _ => return None,
        };
        let step = i16::try_from(step).ok().filter(|_| d == s)?;
        use Cmp::*;
        let fused = match cond {
            Cond::I64(c, a, b) if wide && a == d => match c {
                Ne => Instr::IncBrIfI64Ne(step, d, b, target),
                LtS => Instr::IncBrIfI64LtS(step, d, b, target),
                LtU => Instr::IncBrIfI64LtU(step, d, b, target),
                GtS => Instr::IncBrIfI64GtS(step, d, b, target),
                GtU => Instr::IncBrIfI64GtU(step, d, b, target),
                _ => return None,
            },
            _ if wide => return None,
            Cond::Nez(a) if a == d => Instr::IncBrIfNez(step, d, target),
            Cond::I32(c, a, b) if a == d => match c {
                Ne => Instr::IncBrIfI32Ne(step, d, b, target),
                LtS => Instr::IncBrIfI32LtS(step, d, b, target),
                LtU => Instr::IncBrIfI32LtU(step, d, b, target),
                GtS => Instr::IncBrIfI32GtS(step, d, b, target),
                GtU => Instr::IncBrIfI32GtU(step, d, b, target),
                _ => return None,
            },
            Cond::I32Imm(c, a, imm) if a == d => match c {
                Ne => Instr::IncBrIfI32NeImm(step, d, imm, target),
                LtS => Instr::IncBrIfI32LtSImm(step, d, imm, target),
                LtU => Instr::IncBrIfI32LtUImm(step, d, imm, target),
                GtS => Instr::IncBrIfI32GtSImm(step, d, imm, target),
                GtU => Instr::IncBrIfI32GtUImm(step, d, imm, target),
                _ => return None,
            },
            _ => return None,
        };
        self.code.truncate(at);
        self.offsets.truncate(at);
        self.fresh = None;
        Some(fused)
    }

    /// Emits a SIMD instruction and its first `Ext` word with `ext` = `(b, c, imm)`.
    fn emit_simd(&mut self, op: SimdOp, dst: Slot, a: Slot, ext: [u32; 3]) -> usize {
        self.emit_simd_on(op, 0, dst, a, ext)
    }

    /// [`Self::emit_simd`] for an operation on memory `memory` (see `memory_index`).
    fn emit_simd_on(&mut self, op: SimdOp, memory: u16, dst: Slot, a: Slot, ext: [u32; 3]) -> usize {
        let pc = self.emit(Instr::Simd(op, memory, dst, a));
        self.emit(Instr::Ext(ext[0], ext[1], ext[2]));
        pc
    }

    /// A move of one value, of either width.
    fn emit_copy(&mut self, dst: Slot, src: Slot, wide: bool) {
        if wide {
            self.emit_simd(SimdOp::Copy, dst, src, [0; 3]);
        } else {
            self.emit(Instr::Copy(dst, src));
        }
    }

    fn local_is_wide(&self, i: u32) -> bool {
        self.local_wide.get(i as usize).copied().unwrap_or(false)
    }

    fn emit_const(&mut self, dst: Slot, v: u64) {
        if v <= u32::MAX as u64 {
            self.emit(Instr::Const32(dst, v as u32));
        } else {
            self.emit(Instr::Const64(dst, v as u32, (v >> 32) as u32));
        }
    }

    // ---- operand stack ----

    fn home(&self, pos: usize) -> Slot {
        self.stack_base + pos as u32
    }

    fn push(&mut self, o: Operand) {
        self.stack.push(o);
        self.max_height = self.max_height.max(self.stack.len() as u32);
    }

    /// Pushes a result in its home slot and returns that slot.
    fn push_temp(&mut self) -> Slot {
        self.push(Operand::Temp);
        self.home(self.stack.len() - 1)
    }

    fn pop(&mut self) -> Operand {
        // Validation guarantees the operand exists in reachable code.
        self.stack.pop().unwrap_or(Operand::Temp)
    }

    /// Writes the value at `pos` to its home slot if it is not there yet.
    fn materialize(&mut self, pos: usize) {
        let home = self.home(pos);
        match self.stack[pos] {
            Operand::Temp => {}
            Operand::Local(i) => self.emit_copy(home, i, self.local_is_wide(i)),
            Operand::Const(v) => self.emit_const(home, v),
        }
        self.stack[pos] = Operand::Temp;
    }

    fn materialize_all(&mut self) {
        for pos in 0..self.stack.len() {
            self.materialize(pos);
        }
    }

    /// Materialises the top `n` operands (consecutive argument slots).
    fn materialize_top(&mut self, n: usize) {
        let len = self.stack.len();
        for pos in len.saturating_sub(n)..len {
            self.materialize(pos);
        }
    }

    /// Before local `i` is overwritten: every pending read of it must take its value now.
    fn preserve_local(&mut self, i: u32) {
        for pos in 0..self.stack.len() {
            if self.stack[pos] == Operand::Local(i) {
                self.materialize(pos);
            }
        }
    }

    /// The slot holding the value at `pos`: a pooled constant's pool slot; another constant is
    /// written to its home slot (and, inside a loop, noted for the pool).
    fn slot_at(&mut self, pos: usize) -> Slot {
        match self.stack[pos] {
            Operand::Local(i) => i,
            Operand::Temp => self.home(pos),
            Operand::Const(v) => {
                if let Some(k) = self.pool.iter().position(|&c| c == v) {
                    return self.num_locals + k as u32;
                }
                if self.loop_consts.len() < MAX_POOL
                    && !self.loop_consts.contains(&v)
                    && self.ctrl.iter().any(|c| c.kind == CtrlKind::Loop && !c.dead)
                {
                    self.loop_consts.push(v);
                }
                self.materialize(pos);
                self.home(pos)
            }
        }
    }

    /// Pops the top operand and returns its slot.
    fn pop_slot(&mut self) -> Slot {
        let pos = self.stack.len() - 1;
        let s = self.slot_at(pos);
        self.stack.pop();
        s
    }

    /// Pops three operands and returns their slots, first operand first.
    fn pop3(&mut self) -> (Slot, Slot, Slot) {
        let n = self.stack.len();
        let c = self.slot_at(n - 1);
        let b = self.slot_at(n - 2);
        let a = self.slot_at(n - 3);
        self.stack.truncate(n - 3);
        (a, b, c)
    }

    fn top_const(&self) -> Option<u64> {
        match self.stack.last() {
            Some(Operand::Const(v)) => Some(*v),
            _ => None,
        }
    }

    // ---- control ----

    /// Which params and results of a block type are `v128` (their counts are the arity).
    fn block_wide(&self, res: &ValidatorResources, ty: BlockType) -> (Vec<bool>, Vec<bool>) {
        match ty {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), vec![t == wasmparser::ValType::V128]),
            BlockType::FuncType(t) => func_type_wide(res, t).unwrap_or_default(),
        }
    }

    fn push_ctrl(&mut self, kind: CtrlKind, wide: (Vec<bool>, Vec<bool>)) {
        let (params_wide, results_wide) = wide;
        let (params, results) = (params_wide.len() as u32, results_wide.len() as u32);
        let dead = !self.reachable;
        let height = if dead { self.stack.len() as u32 } else { self.stack.len() as u32 - params };
        self.ctrl.push(Ctrl {
            kind,
            height,
            params,
            results,
            params_wide,
            results_wide,
            start: self.pc(),
            patches: Vec::new(),
            else_patch: None,
            dead,
        });
    }

    /// After an unconditional transfer: the rest of the block is not emitted.
    fn set_unreachable(&mut self) {
        self.reachable = false;
        let h = self.ctrl.last().map_or(0, |c| c.height) as usize;
        self.stack.truncate(h);
    }

    /// Label `depth`'s frame index, height, arity, and whether it is the function frame.
    fn label_info(&self, depth: u32) -> (usize, u32, u32, bool) {
        let idx = self.ctrl.len() - 1 - depth as usize;
        let c = &self.ctrl[idx];
        let arity = if c.kind == CtrlKind::Loop { c.params } else { c.results };
        (idx, c.height, arity, c.kind == CtrlKind::Func)
    }

    /// Whether branching to a label at `height` with `arity` values must move any value.
    fn needs_copies(&self, height: u32, arity: u32) -> bool {
        let n = self.stack.len();
        (0..arity as usize).any(|k| {
            let pos = n - arity as usize + k;
            !(self.stack[pos] == Operand::Temp && pos == height as usize + k)
        })
    }

    /// Which of label `idx`'s values are `v128` (a loop's params, else its results).
    fn label_wide(&self, idx: usize) -> Vec<bool> {
        let c = &self.ctrl[idx];
        if c.kind == CtrlKind::Loop { c.params_wide.clone() } else { c.results_wide.clone() }
    }

    /// Emits the moves of the top `arity` values into the home slots of label `idx`.
    /// Destinations never lie above their sources, so copying in increasing order is safe.
    /// Does not change the translator's stack (the branch may not be taken).
    fn emit_branch_copies(&mut self, idx: usize, height: u32, arity: u32) {
        let n = self.stack.len();
        let wide = self.label_wide(idx);
        for k in 0..arity as usize {
            let pos = n - arity as usize + k;
            let dst = self.home(height as usize + k);
            let w = wide.get(k).copied().unwrap_or(false);
            match self.stack[pos] {
                Operand::Temp if self.home(pos) == dst => {}
                Operand::Temp => self.emit_copy(dst, self.home(pos), w),
                Operand::Local(i) => self.emit_copy(dst, i, w),
                Operand::Const(v) => self.emit_const(dst, v),
            }
        }
    }

    /// Emits an unconditional jump to label `idx` (its copies already emitted).
    fn emit_jump(&mut self, idx: usize) {
        if self.ctrl[idx].kind == CtrlKind::Loop {
            let start = self.ctrl[idx].start;
            let at = self.emit(Instr::Br(0));
            self.patch(at, start);
        } else {
            let at = self.emit(Instr::Br(0));
            self.ctrl[idx].patches.push(at);
        }
    }

    /// Emits a conditional branch on `cond` to label `idx` (no copies needed).
    fn emit_cond_jump(&mut self, idx: usize, cond: Cond) {
        if self.ctrl[idx].kind == CtrlKind::Loop {
            let start = self.ctrl[idx].start;
            let branch = self.fuse_counter(cond, 0).unwrap_or_else(|| cond.branch(0, false));
            let at = self.emit(branch);
            self.patch(at, start);
        } else {
            let at = self.emit(cond.branch(0, false));
            self.ctrl[idx].patches.push(at);
        }
    }

    /// Emits a return of the top `num_results` values without changing the translator's
    /// stack. Results go to slots `0..n`; with several results they are first written to
    /// their home slots so that no copy overwrites a local another copy still reads.
    fn emit_return(&mut self) {
        let n = self.num_results as usize;
        let len = self.stack.len();
        match n {
            0 => {
                self.emit(Instr::Return);
            }
            1 if self.results_wide[0] => {
                let src = match self.stack[len - 1] {
                    Operand::Local(i) => i,
                    _ => self.home(len - 1),
                };
                self.emit_copy(0, src, true);
                self.emit(Instr::Return);
            }
            1 => match self.stack[len - 1] {
                Operand::Temp => {
                    self.emit(Instr::Return1(self.home(len - 1)));
                }
                Operand::Local(i) => {
                    self.emit(Instr::Return1(i));
                }
                Operand::Const(v) => {
                    self.emit_const(0, v);
                    self.emit(Instr::Return);
                }
            },
            _ => {
                for pos in len - n..len {
                    let home = self.home(pos);
                    let w = self.results_wide[pos - (len - n)];
                    match self.stack[pos] {
                        Operand::Temp => {}
                        Operand::Local(i) => self.emit_copy(home, i, w),
                        Operand::Const(v) => self.emit_const(home, v),
                    }
                }
                for k in 0..n {
                    let src = self.home(len - n + k);
                    if src != k as u32 {
                        self.emit_copy(k as u32, src, self.results_wide[k]);
                    }
                }
                self.emit(Instr::Return);
            }
        }
    }

    /// Pops a branch condition, fusing it with the compare that produced it when possible.
    fn pop_cond(&mut self) -> Cond {
        if let Some(pc) = self.fresh_top()
            && let Some(cond) = Cmp::of(self.code[pc])
        {
            // The compare is the last instruction: drop it and branch on its operands, which
            // still hold the same values.
            self.code.truncate(pc);
            self.offsets.truncate(pc);
            self.fresh = None;
            self.stack.pop();
            return cond;
        }
        Cond::Nez(self.pop_slot())
    }

    fn op_block(&mut self, res: &ValidatorResources, ty: BlockType, kind: CtrlKind) {
        let wide = self.block_wide(res, ty);
        if self.reachable {
            self.materialize_all();
        }
        self.label();
        self.push_ctrl(kind, wide);
    }

    fn op_if(&mut self, res: &ValidatorResources, ty: BlockType) {
        let wide = self.block_wide(res, ty);
        if !self.reachable {
            self.push_ctrl(CtrlKind::If, wide);
            return;
        }
        let cond = self.pop_cond();
        self.materialize_all();
        let at = self.emit(cond.branch(0, true));
        self.label();
        self.push_ctrl(CtrlKind::If, wide);
        if let Some(c) = self.ctrl.last_mut() {
            c.else_patch = Some(at);
        }
    }

    fn op_else(&mut self) {
        let idx = self.ctrl.len() - 1;
        if self.ctrl[idx].dead {
            self.ctrl[idx].kind = CtrlKind::Else;
            return;
        }
        if self.reachable {
            let n = self.ctrl[idx].results as usize;
            self.materialize_top(n);
            let at = self.emit(Instr::Br(0));
            self.ctrl[idx].patches.push(at);
        }
        let here = self.pc();
        if let Some(at) = self.ctrl[idx].else_patch.take() {
            self.patch(at, here);
        }
        self.label();
        let c = &mut self.ctrl[idx];
        c.kind = CtrlKind::Else;
        let (height, params) = (c.height, c.params);
        self.stack.truncate(height as usize);
        for _ in 0..params {
            self.push(Operand::Temp);
        }
        self.reachable = true;
    }

    /// `end`: returns true when it closed the function body.
    fn op_end(&mut self) -> bool {
        let idx = self.ctrl.len() - 1;
        if self.ctrl[idx].kind == CtrlKind::Func {
            if self.reachable {
                self.emit_return();
            }
            self.ctrl.pop();
            return true;
        }
        if self.ctrl[idx].dead {
            self.ctrl.pop();
            return false;
        }
        if self.reachable {
            let n = self.ctrl[idx].results as usize;
            self.materialize_top(n);
        }
        let Some(c) = self.ctrl.pop() else { return false };
        let here = self.pc();
        for at in c.patches {
            self.patch(at, here);
        }
        if let Some(at) = c.else_patch {
            self.patch(at, here);
        }
        self.label();
        self.stack.truncate(c.height as usize);
        for _ in 0..c.results {
            self.push(Operand::Temp);
        }
        // Conservative: code after a block whose end no path reaches is emitted anyway; its
        // layout is consistent, it just never runs.
        self.reachable = true;
        false
    }

    fn op_br(&mut self, depth: u32) {
        let (idx, height, arity, is_func) = self.label_info(depth);
        if is_func {
            self.emit_return();
        } else {
            self.emit_branch_copies(idx, height, arity);
            self.emit_jump(idx);
        }
        self.set_unreachable();
    }

    fn op_br_if(&mut self, depth: u32) {
        let cond = self.pop_cond();
        let (idx, height, arity, is_func) = self.label_info(depth);
        if !is_func && !self.needs_copies(height, arity) {
            self.emit_cond_jump(idx, cond);
            return;
        }
        // Values must move only when the branch is taken: skip the moves when it is not.
        let skip = self.emit(cond.branch(0, true));
        if is_func {
            self.emit_return();
        } else {
            self.emit_branch_copies(idx, height, arity);
            self.emit_jump(idx);
        }
        let here = self.pc();
        self.patch(skip, here);
        self.label();
    }

    fn op_br_table(&mut self, targets: &wasmparser::BrTable<'_>) -> Result<(), Error> {
        let idx_slot = self.pop_slot();
        let mut depths = Vec::with_capacity(targets.len() as usize + 1);
        for t in targets.targets() {
            depths.push(t.map_err(Error::from_decoder)?);
        }
        depths.push(targets.default());
        self.emit(Instr::BrTable(idx_slot, targets.len()));
        let table_start = self.code.len();
        // Entries that need moves or a return jump to a stub after the table, one per depth.
        let mut stubs: Vec<(u32, usize)> = Vec::new();
        for &d in &depths {
            let (idx, height, arity, is_func) = self.label_info(d);
            if is_func || self.needs_copies(height, arity) {
                let at = self.emit(Instr::Br(0));
                stubs.push((d, at));
            } else {
                self.emit_jump(idx);
            }
        }
        let mut done: Vec<(u32, u32)> = Vec::new();
        for (d, at) in stubs {
            let stub = match done.iter().find(|(dd, _)| *dd == d) {
                Some(&(_, pc)) => pc,
                None => {
                    let pc = self.pc();
                    let (idx, height, arity, is_func) = self.label_info(d);
                    if is_func {
                        self.emit_return();
                    } else {
                        self.emit_branch_copies(idx, height, arity);
                        self.emit_jump(idx);
                    }
                    done.push((d, pc));
                    pc
                }
            };
            self.patch(at, stub);
        }
        debug_assert!(table_start + depths.len() <= self.code.len());
        self.set_unreachable();
        Ok(())
    }
}

#[cfg(test)]
mod tests;
