//! Statistics: compensated means, type-7 percentiles, Student's t quantiles and a figure's summary.
//!
//! Every function takes its values in a fixed order (ascending seed) and gives the same bits for it.
//! Transcendental maths goes through `libm`, so another machine's C library cannot change a digit.

/// The percentiles written for every figure and band, as fractions.
pub(crate) const PERCENTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// A figure's statistics over the seeds where it happened; `None` where undefined.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureStats {
    /// Seeds where the figure is not `None`.
    pub n: u64,
    /// Mean over those seeds (`None` when n = 0).
    pub mean: Option<f64>,
    /// Sample standard deviation, n - 1 in the denominator (`None` when n < 2).
    pub sd: Option<f64>,
    /// Lower end of the mean's 95 % Student's t confidence interval (`None` when n < 2).
    pub ci95_low: Option<f64>,
    /// Upper end of that interval.
    pub ci95_high: Option<f64>,
    /// Type-7 percentiles p5, p25, p50, p75, p95 (`None` when n = 0).
    pub percentiles: [Option<f64>; 5],
    /// n divided by the number of seeds in the sweep.
    pub reached_share: f64,
}

impl FigureStats {
    /// Summarises `values` (the figure of each seed, ascending seed order) out of `seed_count` seeds.
    pub fn of(values: &[Option<f64>], seed_count: u64) -> Self {
        let reached: Vec<f64> = values.iter().flatten().copied().collect();
        let n = reached.len() as u64;
        let (mean, sd) = mean_sd(&reached);
        let half = match (sd, n) {
            (Some(sd), 2..) => {
                Some(student_t_quantile(0.975, (n - 1) as f64) * sd / (n as f64).sqrt())
            }
            _ => None,
        };
        let mut sorted = reached;
        sorted.sort_by(f64::total_cmp);
        Self {
            n,
            mean,
            sd,
            ci95_low: mean.zip(half).map(|(m, h)| m - h),
            ci95_high: mean.zip(half).map(|(m, h)| m + h),
            percentiles: PERCENTILES.map(|p| percentile_type7(&sorted, p)),
            reached_share: if seed_count == 0 {
                0.0
            } else {
                n as f64 / seed_count as f64
            },
        }
    }
}

/// Neumaier-compensated sum, in the order given.
pub(crate) fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut total, mut carry) = (0.0_f64, 0.0_f64);
    for v in values {
        let t = total + v;
        carry += if total.abs() >= v.abs() {
            (total - t) + v
        } else {
            (v - t) + total
        };
        total = t;
    }
    total + carry
}

/// Mean and sample standard deviation (two passes); `(None, None)` for no values, sd `None` for one.
pub(crate) fn mean_sd(values: &[f64]) -> (Option<f64>, Option<f64>) {
    if values.is_empty() {
        return (None, None);
    }
    let n = values.len() as f64;
    let mean = sum(values.iter().copied()) / n;
    let sd = (values.len() >= 2)
        .then(|| (sum(values.iter().map(|v| (v - mean) * (v - mean))) / (n - 1.0)).sqrt());
    (Some(mean), sd)
}

/// R's type-7 percentile of ascending `sorted` values at fraction `p` (0..=1): linear interpolation
/// between order statistics at `h = (n - 1) p`. `None` for no values.
pub fn percentile_type7(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    let lo = (h.floor() as usize).min(last);
    let hi = (lo + 1).min(last);
    let (a, b) = (sorted[lo], sorted[hi]);
    Some(if a == b {
        a
    } else {
        a + (h - lo as f64) * (b - a)
    })
}

/// The quantile of Student's t distribution with `df` degrees of freedom (df > 0, not necessarily
/// whole) at probability `p` in (0, 1): the `t` with `P(T <= t) = p`. `NaN` outside those domains.
///
/// Found by bisection on the CDF, computed from the regularized incomplete beta function, to the
/// last few bits: `student_t_quantile(0.975, 1.0)` is 12.7062…, at df 30 2.0423…
///
/// Why not a statistics crate (issue 18 asks for one where the project computes statistics by
/// hand): `statrs` 0.19.1 was tried. With its default features off it builds cheaply (`approx`,
/// `num-traits`; `nalgebra` and `rand` are default features), but its `StudentsT::inverse_cdf`
/// is less accurate on the very intervals the results publish: against the mpmath/R reference
/// values of the test below it is off by 8e-14 (relative) at df 30, 2.4e-13 at df 1 000 and
/// 1.6e-6 at df 100 000 (a sweep of 100 001 seeds), where this function stays within 1e-12
/// everywhere. Switching would also move the last bits of every confidence interval in
/// `aggregate.json` and `comparison.json` for no gain. So the quantile stays here, on `libm`
/// (already a dependency for the engine's reproducible `exp`/`log`), about 100 lines with a
/// test against reference tables.
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    if !(p > 0.0 && p < 1.0 && df > 0.0) {
        return f64::NAN;
    }
    if p < 0.5 {
        return -student_t_quantile(1.0 - p, df);
    }
    if p == 0.5 {
        return 0.0;
    }
    // Upper tail probability to reach, kept as 1 - p to stay accurate near p = 1.
    let tail = 1.0 - p;
    let upper_tail = |t: f64| {
        let (t2, sum) = (t * t, df + t * t);
        0.5 * incomplete_beta(df / sum, t2 / sum, df / 2.0, 0.5)
    };
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    while upper_tail(hi) > tail {
        lo = hi;
        hi *= 2.0;
        if !hi.is_finite() {
            return f64::INFINITY;
        }
    }
    for _ in 0..200 {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if upper_tail(mid) > tail {
            lo = mid
        } else {
            hi = mid
        }
    }
    lo + (hi - lo) / 2.0
}

