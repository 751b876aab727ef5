//! The `differential` fuzz target: a wasm-smith module configured for memory
//! (`generators::smith`), every export called with seeded arguments, on the fuzz fleet
//! (`target::engine_names`); panics on a divergence.

use super::target::{self, Ran};
use crate::generators::GeneratorKind;

/// Runs one input. `None` when the bytes make no module.
///
/// # Panics
/// When the engines diverge.
pub fn run(data: &[u8]) -> Option<Ran> {
    target::run(GeneratorKind::Smith, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoke() {
        let totals = target::smoke(run, 0xd1ff, 100, 4096);
        assert!(totals.cases >= 90, "{totals:?}");
        assert!(totals.instantiated >= 50, "most smith modules instantiate: {totals:?}");
        assert!(totals.ran.calls >= 100 && totals.ran.returned > 0 && totals.ran.trapped > 0, "{totals:?}");
    }
}
