//! Guest memory accesses of the interpreter's handlers, and the table of their other
//! strategy-specific operations.
//!
//! # The same code, whatever the strategy
//!
//! The handlers (`run.rs`) are instantiated once per memory strategy. When the instantiations
//! differed beyond the accesses themselves (a plain load here, a compare and a trap path
//! there, bookkeeping stores before each guard access), LLVM allocated registers and laid out
//! blocks differently around them, and a guard/checked comparison measured that rather than
//! the bounds check (compute-only controls up to 1.6x apart in the interpreter's earlier
//! single-loop form). So:
//!
//! - A guest load or store ([`load`], [`store`]) is two pieces of inline assembly with the
//!   same operands in both inline strategies ([`GuestAccess::Unchecked`] and
//!   [`GuestAccess::Checked`]): the bounds check ([`check_asm!`]), whose only exit besides
//!   falling through is a jump to the trap path, and the `mov` itself with the site in `r11`,
//!   which is the same text in both. Only the check's text differs: the checked one compares
//!   `ea + size` with the length and jumps to the trap path past it; the guard one is
//!   multi-byte NOPs as long as the checked sequence, so that every later instruction of the
//!   handler sits at the same offset in both copies. To the optimiser the two copies are the
//!   same code, and in the binary they are the same bytes outside the checks. (The check used
//!   to set a flag that Rust code then tested: a `mov`, `setbe` and `test` more per access,
//!   paid by both strategies.)
//! - Everything else that depends on the strategy and is not on the hot path (`memory0`,
//!   memory.size, `bulk`, host calls, SIMD) is called through [`Ops`], a table of function
//!   pointers the optimiser cannot see through: with direct calls LLVM infers facts about
//!   each callee (which memory it touches, whether it returns) and specialises the caller
//!   on them, and the two strategies' callees yield different facts. Their traps come back
//!   boxed, in registers: a result returned through a pointer to the handler's frame would
//!   keep the handler from ending in a jump.
//!
//! The handlers that touch no memory then compile to the same bytes for both strategies
//! (LLVM merges each such pair into one function), and the memory handlers differ only in
//! the check (a `lea`, `cmp` and `ja` against NOPs of their length), so a guard/checked
//! comparison measures the bounds check and nothing else.
//!
//! # Fault location
//!
//! The site of an access is the handler's instruction pointer (already past the
//! instruction), in `r11` during the access: a register the calling convention does not
//! preserve, so no handler saves and restores one around its access. A guard access that
//! faults is located from the signal context (`memory/signals.rs` reads `r11`), with nothing
//! stored before the access. Strategies with [`GuestAccess::Call`] (the canary, test
//! doubles) get the site as an argument of `guest_load`/`guest_store`.

use super::run::{bulk, call_host, memory0};
use super::simd::simd;
use super::threaded::Op;
use crate::code::Instr;
use crate::memory::{GuestAccess, LinearMemory, Scalar};
use crate::store::{InstanceData, StoreInner};
use crate::trap::{Trap, TrapKind};
#[cfg(target_arch = "x86_64")]
use std::arch::asm;

#[cfg(target_arch = "x86_64")]
/// The bounds check of one inline access of `$size` bytes at `$i` against the length `$l`:
/// on checked memories a compare of `$i + $size` with the length and a jump to `$oob` past
/// it; on guard pages ([`GuestAccess::Unchecked`]) NOPs of the same length, with the same
/// operands and the same (never taken) jump target, so that the code around it is the same in
/// both copies of a handler. The checked sequence is assembled once more into a section that
/// is not loaded, only to measure it; its `ja` is forced to the 6-byte form in both places
/// (`{disp32}`), so the NOPs match it whatever distance the jump spans. At most 8 bytes per
/// NOP: one 13-byte NOP carries so many prefixes that decoding it stalls (the ABI round
/// trip's byte loop ran 13% slower in guard than in checked with it, 6% with two shorter
/// NOPs).
macro_rules! check_asm {
    ($kind:expr, $size:literal, $i:expr, $l:expr, $oob:block) => {
        match $kind {
            GuestAccess::Unchecked => asm!(
                concat!(
                    ".pushsection .redzone.pad,\"\",@progbits\n",
                    "3: lea {t}, [{i} + ", $size, "]\n", "cmp {t}, {l}\n", "{{disp32}} ja 5f\n", "5:\n",
                    ".popsection\n",
                    ".nops 5b - 3b, 8 /* {oob} */"
                ),
                i = in(reg) $i, l = in(reg) $l, t = out(reg) _, oob = label $oob, options(nomem, nostack)
            ),
            _ => asm!(
                concat!("lea {t}, [{i} + ", $size, "]\n", "cmp {t}, {l}\n", "{{disp32}} ja {oob}"),
                i = in(reg) $i, l = in(reg) $l, t = out(reg) _, oob = label $oob, options(nomem, nostack)
            ),
        }
    };
}

