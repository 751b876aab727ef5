//! The harness's side of a `redzone worker` process: start it, send it jobs, read reports,
//! notice its death, classify it and start a new one for the next job.
//!
//! A [`Worker`] owns at most one process at a time. Its stdout is read by a thread that
//! forwards frames over a channel, so the parent can wait for a report with a timeout; its
//! stderr goes to a file in the temporary directory (kept small: it is truncated for each new
//! process) whose tail explains a death. The process is killed and reaped when the
//! [`Worker`] is dropped.

use super::death::{self, Death};
use super::protocol::{self, Request, Response, SelfCrash};
use super::{Job, ModuleJob, ModuleRan, Ran, Runner, SpecJob, SpecRan};
use anyhow::{Context, bail};
use std::io::{BufReader, BufWriter, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// How workers are started and limited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerSettings {
    /// The `redzone` executable to start as `redzone worker` (the CLI passes its own path).
    pub exe: PathBuf,
    /// Wall-clock limit for one job; a worker still running then is killed and the job is a
    /// `timeout` crash. Defaults to 60 seconds.
    pub timeout: Duration,
    /// The worker's `RLIMIT_DATA` in bytes (committed data memory; the engines' PROT_NONE
    /// reservations do not count against it), `None` for no limit. Defaults to 8 GiB: a
    /// guest's 4 GiB memory fits, an allocation running away does not.
    pub memory_limit: Option<u64>,
    /// The planted engine bug the worker runs with (`redzone_engine::mutants`, passed as
    /// `REDZONE_MUTANT`). Defaults to this process's own (none unless that variable is set).
    pub mutant: Option<&'static redzone_engine::mutants::Mutant>,
}

impl WorkerSettings {
    /// Settings for workers started from `exe`, with the default limits.
    pub fn new(exe: PathBuf) -> Self {
        WorkerSettings {
            exe,
            timeout: Duration::from_secs(60),
            memory_limit: Some(8 << 30),
            mutant: redzone_engine::mutants::active(),
        }
    }

    /// Settings for workers started from this very executable (the `redzone` binary).
    pub fn current_exe() -> anyhow::Result<Self> {
        let exe = std::env::current_exe().context("finding the redzone executable to start workers from")?;
        Ok(Self::new(exe))
    }
}

/// A running worker process.
struct Process {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    frames: Receiver<std::io::Result<(Response, Vec<u8>)>>,
    stderr: PathBuf,
}

/// A worker slot: the process it has now (if any) and how to start the next.
pub struct Worker {
    settings: WorkerSettings,
    process: Option<Process>,
    /// Processes started, for the summary (1 plus one per death).
    started: u64,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker").field("settings", &self.settings).field("started", &self.started).finish()
    }
}

