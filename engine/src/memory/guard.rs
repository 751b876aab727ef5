//! Guard-page linear memory (`redzone:guard`): an 8 GiB + 64 KiB reservation per memory whose
//! accessible prefix is read/write and whose rest is PROT_NONE, so guest loads and stores
//! carry no bounds check and an out-of-bounds access faults (seed 001).
//!
//! This file owns the reservations (map, commit on grow, reset, unmap, the reuse pool) and
//! the guest accesses; `signals.rs` owns turning a fault into `Err(OutOfBounds)`, and
//! `audit.rs` checks the reservations against `/proc/self/maps`.
//!
//! # Layout of a reservation
//!
//! ```text
//! base                    base + len                                  base + RESERVATION
//! | read/write (len bytes) | PROT_NONE ........................................... |
//! ```
//!
//! A 32-bit effective address `addr + offset` is below 2^33 - 1 and an access is at most 16
//! bytes wide (a `v128`), so every guest access lands inside the reservation: in bounds it hits the
//! read/write prefix, out of bounds a PROT_NONE page. The base never moves; growing
//! `mprotect`s the next pages read/write.
//!
//! # Guest accesses
//!
//! `load`/`store` add `ea` to the base with no check (only a branch-free clamp to 2^33 so that
//! even a caller outside the contract cannot reach past the reservation) and move the value
//! with ONE `mov` of the full width. Stores are inline assembly, so the compiler cannot split
//! them into narrower accesses (a store straddling the end faults before writing any byte:
//! x86 commits no part of a faulting store).
//!
//! The interpreter does its accesses inline (`exec/access.rs`, [`super::GuestAccess`]):
//! the same single `mov` in inline assembly, with one more operand, the access's *site* (the
//! interpreter's instruction pointer) in `r11`. Nothing is stored before an access; when it
//! faults, the handler reads `r11` from the saved registers of the signal context and
//! `run_guest`'s caller gets it back from
//! [`LinearMemory::take_fault_site`] to locate the trap (`exec::invoke`).
//!
//! # memory64
//!
//! A 64-bit address reaches far past any reservation, so a memory64 memory's accesses
//! compare the address once with the length (`exec/access.rs`, `ea64`) and this
//! reservation's guard region covers the static offset and the access width: a memory64
//! guard memory is capped at [`MEMORY64_MAX_PAGES`] (4 GiB), so `addr <= len` and
//! `offset < 2^32` put `addr + offset + 16` inside the reservation, where everything past
//! `len` is PROT_NONE. (An offset of 2^32 or more falls back to the full checked compare.)
//! Growing a memory64 guard memory past 4 GiB returns -1, as the host may.
//!
//! # Custom page sizes: explicit checks in a reservation
//!
//! A memory with 1-byte pages (custom-page-sizes) has a length that is not a multiple of the
//! host page: the bytes from `len` to the next 4 KiB boundary are committed read/write (the
//! protection has host-page granularity), so the hardware cannot trap an access past `len`.
//! Such a memory still lives in a reservation (committed up to `len` rounded up to the host
//! page, PROT_NONE past that), but nothing relies on the guard region: the interpreter runs
//! every access to it on the out-of-line path with a full `ea + size <= len` check
//! (`exec/simd.rs`, [`super::Strategy::for_memory`] names the fallback), and this file's own
//! `load`/`store` check too. The committed tail past `len` is never written, so it stays
//! zero and growing into it exposes zeroes. Targets other than x86_64 Linux do not compile
//! this file; `Strategy::default()` is `Checked` there.
//!
//! # Reuse
//!
//! Dropped reservations go back to a small process-wide pool (at most [`POOL_CAPACITY`]) after
//! being reset, so nothing of the previous instance stays readable (wasmtime's
//! GHSA-6wgr-89rj-399p leaked data by skipping that): the first [`KEEP_RESIDENT`] bytes of the
//! accessible prefix are zeroed in place (the resident pages only: the others read as zero
//! already) and stay read/write (so the next
//! instance pays neither a page fault for each 4 KiB page the last one used, ~2.5 µs each in
//! this VM, nor an `mprotect`), the rest is discarded with `madvise(MADV_DONTNEED)` (private anonymous pages
//! read back as zero) and made PROT_NONE again. Reuse then sets the exact protection for the
//! new size. This is wasmtime's pooling allocator's `linear_memory_keep_resident`; the
//! figures are in the `memory` benchmark.