/// Whether an inline access of `size` bytes (a constant once inlined) at `ea` passes [`check_asm!`] against the length
/// `l`: always on guard pages (the access itself faults past the end), `ea + size <= l` on
/// checked memories. A jump out of the assembly, not a flag: the caller's trap path is the
/// jump's target, so an access costs the compare and one branch on checked memories and
/// nothing but the NOPs on guard pages.
///
/// # Safety
/// Inline assembly that only compares registers; `size` is 1, 2, 4, 8 or 16.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn fits<M: LinearMemory>(size: usize, ea: u64, l: u64) -> bool {
    // SAFETY: the assembly reads two registers and writes a scratch one and the flags.
    unsafe {
        match size {
            1 => check_asm!(M::GUEST_ACCESS, "1", ea, l, {
                return false;
            }),
            2 => check_asm!(M::GUEST_ACCESS, "2", ea, l, {
                return false;
            }),
            4 => check_asm!(M::GUEST_ACCESS, "4", ea, l, {
                return false;
            }),
            8 => check_asm!(M::GUEST_ACCESS, "8", ea, l, {
                return false;
            }),
            _ => check_asm!(M::GUEST_ACCESS, "16", ea, l, {
                return false;
            }),
        }
    }
    true
}

/// Memory 0's bytes and accessible length ([`LinearMemory::raw_parts`]), or null and 0 when
/// the instance has no memory. The handlers carry them in registers; anything that may grow the memory (and
/// so move a checked memory's bytes) must be followed by a new call.
///
/// # Safety
/// `mem` must be null or valid.
#[inline(always)]
pub(super) unsafe fn parts<M: LinearMemory>(mem: *mut M) -> (*mut u8, u64) {
    // SAFETY: guaranteed by the caller.
    if mem.is_null() { (std::ptr::null_mut(), 0) } else { unsafe { (*mem).raw_parts() } }
}

/// How far past a memory64 guard memory's length its reservation is PROT_NONE at least: a
/// guard memory64 memory holds at most 4 GiB of an 8 GiB + 64 KiB reservation
/// (`memory/guard.rs`), so any static offset below this plus a 16-byte access stays inside it.
const GUARD_OFFSET_COVER: u64 = 1 << 32;

/// The effective address `addr + offset` of an access to a memory64 memory of `len`
/// accessible bytes, to hand to [`load`]/[`store`] (or the 16-byte forms), or `None` when the
/// access is out of bounds for certain. Never wraps: an `addr + offset` past 2^64 is `None`.
///
/// On guard pages ([`GuestAccess::Unchecked`]) this is ONE compare, of the address against
/// the length: with `addr <= len` and `offset < 2^32`, `addr + offset + 16` stays inside the
/// reservation, whose part past `len` is PROT_NONE, so the access itself faults when any of
/// its bytes is out of bounds (a straddling store writes none: it is one `mov`). Larger
/// offsets take the explicit path. Elsewhere the explicit path checks `ea <= len` in 64-bit
/// arithmetic, which also keeps the checked access's own `ea + size` from wrapping.
#[inline(always)]
pub(super) fn ea64<M: LinearMemory>(addr: u64, offset: u64, len: u64) -> Option<u64> {
    if M::GUEST_ACCESS == GuestAccess::Unchecked && offset < GUARD_OFFSET_COVER {
        // `len <= 4 GiB` for a guard memory64 memory, so the sum cannot wrap.
        (addr <= len).then(|| addr + offset)
    } else {
        addr.checked_add(offset).filter(|&ea| ea <= len)
    }
}

