//! Trap recovery for the guard strategy: the process-wide SIGSEGV/SIGBUS handler, the
//! per-thread alternate signal stack, and the per-thread chain of guest activations.
//!
//! # How a guest fault becomes `Err(OutOfBounds)`
//!
//! [`run_guest`] pushes an [`Activation`] (the reservations of the running store and a jump
//! buffer) onto this thread's chain, then calls the guest code through the C shim
//! `redzone_guard_enter` (`engine/csrc/guard_jmp.c`), which does `sigsetjmp`. A guest load or
//! store past the accessible size touches a PROT_NONE page of a reservation; the kernel raises
//! SIGSEGV; [`on_fault`] runs on the alternate signal stack, finds that the fault is ours and
//! `siglongjmp`s back into the shim, which returns 0; `run_guest` pops the activation and
//! returns `Err(OutOfBounds)`.
//!
//! # Where the fault happened
//!
//! The interpreter's guest accesses (`exec/access.rs`, and `GuardMemory::guest_load`/
//! `guest_store` for other callers) are inline assembly that take the access's *site* (the
//! interpreter's instruction pointer) in `r11`.
//! Before jumping, the handler copies `r11` from the signal context's saved registers into
//! the activation; `run_guest` moves it to a thread-local that [`take_fault_site`] reads. So
//! locating a trap costs the hot path nothing: no store before any access. When the fault
//! was not at such an access (the raw `load`/`store` of tests and hosts), `r11` holds some
//! other value, and the interpreter's lookup of the site in its code (`exec::invoke`) finds
//! nothing and reports the trap without a location.
//!
//! # Which faults the handler claims
//!
//! Only a fault that the kernel raised (`si_code > 0`, not a `kill`), on a thread that is
//! inside [`run_guest`] (its innermost activation is set), whose `si_addr` lies in the
//! inaccessible part `[base + len, base + RESERVATION)` of one of the memories that
//! activation registered. Everything else goes to the handler that was installed before ours
//! (Rust's own stack-overflow handler, or another engine's), or, when that was `SIG_DFL` or
//! `SIG_IGN`, the previous disposition is restored and the fault re-raised, so real crashes
//! still crash with SIGSEGV.
//!
//! # Invariants
//!
//! - **No pending destructors between the entry and the fault.** `siglongjmp` abandons every
//!   frame between `redzone_guard_enter` and the faulting access without unwinding it. Those
//!   frames are: the shim, [`guest_body`] (whose only owned value, the closure, is checked by
//!   a compile-time assertion to need no drop), `catch_unwind`'s frame, and the caller's
//!   guest code: the interpreter's handlers and whatever it calls down to [`super::GuardMemory`]'s
//!   `load`/`store`. The interpreter keeps values with destructors out of those frames, and
//!   calls host functions through [`run_host`], which suspends the activation so that a fault
//!   in host code is never claimed.
//! - **Async-signal safety.** The handler allocates nothing and takes no lock: it reads a
//!   const-initialised thread-local without destructor (a plain TLS load in an executable),
//!   the activation and the memories' `base`/`len` through raw pointers, and the previous
//!   actions from a `OnceLock` that is set before the handler is installed.
//! - **Signal mask.** The handler is installed with `SA_NODEFER` and an empty `sa_mask`, so
//!   the jump out of it (which does not restore a mask) leaves the thread's mask unchanged.
//! - **Nesting.** Activations form a stack through `prev`; `run_guest` restores the previous
//!   one on every exit (return, panic, fault), and a fault always returns to the innermost.

use super::OutOfBounds;
use super::guard::{GuardMemory, RESERVATION};
use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::ptr;
use std::sync::{Once, OnceLock};

unsafe extern "C" {
    fn redzone_guard_enter(
        jmp_slot: *mut *mut c_void,
        body: unsafe extern "C" fn(*mut c_void),
        payload: *mut c_void,
    ) -> c_int;
    fn redzone_guard_unwind(jmp: *mut c_void) -> !;
}

