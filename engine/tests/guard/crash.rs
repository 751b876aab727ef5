//! Faults that are not the engine's must still kill the process with SIGSEGV: the handler
//! forwards them to the previous disposition. Each case runs in a child process (this test
//! binary re-executed on the ignored `child_entry` test, the case chosen by an env var).

use super::{guard_mem, guest};
use redzone_engine::{GuardMemory, LinearMemory};
use std::os::unix::process::ExitStatusExt;
use std::process::Command;

const CASE_VAR: &str = "REDZONE_GUARD_CRASH_CASE";

/// Reads one byte at `addr` with a plain load that the compiler cannot remove or reorder.
fn raw_read(addr: usize) -> u8 {
    let v: u8;
    // SAFETY: deliberately not safe: the child cases fault here on purpose.
    unsafe { std::arch::asm!("mov {v}, byte ptr [{a}]", a = in(reg) addr, v = out(reg_byte) v, options(nostack)) };
    v
}

#[test]
#[ignore = "child-process entry of the crash tests below; does nothing on its own"]
fn child_entry() {
    let Ok(case) = std::env::var(CASE_VAR) else { return };
    let mut mine = [guard_mem(1, None)];
    let other = guard_mem(1, None);
    let other_guard = other.reservation_base() as usize + 65536 + 100;
    let mine_guard = mine[0].reservation_base() as usize + 65536 + 100;
    let _ = guest(&mut mine, |_| match case.as_str() {
        // A null dereference in host code running inside guest code.
        "null" => raw_read(0),
        // A fault in a reservation the running activation did not register.
        "foreign" => raw_read(other_guard),
        // A fault in host code (called from guest code) on the guest's own guard region.
        "host" => GuardMemory::run_host(|| raw_read(mine_guard)),
        _ => 0,
    });
    // Outside guest code: a fault in a guard region is not a trap either.
    if case == "outside" {
        raw_read(mine_guard);
    }
    eprintln!("child case {case}: survived");
    std::process::exit(3);
}

fn run_child(case: &str) -> std::process::ExitStatus {
    let exe = std::env::current_exe().unwrap();
    Command::new(exe)
        .args(["guard::crash::child_entry", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CASE_VAR, case)
        .output()
        .map(|o| o.status)
        .unwrap()
}

#[test]
fn faults_that_are_not_guest_traps_still_kill_with_sigsegv() {
    for case in ["null", "foreign", "host", "outside"] {
        let status = run_child(case);
        assert_eq!(status.signal(), Some(libc::SIGSEGV), "case {case}: child ended with {status:?}");
    }
}

#[test]
fn a_guest_trap_in_the_child_entry_is_survivable() {
    // The control for the test above: the same child, with a case that only traps in guest
    // code, exits normally (status 3), so the crashes above are the forwarded faults.
    let status = run_child("none");
    assert_eq!(status.code(), Some(3), "child ended with {status:?}");
    let mut m = [guard_mem(1, None)];
    assert!(guest(&mut m, |ms| ms[0].load::<u8>(70_000)).is_err());
}
