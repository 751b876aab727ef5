//! Finding the spec testsuite and the `.wast` files in it.
//!
//! Lookup order: `--suite DIR`, then the `WASM_SPEC_TESTSUITE` environment variable, then a
//! `suites/spec/testsuite` checkout (relative to the current directory, then to the
//! workspace). A relative `WASM_SPEC_TESTSUITE` is tried against the current directory and
//! then the workspace root, because `cargo test` runs integration tests from the crate
//! directory while people set the variable from the repository root.

use super::manifest::{Manifest, Scope};
use std::path::{Path, PathBuf};

/// The environment variable naming the testsuite directory.
pub const SUITE_ENV: &str = "WASM_SPEC_TESTSUITE";
/// The environment variable that turns a missing testsuite into an error (`1` or `true`).
pub const REQUIRE_ENV: &str = "REDZONE_REQUIRE_SPEC_SUITE";
/// Where a checkout (or git submodule) of the testsuite may live, relative to the repository.
pub const CHECKOUT_PATH: &str = "suites/spec/testsuite";

/// The message for a missing testsuite: how to point at one.
pub const HOW_TO_POINT: &str = "pass --suite DIR, set WASM_SPEC_TESTSUITE=DIR, or check out the \
     WebAssembly/testsuite repository at suites/spec/testsuite";

/// How the testsuite was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuiteSource {
    /// `--suite DIR`.
    Flag,
    /// `WASM_SPEC_TESTSUITE`.
    Env,
    /// `suites/spec/testsuite`.
    Checkout,
}

/// A testsuite directory that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteLocation {
    /// The directory.
    pub root: PathBuf,
    /// Where the directory came from.
    pub source: SuiteSource,
}

/// Where to look, so lookups are testable without touching the process environment.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    /// `--suite DIR`.
    pub flag: Option<PathBuf>,
    /// The value of `WASM_SPEC_TESTSUITE`.
    pub env: Option<PathBuf>,
    /// Directories a relative path is resolved against, in order (normally the current
    /// directory, then the workspace root).
    pub bases: Vec<PathBuf>,
}

/// A testsuite that was asked for but is not usable.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SuiteError {
    /// `--suite` or `WASM_SPEC_TESTSUITE` names something that is not a directory.
    #[error("spec testsuite {from} `{path}` is not a directory (tried {tried}): {HOW_TO_POINT}")]
    NotADirectory {
        /// `--suite` or `WASM_SPEC_TESTSUITE`.
        from: &'static str,
        /// The path as given.
        path: String,
        /// The places tried.
        tried: String,
    },
    /// Nothing was found and the testsuite is required.
    #[error("spec testsuite not found and required (--require-suite or {REQUIRE_ENV}=1): {HOW_TO_POINT}")]
    Missing,
}

/// The workspace root (the folder above the harness crate) as it was at build time.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

impl Lookup {
    /// The lookup of this process: `flag`, the environment, the current directory and the
    /// workspace root.
    pub fn from_env(flag: Option<PathBuf>) -> Lookup {
        let mut bases = Vec::new();
        if let Ok(cwd) = std::env::current_dir() {
            bases.push(cwd);
        }
        bases.push(workspace_root());
        Lookup { flag, env: std::env::var_os(SUITE_ENV).filter(|v| !v.is_empty()).map(PathBuf::from), bases }
    }

    fn resolve(&self, path: &Path) -> (Option<PathBuf>, Vec<PathBuf>) {
        let candidates: Vec<PathBuf> = if path.is_absolute() {
            vec![path.to_path_buf()]
        } else {
            self.bases.iter().map(|b| b.join(path)).collect()
        };
        (candidates.iter().find(|c| c.is_dir()).cloned(), candidates)
    }

    /// Finds the testsuite. `Ok(None)` means none was configured and no checkout exists.
    pub fn locate(&self) -> Result<Option<SuiteLocation>, SuiteError> {
        let explicit = [(&self.flag, "--suite", SuiteSource::Flag), (&self.env, SUITE_ENV, SuiteSource::Env)];
        for (path, from, source) in explicit {
            if let Some(path) = path {
                let (found, tried) = self.resolve(path);
                return match found {
                    Some(root) => Ok(Some(SuiteLocation { root, source })),
                    None => Err(SuiteError::NotADirectory {
                        from,
                        path: path.display().to_string(),
                        tried: tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
                    }),
                };
            }
        }
        let (found, _) = self.resolve(Path::new(CHECKOUT_PATH));
        // An uninitialised submodule is an empty folder: treat it as absent.
        Ok(found
            .filter(|root| std::fs::read_dir(root).map(|mut d| d.next().is_some()).unwrap_or(false))
            .map(|root| SuiteLocation { root, source: SuiteSource::Checkout }))
    }
}