/// One `run_guest` call on this thread's stack.
struct Activation {
    /// The store's memories; the handler reads each one's `base` and `len`.
    memories: *const [GuardMemory],
    /// The shim's jump buffer, written by `redzone_guard_enter` before guest code starts.
    jmp: *mut c_void,
    /// The activation this one is nested in (null for the outermost).
    prev: *const Activation,
    /// Written by the handler before it jumps: `r11` at the faulting access (its site).
    fault_site: usize,
}

thread_local! {
    /// The innermost activation of this thread, or null outside guest code. Const-initialised
    /// and without destructor: reading it is a plain TLS access, safe in a signal handler.
    static CURRENT: Cell<*const Activation> = const { Cell::new(ptr::null()) };
    /// The site of the last guest access that faulted on this thread, until taken.
    static FAULT_SITE: Cell<usize> = const { Cell::new(0) };
    /// Whether this thread has an alternate signal stack we can rely on.
    static ALT_STACK_READY: Cell<bool> = const { Cell::new(false) };
    /// The alternate signal stack this module allocated for the thread, if it had none.
    static OWN_ALT_STACK: AltStack = const { AltStack { base: Cell::new(ptr::null_mut()) } };
}

/// The dispositions of SIGSEGV and SIGBUS before ours, in that order.
static PREVIOUS: OnceLock<[libc::sigaction; 2]> = OnceLock::new();
static INSTALL: Once = Once::new();

/// Bytes of alternate signal stack this module allocates: the handler itself needs little,
/// but a forwarded fault runs the previous handler (Rust's prints a message) on it too.
const ALT_STACK_SIZE: usize = 64 << 10;
/// The smallest alternate stack installed by someone else that we accept as is.
const ALT_STACK_MIN: usize = 8 << 10;

/// Runs `f` as guest code over `memories`: a guard-page fault inside one of their
/// reservations returns `Err(OutOfBounds)` without finishing `f`.
///
/// # Safety
/// `memories` must stay valid and unmoved while `f` runs, and no frame between this call and
/// a faulting access may own a value with a pending destructor (see the module docs).
pub(crate) unsafe fn run_guest<F: FnOnce() -> R, R>(memories: *const [GuardMemory], f: F) -> Result<R, OutOfBounds> {
    const {
        assert!(
            !std::mem::needs_drop::<F>(),
            "guard run_guest: the guest closure must not own values with destructors (a fault abandons them)"
        )
    };
    prepare_thread();
    let mut payload = Payload { f: Some(f), out: None };
    let mut activation = Activation { memories, jmp: ptr::null_mut(), prev: CURRENT.get(), fault_site: 0 };
    let act = &raw mut activation;
    CURRENT.set(act);
    // SAFETY: `act` and `payload` live in this frame, which outlives the shim's call; the shim
    // writes the jump buffer through the first pointer before calling `guest_body`, which is
    // instantiated for exactly this payload type. The caller upholds the no-destructor
    // invariant for the frames below.
    let completed =
        unsafe { redzone_guard_enter(&raw mut (*act).jmp, guest_body::<F, R>, (&raw mut payload).cast::<c_void>()) };
    // SAFETY: `act` is still this frame's activation.
    CURRENT.set(unsafe { (*act).prev });
    if completed == 0 {
        // SAFETY: as above; the handler wrote the field before jumping back, and the shim's
        // call (which received a pointer derived from `act`) is over.
        FAULT_SITE.set(unsafe { (*act).fault_site });
        return Err(OutOfBounds);
    }
    match payload.out {
        Some(Ok(r)) => Ok(r),
        Some(Err(panic)) => resume_unwind(panic),
        None => unreachable!("guest body returned without a result"),
    }
}

/// The site of the guest access whose fault made this thread's last `run_guest` return
/// `Err(OutOfBounds)` (see the module docs), once.
pub(crate) fn take_fault_site() -> Option<usize> {
    Some(FAULT_SITE.replace(0)).filter(|&s| s != 0)
}

/// Runs host code `f` called from guest code: the thread's activation is suspended while it
/// runs, so a fault in host code is never taken for a guest trap (and never abandons the
/// host's frames); the host's own `run_guest` calls nest normally.
pub(crate) fn run_host<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(*const Activation);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.set(self.0);
        }
    }
    let _restore = Restore(CURRENT.replace(ptr::null()));
    f()
}

