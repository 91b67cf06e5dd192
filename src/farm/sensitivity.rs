//! Standardized rank regression coefficients (SRRC) with confidence intervals.
//!
//! A data farm asks which of many factors drive an outcome. Following Saltelli et al. ("Sensitivity
//! Analysis in Practice", 2004), every factor column and the outcome are replaced by their ranks,
//! the ranks are standardized, and the outcome ranks are regressed on the factor ranks by ordinary
//! least squares. Ranks make the answer hold for any monotone relation, not only a linear one, and
//! make it indifferent to units and outliers; standardizing makes coefficients comparable across
//! factors (a coefficient of −0.5 means: one standard deviation up the factor's ranking moves the
//! outcome half a standard deviation down its ranking, the other factors held fixed).
//!
//! Outcomes may be censored (the event never happened within the run). For ranks that is exact, not
//! an approximation: a censored run lies beyond every observed value, so censored runs share the top
//! rank.
//!
//! Every sum runs in run order and the linear algebra in a fixed order, so the same inputs give the
//! same bits.

use crate::ensemble::student_t_quantile;

/// A pivot of the Cholesky factor of the factors' rank correlation matrix is one minus the squared
/// multiple correlation of that factor with the ones before it; below this the factors are taken as
/// collinear (their effects cannot be told apart).
const SINGULAR_TOLERANCE: f64 = 1e-10;

/// One factor's effect on one outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effect {
    /// Standardized rank regression coefficient: positive means raising the factor raises the
    /// outcome.
    pub coefficient: f64,
    /// Its standard error from OLS on the standardized ranks.
    pub std_error: f64,
    /// Lower end of the 95 % confidence interval (Student's t, runs − factors − 1 degrees of freedom).
    pub ci95_low: f64,
    /// Upper end of the 95 % confidence interval.
    pub ci95_high: f64,
}

/// A rank regression of one outcome on every factor.
#[derive(Debug, Clone, PartialEq)]
pub struct RankRegression {
    /// Runs used.
    pub runs: usize,
    /// Runs whose outcome was censored (never happened).
    pub censored: usize,
    /// Share of the variance of the outcome ranks that the factor ranks explain, in [0, 1].
    pub r_squared: f64,
    /// One per factor, in column order.
    pub effects: Vec<Effect>,
}

/// Why there is no regression.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NoRegression {
    /// Fewer runs than factors + 2: no degrees of freedom left to estimate the error.
    #[error("too few runs for a regression: {runs}, at least {needed} needed")]
    TooFewRuns {
        /// Runs given.
        runs: usize,
        /// Runs needed (factors + 2).
        needed: usize,
    },
    /// The event never happened in any run.
    #[error("every run censored: the event never happened")]
    EveryRunCensored,
    /// Every run gave the same outcome (or every run but the censored ones, with none censored).
    #[error("the outcome is the same in every run")]
    ConstantOutcome,
    /// A factor (index in column order) took the same value in every run.
    #[error("factor {factor} takes the same value in every run")]
    ConstantFactor {
        /// The factor's column.
        factor: usize,
    },
    /// Some factors' rankings are (nearly) linear combinations of others, so their effects cannot be
    /// separated.
    #[error("the factors vary together, so their effects cannot be separated")]
    Singular,
}

/// Regresses the ranks of `outcome[run]` on the ranks of `factors[run][factor]` (SRRC).
///
/// `None` in `outcome` is a censored run: the event never happened, so it ranks above (later or
/// greater than) every observed value. Uses the first `min(factors.len(), outcome.len())` runs and
/// as many factors as the shortest of their rows holds. Needs at least factors + 2 runs. With no
/// factors at all the result is an empty list of effects and `r_squared` 0. Non-finite factor or
/// outcome values are a bug upstream; they are ranked as [`average_ranks`] says rather than
/// panicking. When several reasons forbid a regression, the first in the order of [`NoRegression`]'s
/// variants is given (the lowest constant factor, for `ConstantFactor`).
pub fn rank_regression(
    factors: &[Vec<f64>],
    outcome: &[Option<f64>],
) -> Result<RankRegression, NoRegression> {
    let runs = factors.len().min(outcome.len());
    let (factors, outcome) = (&factors[..runs], &outcome[..runs]);
    let k = factors.iter().map(Vec::len).min().unwrap_or(0);
    if runs < k + 2 {
        return Err(NoRegression::TooFewRuns {
            runs,
            needed: k + 2,
        });
    }
    let censored = outcome.iter().filter(|o| o.is_none()).count();
    if censored == runs {
        return Err(NoRegression::EveryRunCensored);
    }
    let y = standardized(&average_ranks(outcome)).ok_or(NoRegression::ConstantOutcome)?;
    let mut columns = Vec::with_capacity(k);
    for factor in 0..k {
        let values: Vec<Option<f64>> = factors.iter().map(|row| Some(row[factor])).collect();
        let z =
            standardized(&average_ranks(&values)).ok_or(NoRegression::ConstantFactor { factor })?;
        columns.push(z);
    }
    let fit = least_squares(&columns, &y).ok_or(NoRegression::Singular)?;
    Ok(RankRegression {
        runs,
        censored,
        r_squared: fit.r_squared,
        effects: fit.effects(runs, k),
    })
}

