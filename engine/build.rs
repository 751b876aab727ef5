//! Builds the guard strategy's C shim (`csrc/guard_jmp.c`): the sigsetjmp point that a claimed
//! guard-page fault returns to. Only targets where the guard strategy exists need it.

fn main() {
    println!("cargo::rerun-if-changed=csrc/guard_jmp.c");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if os == "linux" && arch == "x86_64" {
        cc::Build::new().file("csrc/guard_jmp.c").warnings(true).extra_warnings(true).compile("redzone_guard_jmp");
    }
}