/// [`ea64`] for the inline memory64 accesses (`Instr::I32LoadM64`, ...), whose static
/// offset the translator keeps below 2^32: `addr + offset` when `addr <= len`, else `None`.
/// The same code on every strategy (so that both copies of a handler stay the same code; a
/// strategy-dependent test here made the checked copy of the earlier single loop 25% slower, compute
/// controls included): the one compare keeps the sum from wrapping, and the inline access
/// then checks `ea + size` against the length (checked) or faults past it (guard pages,
/// whose memory64 reservation covers any `len + offset + 16`, see [`GUARD_OFFSET_COVER`]).
#[inline(always)]
pub(super) fn ea64_inline(addr: u64, offset: u32, len: u64) -> Option<u64> {
    (addr <= len).then(|| addr + offset as u64)
}

/// Whether an access of `size` bytes at `ea` to `mem` must trap by an explicit check that the
/// strategy's own access does not make: on guard pages ([`GuestAccess::Unchecked`]) a memory
/// with custom page sizes may end inside a host page, whose rest is readable and writable, so
/// its accesses are compared in full with its length (`ea + size <= len`), as the checked
/// strategy does. The translator sends every access to such a memory out of line
/// (`code/translate/ops.rs`, `memory_is_inline`), where `simd.rs` calls this before
/// [`load`]/[`store`]; the inline accesses never reach one. Always false elsewhere.
///
/// # Safety
/// `mem` must be valid.
#[inline(always)]
pub(super) unsafe fn past_unguarded_end<M: LinearMemory>(mem: *mut M, ea: u64, size: usize) -> bool {
    // SAFETY: guaranteed by the caller.
    M::GUEST_ACCESS == GuestAccess::Unchecked
        && unsafe { (*mem).ty().custom_page_size() && ea.saturating_add(size as u64) > (*mem).size_bytes() }
}

/// A guest load of a `T` at effective address `ea` (`addr + offset`, below 2^33); `None`
/// when an explicitly checked access is out of bounds. A guard access out of bounds faults
/// instead and does not return.
///
/// # Safety
/// `mem` must be valid and `(b, l)` its current [`parts`], and under a signal-trapping
/// strategy this must run inside its `run_guest` (see `run`'s invariant).
#[inline(always)]
pub(super) unsafe fn load<M: LinearMemory, T: Scalar>(
    mem: *mut M,
    b: *mut u8,
    l: u64,
    ea: u64,
    site: usize,
) -> Option<T> {
    debug_assert!(T::SIZE <= 8, "16-byte accesses go through `load128`");
    // SAFETY: `mem` is valid. An inline access reads `base + ea .. + size`: the checked one
    // only after comparing `ea + size` with the length; the guard one unchecked, inside the
    // reservation (which covers 2^33 + 64 KiB, past any `ea + 8`), where a byte past the
    // length is PROT_NONE and faults into `run_guest`. The value comes back zero-extended in
    // a 64-bit register and is cut to `T` there (`Scalar::from_bits`: no local array, whose
    // address would keep the handler's call of the next from becoming a jump).
    unsafe {
        #[cfg(not(target_arch = "x86_64"))]
        return (*mem).guest_load::<T>(ea, site).ok();
        #[cfg(target_arch = "x86_64")]
        if M::GUEST_ACCESS == GuestAccess::Call {
            return (*mem).guest_load::<T>(ea, site).ok();
        }
        #[cfg(target_arch = "x86_64")]
        inline_load::<M, T>(b, l, ea, site)
    }
}

