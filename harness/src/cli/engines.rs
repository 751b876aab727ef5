//! `redzone engines`: the engine configurations, what each checks, and which this build can
//! run.

use super::{Format, Status};
use crate::engines::CONFIGURATIONS;

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
        Format::Json => println!("{}", serde_json::to_string_pretty(CONFIGURATIONS)?),
        Format::Text => print!("{}", table()),
    }
    Ok(Status::Ok)
}

/// The text table.
pub fn table() -> String {
    let name_w = CONFIGURATIONS.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let engine_w = CONFIGURATIONS.iter().map(|c| c.engine.len()).max().unwrap_or(0);
    let mut out = format!("{:<name_w$}  {:<9}  {:<engine_w$}  bounds checks\n", "name", "status", "engine");
    for c in CONFIGURATIONS {
        let status = if c.available { "available" } else { "planned" };
        out.push_str(&format!("{:<name_w$}  {status:<9}  {:<engine_w$}  {}\n", c.name, c.engine, c.bounds_checks));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_every_configuration() {
        let t = super::table();
        assert_eq!(t.lines().count(), 1 + crate::engines::CONFIGURATIONS.len());
        for c in crate::engines::CONFIGURATIONS {
            let status = if c.available { "available" } else { "planned" };
            assert!(t.lines().any(|l| l.starts_with(c.name) && l.contains(status) && l.contains(c.engine)), "{t}");
        }
    }
}
