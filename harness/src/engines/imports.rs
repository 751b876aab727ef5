//! Dummy imports: one shared description of what the harness gives a module for each of its
//! imports, so that every adapter provides exactly the same thing and `redzone run` can say
//! what it provided.
//!
//! Data enters as module bytes: [`plan`] reads the import section with wasmparser and returns
//! one [`Provided`] per import, in import order, or a [`PlanError`] naming the first import the
//! harness cannot make (an exception tag, a shared or 64-bit memory, a value type outside
//! redzone's feature set) and why. Each adapter turns the list into externs of its own engine
//! with [`super::Engine::provide`], a *host instance* whose exports are the dummies, named by
//! [`Provided::label`] (`import:env.memory`); [`super::Engine::instantiate_with`] then resolves
//! import `i` from that host instance's item `i` (names registered with
//! [`super::Engine::register`] come first: a module importing what another instance exports
//! gets the real shared extern). Because the dummies are a host instance, their state (an
//! imported memory written by a data segment or a store, a mutable imported global, an
//! imported table) is read back like any export, and the differential compares it too, even
//! after an instantiation that trapped.
//!
//! What a dummy is:
//! - a function returns zeros of its result types ([`DummyFuncs::Zeros`], the default), or
//!   traps with [`DUMMY_TRAP`] ([`DummyFuncs::Trap`]);
//! - a global holds the zero of its type (null for references), with the requested mutability;
//! - a table has the requested minimum and maximum, every element null;
//! - a memory has the requested minimum pages (zeroed) and maximum.
//!
//! Strict linking ([`ImportPolicy::Strict`]: `spectest` and registered names only) is what the
//! spec runner keeps, so a `.wast` `assert_unlinkable` still fails to link.

use super::Val;
use redzone_engine::ValType;
use serde::Serialize;
use std::fmt;

/// The prefix of a dummy's label, the name under which its state is read and compared.
pub const IMPORT_PREFIX: &str = "import:";

/// The message of the trap a [`DummyFuncs::Trap`] function raises; every adapter reports it
/// as `TrapKind::Other(DUMMY_TRAP)`, so engines compare equal on it.
pub const DUMMY_TRAP: &str = "dummy import called";

/// What a dummy function does when it is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DummyFuncs {
    /// Returns the zero of each result type (null for references). The default.
    #[default]
    Zeros,
    /// Traps with [`DUMMY_TRAP`].
    Trap,
}

/// How an instantiation resolves imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportPolicy {
    /// Only `spectest` and registered names; anything else is a link error (the spec runner).
    Strict,
    /// Registered names first, then a dummy for every other import (`redzone run`, the fuzz
    /// loop). The default.
    Dummies(DummyFuncs),
}

impl Default for ImportPolicy {
    fn default() -> Self {
        ImportPolicy::Dummies(DummyFuncs::Zeros)
    }
}

/// The error a [`DummyFuncs::Trap`] function returns inside the peers (wasmtime, wasmer and
/// wasmi carry host errors as boxed `std::error::Error`s); each adapter recognises it by type
/// and maps it to `TrapKind::Other(DUMMY_TRAP)`, never by message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DummyTrap;

impl fmt::Display for DummyTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(DUMMY_TRAP)
    }
}

impl std::error::Error for DummyTrap {}

/// What the harness provides for one import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provided {
    /// The import's module name.
    pub module: String,
    /// The import's field name.
    pub name: String,
    /// The dummy's name in the host instance and in compared state: `import:module.name`, with
    /// `#index` added when the module imports the same pair more than once.
    pub label: String,
    /// What is provided.
    pub item: ProvidedItem,
}

