//! Where and from what a run was made: the machine ([`machine`]: `/proc` on Linux), the
//! redzone build ([`build`]: crate version, `git rev-parse HEAD` with `-dirty`, profile),
//! the configurations with their engine versions ([`engine_entries`]), and the start time
//! as RFC 3339 ([`rfc3339`]). Anything that cannot be read is recorded as `unknown` (or 0),
//! never an error: a benchmark on an unusual machine is still a benchmark.

use super::results::{Build, EngineEntry, Machine};
use crate::engines::CONFIGURATIONS;
use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The value of the first `key : value` line of a `/proc` file.
fn proc_field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim() == key).then(|| v.trim().to_string())
    })
}

/// The machine this process runs on.
pub fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kib: u64 =
        proc_field(&meminfo, "MemTotal").and_then(|v| v.trim_end_matches("kB").trim().parse().ok()).unwrap_or(0);
    let kernel = read_trimmed("/proc/sys/kernel/osrelease");
    Machine {
        hostname: read_trimmed("/proc/sys/kernel/hostname")
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_else(|| "unknown".to_string()),
        cpu: proc_field(&cpuinfo, "model name").unwrap_or_else(|| "unknown".to_string()),
        cores: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        memory_bytes: memory_kib * 1024,
        os: match kernel {
            Some(k) => format!("{} {k}", std::env::consts::OS),
            None => std::env::consts::OS.to_string(),
        },
        arch: std::env::consts::ARCH.to_string(),
    }
}

/// The standard output of `git -C dir ARGS` when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// `git rev-parse HEAD` in `dir`, or `unknown`.
pub fn git_head(dir: &Path) -> String {
    git(dir, &["rev-parse", "HEAD"]).filter(|s| !s.is_empty()).unwrap_or_else(|| "unknown".to_string())
}

/// The checkout's commit: `git rev-parse HEAD`, with `-dirty` when `git status --porcelain`
/// lists changes; `unknown` when git cannot tell.
pub fn commit(dir: &Path) -> String {
    let head = git_head(dir);
    if head == "unknown" {
        return head;
    }
    match git(dir, &["status", "--porcelain"]) {
        Some(changes) if !changes.is_empty() => format!("{head}-dirty"),
        _ => head,
    }
}

/// The profile this code was compiled with: `debug` or `release`.
pub fn profile() -> &'static str {
    if cfg!(debug_assertions) { "debug" } else { "release" }
}

/// This build of redzone, in the checkout at `dir`.
pub fn build(dir: &Path) -> Build {
    Build { version: env!("CARGO_PKG_VERSION").to_string(), commit: commit(dir), profile: profile().to_string() }
}

/// The entries of `names`, with engine versions and strategies from
/// [`crate::engines::CONFIGURATIONS`].
pub fn engine_entries(names: &[&str]) -> Vec<EngineEntry> {
    names
        .iter()
        .map(|name| match CONFIGURATIONS.iter().find(|c| c.name == *name) {
            Some(c) => EngineEntry {
                name: c.name.to_string(),
                engine: c.engine.to_string(),
                bounds_checks: c.bounds_checks.to_string(),
            },
            None => EngineEntry { name: name.to_string(), engine: "unknown".into(), bounds_checks: "unknown".into() },
        })
        .collect()
}

/// `time` as RFC 3339 in UTC, to the second (`2026-11-21T09:30:00Z`).
pub fn rfc3339(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days` algorithm: 400-year eras of 146,097 days, years starting in March).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(1_795_253_400)), "2026-11-21T09:30:00Z");
    }

    #[test]
    fn proc_fields_and_machine() {
        assert_eq!(proc_field("model name\t: Some CPU\nflags : x", "model name").as_deref(), Some("Some CPU"));
        assert_eq!(proc_field("a: 1", "b"), None);
        let m = machine();
        assert!(m.cores >= 1 && !m.arch.is_empty() && !m.hostname.is_empty());
    }

    #[test]
    fn commits_and_engines() {
        assert_eq!(commit(Path::new("/")), "unknown");
        let here = commit(&crate::spec::suite::workspace_root());
        assert!(here == "unknown" || here.len() >= 40, "{here}");
        let entries = engine_entries(&["wasmi", "redzone:guard"]);
        assert_eq!(entries[0].engine, "wasmi 2.0.0");
        assert!(entries[1].bounds_checks.contains("PROT_NONE"));
    }
}
