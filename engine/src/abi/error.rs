//! [`AbiError`]: every way a call across the string/array ABI can fail, typed, so tests and
//! the harness compare kinds rather than messages.

use crate::trap::TrapKind;
use std::fmt;

/// An ABI failure: small (one box), typed by [`AbiErrorKind`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbiError {
    kind: Box<AbiErrorKind>,
}

/// What went wrong at the boundary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbiErrorKind {
    /// A `(ptr, len)` from the guest does not lie inside its memory (`ptr + len`, computed
    /// without wrapping, is past the memory's current size). Nothing was read.
    #[error("guest range {ptr:#x}+{len} is outside its memory of {memory_size} bytes")]
    OutOfBounds {
        /// The pointer the guest gave.
        ptr: u32,
        /// The length the guest gave.
        len: u32,
        /// The memory's size in bytes when the range was checked.
        memory_size: u64,
    },
    /// `alloc` returned a pointer that is not aligned as the ABI requires.
    #[error("alloc returned {ptr:#x}, which is not {align}-byte aligned")]
    Misaligned {
        /// The pointer `alloc` returned.
        ptr: u32,
        /// The alignment the ABI requires (8).
        align: u32,
    },
    /// `alloc` returned null for a non-empty request: the guest is out of memory.
    #[error("alloc({len}) returned null: the guest could not allocate")]
    AllocFailed {
        /// The length asked for.
        len: u32,
    },
    /// A string result is not UTF-8.
    #[error("string result is not valid UTF-8 (valid up to byte {valid_up_to})")]
    InvalidUtf8 {
        /// Length of the longest valid prefix.
        valid_up_to: usize,
    },
    /// A typed-array result's length is not a whole number of elements.
    #[error("array result of {len} bytes is not a whole number of {element_size}-byte elements")]
    BadArrayLength {
        /// The length in bytes.
        len: u32,
        /// The element size in bytes.
        element_size: u32,
    },
    /// A host input is too long to describe with an i32 length.
    #[error("input of {len} bytes is longer than the ABI's 4 GiB limit")]
    InputTooLarge {
        /// Its length in bytes.
        len: u64,
    },
    /// The guest lacks an export the ABI needs (`memory`, `alloc`, `dealloc`, or the
    /// function called).
    #[error("guest has no export {name:?} (the ABI needs memory, alloc, dealloc and the function called)")]
    MissingExport {
        /// The export's name.
        name: String,
    },
    /// An export exists with the wrong kind or type.
    #[error("guest export {name:?} is {found}, the call needs {expected}")]
    WrongSignature {
        /// The export's name.
        name: String,
        /// What the ABI (or the call) needs, as `[i32 i32] -> [i32 i32]`.
        expected: String,
        /// What the guest has.
        found: String,
    },
    /// The guest trapped (its own check, such as a double free, or a wasm fault).
    #[error("guest trapped: {0}")]
    Trap(TrapKind),
    /// The engine failed for a reason other than a trap (a resource limit, say).
    #[error("engine error: {0}")]
    Engine(String),
}

impl AbiError {
    /// What went wrong.
    pub fn kind(&self) -> &AbiErrorKind {
        &self.kind
    }

    /// The variant's name (`OutOfBounds`, `Trap`, ...): what engines must agree on when
    /// they compare failures (messages and engine-specific details may differ).
    pub fn name(&self) -> &'static str {
        match &*self.kind {
            AbiErrorKind::OutOfBounds { .. } => "OutOfBounds",
            AbiErrorKind::Misaligned { .. } => "Misaligned",
            AbiErrorKind::AllocFailed { .. } => "AllocFailed",
            AbiErrorKind::InvalidUtf8 { .. } => "InvalidUtf8",
            AbiErrorKind::BadArrayLength { .. } => "BadArrayLength",
            AbiErrorKind::InputTooLarge { .. } => "InputTooLarge",
            AbiErrorKind::MissingExport { .. } => "MissingExport",
            AbiErrorKind::WrongSignature { .. } => "WrongSignature",
            AbiErrorKind::Trap(_) => "Trap",
            AbiErrorKind::Engine(_) => "Engine",
        }
    }

    /// An out-of-bounds guest range.
    #[cold]
    pub fn out_of_bounds(ptr: u32, len: u32, memory_size: u64) -> Self {
        AbiErrorKind::OutOfBounds { ptr, len, memory_size }.into()
    }

    /// A missing export.
    #[cold]
    pub fn missing_export(name: &str) -> Self {
        AbiErrorKind::MissingExport { name: name.to_string() }.into()
    }

    /// An export of the wrong kind or type.
    #[cold]
    pub fn wrong_signature(name: &str, expected: impl Into<String>, found: impl Into<String>) -> Self {
        AbiErrorKind::WrongSignature { name: name.to_string(), expected: expected.into(), found: found.into() }.into()
    }

    /// A guest trap.
    #[cold]
    pub fn trap(kind: TrapKind) -> Self {
        AbiErrorKind::Trap(kind).into()
    }

    /// Any other engine failure.
    #[cold]
    pub fn engine(message: impl Into<String>) -> Self {
        AbiErrorKind::Engine(message.into()).into()
    }
}

impl From<AbiErrorKind> for AbiError {
    #[cold]
    fn from(kind: AbiErrorKind) -> Self {
        AbiError { kind: Box::new(kind) }
    }
}

impl From<crate::Error> for AbiError {
    #[cold]
    fn from(err: crate::Error) -> Self {
        match err.as_trap() {
            Some(trap) => AbiError::trap(trap.kind.clone()),
            None => AbiError::engine(err.to_string()),
        }
    }
}

impl fmt::Display for AbiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for AbiError {}
