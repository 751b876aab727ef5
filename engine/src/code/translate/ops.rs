//! Per-operator translation: which internal instruction each wasm operator becomes, and
//! where immediates and no-op conversions apply.

use super::{Cmp, CtrlKind, Operand, Translator, func_type_arity, func_type_wide};
use crate::code::{Instr, SimdOp, Slot};
use crate::error::Error;
use crate::value::REF_NULL;
use wasmparser::{MemArg, MemArgTarget, Operator, ValidatorResources, WasmModuleResources};

type Bin = fn(Slot, Slot, Slot) -> Instr;
type BinImm = fn(Slot, Slot, i32) -> Instr;
type Un = fn(Slot, Slot) -> Instr;
type Mem = fn(Slot, Slot, u32) -> Instr;
type StoreImm = fn(Slot, i32, u32) -> Instr;
/// An indexed access's constructor (`Instr::I32LoadShl`, ...): `(shift, slot, slot, offset)`.
type Indexed = fn(u16, Slot, Slot, u32) -> Instr;
/// A load fused into the add that reads it: `(offset, dst, a, addr)`.
type AddLoad = fn(u16, Slot, Slot, Slot) -> Instr;
/// An access at a sum (`Instr::I32LoadAdd`, ...): `(offset, dst, a, b)` or `(offset, a, b, value)`.
type AtSum = fn(u16, Slot, Slot, Slot) -> Instr;

/// The form of plain inline access `plain` that also adds its address from two slots, if it
/// has one.
fn at_sum(plain: Instr) -> Option<AtSum> {
    match plain {
        Instr::I32Load(..) => Some(Instr::I32LoadAdd),
        Instr::I64Load(..) => Some(Instr::I64LoadAdd),
        Instr::I32Load8U(..) => Some(Instr::I32Load8UAdd),
        Instr::I32Store(..) => Some(Instr::I32StoreAdd),
        Instr::I64Store(..) => Some(Instr::I64StoreAdd),
        Instr::I32Store8(..) => Some(Instr::I32Store8Add),
        _ => None,
    }
}

/// Whether memory `m`'s scalar accesses may be inline in the loop: memory 0 when it is a
/// 32-bit memory with 64 KiB pages. A memory64 memory, a 1-byte-page memory (whose accesses
/// are checked in full on the out-of-line path even on guard pages, see
/// `memory/guard.rs`) and any other memory take the general path.
pub(super) fn memory_is_inline(res: &ValidatorResources, m: u32) -> bool {
    m == 0 && res.memory_at(m).is_some_and(|t| !t.memory64 && t.page_size_log2.is_none_or(|p| p == 16))
}

/// Whether scalar accesses to memory `m` at static offset `offset` run inline in their
/// memory64 form (`Instr::I32LoadM64`, ...): memory 0, a memory64 memory with 64 KiB pages,
/// an offset below 2^32 (what a guard reservation covers past the length).
fn memory64_is_inline(res: &ValidatorResources, m: u32, offset: u64) -> bool {
    m == 0
        && offset <= u32::MAX as u64
        && res.memory_at(m).is_some_and(|t| t.memory64 && t.page_size_log2.is_none_or(|p| p == 16))
}

