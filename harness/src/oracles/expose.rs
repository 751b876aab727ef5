//! Every memory of a module made observable: the differential compares what the engines'
//! APIs let it read, which is exported memories only (no peer lists an instance's
//! unexported memories), so a module whose memory 1 (or memory 0) is not exported would
//! hide a wrong store into it. [`expose_memories`] adds an export for each such memory,
//! named [`PREFIX`] + its index (`redzone:memory1`), and changes nothing else: the other
//! sections are copied byte for byte, so every engine runs the same code and traps at the
//! same places.
//!
//! Bytes enter as a module the caller is about to load on every engine (the lockstep spec
//! runner's `module` directives, which expose imported memories too, since they come from
//! other instances or the spectest host that the touched instance's state would miss; the
//! fleet's instantiations, which expose defined memories only, since it compares the memories
//! it provides under their `import:` labels already); what leaves is the module
//! itself when there is nothing to add or it is not a valid module (a module meant to be
//! refused is never touched), and the rewritten module otherwise. The new exports then show
//! up in `Engine::exports` like any other and `fleet::observe` reads them.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use wasm_encoder::Encode;
use wasmparser::{ExternalKind, Parser, Payload, TypeRef, Validator, WasmFeatures};

/// The name of an added export: this prefix and the memory's index.
pub const PREFIX: &str = "redzone:memory";

const EXPORT_SECTION: u8 = 7;
/// Sections that come after the export section in a module (start, element, data count,
/// code, data): a missing export section goes before the first of them.
const AFTER_EXPORTS: [u8; 5] = [8, 9, 12, 10, 11];

/// `wasm` with an export for each memory it does not export (see the module docs), imported
/// ones only with `imported`; the bytes unchanged when there is none, or when they are not a
/// valid module.
pub fn expose_memories(wasm: &[u8], imported: bool) -> Cow<'_, [u8]> {
    match hidden_memories(wasm, imported) {
        Some((hidden, names)) if !hidden.is_empty() && valid(wasm) => match rewrite(wasm, &hidden, &names) {
            Some(bytes) => Cow::Owned(bytes),
            None => Cow::Borrowed(wasm),
        },
        _ => Cow::Borrowed(wasm),
    }
}

/// Whether the module validates with every proposal on: only then is it rewritten, so what
/// an engine refuses is refused for the original bytes' reasons.
fn valid(wasm: &[u8]) -> bool {
    Validator::new_with_features(WasmFeatures::all()).validate_all(wasm).is_ok()
}

/// The indices of the memories no export names (imported ones only with `imported`), and
/// every export name; `None` when the bytes do not parse as a module.
fn hidden_memories(wasm: &[u8], imported: bool) -> Option<(Vec<u32>, HashSet<String>)> {
    let mut count = 0u32;
    let mut first = 0u32;
    let mut exported = BTreeSet::new();
    let mut names = HashSet::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.ok()? {
            Payload::Version { encoding: wasmparser::Encoding::Component, .. } => return None,
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if let TypeRef::Memory(_) = import.ok()?.ty {
                        count += 1;
                        if !imported {
                            first = count;
                        }
                    }
                }
            }
            Payload::MemorySection(reader) => count += reader.count(),
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.ok()?;
                    if export.kind == ExternalKind::Memory {
                        exported.insert(export.index);
                    }
                    names.insert(export.name.to_string());
                }
            }
            _ => {}
        }
    }
    Some(((first..count).filter(|i| !exported.contains(i)).collect(), names))
}

/// The module with the new exports; `None` when its sections cannot be walked.
fn rewrite(wasm: &[u8], hidden: &[u32], names: &HashSet<String>) -> Option<Vec<u8>> {
    let mut extra = Vec::new();
    for &index in hidden {
        let mut name = format!("{PREFIX}{index}");
        while names.contains(&name) {
            name.push('\'');
        }
        name.as_str().encode(&mut extra);
        extra.push(0x02); // the memory export kind
        index.encode(&mut extra);
    }
    let added = hidden.len() as u32;
    let mut out = wasm[..8].to_vec();
    let mut placed = false;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.ok()?;
        let (id, range) = match payload.as_section() {
            Some(section) => section,
            None => continue,
        };
        let contents = wasm.get(usize::try_from(range.start).ok()?..usize::try_from(range.end).ok()?)?;
        if !placed && AFTER_EXPORTS.contains(&id) {
            section(&mut out, EXPORT_SECTION, &exports(&[], 0, added, &extra));
            placed = true;
        }
        if id == EXPORT_SECTION {
            let (existing, at) = leb_u32(contents)?;
            section(&mut out, id, &exports(&contents[at..], existing, added, &extra));
            placed = true;
        } else {
            section(&mut out, id, contents);
        }
    }
    if !placed {
        section(&mut out, EXPORT_SECTION, &exports(&[], 0, added, &extra));
    }
    Some(out)
}

