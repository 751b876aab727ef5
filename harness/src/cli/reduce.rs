//! `redzone reduce`: scaffolding; the issue that owns this verb fills it in.

use super::Status;

/// Arguments of `redzone reduce`.
#[derive(Debug, clap::Args)]
pub struct ReduceArgs {}

/// Runs `redzone reduce`.
pub fn run(_args: ReduceArgs) -> anyhow::Result<Status> {
    anyhow::bail!("redzone reduce is not built yet")
}
