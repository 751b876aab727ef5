//! Explicit-check linear memory (`redzone:checked`): a zeroed heap buffer, and a
//! `ea + size <= len` comparison in 64-bit arithmetic before every guest access.
//!
//! Growing allocates a new zeroed buffer (calloc-backed, so untouched pages cost no resident
//! memory) and copies the old contents; the guest's addresses never change, only the host
//! pointer does, which is why the interpreter must reload its cached base after memory.grow.

use super::{LinearMemory, MemoryType, OutOfBounds, Scalar};
use crate::error::Error;

/// Linear memory with an explicit bounds check on each access.
#[derive(Debug)]
pub struct CheckedMemory {
    ty: MemoryType,
    bytes: Box<[u8]>,
    /// The most pages this memory may reach: the smallest of the declared maximum, the host
    /// limit and the index type's limit.
    max_pages: u64,
}

impl CheckedMemory {
    /// A zeroed buffer from `alloc_zeroed` (calloc), so pages not yet touched cost no
    /// resident memory. Failure is an error, not the allocator's abort.
    fn zeroed(len: u64) -> Result<Box<[u8]>, Error> {
        let len =
            usize::try_from(len).map_err(|_| Error::limit(format!("memory of {len} bytes does not fit this host")))?;
        if len == 0 {
            return Ok(Box::default());
        }
        let layout = std::alloc::Layout::array::<u8>(len)
            .map_err(|_| Error::limit(format!("memory of {len} bytes does not fit this host")))?;
        // SAFETY: the layout has a non-zero size.
        let ptr = unsafe { std::alloc::alloc_zeroed(layout) };
        if ptr.is_null() {
            return Err(Error::limit(format!("cannot allocate {len} bytes of linear memory")));
        }
        // SAFETY: `ptr` was allocated by the global allocator with the layout of a `[u8]` of
        // `len` elements, is zero-initialised, and ownership passes to the box.
        Ok(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) })
    }
}

impl LinearMemory for CheckedMemory {
    const SIGNAL_TRAPS: bool = false;
    const STRATEGY: &'static str = "checked";

    fn new(ty: MemoryType, host_limit_pages: Option<u64>) -> Result<Self, Error> {
        let max_pages = ty.growth_limit(host_limit_pages)?;
        let bytes = Self::zeroed(ty.minimum << ty.page_size_log2)?;
        Ok(CheckedMemory { ty, bytes, max_pages })
    }

    #[inline]
    fn ty(&self) -> MemoryType {
        self.ty
    }

    #[inline(always)]
    fn size_bytes(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.size_pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages {
            return None;
        }
        if delta == 0 {
            return Some(old);
        }
        let mut bytes = Self::zeroed(new << self.ty.page_size_log2).ok()?;
        bytes[..self.bytes.len()].copy_from_slice(&self.bytes);
        self.bytes = bytes;
        Some(old)
    }

    #[inline(always)]
    fn load<T: Scalar>(&self, ea: u64) -> Result<T, OutOfBounds> {
        match ea.checked_add(T::SIZE as u64) {
            Some(end) if end <= self.bytes.len() as u64 => {
                // SAFETY: ea + SIZE <= len was just checked.
                Ok(unsafe { T::read_le(self.bytes.as_ptr().add(ea as usize)) })
            }
            _ => Err(OutOfBounds),
        }
    }

    #[inline(always)]
    fn store<T: Scalar>(&mut self, ea: u64, v: T) -> Result<(), OutOfBounds> {
        match ea.checked_add(T::SIZE as u64) {
            Some(end) if end <= self.bytes.len() as u64 => {
                // SAFETY: ea + SIZE <= len was just checked.
                unsafe { T::write_le(self.bytes.as_mut_ptr().add(ea as usize), v) };
                Ok(())
            }
            _ => Err(OutOfBounds),
        }
    }

    #[inline(always)]
    fn data(&self) -> &[u8] {
        &self.bytes
    }

    #[inline(always)]
    fn data_mut(&mut self) -> &mut [u8] {
        &mut self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straddling_stores_write_nothing() {
        let mut m = CheckedMemory::new(MemoryType::new(1, None), None).unwrap();
        let len = m.size_bytes();
        for back in 1..8u64 {
            assert_eq!(m.store::<u64>(len - back, u64::MAX), Err(OutOfBounds));
        }
        assert!(m.data().iter().all(|&b| b == 0));
        m.store::<u64>(len - 8, 0x0102_0304_0506_0708).unwrap();
        assert_eq!(m.load::<u64>(len - 8), Ok(0x0102_0304_0506_0708));
        assert_eq!(m.data()[len as usize - 8], 0x08, "little-endian");
    }

    #[test]
    fn grow_respects_maximum_and_host_limit() {
        let mut m = CheckedMemory::new(MemoryType::new(1, Some(3)), None).unwrap();
        m.store::<u8>(5, 42).unwrap();
        assert_eq!(m.grow(2), Some(1));
        assert_eq!(m.grow(1), None);
        assert_eq!(m.size_pages(), 3);
        assert_eq!(m.load::<u8>(5), Ok(42), "contents survive growth");
        let mut h = CheckedMemory::new(MemoryType::new(0, None), Some(2)).unwrap();
        assert_eq!(h.grow(3), None);
        assert_eq!(h.grow(2), Some(0));
        assert_eq!(h.load::<u8>(0), Ok(0));
    }

    #[test]
    fn far_addresses_trap() {
        let m = CheckedMemory::new(MemoryType::new(1, None), None).unwrap();
        assert_eq!(m.load::<u32>(u32::MAX as u64 + u32::MAX as u64), Err(OutOfBounds));
        assert_eq!(m.load::<u8>(u64::MAX), Err(OutOfBounds));
        assert_eq!(m.load::<u8>(65535), Ok(0));
        assert_eq!(m.load::<u16>(65535), Err(OutOfBounds));
    }
}
