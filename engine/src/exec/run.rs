//! The interpreter: one handler per internal instruction (generated from the arms at the end
//! of this file), each running its instruction and jumping to the next one's handler
//! through the address threaded beside it (`threaded.rs`). The instruction pointer, the
//! frame's slots, memory 0's bytes and length and the result register travel in argument
//! registers from handler to handler; the rest of the state is in the run's context (`Cx`).
//!
//! A handler must end in a jump, never a call that returns to it, or the native stack grows
//! with every instruction executed. LLVM makes the final call a jump when the handler is
//! optimised and nothing in its frame outlives the call: no local whose address escapes into
//! a call, no result returned through a pointer to the frame. Out-of-line work that must
//! come back into a handler therefore ends by jumping to the next handler itself
//! (`switch_instance`, `grow_hi_and_rerun`), and debug builds check the native stack's
//! depth at every dispatch.

// Borrows through the store's raw pointer are written out (`(&(*st).funcs).get(..)`): rustc's
// `dangerous_implicit_autorefs` forbids implicit ones, and clippy would remove explicit ones.
#![allow(clippy::needless_borrow)]

use super::access::{self, Ops};
use super::threaded::{Exit, Handler, Handlers, Op};
use super::{Frame, num, simd};
use crate::code::{CompiledFunc, Instr};
use crate::func::{Caller, FuncKind, HostMemory};
use crate::global::GlobalInstance;
use crate::memory::LinearMemory;
use crate::store::{DataInstance, ElemInstance, InstanceData, StoreInner};
use crate::table;
use crate::trap::{Trap, TrapKind};
use crate::value::{REF_NULL, Value};

/// The code and instance of a callee, or a host function's store address.
enum Callee {
    Wasm(*const CompiledFunc, *const InstanceData),
    Host(u32),
}

/// Resolves store function `addr`.
///
/// # Safety
/// `st` must be valid; `addr` must be a function address of the store.
#[inline(always)]
unsafe fn resolve<M: LinearMemory>(st: *mut StoreInner<M>, addr: u32) -> Option<Callee> {
    // SAFETY: the caller guarantees `st` is valid; indices are checked.
    unsafe {
        let f = (&(*st).funcs).get(addr as usize)?;
        match &f.kind {
            FuncKind::Wasm { instance, index } => {
                let inst: *const InstanceData = (&(*st).instances).get(*instance as usize)?;
                let module = &*std::sync::Arc::as_ptr(&(*inst).module);
                let cf = module.code.get(index.checked_sub(module.num_imported_funcs)? as usize)?;
                Some(Callee::Wasm(cf, inst))
            }
            FuncKind::Host(_) => Some(Callee::Host(addr)),
        }
    }
}

/// Memory 0 of an instance, or null when it has none (then no memory instruction validates).
/// Out of line, like everything that depends on the strategy (see `access.rs`); the loop
/// calls it only when the instance changes.
///
/// # Safety
/// `st` and `inst` must be valid.
#[inline(never)]
pub(super) unsafe fn memory0<M: LinearMemory>(st: *mut StoreInner<M>, inst: *const InstanceData) -> *mut M {
    // SAFETY: the caller guarantees both pointers are valid; the index is checked.
    unsafe {
        match (&(*inst).memories).first() {
            Some(&a) if (a as usize) < (&(*st).memories).len() => (&mut (*st).memories).as_mut_ptr().add(a as usize),
            _ => std::ptr::null_mut(),
        }
    }
}

/// Memory `index` of an instance (module index space). Out of the loop's hot path: memory 0
/// is the loop's cached `mem`; the other memories are looked up by the out-of-line
/// operations that use them (`bulk`, `simd`), each time.
///
/// # Safety
/// `st` and `inst` must be valid and `index` a memory index the module validated with.
#[inline(always)]
pub(super) unsafe fn memory_at<M: LinearMemory>(
    st: *mut StoreInner<M>,
    inst: *const InstanceData,
    index: u32,
) -> *mut M {
    // SAFETY: guaranteed by the caller; validation bounds the index and instantiation gave
    // the instance one store address per memory of its module.
    unsafe {
        let a = (&(*inst).memories)[index as usize] as usize;
        (&mut (*st).memories).as_mut_ptr().add(a)
    }
}

/// Calls host function `addr` with arguments read from `args` and results written to
/// `results` (both cell arrays in the value stack). Cold, and out of line so that the
/// vectors it allocates live and die in its own frame, never in the loop's. It runs inside
/// `M::run_host`, so a signal-trapping memory never takes a fault in host code for a guest
/// trap (which would abandon these frames and their vectors).
///
/// # Safety
/// `st` and `inst` must be valid; `args` and `results` must point to enough cells.
#[cold]
#[inline(never)]
pub(super) unsafe fn call_host<M: LinearMemory>(
    st: *mut StoreInner<M>,
    inst: *const InstanceData,
    addr: u32,
    args: *const u64,
    results: *mut u64,
) -> Result<(), Trap> {
    // SAFETY: the caller guarantees the pointers; the translator reserved the cells.
    M::run_host(|| unsafe {
        let f = &(&(*st).funcs)[addr as usize];
        let FuncKind::Host(h) = &f.kind else {
            return Err(Trap::new(TrapKind::Other("not a host function".into())));
        };
        // The high halves of `v128` cells are at the same indices in `hi` (see `exec`).
        let exec = &mut (*st).exec;
        let args_at = args.offset_from(exec.stack.as_ptr()) as usize;
        let results_at = results.offset_from(exec.stack.as_ptr()) as usize;
        let hi = |k: usize| exec.hi.get(k).copied().unwrap_or(0);
        let params: Vec<Value> =
            f.ty.params()
                .iter()
                .enumerate()
                .map(|(k, t)| Value::from_cells(*t, *args.add(k), hi(args_at + k)))
                .collect();
        let mut out: Vec<Value> = f.ty.results().iter().map(|t| Value::default_for(*t)).collect();
        let memory = match (&(*inst).memories).first() {
            Some(&a) => (&mut (*st).memories).get_mut(a as usize).map(|m| m as &mut dyn HostMemory),
            None => None,
        };
        h(&mut Caller { memory }, &params, &mut out)?;
        for (k, v) in out.iter().enumerate() {
            *results.add(k) = v.to_cell();
            if let Value::V128(_) = v {
                let hi = &mut (*st).exec.hi;
                if hi.len() <= results_at + k {
                    hi.resize((&(*st).exec.stack).len(), 0);
                }
                hi[results_at + k] = v.hi_cell();
            }
        }
        Ok(())
    })
}

/// Grows the value stack to at least `need` cells; false when that passes the limit.
#[cold]
#[inline(never)]
fn grow_stack(stack: &mut Vec<u64>, need: usize, max: usize) -> bool {
    if need > max {
        return false;
    }
    let new_len = need.max(stack.len() * 2).min(max);
    stack.resize(new_len, 0);
    true
}

#[cold]
#[inline(never)]
fn drop_data<M: LinearMemory>(st: &mut StoreInner<M>, addr: u32) {
    if let Some(d) = st.datas.get_mut(addr as usize) {
        *d = DataInstance::default();
    }
}

#[cold]
#[inline(never)]
fn drop_elem<M: LinearMemory>(st: &mut StoreInner<M>, addr: u32) {
    if let Some(e) = st.elems.get_mut(addr as usize) {
        *e = ElemInstance::default();
    }
}

/// The memory-size-changing, bulk, table and segment instructions: rare in hot loops, so
/// they live out of line and keep the handlers small.
///
/// # Safety
/// As for `run`: `st`, `inst` and `sp` are the loop's, `mem` is the instance's memory 0 (or
/// null when it has none, in which case no memory instruction validated), `at` points to
/// the instruction. The other memories are looked up by index ([`memory_at`]).
#[inline(never)]
pub(super) unsafe fn bulk<M: LinearMemory>(
    st: *mut StoreInner<M>,
    inst: *const InstanceData,
    mem: *mut M,
    sp: *mut u64,
    at: *const Instr,
) -> Result<(), TrapKind> {
    macro_rules! r {
        ($s:expr) => {
            *sp.add($s as usize)
        };
    }
    macro_rules! w {
        ($s:expr, $v:expr) => {{
            let v: u64 = $v;
            *sp.add($s as usize) = v;
        }};
    }
    // SAFETY: guaranteed by the caller, as in `run`.
    unsafe {
        #[cfg(feature = "mutants")]
        if let Some(planted) = crate::mutants::planted::bulk(st, inst, mem, sp, at) {
            return planted;
        }
        // Memory `i` of the instance: memory 0 is the loop's `mem`.
        let pick = |i: u32| if i == 0 { mem } else { memory_at(st, inst, i) };
        // An address or length operand of a memory instruction: all 64 bits on a memory64
        // memory, the low 32 zero-extended otherwise.
        let operand = |m: *mut M, s: u32| if (*m).ty().index64 { r!(s) } else { r!(s) as u32 as u64 };
        match *at {
            Instr::MemoryGrow(d, delta, i) => {
                let m = pick(i);
                let grown = (&mut *m).grow(operand(m, delta));
                // -1 of the index type when it fails.
                let old = match grown {
                    Some(p) => p,
                    None if (*m).ty().index64 => u64::MAX,
                    None => u32::MAX as u64,
                };
                w!(d, old);
            }
            Instr::MemoryFill(args, i) => {
                let m = pick(i);
                let dst = operand(m, args);
                let val = r!(args + 1) as u8;
                let len = operand(m, args + 2);
                if (&mut *m).fill(dst, val, len).is_err() {
                    return Err(TrapKind::MemoryOutOfBounds);
                }
            }
            Instr::MemoryCopy(args, di, si) => {
                let (dm, sm) = (pick(di), pick(si));
                let dst = operand(dm, args);
                let src = operand(sm, args + 1);
                // The length is an i64 only when both memories are memory64 ones.
                let len =
                    if (*dm).ty().index64 && (*sm).ty().index64 { r!(args + 2) } else { r!(args + 2) as u32 as u64 };
                // Two indices may name one memory (imported twice): then the ranges may overlap.
                let res = if dm == sm {
                    (&mut *dm).copy_within(dst, src, len)
                } else {
                    crate::memory::copy_between(&mut *dm, dst, &*sm, src, len)
                };
                if res.is_err() {
                    return Err(TrapKind::MemoryOutOfBounds);
                }
            }
            Instr::MemoryInit(data, args, i) => {
                // The destination is an address of the memory; source and length index the
                // segment (i32 whatever the memory).
                let m = pick(i);
                let dst = operand(m, args);
                let src = r!(args + 1) as u32 as u64;
                let len = r!(args + 2) as u32 as u64;
                let daddr = (&(*inst).datas)[data as usize] as usize;
                let bytes: &[u8] = &(&(*st).datas)[daddr].bytes;
                let ok = match crate::memory::checked_range(src, len, bytes.len() as u64) {
                    Ok(range) => (&mut *m).write(dst, &bytes[range]).is_ok(),
                    Err(_) => false,
                };
                if !ok {
                    return Err(TrapKind::MemoryOutOfBounds);
                }
            }
            Instr::DataDrop(data) => drop_data(&mut *st, (&(*inst).datas)[data as usize]),

            Instr::TableGet(d, t, i) => {
                let taddr = (&(*inst).tables)[t as usize] as usize;
                match (&mut (*st).tables)[taddr].get(r!(i) as u32 as u64) {
                    Ok(v) => w!(d, v),
                    Err(_) => return Err(TrapKind::TableOutOfBounds),
                }
            }
            Instr::TableSet(t, i, v) => {
                let taddr = (&(*inst).tables)[t as usize] as usize;
                if (&mut (*st).tables)[taddr].set(r!(i) as u32 as u64, r!(v)).is_err() {
                    return Err(TrapKind::TableOutOfBounds);
                }
            }
            Instr::TableSize(d, t) => {
                let taddr = (&(*inst).tables)[t as usize] as usize;
                w!(d, (&mut (*st).tables)[taddr].size());
            }
            Instr::TableGrow(t, args) => {
                let taddr = (&(*inst).tables)[t as usize] as usize;
                let init = r!(args);
                let delta = r!(args + 1) as u32 as u64;
                let old = (&mut (*st).tables)[taddr].grow(delta, init).map_or(u32::MAX, |p| p as u32);
                w!(args, old as u64);
            }
            Instr::TableFill(t, args) => {
                let taddr = (&(*inst).tables)[t as usize] as usize;
                let at = r!(args) as u32 as u64;
                let v = r!(args + 1);
                let len = r!(args + 2) as u32 as u64;
                if (&mut (*st).tables)[taddr].fill(at, v, len).is_err() {
                    return Err(TrapKind::TableOutOfBounds);
                }
            }
            Instr::TableCopy(dt, s, args) => {
                let daddr = (&(*inst).tables)[dt as usize] as usize;
                let saddr = (&(*inst).tables)[s as usize] as usize;
                let dst = r!(args) as u32 as u64;
                let src = r!(args + 1) as u32 as u64;
                let len = r!(args + 2) as u32 as u64;
                let tables = &mut (*st).tables;
                let res = if daddr == saddr {
                    tables[daddr].copy_within(dst, src, len)
                } else {
                    let src_table: *const table::TableInstance = &tables[saddr];
                    table::copy_between(&mut tables[daddr], dst, &*src_table, src, len)
                };
                if res.is_err() {
                    return Err(TrapKind::TableOutOfBounds);
                }
            }
            Instr::TableInit(t, e, args) => {
                let taddr = (&(*inst).tables)[t as usize] as usize;
                let eaddr = (&(*inst).elems)[e as usize] as usize;
                let dst = r!(args) as u32 as u64;
                let src = r!(args + 1) as u32 as u64;
                let len = r!(args + 2) as u32 as u64;
                let items: &[u64] = &(&(*st).elems)[eaddr].items;
                if (&mut (*st).tables)[taddr].init(dst, items, src, len).is_err() {
                    return Err(TrapKind::TableOutOfBounds);
                }
            }
            Instr::ElemDrop(e) => drop_elem(&mut *st, (&(*inst).elems)[e as usize]),
            _ => {}
        }
    }
    Ok(())
}

