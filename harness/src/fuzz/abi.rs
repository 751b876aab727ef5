//! The `abi` fuzz target: arbitrary inputs through the `suites/abi/` guests
//! (`generators::abi`), each round trip compared on the fuzz fleet
//! (`target::engine_names`): outputs, ABI errors and memories; panics on a divergence.

use super::target::{self, Ran};
use crate::generators::GeneratorKind;

/// Runs one input. `None` when the bytes make no case.
///
/// # Panics
/// When the engines diverge.
pub fn run(data: &[u8]) -> Option<Ran> {
    target::run(GeneratorKind::Abi, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoke() {
        let totals = target::smoke(run, 0xab1, 100, 256);
        assert_eq!((totals.cases, totals.instantiated), (100, 100), "the guests always instantiate: {totals:?}");
        assert!(totals.ran.calls >= 150 && totals.ran.returned >= 100, "{totals:?}");
        assert!(totals.ran.trapped > 0, "broken guests and bad inputs give ABI errors: {totals:?}");
    }
}
