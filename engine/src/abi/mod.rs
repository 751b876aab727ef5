//! The string/array passing ABI (`suites/abi/ABI.md`, seeds 002 and 003): the host copies
//! bytes into a guest's memory through the guest's `alloc`, calls a function with
//! `(ptr, len)` pairs, and reads `(ptr, len)` results back, freeing them with `dealloc`.
//!
//! Everything that crosses the boundary is checked here, once, for every engine:
//! [`check_range`] validates a guest `(ptr, len)` against the memory's current size
//! (`ptr + len` computed without wrapping) before anything is read, and [`check_alloc`]
//! validates what `alloc` returns (null, alignment, range). Failures are a typed
//! [`AbiError`]; nothing here panics or reads outside memory.
//!
//! How data flows: an [`AbiHost`] is the minimal view of one instance (its exports, its
//! `memory`, calls by export name). [`StoreHost`] is that view of an instance in a redzone
//! [`Store`](crate::Store); the harness implements it over its engine adapters, so wasmtime,
//! wasmer and wasmi go through the same [`AbiClient`] and the same checks. The client turns
//! [`Arg`]s (bytes, or plain values) into arguments, calls, and turns results back into
//! [`Output`]s as the [`Ret`]s describe; `call_bytes`, `call_str`, `call_array` and
//! `call_value` are the common shapes.
//!
//! ```
//! use redzone_engine::{Module, Store, CheckedMemory};
//! use redzone_engine::abi::AbiClient;
//! // A guest whose `alloc` hands out 8-aligned slots at 1024 and up, and whose `echo`
//! // returns its input as its result (so the host frees the input as the result).
//! let wasm = wat::parse_str(r#"(module
//!     (memory (export "memory") 1)
//!     (global $next (mut i32) (i32.const 1024))
//!     (func (export "alloc") (param $n i32) (result i32)
//!         (global.get $next)
//!         (global.set $next (i32.and (i32.add (i32.add (global.get $next) (local.get $n))
//!             (i32.const 7)) (i32.const -8))))
//!     (func (export "dealloc") (param i32 i32))
//!     (func (export "echo") (param i32 i32) (result i32 i32) local.get 0 local.get 1))"#)
//!     .unwrap();
//! let module = Module::new(&wasm).unwrap();
//! let mut store: Store<CheckedMemory> = Store::new(Default::default());
//! let instance = store.instantiate(&module, &[]).unwrap();
//! let mut guest = AbiClient::for_store(&mut store, instance)?;
//! assert_eq!(guest.call_str("echo", &["héllo"])?, "héllo");
//! # Ok::<(), redzone_engine::abi::AbiError>(())
//! ```

mod element;
mod error;
mod store_host;
#[cfg(test)]
mod tests;

pub use element::{Element, decode, encode};
pub use error::{AbiError, AbiErrorKind};
pub use store_host::StoreHost;

use crate::memory::checked_range;
use crate::value::{ValType, Value};

/// The exported memory every guest must have.
pub const MEMORY: &str = "memory";
/// The allocator export: `alloc(len: i32) -> i32`.
pub const ALLOC: &str = "alloc";
/// The deallocator export: `dealloc(ptr: i32, len: i32)`.
pub const DEALLOC: &str = "dealloc";
/// The optional leak probe: `live_bytes() -> i32`, the bytes currently allocated.
pub const LIVE_BYTES: &str = "live_bytes";
/// The alignment `alloc` must give every pointer it returns.
pub const ALIGN: u32 = 8;

/// Checks a guest `(ptr, len)` against a memory of `memory_size` bytes: the byte range it
/// names, if `ptr + len` (computed without wrapping) is at most `memory_size`. A zero-length
/// range at exactly the end is in bounds.
pub fn check_range(ptr: u32, len: u32, memory_size: u64) -> Result<std::ops::Range<u64>, AbiError> {
    match checked_range(ptr as u64, len as u64, memory_size) {
        Ok(_) => Ok(ptr as u64..ptr as u64 + len as u64),
        Err(_) => Err(AbiError::out_of_bounds(ptr, len, memory_size)),
    }
}

