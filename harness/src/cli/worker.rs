//! `redzone worker` (hidden): the process that the harness starts to run cases in isolation
//! ([`crate::isolation`]). It speaks the worker protocol on stdin/stdout and is not meant to
//! be started by hand.

use super::Status;

/// Arguments of `redzone worker`.
#[derive(Debug, clap::Args)]
pub struct WorkerArgs {
    /// The process's RLIMIT_DATA, in bytes.
    #[arg(long, value_name = "BYTES")]
    pub memory_limit: Option<u64>,
}

/// Runs `redzone worker`.
pub fn run(args: WorkerArgs) -> anyhow::Result<Status> {
    crate::isolation::serve::serve(args.memory_limit)?;
    Ok(Status::Ok)
}
