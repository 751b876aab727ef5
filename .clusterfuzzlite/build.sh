#!/bin/bash -eu
# Builds every cargo-fuzz target of fuzz/ with the sanitizer flags ClusterFuzzLite sets
# (address only, for Rust) and copies the binaries where it runs them from.
cd "$SRC/redzone"
cargo fuzz build -O
for target in load differential edges mutate abi; do
    cp "fuzz/target/x86_64-unknown-linux-gnu/release/$target" "$OUT/"
done