/// Checks what `alloc(len)` returned: null only for `len == 0` (null for a non-empty request
/// is [`AbiErrorKind::AllocFailed`]), [`ALIGN`]-aligned, and `ptr + len` inside the memory.
pub fn check_alloc(ptr: u32, len: u32, memory_size: u64) -> Result<(), AbiError> {
    if ptr == 0 && len > 0 {
        return Err(AbiErrorKind::AllocFailed { len }.into());
    }
    if !ptr.is_multiple_of(ALIGN) {
        return Err(AbiErrorKind::Misaligned { ptr, align: ALIGN }.into());
    }
    check_range(ptr, len, memory_size).map(|_| ())
}

/// What an export is, as far as the ABI needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportShape {
    /// A function and its signature.
    Func {
        /// Parameter types.
        params: Vec<ValType>,
        /// Result types.
        results: Vec<ValType>,
    },
    /// A memory.
    Memory,
    /// Anything else (a global or a table), by kind name.
    Other(&'static str),
}

impl ExportShape {
    fn describe(&self) -> String {
        match self {
            ExportShape::Func { params, results } => signature(params, results),
            ExportShape::Memory => "a memory".to_string(),
            ExportShape::Other(kind) => format!("a {kind}"),
        }
    }
}

/// `[i32 i32] -> [i32]`, as signatures print in errors.
fn signature(params: &[ValType], results: &[ValType]) -> String {
    let list = |tys: &[ValType]| tys.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" ");
    format!("[{}] -> [{}]", list(params), list(results))
}

/// One instance as the ABI sees it: exports by name, the exported `memory`, calls.
///
/// Implementations only translate; the [`AbiClient`] does every ABI check before it reads
/// or writes, so `read_memory` and `write_memory` are only given ranges that passed
/// [`check_range`] (they must still fail, not fault, on a bad one).
pub trait AbiHost {
    /// The export `name`, if there is one.
    fn export(&self, name: &str) -> Option<ExportShape>;
    /// The current size of the exported `memory` in bytes.
    fn memory_size(&self) -> Result<u64, AbiError>;
    /// Copies `buf.len()` bytes of `memory` from `offset`.
    fn read_memory(&self, offset: u64, buf: &mut [u8]) -> Result<(), AbiError>;
    /// Copies `bytes` into `memory` at `offset`.
    fn write_memory(&mut self, offset: u64, bytes: &[u8]) -> Result<(), AbiError>;
    /// Calls the exported function `name` (a trap is [`AbiErrorKind::Trap`]).
    fn call(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>, AbiError>;
}

/// An argument of an ABI call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// Bytes copied into guest memory and passed as a `(ptr, len)` pair of i32s; the guest
    /// owns and frees them.
    Bytes(&'a [u8]),
    /// A plain value passed as it is.
    Value(Value),
}

/// The expected shape of one result of an ABI call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ret {
    /// A `(ptr, len)` pair of i32s naming bytes the host reads and then frees.
    Bytes,
    /// A plain value of this type.
    Value(ValType),
}

/// One result of an ABI call.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// The bytes a `(ptr, len)` result named, already freed in the guest.
    Bytes(Vec<u8>),
    /// A plain value.
    Value(Value),
}

/// The host side of the ABI over one instance: allocates and copies inputs, calls, checks
/// and reads results, frees them.
pub struct AbiClient<H: AbiHost> {
    host: H,
    has_live_bytes: bool,
}

impl<'s, M: crate::LinearMemory> AbiClient<StoreHost<'s, M>> {
    /// The client for an instance in a redzone store.
    pub fn for_store(store: &'s mut crate::Store<M>, instance: crate::Instance) -> Result<Self, AbiError> {
        AbiClient::new(StoreHost::new(store, instance))
    }
}

