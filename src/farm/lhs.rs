//! Nearly orthogonal, space-filling Latin hypercubes and full factorials in the unit cube.
//!
//! A data-farming design must let the sensitivity analysis tell factors apart: if two factor columns
//! are correlated, their effects blur into each other. The NPS SEED Center's nearly orthogonal Latin
//! hypercubes (Cioppa & Lucas 2007) answer this with designs whose pairwise column correlations stay
//! below 0.03 while the points still spread through the whole cube. Their tables only exist for a
//! few sizes, so this module searches for such a design at any size instead: random Latin columns,
//! then swaps inside a column that lower the correlations, then swaps that push the closest points
//! apart without letting any correlation rise above a cap. Every draw descends from one ChaCha8
//! stream seeded with the design's seed and the work is counted in moves (never in time), so the
//! same inputs give the same bits on any machine and in any build.
//!
//! Designs live in the unit cube; the caller maps them to factor values and measures the values it
//! really uses with [`design_quality`]. Rounding an integer factor with few values to choose from
//! can spoil the orthogonality; [`arrange_columns`] runs the same search on the values themselves.

mod search;

use search::best_arrangement;

/// One design: rows are points, columns are factors, every value in [0, 1].
pub type UnitDesign = Vec<Vec<f64>>;

/// A nearly orthogonal, space-filling Latin hypercube of `points` rows and `factors` columns.
///
/// Every column is a permutation of the `points` equally spaced levels `0, 1/(points-1), …, 1`
/// (a single point sits at 0.5). The search aims for a largest absolute pairwise column correlation
/// of at most 0.02 and, within that, the largest smallest distance between points; where the size
/// makes that impossible (5 points cannot hold 8 uncorrelated columns) it returns the least
/// correlated design it found. `points == 0` gives no rows; `factors == 0` gives `points` empty
/// rows. Deterministic in `seed`; the work is bounded (about 12 ms in a release build and 110 ms in
/// a debug build for 129 × 22).
pub fn latin_hypercube(points: usize, factors: usize, seed: u64) -> UnitDesign {
    if points < 2 || factors == 0 {
        return vec![vec![0.5; factors]; points];
    }
    // The search runs on the levels as the integers 2i − (points − 1): correlations and scaled
    // distances do not change under that affine map, and on integers every dot product it keeps
    // is exact.
    let offset = (points - 1) as f64;
    let levels: Vec<f64> = (0..points).map(|i| 2.0 * i as f64 - offset).collect();
    let arranged = best_arrangement(vec![levels; factors], seed);
    let unit = |v: f64| (v + offset) / 2.0 / offset;
    rows_of(&arranged)
        .into_iter()
        .map(|row| row.into_iter().map(unit).collect())
        .collect()
}

/// The general form of [`latin_hypercube`]: reorders the given values of every column into a nearly
/// orthogonal, space-filling design, returned as rows (points) of columns (factors).
///
/// Column `f` of the result holds exactly the values of `columns[f]`, reordered, so a caller can
/// pass the factor values it will really use (say the equally spaced levels mapped to an integer
/// range and rounded) and get the correlations of those values optimized rather than of the
/// unrounded ones. Correlations are Pearson's on the values; distances are measured after scaling
/// each column to [0, 1]. A column that is constant or holds a non-finite value is shuffled but
/// plays no part in either. Points are as many as the shortest column holds (extra values are
/// dropped); no columns gives no rows. Deterministic in `seed`.
pub fn arrange_columns(columns: &[Vec<f64>], seed: u64) -> Vec<Vec<f64>> {
    let points = columns.iter().map(Vec::len).min().unwrap_or(0);
    let columns: Vec<Vec<f64>> = columns.iter().map(|c| c[..points].to_vec()).collect();
    rows_of(&best_arrangement(columns, seed))
}

