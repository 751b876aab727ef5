//! The `redzone` binary: parses the command line and hands it to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    redzone_harness::cli::main(redzone_harness::cli::Cli::parse())
}
