//! `redzone fuzz`: scaffolding; the issue that owns this verb fills it in.

use super::Status;

/// Arguments of `redzone fuzz`.
#[derive(Debug, clap::Args)]
pub struct FuzzArgs {}

/// Runs `redzone fuzz`.
pub fn run(_args: FuzzArgs) -> anyhow::Result<Status> {
    anyhow::bail!("redzone fuzz is not built yet")
}
