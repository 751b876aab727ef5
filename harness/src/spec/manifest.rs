//! The scope manifest (`suites/spec/manifest.toml`): ordered rules that say, per path glob,
//! whether a testsuite file is in scope, and why. The first matching rule decides; a rule
//! that names a folder covers everything under it. A file no rule covers is reported as
//! unlisted (out of scope, with a reason that says to add a rule), never silently dropped.

use serde::Deserialize;

/// The manifest committed with the project, built into the binary.
pub const BUILTIN: &str = include_str!("../../../suites/spec/manifest.toml");

/// One rule of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A glob over paths relative to the suite root, `/`-separated: `*` and `?` within a
    /// path segment, `**` for any number of segments. A glob matching a folder covers the
    /// files under it.
    pub path: String,
    /// Whether matching files are run.
    pub in_scope: bool,
    /// Why (the feature the files test, or why they are not run).
    pub reason: String,
}

/// The parsed manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Rules in order; the first match decides.
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

/// What the manifest says about one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Scope {
    /// Run it; the reason names the feature.
    In(String),
    /// Do not run it, for this reason.
    Out(String),
    /// No rule covers it.
    Unlisted,
}

impl Scope {
    /// Whether the file is run.
    pub fn is_in(&self) -> bool {
        matches!(self, Scope::In(_))
    }

    /// The reason to show for a file that is not run.
    pub fn skip_reason(&self) -> Option<String> {
        match self {
            Scope::In(_) => None,
            Scope::Out(reason) => Some(reason.clone()),
            Scope::Unlisted => Some("not listed in suites/spec/manifest.toml: add a rule for it".to_string()),
        }
    }
}

/// A manifest that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// Not valid TOML, or not the expected shape.
    #[error("manifest is not valid: {0}")]
    Parse(#[from] toml::de::Error),
    /// A rule without a reason, or with an empty glob.
    #[error("manifest rule {index} (`{path}`): {problem}")]
    Rule {
        /// 1-based rule number.
        index: usize,
        /// Its glob.
        path: String,
        /// What is wrong.
        problem: &'static str,
    },
}

impl Manifest {
    /// Parses and checks a manifest.
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let manifest: Manifest = toml::from_str(text)?;
        for (i, rule) in manifest.rules.iter().enumerate() {
            let problem = if rule.path.trim().is_empty() {
                Some("the path glob is empty")
            } else if rule.reason.trim().is_empty() {
                Some("every rule needs a reason")
            } else if rule.path.starts_with('/') || rule.path.contains('\\') {
                Some("paths are relative to the suite root and use `/`")
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(ManifestError::Rule { index: i + 1, path: rule.path.clone(), problem });
            }
        }
        Ok(manifest)
    }

    /// The manifest built into the binary.
    pub fn builtin() -> Manifest {
        Manifest::parse(BUILTIN).expect("suites/spec/manifest.toml is checked by a unit test")
    }

    /// The scope of `path`, relative to the suite root with `/` separators.
    pub fn scope(&self, path: &str) -> Scope {
        for rule in &self.rules {
            if covers(&rule.path, path) {
                return if rule.in_scope { Scope::In(rule.reason.clone()) } else { Scope::Out(rule.reason.clone()) };
            }
        }
        Scope::Unlisted
    }
}

/// Whether `pattern` matches `path` or one of its ancestor folders.
pub fn covers(pattern: &str, path: &str) -> bool {
    let pat: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let segs: Vec<&str> = path.split('/').collect();
    (1..=segs.len()).any(|n| match_segments(&pat, &segs[..n]))
}

fn match_segments(pat: &[&str], segs: &[&str]) -> bool {
    match pat.split_first() {
        None => segs.is_empty(),
        Some((&"**", rest)) => (0..=segs.len()).any(|skip| match_segments(rest, &segs[skip..])),
        Some((p, rest)) => match segs.split_first() {
            Some((s, srest)) => match_segment(p.as_bytes(), s.as_bytes()) && match_segments(rest, srest),
            None => false,
        },
    }
}

fn match_segment(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|skip| match_segment(rest, &s[skip..])),
        Some((b'?', rest)) => !s.is_empty() && match_segment(rest, &s[1..]),
        Some((c, rest)) => s.first() == Some(c) && match_segment(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(covers("simd_*.wast", "simd_address.wast"));
        assert!(!covers("simd_*.wast", "address.wast"));
        assert!(!covers("*.wast", "proposals/gc/array.wast"), "`*` stays within a segment");
        assert!(covers("proposals/memory64", "proposals/memory64/load64.wast"), "folders cover their files");
        assert!(covers("proposals/memory64/", "proposals/memory64/load64.wast"));
        assert!(!covers("proposals/memory64", "proposals/memory64x/a.wast"));
        assert!(covers("proposals/*/simd_*.wast", "proposals/memory64/simd_address.wast"));
        assert!(covers("**/simd_*.wast", "simd_lane.wast"));
        assert!(covers("**/simd_*.wast", "a/b/simd_lane.wast"));
        assert!(covers("i??.wast", "i32.wast") && !covers("i??.wast", "i8.wast"));
    }

    #[test]
    fn first_rule_wins_and_unlisted_is_reported() {
        let m = Manifest::parse(
            r#"
            [[rule]]
            path = "simd_*.wast"
            in_scope = false
            reason = "no SIMD"
            [[rule]]
            path = "*.wast"
            in_scope = true
            reason = "core"
            "#,
        )
        .unwrap();
        assert_eq!(m.scope("simd_lane.wast"), Scope::Out("no SIMD".into()));
        assert_eq!(m.scope("i32.wast"), Scope::In("core".into()));
        assert_eq!(m.scope("proposals/gc/x.wast"), Scope::Unlisted);
        assert!(Scope::Unlisted.skip_reason().unwrap().contains("add a rule"));
    }

    #[test]
    fn rules_need_reasons() {
        let err = Manifest::parse("[[rule]]\npath = \"a\"\nin_scope = false\nreason = \" \"\n").unwrap_err();
        assert_eq!(err.to_string(), "manifest rule 1 (`a`): every rule needs a reason");
        assert!(Manifest::parse("[[rule]]\npath = \"a\"\n").is_err(), "missing fields");
        assert!(Manifest::parse("[[rule]]\npath = \"a\"\nin_scope = true\nreason = \"r\"\nextra = 1\n").is_err());
    }

    #[test]
    fn builtin_manifest_has_the_issue_scope() {
        let m = Manifest::builtin();
        for in_scope in [
            "i32.wast",
            "memory.wast",
            "simd_address.wast",
            "simd_store8_lane.wast",
            "proposals/tail-call/return_call.wast",
            "proposals/extended-const/data.wast",
            "proposals/memory64/load64.wast",
            "proposals/memory64/memory_trap64.wast",
            "proposals/memory64/binary0.wast",
            "proposals/multi-memory/load.wast",
            "proposals/multi-memory/memory_copy1.wast",
        ] {
            assert!(m.scope(in_scope).is_in(), "{in_scope} should be in scope");
        }
        for out in [
            "proposals/memory64/table_grow.wast",
            "proposals/memory64/imports.wast",
            "proposals/gc/array.wast",
            "proposals/threads/atomic.wast",
            "proposals/relaxed-simd/relaxed_madd_nmadd.wast",
            "proposals/exception-handling/throw.wast",
        ] {
            let scope = m.scope(out);
            assert!(matches!(scope, Scope::Out(_)), "{out} should be out of scope with a reason, got {scope:?}");
        }
    }
}