/// What a result read through the register only leaves in its slot in debug builds (release
/// builds leave the slot as it was): any reader but the register's fails the tests.
#[cfg(debug_assertions)]
const REGISTER_ONLY_POISON: u64 = 0x5EAD_0FDE_AD51_0700;
#[cfg(not(debug_assertions))]
const REGISTER_ONLY_POISON: u64 = 0;

/// The loop's context: everything the handlers share that is not in their registers (the
/// instruction pointer, the frame's slots, memory 0's bytes and length and the result
/// register are handler arguments). It lives in `run`'s frame for the whole run; the
/// handlers reach it through a pointer.
struct Cx<M: LinearMemory> {
    st: *mut StoreInner<M>,
    /// The running function.
    cf: *const CompiledFunc,
    inst: *const InstanceData,
    /// The running frame's first cell in the value stack.
    base: usize,
    /// The value stack's first cell (moves when it grows).
    stack_ptr: *mut u64,
    /// Memory 0 of `inst`, or null.
    mem: *mut M,
    /// The instance's global address map, and the store's globals (no global is created
    /// while guest code runs, so the latter never moves).
    inst_globals: *const u32,
    globals: *mut GlobalInstance,
    /// Fuel left, when fuel is on.
    fuel: u64,
    max_depth: usize,
    /// The limit counts the cells of frames, not those skipped before the entry frame.
    max_stack: usize,
    /// Everything that depends on the strategy, behind opaque pointers (see `Ops`).
    ops: &'static Ops<M>,
    /// The handler set the code is threaded with (callees are threaded with it too).
    handlers: &'static Handlers,
    /// The trap that ended the run, when a handler returned [`Exit::Trapped`].
    trap: Option<Trap>,
    /// The native stack pointer when the first handler was called: debug builds check at
    /// every dispatch that no handler left a frame behind (a call that did not become a jump).
    #[cfg(debug_assertions)]
    entry_sp: usize,
}

/// Runs function `entry` of instance `entry_inst`, whose frame starts at cell `entry_base` of
/// the value stack with the arguments already in its first slots, until it returns (results
/// in its first slots) or traps.
///
/// Each instruction runs in its own handler (generated below from one arm per instruction),
/// which ends by calling the next instruction's handler, read from the threaded code, in
/// tail position: compiled optimised, that call is a jump, so the native stack holds `run`'s
/// frame and one handler's whatever runs, and the dispatch is one indirect jump per
/// instruction, from a different place for every instruction (no shared dispatch branch and
/// no jump table). Calls, returns and tail calls of wasm functions switch frames in the
/// handlers.
///
/// # Safety
/// `st` must be valid and not otherwise accessed while this runs; `entry` and `entry_inst`
/// must belong to it; the value stack must hold at least `entry_base + entry.frame_size`
/// cells.
///
/// Invariant relied on by signal-trapping memories (`M::SIGNAL_TRAPS`, see
/// `LinearMemory::run_guest`): a guest load or store may not return, control jumping back to
/// `run_guest` instead. So (1) everything that must outlive such an exit (value stack, frame
/// stack, fuel at the access) is kept in `ExecState`, never only in the handlers' frames or
/// the context; (2) no handler's frame owns a value with a destructor while it executes a
/// guest memory access (its locals are raw pointers and integers, the instruction is `Copy`,
/// and everything that allocates or drops happens in out-of-line calls that finish first),
/// and the context's trap is `None` until the run ends; (3) each guest access passes `ip`
/// (already past the access's word) as its site, which the strategy hands back after a fault
/// (`LinearMemory::take_fault_site`) so that `invoke` can locate the trap; with fuel on, the
/// fuel left is stored in `ExecState` before the access.
pub(super) unsafe fn run<M: LinearMemory, const FUEL: bool>(
    st: *mut StoreInner<M>,
    entry: *const CompiledFunc,
    entry_inst: *const InstanceData,
    entry_base: usize,
) -> Result<(), Trap> {
    // SAFETY: `st` is valid and exclusively ours (the caller's contract); the context
    // outlives every handler, which all run inside the call below.
    unsafe {
        let handlers = &M::handlers()[FUEL as usize];
        let Some(code) = (*entry).threaded.get(&(*entry).code, &(*entry).register_only, handlers) else {
            return Err(too_many_strategies());
        };
        let ops = Ops::<M>::get();
        let mem = (ops.memory0)(st, entry_inst);
        let (mbase, mlen) = (ops.parts)(mem);
        let stack_ptr = (&mut (*st).exec.stack).as_mut_ptr();
        let mut cx = Cx {
            st,
            cf: entry,
            inst: entry_inst,
            base: entry_base,
            stack_ptr,
            mem,
            inst_globals: (&(*entry_inst).globals).as_ptr(),
            globals: (&mut (*st).globals).as_mut_ptr(),
            fuel: if FUEL { (*st).fuel.unwrap_or(0) } else { 0 },
            max_depth: (*st).config.max_call_depth,
            max_stack: (*st).config.max_value_stack + entry_base,
            ops,
            handlers,
            trap: None,
            #[cfg(debug_assertions)]
            entry_sp: native_sp(),
        };
        let cxp: *mut Cx<M> = &mut cx;
        match ((*code).h)(code, stack_ptr.add(entry_base), mbase, mlen, 0, cxp as *mut ()) {
            Exit::Done => Ok(()),
            Exit::Trapped => {
                Err((*cxp).trap.take().unwrap_or_else(|| Trap::new(TrapKind::Other("trap without a cause".into()))))
            }
        }
    }
}

/// The error of a function threaded for more handler sets than it has room for (see
/// `Threaded`): not reachable with this crate's strategies.
#[cold]
#[inline(never)]
fn too_many_strategies() -> Trap {
    Trap::new(TrapKind::Other("function already threaded for every strategy slot".into()))
}

/// The native stack pointer (debug builds: the check that handlers tail-call).
#[cfg(debug_assertions)]
#[inline(always)]
fn native_sp() -> usize {
    let sp: usize;
    #[cfg(target_arch = "x86_64")]
    // SAFETY: reads a register.
    unsafe {
        std::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    #[cfg(not(target_arch = "x86_64"))]
    {
        let probe = 0u8;
        sp = std::hint::black_box(&probe) as *const u8 as usize;
    }
    sp
}

/// How far below `run`'s the native stack may be at a dispatch: one handler's frame, with
/// room to spare. A handler whose call of the next did not become a jump leaves its frame
/// behind at every execution, and a loop through it passes this within a few hundred
/// iterations.
#[cfg(debug_assertions)]
const HANDLER_STACK: usize = 16 * 1024;

/// A trap at the instruction just run: records it in the context (located from `ip`, which
/// points past the instruction) and returns the exit that ends the run.
///
/// # Safety
/// `cx` must be the run's context and `ip` point into the running function's threaded code,
/// past its first word.
#[cold]
#[inline(never)]
unsafe fn trap_at<M: LinearMemory, const FUEL: bool>(cx: *mut Cx<M>, ip: *const Op, kind: TrapKind) -> Exit {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let cf = (*cx).cf;
        let start = (*cf).threaded.get(&(*cf).code, &(*cf).register_only, (*cx).handlers).unwrap_or(ip);
        let pc = (ip.offset_from(start) as usize).saturating_sub(1);
        trap_with::<M, FUEL>(
            cx,
            Trap::at(kind, (*cf).func_index, (&(*cf).offsets).get(pc).copied().unwrap_or_default()),
        )
    }
}

/// A trap, recorded as it is (with the fuel left, when fuel is on): an out-of-line
/// operation's (a host function's), or one `trap_at` located.
///
/// # Safety
/// `cx` must be the run's context.
#[cold]
#[inline(never)]
unsafe fn trap_with<M: LinearMemory, const FUEL: bool>(cx: *mut Cx<M>, trap: Trap) -> Exit {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if FUEL {
            (*(*cx).st).fuel = Some((*cx).fuel);
        }
        (*cx).trap = Some(trap);
        Exit::Trapped
    }
}

/// Makes `inst` the running instance (its memory 0 and globals), then continues at `ip`: the
/// end of a call, return or tail call that crosses instances.
///
/// # Safety
/// As for a handler, with `ip` the next instruction's word and `inst` valid.
#[cold]
#[inline(never)]
unsafe fn switch_instance<M: LinearMemory, const FUEL: bool>(
    ip: *const Op,
    sp: *mut u64,
    acc: u64,
    cx: *mut Cx<M>,
    inst: *const InstanceData,
) -> Exit {
    // SAFETY: guaranteed by the caller.
    unsafe {
        (*cx).inst = inst;
        (*cx).mem = ((*cx).ops.memory0)((*cx).st, inst);
        (*cx).inst_globals = (&(*inst).globals).as_ptr();
        let (mbase, mlen) = ((*cx).ops.parts)((*cx).mem);
        ((*ip).h)(ip, sp, mbase, mlen, acc, cx as *mut ())
    }
}

/// Grows `ExecState::hi` to the value stack's length, then runs the instruction at `at` again
/// (its handler found `hi` too short before doing anything), uncharged the second time.
///
/// # Safety
/// As for a handler, with `at` the instruction's word.
#[cold]
#[inline(never)]
unsafe fn grow_hi_and_rerun<M: LinearMemory, const FUEL: bool>(
    at: *const Op,
    sp: *mut u64,
    mbase: *mut u8,
    mlen: u64,
    acc: u64,
    cx: *mut Cx<M>,
) -> Exit {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let exec = &mut (*(*cx).st).exec;
        simd::grow_hi(&mut exec.hi, exec.stack.len());
        if FUEL {
            (*cx).fuel += 1;
        }
        ((*at).h)(at, sp, mbase, mlen, acc, cx as *mut ())
    }
}

