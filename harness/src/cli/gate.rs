//! `redzone gate`: scaffolding; the issue that owns this verb fills it in.

use super::Status;

/// Arguments of `redzone gate`.
#[derive(Debug, clap::Args)]
pub struct GateArgs {}

/// Runs `redzone gate`.
pub fn run(_args: GateArgs) -> anyhow::Result<Status> {
    anyhow::bail!("redzone gate is not built yet")
}
