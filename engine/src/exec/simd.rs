//! Every SIMD instruction ([`Instr::Simd`]), run out of line of the handlers: one handler
//! calls [`simd`] through the `Ops` table for all of them.
//!
//! A `v128` is a `u128` whose lane `i` of `N` bits is bits `N*i .. N*(i+1)` (wasm's
//! little-endian lane order). Its low half is in the value stack, its high half in
//! `ExecState::hi` at the same index (see `exec`). The lane helpers below read and build
//! such values; float lanes follow the scalar semantics of `num.rs` (min/max NaN and signed
//! zero rules, round-ties-even, NaNs quieted, saturating truncation).
//!
//! The memory instructions go through the strategy like the scalar ones: `v128.load`/`store`
//! are one 16-byte access ([`access::load128`]/[`access::store128`]), the narrower loads and
//! the lane accesses use the scalar widths ([`access::load`]/[`access::store`]), with the
//! handler's instruction pointer as the site so that a guard fault is located.

use super::access;
use super::num;
use super::run::memory_at;
use super::threaded::Op;
use crate::code::{Instr, SimdOp};
use crate::memory::LinearMemory;
use crate::store::{InstanceData, StoreInner};
use crate::trap::TrapKind;

/// One lane type: its width and its conversion from and to the low bits of a `u128`.
trait Lane: Copy {
    const BITS: u32;
    fn from_raw(x: u128) -> Self;
    fn raw(self) -> u128;
}

macro_rules! int_lane {
    ($($t:ty => $u:ty),*) => {$(
        impl Lane for $t {
            const BITS: u32 = <$t>::BITS;
            #[inline(always)]
            fn from_raw(x: u128) -> Self {
                x as $u as $t
            }
            #[inline(always)]
            fn raw(self) -> u128 {
                self as $u as u128
            }
        }
    )*};
}
int_lane!(i8 => u8, u8 => u8, i16 => u16, u16 => u16, i32 => u32, u32 => u32, i64 => u64, u64 => u64);

impl Lane for f32 {
    const BITS: u32 = 32;
    #[inline(always)]
    fn from_raw(x: u128) -> Self {
        f32::from_bits(x as u32)
    }
    #[inline(always)]
    fn raw(self) -> u128 {
        self.to_bits() as u128
    }
}

impl Lane for f64 {
    const BITS: u32 = 64;
    #[inline(always)]
    fn from_raw(x: u128) -> Self {
        f64::from_bits(x as u64)
    }
    #[inline(always)]
    fn raw(self) -> u128 {
        self.to_bits() as u128
    }
}

/// Lane `i` of `v` as a `T`.
#[inline(always)]
fn get<T: Lane>(v: u128, i: u32) -> T {
    T::from_raw(v >> (i * T::BITS))
}

/// The vector whose lane `i` is `f(i)`.
#[inline(always)]
fn build<T: Lane>(f: impl Fn(u32) -> T) -> u128 {
    (0..128 / T::BITS).fold(0u128, |acc, i| acc | f(i).raw() << (i * T::BITS))
}

#[inline(always)]
fn un<T: Lane>(a: u128, f: impl Fn(T) -> T) -> u128 {
    build(|i| f(get(a, i)))
}

#[inline(always)]
fn bin<T: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> T) -> u128 {
    build(|i| f(get(a, i), get(b, i)))
}

/// A lane-wise comparison: all ones where `f` holds, zeros elsewhere.
#[inline(always)]
fn cmp<T: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> bool) -> u128 {
    let ones = u128::MAX >> (128 - T::BITS);
    (0..128 / T::BITS).fold(0u128, |acc, i| if f(get(a, i), get(b, i)) { acc | ones << (i * T::BITS) } else { acc })
}

/// `v` with lane `i` replaced by the low `T::BITS` bits of `x`.
#[inline(always)]
fn replace<T: Lane>(v: u128, i: u32, x: T) -> u128 {
    let ones = u128::MAX >> (128 - T::BITS);
    let at = (i % (128 / T::BITS)) * T::BITS;
    (v & !(ones << at)) | (x.raw() << at)
}

/// Bit `i` set where lane `i`, as a signed integer, is negative.
#[inline(always)]
fn bitmask<T: Lane>(a: u128) -> u64 {
    (0..128 / T::BITS).fold(0u64, |acc, i| acc | ((get::<T>(a, i).raw() >> (T::BITS - 1)) as u64 & 1) << i)
}

/// Whether every lane is non-zero.
#[inline(always)]
fn all_true<T: Lane>(a: u128) -> bool {
    (0..128 / T::BITS).all(|i| get::<T>(a, i).raw() != 0)
}

/// The shift count of a lane shift: the scalar modulo the lane width.
#[inline(always)]
fn shift_count<T: Lane>(s: u64) -> u32 {
    (s as u32) % T::BITS
}

/// The lane-wise operations the interpreter runs in handlers of their own (`Instr::I32x4Add`, ...), shared
/// with their `Simd` arms here.
pub(super) mod lanes {
    use super::bin;