impl<H: AbiHost> AbiClient<H> {
    /// Checks that the guest has `memory`, `alloc` and `dealloc` with the ABI's types (and
    /// `live_bytes`, when it exports one).
    pub fn new(host: H) -> Result<Self, AbiError> {
        match host.export(MEMORY) {
            Some(ExportShape::Memory) => {}
            Some(other) => return Err(AbiError::wrong_signature(MEMORY, "a memory", other.describe())),
            None => return Err(AbiError::missing_export(MEMORY)),
        }
        expect_func(&host, ALLOC, &[ValType::I32], &[ValType::I32])?;
        expect_func(&host, DEALLOC, &[ValType::I32, ValType::I32], &[])?;
        let has_live_bytes = match host.export(LIVE_BYTES) {
            None => false,
            Some(_) => {
                expect_func(&host, LIVE_BYTES, &[], &[ValType::I32])?;
                true
            }
        };
        Ok(AbiClient { host, has_live_bytes })
    }

    /// The host view.
    pub fn host(&self) -> &H {
        &self.host
    }

    /// The host view, mutably (for state the ABI does not cover).
    pub fn host_mut(&mut self) -> &mut H {
        &mut self.host
    }

    /// The current size of the guest's memory in bytes.
    pub fn memory_size(&self) -> Result<u64, AbiError> {
        self.host.memory_size()
    }

    /// Calls `alloc(len)` and checks the pointer with [`check_alloc`].
    pub fn alloc(&mut self, len: u32) -> Result<u32, AbiError> {
        let out = self.host.call(ALLOC, &[Value::I32(len as i32)])?;
        let ptr = single_i32(ALLOC, &out)? as u32;
        check_alloc(ptr, len, self.host.memory_size()?)?;
        Ok(ptr)
    }

    /// Calls `dealloc(ptr, len)`.
    pub fn dealloc(&mut self, ptr: u32, len: u32) -> Result<(), AbiError> {
        self.host.call(DEALLOC, &[Value::I32(ptr as i32), Value::I32(len as i32)])?;
        Ok(())
    }

    /// Allocates room for `bytes` in the guest and copies them in: the `(ptr, len)` to pass.
    pub fn pass(&mut self, bytes: &[u8]) -> Result<(u32, u32), AbiError> {
        let len = u32::try_from(bytes.len()).map_err(|_| AbiErrorKind::InputTooLarge { len: bytes.len() as u64 })?;
        let ptr = self.alloc(len)?;
        self.host.write_memory(ptr as u64, bytes)?;
        Ok((ptr, len))
    }

    /// Reads a guest `(ptr, len)` after checking it with [`check_range`].
    pub fn read(&self, ptr: u32, len: u32) -> Result<Vec<u8>, AbiError> {
        let range = check_range(ptr, len, self.host.memory_size()?)?;
        let mut buf = vec![0; len as usize];
        self.host.read_memory(range.start, &mut buf)?;
        Ok(buf)
    }

    /// Reads a result the host owns, then frees it (`(0, 0)` is an empty result with nothing
    /// to free).
    pub fn take(&mut self, ptr: u32, len: u32) -> Result<Vec<u8>, AbiError> {
        let bytes = self.read(ptr, len)?;
        if ptr != 0 || len != 0 {
            self.dealloc(ptr, len)?;
        }
        Ok(bytes)
    }

    /// `live_bytes()`, when the guest exports it.
    pub fn live_bytes(&mut self) -> Result<Option<u32>, AbiError> {
        if !self.has_live_bytes {
            return Ok(None);
        }
        let out = self.host.call(LIVE_BYTES, &[])?;
        Ok(Some(single_i32(LIVE_BYTES, &out)? as u32))
    }

