//! The mutant zoo: planted engine bugs that measure how much the harness finds.
//!
//! Each [`Mutant`] is one realistic memory or table bug of a well-known class (a bounds check
//! off by one, an offset dropped from the check, a grow that passes the maximum, a copy that
//! ignores overlap, a guard region committed one page too far, ...), planted in the engine's
//! own code at the place where such a bug lives in real engines. One build serves all of
//! them: the active mutant is chosen at run time, by number or name, through [`set`] or the
//! environment variable [`ENV`] (`REDZONE_MUTANT=bounds-off-by-one`), which worker processes
//! inherit. `redzone mutants` runs one fuzz campaign, the spec testsuite and `suites/edges`
//! per mutant and prints the kill table.
//!
//! The catalogue ([`ZOO`]) is always compiled, so any build can list it; the bugs themselves
//! exist only with the `mutants` Cargo feature (never on by default). Without it [`on`] is a
//! constant `false` and every planted site compiles away: the zoo costs default builds
//! nothing. With it, each site costs one relaxed atomic load.
//!
//! Where the bugs are: guest loads and stores ([`planted::load`], [`planted::store`], called
//! from the interpreter's access macros instead of the inline access while an access mutant
//! is active), the bulk, grow and table instructions ([`planted::bulk`], called first by
//! `exec::run::bulk`), active segments (`store/instantiate.rs`), growth limits
//! (`memory::MemoryType::growth_limit`, `table::TableInstance::new`), the guard region's
//! commit (`memory/guard.rs`) and its fault handler (`memory/signals.rs`). Every planted bug
//! stays memory-safe in the host except `guard-fault-unclaimed`, which crashes the process
//! with SIGSEGV by design (process isolation must report it).

#[cfg(feature = "mutants")]
pub(crate) mod planted;

use std::sync::atomic::{AtomicU8, Ordering};

/// Whether this build has the planted bugs (the `mutants` feature).
pub const BUILT: bool = cfg!(feature = "mutants");

/// The environment variable that selects a mutant by number or name (read once, on first
/// use; [`set`] overrides it).
pub const ENV: &str = "REDZONE_MUTANT";

/// Which redzone configurations a mutant changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Both strategies (the bug is in code they share).
    Both,
    /// Only `redzone:checked` (a bug of the explicit check).
    Checked,
    /// Only `redzone:guard` (a bug of the guard region or its fault handler).
    Guard,
}

impl Scope {
    /// `both`, `checked` or `guard`.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Both => "both",
            Scope::Checked => "checked",
            Scope::Guard => "guard",
        }
    }
}

/// One planted bug of the zoo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mutant {
    /// Its number (1-based, stable: reports and findings name it).
    pub number: u8,
    /// Its name, `class-what`.
    pub name: &'static str,
    /// Its class (bounds, address, grow, bulk, segments, guard, tables, loads).
    pub class: &'static str,
    /// The configurations it changes.
    pub scope: Scope,
    /// What the bug does, in one sentence.
    pub what: &'static str,
    id: Id,
}

macro_rules! zoo {
    ($($id:ident = $n:literal, $name:literal, $class:literal, $scope:ident, $what:literal;)*) => {
        /// The planted sites' names for the mutants (one per [`Mutant`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        pub(crate) enum Id { $($id = $n,)* }

        /// Every mutant, by number.
        pub const ZOO: &[Mutant] = &[$(Mutant {
            number: $n, name: $name, class: $class, scope: Scope::$scope, what: $what, id: Id::$id,
        },)*];
    };
}

