//! Criterion benchmarks of the interpreter on small WAT kernels.
fn main() {}
