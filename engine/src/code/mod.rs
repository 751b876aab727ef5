//! The engine's internal code: what every function body is translated into, once, at load
//! time. The interpreter (`exec`) runs only this, never wasm bytes.

/// A translated function body.
pub(crate) struct CompiledFunc {}
mod translate;
pub(crate) use translate::translate_function;
