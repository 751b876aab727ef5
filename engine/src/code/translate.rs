//! Translation of a validated wasm function body into internal code.

use super::CompiledFunc;
use crate::error::Error;
use wasmparser::{FuncValidator, FunctionBody, ValidatorResources};

/// Validates and translates one function body (function `func_index` in the module's index
/// space) in one pass over its operators.
pub(crate) fn translate_function(
    func_index: u32,
    body: &FunctionBody<'_>,
    validator: &mut FuncValidator<ValidatorResources>,
) -> Result<CompiledFunc, Error> {
    let _ = (func_index, body, validator);
    todo!("translation")
}