/// Rows of a column-major table whose columns all have the same length.
fn rows_of(columns: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let points = columns.first().map_or(0, Vec::len);
    (0..points)
        .map(|r| columns.iter().map(|c| c[r]).collect())
        .collect()
}

/// Every combination of `levels[f]` equally spaced levels (0, 1/(L-1), ..., 1; a single level is
/// 0.5) per factor, first factor varying slowest.
///
/// A factor with 0 levels leaves no combination (no rows); no factors at all gives one empty row
/// (the one empty combination). If the number of combinations overflows `usize` there are no rows;
/// keeping the size sensible is the caller's job.
pub fn full_factorial(levels: &[usize]) -> UnitDesign {
    let Some(count) = levels
        .iter()
        .try_fold(1_usize, |acc, &l| acc.checked_mul(l))
    else {
        return Vec::new();
    };
    (0..count)
        .map(|index| {
            // Mixed-radix digits of `index`, the last factor the fastest.
            let mut rest = index;
            let mut row = vec![0.0; levels.len()];
            for (value, &l) in row.iter_mut().zip(levels).rev() {
                *value = level_value(rest % l, l);
                rest /= l;
            }
            row
        })
        .collect()
}

/// Level `level` of `levels` equally spaced levels in [0, 1] (a single level: the middle, 0.5).
pub fn level_value(level: usize, levels: usize) -> f64 {
    if levels < 2 {
        0.5
    } else {
        level as f64 / (levels - 1) as f64
    }
}

/// Quality of a design, measured on whatever values it holds (the caller passes the factor values
/// actually used, possibly rounded integers, or unit values).
#[derive(Debug, Clone, PartialEq)]
pub struct DesignQuality {
    /// Largest absolute Pearson correlation between two columns; 0 with fewer than two columns.
    pub max_abs_correlation: f64,
    /// The first pair `(a, b)`, `a < b`, with that correlation; `None` with fewer than two columns.
    pub worst_pair: Option<(usize, usize)>,
    /// Smallest Euclidean distance between two rows once each column is scaled to [0, 1] by its own
    /// minimum and maximum; 0 with fewer than two rows.
    pub min_distance: f64,
}

/// Pearson correlations between every pair of columns and the smallest distance between rows.
///
/// The columns are as many as the shortest row holds. A column that is constant, or that holds a
/// non-finite value, correlates 0 with everything and adds nothing to distances: such a column
/// tells the analysis nothing, and a quality figure must stay a finite number. Sums run in row
/// order, so the result is bit-reproducible.
pub fn design_quality(rows: &[Vec<f64>]) -> DesignQuality {
    let factors = rows.iter().map(Vec::len).min().unwrap_or(0);
    let columns: Vec<Vec<f64>> = (0..factors)
        .map(|c| rows.iter().map(|row| row[c]).collect())
        .collect();
    let usable: Vec<&Vec<f64>> = columns.iter().filter(|c| plays_a_part(c)).collect();
    let centred: Vec<Option<Vec<f64>>> = columns
        .iter()
        .map(|c| plays_a_part(c).then(|| centre(c)))
        .collect();
    let mut max_abs_correlation = 0.0;
    let mut worst_pair = None;
    for a in 0..factors {
        for b in a + 1..factors {
            let rho = match (&centred[a], &centred[b]) {
                (Some(x), Some(y)) => correlation(x, y).abs(),
                _ => 0.0,
            };
            if worst_pair.is_none() || rho > max_abs_correlation {
                (max_abs_correlation, worst_pair) = (rho, Some((a, b)));
            }
        }
    }
    let scaled: Vec<Vec<f64>> = usable.iter().map(|c| scale_to_unit(c)).collect();
    DesignQuality {
        max_abs_correlation,
        worst_pair,
        min_distance: min_distance(&scaled, rows.len()),
    }
}

