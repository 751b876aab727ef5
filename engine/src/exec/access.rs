//! Guest memory instructions, out of the interpreter loop: one small function per load or
//! store kind and memory strategy, so that the loop (`run.rs`) compiles to the same machine
//! code in every strategy and only these functions differ.
//!
//! # Why out of line
//!
//! The loop is instantiated once per strategy. When the accesses were inlined into it, the
//! two copies differed in a few arms only, yet LLVM allocated registers and laid out blocks
//! differently across the whole `match`: the compute-only controls, which touch no memory,
//! ran up to 1.6x slower in one strategy than in the other, and which one lost changed from
//! build to build. Every strategy-specific operation (these functions, `memory0`,
//! `size_pages`, `bulk`, `call_host`) is now called through [`Ops`], a table of function
//! pointers the optimiser cannot see through, and the two copies of the loop compile to
//! identical instructions (checked by disassembly: same size, same code but for
//! addresses), so a guard/checked comparison measures the bounds check and nothing else. The
//! price is an indirect call per access, the same in both strategies.
//!
//! # Calling convention and fault location
//!
//! Each function takes `(site, sp, mem, x, y, offset)`: `site` is the loop's instruction
//! pointer (already past the instruction), first so that it arrives in `rdi` on x86-64,
//! where the guard strategy's access keeps it (`GuardMemory::guest_load`): a faulting
//! access is located from the signal context, with nothing stored before it. A function
//! returns `false` when an explicitly checked access is out of bounds (the loop then traps
//! at the instruction); a guard access never returns `false`, it faults instead.
//!
//! # Safety (every function)
//! `sp` must point to the current frame's slots, which hold the named slots; `mem` must be
//! the instance's memory 0 (validation guarantees one exists when a memory instruction
//! does). Under a signal-trapping strategy these functions may not return: they own nothing
//! with a destructor, so abandoning their frame is fine (see `run`'s invariant).

use super::run::{bulk, call_host, memory0};
use crate::code::{Instr, Slot};
use crate::memory::LinearMemory;
use crate::store::{InstanceData, StoreInner};
use crate::trap::{Trap, TrapKind};

/// A guest memory instruction: `(site, sp, mem, x, y, offset)`, see the module docs; `x` and
/// `y` are the instruction's first two fields (`dst, addr` for loads, `addr, value` for
/// stores, `addr, imm` for stores of an immediate, the `i32` as its bits).
pub(super) type Access<M> = unsafe fn(usize, *mut u64, *mut M, u32, u32, u32) -> bool;

/// `run::bulk`: the memory-size-changing, bulk, table and segment instructions.
type Bulk<M> =
    unsafe fn(*mut StoreInner<M>, *const InstanceData, *mut M, *mut u64, *const Instr) -> Result<(), TrapKind>;

/// `run::call_host`: a host function call.
type CallHost<M> = unsafe fn(*mut StoreInner<M>, *const InstanceData, u32, *const u64, *mut u64) -> Result<(), Trap>;

/// Every strategy-specific operation of the interpreter loop, as function pointers.
///
/// The loop reaches them through a reference it passes through [`std::hint::black_box`]
/// (see [`Ops::get`]), so the optimiser cannot see which functions they are. That matters:
/// with direct calls, LLVM still infers facts about each callee (which memory it touches,
/// whether it returns) and optimises the caller with them, and the guard strategy's
/// inline-assembly accesses and the checked strategy's plain ones yield different facts, so
/// the two copies of the loop again compiled to different code (measured: a different stack
/// frame size and register assignment, and compute-only kernels 0.73x to 1.3x apart). An
/// indirect call through a loaded pointer costs about what a direct call does once the
/// branch predictor knows it.
pub(super) struct Ops<M: LinearMemory> {
    pub(super) i32_load: Access<M>,
    pub(super) i64_load: Access<M>,
    pub(super) i32_load8_s: Access<M>,
    pub(super) i32_load8_u: Access<M>,
    pub(super) i32_load16_s: Access<M>,
    pub(super) i32_load16_u: Access<M>,
    pub(super) i64_load8_s: Access<M>,
    pub(super) i64_load8_u: Access<M>,
    pub(super) i64_load16_s: Access<M>,
    pub(super) i64_load16_u: Access<M>,
    pub(super) i64_load32_s: Access<M>,
    pub(super) i64_load32_u: Access<M>,
    pub(super) i32_store: Access<M>,
    pub(super) i64_store: Access<M>,
    pub(super) i32_store8: Access<M>,
    pub(super) i32_store16: Access<M>,
    pub(super) i32_store_imm: Access<M>,
    pub(super) i32_store8_imm: Access<M>,
    pub(super) i32_store16_imm: Access<M>,
    pub(super) i64_store_imm: Access<M>,
    pub(super) size_pages: unsafe fn(*mut M) -> u64,
    pub(super) memory0: unsafe fn(*mut StoreInner<M>, *const InstanceData) -> *mut M,
    pub(super) bulk: Bulk<M>,
    pub(super) call_host: CallHost<M>,
}

