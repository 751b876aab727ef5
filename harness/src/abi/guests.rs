//! The guests of `suites/abi/`, compiled into the harness (so `redzone abi` needs no paths),
//! with the suite's build step: the shared allocator spliced in where a guest asks for it.

use super::{AbiClient, AbiError, EngineHost};
use crate::engines::{Engine, EngineError, InstanceId};

/// The allocator fragment every guest shares.
pub const ALLOCATOR: &str = include_str!("../../../suites/abi/allocator.inc");
/// The line a guest puts where the allocator goes (after its imports).
pub const INCLUDE: &str = ";; @include allocator.inc";
/// Where `region.wat`'s host-provided region starts (`env.data_offset`).
pub const DATA_OFFSET: u32 = 256;
/// Bytes `region.wat`'s `stats` writes at [`DATA_OFFSET`].
pub const REGION_LEN: u32 = 16;

/// The host environment `region.wat` imports: the memory and the region's offset, made by
/// a module so that every adapter can provide it through `register`.
pub const ENV_WAT: &str = r#"(module
  (memory (export "memory") 1)
  (global (export "data_offset") i32 (i32.const 256)))"#;

/// What a guest must produce on every engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "error", rename_all = "snake_case")]
pub enum Expect {
    /// Nothing in particular: outputs and errors are only diffed across engines.
    Diff,
    /// Every call fails with this [`AbiError::name`] on every engine.
    Error(&'static str),
    /// The leak check flags it.
    Leak,
}

/// A guest of the suite.
#[derive(Debug, Clone, Copy)]
pub struct Guest {
    /// File name in `suites/abi/`.
    pub name: &'static str,
    /// Its WAT source, before the allocator is spliced in.
    pub source: &'static str,
    /// Whether it imports [`ENV_WAT`]'s `env` module.
    pub env: bool,
    /// The ABI functions it exports (keys of [`super::suite::CALLS`]).
    pub functions: &'static [&'static str],
    /// What it must produce.
    pub expect: Expect,
}

/// Every guest, well-behaved ones first.
pub const GUESTS: &[Guest] = &[
    Guest {
        name: "guest.wat",
        source: include_str!("../../../suites/abi/guest.wat"),
        env: false,
        functions: &[
            "upper",
            "reverse",
            "array_sum_u8",
            "array_sum_i32",
            "array_sum_f64",
            "sort_i32",
            "concat",
            "count_chars",
        ],
        expect: Expect::Diff,
    },
    Guest {
        name: "region.wat",
        source: include_str!("../../../suites/abi/region.wat"),
        env: true,
        functions: &["stats"],
        expect: Expect::Diff,
    },
    Guest {
        name: "bounded.wat",
        source: include_str!("../../../suites/abi/bounded.wat"),
        env: false,
        functions: &["upper"],
        expect: Expect::Diff,
    },
    Guest {
        name: "bad_ptr.wat",
        source: include_str!("../../../suites/abi/bad_ptr.wat"),
        env: false,
        functions: &["upper"],
        expect: Expect::Error("OutOfBounds"),
    },
    Guest {
        name: "bad_len.wat",
        source: include_str!("../../../suites/abi/bad_len.wat"),
        env: false,
        functions: &["upper"],
        expect: Expect::Error("OutOfBounds"),
    },
    Guest {
        name: "bad_align.wat",
        source: include_str!("../../../suites/abi/bad_align.wat"),
        env: false,
        functions: &["upper"],
        expect: Expect::Error("Misaligned"),
    },
    Guest {
        name: "double_free.wat",
        source: include_str!("../../../suites/abi/double_free.wat"),
        env: false,
        functions: &["upper"],
        expect: Expect::Error("Trap"),
    },
    Guest {
        name: "leak.wat",
        source: include_str!("../../../suites/abi/leak.wat"),
        env: false,
        functions: &["upper"],
        expect: Expect::Leak,
    },
];

/// The guest called `name`.
pub fn guest(name: &str) -> Option<&'static Guest> {
    GUESTS.iter().find(|g| g.name == name)
}

/// The build step: the guest's WAT with the allocator spliced in.
pub fn wat(guest: &Guest) -> String {
    expand(guest.source)
}

/// The suite's build step on any WAT text: the shared allocator spliced in at [`INCLUDE`]
/// (text without the marker is returned unchanged), so `redzone run suites/abi` reads the
/// guests as `redzone abi` does.
pub fn expand(source: &str) -> String {
    source.replace(INCLUDE, ALLOCATOR)
}

/// The guest's binary.
pub fn wasm(guest: &Guest) -> Result<Vec<u8>, String> {
    wat::parse_str(wat(guest)).map_err(|e| format!("{}: {e}", guest.name))
}

/// Compiles and instantiates `guest` on `engine` (first registering [`ENV_WAT`] as `env`
/// when the guest imports it).
pub fn load(engine: &mut dyn Engine, guest: &Guest) -> Result<InstanceId, EngineError> {
    if guest.env {
        let env = wat::parse_str(ENV_WAT).map_err(|e| EngineError::usage(e.to_string()))?;
        let instance = engine.load(&env)?;
        engine.register(instance, "env")?;
    }
    let bytes = wasm(guest).map_err(EngineError::usage)?;
    engine.load(&bytes)
}

/// The ABI client for a loaded guest.
pub fn client(engine: &mut dyn Engine, instance: InstanceId) -> Result<AbiClient<EngineHost<'_>>, AbiError> {
    EngineHost::client(engine, instance)
}