/// Whether `REDZONE_REQUIRE_SPEC_SUITE` asks for the testsuite to be required.
pub fn required_by_env() -> bool {
    std::env::var(REQUIRE_ENV).map(|v| matches!(v.trim(), "1" | "true" | "yes")).unwrap_or(false)
}

/// A `.wast` file of a suite and what the manifest says about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SuiteFile {
    /// Full path.
    pub path: PathBuf,
    /// Path relative to the suite root, `/`-separated: the file's name in reports.
    pub name: String,
    /// In or out of scope, and why.
    pub scope: Scope,
}

/// Every `.wast` file under `dir`, sorted by relative path.
pub fn find_wast_files(dir: &Path) -> std::io::Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ty = entry.file_type()?;
        if ty.is_dir() || (ty.is_symlink() && path.is_dir()) {
            walk(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "wast") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push((path, name));
        }
    }
    Ok(())
}

/// The suite's `.wast` files with their scope, keeping those whose name contains one of
/// `filters` (all when `filters` is empty).
pub fn discover(root: &Path, manifest: &Manifest, filters: &[String]) -> std::io::Result<Vec<SuiteFile>> {
    Ok(find_wast_files(root)?
        .into_iter()
        .filter(|(_, name)| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())))
        .map(|(path, name)| {
            let scope = manifest.scope(&name);
            SuiteFile { path, name, scope }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("redzone-suite-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn lookup_order_and_relative_paths() {
        let base = temp_dir("lookup");
        std::fs::create_dir_all(base.join("ws/suites/spec/testsuite/proposals")).unwrap();
        std::fs::create_dir_all(base.join("env-suite")).unwrap();
        let lookup = |flag: Option<&str>, env: Option<&str>| Lookup {
            flag: flag.map(PathBuf::from),
            env: env.map(PathBuf::from),
            bases: vec![base.join("elsewhere"), base.join("ws")],
        };
        let found = lookup(None, None).locate().unwrap().unwrap();
        assert_eq!((found.root, found.source), (base.join("ws/suites/spec/testsuite"), SuiteSource::Checkout));
        let env = base.join("env-suite");
        let found = lookup(None, Some(env.to_str().unwrap())).locate().unwrap().unwrap();
        assert_eq!(found.source, SuiteSource::Env);
        let found = lookup(Some("suites/spec/testsuite"), Some("nowhere")).locate().unwrap().unwrap();
        assert_eq!(found.source, SuiteSource::Flag, "the flag wins over the environment");
        assert_eq!(found.root, base.join("ws/suites/spec/testsuite"), "relative to the second base");
        let err = lookup(None, Some("nowhere")).locate().unwrap_err().to_string();
        assert!(err.contains("WASM_SPEC_TESTSUITE `nowhere` is not a directory") && err.contains("--suite"), "{err}");
        let empty = Lookup { flag: None, env: None, bases: vec![base.join("elsewhere")] };
        assert_eq!(empty.locate(), Ok(None));
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn discovery_walks_and_applies_the_manifest() {
        let base = temp_dir("discover");
        for f in ["b.wast", "simd_x.wast", "proposals/tail-call/return_call.wast", "proposals/gc/a.wast", "notes.txt"] {
            let p = base.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        let files = discover(&base, &Manifest::builtin(), &[]).unwrap();
        let names: Vec<(&str, bool)> = files.iter().map(|f| (f.name.as_str(), f.scope.is_in())).collect();
        assert_eq!(
            names,
            vec![
                ("b.wast", true),
                ("proposals/gc/a.wast", false),
                ("proposals/tail-call/return_call.wast", true),
                ("simd_x.wast", true)
            ]
        );
        let filtered = discover(&base, &Manifest::builtin(), &["tail".to_string()]).unwrap();
        assert_eq!(filtered.len(), 1);
        std::fs::remove_dir_all(&base).unwrap();
    }
}
