//! The guard audit: checks guard-page reservations against the kernel's own record,
//! `/proc/self/maps`, so a guard region that was freed, remapped or left accessible (WebKit's
//! bug in seed 001) is found rather than assumed away.
//!
//! For a live memory, the audit requires the reservation `[base, base + RESERVATION)` to be
//! covered without a gap by private anonymous mappings: `rw-p` over the accessible prefix and
//! `---p` over everything past it (the accessible prefix rounded up to the host page, for a
//! 1-byte-page memory whose length ends inside one). Adjacent mappings with equal permissions may have been
//! merged by the kernel, so lines are checked by coverage, not one by one. The harness calls
//! [`audit_memories`] after runs; tests call it after instantiate, grow and drop sequences.

use super::guard::{GuardMemory, KEEP_RESIDENT, RESERVATION};
use std::fmt;

/// One line of `/proc/self/maps`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// First address.
    pub start: usize,
    /// One past the last address.
    pub end: usize,
    /// The permission field, e.g. `rw-p` or `---p`.
    pub perms: String,
    /// The inode (0 for anonymous memory).
    pub inode: u64,
    /// The path or pseudo-path (`[heap]`), empty for anonymous memory.
    pub path: String,
}

/// What the audit found wrong with a reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditError {
    /// Base of the reservation at fault.
    pub base: usize,
    /// What is wrong, with the addresses involved.
    pub what: String,
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "guard audit of the reservation at {:#x}: {}", self.base, self.what)
    }
}

impl std::error::Error for AuditError {}

/// Reads and parses `/proc/self/maps`.
pub fn read_maps() -> std::io::Result<Vec<Mapping>> {
    let text = std::fs::read_to_string("/proc/self/maps")?;
    Ok(text.lines().filter_map(parse_line).collect())
}

fn parse_line(line: &str) -> Option<Mapping> {
    let mut fields = line.split_ascii_whitespace();
    let (start, end) = fields.next()?.split_once('-')?;
    let perms = fields.next()?.to_string();
    let _offset = fields.next()?;
    let _dev = fields.next()?;
    let inode = fields.next()?.parse().ok()?;
    let path = fields.collect::<Vec<_>>().join(" ");
    Some(Mapping {
        start: usize::from_str_radix(start, 16).ok()?,
        end: usize::from_str_radix(end, 16).ok()?,
        perms,
        inode,
        path,
    })
}

/// Checks that `[from, to)` is covered without gaps by anonymous private mappings with
/// permissions `perms`.
fn check_range(maps: &[Mapping], base: usize, from: usize, to: usize, perms: &str) -> Result<(), AuditError> {
    let mut at = from;
    while at < to {
        let Some(m) = maps.iter().find(|m| m.start <= at && at < m.end) else {
            return Err(AuditError { base, what: format!("{at:#x} is not mapped (expected {perms})") });
        };
        if m.perms != perms {
            return Err(AuditError {
                base,
                what: format!(
                    "{:#x}-{:#x} is {} (expected {perms} up to {to:#x})",
                    m.start.max(from),
                    m.end.min(to),
                    m.perms
                ),
            });
        }
        if m.inode != 0 || !m.path.is_empty() {
            return Err(AuditError {
                base,
                what: format!("{:#x}-{:#x} was remapped to {:?} (inode {})", m.start, m.end, m.path, m.inode),
            });
        }
        at = m.end;
    }
    Ok(())
}

/// Audits one live memory against `maps`.
pub fn audit_in(maps: &[Mapping], memory: &GuardMemory) -> Result<(), AuditError> {
    let base = memory.reservation_base() as usize;
    // A 1-byte-page memory's length may end inside a host page: the rest of that page is
    // committed too (its accesses are checked explicitly, see `guard.rs`).
    let len = memory.committed_bytes();
    check_range(maps, base, base, base + len, "rw-p")?;
    check_range(maps, base, base + len, base + RESERVATION, "---p")
}

/// Audits every memory in `memories` against a fresh read of `/proc/self/maps`.
pub fn audit_memories(memories: &[GuardMemory]) -> Result<(), AuditError> {
    let maps = read_maps().map_err(|e| AuditError { base: 0, what: format!("cannot read /proc/self/maps: {e}") })?;
    memories.iter().try_for_each(|m| audit_in(&maps, m))
}

/// Audits a reservation no memory owns any more (dropped): it must be either unmapped
/// entirely or, when pooled for reuse, PROT_NONE past its first [`KEEP_RESIDENT`] bytes (which
/// the pool keeps zeroed and read/write).
pub fn audit_released(maps: &[Mapping], base: usize) -> Result<(), AuditError> {
    let end = base + RESERVATION;
    if !maps.iter().any(|m| m.start < end && base < m.end) {
        return Ok(());
    }
    let kept = maps.iter().find(|m| m.start <= base && base < m.end).filter(|m| m.perms == "rw-p");
    let from = kept.map_or(base, |m| m.end.min(base + KEEP_RESIDENT));
    check_range(maps, base, from, end, "---p")
}

/// Total bytes of address space mapped by this process.
pub fn mapped_bytes(maps: &[Mapping]) -> usize {
    maps.iter().map(|m| m.end - m.start).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_anonymous_and_named_lines() {
        let a = parse_line("7f0000000000-7f0200010000 ---p 00000000 00:00 0 ").unwrap();
        assert_eq!(
            (a.start, a.end, a.perms.as_str(), a.inode, a.path.as_str()),
            (0x7f00_0000_0000, 0x7f02_0001_0000, "---p", 0, "")
        );
        let b = parse_line("55d0c0000000-55d0c0021000 rw-p 00000000 00:00 0          [heap]").unwrap();
        assert_eq!(b.path, "[heap]");
    }

    #[test]
    fn gaps_wrong_permissions_and_remaps_are_reported() {
        let m = |s, e, p: &str, path: &str| Mapping { start: s, end: e, perms: p.into(), inode: 0, path: path.into() };
        let ok = [m(0x1000, 0x3000, "rw-p", ""), m(0x3000, 0x9000, "---p", "")];
        assert_eq!(check_range(&ok, 0x1000, 0x3000, 0x9000, "---p"), Ok(()));
        let gap = [m(0x1000, 0x3000, "rw-p", ""), m(0x4000, 0x9000, "---p", "")];
        assert!(check_range(&gap, 0x1000, 0x3000, 0x9000, "---p").unwrap_err().what.contains("not mapped"));
        let rw = [m(0x1000, 0x5000, "rw-p", ""), m(0x5000, 0x9000, "---p", "")];
        assert!(check_range(&rw, 0x1000, 0x3000, 0x9000, "---p").unwrap_err().what.contains("rw-p"));
        let file = [m(0x3000, 0x9000, "---p", "/tmp/x")];
        assert!(check_range(&file, 0x1000, 0x3000, 0x9000, "---p").unwrap_err().what.contains("remapped"));
    }
}
