//! `redzone replay`: scaffolding; the issue that owns this verb fills it in.

use super::Status;

/// Arguments of `redzone replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {}

/// Runs `redzone replay`.
pub fn run(_args: ReplayArgs) -> anyhow::Result<Status> {
    anyhow::bail!("redzone replay is not built yet")
}
