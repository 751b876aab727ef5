//! Modules: decoding and validation with wasmparser, refusal of unsupported features, and
//! translation of every function body, once, into the engine's internal code.
//!
//! Bytes enter through [`Module::new`]; what leaves is an immutable, shareable
//! [`ModuleInner`] that instantiation (in `store`) reads. Function bodies are handed to
//! `translate` as the validator reaches them, so each body is decoded exactly once.

mod const_expr;
mod features;

pub(crate) use const_expr::{ConstExpr, ConstOp};

use crate::code::CompiledFunc;
use crate::error::Error;
use crate::func::FuncType;
use crate::global::GlobalType;
use crate::memory::MemoryType;
use crate::table::TableType;
use crate::value::ValType;
use std::sync::Arc;

/// A validated, translated module, ready to instantiate any number of times in any store.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq)]
pub enum ExternType {
    /// A function.
    Func(FuncType),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
}

/// An import the module declares.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportType {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// What must be provided.
    pub ty: ExternType,
}

/// The kind of an export and its index in the matching index space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportIndex {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
}

/// Where an element or data segment goes.
#[derive(Debug, Clone)]
pub(crate) enum SegmentMode {
    /// Copied at instantiation into table/memory `index` at `offset`, then dropped.
    Active { index: u32, offset: ConstExpr },
    /// Available to table.init / memory.init until dropped.
    Passive,
    /// Only declares references (`ref.func`); dropped at instantiation.
    Declared,
}

/// An element segment.
#[derive(Debug, Clone)]
pub(crate) struct ElemSegment {
    pub(crate) mode: SegmentMode,
    /// `FuncRef` or `ExternRef`.
    pub(crate) ty: ValType,
    /// One constant expression per item (function indices become `ref.func`).
    pub(crate) items: Box<[ConstExpr]>,
}

/// A data segment.
#[derive(Debug, Clone)]
pub(crate) struct DataSegment {
    pub(crate) mode: SegmentMode,
    pub(crate) bytes: Arc<[u8]>,
}

/// Everything instantiation needs from a module. Index spaces put imports first.
pub(crate) struct ModuleInner {
    /// Function types by type index.
    pub(crate) types: Vec<FuncType>,
    /// Type index of every function (imported, then defined).
    pub(crate) funcs: Vec<u32>,
    pub(crate) num_imported_funcs: u32,
    /// Internal code of every defined function, in definition order.
    pub(crate) code: Vec<CompiledFunc>,
    /// Every table (imported, then defined).
    pub(crate) tables: Vec<TableType>,
    pub(crate) num_imported_tables: u32,
    /// Initial value of each defined table (`None`: null).
    pub(crate) table_inits: Vec<Option<ConstExpr>>,
    /// Every memory (imported, then defined).
    pub(crate) memories: Vec<MemoryType>,
    pub(crate) num_imported_memories: u32,
    /// Every global (imported, then defined).
    pub(crate) globals: Vec<GlobalType>,
    pub(crate) num_imported_globals: u32,
    /// Initialiser of each defined global.
    pub(crate) global_inits: Vec<ConstExpr>,
    pub(crate) imports: Vec<ImportType>,
    /// Exports in declaration order.
    pub(crate) exports: Vec<(String, ExportIndex)>,
    pub(crate) elems: Vec<ElemSegment>,
    pub(crate) datas: Vec<DataSegment>,
    pub(crate) start: Option<u32>,
    /// Function names from the name section, for trap messages.
    pub(crate) func_names: std::collections::HashMap<u32, String>,
}

impl Module {
    /// Decodes, validates and translates a binary module.
    ///
    /// Errors: [`crate::ErrorKind::Malformed`] or [`crate::ErrorKind::Invalid`] with the byte
    /// offset, or [`crate::ErrorKind::Unsupported`] naming the proposal the module needs.
    pub fn new(bytes: &[u8]) -> Result<Module, Error> {
        let _ = bytes;
        todo!("module loading")
    }

    /// The imports, in order: what `Store::instantiate` expects, one extern each.
    pub fn imports(&self) -> &[ImportType] {
        &self.inner.imports
    }

    /// The exports, in declaration order, with their types.
    pub fn exports(&self) -> Vec<(String, ExternType)> {
        let m = &self.inner;
        m.exports
            .iter()
            .map(|(name, idx)| {
                let ty = match *idx {
                    ExportIndex::Func(i) => ExternType::Func(m.types[m.funcs[i as usize] as usize].clone()),
                    ExportIndex::Table(i) => ExternType::Table(m.tables[i as usize]),
                    ExportIndex::Memory(i) => ExternType::Memory(m.memories[i as usize]),
                    ExportIndex::Global(i) => ExternType::Global(m.globals[i as usize]),
                };
                (name.clone(), ty)
            })
            .collect()
    }
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("funcs", &self.inner.funcs.len())
            .field("imports", &self.inner.imports.len())
            .field("exports", &self.inner.exports.len())
            .finish()
    }
}