impl Translator {
    /// Translates one operator (already accepted by the validator).
    pub(super) fn translate(&mut self, op: &Operator<'_>, res: &ValidatorResources) -> Result<(), Error> {
        use Operator::*;
        match op {
            Block { blockty } => self.op_block(res, *blockty, CtrlKind::Block),
            Loop { blockty } => {
                self.has_loop = true;
                self.op_block(res, *blockty, CtrlKind::Loop)
            }
            If { blockty } => self.op_if(res, *blockty),
            Else => self.op_else(),
            End => {
                self.op_end();
            }
            _ if !self.reachable => {}
            Nop => {}
            Unreachable => {
                self.emit(Instr::Unreachable);
                self.set_unreachable();
            }
            Br { relative_depth } => self.op_br(*relative_depth),
            BrIf { relative_depth } => self.op_br_if(*relative_depth),
            BrTable { targets } => self.op_br_table(targets)?,
            Return => {
                self.emit_return();
                self.set_unreachable();
            }
            Call { function_index } => {
                let (np, nr) = self.callee_arity(res, *function_index)?;
                let base = self.call_args(np);
                self.emit(Instr::Call { func: *function_index, base });
                self.push_results(nr);
            }
            CallIndirect { type_index, table_index } => {
                let (np, nr) = self.type_arity(res, *type_index)?;
                let index = self.pop_slot();
                let base = self.call_args(np);
                self.emit(Instr::CallIndirect { ty: *type_index, base, index });
                self.emit(Instr::Ext(*table_index, 0, 0));
                self.push_results(nr);
            }
            ReturnCall { function_index } => {
                let (np, _) = self.callee_arity(res, *function_index)?;
                let base = self.call_args(np);
                let ty = res.type_index_of_function(*function_index).unwrap_or(u32::MAX);
                self.move_wide_args(res, ty, base);
                self.emit(Instr::ReturnCall { func: *function_index, base });
                self.set_unreachable();
            }
            ReturnCallIndirect { type_index, table_index } => {
                let (np, _) = self.type_arity(res, *type_index)?;
                let index = self.pop_slot();
                let base = self.call_args(np);
                self.move_wide_args(res, *type_index, base);
                self.emit(Instr::ReturnCallIndirect { ty: *type_index, base, index });
                self.emit(Instr::Ext(*table_index, 0, 0));
                self.set_unreachable();
            }
            Drop => {
                self.pop();
            }
            Select => self.op_select(self.select_wide),
            TypedSelect { ty } => self.op_select(*ty == wasmparser::ValType::V128),
            TypedSelectMulti { tys } if tys.len() == 1 => self.op_select(tys[0] == wasmparser::ValType::V128),
            LocalGet { local_index } => self.push(Operand::Local(*local_index)),
            LocalSet { local_index } => self.op_local_set(*local_index, false),
            LocalTee { local_index } => self.op_local_set(*local_index, true),
            GlobalGet { global_index } if self.global_is_wide(res, *global_index) => {
                let d = self.push_temp();
                self.emit_simd(SimdOp::GlobalGet, d, 0, [0, 0, *global_index]);
            }
            GlobalSet { global_index } if self.global_is_wide(res, *global_index) => {
                let s = self.pop_slot();
                self.emit_simd(SimdOp::GlobalSet, 0, s, [0, 0, *global_index]);
            }
            GlobalGet { global_index } => {
                let d = self.push_temp();
                self.emit_result(Instr::GlobalGet(d, *global_index));
            }
            GlobalSet { global_index } => {
                let s = self.pop_slot();
                self.emit(Instr::GlobalSet(*global_index, s));
            }

            I32Load { memarg } | F32Load { memarg } => self.load(res, memarg, Instr::I32Load, SimdOp::MemI32Load)?,
            I64Load { memarg } | F64Load { memarg } => self.load(res, memarg, Instr::I64Load, SimdOp::MemI64Load)?,
            I32Load8S { memarg } => self.load(res, memarg, Instr::I32Load8S, SimdOp::MemI32Load8S)?,
            I32Load8U { memarg } => self.load(res, memarg, Instr::I32Load8U, SimdOp::MemI32Load8U)?,
            I32Load16S { memarg } => self.load(res, memarg, Instr::I32Load16S, SimdOp::MemI32Load16S)?,
            I32Load16U { memarg } => self.load(res, memarg, Instr::I32Load16U, SimdOp::MemI32Load16U)?,
            I64Load8S { memarg } => self.load(res, memarg, Instr::I64Load8S, SimdOp::MemI64Load8S)?,
            I64Load8U { memarg } => self.load(res, memarg, Instr::I64Load8U, SimdOp::MemI64Load8U)?,
            I64Load16S { memarg } => self.load(res, memarg, Instr::I64Load16S, SimdOp::MemI64Load16S)?,
            I64Load16U { memarg } => self.load(res, memarg, Instr::I64Load16U, SimdOp::MemI64Load16U)?,
            I64Load32S { memarg } => self.load(res, memarg, Instr::I64Load32S, SimdOp::MemI64Load32S)?,
            I64Load32U { memarg } => self.load(res, memarg, Instr::I64Load32U, SimdOp::MemI64Load32U)?,
            // Narrow stores take the low bits of the cell, so one instruction serves both widths;
            // float stores move the bits.
            I32Store { memarg } | F32Store { memarg } | I64Store32 { memarg } => {
                self.store(res, memarg, (Instr::I32Store, SimdOp::MemI32Store), Some(Instr::I32StoreImm), false)?
            }
            I64Store { memarg } | F64Store { memarg } => {
                self.store(res, memarg, (Instr::I64Store, SimdOp::MemI64Store), Some(Instr::I64StoreImm), true)?
            }
            I32Store8 { memarg } | I64Store8 { memarg } => {
                self.store(res, memarg, (Instr::I32Store8, SimdOp::MemI32Store8), Some(Instr::I32Store8Imm), false)?
            }
            I32Store16 { memarg } | I64Store16 { memarg } => {
                self.store(res, memarg, (Instr::I32Store16, SimdOp::MemI32Store16), Some(Instr::I32Store16Imm), false)?
            }
            MemorySize { mem } => {
                let m = self.memory_index(*mem)?;
                let d = self.push_temp();
                if m == 0 {
                    self.emit_result(Instr::MemorySize(d));
                } else {
                    self.emit_simd_on(SimdOp::MemSize, m, d, 0, [0; 3]);
                }
            }
            MemoryGrow { mem } => {
                self.memory_index(*mem)?;
                let delta = self.pop_slot();
                let d = self.push_temp();
                self.emit_result(Instr::MemoryGrow(d, delta, *mem));
            }
            MemoryFill { mem } => {
                self.memory_index(*mem)?;
                let args = self.bulk_args(3);
                self.emit(Instr::MemoryFill(args, *mem));
            }
            MemoryCopy { dst_mem, src_mem } => {
                self.memory_index(*dst_mem)?;
                self.memory_index(*src_mem)?;
                let args = self.bulk_args(3);
                self.emit(Instr::MemoryCopy(args, *dst_mem, *src_mem));
            }
            MemoryInit { data_index, mem } => {
                self.memory_index(*mem)?;
                let args = self.bulk_args(3);
                self.emit(Instr::MemoryInit(*data_index, args, *mem));
            }
            DataDrop { data_index } => {
                self.emit(Instr::DataDrop(*data_index));
            }

            TableGet { table } => {
                let i = self.pop_slot();
                let d = self.push_temp();
                self.emit_result(Instr::TableGet(d, *table, i));
            }
            TableSet { table } => {
                let n = self.stack.len();
                let v = self.slot_at(n - 1);
                let i = self.slot_at(n - 2);
                self.stack.truncate(n - 2);
                self.emit(Instr::TableSet(*table, i, v));
            }
            TableSize { table } => {
                let d = self.push_temp();
                self.emit_result(Instr::TableSize(d, *table));
            }
            TableGrow { table } => {
                let args = self.bulk_args(2);
                self.push(Operand::Temp);
                self.emit(Instr::TableGrow(*table, args));
            }
            TableFill { table } => {
                let args = self.bulk_args(3);
                self.emit(Instr::TableFill(*table, args));
            }
            TableCopy { dst_table, src_table } => {
                let args = self.bulk_args(3);
                self.emit(Instr::TableCopy(*dst_table, *src_table, args));
            }
            TableInit { elem_index, table } => {
                let args = self.bulk_args(3);
                self.emit(Instr::TableInit(*table, *elem_index, args));
            }
            ElemDrop { elem_index } => {
                self.emit(Instr::ElemDrop(*elem_index));
            }

            I32Const { value } => self.push(Operand::Const(*value as u32 as u64)),
            I64Const { value } => self.push(Operand::Const(*value as u64)),
            F32Const { value } => self.push(Operand::Const(value.bits() as u64)),
            F64Const { value } => self.push(Operand::Const(value.bits())),
            RefNull { .. } => self.push(Operand::Const(REF_NULL)),
            RefIsNull => self.un(Instr::RefIsNull),
            RefFunc { function_index } => {
                let d = self.push_temp();
                self.emit_result(Instr::RefFunc(d, *function_index));
            }

            I32Eqz => self.un(Instr::I32Eqz),
            I32Eq => self.cmp_i32(Cmp::Eq),
            I32Ne => self.cmp_i32(Cmp::Ne),
            I32LtS => self.cmp_i32(Cmp::LtS),
            I32LtU => self.cmp_i32(Cmp::LtU),
            I32GtS => self.cmp_i32(Cmp::GtS),
            I32GtU => self.cmp_i32(Cmp::GtU),
            I32LeS => self.cmp_i32(Cmp::LeS),
            I32LeU => self.cmp_i32(Cmp::LeU),
            I32GeS => self.cmp_i32(Cmp::GeS),
            I32GeU => self.cmp_i32(Cmp::GeU),
            I64Eqz => self.un(Instr::I64Eqz),
            I64Eq => self.cmp_i64(Cmp::Eq),
            I64Ne => self.cmp_i64(Cmp::Ne),
            I64LtS => self.cmp_i64(Cmp::LtS),
            I64LtU => self.cmp_i64(Cmp::LtU),
            I64GtS => self.cmp_i64(Cmp::GtS),
            I64GtU => self.cmp_i64(Cmp::GtU),
            I64LeS => self.cmp_i64(Cmp::LeS),
            I64LeU => self.cmp_i64(Cmp::LeU),
            I64GeS => self.cmp_i64(Cmp::GeS),
            I64GeU => self.cmp_i64(Cmp::GeU),
            F32Eq => self.bin(Instr::F32Eq),
            F32Ne => self.bin(Instr::F32Ne),
            F32Lt => self.bin(Instr::F32Lt),
            F32Gt => self.bin(Instr::F32Gt),
            F32Le => self.bin(Instr::F32Le),
            F32Ge => self.bin(Instr::F32Ge),
            F64Eq => self.bin(Instr::F64Eq),
            F64Ne => self.bin(Instr::F64Ne),
            F64Lt => self.bin(Instr::F64Lt),
            F64Gt => self.bin(Instr::F64Gt),
            F64Le => self.bin(Instr::F64Le),
            F64Ge => self.bin(Instr::F64Ge),

            I32Clz => self.un(Instr::I32Clz),
            I32Ctz => self.un(Instr::I32Ctz),
            I32Popcnt => self.un(Instr::I32Popcnt),
            I32Add => self.add_load(
                |l| matches!(l, Instr::I32Load(..)).then_some(Instr::I32AddLoad as AddLoad),
                |t| t.bin_imm(Instr::I32Add, Instr::I32AddImm, true, false),
            ),
            I32Sub => self.i32_sub(),
            I32Mul => self.bin_imm(Instr::I32Mul, Instr::I32MulImm, true, false),
            I32DivS => self.bin(Instr::I32DivS),
            I32DivU => self.bin(Instr::I32DivU),
            I32RemS => self.bin(Instr::I32RemS),
            I32RemU => self.bin(Instr::I32RemU),
            I32And => self.bin_imm(Instr::I32And, Instr::I32AndImm, true, false),
            I32Or => self.bin_imm(Instr::I32Or, Instr::I32OrImm, true, false),
            I32Xor => self.bin_imm(Instr::I32Xor, Instr::I32XorImm, true, false),
            I32Shl => self.bin_imm(Instr::I32Shl, Instr::I32ShlImm, false, false),
            I32ShrS => self.bin_imm(Instr::I32ShrS, Instr::I32ShrSImm, false, false),
            I32ShrU => self.bin_imm(Instr::I32ShrU, Instr::I32ShrUImm, false, false),
            I32Rotl => self.bin_imm(Instr::I32Rotl, Instr::I32RotlImm, false, false),
            I32Rotr => self.bin_imm(Instr::I32Rotr, Instr::I32RotrImm, false, false),
            I64Clz => self.un(Instr::I64Clz),
            I64Ctz => self.un(Instr::I64Ctz),
            I64Popcnt => self.un(Instr::I64Popcnt),
            I64Add => self.add_load(
                |l| match l {
                    Instr::I64Load(..) => Some(Instr::I64AddLoad as AddLoad),
                    Instr::I32Load(..) => Some(Instr::I64AddLoad32U),
                    _ => None,
                },
                |t| t.bin_imm(Instr::I64Add, Instr::I64AddImm, true, true),
            ),
            I64Sub => self.i64_sub(),
            I64Mul => self.bin_imm(Instr::I64Mul, Instr::I64MulImm, true, true),
            I64DivS => self.bin(Instr::I64DivS),
            I64DivU => self.bin(Instr::I64DivU),
            I64RemS => self.bin(Instr::I64RemS),
            I64RemU => self.bin(Instr::I64RemU),
            I64And => self.bin_imm(Instr::I64And, Instr::I64AndImm, true, true),
            I64Or => self.bin_imm(Instr::I64Or, Instr::I64OrImm, true, true),
            I64Xor => self.bin_imm(Instr::I64Xor, Instr::I64XorImm, true, true),
            I64Shl => self.bin_imm(Instr::I64Shl, Instr::I64ShlImm, false, true),
            I64ShrS => self.bin_imm(Instr::I64ShrS, Instr::I64ShrSImm, false, true),
            I64ShrU => self.bin_imm(Instr::I64ShrU, Instr::I64ShrUImm, false, true),
            I64Rotl => self.bin(Instr::I64Rotl),
            I64Rotr => self.bin(Instr::I64Rotr),

            F32Abs => self.un(Instr::F32Abs),
            F32Neg => self.un(Instr::F32Neg),
            F32Ceil => self.un(Instr::F32Ceil),
            F32Floor => self.un(Instr::F32Floor),
            F32Trunc => self.un(Instr::F32Trunc),
            F32Nearest => self.un(Instr::F32Nearest),
            F32Sqrt => self.un(Instr::F32Sqrt),
            F32Add => self.bin(Instr::F32Add),
            F32Sub => self.bin(Instr::F32Sub),
            F32Mul => self.bin(Instr::F32Mul),
            F32Div => self.bin(Instr::F32Div),
            F32Min => self.bin(Instr::F32Min),
            F32Max => self.bin(Instr::F32Max),
            F32Copysign => self.bin(Instr::F32Copysign),
            F64Abs => self.un(Instr::F64Abs),
            F64Neg => self.un(Instr::F64Neg),
            F64Ceil => self.un(Instr::F64Ceil),
            F64Floor => self.un(Instr::F64Floor),
            F64Trunc => self.un(Instr::F64Trunc),
            F64Nearest => self.un(Instr::F64Nearest),
            F64Sqrt => self.un(Instr::F64Sqrt),
            F64Add => self.add_load(
                |l| matches!(l, Instr::I64Load(..)).then_some(Instr::F64AddLoad as AddLoad),
                |t| t.bin(Instr::F64Add),
            ),
            F64Sub => self.bin(Instr::F64Sub),
            F64Mul => self.bin(Instr::F64Mul),
            F64Div => self.bin(Instr::F64Div),
            F64Min => self.bin(Instr::F64Min),
            F64Max => self.bin(Instr::F64Max),
            F64Copysign => self.bin(Instr::F64Copysign),

            I32WrapI64 => self.un(Instr::I32WrapI64),
            I32TruncF32S => self.un(Instr::I32TruncF32S),
            I32TruncF32U => self.un(Instr::I32TruncF32U),
            I32TruncF64S => self.un(Instr::I32TruncF64S),
            I32TruncF64U => self.un(Instr::I32TruncF64U),
            I64ExtendI32S => self.un(Instr::I64ExtendI32S),
            // i32 cells are always kept zero-extended, so these change no bits.
            I64ExtendI32U | I32ReinterpretF32 | I64ReinterpretF64 | F32ReinterpretI32 | F64ReinterpretI64 => {}
            I64TruncF32S => self.un(Instr::I64TruncF32S),
            I64TruncF32U => self.un(Instr::I64TruncF32U),
            I64TruncF64S => self.un(Instr::I64TruncF64S),
            I64TruncF64U => self.un(Instr::I64TruncF64U),
            F32ConvertI32S => self.un(Instr::F32ConvertI32S),
            F32ConvertI32U => self.un(Instr::F32ConvertI32U),
            F32ConvertI64S => self.un(Instr::F32ConvertI64S),
            F32ConvertI64U => self.un(Instr::F32ConvertI64U),
            F32DemoteF64 => self.un(Instr::F32DemoteF64),
            F64ConvertI32S => self.un(Instr::F64ConvertI32S),
            F64ConvertI32U => self.un(Instr::F64ConvertI32U),
            F64ConvertI64S => self.un(Instr::F64ConvertI64S),
            F64ConvertI64U => self.un(Instr::F64ConvertI64U),
            F64PromoteF32 => self.un(Instr::F64PromoteF32),
            I32Extend8S => self.un(Instr::I32Extend8S),
            I32Extend16S => self.un(Instr::I32Extend16S),
            I64Extend8S => self.un(Instr::I64Extend8S),
            I64Extend16S => self.un(Instr::I64Extend16S),
            I64Extend32S => self.un(Instr::I64Extend32S),
            I32TruncSatF32S => self.un(Instr::I32TruncSatF32S),
            I32TruncSatF32U => self.un(Instr::I32TruncSatF32U),
            I32TruncSatF64S => self.un(Instr::I32TruncSatF64S),
            I32TruncSatF64U => self.un(Instr::I32TruncSatF64U),
            I64TruncSatF32S => self.un(Instr::I64TruncSatF32S),
            I64TruncSatF32U => self.un(Instr::I64TruncSatF32U),
            I64TruncSatF64S => self.un(Instr::I64TruncSatF64S),
            I64TruncSatF64U => self.un(Instr::I64TruncSatF64U),

            other if self.translate_simd(other, res)? => {}
            other => {
                let name = format!("{other:?}");
                let name = name.split([' ', '{', '(']).next().unwrap_or("operator").to_string();
                return Err(Error::unsupported(format!("operator {name}"), self.offset as u64));
            }
        }
        Ok(())
    }

