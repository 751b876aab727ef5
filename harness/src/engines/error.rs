//! The one error type every adapter returns: which stage failed (compile, link, instantiation
//! trap, call trap, ...) and the engine's own message. Traps carry redzone's canonical
//! [`TrapKind`], so the spec runner and the oracle compare kinds, never message strings.

use redzone_engine::TrapKind;
use std::fmt;

/// An error from an engine adapter: small (one box), typed by stage.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineError {
    kind: Box<EngineErrorKind>,
}

/// Which stage failed, and how.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineErrorKind {
    /// The bytes are malformed or do not validate.
    #[error("compile error: {0}")]
    Compile(String),
    /// The module needs a proposal this engine does not implement.
    #[error("unsupported feature: {0}")]
    Unsupported(String),
    /// An import could not be resolved, or had the wrong type.
    #[error("link error: {0}")]
    Link(String),
    /// Instantiation trapped (a segment out of bounds, or the start function).
    #[error("trap during instantiation: {kind}{}", detail_suffix(.detail))]
    InstantiationTrap {
        /// Canonical kind.
        kind: TrapKind,
        /// Where, as the engine describes it (may be empty).
        detail: String,
        /// Byte offset of the trapping instruction in the module binary, when the engine
        /// reports one (redzone's interpreter does): the fuzz signature's trap site.
        offset: Option<u32>,
    },
    /// A call trapped.
    #[error("trap: {kind}{}", detail_suffix(.detail))]
    Trap {
        /// Canonical kind.
        kind: TrapKind,
        /// Where, as the engine describes it (may be empty).
        detail: String,
        /// Byte offset of the trapping instruction in the module binary, when the engine
        /// reports one (redzone's interpreter does): the fuzz signature's trap site.
        offset: Option<u32>,
    },
    /// A host resource limit was hit (memory could not be reserved, say).
    #[error("resource limit: {0}")]
    Limit(String),
    /// The harness asked for something that does not exist or has the wrong type
    /// (an unknown export, wrong argument types, an unknown instance).
    #[error("{0}")]
    Usage(String),
    /// The engine panicked; the adapter caught it.
    #[error("engine panicked: {0}")]
    Panic(String),
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() { String::new() } else { format!(" ({detail})") }
}

impl EngineError {
    /// The stage and details.
    pub fn kind(&self) -> &EngineErrorKind {
        &self.kind
    }

    /// The trap kind, for a call trap or an instantiation trap.
    pub fn trap_kind(&self) -> Option<&TrapKind> {
        match &*self.kind {
            EngineErrorKind::Trap { kind, .. } | EngineErrorKind::InstantiationTrap { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// A compile error.
    #[cold]
    pub fn compile(msg: impl Into<String>) -> Self {
        EngineErrorKind::Compile(msg.into()).into()
    }

    /// An unsupported-feature error.
    #[cold]
    pub fn unsupported(feature: impl Into<String>) -> Self {
        EngineErrorKind::Unsupported(feature.into()).into()
    }

    /// A link error.
    #[cold]
    pub fn link(msg: impl Into<String>) -> Self {
        EngineErrorKind::Link(msg.into()).into()
    }

    /// A call trap.
    #[cold]
    pub fn trap(kind: TrapKind, detail: impl Into<String>) -> Self {
        EngineErrorKind::Trap { kind, detail: detail.into(), offset: None }.into()
    }

    /// A trap during instantiation.
    #[cold]
    pub fn instantiation_trap(kind: TrapKind, detail: impl Into<String>) -> Self {
        EngineErrorKind::InstantiationTrap { kind, detail: detail.into(), offset: None }.into()
    }

    /// This error with the module offset of the trapping instruction (traps only; other
    /// errors are returned unchanged).
    #[cold]
    pub fn at_offset(mut self, at: Option<u32>) -> Self {
        if let EngineErrorKind::Trap { offset, .. } | EngineErrorKind::InstantiationTrap { offset, .. } =
            &mut *self.kind
        {
            *offset = at;
        }
        self
    }

    /// The module offset of the trapping instruction, when this is a trap and the engine
    /// reported where.
    pub fn trap_offset(&self) -> Option<u32> {
        match &*self.kind {
            EngineErrorKind::Trap { offset, .. } | EngineErrorKind::InstantiationTrap { offset, .. } => *offset,
            _ => None,
        }
    }

    /// A resource limit.
    #[cold]
    pub fn limit(msg: impl Into<String>) -> Self {
        EngineErrorKind::Limit(msg.into()).into()
    }

    /// A misuse by the harness.
    #[cold]
    pub fn usage(msg: impl Into<String>) -> Self {
        EngineErrorKind::Usage(msg.into()).into()
    }

    /// A caught panic, from the payload `catch_unwind` returned.
    #[cold]
    pub fn panic(payload: &(dyn std::any::Any + Send)) -> Self {
        EngineErrorKind::Panic(panic_message(payload)).into()
    }
}

/// The message of a panic payload (`&str` or `String`; anything else is described).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    }
}

impl From<EngineErrorKind> for EngineError {
    #[cold]
    fn from(kind: EngineErrorKind) -> Self {
        EngineError { kind: Box::new(kind) }
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for EngineError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_stays_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<EngineError>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn messages_name_the_stage() {
        let e = EngineError::trap(TrapKind::MemoryOutOfBounds, "in func 3 at offset 0x2a");
        assert_eq!(e.to_string(), "trap: out of bounds memory access (in func 3 at offset 0x2a)");
        assert_eq!(e.trap_kind(), Some(&TrapKind::MemoryOutOfBounds));
        assert_eq!(e.trap_offset(), None);
        assert_eq!(e.at_offset(Some(0x2a)).trap_offset(), Some(0x2a));
        assert_eq!(EngineError::link("x").at_offset(Some(1)).trap_offset(), None, "only traps have a site");
        let e = EngineError::instantiation_trap(TrapKind::TableOutOfBounds, "");
        assert_eq!(e.to_string(), "trap during instantiation: out of bounds table access");
        assert_eq!(EngineError::link("m::f: unknown import").trap_kind(), None);
        let payload: Box<dyn std::any::Any + Send> = Box::new(String::from("boom"));
        assert_eq!(EngineError::panic(&*payload).to_string(), "engine panicked: boom");
    }
}
