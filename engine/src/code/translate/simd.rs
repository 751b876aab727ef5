//! Translation of the SIMD operators: each becomes one [`Instr::Simd`] with its operand
//! slots, lane and offset (see `code/simd.rs` for where each goes).

use super::Translator;
use crate::code::{Instr, SimdOp};
use crate::error::Error;
use wasmparser::{MemArg, Operator, ValidatorResources};

impl Translator {
    /// Translates `op` if it is a SIMD operator (already accepted by the validator); returns
    /// whether it was one.
    pub(super) fn translate_simd(&mut self, op: &Operator<'_>, res: &ValidatorResources) -> Result<bool, Error> {
        use Operator::*;
        match op {
            V128Const { value } => {
                let x = value.i128() as u128;
                let d = self.push_temp();
                self.emit_simd(SimdOp::V128Const, d, 0, [0, 0, x as u32]);
                self.emit(Instr::Ext((x >> 32) as u32, (x >> 64) as u32, (x >> 96) as u32));
            }
            I8x16Shuffle { lanes } => {
                let x = u128::from_le_bytes(*lanes);
                let (a, b) = self.pop2();
                let d = self.push_temp();
                self.emit_simd(SimdOp::I8x16Shuffle, d, a, [b, 0, x as u32]);
                self.emit(Instr::Ext((x >> 32) as u32, (x >> 64) as u32, (x >> 96) as u32));
            }
            V128Load { memarg } if super::ops::memory_is_inline(res, memarg_memory(memarg)) => {
                let addr = self.pop_slot();
                let d = self.push_temp();
                let offset = self.memarg_offset(res, memarg)?.0;
                self.emit(Instr::V128Load(d, addr, offset));
            }
            V128Store { memarg } if super::ops::memory_is_inline(res, memarg_memory(memarg)) => {
                let (addr, v) = self.pop2();
                let offset = self.memarg_offset(res, memarg)?.0;
                self.emit(Instr::V128Store(addr, v, offset));
            }
            V128Load { memarg } => self.simd_load(res, memarg, SimdOp::V128Load)?,
            V128Load8x8S { memarg } => self.simd_load(res, memarg, SimdOp::V128Load8x8S)?,
            V128Load8x8U { memarg } => self.simd_load(res, memarg, SimdOp::V128Load8x8U)?,
            V128Load16x4S { memarg } => self.simd_load(res, memarg, SimdOp::V128Load16x4S)?,
            V128Load16x4U { memarg } => self.simd_load(res, memarg, SimdOp::V128Load16x4U)?,
            V128Load32x2S { memarg } => self.simd_load(res, memarg, SimdOp::V128Load32x2S)?,
            V128Load32x2U { memarg } => self.simd_load(res, memarg, SimdOp::V128Load32x2U)?,
            V128Load8Splat { memarg } => self.simd_load(res, memarg, SimdOp::V128Load8Splat)?,
            V128Load16Splat { memarg } => self.simd_load(res, memarg, SimdOp::V128Load16Splat)?,
            V128Load32Splat { memarg } => self.simd_load(res, memarg, SimdOp::V128Load32Splat)?,
            V128Load64Splat { memarg } => self.simd_load(res, memarg, SimdOp::V128Load64Splat)?,
            V128Load32Zero { memarg } => self.simd_load(res, memarg, SimdOp::V128Load32Zero)?,
            V128Load64Zero { memarg } => self.simd_load(res, memarg, SimdOp::V128Load64Zero)?,
            V128Store { memarg } => self.simd_store(res, memarg, SimdOp::V128Store, 0)?,
            V128Load8Lane { memarg, lane } => self.simd_load_lane(res, memarg, SimdOp::V128Load8Lane, *lane)?,
            V128Load16Lane { memarg, lane } => self.simd_load_lane(res, memarg, SimdOp::V128Load16Lane, *lane)?,
            V128Load32Lane { memarg, lane } => self.simd_load_lane(res, memarg, SimdOp::V128Load32Lane, *lane)?,
            V128Load64Lane { memarg, lane } => self.simd_load_lane(res, memarg, SimdOp::V128Load64Lane, *lane)?,
            V128Store8Lane { memarg, lane } => self.simd_store(res, memarg, SimdOp::V128Store8Lane, *lane)?,
            V128Store16Lane { memarg, lane } => self.simd_store(res, memarg, SimdOp::V128Store16Lane, *lane)?,
            V128Store32Lane { memarg, lane } => self.simd_store(res, memarg, SimdOp::V128Store32Lane, *lane)?,
            V128Store64Lane { memarg, lane } => self.simd_store(res, memarg, SimdOp::V128Store64Lane, *lane)?,
            I8x16ExtractLaneS { lane } => self.simd_un(SimdOp::I8x16ExtractLaneS, *lane),
            I8x16ExtractLaneU { lane } => self.simd_un(SimdOp::I8x16ExtractLaneU, *lane),
            I16x8ExtractLaneS { lane } => self.simd_un(SimdOp::I16x8ExtractLaneS, *lane),
            I16x8ExtractLaneU { lane } => self.simd_un(SimdOp::I16x8ExtractLaneU, *lane),
            I32x4ExtractLane { lane } => self.simd_un(SimdOp::I32x4ExtractLane, *lane),
            I64x2ExtractLane { lane } => self.simd_un(SimdOp::I64x2ExtractLane, *lane),
            F32x4ExtractLane { lane } => self.simd_un(SimdOp::F32x4ExtractLane, *lane),
            F64x2ExtractLane { lane } => self.simd_un(SimdOp::F64x2ExtractLane, *lane),
            I8x16ReplaceLane { lane } => self.simd_bin(SimdOp::I8x16ReplaceLane, *lane),
            I16x8ReplaceLane { lane } => self.simd_bin(SimdOp::I16x8ReplaceLane, *lane),
            I32x4ReplaceLane { lane } => self.simd_bin(SimdOp::I32x4ReplaceLane, *lane),
            I64x2ReplaceLane { lane } => self.simd_bin(SimdOp::I64x2ReplaceLane, *lane),
            F32x4ReplaceLane { lane } => self.simd_bin(SimdOp::F32x4ReplaceLane, *lane),
            F64x2ReplaceLane { lane } => self.simd_bin(SimdOp::F64x2ReplaceLane, *lane),
            I8x16Splat => self.simd_un(SimdOp::I8x16Splat, 0),
            I16x8Splat => self.simd_un(SimdOp::I16x8Splat, 0),
            I32x4Splat => self.simd_un(SimdOp::I32x4Splat, 0),
            I64x2Splat => self.simd_un(SimdOp::I64x2Splat, 0),
            F32x4Splat => self.simd_un(SimdOp::F32x4Splat, 0),
            F64x2Splat => self.simd_un(SimdOp::F64x2Splat, 0),
            V128Not => self.simd_un(SimdOp::V128Not, 0),
            V128AnyTrue => self.simd_un(SimdOp::V128AnyTrue, 0),
            I8x16Abs => self.simd_un(SimdOp::I8x16Abs, 0),
            I8x16Neg => self.simd_un(SimdOp::I8x16Neg, 0),
            I8x16Popcnt => self.simd_un(SimdOp::I8x16Popcnt, 0),
            I8x16AllTrue => self.simd_un(SimdOp::I8x16AllTrue, 0),
            I8x16Bitmask => self.simd_un(SimdOp::I8x16Bitmask, 0),
            I16x8ExtAddPairwiseI8x16S => self.simd_un(SimdOp::I16x8ExtAddPairwiseI8x16S, 0),
            I16x8ExtAddPairwiseI8x16U => self.simd_un(SimdOp::I16x8ExtAddPairwiseI8x16U, 0),
            I16x8Abs => self.simd_un(SimdOp::I16x8Abs, 0),
            I16x8Neg => self.simd_un(SimdOp::I16x8Neg, 0),
            I16x8AllTrue => self.simd_un(SimdOp::I16x8AllTrue, 0),
            I16x8Bitmask => self.simd_un(SimdOp::I16x8Bitmask, 0),
            I16x8ExtendLowI8x16S => self.simd_un(SimdOp::I16x8ExtendLowI8x16S, 0),
            I16x8ExtendHighI8x16S => self.simd_un(SimdOp::I16x8ExtendHighI8x16S, 0),
            I16x8ExtendLowI8x16U => self.simd_un(SimdOp::I16x8ExtendLowI8x16U, 0),
            I16x8ExtendHighI8x16U => self.simd_un(SimdOp::I16x8ExtendHighI8x16U, 0),
            I32x4ExtAddPairwiseI16x8S => self.simd_un(SimdOp::I32x4ExtAddPairwiseI16x8S, 0),
            I32x4ExtAddPairwiseI16x8U => self.simd_un(SimdOp::I32x4ExtAddPairwiseI16x8U, 0),
            I32x4Abs => self.simd_un(SimdOp::I32x4Abs, 0),
            I32x4Neg => self.simd_un(SimdOp::I32x4Neg, 0),
            I32x4AllTrue => self.simd_un(SimdOp::I32x4AllTrue, 0),
            I32x4Bitmask => self.simd_un(SimdOp::I32x4Bitmask, 0),
            I32x4ExtendLowI16x8S => self.simd_un(SimdOp::I32x4ExtendLowI16x8S, 0),
            I32x4ExtendHighI16x8S => self.simd_un(SimdOp::I32x4ExtendHighI16x8S, 0),
            I32x4ExtendLowI16x8U => self.simd_un(SimdOp::I32x4ExtendLowI16x8U, 0),
            I32x4ExtendHighI16x8U => self.simd_un(SimdOp::I32x4ExtendHighI16x8U, 0),
            I64x2Abs => self.simd_un(SimdOp::I64x2Abs, 0),
            I64x2Neg => self.simd_un(SimdOp::I64x2Neg, 0),
            I64x2AllTrue => self.simd_un(SimdOp::I64x2AllTrue, 0),
            I64x2Bitmask => self.simd_un(SimdOp::I64x2Bitmask, 0),
            I64x2ExtendLowI32x4S => self.simd_un(SimdOp::I64x2ExtendLowI32x4S, 0),
            I64x2ExtendHighI32x4S => self.simd_un(SimdOp::I64x2ExtendHighI32x4S, 0),
            I64x2ExtendLowI32x4U => self.simd_un(SimdOp::I64x2ExtendLowI32x4U, 0),
            I64x2ExtendHighI32x4U => self.simd_un(SimdOp::I64x2ExtendHighI32x4U, 0),
            F32x4Ceil => self.simd_un(SimdOp::F32x4Ceil, 0),
            F32x4Floor => self.simd_un(SimdOp::F32x4Floor, 0),
            F32x4Trunc => self.simd_un(SimdOp::F32x4Trunc, 0),
            F32x4Nearest => self.simd_un(SimdOp::F32x4Nearest, 0),
            F32x4Abs => self.simd_un(SimdOp::F32x4Abs, 0),
            F32x4Neg => self.simd_un(SimdOp::F32x4Neg, 0),
            F32x4Sqrt => self.simd_un(SimdOp::F32x4Sqrt, 0),
            F64x2Ceil => self.simd_un(SimdOp::F64x2Ceil, 0),
            F64x2Floor => self.simd_un(SimdOp::F64x2Floor, 0),
            F64x2Trunc => self.simd_un(SimdOp::F64x2Trunc, 0),
            F64x2Nearest => self.simd_un(SimdOp::F64x2Nearest, 0),
            F64x2Abs => self.simd_un(SimdOp::F64x2Abs, 0),
            F64x2Neg => self.simd_un(SimdOp::F64x2Neg, 0),
            F64x2Sqrt => self.simd_un(SimdOp::F64x2Sqrt, 0),
            I32x4TruncSatF32x4S => self.simd_un(SimdOp::I32x4TruncSatF32x4S, 0),
            I32x4TruncSatF32x4U => self.simd_un(SimdOp::I32x4TruncSatF32x4U, 0),
            F32x4ConvertI32x4S => self.simd_un(SimdOp::F32x4ConvertI32x4S, 0),
            F32x4ConvertI32x4U => self.simd_un(SimdOp::F32x4ConvertI32x4U, 0),
            I32x4TruncSatF64x2SZero => self.simd_un(SimdOp::I32x4TruncSatF64x2SZero, 0),
            I32x4TruncSatF64x2UZero => self.simd_un(SimdOp::I32x4TruncSatF64x2UZero, 0),
            F64x2ConvertLowI32x4S => self.simd_un(SimdOp::F64x2ConvertLowI32x4S, 0),
            F64x2ConvertLowI32x4U => self.simd_un(SimdOp::F64x2ConvertLowI32x4U, 0),
            F32x4DemoteF64x2Zero => self.simd_un(SimdOp::F32x4DemoteF64x2Zero, 0),
            F64x2PromoteLowF32x4 => self.simd_un(SimdOp::F64x2PromoteLowF32x4, 0),
            I8x16Swizzle => self.simd_bin(SimdOp::I8x16Swizzle, 0),
            I8x16Eq => self.simd_bin(SimdOp::I8x16Eq, 0),
            I8x16Ne => self.simd_bin(SimdOp::I8x16Ne, 0),
            I8x16LtS => self.simd_bin(SimdOp::I8x16LtS, 0),
            I8x16LtU => self.simd_bin(SimdOp::I8x16LtU, 0),
            I8x16GtS => self.simd_bin(SimdOp::I8x16GtS, 0),
            I8x16GtU => self.simd_bin(SimdOp::I8x16GtU, 0),
            I8x16LeS => self.simd_bin(SimdOp::I8x16LeS, 0),
            I8x16LeU => self.simd_bin(SimdOp::I8x16LeU, 0),
            I8x16GeS => self.simd_bin(SimdOp::I8x16GeS, 0),
            I8x16GeU => self.simd_bin(SimdOp::I8x16GeU, 0),
            I16x8Eq => self.simd_bin(SimdOp::I16x8Eq, 0),
            I16x8Ne => self.simd_bin(SimdOp::I16x8Ne, 0),
            I16x8LtS => self.simd_bin(SimdOp::I16x8LtS, 0),
            I16x8LtU => self.simd_bin(SimdOp::I16x8LtU, 0),
            I16x8GtS => self.simd_bin(SimdOp::I16x8GtS, 0),
            I16x8GtU => self.simd_bin(SimdOp::I16x8GtU, 0),
            I16x8LeS => self.simd_bin(SimdOp::I16x8LeS, 0),
            I16x8LeU => self.simd_bin(SimdOp::I16x8LeU, 0),
            I16x8GeS => self.simd_bin(SimdOp::I16x8GeS, 0),
            I16x8GeU => self.simd_bin(SimdOp::I16x8GeU, 0),
            I32x4Eq => self.simd_bin(SimdOp::I32x4Eq, 0),
            I32x4Ne => self.simd_bin(SimdOp::I32x4Ne, 0),
            I32x4LtS => self.simd_bin(SimdOp::I32x4LtS, 0),
            I32x4LtU => self.simd_bin(SimdOp::I32x4LtU, 0),
            I32x4GtS => self.simd_bin(SimdOp::I32x4GtS, 0),
            I32x4GtU => self.simd_bin(SimdOp::I32x4GtU, 0),
            I32x4LeS => self.simd_bin(SimdOp::I32x4LeS, 0),
            I32x4LeU => self.simd_bin(SimdOp::I32x4LeU, 0),
            I32x4GeS => self.simd_bin(SimdOp::I32x4GeS, 0),
            I32x4GeU => self.simd_bin(SimdOp::I32x4GeU, 0),
            I64x2Eq => self.simd_bin(SimdOp::I64x2Eq, 0),
            I64x2Ne => self.simd_bin(SimdOp::I64x2Ne, 0),
            I64x2LtS => self.simd_bin(SimdOp::I64x2LtS, 0),
            I64x2GtS => self.simd_bin(SimdOp::I64x2GtS, 0),
            I64x2LeS => self.simd_bin(SimdOp::I64x2LeS, 0),
            I64x2GeS => self.simd_bin(SimdOp::I64x2GeS, 0),
            F32x4Eq => self.simd_bin(SimdOp::F32x4Eq, 0),
            F32x4Ne => self.simd_bin(SimdOp::F32x4Ne, 0),
            F32x4Lt => self.simd_bin(SimdOp::F32x4Lt, 0),
            F32x4Gt => self.simd_bin(SimdOp::F32x4Gt, 0),
            F32x4Le => self.simd_bin(SimdOp::F32x4Le, 0),
            F32x4Ge => self.simd_bin(SimdOp::F32x4Ge, 0),
            F64x2Eq => self.simd_bin(SimdOp::F64x2Eq, 0),
            F64x2Ne => self.simd_bin(SimdOp::F64x2Ne, 0),
            F64x2Lt => self.simd_bin(SimdOp::F64x2Lt, 0),
            F64x2Gt => self.simd_bin(SimdOp::F64x2Gt, 0),
            F64x2Le => self.simd_bin(SimdOp::F64x2Le, 0),
            F64x2Ge => self.simd_bin(SimdOp::F64x2Ge, 0),
            V128And => self.simd_bin(SimdOp::V128And, 0),
            V128AndNot => self.simd_bin(SimdOp::V128AndNot, 0),
            V128Or => self.simd_bin(SimdOp::V128Or, 0),
            V128Xor => self.simd_bin(SimdOp::V128Xor, 0),
            I8x16NarrowI16x8S => self.simd_bin(SimdOp::I8x16NarrowI16x8S, 0),
            I8x16NarrowI16x8U => self.simd_bin(SimdOp::I8x16NarrowI16x8U, 0),
            I8x16Shl => self.simd_bin(SimdOp::I8x16Shl, 0),
            I8x16ShrS => self.simd_bin(SimdOp::I8x16ShrS, 0),
            I8x16ShrU => self.simd_bin(SimdOp::I8x16ShrU, 0),
            I8x16Add => self.simd_bin(SimdOp::I8x16Add, 0),
            I8x16AddSatS => self.simd_bin(SimdOp::I8x16AddSatS, 0),
            I8x16AddSatU => self.simd_bin(SimdOp::I8x16AddSatU, 0),
            I8x16Sub => self.simd_bin(SimdOp::I8x16Sub, 0),
            I8x16SubSatS => self.simd_bin(SimdOp::I8x16SubSatS, 0),
            I8x16SubSatU => self.simd_bin(SimdOp::I8x16SubSatU, 0),
            I8x16MinS => self.simd_bin(SimdOp::I8x16MinS, 0),
            I8x16MinU => self.simd_bin(SimdOp::I8x16MinU, 0),
            I8x16MaxS => self.simd_bin(SimdOp::I8x16MaxS, 0),
            I8x16MaxU => self.simd_bin(SimdOp::I8x16MaxU, 0),
            I8x16AvgrU => self.simd_bin(SimdOp::I8x16AvgrU, 0),
            I16x8Q15MulrSatS => self.simd_bin(SimdOp::I16x8Q15MulrSatS, 0),
            I16x8NarrowI32x4S => self.simd_bin(SimdOp::I16x8NarrowI32x4S, 0),
            I16x8NarrowI32x4U => self.simd_bin(SimdOp::I16x8NarrowI32x4U, 0),
            I16x8Shl => self.simd_bin(SimdOp::I16x8Shl, 0),
            I16x8ShrS => self.simd_bin(SimdOp::I16x8ShrS, 0),
            I16x8ShrU => self.simd_bin(SimdOp::I16x8ShrU, 0),
            I16x8Add => self.simd_bin(SimdOp::I16x8Add, 0),
            I16x8AddSatS => self.simd_bin(SimdOp::I16x8AddSatS, 0),
            I16x8AddSatU => self.simd_bin(SimdOp::I16x8AddSatU, 0),
            I16x8Sub => self.simd_bin(SimdOp::I16x8Sub, 0),
            I16x8SubSatS => self.simd_bin(SimdOp::I16x8SubSatS, 0),
            I16x8SubSatU => self.simd_bin(SimdOp::I16x8SubSatU, 0),
            I16x8Mul => self.simd_bin(SimdOp::I16x8Mul, 0),
            I16x8MinS => self.simd_bin(SimdOp::I16x8MinS, 0),
            I16x8MinU => self.simd_bin(SimdOp::I16x8MinU, 0),
            I16x8MaxS => self.simd_bin(SimdOp::I16x8MaxS, 0),
            I16x8MaxU => self.simd_bin(SimdOp::I16x8MaxU, 0),
            I16x8AvgrU => self.simd_bin(SimdOp::I16x8AvgrU, 0),
            I16x8ExtMulLowI8x16S => self.simd_bin(SimdOp::I16x8ExtMulLowI8x16S, 0),
            I16x8ExtMulHighI8x16S => self.simd_bin(SimdOp::I16x8ExtMulHighI8x16S, 0),
            I16x8ExtMulLowI8x16U => self.simd_bin(SimdOp::I16x8ExtMulLowI8x16U, 0),
            I16x8ExtMulHighI8x16U => self.simd_bin(SimdOp::I16x8ExtMulHighI8x16U, 0),
            I32x4Shl => self.simd_bin(SimdOp::I32x4Shl, 0),
            I32x4ShrS => self.simd_bin(SimdOp::I32x4ShrS, 0),
            I32x4ShrU => self.simd_bin(SimdOp::I32x4ShrU, 0),
            I32x4Add => self.simd_bin(SimdOp::I32x4Add, 0),
            I32x4Sub => self.simd_bin(SimdOp::I32x4Sub, 0),
            I32x4Mul => self.simd_bin(SimdOp::I32x4Mul, 0),
            I32x4MinS => self.simd_bin(SimdOp::I32x4MinS, 0),
            I32x4MinU => self.simd_bin(SimdOp::I32x4MinU, 0),
            I32x4MaxS => self.simd_bin(SimdOp::I32x4MaxS, 0),
            I32x4MaxU => self.simd_bin(SimdOp::I32x4MaxU, 0),
            I32x4DotI16x8S => self.simd_bin(SimdOp::I32x4DotI16x8S, 0),
            I32x4ExtMulLowI16x8S => self.simd_bin(SimdOp::I32x4ExtMulLowI16x8S, 0),
            I32x4ExtMulHighI16x8S => self.simd_bin(SimdOp::I32x4ExtMulHighI16x8S, 0),
            I32x4ExtMulLowI16x8U => self.simd_bin(SimdOp::I32x4ExtMulLowI16x8U, 0),
            I32x4ExtMulHighI16x8U => self.simd_bin(SimdOp::I32x4ExtMulHighI16x8U, 0),
            I64x2Shl => self.simd_bin(SimdOp::I64x2Shl, 0),
            I64x2ShrS => self.simd_bin(SimdOp::I64x2ShrS, 0),
            I64x2ShrU => self.simd_bin(SimdOp::I64x2ShrU, 0),
            I64x2Add => self.simd_bin(SimdOp::I64x2Add, 0),
            I64x2Sub => self.simd_bin(SimdOp::I64x2Sub, 0),
            I64x2Mul => self.simd_bin(SimdOp::I64x2Mul, 0),
            I64x2ExtMulLowI32x4S => self.simd_bin(SimdOp::I64x2ExtMulLowI32x4S, 0),
            I64x2ExtMulHighI32x4S => self.simd_bin(SimdOp::I64x2ExtMulHighI32x4S, 0),
            I64x2ExtMulLowI32x4U => self.simd_bin(SimdOp::I64x2ExtMulLowI32x4U, 0),
            I64x2ExtMulHighI32x4U => self.simd_bin(SimdOp::I64x2ExtMulHighI32x4U, 0),
            F32x4Add => self.simd_bin(SimdOp::F32x4Add, 0),
            F32x4Sub => self.simd_bin(SimdOp::F32x4Sub, 0),
            F32x4Mul => self.simd_bin(SimdOp::F32x4Mul, 0),
            F32x4Div => self.simd_bin(SimdOp::F32x4Div, 0),
            F32x4Min => self.simd_bin(SimdOp::F32x4Min, 0),
            F32x4Max => self.simd_bin(SimdOp::F32x4Max, 0),
            F32x4PMin => self.simd_bin(SimdOp::F32x4PMin, 0),
            F32x4PMax => self.simd_bin(SimdOp::F32x4PMax, 0),
            F64x2Add => self.simd_bin(SimdOp::F64x2Add, 0),
            F64x2Sub => self.simd_bin(SimdOp::F64x2Sub, 0),
            F64x2Mul => self.simd_bin(SimdOp::F64x2Mul, 0),
            F64x2Div => self.simd_bin(SimdOp::F64x2Div, 0),
            F64x2Min => self.simd_bin(SimdOp::F64x2Min, 0),
            F64x2Max => self.simd_bin(SimdOp::F64x2Max, 0),
            F64x2PMin => self.simd_bin(SimdOp::F64x2PMin, 0),
            F64x2PMax => self.simd_bin(SimdOp::F64x2PMax, 0),
            V128Bitselect => {
                let (a, b, c) = self.pop3();
                let d = self.push_temp();
                self.emit_simd(SimdOp::V128Bitselect, d, a, [b, c, 0]);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Pops two operands and returns their slots, first operand first.
    pub(super) fn pop2(&mut self) -> (u32, u32) {
        let n = self.stack.len();
        let b = self.slot_at(n - 1);
        let a = self.slot_at(n - 2);
        self.stack.truncate(n - 2);
        (a, b)
    }

    fn simd_un(&mut self, op: SimdOp, lane: u8) {
        let a = self.pop_slot();
        let d = self.push_temp();
        self.emit_simd(op, d, a, [0, 0, lane as u32]);
    }

    fn simd_bin(&mut self, op: SimdOp, lane: u8) {
        let (a, b) = self.pop2();
        let d = self.push_temp();
        // The commonest lane-wise operations have instructions of their own, run inline.
        let inline = match op {
            SimdOp::I8x16Add => Instr::I8x16Add,
            SimdOp::I16x8Add => Instr::I16x8Add,
            SimdOp::I32x4Add => Instr::I32x4Add,
            SimdOp::I64x2Add => Instr::I64x2Add,
            SimdOp::I32x4Sub => Instr::I32x4Sub,
            SimdOp::I32x4Mul => Instr::I32x4Mul,
            SimdOp::F32x4Add => Instr::F32x4Add,
            SimdOp::F32x4Mul => Instr::F32x4Mul,
            SimdOp::F64x2Add => Instr::F64x2Add,
            SimdOp::F64x2Mul => Instr::F64x2Mul,
            SimdOp::V128And => Instr::V128And,
            SimdOp::V128Or => Instr::V128Or,
            SimdOp::V128Xor => Instr::V128Xor,
            _ => {
                self.emit_simd(op, d, a, [b, 0, lane as u32]);
                return;
            }
        };
        self.emit(inline(d, a, b));
    }

    fn simd_load(&mut self, res: &ValidatorResources, memarg: &MemArg, op: SimdOp) -> Result<(), Error> {
        let (offset, m) = self.memarg_offset(res, memarg)?;
        let addr = self.pop_slot();
        let d = self.push_temp();
        self.emit_simd_on(op, m, d, addr, [0, 0, offset]);
        Ok(())
    }

    fn simd_load_lane(&mut self, res: &ValidatorResources, memarg: &MemArg, op: SimdOp, lane: u8) -> Result<(), Error> {
        let (offset, m) = self.memarg_offset(res, memarg)?;
        let (addr, v) = self.pop2();
        let d = self.push_temp();
        self.emit_simd_on(op, m, d, addr, [v, lane as u32, offset]);
        Ok(())
    }

    /// `v128.store` (lane 0, unused) and the lane stores.
    fn simd_store(&mut self, res: &ValidatorResources, memarg: &MemArg, op: SimdOp, lane: u8) -> Result<(), Error> {
        let (offset, m) = self.memarg_offset(res, memarg)?;
        let (addr, v) = self.pop2();
        self.emit_simd_on(op, m, 0, addr, [v, lane as u32, offset]);
        Ok(())
    }
}

/// The memory a `memarg` names (0 for the GC array forms, which the translator refuses).
fn memarg_memory(memarg: &MemArg) -> u32 {
    match memarg.target {
        wasmparser::MemArgTarget::Memory(m) => m,
        wasmparser::MemArgTarget::Array(_) => 0,
    }
}
