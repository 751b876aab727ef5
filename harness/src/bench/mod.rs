//! Benchmarks: the workloads of `suites/bench/` on every configuration, and the results
//! document ([`results::Results`]) that `redzone bench` writes and `redzone report` and
//! `redzone gate` read.

pub mod results;
