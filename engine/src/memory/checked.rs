//! Explicit-check linear memory (`redzone:checked`): a zeroed heap buffer, and a
//! `ea + size <= len` comparison in 64-bit arithmetic before every guest access.
//!
//! The buffer is calloc-backed (untouched pages cost no resident memory) and has spare
//! capacity: growing within it only moves `len`, because bytes past `len` were never
//! accessible and so are still zero. Growing past it allocates double the capacity (up to the
//! memory's limit) and copies, so a loop of one-page grows costs linear, not quadratic, time.
//! The guest's addresses never change, only the host pointer does, which is why the
//! interpreter must reload its cached base after memory.grow.

use super::{LinearMemory, MemoryType, OutOfBounds, Scalar};
use crate::error::Error;

/// Linear memory with an explicit bounds check on each access.
#[derive(Debug)]
pub struct CheckedMemory {
    ty: MemoryType,
    /// The allocation: `len` accessible bytes, then zeroes that no access has reached.
    bytes: Box<[u8]>,
    /// Accessible size in bytes.
    len: usize,
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

    fn handlers() -> &'static [crate::exec::Handlers; 2] {
        crate::exec::handlers_static!(CheckedMemory)
    }
    const GUEST_ACCESS: super::GuestAccess = super::GuestAccess::Checked;

    #[inline(always)]
    fn raw_parts(&self) -> (*mut u8, u64) {
        (self.bytes.as_ptr().cast_mut(), self.len as u64)
    }

    fn new(ty: MemoryType, host_limit_pages: Option<u64>) -> Result<Self, Error> {
        let max_pages = ty.growth_limit(host_limit_pages)?;
        let bytes = Self::zeroed(ty.minimum << ty.page_size_log2)?;
        let len = bytes.len();
        Ok(CheckedMemory { ty, bytes, len, max_pages })
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
        if delta == 0 {
            return Some(old);
        }
        let new_len = usize::try_from(new << self.ty.page_size_log2).ok()?;
        if new_len > self.bytes.len() {
            let limit = self.max_pages << self.ty.page_size_log2;
            let cap = (self.bytes.len() as u64).saturating_mul(2).min(limit).max(new_len as u64);
            let mut bytes = Self::zeroed(cap).ok()?;
            bytes[..self.len].copy_from_slice(&self.bytes[..self.len]);
            self.bytes = bytes;
        }
        self.len = new_len;
        Some(old)
    }

    #[inline(always)]
    fn load<T: Scalar>(&self, ea: u64) -> Result<T, OutOfBounds> {
        match ea.checked_add(T::SIZE as u64) {
            Some(end) if end <= self.len as u64 => {
                // SAFETY: ea + SIZE <= len <= capacity was just checked.
                Ok(unsafe { T::read_le(self.bytes.as_ptr().add(ea as usize)) })
            }
            _ => Err(OutOfBounds),
        }
    }

    #[inline(always)]
    fn store<T: Scalar>(&mut self, ea: u64, v: T) -> Result<(), OutOfBounds> {
        match ea.checked_add(T::SIZE as u64) {
            Some(end) if end <= self.len as u64 => {
                // SAFETY: ea + SIZE <= len <= capacity was just checked.
                unsafe { T::write_le(self.bytes.as_mut_ptr().add(ea as usize), v) };
                Ok(())
            }
            _ => Err(OutOfBounds),
        }
    }

    #[inline(always)]
    fn data(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    #[inline(always)]
    fn data_mut(&mut self) -> &mut [u8] {
        &mut self.bytes[..self.len]
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
    fn growth_within_capacity_reads_zero_and_keeps_contents() {
        let mut m = CheckedMemory::new(MemoryType::new(1, None), None).unwrap();
        for page in 1..40u64 {
            m.store::<u8>(page * 65536 - 1, 0xAB).unwrap();
            assert_eq!(m.load::<u8>(page * 65536), Err(OutOfBounds), "the next page is not accessible yet");
            assert_eq!(m.grow(1), Some(page));
            assert_eq!(m.load::<u64>(page * 65536), Ok(0), "a new page reads zero");
            assert_eq!(m.data().len() as u64, (page + 1) * 65536);
        }
        assert!(m.bytes.len() >= m.len && m.bytes.len() < 2 * m.len + 65536, "capacity grows geometrically");
        assert!((1..40u64).all(|p| m.load::<u8>(p * 65536 - 1) == Ok(0xAB)));
    }

    #[test]
    fn one_byte_pages_grow_by_bytes_and_trap_at_an_odd_length() {
        let ty = MemoryType { page_size_log2: 0, ..MemoryType::new(3, None) };
        let mut m = CheckedMemory::new(ty, None).unwrap();
        assert_eq!((m.size_bytes(), m.size_pages()), (3, 3));
        assert_eq!(m.store::<u32>(0, u32::MAX), Err(OutOfBounds), "a 4-byte store in a 3-byte memory");
        assert_eq!(m.store::<u16>(2, u16::MAX), Err(OutOfBounds));
        assert_eq!(m.data(), &[0, 0, 0], "no straddling store wrote a byte");
        m.store::<u16>(1, 0xbbaa).unwrap();
        assert_eq!(m.grow(1), Some(3));
        assert_eq!(m.data(), &[0, 0xaa, 0xbb, 0], "the grown byte is zero");
        assert_eq!(m.load::<u32>(0), Ok(0x00bb_aa00));
        assert_eq!(m.load::<u8>(4), Err(OutOfBounds));
        for n in 4..200u64 {
            m.store::<u8>(n - 1, n as u8).unwrap();
            assert_eq!(m.grow(1), Some(n));
            assert_eq!(m.load::<u8>(n), Ok(0), "byte {n}, in the spare capacity, reads zero");
        }
        assert_eq!(m.size_pages(), 200);
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
