//! Traps: the canonical kinds every engine configuration in redzone maps into, and the
//! location (function index and wasm code offset) of the instruction that trapped.
//!
//! The interpreter produces a [`Trap`] with `func` and `offset` filled in; host code and
//! resource limits produce one without a location.

use std::fmt;

/// The canonical trap kinds of redzone (see DESIGN.md). No engine is the reference:
/// every adapter, this engine's included, maps its own codes into this enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TrapKind {
    /// A load, store or bulk memory operation outside the accessible size of a memory.
    MemoryOutOfBounds,
    /// A table access, `call_indirect` index or bulk table operation outside a table.
    TableOutOfBounds,
    /// `call_indirect` through a null table entry.
    IndirectCallToNull,
    /// `call_indirect` to a function whose type differs from the expected one.
    BadSignature,
    /// A null reference was used where a non-null one is required.
    NullReference,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero,
    /// Signed integer division overflow (`INT_MIN / -1`) or a float-to-int overflow.
    IntegerOverflow,
    /// A trapping float-to-int conversion of NaN.
    BadConversionToInteger,
    /// The `unreachable` instruction.
    UnreachableCodeReached,
    /// The call depth or value stack limit was exceeded.
    StackOverflow,
    /// The fuel budget ran out.
    OutOfFuel,
    /// Anything else, described by its message (for example a trap raised by a host function).
    Other(String),
}

impl TrapKind {
    /// The message the WebAssembly spec testsuite uses for this kind of trap.
    pub fn spec_message(&self) -> &str {
        match self {
            TrapKind::MemoryOutOfBounds => "out of bounds memory access",
            TrapKind::TableOutOfBounds => "out of bounds table access",
            TrapKind::IndirectCallToNull => "uninitialized element",
            TrapKind::BadSignature => "indirect call type mismatch",
            TrapKind::NullReference => "null reference",
            TrapKind::IntegerDivisionByZero => "integer divide by zero",
            TrapKind::IntegerOverflow => "integer overflow",
            TrapKind::BadConversionToInteger => "invalid conversion to integer",
            TrapKind::UnreachableCodeReached => "unreachable",
            TrapKind::StackOverflow => "call stack exhausted",
            TrapKind::OutOfFuel => "all fuel consumed",
            TrapKind::Other(msg) => msg,
        }
    }
}

impl fmt::Display for TrapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spec_message())
    }
}

/// A trap with the place it happened, when it happened in wasm code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    /// What went wrong.
    pub kind: TrapKind,
    /// Index of the trapping function in the module's function index space.
    pub func: Option<u32>,
    /// Byte offset of the trapping instruction in the module binary.
    pub offset: Option<u32>,
}

impl Trap {
    /// A trap without a location (raised by the host or by a limit).
    #[cold]
    pub fn new(kind: TrapKind) -> Self {
        Trap { kind, func: None, offset: None }
    }

    /// A trap at a wasm instruction.
    #[cold]
    pub fn at(kind: TrapKind, func: u32, offset: u32) -> Self {
        Trap { kind, func: Some(func), offset: Some(offset) }
    }
}

impl From<TrapKind> for Trap {
    fn from(kind: TrapKind) -> Self {
        Trap::new(kind)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        match (self.func, self.offset) {
            (Some(func), Some(offset)) => write!(f, " (in func {func} at offset {offset:#x})"),
            (Some(func), None) => write!(f, " (in func {func})"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for Trap {}
