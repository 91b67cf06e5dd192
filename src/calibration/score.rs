//! Scores of an ensemble against one observation: percentile bands with censoring, the continuous
//! ranked probability score (CRPS) and the interval score (Gneiting & Raftery 2007).
//!
//! A day that never came in a run is censored: it happened after the run's last day. Percentiles
//! rank such runs after every day observed, and a percentile that falls among them is `None` ("not
//! reached by the end"). The scores need numbers: a censored run counts as the day after the end
//! (`censor_day`), a lower bound, so a model that never gets there is scored as if it got there just
//! after the end — flattering it; the report says how many runs were censored.

use crate::ensemble::percentile_type7;

/// The 5, 50 and 95 % points of `values` (type 7), with censored runs (`None`) ranked last; a
/// percentile that interpolates into a censored run is `None`.
pub fn band(values: &[Option<f64>]) -> [Option<f64>; 3] {
    let mut sorted: Vec<f64> = values.iter().map(|v| v.unwrap_or(f64::INFINITY)).collect();
    sorted.sort_by(f64::total_cmp);
    [0.05, 0.5, 0.95].map(|p| percentile_type7(&sorted, p).filter(|v| v.is_finite()))
}

/// The values with censored runs replaced by `censor_day`, sorted.
pub fn filled(values: &[Option<f64>], censor_day: f64) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().map(|v| v.unwrap_or(censor_day)).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// CRPS of the empirical distribution of `sorted` (ascending) at the observation `y`:
/// mean |X − y| − ½ mean |X − X'|, in the units of the values (days). 0 is a perfect, sharp
/// forecast; lower is better. `None` for no values.
pub fn crps(sorted: &[f64], y: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let spread_to_obs: f64 = sorted.iter().map(|x| (x - y).abs()).sum::<f64>() / nf;
    // Σ_i Σ_j |x_i − x_j| = 2 Σ_i (2i − n − 1) x_(i), i from 1, on sorted values.
    let pairs: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - nf - 1.0) * x)
        .sum::<f64>()
        * 2.0;
    Some(spread_to_obs - pairs / (2.0 * nf * nf))
}

/// Interval score of the central (1 − alpha) interval [low, high] at `y`: its width plus 2/alpha
/// times how far `y` falls outside it. Lower is better; a wide band is penalised by its width, a
/// miss by its distance.
pub fn interval_score(low: f64, high: f64, y: f64, alpha: f64) -> f64 {
    let below = if y < low { low - y } else { 0.0 };
    let above = if y > high { y - high } else { 0.0 };
    (high - low) + 2.0 / alpha * (below + above)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crps_of_worked_examples() {
        // One member: CRPS is the absolute error.
        assert_eq!(crps(&[10.0], 7.0), Some(3.0));
        // Members 0 and 10, observation 5: mean |X − y| = 5, ½ mean |X − X'| = ½ · 10/2 = 2.5.
        assert_eq!(crps(&[0.0, 10.0], 5.0), Some(2.5));
        assert_eq!(crps(&[], 5.0), None);
    }

    #[test]
    fn interval_score_and_censored_band() {
        assert_eq!(interval_score(10.0, 20.0, 15.0, 0.1), 10.0);
        assert_eq!(interval_score(10.0, 20.0, 25.0, 0.1), 10.0 + 20.0 * 5.0);
        let values: Vec<Option<f64>> = (1..=19).map(|d| Some(f64::from(d))).chain([None]).collect();
        let [p5, p50, p95] = band(&values);
        assert!(p5.is_some_and(|p| (p - 1.95).abs() < 1e-9), "{p5:?}");
        assert_eq!(p50, Some(10.5));
        assert_eq!(p95, None, "interpolates into the censored run");
    }
}