/// Defines, inside a handler, the macros its arm is written with, over the handler's
/// registers (`$ip`, `$sp`, `$mbase`, `$mlen`, `$acc`) and context (`$cx`).
macro_rules! state {
    ($ip:ident, $sp:ident, $mbase:ident, $mlen:ident, $acc:ident, $cx:ident) => {
        macro_rules! r {
            ($s:expr) => {{
                debug_assert!(($s as usize) < (*(*$cx).cf).frame_size as usize, "slot {} out of frame", $s);
                *$sp.add($s as usize)
            }};
        }
        // The result register: every single-result instruction that runs inline leaves its
        // result here as well as in its slot, and the `...Acc` forms read operand `a` from it
        // (see `Instr::with_acc`), so that a chain of dependent instructions passes values in
        // a machine register instead of through a store and a load each.
        macro_rules! w {
            ($s:expr, $v:expr) => {{
                let v: u64 = $v;
                debug_assert!(($s as usize) < (*(*$cx).cf).frame_size as usize, "slot {} out of frame", $s);
                if STORE {
                    *$sp.add($s as usize) = v;
                } else if cfg!(debug_assertions) {
                    // Read through the register only (`CompiledFunc::register_only`): a value
                    // no one may read, so that a reader the translator missed fails the tests.
                    *$sp.add($s as usize) = REGISTER_ONLY_POISON;
                }
                $acc = v;
            }};
        }
        // Operand `a` of an `...Acc` form: the result register, which the translator placed it
        // to hold slot `a`'s value (checked in debug builds).
        macro_rules! ra {
            ($s:expr) => {{
                debug_assert!(
                    $acc == r!($s) || r!($s) == REGISTER_ONLY_POISON,
                    "result register out of step with slot {}",
                    $s
                );
                $acc
            }};
        }
        // Jumps to the next instruction's handler: the tail call every handler ends with.
        macro_rules! next {
            () => {{
                #[cfg(debug_assertions)]
                {
                    let depth = (*$cx).entry_sp.wrapping_sub(native_sp());
                    debug_assert!(depth < HANDLER_STACK, "the native stack grew by {depth} bytes: a handler did not tail-call");
                }
                let h = (*$ip).h;
                return h($ip, $sp, $mbase, $mlen, $acc, $cx as *mut ());
            }};
        }
        macro_rules! save_fuel {
            () => {
                if FUEL {
                    (*(*$cx).st).fuel = Some((*$cx).fuel);
                }
            };
        }
        macro_rules! trap {
            ($kind:expr) => {{
                return trap_at::<M, FUEL>($cx, $ip, $kind);
            }};
        }
        // A taken branch: its own jump to the target's handler. The empty assembly keeps the
        // taken and the fall-through paths apart, so that the target is not chosen by a
        // conditional move (which makes the next fetch wait for the compare).
        macro_rules! jump {
            ($t:expr) => {{
                // In bytes: the threaded copy scales branch offsets (`threaded.rs`).
                $ip = $ip.byte_offset($t as i32 as isize);
                #[cfg(target_arch = "x86_64")]
                std::arch::asm!("/* taken */", options(nomem, nostack, preserves_flags));
                next!();
            }};
        }
        macro_rules! ext {
            () => {{
                let e = match (*$ip).i {
                    Instr::Ext(a, _, _) => a,
                    _ => 0,
                };
                $ip = $ip.add(1);
                e
            }};
        }
        // Where a faulting access is located needs nothing here: the access takes `ip` as
        // its site and a fault hands it back. Only the fuel left at the access, when fuel is
        // on, is saved first.
        macro_rules! note_fuel {
            () => {
                if FUEL {
                    (*(*$cx).st).exec.fault_fuel = (*$cx).fuel;
                }
            };
        }
        // Memory 0's bytes and length, again: after anything that may grow (and so move) it.
        macro_rules! refresh_memory {
            () => {{
                ($mbase, $mlen) = ((*$cx).ops.parts)((*$cx).mem);
            }};
        }
        // Continues at `$ip` in instance `$new`: when that is another instance, through
        // `switch_instance`, out of line, so that no call returns into the handler.
        macro_rules! next_in {
            ($new:expr) => {{
                let n: *const InstanceData = $new;
                if n != (*$cx).inst {
                    return switch_instance::<M, FUEL>($ip, $sp, $acc, $cx, n);
                }
                next!();
            }};
        }
        // The threaded code of `$cf`, built on its first call.
        macro_rules! code_of {
            ($cf:expr) => {{
                let ncf: *const CompiledFunc = $cf;
                match (*ncf).threaded.get(&(*ncf).code, &(*ncf).register_only, (*$cx).handlers) {
                    Some(c) => c,
                    None => return trap_with::<M, FUEL>($cx, too_many_strategies()),
                }
            }};
        }
        // Makes room for a frame of `$cf` at `$new_base` and zeroes its declared locals.
        macro_rules! prepare_frame {
            ($cf:expr, $new_base:expr) => {{
                let ncf: *const CompiledFunc = $cf;
                let need = $new_base + (*ncf).frame_size as usize;
                let st = (*$cx).st;
                if need > (&(*st).exec.stack).len() {
                    if !grow_stack(&mut (*st).exec.stack, need, (*$cx).max_stack) {
                        trap!(TrapKind::StackOverflow);
                    }
                    (*$cx).stack_ptr = (&mut (*st).exec.stack).as_mut_ptr();
                }
                let stack_ptr = (*$cx).stack_ptr;
                let np = (*ncf).num_params as usize;
                let nl = (*ncf).num_locals as usize;
                if nl > np {
                    std::ptr::write_bytes(stack_ptr.add($new_base + np), 0, nl - np);
                }
                let consts: &[u64] = &(*ncf).consts;
                if !consts.is_empty() {
                    std::ptr::copy_nonoverlapping(consts.as_ptr(), stack_ptr.add($new_base + nl), consts.len());
                }
            }};
        }
        // Calls wasm function `$cf` of `$ninst` with arguments at the caller's slot `$at`.
        macro_rules! enter {
            ($cf:expr, $ninst:expr, $at:expr) => {{
                let ncf: *const CompiledFunc = $cf;
                let code = code_of!(ncf);
                let frames = &mut (*(*$cx).st).exec.frames;
                if frames.len() >= (*$cx).max_depth {
                    trap!(TrapKind::StackOverflow);
                }
                frames.push(Frame { cf: (*$cx).cf, inst: (*$cx).inst, ret: $ip, base: (*$cx).base as u32 });
                let new_base = (*$cx).base + $at as usize;
                prepare_frame!(ncf, new_base);
                (*$cx).base = new_base;
                $sp = (*$cx).stack_ptr.add(new_base);
                (*$cx).cf = ncf;
                $ip = code;
                next_in!($ninst);
            }};
        }
        // Replaces the current frame by a call of `$cf` whose arguments are at slot `$at`.
        macro_rules! tail_enter {
            ($cf:expr, $ninst:expr, $at:expr) => {{
                let ncf: *const CompiledFunc = $cf;
                let code = code_of!(ncf);
                std::ptr::copy($sp.add($at as usize), $sp, (*ncf).num_params as usize);
                let base = (*$cx).base;
                prepare_frame!(ncf, base);
                $sp = (*$cx).stack_ptr.add(base);
                (*$cx).cf = ncf;
                $ip = code;
                next_in!($ninst);
            }};
        }
        macro_rules! ret {
            () => {{
                match (&mut (*(*$cx).st).exec.frames).pop() {
                    None => {
                        save_fuel!();
                        return Exit::Done;
                    }
                    Some(f) => {
                        (*$cx).cf = f.cf;
                        $ip = f.ret;
                        (*$cx).base = f.base as usize;
                        $sp = (*$cx).stack_ptr.add(f.base as usize);
                        next_in!(f.inst);
                    }
                }
            }};
        }
        macro_rules! host {
            ($addr:expr, $args:expr, $results:expr) => {{
                if let Err(t) = ((*$cx).ops.call_host)((*$cx).st, (*$cx).inst, $addr, $args, $results) {
                    return trap_with::<M, FUEL>($cx, *t);
                }
                // The host may have used the memory; the pointer to it stays valid, but keep
                // no assumption beyond that.
                (*$cx).mem = ((*$cx).ops.memory0)((*$cx).st, (*$cx).inst);
                refresh_memory!();
            }};
        }
        // The callee of `call_indirect`: table element `$index` of table `$table`, checked
        // against type index `$ty`.
        macro_rules! indirect {
            ($ty:expr, $index:expr, $table:expr) => {{
                let (st, inst) = ((*$cx).st, (*$cx).inst);
                let taddr = (&(*inst).tables)[$table as usize] as usize;
                let i = r!($index) as u32 as usize;
                let cell = match (&mut (*st).tables)[taddr].elements.get(i) {
                    Some(&c) => c,
                    None => trap!(TrapKind::TableOutOfBounds),
                };
                if cell == REF_NULL {
                    trap!(TrapKind::IndirectCallToNull);
                }
                let addr = cell as u32;
                let want = (&(*inst).type_ids)[$ty as usize];
                match (&(*st).funcs).get(addr as usize) {
                    Some(f) if f.type_id == want => {}
                    _ => trap!(TrapKind::BadSignature),
                }
                match resolve(st, addr) {
                    Some(c) => c,
                    None => trap!(TrapKind::Other("dangling function reference".into())),
                }
            }};
        }
        macro_rules! direct {
            ($func:expr) => {{
                let inst = (*$cx).inst;
                let module = &*std::sync::Arc::as_ptr(&(*inst).module);
                match $func.checked_sub(module.num_imported_funcs) {
                    Some(i) => Callee::Wasm(module.code.as_ptr().add(i as usize), inst),
                    None => match resolve((*$cx).st, (&(*inst).funcs)[$func as usize]) {
                        Some(c) => c,
                        None => trap!(TrapKind::Other("dangling function reference".into())),
                    },
                }
            }};
        }
        // Guest memory accesses are inline assembly that is the same code around the access
        // in every strategy (`access.rs`); `ip` is the access's site.
        macro_rules! load {
            ($d:expr, $a:expr, $off:expr, $t:ty, $v:ident => $e:expr) => {
                load!(@addr $d, r!($a) as u32, $off, $t, $v => $e)
            };
            // `$addr`: the i32 address operand's value.
            (@addr $d:expr, $addr:expr, $off:expr, $t:ty, $v:ident => $e:expr) => {{
                let addr: u32 = $addr;
                let ea = (addr as u64) + $off as u64;
                note_fuel!();
                #[cfg(feature = "mutants")]
                let got = if crate::mutants::access_on() {
                    crate::mutants::planted::load::<M, $t>(&*(*$cx).mem, addr, $off as u32)
                } else {
                    access::load::<M, $t>((*$cx).mem, $mbase, $mlen, ea, $ip as usize)
                };
                #[cfg(not(feature = "mutants"))]
                let got = access::load::<M, $t>((*$cx).mem, $mbase, $mlen, ea, $ip as usize);
                match got {
                    Some($v) => {
                        let x: u64 = $e;
                        #[cfg(feature = "mutants")]
                        let x = crate::mutants::planted::extend::<$t>(x);
                        w!($d, x)
                    }
                    None => trap!(TrapKind::MemoryOutOfBounds),
                }
            }};
        }
        macro_rules! store {
            ($a:expr, $v:expr, $off:expr, $t:ty) => {
                store!(@addr r!($a) as u32, $v, $off, $t)
            };
            (@addr $addr:expr, $v:expr, $off:expr, $t:ty) => {{
                let addr: u32 = $addr;
                let ea = (addr as u64) + $off as u64;
                note_fuel!();
                #[cfg(feature = "mutants")]
                let ok = if crate::mutants::access_on() {
                    crate::mutants::planted::store::<M, $t>(&mut *(*$cx).mem, addr, $off as u32, $v)
                } else {
                    access::store::<M, $t>((*$cx).mem, $mbase, $mlen, ea, $v, $ip as usize)
                };
                #[cfg(not(feature = "mutants"))]
                let ok = access::store::<M, $t>((*$cx).mem, $mbase, $mlen, ea, $v, $ip as usize);
                if !ok {
                    trap!(TrapKind::MemoryOutOfBounds);
                }
            }};
        }
        // The memory64 forms: the address is all 64 bits of its slot, and `ea64_inline` makes
        // the one compare (of the address with the length) that keeps `ea` from wrapping and,
        // on guard pages, inside the reservation; then the same inline access.
        macro_rules! load64 {
            ($d:expr, $a:expr, $off:expr, $t:ty, $v:ident => $e:expr) => {{
                let Some(ea) = access::ea64_inline(r!($a), $off, $mlen) else {
                    trap!(TrapKind::MemoryOutOfBounds)
                };
                note_fuel!();
                match access::load::<M, $t>((*$cx).mem, $mbase, $mlen, ea, $ip as usize) {
                    Some($v) => w!($d, $e),
                    None => trap!(TrapKind::MemoryOutOfBounds),
                }
            }};
        }
        macro_rules! store64 {
            ($a:expr, $v:expr, $off:expr, $t:ty) => {{
                let Some(ea) = access::ea64_inline(r!($a), $off, $mlen) else { trap!(TrapKind::MemoryOutOfBounds) };
                note_fuel!();
                if !access::store::<M, $t>((*$cx).mem, $mbase, $mlen, ea, $v, $ip as usize) {
                    trap!(TrapKind::MemoryOutOfBounds);
                }
            }};
        }
        // The current frame's high halves of `v128` slots (`ExecState::hi`, grown to the value
        // stack's length when shorter), for the inline SIMD instructions.
        // When `hi` is shorter than the value stack, it is grown out of line and the
        // instruction runs again from the start (so no value lives across a call here).
        macro_rules! hp {
            () => {{
                let exec = &mut (*(*$cx).st).exec;
                if exec.hi.len() < exec.stack.len() {
                    return grow_hi_and_rerun::<M, FUEL>($ip.sub(1), $sp, $mbase, $mlen, $acc, $cx);
                }
                exec.hi.as_mut_ptr().add((*$cx).base)
            }};
        }
        // A v128 load or store of memory 0, inline.
        macro_rules! v128_load {
            ($d:expr, $a:expr, $o:expr) => {{
                let ea = (r!($a) as u32 as u64) + $o as u64;
                let hp: *mut u64 = hp!();
                note_fuel!();
                match access::load16::<M>((*$cx).mem, $mbase, $mlen, ea, $ip as usize) {
                    Some(v) => {
                        w!($d, v as u64);
                        *hp.add($d as usize) = (v >> 64) as u64;
                    }
                    None => trap!(TrapKind::MemoryOutOfBounds),
                }
            }};
        }
        macro_rules! v128_store {
            ($a:expr, $v:expr, $o:expr) => {{
                let ea = (r!($a) as u32 as u64) + $o as u64;
                let hp: *mut u64 = hp!();
                let v = r!($v) as u128 | (*hp.add($v as usize) as u128) << 64;
                note_fuel!();
                if !access::store16::<M>((*$cx).mem, $mbase, $mlen, ea, v, $ip as usize) {
                    trap!(TrapKind::MemoryOutOfBounds);
                }
            }};
        }
        // The out-of-line SIMD instructions (`simd.rs`): skip their `Ext` words.
        macro_rules! simd_op {
            () => {{
                note_fuel!();
                match ((*$cx).ops.simd)((*$cx).st, (*$cx).inst, (*$cx).mem, $sp, $ip) {
                    Ok(words) => $ip = $ip.add(words),
                    Err(k) => trap!(*k),
                }
            }};
        }
        // The out-of-line bulk, table and segment instructions (`bulk`).
        macro_rules! bulk_op {
            () => {{
                // By pointer: passing the instruction by value would make every fetch spill
                // it to the stack.
                let r = ((*$cx).ops.bulk)((*$cx).st, (*$cx).inst, (*$cx).mem, $sp, &(*$ip.sub(1)).i);
                refresh_memory!();
                if let Err(k) = r {
                    trap!(*k);
                }
            }};
        }
        macro_rules! br_table {
            ($i:expr, $len:expr) => {{
                let i = (r!($i) as u32).min($len);
                // Every word of the table is a `Br` (the translator sends entries that need
                // moves to stubs after it): take the chosen one's jump here rather than
                // dispatching it.
                let word = $ip.add(i as usize);
                $ip = match (*word).i {
                    Instr::Br(t) => word.add(1).byte_offset(t as i32 as isize),
                    _ => word,
                };
            }};
        }
        macro_rules! global_get {
            ($d:expr, $g:expr) => {{
                // Validation bounds `g` by the module's globals, which instantiation mapped to
                // existing store globals one for one.
                debug_assert!(($g as usize) < (&(*(*$cx).inst).globals).len());
                let addr = *(*$cx).inst_globals.add($g as usize) as usize;
                debug_assert!(addr < (&(*(*$cx).st).globals).len());
                w!($d, (*(*$cx).globals.add(addr)).value);
            }};
        }
        macro_rules! global_set {
            ($g:expr, $s:expr) => {{
                debug_assert!(($g as usize) < (&(*(*$cx).inst).globals).len());
                let addr = *(*$cx).inst_globals.add($g as usize) as usize;
                debug_assert!(addr < (&(*(*$cx).st).globals).len());
                (*(*$cx).globals.add(addr)).value = r!($s);
            }};
        }
        macro_rules! ref_func {
            ($d:expr, $f:expr) => {
                w!($d, (&(*(*$cx).inst).funcs)[$f as usize] as u64)
            };
        }
        macro_rules! memory_size {
            ($d:expr) => {
                w!($d, ((*$cx).ops.size_pages)((*$cx).mem))
            };
        }
        macro_rules! return1 {
            ($s:expr) => {{
                let v = r!($s);
                *$sp = v;
                ret!();
            }};
        }
        macro_rules! frame_args {
            ($at:expr) => {
                $sp.add($at as usize)
            };
        }
        macro_rules! frame_results {
            () => {
                $sp
            };
        }
    };
}

