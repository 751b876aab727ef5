//! Instantiation: checking imports against the module's import types, allocating the
//! instance's functions, tables, memories, globals and segments in the store, running active
//! segments in order (a trap leaves earlier writes in place, as in the 2.0 spec), then the
//! start function.

use super::{DataInstance, ElemInstance, Extern, Instance, InstanceData, StoreInner};
use crate::error::Error;
use crate::exec;
use crate::func::{FuncInstance, FuncKind};
use crate::global::GlobalInstance;
use crate::memory::{LinearMemory, MemoryType};
use crate::module::{ExternType, Module, ModuleInner, SegmentMode};
use crate::table::TableInstance;
use crate::trap::{Trap, TrapKind};
use crate::value::REF_NULL;
use std::sync::Arc;

pub(crate) fn instantiate<M: LinearMemory>(
    store: &mut StoreInner<M>,
    module: &Module,
    imports: &[Extern],
) -> Result<Instance, Error> {
    let m: &Arc<ModuleInner> = &module.inner;
    if imports.len() != m.imports.len() {
        return Err(Error::usage(format!(
            "the module has {} imports but {} externs were given",
            m.imports.len(),
            imports.len()
        )));
    }
    let id = store.instances.len() as u32;
    let type_ids: Vec<u32> = m.types.iter().map(|t| store.types.intern(t)).collect();
    let mut inst = InstanceData {
        module: m.clone(),
        type_ids,
        funcs: Vec::with_capacity(m.funcs.len()),
        tables: Vec::with_capacity(m.tables.len()),
        memories: Vec::with_capacity(m.memories.len()),
        globals: Vec::with_capacity(m.globals.len()),
        elems: Vec::with_capacity(m.elems.len()),
        datas: Vec::with_capacity(m.datas.len()),
    };

    // Imports, checked against their declared types before anything is allocated.
    for (import, item) in m.imports.iter().zip(imports) {
        let mismatch = |why: String| Err(Error::link(&import.module, &import.name, why));
        match (&import.ty, *item) {
            (ExternType::Func(want), Extern::Func(f)) => {
                let Some(fi) = store.funcs.get(f.0 as usize) else { return mismatch("no such function".into()) };
                if fi.ty != *want {
                    return mismatch(format!("incompatible import type: expected {want}, got {}", fi.ty));
                }
                inst.funcs.push(f.0);
            }
            (ExternType::Table(want), Extern::Table(t)) => {
                let Some(ti) = store.tables.get(t.0 as usize) else { return mismatch("no such table".into()) };
                let mut have = ti.ty;
                have.minimum = ti.size();
                if !have.matches(want) {
                    return mismatch(format!("incompatible import type: expected {want:?}, got {have:?}"));
                }
                inst.tables.push(t.0);
            }
            (ExternType::Memory(want), Extern::Memory(mem)) => {
                let Some(mi) = store.memories.get(mem.0 as usize) else { return mismatch("no such memory".into()) };
                let have = MemoryType { minimum: mi.size_pages(), ..mi.ty() };
                if !have.matches(want) {
                    return mismatch(format!("incompatible import type: expected {want:?}, got {have:?}"));
                }
                inst.memories.push(mem.0);
            }
            (ExternType::Global(want), Extern::Global(g)) => {
                let Some(gi) = store.globals.get(g.0 as usize) else { return mismatch("no such global".into()) };
                if gi.ty != *want {
                    return mismatch(format!("incompatible import type: expected {want:?}, got {:?}", gi.ty));
                }
                inst.globals.push(g.0);
            }
            (want, got) => {
                return mismatch(format!("incompatible import type: expected a {}, got {got:?}", kind_name(want)));
            }
        }
    }

    // Defined functions.
    for index in m.num_imported_funcs..m.funcs.len() as u32 {
        let ty = m.types[m.funcs[index as usize] as usize].clone();
        let type_id = inst.type_ids[m.funcs[index as usize] as usize];
        inst.funcs.push(store.funcs.len() as u32);
        store.funcs.push(FuncInstance { type_id, ty, kind: FuncKind::Wasm { instance: id, index } });
    }

    // Defined globals, in order: an initialiser may read imported and earlier globals.
    for (i, init) in m.global_inits.iter().enumerate() {
        let ty = m.globals[m.num_imported_globals as usize + i];
        let value = init.eval128(
            |g| {
                let g = &store.globals[inst.globals[g as usize] as usize];
                g.value as u128 | (g.hi as u128) << 64
            },
            |f| inst.funcs[f as usize],
        );
        inst.globals.push(store.globals.len() as u32);
        store.globals.push(GlobalInstance { ty, value: value as u64, hi: (value >> 64) as u64 });
    }

    // Defined tables.
    for (i, init) in m.table_inits.iter().enumerate() {
        let ty = m.tables[m.num_imported_tables as usize + i];
        let init = match init {
            Some(e) => e.eval(|g| store.globals[inst.globals[g as usize] as usize].value, |f| inst.funcs[f as usize]),
            None => REF_NULL,
        };
        let table = TableInstance::new(ty, init, store.config.table_limit_elements).ok_or_else(|| {
            Error::limit(format!(
                "table of {} elements exceeds the host limit of {:?} elements",
                ty.minimum, store.config.table_limit_elements
            ))
        })?;
        inst.tables.push(store.tables.len() as u32);
        store.tables.push(table);
    }

    // Defined memories.
    for ty in &m.memories[m.num_imported_memories as usize..] {
        let mem = M::new(*ty, store.config.memory_limit_pages)?;
        inst.memories.push(store.memories.len() as u32);
        store.memories.push(mem);
    }

    // Segments: evaluated now, copied into tables and memories below.
    for seg in &m.elems {
        let items: Arc<[u64]> = seg
            .items
            .iter()
            .map(|e| e.eval(|g| store.globals[inst.globals[g as usize] as usize].value, |f| inst.funcs[f as usize]))
            .collect();
        inst.elems.push(store.elems.len() as u32);
        store.elems.push(ElemInstance { items });
    }
    for seg in &m.datas {
        inst.datas.push(store.datas.len() as u32);
        store.datas.push(DataInstance { bytes: seg.bytes.clone() });
    }

    // From here on the instance's objects are in the store for good: a trap in a segment or in
    // the start function leaves what was written before it.
    store.instances.push(inst);
    let inst = &store.instances[id as usize];
    let global = |g: u32| store.globals[inst.globals[g as usize] as usize].value;

    let mut elem_writes = Vec::new();
    for (i, seg) in m.elems.iter().enumerate() {
        match &seg.mode {
            SegmentMode::Active { index, offset } => {
                let at = offset.eval(global, |f| inst.funcs[f as usize]) as u32 as u64;
                elem_writes.push((Some((inst.tables[*index as usize], at)), inst.elems[i]));
            }
            SegmentMode::Declared => elem_writes.push((None, inst.elems[i])),
            SegmentMode::Passive => {}
        }
    }
    let mut data_writes = Vec::new();
    for (i, seg) in m.datas.iter().enumerate() {
        if let SegmentMode::Active { index, offset } = &seg.mode {
            let at = offset.eval(global, |f| inst.funcs[f as usize]);
            // A memory64 segment's offset is an i64 expression: all 64 bits count.
            let at = if m.memories[*index as usize].index64 { at } else { at as u32 as u64 };
            data_writes.push((inst.memories[*index as usize], at, inst.datas[i]));
        }
    }
    let start = m.start.map(|s| inst.funcs[s as usize]);

    if crate::mutants::on(crate::mutants::Id::DataReversed) {
        data_writes.reverse();
    }
    for (target, elem) in elem_writes {
        let items = std::mem::take(&mut store.elems[elem as usize].items);
        if let Some((table, at)) = target {
            let table = &mut store.tables[table as usize];
            crate::mutants::elem_segment(table, at, &items)
                .unwrap_or_else(|| table.init(at, &items, 0, items.len() as u64))
                .map_err(|_| Trap::new(TrapKind::TableOutOfBounds))?;
        }
    }
    for (mem, at, data) in data_writes {
        let bytes = std::mem::take(&mut store.datas[data as usize].bytes);
        let mem = &mut store.memories[mem as usize];
        crate::mutants::data_segment(mem, at, &bytes)
            .unwrap_or_else(|| mem.write(at, &bytes))
            .map_err(|_| Trap::new(TrapKind::MemoryOutOfBounds))?;
    }
    if let Some(start) = start {
        exec::invoke(store, start, &[])?;
    }
    Ok(Instance(id))
}

fn kind_name(ty: &ExternType) -> &'static str {
    match ty {
        ExternType::Func(_) => "function",
        ExternType::Table(_) => "table",
        ExternType::Memory(_) => "memory",
        ExternType::Global(_) => "global",
    }
}