use super::{LinearMemory, MemoryType, OutOfBounds, Scalar, WASM_PAGE_SIZE_LOG2};
use crate::error::Error;
use std::ptr::NonNull;
use std::sync::Mutex;

/// Bytes reserved per memory: every 32-bit `addr + offset` (< 2^33) plus the widest access,
/// rounded up to a wasm page.
pub const RESERVATION: usize = (1 << 33) + (1 << 16);

/// The clamp applied to effective addresses: any `ea` at or past it is moved to it, which is
/// PROT_NONE in every reservation (a 32-bit memory has at most 4 GiB accessible).
const EA_CLAMP: u64 = 1 << 33;

/// The most pages a memory64 memory may reach in a guard reservation (4 GiB): the guard
/// region past it covers every static offset below 2^32 (see the module docs).
pub const MEMORY64_MAX_PAGES: u64 = super::MAX_PAGES_32;

/// The host page (x86-64 Linux base pages): protection changes have this granularity, so
/// the committed part of a reservation is its length rounded up to it.
pub const HOST_PAGE: usize = 4096;

/// `len` rounded up to the host page.
#[inline]
const fn host_pages(len: usize) -> usize {
    len.next_multiple_of(HOST_PAGE)
}

/// The most reset reservations kept for reuse.
pub const POOL_CAPACITY: usize = 32;

/// Bytes at the start of a released memory that are zeroed in place and kept resident for
/// the next user of the reservation, rather than discarded.
pub const KEEP_RESIDENT: usize = 1 << 20;

/// Linear memory in a guard-page reservation.
#[derive(Debug)]
pub struct GuardMemory {
    base: NonNull<u8>,
    /// Accessible bytes, at most 4 GiB: a multiple of 64 KiB, or of 1 byte for 1-byte pages
    /// (whose committed part is `len` rounded up to the host page).
    len: usize,
    ty: MemoryType,
    max_pages: u64,
    /// Whether `len` may end inside a host page (custom page sizes): then every access is
    /// checked explicitly, the guard region cannot be relied on.
    explicit: bool,
}

// SAFETY: the reservation is owned by this value alone; moving it to another thread moves
// that ownership (the handler finds memories through the running thread's activation).
unsafe impl Send for GuardMemory {}
// SAFETY: `&GuardMemory` only reads the accessible prefix; writes need `&mut`.
unsafe impl Sync for GuardMemory {}

/// A reset reservation waiting for reuse: its first `rw` bytes are zero and read/write, the
/// rest PROT_NONE.
struct Pooled {
    base: usize,
    rw: usize,
}

static POOL: Mutex<Vec<Pooled>> = Mutex::new(Vec::new());

impl GuardMemory {
    /// Whether accesses to this memory are checked explicitly rather than left to the guard
    /// region: true for custom page sizes (see the module docs).
    pub fn explicit_checks(&self) -> bool {
        self.explicit
    }

    /// Bytes committed read/write: the accessible length rounded up to the host page.
    pub fn committed_bytes(&self) -> usize {
        host_pages(self.len)
    }

    /// `Err(OutOfBounds)` when this memory checks explicitly and `ea .. ea + size` passes
    /// its length.
    #[inline(always)]
    fn explicit_check(&self, ea: u64, size: usize) -> Result<(), OutOfBounds> {
        if self.explicit && ea.saturating_add(size as u64) > self.len as u64 { Err(OutOfBounds) } else { Ok(()) }
    }

    /// The start of the reservation (for audits and tests).
    pub fn reservation_base(&self) -> *const u8 {
        self.base.as_ptr()
    }

    /// `(base, len)` of the memory at `mem`, read through a raw pointer.
    ///
    /// # Safety
    /// `mem` must point to a live `GuardMemory`. Async-signal-safe: two plain loads.
    #[inline]
    pub(super) unsafe fn raw_bounds(mem: *const GuardMemory) -> (usize, usize) {
        // SAFETY: per the contract `mem` is valid; no reference is formed.
        unsafe { ((*mem).base.as_ptr() as usize, (*mem).len) }
    }

