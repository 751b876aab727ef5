//! The `edges` fuzz target: a boundary module (`generators::edges`) and its listed calls on
//! the fuzz fleet (`target::engine_names`); panics on a divergence.

use super::target::{self, Ran};
use crate::generators::GeneratorKind;

/// Runs one input. `None` when the bytes make no module.
///
/// # Panics
/// When the engines diverge.
pub fn run(data: &[u8]) -> Option<Ran> {
    target::run(GeneratorKind::Edges, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoke() {
        let totals = target::smoke(run, 0xed6e, 100, 512);
        assert_eq!(totals.cases, 100, "{totals:?}");
        assert!(totals.instantiated >= 80, "few data segments overrun: {totals:?}");
        assert!(
            totals.ran.returned >= 50 && totals.ran.trapped >= 50,
            "boundary calls both trap and return: {totals:?}"
        );
    }
}
