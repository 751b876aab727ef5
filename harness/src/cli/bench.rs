//! `redzone bench`: scaffolding; the issue that owns this verb fills it in.

use super::Status;

/// Arguments of `redzone bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {}

/// Runs `redzone bench`.
pub fn run(_args: BenchArgs) -> anyhow::Result<Status> {
    anyhow::bail!("redzone bench is not built yet")
}