    /// Takes a reservation from the pool, or maps a new one. Returns its base and how many
    /// bytes at its start are already zero and read/write (the rest is PROT_NONE).
    fn reserve() -> Result<(NonNull<u8>, usize), Error> {
        if let Some(Pooled { base, rw }) = POOL.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            // SAFETY: pooled bases come from `mmap` and are non-null.
            return Ok((unsafe { NonNull::new_unchecked(base as *mut u8) }, rw));
        }
        // SAFETY: a fresh anonymous mapping; no existing memory is affected.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                RESERVATION,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(Error::limit(format!(
                "cannot reserve {} GiB of address space for a guard-page memory: {}",
                RESERVATION >> 30,
                std::io::Error::last_os_error()
            )));
        }
        let base = NonNull::new(p.cast()).ok_or_else(|| Error::limit("mmap returned a null reservation"))?;
        Ok((base, 0))
    }

    /// Makes `[from, to)` of the reservation read/write.
    fn commit(&mut self, from: usize, to: usize) -> bool {
        self.protect(from, to, libc::PROT_READ | libc::PROT_WRITE)
    }

    /// Sets the protection of `[from, to)` of the reservation, both ends rounded up to the
    /// host page (the part of a host page below `from` already has the protection).
    fn protect(&mut self, from: usize, to: usize, prot: libc::c_int) -> bool {
        let (from, to) = (host_pages(from), host_pages(to));
        if to <= from {
            return true;
        }
        // SAFETY: `from..to` lies inside our reservation (to <= 4 GiB + 4 KiB < RESERVATION)
        // and `from` is host-page aligned, as is the reservation's base.
        unsafe { libc::mprotect(self.base.as_ptr().add(from).cast(), to - from, prot) == 0 }
    }

    /// Returns the reservation whose first `len` bytes (a multiple of the host page) are
    /// committed: reset and pooled, or unmapped when the pool is full or the reset failed.
    fn release(base: NonNull<u8>, len: usize) {
        let p = base.as_ptr().cast::<libc::c_void>();
        if Self::pooled() >= POOL_CAPACITY {
            // SAFETY: the whole reservation is ours and nothing refers to it any more.
            unsafe { libc::munmap(p, RESERVATION) };
            return;
        }
        let keep = len.min(KEEP_RESIDENT);
        // SAFETY: `[base, base + len)` is this reservation's committed read/write prefix, no
        // longer reachable by anyone. Zeroing the kept part and discarding the rest (private
        // anonymous pages read back as zero) erases the previous contents; the discarded part
        // is made PROT_NONE again (the kept part stays read/write; `new` fixes it up).
        let reset = unsafe {
            zero_resident(base.as_ptr(), keep);
            len == keep
                || libc::madvise(p.byte_add(keep), len - keep, libc::MADV_DONTNEED) == 0
                    && libc::mprotect(p.byte_add(keep), len - keep, libc::PROT_NONE) == 0
        };
        if reset {
            let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
            if pool.len() < POOL_CAPACITY {
                pool.push(Pooled { base: base.as_ptr() as usize, rw: keep });
                return;
            }
        }
        // SAFETY: the whole reservation is ours and nothing refers to it any more.
        unsafe { libc::munmap(p, RESERVATION) };
    }

    /// Unmaps every pooled reservation (for tests that count mappings, and for hosts that
    /// want the address space back).
    pub fn trim_pool() {
        let pooled = std::mem::take(&mut *POOL.lock().unwrap_or_else(|e| e.into_inner()));
        for Pooled { base, .. } in pooled {
            // SAFETY: pooled reservations are owned by the pool alone.
            unsafe { libc::munmap(base as *mut libc::c_void, RESERVATION) };
        }
    }

    /// How many reset reservations are waiting for reuse.
    pub fn pooled() -> usize {
        POOL.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// Zeroes the pages of `[p, p + len)` (a host-page-aligned, read/write part of a reservation)
/// that are resident. A page that was never touched is not resident and reads back as zero
/// already (private anonymous memory): writing zeroes there would fault it in (~2.5 us a
/// page in this VM; the `instantiate` workload's 256 KiB memory, of which it touches 4 pages,
/// paid 64 such faults per instance). Asks the kernel which pages are resident (`mincore`,
/// one call) and zeroes all of the range when it cannot tell.
///
/// # Safety
/// `[p, p + len)` must be read/write memory that nothing else refers to; `p` page-aligned.
unsafe fn zero_resident(p: *mut u8, len: usize) {
    let pages = len.div_ceil(HOST_PAGE);
    let mut resident = vec![0u8; pages];
    // SAFETY: `p` is page-aligned and the range is mapped; `resident` has a byte per page.
    if unsafe { libc::mincore(p.cast(), len, resident.as_mut_ptr()) } != 0 {
        // SAFETY: guaranteed by the caller.
        unsafe { std::ptr::write_bytes(p, 0, len) };
        return;
    }
    for (k, _) in resident.iter().enumerate().filter(|(_, r)| *r & 1 != 0) {
        let from = k * HOST_PAGE;
        // SAFETY: a page of the caller's range (the last one cut at `len`).
        unsafe { std::ptr::write_bytes(p.add(from), 0, HOST_PAGE.min(len - from)) };
    }
}

impl Drop for GuardMemory {
    fn drop(&mut self) {
        Self::release(self.base, host_pages(self.len + planted_slack()));
    }
}

/// Read/write bytes committed past the accessible end: 0, or one 4 KiB page under the
/// `guard-commits-past-end` mutant (`crate::mutants`).
#[inline]
fn planted_slack() -> usize {
    if crate::mutants::on(crate::mutants::Id::GuardCommitsPastEnd) { 4096 } else { 0 }
}

impl LinearMemory for GuardMemory {
    const SIGNAL_TRAPS: bool = true;
    const GUEST_ACCESS: super::GuestAccess = super::GuestAccess::Unchecked;

    #[inline(always)]
    fn raw_parts(&self) -> (*mut u8, u64) {
        (self.base.as_ptr(), self.len as u64)
    }

    const STRATEGY: &'static str = "guard";

    fn handlers() -> &'static [crate::exec::Handlers; 2] {
        crate::exec::handlers_static!(GuardMemory)
    }

    fn new(ty: MemoryType, host_limit_pages: Option<u64>) -> Result<Self, Error> {
        let mut max_pages = ty.growth_limit(host_limit_pages)?;
        if ty.index64 {
            // 4 GiB, in this memory's pages.
            let cap = (MEMORY64_MAX_PAGES << WASM_PAGE_SIZE_LOG2) >> ty.page_size_log2;
            if ty.minimum > cap {
                return Err(Error::limit(format!(
                    "a memory64 guard-page memory holds at most {cap} pages of {} bytes, not {}",
                    ty.page_size(),
                    ty.minimum
                )));
            }
            max_pages = max_pages.min(cap);
        }
        let (base, rw) = Self::reserve()?;
        let explicit = ty.custom_page_size();
        // `len: rw` until the protection is right, so a failure below releases what is there.
        let mut mem = GuardMemory { base, len: rw, ty, max_pages, explicit };
        let len = (ty.minimum << ty.page_size_log2) as usize;
        let slack = planted_slack();
        if !(mem.protect(len + slack, rw, libc::PROT_NONE) && mem.commit(rw, len + slack)) {
            // The protection may be half-changed: never pool this reservation.
            let base = mem.base.as_ptr();
            std::mem::forget(mem);
            // SAFETY: the reservation is ours and nothing refers to it.
            unsafe { libc::munmap(base.cast(), RESERVATION) };
            return Err(Error::limit(format!(
                "cannot commit {len} bytes of guard-page memory: {}",
                std::io::Error::last_os_error()
            )));
        }
        mem.len = len;
        Ok(mem)
    }

    #[inline]
    fn ty(&self) -> MemoryType {
        self.ty
    }

    #[inline(always)]
    fn size_bytes(&self) -> u64 {
        self.len as u64
    }

    fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.size_pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages {
            return None;
        }
        let new_len = (new << self.ty.page_size_log2) as usize;
        let slack = planted_slack();
        if !self.commit(self.len + slack, new_len + slack) {
            // A failed mprotect may have changed part of the range: put it back to PROT_NONE
            // so the guard region stays whole (the audit checks this).
            self.protect(self.len + slack, new_len + slack, libc::PROT_NONE);
            return None;
        }
        self.len = new_len;
        Some(old)
    }

    unsafe fn run_guest<R>(memories: *const [Self], f: impl FnOnce() -> R) -> Result<R, OutOfBounds> {
        // SAFETY: forwarded contract (memories alive and unmoved, no pending destructors).
        unsafe { super::signals::run_guest(memories, f) }
    }

    #[inline(always)]
    fn run_host<R>(f: impl FnOnce() -> R) -> R {
        super::signals::run_host(f)
    }

    fn audit(&self) -> Result<(), String> {
        super::audit::audit_memories(std::slice::from_ref(self)).map_err(|e| e.to_string())
    }

    #[inline(always)]
    fn load<T: Scalar>(&self, ea: u64) -> Result<T, OutOfBounds> {
        // An explicitly checked memory (custom page sizes) reads only below its length.
        self.explicit_check(ea, T::SIZE)?;
        // A plain unaligned read (one `mov` of the full width on x86-64; a load has no
        // partial effect to fear), for host-side callers and tests; the interpreter uses
        // `guest_load`. The raw pointer carries no `dereferenceable` promise, so the compiler
        // cannot speculate the read out of its branch.
        // SAFETY: `base + min(ea, 2^33) + SIZE` lies inside the reservation; the bytes are
        // either read/write or PROT_NONE, and a fault on the latter is recovered by the
        // caller's `run_guest` (outside it, the process dies with SIGSEGV: never a stray read).
        Ok(unsafe { T::read_le(self.base.as_ptr().add(ea.min(EA_CLAMP) as usize)) })
    }

    #[inline(always)]
    fn store<T: Scalar>(&mut self, ea: u64, v: T) -> Result<(), OutOfBounds> {
        self.explicit_check(ea, T::SIZE)?;
        // SAFETY: as for `load`; the single `mov` writes nothing when it faults.
        unsafe { native::store::<T>(self.base.as_ptr(), ea.min(EA_CLAMP) as usize, v, 0) };
        Ok(())
    }

    #[inline(always)]
    fn guest_load<T: Scalar>(&self, ea: u64, site: usize) -> Result<T, OutOfBounds> {
        self.explicit_check(ea, T::SIZE)?;
        // SAFETY: as for `load`. The `mov` is inline assembly with `site` in the register the
        // fault handler reads, so a fault is located without any store before the access.
        Ok(unsafe { native::load::<T>(self.base.as_ptr(), ea.min(EA_CLAMP) as usize, site) })
    }

    #[inline(always)]
    fn guest_store<T: Scalar>(&mut self, ea: u64, v: T, site: usize) -> Result<(), OutOfBounds> {
        self.explicit_check(ea, T::SIZE)?;
        // SAFETY: as for `store`, with `site` as for `guest_load`.
        unsafe { native::store::<T>(self.base.as_ptr(), ea.min(EA_CLAMP) as usize, v, site) };
        Ok(())
    }

    fn take_fault_site() -> Option<usize> {
        super::signals::take_fault_site()
    }

    #[inline(always)]
    fn data(&self) -> &[u8] {
        // SAFETY: the first `len` bytes are committed read/write and owned by `self`.
        unsafe { std::slice::from_raw_parts(self.base.as_ptr(), self.len) }
    }

    #[inline(always)]
    fn data_mut(&mut self) -> &mut [u8] {
        // SAFETY: as for `data`, with exclusive access through `&mut self`.
        unsafe { std::slice::from_raw_parts_mut(self.base.as_ptr(), self.len) }
    }
}

