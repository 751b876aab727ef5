//! Modules: decoding and validation with wasmparser, refusal of unsupported features, and
//! translation of every function body, once, into the engine's internal code.
//!
//! Bytes enter through [`Module::new`]; what leaves is an immutable, shareable
//! [`ModuleInner`] that instantiation (in `store`) reads. Function bodies are handed to
//! `translate` as the validator reaches them, so each body is decoded exactly once.

mod const_expr;
mod features;

pub(crate) use const_expr::{ConstExpr, ConstOp};

use crate::code::{CompiledFunc, translate_function};
use crate::error::Error;
use crate::func::FuncType;
use crate::global::GlobalType;
use crate::memory::{MemoryType, WASM_PAGE_SIZE_LOG2};
use crate::table::TableType;
use crate::value::ValType;
use std::collections::HashMap;
use std::sync::Arc;
use wasmparser::{
    DataKind, ElementItems, ElementKind, ExternalKind, FuncValidatorAllocations, KnownCustom, Parser, Payload,
    TableInit, TypeRef, ValidPayload, Validator,
};

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
    pub(crate) func_names: HashMap<u32, String>,
}

impl Module {
    /// Decodes, validates and translates a binary module.
    ///
    /// Errors: [`crate::ErrorKind::Malformed`] or [`crate::ErrorKind::Invalid`] with the byte
    /// offset, or [`crate::ErrorKind::Unsupported`] naming the proposal the module needs.
    pub fn new(bytes: &[u8]) -> Result<Module, Error> {
        match parse(bytes) {
            Ok(inner) => Ok(Module { inner: Arc::new(inner) }),
            Err(e) => Err(features::explain(bytes, e)),
        }
    }

    /// The imports, in order: what `Store::instantiate` expects, one extern each.
    pub fn imports(&self) -> &[ImportType] {
        &self.inner.imports
    }

    /// Every memory's type in the memory index space: the imported ones first, then the
    /// defined ones ([`Module::imported_memories`] says how many are imported).
    pub fn memories(&self) -> &[MemoryType] {
        &self.inner.memories
    }

