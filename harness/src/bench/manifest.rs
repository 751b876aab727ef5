//! The workload manifest, `suites/bench/workloads.toml`: which module and export each
//! workload calls, at which size, and the checksum every engine must return there.
//!
//! [`Manifest::load`] reads and checks it (typed [`ManifestError`]s that name the file, the
//! workload and the field); [`Manifest::select`] picks workloads by name or group for
//! `--workloads`; [`Workload::size`] gives the `(n, checksum)` of a [`Size`];
//! [`Manifest::audit`] checks the manifest against the folder (every `.wat` listed, every
//! header stating the manifest's checksum), for the harness test. The manifest's own header
//! documents every field.

use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// The manifest's file name inside the workload folder.
pub const FILE_NAME: &str = "workloads.toml";

/// Where the manifest lives in the repository.
pub const REPO_PATH: &str = "suites/bench/workloads.toml";

/// Which of a workload's two sizes to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Size {
    /// `quick_n` / `quick_checksum`: `redzone bench --quick`, the tests, `cargo bench`.
    Quick,
    /// `n` / `checksum`: the default, for published reports.
    #[default]
    Full,
}

impl Size {
    /// `quick` or `full`, as [`crate::bench::results::Results::mode`] records it.
    pub fn name(self) -> &'static str {
        match self {
            Size::Quick => "quick",
            Size::Full => "full",
        }
    }
}

/// What one sample of a workload times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// One call of the export on an instance made before timing.
    #[default]
    Run,
    /// Instantiating the compiled module, calling the export once, and dropping the instance.
    Instantiate,
}

/// One `[[workload]]` of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Unique name, as reports name it.
    pub name: String,
    /// The module, relative to the manifest's folder (WAT text).
    pub file: String,
    /// The function to call: `(param i32) (result i64)`.
    pub export: String,
    /// compute | stream | random | dense | crypto | offset | bulk | instantiate | simd | mem64.
    pub group: String,
    /// The 32-bit workload this one is the memory64 twin of: the same kernel with a 64-bit
    /// memory and i64 addresses, at the same sizes with the same checksums. Reports divide
    /// its time by the twin's, and it stays out of the means over all workloads. Defaults to
    /// `None` (an ordinary workload).
    #[serde(default)]
    pub twin: Option<String>,
    /// The default (full) size.
    pub n: i32,
    /// What the export returns at `n`.
    pub checksum: i64,
    /// The `--quick` size.
    pub quick_n: i32,
    /// What the export returns at `quick_n`.
    pub quick_checksum: i64,
    /// About how many Wasm instructions one call at `n` executes.
    pub instructions: String,
    /// The memory behaviour it stresses, in a few words.
    pub stresses: String,
    /// Whether every call needs a new instance (the export changes state a second call
    /// would see).
    #[serde(default)]
    pub fresh: bool,
    /// What one sample times.
    #[serde(default)]
    pub measure: Measure,
}

impl Workload {
    /// The size argument and the checksum it must produce.
    pub fn size(&self, size: Size) -> (i32, i64) {
        match size {
            Size::Quick => (self.quick_n, self.quick_checksum),
            Size::Full => (self.n, self.checksum),
        }
    }

    /// Whether a sample needs an instance of its own (`fresh`, or timing instantiation).
    pub fn needs_new_instance(&self) -> bool {
        self.fresh || self.measure == Measure::Instantiate
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    workload: Vec<Workload>,
}

/// A parsed and checked manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The manifest file it was read from.
    pub path: PathBuf,
    /// Its workloads, in manifest order.
    pub workloads: Vec<Workload>,
}

/// A manifest that cannot be used: small (one box), with the file it concerns.
#[derive(Debug)]
pub struct ManifestError {
    kind: Box<ManifestErrorKind>,
}

/// What is wrong with a manifest or its modules.
#[derive(Debug, thiserror::Error)]
pub enum ManifestErrorKind {
    /// The manifest could not be read.
    #[error(
        "cannot read the benchmark manifest {path}: {error}; pass --manifest FILE (the repository's is {REPO_PATH})"
    )]
    Read {
        /// The manifest path.
        path: PathBuf,
        /// Why (in the message, not as a source, so it is not printed twice).
        error: std::io::Error,
    },
    /// The TOML does not parse, or a field has the wrong type or name.
    #[error("{path}: {message}")]
    Parse {
        /// The manifest path.
        path: PathBuf,
        /// The parser's message (with the line and the field).
        message: String,
    },
    /// A field holds a value the harness cannot use.
    #[error("{path}: workload `{workload}`, field `{field}`: {problem}")]
    Field {
        /// The manifest path.
        path: PathBuf,
        /// The workload's name.
        workload: String,
        /// The field.
        field: &'static str,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// `--workloads` names something that is neither a workload nor a group.
    #[error("{path}: no workload or group is called `{name}`; workloads: {workloads}; groups: {groups}")]
    Unknown {
        /// The manifest path.
        path: PathBuf,
        /// The name asked for.
        name: String,
        /// The known workload names.
        workloads: String,
        /// The known groups.
        groups: String,
    },
    /// A workload's module could not be read or is not valid WAT.
    #[error("{path}: workload `{workload}`: module {module}: {message}")]
    Module {
        /// The manifest path.
        path: PathBuf,
        /// The workload's name.
        workload: String,
        /// The module's path.
        module: PathBuf,
        /// Why.
        message: String,
    },
}

