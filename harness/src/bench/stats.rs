//! The statistics of a benchmark run: medians with distribution-free confidence intervals,
//! ratios of two sample sets with bootstrap intervals, and geometric means of ratios.
//!
//! - [`median_interval`]: the median of the samples and an exact 95% interval for the
//!   population median from binomial order statistics: with `n` sorted samples, the interval
//!   `[x(k), x(n+1-k)]` covers the median with probability `1 - 2 P(B <= k-1)` for
//!   `B ~ Binomial(n, 1/2)`, whatever the distribution; `k` is the largest rank that keeps
//!   that at or above 95%. The binomial tail is computed exactly (in log space, so any `n`
//!   works). Below 6 samples no rank reaches 95% and the interval is the sample range.
//! - [`RatioEstimate::new`]: the ratio of two medians (guard over checked, or one engine over
//!   another) and a 95% percentile bootstrap interval: each replicate resamples both sets
//!   independently with replacement, at their own sizes, and takes the ratio of the two
//!   resampled medians; the interval is the 2.5th and 97.5th percentiles of the replicates.
//!   The resampling is driven by the seeded [`Rng`], so a run's intervals are reproducible.
//! - [`geomean`]: the geometric mean of several ratios, with the percentile interval of the
//!   geometric means of their bootstrap replicates taken replicate by replicate (the
//!   workloads are resampled independently, so replicate `j` of each is a joint replicate).

use super::results::Estimate;
use crate::generators::Rng;

/// Confidence level of every interval.
pub const CONFIDENCE: f64 = 0.95;

/// Bootstrap replicates per ratio unless the caller says otherwise.
pub const DEFAULT_REPLICATES: usize = 2000;

/// The method, as [`super::results::Method::interval`] records it.
pub const INTERVAL_METHOD: &str = "median: exact binomial order-statistic interval (distribution-free; the sample \
     range below 6 samples); ratios and geometric means: percentile bootstrap, both sample sets resampled \
     independently with replacement, seeded";

/// The median of `samples` (the mean of the two middle ones for an even count); `NaN` when
/// there are none.
pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sort(&mut sorted);
    median_of_sorted(&sorted)
}

fn sort(xs: &mut [f64]) {
    xs.sort_unstable_by(f64::total_cmp);
}

fn median_of_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// `P(B <= k)` for `B ~ Binomial(n, 1/2)`, exactly up to rounding.
pub fn binomial_half_cdf(n: usize, k: usize) -> f64 {
    if k >= n {
        return 1.0;
    }
    // ln C(n, i) built up term by term; each term is then scaled by 2^-n in log space, so
    // nothing underflows before it is summed.
    let ln_half_n = n as f64 * 0.5f64.ln();
    let mut ln_choose = 0.0f64;
    let mut total = (ln_choose + ln_half_n).exp();
    for i in 1..=k {
        ln_choose += ((n - i + 1) as f64).ln() - (i as f64).ln();
        total += (ln_choose + ln_half_n).exp();
    }
    total.min(1.0)
}

/// The 1-based ranks `(lo, hi)` of the order statistics that bound the median with at least
/// [`CONFIDENCE`] (`hi = n + 1 - lo`); `(1, n)` when `n` is too small to reach it.
pub fn median_ranks(n: usize) -> (usize, usize) {
    if n == 0 {
        return (0, 0);
    }
    let alpha = 1.0 - CONFIDENCE;
    let mut lo = 1;
    // Coverage of [x(k), x(n+1-k)] is 1 - 2 P(B <= k-1); it falls as k grows.
    while lo < n.div_ceil(2) && 2.0 * binomial_half_cdf(n, lo) <= alpha {
        lo += 1;
    }
    (lo, n + 1 - lo)
}

/// The median of `samples` and its distribution-free 95% interval (all `NaN` when empty).
pub fn median_interval(samples: &[f64]) -> Estimate {
    let mut sorted = samples.to_vec();
    sort(&mut sorted);
    if sorted.is_empty() {
        return Estimate { median: f64::NAN, low: f64::NAN, high: f64::NAN };
    }
    let (lo, hi) = median_ranks(sorted.len());
    Estimate { median: median_of_sorted(&sorted), low: sorted[lo - 1], high: sorted[hi - 1] }
}

/// The `q` quantile of sorted values (nearest rank).
fn quantile_of_sorted(sorted: &[f64], q: f64) -> f64 {
    let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[i - 1]
}

/// A percentile interval around `point` from bootstrap replicates.
fn percentile_interval(point: f64, replicates: &[f64]) -> Estimate {
    let mut sorted: Vec<f64> = replicates.iter().copied().filter(|x| x.is_finite()).collect();
    if sorted.is_empty() {
        return Estimate { median: point, low: point, high: point };
    }
    sort(&mut sorted);
    let tail = (1.0 - CONFIDENCE) / 2.0;
    Estimate { median: point, low: quantile_of_sorted(&sorted, tail), high: quantile_of_sorted(&sorted, 1.0 - tail) }
}

/// The median of a resample (with replacement) of `samples`, using `buf` as scratch.
fn resampled_median(samples: &[f64], rng: &mut Rng, buf: &mut Vec<f64>) -> f64 {
    buf.clear();
    buf.extend((0..samples.len()).map(|_| samples[rng.below(samples.len() as u64) as usize]));
    sort(buf);
    median_of_sorted(buf)
}

/// A ratio of two medians with its bootstrap replicates (kept for geometric means).
#[derive(Debug, Clone, PartialEq)]
pub struct RatioEstimate {
    /// The ratio of the medians and its percentile interval.
    pub estimate: Estimate,
    /// The bootstrap replicates of the ratio, in the order drawn.
    pub replicates: Vec<f64>,
}

