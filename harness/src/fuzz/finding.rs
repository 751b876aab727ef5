//! Findings on disk: one directory per [`Signature`] under the campaign's `--out` directory,
//! written atomically so that a crash or Ctrl-C never leaves half a finding.
//!
//! `DIR/<signature>/` holds:
//! - `module.wasm`: the module as shrunk (the one replay runs);
//! - `original.wasm`: the module as generated, before shrinking;
//! - `module.wat`: `module.wasm` printed by wasmprinter;
//! - `finding.json`: a [`FindingRecord`] (signature, the diverging step with every engine's
//!   outcome, engines and their versions, generator, seed and case index, the case's calls,
//!   redzone's version, time);
//! - `replay.sh`: the one command that reproduces it.
//!
//! A finding is written into `DIR/.tmp-<unique>/` and renamed to its signature's name; if a
//! directory of that name exists it is a duplicate and is left untouched. [`rewrite`] updates
//! a finding in place (for `redzone reduce`), one file at a time, each through a temporary
//! file and a rename.

use super::signature::Signature;
use crate::engines::{CANARY, CONFIGURATIONS, CRASH_CANARY};
use crate::generators::{GeneratorKind, TestCase};
use crate::oracles::fleet::Step;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The module replay runs.
pub const MODULE: &str = "module.wasm";
/// The module before shrinking.
pub const ORIGINAL: &str = "original.wasm";
/// The module in text form.
pub const WAT: &str = "module.wat";
/// The record.
pub const RECORD: &str = "finding.json";
/// The replay script.
pub const REPLAY: &str = "replay.sh";

/// An engine configuration and what it is (with its version), as recorded in a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineVersion {
    /// Configuration name.
    pub name: String,
    /// Engine and version, from [`CONFIGURATIONS`].
    pub engine: String,
}

/// The diverging step, as recorded (for people: replay recomputes it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Position in the run (0 is instantiation).
    pub index: usize,
    /// `instantiate`, or the call.
    pub label: String,
    /// The verdict with its groups and details.
    pub verdict: serde_json::Value,
    /// Every engine's outcome.
    pub outcomes: serde_json::Value,
}

/// How the module was shrunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShrinkRecord {
    /// Size of `original.wasm`.
    pub original_bytes: usize,
    /// Size of `module.wasm`.
    pub bytes: usize,
    /// Candidates tried.
    pub candidates: u64,
    /// Why shrinking stopped early or did not run, if it did.
    pub note: Option<String>,
}

/// Which redzone made the finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    /// The harness's version.
    pub version: String,
    /// The git commit, when the build knew it (`REDZONE_GIT_COMMIT` at build time).
    pub commit: Option<String>,
}

impl Build {
    /// This build.
    pub fn current() -> Build {
        Build {
            version: env!("CARGO_PKG_VERSION").to_string(),
            commit: option_env!("REDZONE_GIT_COMMIT").map(str::to_string),
        }
    }
}

/// `finding.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingRecord {
    /// The signature, in full.
    pub signature: Signature,
    /// The signature's directory name.
    pub name: String,
    /// The first diverging step of the saved module.
    pub step: StepRecord,
    /// The engines the case ran on, in order, with their versions.
    pub engines: Vec<EngineVersion>,
    /// Fuel per step.
    pub fuel: Option<u64>,
    /// The generator.
    pub generator: GeneratorKind,
    /// The campaign seed.
    pub seed: u64,
    /// The case's index in the campaign: `(seed, index)` regenerates the original module.
    pub index: u64,
    /// The case (its calls; the module is `module.wasm`).
    pub case: TestCase,
    /// Shrinking, when it ran.
    pub shrink: Option<ShrinkRecord>,
    /// The redzone that found it.
    pub redzone: Build,
    /// When, as RFC 3339 UTC.
    pub time: String,
}

impl FindingRecord {
    /// The engine configuration names.
    pub fn engine_names(&self) -> Vec<String> {
        self.engines.iter().map(|e| e.name.clone()).collect()
    }

    /// Whether the finding needs the canary build to replay.
    pub fn needs_canary(&self) -> bool {
        self.engines.iter().any(|e| e.name == CANARY.name || e.name == CRASH_CANARY.name)
    }
}

/// The engines as a finding records them.
pub fn engine_versions(names: &[String]) -> Vec<EngineVersion> {
    names
        .iter()
        .map(|name| EngineVersion {
            name: name.clone(),
            engine: CONFIGURATIONS
                .iter()
                .chain([&CANARY, &CRASH_CANARY])
                .find(|c| c.name == name)
                .map_or("unknown", |c| c.engine)
                .to_string(),
        })
        .collect()
}

/// The diverging step as a finding records it.
pub fn step_record(index: usize, step: &Step) -> StepRecord {
    StepRecord {
        index,
        label: step.label.clone(),
        verdict: serde_json::to_value(&step.verdict).unwrap_or_default(),
        outcomes: serde_json::to_value(&step.outcomes).unwrap_or_default(),
    }
}

