//! The `mutate` fuzz target: a wasm-mutate mutant of a corpus module (`generators::mutate`),
//! every export called with seeded arguments, on the fuzz fleet (`target::engine_names`);
//! panics on a divergence.

use super::target::{self, Ran};
use crate::generators::GeneratorKind;

/// Runs one input. `None` when the bytes make no valid mutant.
///
/// # Panics
/// When the engines diverge.
pub fn run(data: &[u8]) -> Option<Ran> {
    target::run(GeneratorKind::Mutate, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoke() {
        let totals = target::smoke(run, 0x3a7e, 100, 64);
        assert!(totals.cases >= 70, "{totals:?}");
        assert!(totals.instantiated >= 50, "{totals:?}");
        assert!(totals.ran.calls >= 100 && totals.ran.returned > 0 && totals.ran.trapped > 0, "{totals:?}");
    }
}
