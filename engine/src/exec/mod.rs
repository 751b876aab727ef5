//! The interpreter: runs internal code (`code`) on a heap-allocated value stack and frame
//! stack. The handlers are generic over the memory strategy, but everything strategy-specific
//! beyond the guest accesses runs out of line (`access.rs`), so both instantiations are the
//! same machine code around the bounds checks.
//!
//! Data enters through [`invoke`] (from `Store::call` and start functions) as a store
//! function address and typed arguments, which are written into the first slots of the value
//! stack; results leave from the same slots as typed values, failures as a [`Trap`] located
//! at the wasm offset of the trapping instruction.
//!
//! - `run.rs`: the interpreter itself, one handler per [`crate::code::Instr`] variant, each
//!   ending in a tail call of the next instruction's handler; calls, returns and tail calls
//!   switch frames in the handlers and never recurse on the native stack.
//! - `threaded.rs`: the code as the handlers run it (each word with its handler's address),
//!   built per function and strategy on the first call.
//! - `access.rs`: the guest memory accesses, the same code in every strategy but for the
//!   bounds check, and the table of the strategy's out-of-line operations.
//! - `num.rs`: float and conversion semantics Rust does not give exactly.
//! - `simd.rs`: every SIMD instruction but the commonest few, out of line (one handler for all),
//!   and every access to a memory other than a 32-bit memory 0 (memory64, multi-memory).
//!
//! A `v128` value takes one slot like any other: its low 64 bits are in the value stack and
//! its high 64 bits in the same index of a parallel stack, `ExecState::hi`. So slots,
//! frames and the calling convention are the same whatever the types; scalar instructions
//! never touch `hi`, which is allocated only when SIMD code first runs, and SIMD instructions
//! and the moves of `v128` values read and write both halves.
//!
//! Fuel, when on, is charged one unit per internal instruction executed (a fused
//! compare-and-branch is one unit, an elided `local.get` none), and a host call costs one;
//! the handlers are instantiated twice (`FUEL` const generic) so that fuel costs nothing when
//! off, and twice again (`STORE`) for results that only the result register passes on
//! (`CompiledFunc::register_only`).
//!
//! To add an instruction, see `code/mod.rs`; its execution is one arm in `run.rs`.

mod access;
mod num;
mod run;
mod simd;
mod threaded;

pub use threaded::Handlers;
pub(crate) use threaded::{Promoted, Threaded, handlers_static};

use crate::code::CompiledFunc;
use crate::func::{Caller, FuncKind};
use crate::memory::LinearMemory;
use crate::placement::{self, PagePlaced};
use crate::store::{InstanceData, StoreInner};
use crate::trap::{Trap, TrapKind};
use crate::value::Value;

/// A suspended caller: where to resume when the callee returns.
#[derive(Debug, Clone, Copy)]
struct Frame {
    cf: *const CompiledFunc,
    inst: *const InstanceData,
    /// Where to resume: the word after the call in the caller's threaded code.
    ret: *const threaded::Op,
    /// The caller's first slot in the value stack.
    base: u32,
}

/// The suspended callers: a stack of [`Frame`]s placed at [`placement::FRAMES`] within a
/// page (see `placement`).
#[derive(Default)]
struct FrameStack {
    /// The buffer, once the first frame is pushed.
    buf: Option<PagePlaced<Frame>>,
    len: usize,
}

impl FrameStack {
    fn len(&self) -> usize {
        self.len
    }

    fn clear(&mut self) {
        self.len = 0;
    }

    #[inline]
    fn push(&mut self, f: Frame) {
        let at = match &self.buf {
            Some(b) if self.len < b.cap() => b.ptr(),
            _ => self.grow(),
        };
        // SAFETY: `len < cap`: inside the buffer.
        unsafe { at.add(self.len).write(f) };
        self.len += 1;
    }

    #[inline]
    fn pop(&mut self) -> Option<Frame> {
        let b = self.buf.as_ref().filter(|_| self.len > 0)?;
        self.len -= 1;
        // SAFETY: frame `len` was written by `push` and lies inside the buffer.
        Some(unsafe { b.ptr().add(self.len).read() })
    }

    /// Doubles the buffer (256 frames at first), keeping the frames; returns the new start.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) -> *mut Frame {
        let cap = self.buf.as_ref().map_or(0, |b| b.cap() * 2).max(256);
        let new = PagePlaced::<Frame>::new(placement::FRAMES, cap);
        if let Some(old) = &self.buf {
            // SAFETY: both hold at least `len` frames and are distinct allocations.
            unsafe { std::ptr::copy_nonoverlapping(old.ptr(), new.ptr(), self.len) };
        }
        let at = new.ptr();
        self.buf = Some(new);
        at
    }
}

/// Stacks reused across calls, and the fuel left at a signal-trapping memory access.
#[derive(Default)]
pub(crate) struct ExecState {
    /// Every frame's slots, contiguously; grows on demand up to `Config::max_value_stack`.
    stack: Vec<u64>,
    /// The high halves of `v128` values, at the same indices as their slots in `stack`;
    /// empty until SIMD code runs, then grown to `stack`'s length by whoever needs it.
    hi: Vec<u64>,
    /// Suspended callers; empty between calls.
    frames: FrameStack,
    /// With fuel and `M::SIGNAL_TRAPS`: the fuel left at the guest memory access in progress.
    fault_fuel: u64,
}

// SAFETY: the raw pointers in `frames` point into the store that owns this
// state (instances and their modules) and are only dereferenced during `invoke`, which holds
// the store exclusively; `frames` is emptied before `invoke` returns. Moving the store to
// another thread moves everything they point to along with it.
unsafe impl Send for ExecState {}
// SAFETY: no `&self` method exists; shared references give no access to the pointers.
unsafe impl Sync for ExecState {}