zoo! {
    BoundsOffByOne = 1, "bounds-off-by-one", "bounds", Checked,
        "the explicit check admits an access ending one byte past the end (`<= len + 1`); the byte past the end reads as zero";
    BoundsFirstByte = 2, "bounds-first-byte-only", "bounds", Checked,
        "the explicit check tests only the first byte (`ea < len`), so an access straddling the end reads zeros and writes its in-bounds part";
    BoundsStaleAfterGrow = 3, "bounds-stale-after-grow", "bounds", Checked,
        "accesses are checked against the length the memory had at instantiation, never reloaded after memory.grow";
    BoundsNarrowWidth = 4, "bounds-narrow-width", "bounds", Checked,
        "1-, 2- and 4-byte accesses are checked as if 8 bytes wide, so narrow accesses in the last 7 bytes trap";
    AddrOffsetUnchecked = 5, "addr-offset-unchecked", "address", Checked,
        "the check compares the address without the static offset (the access still uses it), so offsets past the end read zeros";
    AddrOffsetTruncated = 6, "addr-offset-truncated", "address", Both,
        "the static offset is truncated to 16 bits, as an encoding with a short immediate field would";
    AddrWrap32 = 7, "addr-wrap-32", "address", Both,
        "`addr + offset` is computed in 32-bit arithmetic and wraps at 2^32 (the canary's bug, in both strategies)";
    GrowPastMaximum = 8, "grow-past-maximum", "grow", Both,
        "memory.grow ignores the declared maximum (only the host and index limits hold)";
    GrowReturnsNew = 9, "grow-returns-new-size", "grow", Both,
        "memory.grow returns the new size instead of the old one";
    GrowNotZeroed = 10, "grow-not-zeroed", "grow", Both,
        "pages added by memory.grow are not zeroed: they start with a copy of the memory's first bytes, as recycled pages would";
    GrowContentsTruncated = 11, "grow-contents-truncated", "grow", Both,
        "memory.grow keeps only the first 64 KiB of the old contents (a copy that moved one page)";
    GrowMaxOffByOne = 12, "grow-max-off-by-one", "grow", Both,
        "memory.grow refuses to reach exactly the maximum (`>=` for `>`)";
    FillZeroLenUnchecked = 13, "fill-zero-len-unchecked", "bulk", Both,
        "memory.fill of length 0 never traps, even at a destination past the end";
    CopyForwardOnly = 14, "copy-forward-only", "bulk", Both,
        "memory.copy always copies low to high, one byte at a time, which smears overlapping ranges with dst > src";
    CopySourceUnchecked = 15, "copy-source-unchecked", "bulk", Both,
        "memory.copy checks only the destination range; source bytes past the end read as zero";
    InitDroppedSegment = 16, "init-dropped-segment", "bulk", Both,
        "data.drop is ignored: memory.init still copies from a dropped segment";
    InitSourceOffsetIgnored = 17, "init-source-offset-ignored", "bulk", Both,
        "memory.init checks the source range but copies from the start of the segment";
    InitZeroLenUnchecked = 18, "init-zero-len-unchecked", "bulk", Both,
        "memory.init of length 0 never traps, even past the end of the memory or the segment";
    DataReversed = 19, "data-segments-reversed", "segments", Both,
        "active data segments are applied last to first, so the earlier one wins where they overlap";
    DataPartialWrite = 20, "data-partial-write", "segments", Both,
        "an active data segment that does not fit writes its in-bounds prefix before trapping";
    DataBoundsOffByOne = 21, "data-bounds-off-by-one", "segments", Both,
        "an active data segment ending one byte past the end is accepted (its last byte dropped)";
    ElemPartialWrite = 22, "elem-partial-write", "segments", Both,
        "an active element segment that does not fit writes its in-bounds prefix before trapping";
    ElemBoundsOffByOne = 23, "elem-bounds-off-by-one", "segments", Both,
        "an active element segment ending one element past the end is accepted (its last element dropped)";
    GuardCommitsPastEnd = 24, "guard-commits-past-end", "guard", Guard,
        "the guard memory commits one 4 KiB page past the accessible end, so accesses just past it read and write instead of faulting";
    GuardStoreSplit = 25, "guard-store-split", "guard", Guard,
        "a store straddling the end writes its in-bounds bytes before faulting, as a wide store split into parts would";
    GuardFaultUnclaimed = 26, "guard-fault-unclaimed", "guard", Guard,
        "the fault handler claims faults only in the first 4 GiB of the reservation; a fault past that (a large offset) kills the process";
    TableOffByOne = 27, "table-get-set-off-by-one", "tables", Both,
        "table.get and table.set at index == size do not trap (get returns null, set writes nothing)";
    TableGrowPastMaximum = 28, "table-grow-past-maximum", "tables", Both,
        "table.grow ignores the declared maximum";
    TableFillZeroLenUnchecked = 29, "table-fill-zero-len-unchecked", "tables", Both,
        "table.fill of length 0 never traps, even at an index past the end";
    TableCopyForwardOnly = 30, "table-copy-forward-only", "tables", Both,
        "table.copy within a table always copies low to high, which smears overlapping ranges with dst > src";
    ElemDropIgnored = 31, "elem-drop-ignored", "tables", Both,
        "elem.drop is ignored: table.init still copies from a dropped segment";
    LoadSignDropped = 32, "load32-s-zero-extends", "loads", Both,
        "i64.load32_s zero-extends (a lowering that forgot the sign extension of a 32-bit move)";
    Load16ByteSwap = 33, "load16-byte-swapped", "loads", Both,
        "16-bit loads read their bytes big-endian";
}

