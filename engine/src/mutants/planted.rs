//! The planted bugs themselves (only with the `mutants` feature): the wrong versions of
//! guest accesses, bulk and table instructions and active segments. Each function is called
//! at its site only while a mutant of its kind is active, and falls back to the correct
//! behaviour (by returning `None`) for instructions its mutant does not touch.
//!
//! Planted accesses go through the memory's accessible bytes ([`LinearMemory::data`]), never
//! past them: a byte that a buggy check admits beyond the end reads as zero and is not
//! written, so the bug shows in results and memory contents while the host stays safe.

use super::{Id, on};
use crate::code::Instr;
use crate::memory::{LinearMemory, MemoryType, OutOfBounds, Scalar, checked_range};
use crate::store::{InstanceData, StoreInner};
use crate::table::{TableInstance, TableOutOfBounds};
use crate::trap::TrapKind;
use crate::value::REF_NULL;

/// The effective address as the active mutant computes it.
fn effective(addr: u32, offset: u32) -> u64 {
    if on(Id::AddrOffsetTruncated) {
        addr as u64 + (offset & 0xffff) as u64
    } else if on(Id::AddrWrap32) {
        addr.wrapping_add(offset) as u64
    } else {
        addr as u64 + offset as u64
    }
}

/// Whether the active mutant's bounds check admits an access of `size` bytes at `ea`.
fn admitted<M: LinearMemory>(mem: &M, addr: u32, ea: u64, size: u64) -> bool {
    let len = mem.size_bytes();
    let checked = !M::SIGNAL_TRAPS;
    if checked && on(Id::BoundsOffByOne) {
        ea + size <= len + 1
    } else if checked && on(Id::BoundsFirstByte) {
        ea < len
    } else if checked && on(Id::BoundsNarrowWidth) {
        ea + size.max(8) <= len
    } else if checked && on(Id::AddrOffsetUnchecked) {
        addr as u64 + size <= len
    } else if checked && on(Id::BoundsStaleAfterGrow) {
        let ty: MemoryType = mem.ty();
        ea + size <= len.min(ty.minimum << ty.page_size_log2)
    } else {
        ea + size <= len
    }
}

/// A guest load at `addr + offset` under the active access mutant; `None` traps.
pub(crate) fn load<M: LinearMemory, T: Scalar>(mem: &M, addr: u32, offset: u32) -> Option<T> {
    let size = T::SIZE as u64;
    let ea = effective(addr, offset);
    if !admitted(mem, addr, ea, size) {
        return None;
    }
    let data = mem.data();
    let mut bytes = [0u8; 8];
    for (i, b) in bytes[..T::SIZE].iter_mut().enumerate() {
        *b = usize::try_from(ea + i as u64).ok().and_then(|at| data.get(at)).copied().unwrap_or(0);
    }
    if T::SIZE == 2 && on(Id::Load16ByteSwap) {
        bytes.swap(0, 1);
    }
    // SAFETY: `bytes` holds 8 readable bytes, at least `T::SIZE`.
    Some(unsafe { T::read_le(bytes.as_ptr()) })
}

/// A guest store of `v` at `addr + offset` under the active access mutant; `false` traps.
pub(crate) fn store<M: LinearMemory, T: Scalar>(mem: &mut M, addr: u32, offset: u32, v: T) -> bool {
    let size = T::SIZE as u64;
    let ea = effective(addr, offset);
    let mut bytes = [0u8; 8];
    // SAFETY: `bytes` has room for 8 bytes, at least `T::SIZE`.
    unsafe { T::write_le(bytes.as_mut_ptr(), v) };
    let len = mem.size_bytes();
    let straddles = ea < len && ea + size > len;
    if M::SIGNAL_TRAPS && on(Id::GuardStoreSplit) && straddles {
        let data = mem.data_mut();
        let inside = (len - ea) as usize;
        data[ea as usize..].copy_from_slice(&bytes[..inside]);
        return false;
    }
    if !admitted(mem, addr, ea, size) {
        return false;
    }
    let data = mem.data_mut();
    for (i, &b) in bytes[..T::SIZE].iter().enumerate() {
        if let Some(cell) = usize::try_from(ea + i as u64).ok().and_then(|at| data.get_mut(at)) {
            *cell = b;
        }
    }
    true
}