    fn global_is_wide(&self, res: &ValidatorResources, g: u32) -> bool {
        res.global_at(g).is_some_and(|t| t.content_type == wasmparser::ValType::V128)
    }

    /// Before a tail call: moves the high halves of the `v128` arguments of type `ty` from
    /// `base..` to slot 0.. (the tail call itself moves the low halves). Destinations never
    /// lie above their sources, so increasing order is safe.
    fn move_wide_args(&mut self, res: &ValidatorResources, ty: u32, base: Slot) {
        let Some((params, _)) = func_type_wide(res, ty) else { return };
        for (k, wide) in params.into_iter().enumerate() {
            if wide && base != 0 {
                self.emit_simd(SimdOp::MoveHi, k as u32, base + k as u32, [0; 3]);
            }
        }
    }

    fn type_arity(&self, res: &ValidatorResources, ty: u32) -> Result<(u32, u32), Error> {
        func_type_arity(res, ty).ok_or_else(|| Error::invalid("unknown function type", self.offset as u64))
    }

    fn callee_arity(&self, res: &ValidatorResources, func: u32) -> Result<(u32, u32), Error> {
        let ty =
            res.type_index_of_function(func).ok_or_else(|| Error::invalid("unknown function", self.offset as u64))?;
        self.type_arity(res, ty)
    }

