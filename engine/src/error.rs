//! The engine's error type: small (one boxed kind), typed, and printed with the byte offset
//! where one applies (`... (at offset 0x1a2)`, as wasmparser prints it).

use crate::trap::Trap;
use std::fmt;

/// An error from loading, linking, instantiating or calling.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    kind: Box<ErrorKind>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErrorKind {
    /// The bytes are not a well-formed WebAssembly binary.
    #[error("malformed module: {message} (at offset {offset:#x})")]
    Malformed {
        /// What the decoder said.
        message: String,
        /// Byte offset in the binary.
        offset: u64,
    },
    /// The module is well-formed but does not validate.
    #[error("invalid module: {message} (at offset {offset:#x})")]
    Invalid {
        /// What the validator said.
        message: String,
        /// Byte offset in the binary.
        offset: u64,
    },
    /// The module uses a WebAssembly feature this engine does not implement.
    #[error("unsupported feature: {feature} (at offset {offset:#x})")]
    Unsupported {
        /// The feature's name, as the proposals call it (`simd`, `threads`, `memory64`, ...).
        feature: String,
        /// Byte offset of the first use.
        offset: u64,
    },
    /// An import could not be satisfied.
    #[error("unknown import or incompatible import type: {module}::{name}: {reason}")]
    Link {
        /// Import module name.
        module: String,
        /// Import field name.
        name: String,
        /// Why (missing, wrong kind, wrong type, ...).
        reason: String,
    },
    /// Wasm code or instantiation trapped.
    #[error("trap: {0}")]
    Trap(Trap),
    /// The host API was used wrongly (wrong argument types or count, a handle of another kind).
    #[error("{0}")]
    Usage(String),
    /// A resource limit of the host was hit (a reservation could not be made, say).
    #[error("resource limit: {0}")]
    Limit(String),
}

impl Error {
    /// The kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The trap, if this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &*self.kind {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }

    #[cold]
    pub(crate) fn malformed(message: impl Into<String>, offset: u64) -> Self {
        ErrorKind::Malformed { message: message.into(), offset }.into()
    }

    #[cold]
    pub(crate) fn invalid(message: impl Into<String>, offset: u64) -> Self {
        ErrorKind::Invalid { message: message.into(), offset }.into()
    }

    /// A wasmparser decoding error, with its offset.
    #[cold]
    pub(crate) fn from_decoder(e: wasmparser::BinaryReaderError) -> Self {
        Error::malformed(e.message(), e.offset())
    }

    /// A wasmparser validation error, with its offset.
    #[cold]
    pub(crate) fn from_validator(e: wasmparser::BinaryReaderError) -> Self {
        Error::invalid(e.message(), e.offset())
    }

    #[cold]
    pub(crate) fn unsupported(feature: impl Into<String>, offset: u64) -> Self {
        ErrorKind::Unsupported { feature: feature.into(), offset }.into()
    }

    #[cold]
    pub(crate) fn link(module: &str, name: &str, reason: impl Into<String>) -> Self {
        ErrorKind::Link { module: module.into(), name: name.into(), reason: reason.into() }.into()
    }

    #[cold]
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        ErrorKind::Usage(message.into()).into()
    }

    #[cold]
    pub(crate) fn limit(message: impl Into<String>) -> Self {
        ErrorKind::Limit(message.into()).into()
    }
}

impl From<ErrorKind> for Error {
    #[cold]
    fn from(kind: ErrorKind) -> Self {
        Error { kind: Box::new(kind) }
    }
}

impl From<Trap> for Error {
    #[cold]
    fn from(trap: Trap) -> Self {
        ErrorKind::Trap(trap).into()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_stays_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn messages_carry_the_offset() {
        let e = Error::invalid("type mismatch", 0x1a2);
        assert_eq!(e.to_string(), "invalid module: type mismatch (at offset 0x1a2)");
        let e = Error::unsupported("simd", 0x20);
        assert_eq!(e.to_string(), "unsupported feature: simd (at offset 0x20)");
    }
}
