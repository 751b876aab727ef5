//! Threaded code: a function's instructions as the interpreter runs them, each word paired
//! with the address of the handler that executes it (`run.rs`), so that every handler ends
//! by jumping straight to the next instruction's handler (direct threading), with no
//! dispatch loop and no jump table in between.
//!
//! The handlers differ by strategy (the guest accesses) and by fuel, so each function gets
//! one threaded copy per handler set it runs under ([`Handlers`]), built from its
//! [`Code`] on the first call and kept beside it in [`Threaded`]. A copy is the code word for
//! word (an [`Op`] per [`Instr`], `Ext` words included), so return indices and wasm offsets
//! by instruction index mean the same in both; branch offsets are scaled to bytes.
//!
//! Where the handlers are compiled matters: a handler reaches the next by a call in tail
//! position, which LLVM turns into a jump only when it optimises, so the handlers must be
//! compiled in this crate (opt-level 2 even in the dev profile, see the workspace manifest)
//! and not in whichever crate first names a store type. Each strategy of this crate
//! therefore names its handler sets in a `static` ([`handlers_static!`]), whose referenced
//! functions are compiled here.

use crate::code::{Code, Instr};
use crate::memory::LinearMemory;
use std::sync::OnceLock;

/// How a chain of handlers ended. The trap of `Trapped` is in the loop's context (`run.rs`).
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The entry function returned.
    Done,
    /// A trap ended the run.
    Trapped,
}

/// A handler: runs the instruction at `ip` and tail-calls the next instruction's handler.
/// The arguments are the interpreter's registers: the instruction pointer, the frame's slots,
/// memory 0's bytes and accessible length, the result register, and the loop's context
/// (`run::Cx` of the strategy, untyped here so that one `Op` type serves all strategies).
pub(crate) type Handler = unsafe fn(*const Op, *mut u64, *mut u8, u64, u64, *mut ()) -> Exit;

/// One word of threaded code.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct Op {
    /// The handler of `i` (for `Ext` words, one that traps: they are never dispatched).
    pub(crate) h: Handler,
    pub(crate) i: Instr,
}

impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.i.fmt(f)
    }
}

/// The handlers of one strategy, with or without fuel: which handler runs each instruction.
pub struct Handlers {
    pick: fn(&Instr, bool) -> Handler,
}

impl Handlers {
    /// Strategy `M`'s handler sets, without fuel and with it (indexed by `fuel as usize`).
    pub(crate) const fn both<M: LinearMemory>() -> [Handlers; 2] {
        [Handlers { pick: super::run::pick::<M, false> }, Handlers { pick: super::run::pick::<M, true> }]
    }
}

/// The handler sets of a strategy that names none in a static ([`handlers_static!`]):
/// promoted constants, compiled wherever first used. For test doubles only.
pub(crate) struct Promoted<M>(std::marker::PhantomData<M>);

impl<M: LinearMemory> Promoted<M> {
    pub(crate) const BOTH: [Handlers; 2] = Handlers::both::<M>();
}

/// The body of [`LinearMemory::handlers`] for a strategy of this crate: its handler sets in
/// a static, so that the handlers are compiled (optimised) in this crate.
macro_rules! handlers_static {
    ($m:ty) => {{
        static HANDLERS: [$crate::exec::Handlers; 2] = $crate::exec::Handlers::both::<$m>();
        &HANDLERS
    }};
}
pub(crate) use handlers_static;

/// How many handler sets a function can be threaded for at once: guard and checked, each
/// with and without fuel, and the two canaries.
const SLOTS: usize = 8;

/// A function's threaded copies, one per handler set it has run under.
#[derive(Default)]
pub(crate) struct Threaded {
    slots: [OnceLock<(usize, Code<Op>)>; SLOTS],
}

impl std::fmt::Debug for Threaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Threaded").field("copies", &self.copies().count()).finish()
    }
}

impl Threaded {
    /// The copy of `code` threaded with `handlers`, built on first use (placed in its page as
    /// `code` is); `None` when every slot holds another handler set's.
    #[inline(always)]
    pub(crate) fn get(&self, code: &Code, register_only: &[bool], handlers: &'static Handlers) -> Option<*const Op> {
        // Inline, the common case: the first slot holds the copy asked for.
        if let Some((k, ops)) = self.slots[0].get()
            && *k == handlers as *const Handlers as usize
        {
            return Some(ops.as_ptr());
        }
        self.find_or_build(code, register_only, handlers)
    }

    #[inline(never)]
    fn find_or_build(&self, code: &Code, register_only: &[bool], handlers: &'static Handlers) -> Option<*const Op> {
        let key = handlers as *const Handlers as usize;
        for slot in &self.slots {
            let (k, ops) = slot.get_or_init(|| (key, thread(code, register_only, handlers)));
            if *k == key {
                return Some(ops.as_ptr());
            }
        }
        None
    }

    /// The copies built so far.
    pub(crate) fn copies(&self) -> impl Iterator<Item = &[Op]> {
        self.slots.iter().filter_map(|s| s.get()).map(|(_, ops)| &ops[..])
    }
}

/// The threaded copy of `code`: each word with its handler (one that leaves its result slot
/// unwritten where the result is read through the register only), and every branch offset
/// scaled from words to bytes, so that a taken branch adds it to the instruction pointer as
/// it is (one `add` where a multiplication by the word's 24 bytes took two `lea`s, on the
/// path to the next handler's address).
#[cold]
#[inline(never)]
fn thread(code: &Code, register_only: &[bool], handlers: &Handlers) -> Code<Op> {
    const _: () = assert!(std::mem::size_of::<Op>() <= 32, "MAX_CODE_WORDS assumes words of at most 32 bytes");
    let ops = code
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let mut i = *i;
            if let Some(t) = i.target_mut() {
                // In range: the translator keeps code below `MAX_CODE_WORDS` words.
                *t = (*t as i32).wrapping_mul(std::mem::size_of::<Op>() as i32) as u32;
            }
            let store = !register_only.get(k).copied().unwrap_or(false);
            Op { h: (handlers.pick)(&i, store), i }
        })
        .collect();
    Code::new(ops, code.placed())
}