/// Mutants whose site is the guest access itself: while one of them is active, guest loads
/// and stores take the planted path instead of the inline access.
#[cfg(feature = "mutants")]
const ACCESS: &[Id] = &[
    Id::BoundsOffByOne,
    Id::BoundsFirstByte,
    Id::BoundsStaleAfterGrow,
    Id::BoundsNarrowWidth,
    Id::AddrOffsetUnchecked,
    Id::AddrOffsetTruncated,
    Id::AddrWrap32,
    Id::GuardStoreSplit,
    Id::Load16ByteSwap,
];

/// The active mutant's number; 0 for none, [`UNREAD`] before the environment was read.
static ACTIVE: AtomicU8 = AtomicU8::new(UNREAD);
const UNREAD: u8 = u8::MAX;

/// The mutant named by `spec`: its number (`7`) or its name (`addr-wrap-32`).
pub fn find(spec: &str) -> Option<&'static Mutant> {
    let spec = spec.trim();
    match spec.parse::<u8>() {
        Ok(n) => ZOO.iter().find(|m| m.number == n),
        Err(_) => ZOO.iter().find(|m| m.name == spec),
    }
}

/// Why a mutant cannot be selected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// This build has no planted bugs.
    #[error(
        "this redzone was built without the mutant zoo: rebuild with `cargo build --release -p redzone-harness --features mutants`"
    )]
    NotBuilt,
    /// No mutant has that number or name.
    #[error("no mutant is called `{0}` (`redzone mutants --list` lists the {n} of them)", n = ZOO.len())]
    Unknown(String),
}

/// Activates `mutant` (or none) for the whole process, and for the worker processes it
/// starts from now on when they are given [`ENV`] = [`active`]'s name.
pub fn set(mutant: Option<&Mutant>) -> Result<(), SelectError> {
    if mutant.is_some() && !BUILT {
        return Err(SelectError::NotBuilt);
    }
    ACTIVE.store(mutant.map_or(0, |m| m.number), Ordering::Relaxed);
    Ok(())
}

/// Reads [`ENV`]: `Ok(None)` when it is unset or empty (or `none`), the mutant it names,
/// or why it cannot be used. Does not activate it.
pub fn from_env() -> Result<Option<&'static Mutant>, SelectError> {
    match std::env::var(ENV) {
        Ok(v) if !v.trim().is_empty() && v.trim() != "none" => {
            let m = find(&v).ok_or_else(|| SelectError::Unknown(v.trim().to_string()))?;
            if !BUILT {
                return Err(SelectError::NotBuilt);
            }
            Ok(Some(m))
        }
        _ => Ok(None),
    }
}