/// The extern a [`Provided`] describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvidedItem {
    /// A host function of this type.
    Func {
        /// Parameter types.
        params: Vec<ValType>,
        /// Result types.
        results: Vec<ValType>,
        /// What it does when called.
        behaviour: DummyFuncs,
    },
    /// A global holding the zero of its type.
    Global {
        /// Value type.
        content: ValType,
        /// Whether it is mutable.
        mutable: bool,
    },
    /// A table of null elements.
    Table {
        /// Element type (funcref or externref).
        element: ValType,
        /// Initial size in elements.
        minimum: u64,
        /// Maximum size, when the import declares one.
        maximum: Option<u64>,
    },
    /// A zeroed 32-bit memory.
    Memory {
        /// Initial size in pages.
        minimum: u64,
        /// Maximum size in pages, when the import declares one.
        maximum: Option<u64>,
    },
}

impl Provided {
    /// `module.name`, as the import is written.
    pub fn import_name(&self) -> String {
        format!("{}.{}", self.module, self.name)
    }
}

fn types(list: &[ValType]) -> String {
    let items: Vec<String> = list.iter().map(|t| t.to_string()).collect();
    format!("[{}]", items.join(", "))
}

fn limits(minimum: u64, maximum: Option<u64>) -> String {
    match maximum {
        Some(max) => format!("{minimum}..{max}"),
        None => format!("{minimum}.."),
    }
}

impl fmt::Display for ProvidedItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProvidedItem::Func { params, results, behaviour } => {
                let does = match behaviour {
                    DummyFuncs::Zeros => "zeros",
                    DummyFuncs::Trap => "traps",
                };
                write!(f, "func {} -> {}: {does}", types(params), types(results))
            }
            ProvidedItem::Global { content, mutable } => {
                let value = zero(*content);
                write!(f, "global {}{content} = {value}", if *mutable { "mut " } else { "" })
            }
            ProvidedItem::Table { element, minimum, maximum } => {
                write!(f, "table {element} {} elements, null", limits(*minimum, *maximum))
            }
            ProvidedItem::Memory { minimum, maximum } => {
                write!(f, "memory {} pages, zeroed", limits(*minimum, *maximum))
            }
        }
    }
}

impl fmt::Display for Provided {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.import_name(), self.item)
    }
}

impl Serialize for Provided {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let kind = match self.item {
            ProvidedItem::Func { .. } => "func",
            ProvidedItem::Global { .. } => "global",
            ProvidedItem::Table { .. } => "table",
            ProvidedItem::Memory { .. } => "memory",
        };
        let mut st = s.serialize_struct("Provided", 5)?;
        st.serialize_field("module", &self.module)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("label", &self.label)?;
        st.serialize_field("kind", kind)?;
        st.serialize_field("provided", &self.item.to_string())?;
        st.end()
    }
}

/// The zero of a value type: what dummy globals hold and dummy functions return.
pub fn zero(ty: ValType) -> Val {
    match ty {
        ValType::I32 => Val::I32(0),
        ValType::I64 => Val::I64(0),
        ValType::F32 => Val::F32(0),
        ValType::F64 => Val::F64(0),
        ValType::V128 => Val::V128(0),
        ValType::FuncRef => Val::FuncRef { null: true },
        ValType::ExternRef => Val::ExternRef(None),
    }
}

/// Why [`plan`] cannot provide a module's imports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The type or import section does not parse (the engines' own compile step says more).
    #[error("cannot read the module's imports: {0}")]
    Unreadable(String),
    /// An import the harness cannot make a dummy for.
    #[error("cannot provide import {module:?}.{name:?}: {why}")]
    Unprovidable {
        /// The import's module name.
        module: String,
        /// The import's field name.
        name: String,
        /// Why, saying what is outside redzone's feature set.
        why: String,
    },
}

fn val_type(t: wasmparser::ValType) -> Result<ValType, String> {
    Ok(match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::Ref(r) => ref_type(r)?,
        wasmparser::ValType::V128 => ValType::V128,
    })
}

fn ref_type(r: wasmparser::RefType) -> Result<ValType, String> {
    if r == wasmparser::RefType::FUNCREF {
        Ok(ValType::FuncRef)
    } else if r == wasmparser::RefType::EXTERNREF {
        Ok(ValType::ExternRef)
    } else {
        Err(format!("reference type {r} is outside redzone's feature set (funcref and externref only)"))
    }
}