/// An export section's contents: the count, the original entries, then the added ones.
fn exports(entries: &[u8], existing: u32, added: u32, extra: &[u8]) -> Vec<u8> {
    let mut contents = Vec::new();
    (existing + added).encode(&mut contents);
    contents.extend_from_slice(entries);
    contents.extend_from_slice(extra);
    contents
}

fn section(out: &mut Vec<u8>, id: u8, contents: &[u8]) {
    out.push(id);
    contents.encode(out);
}

/// A LEB128 u32 at the start of `bytes` and how many bytes it took.
fn leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((u32::try_from(value).ok()?, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exports_of(wasm: &[u8]) -> Vec<(String, ExternalKind, u32)> {
        let mut out = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::ExportSection(reader) = payload.unwrap() {
                for e in reader {
                    let e = e.unwrap();
                    out.push((e.name.to_string(), e.kind, e.index));
                }
            }
        }
        out
    }

    #[test]
    fn unexported_memories_get_an_export_and_nothing_else_changes() {
        let wasm = wat::parse_str(
            r#"(module
              (import "env" "m" (memory 1))
              (memory 1) (memory (export "two") i64 1)
              (global (export "g") i32 (i32.const 7))
              (start $s) (func $s)
              (data (memory 1) (i32.const 0) "x"))"#,
        )
        .unwrap();
        let defined = expose_memories(&wasm, false);
        let names: Vec<String> = exports_of(&defined).into_iter().map(|e| e.0).collect();
        assert_eq!(names, ["two", "g", "redzone:memory1"], "the import left to the caller");
        let out = expose_memories(&wasm, true);
        assert!(matches!(out, Cow::Owned(_)));
        assert!(valid(&out), "the rewritten module validates");
        let mem = ExternalKind::Memory;
        assert_eq!(
            exports_of(&out),
            [
                ("two".to_string(), mem, 2),
                ("g".to_string(), ExternalKind::Global, 0),
                ("redzone:memory0".to_string(), mem, 0),
                ("redzone:memory1".to_string(), mem, 1),
            ]
        );
    }

    #[test]
    fn a_module_without_exports_gets_an_export_section_in_its_place() {
        let wasm = wat::parse_str(r#"(module (memory 1) (func) (data (i32.const 0) "x"))"#).unwrap();
        let out = expose_memories(&wasm, true);
        assert!(valid(&out), "the export section sits before the code and data sections");
        assert_eq!(exports_of(&out), [("redzone:memory0".to_string(), ExternalKind::Memory, 0)]);
        let bare = wat::parse_str("(module (memory 2))").unwrap();
        assert_eq!(exports_of(&expose_memories(&bare, true)).len(), 1, "appended when nothing follows");
    }

    #[test]
    fn names_never_collide_and_untouched_modules_are_borrowed() {
        let wasm = wat::parse_str(r#"(module (memory 1) (func (export "redzone:memory0")))"#).unwrap();
        let names: Vec<String> = exports_of(&expose_memories(&wasm, true)).into_iter().map(|e| e.0).collect();
        assert_eq!(names, ["redzone:memory0", "redzone:memory0'"]);
        let exported = wat::parse_str(r#"(module (memory (export "m") 1))"#).unwrap();
        assert!(matches!(expose_memories(&exported, true), Cow::Borrowed(_)));
        let invalid = wat::parse_str("(module (memory 1) (func (result i32)))").unwrap();
        assert!(matches!(expose_memories(&invalid, true), Cow::Borrowed(_)), "a module to be refused is left alone");
        assert!(matches!(expose_memories(b"\0asm\x01\0\0\0\x05", true), Cow::Borrowed(_)), "malformed bytes too");
    }
}
