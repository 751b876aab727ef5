//! `redzone engines`: the engine configurations, what each checks, and which this build can
//! run; with `--module FILE`, which bounds-check strategy each memory of that module gets on
//! each redzone configuration, and why (a 1-byte-page memory is checked explicitly even on
//! `redzone:guard`, a memory64 one compares its address once).

use super::{Format, Status};
use crate::engines::{CONFIGURATIONS, EngineInfo, test_only};
use anyhow::Context;
use redzone_engine::{MemoryType, Module, Strategy};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Every configuration to list: the seven of DESIGN.md, then the test-only ones this build
/// has (the canary, with the `canary` feature).
fn listed() -> Vec<&'static EngineInfo> {
    CONFIGURATIONS.iter().chain(test_only()).collect()
}

/// Arguments of `redzone engines`.
#[derive(Debug, clap::Args)]
pub struct EnginesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Instead of the list: the strategy each memory of this module (.wasm, .wat) gets on
    /// each redzone configuration, and why.
    #[arg(long, value_name = "FILE")]
    pub module: Option<PathBuf>,
}

/// Prints the configurations, or the memory plan of `--module`.
pub fn run(args: EnginesArgs) -> anyhow::Result<Status> {
    if let Some(path) = &args.module {
        return run_module(path, args.format);
    }
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&listed())?),
        Format::Text => print!("{}", table()),
    }
    Ok(Status::Ok)
}

/// One memory of a module on one redzone configuration.
#[derive(Debug, Serialize)]
pub struct MemoryPlan {
    /// The memory's index (imported memories first).
    pub index: usize,
    /// Whether the memory is imported.
    pub imported: bool,
    /// `i32` or `i64` (memory64).
    pub index_type: &'static str,
    /// The page size in bytes: 65536, or 1 (custom-page-sizes).
    pub page_size: u64,
    /// `guard` or `checked`: how this memory's accesses are bounds-checked.
    pub strategy: &'static str,
    /// What that strategy does for this memory, and why it is not the configuration's own
    /// when it falls back.
    pub why: String,
}

/// Every memory of a module on one redzone configuration.
#[derive(Debug, Serialize)]
pub struct ConfigurationPlan {
    /// The configuration's name.
    pub name: &'static str,
    /// Its memories, by index.
    pub memories: Vec<MemoryPlan>,
}

/// The plan of every memory of `memories` (`imported` of them imported) on each redzone
/// configuration this build runs.
pub fn memory_plans(memories: &[MemoryType], imported: usize) -> Vec<ConfigurationPlan> {
    CONFIGURATIONS
        .iter()
        .filter(|c| c.available)
        .filter_map(|c| Some((c.name, Strategy::from_name(c.name.strip_prefix("redzone:")?)?)))
        .map(|(name, requested)| ConfigurationPlan {
            name,
            memories: memories
                .iter()
                .enumerate()
                .map(|(index, ty)| {
                    let (strategy, why) = requested.describe_memory(ty);
                    MemoryPlan {
                        index,
                        imported: index < imported,
                        index_type: if ty.index64 { "i64" } else { "i32" },
                        page_size: ty.page_size(),
                        strategy: strategy.name(),
                        why,
                    }
                })
                .collect(),
        })
        .collect()
}

/// `redzone engines --module FILE`: a file that cannot be read or parsed is an input error
/// (exit 2); a module the engine refuses is reported and fails (exit 1).
fn run_module(path: &Path, format: Format) -> anyhow::Result<Status> {
    let bytes = super::run::module_bytes(path)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("cannot read module {}", path.display()))?;
    let module = match Module::new(&bytes) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {} does not load on redzone: {e}", path.display());
            return Ok(Status::Failed);
        }
    };
    let plans = memory_plans(module.memories(), module.imported_memories());
    match format {
        Format::Json => {
            let doc = serde_json::json!({ "module": path.display().to_string(), "configurations": plans });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        Format::Text => print!("{}", module_table(path, module.memories().len(), &plans)),
    }
    Ok(Status::Ok)
}

/// The text table of [`memory_plans`].
fn module_table(path: &Path, memories: usize, plans: &[ConfigurationPlan]) -> String {
    let mut out = format!("module {}: {memories} memor{}\n", path.display(), if memories == 1 { "y" } else { "ies" });
    if memories == 0 {
        return out;
    }
    let name_w = plans.iter().map(|p| p.name.len()).max().unwrap_or(0).max("configuration".len());
    out.push_str(&format!("{:<name_w$}  memory  origin    index  page size  strategy  why\n", "configuration"));
    for plan in plans {
        for m in &plan.memories {
            out.push_str(&format!(
                "{:<name_w$}  {:<6}  {:<8}  {:<5}  {:<9}  {:<8}  {}\n",
                plan.name,
                m.index,
                if m.imported { "imported" } else { "defined" },
                m.index_type,
                m.page_size,
                m.strategy,
                m.why
            ));
        }
    }
    out
}

/// The text table.
pub fn table() -> String {
    let all = listed();
    let name_w = all.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let engine_w = all.iter().map(|c| c.engine.len()).max().unwrap_or(0);
    let mut out = format!("{:<name_w$}  {:<9}  {:<engine_w$}  bounds checks\n", "name", "status", "engine");
    for c in all {
        let status = match c.available {
            true if CONFIGURATIONS.iter().any(|k| k.name == c.name) => "available",
            true => "test-only",
            false => "planned",
        };
        out.push_str(&format!("{:<name_w$}  {status:<9}  {:<engine_w$}  {}\n", c.name, c.engine, c.bounds_checks));
    }
    out
}

#[cfg(test)]
mod tests {
    use redzone_engine::MemoryType;

    #[test]
    fn every_memory_gets_a_strategy_per_redzone_configuration() {
        let plain = MemoryType::new(1, None);
        let tiny = MemoryType { page_size_log2: 0, ..plain };
        let wide = MemoryType { index64: true, ..plain };
        let plans = super::memory_plans(&[tiny, plain, wide], 1);
        let names: Vec<&str> = plans.iter().map(|p| p.name).collect();
        let guard = redzone_engine::memory::GUARD_AVAILABLE;
        assert_eq!(names, if guard { vec!["redzone:guard", "redzone:checked"] } else { vec!["redzone:checked"] });
        for plan in &plans {
            let m = &plan.memories;
            assert_eq!(
                m.iter().map(|m| (m.index, m.imported)).collect::<Vec<_>>(),
                [(0, true), (1, false), (2, false)]
            );
            assert_eq!((m[0].page_size, m[0].strategy), (1, "checked"), "{}: 1-byte pages are checked", plan.name);
            assert_eq!((m[2].index_type, m[1].index_type), ("i64", "i32"));
        }
        if guard {
            let g = &plans[0].memories;
            assert_eq!((g[1].strategy, g[2].strategy), ("guard", "guard"));
            assert!(g[0].why.contains("host page"), "{}", g[0].why);
            assert!(g[2].why.contains("one compare"), "{}", g[2].why);
            assert!(plans[1].memories.iter().all(|m| m.strategy == "checked"));
        }
    }

    #[test]
    fn lists_every_configuration() {
        let t = super::table();
        let test_only = crate::engines::test_only().count();
        assert_eq!(t.lines().count(), 1 + crate::engines::CONFIGURATIONS.len() + test_only);
        assert_eq!(t.contains("redzone:canary"), crate::engines::CANARY.available);
        for c in crate::engines::CONFIGURATIONS {
            let status = if c.available { "available" } else { "planned" };
            assert!(t.lines().any(|l| l.starts_with(c.name) && l.contains(status) && l.contains(c.engine)), "{t}");
        }
    }
}