/// What to provide for every import of `wasm`, in import order, with dummy functions doing
/// `funcs`. An empty list for a module without imports.
pub fn plan(wasm: &[u8], funcs: DummyFuncs) -> Result<Vec<Provided>, PlanError> {
    let unreadable = |e: wasmparser::BinaryReaderError| PlanError::Unreadable(e.to_string());
    // Function types by type index; `None` for a non-function type (GC proposals).
    let mut func_types: Vec<Option<(Vec<wasmparser::ValType>, Vec<wasmparser::ValType>)>> = Vec::new();
    let mut out: Vec<Provided> = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.map_err(unreadable)? {
            wasmparser::Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group.map_err(unreadable)?.into_types() {
                        func_types.push(match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => {
                                Some((f.params().to_vec(), f.results().to_vec()))
                            }
                            _ => None,
                        });
                    }
                }
            }
            wasmparser::Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(unreadable)?;
                    let item = provided_item(import.ty, &func_types, funcs).map_err(|why| PlanError::Unprovidable {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        why,
                    })?;
                    out.push(Provided {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        label: String::new(),
                        item,
                    });
                }
            }
            // Nothing after the import section changes what imports need.
            wasmparser::Payload::FunctionSection(_)
            | wasmparser::Payload::TableSection(_)
            | wasmparser::Payload::MemorySection(_)
            | wasmparser::Payload::GlobalSection(_)
            | wasmparser::Payload::ExportSection(_)
            | wasmparser::Payload::CodeSectionStart { .. } => break,
            _ => {}
        }
    }
    label(&mut out);
    Ok(out)
}

/// Gives every item its label, unique even when a pair is imported twice.
fn label(items: &mut [Provided]) {
    let names: Vec<String> = items.iter().map(Provided::import_name).collect();
    for (i, item) in items.iter_mut().enumerate() {
        let repeated = names.iter().filter(|n| **n == names[i]).count() > 1;
        item.label =
            if repeated { format!("{IMPORT_PREFIX}{}#{i}", names[i]) } else { format!("{IMPORT_PREFIX}{}", names[i]) };
    }
}

type FuncTypes = [Option<(Vec<wasmparser::ValType>, Vec<wasmparser::ValType>)>];