    /// Puts the top `n` operands in consecutive home slots, pops them, and returns the first.
    fn bulk_args(&mut self, n: usize) -> Slot {
        self.materialize_top(n);
        let first = self.stack.len() - n;
        self.stack.truncate(first);
        self.home(first)
    }

    /// Call arguments: consecutive home slots, which become the callee's first locals.
    fn call_args(&mut self, np: u32) -> Slot {
        self.bulk_args(np as usize)
    }

    fn push_results(&mut self, n: u32) {
        for _ in 0..n {
            self.push(Operand::Temp);
        }
    }

    /// A memory index as the `Simd` word carries it. wasmparser allows at most 100 memories,
    /// so this refuses nothing it validated; the check keeps a future limit from truncating.
    fn memory_index(&self, mem: u32) -> Result<u16, Error> {
        u16::try_from(mem)
            .map_err(|_| Error::unsupported("multi-memory: more than 65,536 memories", self.offset as u64))
    }

    /// A memory access's static offset, whether it takes the general path, and its memory
    /// index. Accesses to memory64 memories, to 1-byte-page memories and to any memory but
    /// memory 0 take the general path (`Instr::Simd` with a `Mem*` operation); only a 32-bit
    /// memory 0 with 64 KiB pages is inline ([`memory_is_inline`]).
    pub(super) fn memarg(&self, res: &ValidatorResources, memarg: &MemArg) -> Result<(u64, bool, u16), Error> {
        let m = match memarg.target {
            MemArgTarget::Memory(m) => m,
            MemArgTarget::Array(_) => return Err(Error::unsupported("gc", self.offset as u64)),
        };
        Ok((memarg.offset, !memory_is_inline(res, m), self.memory_index(m)?))
    }