    /// How many of [`Module::memories`] are imported.
    pub fn imported_memories(&self) -> usize {
        self.inner.num_imported_memories as usize
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

/// Decodes, validates and translates with the supported feature set.
fn parse(bytes: &[u8]) -> Result<ModuleInner, Error> {
    let mut validator = Validator::new_with_features(features::SUPPORTED);
    let mut m = ModuleInner {
        types: Vec::new(),
        funcs: Vec::new(),
        num_imported_funcs: 0,
        code: Vec::new(),
        tables: Vec::new(),
        num_imported_tables: 0,
        table_inits: Vec::new(),
        memories: Vec::new(),
        num_imported_memories: 0,
        globals: Vec::new(),
        num_imported_globals: 0,
        global_inits: Vec::new(),
        imports: Vec::new(),
        exports: Vec::new(),
        elems: Vec::new(),
        datas: Vec::new(),
        start: None,
        func_names: HashMap::new(),
    };
    let mut allocs = FuncValidatorAllocations::default();
    // The decoder must know the features too: with all of them on it reads 2.0 encodings the
    // newer way (memory limits as u64, memory.grow's reserved byte as a memory index).
    let mut parser = Parser::new(0);
    parser.set_features(features::SUPPORTED);
    for payload in parser.parse_all(bytes) {
        let payload = payload.map_err(Error::from_decoder)?;
        let valid = validator.payload(&payload).map_err(Error::from_validator)?;
        match payload {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(Error::from_decoder)?;
                    m.types.push(func_type(&ty, 0)?);
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports_with_offsets() {
                    let (offset, import) = import.map_err(Error::from_decoder)?;

                    let ty = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            m.funcs.push(t);
                            m.num_imported_funcs += 1;
                            ExternType::Func(m.types[t as usize].clone())
                        }
                        TypeRef::Table(t) => {
                            let t = table_type(&t, offset)?;
                            m.tables.push(t);
                            m.num_imported_tables += 1;
                            ExternType::Table(t)
                        }
                        TypeRef::Memory(t) => {
                            let t = memory_type(&t, offset)?;
                            m.memories.push(t);
                            m.num_imported_memories += 1;
                            ExternType::Memory(t)
                        }
                        TypeRef::Global(t) => {
                            let t = global_type(&t, offset)?;
                            m.globals.push(t);
                            m.num_imported_globals += 1;
                            ExternType::Global(t)
                        }
                        TypeRef::Tag(_) => return Err(Error::unsupported("exception-handling", offset)),
                    };
                    m.imports.push(ImportType { module: import.module.to_string(), name: import.name.to_string(), ty });
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    m.funcs.push(t.map_err(Error::from_decoder)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader.into_iter_with_offsets() {
                    let (offset, table) = table.map_err(Error::from_decoder)?;
                    m.tables.push(table_type(&table.ty, offset)?);
                    m.table_inits.push(match table.init {
                        TableInit::RefNull => None,
                        TableInit::Expr(e) => Some(ConstExpr::decode(&e)?),
                    });
                }
            }
            Payload::MemorySection(reader) => {
                for mem in reader.into_iter_with_offsets() {
                    let (offset, mem) = mem.map_err(Error::from_decoder)?;
                    m.memories.push(memory_type(&mem, offset)?);
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader.into_iter_with_offsets() {
                    let (offset, global) = global.map_err(Error::from_decoder)?;
                    m.globals.push(global_type(&global.ty, offset)?);
                    m.global_inits.push(ConstExpr::decode(&global.init_expr)?);
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(Error::from_decoder)?;
                    let index = match export.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => ExportIndex::Func(export.index),
                        ExternalKind::Table => ExportIndex::Table(export.index),
                        ExternalKind::Memory => ExportIndex::Memory(export.index),
                        ExternalKind::Global => ExportIndex::Global(export.index),
                        ExternalKind::Tag => return Err(Error::unsupported("exception-handling", 0)),
                    };
                    m.exports.push((export.name.to_string(), index));
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(reader) => {
                for elem in reader {
                    let elem = elem.map_err(Error::from_decoder)?;
                    let offset = elem.range.start;
                    let mode = match elem.kind {
                        ElementKind::Passive => SegmentMode::Passive,
                        ElementKind::Declared => SegmentMode::Declared,
                        ElementKind::Active { table_index, offset_expr } => SegmentMode::Active {
                            index: table_index.unwrap_or(0),
                            offset: ConstExpr::decode(&offset_expr)?,
                        },
                    };
                    let items = match elem.items {
                        ElementItems::Functions(funcs) => {
                            let mut items = Vec::new();
                            for f in funcs {
                                items.push(ConstExpr {
                                    ops: Box::new([ConstOp::RefFunc(f.map_err(Error::from_decoder)?)]),
                                });
                            }
                            items
                        }
                        ElementItems::Expressions(rt, exprs) => {
                            let mut items = Vec::new();
                            for e in exprs {
                                items.push(ConstExpr::decode(&e.map_err(Error::from_decoder)?)?);
                            }
                            ref_type(rt, offset)?;
                            items
                        }
                    };
                    m.elems.push(ElemSegment { mode, items: items.into() });
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(Error::from_decoder)?;
                    let mode = match data.kind {
                        DataKind::Passive => SegmentMode::Passive,
                        DataKind::Active { memory_index, offset_expr } => {
                            SegmentMode::Active { index: memory_index, offset: ConstExpr::decode(&offset_expr)? }
                        }
                    };
                    m.datas.push(DataSegment { mode, bytes: data.data.into() });
                }
            }
            Payload::CustomSection(reader) => {
                if let KnownCustom::Name(names) = reader.as_known() {
                    read_function_names(names, &mut m.func_names);
                }
            }
            _ => {}
        }
        if let ValidPayload::Func(func, body) = valid {
            let func_index = m.num_imported_funcs + m.code.len() as u32;
            let mut fv = func.into_validator(std::mem::take(&mut allocs));
            m.code.push(translate_function(func_index, &body, &mut fv)?);
            allocs = fv.into_allocations();
        }
    }
    Ok(m)
}

/// Function names from the name section. A malformed name section is ignored, as the spec
/// requires of custom sections.
fn read_function_names(names: wasmparser::NameSectionReader<'_>, out: &mut HashMap<u32, String>) {
    for name in names.into_iter().flatten() {
        if let wasmparser::Name::Function(map) = name {
            for naming in map.into_iter().flatten() {
                out.insert(naming.index, naming.name.to_string());
            }
        }
    }
}

fn val_type(t: wasmparser::ValType, offset: u64) -> Result<ValType, Error> {
    Ok(match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) => ref_type(r, offset)?,
    })
}

fn ref_type(r: wasmparser::RefType, offset: u64) -> Result<ValType, Error> {
    if r == wasmparser::RefType::FUNCREF {
        Ok(ValType::FuncRef)
    } else if r == wasmparser::RefType::EXTERNREF {
        Ok(ValType::ExternRef)
    } else {
        Err(Error::unsupported("function-references", offset))
    }
}

fn func_type(t: &wasmparser::FuncType, offset: u64) -> Result<FuncType, Error> {
    let params = t.params().iter().map(|&p| val_type(p, offset)).collect::<Result<Vec<_>, _>>()?;
    let results = t.results().iter().map(|&r| val_type(r, offset)).collect::<Result<Vec<_>, _>>()?;
    Ok(FuncType::new(params, results))
}

fn table_type(t: &wasmparser::TableType, offset: u64) -> Result<TableType, Error> {
    if t.table64 {
        return Err(Error::unsupported("table64", offset));
    }
    if t.shared {
        return Err(Error::unsupported("shared-everything-threads", offset));
    }
    Ok(TableType { element: ref_type(t.element_type, offset)?, minimum: t.initial, maximum: t.maximum })
}

fn memory_type(t: &wasmparser::MemoryType, offset: u64) -> Result<MemoryType, Error> {
    if t.shared {
        return Err(Error::unsupported("threads", offset));
    }
    // The validator admits page sizes 1 and 64 KiB only (custom-page-sizes); the check keeps
    // a future validator from handing over one the memories do not implement.
    let page_size_log2 = match t.page_size_log2 {
        None | Some(16) => WASM_PAGE_SIZE_LOG2,
        Some(0) => 0,
        Some(p) => return Err(Error::unsupported(format!("custom-page-sizes: a page size of 2^{p} bytes"), offset)),
    };
    Ok(MemoryType { index64: t.memory64, page_size_log2, ..MemoryType::new(t.initial, t.maximum) })
}

fn global_type(t: &wasmparser::GlobalType, offset: u64) -> Result<GlobalType, Error> {
    if t.shared {
        return Err(Error::unsupported("shared-everything-threads", offset));
    }
    Ok(GlobalType { content: val_type(t.content_type, offset)?, mutable: t.mutable })
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
