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
    use crate::engines::{CANARY, select};
    use crate::generators::{Rng, generate};
    use crate::oracles::case::run_case;
    use crate::oracles::fleet::Fleet;
    use arbitrary::Unstructured;

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

    /// The generator exists to find bounds checks that wrap at 2^32: it finds the planted one
    /// within a few dozen cases from a fixed seed (the fuzz loop's canary test asks for a few
    /// thousand executions).
    #[test]
    fn finds_the_canary_within_fifty_cases() {
        let names = select(&format!("{},redzone:checked", CANARY.name)).expect("the harness's tests build the canary");
        let mut rng = Rng::new(0xca4a);
        let found = (1..=50).find(|_| {
            let data = rng.bytes(512);
            let Ok(case) = generate(GeneratorKind::Edges, &mut Unstructured::new(&data), target::config()) else {
                return false;
            };
            let fuel = Some(target::EDGES_FUEL);
            let run = run_case("canary", &case, fuel, || Fleet::build(&names, fuel));
            run.unwrap().divergences() > 0
        });
        assert!(found.is_some(), "50 edges cases never told the canary from the checked memory");
    }
}