/// Average ranks (1-based), ties share their mean rank; None values are tied above every Some value.
///
/// Values are ordered by [`f64::total_cmp`] and tied by `==` (so `0.0` and `-0.0` tie): a NaN, which
/// only a bug upstream can produce, ranks above every number (below, if its sign bit is set) and
/// ties with nothing, instead of panicking.
pub fn average_ranks(values: &[Option<f64>]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    // Stable, so the order inside a tie is run order (it does not reach the result anyway).
    order.sort_by(|&a, &b| match (values[a], values[b]) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let tied = |a: usize, b: usize| match (values[a], values[b]) {
        (Some(x), Some(y)) => x == y,
        (None, None) => true,
        _ => false,
    };
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && tied(order[start], order[end]) {
            end += 1;
        }
        // Positions start+1 ..= end share their mean, a whole or half number: exact in f64.
        let mean = (start + 1 + end) as f64 / 2.0;
        for &run in &order[start..end] {
            ranks[run] = mean;
        }
        start = end;
    }
    ranks
}

/// Factor indices ordered by |coefficient| descending, ties by index.
///
/// A NaN coefficient (none comes out of [`rank_regression`]) ranks last.
pub fn ranking(effects: &[Effect]) -> Vec<usize> {
    let size = |i: usize| {
        let magnitude = effects[i].coefficient.abs();
        if magnitude.is_nan() {
            f64::NEG_INFINITY
        } else {
            magnitude
        }
    };
    let mut order: Vec<usize> = (0..effects.len()).collect();
    // Stable, so equal magnitudes keep index order.
    order.sort_by(|&a, &b| size(b).total_cmp(&size(a)));
    order
}

