//! Snapshot tests of the `redzone` binary, in the style of wasm-tools' `tests/cli`: each file
//! directly in `tests/cli/` with `;; RUN: <args>` lines is a trial; `%s` stands for the file's
//! own path. The binary runs from the crate directory with the testsuite variables cleared;
//! its stdout, stderr and exit status are compared with `<file>.stdout`. Timings and the
//! workspace path are redacted. `BLESS=1 cargo test -p redzone-harness --test main cli::`
//! rewrites the snapshots.

use crate::trial;
use libtest_mimic::{Failed, Trial};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.retain(|p| p.is_file() && p.extension().is_some_and(|e| e != "stdout"));
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        trials.push(trial(format!("cli::{name}"), move || snapshot(&path)));
    }
}

fn snapshot(path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path)?;
    let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).display().to_string();
    let runs: Vec<&str> = text.lines().filter_map(|l| l.trim().strip_prefix(";; RUN:")).map(str::trim).collect();
    if runs.is_empty() {
        return Err(format!("{rel}: no `;; RUN:` line").into());
    }
    let mut actual = String::new();
    for run in runs {
        let args: Vec<String> = run.split_whitespace().map(|a| a.replace("%s", &rel)).collect();
        let out = Command::new(env!("CARGO_BIN_EXE_redzone"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("WASM_SPEC_TESTSUITE")
            .env_remove("REDZONE_REQUIRE_SPEC_SUITE")
            .env("RUST_BACKTRACE", "0")
            .output()?;
        actual.push_str(&format!("$ redzone {}\n", args.join(" ")));
        actual.push_str(&String::from_utf8_lossy(&out.stdout));
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !stderr.is_empty() {
            actual.push_str("--- stderr\n");
            actual.push_str(&stderr);
        }
        actual.push_str(&format!("[exit {}]\n", out.status.code().map_or("signal".to_string(), |c| c.to_string())));
    }
    let actual = redact(&actual);
    let expected_path = PathBuf::from(format!("{}.stdout", path.display()));
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expected_path, &actual)?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&expected_path)
        .map_err(|e| format!("{}: {e} (run with BLESS=1 to create it)", expected_path.display()))?;
    if expected == actual {
        return Ok(());
    }
    Err(format!("{rel}: output differs from {}\n--- expected\n{expected}--- actual\n{actual}", expected_path.display())
        .into())
}

/// Replaces what changes from run to run: timings, thread ids, the workspace's absolute path
/// (as built, and as the running process sees it through any symlink) and the temporary
/// directory.
fn redact(s: &str) -> String {
    let root = crate::workspace_root();
    let mut s = s.to_string();
    if let Ok(canonical) = Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize() {
        s = s.replace(&canonical.display().to_string(), "[ROOT]/harness");
    }
    if let Ok(canonical) = root.canonicalize() {
        s = s.replace(&canonical.display().to_string(), "[ROOT]");
    }
    s = s.replace(&root.display().to_string(), "[ROOT]");
    // Crash findings of `redzone run` go under the temporary directory without `--out`.
    let tmp = std::env::temp_dir().display().to_string();
    let tmp = tmp.trim_end_matches('/');
    if !tmp.is_empty() {
        s = s.replace(&format!("{tmp}/redzone-findings"), "[TMP]/redzone-findings");
    }
    let mut out = String::new();
    for line in s.lines() {
        out.push_str(&redact_line(line));
        out.push('\n');
    }
    out
}

fn redact_line(line: &str) -> String {
    // `thread 'main' (12345) panicked at ...`.
    if line.starts_with("thread '")
        && let (Some(open), Some(close)) = (line.find(") panicked"), line.find("' ("))
    {
        return format!("{}' ([TID]{}", &line[..close], &line[open..]);
    }
    // ` in 1.23s` at the end of a summary line.
    if let Some(i) = line.rfind(" in ")
        && line.ends_with('s')
        && line[i + 4..line.len() - 1].parse::<f64>().is_ok()
    {
        return format!("{} in [TIME]", &line[..i]);
    }
    // `"elapsed": 0.12,` and `"duration": 0.01` in JSON.
    for key in ["\"elapsed\": ", "\"duration\": "] {
        if let Some(i) = line.find(key) {
            let rest = &line[i + key.len()..];
            let end =
                rest.find(|c: char| c != '.' && !c.is_ascii_digit() && c != 'e' && c != '-').unwrap_or(rest.len());
            return format!("{}{key}\"[TIME]\"{}", &line[..i], &rest[end..]);
        }
    }
    line.to_string()
}
