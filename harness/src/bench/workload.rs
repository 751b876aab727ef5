//! One workload on one configuration, ready to sample: [`WorkloadRun`] compiles the module
//! once, instantiates it, checks the export's signature, and then times one call per sample,
//! checking every returned checksum.
//!
//! What a sample times depends on the manifest: a plain workload is one call on the instance
//! made up front; a `fresh` one gets a new instance before each sample, outside the timing;
//! a `measure = "instantiate"` one times instantiation and the call together. The adapter
//! trait frees instances only with their store, so the instances of the last two kinds are
//! released in batches: every [`RECYCLE`] instances the adapter is rebuilt and the module
//! recompiled, outside the timing. Instantiate samples therefore time instantiate + call,
//! and the instance's share of the store teardown falls outside them.
//!
//! Engine errors (a trap, a compile error, a panic) are recorded on the run, which then takes
//! no more samples; nothing here panics on a misbehaving engine. A module the configuration
//! refuses as an `unsupported feature` (wasmer 7.4.2 and a 64-bit memory) is recorded the
//! same way and marked [`WorkloadRun::unsupported`]: a known limitation, not a failure.

use super::manifest::{Manifest, Measure, Size, Workload};
use super::results::{Estimate, Measurement};
use super::schedule::Task;
use super::stats::median_interval;
use crate::engines::{
    Engine, EngineError, EngineErrorKind, ExportKind, InstanceId, Metering, ModuleId, Val, build_with, panic_free,
};
use redzone_engine::ValType;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// New instances an adapter makes before it is rebuilt (bounds the memory the store holds).
pub const RECYCLE: usize = 16;

/// A workload prepared on one configuration, with the samples taken so far.
pub struct WorkloadRun {
    workload: Workload,
    engine_name: String,
    n: i32,
    expected: i64,
    wasm: Rc<[u8]>,
    state: Option<Prepared>,
    samples: Vec<f64>,
    checked: usize,
    mismatch: Option<String>,
    error: Option<String>,
    unsupported: bool,
}

/// Why a workload could not be prepared.
struct Refusal {
    message: String,
    /// The engine lacks a feature the module uses.
    unsupported: bool,
}

impl From<String> for Refusal {
    fn from(message: String) -> Refusal {
        Refusal { message, unsupported: false }
    }
}

/// The adapter with the module compiled and (for plain workloads) instantiated.
struct Prepared {
    engine: Box<dyn Engine>,
    module: ModuleId,
    instance: InstanceId,
    instances: usize,
}

impl WorkloadRun {
    /// Compiles and instantiates `workload` (whose module is `wasm`) on the configuration
    /// `engine` at `size`. A failure is recorded on the run ([`Task::error`]).
    pub fn new(workload: &Workload, wasm: Rc<[u8]>, engine: &str, size: Size) -> WorkloadRun {
        let mut run = WorkloadRun::unprepared(workload, wasm, engine, size);
        match panic_free(|| run.prepare()) {
            Ok(Ok(state)) => run.state = Some(state),
            Ok(Err(refusal)) => {
                run.error = Some(refusal.message);
                run.unsupported = refusal.unsupported;
            }
            Err(panic) => run.error = Some(format!("{engine} panicked while preparing: {panic}")),
        }
        run
    }

    /// Loads the workload's module from `manifest` and prepares it (see [`WorkloadRun::new`]).
    pub fn load(manifest: &Manifest, workload: &Workload, engine: &str, size: Size) -> WorkloadRun {
        match manifest.wasm(workload) {
            Ok(wasm) => WorkloadRun::new(workload, wasm.into(), engine, size),
            Err(e) => {
                let mut run = WorkloadRun::unprepared(workload, Rc::from(&[][..]), engine, size);
                run.error = Some(e.to_string());
                run
            }
        }
    }

    fn unprepared(workload: &Workload, wasm: Rc<[u8]>, engine: &str, size: Size) -> WorkloadRun {
        let (n, expected) = workload.size(size);
        WorkloadRun {
            workload: workload.clone(),
            engine_name: engine.to_string(),
            n,
            expected,
            wasm,
            state: None,
            samples: Vec::new(),
            checked: 0,
            mismatch: None,
            error: None,
            unsupported: false,
        }
    }

