//! ABI round-trip throughput (the string/array ABI of `suites/abi/`) next to a host memcpy.
//!
//! One round trip: `alloc` and copy the input into the guest, call `upper` of `guest.wat`
//! (ASCII upper case, one pass over the bytes), check and copy the `(ptr, len)` result out,
//! `dealloc` it (the guest frees its input). [`Memcpy`] copies the same bytes into a buffer
//! and back out: an engine's time over it is what the ABI boundary and one pass of guest
//! code cost. Both time batches of [`iterations`] so that small sizes are not lost in the
//! clock's resolution, and report time per round trip.
//!
//! Used by `redzone bench` (the `abi` points of the results) and by
//! `cargo bench --bench abi_roundtrip`.

use super::schedule::Task;
use crate::abi::guests;
use crate::engines::{Engine, InstanceId, Metering, build_with, panic_free};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The guest and function a round trip calls.
pub const GUEST: &str = "guest.wat";
/// The function a round trip calls.
pub const FUNCTION: &str = "upper";

/// Input sizes of a full run: 1 KiB, 64 KiB, 1 MiB.
pub const FULL_SIZES: &[usize] = &[1 << 10, 64 << 10, 1 << 20];
/// Input sizes of a quick run: 1 KiB, 64 KiB.
pub const QUICK_SIZES: &[usize] = &[1 << 10, 64 << 10];

/// Round trips per sample for `bytes` of input: enough that a sample moves about 256 KiB.
pub fn iterations(bytes: usize) -> u64 {
    ((256 << 10) / bytes.max(1)).max(1) as u64
}

/// A size for people: `1 KiB`, `64 KiB`, `1 MiB`, or bytes.
pub fn size_label(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 && b.is_multiple_of(1 << 20) => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b.is_multiple_of(1 << 10) => format!("{} KiB", b >> 10),
        b => format!("{b} B"),
    }
}

/// The input of `len` bytes: mixed-case ASCII text.
pub fn input(len: usize) -> Vec<u8> {
    (0..len).map(|i| b"redzone guard pages, "[i % 21]).collect()
}

/// The ABI guest loaded on one configuration, with the samples taken so far.
pub struct RoundTrip {
    engine_name: String,
    label: String,
    engine: Box<dyn Engine>,
    instance: InstanceId,
    data: Vec<u8>,
    expected: Vec<u8>,
    samples: Vec<f64>,
    error: Option<String>,
}

impl RoundTrip {
    /// Loads the guest on the configuration `engine` for inputs of `bytes` and checks one
    /// round trip's output.
    pub fn new(engine: &str, bytes: usize) -> Result<RoundTrip, String> {
        let guest = guests::guest(GUEST).ok_or_else(|| format!("the ABI guest {GUEST} is not built in"))?;
        let mut adapter = build_with(engine, Metering::Off).map_err(|e| e.to_string())?;
        adapter.set_fuel(None);
        let instance = panic_free(|| guests::load(adapter.as_mut(), guest))
            .map_err(|p| format!("{engine} panicked loading {GUEST}: {p}"))?
            .map_err(|e| format!("{engine}: loading {GUEST}: {e}"))?;
        let data = input(bytes);
        let mut trip = RoundTrip {
            engine_name: engine.to_string(),
            label: format!("abi {FUNCTION} {}", size_label(bytes)),
            engine: adapter,
            instance,
            expected: data.to_ascii_uppercase(),
            data,
            samples: Vec::new(),
            error: None,
        };
        trip.time(1)?;
        Ok(trip)
    }

