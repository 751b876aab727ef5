//! Byte-level mutations of module binaries: what a corrupted download, a buggy producer or a
//! hostile sender would hand an engine. Each mutation is small and keeps most of the module
//! intact, so decoding gets past the header and exercises the section parsers and the
//! validator rather than stopping at the magic number.

use super::Rng;
use serde::Serialize;

/// One mutation, recorded so a failing case can be described and replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mutation {
    /// Keep only the first `len` bytes.
    Truncate {
        /// New length.
        len: usize,
    },
    /// Flip bit `bit` of byte `at`.
    FlipBit {
        /// Byte offset.
        at: usize,
        /// Bit number, 0..8.
        bit: u8,
    },
    /// Overwrite byte `at` with `value`.
    SetByte {
        /// Byte offset.
        at: usize,
        /// New value.
        value: u8,
    },
    /// Insert `value` before byte `at`.
    Insert {
        /// Byte offset.
        at: usize,
        /// Inserted value.
        value: u8,
    },
    /// Delete `len` bytes from `at`.
    Delete {
        /// Byte offset.
        at: usize,
        /// Bytes removed.
        len: usize,
    },
}

impl Mutation {
    /// A random mutation that applies to a module of `len` bytes (`len` > 0).
    pub fn random(rng: &mut Rng, len: usize) -> Mutation {
        let at = rng.below(len as u64) as usize;
        // Boundary-ish bytes are where LEB128 lengths and counts break most interestingly.
        const VALUES: [u8; 8] = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x41, 0x0b];
        let value =
            if rng.below(2) == 0 { VALUES[rng.below(VALUES.len() as u64) as usize] } else { rng.next_u64() as u8 };
        match rng.below(5) {
            0 => Mutation::Truncate { len: at },
            1 => Mutation::FlipBit { at, bit: rng.below(8) as u8 },
            2 => Mutation::SetByte { at, value },
            3 => Mutation::Insert { at, value },
            _ => Mutation::Delete { at, len: 1 + rng.below(4.min((len - at) as u64)) as usize },
        }
    }

    /// The mutated copy of `bytes`. Offsets past the end are clamped, so any mutation applies
    /// to any input.
    pub fn apply(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        let clamp = |at: usize| at.min(out.len());
        match *self {
            Mutation::Truncate { len } => out.truncate(len),
            Mutation::FlipBit { at, bit } => {
                if let Some(b) = out.get_mut(at) {
                    *b ^= 1 << (bit & 7);
                }
            }
            Mutation::SetByte { at, value } => {
                if let Some(b) = out.get_mut(at) {
                    *b = value;
                }
            }
            Mutation::Insert { at, value } => {
                let at = clamp(at);
                out.insert(at, value);
            }
            Mutation::Delete { at, len } => {
                let at = clamp(at);
                let end = (at + len).min(out.len());
                out.drain(at..end);
            }
        }
        out
    }
}

/// `count` mutants of `bytes` from `rng`, each with one to three stacked mutations.
pub fn mutants(bytes: &[u8], rng: &mut Rng, count: usize) -> Vec<(Vec<Mutation>, Vec<u8>)> {
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let mut current = bytes.to_vec();
        let mut applied = Vec::new();
        for _ in 0..1 + rng.below(3) {
            if current.is_empty() {
                break;
            }
            let m = Mutation::random(rng, current.len());
            current = m.apply(&current);
            applied.push(m);
        }
        out.push((applied, current));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_apply_as_described() {
        let b = [1u8, 2, 3, 4];
        assert_eq!(Mutation::Truncate { len: 2 }.apply(&b), vec![1, 2]);
        assert_eq!(Mutation::FlipBit { at: 0, bit: 1 }.apply(&b), vec![3, 2, 3, 4]);
        assert_eq!(Mutation::SetByte { at: 3, value: 9 }.apply(&b), vec![1, 2, 3, 9]);
        assert_eq!(Mutation::Insert { at: 1, value: 9 }.apply(&b), vec![1, 9, 2, 3, 4]);
        assert_eq!(Mutation::Delete { at: 2, len: 5 }.apply(&b), vec![1, 2]);
        assert_eq!(Mutation::SetByte { at: 99, value: 9 }.apply(&b), b.to_vec(), "clamped");
    }

    #[test]
    fn mutants_are_deterministic_and_differ_from_the_input() {
        let module = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x04\x01\x02\0\x0b";
        let a = mutants(module, &mut Rng::new(42), 50);
        let b = mutants(module, &mut Rng::new(42), 50);
        assert_eq!(a, b);
        let changed = a.iter().filter(|(_, m)| m.as_slice() != module).count();
        assert!(changed >= 45, "almost every mutant differs from the input ({changed}/50)");
    }
}