/// A finding: its record and both modules.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// `finding.json`.
    pub record: FindingRecord,
    /// The shrunk module.
    pub wasm: Vec<u8>,
    /// The module before shrinking.
    pub original: Vec<u8>,
}

/// What [`save`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// A new finding directory.
    New(PathBuf),
    /// A finding with this signature was already there; nothing was written.
    Duplicate(PathBuf),
}

/// A finding that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FindingError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `finding.json` is not a finding record.
    #[error("{}: not a redzone finding record ({source}); a finding directory holds the finding.json that `redzone fuzz` wrote", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FindingError + '_ {
    move |source| FindingError::Io { path: path.to_path_buf(), source }
}

/// A name no other writer in this or another process uses at the same time.
fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{prefix}{}-{nanos:08x}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// The text of `module.wat`: wasmprinter's, or a comment saying why there is none (a module
/// that does not decode can still be a finding: engines may disagree about rejecting it).
pub fn wat_text(wasm: &[u8]) -> String {
    match wasmprinter::print_bytes(wasm) {
        Ok(text) => text,
        Err(e) => format!(";; wasmprinter cannot print this module: {e:#}\n;; see module.wasm\n"),
    }
}

/// The text of `replay.sh`.
pub fn replay_script(record: &FindingRecord) -> String {
    let build = if record.needs_canary() {
        "#   cargo build --release -p redzone-harness --features canary\n\
         # (this finding involves a test-only canary configuration, which only that build\n\
         # has)\n"
    } else {
        "#   cargo build --release -p redzone-harness\n"
    };
    format!(
        "#!/bin/sh\n\
         # Reproduces the redzone fuzz finding {name}\n\
         # ({what} divergence, generator {generator}, seed {seed}, case {index}).\n\
         # Build redzone first, from the redzone workspace:\n\
         {build}\
         # then put target/release/redzone on PATH or set REDZONE to its path.\n\
         # Exit status: 1 while it still diverges, 0 once it no longer does.\n\
         exec \"${{REDZONE:-redzone}}\" replay \"$(dirname \"$0\")\"\n",
        name = record.name,
        what = record.signature.what,
        generator = record.generator,
        seed = record.seed,
        index = record.index,
    )
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), FindingError> {
    std::fs::write(path, bytes).map_err(io(path))
}

fn make_executable(path: &Path) -> Result<(), FindingError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(io(path))?;
    }
    Ok(())
}

/// Writes every file of `finding` into `dir` (which exists).
fn write_files(dir: &Path, finding: &Finding) -> Result<(), FindingError> {
    write(&dir.join(MODULE), &finding.wasm)?;
    write(&dir.join(ORIGINAL), &finding.original)?;
    write(&dir.join(WAT), wat_text(&finding.wasm).as_bytes())?;
    let json = serde_json::to_string_pretty(&finding.record).unwrap_or_default();
    write(&dir.join(RECORD), format!("{json}\n").as_bytes())?;
    let script = dir.join(REPLAY);
    write(&script, replay_script(&finding.record).as_bytes())?;
    make_executable(&script)
}

/// Saves `finding` as `out/<signature name>/`, atomically; a directory of that name already
/// there makes it a [`Saved::Duplicate`] and is not touched.
pub fn save(out: &Path, finding: &Finding) -> Result<Saved, FindingError> {
    std::fs::create_dir_all(out).map_err(io(out))?;
    let target = out.join(&finding.record.name);
    if target.exists() {
        return Ok(Saved::Duplicate(target));
    }
    let tmp = out.join(unique(".tmp-"));
    std::fs::create_dir(&tmp).map_err(io(&tmp))?;
    let written = write_files(&tmp, finding);
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    match std::fs::rename(&tmp, &target) {
        Ok(()) => Ok(Saved::New(target)),
        // Another job or process saved the same signature first: rename(2) refuses to replace
        // a non-empty directory.
        Err(_) if target.exists() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(Saved::Duplicate(target))
        }
        Err(source) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(FindingError::Io { path: target, source })
        }
    }
}

/// Replaces one file atomically: a temporary file beside it, then a rename.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), FindingError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(unique(".tmp-file-"));
    write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        FindingError::Io { path: path.to_path_buf(), source }
    })
}

/// Rewrites the shrunk module, its text, the record and the replay script of the finding in
/// `dir` (`original.wasm` is kept).
pub fn rewrite(dir: &Path, wasm: &[u8], record: &FindingRecord) -> Result<(), FindingError> {
    replace(&dir.join(MODULE), wasm)?;
    replace(&dir.join(WAT), wat_text(wasm).as_bytes())?;
    let json = serde_json::to_string_pretty(record).unwrap_or_default();
    replace(&dir.join(RECORD), format!("{json}\n").as_bytes())?;
    let script = dir.join(REPLAY);
    replace(&script, replay_script(record).as_bytes())?;
    make_executable(&script)
}

