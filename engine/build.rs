//! Builds the engine's C shims: the guard strategy's (`csrc/guard_jmp.c`), the sigsetjmp point
//! that a claimed guard-page fault returns to, and `csrc/stack_align.c`, which calls the
//! interpreter loop with its native frame at a fixed offset within a page. Only x86-64 Linux
//! (where the guard strategy exists) uses them.

fn main() {
    println!("cargo::rerun-if-changed=csrc/guard_jmp.c");
    println!("cargo::rerun-if-changed=csrc/stack_align.c");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if os == "linux" && arch == "x86_64" {
        cc::Build::new().file("csrc/guard_jmp.c").warnings(true).extra_warnings(true).compile("redzone_guard_jmp");
        cc::Build::new().file("csrc/stack_align.c").warnings(true).extra_warnings(true).compile("redzone_stack_align");
    }
}
