//! The string/array ABI on every available engine:
//!
//! - `abi::expect::<engine>::<guest>`: each broken guest fails with the `AbiError` it must
//!   (bad_ptr and bad_len OutOfBounds, bad_align Misaligned, double_free a trap) on every
//!   input, and the engine agrees with itself across inputs;
//! - `abi::leak_check::<engine>`: the leak check flags leak.wat and passes every other guest;
//! - `abi::agree`: every guest on every input up to 1 MiB agrees across all engines, outputs
//!   and memories (the 16 MiB inputs run in `redzone abi`);
//! - `abi::fuzz`: thousands of seeded byte strings (invalid UTF-8 and large lengths among
//!   them) through the ABI on every engine: no panic, all engines agree, and the results
//!   match a host-side reference.

use crate::{engine_names, trial};
use libtest_mimic::{Failed, Trial};
use redzone_engine::{TrapKind, Value};
use redzone_harness::abi::guests::{self, Expect, GUESTS};
use redzone_harness::abi::suite::{self, Options, Verdict};
use redzone_harness::abi::{AbiErrorKind, EngineHost};
use redzone_harness::engines::{build, panic_free};

/// Adds the trials.
pub fn trials(trials: &mut Vec<Trial>) {
    for engine in engine_names() {
        for guest in GUESTS.iter().filter(|g| matches!(g.expect, Expect::Error(_))) {
            trials.push(trial(format!("abi::expect::{engine}::{}", guest.name), move || expect(engine, guest.name)));
        }
        trials.push(trial(format!("abi::leak_check::{engine}"), move || leak_check(engine)));
    }
    trials.push(trial("abi::agree".to_string(), agree));
    trials.push(trial("abi::fuzz".to_string(), fuzz));
}

fn options(engines: Vec<&'static str>, guests: &[&str], max_input: usize, leak_check: Option<u32>) -> Options {
    Options { engines, leak_check, max_input: Some(max_input), guests: guests.iter().map(|g| g.to_string()).collect() }
}

fn expect(engine: &'static str, guest: &'static str) -> Result<(), Failed> {
    let report = suite::run(&options(vec![engine], &[guest], 1 << 20, None))?;
    if report.cases.len() < 5 {
        return Err(format!("only {} calls ran", report.cases.len()).into());
    }
    if let Some(e) = report.expectations.first() {
        return Err(format!("{} on {}: expected {}, got {}", e.guest, e.engine, e.expected, e.found).into());
    }
    // the kinds in full, on the smallest input
    let mut e = build(engine)?;
    let g = guests::guest(guest).unwrap();
    let instance = guests::load(&mut *e, g)?;
    let mut client = EngineHost::client(&mut *e, instance)?;
    let err = client.call_bytes("upper", &[b"abc"]).expect_err("a broken guest");
    let size = client.memory_size()?;
    let ok = match (guest, err.kind()) {
        ("bad_ptr.wat", AbiErrorKind::OutOfBounds { ptr, len: 3, memory_size }) => {
            *ptr as u64 == size + 65536 && *memory_size == size
        }
        ("bad_len.wat", AbiErrorKind::OutOfBounds { len, memory_size, .. }) => {
            *len as u64 == size - 8 && *memory_size == size
        }
        ("bad_align.wat", AbiErrorKind::Misaligned { ptr, align: 8 }) => ptr % 8 == 4,
        ("double_free.wat", AbiErrorKind::Trap(TrapKind::UnreachableCodeReached)) => true,
        _ => false,
    };
    if !ok {
        return Err(format!("{guest} on {engine}: unexpected {err:?}").into());
    }
    Ok(())
}

fn leak_check(engine: &'static str) -> Result<(), Failed> {
    let report = suite::run(&options(vec![engine], &[], 64, Some(25)))?;
    let leak = report.leaks.iter().find(|l| l.guest == "leak.wat").ok_or("leak.wat was not checked")?;
    if !leak.leaked || leak.live_after != leak.live_before + 25 * suite::LEAK_INPUT.len() as u32 {
        return Err(format!("leak.wat not flagged as leaking its input each call: {leak:?}").into());
    }
    let clean: Vec<_> = report.leaks.iter().filter(|l| l.guest == "guest.wat" || l.guest == "region.wat").collect();
    if clean.len() != 9 || clean.iter().any(|l| l.leaked || l.error.is_some() || l.calls != 25) {
        return Err(format!("well-behaved guests must pass all 25 calls: {clean:?}").into());
    }
    if report.unexpected_leaks() != 0 {
        return Err(format!("unexpected leak results: {:?}", report.leaks).into());
    }
    Ok(())
}

fn agree() -> Result<(), Failed> {
    let report = suite::run(&options(engine_names(), &[], 1 << 20, None))?;
    let bad: Vec<_> = report.cases.iter().filter(|c| c.verdict != Verdict::Agree).collect();
    if !bad.is_empty() || report.memories.iter().any(|m| m.verdict != Verdict::Agree) {
        return Err(format!("{bad:#?}\n{:#?}", report.memories).into());
    }
    if !report.ok() || report.cases.len() < 100 {
        return Err(format!("{} calls, expectations {:?}", report.cases.len(), report.expectations).into());
    }
    Ok(())
}

