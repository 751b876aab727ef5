//! Tables: types, and the store's table instances with their bounds-checked operations
//! (get, set, grow, fill, copy, init), shared by the interpreter and instantiation.
//!
//! Elements are untyped reference cells: `REF_NULL` for null, otherwise a store function
//! address (funcref) or a host number (externref).

use crate::value::ValType;

/// The type of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    /// `FuncRef` or `ExternRef`.
    pub element: ValType,
    /// Initial size in elements.
    pub minimum: u64,
    /// Declared maximum in elements.
    pub maximum: Option<u64>,
}

impl TableType {
    /// Whether a table of type `self` may be imported where `expected` is declared.
    pub fn matches(&self, expected: &TableType) -> bool {
        self.element == expected.element
            && crate::memory::limits_match(self.minimum, self.maximum, expected.minimum, expected.maximum)
    }
}

/// An access outside a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TableOutOfBounds;

/// A table in the store.
#[derive(Debug, Clone)]
pub(crate) struct TableInstance {
    pub(crate) ty: TableType,
    pub(crate) elements: Vec<u64>,
    /// The most elements this table may reach (declared maximum, host limit, u32 range).
    pub(crate) max: u64,
}

impl TableInstance {
    pub(crate) fn new(ty: TableType, init: u64, host_limit: Option<u64>) -> Option<Self> {
        let declared = ty.maximum.filter(|_| !crate::mutants::on(crate::mutants::Id::TableGrowPastMaximum));
        let mut max = declared.unwrap_or(u32::MAX as u64).min(u32::MAX as u64);
        if let Some(h) = host_limit {
            max = max.min(h);
        }
        if ty.minimum > max {
            return None;
        }
        Some(TableInstance { ty, elements: vec![init; ty.minimum as usize], max })
    }

    #[inline]
    pub(crate) fn size(&self) -> u64 {
        self.elements.len() as u64
    }

    #[inline]
    pub(crate) fn get(&self, i: u64) -> Result<u64, TableOutOfBounds> {
        self.elements.get(i as usize).copied().ok_or(TableOutOfBounds)
    }

    #[inline]
    pub(crate) fn set(&mut self, i: u64, v: u64) -> Result<(), TableOutOfBounds> {
        *self.elements.get_mut(i as usize).ok_or(TableOutOfBounds)? = v;
        Ok(())
    }

    /// table.grow: the old size, or `None` (-1) past the limit.
    pub(crate) fn grow(&mut self, delta: u64, init: u64) -> Option<u64> {
        let old = self.size();
        let new = old.checked_add(delta)?;
        if new > self.max {
            return None;
        }
        self.elements.try_reserve(delta as usize).ok()?;
        self.elements.resize(new as usize, init);
        Some(old)
    }

    pub(crate) fn fill(&mut self, dst: u64, v: u64, len: u64) -> Result<(), TableOutOfBounds> {
        let r = range(dst, len, self.size())?;
        self.elements[r].fill(v);
        Ok(())
    }

    /// table.copy within one table (ranges may overlap).
    pub(crate) fn copy_within(&mut self, dst: u64, src: u64, len: u64) -> Result<(), TableOutOfBounds> {
        let s = range(src, len, self.size())?;
        range(dst, len, self.size())?;
        self.elements.copy_within(s, dst as usize);
        Ok(())
    }

    /// table.init (and active element segments): copies `len` items of `segment` from `src`.
    pub(crate) fn init(&mut self, dst: u64, segment: &[u64], src: u64, len: u64) -> Result<(), TableOutOfBounds> {
        let s = range(src, len, segment.len() as u64)?;
        let d = range(dst, len, self.size())?;
        self.elements[d].copy_from_slice(&segment[s]);
        Ok(())
    }
}

/// table.copy between two different tables.
pub(crate) fn copy_between(
    dst: &mut TableInstance,
    dst_at: u64,
    src: &TableInstance,
    src_at: u64,
    len: u64,
) -> Result<(), TableOutOfBounds> {
    let s = range(src_at, len, src.size())?;
    let d = range(dst_at, len, dst.size())?;
    dst.elements[d].copy_from_slice(&src.elements[s]);
    Ok(())
}

#[inline]
fn range(at: u64, len: u64, size: u64) -> Result<std::ops::Range<usize>, TableOutOfBounds> {
    match at.checked_add(len) {
        Some(end) if end <= size => Ok(at as usize..end as usize),
        _ => Err(TableOutOfBounds),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NULL: u64 = crate::value::REF_NULL;

    fn table(min: u64, max: Option<u64>) -> TableInstance {
        TableInstance::new(TableType { element: ValType::FuncRef, minimum: min, maximum: max }, NULL, None).unwrap()
    }

    #[test]
    fn bulk_operations_check_the_whole_range_first() {
        let mut t = table(4, Some(6));
        assert_eq!(t.init(2, &[1, 2, 3], 0, 3), Err(TableOutOfBounds));
        assert!(t.elements.iter().all(|&e| e == NULL), "nothing written");
        t.init(1, &[1, 2, 3], 0, 3).unwrap();
        assert_eq!(t.elements, vec![NULL, 1, 2, 3]);
        t.copy_within(0, 1, 3).unwrap();
        assert_eq!(t.elements, vec![1, 2, 3, 3]);
        assert_eq!(t.fill(4, 9, 0), Ok(()), "zero length at the end is fine");
        assert_eq!(t.fill(5, 9, 0), Err(TableOutOfBounds));
        assert_eq!(t.grow(2, 7), Some(4));
        assert_eq!(t.grow(1, 7), None);
        assert_eq!(t.get(5), Ok(7));
    }
}
