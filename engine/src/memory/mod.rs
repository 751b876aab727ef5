//! Linear memory: one trait, one file per bounds-check strategy.
//!
//! - [`checked`]: explicit `ea + size <= len` on every access (`redzone:checked`).
//! - `guard` (issue 3): an 8 GiB reservation whose inaccessible part is PROT_NONE, so loads
//!   and stores carry no check and an out-of-bounds access faults (`redzone:guard`).
//!
//! The interpreter is generic over [`LinearMemory`], so each strategy gets its own
//! monomorphized code and no access branches on the strategy at run time. Guest accesses go
//! through [`LinearMemory::load`] / [`LinearMemory::store`] with the effective address
//! `addr + offset` computed by the caller in 64-bit arithmetic (never wrapping). Host accesses
//! and bulk operations go through the explicitly checked helpers, which never fault in either
//! strategy.
//!
//! To add a strategy: a new file implementing [`LinearMemory`], and a store type using it.

pub mod checked;

pub use checked::CheckedMemory;

use crate::error::Error;

/// Log2 of the default page size (64 KiB).
pub const WASM_PAGE_SIZE_LOG2: u8 = 16;
/// The default page size: 64 KiB.
pub const WASM_PAGE_SIZE: u64 = 1 << WASM_PAGE_SIZE_LOG2;
/// The most pages a 32-bit memory can have (4 GiB).
pub const MAX_PAGES_32: u64 = 1 << 16;

/// The type of a memory: its limits and index type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    /// Initial size in pages.
    pub minimum: u64,
    /// Declared maximum in pages.
    pub maximum: Option<u64>,
    /// Whether addresses are 64-bit (memory64). Refused at load time for now.
    pub index64: bool,
    /// Log2 of the page size (16 unless custom-page-sizes). Refused at load time unless 16.
    pub page_size_log2: u8,
}

impl MemoryType {
    /// A 32-bit memory with 64 KiB pages.
    pub fn new(minimum: u64, maximum: Option<u64>) -> Self {
        MemoryType { minimum, maximum, index64: false, page_size_log2: WASM_PAGE_SIZE_LOG2 }
    }

    /// Bytes in one page.
    pub fn page_size(&self) -> u64 {
        1 << self.page_size_log2
    }

    /// The largest number of pages the index type allows.
    pub fn absolute_max_pages(&self) -> u64 {
        if self.index64 { 1 << (64 - self.page_size_log2 as u32) } else { 1 << (32 - self.page_size_log2 as u32) }
    }

    /// Whether a memory of type `self` may be imported where `expected` is declared
    /// (limits subtyping, as in the spec's import matching).
    pub fn matches(&self, expected: &MemoryType) -> bool {
        self.index64 == expected.index64
            && self.page_size_log2 == expected.page_size_log2
            && self.minimum >= expected.minimum
            && match (self.maximum, expected.maximum) {
                (_, None) => true,
                (Some(a), Some(b)) => a <= b,
                (None, Some(_)) => false,
            }
    }
}

/// An access fell outside the accessible part of a memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfBounds;

mod sealed {
    pub trait Sealed {}
}

/// A scalar that a wasm load or store moves: the unsigned and signed integers of 1, 2, 4 and
/// 8 bytes. Floats travel as their bits.
pub trait Scalar: Copy + sealed::Sealed + 'static {
    /// Width in bytes.
    const SIZE: usize;
    /// Reads a little-endian value from an unaligned pointer.
    ///
    /// # Safety
    /// `ptr .. ptr + SIZE` must be readable (or, for the guard strategy, lie inside the
    /// reservation so that a fault is turned into a trap).
    unsafe fn read_le(ptr: *const u8) -> Self;
    /// Writes a little-endian value to an unaligned pointer with one native store.
    ///
    /// # Safety
    /// As for [`Scalar::read_le`], for writing.
    unsafe fn write_le(ptr: *mut u8, v: Self);
}

macro_rules! scalar {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Scalar for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline(always)]
            unsafe fn read_le(ptr: *const u8) -> Self {
                // SAFETY: the caller guarantees the range is readable; read_unaligned has no
                // alignment requirement.
                <$t>::from_le(unsafe { std::ptr::read_unaligned(ptr as *const $t) })
            }
            #[inline(always)]
            unsafe fn write_le(ptr: *mut u8, v: Self) {
                // SAFETY: the caller guarantees the range is writable.
                unsafe { std::ptr::write_unaligned(ptr as *mut $t, v.to_le()) }
            }
        }
    )*};
}
scalar!(u8, u16, u32, u64, i8, i16, i32, i64);