/// A seeded xorshift generator: the same strings on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Mostly short strings, some long ones; random bytes, UTF-8 text, or text with one
    /// byte broken.
    fn string(&mut self) -> Vec<u8> {
        let len = match self.below(100) {
            0..=59 => self.below(16),
            60..=94 => self.below(1024),
            _ => self.below(200_000),
        } as usize;
        match self.below(3) {
            0 => (0..len).map(|_| self.next() as u8).collect(),
            1 => suite::text(len),
            _ => {
                let mut t = suite::text(len);
                if !t.is_empty() {
                    let i = self.below(t.len() as u64) as usize;
                    t[i] = [0xff, 0x80, 0xc0, 0xed, 0xf5][self.below(5) as usize];
                }
                t
            }
        }
    }
}

const STRINGS: usize = 2000;

fn fuzz() -> Result<(), Failed> {
    let guest = guests::guest("guest.wat").unwrap();
    let names = engine_names();
    let mut engines = Vec::new();
    for name in &names {
        let mut engine = build(name)?;
        let instance = guests::load(&mut *engine, guest)?;
        engines.push((engine, instance));
    }
    let mut rng = Rng(0x05ee_dab1_0000_0005);
    let funcs = ["upper", "reverse", "concat", "count_chars", "array_sum_u8", "array_sum_i32", "sort_i32"];
    for n in 0..STRINGS {
        let input = rng.string();
        let call = suite::call_of(funcs[n % funcs.len()]).unwrap();
        let mut outcomes = Vec::new();
        for (engine, instance) in &mut engines {
            let outcome = panic_free(|| {
                let mut client = EngineHost::client(&mut **engine, *instance)?;
                // large guest lengths: checked, never read
                let size = client.memory_size()?;
                let err = client.read(u32::MAX - 3, 8).unwrap_err();
                assert_eq!(err.name(), "OutOfBounds");
                let err = client.read(8, (size as u32).wrapping_add(1).max(1)).unwrap_err();
                assert_eq!(err.name(), "OutOfBounds");
                Ok::<_, redzone_harness::abi::AbiError>(suite::run_call(&mut client, call, &input))
            })
            .map_err(|p| format!("string {n}: panic: {p}"))?
            .map_err(|e| format!("string {n}: {e}"))?;
            outcomes.push(suite::summary(&outcome));
            check_reference(call.func, &input, &outcome)
                .map_err(|e| format!("string {n} ({} bytes): {e}", input.len()))?;
        }
        if outcomes.windows(2).any(|w| w[0] != w[1]) {
            return Err(format!("string {n} on {}: engines differ: {outcomes:?}", call.func).into());
        }
    }
    for (engine, instance) in &mut engines {
        let mut client = EngineHost::client(&mut **engine, *instance)?;
        let err = client.alloc(u32::MAX).unwrap_err();
        if *err.kind() != (AbiErrorKind::AllocFailed { len: u32::MAX }) {
            return Err(format!("alloc(u32::MAX): {err}").into());
        }
    }
    Ok(())
}

/// What the guest must have computed, from the host's own implementation.
fn check_reference(func: &str, input: &[u8], outcome: &suite::Outcome) -> Result<(), String> {
    use redzone_harness::abi::suite::Observed;
    let hash = |b: &[u8]| redzone_harness::oracles::page_hash(b);
    let bytes = |b: Vec<u8>| Observed::Bytes { len: b.len(), hash: hash(&b) };
    let value = |v: Value| Observed::Value { value: redzone_harness::abi::val_of(&v).unwrap() };
    let expected: Result<Observed, &str> = match func {
        "upper" => Ok(bytes(input.to_ascii_uppercase())),
        "reverse" => Ok(bytes(input.iter().rev().copied().collect())),
        "concat" => Ok(bytes([input, b"|suffix"].concat())),
        "count_chars" => match std::str::from_utf8(input) {
            Ok(s) => Ok(value(Value::I32(s.chars().count() as i32))),
            Err(_) => Err("Trap"),
        },
        "array_sum_u8" => Ok(value(Value::I64(input.iter().map(|&b| b as i64).sum()))),
        "array_sum_i32" => {
            Ok(value(Value::I64(input.chunks_exact(4).map(|c| i32::from_le_bytes(c.try_into().unwrap()) as i64).sum())))
        }
        "sort_i32" => {
            let mut v: Vec<i32> = input.chunks_exact(4).map(|c| i32::from_le_bytes(c.try_into().unwrap())).collect();
            v.sort();
            Ok(bytes(redzone_engine::abi::encode(&v)))
        }
        _ => return Ok(()),
    };
    match (expected, outcome) {
        (Ok(want), Ok(got)) if &want == got => Ok(()),
        (Err(name), Err(e)) if e.name() == name => Ok(()),
        (want, got) => Err(format!("{func}: expected {want:?}, got {}", suite::summary(got))),
    }
}
