//! The canary (`redzone:canary`, only with the `canary` Cargo feature): the checked memory
//! with one deliberately wrong bounds check, so the fuzz loop can prove it finds what it
//! exists to find.
//!
//! The bug: guest loads and stores truncate the effective address to 32 bits before the
//! check, as an implementation that computes `addr + offset` in `u32` arithmetic would. An
//! access whose `addr + offset` passes 2^32 wraps to a small address and succeeds where the
//! spec says it traps. It is a real class of bug (the effective address of a 32-bit memory
//! is 33 bits wide), and it stays memory-safe here: the wrapped address is still checked
//! against the accessible length. Bulk operations, host accesses and growth are the correct
//! checked ones.
//!
//! Never in a default build: the harness lists the configuration only when this feature is
//! on (its own tests turn it on through a dev-dependency).

use super::{CheckedMemory, LinearMemory, MemoryType, OutOfBounds, Scalar};
use crate::error::Error;

/// [`CheckedMemory`] whose guest accesses wrap the effective address at 2^32 (a planted bug).
#[derive(Debug)]
pub struct CanaryMemory(CheckedMemory);

/// The planted bug: `(addr + offset) as u32`.
#[inline(always)]
fn wrapped(ea: u64) -> u64 {
    ea as u32 as u64
}

impl LinearMemory for CanaryMemory {
    const SIGNAL_TRAPS: bool = false;
    const STRATEGY: &'static str = "canary";

    fn new(ty: MemoryType, host_limit_pages: Option<u64>) -> Result<Self, Error> {
        CheckedMemory::new(ty, host_limit_pages).map(CanaryMemory)
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
        self.0.load(wrapped(ea))
    }

    #[inline(always)]
    fn store<T: Scalar>(&mut self, ea: u64, v: T) -> Result<(), OutOfBounds> {
        self.0.store(wrapped(ea), v)
    }

    fn data(&self) -> &[u8] {
        self.0.data()
    }

    fn data_mut(&mut self) -> &mut [u8] {
        self.0.data_mut()
    }
}

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