    fn prepare(&self) -> Result<Prepared, Refusal> {
        let what = |stage: &str, e: EngineError| Refusal {
            unsupported: matches!(e.kind(), EngineErrorKind::Unsupported(_)),
            message: format!("{}: {stage} {} for `{}`: {e}", self.engine_name, self.workload.file, self.workload.name),
        };
        let mut engine = build_with(&self.engine_name, Metering::Off).map_err(|e| e.to_string())?;
        engine.set_fuel(None);
        let module = engine.compile(&self.wasm).map_err(|e| what("compiling", e))?;
        let instance = engine.instantiate(module).map_err(|e| what("instantiating", e))?;
        let exports = engine.exports(instance).map_err(|e| what("listing the exports of", e))?;
        let export = &self.workload.export;
        match exports.iter().find(|x| &x.name == export).map(|x| &x.kind) {
            Some(ExportKind::Func { params, results })
                if params[..] == [ValType::I32] && results[..] == [ValType::I64] => {}
            Some(other) => {
                return Err(format!("{}: export `{export}` is {other:?}, not (i32) -> i64", self.workload.file).into());
            }
            None => return Err(format!("{}: no export `{export}`", self.workload.file).into()),
        }
        Ok(Prepared { engine, module, instance, instances: 1 })
    }

    /// Takes one sample: the timed part as the manifest defines it. An engine error is
    /// recorded and returned; a wrong checksum is recorded ([`WorkloadRun::checksum_ok`]) and
    /// the time still returned.
    pub fn sample(&mut self) -> Result<Duration, String> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let measure = self.workload.measure;
        let new_instance = self.workload.needs_new_instance();
        let result = panic_free(|| -> Result<(Duration, Vec<Val>), String> {
            if new_instance && self.state.as_ref().is_some_and(|s| s.instances >= RECYCLE) {
                // Outside the timing: a new store frees the instances of the old one.
                self.state = None;
                self.state = Some(self.prepare().map_err(|refusal| refusal.message)?);
            }
            let state = self.state.as_mut().ok_or("the workload was not prepared")?;
            let args = [Val::I32(self.n)];
            let export = &self.workload.export;
            let name = &self.engine_name;
            let fail = |stage: &str, e: EngineError| format!("{name}: {stage} `{}`: {e}", self.workload.name);
            let began;
            let instance = match (measure, new_instance) {
                (Measure::Instantiate, _) => {
                    began = Instant::now();
                    state.engine.instantiate(state.module).map_err(|e| fail("instantiating", e))?
                }
                (Measure::Run, true) => {
                    let instance = state.engine.instantiate(state.module).map_err(|e| fail("instantiating", e))?;
                    began = Instant::now();
                    instance
                }
                (Measure::Run, false) => {
                    began = Instant::now();
                    state.instance
                }
            };
            let got = state.engine.call(instance, export, &args);
            let elapsed = began.elapsed();
            if new_instance {
                state.instances += 1;
            }
            Ok((elapsed, got.map_err(|e| fail("calling", e))?))
        });
        let (elapsed, got) = match result {
            Ok(Ok(done)) => done,
            Ok(Err(e)) => return Err(self.fail(e)),
            Err(panic) => return Err(self.fail(format!("{} panicked: {panic}", self.engine_name))),
        };
        self.checked += 1;
        if got != [Val::I64(self.expected)] && self.mismatch.is_none() {
            self.mismatch = Some(format!(
                "{}: `{}` ({}({})) returned {got:?}, the manifest expects I64({})",
                self.engine_name, self.workload.name, self.workload.export, self.n, self.expected
            ));
        }
        Ok(elapsed)
    }

    fn fail(&mut self, message: String) -> String {
        self.state = None;
        self.samples.clear();
        self.error = Some(message.clone());
        message
    }

    /// Whether the configuration refused the module for a feature it lacks (then
    /// [`Task::error`] says which): recorded and shown, not a failure of the run.
    pub fn unsupported(&self) -> bool {
        self.unsupported
    }

    /// The first wrong checksum, described, if any call returned one.
    pub fn mismatch(&self) -> Option<&str> {
        self.mismatch.as_deref()
    }

    /// Whether at least one call returned and every call returned the manifest's checksum.
    pub fn checksum_ok(&self) -> bool {
        self.error.is_none() && self.checked > 0 && self.mismatch.is_none()
    }

    /// The result entry for this workload and configuration.
    pub fn measurement(&self) -> Measurement {
        let time_ns = if self.samples.is_empty() {
            // Errors leave no samples; zeros keep the JSON numeric (NaN is not JSON).
            Estimate { median: 0.0, low: 0.0, high: 0.0 }
        } else {
            median_interval(&self.samples)
        };
        Measurement {
            workload: self.workload.name.clone(),
            engine: self.engine_name.clone(),
            samples_ns: self.samples.clone(),
            time_ns,
            checksum_ok: self.checksum_ok(),
            error: self.error.clone(),
            unsupported: self.unsupported,
        }
    }
}