struct Payload<F, R> {
    f: Option<F>,
    out: Option<std::thread::Result<R>>,
}

/// The shim's callback: runs the closure, catching a panic so it never unwinds through C.
unsafe extern "C" fn guest_body<F: FnOnce() -> R, R>(payload: *mut c_void) {
    // SAFETY: `run_guest` passes a pointer to its own `Payload<F, R>`, alive for this call.
    let payload = unsafe { &mut *payload.cast::<Payload<F, R>>() };
    if let Some(f) = payload.f.take() {
        payload.out = Some(catch_unwind(AssertUnwindSafe(f)));
    }
}

/// Installs the handler once per process and an alternate signal stack once per thread.
#[inline]
fn prepare_thread() {
    INSTALL.call_once(install_handlers);
    if !ALT_STACK_READY.get() {
        ensure_alt_stack();
        ALT_STACK_READY.set(true);
    }
}

/// Installs `on_fault` for SIGSEGV and SIGBUS, remembering the previous dispositions first so
/// the handler never sees them unset.
fn install_handlers() {
    const SIGNALS: [c_int; 2] = [libc::SIGSEGV, libc::SIGBUS];
    // SAFETY: an all-zero `sigaction` is a valid (SIG_DFL) value to be overwritten.
    let mut previous: [libc::sigaction; 2] = unsafe { std::mem::zeroed() };
    for (sig, prev) in SIGNALS.iter().zip(previous.iter_mut()) {
        // SAFETY: reading the current disposition into a valid struct.
        let rc = unsafe { libc::sigaction(*sig, ptr::null(), prev) };
        assert_eq!(rc, 0, "sigaction({sig}) query failed: {}", std::io::Error::last_os_error());
    }
    if PREVIOUS.set(previous).is_err() {
        unreachable!("guard handler installed twice");
    }
    for sig in SIGNALS {
        // SAFETY: a zeroed sigaction with our handler, flags and an empty mask is valid;
        // `on_fault` has the SA_SIGINFO signature.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_fault as *const () as libc::sighandler_t;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER;
            libc::sigemptyset(&mut action.sa_mask);
            let rc = libc::sigaction(sig, &action, ptr::null_mut());
            assert_eq!(rc, 0, "sigaction({sig}) install failed: {}", std::io::Error::last_os_error());
        }
    }
}

/// The SIGSEGV/SIGBUS handler. See the module docs for what it claims.
unsafe extern "C" fn on_fault(sig: c_int, info: *mut libc::siginfo_t, ctx: *mut c_void) {
    // SAFETY: the kernel passes a valid siginfo and ucontext for SA_SIGINFO handlers;
    // everything read or written here is a plain load or store (see the module docs on
    // async-signal safety).
    unsafe {
        let act = CURRENT.get();
        if !act.is_null() && (*info).si_code > 0 {
            let addr = (*info).si_addr() as usize;
            if claims(act, addr) {
                // The faulting access's site is in r11 (see the module docs). `act` was made
                // from `&raw mut` of `run_guest`'s local, so writing through it is allowed.
                let uc = ctx.cast::<libc::ucontext_t>();
                let site = (*uc).uc_mcontext.gregs[libc::REG_R11 as usize] as usize;
                (*act.cast_mut()).fault_site = site;
                redzone_guard_unwind((*act).jmp);
            }
        }
        forward(sig, info, ctx);
    }
}

/// Whether `addr` lies in the inaccessible part of a reservation of activation `act`.
///
/// # Safety
/// `act` must be this thread's innermost activation, whose memories are alive.
unsafe fn claims(act: *const Activation, addr: usize) -> bool {
    // SAFETY: per the contract, the activation and its memories outlive guest code.
    unsafe {
        let memories = (*act).memories;
        let first = memories as *const GuardMemory;
        let claimed = if crate::mutants::on_in_signal_handler(crate::mutants::Id::GuardFaultUnclaimed) {
            1 << 32
        } else {
            RESERVATION
        };
        for i in 0..memories.len() {
            let (base, len) = GuardMemory::raw_bounds(first.add(i));
            if addr >= base + len && addr < base + claimed {
                return true;
            }
        }
        false
    }
}

