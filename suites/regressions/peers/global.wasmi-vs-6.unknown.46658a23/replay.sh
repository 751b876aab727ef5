#!/bin/sh
# Reproduces the redzone fuzz finding global.wasmi-vs-6.unknown.46658a23
# (global divergence, generator smith, seed 1, case 9472).
# Build redzone first, from the redzone workspace:
#   cargo build --release -p redzone-harness
# then put target/release/redzone on PATH or set REDZONE to its path.
# Exit status: 1 while it still diverges, 0 once it no longer does.
exec "${REDZONE:-redzone}" replay "$(dirname "$0")"