/// Calls store function `func` with arguments already checked against its type.
pub(crate) fn invoke<M: LinearMemory>(
    store: &mut StoreInner<M>,
    func: u32,
    args: &[Value],
) -> Result<Vec<Value>, Trap> {
    let f = store.funcs.get(func as usize).ok_or_else(|| Trap::new(TrapKind::Other("no such function".into())))?;
    let (instance, index) = match &f.kind {
        FuncKind::Host(h) => {
            let mut results: Vec<Value> = f.ty.results().iter().map(|t| Value::default_for(*t)).collect();
            h(&mut Caller::without_memory(), args, &mut results)?;
            return Ok(results);
        }
        FuncKind::Wasm { instance, index } => (*instance, *index),
    };
    let result_types: Vec<_> = f.ty.results().to_vec();
    let inst: *const InstanceData = &store.instances[instance as usize];
    // SAFETY: `inst` points into `store.instances`, which nothing changes during the call.
    let module = unsafe { &*std::sync::Arc::as_ptr(&(*inst).module) };
    let Some(cf) = index.checked_sub(module.num_imported_funcs).and_then(|i| module.code.get(i as usize)) else {
        return Err(Trap::new(TrapKind::Other("function has no code".into())));
    };
    let cf: *const CompiledFunc = cf;
    // SAFETY: as above; the module is kept alive by the instance.
    let (frame_size, num_params, num_locals) = unsafe { ((*cf).frame_size, (*cf).num_params, (*cf).num_locals) };

    let max_stack = store.config.max_value_stack;
    let exec = &mut store.exec;
    exec.frames.clear();
    if frame_size as usize > max_stack {
        return Err(Trap::new(TrapKind::StackOverflow));
    }
    // The entry frame starts `entry` cells in (below `placement::ENTRY_SKEW`), where its first
    // slot sits at `placement::ENTRY_SLOTS` within a 4 KiB page; the cells before stay unused.
    let need = placement::ENTRY_SKEW + frame_size as usize;
    if exec.stack.len() < need {
        exec.stack.resize(need.max(1024).min(max_stack.max(need)), 0);
    }
    let entry = placement::entry_cell(exec.stack.as_ptr());
    for (slot, arg) in exec.stack[entry..].iter_mut().zip(args.iter()) {
        *slot = arg.to_cell();
    }
    if args.iter().any(|a| matches!(a, Value::V128(_))) {
        if exec.hi.len() < exec.stack.len() {
            exec.hi.resize(exec.stack.len(), 0);
        }
        for (slot, arg) in exec.hi[entry..].iter_mut().zip(args.iter()) {
            *slot = arg.hi_cell();
        }
    }
    exec.stack[entry + num_params as usize..entry + num_locals as usize].fill(0);
    // SAFETY: as above.
    let consts: &[u64] = unsafe { &(*cf).consts };
    let at = entry + num_locals as usize;
    exec.stack[at..at + consts.len()].copy_from_slice(consts);

    let fuel_on = store.fuel.is_some();
    let store_ptr: *mut StoreInner<M> = store;
    // SAFETY: the memories live in the store, which this call holds exclusively, and no
    // memory is added or removed while guest code runs (host functions cannot instantiate).
    let memories: *const [M] = unsafe {
        let s: &StoreInner<M> = &*store_ptr;
        s.memories.as_slice()
    };
    // SAFETY: `run` upholds `run_guest`'s contract: see the invariant on `run::run`.
    let outcome = unsafe {
        M::run_guest(memories, || {
            placement::on_native_page_offset(|| {
                if fuel_on {
                    run::run::<M, true>(store_ptr, cf, inst, entry)
                } else {
                    run::run::<M, false>(store_ptr, cf, inst, entry)
                }
            })
        })
    };
    let exec = &mut store.exec;
    exec.frames.clear();
    match outcome {
        Ok(Ok(())) => Ok(result_types
            .iter()
            .enumerate()
            .map(|(k, t)| Value::from_cells(*t, exec.stack[entry + k], exec.hi.get(entry + k).copied().unwrap_or(0)))
            .collect()),
        Ok(Err(trap)) => Err(trap),
        Err(_) => {
            // A fault inside guest memory: the strategy hands back the access's site, the
            // instruction pointer `run` passed (already past the access).
            if fuel_on {
                store.fuel = Some(store.exec.fault_fuel);
            }
            Err(match M::take_fault_site().and_then(|site| locate(store, site)) {
                Some((func_index, offset)) => Trap::at(TrapKind::MemoryOutOfBounds, func_index, offset),
                None => Trap::new(TrapKind::MemoryOutOfBounds),
            })
        }
    }
}

/// The function index and wasm offset of the instruction just before `site`, an instruction
/// pointer into the threaded code of a function of one of the store's instances; `None` when
/// `site` points into no such code. Only the trap path runs this, so a scan over every
/// function is fine, and it keeps locating faults free of any bookkeeping on the hot path.
#[cold]
fn locate<M: LinearMemory>(store: &StoreInner<M>, site: usize) -> Option<(u32, u32)> {
    const OP: usize = std::mem::size_of::<threaded::Op>();
    store.instances.iter().flat_map(|inst| inst.module.code.iter()).find_map(|f| {
        f.threaded.copies().find_map(|ops| {
            let start = ops.as_ptr() as usize;
            let end = start + ops.len() * OP;
            if site <= start || site > end || !(site - start).is_multiple_of(OP) {
                return None;
            }
            let pc = (site - start) / OP - 1;
            Some((f.func_index, f.offsets.get(pc).copied().unwrap_or_default()))
        })
    })
}

#[cfg(test)]
mod tests;
