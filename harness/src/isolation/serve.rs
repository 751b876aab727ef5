//! The worker's side (`redzone worker`, started by the harness, never by people): read
//! [`Request`]s from stdin, run them, write [`Response`]s to stdout, until stdin closes.
//!
//! Before serving, the worker moves its protocol stream off file descriptor 1 (a duplicate
//! carries the frames; fd 1 becomes a copy of stderr), so that anything an engine prints
//! cannot corrupt a frame, sets its `RLIMIT_DATA` to the limit it was given and its
//! `RLIMIT_CORE` to 0 (a dying worker writes no core). Jobs run on
//! a thread with a 64 MiB stack, as the fuzz jobs do (deeply nested generated modules recurse
//! in validators and compilers). A panic in a job is a [`Response::Error`]; anything that
//! kills the process is the harness's to classify.

use super::protocol::{self, Request, Response, SelfCrash};
use super::{Job, execute};
use crate::engines::panic_free;
use anyhow::Context;
use std::io::{BufReader, BufWriter, Write};
use std::os::fd::{FromRawFd, OwnedFd};

/// Serves requests on stdin/stdout until stdin closes. `memory_limit` is the `RLIMIT_DATA` to
/// set, in bytes.
pub fn serve(memory_limit: Option<u64>) -> anyhow::Result<()> {
    if let Some(limit) = memory_limit {
        let rlimit = libc::rlimit { rlim_cur: limit, rlim_max: limit };
        // SAFETY: setrlimit with a valid pointer to an initialised struct.
        if unsafe { libc::setrlimit(libc::RLIMIT_DATA, &rlimit) } != 0 {
            return Err(std::io::Error::last_os_error()).context("setting the worker's memory limit (RLIMIT_DATA)");
        }
    }
    // No core files: a crash is reproduced from the case the harness saved, and writing the
    // core of a worker that aborted with gigabytes committed outlasts the job's timeout (the
    // death was then classified a timeout). Best effort: a failure leaves the default.
    let no_core = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: setrlimit with a valid pointer to an initialised struct.
    unsafe { libc::setrlimit(libc::RLIMIT_CORE, &no_core) };
    // SAFETY: dup of fd 1, which the harness opened as a pipe; the new descriptor is owned by
    // `frames` alone. dup2 then points fd 1 at stderr, which stays open for the process's life.
    let frames = unsafe {
        let fd = libc::dup(1);
        if fd < 0 || libc::dup2(2, 1) < 0 {
            return Err(std::io::Error::last_os_error()).context("moving the worker's protocol stream off stdout");
        }
        OwnedFd::from_raw_fd(fd)
    };
    let handle = std::thread::Builder::new()
        .name("worker".into())
        .stack_size(64 << 20)
        .spawn(move || -> anyhow::Result<()> {
            let mut input = BufReader::new(std::io::stdin().lock());
            let mut output = BufWriter::new(std::fs::File::from(frames));
            while let Some((request, blob)) = protocol::read_frame::<Request>(&mut input)? {
                let response = answer(request, blob);
                protocol::write_frame(&mut output, &response, &[])?;
                output.flush()?;
            }
            Ok(())
        })
        .context("starting the worker thread")?;
    handle.join().map_err(|p| anyhow::anyhow!("the worker thread panicked: {}", crate::engines::panic_message(&*p)))?
}

/// Runs one request.
fn answer(request: Request, wasm: Vec<u8>) -> Response {
    match request {
        Request::Run { file, mut case, fuel, engines, render } => {
            case.wasm = wasm;
            let job = Job { file, case, fuel, engines, render };
            guarded(|| execute(&job).map(|r| Response::Report(Box::new(r))))
        }
        Request::Spec(job) => guarded(|| Ok(Response::Spec { reports: super::execute_spec(&job) })),
        Request::Module(mut job) => {
            job.wasm = wasm;
            guarded(|| super::execute_module(&job).map(|(_, r)| Response::Module(Box::new(r))))
        }
        Request::SelfTest { crash } => die(crash),
    }
}

/// Runs `f`, turning an engine error or a harness panic into [`Response::Error`] (neither is
/// a crash of the process).
fn guarded(f: impl FnOnce() -> Result<Response, crate::engines::EngineError>) -> Response {
    match panic_free(f) {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => Response::Error { message: e.to_string() },
        Err(panic) => Response::Error { message: format!("the harness panicked in the worker: {panic}") },
    }
}

/// Dies as asked.
fn die(crash: SelfCrash) -> ! {
    match crash {
        SelfCrash::Segfault => {
            // SAFETY: deliberately reads the never-mapped first page to die by SIGSEGV; only
            // the harness's crash-classification tests send this request.
            let byte = unsafe { std::ptr::read_volatile(std::hint::black_box(16usize) as *const u8) };
            std::process::exit(i32::from(byte))
        }
        SelfCrash::Abort => std::process::abort(),
        SelfCrash::StackOverflow => {
            // Recursion without a base case is the point: the native stack must overflow.
            #[allow(unconditional_recursion)]
            fn deeper(n: u64) -> u64 {
                let pad = std::hint::black_box([n; 64]);
                deeper(pad[3] + 1) + pad[7]
            }
            std::process::exit(deeper(0) as i32)
        }
        SelfCrash::Hang => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        SelfCrash::Allocate => {
            let mut blocks: Vec<Vec<u8>> = Vec::new();
            loop {
                // 1 GiB at a time, touched so that it is really committed.
                let mut block = vec![0u8; 1 << 30];
                block.iter_mut().step_by(4096).for_each(|b| *b = 1);
                blocks.push(std::hint::black_box(block));
            }
        }
    }
}