impl ManifestError {
    /// What is wrong.
    pub fn kind(&self) -> &ManifestErrorKind {
        &self.kind
    }

    #[cold]
    fn field(manifest: &Path, workload: &str, field: &'static str, problem: String) -> Self {
        ManifestErrorKind::Field { path: manifest.to_path_buf(), workload: workload.to_string(), field, problem }.into()
    }
}

impl From<ManifestErrorKind> for ManifestError {
    #[cold]
    fn from(kind: ManifestErrorKind) -> Self {
        ManifestError { kind: Box::new(kind) }
    }
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for ManifestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.source()
    }
}

impl Manifest {
    /// The repository's manifest: `suites/bench/workloads.toml` under the current directory
    /// when it exists there, else under the workspace the harness was built from.
    pub fn default_path() -> PathBuf {
        let here = PathBuf::from(REPO_PATH);
        if here.is_file() { here } else { crate::spec::suite::workspace_root().join(REPO_PATH) }
    }

    /// Reads and checks the manifest at `path`.
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| ManifestErrorKind::Read { path: path.to_path_buf(), error })?;
        Manifest::parse(path, &text)
    }

    /// Parses and checks manifest text; `path` names it in errors and locates the modules.
    pub fn parse(path: &Path, text: &str) -> Result<Manifest, ManifestError> {
        let doc: Document = toml::from_str(text)
            .map_err(|e| ManifestErrorKind::Parse { path: path.to_path_buf(), message: e.to_string() })?;
        let manifest = Manifest { path: path.to_path_buf(), workloads: doc.workload };
        manifest.check()?;
        Ok(manifest)
    }

    fn check(&self) -> Result<(), ManifestError> {
        if self.workloads.is_empty() {
            return Err(ManifestErrorKind::Parse {
                path: self.path.clone(),
                message: "no [[workload]] entries".to_string(),
            }
            .into());
        }
        let mut names = BTreeSet::new();
        for w in &self.workloads {
            let bad = |field, problem: String| Err(ManifestError::field(&self.path, &w.name, field, problem));
            if w.name.trim().is_empty() {
                return bad("name", "must not be empty".to_string());
            }
            if !names.insert(w.name.as_str()) {
                return bad("name", "is listed twice; workload names must be unique".to_string());
            }
            if w.file.is_empty() || Path::new(&w.file).is_absolute() || w.file.contains("..") {
                return bad("file", format!("`{}` must be a file name relative to the manifest's folder", w.file));
            }
            for (field, value) in [
                ("export", &w.export),
                ("group", &w.group),
                ("instructions", &w.instructions),
                ("stresses", &w.stresses),
            ] {
                if value.trim().is_empty() {
                    return bad(field, "must be filled in".to_string());
                }
            }
            if w.n < 0 {
                return bad("n", format!("{} is negative", w.n));
            }
            if w.quick_n < 0 || w.quick_n > w.n {
                return bad("quick_n", format!("{} must be between 0 and n ({})", w.quick_n, w.n));
            }
            if let Some(twin) = &w.twin {
                self.check_twin(w, twin)?;
            }
        }
        Ok(())
    }

    /// A twin names an ordinary workload and computes what it computes: the same sizes and
    /// checksums, so a run's two times measure the same work.
    fn check_twin(&self, w: &Workload, twin: &str) -> Result<(), ManifestError> {
        let bad = |problem: String| Err(ManifestError::field(&self.path, &w.name, "twin", problem));
        let Some(original) = self.workloads.iter().find(|o| o.name == twin) else {
            return bad(format!("`{twin}` is not a workload of this manifest"));
        };
        if original.twin.is_some() || original.name == w.name {
            return bad(format!("`{twin}` must be an ordinary workload, not a twin"));
        }
        let sizes = |x: &Workload| (x.n, x.checksum, x.quick_n, x.quick_checksum);
        if sizes(w) != sizes(original) {
            return bad(format!(
                "n, checksum, quick_n and quick_checksum must be those of `{twin}` {:?}, not {:?}",
                sizes(original),
                sizes(w)
            ));
        }
        if w.fresh != original.fresh || w.measure != original.measure {
            return bad(format!("`fresh` and `measure` must be those of `{twin}`"));
        }
        Ok(())
    }

    /// The (twin, original) pairs: each memory64 workload with its 32-bit original, in
    /// manifest order.
    pub fn twins(&self) -> Vec<(&Workload, &Workload)> {
        self.workloads
            .iter()
            .filter_map(|w| Some((w, self.workloads.iter().find(|o| Some(&o.name) == w.twin.as_ref())?)))
            .collect()
    }

    /// The folder the modules are in.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Every group, in manifest order.
    pub fn groups(&self) -> Vec<&str> {
        let mut groups: Vec<&str> = Vec::new();
        for w in &self.workloads {
            if !groups.contains(&w.group.as_str()) {
                groups.push(&w.group);
            }
        }
        groups
    }

    /// The workloads `names` asks for, in manifest order: each name is a workload or a group;
    /// no names means every workload.
    pub fn select(&self, names: &[String]) -> Result<Vec<&Workload>, ManifestError> {
        for name in names {
            if !self.workloads.iter().any(|w| &w.name == name || &w.group == name) {
                let workloads: Vec<&str> = self.workloads.iter().map(|w| w.name.as_str()).collect();
                return Err(ManifestErrorKind::Unknown {
                    path: self.path.clone(),
                    name: name.clone(),
                    workloads: workloads.join(", "),
                    groups: self.groups().join(", "),
                }
                .into());
            }
        }
        Ok(self
            .workloads
            .iter()
            .filter(|w| names.is_empty() || names.iter().any(|n| n == &w.name || n == &w.group))
            .collect())
    }

    /// The binary module of `workload` (its WAT file assembled).
    pub fn wasm(&self, workload: &Workload) -> Result<Vec<u8>, ManifestError> {
        let module = self.dir().join(&workload.file);
        wat::parse_file(&module).map_err(|e| {
            ManifestErrorKind::Module {
                path: self.path.clone(),
                workload: workload.name.clone(),
                module: module.clone(),
                message: e.to_string(),
            }
            .into()
        })
    }

    /// Checks the manifest against its folder and returns every problem found: a `.wat` file
    /// no workload uses, a module that cannot be read, a module header that does not state
    /// the manifest's checksum as `;;   export(n) = checksum`, or a twin whose module does not
    /// have a 64-bit memory where its original has a 32-bit one.
    pub fn audit(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for w in &self.workloads {
            let module = self.dir().join(&w.file);
            match std::fs::read_to_string(&module) {
                Err(e) => problems.push(format!("{}: file {}: {e}", w.name, module.display())),
                Ok(text) => {
                    let line = format!(";;   {}({}) = {}", w.export, w.n, w.checksum);
                    if !text.lines().any(|l| l == line) {
                        problems.push(format!("{}: the header of {} must say `{line}`", w.name, w.file));
                    }
                }
            }
        }
        for (twin, original) in self.twins() {
            let index = |w: &Workload| self.wasm(w).ok().and_then(|wasm| memory64(&wasm));
            if (index(twin), index(original)) != (Some(true), Some(false)) {
                problems.push(format!(
                    "{}: a memory64 twin must define a 64-bit memory ({}) where its original `{}` defines a \
                     32-bit one ({})",
                    twin.name, twin.file, original.name, original.file
                ));
            }
        }
        let listed: BTreeSet<&str> = self.workloads.iter().map(|w| w.file.as_str()).collect();
        match std::fs::read_dir(self.dir()) {
            Err(e) => problems.push(format!("{}: {e}", self.dir().display())),
            Ok(entries) => {
                for entry in entries.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.ends_with(".wat") && !listed.contains(name.as_str()) {
                        problems.push(format!("{name} is in {} but no workload uses it", self.dir().display()));
                    }
                }
            }
        }
        problems
    }
}

