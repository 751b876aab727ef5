//! `redzone engines`: the engine configurations, what each checks, and which this build can
//! run.

use super::{Format, Status};
use crate::engines::{CONFIGURATIONS, EngineInfo, test_only};

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
}

/// Prints the configurations.
pub fn run(args: EnginesArgs) -> anyhow::Result<Status> {
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&listed())?),
        Format::Text => print!("{}", table()),
    }
    Ok(Status::Ok)
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