    /// The static offset of a `v128` access (a `u32`) and its memory index; a `v128` access
    /// on a memory64 memory with an offset of 2^32 or more is refused.
    pub(super) fn memarg_offset(&self, res: &ValidatorResources, memarg: &MemArg) -> Result<(u32, u16), Error> {
        let (offset, _, m) = self.memarg(res, memarg)?;
        let offset = u32::try_from(offset).map_err(|_| {
            Error::unsupported("memory64: a v128 access with a static offset of 2^32 or more", self.offset as u64)
        })?;
        Ok((offset, m))
    }

    /// `Simd(op, memory, d, addr)` + `Ext(value, offset >> 32, offset)`: a scalar access on
    /// the general path (`exec/simd.rs`, `Mem*` operations).
    fn emit_general_access(&mut self, op: SimdOp, memory: u16, d: Slot, addr: Slot, value: Slot, offset: u64) {
        self.emit_simd_on(op, memory, d, addr, [value, (offset >> 32) as u32, offset as u32]);
    }

    /// When the value at stack position `pos` was just computed into its home by the last
    /// instruction and `pick` accepts that instruction (returning its destination and what
    /// the fusing instruction needs of it), removes the instruction and returns that.
    fn take_fresh<T>(&mut self, pos: usize, pick: impl FnOnce(Instr) -> Option<(Slot, T)>) -> Option<T> {
        let pc = self.fresh_at(pos)?;
        let (t, taken) = pick(self.code[pc])?;
        if t != self.home(pos) {
            return None;
        }
        self.drop_fresh(pc);
        Some(taken)
    }