/// Generates one handler per arm (`Instr::Variant(fields) => body`, every variant exactly
/// once, which `pick` checks), and `pick`, the handler of an instruction. A handler charges
/// fuel (with `FUEL`), reads its instruction's fields, runs the arm with `ip` past the
/// instruction, and ends with `next!` (defined by `state!`): the tail call of the next
/// handler. An arm names the state only through `state!`'s macros (`r!`, `w!`, `jump!`,
/// `trap!`, ...): the handler's registers are not in scope in the arm's own tokens.
///
/// To add an instruction: its variant in `code/mod.rs`, its arm at the end of this file.
macro_rules! handlers {
    ($( Instr::$v:ident $(($($p:tt)*))? $({$($f:tt)*})? => $body:expr ),* $(,)?) => {
        $(
            #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments, unreachable_code, unused_macros)]
            unsafe fn $v<M: LinearMemory, const FUEL: bool, const STORE: bool>(
                mut ip: *const Op,
                mut sp: *mut u64,
                mut mbase: *mut u8,
                mut mlen: u64,
                mut acc: u64,
                cx: *mut (),
            ) -> Exit {
                // SAFETY: `ip` points at a word of the running function's threaded code, `sp`
                // at its frame, `cx` at the run's context, as `run` and every handler's jump
                // leave them. Slot accesses `sp.add(s)` stay inside the value stack: the
                // translator only names slots below the function's `frame_size`, and every
                // frame is entered only after checking that `base + frame_size` cells exist.
                // Code pointers stay inside the code: branch targets and the fall-through after
                // the last instruction (always a return or branch) are produced by the
                // translator within bounds. Instances, modules, functions and globals are not
                // added or removed while guest code runs, so the pointers into them stay valid.
                unsafe {
                    let cx = cx as *mut Cx<M>;
                    state!(ip, sp, mbase, mlen, acc, cx);
                    if FUEL {
                        if (*cx).fuel == 0 {
                            // Charge the instruction about to run: point `ip` past it for the
                            // location.
                            ip = ip.add(1);
                            trap!(TrapKind::OutOfFuel);
                        }
                        (*cx).fuel -= 1;
                    }
                    let at = ip;
                    ip = ip.add(1);
                    let Instr::$v $(($($p)*))? $({$($f)*})? = (*at).i else {
                        // `pick` gave this handler to this variant only.
                        std::hint::unreachable_unchecked()
                    };
                    $body;
                    next!()
                }
            }
        )*

        /// The handler of `i` under strategy `M`, with or without fuel; `store`: whether it
        /// writes its result slot (it need not when the result is read through the register
        /// only, `CompiledFunc::register_only`).
        pub(super) fn pick<M: LinearMemory, const FUEL: bool>(i: &Instr, store: bool) -> Handler {
            match i {
                $( Instr::$v { .. } => if store { $v::<M, FUEL, true> } else { $v::<M, FUEL, false> }, )*
            }
        }
    };
}

macro_rules! i32_bin {
    (@with $rd:ident, $d:expr, $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = $rd!($a) as u32 as i32;
        let $y = r!($b) as u32 as i32;
        w!($d, ($e) as u32 as u64);
    }};
    ($d:expr, @acc $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {
        i32_bin!(@with ra, $d, $a, $b, $x, $y => $e)
    };
    ($d:expr, $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {
        i32_bin!(@with r, $d, $a, $b, $x, $y => $e)
    };
}
macro_rules! i32_imm {
    (@with $rd:ident, $d:expr, $a:expr, $imm:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = $rd!($a) as u32 as i32;
        let $y: i32 = $imm;
        w!($d, ($e) as u32 as u64);
    }};
    ($d:expr, @acc $a:expr, $imm:expr, $x:ident, $y:ident => $e:expr) => {
        i32_imm!(@with ra, $d, $a, $imm, $x, $y => $e)
    };
    ($d:expr, $a:expr, $imm:expr, $x:ident, $y:ident => $e:expr) => {
        i32_imm!(@with r, $d, $a, $imm, $x, $y => $e)
    };
}
macro_rules! i32_un {
    ($d:expr, $a:expr, $x:ident => $e:expr) => {{
        let $x = r!($a) as u32 as i32;
        w!($d, ($e) as u32 as u64);
    }};
}
macro_rules! i64_bin {
    (@with $rd:ident, $d:expr, $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = $rd!($a) as i64;
        let $y = r!($b) as i64;
        w!($d, ($e) as u64);
    }};
    ($d:expr, @acc $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {
        i64_bin!(@with ra, $d, $a, $b, $x, $y => $e)
    };
    ($d:expr, $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {
        i64_bin!(@with r, $d, $a, $b, $x, $y => $e)
    };
}
macro_rules! i64_imm {
    (@with $rd:ident, $d:expr, $a:expr, $imm:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = $rd!($a) as i64;
        let $y: i64 = $imm as i64;
        w!($d, ($e) as u64);
    }};
    ($d:expr, @acc $a:expr, $imm:expr, $x:ident, $y:ident => $e:expr) => {
        i64_imm!(@with ra, $d, $a, $imm, $x, $y => $e)
    };
    ($d:expr, $a:expr, $imm:expr, $x:ident, $y:ident => $e:expr) => {
        i64_imm!(@with r, $d, $a, $imm, $x, $y => $e)
    };
}
macro_rules! i64_un {
    ($d:expr, $a:expr, $x:ident => $e:expr) => {{
        let $x = r!($a) as i64;
        w!($d, ($e) as u64);
    }};
}
macro_rules! f32_bin {
    (@with $rd:ident, $d:expr, $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = f32::from_bits($rd!($a) as u32);
        let $y = f32::from_bits(r!($b) as u32);
        let v: f32 = $e;
        w!($d, v.to_bits() as u64);
    }};
    ($d:expr, @acc $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {
        f32_bin!(@with ra, $d, $a, $b, $x, $y => $e)
    };
    ($d:expr, $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {
        f32_bin!(@with r, $d, $a, $b, $x, $y => $e)
    };
}
macro_rules! f32_cmp {
    ($d:expr, $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = f32::from_bits(r!($a) as u32);
        let $y = f32::from_bits(r!($b) as u32);
        w!($d, ($e) as u64);
    }};
}
macro_rules! f32_un {
    ($d:expr, $a:expr, $x:ident => $e:expr) => {{
        let $x = f32::from_bits(r!($a) as u32);
        let v: f32 = $e;
        w!($d, v.to_bits() as u64);
    }};
}
macro_rules! f64_bin {
    (@with $rd:ident, $d:expr, $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = f64::from_bits($rd!($a));
        let $y = f64::from_bits(r!($b));
        let v: f64 = $e;
        w!($d, v.to_bits());
    }};
    ($d:expr, @acc $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {
        f64_bin!(@with ra, $d, $a, $b, $x, $y => $e)
    };
    ($d:expr, $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {
        f64_bin!(@with r, $d, $a, $b, $x, $y => $e)
    };
}
macro_rules! f64_cmp {
    ($d:expr, $a:expr, $b:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = f64::from_bits(r!($a));
        let $y = f64::from_bits(r!($b));
        w!($d, ($e) as u64);
    }};
}
macro_rules! f64_un {
    ($d:expr, $a:expr, $x:ident => $e:expr) => {{
        let $x = f64::from_bits(r!($a));
        let v: f64 = $e;
        w!($d, v.to_bits());
    }};
}
// A trapping conversion: `$e` is a `Result<int, TrapKind>`.
macro_rules! conv {
    ($d:expr, $e:expr, $cell:ident => $out:expr) => {{
        match $e {
            Ok($cell) => w!($d, $out),
            Err(k) => trap!(k),
        }
    }};
}
macro_rules! br_i32 {
    (@with $rd:ident, $a:expr, $b:expr, $t:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = $rd!($a) as u32 as i32;
        let $y = r!($b) as u32 as i32;
        if $e {
            jump!($t);
        }
    }};
    (@acc $a:expr, $b:expr, $t:expr, $x:ident, $y:ident => $e:expr) => {
        br_i32!(@with ra, $a, $b, $t, $x, $y => $e)
    };
    ($a:expr, $b:expr, $t:expr, $x:ident, $y:ident => $e:expr) => {
        br_i32!(@with r, $a, $b, $t, $x, $y => $e)
    };
}
macro_rules! br_i32_imm {
    (@with $rd:ident, $a:expr, $imm:expr, $t:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = $rd!($a) as u32 as i32;
        let $y: i32 = $imm;
        if $e {
            jump!($t);
        }
    }};
    (@acc $a:expr, $imm:expr, $t:expr, $x:ident, $y:ident => $e:expr) => {
        br_i32_imm!(@with ra, $a, $imm, $t, $x, $y => $e)
    };
    ($a:expr, $imm:expr, $t:expr, $x:ident, $y:ident => $e:expr) => {
        br_i32_imm!(@with r, $a, $imm, $t, $x, $y => $e)
    };
}
macro_rules! br_i64 {
    ($a:expr, $b:expr, $t:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = r!($a) as i64;
        let $y = r!($b) as i64;
        if $e {
            jump!($t);
        }
    }};
}
// A lane-wise `v128` operation (`simd::lanes`).
macro_rules! v128_bin {
    ($d:expr, $a:expr, $b:expr, $f:expr) => {{
        let hp: *mut u64 = hp!();
        let x = r!($a) as u128 | (*hp.add($a as usize) as u128) << 64;
        let y = r!($b) as u128 | (*hp.add($b as usize) as u128) << 64;
        let v: u128 = $f(x, y);
        w!($d, v as u64);
        *hp.add($d as usize) = (v >> 64) as u64;
    }};
}
// A loop counter step and the branch on its new value (`Instr::IncBrIf*`).
macro_rules! inc_br {
    ($k:expr, $a:expr, $b:expr, $t:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = (r!($a) as u32).wrapping_add($k as i32 as u32);
        w!($a, $x as u64);
        let $y: u32 = $b;
        if $e {
            jump!($t);
        }
    }};
}
macro_rules! inc_br64 {
    ($k:expr, $a:expr, $b:expr, $t:expr, $x:ident, $y:ident => $e:expr) => {{
        let $x = r!($a).wrapping_add($k as i64 as u64);
        w!($a, $x);
        let $y: u64 = r!($b);
        if $e {
            jump!($t);
        }
    }};
}
// The address of an access at a sum (`Instr::I32LoadAdd`, ...): an i32 add, wrapping.
macro_rules! sum {
    ($a:expr, $b:expr) => {
        (r!($a) as u32).wrapping_add(r!($b) as u32)
    };
}