/// Hands a fault we do not claim to the disposition that was there before ours.
///
/// # Safety
/// Called from `on_fault` with its arguments.
unsafe fn forward(sig: c_int, info: *mut libc::siginfo_t, ctx: *mut c_void) {
    let Some(previous) = PREVIOUS.get() else { return };
    let prev = if sig == libc::SIGSEGV { &previous[0] } else { &previous[1] };
    let handler = prev.sa_sigaction;
    // SAFETY: calling the previous handler with the conventions its flags declare, as the
    // kernel would have; restoring a disposition we saved is a valid sigaction call.
    unsafe {
        if handler == libc::SIG_DFL || handler == libc::SIG_IGN {
            // Put the old disposition back. A fault raised by the kernel re-executes the
            // faulting instruction on return and now gets the default action (the kernel
            // does not let a synchronous fault be ignored); one sent by kill() is re-raised.
            let errno = *libc::__errno_location();
            libc::sigaction(sig, prev, ptr::null_mut());
            if (*info).si_code <= 0 && handler == libc::SIG_DFL {
                libc::raise(sig);
            }
            *libc::__errno_location() = errno;
        } else if prev.sa_flags & libc::SA_SIGINFO != 0 {
            let f: unsafe extern "C" fn(c_int, *mut libc::siginfo_t, *mut c_void) = std::mem::transmute(handler);
            f(sig, info, ctx);
        } else {
            let f: unsafe extern "C" fn(c_int) = std::mem::transmute(handler);
            f(sig);
        }
    }
}

/// An alternate signal stack this module mapped for one thread; unmapped at thread exit.
struct AltStack {
    /// Start of the mapping (a guard page, then the stack), or null.
    base: Cell<*mut c_void>,
}

impl Drop for AltStack {
    fn drop(&mut self) {
        let base = self.base.get();
        if base.is_null() {
            return;
        }
        // SAFETY: disabling the thread's alternate stack is always valid; the mapping is ours
        // and, once disabled, nothing runs on it.
        unsafe {
            let mut current: libc::stack_t = std::mem::zeroed();
            libc::sigaltstack(ptr::null(), &mut current);
            if current.ss_sp == base.cast::<u8>().add(page_size()).cast() {
                let disable = libc::stack_t { ss_sp: ptr::null_mut(), ss_flags: libc::SS_DISABLE, ss_size: 0 };
                libc::sigaltstack(&disable, ptr::null_mut());
            } else {
                // Someone replaced our stack; it may still be in use, so keep the mapping.
                return;
            }
            libc::munmap(base, page_size() + ALT_STACK_SIZE);
        }
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) as usize }
}

/// Makes sure this thread has an alternate signal stack: keeps one that is already installed
/// (Rust's runtime installs one on threads it starts), else maps one with a guard page below
/// it, kept for the thread's lifetime and unmapped by the thread-local's destructor.
fn ensure_alt_stack() {
    // SAFETY: querying and installing an alternate stack over memory we just mapped; the
    // mapping stays alive until the thread-local destructor disables and unmaps it.
    unsafe {
        let mut current: libc::stack_t = std::mem::zeroed();
        if libc::sigaltstack(ptr::null(), &mut current) == 0
            && current.ss_flags & libc::SS_DISABLE == 0
            && current.ss_size >= ALT_STACK_MIN
        {
            return;
        }
        let guard = page_size();
        let base = libc::mmap(
            ptr::null_mut(),
            guard + ALT_STACK_SIZE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        );
        assert!(base != libc::MAP_FAILED, "cannot map an alternate signal stack: {}", std::io::Error::last_os_error());
        libc::mprotect(base, guard, libc::PROT_NONE);
        let stack = libc::stack_t { ss_sp: base.cast::<u8>().add(guard).cast(), ss_flags: 0, ss_size: ALT_STACK_SIZE };
        let rc = libc::sigaltstack(&stack, ptr::null_mut());
        assert_eq!(rc, 0, "sigaltstack failed: {}", std::io::Error::last_os_error());
        OWN_ALT_STACK.with(|s| s.base.set(base));
    }
}
