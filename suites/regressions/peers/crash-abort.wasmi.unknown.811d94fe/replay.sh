#!/bin/sh
# Reproduces the redzone fuzz finding crash-abort.wasmi.unknown.811d94fe
# (crash divergence, generator smith, seed 13, case 1573).
# Build redzone first, from the redzone workspace:
#   cargo build --release -p redzone-harness
# then put target/release/redzone on PATH or set REDZONE to its path.
# Exit status: 1 while it still diverges, 0 once it no longer does.
exec "${REDZONE:-redzone}" replay "$(dirname "$0")"