handlers! {
    // Operand words are read by the instruction they extend, never dispatched.
    Instr::Ext(..) => trap!(TrapKind::Other("operand word dispatched".into())),
    Instr::Simd(..) => simd_op!(),
    Instr::Copy(d, s) => w!(d, r!(s)),
    Instr::Const32(d, v) => w!(d, v as u64),
    Instr::Const64(d, lo, hi) => w!(d, lo as u64 | (hi as u64) << 32),

    Instr::Unreachable => trap!(TrapKind::UnreachableCodeReached),
    Instr::Br(t) => jump!(t),
    Instr::BrIfNez(c, t) => {
        if r!(c) as u32 != 0 {
            jump!(t);
        }
    },
    Instr::BrIfEqz(c, t) => {
        if r!(c) as u32 == 0 {
            jump!(t);
        }
    },
    Instr::BrIfNezAcc(c, t) => {
        if ra!(c) as u32 != 0 {
            jump!(t);
        }
    },
    Instr::BrIfEqzAcc(c, t) => {
        if ra!(c) as u32 == 0 {
            jump!(t);
        }
    },
    Instr::BrIfI32EqAcc(a, b, t) => br_i32!(@acc a, b, t, x, y => x == y),
    Instr::BrIfI32NeAcc(a, b, t) => br_i32!(@acc a, b, t, x, y => x != y),
    Instr::BrIfI32LtSAcc(a, b, t) => br_i32!(@acc a, b, t, x, y => x < y),
    Instr::BrIfI32LtUAcc(a, b, t) => br_i32!(@acc a, b, t, x, y => (x as u32) < (y as u32)),
    Instr::BrIfI32GtSAcc(a, b, t) => br_i32!(@acc a, b, t, x, y => x > y),
    Instr::BrIfI32GtUAcc(a, b, t) => br_i32!(@acc a, b, t, x, y => (x as u32) > (y as u32)),
    Instr::BrIfI32LeSAcc(a, b, t) => br_i32!(@acc a, b, t, x, y => x <= y),
    Instr::BrIfI32LeUAcc(a, b, t) => br_i32!(@acc a, b, t, x, y => (x as u32) <= (y as u32)),
    Instr::BrIfI32GeSAcc(a, b, t) => br_i32!(@acc a, b, t, x, y => x >= y),
    Instr::BrIfI32GeUAcc(a, b, t) => br_i32!(@acc a, b, t, x, y => (x as u32) >= (y as u32)),
    Instr::BrIfI32EqImmAcc(a, b, t) => br_i32_imm!(@acc a, b, t, x, y => x == y),
    Instr::BrIfI32NeImmAcc(a, b, t) => br_i32_imm!(@acc a, b, t, x, y => x != y),
    Instr::BrIfI32LtSImmAcc(a, b, t) => br_i32_imm!(@acc a, b, t, x, y => x < y),
    Instr::BrIfI32LtUImmAcc(a, b, t) => br_i32_imm!(@acc a, b, t, x, y => (x as u32) < (y as u32)),
    Instr::BrIfI32GtSImmAcc(a, b, t) => br_i32_imm!(@acc a, b, t, x, y => x > y),
    Instr::BrIfI32GtUImmAcc(a, b, t) => br_i32_imm!(@acc a, b, t, x, y => (x as u32) > (y as u32)),
    Instr::BrIfI32LeSImmAcc(a, b, t) => br_i32_imm!(@acc a, b, t, x, y => x <= y),
    Instr::BrIfI32LeUImmAcc(a, b, t) => br_i32_imm!(@acc a, b, t, x, y => (x as u32) <= (y as u32)),
    Instr::BrIfI32GeSImmAcc(a, b, t) => br_i32_imm!(@acc a, b, t, x, y => x >= y),
    Instr::BrIfI32GeUImmAcc(a, b, t) => br_i32_imm!(@acc a, b, t, x, y => (x as u32) >= (y as u32)),
    Instr::BrTable(i, len) => br_table!(i, len),
    Instr::Return => ret!(),
    Instr::Return1(s) => return1!(s),
    Instr::Call { func, base: at } => match direct!(func) {
        Callee::Wasm(ncf, ninst) => enter!(ncf, ninst, at),
        Callee::Host(addr) => {
            let p = frame_args!(at);
            host!(addr, p, p);
        }
    },
    Instr::CallIndirect { ty, base: at, index } => {
        let table = ext!();
        match indirect!(ty, index, table) {
            Callee::Wasm(ncf, ninst) => enter!(ncf, ninst, at),
            Callee::Host(addr) => {
                let p = frame_args!(at);
                host!(addr, p, p);
            }
        }
    },
    Instr::ReturnCall { func, base: at } => match direct!(func) {
        Callee::Wasm(ncf, ninst) => tail_enter!(ncf, ninst, at),
        Callee::Host(addr) => {
            host!(addr, frame_args!(at), frame_results!());
            ret!();
        }
    },
    Instr::ReturnCallIndirect { ty, base: at, index } => {
        let table = ext!();
        match indirect!(ty, index, table) {
            Callee::Wasm(ncf, ninst) => tail_enter!(ncf, ninst, at),
            Callee::Host(addr) => {
                host!(addr, frame_args!(at), frame_results!());
                ret!();
            }
        }
    },

    Instr::BrIfI32Eq(a, b, t) => br_i32!(a, b, t, x, y => x == y),
    Instr::BrIfI32Ne(a, b, t) => br_i32!(a, b, t, x, y => x != y),
    Instr::BrIfI32LtS(a, b, t) => br_i32!(a, b, t, x, y => x < y),
    Instr::BrIfI32LtU(a, b, t) => br_i32!(a, b, t, x, y => (x as u32) < (y as u32)),
    Instr::BrIfI32GtS(a, b, t) => br_i32!(a, b, t, x, y => x > y),
    Instr::BrIfI32GtU(a, b, t) => br_i32!(a, b, t, x, y => (x as u32) > (y as u32)),
    Instr::BrIfI32LeS(a, b, t) => br_i32!(a, b, t, x, y => x <= y),
    Instr::BrIfI32LeU(a, b, t) => br_i32!(a, b, t, x, y => (x as u32) <= (y as u32)),
    Instr::BrIfI32GeS(a, b, t) => br_i32!(a, b, t, x, y => x >= y),
    Instr::BrIfI32GeU(a, b, t) => br_i32!(a, b, t, x, y => (x as u32) >= (y as u32)),
    Instr::BrIfI32EqImm(a, b, t) => br_i32_imm!(a, b, t, x, y => x == y),
    Instr::BrIfI32NeImm(a, b, t) => br_i32_imm!(a, b, t, x, y => x != y),
    Instr::BrIfI32LtSImm(a, b, t) => br_i32_imm!(a, b, t, x, y => x < y),
    Instr::BrIfI32LtUImm(a, b, t) => br_i32_imm!(a, b, t, x, y => (x as u32) < (y as u32)),
    Instr::BrIfI32GtSImm(a, b, t) => br_i32_imm!(a, b, t, x, y => x > y),
    Instr::BrIfI32GtUImm(a, b, t) => br_i32_imm!(a, b, t, x, y => (x as u32) > (y as u32)),
    Instr::BrIfI32LeSImm(a, b, t) => br_i32_imm!(a, b, t, x, y => x <= y),
    Instr::BrIfI32LeUImm(a, b, t) => br_i32_imm!(a, b, t, x, y => (x as u32) <= (y as u32)),
    Instr::BrIfI32GeSImm(a, b, t) => br_i32_imm!(a, b, t, x, y => x >= y),
    Instr::BrIfI32GeUImm(a, b, t) => br_i32_imm!(a, b, t, x, y => (x as u32) >= (y as u32)),
    Instr::BrIfI64Eq(a, b, t) => br_i64!(a, b, t, x, y => x == y),
    Instr::BrIfI64Ne(a, b, t) => br_i64!(a, b, t, x, y => x != y),
    Instr::BrIfI64LtS(a, b, t) => br_i64!(a, b, t, x, y => x < y),
    Instr::BrIfI64LtU(a, b, t) => br_i64!(a, b, t, x, y => (x as u64) < (y as u64)),
    Instr::BrIfI64GtS(a, b, t) => br_i64!(a, b, t, x, y => x > y),
    Instr::BrIfI64GtU(a, b, t) => br_i64!(a, b, t, x, y => (x as u64) > (y as u64)),
    Instr::BrIfI64LeS(a, b, t) => br_i64!(a, b, t, x, y => x <= y),
    Instr::BrIfI64LeU(a, b, t) => br_i64!(a, b, t, x, y => (x as u64) <= (y as u64)),
    Instr::BrIfI64GeS(a, b, t) => br_i64!(a, b, t, x, y => x >= y),
    Instr::BrIfI64GeU(a, b, t) => br_i64!(a, b, t, x, y => (x as u64) >= (y as u64)),

    Instr::IncBrIfNez(k, a, t) => inc_br!(k, a, 0, t, x, _y => x != 0),
    Instr::IncBrIfI32Ne(k, a, b, t) => inc_br!(k, a, r!(b) as u32, t, x, y => x != y),
    Instr::IncBrIfI32LtS(k, a, b, t) => inc_br!(k, a, r!(b) as u32, t, x, y => (x as i32) < (y as i32)),
    Instr::IncBrIfI32LtU(k, a, b, t) => inc_br!(k, a, r!(b) as u32, t, x, y => x < y),
    Instr::IncBrIfI32GtS(k, a, b, t) => inc_br!(k, a, r!(b) as u32, t, x, y => (x as i32) > (y as i32)),
    Instr::IncBrIfI32GtU(k, a, b, t) => inc_br!(k, a, r!(b) as u32, t, x, y => x > y),
    Instr::IncBrIfI32NeImm(k, a, i, t) => inc_br!(k, a, i as u32, t, x, y => x != y),
    Instr::IncBrIfI32LtSImm(k, a, i, t) => inc_br!(k, a, i as u32, t, x, y => (x as i32) < (y as i32)),
    Instr::IncBrIfI32LtUImm(k, a, i, t) => inc_br!(k, a, i as u32, t, x, y => x < y),
    Instr::IncBrIfI32GtSImm(k, a, i, t) => inc_br!(k, a, i as u32, t, x, y => (x as i32) > (y as i32)),
    Instr::IncBrIfI32GtUImm(k, a, i, t) => inc_br!(k, a, i as u32, t, x, y => x > y),

    Instr::IncBrIfI64Ne(k, a, b, t) => inc_br64!(k, a, b, t, x, y => x != y),
    Instr::IncBrIfI64LtS(k, a, b, t) => inc_br64!(k, a, b, t, x, y => (x as i64) < (y as i64)),
    Instr::IncBrIfI64LtU(k, a, b, t) => inc_br64!(k, a, b, t, x, y => x < y),
    Instr::IncBrIfI64GtS(k, a, b, t) => inc_br64!(k, a, b, t, x, y => (x as i64) > (y as i64)),
    Instr::IncBrIfI64GtU(k, a, b, t) => inc_br64!(k, a, b, t, x, y => x > y),

    Instr::Select(d, a, b) => {
        let c = ext!();
        let v = if r!(c) as u32 != 0 { r!(a) } else { r!(b) };
        w!(d, v);
    },
    Instr::RefIsNull(d, s) => w!(d, (r!(s) == REF_NULL) as u64),
    Instr::RefFunc(d, f) => ref_func!(d, f),
    Instr::GlobalGet(d, g) => global_get!(d, g),
    Instr::GlobalSet(g, s) => global_set!(g, s),

    Instr::I32Load(d, a, o) => load!(d, a, o, u32, v => v as u64),
    Instr::I64Load(d, a, o) => load!(d, a, o, u64, v => v),
    Instr::I32Load8S(d, a, o) => load!(d, a, o, i8, v => v as i32 as u32 as u64),
    Instr::I32Load8U(d, a, o) => load!(d, a, o, u8, v => v as u64),
    Instr::I32Load16S(d, a, o) => load!(d, a, o, i16, v => v as i32 as u32 as u64),
    Instr::I32Load16U(d, a, o) => load!(d, a, o, u16, v => v as u64),
    Instr::I64Load8S(d, a, o) => load!(d, a, o, i8, v => v as i64 as u64),
    Instr::I64Load8U(d, a, o) => load!(d, a, o, u8, v => v as u64),
    Instr::I64Load16S(d, a, o) => load!(d, a, o, i16, v => v as i64 as u64),
    Instr::I64Load16U(d, a, o) => load!(d, a, o, u16, v => v as u64),
    Instr::I64Load32S(d, a, o) => load!(d, a, o, i32, v => v as i64 as u64),
    Instr::I64Load32U(d, a, o) => load!(d, a, o, u32, v => v as u64),
    Instr::I32Store(a, v, o) => store!(a, r!(v) as u32, o, u32),
    Instr::I64Store(a, v, o) => store!(a, r!(v), o, u64),
    Instr::I32Store8(a, v, o) => store!(a, r!(v) as u8, o, u8),
    Instr::I32Store16(a, v, o) => store!(a, r!(v) as u16, o, u16),
    Instr::I32StoreImm(a, v, o) => store!(a, v as u32, o, u32),
    Instr::I32Store8Imm(a, v, o) => store!(a, v as u8, o, u8),
    Instr::I32Store16Imm(a, v, o) => store!(a, v as u16, o, u16),
    Instr::I64StoreImm(a, v, o) => store!(a, v as i64 as u64, o, u64),
    Instr::I32LoadShl(k, d, a, o) => load!(@addr d, (r!(a) as u32) << k, o, u32, v => v as u64),
    Instr::I64LoadShl(k, d, a, o) => load!(@addr d, (r!(a) as u32) << k, o, u64, v => v),
    Instr::I32StoreShl(k, a, v, o) => store!(@addr (r!(a) as u32) << k, r!(v) as u32, o, u32),
    Instr::I64StoreShl(k, a, v, o) => store!(@addr (r!(a) as u32) << k, r!(v), o, u64),
    Instr::I32LoadAdd(o, d, a, b) => load!(@addr d, sum!(a, b), o, u32, v => v as u64),
    Instr::I64LoadAdd(o, d, a, b) => load!(@addr d, sum!(a, b), o, u64, v => v),
    Instr::I32Load8UAdd(o, d, a, b) => load!(@addr d, sum!(a, b), o, u8, v => v as u64),
    Instr::I32StoreAdd(o, a, b, v) => store!(@addr sum!(a, b), r!(v) as u32, o, u32),
    Instr::I64StoreAdd(o, a, b, v) => store!(@addr sum!(a, b), r!(v), o, u64),
    Instr::I32Store8Add(o, a, b, v) => store!(@addr sum!(a, b), r!(v) as u8, o, u8),
    Instr::I32AddLoad(o, d, a, p) => load!(d, p, o, u32, v => (r!(a) as u32).wrapping_add(v) as u64),
    Instr::I64AddLoad(o, d, a, p) => load!(d, p, o, u64, v => r!(a).wrapping_add(v)),
    Instr::I64AddLoad32U(o, d, a, p) => load!(d, p, o, u32, v => r!(a).wrapping_add(v as u64)),
    Instr::F64AddLoad(o, d, a, p) => {
        load!(d, p, o, u64, v => (f64::from_bits(r!(a)) + f64::from_bits(v)).to_bits())
    },
    Instr::I32LoadM64(d, a, o) => load64!(d, a, o, u32, v => v as u64),
    Instr::I64LoadM64(d, a, o) => load64!(d, a, o, u64, v => v),
    Instr::I32Load8SM64(d, a, o) => load64!(d, a, o, i8, v => v as i32 as u32 as u64),
    Instr::I32Load8UM64(d, a, o) => load64!(d, a, o, u8, v => v as u64),
    Instr::I32Load16SM64(d, a, o) => load64!(d, a, o, i16, v => v as i32 as u32 as u64),
    Instr::I32Load16UM64(d, a, o) => load64!(d, a, o, u16, v => v as u64),
    Instr::I64Load8SM64(d, a, o) => load64!(d, a, o, i8, v => v as i64 as u64),
    Instr::I64Load8UM64(d, a, o) => load64!(d, a, o, u8, v => v as u64),
    Instr::I64Load16SM64(d, a, o) => load64!(d, a, o, i16, v => v as i64 as u64),
    Instr::I64Load16UM64(d, a, o) => load64!(d, a, o, u16, v => v as u64),
    Instr::I64Load32SM64(d, a, o) => load64!(d, a, o, i32, v => v as i64 as u64),
    Instr::I64Load32UM64(d, a, o) => load64!(d, a, o, u32, v => v as u64),
    Instr::I32StoreM64(a, v, o) => store64!(a, r!(v) as u32, o, u32),
    Instr::I64StoreM64(a, v, o) => store64!(a, r!(v), o, u64),
    Instr::I32Store8M64(a, v, o) => store64!(a, r!(v) as u8, o, u8),
    Instr::I32Store16M64(a, v, o) => store64!(a, r!(v) as u16, o, u16),
    Instr::V128Load(d, a, o) => v128_load!(d, a, o),
    Instr::V128Store(a, v, o) => v128_store!(a, v, o),
    Instr::I8x16Add(d, a, b) => v128_bin!(d, a, b, simd::lanes::i8x16_add),
    Instr::I16x8Add(d, a, b) => v128_bin!(d, a, b, simd::lanes::i16x8_add),
    Instr::I32x4Add(d, a, b) => v128_bin!(d, a, b, simd::lanes::i32x4_add),
    Instr::I64x2Add(d, a, b) => v128_bin!(d, a, b, simd::lanes::i64x2_add),
    Instr::I32x4Sub(d, a, b) => v128_bin!(d, a, b, simd::lanes::i32x4_sub),
    Instr::I32x4Mul(d, a, b) => v128_bin!(d, a, b, simd::lanes::i32x4_mul),
    Instr::F32x4Add(d, a, b) => v128_bin!(d, a, b, simd::lanes::f32x4_add),
    Instr::F32x4Mul(d, a, b) => v128_bin!(d, a, b, simd::lanes::f32x4_mul),
    Instr::F64x2Add(d, a, b) => v128_bin!(d, a, b, simd::lanes::f64x2_add),
    Instr::F64x2Mul(d, a, b) => v128_bin!(d, a, b, simd::lanes::f64x2_mul),
    Instr::V128And(d, a, b) => v128_bin!(d, a, b, |x: u128, y: u128| x & y),
    Instr::V128Or(d, a, b) => v128_bin!(d, a, b, |x: u128, y: u128| x | y),
    Instr::V128Xor(d, a, b) => v128_bin!(d, a, b, |x: u128, y: u128| x ^ y),
    Instr::MemorySize(d) => memory_size!(d),
    Instr::MemoryGrow(..) => bulk_op!(),
    Instr::MemoryFill(..) => bulk_op!(),
    Instr::MemoryCopy(..) => bulk_op!(),
    Instr::MemoryInit(..) => bulk_op!(),
    Instr::DataDrop(_) => bulk_op!(),
    Instr::TableGet(..) => bulk_op!(),
    Instr::TableSet(..) => bulk_op!(),
    Instr::TableSize(..) => bulk_op!(),
    Instr::TableGrow(..) => bulk_op!(),
    Instr::TableFill(..) => bulk_op!(),
    Instr::TableCopy(..) => bulk_op!(),
    Instr::TableInit(..) => bulk_op!(),
    Instr::ElemDrop(_) => bulk_op!(),

    Instr::I32Eqz(d, a) => i32_un!(d, a, x => x == 0),
    Instr::I32Clz(d, a) => i32_un!(d, a, x => x.leading_zeros()),
    Instr::I32Ctz(d, a) => i32_un!(d, a, x => x.trailing_zeros()),
    Instr::I32Popcnt(d, a) => i32_un!(d, a, x => x.count_ones()),
    Instr::I32Extend8S(d, a) => i32_un!(d, a, x => x as i8 as i32),
    Instr::I32Extend16S(d, a) => i32_un!(d, a, x => x as i16 as i32),
    Instr::I32Add(d, a, b) => i32_bin!(d, a, b, x, y => x.wrapping_add(y)),
    Instr::I32Sub(d, a, b) => i32_bin!(d, a, b, x, y => x.wrapping_sub(y)),
    Instr::I32Mul(d, a, b) => i32_bin!(d, a, b, x, y => x.wrapping_mul(y)),
    Instr::I32DivS(d, a, b) => {
        let x = r!(a) as u32 as i32;
        let y = r!(b) as u32 as i32;
        if y == 0 {
            trap!(TrapKind::IntegerDivisionByZero);
        }
        if x == i32::MIN && y == -1 {
            trap!(TrapKind::IntegerOverflow);
        }
        w!(d, (x / y) as u32 as u64);
    },
    Instr::I32DivU(d, a, b) => {
        let x = r!(a) as u32;
        let y = r!(b) as u32;
        if y == 0 {
            trap!(TrapKind::IntegerDivisionByZero);
        }
        w!(d, (x / y) as u64);
    },
    Instr::I32RemS(d, a, b) => {
        let x = r!(a) as u32 as i32;
        let y = r!(b) as u32 as i32;
        if y == 0 {
            trap!(TrapKind::IntegerDivisionByZero);
        }
        w!(d, x.wrapping_rem(y) as u32 as u64);
    },
    Instr::I32RemU(d, a, b) => {
        let x = r!(a) as u32;
        let y = r!(b) as u32;
        if y == 0 {
            trap!(TrapKind::IntegerDivisionByZero);
        }
        w!(d, (x % y) as u64);
    },
    Instr::I32And(d, a, b) => i32_bin!(d, a, b, x, y => x & y),
    Instr::I32Or(d, a, b) => i32_bin!(d, a, b, x, y => x | y),
    Instr::I32Xor(d, a, b) => i32_bin!(d, a, b, x, y => x ^ y),
    Instr::I32Shl(d, a, b) => i32_bin!(d, a, b, x, y => x.wrapping_shl(y as u32)),
    Instr::I32ShrS(d, a, b) => i32_bin!(d, a, b, x, y => x.wrapping_shr(y as u32)),
    Instr::I32ShrU(d, a, b) => i32_bin!(d, a, b, x, y => (x as u32).wrapping_shr(y as u32)),
    Instr::I32Rotl(d, a, b) => i32_bin!(d, a, b, x, y => x.rotate_left(y as u32)),
    Instr::I32Rotr(d, a, b) => i32_bin!(d, a, b, x, y => x.rotate_right(y as u32)),
    Instr::I32Eq(d, a, b) => i32_bin!(d, a, b, x, y => x == y),
    Instr::I32Ne(d, a, b) => i32_bin!(d, a, b, x, y => x != y),
    Instr::I32LtS(d, a, b) => i32_bin!(d, a, b, x, y => x < y),
    Instr::I32LtU(d, a, b) => i32_bin!(d, a, b, x, y => (x as u32) < (y as u32)),
    Instr::I32GtS(d, a, b) => i32_bin!(d, a, b, x, y => x > y),
    Instr::I32GtU(d, a, b) => i32_bin!(d, a, b, x, y => (x as u32) > (y as u32)),
    Instr::I32LeS(d, a, b) => i32_bin!(d, a, b, x, y => x <= y),
    Instr::I32LeU(d, a, b) => i32_bin!(d, a, b, x, y => (x as u32) <= (y as u32)),
    Instr::I32GeS(d, a, b) => i32_bin!(d, a, b, x, y => x >= y),
    Instr::I32GeU(d, a, b) => i32_bin!(d, a, b, x, y => (x as u32) >= (y as u32)),
    Instr::I32AddImm(d, a, i) => i32_imm!(d, a, i, x, y => x.wrapping_add(y)),
    Instr::I32MulImm(d, a, i) => i32_imm!(d, a, i, x, y => x.wrapping_mul(y)),
    Instr::I32AndImm(d, a, i) => i32_imm!(d, a, i, x, y => x & y),
    Instr::I32OrImm(d, a, i) => i32_imm!(d, a, i, x, y => x | y),
    Instr::I32XorImm(d, a, i) => i32_imm!(d, a, i, x, y => x ^ y),
    Instr::I32ShlImm(d, a, i) => i32_imm!(d, a, i, x, y => x.wrapping_shl(y as u32)),
    Instr::I32ShrSImm(d, a, i) => i32_imm!(d, a, i, x, y => x.wrapping_shr(y as u32)),
    Instr::I32ShrUImm(d, a, i) => i32_imm!(d, a, i, x, y => (x as u32).wrapping_shr(y as u32)),
    Instr::I32RotlImm(d, a, i) => i32_imm!(d, a, i, x, y => x.rotate_left(y as u32)),
    Instr::I32RotrImm(d, a, i) => i32_imm!(d, a, i, x, y => x.rotate_right(y as u32)),
    Instr::I32EqImm(d, a, i) => i32_imm!(d, a, i, x, y => x == y),
    Instr::I32NeImm(d, a, i) => i32_imm!(d, a, i, x, y => x != y),
    Instr::I32LtSImm(d, a, i) => i32_imm!(d, a, i, x, y => x < y),
    Instr::I32LtUImm(d, a, i) => i32_imm!(d, a, i, x, y => (x as u32) < (y as u32)),
    Instr::I32GtSImm(d, a, i) => i32_imm!(d, a, i, x, y => x > y),
    Instr::I32GtUImm(d, a, i) => i32_imm!(d, a, i, x, y => (x as u32) > (y as u32)),
    Instr::I32LeSImm(d, a, i) => i32_imm!(d, a, i, x, y => x <= y),
    Instr::I32LeUImm(d, a, i) => i32_imm!(d, a, i, x, y => (x as u32) <= (y as u32)),
    Instr::I32GeSImm(d, a, i) => i32_imm!(d, a, i, x, y => x >= y),
    Instr::I32GeUImm(d, a, i) => i32_imm!(d, a, i, x, y => (x as u32) >= (y as u32)),

    Instr::I64Eqz(d, a) => i64_un!(d, a, x => x == 0),
    Instr::I64Clz(d, a) => i64_un!(d, a, x => x.leading_zeros()),
    Instr::I64Ctz(d, a) => i64_un!(d, a, x => x.trailing_zeros()),
    Instr::I64Popcnt(d, a) => i64_un!(d, a, x => x.count_ones()),
    Instr::I64Extend8S(d, a) => i64_un!(d, a, x => x as i8 as i64),
    Instr::I64Extend16S(d, a) => i64_un!(d, a, x => x as i16 as i64),
    Instr::I64Extend32S(d, a) => i64_un!(d, a, x => x as i32 as i64),
    Instr::I64Add(d, a, b) => i64_bin!(d, a, b, x, y => x.wrapping_add(y)),
    Instr::I64Sub(d, a, b) => i64_bin!(d, a, b, x, y => x.wrapping_sub(y)),
    Instr::I64Mul(d, a, b) => i64_bin!(d, a, b, x, y => x.wrapping_mul(y)),
    Instr::I64DivS(d, a, b) => {
        let x = r!(a) as i64;
        let y = r!(b) as i64;
        if y == 0 {
            trap!(TrapKind::IntegerDivisionByZero);
        }
        if x == i64::MIN && y == -1 {
            trap!(TrapKind::IntegerOverflow);
        }
        w!(d, (x / y) as u64);
    },
    Instr::I64DivU(d, a, b) => {
        let x = r!(a);
        let y = r!(b);
        if y == 0 {
            trap!(TrapKind::IntegerDivisionByZero);
        }
        w!(d, x / y);
    },
    Instr::I64RemS(d, a, b) => {
        let x = r!(a) as i64;
        let y = r!(b) as i64;
        if y == 0 {
            trap!(TrapKind::IntegerDivisionByZero);
        }
        w!(d, x.wrapping_rem(y) as u64);
    },
    Instr::I64RemU(d, a, b) => {
        let x = r!(a);
        let y = r!(b);
        if y == 0 {
            trap!(TrapKind::IntegerDivisionByZero);
        }
        w!(d, x % y);
    },
    Instr::I64And(d, a, b) => i64_bin!(d, a, b, x, y => x & y),
    Instr::I64Or(d, a, b) => i64_bin!(d, a, b, x, y => x | y),
    Instr::I64Xor(d, a, b) => i64_bin!(d, a, b, x, y => x ^ y),
    Instr::I64Shl(d, a, b) => i64_bin!(d, a, b, x, y => x.wrapping_shl(y as u32)),
    Instr::I64ShrS(d, a, b) => i64_bin!(d, a, b, x, y => x.wrapping_shr(y as u32)),
    Instr::I64ShrU(d, a, b) => i64_bin!(d, a, b, x, y => (x as u64).wrapping_shr(y as u32)),
    Instr::I64Rotl(d, a, b) => i64_bin!(d, a, b, x, y => x.rotate_left((y & 63) as u32)),
    Instr::I64Rotr(d, a, b) => i64_bin!(d, a, b, x, y => x.rotate_right((y & 63) as u32)),
    Instr::I64Eq(d, a, b) => i64_bin!(d, a, b, x, y => x == y),
    Instr::I64Ne(d, a, b) => i64_bin!(d, a, b, x, y => x != y),
    Instr::I64LtS(d, a, b) => i64_bin!(d, a, b, x, y => x < y),
    Instr::I64LtU(d, a, b) => i64_bin!(d, a, b, x, y => (x as u64) < (y as u64)),
    Instr::I64GtS(d, a, b) => i64_bin!(d, a, b, x, y => x > y),
    Instr::I64GtU(d, a, b) => i64_bin!(d, a, b, x, y => (x as u64) > (y as u64)),
    Instr::I64LeS(d, a, b) => i64_bin!(d, a, b, x, y => x <= y),
    Instr::I64LeU(d, a, b) => i64_bin!(d, a, b, x, y => (x as u64) <= (y as u64)),
    Instr::I64GeS(d, a, b) => i64_bin!(d, a, b, x, y => x >= y),
    Instr::I64GeU(d, a, b) => i64_bin!(d, a, b, x, y => (x as u64) >= (y as u64)),
    Instr::I64AddImm(d, a, i) => i64_imm!(d, a, i, x, y => x.wrapping_add(y)),
    Instr::I64MulImm(d, a, i) => i64_imm!(d, a, i, x, y => x.wrapping_mul(y)),
    Instr::I64AndImm(d, a, i) => i64_imm!(d, a, i, x, y => x & y),
    Instr::I64OrImm(d, a, i) => i64_imm!(d, a, i, x, y => x | y),
    Instr::I64XorImm(d, a, i) => i64_imm!(d, a, i, x, y => x ^ y),
    Instr::I64ShlImm(d, a, i) => i64_imm!(d, a, i, x, y => x.wrapping_shl(y as u32)),
    Instr::I64ShrSImm(d, a, i) => i64_imm!(d, a, i, x, y => x.wrapping_shr(y as u32)),
    Instr::I64ShrUImm(d, a, i) => i64_imm!(d, a, i, x, y => (x as u64).wrapping_shr(y as u32)),

    Instr::F32Abs(d, a) => w!(d, r!(a) & 0x7fff_ffff),
    Instr::F32Neg(d, a) => w!(d, (r!(a) as u32 ^ 0x8000_0000) as u64),
    Instr::F32Ceil(d, a) => f32_un!(d, a, x => num::f32_ceil(x)),
    Instr::F32Floor(d, a) => f32_un!(d, a, x => num::f32_floor(x)),
    Instr::F32Trunc(d, a) => f32_un!(d, a, x => num::f32_trunc(x)),
    Instr::F32Nearest(d, a) => f32_un!(d, a, x => num::f32_nearest(x)),
    Instr::F32Sqrt(d, a) => f32_un!(d, a, x => x.sqrt()),
    Instr::F32Add(d, a, b) => f32_bin!(d, a, b, x, y => x + y),
    Instr::F32Sub(d, a, b) => f32_bin!(d, a, b, x, y => x - y),
    Instr::F32Mul(d, a, b) => f32_bin!(d, a, b, x, y => x * y),
    Instr::F32Div(d, a, b) => f32_bin!(d, a, b, x, y => x / y),
    Instr::F32Min(d, a, b) => f32_bin!(d, a, b, x, y => num::f32_min(x, y)),
    Instr::F32Max(d, a, b) => f32_bin!(d, a, b, x, y => num::f32_max(x, y)),
    Instr::F32Copysign(d, a, b) => {
        w!(d, (r!(a) & 0x7fff_ffff) | (r!(b) & 0x8000_0000));
    },
    Instr::F32Eq(d, a, b) => f32_cmp!(d, a, b, x, y => x == y),
    Instr::F32Ne(d, a, b) => f32_cmp!(d, a, b, x, y => x != y),
    Instr::F32Lt(d, a, b) => f32_cmp!(d, a, b, x, y => x < y),
    Instr::F32Gt(d, a, b) => f32_cmp!(d, a, b, x, y => x > y),
    Instr::F32Le(d, a, b) => f32_cmp!(d, a, b, x, y => x <= y),
    Instr::F32Ge(d, a, b) => f32_cmp!(d, a, b, x, y => x >= y),

    Instr::F64Abs(d, a) => w!(d, r!(a) & 0x7fff_ffff_ffff_ffff),
    Instr::F64Neg(d, a) => w!(d, r!(a) ^ 0x8000_0000_0000_0000),
    Instr::F64Ceil(d, a) => f64_un!(d, a, x => num::f64_ceil(x)),
    Instr::F64Floor(d, a) => f64_un!(d, a, x => num::f64_floor(x)),
    Instr::F64Trunc(d, a) => f64_un!(d, a, x => num::f64_trunc(x)),
    Instr::F64Nearest(d, a) => f64_un!(d, a, x => num::f64_nearest(x)),
    Instr::F64Sqrt(d, a) => f64_un!(d, a, x => x.sqrt()),
    Instr::F64Add(d, a, b) => f64_bin!(d, a, b, x, y => x + y),
    Instr::F64Sub(d, a, b) => f64_bin!(d, a, b, x, y => x - y),
    Instr::F64Mul(d, a, b) => f64_bin!(d, a, b, x, y => x * y),
    Instr::F64Div(d, a, b) => f64_bin!(d, a, b, x, y => x / y),
    Instr::F64Min(d, a, b) => f64_bin!(d, a, b, x, y => num::f64_min(x, y)),
    Instr::F64Max(d, a, b) => f64_bin!(d, a, b, x, y => num::f64_max(x, y)),
    Instr::F64Copysign(d, a, b) => {
        w!(d, (r!(a) & 0x7fff_ffff_ffff_ffff) | (r!(b) & 0x8000_0000_0000_0000));
    },
    Instr::F64Eq(d, a, b) => f64_cmp!(d, a, b, x, y => x == y),
    Instr::F64Ne(d, a, b) => f64_cmp!(d, a, b, x, y => x != y),
    Instr::F64Lt(d, a, b) => f64_cmp!(d, a, b, x, y => x < y),
    Instr::F64Gt(d, a, b) => f64_cmp!(d, a, b, x, y => x > y),
    Instr::F64Le(d, a, b) => f64_cmp!(d, a, b, x, y => x <= y),
    Instr::F64Ge(d, a, b) => f64_cmp!(d, a, b, x, y => x >= y),

    Instr::I32AddAcc(d, a, b) => i32_bin!(d, @acc a, b, x, y => x.wrapping_add(y)),
    Instr::I32SubAcc(d, a, b) => i32_bin!(d, @acc a, b, x, y => x.wrapping_sub(y)),
    Instr::I32MulAcc(d, a, b) => i32_bin!(d, @acc a, b, x, y => x.wrapping_mul(y)),
    Instr::I32AndAcc(d, a, b) => i32_bin!(d, @acc a, b, x, y => x & y),
    Instr::I32OrAcc(d, a, b) => i32_bin!(d, @acc a, b, x, y => x | y),
    Instr::I32XorAcc(d, a, b) => i32_bin!(d, @acc a, b, x, y => x ^ y),
    Instr::I32ShlAcc(d, a, b) => i32_bin!(d, @acc a, b, x, y => x.wrapping_shl(y as u32)),
    Instr::I32ShrSAcc(d, a, b) => i32_bin!(d, @acc a, b, x, y => x.wrapping_shr(y as u32)),
    Instr::I32ShrUAcc(d, a, b) => i32_bin!(d, @acc a, b, x, y => (x as u32).wrapping_shr(y as u32)),
    Instr::I32RemUAcc(d, a, b) => {
        let x = ra!(a) as u32;
        let y = r!(b) as u32;
        if y == 0 {
            trap!(TrapKind::IntegerDivisionByZero);
        }
        w!(d, (x % y) as u64);
    },
    Instr::I32AddImmAcc(d, a, i) => i32_imm!(d, @acc a, i, x, y => x.wrapping_add(y)),
    Instr::I32MulImmAcc(d, a, i) => i32_imm!(d, @acc a, i, x, y => x.wrapping_mul(y)),
    Instr::I32AndImmAcc(d, a, i) => i32_imm!(d, @acc a, i, x, y => x & y),
    Instr::I32OrImmAcc(d, a, i) => i32_imm!(d, @acc a, i, x, y => x | y),
    Instr::I32XorImmAcc(d, a, i) => i32_imm!(d, @acc a, i, x, y => x ^ y),
    Instr::I32ShlImmAcc(d, a, i) => i32_imm!(d, @acc a, i, x, y => x.wrapping_shl(y as u32)),
    Instr::I32ShrSImmAcc(d, a, i) => i32_imm!(d, @acc a, i, x, y => x.wrapping_shr(y as u32)),
    Instr::I32ShrUImmAcc(d, a, i) => i32_imm!(d, @acc a, i, x, y => (x as u32).wrapping_shr(y as u32)),
    Instr::I32RotlImmAcc(d, a, i) => i32_imm!(d, @acc a, i, x, y => x.rotate_left(y as u32)),
    Instr::I64AddAcc(d, a, b) => i64_bin!(d, @acc a, b, x, y => x.wrapping_add(y)),
    Instr::I64SubAcc(d, a, b) => i64_bin!(d, @acc a, b, x, y => x.wrapping_sub(y)),
    Instr::I64MulAcc(d, a, b) => i64_bin!(d, @acc a, b, x, y => x.wrapping_mul(y)),
    Instr::I64AndAcc(d, a, b) => i64_bin!(d, @acc a, b, x, y => x & y),
    Instr::I64OrAcc(d, a, b) => i64_bin!(d, @acc a, b, x, y => x | y),
    Instr::I64XorAcc(d, a, b) => i64_bin!(d, @acc a, b, x, y => x ^ y),
    Instr::I64ShlAcc(d, a, b) => i64_bin!(d, @acc a, b, x, y => x.wrapping_shl(y as u32)),
    Instr::I64ShrUAcc(d, a, b) => i64_bin!(d, @acc a, b, x, y => (x as u64).wrapping_shr(y as u32)),
    Instr::I64RotlAcc(d, a, b) => i64_bin!(d, @acc a, b, x, y => x.rotate_left((y & 63) as u32)),
    Instr::I64AddImmAcc(d, a, i) => i64_imm!(d, @acc a, i, x, y => x.wrapping_add(y)),
    Instr::I64MulImmAcc(d, a, i) => i64_imm!(d, @acc a, i, x, y => x.wrapping_mul(y)),
    Instr::I64AndImmAcc(d, a, i) => i64_imm!(d, @acc a, i, x, y => x & y),
    Instr::I64XorImmAcc(d, a, i) => i64_imm!(d, @acc a, i, x, y => x ^ y),
    Instr::I64ShlImmAcc(d, a, i) => i64_imm!(d, @acc a, i, x, y => x.wrapping_shl(y as u32)),
    Instr::I64ShrUImmAcc(d, a, i) => i64_imm!(d, @acc a, i, x, y => (x as u64).wrapping_shr(y as u32)),
    Instr::F64AddAcc(d, a, b) => f64_bin!(d, @acc a, b, x, y => x + y),
    Instr::F64SubAcc(d, a, b) => f64_bin!(d, @acc a, b, x, y => x - y),
    Instr::F64MulAcc(d, a, b) => f64_bin!(d, @acc a, b, x, y => x * y),
    Instr::F32AddAcc(d, a, b) => f32_bin!(d, @acc a, b, x, y => x + y),
    Instr::F32MulAcc(d, a, b) => f32_bin!(d, @acc a, b, x, y => x * y),
    Instr::I32AddLoadAcc(o, d, a, p) => load!(d, p, o, u32, v => (ra!(a) as u32).wrapping_add(v) as u64),
    Instr::I64AddLoadAcc(o, d, a, p) => load!(d, p, o, u64, v => ra!(a).wrapping_add(v)),
    Instr::I64AddLoad32UAcc(o, d, a, p) => load!(d, p, o, u32, v => ra!(a).wrapping_add(v as u64)),
    Instr::F64AddLoadAcc(o, d, a, p) => {
        load!(d, p, o, u64, v => (f64::from_bits(ra!(a)) + f64::from_bits(v)).to_bits())
    },
    Instr::I32AddLoadAccAddr(o, d, a, p) => {
        load!(@addr d, ra!(p) as u32, o, u32, v => (r!(a) as u32).wrapping_add(v) as u64)
    },
    Instr::I64AddLoadAccAddr(o, d, a, p) => {
        load!(@addr d, ra!(p) as u32, o, u64, v => r!(a).wrapping_add(v))
    },
    Instr::I64AddLoad32UAccAddr(o, d, a, p) => {
        load!(@addr d, ra!(p) as u32, o, u32, v => r!(a).wrapping_add(v as u64))
    },
    Instr::F64AddLoadAccAddr(o, d, a, p) => {
        load!(@addr d, ra!(p) as u32, o, u64, v => (f64::from_bits(r!(a)) + f64::from_bits(v)).to_bits())
    },
    Instr::I32LoadAcc(d, a, o) => load!(@addr d, ra!(a) as u32, o, u32, v => v as u64),
    Instr::I64LoadAcc(d, a, o) => load!(@addr d, ra!(a) as u32, o, u64, v => v),
    Instr::I32Load8UAcc(d, a, o) => load!(@addr d, ra!(a) as u32, o, u8, v => v as u64),
    Instr::I32LoadShlAcc(k, d, a, o) => load!(@addr d, (ra!(a) as u32) << k, o, u32, v => v as u64),
    Instr::I64LoadShlAcc(k, d, a, o) => load!(@addr d, (ra!(a) as u32) << k, o, u64, v => v),

    Instr::I32WrapI64(d, a) => w!(d, r!(a) as u32 as u64),
    Instr::I32TruncF32S(d, a) => {
        conv!(d, num::i32_trunc_s(f32::from_bits(r!(a) as u32) as f64), v => v as u32 as u64)
    },
    Instr::I32TruncF32U(d, a) => {
        conv!(d, num::i32_trunc_u(f32::from_bits(r!(a) as u32) as f64), v => v as u64)
    },
    Instr::I32TruncF64S(d, a) => conv!(d, num::i32_trunc_s(f64::from_bits(r!(a))), v => v as u32 as u64),
    Instr::I32TruncF64U(d, a) => conv!(d, num::i32_trunc_u(f64::from_bits(r!(a))), v => v as u64),
    Instr::I64ExtendI32S(d, a) => w!(d, r!(a) as u32 as i32 as i64 as u64),
    Instr::I64TruncF32S(d, a) => {
        conv!(d, num::i64_trunc_s(f32::from_bits(r!(a) as u32) as f64), v => v as u64)
    },
    Instr::I64TruncF32U(d, a) => conv!(d, num::i64_trunc_u(f32::from_bits(r!(a) as u32) as f64), v => v),
    Instr::I64TruncF64S(d, a) => conv!(d, num::i64_trunc_s(f64::from_bits(r!(a))), v => v as u64),
    Instr::I64TruncF64U(d, a) => conv!(d, num::i64_trunc_u(f64::from_bits(r!(a))), v => v),
    Instr::F32ConvertI32S(d, a) => w!(d, (r!(a) as u32 as i32 as f32).to_bits() as u64),
    Instr::F32ConvertI32U(d, a) => w!(d, (r!(a) as u32 as f32).to_bits() as u64),
    Instr::F32ConvertI64S(d, a) => w!(d, (r!(a) as i64 as f32).to_bits() as u64),
    Instr::F32ConvertI64U(d, a) => w!(d, (r!(a) as f32).to_bits() as u64),
    Instr::F32DemoteF64(d, a) => w!(d, (f64::from_bits(r!(a)) as f32).to_bits() as u64),
    Instr::F64ConvertI32S(d, a) => w!(d, (r!(a) as u32 as i32 as f64).to_bits()),
    Instr::F64ConvertI32U(d, a) => w!(d, (r!(a) as u32 as f64).to_bits()),
    Instr::F64ConvertI64S(d, a) => w!(d, (r!(a) as i64 as f64).to_bits()),
    Instr::F64ConvertI64U(d, a) => w!(d, (r!(a) as f64).to_bits()),
    Instr::F64PromoteF32(d, a) => w!(d, (f32::from_bits(r!(a) as u32) as f64).to_bits()),
    Instr::I32TruncSatF32S(d, a) => w!(d, (f32::from_bits(r!(a) as u32) as i32) as u32 as u64),
    Instr::I32TruncSatF32U(d, a) => w!(d, (f32::from_bits(r!(a) as u32) as u32) as u64),
    Instr::I32TruncSatF64S(d, a) => w!(d, (f64::from_bits(r!(a)) as i32) as u32 as u64),
    Instr::I32TruncSatF64U(d, a) => w!(d, (f64::from_bits(r!(a)) as u32) as u64),
    Instr::I64TruncSatF32S(d, a) => w!(d, (f32::from_bits(r!(a) as u32) as i64) as u64),
    Instr::I64TruncSatF32U(d, a) => w!(d, f32::from_bits(r!(a) as u32) as u64),
    Instr::I64TruncSatF64S(d, a) => w!(d, (f64::from_bits(r!(a)) as i64) as u64),
    Instr::I64TruncSatF64U(d, a) => w!(d, f64::from_bits(r!(a)) as u64),
}