/// The guest accesses of interpreted code: one x86-64 `mov` of the full width at
/// `base + ea`, written as inline assembly for two reasons. No compiler transformation can
/// split a store into parts that would let a straddling store write its in-bounds bytes
/// before faulting. And the access site is an operand in `r11` at the faulting instruction
/// (as in the interpreter's inline accesses, `exec/access.rs`), so the fault handler reads it
/// from the saved registers of the signal context (`signals::on_fault`). These are for
/// callers that reach the memory through `guest_load`/`guest_store`.
///
/// Loads are `readonly` assembly: the compiler keeps values in registers across them and
/// may schedule them like plain loads, but never drops or duplicates them. Stores may write
/// any memory as far as the compiler knows.
mod native {
    use super::Scalar;
    use std::arch::asm;

    /// # Safety
    /// `base + ea .. + T::SIZE` must be readable or lie in a guard region armed by
    /// `run_guest`.
    #[inline(always)]
    pub(super) unsafe fn load<T: Scalar>(base: *const u8, ea: usize, site: usize) -> T {
        // SAFETY (all arms): the caller's contract; each arm reads exactly T::SIZE bytes with
        // one instruction into an integer of the same size as T (zero-extended in the
        // register, truncated back), and x86-64 is little-endian as wasm is.
        unsafe {
            match T::SIZE {
                1 => {
                    let v: u32;
                    asm!("movzx {v:e}, byte ptr [{b} + {i}]", b = in(reg) base, i = in(reg) ea, v = lateout(reg) v,
                        in("r11") site, options(readonly, nostack, preserves_flags));
                    std::mem::transmute_copy(&(v as u8))
                }
                2 => {
                    let v: u32;
                    asm!("movzx {v:e}, word ptr [{b} + {i}]", b = in(reg) base, i = in(reg) ea, v = lateout(reg) v,
                        in("r11") site, options(readonly, nostack, preserves_flags));
                    std::mem::transmute_copy(&(v as u16))
                }
                4 => {
                    let v: u32;
                    asm!("mov {v:e}, dword ptr [{b} + {i}]", b = in(reg) base, i = in(reg) ea, v = lateout(reg) v,
                        in("r11") site, options(readonly, nostack, preserves_flags));
                    std::mem::transmute_copy(&v)
                }
                8 => {
                    let v: u64;
                    asm!("mov {v:r}, qword ptr [{b} + {i}]", b = in(reg) base, i = in(reg) ea, v = lateout(reg) v,
                        in("r11") site, options(readonly, nostack, preserves_flags));
                    std::mem::transmute_copy(&v)
                }
                16 => {
                    // A `v128`: one unaligned 16-byte SSE2 load.
                    let v: std::arch::x86_64::__m128i;
                    asm!("movdqu {v}, xmmword ptr [{b} + {i}]", b = in(reg) base, i = in(reg) ea, v = lateout(xmm_reg) v,
                        in("r11") site, options(readonly, nostack, preserves_flags));
                    std::mem::transmute_copy(&v)
                }
                _ => unreachable!("no scalar of {} bytes", T::SIZE),
            }
        }
    }

