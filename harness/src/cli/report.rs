//! `redzone report`: scaffolding; the issue that owns this verb fills it in.

use super::Status;

/// Arguments of `redzone report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {}

/// Runs `redzone report`.
pub fn run(_args: ReportArgs) -> anyhow::Result<Status> {
    anyhow::bail!("redzone report is not built yet")
}