impl RatioEstimate {
    /// `median(numerator) / median(denominator)` with a percentile bootstrap interval from
    /// `replicates` resamplings drawn from `rng`. `None` when either set is empty or the
    /// denominator's median is not positive.
    pub fn new(numerator: &[f64], denominator: &[f64], replicates: usize, rng: &mut Rng) -> Option<RatioEstimate> {
        let (top, bottom) = (median(numerator), median(denominator));
        if numerator.is_empty() || denominator.is_empty() || bottom.is_nan() || bottom <= 0.0 {
            return None;
        }
        let point = top / bottom;
        let mut buf = Vec::with_capacity(numerator.len().max(denominator.len()));
        let reps: Vec<f64> = (0..replicates)
            .map(|_| {
                let a = resampled_median(numerator, rng, &mut buf);
                let b = resampled_median(denominator, rng, &mut buf);
                a / b
            })
            .collect();
        Some(RatioEstimate { estimate: percentile_interval(point, &reps), replicates: reps })
    }
}

/// The geometric mean of `ratios` with the percentile interval of the replicate-wise
/// geometric means; `None` when there are no ratios.
pub fn geomean(ratios: &[&RatioEstimate]) -> Option<Estimate> {
    if ratios.is_empty() {
        return None;
    }
    let mean_ln = |xs: &mut dyn Iterator<Item = f64>| {
        let (sum, count) = xs.fold((0.0, 0usize), |(s, c), x| (s + x.ln(), c + 1));
        (sum / count as f64).exp()
    };
    let point = mean_ln(&mut ratios.iter().map(|r| r.estimate.median));
    let replicates = ratios.iter().map(|r| r.replicates.len()).min().unwrap_or(0);
    let reps: Vec<f64> = (0..replicates).map(|j| mean_ln(&mut ratios.iter().map(|r| r.replicates[j]))).collect();
    Some(percentile_interval(point, &reps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn binomial_tail_matches_hand_computed_values() {
        // P(B <= 1) for n = 10 is 11/1024; P(B <= 2) is 56/1024.
        assert!((binomial_half_cdf(10, 1) - 11.0 / 1024.0).abs() < 1e-12);
        assert!((binomial_half_cdf(10, 2) - 56.0 / 1024.0).abs() < 1e-12);
        assert_eq!(binomial_half_cdf(5, 5), 1.0);
        // by symmetry P(B <= 999) = (1 - P(B = 1000)) / 2, about 0.491, for n = 2000
        let half = binomial_half_cdf(2000, 999);
        assert!(half > 0.49 && half < 0.5, "{half}");
    }

    #[test]
    fn median_ranks_match_the_published_table() {
        // Conover's table of order statistics for a 95% interval of the median.
        assert_eq!(median_ranks(6), (1, 6));
        assert_eq!(median_ranks(10), (2, 9));
        assert_eq!(median_ranks(20), (6, 15));
        assert_eq!(median_ranks(30), (10, 21));
        assert_eq!(median_ranks(100), (40, 61));
        // too few samples for 95%: the range
        assert_eq!(median_ranks(5), (1, 5));
        assert_eq!(median_ranks(1), (1, 1));
    }

    #[test]
    fn median_interval_picks_those_order_statistics() {
        let samples: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        assert_eq!(median_interval(&samples), Estimate { median: 5.5, low: 2.0, high: 9.0 });
        assert_eq!(median_interval(&[7.0]), Estimate { median: 7.0, low: 7.0, high: 7.0 });
        assert!(median_interval(&[]).median.is_nan());
    }

    #[test]
    fn ratio_of_constant_samples_is_exact() {
        let mut rng = Rng::new(1);
        let r = RatioEstimate::new(&[2.0; 5], &[1.0; 7], 100, &mut rng).unwrap();
        assert_eq!(r.estimate, Estimate { median: 2.0, low: 2.0, high: 2.0 });
        assert_eq!(r.replicates.len(), 100);
        assert!(RatioEstimate::new(&[], &[1.0], 10, &mut rng).is_none());
        assert!(RatioEstimate::new(&[1.0], &[0.0], 10, &mut rng).is_none());
    }

    #[test]
    fn ratio_interval_covers_the_truth_and_is_reproducible() {
        let a: Vec<f64> = (1..=21).map(f64::from).collect();
        let b: Vec<f64> = (1..=21).map(|x| 2.0 * f64::from(x)).collect();
        let r = RatioEstimate::new(&a, &b, 2000, &mut Rng::new(9)).unwrap();
        assert_eq!(r.estimate.median, 0.5);
        assert!(r.estimate.low < 0.5 && r.estimate.high > 0.5 && r.estimate.low > 0.2 && r.estimate.high < 1.0);
        assert_eq!(r, RatioEstimate::new(&a, &b, 2000, &mut Rng::new(9)).unwrap());
        assert_ne!(r, RatioEstimate::new(&a, &b, 2000, &mut Rng::new(10)).unwrap());
    }

    #[test]
    fn geomeans() {
        let mut rng = Rng::new(3);
        let two = RatioEstimate::new(&[2.0; 3], &[1.0; 3], 50, &mut rng).unwrap();
        let eight = RatioEstimate::new(&[8.0; 3], &[1.0; 3], 50, &mut rng).unwrap();
        assert_eq!(geomean(&[&two, &eight]), Some(Estimate { median: 4.0, low: 4.0, high: 4.0 }));
        assert_eq!(geomean(&[]), None);
        let a: Vec<f64> = (1..=15).map(f64::from).collect();
        let noisy = RatioEstimate::new(&a, &a, 500, &mut rng).unwrap();
        let g = geomean(&[&two, &noisy]).unwrap();
        assert!((g.median - 2f64.sqrt()).abs() < 1e-12);
        assert!(g.low < g.median && g.median < g.high, "{g:?}");
    }
}
