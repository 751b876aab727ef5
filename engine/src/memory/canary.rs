//! The canaries (only with the `canary` Cargo feature): the checked memory with one planted
//! bug each, so the fuzz loop can prove it finds, and survives, what it exists to find.
//!
//! - `redzone:canary` ([`CanaryMemory`], bug [`WrapAt4GiB`]): guest loads and stores
//!   truncate the effective address to 32 bits before the check, as an implementation that
//!   computes `addr + offset` in `u32` arithmetic would. An access whose `addr + offset` passes
//!   2^32 wraps to a small address and succeeds where the spec says it traps. It is a real
//!   class of bug (the effective address of a 32-bit memory is 33 bits wide), and it stays
//!   memory-safe here: the wrapped address is still checked against the accessible length.
//! - `redzone:crash-canary` ([`CrashCanaryMemory`], bug [`DanglingEmptyRead`]): an
//!   out-of-bounds load from a memory of zero pages is not refused but read through the
//!   memory's dangling base (an empty memory has no allocation, as in implementations whose
//!   zero-length buffer pointer is a sentinel), which here is an address in the never-mapped
//!   first page: the process dies by SIGSEGV, like a real dangling read. Process isolation
//!   must survive it.
//!
//! Both are [`Planted`]: the checked memory with the guest accesses of a [`Bug`]; bulk
//! operations, host accesses and growth stay the correct checked ones. A new planted bug is a
//! type implementing [`Bug`] and an alias.
//!
//! Never in a default build: the harness lists the configurations only when this feature is
//! on (its own tests turn it on through a dev-dependency).

use super::{CheckedMemory, LinearMemory, MemoryType, OutOfBounds, Scalar};
use crate::error::Error;
use std::marker::PhantomData;

/// A planted bug in the guest accesses of the checked memory.
pub trait Bug: 'static {
    /// The strategy name ([`LinearMemory::STRATEGY`]).
    const STRATEGY: &'static str;

    /// The interpreter's handlers for [`Planted<Self>`] (see [`LinearMemory::handlers`]).
    #[doc(hidden)]
    fn handlers() -> &'static [crate::exec::Handlers; 2];

    /// A guest load, given the correct memory.
    fn load<T: Scalar>(memory: &CheckedMemory, ea: u64) -> Result<T, OutOfBounds>;

    /// A guest store, given the correct memory.
    fn store<T: Scalar>(memory: &mut CheckedMemory, ea: u64, v: T) -> Result<(), OutOfBounds>;
}

/// [`CheckedMemory`] with the guest accesses of bug `B`.
#[derive(Debug)]
pub struct Planted<B: Bug>(CheckedMemory, PhantomData<fn() -> B>);

impl<B: Bug> LinearMemory for Planted<B> {
    const SIGNAL_TRAPS: bool = false;
    const STRATEGY: &'static str = B::STRATEGY;

    fn handlers() -> &'static [crate::exec::Handlers; 2] {
        B::handlers()
    }

    fn new(ty: MemoryType, host_limit_pages: Option<u64>) -> Result<Self, Error> {
        CheckedMemory::new(ty, host_limit_pages).map(|m| Planted(m, PhantomData))
    }

    fn ty(&self) -> MemoryType {
        self.0.ty()
    }

    fn size_bytes(&self) -> u64 {
        self.0.size_bytes()
    }

    fn grow(&mut self, delta: u64) -> Option<u64> {
        self.0.grow(delta)
    }

    #[inline(always)]
    fn load<T: Scalar>(&self, ea: u64) -> Result<T, OutOfBounds> {
        B::load(&self.0, ea)
    }

    #[inline(always)]
    fn store<T: Scalar>(&mut self, ea: u64, v: T) -> Result<(), OutOfBounds> {
        B::store(&mut self.0, ea, v)
    }

    fn data(&self) -> &[u8] {
        self.0.data()
    }

    fn data_mut(&mut self) -> &mut [u8] {
        self.0.data_mut()
    }
}

/// The canary's bug: `(addr + offset) as u32`.
#[derive(Debug)]
pub enum WrapAt4GiB {}

impl Bug for WrapAt4GiB {
    const STRATEGY: &'static str = "canary";

    fn handlers() -> &'static [crate::exec::Handlers; 2] {
        crate::exec::handlers_static!(Planted<WrapAt4GiB>)
    }

    #[inline(always)]
    fn load<T: Scalar>(memory: &CheckedMemory, ea: u64) -> Result<T, OutOfBounds> {
        memory.load(ea as u32 as u64)
    }

    #[inline(always)]
    fn store<T: Scalar>(memory: &mut CheckedMemory, ea: u64, v: T) -> Result<(), OutOfBounds> {
        memory.store(ea as u32 as u64, v)
    }
}

/// The crash canary's bug: an out-of-bounds load from an empty memory reads through a
/// dangling pointer.
#[derive(Debug)]
pub enum DanglingEmptyRead {}

impl DanglingEmptyRead {
    /// The read through the base of an empty memory: a sentinel address in the first page,
    /// which Linux never maps (`vm.mmap_min_addr` is at least 4 KiB).
    #[cold]
    #[inline(never)]
    fn dangling_read<T: Scalar>(ea: u64) -> T {
        let sentinel = 16 + (ea % 2048) as usize;
        // SAFETY: deliberately unsound: this reads unmapped memory and kills the process by
        // SIGSEGV. It exists only with the `canary` feature, behind a configuration that is
        // selected by name only, to prove that the fuzz loop survives and reports such crashes.
        unsafe { T::read_le(std::hint::black_box(sentinel as *const u8)) }
    }
}

impl Bug for DanglingEmptyRead {
    const STRATEGY: &'static str = "crash-canary";

    fn handlers() -> &'static [crate::exec::Handlers; 2] {
        crate::exec::handlers_static!(Planted<DanglingEmptyRead>)
    }

    #[inline(always)]
    fn load<T: Scalar>(memory: &CheckedMemory, ea: u64) -> Result<T, OutOfBounds> {
        match memory.load(ea) {
            Err(OutOfBounds) if memory.size_bytes() == 0 => Ok(Self::dangling_read(ea)),
            r => r,
        }
    }

    #[inline(always)]
    fn store<T: Scalar>(memory: &mut CheckedMemory, ea: u64, v: T) -> Result<(), OutOfBounds> {
        memory.store(ea, v)
    }
}

/// The canary: [`CheckedMemory`] whose guest accesses wrap the effective address at 2^32.
pub type CanaryMemory = Planted<WrapAt4GiB>;

/// The crash canary: [`CheckedMemory`] whose out-of-bounds loads from an empty memory read
/// through a dangling pointer and crash the process.
pub type CrashCanaryMemory = Planted<DanglingEmptyRead>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_past_four_gib_but_still_checks_the_length() {
        let mut m = CanaryMemory::new(MemoryType::new(1, None), None).unwrap();
        let right = CheckedMemory::new(MemoryType::new(1, None), None).unwrap();
        let past = (1u64 << 32) + 16;
        assert_eq!(right.load::<u32>(past), Err(OutOfBounds), "the correct memory traps");
        m.store::<u32>(16, 0xdead_beef).unwrap();
        assert_eq!(m.load::<u32>(past), Ok(0xdead_beef), "the canary wraps to address 16");
        assert_eq!(m.load::<u32>(65536), Err(OutOfBounds), "below 2^32 it is the checked memory");
        assert_eq!(m.load::<u8>((1u64 << 32) + 65536), Err(OutOfBounds), "the wrapped address is checked");
    }
}