    macro_rules! lane_ops {
        ($($name:ident: $t:ty, $x:ident, $y:ident => $e:expr;)*) => {$(
            #[inline(always)]
            pub(in crate::exec) fn $name(a: u128, b: u128) -> u128 {
                bin::<$t>(a, b, |$x, $y| $e)
            }
        )*};
    }
    lane_ops! {
        i8x16_add: u8, x, y => x.wrapping_add(y);
        i16x8_add: u16, x, y => x.wrapping_add(y);
        i32x4_add: u32, x, y => x.wrapping_add(y);
        i64x2_add: u64, x, y => x.wrapping_add(y);
        i32x4_sub: u32, x, y => x.wrapping_sub(y);
        i32x4_mul: u32, x, y => x.wrapping_mul(y);
        f32x4_add: f32, x, y => x + y;
        f32x4_mul: f32, x, y => x * y;
        f64x2_add: f64, x, y => x + y;
        f64x2_mul: f64, x, y => x * y;
    }
}

/// The high halves of the slots from value stack cell `at` on (`ExecState::hi`), grown first
/// to the value stack's length when shorter.
///
/// # Safety
/// `at` must be a cell of the value stack.
#[inline(always)]
pub(super) unsafe fn hi_at(exec: &mut super::ExecState, at: usize) -> *mut u64 {
    if exec.hi.len() < exec.stack.len() {
        grow_hi(&mut exec.hi, exec.stack.len());
    }
    // SAFETY: `hi` is at least as long as the value stack, which holds cell `at`.
    unsafe { exec.hi.as_mut_ptr().add(at) }
}

/// Grows `hi` to `len` cells (the value stack's length), zeroed.
#[cold]
#[inline(never)]
pub(super) fn grow_hi(hi: &mut Vec<u64>, len: usize) {
    hi.resize(len, 0);
}

