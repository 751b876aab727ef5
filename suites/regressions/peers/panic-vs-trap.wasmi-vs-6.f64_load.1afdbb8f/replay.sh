#!/bin/sh
# Reproduces the redzone fuzz finding panic-vs-trap.wasmi-vs-6.f64_load.1afdbb8f
# (crash divergence, generator smith, seed 5, case 7659).
# Build redzone first, from the redzone workspace:
#   cargo build --release -p redzone-harness
# then put target/release/redzone on PATH or set REDZONE to its path.
# Exit status: 1 while it still diverges, 0 once it no longer does.
exec "${REDZONE:-redzone}" replay "$(dirname "$0")"
