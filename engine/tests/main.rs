//! The engine's integration tests, one binary with a module per area.

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
mod guard;
