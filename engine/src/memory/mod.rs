//! Linear memory: one trait, one file per bounds-check strategy.
//!
//! - [`checked`]: explicit `ea + size <= len` on every access (`redzone:checked`).
//! - [`guard`]: an 8 GiB reservation whose inaccessible part is PROT_NONE, so loads and stores
//!   carry no check and an out-of-bounds access faults (`redzone:guard`); `signals` turns the
//!   fault into a trap and [`audit`] checks the reservations against `/proc/self/maps`. Only
//!   on x86_64 Linux: elsewhere [`Strategy::default`] is `Checked`.
//! - `canary` (only with the `canary` feature): the checked memory with a planted bug, the
//!   fuzz loop's self-test (`redzone:canary`), and the crash canary, whose planted dangling
//!   read kills the process (`redzone:crash-canary`); see [`CANARY_BUILT`].
//!
//! Which strategy a store uses is its type parameter; [`Strategy`] is the run-time name of
//! that choice (the harness matches on it to build a `Store<GuardMemory>` or a
//! `Store<CheckedMemory>`), and [`Strategy::for_memory`] says when a memory cannot use guard
//! pages and falls back to `Checked`.
//!
//! The interpreter is generic over [`LinearMemory`], so each strategy gets its own
//! monomorphized code and no access branches on the strategy at run time. Its guest accesses
//! are inline assembly chosen by [`LinearMemory::GUEST_ACCESS`] (the same code around the
//! access in both built-in strategies, see `exec/access.rs`), or calls of
//! [`LinearMemory::guest_load`] / [`LinearMemory::guest_store`] for other strategies, with
//! the effective address `addr + offset` computed by the caller in 64-bit arithmetic (never
//! wrapping). Host accesses
//! and bulk operations go through the explicitly checked helpers, which never fault in either
//! strategy.
//!
//! To add a strategy: a new file implementing [`LinearMemory`], and a store type using it.

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
pub mod audit;
#[cfg(feature = "canary")]
pub mod canary;
pub mod checked;
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
pub mod guard;
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
mod signals;

#[cfg(feature = "canary")]
pub use canary::{CanaryMemory, CrashCanaryMemory};
pub use checked::CheckedMemory;

/// Whether this build has the canary strategy (the `canary` feature): [`CanaryMemory`] is
/// then the checked memory with a planted bug, for the fuzz loop's self-test.
pub const CANARY_BUILT: bool = cfg!(feature = "canary");

/// Without the `canary` feature the name exists so that hosts compile unchanged, but it is
/// the correct [`CheckedMemory`]: hosts check [`CANARY_BUILT`] before offering it, and no
/// planted bug is compiled in.
#[cfg(not(feature = "canary"))]
pub type CanaryMemory = CheckedMemory;

/// Without the `canary` feature, like [`CanaryMemory`]: the correct [`CheckedMemory`] under
/// the crash canary's name, never offered ([`CANARY_BUILT`] is false).
#[cfg(not(feature = "canary"))]
pub type CrashCanaryMemory = CheckedMemory;
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
pub use guard::GuardMemory;

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
    /// Whether addresses are 64-bit (memory64).
    pub index64: bool,
    /// Log2 of the page size: 16 (64 KiB), or 0 (1 byte) under the custom-page-sizes
    /// proposal. The loader accepts only these two, as the proposal does.
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

    /// Whether the page size is not the default 64 KiB (custom-page-sizes): such a memory's
    /// length need not be a multiple of the host page, so guard pages cannot catch an access
    /// past it.
    pub fn custom_page_size(&self) -> bool {
        self.page_size_log2 != WASM_PAGE_SIZE_LOG2
    }

    /// The largest number of pages the index type allows: 2^16 or 2^48 pages of 64 KiB, and
    /// for 1-byte pages 2^32 - 1 or 2^64 - 1 bytes, so that the size in bytes (and the size in
    /// pages, which memory.size returns in the index type) fits the index type.
    pub fn absolute_max_pages(&self) -> u64 {
        let (index_bits, most) = if self.index64 { (64, u64::MAX) } else { (32, u32::MAX as u64) };
        ((1u128 << index_bits) >> self.page_size_log2.min(WASM_PAGE_SIZE_LOG2)).min(most as u128) as u64
    }

    /// Whether a memory of type `self` may be imported where `expected` is declared
    /// (limits subtyping, as in the spec's import matching).
    pub fn matches(&self, expected: &MemoryType) -> bool {
        self.index64 == expected.index64
            && self.page_size_log2 == expected.page_size_log2
            && limits_match(self.minimum, self.maximum, expected.minimum, expected.maximum)
    }

    /// The most pages a memory of this type may reach: the smallest of the declared maximum,
    /// the host limit and the index type's limit. Errors when the minimum is already above it.
    pub(crate) fn growth_limit(&self, host_limit_pages: Option<u64>) -> Result<u64, Error> {
        let mut max_pages = self.absolute_max_pages();
        if let Some(m) = self.maximum.filter(|_| !crate::mutants::on(crate::mutants::Id::GrowPastMaximum)) {
            max_pages = max_pages.min(m);
        }
        if let Some(h) = host_limit_pages {
            // The host's cap counts 64 KiB pages whatever the memory's page size: a byte cap.
            max_pages = max_pages.min(h.saturating_mul(WASM_PAGE_SIZE) >> self.page_size_log2);
        }
        if self.minimum > max_pages {
            return Err(Error::limit(format!(
                "memory needs {} pages at start but at most {max_pages} are allowed",
                self.minimum
            )));
        }
        Ok(max_pages)
    }
}