/// A stderr file name no other worker of this or another process uses.
fn stderr_path() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    std::env::temp_dir().join(format!(
        "redzone-worker-{}-{}.stderr",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

impl Worker {
    /// A worker slot; the process starts with the first job.
    pub fn new(settings: WorkerSettings) -> Self {
        Worker { settings, process: None, started: 0 }
    }

    fn spawn(&mut self) -> anyhow::Result<&mut Process> {
        if self.process.is_none() {
            let path = stderr_path();
            let stderr = std::fs::File::create(&path)
                .with_context(|| format!("creating the worker's stderr file {}", path.display()))?;
            let mut command = Command::new(&self.settings.exe);
            // No backtraces: symbolising one after an allocation failure or a panic can take
            // longer than the timeout, which would turn an `oom` into a `timeout`.
            command.arg("worker").env("RUST_BACKTRACE", "0").env("RUST_LIB_BACKTRACE", "0");
            // Always set, so a worker runs the mutant it was asked for, not one inherited.
            command.env(redzone_engine::mutants::ENV, self.settings.mutant.map_or("none", |m| m.name));
            if let Some(limit) = self.settings.memory_limit {
                command.arg("--memory-limit").arg(limit.to_string());
            }
            let mut child =
                command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::from(stderr)).spawn().with_context(
                    || {
                        format!(
                            "starting the worker `{} worker` (use --isolation none to run in-process)",
                            self.settings.exe.display()
                        )
                    },
                )?;
            let stdin = BufWriter::new(child.stdin.take().context("the worker has no stdin")?);
            let stdout = child.stdout.take().context("the worker has no stdout")?;
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::Builder::new()
                .name("worker-reader".into())
                .spawn(move || {
                    let mut stdout = BufReader::new(stdout);
                    loop {
                        match protocol::read_frame::<Response>(&mut stdout) {
                            Ok(Some(frame)) => {
                                if tx.send(Ok(frame)).is_err() {
                                    return;
                                }
                            }
                            Ok(None) => return,
                            Err(e) => {
                                let _ = tx.send(Err(e));
                                return;
                            }
                        }
                    }
                })
                .context("starting the worker's reader thread")?;
            self.started += 1;
            self.process = Some(Process { child, stdin, frames: rx, stderr: path });
        }
        Ok(self.process.as_mut().expect("just made"))
    }

    /// Ends the current process (if any) and classifies how it ended.
    fn bury(&mut self, timed_out: bool) -> Death {
        let Some(mut p) = self.process.take() else {
            return death::classify(
                std::os::unix::process::ExitStatusExt::from_raw(0),
                "",
                timed_out,
                self.settings.timeout,
            );
        };
        if timed_out {
            let _ = p.child.kill();
        }
        drop(p.stdin);
        let status = p.child.wait();
        let mut stderr = String::new();
        if let Ok(mut f) = std::fs::File::open(&p.stderr) {
            let mut bytes = Vec::new();
            let _ = f.read_to_end(&mut bytes);
            stderr = String::from_utf8_lossy(&bytes).into_owned();
        }
        let _ = std::fs::remove_file(&p.stderr);
        match status {
            Ok(status) => death::classify(status, &stderr, timed_out, self.settings.timeout),
            Err(e) => Death {
                class: death::CrashClass::Exit(-1),
                status: format!("cannot be waited for: {e}"),
                stderr: death::tail(&stderr),
            },
        }
    }

    /// Sends one request and waits for its response, or for the worker's death.
    fn exchange(&mut self, request: &Request, blob: &[u8]) -> anyhow::Result<Result<(Response, Vec<u8>), Death>> {
        let timeout = self.settings.timeout;
        let process = self.spawn()?;
        if protocol::write_frame(&mut process.stdin, request, blob).is_err() {
            // The worker is gone (or going): its death says why.
            return Ok(Err(self.bury(false)));
        }
        match process.frames.recv_timeout(timeout) {
            Ok(Ok(frame)) => Ok(Ok(frame)),
            Ok(Err(e)) => {
                // The stream broke mid-frame: a worker that died while writing, or garbage on
                // its stdout. Either way the process is finished with.
                let death = self.bury(false);
                if death.class == death::CrashClass::Exit(0) {
                    bail!("the worker's output is not the protocol: {e}");
                }
                Ok(Err(death))
            }
            Err(RecvTimeoutError::Timeout) => Ok(Err(self.bury(true))),
            Err(RecvTimeoutError::Disconnected) => Ok(Err(self.bury(false))),
        }
    }

    /// Asks the worker to die in the way `crash` says and returns how it died (the worker
    /// tests' way to prove each crash class with a real death).
    pub fn self_test(&mut self, crash: SelfCrash) -> anyhow::Result<Option<Death>> {
        match self.exchange(&Request::SelfTest { crash }, &[])? {
            Ok(_) => Ok(None),
            Err(death) => Ok(Some(death)),
        }
    }
}

impl Runner for Worker {
    fn run(&mut self, job: &Job) -> anyhow::Result<Ran> {
        let (request, blob) = Request::run(job);
        match self.exchange(&request, blob)? {
            Ok((Response::Report(report), _)) => Ok(Ran::Completed(report)),
            Ok((Response::Error { message }, _)) => bail!("{message}"),
            Ok((other, _)) => bail!("the worker answered a run with {other:?}"),
            Err(death) => Ok(Ran::Died(death)),
        }
    }

    fn spec(&mut self, job: &SpecJob) -> anyhow::Result<SpecRan> {
        match self.exchange(&Request::Spec(job.clone()), &[])? {
            Ok((Response::Spec { reports }, _)) => Ok(SpecRan::Reports(reports)),
            Ok((Response::Error { message }, _)) => bail!("{message}"),
            Ok((other, _)) => bail!("the worker answered a spec file with {other:?}"),
            Err(death) => Ok(SpecRan::Died(death)),
        }
    }

    fn module(&mut self, job: &ModuleJob) -> anyhow::Result<ModuleRan> {
        match self.exchange(&Request::Module(job.clone()), &job.wasm)? {
            Ok((Response::Module(report), _)) => Ok(ModuleRan::Done(report)),
            Ok((Response::Error { message }, _)) => bail!("{message}"),
            Ok((other, _)) => bail!("the worker answered a module with {other:?}"),
            Err(death) => Ok(ModuleRan::Died(death)),
        }
    }

    fn processes_started(&self) -> u64 {
        self.started
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(mut p) = self.process.take() {
            // Closing stdin ends a worker that is waiting for a job; one that is still busy
            // is killed.
            drop(p.stdin);
            if !matches!(p.child.try_wait(), Ok(Some(_))) {
                std::thread::sleep(Duration::from_millis(1));
                if !matches!(p.child.try_wait(), Ok(Some(_))) {
                    let _ = p.child.kill();
                }
            }
            let _ = p.child.wait();
            let _ = std::fs::remove_file(&p.stderr);
        }
    }
}