fn provided_item(ty: wasmparser::TypeRef, func_types: &FuncTypes, funcs: DummyFuncs) -> Result<ProvidedItem, String> {
    Ok(match ty {
        wasmparser::TypeRef::Func(index) => {
            let Some(Some((params, results))) = func_types.get(index as usize) else {
                return Err(format!("type {index} is not a function type"));
            };
            ProvidedItem::Func {
                params: params.iter().map(|t| val_type(*t)).collect::<Result<_, _>>()?,
                results: results.iter().map(|t| val_type(*t)).collect::<Result<_, _>>()?,
                behaviour: funcs,
            }
        }
        wasmparser::TypeRef::FuncExact(_) => {
            return Err("exact function imports (custom descriptors) are outside redzone's feature set".into());
        }
        wasmparser::TypeRef::Global(g) => {
            if g.shared {
                return Err("shared globals are outside redzone's feature set".into());
            }
            ProvidedItem::Global { content: val_type(g.content_type)?, mutable: g.mutable }
        }
        wasmparser::TypeRef::Table(t) => {
            if t.table64 || t.shared {
                return Err("64-bit and shared tables are outside redzone's feature set".into());
            }
            ProvidedItem::Table { element: ref_type(t.element_type)?, minimum: t.initial, maximum: t.maximum }
        }
        wasmparser::TypeRef::Memory(m) => {
            if m.memory64 {
                return Err("the harness makes no 64-bit dummy memories yet (memory64 imports)".into());
            }
            if m.shared {
                return Err("shared memories (threads) are outside redzone's feature set".into());
            }
            if m.page_size_log2.is_some() {
                return Err(
                    "the harness makes no dummy memories with a stated page size yet (custom-page-sizes imports)"
                        .into(),
                );
            }
            ProvidedItem::Memory { minimum: m.initial, maximum: m.maximum }
        }
        wasmparser::TypeRef::Tag(_) => {
            return Err("exception tags are outside redzone's feature set (no exception handling)".into());
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_import_is_described_in_order() {
        let wasm = wat::parse_str(
            r#"(module
                 (import "env" "mem" (memory 1 2))
                 (import "env" "t" (table 3 funcref))
                 (import "env" "g" (global (mut i64)))
                 (import "env" "f" (func (param i32) (result f32)))
                 (import "env" "f" (func)))"#,
        )
        .unwrap();
        let list = plan(&wasm, DummyFuncs::Zeros).unwrap();
        let shown: Vec<String> = list.iter().map(|p| format!("{}: {p}", p.label)).collect();
        assert_eq!(
            shown,
            [
                "import:env.mem: env.mem (memory 1..2 pages, zeroed)",
                "import:env.t: env.t (table funcref 3.. elements, null)",
                "import:env.g: env.g (global mut i64 = i64:0)",
                "import:env.f#3: env.f (func [i32] -> [f32]: zeros)",
                "import:env.f#4: env.f (func [] -> []: zeros)",
            ]
        );
        assert_eq!(plan(&wat::parse_str("(module)").unwrap(), DummyFuncs::Trap).unwrap(), vec![]);
        let traps = plan(&wat::parse_str(r#"(module (import "a" "b" (func)))"#).unwrap(), DummyFuncs::Trap).unwrap();
        assert_eq!(traps[0].to_string(), "a.b (func [] -> []: traps)");
    }

    #[test]
    fn unprovidable_imports_are_named_with_the_reason() {
        let tag = wat::parse_str(r#"(module (import "env" "tag" (tag (param i32))))"#).unwrap();
        let err = plan(&tag, DummyFuncs::Zeros).unwrap_err().to_string();
        assert_eq!(
            err,
            "cannot provide import \"env\".\"tag\": exception tags are outside redzone's feature set (no exception \
             handling)"
        );
        let shared = wat::parse_str(r#"(module (import "env" "m" (memory 1 2 shared)))"#).unwrap();
        assert!(plan(&shared, DummyFuncs::Zeros).unwrap_err().to_string().contains("shared memories"));
        let m64 = wat::parse_str(r#"(module (import "env" "m" (memory i64 1)))"#).unwrap();
        assert!(plan(&m64, DummyFuncs::Zeros).unwrap_err().to_string().contains("64-bit dummy memories"));
        let v128 = wat::parse_str(r#"(module (import "env" "g" (global v128)))"#).unwrap();
        let provided = plan(&v128, DummyFuncs::Zeros).expect("v128 globals are provided since issue 13");
        assert!(matches!(provided[0].item, ProvidedItem::Global { content: ValType::V128, mutable: false }));
        assert_eq!(zero(ValType::V128), Val::V128(0));
        assert!(matches!(plan(b"\0asm\x01\0\0\0\x02\x05", DummyFuncs::Zeros), Err(PlanError::Unreadable(_))));
    }

    /// On every configuration: strict linking still refuses unknown imports; dummies link,
    /// return zeros or trap by choice, and their state is read back by label.
    #[test]
    fn every_adapter_provides_the_same_dummies() {
        use crate::engines::{EngineErrorKind, ExportKind, available, build};
        use redzone_engine::TrapKind;
        let wasm = wat::parse_str(
            r#"(module
                 (import "env" "memory" (memory 1 3))
                 (import "env" "g" (global $g (mut f64)))
                 (import "env" "t" (table 1 externref))
                 (import "env" "f" (func $f (param i32) (result i64 funcref)))
                 (func (export "call") (result i64) (drop (call $f (i32.const 1))))
                 (func (export "poke") (i32.store8 (i32.const 70) (i32.const 9)) (global.set $g (f64.const 1))
                   (drop (memory.grow (i32.const 2)))))"#,
        )
        .unwrap();
        for info in available() {
            let name = info.name;
            let mut strict = build(name).unwrap();
            let module = strict.compile(&wasm).unwrap();
            let err = strict.instantiate(module).unwrap_err();
            assert!(matches!(err.kind(), EngineErrorKind::Link(_)), "{name}: strict linking: {err}");

            for (funcs, want) in [(DummyFuncs::Zeros, Ok(vec![Val::I64(0)])), (DummyFuncs::Trap, Err(()))] {
                let mut engine = build(name).unwrap();
                let module = engine.compile(&wasm).unwrap();
                let host = engine.provide(&plan(&wasm, funcs).unwrap()).unwrap();
                let labels: Vec<(String, bool)> = engine
                    .exports(host)
                    .unwrap()
                    .into_iter()
                    .map(|e| (e.name, matches!(e.kind, ExportKind::Func { .. })))
                    .collect();
                let want_labels = [("memory", false), ("g", false), ("t", false), ("f", true)]
                    .map(|(n, f)| (format!("import:env.{n}"), f));
                assert_eq!(labels, want_labels, "{name}");
                let instance = engine.instantiate_with(module, Some(host)).unwrap_or_else(|e| panic!("{name}: {e}"));
                match (engine.call(instance, "call", &[]), want) {
                    (Ok(got), Ok(want)) => assert_eq!(got, want, "{name}"),
                    (Err(e), Err(())) => {
                        assert_eq!(e.trap_kind(), Some(&TrapKind::Other(DUMMY_TRAP.into())), "{name}: {e}")
                    }
                    (got, _) => panic!("{name} with {funcs:?}: {got:?}"),
                }
                engine.call(instance, "poke", &[]).unwrap();
                let memory = engine.memory(host, "import:env.memory").unwrap();
                assert_eq!((memory.pages, memory.bytes[70]), (3, 9), "{name}: the module wrote the host's memory");
                assert_eq!(engine.global(host, "import:env.g").unwrap(), Val::F64(1f64.to_bits()), "{name}");
                let table = engine.table(host, "import:env.t").unwrap();
                assert_eq!((table.element, table.null), (ValType::ExternRef, vec![true]), "{name}");
            }
        }
    }

    /// On every configuration: with dummies, an import that a registered instance exports is
    /// that instance's real extern, shared: a store and a grow through one instance are seen
    /// through the other.
    #[test]
    fn registered_exports_are_shared_not_replaced() {
        use crate::engines::{available, build};
        let exporter = wat::parse_str(
            r#"(module (memory (export "mem") 1 4)
                 (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
                 (func (export "size") (result i32) (memory.size)))"#,
        )
        .unwrap();
        let importer = wat::parse_str(
            r#"(module (import "M" "mem" (memory 1)) (import "env" "other" (global i32))
                 (func (export "poke") (i32.store8 (i32.const 5) (i32.const 77)) (drop (memory.grow (i32.const 1)))))"#,
        )
        .unwrap();
        for info in available() {
            let name = info.name;
            let mut engine = build(name).unwrap();
            let a = engine.load(&exporter).unwrap();
            engine.register(a, "M").unwrap();
            let module = engine.compile(&importer).unwrap();
            let host = engine.provide(&plan(&importer, DummyFuncs::Zeros).unwrap()).unwrap();
            let b = engine.instantiate_with(module, Some(host)).unwrap_or_else(|e| panic!("{name}: {e}"));
            engine.call(b, "poke", &[]).unwrap();
            assert_eq!(engine.call(a, "peek", &[Val::I32(5)]).unwrap(), vec![Val::I32(77)], "{name}");
            assert_eq!(engine.call(a, "size", &[]).unwrap(), vec![Val::I32(2)], "{name}: grow seen by the exporter");
            let dummy = engine.memory(host, "import:M.mem").unwrap();
            assert_eq!((dummy.pages, dummy.bytes[5]), (1, 0), "{name}: the unused dummy stays untouched");
        }
    }
}
