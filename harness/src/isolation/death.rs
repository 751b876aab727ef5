//! Why a worker process died, classified: the part of a crash finding's signature that says
//! what kind of crash it was.
//!
//! Data enters as the worker's exit status, the tail of its stderr and whether the parent
//! killed it for running past the timeout; it leaves as a [`Death`] with a [`CrashClass`]:
//! - killed by the parent after the timeout: [`CrashClass::Timeout`], unless its stderr already
//!   reports one of the two causes below (it was killed while dying of it);
//! - Rust's stack-overflow report on stderr ("has overflowed its stack"), whatever the signal
//!   (Rust's guard-page handler aborts; a handler that re-raises leaves SIGSEGV):
//!   [`CrashClass::StackOverflow`];
//! - an allocation failure report ("memory allocation of N bytes failed", which is what the
//!   worker's `RLIMIT_DATA` turns a runaway allocation into), or a SIGKILL the parent did not
//!   send (the kernel's OOM killer): [`CrashClass::Oom`];
//! - any other SIGABRT: [`CrashClass::Abort`];
//! - any other signal: [`CrashClass::Signal`] with its name (`SIGSEGV`, `SIGBUS`, `SIGILL`);
//! - a non-zero exit without a signal: [`CrashClass::Exit`].

use serde::{Deserialize, Serialize};
use std::fmt;
use std::process::ExitStatus;

/// How many bytes of the worker's stderr a death keeps.
pub const STDERR_TAIL: usize = 4096;

/// The kind of a crash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrashClass {
    /// Killed by a signal, named (`SIGSEGV`).
    Signal(String),
    /// Aborted (SIGABRT) for another reason than the ones below.
    Abort,
    /// The native stack overflowed.
    StackOverflow,
    /// An allocation failed at the memory limit, or the kernel killed it for memory.
    Oom,
    /// It ran past the wall-clock timeout and was killed.
    Timeout,
    /// It exited with this non-zero status.
    Exit(i32),
}

impl CrashClass {
    /// The label in signatures and messages: `SIGSEGV`, `abort`, `stack-overflow`, `oom`,
    /// `timeout`, `exit-3`.
    pub fn label(&self) -> String {
        match self {
            CrashClass::Signal(name) => name.clone(),
            CrashClass::Abort => "abort".into(),
            CrashClass::StackOverflow => "stack-overflow".into(),
            CrashClass::Oom => "oom".into(),
            CrashClass::Timeout => "timeout".into(),
            CrashClass::Exit(code) => format!("exit-{code}"),
        }
    }
}

impl fmt::Display for CrashClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// A worker's death.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Death {
    /// What kind of crash.
    pub class: CrashClass,
    /// The exit status as the OS reported it (`signal 11 (SIGSEGV)`, `exit status 3`,
    /// `killed after the 10 s timeout`).
    pub status: String,
    /// The end of the worker's stderr (at most [`STDERR_TAIL`] bytes).
    pub stderr: String,
}

impl fmt::Display for Death {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.class, self.status)
    }
}

/// The name of a signal (`SIGSEGV`), or `signal N`.
pub fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGSYS => "SIGSYS",
        libc::SIGTERM => "SIGTERM",
        libc::SIGXCPU => "SIGXCPU",
        _ => return format!("signal {signal}"),
    };
    name.to_string()
}

/// Classifies a worker's end. `timed_out` says the parent killed it for the timeout.
pub fn classify(status: ExitStatus, stderr: &str, timed_out: bool, timeout: std::time::Duration) -> Death {
    use std::os::unix::process::ExitStatusExt;
    let overflow = stderr.contains("has overflowed its stack");
    let alloc = stderr.contains("memory allocation of") && stderr.contains("failed");
    let (class, status) = match (timed_out, status.signal(), status.code()) {
        // Killed for the timeout, but its stderr already says it was dying of a failed
        // allocation or a stack overflow (an abort that writes a core of a few GiB can take
        // longer than the timeout on a loaded machine): the cause on record wins.
        (true, _, _) if alloc || overflow => (
            if overflow { CrashClass::StackOverflow } else { CrashClass::Oom },
            format!("killed after the {} s timeout, while dying", timeout.as_secs_f64()),
        ),
        (true, _, _) => (CrashClass::Timeout, format!("killed after the {} s timeout", timeout.as_secs_f64())),
        (false, Some(sig), _) => {
            let class = match sig {
                _ if overflow => CrashClass::StackOverflow,
                _ if alloc => CrashClass::Oom,
                libc::SIGKILL => CrashClass::Oom,
                libc::SIGABRT => CrashClass::Abort,
                _ => CrashClass::Signal(signal_name(sig)),
            };
            (class, format!("signal {sig}"))
        }
        (false, None, Some(code)) => {
            let class = if alloc { CrashClass::Oom } else { CrashClass::Exit(code) };
            (class, format!("exit status {code}"))
        }
        (false, None, None) => (CrashClass::Exit(-1), "ended without a status".into()),
    };
    Death { class, status, stderr: tail(stderr) }
}

/// The last [`STDERR_TAIL`] bytes of `text`, cut at a character boundary.
pub fn tail(text: &str) -> String {
    let mut start = text.len().saturating_sub(STDERR_TAIL);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    text[start..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;
    use std::time::Duration;

    fn by_signal(sig: i32) -> ExitStatus {
        ExitStatus::from_raw(sig)
    }

    fn by_exit(code: i32) -> ExitStatus {
        ExitStatus::from_raw(code << 8)
    }

    #[test]
    fn every_class_from_status_and_stderr() {
        let t = Duration::from_secs(10);
        let c = |status, stderr: &str, timed_out| classify(status, stderr, timed_out, t).class;
        assert_eq!(c(by_signal(libc::SIGSEGV), "", false), CrashClass::Signal("SIGSEGV".into()));
        assert_eq!(c(by_signal(libc::SIGBUS), "", false).label(), "SIGBUS");
        assert_eq!(c(by_signal(libc::SIGABRT), "fatal runtime error", false), CrashClass::Abort);
        let overflow = "\nthread 'x' has overflowed its stack\nfatal runtime error: stack overflow\n";
        assert_eq!(c(by_signal(libc::SIGABRT), overflow, false), CrashClass::StackOverflow);
        assert_eq!(c(by_signal(libc::SIGSEGV), overflow, false), CrashClass::StackOverflow);
        let oom = "memory allocation of 17179869184 bytes failed\n";
        assert_eq!(c(by_signal(libc::SIGABRT), oom, false), CrashClass::Oom);
        assert_eq!(c(by_signal(libc::SIGKILL), "", false), CrashClass::Oom, "the kernel's OOM killer");
        assert_eq!(c(by_signal(libc::SIGKILL), "", true), CrashClass::Timeout, "our own kill");
        assert_eq!(c(by_signal(libc::SIGKILL), oom, true), CrashClass::Oom, "killed while aborting on OOM");
        assert_eq!(c(by_signal(libc::SIGKILL), overflow, true), CrashClass::StackOverflow);
        assert_eq!(c(by_exit(3), "", false), CrashClass::Exit(3));
        assert_eq!(CrashClass::Exit(3).label(), "exit-3");
        let d = classify(by_signal(libc::SIGSEGV), &"x".repeat(10_000), false, t);
        assert_eq!(d.stderr.len(), STDERR_TAIL);
        assert_eq!(d.status, "signal 11");
        assert!(classify(by_signal(9), "", true, t).status.contains("10 s timeout"));
    }
}
