//! redzone-engine: redzone's own WebAssembly interpreter, the independent oracle that
//! wasmtime, wasmer and wasmi are compared with, and the place where bounds-check strategies
//! are built and measured.
//!
//! How data flows:
//! - bytes enter through [`Module::new`] (`module/`): wasmparser decodes and validates, and
//!   `code/` translates each function body once into compact internal code;
//! - [`Store::instantiate`] (`store/`) links imports and allocates functions, [`table`]s,
//!   [`memory`], [`global`]s and segments in the store;
//! - [`Store::call`] runs the interpreter (`exec/`), which is generic over the
//!   [`LinearMemory`] strategy so each strategy gets its own code; `placement` fixes where
//!   its hot data (code, slots, frames, its native frame) sits within a 4 KiB page;
//! - results leave as [`Value`]s, failures as a typed [`Error`] or [`Trap`];
//! - [`abi`] speaks the string/array passing ABI on top of that: bytes, strings and typed
//!   arrays in and out of a guest's memory through its `alloc`/`dealloc`, every guest
//!   pointer checked.
//!
//! ```
//! use redzone_engine::{Module, Store, Value, Extern, CheckedMemory};
//! let wasm = wat::parse_str(r#"(module (func (export "add") (param i32 i32) (result i32)
//!     local.get 0 local.get 1 i32.add))"#).unwrap();
//! let module = Module::new(&wasm)?;
//! let mut store: Store<CheckedMemory> = Store::new(Default::default());
//! let instance = store.instantiate(&module, &[])?;
//! let Some(Extern::Func(add)) = store.get_export(instance, "add") else { panic!() };
//! assert_eq!(store.call(add, &[Value::I32(2), Value::I32(40)])?, vec![Value::I32(42)]);
//! # Ok::<(), redzone_engine::Error>(())
//! ```

#![deny(missing_docs)]

pub mod abi;
mod code;
mod error;
mod exec;
pub mod func;
pub mod global;
pub mod memory;
mod module;
pub mod mutants;
mod placement;
mod store;
pub mod table;
mod trap;
mod value;

pub use abi::{AbiClient, AbiError, AbiErrorKind};
pub use error::{Error, ErrorKind};
/// The interpreter's handler sets, named by [`LinearMemory::handlers`]; not for use outside
/// this crate.
#[doc(hidden)]
pub use exec::Handlers;
pub use func::{Caller, FuncType};
pub use global::GlobalType;
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
pub use memory::GuardMemory;
pub use memory::{CheckedMemory, LinearMemory, MemoryType, Strategy};
pub use module::{ExternType, ImportType, Module};
pub use store::{Config, Extern, Func, Global, Instance, Linker, Memory, Store, Table};
pub use table::TableType;
pub use trap::{Trap, TrapKind};
pub use value::{ValType, Value};
