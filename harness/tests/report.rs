//! `report::chromium`: the published report end to end. A fixed results document
//! (`tests/report/results.json`, hand-made in the shape `redzone bench` writes) is rendered
//! through the library into a temporary `--out`; the Markdown and HTML must show its figures,
//! every SVG must be well-formed and titled; then headless Chromium opens `index.html`:
//! its screenshot must not be blank (and must show the engine colours the charts use), and
//! a second run with logging must show no console message, no load outside the report
//! and the report's title in the DOM.
//!
//! Without Chromium the trial is ignored with a message saying to run `.ci/install-chromium`,
//! unless `REDZONE_REQUIRE_CHROMIUM=1` (as `.ci/run` sets), when it fails with that message.
//! `REDZONE_CHROMIUM` names another binary.

use crate::workspace_root;
use libtest_mimic::{Completion, Failed, Trial};
use redzone_harness::report::publish::{self, Settings};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Adds the trial.
pub fn trials(trials: &mut Vec<Trial>) {
    trials.push(Trial::ignorable_test("report::chromium", chromium));
}

fn fixture() -> PathBuf {
    workspace_root().join("harness/tests/report/results.json")
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("redzone-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creating a temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok { Ok(()) } else { Err(what().into()) }
}

fn contains_all(name: &str, text: &str, needles: &[&str]) -> Result<(), Failed> {
    let missing: Vec<&&str> = needles.iter().filter(|n| !text.contains(**n)).collect();
    check(missing.is_empty(), || format!("{name} lacks {missing:?}"))
}

/// A light well-formedness check: every tag opened is closed in order, ignoring
/// declarations, comments and self-closing tags, and the document is one `<svg>` element.
fn xml_balanced(svg: &str) -> Result<(), String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg.trim();
    if !rest.starts_with("<svg") || !rest.ends_with("</svg>") {
        return Err("not one <svg> element".into());
    }
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').ok_or("unterminated tag")? + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            if stack.is_empty() && !rest.trim().is_empty() {
                return Err("content after the root element".into());
            }
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or(""));
        }
    }
    if stack.is_empty() { Ok(()) } else { Err(format!("unclosed {stack:?}")) }
}

/// The Chromium to run: `REDZONE_CHROMIUM`, else Debian's. Err says what was looked for.
fn chromium_binary() -> Result<PathBuf, String> {
    let candidates: Vec<PathBuf> = match std::env::var_os("REDZONE_CHROMIUM") {
        Some(p) => vec![PathBuf::from(p)],
        None => vec![PathBuf::from("/usr/bin/chromium")],
    };
    candidates.iter().find(|p| p.is_file()).cloned().ok_or_else(|| {
        let names: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        format!(
            "chromium not found ({}): run .ci/install-chromium as root to install Debian's chromium",
            names.join(", ")
        )
    })
}

/// Runs Chromium headless with `extra` flags on `url`, stdout and stderr to files (no pipe
/// to fill up), killed after two minutes (CI runs it beside the spec trials on two cores).
/// Returns (stdout, stderr).
fn run_chromium(bin: &Path, work: &Path, run: &str, extra: &[String], url: &str) -> Result<(String, String), Failed> {
    let profile = work.join(format!("profile-{run}"));
    let (out_path, err_path) = (work.join(format!("{run}.stdout")), work.join(format!("{run}.stderr")));
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path)?)
        .stderr(std::fs::File::create(&err_path)?)
        .spawn()
        .map_err(|e| format!("starting {}: {e}", bin.display()))?;
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("chromium ({run}) did not finish within 120 s").into());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    check(status.success(), || format!("chromium ({run}) exited with {status}:\n{stderr}"))?;
    Ok((stdout, stderr))
}

/// RGB pixels of a PNG, whatever its 8-bit colour type.
fn decode_png(path: &Path) -> Result<(u32, u32, Vec<[u8; 3]>), Failed> {
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| format!("{}: {e}", path.display()))?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("PNG too large")?];
    let info = reader.next_frame(&mut buf).map_err(|e| format!("{}: {e}", path.display()))?;
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| match channels {
            1 | 2 => [p[0], p[0], p[0]],
            _ => [p[0], p[1], p[2]],
        })
        .collect();
    Ok((info.width, info.height, pixels))
}

