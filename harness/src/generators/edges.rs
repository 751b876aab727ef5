//! The `edges` generator: redzone's own modules aimed at the memory boundary (being written;
//! until then every input is `IncorrectFormat`).

use super::case::TestCase;
use arbitrary::Unstructured;

/// Settings of the `edges` generator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EdgesConfig {}

/// Not built yet: every input is skipped.
pub fn generate(_u: &mut Unstructured, _config: &EdgesConfig) -> arbitrary::Result<TestCase> {
    Err(arbitrary::Error::IncorrectFormat)
}
