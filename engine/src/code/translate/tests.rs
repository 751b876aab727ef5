//! The shape of translated code: what the translator elides, fuses and retargets. Behaviour
//! is tested by running code in `exec/tests.rs`; these tests pin the optimisations down.

use crate::code::Instr;
use crate::module::Module;

/// The code of the module's first defined function.
fn code_of(wat: &str) -> Vec<Instr> {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    module.inner.code[0].code.to_vec()
}

#[test]
fn local_get_emits_nothing() {
    let code = code_of("(module (func (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))");
    // The add reads the parameters' slots directly and its result is returned.
    assert_eq!(code, vec![Instr::I32Add(2, 0, 1), Instr::Return1(2)]);
}

#[test]
fn local_set_retargets_a_fresh_result_and_constants_become_immediates() {
    let code = code_of(
        "(module (func (param i32) (local i32)
            local.get 0 i32.const 7 i32.add local.set 1))",
    );
    assert_eq!(code, vec![Instr::I32AddImm(1, 0, 7), Instr::Return]);
}

#[test]
fn local_set_preserves_a_pending_read_of_the_same_local() {
    let code = code_of(
        "(module (func (param i32) (result i32)
            local.get 0
            local.get 0 i32.const 1 i32.add local.set 0
            local.get 0 i32.add))",
    );
    // The pending read of local 0 is copied to its home slot before local 0 changes, so the
    // add cannot be retargeted and its result is copied instead.
    assert!(code.contains(&Instr::Copy(1, 0)), "{code:?}");
    assert_eq!(code.iter().filter(|i| matches!(i, Instr::Copy(0, _))).count(), 1, "{code:?}");
}

#[test]
fn compare_and_br_if_fuse() {
    let code = code_of(
        "(module (func (param i32)
            (loop
                local.get 0 i32.const 3 i32.mul local.set 0
                local.get 0 i32.const 10 i32.gt_s
                br_if 0)))",
    );
    // The branch goes back two instructions: targets count from the instruction after it. It
    // reads the product from the result register.
    assert_eq!(code, vec![Instr::I32MulImm(0, 0, 3), Instr::BrIfI32GtSImmAcc(0, 10, -2i32 as u32), Instr::Return]);
}

#[test]
fn a_counter_step_fuses_with_the_branch_on_it() {
    let code = code_of(
        "(module (func (param i32)
            (loop
                local.get 0 i32.const 1 i32.sub local.set 0
                local.get 0 i32.const 10 i32.gt_s
                br_if 0)))",
    );
    assert_eq!(code, vec![Instr::IncBrIfI32GtSImm(-1, 0, 10, -1i32 as u32), Instr::Return]);
    let code = code_of(
        "(module (func (param i32 i32)
            (loop (local.tee 0 (i32.add (local.get 0) (i32.const 4))) (local.get 1) i32.lt_u br_if 0)))",
    );
    assert_eq!(code, vec![Instr::IncBrIfI32LtU(4, 0, 1, -1i32 as u32), Instr::Return]);
    let code =
        code_of("(module (func (param i32) (loop (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))");
    assert_eq!(code, vec![Instr::IncBrIfNez(-1, 0, -1i32 as u32), Instr::Return]);
}

#[test]
fn a_counter_step_does_not_fuse_across_a_label_or_with_a_wide_step() {
    // The block's end is a label between the step and the branch: a branch to it must not
    // run the step again.
    let code = code_of(
        "(module (func (param i32)
            (loop
                (block local.get 0 i32.const 1 i32.sub local.set 0 local.get 0 br_if 0)
                local.get 0 br_if 0)))",
    );
    assert!(code.iter().any(|i| matches!(i, Instr::I32AddImm(0, 0, -1))), "{code:?}");
    assert!(code.iter().any(|i| matches!(i, Instr::BrIfNez(0, _))), "{code:?}");
    assert!(!code.iter().any(|i| matches!(i, Instr::IncBrIfNez(..))), "{code:?}");
    // A step outside i16 stays an add (whose result the branch reads from the register).
    let code =
        code_of("(module (func (param i32) (loop (br_if 0 (local.tee 0 (i32.add (local.get 0) (i32.const 40000)))))))");
    assert_eq!(code, vec![Instr::I32AddImm(0, 0, 40000), Instr::BrIfNezAcc(0, -2i32 as u32), Instr::Return]);
}

#[test]
fn if_branches_on_the_inverted_compare() {
    let code = code_of(
        "(module (func (param i32 i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (local.get 1))
                (then (i32.const 1)) (else (i32.const 2)))))",
    );
    assert!(matches!(code[0], Instr::BrIfI32GeU(0, 1, _)), "{code:?}");
}