impl<M: LinearMemory> Ops<M> {
    const TABLE: Ops<M> = Ops {
        i32_load: i32_load::<M>,
        i64_load: i64_load::<M>,
        i32_load8_s: i32_load8_s::<M>,
        i32_load8_u: i32_load8_u::<M>,
        i32_load16_s: i32_load16_s::<M>,
        i32_load16_u: i32_load16_u::<M>,
        i64_load8_s: i64_load8_s::<M>,
        i64_load8_u: i64_load8_u::<M>,
        i64_load16_s: i64_load16_s::<M>,
        i64_load16_u: i64_load16_u::<M>,
        i64_load32_s: i64_load32_s::<M>,
        i64_load32_u: i64_load32_u::<M>,
        i32_store: i32_store::<M>,
        i64_store: i64_store::<M>,
        i32_store8: i32_store8::<M>,
        i32_store16: i32_store16::<M>,
        i32_store_imm: i32_store_imm::<M>,
        i32_store8_imm: i32_store8_imm::<M>,
        i32_store16_imm: i32_store16_imm::<M>,
        i64_store_imm: i64_store_imm::<M>,
        size_pages: size_pages::<M>,
        memory0: memory0::<M>,
        bulk: bulk::<M>,
        call_host: call_host::<M>,
    };

    /// The table for strategy `M`, opaque to the optimiser.
    #[inline(always)]
    pub(super) fn get() -> &'static Ops<M> {
        std::hint::black_box(&Self::TABLE)
    }
}

macro_rules! loads {
    ($($(#[$doc:meta])* $name:ident: $t:ty => |$v:ident| $e:expr;)*) => {$(
        $(#[$doc])*
        #[inline(never)]
        unsafe fn $name<M: LinearMemory>(site: usize, sp: *mut u64, mem: *mut M, d: Slot, a: Slot, offset: u32) -> bool {
            // SAFETY: the module contract above.
            unsafe {
                let ea = (*sp.add(a as usize) as u32 as u64) + offset as u64;
                match (*mem).guest_load::<$t>(ea, site) {
                    Ok($v) => {
                        *sp.add(d as usize) = $e;
                        true
                    }
                    Err(_) => false,
                }
            }
        }
    )*};
}

macro_rules! stores {
    ($($(#[$doc:meta])* $name:ident: $t:ty;)*) => {$(
        $(#[$doc])*
        #[inline(never)]
        unsafe fn $name<M: LinearMemory>(site: usize, sp: *mut u64, mem: *mut M, a: Slot, v: Slot, offset: u32) -> bool {
            // SAFETY: the module contract above.
            unsafe {
                let ea = (*sp.add(a as usize) as u32 as u64) + offset as u64;
                (*mem).guest_store::<$t>(ea, *sp.add(v as usize) as $t, site).is_ok()
            }
        }
    )*};
}

macro_rules! store_imms {
    ($($(#[$doc:meta])* $name:ident: $t:ty;)*) => {$(
        $(#[$doc])*
        #[inline(never)]
        unsafe fn $name<M: LinearMemory>(site: usize, sp: *mut u64, mem: *mut M, a: Slot, imm: u32, offset: u32) -> bool {
            // SAFETY: the module contract above.
            unsafe {
                let ea = (*sp.add(a as usize) as u32 as u64) + offset as u64;
                (*mem).guest_store::<$t>(ea, imm as i32 as i64 as $t, site).is_ok()
            }
        }
    )*};
}

loads! {
    i32_load: u32 => |v| v as u64;
    i64_load: u64 => |v| v;
    i32_load8_s: i8 => |v| v as i32 as u32 as u64;
    i32_load8_u: u8 => |v| v as u64;
    i32_load16_s: i16 => |v| v as i32 as u32 as u64;
    i32_load16_u: u16 => |v| v as u64;
    i64_load8_s: i8 => |v| v as i64 as u64;
    i64_load8_u: u8 => |v| v as u64;
    i64_load16_s: i16 => |v| v as i64 as u64;
    i64_load16_u: u16 => |v| v as u64;
    i64_load32_s: i32 => |v| v as i64 as u64;
    i64_load32_u: u32 => |v| v as u64;
}

stores! {
    i32_store: u32;
    i64_store: u64;
    i32_store8: u8;
    i32_store16: u16;
}

store_imms! {
    /// The immediate is truncated to 32 bits.
    i32_store_imm: u32;
    i32_store8_imm: u8;
    i32_store16_imm: u16;
    /// The immediate is sign-extended to 64 bits.
    i64_store_imm: u64;
}

/// memory.size of `mem`, in pages.
///
/// # Safety
/// `mem` must be valid.
#[inline(never)]
unsafe fn size_pages<M: LinearMemory>(mem: *mut M) -> u64 {
    // SAFETY: guaranteed by the caller.
    unsafe { (*mem).size_pages() }
}
