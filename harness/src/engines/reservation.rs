//! What the kernel says lies at and after an address, read from `/proc/self/maps`: how many
//! bytes from there on are readable and writable, and how many inaccessible (PROT_NONE)
//! bytes follow them. Tests use it to prove that a configuration's memory really sits in a
//! guard reservation (or really does not), instead of trusting the configuration they set.
//!
//! Adjacent mappings can only make the numbers larger (the kernel merges neighbours with the
//! same protection), so tests assert lower bounds on guards, never upper bounds.

/// The module the strategy proofs grow and poke: one exported memory `mem` of one page,
/// `grow(pages)`, `poke(addr)` writing 0x5a, `peek(addr)` reading a byte.
pub const GROWER: &str = r#"(module
  (memory (export "mem") 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "poke") (param i32) (i32.store8 (local.get 0) (i32.const 0x5a)))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))"#;

/// The mapping around one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    /// Readable and writable bytes from the address on.
    pub accessible: u64,
    /// Inaccessible bytes right after those.
    pub guard: u64,
}

/// The mapping at `addr`, or `None` when no mapping contains it.
pub fn at(addr: usize) -> Option<Reservation> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    let mut mappings: Vec<(u64, u64, String)> = maps
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (start, end) = fields.next()?.split_once('-')?;
            let perms = fields.next()?.to_string();
            Some((u64::from_str_radix(start, 16).ok()?, u64::from_str_radix(end, 16).ok()?, perms))
        })
        .collect();
    mappings.sort_by_key(|m| m.0);
    let addr = addr as u64;
    let first = mappings.iter().position(|(start, end, _)| (*start..*end).contains(&addr))?;
    let mut reservation = Reservation { accessible: 0, guard: 0 };
    let mut cursor = addr;
    for (start, end, perms) in &mappings[first..] {
        if *start > cursor {
            break;
        }
        let len = end - cursor;
        if perms.starts_with("rw") && reservation.guard == 0 {
            reservation.accessible += len;
        } else if perms.starts_with("---") {
            reservation.guard += len;
        } else {
            break;
        }
        cursor = *end;
    }
    Some(reservation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heap_buffer_is_accessible_and_an_unmapped_address_is_not_found() {
        let buffer = vec![1u8; 1 << 16];
        let found = at(buffer.as_ptr() as usize).expect("the heap is mapped");
        assert!(found.accessible >= 1 << 16, "{found:?}");
        assert_eq!(at(0), None, "nothing is mapped at address 0");
    }
}