/// Limits subtyping for imports: at least the expected minimum, and a maximum no larger than
/// the expected one (none when none is expected is fine; none when one is expected is not).
pub(crate) fn limits_match(min: u64, max: Option<u64>, want_min: u64, want_max: Option<u64>) -> bool {
    min >= want_min
        && match (max, want_max) {
            (_, None) => true,
            (Some(a), Some(b)) => a <= b,
            (None, Some(_)) => false,
        }
}

/// An access fell outside the accessible part of a memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfBounds;

mod sealed {
    pub trait Sealed {}
}

/// A scalar that a wasm load or store moves: the unsigned and signed integers of 1, 2, 4 and
/// 8 bytes, and `u128` for the 16-byte `v128` accesses. Floats travel as their bits.
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
    /// The value whose little-endian bytes are the low `SIZE` bytes of `bits` (for `SIZE <=
    /// 8`): what a load into a 64-bit register reads. In registers, not through memory.
    fn from_bits(bits: u64) -> Self;
    /// The value's little-endian bytes, zero-extended to 64 bits (for `SIZE <= 8`).
    fn to_bits(self) -> u64;
}

macro_rules! scalar {
    ($($t:ty => $u:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Scalar for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline(always)]
            fn from_bits(bits: u64) -> Self {
                bits as $u as $t
            }
            #[inline(always)]
            fn to_bits(self) -> u64 {
                self as $u as u64
            }
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
scalar!(u8 => u8, u16 => u16, u32 => u32, u64 => u64, u128 => u128, i8 => u8, i16 => u16, i32 => u32, i64 => u64);

/// How the interpreter performs a guest load or store on a memory (`exec/access.rs`).
///
/// The two inline kinds are the same machine code around the access in every strategy (the
/// same operands in the same registers, the same jump to the trap path, taken or not), so that the
/// interpreter's handlers compile identically for both and a guard/checked comparison measures
/// the bounds check alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestAccess {
    /// Inline, one `mov` with no check: an access out of bounds faults and the strategy's
    /// `run_guest` recovers (the guard strategy).
    Unchecked,
    /// Inline, `ea + size <= len` compared before the `mov` (the checked strategy).
    Checked,
    /// Through [`LinearMemory::guest_load`] / [`LinearMemory::guest_store`]: strategies
    /// with semantics of their own (the canary, test doubles).
    Call,
}

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

    /// How interpreted code accesses this memory. `Unchecked` and `Checked` read
    /// [`LinearMemory::raw_parts`] and access the bytes directly; `Unchecked` requires
    /// `SIGNAL_TRAPS` and a reservation that covers every effective address plus 8 bytes.
    const GUEST_ACCESS: GuestAccess = GuestAccess::Call;

    /// The interpreter's handlers for this strategy, without and with fuel (`exec/threaded.rs`).
    /// The strategies of this crate name theirs in a static, so that the handlers are
    /// compiled, optimised, in this crate; the default (for test doubles) is compiled wherever
    /// the strategy is first used, optimised only if that crate is.
    #[doc(hidden)]
    fn handlers() -> &'static [crate::exec::Handlers; 2] {
        &crate::exec::Promoted::<Self>::BOTH
    }

    /// The base address of the bytes and the accessible length, for inline guest accesses
    /// ([`GuestAccess::Unchecked`] and [`GuestAccess::Checked`]). Strategies that use
    /// [`GuestAccess::Call`] need not override it.
    #[inline(always)]
    fn raw_parts(&self) -> (*mut u8, u64) {
        (std::ptr::null_mut(), 0)
    }

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
    /// A signal-trapping strategy's `load`/`store` are compiler barriers for memory (the
    /// guard strategy's are non-`nomem` inline assembly), so state the caller stored through
    /// pointers before an access (the interpreter's location of the access) is in memory when
    /// a fault returns here. A panic in `f` is caught inside and resumed from here, so it
    /// never unwinds through the strategy's non-Rust frames.
    ///
    /// # Safety
    /// `memories` must stay valid and unmoved while `f` runs. No frame between this call and
    /// a faulting access may own a value with a pending destructor: a fault abandons those
    /// frames without unwinding them. Host code called from `f` should run inside
    /// [`LinearMemory::run_host`], which lifts that rule for the host's frames. The guard
    /// strategy checks at compile time that `f` itself owns nothing with a destructor.
    #[inline(always)]
    unsafe fn run_guest<R>(memories: *const [Self], f: impl FnOnce() -> R) -> Result<R, OutOfBounds> {
        let _ = memories;
        Ok(f())
    }

    /// Runs host code `f` (a host function) called from guest code inside [`run_guest`].
    /// A signal-trapping strategy suspends its fault handler's claim while `f` runs, so a
    /// fault in host code is never taken for a guest trap and never abandons the host's
    /// frames; host code may call [`run_guest`] again (nested activations).
    ///
    /// [`run_guest`]: LinearMemory::run_guest
    #[inline(always)]
    fn run_host<R>(f: impl FnOnce() -> R) -> R {
        f()
    }

    /// Checks this memory's reservation against the operating system's record of it (the
    /// guard audit: everything past the accessible size PROT_NONE, nothing freed or
    /// remapped). Strategies without a reservation have nothing to audit and return `Ok`.
    fn audit(&self) -> Result<(), String> {
        Ok(())
    }

    /// A guest load at effective address `ea`.
    fn load<T: Scalar>(&self, ea: u64) -> Result<T, OutOfBounds>;

    /// A guest store at effective address `ea`. A store that traps writes nothing.
    fn store<T: Scalar>(&mut self, ea: u64, v: T) -> Result<(), OutOfBounds>;

    /// A load by interpreted guest code: [`LinearMemory::load`] plus the access's `site`, an
    /// opaque value that identifies the instruction (the interpreter passes its instruction
    /// pointer). A signal-trapping strategy keeps `site` in a fixed register during the
    /// access, so that its fault handler can read it from the signal context and
    /// [`LinearMemory::take_fault_site`] can hand it back: no bookkeeping is stored before
    /// the access. Explicitly checked strategies ignore it.
    #[inline(always)]
    fn guest_load<T: Scalar>(&self, ea: u64, site: usize) -> Result<T, OutOfBounds> {
        let _ = site;
        self.load(ea)
    }

    /// A store by interpreted guest code: [`LinearMemory::store`] plus the access's `site`,
    /// as for [`LinearMemory::guest_load`].
    #[inline(always)]
    fn guest_store<T: Scalar>(&mut self, ea: u64, v: T, site: usize) -> Result<(), OutOfBounds> {
        let _ = site;
        self.store(ea, v)
    }

    /// After [`LinearMemory::run_guest`] returned `Err(OutOfBounds)` on this thread: the
    /// `site` of the guest access that faulted, when the strategy knows it (then it is the
    /// value passed to `guest_load`/`guest_store`). Taken: a second call returns `None`.
    fn take_fault_site() -> Option<usize> {
        None
    }

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