    /// A fresh `I32ShlImm(t, x, k)` with `k` in 1..=3 at `pos` ([`Self::take_fresh`]):
    /// `(k, x)`, for an indexed access (`Instr::I32LoadShl`, ...) that shifts `x` itself.
    fn take_fresh_shl(&mut self, pos: usize) -> Option<(u16, Slot)> {
        self.take_fresh(pos, |i| match i {
            Instr::I32ShlImm(t, x, k) if (1..=3).contains(&k) => Some((t, (k as u16, x))),
            _ => None,
        })
    }

    /// A fresh `I32Add(t, x, y)` at `pos` ([`Self::take_fresh`]): `(x, y)`, for an access at
    /// a sum (`Instr::I32LoadAdd`, ...) that adds them itself.
    fn take_fresh_add(&mut self, pos: usize) -> Option<(Slot, Slot)> {
        self.take_fresh(pos, |i| match i {
            Instr::I32Add(t, x, y) => Some((t, (x, y))),
            _ => None,
        })
    }

    /// When the value at the top of the stack was just loaded by a plain inline load
    /// (`I32Load` or `I64Load` into its home, offset below 2^16, nothing emitted or labelled
    /// since) for which `fused` names a fused add, removes the load and returns that form,
    /// the load's address slot and offset, and its trap offset: the add that is its only
    /// reader loads it itself (`Instr::I32AddLoad`, ...).
    fn take_fresh_load(&mut self, fused: fn(&Instr) -> Option<AddLoad>) -> Option<(AddLoad, Slot, u16, u32)> {
        let pos = self.stack.len() - 1;
        let pc = self.fresh_at(pos)?;
        let load = self.code[pc];
        let (Instr::I32Load(t, addr, offset) | Instr::I64Load(t, addr, offset)) = load else { return None };
        let form = fused(&load)?;
        let offset = u16::try_from(offset).ok()?;
        if t != self.home(pos) {
            return None;
        }
        let trap_offset = self.offsets[pc];
        self.drop_fresh(pc);
        Some((form, addr, offset, trap_offset))
    }

    /// An add whose right operand may be a fresh load ([`Translator::take_fresh_load`], with
    /// `fused` naming the fused form for each kind of load); otherwise, or when the left
    /// operand is a constant (which has an immediate form), `plain` emits it.
    fn add_load(&mut self, fused: fn(&Instr) -> Option<AddLoad>, plain: impl FnOnce(&mut Self)) {
        let n = self.stack.len();
        if matches!(self.stack[n - 2], Operand::Const(_)) {
            return plain(self);
        }
        let Some((form, addr, offset, trap_offset)) = self.take_fresh_load(fused) else { return plain(self) };
        let a = self.slot_at(n - 2);
        self.stack.truncate(n - 2);
        let d = self.push_temp();
        let pc = self.code.len();
        self.emit_result(form(offset, d, a, addr));
        // A fault is the load's: locate it there.
        self.offsets[pc] = trap_offset;
    }

