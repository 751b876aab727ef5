//! Typed-array elements: how `u8`, `i32`, `i64`, `f32` and `f64` slices (the ABI's
//! element types; `u32` and `u64` too, for reading guest structures) become the ABI's
//! little-endian bytes and back.

use super::{AbiError, AbiErrorKind};

/// An element type of a typed array crossing the ABI, stored little-endian.
pub trait Element: Copy + Sized {
    /// Width in bytes.
    const SIZE: usize;
    /// Appends the element's little-endian bytes.
    fn put(self, out: &mut Vec<u8>);
    /// Reads one element from exactly [`Element::SIZE`] bytes.
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! element {
    ($($t:ty),*) => {$(
        impl Element for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                let mut b = [0u8; std::mem::size_of::<$t>()];
                b.copy_from_slice(bytes);
                <$t>::from_le_bytes(b)
            }
        }
    )*};
}
element!(u8, i32, i64, f32, f64, u32, u64);

/// The ABI bytes of a typed array.
pub fn encode<T: Element>(items: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.len() * T::SIZE);
    for &item in items {
        item.put(&mut out);
    }
    out
}

/// A typed array from ABI bytes; the length must be a whole number of elements.
pub fn decode<T: Element>(bytes: &[u8]) -> Result<Vec<T>, AbiError> {
    if !bytes.len().is_multiple_of(T::SIZE) {
        return Err(AbiErrorKind::BadArrayLength { len: bytes.len() as u32, element_size: T::SIZE as u32 }.into());
    }
    Ok(bytes.chunks_exact(T::SIZE).map(T::get).collect())
}