/// Whether the first memory `wasm` defines is a 64-bit one (`None`: no memory section).
pub fn memory64(wasm: &[u8]) -> Option<bool> {
    wasmparser::Parser::new(0).parse_all(wasm).map_while(Result::ok).find_map(|payload| match payload {
        wasmparser::Payload::MemorySection(r) => r.into_iter().flatten().next().map(|m| m.memory64),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
[[workload]]
name = "a"
file = "a.wat"
export = "run"
group = "compute"
n = 10
checksum = 55
quick_n = 2
quick_checksum = 3
instructions = "1K"
stresses = "nothing"
"#;

    fn parse(text: &str) -> Result<Manifest, String> {
        Manifest::parse(Path::new("dir/workloads.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn parses_sizes_and_defaults() {
        let m = parse(ONE).unwrap();
        let w = &m.workloads[0];
        assert_eq!((w.size(Size::Quick), w.size(Size::Full)), ((2, 3), (10, 55)));
        assert_eq!((w.fresh, w.measure, w.needs_new_instance()), (false, Measure::Run, false));
        assert_eq!(m.dir(), Path::new("dir"));
    }

    #[test]
    fn errors_name_the_file_the_workload_and_the_field() {
        let err = parse(&ONE.replace("quick_n = 2", "quick_n = 11")).unwrap_err();
        assert!(err.contains("dir/workloads.toml") && err.contains("`a`") && err.contains("`quick_n`"), "{err}");
        let err = parse(&ONE.replace("stresses = \"nothing\"", "stresses = \" \"")).unwrap_err();
        assert!(err.contains("`stresses`"), "{err}");
        let err = parse(&format!("{ONE}{ONE}")).unwrap_err();
        assert!(err.contains("listed twice"), "{err}");
        let err = parse(&ONE.replace("n = 10", "n = \"ten\"")).unwrap_err();
        assert!(err.contains("dir/workloads.toml") && err.contains("n"), "{err}");
        let err = parse(&format!("{ONE}measure = \"compile\"\n")).unwrap_err();
        assert!(err.contains("compile") && err.contains("instantiate"), "{err}");
        let err = parse(&format!("{ONE}colour = 1\n")).unwrap_err();
        assert!(err.contains("colour"), "{err}");
        assert!(parse("").unwrap_err().contains("workload"));
        let err = parse(&ONE.replace("a.wat", "../a.wat")).unwrap_err();
        assert!(err.contains("`file`"), "{err}");
    }

    /// `a` and its memory64 twin `a_m64` (whose full checksum is `checksum`), with `fields`.
    fn with_twin(fields: &str, checksum: i64) -> String {
        let twin = ONE
            .replace("\"a\"", "\"a_m64\"")
            .replace("\"compute\"", "\"mem64\"")
            .replace("checksum = 55", &format!("checksum = {checksum}"));
        format!("{ONE}{twin}{fields}\n")
    }

    #[test]
    fn twins_pair_with_their_originals_and_must_compute_the_same() {
        let m = parse(&with_twin("twin = \"a\"", 55)).unwrap();
        let pairs: Vec<_> = m.twins().iter().map(|(t, o)| (t.name.as_str(), o.name.as_str())).collect();
        assert_eq!(pairs, [("a_m64", "a")]);
        assert_eq!(m.workloads[0].twin, None);
        let err = parse(&with_twin("twin = \"b\"", 55)).unwrap_err();
        assert!(err.contains("`a_m64`") && err.contains("`twin`") && err.contains("`b` is not"), "{err}");
        let err = parse(&with_twin("twin = \"a_m64\"", 55)).unwrap_err();
        assert!(err.contains("ordinary workload"), "{err}");
        let err = parse(&with_twin("twin = \"a\"", 56)).unwrap_err();
        assert!(err.contains("`a_m64`") && err.contains("(10, 55, 2, 3)") && err.contains("(10, 56, 2, 3)"), "{err}");
        let err = parse(&with_twin("twin = \"a\"\nfresh = true", 55)).unwrap_err();
        assert!(err.contains("`fresh`"), "{err}");
    }

    #[test]
    fn memory64_reads_the_first_memory_index_type() {
        let of = |wat: &str| memory64(&wat::parse_str(wat).unwrap());
        assert_eq!(of("(module (memory i64 1))"), Some(true));
        assert_eq!(of("(module (memory 1) (memory i64 1))"), Some(false));
        assert_eq!(of("(module)"), None);
    }

    #[test]
    fn missing_manifest_says_how_to_point_at_one() {
        let err = Manifest::load(Path::new("/nonexistent/workloads.toml")).unwrap_err().to_string();
        assert!(err.contains("/nonexistent/workloads.toml") && err.contains("--manifest"), "{err}");
    }

    #[test]
    fn selects_by_name_and_group_and_lists_the_known_ones() {
        let two = format!("{ONE}{}", ONE.replace("\"a\"", "\"b\"").replace("compute", "stream"));
        let m = parse(&two).unwrap();
        let names = |sel: &[&str]| -> Vec<String> {
            let sel: Vec<String> = sel.iter().map(|s| s.to_string()).collect();
            m.select(&sel).unwrap().iter().map(|w| w.name.clone()).collect()
        };
        assert_eq!(names(&[]), ["a", "b"]);
        assert_eq!(names(&["stream"]), ["b"]);
        assert_eq!(names(&["b", "a"]), ["a", "b"], "manifest order");
        let err = m.select(&["nope".to_string()]).unwrap_err().to_string();
        assert!(err.contains("`nope`") && err.contains("a, b") && err.contains("compute, stream"), "{err}");
    }

    #[test]
    fn the_repository_manifest_loads() {
        let m = Manifest::load(&Manifest::default_path()).unwrap();
        assert!(m.workloads.len() >= 20);
        assert!(m.workloads.iter().any(|w| w.measure == Measure::Instantiate));
    }
}