/// Pearson correlation of two centred, non-constant columns, clamped to [-1, 1] against rounding.
fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let (mut xy, mut xx, mut yy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        xy += a * b;
        xx += a * a;
        yy += b * b;
    }
    let rho = xy / (xx * yy).sqrt();
    if rho.is_finite() {
        rho.clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

/// Whether a column can take part in correlations and distances: finite and not constant.
fn plays_a_part(column: &[f64]) -> bool {
    let Some(&first) = column.first() else {
        return false;
    };
    column.iter().all(|v| v.is_finite()) && column.iter().any(|&v| v != first)
}

fn centre(column: &[f64]) -> Vec<f64> {
    let mean = column.iter().sum::<f64>() / column.len() as f64;
    column.iter().map(|v| v - mean).collect()
}

fn scale_to_unit(column: &[f64]) -> Vec<f64> {
    let low = column.iter().copied().fold(f64::INFINITY, f64::min);
    let high = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    column.iter().map(|v| (v - low) / (high - low)).collect()
}

/// Smallest Euclidean distance between two of `rows` rows, over the given (scaled) columns.
fn min_distance(columns: &[Vec<f64>], rows: usize) -> f64 {
    if rows < 2 {
        return 0.0;
    }
    let mut smallest = f64::INFINITY;
    for a in 0..rows {
        for b in a + 1..rows {
            let d2: f64 = columns.iter().map(|c| (c[a] - c[b]) * (c[a] - c[b])).sum();
            smallest = smallest.min(d2);
        }
    }
    smallest.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sizes of the classic NOLH tables (Cioppa & Lucas), and a few between them.
    const SIZES: [(usize, usize); 6] = [(17, 7), (33, 11), (65, 16), (129, 22), (33, 8), (40, 10)];

    fn column(design: &[Vec<f64>], c: usize) -> Vec<f64> {
        design.iter().map(|row| row[c]).collect()
    }

    fn assert_latin(design: &[Vec<f64>], points: usize, factors: usize) {
        assert_eq!(design.len(), points);
        let levels: Vec<u64> = (0..points)
            .map(|i| level_value(i, points).to_bits())
            .collect();
        for c in 0..factors {
            let mut got: Vec<u64> = column(design, c).iter().map(|v| v.to_bits()).collect();
            got.sort_unstable_by(|a, b| f64::from_bits(*a).total_cmp(&f64::from_bits(*b)));
            assert_eq!(got, levels, "column {c} of {points} x {factors}");
        }
    }

    fn bits(design: &[Vec<f64>]) -> Vec<Vec<u64>> {
        design
            .iter()
            .map(|row| row.iter().map(|v| v.to_bits()).collect())
            .collect()
    }

    #[test]
    fn every_column_is_a_permutation_of_the_levels() {
        for (points, factors) in [(2, 3), (5, 8), (9, 4), (17, 7), (40, 10)] {
            let design = latin_hypercube(points, factors, 11);
            assert!(design.iter().all(|row| row.len() == factors));
            assert_latin(&design, points, factors);
        }
    }

    #[test]
    fn same_seed_gives_the_same_bits_and_another_seed_another_design() {
        let first = latin_hypercube(33, 11, 7);
        assert_eq!(bits(&first), bits(&latin_hypercube(33, 11, 7)));
        assert_ne!(bits(&first), bits(&latin_hypercube(33, 11, 8)));
    }

    #[test]
    fn classic_sizes_are_nearly_orthogonal() {
        for (points, factors) in SIZES {
            let quality = design_quality(&latin_hypercube(points, factors, 1));
            assert!(
                quality.max_abs_correlation <= 0.03,
                "{points} x {factors}: {quality:?}"
            );
        }
    }

    #[test]
    fn several_seeds_stay_nearly_orthogonal() {
        for seed in [2, 3, 4] {
            for (points, factors) in [(17, 7), (33, 11)] {
                let quality = design_quality(&latin_hypercube(points, factors, seed));
                assert!(
                    quality.max_abs_correlation <= 0.03,
                    "seed {seed}: {quality:?}"
                );
            }
        }
    }

    /// Columns of the integer levels the search runs on, unshuffled.

    #[test]
    fn arranged_columns_keep_their_values() {
        let columns = vec![
            vec![3.0, 1.0, 1.0, 2.0, 5.0],
            vec![0.5; 5],
            vec![9.0, 8.0, f64::NAN, 6.0, 5.0],
        ];
        let rows = arrange_columns(&columns, 2);
        assert_eq!(rows.len(), 5);
        for (c, given) in columns.iter().enumerate() {
            let mut got: Vec<f64> = rows.iter().map(|row| row[c]).collect();
            let mut want = given.clone();
            got.sort_by(f64::total_cmp);
            want.sort_by(f64::total_cmp);
            assert_eq!(bits(&[got]), bits(&[want]), "column {c}");
        }
        let ragged = arrange_columns(&[vec![1.0, 2.0, 3.0], vec![4.0, 5.0]], 1);
        assert_eq!(ragged.len(), 2);
        assert!(arrange_columns(&[], 1).is_empty());
        assert_eq!(
            arrange_columns(&[vec![7.0], vec![8.0]], 1),
            vec![vec![7.0, 8.0]]
        );
    }

    #[test]
    fn arranging_rounded_values_beats_rounding_an_arranged_design() {
        // 33 points of a factor with five integer values (1..=5) and of one with 31 (10..=40).
        let rounded = |u: f64, low: f64, high: f64| (low + u * (high - low)).round();
        let ranges = [
            (1.0, 5.0),
            (10.0, 40.0),
            (1.0, 5.0),
            (0.0, 3.0),
            (10.0, 40.0),
            (1.0, 5.0),
        ];
        let design = latin_hypercube(33, ranges.len(), 3);
        let after: Vec<Vec<f64>> = design
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&ranges)
                    .map(|(&u, &(lo, hi))| rounded(u, lo, hi))
                    .collect()
            })
            .collect();
        let columns: Vec<Vec<f64>> = ranges
            .iter()
            .map(|&(lo, hi)| {
                (0..33)
                    .map(|i| rounded(level_value(i, 33), lo, hi))
                    .collect()
            })
            .collect();
        let rounded_after = design_quality(&after);
        let arranged = design_quality(&arrange_columns(&columns, 3));
        assert!(arranged.max_abs_correlation <= 0.03, "{arranged:?}");
        assert!(
            arranged.max_abs_correlation < rounded_after.max_abs_correlation,
            "{rounded_after:?}"
        );
    }

    #[test]
    fn impossible_targets_give_the_best_found_without_panicking() {
        let design = latin_hypercube(5, 8, 3);
        assert_latin(&design, 5, 8);
        assert!(design_quality(&design).max_abs_correlation < 1.0);
        // Two points: every pair of columns is perfectly (anti)correlated.
        assert_eq!(
            design_quality(&latin_hypercube(2, 3, 3)).max_abs_correlation,
            1.0
        );
    }

    #[test]
    fn degenerate_sizes() {
        assert!(latin_hypercube(0, 4, 1).is_empty());
        assert_eq!(latin_hypercube(3, 0, 1), vec![Vec::<f64>::new(); 3]);
        assert_eq!(latin_hypercube(1, 3, 1), vec![vec![0.5; 3]]);
    }

    #[test]
    fn full_factorial_counts_levels_and_order() {
        let design = full_factorial(&[3, 2]);
        let expected = [
            [0.0, 0.0],
            [0.0, 1.0],
            [0.5, 0.0],
            [0.5, 1.0],
            [1.0, 0.0],
            [1.0, 1.0],
        ];
        assert_eq!(design, expected.map(Vec::from).to_vec());
        assert_eq!(full_factorial(&[4, 3, 5]).len(), 60);
        assert_eq!(
            full_factorial(&[1, 2]),
            vec![vec![0.5, 0.0], vec![0.5, 1.0]]
        );
    }

    #[test]
    fn full_factorial_columns_are_exactly_uncorrelated() {
        let quality = design_quality(&full_factorial(&[3, 4, 2, 5]));
        assert_eq!(quality.max_abs_correlation, 0.0);
        assert_eq!(quality.worst_pair, Some((0, 1)));
        // Neighbours differ by one step of the finest factor: 1/(5 - 1) scaled... to [0, 1].
        assert!((quality.min_distance - 0.25).abs() < 1e-15);
    }

    #[test]
    fn full_factorial_degenerate_levels() {
        assert_eq!(full_factorial(&[]), vec![Vec::<f64>::new()]);
        assert!(full_factorial(&[3, 0]).is_empty());
        assert!(full_factorial(&[usize::MAX, 2]).is_empty());
    }

    #[test]
    fn quality_of_identical_and_reversed_columns() {
        let rows = vec![
            vec![1.0, 5.0, 1.0, 9.0],
            vec![2.0, 3.0, 2.0, 8.0],
            vec![3.0, 4.0, 3.0, 7.0],
            vec![4.0, 1.0, 4.0, 6.0],
        ];
        let quality = design_quality(&rows);
        assert_eq!(quality.max_abs_correlation, 1.0);
        assert_eq!(
            quality.worst_pair,
            Some((0, 2)),
            "the first of the tied pairs"
        );
        let reversed = vec![vec![1.0, 3.0], vec![2.0, 2.0], vec![3.0, 1.0]];
        let quality = design_quality(&reversed);
        assert!((quality.max_abs_correlation - 1.0).abs() < 1e-15);
        assert_eq!(quality.worst_pair, Some((0, 1)));
    }

    #[test]
    fn quality_of_a_known_correlation_and_distance() {
        // x = 1..4, y = (1, 3, 2, 4): r = 0.8; scaled rows (0,0) (1/3,2/3) (2/3,1/3) (1,1).
        let rows = vec![
            vec![1.0, 1.0],
            vec![2.0, 3.0],
            vec![3.0, 2.0],
            vec![4.0, 4.0],
        ];
        let quality = design_quality(&rows);
        assert!((quality.max_abs_correlation - 0.8).abs() < 1e-15);
        let expected = (2.0_f64 / 9.0).sqrt(); // between rows 1 and 2, and rows 2 and 4
        assert!((quality.min_distance - expected).abs() < 1e-15);
    }

    #[test]
    fn quality_of_degenerate_designs() {
        let empty = design_quality(&[]);
        assert_eq!(
            (
                empty.max_abs_correlation,
                empty.worst_pair,
                empty.min_distance
            ),
            (0.0, None, 0.0)
        );
        let one_row = design_quality(&[vec![0.2, 0.7]]);
        assert_eq!(
            (one_row.max_abs_correlation, one_row.min_distance),
            (0.0, 0.0)
        );
        let one_column = design_quality(&[vec![0.0], vec![3.0]]);
        assert_eq!(
            (one_column.worst_pair, one_column.min_distance),
            (None, 1.0)
        );
        // Constant and non-finite columns correlate 0 and add nothing to distances.
        let odd = vec![
            vec![1.0, 7.0, f64::NAN],
            vec![2.0, 7.0, 1.0],
            vec![4.0, 7.0, 2.0],
        ];
        let quality = design_quality(&odd);
        assert_eq!(quality.max_abs_correlation, 0.0);
        assert!((quality.min_distance - 1.0 / 3.0).abs() < 1e-15);
        // Ragged rows: only the columns every row has.
        let ragged = design_quality(&[vec![0.0, 1.0, 5.0], vec![1.0, 0.0]]);
        assert_eq!(ragged.worst_pair, Some((0, 1)));
        assert!((ragged.min_distance - 2.0_f64.sqrt()).abs() < 1e-15);
    }
}
