/*
 * The guard strategy's only C code: the point a claimed guard-page fault returns to.
 *
 * Rust cannot call sigsetjmp itself (a function that returns twice is outside its model), so
 * `redzone_guard_enter` sets the jump buffer in its own frame and calls back into Rust;
 * the fault handler (engine/src/memory/signals.rs) calls `redzone_guard_unwind` with that
 * buffer, and `redzone_guard_enter` then returns 0 instead of 1.
 *
 * The buffer does not save the signal mask (sigsetjmp's second argument is 0): the handler is
 * installed with SA_NODEFER and an empty sa_mask, so jumping out of it leaves the thread's
 * mask as it was, and entering guest code costs no system call.
 *
 * Invariant relied on by the Rust side: between this frame and the faulting access there is
 * no frame with a pending destructor (see signals.rs), since siglongjmp abandons them.
 */
#include <setjmp.h>

typedef void (*redzone_guard_body)(void *payload);

/* Runs body(payload). Before calling it, stores the address of this frame's jump buffer in
 * *jmp_slot. Returns 1 when body returned, 0 when a fault handler jumped back here. */
int redzone_guard_enter(void **jmp_slot, redzone_guard_body body, void *payload) {
    sigjmp_buf buf;
    if (sigsetjmp(buf, 0) != 0) {
        return 0;
    }
    *jmp_slot = (void *)&buf;
    body(payload);
    return 1;
}

/* Jumps back into the redzone_guard_enter frame that owns `jmp`. Called from the signal
 * handler on the alternate signal stack; never returns. */
void redzone_guard_unwind(void *jmp) {
    siglongjmp(*(sigjmp_buf *)jmp, 1);
}