/// Reads the finding in `dir`. `original.wasm` may be missing (it is then the module).
pub fn load(dir: &Path) -> Result<Finding, FindingError> {
    let record_path = dir.join(RECORD);
    let text = std::fs::read_to_string(&record_path).map_err(io(&record_path))?;
    let mut record: FindingRecord =
        serde_json::from_str(&text).map_err(|source| FindingError::Json { path: record_path, source })?;
    let module_path = dir.join(MODULE);
    let wasm = std::fs::read(&module_path).map_err(io(&module_path))?;
    let original = std::fs::read(dir.join(ORIGINAL)).unwrap_or_else(|_| wasm.clone());
    record.case.wasm = wasm.clone();
    Ok(Finding { record, wasm, original })
}

/// `time` as RFC 3339 UTC (`2026-11-21T08:35:08Z`), from the civil-from-days algorithm (no
/// date crate needed for one timestamp).
pub fn rfc3339(time: std::time::SystemTime) -> String {
    let secs = time.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::signature::Side;
    use crate::generators::Calls;
    use crate::oracles::What;

    fn finding(name: &str, engines: &[&str]) -> Finding {
        let wasm = wat::parse_str(r#"(module (func (export "f")))"#).unwrap();
        let signature = Signature {
            what: What::Trap,
            sides: vec![Side { engines: vec!["a".into()], class: "trap".into() }],
            traps: vec!["MemoryOutOfBounds".into()],
            opcode: "i32_load".into(),
        };
        let names: Vec<String> = engines.iter().map(|e| e.to_string()).collect();
        let record = FindingRecord {
            signature,
            name: name.into(),
            step: StepRecord { index: 1, label: "f()".into(), verdict: "x".into(), outcomes: "y".into() },
            engines: engine_versions(&names),
            fuel: Some(1000),
            generator: GeneratorKind::Edges,
            seed: 7,
            index: 3,
            case: TestCase::new(GeneratorKind::Edges, wasm.clone(), Calls::Seeded { seed: 1, calls_per_export: 2 }),
            shrink: None,
            redzone: Build::current(),
            time: rfc3339(std::time::SystemTime::now()),
        };
        Finding { record, original: [wasm.clone(), vec![0, 0]].concat(), wasm }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(unique(&format!("redzone-finding-{name}-")));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn saves_atomically_once_per_signature_and_reads_back() {
        let out = scratch("save");
        let f = finding("trap-vs-value.a-vs-b.i32_load.12345678", &["redzone:checked", "wasmi"]);
        let Saved::New(dir) = save(&out, &f).unwrap() else { panic!("first save is new") };
        assert_eq!(dir, out.join(&f.record.name));
        for file in [MODULE, ORIGINAL, WAT, RECORD, REPLAY] {
            assert!(dir.join(file).is_file(), "{file}");
        }
        assert!(std::fs::read_to_string(dir.join(WAT)).unwrap().contains("(export \"f\""));
        let script = std::fs::read_to_string(dir.join(REPLAY)).unwrap();
        assert!(script.contains("${REDZONE:-redzone}\" replay \"$(dirname \"$0\")\""), "{script}");
        assert!(!script.contains("--features canary"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(dir.join(REPLAY)).unwrap().permissions().mode() & 0o111, 0o111);
        }
        let mut other = f.clone();
        other.wasm = vec![1, 2, 3];
        assert_eq!(save(&out, &other).unwrap(), Saved::Duplicate(dir.clone()));
        let back = load(&dir).unwrap();
        assert_eq!(back.wasm, f.wasm, "a duplicate does not overwrite");
        assert_eq!(back.original, f.original);
        assert_eq!(back.record, FindingRecord { case: f.record.case.clone(), ..f.record.clone() });
        assert_eq!(back.record.engines[1].engine, "wasmi 2.0.0");
        let leftovers: Vec<_> = std::fs::read_dir(&out).unwrap().filter_map(|e| e.ok()).collect();
        assert_eq!(leftovers.len(), 1, "no temporary directory left behind");

        rewrite(&dir, &f.original, &back.record).unwrap();
        assert_eq!(load(&dir).unwrap().wasm, f.original);
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn canary_findings_say_how_to_build_and_bad_records_are_typed_errors() {
        let f = finding("x", &["redzone:canary", "redzone:checked"]);
        assert!(f.record.needs_canary());
        assert!(replay_script(&f.record).contains("--features canary"));
        let out = scratch("bad");
        std::fs::create_dir_all(&out).unwrap();
        let err = load(&out).unwrap_err();
        assert!(matches!(err, FindingError::Io { .. }) && err.to_string().contains(RECORD), "{err}");
        std::fs::write(out.join(RECORD), "{}").unwrap();
        let err = load(&out).unwrap_err().to_string();
        assert!(err.contains("not a redzone finding record"), "{err}");
        std::fs::remove_dir_all(&out).unwrap();
        assert!(wat_text(b"junk").starts_with(";; wasmprinter cannot print"));
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let at = |s: u64| rfc3339(std::time::UNIX_EPOCH + std::time::Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_795_250_108), "2026-11-21T08:35:08Z");
    }
}