#[test]
fn unreachable_code_is_not_emitted() {
    let code = code_of(
        "(module (func (result i32)
            i32.const 1 return
            i32.const 2 i32.const 3 i32.add drop i32.const 4))",
    );
    assert_eq!(code, vec![Instr::Const32(0, 1), Instr::Return]);
}

#[test]
fn invalid_bodies_are_errors_with_offsets() {
    let wasm = wat::parse_str("(module (func (result i32) i64.const 1))").unwrap();
    let err = Module::new(&wasm).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("invalid module: type mismatch"), "{msg}");
    assert!(msg.contains("(at offset 0x"), "{msg}");
}

#[test]
fn common_simd_runs_inline_on_a_32_bit_memory_0_only() {
    let code = code_of(
        "(module (memory 1)
            (func (param i32)
                (v128.store offset=32 (local.get 0)
                    (i32x4.add (v128.load (local.get 0)) (v128.load offset=16 (local.get 0))))))",
    );
    // The address stays in local 0 (home slot 1 is its pending read): the loads go to 2 and 3.
    assert_eq!(
        code,
        vec![
            Instr::V128Load(2, 0, 0),
            Instr::V128Load(3, 0, 16),
            Instr::I32x4Add(2, 2, 3),
            Instr::V128Store(0, 2, 32),
            Instr::Return
        ]
    );
    // memory64: the general path, out of line.
    let code = code_of("(module (memory i64 1) (func (param i64) (drop (v128.load (local.get 0)))))");
    assert!(matches!(code[0], Instr::Simd(crate::code::SimdOp::V128Load, 0, _, 0)), "{code:?}");
}

#[test]
fn scalar_accesses_to_a_memory64_memory_0_run_inline_below_a_4_gib_offset() {
    let code = code_of(
        "(module (memory i64 1)
            (func (param i64) (result i32)
                (i32.store8 offset=7 (local.get 0) (i32.load offset=4 (local.get 0)))
                (i32.load offset=0x100000000 (local.get 0))))",
    );
    assert_eq!(code[0], Instr::I32LoadM64(2, 0, 4), "{code:?}");
    assert_eq!(code[1], Instr::I32Store8M64(0, 2, 7), "{code:?}");
    // A static offset of 4 GiB or more takes the general path.
    assert!(matches!(code[2], Instr::Simd(crate::code::SimdOp::MemI32Load, 0, 1, 0)), "{code:?}");
}

#[test]
fn constants_that_loops_read_from_slots_go_to_the_pool() {
    // The i64 constant multiplier has no immediate form: pooled, read from slot 2 (after the
    // two locals), never written inside the loop; the i64 counter fuses with its branch.
    let module = Module::new(
        &wat::parse_str(
            "(module (func (param i64 i64) (result i64)
                (loop
                    (local.set 1 (i64.mul (local.get 1) (i64.const 0x123456789)))
                    (br_if 0 (i64.lt_u (local.tee 0 (i64.add (local.get 0) (i64.const 1))) (i64.const 0x100000000))))
                (local.get 1)))",
        )
        .unwrap(),
    )
    .unwrap();
    let f = &module.inner.code[0];
    assert_eq!(&f.consts[..], &[0x1_2345_6789, 0x1_0000_0000]);
    assert_eq!(
        f.code.to_vec(),
        vec![Instr::I64Mul(1, 1, 2), Instr::IncBrIfI64LtU(1, 0, 3, -2i32 as u32), Instr::Return1(1)]
    );
    // Outside loops, constants are written where they are used, and nothing is pooled.
    let module = Module::new(
        &wat::parse_str("(module (func (param i64) (result i64) (i64.mul (local.get 0) (i64.const 0x123456789))))")
            .unwrap(),
    )
    .unwrap();
    assert!(module.inner.code[0].consts.is_empty());
}

#[test]
fn a_shift_that_only_an_access_reads_becomes_an_indexed_access() {
    let code = code_of(
        "(module (memory 1)
            (func (param i32 i64) (result i64)
                (i64.store offset=8 (i32.shl (local.get 0) (i32.const 3)) (local.get 1))
                (i64.load offset=16 (i32.shl (local.get 0) (i32.const 3)))))",
    );
    assert_eq!(code, vec![Instr::I64StoreShl(3, 0, 1, 8), Instr::I64LoadShl(3, 2, 0, 16), Instr::Return1(2)]);
    // A shift by 4 (not a scale of an i32/i64 element) stays a shift (whose result the load
    // then takes from the result register).
    let code =
        code_of("(module (memory 1) (func (param i32) (result i32) (i32.load (i32.shl (local.get 0) (i32.const 4)))))");
    assert_eq!(code, vec![Instr::I32ShlImm(1, 0, 4), Instr::I32LoadAcc(1, 1, 0), Instr::Return1(1)]);
}