/// The values minus their mean over their sample standard deviation; `None` when they are all equal
/// (or fewer than two).
fn standardized(values: &[f64]) -> Option<Vec<f64>> {
    let first = *values.first()?;
    if values.len() < 2 || values.iter().all(|&v| v == first) {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    let sd = (squares / (n - 1.0)).sqrt();
    Some(values.iter().map(|v| (v - mean) / sd).collect())
}

/// An OLS fit of standardized `y` on standardized columns (so the intercept is 0 and drops out).
struct Fit {
    coefficients: Vec<f64>,
    /// Diagonal of the inverse of the columns' cross-product matrix.
    inverse_diagonal: Vec<f64>,
    residual_sum_squares: f64,
    r_squared: f64,
}

impl Fit {
    fn effects(&self, runs: usize, k: usize) -> Vec<Effect> {
        let df = (runs - k - 1) as f64;
        let variance = self.residual_sum_squares / df;
        let t = student_t_quantile(0.975, df);
        self.coefficients
            .iter()
            .zip(&self.inverse_diagonal)
            .map(|(&coefficient, &inverse)| {
                let std_error = (variance * inverse).max(0.0).sqrt();
                Effect {
                    coefficient,
                    std_error,
                    ci95_low: coefficient - t * std_error,
                    ci95_high: coefficient + t * std_error,
                }
            })
            .collect()
    }
}

/// Solves the normal equations by Cholesky; `None` when the columns are (nearly) collinear.
fn least_squares(columns: &[Vec<f64>], y: &[f64]) -> Option<Fit> {
    let k = columns.len();
    let runs = y.len();
    // Each standardized column has sum of squares runs − 1: dividing by it turns the cross products
    // into correlations, so the tolerance on the pivots means the same at any size.
    let scale = (runs - 1) as f64;
    let mut gram = vec![vec![0.0; k]; k];
    let mut right = vec![0.0; k];
    for a in 0..k {
        for b in 0..=a {
            let cross = dot(&columns[a], &columns[b]) / scale;
            (gram[a][b], gram[b][a]) = (cross, cross);
        }
        right[a] = dot(&columns[a], y) / scale;
    }
    let lower = cholesky(&gram)?;
    let coefficients = solve(&lower, &right);
    let inverse_diagonal = (0..k)
        .map(|j| {
            let mut unit = vec![0.0; k];
            unit[j] = 1.0;
            solve(&lower, &unit)[j] / scale
        })
        .collect();
    let residual_sum_squares: f64 = (0..runs)
        .map(|run| {
            let fitted: f64 = (0..k).map(|j| coefficients[j] * columns[j][run]).sum();
            (y[run] - fitted) * (y[run] - fitted)
        })
        .sum();
    let total_sum_squares = dot(y, y);
    let r_squared = (1.0 - residual_sum_squares / total_sum_squares).clamp(0.0, 1.0);
    Some(Fit {
        coefficients,
        inverse_diagonal,
        residual_sum_squares,
        r_squared,
    })
}

fn dot(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

/// Lower triangular `L` with `L Lᵀ = matrix`, for a symmetric matrix with unit diagonal; `None` when
/// a pivot falls below [`SINGULAR_TOLERANCE`] (or is not a number).
fn cholesky(matrix: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = matrix.len();
    let mut lower = vec![vec![0.0; k]; k];
    for j in 0..k {
        let pivot = matrix[j][j] - (0..j).map(|m| lower[j][m] * lower[j][m]).sum::<f64>();
        if pivot.is_nan() || pivot <= SINGULAR_TOLERANCE {
            return None;
        }
        lower[j][j] = pivot.sqrt();
        for i in j + 1..k {
            let partial: f64 = (0..j).map(|m| lower[i][m] * lower[j][m]).sum();
            lower[i][j] = (matrix[i][j] - partial) / lower[j][j];
        }
    }
    Some(lower)
}

/// Solves `L Lᵀ x = right` by forward then back substitution.
fn solve(lower: &[Vec<f64>], right: &[f64]) -> Vec<f64> {
    let k = right.len();
    let mut forward = vec![0.0; k];
    for i in 0..k {
        let partial: f64 = (0..i).map(|m| lower[i][m] * forward[m]).sum();
        forward[i] = (right[i] - partial) / lower[i][i];
    }
    let mut x = vec![0.0; k];
    for i in (0..k).rev() {
        let partial: f64 = (i + 1..k).map(|m| lower[m][i] * x[m]).sum();
        x[i] = (forward[i] - partial) / lower[i][i];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::farm::lhs::{full_factorial, latin_hypercube};
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    fn coefficients(regression: &RankRegression) -> Vec<f64> {
        regression.effects.iter().map(|e| e.coefficient).collect()
    }

    fn outcome(design: &[Vec<f64>], f: impl Fn(&[f64]) -> Option<f64>) -> Vec<Option<f64>> {
        design.iter().map(|row| f(row)).collect()
    }

    #[test]
    fn a_monotone_function_of_one_factor_has_coefficient_one() {
        let design = latin_hypercube(33, 5, 1);
        let fit = rank_regression(&design, &outcome(&design, |x| Some(x[0].powi(3)))).unwrap();
        assert!(close(fit.effects[0].coefficient, 1.0, 1e-12));
        assert!(
            fit.effects[1..]
                .iter()
                .all(|e| close(e.coefficient, 0.0, 1e-12))
        );
        assert!(close(fit.r_squared, 1.0, 1e-12));
        assert_eq!(ranking(&fit.effects)[0], 0);
        assert_eq!((fit.runs, fit.censored), (33, 0));
    }

    #[test]
    fn a_decreasing_function_has_coefficient_minus_one() {
        let design = full_factorial(&[3, 4, 5]);
        let fit = rank_regression(&design, &outcome(&design, |x| Some(-x[1]))).unwrap();
        assert!(close(fit.effects[1].coefficient, -1.0, 1e-12));
        assert!(close(fit.effects[0].coefficient, 0.0, 1e-12));
        assert!(close(fit.effects[2].coefficient, 0.0, 1e-12));
        assert_eq!(ranking(&fit.effects)[0], 1);
    }

    #[test]
    fn two_factors_weighted_two_to_one() {
        // Balanced two-level factors: y takes 4 values equally often, so its average ranks are an
        // exact linear function of 2·x0 + x1 and the coefficients are exactly 2/√5 and 1/√5.
        let design = full_factorial(&[2, 2, 5]);
        let fit = rank_regression(&design, &outcome(&design, |x| Some(2.0 * x[0] + x[1]))).unwrap();
        let got = coefficients(&fit);
        let root5 = 5.0_f64.sqrt();
        assert!(
            close(got[0], 2.0 / root5, 1e-12) && close(got[1], 1.0 / root5, 1e-12),
            "{got:?}"
        );
        assert!(close(got[2], 0.0, 1e-12));
        assert!(close(fit.r_squared, 1.0, 1e-12));
        assert_eq!(ranking(&fit.effects), vec![0, 1, 2]);
    }

    #[test]
    fn noise_factors_have_intervals_around_zero() {
        let design = latin_hypercube(65, 6, 3);
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let y: Vec<Option<f64>> = design
            .iter()
            .map(|x| Some(x[0] + 0.4 * (rng.random::<f64>() - 0.5)))
            .collect();
        let fit = rank_regression(&design, &y).unwrap();
        let real = fit.effects[0];
        assert!(real.ci95_low > 0.5, "{real:?}");
        let covering = fit.effects[1..]
            .iter()
            .filter(|e| e.ci95_low < 0.0 && e.ci95_high > 0.0);
        assert!(covering.count() >= 4, "{:?}", fit.effects);
        assert!(
            fit.effects
                .iter()
                .all(|e| e.std_error > 0.0 && e.std_error < 0.2)
        );
    }

    #[test]
    fn matches_a_hand_computation_on_five_runs() {
        // Computed independently with exact fractions: outcome ranks 1, 5, 2.5, 4, 2.5 (the censored
        // run on top, the two 2.0 tied); centred-rank slopes −23/64 and 31/64, RSS 483/128, TSS 19/2.
        let factors = vec![
            vec![3.0, 2.0],
            vec![1.0, 7.0],
            vec![4.0, 1.0],
            vec![1.5, 8.0],
            vec![9.0, 2.5],
        ];
        let y = [Some(1.2), None, Some(2.0), Some(5.5), Some(2.0)];
        let fit = rank_regression(&factors, &y).unwrap();
        assert_eq!((fit.runs, fit.censored), (5, 1));
        let scale = (20.0_f64 / 19.0).sqrt(); // sd of factor ranks over sd of outcome ranks
        assert!(close(
            fit.effects[0].coefficient,
            -23.0 / 64.0 * scale,
            1e-14
        ));
        assert!(close(
            fit.effects[1].coefficient,
            31.0 / 64.0 * scale,
            1e-14
        ));
        assert!(close(fit.effects[0].std_error, 0.5570597668846486, 1e-14));
        assert!(close(fit.effects[1].std_error, 0.5570597668846486, 1e-14));
        assert!(close(fit.r_squared, 733.0 / 1216.0, 1e-14));
        let t = student_t_quantile(0.975, 2.0);
        assert!(close(t, 4.302652729749464, 1e-9));
        let e = fit.effects[1];
        assert_eq!(
            (e.ci95_low, e.ci95_high),
            (
                e.coefficient - t * e.std_error,
                e.coefficient + t * e.std_error
            )
        );
    }

    #[test]
    fn a_factor_that_decides_whether_the_event_happens_is_strongly_positive() {
        let design = latin_hypercube(33, 3, 5);
        let y = outcome(
            &design,
            |x| if x[0] > 0.5 { None } else { Some(0.1 * x[1]) },
        );
        let fit = rank_regression(&design, &y).unwrap();
        assert_eq!(fit.censored, 16);
        assert!(fit.effects[0].coefficient > 0.8, "{:?}", fit.effects);
        assert!(fit.effects[0].ci95_low > 0.0);
        assert_eq!(ranking(&fit.effects)[0], 0);
    }

    #[test]
    fn same_inputs_same_bits() {
        let design = latin_hypercube(17, 4, 2);
        let y = outcome(&design, |x| Some(x[0] - x[2] * x[3]));
        let bits = |fit: RankRegression| -> Vec<u64> {
            fit.effects
                .iter()
                .flat_map(|e| [e.coefficient, e.std_error, e.ci95_low])
                .map(f64::to_bits)
                .collect()
        };
        assert_eq!(
            bits(rank_regression(&design, &y).unwrap()),
            bits(rank_regression(&design, &y).unwrap())
        );
    }

    #[test]
    fn reasons_there_is_no_regression() {
        let design = full_factorial(&[3, 3]);
        assert_eq!(
            rank_regression(&design, &[None; 9]),
            Err(NoRegression::EveryRunCensored)
        );
        assert_eq!(
            rank_regression(&design, &[Some(4.0); 9]),
            Err(NoRegression::ConstantOutcome)
        );
        let short = rank_regression(&design[..3], &[Some(1.0), Some(2.0), Some(3.0)]);
        assert_eq!(short, Err(NoRegression::TooFewRuns { runs: 3, needed: 4 }));
        let y: Vec<Option<f64>> = (0..9).map(|i| Some(i as f64)).collect();
        let flat: Vec<Vec<f64>> = design.iter().map(|x| vec![x[0], 1.0, x[1]]).collect();
        assert_eq!(
            rank_regression(&flat, &y),
            Err(NoRegression::ConstantFactor { factor: 1 })
        );
        let twins: Vec<Vec<f64>> = design
            .iter()
            .map(|x| vec![x[0], x[1], 5.0 - 2.0 * x[0]])
            .collect();
        assert_eq!(rank_regression(&twins, &y), Err(NoRegression::Singular));
        assert_eq!(
            rank_regression(&[], &[]),
            Err(NoRegression::TooFewRuns { runs: 0, needed: 2 })
        );
    }

    #[test]
    fn uneven_inputs_use_what_every_run_has() {
        let design = full_factorial(&[3, 3]);
        let y: Vec<Option<f64>> = design.iter().map(|x| Some(x[0])).collect();
        // One outcome fewer than design rows; an extra value on one row.
        let mut rows = design.clone();
        rows[2].push(7.0);
        let fit = rank_regression(&rows, &y[..8]).unwrap();
        assert_eq!((fit.runs, fit.effects.len()), (8, 2));
        // No factors: nothing to explain with.
        let none = rank_regression(&vec![Vec::new(); 4], &y[..4]).unwrap();
        assert_eq!((none.effects.len(), none.r_squared), (0, 0.0));
    }

    #[test]
    fn messages_are_plain_words() {
        let short = NoRegression::TooFewRuns { runs: 3, needed: 7 };
        assert_eq!(
            short.to_string(),
            "too few runs for a regression: 3, at least 7 needed"
        );
        assert_eq!(
            NoRegression::EveryRunCensored.to_string(),
            "every run censored: the event never happened"
        );
        let flat = NoRegression::ConstantFactor { factor: 2 };
        assert_eq!(
            flat.to_string(),
            "factor 2 takes the same value in every run"
        );
    }

    #[test]
    fn average_ranks_share_ties_and_put_censored_runs_on_top() {
        let ranks = average_ranks(&[Some(3.0), Some(1.0), Some(3.0), None, None]);
        assert_eq!(ranks, vec![2.5, 1.0, 2.5, 4.5, 4.5]);
        assert_eq!(
            average_ranks(&[Some(2.0), Some(-1.0), Some(7.0)]),
            vec![2.0, 1.0, 3.0]
        );
        assert_eq!(
            average_ranks(&[None, Some(0.0), Some(-0.0)]),
            vec![3.0, 1.5, 1.5]
        );
        assert!(average_ranks(&[]).is_empty());
        // NaN is a bug upstream: it ranks on top of the numbers, below censored runs, without a panic.
        assert_eq!(
            average_ranks(&[Some(f64::NAN), None, Some(1.0)]),
            vec![2.0, 3.0, 1.0]
        );
    }

    #[test]
    fn ranking_orders_by_magnitude_then_index() {
        let effect = |coefficient| Effect {
            coefficient,
            std_error: 0.0,
            ci95_low: 0.0,
            ci95_high: 0.0,
        };
        let effects = [0.1, -0.5, 0.5, f64::NAN, 0.0].map(effect);
        assert_eq!(ranking(&effects), vec![1, 2, 0, 4, 3]);
        assert!(ranking(&[]).is_empty());
    }
}