/// Whether this build has the guard-page strategy (x86_64 Linux).
pub const GUARD_AVAILABLE: bool = cfg!(all(target_os = "linux", target_arch = "x86_64"));

/// The bounds-check strategy of a store, chosen at run time.
///
/// A store's strategy is its memory type parameter (`Store<GuardMemory>` or
/// `Store<CheckedMemory>`), so each gets its own monomorphized interpreter; this enum is how
/// a host names the choice and matches on it. `Strategy::default()` is `Guard` where the
/// guard strategy exists (x86_64 Linux) and `Checked` elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// Guard pages and signal-based traps: no bounds check on guest accesses.
    Guard,
    /// An explicit bounds check on each guest access.
    Checked,
}

impl Default for Strategy {
    fn default() -> Self {
        if GUARD_AVAILABLE { Strategy::Guard } else { Strategy::Checked }
    }
}

impl Strategy {
    /// The strategy's name, as in the engine configurations (`guard`, `checked`).
    pub const fn name(self) -> &'static str {
        match self {
            Strategy::Guard => "guard",
            Strategy::Checked => "checked",
        }
    }

    /// Parses `guard` or `checked`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "guard" => Some(Strategy::Guard),
            "checked" => Some(Strategy::Checked),
            _ => None,
        }
    }

    /// The strategy this build can actually run for a request: `Guard` falls back to
    /// `Checked` where the guard strategy does not exist, with the reason.
    pub fn available(self) -> (Strategy, Option<&'static str>) {
        match self {
            Strategy::Guard if !GUARD_AVAILABLE => {
                (Strategy::Checked, Some("guard-page memory needs x86_64 Linux; using the checked strategy"))
            }
            s => (s, None),
        }
    }

    /// The strategy a memory of type `ty` gets when `self` is requested: `Guard` falls back
    /// to `Checked` (with the reason) on targets without the guard strategy, and for custom
    /// page sizes. A 1-byte-page memory's length is not a multiple of the host page, so the
    /// bytes between it and the next host page would be readable: in a guard store such a
    /// memory still lives in a guard reservation, but every access to it is checked in full
    /// against its length on the out-of-line path (`exec/simd.rs`), as `redzone:checked`
    /// checks. memory64 memories keep `Guard`: their accesses compare the address once
    /// against the length and let the guard region cover the static offset (see
    /// `exec/access.rs`). Each memory of a store is decided on its own.
    pub fn for_memory(self, ty: &MemoryType) -> (Strategy, Option<&'static str>) {
        let (s, why) = self.available();
        if s != Strategy::Guard {
            return (s, why);
        }
        if ty.custom_page_size() {
            return (
                Strategy::Checked,
                Some(
                    "its length is not a multiple of the host page, so guard pages cannot catch an access past it: every access is checked explicitly",
                ),
            );
        }
        (Strategy::Guard, None)
    }

    /// How accesses to a memory of type `ty` are bounds-checked when `self` is requested,
    /// in words: the strategy of [`Strategy::for_memory`] and what it does for this memory
    /// (for `redzone engines --module`).
    pub fn describe_memory(self, ty: &MemoryType) -> (Strategy, String) {
        let (s, why) = self.for_memory(ty);
        let how = match (s, why) {
            (_, Some(why)) => why.to_string(),
            (Strategy::Guard, None) if ty.index64 => "guard pages, plus one compare of the address against the length \
                (the guard region covers static offsets below 2^32)"
                .to_string(),
            (Strategy::Guard, None) => "guard pages: no check, an access past the length faults".to_string(),
            (Strategy::Checked, None) => "explicit `ea + size <= len` check on every access".to_string(),
        };
        (s, how)
    }
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
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
    fn strategy_falls_back_to_checked_where_guard_pages_cannot_apply() {
        assert_eq!(Strategy::default() == Strategy::Guard, GUARD_AVAILABLE);
        assert_eq!(Strategy::from_name("guard"), Some(Strategy::Guard));
        assert_eq!(Strategy::from_name(Strategy::Checked.name()), Some(Strategy::Checked));
        assert_eq!(Strategy::from_name("fast"), None);
        let plain = MemoryType::new(1, None);
        let mut wide = plain;
        wide.index64 = true;
        let mut tiny = plain;
        tiny.page_size_log2 = 0;
        assert_eq!(Strategy::Checked.for_memory(&wide), (Strategy::Checked, None));
        assert_eq!(Strategy::Guard.for_memory(&wide).0, Strategy::default(), "memory64 keeps guard pages");
        let (s, why) = Strategy::Guard.for_memory(&tiny);
        assert_eq!(s, Strategy::Checked);
        assert!(why.is_some());
        assert_eq!(Strategy::Guard.for_memory(&plain).0, Strategy::default());
        let (s, how) = Strategy::Guard.describe_memory(&tiny);
        assert_eq!(s, Strategy::Checked);
        assert!(how.contains("explicitly"), "{how}");
        assert!(Strategy::Checked.describe_memory(&plain).1.contains("ea + size <= len"));
        if GUARD_AVAILABLE {
            assert!(Strategy::Guard.describe_memory(&wide).1.contains("one compare"));
            assert!(Strategy::Guard.describe_memory(&plain).1.contains("faults"));
        }
    }

    #[test]
    fn page_size_limits_keep_the_size_inside_the_index_type() {
        let t = |index64, page_size_log2| MemoryType { index64, page_size_log2, ..MemoryType::new(0, None) };
        assert_eq!(t(false, 16).absolute_max_pages(), 1 << 16);
        assert_eq!(t(true, 16).absolute_max_pages(), 1 << 48);
        assert_eq!(t(false, 0).absolute_max_pages(), u32::MAX as u64, "2^32 - 1 bytes");
        assert_eq!(t(true, 0).absolute_max_pages(), u64::MAX, "2^64 - 1 bytes");
        assert!(t(false, 0).custom_page_size() && !t(false, 16).custom_page_size());
        // The host cap counts 64 KiB pages, so it caps 1-byte pages at the same byte count.
        assert_eq!(t(false, 0).growth_limit(Some(2)).unwrap(), 2 << 16);
        assert_eq!(t(false, 16).growth_limit(Some(2)).unwrap(), 2);
        assert_eq!(t(true, 0).growth_limit(Some(u64::MAX)).unwrap(), u64::MAX, "no overflow");
        let too_big = MemoryType { page_size_log2: 0, ..MemoryType::new(1 << 17, None) };
        assert!(too_big.growth_limit(Some(1)).is_err());
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
