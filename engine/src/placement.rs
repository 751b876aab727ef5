//! Where the interpreter's hot data sits within a 4 KiB page: the page map, and the means of
//! putting data on it (a page-placed buffer, the value stack's entry cell, the native frame).
//!
//! A load whose address equals that of a store still in flight modulo 4 KiB waits for the
//! store: the CPU's memory disambiguation compares the low 12 address bits first ("4K
//! aliasing"). The interpreter's own hot data (the code it fetches, the slots it reads and
//! writes, the frames of calls, its native stack frame) and the guest's live in separate
//! allocations. Left to the allocator and to stack randomisation, their page offsets changed
//! from run to run and from configuration to configuration, and with them the timings:
//! `chacha20` ran 26 or 34 ms, `matmul` 14.7 or 20.6 ms, `fib` moved by 8%, on one strategy
//! or the other, so a guard/checked ratio measured where things landed rather than the bounds
//! check. Every hot structure now has a fixed place in its page:
//!
//! | bytes of the page | what |
//! | --- | --- |
//! | 0 .. 1024 | left to the guest (small kernels keep their hot data at low addresses) |
//! | [`CODE`] .. | the code of functions with a loop (`code::Code`) |
//! | [`ENTRY_SLOTS`] .. | the entry frame's slots in the value stack (`exec::invoke`) |
//! | [`FRAMES`] .. | the stack of suspended callers (`exec::FrameStack`) |
//! | .. [`NATIVE_FRAME`] | the interpreter's native frames, growing down |
//!
//! Deep frames, long code and big kernels still cross these regions; the map makes where they
//! do the same in every run.

use std::ptr::NonNull;

/// Where the code of a function with a loop starts.
pub(crate) const CODE: usize = 1024;
/// Where the entry frame's first slot goes.
pub(crate) const ENTRY_SLOTS: usize = 2048;
/// Where the first suspended caller goes.
pub(crate) const FRAMES: usize = 3072;
/// Where the interpreter's native frames start (the stack grows down from it).
pub(crate) const NATIVE_FRAME: usize = 3840;

/// At most this many value stack cells are skipped before the entry frame (one page).
pub(crate) const ENTRY_SKEW: usize = 4096 / 8;

/// The index of the cell of a value stack starting at `base` that lies at [`ENTRY_SLOTS`]
/// within its page (below [`ENTRY_SKEW`]).
pub(crate) fn entry_cell(base: *const u64) -> usize {
    let at = base as usize % 4096;
    (ENTRY_SLOTS + 4096 - at) % 4096 / 8
}

/// Room for `cap` values of `T` starting at byte `offset` of a page-aligned allocation.
/// Plain memory: what is written there is the owner's business (`T` is `Copy`).
pub(crate) struct PagePlaced<T: Copy> {
    buf: NonNull<u8>,
    offset: usize,
    cap: usize,
    _of: std::marker::PhantomData<T>,
}

// SAFETY: the buffer is owned memory of `Copy` values, like a `Box<[T]>`.
unsafe impl<T: Copy + Send> Send for PagePlaced<T> {}
// SAFETY: as above; shared access only reads through `ptr`.
unsafe impl<T: Copy + Sync> Sync for PagePlaced<T> {}

impl<T: Copy> PagePlaced<T> {
    /// A buffer for `cap` values (at least one) at `offset`, a multiple of `T`'s alignment.
    pub(crate) fn new(offset: usize, cap: usize) -> Self {
        debug_assert!(offset.is_multiple_of(std::mem::align_of::<T>()));
        let layout = Self::layout(offset, cap.max(1));
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { std::alloc::alloc(layout) };
        let Some(buf) = NonNull::new(raw) else { std::alloc::handle_alloc_error(layout) };
        PagePlaced { buf, offset, cap: cap.max(1), _of: std::marker::PhantomData }
    }

    fn layout(offset: usize, cap: usize) -> std::alloc::Layout {
        let bytes = cap.checked_mul(std::mem::size_of::<T>()).and_then(|b| b.checked_add(offset));
        bytes
            .and_then(|b| std::alloc::Layout::from_size_align(b, 4096).ok())
            .expect("a page-placed buffer of this size exceeds the address space")
    }

    /// The first value's place.
    pub(crate) fn ptr(&self) -> *mut T {
        // SAFETY: the allocation holds `offset` bytes before the values.
        unsafe { self.buf.as_ptr().add(self.offset).cast::<T>() }
    }

    pub(crate) fn cap(&self) -> usize {
        self.cap
    }
}

impl<T: Copy> Drop for PagePlaced<T> {
    fn drop(&mut self) {
        // SAFETY: allocated by `new` with this layout; `T` needs no drop.
        unsafe { std::alloc::dealloc(self.buf.as_ptr(), Self::layout(self.offset, self.cap)) };
    }
}

/// Runs `f` (the interpreter) with the native stack pointer moved down to
/// [`NATIVE_FRAME`] within its page (`csrc/stack_align.c`), so that where the loop's frame
/// lands does not depend on the process: with it left to stack randomisation, a kernel ran
/// 25% slower in some processes than in others (see the C file). A panic in `f` is
/// caught before the C frame and resumed after it. When a guard fault jumps out of `f`, this
/// frame is abandoned with nothing to drop (its result is still `None`).
pub(crate) fn on_native_page_offset<F: FnOnce() -> R, R>(f: F) -> R {
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    {
        use std::ffi::c_void;
        use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
        unsafe extern "C" {
            fn redzone_call_at_page_offset(
                body: unsafe extern "C" fn(*mut c_void),
                payload: *mut c_void,
                offset: usize,
            );
        }
        struct Payload<F, R> {
            f: Option<F>,
            out: Option<std::thread::Result<R>>,
        }
        unsafe extern "C" fn body<F: FnOnce() -> R, R>(payload: *mut c_void) {
            // SAFETY: `on_native_page_offset` passes its own `Payload<F, R>`, alive for this call.
            let payload = unsafe { &mut *payload.cast::<Payload<F, R>>() };
            if let Some(f) = payload.f.take() {
                payload.out = Some(catch_unwind(AssertUnwindSafe(f)));
            }
        }
        let mut payload = Payload { f: Some(f), out: None };
        // SAFETY: the shim calls `body` once with the payload pointer, which outlives the call;
        // `body` never unwinds into C (it catches panics).
        unsafe { redzone_call_at_page_offset(body::<F, R>, (&raw mut payload).cast::<c_void>(), NATIVE_FRAME) };
        match payload.out {
            Some(Ok(r)) => r,
            Some(Err(panic)) => resume_unwind(panic),
            None => unreachable!("the stack shim returned without calling its body"),
        }
    }
    #[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
    f()
}