    /// # Safety
    /// `base + ea .. + T::SIZE` must be writable or lie in a guard region armed by
    /// `run_guest`.
    #[inline(always)]
    pub(super) unsafe fn store<T: Scalar>(base: *mut u8, ea: usize, v: T, site: usize) {
        // SAFETY (all arms): the caller's contract; each arm writes exactly T::SIZE bytes with
        // one instruction, from an integer of the same size as T.
        unsafe {
            match T::SIZE {
                1 => {
                    let v: u8 = std::mem::transmute_copy(&v);
                    asm!("mov byte ptr [{b} + {i}], {v}", b = in(reg) base, i = in(reg) ea, v = in(reg_byte) v,
                        in("r11") site, options(nostack, preserves_flags));
                }
                2 => {
                    let v: u16 = std::mem::transmute_copy(&v);
                    asm!("mov word ptr [{b} + {i}], {v:x}", b = in(reg) base, i = in(reg) ea, v = in(reg) v,
                        in("r11") site, options(nostack, preserves_flags));
                }
                4 => {
                    let v: u32 = std::mem::transmute_copy(&v);
                    asm!("mov dword ptr [{b} + {i}], {v:e}", b = in(reg) base, i = in(reg) ea, v = in(reg) v,
                        in("r11") site, options(nostack, preserves_flags));
                }
                8 => {
                    let v: u64 = std::mem::transmute_copy(&v);
                    asm!("mov qword ptr [{b} + {i}], {v:r}", b = in(reg) base, i = in(reg) ea, v = in(reg) v,
                        in("r11") site, options(nostack, preserves_flags));
                }
                16 => {
                    // A `v128`: one unaligned 16-byte SSE2 store, so a store straddling the end
                    // faults before writing any byte (x86 commits no part of a faulting store).
                    let v: std::arch::x86_64::__m128i = std::mem::transmute_copy(&v);
                    asm!("movdqu xmmword ptr [{b} + {i}], {v}", b = in(reg) base, i = in(reg) ea, v = in(xmm_reg) v,
                        in("r11") site, options(nostack, preserves_flags));
                }
                _ => unreachable!("no scalar of {} bytes", T::SIZE),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mem(min: u64, max: Option<u64>) -> GuardMemory {
        GuardMemory::new(MemoryType::new(min, max), None).unwrap()
    }

    #[test]
    fn loads_and_stores_are_little_endian_at_every_width() {
        let mut mems = [mem(1, None)];
        let all = &raw const mems[..];
        let m = &mut mems[0];
        // SAFETY: `mems` outlives the call and the closure owns nothing with a destructor.
        let r = unsafe {
            GuardMemory::run_guest(all, || {
                m.store::<u64>(3, 0x0102_0304_0506_0708).unwrap();
                m.store::<i16>(100, -2).unwrap();
                m.store::<u8>(200, 0xab).unwrap();
                m.store::<i32>(300, -5).unwrap();
                (m.load::<u64>(3), m.load::<u32>(3), m.load::<u16>(3), m.load::<u8>(3), m.load::<i16>(100))
            })
        };
        assert_eq!(
            r,
            Ok((Ok(0x0102_0304_0506_0708), Ok(0x0506_0708), Ok(0x0708), Ok(0x08), Ok(-2))),
            "values read back in little-endian order"
        );
        assert_eq!(&m.data()[3..11], &[8, 7, 6, 5, 4, 3, 2, 1]);
        assert_eq!(m.data()[200], 0xab);
        assert_eq!(&m.data()[300..304], &(-5i32).to_le_bytes());
    }

    #[test]
    fn grow_respects_maximum_and_host_limit() {
        let mut m = mem(1, Some(3));
        m.data_mut()[5] = 42;
        assert_eq!(m.grow(2), Some(1));
        assert_eq!(m.grow(1), None);
        assert_eq!(m.size_pages(), 3);
        assert_eq!(m.data()[5], 42, "contents survive growth");
        assert_eq!(m.data()[3 * 65536 - 1], 0, "new pages are zero");
        let mut h = GuardMemory::new(MemoryType::new(0, None), Some(2)).unwrap();
        assert_eq!(h.grow(3), None);
        assert_eq!(h.grow(2), Some(0));
        assert!(GuardMemory::new(MemoryType::new(3, None), Some(2)).is_err());
    }

    #[test]
    fn memory64_is_capped_at_4_gib_so_the_guard_region_covers_any_32_bit_offset() {
        let t = MemoryType { index64: true, ..MemoryType::new(MEMORY64_MAX_PAGES - 1, None) };
        let mut m = GuardMemory::new(t, None).unwrap();
        assert_eq!(m.grow(2), None, "past 4 GiB");
        assert_eq!(m.grow(1), Some(MEMORY64_MAX_PAGES - 1));
        let t = MemoryType { index64: true, ..MemoryType::new(MEMORY64_MAX_PAGES + 1, None) };
        assert!(GuardMemory::new(t, None).is_err());
    }

    #[test]
    fn one_byte_pages_commit_whole_host_pages_and_check_explicitly() {
        let t = MemoryType { page_size_log2: 0, ..MemoryType::new(7, Some(5000)) };
        let mut m = GuardMemory::new(t, None).unwrap();
        assert!(m.explicit_checks());
        assert_eq!((m.size_bytes(), m.committed_bytes()), (7, HOST_PAGE));
        // Byte 7 is committed read/write, but not part of the memory.
        assert_eq!(m.store::<u16>(6, 0xffff), Err(OutOfBounds));
        assert_eq!(m.load::<u8>(7), Err(OutOfBounds));
        assert_eq!(m.store::<u8>(6, 0xab), Ok(()));
        assert_eq!(m.data(), &[0, 0, 0, 0, 0, 0, 0xab]);
        assert_eq!(m.grow(4990), Some(7));
        assert_eq!(m.grow(4), None, "past the maximum of 5000 bytes");
        assert_eq!((m.size_bytes(), m.committed_bytes()), (4997, 2 * HOST_PAGE));
        assert!(m.data()[7..].iter().all(|&b| b == 0), "grown bytes are zero");
        assert!(!mem(1, None).explicit_checks(), "64 KiB pages rely on the guard region");
    }
}