    /// Times `iterations` round trips in a row (one client for all). The last output is
    /// compared byte for byte after the timing, every output's length inside it.
    pub fn time(&mut self, iterations: u64) -> Result<Duration, String> {
        let name = &self.engine_name;
        let mut client = guests::client(self.engine.as_mut(), self.instance).map_err(|e| format!("{name}: {e}"))?;
        let (data, expected) = (&self.data, &self.expected);
        let mut last = Vec::new();
        let began = Instant::now();
        for _ in 0..iterations {
            last = panic_free(|| client.call_bytes(FUNCTION, &[black_box(data)]))
                .map_err(|p| format!("{name} panicked: {p}"))?
                .map_err(|e| format!("{name}: {FUNCTION}: {e}"))?;
            if last.len() != expected.len() {
                return Err(format!("{name}: {FUNCTION} returned {} bytes for {}", last.len(), expected.len()));
            }
        }
        let elapsed = began.elapsed();
        if iterations > 0 && last != *expected {
            return Err(format!("{name}: {FUNCTION} returned other bytes than the ASCII upper case of its input"));
        }
        Ok(elapsed)
    }

    /// The configuration's name.
    pub fn engine_name(&self) -> &str {
        &self.engine_name
    }

    /// The input size.
    pub fn bytes(&self) -> usize {
        self.data.len()
    }
}

impl Task for RoundTrip {
    fn workload(&self) -> &str {
        &self.label
    }

    fn engine(&self) -> &str {
        &self.engine_name
    }

    fn step(&mut self, record: bool) {
        let n = iterations(self.data.len());
        match self.time(n) {
            Ok(elapsed) if record => self.samples.push(elapsed.as_nanos() as f64 / n as f64),
            Ok(_) => {}
            Err(e) => {
                self.samples.clear();
                self.error = Some(e);
            }
        }
    }

    fn samples(&self) -> &[f64] {
        &self.samples
    }

    fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

/// A host memcpy of the same bytes in and out, the baseline of a round trip.
pub struct Memcpy {
    label: String,
    data: Vec<u8>,
    guest_side: Vec<u8>,
    host_side: Vec<u8>,
    samples: Vec<f64>,
}

impl Memcpy {
    /// Buffers for `bytes`.
    pub fn new(bytes: usize) -> Memcpy {
        Memcpy {
            label: format!("abi {FUNCTION} {}", size_label(bytes)),
            data: input(bytes),
            guest_side: vec![0; bytes],
            host_side: vec![0; bytes],
            samples: Vec::new(),
        }
    }

    /// Times `iterations` copies in and out.
    pub fn time(&mut self, iterations: u64) -> Duration {
        let began = Instant::now();
        for _ in 0..iterations {
            self.guest_side.copy_from_slice(black_box(&self.data));
            self.host_side.copy_from_slice(black_box(&self.guest_side));
            black_box(&mut self.host_side);
        }
        began.elapsed()
    }
}

impl Task for Memcpy {
    fn workload(&self) -> &str {
        &self.label
    }

    fn engine(&self) -> &str {
        "memcpy"
    }

    fn step(&mut self, record: bool) {
        let n = iterations(self.data.len());
        let elapsed = self.time(n);
        if record {
            self.samples.push(elapsed.as_nanos() as f64 / n as f64);
        }
    }

    fn samples(&self) -> &[f64] {
        &self.samples
    }

    fn error(&self) -> Option<&str> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_batches() {
        assert_eq!(size_label(1 << 10), "1 KiB");
        assert_eq!(size_label(1 << 20), "1 MiB");
        assert_eq!(size_label(1000), "1000 B");
        assert_eq!(iterations(1 << 10), 256);
        assert_eq!(iterations(1 << 20), 1);
        assert_eq!(input(22)[21], b'r');
    }

    #[test]
    fn round_trips_record_per_trip_times() {
        let mut trip = RoundTrip::new("redzone:checked", 1 << 10).unwrap();
        trip.step(false);
        trip.step(true);
        trip.step(true);
        assert!(trip.active(), "{:?}", trip.error());
        assert_eq!(trip.samples.len(), 2);
        assert!(trip.samples().iter().all(|&ns| ns > 0.0));
        let mut copy = Memcpy::new(1 << 10);
        copy.step(true);
        assert_eq!(copy.samples.len(), 1);
        assert_eq!(copy.host_side, copy.data);
        let err = RoundTrip::new("v8", 1).err().expect("v8 is not an engine here");
        assert!(err.contains("unknown engine"), "{err}");
    }
}