    /// The inline memory64 form of scalar access `i` to memory `m` at `offset`
    /// ([`memory64_is_inline`], `Instr::on_memory64`), if it has one.
    fn memory64_form(&self, res: &ValidatorResources, m: u16, offset: u64, i: Instr) -> Option<Instr> {
        memory64_is_inline(res, m as u32, offset).then(|| i.on_memory64()).flatten()
    }

    fn load(&mut self, res: &ValidatorResources, memarg: &MemArg, f: Mem, general: SimdOp) -> Result<(), Error> {
        let (offset, on_general, m) = self.memarg(res, memarg)?;
        let shl_form: Option<Indexed> = match f(0, 0, 0) {
            Instr::I32Load(..) => Some(Instr::I32LoadShl),
            Instr::I64Load(..) => Some(Instr::I64LoadShl),
            _ => None,
        };
        if !on_general
            && let Some(form) = shl_form
            && let Some((k, x)) = self.take_fresh_shl(self.stack.len() - 1)
        {
            self.stack.pop();
            let d = self.push_temp();
            self.emit_result(form(k, d, x, offset as u32));
            return Ok(());
        }
        if !on_general
            && let Some(form) = at_sum(f(0, 0, 0))
            && let Ok(short) = u16::try_from(offset)
            && let Some((x, y)) = self.take_fresh_add(self.stack.len() - 1)
        {
            self.stack.pop();
            let d = self.push_temp();
            self.emit_result(form(short, d, x, y));
            return Ok(());
        }
        let addr = self.pop_slot();
        let d = self.push_temp();
        if !on_general {
            self.emit_result(f(d, addr, offset as u32));
        } else if let Some(i) = self.memory64_form(res, m, offset, f(d, addr, offset as u32)) {
            self.emit_result(i);
        } else {
            self.emit_general_access(general, m, d, addr, 0, offset);
        }
        Ok(())
    }

    /// A store; a constant value that fits the immediate form (sign-extended from i32 when
    /// `is64`, else its low 32 bits) uses `fi`. Stores that [`Translator::memarg`] sends to
    /// the general path use `general.1`.
    fn store(
        &mut self,
        res: &ValidatorResources,
        memarg: &MemArg,
        (f, general): (Mem, SimdOp),
        fi: Option<StoreImm>,
        is64: bool,
    ) -> Result<(), Error> {
        let (offset, on_general, m) = self.memarg(res, memarg)?;
        if on_general {
            let (a, v) = self.pop2();
            match self.memory64_form(res, m, offset, f(a, v, offset as u32)) {
                Some(i) => {
                    self.emit(i);
                }
                None => self.emit_general_access(general, m, 0, a, v, offset),
            }
            return Ok(());
        }
        let offset = offset as u32;
        let n = self.stack.len();
        let shl_form: Option<Indexed> = match f(0, 0, 0) {
            Instr::I32Store(..) => Some(Instr::I32StoreShl),
            Instr::I64Store(..) => Some(Instr::I64StoreShl),
            _ => None,
        };
        // An indexed store: the value must not be an instruction's fresh result (then the
        // shift is not the last instruction) and is read from wherever it is.
        if let Some(form) = shl_form
            && let Some((k, x)) = self.take_fresh_shl(n - 2)
        {
            let v = self.slot_at(n - 1);
            self.stack.truncate(n - 2);
            self.emit(form(k, x, v, offset));
            return Ok(());
        }
        // A store at a sum: as for the indexed store, the add must be the last instruction.
        // The value must not be a constant: materialising one writes its position's home,
        // which may be the slot of the add's right operand.
        if let Some(form) = at_sum(f(0, 0, 0))
            && !matches!(self.stack[n - 1], Operand::Const(_))
            && let Ok(short) = u16::try_from(offset)
            && let Some((x, y)) = self.take_fresh_add(n - 2)
        {
            let v = self.slot_at(n - 1);
            self.stack.truncate(n - 2);
            self.emit(form(short, x, y, v));
            return Ok(());
        }
        if let Some(fi) = fi
            && let Some(imm) = self.imm_at(n - 1, is64)
        {
            let a = self.slot_at(n - 2);
            self.stack.truncate(n - 2);
            self.emit(fi(a, imm, offset));
            return Ok(());
        }
        let v = self.slot_at(n - 1);
        let a = self.slot_at(n - 2);
        self.stack.truncate(n - 2);
        self.emit(f(a, v, offset));
        Ok(())
    }

    fn un(&mut self, f: Un) {
        let s = self.pop_slot();
        let d = self.push_temp();
        self.emit_result(f(d, s));
    }