#[test]
fn an_add_loads_the_operand_that_only_it_reads() {
    let code = code_of(
        "(module (memory 1)
            (func (param i32 i64 f64) (result i64)
                (i64.add (local.get 1) (i64.extend_i32_u (i32.load offset=4 (local.get 0))))
                (f64.add (local.get 2) (f64.load offset=8 (local.get 0)))
                drop
                (i32.add (i32.load (local.get 0)) (i32.load offset=16 (local.get 0)))
                drop))",
    );
    assert_eq!(
        code,
        vec![
            Instr::I64AddLoad32U(4, 3, 1, 0),
            Instr::F64AddLoad(8, 4, 2, 0),
            // The left load is not the last instruction before the add: it stays (and the
            // add-load reads its value from the result register).
            Instr::I32Load(4, 0, 0),
            Instr::I32AddLoadAcc(16, 4, 4, 0),
            Instr::Return1(3),
        ]
    );
    // An offset of 2^16 or more, or a load that something else reads too, is not fused (the
    // add then reads the loaded value from the result register, operands swapped).
    let code = code_of(
        "(module (memory 1) (func (param i32 i32) (result i32)
            (i32.add (local.get 1) (i32.load offset=65536 (local.get 0)))))",
    );
    assert_eq!(code, vec![Instr::I32Load(3, 0, 65536), Instr::I32AddAcc(2, 3, 1), Instr::Return1(2)]);
    let code = code_of(
        "(module (memory 1) (func (param i32 i32) (result i32)
            (i32.add (local.get 1) (local.tee 0 (i32.load (local.get 0))))))",
    );
    assert!(!code.iter().any(|i| matches!(i, Instr::I32AddLoad(..))), "{code:?}");
}

#[test]
fn an_access_at_a_sum_adds_the_address_itself() {
    let code = code_of(
        "(module (memory 1) (func (param i32 i32 i32) (result i32)
            (i32.store8 offset=5 (i32.add (local.get 0) (local.get 1)) (local.get 2))
            (i32.load8_u offset=7 (i32.add (local.get 0) (local.get 1)))))",
    );
    assert_eq!(code, vec![Instr::I32Store8Add(5, 0, 1, 2), Instr::I32Load8UAdd(7, 3, 0, 1), Instr::Return1(3)]);
    // Not fused: an offset of 2^16 or more; a constant value (materialising it could
    // overwrite the add's operand); a value computed after the add (then the add is not the
    // last instruction). The load then takes the sum from the result register.
    let code = code_of(
        "(module (memory 1) (func (param i32 i32) (result i64)
            (i64.load offset=65536 (i32.add (local.get 0) (local.get 1)))))",
    );
    assert_eq!(code, vec![Instr::I32Add(2, 0, 1), Instr::I64LoadAcc(2, 2, 65536), Instr::Return1(2)]);
    let code = code_of(
        "(module (memory 1) (func (param i32 i32)
            (i32.store (i32.add (local.get 0) (local.get 1)) (i32.const 9))
            (i64.store (i32.add (local.get 0) (local.get 1)) (i64.mul (i64.const 3) (i64.extend_i32_u (local.get 1))))))",
    );
    assert!(!code.iter().any(|i| matches!(i, Instr::I32StoreAdd(..) | Instr::I64StoreAdd(..))), "{code:?}");
    assert_eq!(code.iter().filter(|i| matches!(i, Instr::I32Add(..))).count(), 2, "{code:?}");
}