/// The result of a load of `T`, as the active mutant extends it (`load32-s-zero-extends`
/// drops the sign extension of `i64.load32_s`, the only load of an `i32` into 64 bits).
#[inline(always)]
pub(crate) fn extend<T: Scalar>(x: u64) -> u64 {
    if on(Id::LoadSignDropped) && std::any::TypeId::of::<T>() == std::any::TypeId::of::<i32>() {
        x & 0xffff_ffff
    } else {
        x
    }
}

/// The bulk, grow and table instructions under the active mutant: `Some` with the outcome
/// when the mutant changes this instruction, `None` to run the correct one.
///
/// # Safety
/// As for `exec::run::bulk`: `st`, `inst`, `mem`, `sp` and `at` valid, `mem` memory 0 of
/// `inst` when the instruction touches memory. The planted bugs live in memory 0's
/// instructions only: the patterns below match memory index 0.
pub(crate) unsafe fn bulk<M: LinearMemory>(
    st: *mut StoreInner<M>,
    inst: *const InstanceData,
    mem: *mut M,
    sp: *mut u64,
    at: *const Instr,
) -> Option<Result<(), TrapKind>> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let r = |s: u32| *sp.add(s as usize);
        let w = |s: u32, v: u64| *sp.add(s as usize) = v;
        let oob = Err(TrapKind::MemoryOutOfBounds);
        let table_oob = Err(TrapKind::TableOutOfBounds);
        match *at {
            Instr::MemoryGrow(d, delta, 0) => {
                let m = &mut *mem;
                let delta = r(delta) as u32 as u64;
                let old_len = m.size_bytes() as usize;
                let old = m.size_pages();
                if on(Id::GrowMaxOffByOne) {
                    if m.ty().maximum == Some(old + delta) {
                        w(d, u32::MAX as u64);
                        return Some(Ok(()));
                    }
                    return None;
                }
                if !(on(Id::GrowReturnsNew) || on(Id::GrowNotZeroed) || on(Id::GrowContentsTruncated)) {
                    return None;
                }
                let Some(old) = m.grow(delta) else {
                    w(d, u32::MAX as u64);
                    return Some(Ok(()));
                };
                let data = m.data_mut();
                if on(Id::GrowNotZeroed) {
                    let n = old_len.min(data.len() - old_len).min(4096);
                    data.copy_within(..n, old_len);
                }
                if on(Id::GrowContentsTruncated) && delta > 0 && old_len > 65536 {
                    data[65536..old_len].fill(0);
                }
                w(d, if on(Id::GrowReturnsNew) { old + delta } else { old } as u32 as u64);
                Some(Ok(()))
            }
            Instr::MemoryFill(args, 0) if on(Id::FillZeroLenUnchecked) && r(args + 2) as u32 == 0 => Some(Ok(())),
            Instr::MemoryCopy(args, 0, 0) if on(Id::CopyForwardOnly) || on(Id::CopySourceUnchecked) => {
                let data = (&mut *mem).data_mut();
                let (dst, src, len) = (r(args) as u32 as u64, r(args + 1) as u32 as u64, r(args + 2) as u32 as u64);
                let size = data.len() as u64;
                let Ok(d) = checked_range(dst, len, size) else { return Some(oob) };
                if on(Id::CopyForwardOnly) {
                    let Ok(s) = checked_range(src, len, size) else { return Some(oob) };
                    for (i, j) in d.zip(s) {
                        data[i] = data[j];
                    }
                } else {
                    let from: Vec<u8> = (src..src + len).map(|j| data.get(j as usize).copied().unwrap_or(0)).collect();
                    data[d].copy_from_slice(&from);
                }
                Some(Ok(()))
            }
            Instr::MemoryInit(seg, args, 0) if on(Id::InitSourceOffsetIgnored) || on(Id::InitZeroLenUnchecked) => {
                let (dst, src, len) = (r(args) as u32 as u64, r(args + 1) as u32 as u64, r(args + 2) as u32 as u64);
                if on(Id::InitZeroLenUnchecked) {
                    return (len == 0).then_some(Ok(()));
                }
                let daddr = (&(*inst).datas)[seg as usize] as usize;
                let bytes: &[u8] = &(&(*st).datas)[daddr].bytes;
                if checked_range(src, len, bytes.len() as u64).is_err() {
                    return Some(oob);
                }
                Some((&mut *mem).write(dst, &bytes[..len as usize]).map_err(|_| TrapKind::MemoryOutOfBounds))
            }
            Instr::DataDrop(_) if on(Id::InitDroppedSegment) => Some(Ok(())),
            Instr::ElemDrop(_) if on(Id::ElemDropIgnored) => Some(Ok(())),
            Instr::TableGet(d, t, i) if on(Id::TableOffByOne) => {
                let table = &(&(*st).tables)[(&(*inst).tables)[t as usize] as usize];
                (r(i) as u32 as u64 == table.size()).then(|| {
                    w(d, REF_NULL);
                    Ok(())
                })
            }
            Instr::TableSet(t, i, _) if on(Id::TableOffByOne) => {
                let table = &(&(*st).tables)[(&(*inst).tables)[t as usize] as usize];
                (r(i) as u32 as u64 == table.size()).then_some(Ok(()))
            }
            Instr::TableFill(_, args) if on(Id::TableFillZeroLenUnchecked) && r(args + 2) as u32 == 0 => Some(Ok(())),
            Instr::TableCopy(dt, s, args) if on(Id::TableCopyForwardOnly) && dt == s => {
                let table = &mut (&mut (*st).tables)[(&(*inst).tables)[dt as usize] as usize];
                let (dst, src, len) = (r(args) as u32 as u64, r(args + 1) as u32 as u64, r(args + 2) as u32 as u64);
                let size = table.size();
                let (Some(de), Some(se)) = (dst.checked_add(len), src.checked_add(len)) else { return Some(table_oob) };
                if de > size || se > size {
                    return Some(table_oob);
                }
                for k in 0..len as usize {
                    table.elements[dst as usize + k] = table.elements[src as usize + k];
                }
                Some(Ok(()))
            }
            _ => None,
        }
    }
}

