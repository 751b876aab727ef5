//! The order samples are taken in: warm-up passes, then rounds in which every task (a
//! workload on a configuration, or an ABI size on a configuration) takes one sample, in an
//! order shuffled afresh each round by the seeded [`Rng`]. Slow drift of the machine (heat,
//! frequency, other processes) and bursts of noise therefore spread over every engine
//! instead of landing on whichever ran last, and a run is reproducible from its seed.
//!
//! How many rounds: a [`Plan`] gives a target, a floor and a time budget. The warm-up's last
//! pass estimates a round's cost; the round count is the target cut to what fits the budget
//! (never below the floor), and it is re-planned after every round from the rounds so far.

use super::{Phase, Progress, Step};
use crate::generators::Rng;
use std::time::{Duration, Instant};

/// Something the scheduler samples.
pub trait Task {
    /// The workload (or ABI point) it measures, for progress.
    fn workload(&self) -> &str;
    /// The configuration it runs on, for progress.
    fn engine(&self) -> &str;
    /// Takes one sample, recording it when `record` (warm-up samples are not). Failures are
    /// recorded by the task ([`Task::error`]), which is then not visited again.
    fn step(&mut self, record: bool);
    /// The recorded samples, in nanoseconds (per call, or per round trip).
    fn samples(&self) -> &[f64];
    /// Why the task stopped, if it failed.
    fn error(&self) -> Option<&str>;
    /// Whether it should still be visited (it has not failed).
    fn active(&self) -> bool {
        self.error().is_none()
    }
}

/// A boxed task is a task, so one schedule can mix kinds (`Vec<Box<dyn Task>>`).
impl<T: Task + ?Sized> Task for Box<T> {
    fn workload(&self) -> &str {
        (**self).workload()
    }
    fn engine(&self) -> &str {
        (**self).engine()
    }
    fn step(&mut self, record: bool) {
        (**self).step(record)
    }
    fn samples(&self) -> &[f64] {
        (**self).samples()
    }
    fn error(&self) -> Option<&str> {
        (**self).error()
    }
}

/// How many rounds to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Untimed passes over every task before the rounds.
    pub warmup: usize,
    /// Rounds never cut below this by the budget.
    pub min_rounds: usize,
    /// Rounds wanted when the budget allows.
    pub max_rounds: usize,
    /// Wall time the rounds should fit in.
    pub budget: Duration,
}

impl Plan {
    /// Exactly `rounds` rounds, whatever they cost.
    pub fn fixed(warmup: usize, rounds: usize) -> Plan {
        Plan { warmup, min_rounds: rounds, max_rounds: rounds, budget: Duration::MAX }
    }

    /// The rounds to take when `done` rounds took `spent` (or, before the first, when one
    /// round is estimated to take `spent`), within the budget.
    pub fn rounds(&self, done: usize, spent: Duration) -> usize {
        let per_round = if done == 0 { spent } else { spent / done as u32 };
        let affordable = if per_round.is_zero() {
            self.max_rounds
        } else {
            let remaining = self.budget.saturating_sub(if done == 0 { Duration::ZERO } else { spent });
            done.saturating_add((remaining.as_secs_f64() / per_round.as_secs_f64()) as usize)
        };
        affordable.clamp(self.min_rounds.max(done), self.max_rounds.max(done))
    }
}