    fn bin(&mut self, f: Bin) {
        let n = self.stack.len();
        let b = self.slot_at(n - 1);
        let a = self.slot_at(n - 2);
        self.stack.truncate(n - 2);
        let d = self.push_temp();
        self.emit_result(f(d, a, b));
    }

    /// The operand at `pos` as an `i32` immediate, if it is a constant that fits.
    fn imm_at(&self, pos: usize, is64: bool) -> Option<i32> {
        match self.stack[pos] {
            Operand::Const(v) if !is64 => Some(v as u32 as i32),
            Operand::Const(v) if (v as i64) == (v as i64 as i32 as i64) => Some(v as i64 as i32),
            _ => None,
        }
    }

    /// A binary operation with an immediate form for a constant right operand (or left
    /// operand, when the operation commutes).
    fn bin_imm(&mut self, f: Bin, fi: BinImm, commutative: bool, is64: bool) {
        let n = self.stack.len();
        if let Some(imm) = self.imm_at(n - 1, is64) {
            let a = self.slot_at(n - 2);
            self.stack.truncate(n - 2);
            let d = self.push_temp();
            self.emit_result(fi(d, a, imm));
        } else if commutative && let Some(imm) = self.imm_at(n - 2, is64) {
            let b = self.slot_at(n - 1);
            self.stack.truncate(n - 2);
            let d = self.push_temp();
            self.emit_result(fi(d, b, imm));
        } else {
            self.bin(f);
        }
    }

    fn i32_sub(&mut self) {
        match self.top_const() {
            Some(v) => {
                self.stack.pop();
                self.push(Operand::Const((v as u32).wrapping_neg() as u64));
                self.bin_imm(Instr::I32Add, Instr::I32AddImm, false, false);
            }
            None => self.bin(Instr::I32Sub),
        }
    }

    fn i64_sub(&mut self) {
        let n = self.stack.len();
        match self.imm_at(n - 1, true) {
            Some(imm) if imm != i32::MIN => {
                self.stack[n - 1] = Operand::Const((-(imm as i64)) as u64);
                self.bin_imm(Instr::I64Add, Instr::I64AddImm, false, true);
            }
            _ => self.bin(Instr::I64Sub),
        }
    }

    fn cmp_i32(&mut self, c: Cmp) {
        let n = self.stack.len();
        if let Some(imm) = self.imm_at(n - 1, false) {
            let a = self.slot_at(n - 2);
            self.stack.truncate(n - 2);
            let d = self.push_temp();
            self.emit_result(c.i32_imm(d, a, imm));
        } else if let Some(imm) = self.imm_at(n - 2, false) {
            let b = self.slot_at(n - 1);
            self.stack.truncate(n - 2);
            let d = self.push_temp();
            self.emit_result(c.swap().i32_imm(d, b, imm));
        } else {
            let b = self.slot_at(n - 1);
            let a = self.slot_at(n - 2);
            self.stack.truncate(n - 2);
            let d = self.push_temp();
            self.emit_result(c.i32(d, a, b));
        }
    }

    fn cmp_i64(&mut self, c: Cmp) {
        let n = self.stack.len();
        let b = self.slot_at(n - 1);
        let a = self.slot_at(n - 2);
        self.stack.truncate(n - 2);
        let d = self.push_temp();
        self.emit_result(c.i64(d, a, b));
    }

    fn op_select(&mut self, wide: bool) {
        let (a, b, c) = self.pop3();
        let d = self.push_temp();
        if wide {
            self.emit_simd(SimdOp::Select, d, a, [b, c, 0]);
            return;
        }
        let pc = self.emit(Instr::Select(d, a, b));
        self.emit(Instr::Ext(c, 0, 0));
        self.fresh = Some(super::Fresh { pc, end: self.code.len(), pos: self.stack.len() - 1 });
    }

    /// `local.set` / `local.tee`: retargets the producer of a fresh result when nothing else
    /// still reads the old value of the local, otherwise copies.
    fn op_local_set(&mut self, i: u32, tee: bool) {
        let pending = self.stack.contains(&Operand::Local(i));
        if !pending
            && let Some(pc) = self.fresh_top()
            && let Some(d) = self.code[pc].dst_mut()
        {
            *d = i;
            self.fresh = None;
            self.stack.pop();
            if tee {
                self.push(Operand::Local(i));
            }
            return;
        }
        let top = self.stack.len() - 1;
        if self.stack[top] == Operand::Local(i) {
            // `local.get i; local.set i` changes nothing.
            if !tee {
                self.stack.pop();
            }
            return;
        }
        self.preserve_local(i);
        let wide = self.local_is_wide(i);
        match self.stack[top] {
            Operand::Temp => self.emit_copy(i, self.home(top), wide),
            Operand::Local(j) => self.emit_copy(i, j, wide),
            Operand::Const(v) => self.emit_const(i, v),
        }
        if !tee {
            self.stack.pop();
        }
    }
}