fn chromium() -> Result<Completion, Failed> {
    let work = TempDir::new("report-test");
    let out = work.0.join("reports");
    let published = publish::publish(&fixture(), &Settings { out: out.clone(), date: None })
        .map_err(|e| format!("rendering the fixture: {e}"))?;
    check(published.dated == out.join("2026-11-21"), || format!("dated dir {}", published.dated.display()))?;
    let dir = &published.latest;
    for name in &published.files {
        let (a, b) = (std::fs::read(dir.join(name))?, std::fs::read(published.dated.join(name))?);
        check(a == b, || format!("{name} differs between latest/ and the dated directory"))?;
    }
    let input = std::fs::read(fixture())?;
    check(std::fs::read(dir.join("results.json"))? == input, || "results.json is not a copy of the input".into())?;

    // Figures of the fixture, as the report must print them: the geomean entries of
    // `ratios` (wasmtime 0.8516, redzone 0.9036, wasmer 0.8227), one workload's ratio
    // (redzone offsets_64m), conformance counts (48,213 passed; wasmi 4 failed; wasmer 15
    // expected failures), engine versions and the machine.
    let html = std::fs::read_to_string(dir.join("index.html"))?;
    let md = std::fs::read_to_string(dir.join("README.md"))?;
    let common = [
        "0.85×",
        "0.90×",
        "0.82×",
        "48,213",
        "48,198",
        "48,209",
        "wasmtime 48.0.0, Cranelift",
        "wasmer 7.4.2, Cranelift",
        "AMD EPYC 7B13",
        "check-cost.svg",
        "engines.svg",
        "index64.svg",
        "abi.svg",
        "conformance.svg",
    ];
    contains_all("README.md", &md, &common)?;
    // The 32-bit vs 64-bit index table: the fixture's `index_costs` (redzone:guard's mean over
    // the two twins 1.10, wasmtime:guard's 1.34) and wasmer's memory64 refusal, shown as such.
    contains_all(
        "README.md",
        &md,
        &["32-bit vs 64-bit index", r"| gather\_m64 | gather |", "1.10×", "1.34×", "unsupported feature: memory64"],
    )?;
    contains_all(
        "README.md",
        &md,
        &["# redzone performance report, 2026-11-21 (quick)", "![", "| wasmi | 48,209 | **4** | 0 |"],
    )?;
    contains_all("index.html", &html, &common[..common.len() - 5])?;
    contains_all("index.html", &html, &["<title>redzone performance report, 2026-11-21</title>", "<svg", "Method"])?;
    check(!html.contains("<script") && !html.contains("<link") && !html.contains(" src="), || {
        "index.html must not load anything".into()
    })?;
    let titles = [
        ("check-cost.svg", "The cost of explicit bounds checks"),
        ("engines.svg", "Engine against engine: median time relative to wasmtime:guard"),
        ("index64.svg", "32-bit vs 64-bit index"),
        ("abi.svg", "ABI round trip against a host memcpy"),
        ("conformance.svg", "Conformance: spec testsuite checks"),
    ];
    for (file, title) in titles {
        let svg = std::fs::read_to_string(dir.join(file))?;
        xml_balanced(&svg).map_err(|e| format!("{file}: {e}"))?;
        contains_all(file, &svg, &[title, "wasmtime"])?;
    }

    let bin = match chromium_binary() {
        Ok(bin) => bin,
        Err(msg) if std::env::var("REDZONE_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") => {
            return Err(format!("{msg} (REDZONE_REQUIRE_CHROMIUM=1)").into());
        }
        Err(msg) => return Ok(Completion::ignored_with(msg)),
    };
    let url = format!("file://{}", dir.join("index.html").display());

    let shot = work.0.join("shot.png");
    let extra = vec!["--window-size=1280,2400".to_string(), format!("--screenshot={}", shot.display())];
    run_chromium(&bin, &work.0, "screenshot", &extra, &url)?;
    let (width, height, pixels) = decode_png(&shot)?;
    check((width, height) == (1280, 2400), || format!("screenshot is {width}x{height}, not 1280x2400"))?;
    let non_white = pixels.iter().filter(|p| p.iter().any(|c| *c < 235)).count();
    let distinct: HashSet<[u8; 3]> = pixels.iter().copied().collect();
    check(non_white * 100 > pixels.len() * 5, || format!("screenshot is nearly blank: {non_white} non-white pixels"))?;
    check(distinct.len() >= 64, || format!("screenshot has only {} distinct colours", distinct.len()))?;
    // The charts drew: each engine family's colour (data::colour) shows on screen.
    for (family, rgb) in
        [("redzone", [0xd5, 0x5e, 0x00]), ("wasmtime", [0x00, 0x72, 0xb2]), ("wasmer", [0x00, 0x9e, 0x73])]
    {
        let close = |p: &[u8; 3]| p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 12);
        let n = pixels.iter().filter(|p| close(p)).count();
        check(n >= 50, || format!("the screenshot shows {n} pixels of {family}'s colour: the charts did not render"))?;
    }

    // Console messages (errors, and CSP refusals of any outside load) and file loads.
    let extra =
        ["--dump-dom", "--enable-logging=stderr", "--v=0", "--vmodule=file_url_loader_factory=1"].map(String::from);
    let (dom, log) = run_chromium(&bin, &work.0, "dom", &extra, &url)?;
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    check(console.is_empty(), || format!("the page logged to the console:\n{}", console.join("\n")))?;
    let loads: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("FileURLLoader::Start:"))
        .map(|l| l.rsplit("file://").next().unwrap_or("").trim())
        .collect();
    // The page itself must show up, or the logging these checks rely on is not working.
    let page = dir.join("index.html");
    check(loads.iter().any(|l| Path::new(l) == page), || format!("no load of {} in the log:\n{log}", page.display()))?;
    for loaded in loads {
        let path = Path::new(loaded);
        check(path.starts_with(dir) && path.exists(), || {
            format!("the page loaded {loaded}, outside the report or missing")
        })?;
    }
    contains_all("the DOM", &dom, &["redzone performance report, 2026-11-21", "<svg", "48,213"])?;
    Ok(Completion::Completed)
}
