//! What the harness and a `redzone worker` say to each other over the worker's stdin and
//! stdout.
//!
//! Every message is one frame: the magic `RZ1`, a little-endian `u32` length and a JSON
//! header ([`Request`] or [`Response`]), then a little-endian `u32` length and a binary blob
//! (the module of a [`Request::Run`]; empty otherwise). Modules travel as raw bytes because a
//! JSON array of numbers would cost more than the run for small cases. A frame larger than
//! [`MAX_FRAME`] is refused as a protocol error, so a corrupted length cannot make either side
//! allocate gigabytes.

use super::{Job, ModuleJob, ModuleReport, Render, RunReport, SpecJob};
use crate::generators::TestCase;
use crate::spec::ScriptReport;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

/// Frame magic.
const MAGIC: &[u8; 3] = b"RZ1";

/// The largest header or blob accepted (256 MiB: a module, or a rendered run with memory
/// dumps).
pub const MAX_FRAME: u32 = 256 << 20;

/// What the harness asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case")]
pub enum Request {
    /// Run a case (its module is the blob) and report.
    Run {
        /// Step label prefix.
        file: String,
        /// The case without its module.
        case: TestCase,
        /// Fuel per step.
        fuel: Option<u64>,
        /// Engine configurations.
        engines: Vec<String>,
        /// What to render.
        render: Render,
    },
    /// Run a spec testsuite file.
    Spec(SpecJob),
    /// Run a module for `redzone run` (the module is the blob).
    Module(ModuleJob),
    /// Die in this way: the harness's own tests of crash classification and respawning, so
    /// that each class is proven with a real process death rather than a simulated status.
    SelfTest {
        /// How to die.
        crash: SelfCrash,
    },
}

/// The ways [`Request::SelfTest`] makes a worker die.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelfCrash {
    /// A read of an unmapped address (SIGSEGV).
    Segfault,
    /// `std::process::abort` (SIGABRT).
    Abort,
    /// Unbounded recursion on the native stack.
    StackOverflow,
    /// Sleeps forever (the parent's timeout must end it).
    Hang,
    /// Allocates and touches memory past any limit.
    Allocate,
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "response", rename_all = "snake_case")]
pub enum Response {
    /// The run completed.
    Report(Box<RunReport>),
    /// The module ran.
    Module(Box<ModuleReport>),
    /// The spec file ran.
    Spec {
        /// Its reports.
        reports: Vec<ScriptReport>,
    },
    /// The engines could not be built, or the harness panicked (not a crash of the process).
    Error {
        /// Why.
        message: String,
    },
}

impl Request {
    /// The request for `job`, and its blob.
    pub fn run(job: &Job) -> (Request, &[u8]) {
        let request = Request::Run {
            file: job.file.clone(),
            case: job.case.clone(),
            fuel: job.fuel,
            engines: job.engines.clone(),
            render: job.render,
        };
        (request, &job.case.wasm)
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Writes one frame and flushes.
pub fn write_frame<T: Serialize>(w: &mut impl Write, header: &T, blob: &[u8]) -> io::Result<()> {
    let json = serde_json::to_vec(header).map_err(|e| invalid(format!("cannot encode a frame header: {e}")))?;
    let len = |n: usize| {
        u32::try_from(n).ok().filter(|&n| n <= MAX_FRAME).ok_or_else(|| invalid(format!("frame part of {n} bytes")))
    };
    let mut out = Vec::with_capacity(json.len() + blob.len() + 11);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&len(json.len())?.to_le_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(&len(blob.len())?.to_le_bytes());
    out.extend_from_slice(blob);
    w.write_all(&out)?;
    w.flush()
}

/// Reads one frame: `Ok(None)` at a clean end of stream (before any byte of a frame).
pub fn read_frame<T: for<'de> Deserialize<'de>>(r: &mut impl Read) -> io::Result<Option<(T, Vec<u8>)>> {
    let mut magic = [0u8; 3];
    match r.read(&mut magic[..1])? {
        0 => return Ok(None),
        _ => r.read_exact(&mut magic[1..])?,
    }
    if &magic != MAGIC {
        return Err(invalid(format!("not a redzone worker frame (magic {magic:02x?})")));
    }
    let header = read_part(r)?;
    let header = serde_json::from_slice(&header).map_err(|e| invalid(format!("bad frame header: {e}")))?;
    let blob = read_part(r)?;
    Ok(Some((header, blob)))
}

fn read_part(r: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let len = u32::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(invalid(format!("frame part of {len} bytes is over the limit of {MAX_FRAME}")));
    }
    let mut buf = vec![0u8; len as usize];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::{Calls, GeneratorKind};

    #[test]
    fn frames_round_trip_and_bad_frames_are_errors() {
        let case = TestCase::new(GeneratorKind::Edges, vec![0, 97, 115, 109], Calls::Listed(vec![]));
        let job = Job { file: "f".into(), case, fuel: Some(5), engines: vec!["wasmi".into()], render: Render::Text };
        let (request, blob) = Request::run(&job);
        let mut buf = Vec::new();
        write_frame(&mut buf, &request, blob).unwrap();
        write_frame(&mut buf, &Request::SelfTest { crash: SelfCrash::Hang }, &[]).unwrap();
        let mut r = &buf[..];
        let (got, blob): (Request, Vec<u8>) = read_frame(&mut r).unwrap().unwrap();
        let Request::Run { file, case, fuel, engines, render } = got else { panic!("a run request: {got:?}") };
        assert_eq!((file.as_str(), fuel, engines, render), ("f", Some(5), job.engines.clone(), Render::Text));
        assert_eq!((case.calls, case.wasm.len()), (job.case.calls.clone(), 0), "the module is not in the header");
        assert_eq!(blob, job.case.wasm, "it is the blob");
        let (got, blob): (Request, Vec<u8>) = read_frame(&mut r).unwrap().unwrap();
        assert_eq!((got, blob.len()), (Request::SelfTest { crash: SelfCrash::Hang }, 0));
        assert!(read_frame::<Request>(&mut r).unwrap().is_none(), "clean end");

        assert!(read_frame::<Request>(&mut &b"XY"[..]).is_err(), "truncated magic");
        assert!(read_frame::<Request>(&mut &b"XYZ\0\0\0\0"[..]).is_err(), "wrong magic");
        let mut huge = b"RZ1".to_vec();
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        let err = read_frame::<Request>(&mut &huge[..]).unwrap_err();
        assert!(err.to_string().contains("over the limit"), "{err}");
        let mut one = Vec::new();
        write_frame(&mut one, &request, &job.case.wasm).unwrap();
        assert!(read_frame::<Request>(&mut &one[..one.len() - 1]).is_err(), "a frame cut short");
    }
}