/// Runs the SIMD instruction just fetched (`ip` points past its `Simd` word, at its first
/// `Ext` word, and is the site of its memory access) and returns how many `Ext` words
/// follow it.
///
/// # Safety
/// As for `run::bulk`: `st`, `inst` and `sp` are the handler's, `mem` is the instance's
/// memory 0 (or null when it has none, in which case no memory instruction validated; a
/// memory operation on another memory names it in the `Simd` word), and `ip` is the
/// handler's. Like the handlers, this frame owns nothing with a destructor while it performs
/// a guest access (a guard fault abandons it).
#[inline(never)]
pub(super) unsafe fn simd<M: LinearMemory>(
    st: *mut StoreInner<M>,
    inst: *const InstanceData,
    mem: *mut M,
    sp: *mut u64,
    ip: *const Op,
) -> Result<usize, TrapKind> {
    // SAFETY (for the whole body): the slots named by the translator lie inside the current
    // frame, whose cells exist in `stack` and, once grown here, in `hi` at the same indices.
    unsafe {
        let Instr::Simd(op, mi, d, a) = (*ip.sub(1)).i else { return Ok(0) };
        // A memory operation on a memory other than memory 0 (multi-memory) names it.
        let mem = if mi == 0 { mem } else { memory_at(st, inst, mi as u32) };
        let (b, c, imm) = match (*ip).i {
            Instr::Ext(b, c, imm) => (b, c, imm),
            _ => (0, 0, 0),
        };
        let exec = &mut (*st).exec;
        let hp = hi_at(exec, sp.offset_from(exec.stack.as_ptr()) as usize);
        let site = ip as usize;

        macro_rules! rs {
            ($s:expr) => {
                *sp.add($s as usize)
            };
        }
        macro_rules! rv {
            ($s:expr) => {
                *sp.add($s as usize) as u128 | (*hp.add($s as usize) as u128) << 64
            };
        }
        macro_rules! wv {
            ($v:expr) => {{
                let v: u128 = $v;
                *sp.add(d as usize) = v as u64;
                *hp.add(d as usize) = (v >> 64) as u64;
            }};
        }
        macro_rules! ws {
            ($v:expr) => {{
                let v: u64 = $v;
                *sp.add(d as usize) = v;
            }};
        }
        // The 128-bit immediate of `v128.const` and `i8x16.shuffle`.
        macro_rules! imm128 {
            () => {{
                let (i1, i2, i3) = match (*ip.add(1)).i {
                    Instr::Ext(x, y, z) => (x, y, z),
                    _ => (0, 0, 0),
                };
                imm as u128 | (i1 as u128) << 32 | (i2 as u128) << 64 | (i3 as u128) << 96
            }};
        }
        // The effective address of the access at `$offset` past the address in slot `a`: a
        // 32-bit address is zero-extended (the sum stays below 2^33 and the access checks
        // it), a memory64 one goes through `ea64` (no wrapping past 2^64).
        macro_rules! ea {
            ($offset:expr) => {{
                let offset: u64 = $offset;
                if !mem.is_null() && (*mem).ty().index64 {
                    match access::ea64::<M>(rs!(a), offset, access::parts(mem).1) {
                        Some(ea) => ea,
                        None => return Err(TrapKind::MemoryOutOfBounds),
                    }
                } else {
                    (rs!(a) as u32 as u64) + offset
                }
            }};
            () => {
                ea!(imm as u64)
            };
        }
        // The 64-bit static offset of a `Mem*` operation.
        macro_rules! offset64 {
            () => {
                (c as u64) << 32 | imm as u64
            };
        }
        macro_rules! load {
            ($t:ty) => {
                load!($t, ea!())
            };
            ($t:ty, $ea:expr) => {{
                let ea = $ea;
                if access::past_unguarded_end(mem, ea, size_of::<$t>()) {
                    return Err(TrapKind::MemoryOutOfBounds);
                }
                let (mb, ml) = access::parts(mem);
                match access::load::<M, $t>(mem, mb, ml, ea, site) {
                    Some(x) => x,
                    None => return Err(TrapKind::MemoryOutOfBounds),
                }
            }};
        }
        macro_rules! store {
            ($t:ty, $v:expr) => {
                store!($t, $v, ea!())
            };
            ($t:ty, $v:expr, $ea:expr) => {{
                let ea = $ea;
                if access::past_unguarded_end(mem, ea, size_of::<$t>()) {
                    return Err(TrapKind::MemoryOutOfBounds);
                }
                let (mb, ml) = access::parts(mem);
                if !access::store::<M, $t>(mem, mb, ml, ea, $v, site) {
                    return Err(TrapKind::MemoryOutOfBounds);
                }
            }};
        }
        // A scalar load of the general path, its value extended by `$e`.
        macro_rules! mem_load {
            ($t:ty, $x:ident => $e:expr) => {{
                let $x = load!($t, ea!(offset64!()));
                ws!($e)
            }};
        }
        macro_rules! mem_store {
            ($t:ty) => {
                store!($t, rs!(b) as $t, ea!(offset64!()))
            };
        }
        macro_rules! un {
            ($t:ty, $x:ident => $e:expr) => {
                wv!(un::<$t>(rv!(a), |$x| $e))
            };
        }
        macro_rules! bin {
            ($t:ty, $x:ident, $y:ident => $e:expr) => {
                wv!(bin::<$t>(rv!(a), rv!(b), |$x, $y| $e))
            };
        }
        macro_rules! cmp {
            ($t:ty, $x:ident, $y:ident => $e:expr) => {
                wv!(cmp::<$t>(rv!(a), rv!(b), |$x, $y| $e))
            };
        }
        macro_rules! shift {
            ($t:ty, $x:ident, $n:ident => $e:expr) => {{
                let $n = shift_count::<$t>(rs!(b));
                wv!(un::<$t>(rv!(a), |$x| $e))
            }};
        }
        // `$to` lanes from `$from` lanes `off..`: extension.
        macro_rules! extend {
            ($to:ty, $from:ty, $off:expr) => {{
                let v = rv!(a);
                wv!(build::<$to>(|i| get::<$from>(v, i + $off) as $to))
            }};
        }
        // `$to` lanes, each the wrapping product of `$from` lanes `off + i` of both operands.
        macro_rules! extmul {
            ($to:ty, $from:ty, $off:expr) => {{
                let (x, y) = (rv!(a), rv!(b));
                wv!(build::<$to>(|i| (get::<$from>(x, i + $off) as $to).wrapping_mul(get::<$from>(y, i + $off) as $to)))
            }};
        }
        macro_rules! extadd {
            ($to:ty, $from:ty) => {{
                let v = rv!(a);
                wv!(build::<$to>(|i| (get::<$from>(v, 2 * i) as $to).wrapping_add(get::<$from>(v, 2 * i + 1) as $to)))
            }};
        }
        // Saturating narrowing of the signed `$from` lanes of `a` then `b` into `$to` lanes
        // whose range (as `$from`) is `$lo..=$hi`.
        macro_rules! narrow {
            ($to:ty, $from:ty, $lo:expr, $hi:expr) => {{
                let (x, y) = (rv!(a), rv!(b));
                let half = 128 / <$from>::BITS;
                wv!(build::<$to>(|i| {
                    let v: $from = if i < half { get(x, i) } else { get(y, i - half) };
                    v.clamp($lo, $hi) as $to
                }))
            }};
        }
        // Loads `$n` lanes of `$from` (8 bytes) and extends each to `$to`.
        macro_rules! load_extend {
            ($to:ty, $from:ty) => {{
                let x = load!(u64) as u128;
                wv!(build::<$to>(|i| get::<$from>(x, i) as $to))
            }};
        }
        macro_rules! load_splat {
            ($t:ty) => {{
                let x = load!($t);
                wv!(build::<$t>(|_| x))
            }};
        }
        macro_rules! load_lane {
            ($t:ty) => {{
                let v = rv!(b);
                let x = load!($t);
                wv!(replace::<$t>(v, c, x))
            }};
        }
        macro_rules! store_lane {
            ($t:ty) => {{
                let x = get::<$t>(rv!(b), c % (128 / <$t>::BITS));
                store!($t, x)
            }};
        }

        use SimdOp::*;
        match op {
            Copy => wv!(rv!(a)),
            MoveHi => *hp.add(d as usize) = *hp.add(a as usize),
            Select => wv!(if rs!(c) as u32 != 0 { rv!(a) } else { rv!(b) }),
            GlobalGet => {
                let addr = (&(*inst).globals)[imm as usize] as usize;
                let g = &(&(*st).globals)[addr];
                wv!(g.value as u128 | (g.hi as u128) << 64)
            }
            GlobalSet => {
                let v = rv!(a);
                let addr = (&(*inst).globals)[imm as usize] as usize;
                let g = &mut (&mut (*st).globals)[addr];
                g.value = v as u64;
                g.hi = (v >> 64) as u64;
            }

            // ---- scalar accesses on the general path ----
            MemI32Load => mem_load!(u32, x => x as u64),
            MemI64Load => mem_load!(u64, x => x),
            MemI32Load8S => mem_load!(i8, x => x as i32 as u32 as u64),
            MemI32Load8U => mem_load!(u8, x => x as u64),
            MemI32Load16S => mem_load!(i16, x => x as i32 as u32 as u64),
            MemI32Load16U => mem_load!(u16, x => x as u64),
            MemI64Load8S => mem_load!(i8, x => x as i64 as u64),
            MemI64Load8U => mem_load!(u8, x => x as u64),
            MemI64Load16S => mem_load!(i16, x => x as i64 as u64),
            MemI64Load16U => mem_load!(u16, x => x as u64),
            MemI64Load32S => mem_load!(i32, x => x as i64 as u64),
            MemI64Load32U => mem_load!(u32, x => x as u64),
            MemI32Store => mem_store!(u32),
            MemI64Store => mem_store!(u64),
            MemI32Store8 => mem_store!(u8),
            MemI32Store16 => mem_store!(u16),
            MemSize => ws!((*mem).size_pages()),

            // ---- memory ----
            V128Load => {
                let v = match access::load128::<M>(mem, ea!(), site) {
                    Some(v) => v,
                    None => return Err(TrapKind::MemoryOutOfBounds),
                };
                wv!(v)
            }
            V128Store => {
                let v = rv!(b);
                if !access::store128::<M>(mem, ea!(), v, site) {
                    return Err(TrapKind::MemoryOutOfBounds);
                }
            }
            V128Load8x8S => load_extend!(i16, i8),
            V128Load8x8U => load_extend!(u16, u8),
            V128Load16x4S => load_extend!(i32, i16),
            V128Load16x4U => load_extend!(u32, u16),
            V128Load32x2S => load_extend!(i64, i32),
            V128Load32x2U => load_extend!(u64, u32),
            V128Load8Splat => load_splat!(u8),
            V128Load16Splat => load_splat!(u16),
            V128Load32Splat => load_splat!(u32),
            V128Load64Splat => load_splat!(u64),
            V128Load32Zero => wv!(load!(u32) as u128),
            V128Load64Zero => wv!(load!(u64) as u128),
            V128Load8Lane => load_lane!(u8),
            V128Load16Lane => load_lane!(u16),
            V128Load32Lane => load_lane!(u32),
            V128Load64Lane => load_lane!(u64),
            V128Store8Lane => store_lane!(u8),
            V128Store16Lane => store_lane!(u16),
            V128Store32Lane => store_lane!(u32),
            V128Store64Lane => store_lane!(u64),

            // ---- constants, lanes, shuffles ----
            V128Const => {
                wv!(imm128!());
                return Ok(2);
            }
            I8x16Shuffle => {
                let lanes = imm128!();
                let (x, y) = (rv!(a), rv!(b));
                wv!(build::<u8>(|i| {
                    let k = get::<u8>(lanes, i) as u32 % 32;
                    if k < 16 { get(x, k) } else { get(y, k - 16) }
                }));
                return Ok(2);
            }
            I8x16Swizzle => {
                let (x, y) = (rv!(a), rv!(b));
                wv!(build::<u8>(|i| {
                    let k = get::<u8>(y, i) as u32;
                    if k < 16 { get(x, k) } else { 0 }
                }))
            }
            I8x16Splat => wv!(build::<u8>(|_| rs!(a) as u8)),
            I16x8Splat => wv!(build::<u16>(|_| rs!(a) as u16)),
            I32x4Splat | F32x4Splat => wv!(build::<u32>(|_| rs!(a) as u32)),
            I64x2Splat | F64x2Splat => wv!(build::<u64>(|_| rs!(a))),
            I8x16ExtractLaneS => ws!(get::<i8>(rv!(a), imm % 16) as i32 as u32 as u64),
            I8x16ExtractLaneU => ws!(get::<u8>(rv!(a), imm % 16) as u64),
            I16x8ExtractLaneS => ws!(get::<i16>(rv!(a), imm % 8) as i32 as u32 as u64),
            I16x8ExtractLaneU => ws!(get::<u16>(rv!(a), imm % 8) as u64),
            I32x4ExtractLane | F32x4ExtractLane => ws!(get::<u32>(rv!(a), imm % 4) as u64),
            I64x2ExtractLane | F64x2ExtractLane => ws!(get::<u64>(rv!(a), imm % 2)),
            I8x16ReplaceLane => wv!(replace::<u8>(rv!(a), imm, rs!(b) as u8)),
            I16x8ReplaceLane => wv!(replace::<u16>(rv!(a), imm, rs!(b) as u16)),
            I32x4ReplaceLane | F32x4ReplaceLane => wv!(replace::<u32>(rv!(a), imm, rs!(b) as u32)),
            I64x2ReplaceLane | F64x2ReplaceLane => wv!(replace::<u64>(rv!(a), imm, rs!(b))),

            // ---- comparisons ----
            I8x16Eq => cmp!(i8, x, y => x == y),
            I8x16Ne => cmp!(i8, x, y => x != y),
            I8x16LtS => cmp!(i8, x, y => x < y),
            I8x16LtU => cmp!(u8, x, y => x < y),
            I8x16GtS => cmp!(i8, x, y => x > y),
            I8x16GtU => cmp!(u8, x, y => x > y),
            I8x16LeS => cmp!(i8, x, y => x <= y),
            I8x16LeU => cmp!(u8, x, y => x <= y),
            I8x16GeS => cmp!(i8, x, y => x >= y),
            I8x16GeU => cmp!(u8, x, y => x >= y),
            I16x8Eq => cmp!(i16, x, y => x == y),
            I16x8Ne => cmp!(i16, x, y => x != y),
            I16x8LtS => cmp!(i16, x, y => x < y),
            I16x8LtU => cmp!(u16, x, y => x < y),
            I16x8GtS => cmp!(i16, x, y => x > y),
            I16x8GtU => cmp!(u16, x, y => x > y),
            I16x8LeS => cmp!(i16, x, y => x <= y),
            I16x8LeU => cmp!(u16, x, y => x <= y),
            I16x8GeS => cmp!(i16, x, y => x >= y),
            I16x8GeU => cmp!(u16, x, y => x >= y),
            I32x4Eq => cmp!(i32, x, y => x == y),
            I32x4Ne => cmp!(i32, x, y => x != y),
            I32x4LtS => cmp!(i32, x, y => x < y),
            I32x4LtU => cmp!(u32, x, y => x < y),
            I32x4GtS => cmp!(i32, x, y => x > y),
            I32x4GtU => cmp!(u32, x, y => x > y),
            I32x4LeS => cmp!(i32, x, y => x <= y),
            I32x4LeU => cmp!(u32, x, y => x <= y),
            I32x4GeS => cmp!(i32, x, y => x >= y),
            I32x4GeU => cmp!(u32, x, y => x >= y),
            I64x2Eq => cmp!(i64, x, y => x == y),
            I64x2Ne => cmp!(i64, x, y => x != y),
            I64x2LtS => cmp!(i64, x, y => x < y),
            I64x2GtS => cmp!(i64, x, y => x > y),
            I64x2LeS => cmp!(i64, x, y => x <= y),
            I64x2GeS => cmp!(i64, x, y => x >= y),
            F32x4Eq => cmp!(f32, x, y => x == y),
            F32x4Ne => cmp!(f32, x, y => x != y),
            F32x4Lt => cmp!(f32, x, y => x < y),
            F32x4Gt => cmp!(f32, x, y => x > y),
            F32x4Le => cmp!(f32, x, y => x <= y),
            F32x4Ge => cmp!(f32, x, y => x >= y),
            F64x2Eq => cmp!(f64, x, y => x == y),
            F64x2Ne => cmp!(f64, x, y => x != y),
            F64x2Lt => cmp!(f64, x, y => x < y),
            F64x2Gt => cmp!(f64, x, y => x > y),
            F64x2Le => cmp!(f64, x, y => x <= y),
            F64x2Ge => cmp!(f64, x, y => x >= y),

            // ---- bitwise ----
            V128Not => wv!(!rv!(a)),
            V128And => wv!(rv!(a) & rv!(b)),
            V128AndNot => wv!(rv!(a) & !rv!(b)),
            V128Or => wv!(rv!(a) | rv!(b)),
            V128Xor => wv!(rv!(a) ^ rv!(b)),
            V128Bitselect => {
                let m = rv!(c);
                wv!((rv!(a) & m) | (rv!(b) & !m))
            }
            V128AnyTrue => ws!((rv!(a) != 0) as u64),

            // ---- i8x16 ----
            I8x16Abs => un!(i8, x => x.wrapping_abs()),
            I8x16Neg => un!(i8, x => x.wrapping_neg()),
            I8x16Popcnt => un!(u8, x => x.count_ones() as u8),
            I8x16AllTrue => ws!(all_true::<u8>(rv!(a)) as u64),
            I8x16Bitmask => ws!(bitmask::<u8>(rv!(a))),
            I8x16NarrowI16x8S => narrow!(i8, i16, -128, 127),
            I8x16NarrowI16x8U => narrow!(u8, i16, 0, 255),
            I8x16Shl => shift!(u8, x, n => x.wrapping_shl(n)),
            I8x16ShrS => shift!(i8, x, n => x.wrapping_shr(n)),
            I8x16ShrU => shift!(u8, x, n => x.wrapping_shr(n)),
            I8x16Add => wv!(lanes::i8x16_add(rv!(a), rv!(b))),
            I8x16AddSatS => bin!(i8, x, y => x.saturating_add(y)),
            I8x16AddSatU => bin!(u8, x, y => x.saturating_add(y)),
            I8x16Sub => bin!(u8, x, y => x.wrapping_sub(y)),
            I8x16SubSatS => bin!(i8, x, y => x.saturating_sub(y)),
            I8x16SubSatU => bin!(u8, x, y => x.saturating_sub(y)),
            I8x16MinS => bin!(i8, x, y => x.min(y)),
            I8x16MinU => bin!(u8, x, y => x.min(y)),
            I8x16MaxS => bin!(i8, x, y => x.max(y)),
            I8x16MaxU => bin!(u8, x, y => x.max(y)),
            I8x16AvgrU => bin!(u8, x, y => ((x as u16 + y as u16 + 1) >> 1) as u8),

            // ---- i16x8 ----
            I16x8ExtAddPairwiseI8x16S => extadd!(i16, i8),
            I16x8ExtAddPairwiseI8x16U => extadd!(u16, u8),
            I16x8Abs => un!(i16, x => x.wrapping_abs()),
            I16x8Neg => un!(i16, x => x.wrapping_neg()),
            I16x8Q15MulrSatS => bin!(i16, x, y => ((x as i32 * y as i32 + 0x4000) >> 15).clamp(-32768, 32767) as i16),
            I16x8AllTrue => ws!(all_true::<u16>(rv!(a)) as u64),
            I16x8Bitmask => ws!(bitmask::<u16>(rv!(a))),
            I16x8NarrowI32x4S => narrow!(i16, i32, -32768, 32767),
            I16x8NarrowI32x4U => narrow!(u16, i32, 0, 65535),
            I16x8ExtendLowI8x16S => extend!(i16, i8, 0),
            I16x8ExtendHighI8x16S => extend!(i16, i8, 8),
            I16x8ExtendLowI8x16U => extend!(u16, u8, 0),
            I16x8ExtendHighI8x16U => extend!(u16, u8, 8),
            I16x8Shl => shift!(u16, x, n => x.wrapping_shl(n)),
            I16x8ShrS => shift!(i16, x, n => x.wrapping_shr(n)),
            I16x8ShrU => shift!(u16, x, n => x.wrapping_shr(n)),
            I16x8Add => wv!(lanes::i16x8_add(rv!(a), rv!(b))),
            I16x8AddSatS => bin!(i16, x, y => x.saturating_add(y)),
            I16x8AddSatU => bin!(u16, x, y => x.saturating_add(y)),
            I16x8Sub => bin!(u16, x, y => x.wrapping_sub(y)),
            I16x8SubSatS => bin!(i16, x, y => x.saturating_sub(y)),
            I16x8SubSatU => bin!(u16, x, y => x.saturating_sub(y)),
            I16x8Mul => bin!(u16, x, y => x.wrapping_mul(y)),
            I16x8MinS => bin!(i16, x, y => x.min(y)),
            I16x8MinU => bin!(u16, x, y => x.min(y)),
            I16x8MaxS => bin!(i16, x, y => x.max(y)),
            I16x8MaxU => bin!(u16, x, y => x.max(y)),
            I16x8AvgrU => bin!(u16, x, y => ((x as u32 + y as u32 + 1) >> 1) as u16),
            I16x8ExtMulLowI8x16S => extmul!(i16, i8, 0),
            I16x8ExtMulHighI8x16S => extmul!(i16, i8, 8),
            I16x8ExtMulLowI8x16U => extmul!(u16, u8, 0),
            I16x8ExtMulHighI8x16U => extmul!(u16, u8, 8),

            // ---- i32x4 ----
            I32x4ExtAddPairwiseI16x8S => extadd!(i32, i16),
            I32x4ExtAddPairwiseI16x8U => extadd!(u32, u16),
            I32x4Abs => un!(i32, x => x.wrapping_abs()),
            I32x4Neg => un!(i32, x => x.wrapping_neg()),
            I32x4AllTrue => ws!(all_true::<u32>(rv!(a)) as u64),
            I32x4Bitmask => ws!(bitmask::<u32>(rv!(a))),
            I32x4ExtendLowI16x8S => extend!(i32, i16, 0),
            I32x4ExtendHighI16x8S => extend!(i32, i16, 4),
            I32x4ExtendLowI16x8U => extend!(u32, u16, 0),
            I32x4ExtendHighI16x8U => extend!(u32, u16, 4),
            I32x4Shl => shift!(u32, x, n => x.wrapping_shl(n)),
            I32x4ShrS => shift!(i32, x, n => x.wrapping_shr(n)),
            I32x4ShrU => shift!(u32, x, n => x.wrapping_shr(n)),
            I32x4Add => wv!(lanes::i32x4_add(rv!(a), rv!(b))),
            I32x4Sub => wv!(lanes::i32x4_sub(rv!(a), rv!(b))),
            I32x4Mul => wv!(lanes::i32x4_mul(rv!(a), rv!(b))),
            I32x4MinS => bin!(i32, x, y => x.min(y)),
            I32x4MinU => bin!(u32, x, y => x.min(y)),
            I32x4MaxS => bin!(i32, x, y => x.max(y)),
            I32x4MaxU => bin!(u32, x, y => x.max(y)),
            I32x4DotI16x8S => {
                let (x, y) = (rv!(a), rv!(b));
                wv!(build::<i32>(|i| {
                    let lo = get::<i16>(x, 2 * i) as i32 * get::<i16>(y, 2 * i) as i32;
                    let hi = get::<i16>(x, 2 * i + 1) as i32 * get::<i16>(y, 2 * i + 1) as i32;
                    lo.wrapping_add(hi)
                }))
            }
            I32x4ExtMulLowI16x8S => extmul!(i32, i16, 0),
            I32x4ExtMulHighI16x8S => extmul!(i32, i16, 4),
            I32x4ExtMulLowI16x8U => extmul!(u32, u16, 0),
            I32x4ExtMulHighI16x8U => extmul!(u32, u16, 4),

            // ---- i64x2 ----
            I64x2Abs => un!(i64, x => x.wrapping_abs()),
            I64x2Neg => un!(i64, x => x.wrapping_neg()),
            I64x2AllTrue => ws!(all_true::<u64>(rv!(a)) as u64),
            I64x2Bitmask => ws!(bitmask::<u64>(rv!(a))),
            I64x2ExtendLowI32x4S => extend!(i64, i32, 0),
            I64x2ExtendHighI32x4S => extend!(i64, i32, 2),
            I64x2ExtendLowI32x4U => extend!(u64, u32, 0),
            I64x2ExtendHighI32x4U => extend!(u64, u32, 2),
            I64x2Shl => shift!(u64, x, n => x.wrapping_shl(n)),
            I64x2ShrS => shift!(i64, x, n => x.wrapping_shr(n)),
            I64x2ShrU => shift!(u64, x, n => x.wrapping_shr(n)),
            I64x2Add => wv!(lanes::i64x2_add(rv!(a), rv!(b))),
            I64x2Sub => bin!(u64, x, y => x.wrapping_sub(y)),
            I64x2Mul => bin!(u64, x, y => x.wrapping_mul(y)),
            I64x2ExtMulLowI32x4S => extmul!(i64, i32, 0),
            I64x2ExtMulHighI32x4S => extmul!(i64, i32, 2),
            I64x2ExtMulLowI32x4U => extmul!(u64, u32, 0),
            I64x2ExtMulHighI32x4U => extmul!(u64, u32, 2),

            // ---- f32x4 ----
            F32x4Ceil => un!(f32, x => num::f32_ceil(x)),
            F32x4Floor => un!(f32, x => num::f32_floor(x)),
            F32x4Trunc => un!(f32, x => num::f32_trunc(x)),
            F32x4Nearest => un!(f32, x => num::f32_nearest(x)),
            F32x4Abs => un!(u32, x => x & 0x7fff_ffff),
            F32x4Neg => un!(u32, x => x ^ 0x8000_0000),
            F32x4Sqrt => un!(f32, x => x.sqrt()),
            F32x4Add => wv!(lanes::f32x4_add(rv!(a), rv!(b))),
            F32x4Sub => bin!(f32, x, y => x - y),
            F32x4Mul => wv!(lanes::f32x4_mul(rv!(a), rv!(b))),
            F32x4Div => bin!(f32, x, y => x / y),
            F32x4Min => bin!(f32, x, y => num::f32_min(x, y)),
            F32x4Max => bin!(f32, x, y => num::f32_max(x, y)),
            F32x4PMin => bin!(f32, x, y => if y < x { y } else { x }),
            F32x4PMax => bin!(f32, x, y => if x < y { y } else { x }),

            // ---- f64x2 ----
            F64x2Ceil => un!(f64, x => num::f64_ceil(x)),
            F64x2Floor => un!(f64, x => num::f64_floor(x)),
            F64x2Trunc => un!(f64, x => num::f64_trunc(x)),
            F64x2Nearest => un!(f64, x => num::f64_nearest(x)),
            F64x2Abs => un!(u64, x => x & 0x7fff_ffff_ffff_ffff),
            F64x2Neg => un!(u64, x => x ^ 0x8000_0000_0000_0000),
            F64x2Sqrt => un!(f64, x => x.sqrt()),
            F64x2Add => wv!(lanes::f64x2_add(rv!(a), rv!(b))),
            F64x2Sub => bin!(f64, x, y => x - y),
            F64x2Mul => wv!(lanes::f64x2_mul(rv!(a), rv!(b))),
            F64x2Div => bin!(f64, x, y => x / y),
            F64x2Min => bin!(f64, x, y => num::f64_min(x, y)),
            F64x2Max => bin!(f64, x, y => num::f64_max(x, y)),
            F64x2PMin => bin!(f64, x, y => if y < x { y } else { x }),
            F64x2PMax => bin!(f64, x, y => if x < y { y } else { x }),

            // ---- conversions (Rust's float-to-int `as` saturates and maps NaN to 0) ----
            I32x4TruncSatF32x4S => {
                let v = rv!(a);
                wv!(build::<i32>(|i| get::<f32>(v, i) as i32))
            }
            I32x4TruncSatF32x4U => {
                let v = rv!(a);
                wv!(build::<u32>(|i| get::<f32>(v, i) as u32))
            }
            F32x4ConvertI32x4S => {
                let v = rv!(a);
                wv!(build::<f32>(|i| get::<i32>(v, i) as f32))
            }
            F32x4ConvertI32x4U => {
                let v = rv!(a);
                wv!(build::<f32>(|i| get::<u32>(v, i) as f32))
            }
            I32x4TruncSatF64x2SZero => {
                let v = rv!(a);
                wv!(build::<i32>(|i| if i < 2 { get::<f64>(v, i) as i32 } else { 0 }))
            }
            I32x4TruncSatF64x2UZero => {
                let v = rv!(a);
                wv!(build::<u32>(|i| if i < 2 { get::<f64>(v, i) as u32 } else { 0 }))
            }
            F64x2ConvertLowI32x4S => {
                let v = rv!(a);
                wv!(build::<f64>(|i| get::<i32>(v, i) as f64))
            }
            F64x2ConvertLowI32x4U => {
                let v = rv!(a);
                wv!(build::<f64>(|i| get::<u32>(v, i) as f64))
            }
            F32x4DemoteF64x2Zero => {
                let v = rv!(a);
                wv!(build::<u32>(|i| if i < 2 { (get::<f64>(v, i) as f32).to_bits() } else { 0 }))
            }
            F64x2PromoteLowF32x4 => {
                let v = rv!(a);
                wv!(build::<f64>(|i| get::<f32>(v, i) as f64))
            }
        }
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_are_little_endian_and_replace_one_lane() {
        let v: u128 = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100;
        assert_eq!(get::<u8>(v, 0), 0x00);
        assert_eq!(get::<u8>(v, 15), 0x0f);
        assert_eq!(get::<u16>(v, 1), 0x0302);
        assert_eq!(get::<i64>(v, 1), 0x0f0e_0d0c_0b0a_0908);
        assert_eq!(replace::<u8>(v, 15, 0xff) >> 120, 0xff);
        assert_eq!(replace::<u32>(v, 1, 0) & 0xffff_ffff_0000_0000, 0);
        assert_eq!(replace::<u32>(v, 1, 0) & 0xffff_ffff, 0x0302_0100);
    }

    #[test]
    fn comparisons_give_all_ones_lanes_and_bitmask_reads_signs() {
        let a = build::<i16>(|i| i as i16 - 4);
        let z = 0u128;
        let lt = cmp::<i16>(a, z, |x, y| x < y);
        assert_eq!(lt, 0x0000_0000_0000_0000_ffff_ffff_ffff_ffff);
        assert_eq!(bitmask::<u16>(lt), 0b0000_1111);
        assert!(!all_true::<u16>(a), "lane 4 is zero");
        assert!(all_true::<u8>(u128::MAX));
    }

    #[test]
    fn float_lanes_follow_the_scalar_rules() {
        let a = build::<f32>(|i| [0.0, -0.0, f32::NAN, 2.5][i as usize]);
        let b = build::<f32>(|i| [-0.0, 0.0, 1.0, 3.5][i as usize]);
        let min = bin::<f32>(a, b, num::f32_min);
        assert_eq!(get::<u32>(min, 0), 0x8000_0000, "min(+0, -0) = -0");
        assert_eq!(get::<u32>(min, 1), 0x8000_0000);
        assert!(get::<f32>(min, 2).is_nan());
        let near = un::<f32>(a, num::f32_nearest);
        assert_eq!(get::<f32>(near, 3), 2.0, "ties to even");
        let sat = build::<i32>(|i| [f32::NAN, 3e9, -3e9, -1.5][i as usize] as i32);
        assert_eq!(
            [get::<i32>(sat, 0), get::<i32>(sat, 1), get::<i32>(sat, 2), get::<i32>(sat, 3)],
            [0, i32::MAX, i32::MIN, -1]
        );
    }
}