/// The visiting order of one round: every index of `0..len` once, shuffled (Fisher-Yates).
pub fn round_order(len: usize, rng: &mut Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

/// Runs the warm-up and the rounds of `plan` over `tasks`; returns the rounds taken.
/// `start` is when the whole run started (for the elapsed time in progress).
pub fn run<T: Task>(
    tasks: &mut [T],
    plan: &Plan,
    rng: &mut Rng,
    phase: Phase,
    start: Instant,
    progress: &mut dyn FnMut(Progress<'_>),
) -> usize {
    let mut estimate = Duration::ZERO;
    for pass in 0..plan.warmup {
        let began = Instant::now();
        let total = tasks.len();
        for (i, task) in tasks.iter_mut().enumerate() {
            if task.active() {
                progress(Progress::Step(Step {
                    phase: Phase::Warmup,
                    workload: task.workload(),
                    engine: task.engine(),
                    round: pass + 1,
                    rounds: plan.warmup,
                    done: i,
                    total,
                    elapsed: start.elapsed(),
                    eta: None,
                }));
                task.step(false);
            }
        }
        estimate = began.elapsed();
    }
    let mut rounds = plan.rounds(0, estimate);
    let began = Instant::now();
    let mut done = 0;
    let mut visits = 0usize;
    while done < rounds {
        let order = round_order(tasks.len(), rng);
        let active = tasks.iter().filter(|t| t.active()).count().max(1);
        let mut in_round = 0;
        for i in order {
            let task = &mut tasks[i];
            if !task.active() {
                continue;
            }
            let spent = began.elapsed();
            let per_visit = if visits == 0 { estimate / active as u32 } else { spent / visits as u32 };
            let left = ((rounds - done) * active).saturating_sub(in_round);
            progress(Progress::Step(Step {
                phase,
                workload: task.workload(),
                engine: task.engine(),
                round: done + 1,
                rounds,
                done: (done * active + in_round).min(rounds * active - 1),
                total: rounds * active,
                elapsed: start.elapsed(),
                eta: Some(per_visit.saturating_mul(left as u32)),
            }));
            task.step(true);
            visits += 1;
            in_round += 1;
        }
        done += 1;
        rounds = plan.rounds(done, began.elapsed());
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every visit of every probe: its id and whether the sample was recorded.
    type Visits = std::rc::Rc<std::cell::RefCell<Vec<(usize, bool)>>>;

    /// A task that records when it was visited.
    struct Probe {
        id: usize,
        name: String,
        visits: Visits,
        fail_after: Option<usize>,
        taken: usize,
    }

    impl Task for Probe {
        fn workload(&self) -> &str {
            &self.name
        }
        fn engine(&self) -> &str {
            "probe"
        }
        fn step(&mut self, record: bool) {
            self.visits.borrow_mut().push((self.id, record));
            self.taken += 1;
        }
        fn samples(&self) -> &[f64] {
            &[]
        }
        fn error(&self) -> Option<&str> {
            self.fail_after.is_some_and(|n| self.taken >= n).then_some("failed")
        }
    }

    fn probes(n: usize) -> (Vec<Probe>, Visits) {
        let visits = std::rc::Rc::default();
        let tasks = (0..n)
            .map(|id| Probe {
                id,
                name: format!("t{id}"),
                visits: std::rc::Rc::clone(&visits),
                fail_after: None,
                taken: 0,
            })
            .collect();
        (tasks, visits)
    }

    #[test]
    fn every_round_visits_every_task_once_in_a_shuffled_order() {
        let (mut tasks, visits) = probes(6);
        let mut steps = 0;
        let rounds = run(&mut tasks, &Plan::fixed(2, 5), &mut Rng::new(42), Phase::Measure, Instant::now(), &mut |p| {
            if let Progress::Step(s) = p {
                assert!(s.done < s.total && s.round <= s.rounds, "{:?}", (s.done, s.total));
                steps += 1;
            }
        });
        assert_eq!(rounds, 5);
        assert_eq!(steps, 6 * 2 + 6 * 5, "one progress step per visit");
        let visits = visits.borrow();
        let (warm, timed): (Vec<_>, Vec<_>) = visits.iter().partition(|(_, record)| !record);
        assert_eq!(warm.len(), 12);
        let orders: Vec<Vec<usize>> = timed.chunks(6).map(|c| c.iter().map(|(id, _)| *id).collect()).collect();
        assert_eq!(orders.len(), 5);
        for order in &orders {
            let mut sorted = order.clone();
            sorted.sort();
            assert_eq!(sorted, (0..6).collect::<Vec<_>>(), "each task exactly once per round: {order:?}");
        }
        assert!(orders.windows(2).any(|w| w[0] != w[1]), "rounds are shuffled: {orders:?}");
        assert!(orders.iter().any(|o| *o != (0..6).collect::<Vec<_>>()), "not the plain order");
    }

    #[test]
    fn the_same_seed_gives_the_same_order() {
        assert_eq!(round_order(10, &mut Rng::new(5)), round_order(10, &mut Rng::new(5)));
        assert_ne!(round_order(10, &mut Rng::new(5)), round_order(10, &mut Rng::new(6)));
        assert!(round_order(0, &mut Rng::new(1)).is_empty());
    }

    #[test]
    fn failed_tasks_are_not_visited_again() {
        let (mut tasks, visits) = probes(3);
        tasks[1].fail_after = Some(2);
        run(&mut tasks, &Plan::fixed(1, 4), &mut Rng::new(1), Phase::Measure, Instant::now(), &mut |_| {});
        let count = |id| visits.borrow().iter().filter(|(i, _)| *i == id).count();
        assert_eq!((count(0), count(1), count(2)), (5, 2, 5));
    }

    #[test]
    fn plans_fit_the_budget_between_floor_and_target() {
        let plan = Plan { warmup: 1, min_rounds: 10, max_rounds: 30, budget: Duration::from_secs(60) };
        assert_eq!(plan.rounds(0, Duration::from_secs(1)), 30, "30 one-second rounds fit");
        assert_eq!(plan.rounds(0, Duration::from_secs(4)), 15);
        assert_eq!(plan.rounds(0, Duration::from_secs(100)), 10, "never below the floor");
        assert_eq!(plan.rounds(12, Duration::from_secs(48)), 15, "re-planned from the rounds so far");
        assert_eq!(plan.rounds(20, Duration::from_secs(100)), 20, "never below what is done");
        assert_eq!(Plan::fixed(0, 7).rounds(0, Duration::from_secs(1000)), 7);
        assert_eq!(plan.rounds(0, Duration::ZERO), 30);
    }
}