/// The active mutant, if any (reading [`ENV`] on first use; a bad value there selects
/// none: hosts validate it with [`from_env`] first).
pub fn active() -> Option<&'static Mutant> {
    let n = number();
    ZOO.iter().find(|m| m.number == n)
}

#[inline(always)]
fn number() -> u8 {
    match ACTIVE.load(Ordering::Relaxed) {
        UNREAD => read_env(),
        n => n,
    }
}

#[cold]
#[inline(never)]
fn read_env() -> u8 {
    let n = from_env().ok().flatten().map_or(0, |m| m.number);
    // Another thread may have called `set` meanwhile: theirs wins.
    match ACTIVE.compare_exchange(UNREAD, n, Ordering::Relaxed, Ordering::Relaxed) {
        Ok(_) => n,
        Err(now) => now,
    }
}

/// Whether planted bug `id` is active. A constant `false` without the `mutants` feature.
#[inline(always)]
pub(crate) fn on(id: Id) -> bool {
    cfg!(feature = "mutants") && number() == id as u8
}

/// [`on`] for a signal handler: no environment read (the variable was read before any guest
/// code could fault, by the first guest access or instantiation).
#[inline(always)]
pub(crate) fn on_in_signal_handler(id: Id) -> bool {
    cfg!(feature = "mutants") && ACTIVE.load(Ordering::Relaxed) == id as u8
}

/// Whether an access mutant is active (guest loads and stores then go through
/// [`planted::load`] and [`planted::store`]).
#[cfg(feature = "mutants")]
#[inline(always)]
pub(crate) fn access_on() -> bool {
    let n = number();
    n != 0 && ACCESS.iter().any(|&id| id as u8 == n)
}

/// An active data segment under the active mutant ([`planted::data_segment`]): `Some` with
/// the outcome when a mutant changes it; always `None` without the feature.
#[inline(always)]
pub(crate) fn data_segment<M: crate::LinearMemory>(
    mem: &mut M,
    at: u64,
    bytes: &[u8],
) -> Option<Result<(), crate::memory::OutOfBounds>> {
    #[cfg(feature = "mutants")]
    return planted::data_segment(mem, at, bytes);
    #[cfg(not(feature = "mutants"))]
    {
        let _ = (mem, at, bytes);
        None
    }
}

/// An active element segment under the active mutant ([`planted::elem_segment`]), as
/// [`data_segment`].
#[inline(always)]
pub(crate) fn elem_segment(
    table: &mut crate::table::TableInstance,
    at: u64,
    items: &[u64],
) -> Option<Result<(), crate::table::TableOutOfBounds>> {
    #[cfg(feature = "mutants")]
    return planted::elem_segment(table, at, items);
    #[cfg(not(feature = "mutants"))]
    {
        let _ = (table, at, items);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zoo_is_numbered_densely_with_unique_names() {
        assert!(ZOO.len() >= 24, "the issue asks for at least 24 mutants");
        for (i, m) in ZOO.iter().enumerate() {
            assert_eq!(m.number as usize, i + 1, "{}", m.name);
            assert_eq!(m.id as u8, m.number);
            assert_eq!(ZOO.iter().filter(|o| o.name == m.name).count(), 1, "{} twice", m.name);
            assert_eq!(find(m.name), Some(m));
            assert_eq!(find(&m.number.to_string()), Some(m));
        }
        assert_eq!(find("no-such-bug"), None);
        assert_eq!(find("0"), None);
    }

    #[cfg(not(feature = "mutants"))]
    #[test]
    fn without_the_feature_nothing_can_be_switched_on() {
        assert_eq!(set(Some(&ZOO[0])), Err(SelectError::NotBuilt));
        assert!(!on(Id::BoundsOffByOne));
        assert!(SelectError::NotBuilt.to_string().contains("--features mutants"));
    }
}