/// The inline part of [`load`] (x86-64).
///
/// # Safety
/// As for [`load`].
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn inline_load<M: LinearMemory, T: Scalar>(b: *mut u8, l: u64, ea: u64, site: usize) -> Option<T> {
    // SAFETY: see `load`.
    unsafe {
        if !fits::<M>(T::SIZE, ea, l) {
            return None;
        }
        let v: u64;
        match T::SIZE {
            1 => asm!("movzx {v:e}, byte ptr [{b} + {i}]", b = in(reg) b, i = in(reg) ea, v = lateout(reg) v,
                    in("r11") site, options(readonly, nostack, preserves_flags)),
            2 => asm!("movzx {v:e}, word ptr [{b} + {i}]", b = in(reg) b, i = in(reg) ea, v = lateout(reg) v,
                    in("r11") site, options(readonly, nostack, preserves_flags)),
            4 => asm!("mov {v:e}, dword ptr [{b} + {i}]", b = in(reg) b, i = in(reg) ea, v = lateout(reg) v,
                    in("r11") site, options(readonly, nostack, preserves_flags)),
            _ => asm!("mov {v:r}, qword ptr [{b} + {i}]", b = in(reg) b, i = in(reg) ea, v = lateout(reg) v,
                    in("r11") site, options(readonly, nostack, preserves_flags)),
        }
        Some(T::from_bits(v))
    }
}

/// A guest store of `v` at effective address `ea` (below 2^33); `false` when an explicitly
/// checked access is out of bounds (then nothing is written). A guard store out of bounds
/// faults before writing any byte and does not return.
///
/// # Safety
/// As for [`load`].
#[inline(always)]
pub(super) unsafe fn store<M: LinearMemory, T: Scalar>(
    mem: *mut M,
    b: *mut u8,
    l: u64,
    ea: u64,
    v: T,
    site: usize,
) -> bool {
    // SAFETY: as for `load`, writing. Each access is one `mov` of the full width, so a
    // straddling guard store faults before any byte is written (x86 commits no part of a
    // faulting store) and a checked one is skipped whole.
    unsafe {
        #[cfg(not(target_arch = "x86_64"))]
        return (*mem).guest_store::<T>(ea, v, site).is_ok();
        #[cfg(target_arch = "x86_64")]
        if M::GUEST_ACCESS == GuestAccess::Call {
            return (*mem).guest_store::<T>(ea, v, site).is_ok();
        }
        #[cfg(target_arch = "x86_64")]
        inline_store::<M, T>(b, l, ea, v, site)
    }
}

/// The inline part of [`store`] (x86-64).
///
/// # Safety
/// As for [`load`].
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn inline_store<M: LinearMemory, T: Scalar>(b: *mut u8, l: u64, ea: u64, v: T, site: usize) -> bool {
    // SAFETY: see `store`.
    unsafe {
        let v = v.to_bits();
        if !fits::<M>(T::SIZE, ea, l) {
            return false;
        }
        match T::SIZE {
            1 => asm!("mov byte ptr [{b} + {i}], {v}", b = in(reg) b, i = in(reg) ea, v = in(reg_byte) v as u8,
                    in("r11") site, options(nostack, preserves_flags)),
            2 => asm!("mov word ptr [{b} + {i}], {v:x}", b = in(reg) b, i = in(reg) ea, v = in(reg) v,
                    in("r11") site, options(nostack, preserves_flags)),
            4 => asm!("mov dword ptr [{b} + {i}], {v:e}", b = in(reg) b, i = in(reg) ea, v = in(reg) v,
                    in("r11") site, options(nostack, preserves_flags)),
            _ => asm!("mov qword ptr [{b} + {i}], {v:r}", b = in(reg) b, i = in(reg) ea, v = in(reg) v,
                    in("r11") site, options(nostack, preserves_flags)),
        }
        true
    }
}