/// The regularized incomplete beta function `I_x(a, b)` for a, b > 0 and x in [0, 1], given both
/// `x` and `y = 1 - x` (each computed directly, so neither loses digits near 1), by Lentz's continued
/// fraction (using the symmetry `I_x(a,b) = 1 - I_y(b,a)` where that converges faster).
fn incomplete_beta(x: f64, y: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    let ln = |v: f64, one_minus_v: f64| {
        if v < 0.5 {
            libm::log(v)
        } else {
            libm::log1p(-one_minus_v)
        }
    };
    let front = libm::exp(a * ln(x, y) + b * ln(y, x) - ln_beta(a, b));
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_fraction(y, b, a) / b
    }
}

/// `ln B(a, b)`. When one argument is large, `lgamma(a + b) - lgamma(a)` would cancel most of its
/// digits, so that difference comes from Stirling's series instead.
fn ln_beta(a: f64, b: f64) -> f64 {
    let (big, small) = if a >= b { (a, b) } else { (b, a) };
    if big < 20.0 {
        return libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b);
    }
    // Stirling's correction lgamma(x) - ((x - 1/2) ln x - x + ln(2 pi) / 2), for x >= 20.
    let corr = |x: f64| {
        let x2 = x * x;
        (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / (1680.0 * x2)) / x2) / x2) / x
    };
    let sum = big + small;
    // lgamma(big + small) - lgamma(big), every term small or exact.
    let diff = (big - 0.5) * libm::log1p(small / big) + small * libm::log(sum) - small + corr(sum)
        - corr(big);
    libm::lgamma(small) - diff
}

/// The continued fraction of the incomplete beta function (modified Lentz).
fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=100_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn t_quantiles_match_tables() {
        // Reference values from a 40-digit mpmath bisection (they agree with R's qt()).
        let cases = [
            (0.975, 1.0, 12.706204736174705),
            (0.975, 2.0, 4.302652729749464),
            (0.975, 5.0, 2.5705818356363155),
            (0.975, 30.0, 2.042272456301238),
            (0.975, 1000.0, 1.9623390808264085),
            (0.995, 10.0, 3.1692726726169513),
            (0.9995, 1.0, 636.6192487687196),
            (0.95, 100000.0, 1.6448688647849696),
        ];
        for (p, df, want) in cases {
            let got = student_t_quantile(p, df);
            assert!(close(got, want, 1e-12), "t({p}, {df}) = {got}, want {want}");
            assert!(close(student_t_quantile(1.0 - p, df), -want, 1e-12));
        }
        assert_eq!(student_t_quantile(0.5, 3.0), 0.0);
        assert!(student_t_quantile(1.0, 3.0).is_nan() && student_t_quantile(0.9, 0.0).is_nan());
    }

    #[test]
    fn percentiles_are_type_7() {
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        // R: quantile(1:10, c(.05, .25, .5, .75, .95)) = 1.45 3.25 5.50 7.75 9.55
        let got = PERCENTILES.map(|p| percentile_type7(&x, p).unwrap());
        for (g, w) in got.iter().zip([1.45, 3.25, 5.5, 7.75, 9.55]) {
            assert!(close(*g, w, 1e-12), "{got:?}");
        }
        assert_eq!(percentile_type7(&[4.0], 0.95), Some(4.0));
        assert_eq!(percentile_type7(&[], 0.5), None);
        assert_eq!(percentile_type7(&[1.0, 2.0], 1.0), Some(2.0));
    }

    #[test]
    fn censored_values_are_left_out() {
        let s = FigureStats::of(&[Some(10.0), None, Some(20.0), None], 4);
        assert_eq!((s.n, s.mean, s.reached_share), (2, Some(15.0), 0.5));
        let sd = 50.0_f64.sqrt();
        assert_eq!(s.sd, Some(sd));
        let half = 12.706204736174705 * sd / 2.0_f64.sqrt();
        assert!(close(s.ci95_high.unwrap(), 15.0 + half, 1e-10));
        assert_eq!(s.percentiles[2], Some(15.0));
        let none = FigureStats::of(&[None, None], 2);
        assert_eq!(
            (none.n, none.mean, none.sd, none.ci95_low),
            (0, None, None, None)
        );
        let one = FigureStats::of(&[Some(3.0)], 1);
        assert_eq!(
            (one.mean, one.sd, one.ci95_low, one.percentiles[0]),
            (Some(3.0), None, None, Some(3.0))
        );
    }

    #[test]
    fn compensated_sum_keeps_small_terms() {
        assert_eq!(sum([1e16, 1.0, -1e16]), 1.0);
    }

    proptest! {
        #[test]
        fn percentiles_are_monotone_and_bounded(mut v in prop::collection::vec(-1e6f64..1e6, 1..50)) {
            v.sort_by(f64::total_cmp);
            let ps = PERCENTILES.map(|p| percentile_type7(&v, p).unwrap());
            prop_assert!(ps.windows(2).all(|w| w[0] <= w[1]));
            prop_assert!(v[0] <= ps[0] && ps[4] <= v[v.len() - 1]);
        }
    }
}
