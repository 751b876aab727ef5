//! The WebAssembly features the engine implements, and naming the feature a refused module
//! needs (`unsupported feature: simd`).