/// A 16-byte guest load (`Instr::V128Load`, inline in its handler) at `ea` (below 2^33), as
/// [`load`]: one `movdqu` after the same compare as the scalar accesses, or after the NOP
/// of its length on guard pages.
///
/// # Safety
/// As for [`load`].
#[inline(always)]
pub(super) unsafe fn load16<M: LinearMemory>(mem: *mut M, b: *mut u8, l: u64, ea: u64, site: usize) -> Option<u128> {
    // SAFETY: as for `load`; the reservation covers `ea + 16` as it does `ea + 8`.
    unsafe {
        #[cfg(not(target_arch = "x86_64"))]
        return (*mem).guest_load::<u128>(ea, site).ok();
        #[cfg(target_arch = "x86_64")]
        if M::GUEST_ACCESS == GuestAccess::Call {
            return (*mem).guest_load::<u128>(ea, site).ok();
        }
        #[cfg(target_arch = "x86_64")]
        {
            if !fits::<M>(16, ea, l) {
                return None;
            }
            let v: std::arch::x86_64::__m128i;
            asm!("movdqu {v}, xmmword ptr [{b} + {i}]", b = in(reg) b, i = in(reg) ea, v = lateout(xmm_reg) v,
                in("r11") site, options(readonly, nostack, preserves_flags));
            Some(std::mem::transmute::<std::arch::x86_64::__m128i, u128>(v))
        }
    }
}

/// A 16-byte guest store (`Instr::V128Store`), as [`store`]: one `movdqu`, so a guard store
/// straddling the end faults before writing any byte.
///
/// # Safety
/// As for [`load`].
#[inline(always)]
pub(super) unsafe fn store16<M: LinearMemory>(mem: *mut M, b: *mut u8, l: u64, ea: u64, v: u128, site: usize) -> bool {
    // SAFETY: as for `store`.
    unsafe {
        #[cfg(not(target_arch = "x86_64"))]
        return (*mem).guest_store::<u128>(ea, v, site).is_ok();
        #[cfg(target_arch = "x86_64")]
        if M::GUEST_ACCESS == GuestAccess::Call {
            return (*mem).guest_store::<u128>(ea, v, site).is_ok();
        }
        #[cfg(target_arch = "x86_64")]
        {
            if !fits::<M>(16, ea, l) {
                return false;
            }
            let v = std::mem::transmute::<u128, std::arch::x86_64::__m128i>(v);
            asm!("movdqu xmmword ptr [{b} + {i}], {v}", b = in(reg) b, i = in(reg) ea, v = in(xmm_reg) v,
                in("r11") site, options(nostack, preserves_flags));
            true
        }
    }
}

// The operations return their traps boxed: a result of one or two registers. A larger one
// is returned through a pointer to the caller's frame, and a handler that passes a pointer to
// its frame to a call cannot end in a jump to the next handler.

/// `run::bulk`: the memory-size-changing, bulk, table and segment instructions.
type Bulk<M> =
    unsafe fn(*mut StoreInner<M>, *const InstanceData, *mut M, *mut u64, *const Instr) -> Result<(), Box<TrapKind>>;

/// `simd::simd`: a SIMD instruction; returns how many `Ext` words follow it.
type Simd<M> =
    unsafe fn(*mut StoreInner<M>, *const InstanceData, *mut M, *mut u64, *const Op) -> Result<usize, Box<TrapKind>>;

/// `run::call_host`: a host function call.
type CallHost<M> =
    unsafe fn(*mut StoreInner<M>, *const InstanceData, u32, *const u64, *mut u64) -> Result<(), Box<Trap>>;

/// Every strategy-specific operation of the interpreter, as function pointers.
///
/// The handlers reach them through a reference passed through [`std::hint::black_box`]
/// (see [`Ops::get`]), so the optimiser cannot see which functions they are. That matters:
/// with direct calls, LLVM still infers facts about each callee (which memory it touches,
/// whether it returns) and optimises the caller with them, and the two strategies' callees
/// yield different facts, so the two copies of the earlier single loop compiled to different code
/// (measured with the accesses out of line: a different stack frame size and register
/// assignment, and compute-only kernels 0.73x to 1.3x apart). These operations are rare in
/// hot loops; an indirect call through a loaded pointer costs about what a direct call does
/// once the branch predictor knows it.
pub(super) struct Ops<M: LinearMemory> {
    /// [`parts`]: inline, the two strategies' differ, and so would every handler that
    /// refreshes them (calls and returns between instances, host calls, bulk operations).
    pub(super) parts: unsafe fn(*mut M) -> (*mut u8, u64),
    pub(super) size_pages: unsafe fn(*mut M) -> u64,
    pub(super) memory0: unsafe fn(*mut StoreInner<M>, *const InstanceData) -> *mut M,
    pub(super) bulk: Bulk<M>,
    pub(super) call_host: CallHost<M>,
    pub(super) simd: Simd<M>,
}