/// An active data segment `bytes` at `at` under the active mutant: `Some` with the outcome
/// when the mutant changes it, `None` to write it correctly.
pub(crate) fn data_segment<M: LinearMemory>(mem: &mut M, at: u64, bytes: &[u8]) -> Option<Result<(), OutOfBounds>> {
    let len = mem.size_bytes();
    let end = at.checked_add(bytes.len() as u64)?;
    if end <= len {
        return None;
    }
    if on(Id::DataBoundsOffByOne) && end == len + 1 {
        return Some(mem.write(at, &bytes[..bytes.len() - 1]));
    }
    if on(Id::DataPartialWrite) && at < len {
        mem.write(at, &bytes[..(len - at) as usize]).ok()?;
        return Some(Err(OutOfBounds));
    }
    None
}

/// An active element segment `items` at `at` under the active mutant, as
/// [`data_segment`].
pub(crate) fn elem_segment(table: &mut TableInstance, at: u64, items: &[u64]) -> Option<Result<(), TableOutOfBounds>> {
    let size = table.size();
    let end = at.checked_add(items.len() as u64)?;
    if end <= size {
        return None;
    }
    if on(Id::ElemBoundsOffByOne) && end == size + 1 {
        return Some(table.init(at, items, 0, items.len() as u64 - 1));
    }
    if on(Id::ElemPartialWrite) && at < size {
        table.init(at, items, 0, size - at).ok()?;
        return Some(Err(TableOutOfBounds));
    }
    None
}