#[test]
fn a_result_reaches_the_next_instruction_through_the_register() {
    let code = code_of(
        "(module (func (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.mul i32.const 7 i32.add local.get 1 i32.xor))",
    );
    // The add reads the product from the register, the xor the sum; the slots are still
    // written (and named, for the debug check).
    assert_eq!(
        code,
        vec![Instr::I32Mul(2, 0, 1), Instr::I32AddImmAcc(2, 2, 7), Instr::I32XorAcc(2, 2, 1), Instr::Return1(2)]
    );
    // A commuting operation with the fresh value on the right swaps its operands; one that
    // does not commute keeps the slot form.
    let code = code_of(
        "(module (func (param i32 i32) (result i32 i32)
            local.get 1 (i32.mul (local.get 0) (local.get 1)) i32.add
            local.get 1 (i32.mul (local.get 0) (local.get 1)) i32.sub))",
    );
    assert_eq!(code[1], Instr::I32AddAcc(2, 3, 1), "{code:?}");
    assert_eq!(code[3], Instr::I32Sub(3, 1, 4), "{code:?}");
    // Loads take their address from the register.
    let code = code_of(
        "(module (memory 1) (func (param i32) (result i64)
            (i64.load offset=8 (i32.add (local.get 0) (i32.const 16)))))",
    );
    assert_eq!(code[1], Instr::I64LoadAcc(1, 1, 8), "{code:?}");
    // An add-load takes its address from the register when that was computed just before,
    // and otherwise its running sum.
    let code = code_of(
        "(module (memory 1) (func (param i32 i64) (result i64)
            (i64.add (local.get 1) (i64.load (i32.and (local.get 0) (i32.const 0xfff8))))))",
    );
    assert_eq!(code[1], Instr::I64AddLoadAccAddr(0, 2, 1, 3), "{code:?}");
    let code = code_of(
        "(module (memory 1) (func (param i32 f64) (result f64)
            (f64.add (f64.add (local.get 1) (f64.load (local.get 0))) (f64.load offset=8 (local.get 0)))))",
    );
    assert_eq!(code[..2], [Instr::F64AddLoad(0, 2, 1, 0), Instr::F64AddLoadAcc(8, 2, 2, 0)], "{code:?}");
}

#[test]
fn a_branch_on_the_previous_result_reads_the_register() {
    // A data-dependent branch on a byte just loaded (a sieve's test), and a compare of a sum
    // with a local.
    let code = code_of(
        "(module (memory 1) (func (param i32 i32) (result i32)
            (block (br_if 0 (i32.load8_u (local.get 0))) (return (i32.const 1)))
            (block (br_if 0 (i32.lt_u (i32.add (local.get 0) (local.get 1)) (local.get 1)))
                   (return (i32.const 2)))
            (i32.const 3)))",
    );
    assert!(matches!(code[1], Instr::BrIfNezAcc(2, _)), "{code:?}");
    assert!(code.iter().any(|i| matches!(i, Instr::BrIfI32LtUAcc(2, 1, _))), "{code:?}");
    // The new forms are branches like their base forms.
    assert!(code.iter().filter(|i| (*i).clone().target_mut().is_some()).count() >= 2, "{code:?}");
}

#[test]
fn no_branch_target_reads_the_register() {
    // The multiply at the loop's head follows a write of its operand in the code, but the
    // back edge arrives there from the branch: it must read the slot.
    let code = code_of(
        "(module (func (param i32) (result i32) (local i32)
            (local.set 1 (i32.mul (local.get 0) (i32.const 3)))
            (loop
                (local.set 1 (i32.mul (local.get 1) (i32.const 5)))
                (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
            local.get 1))",
    );
    assert_eq!(code[0], Instr::I32MulImm(1, 0, 3), "{code:?}");
    assert_eq!(code[1], Instr::I32MulImm(1, 1, 5), "{code:?}");
    // A call's result is not in the register after it returns.
    let code = code_of(
        "(module (func (param i32) (result i32)
            (i32.add (call 0 (local.get 0)) (i32.const 1))))",
    );
    assert!(code.iter().all(|i| !matches!(i, Instr::I32AddImmAcc(..))), "{code:?}");
}

#[test]
fn results_popped_from_the_register_only_are_marked_and_locals_never() {
    let module = Module::new(
        &wat::parse_str(
            r#"(module (func (param i64 i64 i64) (result i64) (local i64)
                (local.set 3 (i64.mul (local.get 0) (local.get 1)))
                (i64.add (local.get 3) (local.get 2))
                (i64.xor (local.get 2))
                (local.tee 3)
                (i64.mul (local.get 3))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let f = &module.inner.code[0];
    let marked: Vec<(Instr, bool)> = f.code.iter().copied().zip(f.register_only.iter().copied()).collect();
    // The product goes to local 3 (retargeted): read through the register next, but a local
    // is read again later, so its slot is written. The sum goes to an operand stack slot that
    // only the xor pops, through the register: marked. The xor's result is tee'd into the
    // local: not an operand stack slot's only reader.
    assert_eq!(marked[0], (Instr::I64Mul(3, 0, 1), false));
    let Instr::I64AddAcc(sum, 3, 2) = marked[1].0 else {
        panic!("an add of the product from the register: {marked:?}")
    };
    assert!(marked[1].1, "the sum is popped from the register only: {marked:?}");
    assert!(matches!(marked[2].0, Instr::I64XorAcc(_, a, 2) if a == sum), "{marked:?}");
    assert!(!marked[2].1, "the xor's result is written to a local: {marked:?}");
    assert_eq!(f.register_only.len(), f.code.len());
}