impl<M: LinearMemory> Ops<M> {
    const TABLE: Ops<M> = Ops {
        parts: parts_of::<M>,
        size_pages: size_pages::<M>,
        memory0: memory0::<M>,
        bulk: boxed_bulk::<M>,
        call_host: boxed_call_host::<M>,
        simd: boxed_simd::<M>,
    };

    /// The table for strategy `M`, opaque to the optimiser.
    #[inline(always)]
    pub(super) fn get() -> &'static Ops<M> {
        std::hint::black_box(&Self::TABLE)
    }
}

/// [`bulk`], its trap boxed.
///
/// # Safety
/// As for [`bulk`].
#[inline(never)]
unsafe fn boxed_bulk<M: LinearMemory>(
    st: *mut StoreInner<M>,
    inst: *const InstanceData,
    mem: *mut M,
    sp: *mut u64,
    at: *const Instr,
) -> Result<(), Box<TrapKind>> {
    // SAFETY: guaranteed by the caller.
    unsafe { bulk(st, inst, mem, sp, at).map_err(Box::new) }
}

/// [`simd`], its trap boxed.
///
/// # Safety
/// As for [`simd`].
#[inline(never)]
unsafe fn boxed_simd<M: LinearMemory>(
    st: *mut StoreInner<M>,
    inst: *const InstanceData,
    mem: *mut M,
    sp: *mut u64,
    ip: *const Op,
) -> Result<usize, Box<TrapKind>> {
    // SAFETY: guaranteed by the caller.
    unsafe { simd(st, inst, mem, sp, ip).map_err(Box::new) }
}

/// [`call_host`], its trap boxed.
///
/// # Safety
/// As for [`call_host`].
#[inline(never)]
unsafe fn boxed_call_host<M: LinearMemory>(
    st: *mut StoreInner<M>,
    inst: *const InstanceData,
    addr: u32,
    args: *const u64,
    results: *mut u64,
) -> Result<(), Box<Trap>> {
    // SAFETY: guaranteed by the caller.
    unsafe { call_host(st, inst, addr, args, results).map_err(Box::new) }
}

/// [`parts`], out of line.
///
/// # Safety
/// As for [`parts`].
#[inline(never)]
unsafe fn parts_of<M: LinearMemory>(mem: *mut M) -> (*mut u8, u64) {
    // SAFETY: guaranteed by the caller.
    unsafe { parts(mem) }
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

/// A 16-byte guest load (`v128.load`) at `ea` (below 2^33); `None` when an explicitly checked
/// access is out of bounds. Out of line (SIMD runs in `simd.rs`), so it goes
/// through the strategy's own `guest_load`: one 16-byte `movdqu` with the site in `r11`
/// for guard pages (a fault does not return), a compare and a copy for checked memories and
/// for 1-byte-page memories on guard pages ([`past_unguarded_end`]).
///
/// # Safety
/// As for [`load`].
#[inline(always)]
pub(super) unsafe fn load128<M: LinearMemory>(mem: *mut M, ea: u64, site: usize) -> Option<u128> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if past_unguarded_end(mem, ea, 16) {
            return None;
        }
        (*mem).guest_load::<u128>(ea, site).ok()
    }
}

/// A 16-byte guest store (`v128.store`) of `v` at `ea`; `false` when an explicitly checked
/// access is out of bounds (then nothing is written). A guard store is one 16-byte `movdqu`,
/// so a store straddling the end faults before writing any byte (a 1-byte-page memory's is
/// compared first, [`past_unguarded_end`]).
///
/// # Safety
/// As for [`load`].
#[inline(always)]
pub(super) unsafe fn store128<M: LinearMemory>(mem: *mut M, ea: u64, v: u128, site: usize) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe { !past_unguarded_end(mem, ea, 16) && (*mem).guest_store::<u128>(ea, v, site).is_ok() }
}