impl Task for WorkloadRun {
    fn workload(&self) -> &str {
        &self.workload.name
    }

    fn engine(&self) -> &str {
        &self.engine_name
    }

    fn step(&mut self, record: bool) {
        if let Ok(elapsed) = self.sample()
            && record
        {
            self.samples.push(elapsed.as_nanos() as f64);
        }
    }

    fn samples(&self) -> &[f64] {
        &self.samples
    }

    fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workload(wat_export: &str, fresh: bool, measure: Measure) -> Workload {
        Workload {
            name: "w".into(),
            file: "w.wat".into(),
            export: wat_export.into(),
            group: "compute".into(),
            n: 10,
            checksum: 55,
            quick_n: 4,
            quick_checksum: 10,
            instructions: "1".into(),
            stresses: "-".into(),
            twin: None,
            fresh,
            measure,
        }
    }

    /// `sum(n)` = 1 + ... + n, and a global that counts calls, so a reused instance would
    /// give a different answer from `count` on the second call.
    const WAT: &str = r#"(module
      (global $calls (mut i64) (i64.const 0))
      (func (export "sum") (param i32) (result i64) (local i64)
        (block (loop
          (br_if 1 (i32.eqz (local.get 0)))
          (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br 0)))
        (local.get 1))
      (func (export "count") (param i32) (result i64)
        (global.set $calls (i64.add (global.get $calls) (i64.const 1)))
        (i64.mul (global.get $calls) (i64.const 10)))
      (func (export "wrong") (param i32) (result i32) (i32.const 0)))"#;

    fn run(export: &str, fresh: bool, measure: Measure, size: Size) -> WorkloadRun {
        let wasm: Rc<[u8]> = wat::parse_str(WAT).unwrap().into();
        WorkloadRun::new(&workload(export, fresh, measure), wasm, "redzone:checked", size)
    }

    #[test]
    fn samples_check_the_checksum() {
        let mut r = run("sum", false, Measure::Run, Size::Full);
        for _ in 0..3 {
            r.step(true);
        }
        assert_eq!(r.samples().len(), 3);
        let m = r.measurement();
        assert!(m.checksum_ok && m.error.is_none(), "{m:?}");
        assert!(m.time_ns.low <= m.time_ns.median && m.time_ns.median <= m.time_ns.high);
    }

    #[test]
    fn a_wrong_checksum_is_recorded_not_fatal() {
        // `count` returns 10 on the first call of an instance: right at quick size (10),
        // wrong from the second call on when the instance is reused.
        let mut reused = run("count", false, Measure::Run, Size::Quick);
        reused.step(false);
        assert!(reused.checksum_ok());
        reused.step(true);
        assert!(!reused.checksum_ok() && reused.mismatch().unwrap().contains("I64(20)"), "{:?}", reused.mismatch());
        assert_eq!(reused.samples().len(), 1, "the time is still recorded");
        assert!(!reused.measurement().checksum_ok);
    }

    #[test]
    fn fresh_and_instantiate_workloads_get_new_instances_across_recycling() {
        for measure in [Measure::Run, Measure::Instantiate] {
            let mut r = run("count", true, measure, Size::Quick);
            for _ in 0..RECYCLE * 2 + 3 {
                r.step(true);
            }
            assert!(r.checksum_ok(), "{measure:?}: {:?} {:?}", r.mismatch(), r.error());
            assert_eq!(r.samples().len(), RECYCLE * 2 + 3);
        }
    }

    #[test]
    fn errors_are_recorded_without_samples() {
        let r = run("wrong", false, Measure::Run, Size::Full);
        assert!(r.error().unwrap().contains("not (i32) -> i64"), "{:?}", r.error());
        let r = run("absent", false, Measure::Run, Size::Full);
        assert!(r.error().unwrap().contains("no export `absent`"), "{:?}", r.error());
        let mut r =
            WorkloadRun::new(&workload("sum", false, Measure::Run), Rc::from(&b"\0asm"[..]), "wasmi", Size::Full);
        assert!(r.error().unwrap().contains("compiling"), "{:?}", r.error());
        r.step(true);
        let m = r.measurement();
        assert!(m.samples_ns.is_empty() && !m.checksum_ok && m.error.is_some());
        let r = WorkloadRun::new(&workload("sum", false, Measure::Run), Rc::from(&b""[..]), "v8", Size::Full);
        assert!(r.error().unwrap().contains("unknown engine `v8`"), "{:?}", r.error());
    }

    #[test]
    fn a_module_that_does_not_assemble_is_an_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("redzone-workload-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("w.wat"), "(module (func").unwrap();
        let manifest =
            Manifest { path: dir.join("workloads.toml"), workloads: vec![workload("run", false, Measure::Run)] };
        let r = WorkloadRun::load(&manifest, &manifest.workloads[0], "redzone:checked", Size::Quick);
        assert!(r.error().unwrap().contains("w.wat"), "{:?}", r.error());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_feature_the_engine_lacks_is_recorded_as_unsupported() {
        let wasm: Rc<[u8]> = wat::parse_str(
            r#"(module (memory i64 1)
              (func (export "run") (param i32) (result i64) (i64.load (i64.const 8))))"#,
        )
        .unwrap()
        .into();
        let w = Workload { checksum: 0, quick_checksum: 0, ..workload("run", false, Measure::Run) };
        let mut wasmer = WorkloadRun::new(&w, Rc::clone(&wasm), "wasmer:guard", Size::Quick);
        wasmer.step(true);
        assert!(wasmer.unsupported(), "{:?}", wasmer.error());
        assert!(wasmer.error().unwrap().contains("unsupported feature: memory64"), "{:?}", wasmer.error());
        let m = wasmer.measurement();
        assert!(m.unsupported && !m.failed() && m.samples_ns.is_empty() && !m.ran_correctly(), "{m:?}");
        // The engines that have memory64 run it; a trap is still a failure, not a lacking feature.
        let mut wasmi = WorkloadRun::new(&w, Rc::clone(&wasm), "wasmi", Size::Quick);
        wasmi.step(true);
        assert!(!wasmi.unsupported() && wasmi.measurement().ran_correctly(), "{:?}", wasmi.error());
        let trapping = Workload { quick_n: 0, ..w };
        let wasm: Rc<[u8]> = wat::parse_str(
            r#"(module (memory i64 1) (func (export "run") (param i32) (result i64) (i64.load (i64.const 65536))))"#,
        )
        .unwrap()
        .into();
        let mut checked = WorkloadRun::new(&trapping, wasm, "redzone:checked", Size::Quick);
        checked.step(true);
        assert!(!checked.unsupported() && checked.measurement().failed(), "{:?}", checked.error());
    }

    #[test]
    fn a_trap_stops_the_run() {
        let wat = r#"(module (func (export "run") (param i32) (result i64) unreachable))"#;
        let wasm: Rc<[u8]> = wat::parse_str(wat).unwrap().into();
        let mut r = WorkloadRun::new(&workload("run", false, Measure::Run), wasm, "redzone:checked", Size::Full);
        r.step(true);
        assert!(!r.active() && r.error().unwrap().contains("calling"), "{:?}", r.error());
        assert!(r.measurement().samples_ns.is_empty());
    }
}