    /// Calls `func` with `args`, expecting results shaped as `rets`. The function's type must
    /// be exactly what `args` and `rets` describe.
    pub fn call(&mut self, func: &str, args: &[Arg<'_>], rets: &[Ret]) -> Result<Vec<Output>, AbiError> {
        let mut params = Vec::new();
        for arg in args {
            match arg {
                Arg::Bytes(_) => params.extend([ValType::I32, ValType::I32]),
                Arg::Value(v) => params.push(v.ty()),
            }
        }
        let mut results = Vec::new();
        for ret in rets {
            match ret {
                Ret::Bytes => results.extend([ValType::I32, ValType::I32]),
                Ret::Value(ty) => results.push(*ty),
            }
        }
        expect_func(&self.host, func, &params, &results)?;
        let mut values = Vec::with_capacity(params.len());
        for arg in args {
            match arg {
                Arg::Bytes(bytes) => {
                    let (ptr, len) = self.pass(bytes)?;
                    values.extend([Value::I32(ptr as i32), Value::I32(len as i32)]);
                }
                Arg::Value(v) => values.push(*v),
            }
        }
        let raw = self.host.call(func, &values)?;
        if raw.len() != results.len() || raw.iter().zip(&results).any(|(v, ty)| v.ty() != *ty) {
            let found: Vec<ValType> = raw.iter().map(|v| v.ty()).collect();
            return Err(AbiError::wrong_signature(func, signature(&params, &results), signature(&params, &found)));
        }
        let mut raw = raw.into_iter();
        let mut outputs = Vec::with_capacity(rets.len());
        for ret in rets {
            match ret {
                Ret::Bytes => {
                    // the types were checked above: both are i32s
                    let ptr = as_u32(raw.next());
                    let len = as_u32(raw.next());
                    outputs.push(Output::Bytes(self.take(ptr, len)?));
                }
                Ret::Value(_) => outputs.extend(raw.next().map(Output::Value)),
            }
        }
        Ok(outputs)
    }

    /// Calls `func(bytes...) -> (ptr, len)` and returns the result's bytes.
    pub fn call_bytes(&mut self, func: &str, inputs: &[&[u8]]) -> Result<Vec<u8>, AbiError> {
        let args: Vec<Arg<'_>> = inputs.iter().map(|b| Arg::Bytes(b)).collect();
        match self.call(func, &args, &[Ret::Bytes])?.pop() {
            Some(Output::Bytes(bytes)) => Ok(bytes),
            _ => Err(AbiError::engine(format!("{func} returned no bytes"))),
        }
    }

    /// Calls `func(string...) -> (ptr, len)` and returns the result as a UTF-8 string.
    pub fn call_str(&mut self, func: &str, inputs: &[&str]) -> Result<String, AbiError> {
        let inputs: Vec<&[u8]> = inputs.iter().map(|s| s.as_bytes()).collect();
        let bytes = self.call_bytes(func, &inputs)?;
        String::from_utf8(bytes)
            .map_err(|e| AbiErrorKind::InvalidUtf8 { valid_up_to: e.utf8_error().valid_up_to() }.into())
    }

    /// Calls `func(array...) -> (ptr, len)` on typed arrays and returns a typed array.
    pub fn call_array<T: Element>(&mut self, func: &str, inputs: &[&[T]]) -> Result<Vec<T>, AbiError> {
        let encoded: Vec<Vec<u8>> = inputs.iter().map(|items| encode(items)).collect();
        let inputs: Vec<&[u8]> = encoded.iter().map(Vec::as_slice).collect();
        decode(&self.call_bytes(func, &inputs)?)
    }

    /// Calls `func(bytes...) -> value` and returns the value.
    pub fn call_value(&mut self, func: &str, inputs: &[&[u8]], result: ValType) -> Result<Value, AbiError> {
        let args: Vec<Arg<'_>> = inputs.iter().map(|b| Arg::Bytes(b)).collect();
        match self.call(func, &args, &[Ret::Value(result)])?.pop() {
            Some(Output::Value(v)) => Ok(v),
            _ => Err(AbiError::engine(format!("{func} returned no value"))),
        }
    }
}

fn expect_func<H: AbiHost>(host: &H, name: &str, params: &[ValType], results: &[ValType]) -> Result<(), AbiError> {
    match host.export(name) {
        Some(ExportShape::Func { params: p, results: r }) if p == params && r == results => Ok(()),
        Some(other) => Err(AbiError::wrong_signature(name, signature(params, results), other.describe())),
        None => Err(AbiError::missing_export(name)),
    }
}

fn as_u32(value: Option<Value>) -> u32 {
    match value {
        Some(Value::I32(x)) => x as u32,
        _ => 0,
    }
}

fn single_i32(func: &str, values: &[Value]) -> Result<i32, AbiError> {
    match values {
        [Value::I32(x)] => Ok(*x),
        _ => {
            let found: Vec<ValType> = values.iter().map(|v| v.ty()).collect();
            Err(AbiError::wrong_signature(func, "one i32 result", signature(&[], &found)))
        }
    }
}