/// A linear memory strategy.
///
/// `ea` arguments are effective addresses: `addr + offset` computed without wrapping in
/// 64-bit arithmetic (below 2^33 for 32-bit memories).
pub trait LinearMemory: Sized + Send + 'static {
    /// True when out-of-bounds guest accesses are detected by a hardware fault (the caller
    /// must run guest code under the strategy's trap recovery); false when `load`/`store`
    /// check explicitly and return [`OutOfBounds`].
    const SIGNAL_TRAPS: bool;

    /// The strategy's short name: `checked` or `guard`.
    const STRATEGY: &'static str;

    /// Creates a memory of `ty.minimum` zeroed pages. `host_limit_pages` is a host-set cap on
    /// growth below the declared maximum.
    fn new(ty: MemoryType, host_limit_pages: Option<u64>) -> Result<Self, Error>;

    /// The memory's type (its minimum is the initial size, not the current one).
    fn ty(&self) -> MemoryType;

    /// Current accessible size in bytes.
    fn size_bytes(&self) -> u64;

    /// Current size in pages.
    #[inline]
    fn size_pages(&self) -> u64 {
        self.size_bytes() >> self.ty().page_size_log2
    }

    /// Grows by `delta` pages. Returns the old size in pages, or `None` (memory.grow's -1)
    /// when the result would pass the declared maximum, the host limit, the index type's
    /// limit, or the host cannot provide the memory. The guest's view never moves.
    fn grow(&mut self, delta: u64) -> Option<u64>;

    /// Runs guest code `f`. Explicit-check strategies just call it. A signal-trapping
    /// strategy (`SIGNAL_TRAPS`) arms its fault handler for the reservations of `memories`
    /// while `f` runs, and returns `Err(OutOfBounds)` when a guest access faulted inside one
    /// of them (control comes back here without finishing `f`).
    ///
    /// # Safety
    /// `memories` must stay valid and unmoved while `f` runs. No frame between this call and
    /// a faulting access may own a value with a pending destructor: a fault abandons those
    /// frames without unwinding them.
    #[inline(always)]
    unsafe fn run_guest<R>(memories: *const [Self], f: impl FnOnce() -> R) -> Result<R, OutOfBounds> {
        let _ = memories;
        Ok(f())
    }

    /// A guest load at effective address `ea`.
    fn load<T: Scalar>(&self, ea: u64) -> Result<T, OutOfBounds>;

    /// A guest store at effective address `ea`. A store that traps writes nothing.
    fn store<T: Scalar>(&mut self, ea: u64, v: T) -> Result<(), OutOfBounds>;

    /// The accessible bytes.
    fn data(&self) -> &[u8];

    /// The accessible bytes, writable.
    fn data_mut(&mut self) -> &mut [u8];

    /// Copies `buf.len()` bytes out from `offset`; checked, never faults.
    #[inline]
    fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), OutOfBounds> {
        let range = checked_range(offset, buf.len() as u64, self.size_bytes())?;
        buf.copy_from_slice(&self.data()[range]);
        Ok(())
    }

    /// Copies `bytes` in at `offset`; checked, writes nothing when out of bounds.
    #[inline]
    fn write(&mut self, offset: u64, bytes: &[u8]) -> Result<(), OutOfBounds> {
        let range = checked_range(offset, bytes.len() as u64, self.size_bytes())?;
        self.data_mut()[range].copy_from_slice(bytes);
        Ok(())
    }

    /// memory.fill: checks the whole range first, writes nothing when out of bounds.
    #[inline]
    fn fill(&mut self, offset: u64, byte: u8, len: u64) -> Result<(), OutOfBounds> {
        let range = checked_range(offset, len, self.size_bytes())?;
        self.data_mut()[range].fill(byte);
        Ok(())
    }

    /// memory.copy within this memory (ranges may overlap): checks both ranges first.
    #[inline]
    fn copy_within(&mut self, dst: u64, src: u64, len: u64) -> Result<(), OutOfBounds> {
        let size = self.size_bytes();
        let s = checked_range(src, len, size)?;
        checked_range(dst, len, size)?;
        self.data_mut().copy_within(s, dst as usize);
        Ok(())
    }
}

/// `offset .. offset + len` as a slice range if it lies within `size` bytes; computed without
/// wrapping. A zero-length range at exactly `size` is in bounds.
#[inline]
pub fn checked_range(offset: u64, len: u64, size: u64) -> Result<std::ops::Range<usize>, OutOfBounds> {
    match offset.checked_add(len) {
        Some(end) if end <= size => Ok(offset as usize..end as usize),
        _ => Err(OutOfBounds),
    }
}

/// Copies `len` bytes from `src` of one memory to `dst` of another (memory.copy across
/// memories, for multi-memory later). Checks both ranges before writing.
pub fn copy_between<A: LinearMemory, B: LinearMemory>(
    dst_mem: &mut A,
    dst: u64,
    src_mem: &B,
    src: u64,
    len: u64,
) -> Result<(), OutOfBounds> {
    let s = checked_range(src, len, src_mem.size_bytes())?;
    let d = checked_range(dst, len, dst_mem.size_bytes())?;
    dst_mem.data_mut()[d].copy_from_slice(&src_mem.data()[s]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_range_never_wraps() {
        assert_eq!(checked_range(0, 0, 0), Ok(0..0));
        assert_eq!(checked_range(10, 0, 10), Ok(10..10));
        assert_eq!(checked_range(11, 0, 10), Err(OutOfBounds));
        assert_eq!(checked_range(u64::MAX, 2, 10), Err(OutOfBounds));
        assert_eq!(checked_range(8, 2, 10), Ok(8..10));
        assert_eq!(checked_range(9, 2, 10), Err(OutOfBounds));
    }

    #[test]
    fn memory_type_matching_follows_limit_subtyping() {
        let t = |min, max| MemoryType::new(min, max);
        assert!(t(2, Some(3)).matches(&t(1, None)));
        assert!(t(2, Some(3)).matches(&t(2, Some(4))));
        assert!(!t(1, Some(3)).matches(&t(2, None)));
        assert!(!t(2, None).matches(&t(2, Some(4))));
        assert!(!t(2, Some(5)).matches(&t(2, Some(4))));
    }
}
