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

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One design: rows are points, columns are factors, every value in [0, 1].
pub type UnitDesign = Vec<Vec<f64>>;

/// The decorrelation stage stops once every |correlation| is at or below this.
const DECORRELATION_GOAL: f64 = 0.01;
/// The spreading stage may let correlations rise up to this (or to what decorrelation reached, if
/// higher): a margin under the NOLH criterion of 0.03 for the rounding of integer factors.
const SPREAD_CORRELATION_CAP: f64 = 0.02;
/// Moves tried per design entry (point × factor) by each stage, within the work caps below.
const DECORRELATE_MOVES_PER_ENTRY: usize = 100;
const SPREAD_MOVES_PER_ENTRY: usize = 50;
/// Work caps per restart, in elementary updates (a decorrelation move costs `factors`, a spreading
/// move `points`): they bound the time of large designs.
const DECORRELATE_WORK: usize = 6_000_000;
const SPREAD_WORK: usize = 8_000_000;
/// Restarts run while their total work stays within this, between one and `MAX_RESTARTS`.
const TOTAL_WORK: usize = 12_000_000;
const MAX_RESTARTS: usize = 3;
/// Above this many points the spreading stage (which keeps a points × points distance table) is
/// skipped: the design is still a decorrelated Latin hypercube.
const SPREAD_MAX_POINTS: usize = 1024;
/// Squared distances (in the unit cube) below this count as this in φ: two identical points, which
/// only columns with repeated values allow, then weigh hugely but finitely.
const MIN_DISTANCE2: f64 = 1e-12;

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

/// The best of a few restarts of the search, for columns of one length; with no columns or fewer
/// than two points there is nothing to search and the columns come back as they are.
fn best_arrangement(columns: Vec<Vec<f64>>, seed: u64) -> Vec<Vec<f64>> {
    let points = columns.first().map_or(0, Vec::len);
    if points < 2 || columns.iter().any(|c| c.len() != points) {
        return columns;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let plan = Plan::new(points, columns.len());
    let mut best: Option<Candidate> = None;
    for _ in 0..plan.restarts {
        let candidate = search(&columns, &plan, &mut rng);
        if best.as_ref().is_none_or(|b| candidate.beats(b)) {
            best = Some(candidate);
        }
    }
    best.map_or(columns, |b| b.search.values)
}

/// How many moves each stage tries, and how many restarts.
struct Plan {
    decorrelate_moves: usize,
    spread_moves: usize,
    restarts: usize,
}

impl Plan {
    fn new(points: usize, factors: usize) -> Self {
        let entries = points.saturating_mul(factors);
        let decorrelate_moves = (DECORRELATE_MOVES_PER_ENTRY.saturating_mul(entries))
            .min(DECORRELATE_WORK / factors.max(1));
        let spread_moves = if points > SPREAD_MAX_POINTS {
            0
        } else {
            (SPREAD_MOVES_PER_ENTRY.saturating_mul(entries)).min(SPREAD_WORK / points.max(1))
        };
        let work = decorrelate_moves * factors + spread_moves * points;
        let restarts = (TOTAL_WORK / work.max(1)).clamp(1, MAX_RESTARTS);
        Plan {
            decorrelate_moves,
            spread_moves,
            restarts,
        }
    }
}

/// One restart's result, with what decides between restarts.
struct Candidate {
    search: Search,
    max_abs_correlation: f64,
    /// Smallest squared distance between two points in the unit cube; `None` when not measured.
    min_distance2: Option<f64>,
}

impl Candidate {
    /// Within the cap the wider spread wins; otherwise the lower correlation. Ties keep the earlier.
    fn beats(&self, other: &Candidate) -> bool {
        let cap = SPREAD_CORRELATION_CAP;
        if self.max_abs_correlation <= cap && other.max_abs_correlation <= cap {
            self.min_distance2 > other.min_distance2
        } else {
            self.max_abs_correlation < other.max_abs_correlation
        }
    }
}

fn search(columns: &[Vec<f64>], plan: &Plan, rng: &mut ChaCha8Rng) -> Candidate {
    let mut search = Search::shuffled(columns, rng);
    let mut source = MoveSource(rng.random::<u64>());
    decorrelate(&mut search, &mut source, plan.decorrelate_moves);
    let cap = search.max_abs_correlation().max(SPREAD_CORRELATION_CAP);
    let min_distance2 =
        (plan.spread_moves > 0).then(|| spread(&mut search, &mut source, plan.spread_moves, cap));
    Candidate {
        max_abs_correlation: search.max_abs_correlation(),
        min_distance2,
        search,
    }
}

/// A design under search, column by column, with every pairwise dot product kept current.
struct Search {
    points: usize,
    factors: usize,
    /// `values[c][r]`: the column's values, in the order the search has reached.
    values: Vec<Vec<f64>>,
    /// The values minus the column's mean (all 0 for a column that plays no part).
    centred: Vec<Vec<f64>>,
    /// The values scaled to [0, 1] by the column's minimum and maximum (or all 0).
    scaled: Vec<Vec<f64>>,
    /// One over the square root of the column's centred sum of squares (or 0), so that a dot
    /// product times the two columns' factors is their correlation.
    inverse_norm: Vec<f64>,
    /// `dots[a * factors + b]`: dot product of the centred columns `a` and `b`.
    dots: Vec<f64>,
}

/// Exchanging the entries of rows `a` and `b` in one column: the move both stages use, since it
/// keeps every column's values.
#[derive(Clone, Copy)]
struct Swap {
    column: usize,
    a: usize,
    b: usize,
}

impl Search {
    /// Every column shuffled, then measured.
    fn shuffled(columns: &[Vec<f64>], rng: &mut ChaCha8Rng) -> Self {
        let values: Vec<Vec<f64>> = columns.iter().map(|c| shuffle(c, rng)).collect();
        let centred: Vec<Vec<f64>> = values.iter().map(|c| measure(c, centre)).collect();
        let scaled = values.iter().map(|c| measure(c, scale_to_unit)).collect();
        let factors = values.len();
        let mut dots = vec![0.0; factors * factors];
        for a in 0..factors {
            for b in a..factors {
                let dot = centred[a].iter().zip(&centred[b]).map(|(x, y)| x * y).sum();
                (dots[a * factors + b], dots[b * factors + a]) = (dot, dot);
            }
        }
        // A column that plays no part has sum of squares 0: its factor 0 keeps it out.
        let inverse_norm = (0..factors)
            .map(|c| dots[c * factors + c])
            .map(|norm: f64| if norm > 0.0 { 1.0 / norm.sqrt() } else { 0.0 })
            .collect();
        let points = values.first().map_or(0, Vec::len);
        Search {
            points,
            factors,
            values,
            centred,
            scaled,
            inverse_norm,
            dots,
        }
    }

    fn random_swap(&self, moves: &mut MoveSource) -> Swap {
        let column = moves.below(self.factors);
        let a = moves.below(self.points);
        let mut b = moves.below(self.points - 1);
        if b >= a {
            b += 1;
        }
        Swap { column, a, b }
    }

    /// Change of the dot product of `swap.column` with every column (0 for itself).
    fn dot_changes(&self, swap: Swap, out: &mut [f64]) {
        let moved = &self.centred[swap.column];
        let step = moved[swap.b] - moved[swap.a];
        for (j, change) in out.iter_mut().enumerate() {
            let other = &self.centred[j];
            *change = if j == swap.column {
                0.0
            } else {
                step * (other[swap.a] - other[swap.b])
            };
        }
    }

    /// The correlation of columns `a` and `b` if their dot product were `dot`.
    fn correlation(&self, a: usize, b: usize, dot: f64) -> f64 {
        dot * (self.inverse_norm[a] * self.inverse_norm[b])
    }

    fn apply(&mut self, swap: Swap, dot_changes: &[f64]) {
        let (c, a, b) = (swap.column, swap.a, swap.b);
        self.values[c].swap(a, b);
        self.centred[c].swap(a, b);
        self.scaled[c].swap(a, b);
        let k = self.factors;
        for (j, change) in dot_changes.iter().enumerate() {
            self.dots[c * k + j] += change;
            self.dots[j * k + c] += change;
        }
        // The loop also touched the diagonal entry with a zero change: harmless.
    }

    fn max_abs_correlation(&self) -> f64 {
        let k = self.factors;
        let mut worst: f64 = 0.0;
        for a in 0..k {
            for b in a + 1..k {
                worst = worst.max(self.correlation(a, b, self.dots[a * k + b]).abs());
            }
        }
        worst
    }
}

/// Whether a column can take part in correlations and distances: finite and not constant.
fn plays_a_part(column: &[f64]) -> bool {
    let Some(&first) = column.first() else {
        return false;
    };
    column.iter().all(|v| v.is_finite()) && column.iter().any(|&v| v != first)
}

/// Fisher–Yates on the ChaCha8 stream.
fn shuffle(column: &[f64], rng: &mut ChaCha8Rng) -> Vec<f64> {
    let mut column = column.to_vec();
    for i in (1..column.len()).rev() {
        let j = rng.random_range(0..=i as u64) as usize;
        column.swap(i, j);
    }
    column
}

/// `f(column)` for a column that plays a part, zeros for one that does not.
fn measure(column: &[f64], f: fn(&[f64]) -> Vec<f64>) -> Vec<f64> {
    if plays_a_part(column) {
        f(column)
    } else {
        vec![0.0; column.len()]
    }
}

fn centre(column: &[f64]) -> Vec<f64> {
    let mean = column.iter().sum::<f64>() / column.len() as f64;
    column.iter().map(|v| v - mean).collect()
}

/// SplitMix64 (Steele, Lea & Flood 2014), seeded from the ChaCha8 stream, proposes the search's
/// moves: in a debug build (where the tests run) a ChaCha8 draw costs more than judging the move.
struct MoveSource(u64);

impl MoveSource {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` by multiply-shift (bias below `bound / 2^64`).
    fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next()) * bound as u128) >> 64) as usize
    }
}

/// Greedy descent on the sum of fourth powers of the correlations: the fourth power weighs the
/// worst pairs most while every move stays O(factors) to judge. Moves that change nothing are
/// accepted too, so the search can drift along plateaus.
fn decorrelate(search: &mut Search, source: &mut MoveSource, moves: usize) {
    let k = search.factors;
    let mut changes = vec![0.0; k];
    let mut accepted = 0_usize;
    for _ in 0..moves {
        let swap = search.random_swap(source);
        search.dot_changes(swap, &mut changes);
        let c = swap.column;
        let (dots, inverse) = (&search.dots[c * k..(c + 1) * k], &search.inverse_norm);
        // Written out (no helper calls): this loop is most of the time in a debug build.
        let mut delta = 0.0;
        for j in 0..k {
            if j != c {
                let scale = inverse[c] * inverse[j];
                let (new, old) = ((dots[j] + changes[j]) * scale, dots[j] * scale);
                let (new2, old2) = (new * new, old * old);
                delta += new2 * new2 - old2 * old2;
            }
        }
        if delta <= 0.0 {
            search.apply(swap, &changes);
            accepted += 1;
            // Checking the goal costs O(factors²): only every few accepted moves.
            if accepted.is_multiple_of(32) && search.max_abs_correlation() <= DECORRELATION_GOAL {
                return;
            }
        }
    }
}

/// Greedy descent on the Morris–Mitchell criterion φ₁₆ (sum of inverse 16th powers of the
/// distances between points), which rewards pushing the closest points apart, accepting only swaps
/// that keep every |correlation| ≤ `cap`. Returns the smallest squared distance reached.
fn spread(search: &mut Search, source: &mut MoveSource, moves: usize, cap: f64) -> f64 {
    let (n, k) = (search.points, search.factors);
    let mut spacing = Spacing::new(search);
    let mut changes = vec![0.0; k];
    let (mut row_a, mut row_b) = (vec![0.0; n], vec![0.0; n]);
    for _ in 0..moves {
        let swap = search.random_swap(source);
        search.dot_changes(swap, &mut changes);
        let c = swap.column;
        let (dots, inverse) = (&search.dots[c * k..(c + 1) * k], &search.inverse_norm);
        let mut keeps_cap = true;
        for j in 0..k {
            if j != c && ((dots[j] + changes[j]) * (inverse[c] * inverse[j])).abs() > cap {
                keeps_cap = false;
                break;
            }
        }
        if keeps_cap && spacing.improves(search, swap, &mut row_a, &mut row_b) {
            search.apply(swap, &changes);
            spacing.set_rows(swap, &row_a, &row_b);
        }
    }
    spacing.min_distance2()
}

/// Squared distances between points in the unit cube and their φ terms, kept current under swaps.
struct Spacing {
    points: usize,
    distance2: Vec<f64>,
    potential: Vec<f64>,
}

impl Spacing {
    fn new(search: &Search) -> Self {
        let n = search.points;
        let mut distance2 = vec![0.0; n * n];
        for a in 0..n {
            for b in a + 1..n {
                let d2 = search
                    .scaled
                    .iter()
                    .map(|c| (c[a] - c[b]) * (c[a] - c[b]))
                    .sum();
                distance2[a * n + b] = d2;
                distance2[b * n + a] = d2;
            }
        }
        let potential = distance2.iter().map(|&d2| inverse_16th(d2)).collect();
        Spacing {
            points: n,
            distance2,
            potential,
        }
    }

    /// Whether the swap lowers φ; fills the new squared distances of rows `a` and `b`.
    fn improves(&self, search: &Search, swap: Swap, row_a: &mut [f64], row_b: &mut [f64]) -> bool {
        let n = self.points;
        let (a, b) = (swap.a, swap.b);
        let column = &search.scaled[swap.column];
        let (value_a, value_b) = (column[a], column[b]);
        let mut delta = 0.0;
        for m in 0..n {
            let (old_a, old_b) = (self.distance2[a * n + m], self.distance2[b * n + m]);
            if m == a || m == b {
                // The distance between a and b does not change: they trade values.
                (row_a[m], row_b[m]) = (old_a, old_b);
                continue;
            }
            let x = column[m];
            let shift = (value_b - x) * (value_b - x) - (value_a - x) * (value_a - x);
            (row_a[m], row_b[m]) = (old_a + shift, old_b - shift);
            delta += inverse_16th(row_a[m]) + inverse_16th(row_b[m])
                - self.potential[a * n + m]
                - self.potential[b * n + m];
        }
        delta < 0.0
    }

    fn set_rows(&mut self, swap: Swap, row_a: &[f64], row_b: &[f64]) {
        let n = self.points;
        for (row, values) in [(swap.a, row_a), (swap.b, row_b)] {
            for (m, &d2) in values.iter().enumerate() {
                let p = inverse_16th(d2);
                (self.distance2[row * n + m], self.distance2[m * n + row]) = (d2, d2);
                (self.potential[row * n + m], self.potential[m * n + row]) = (p, p);
            }
        }
    }

    fn min_distance2(&self) -> f64 {
        let n = self.points;
        (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .map(|(a, b)| self.distance2[a * n + b])
            .fold(f64::INFINITY, f64::min)
    }
}

/// `d2^-8` by multiplications (bit-identical everywhere, unlike `powi`), with `d2` at least
/// [`MIN_DISTANCE2`]. Rounding can leave a distance that should be 0 a hair below it: the floor
/// covers that too.
fn inverse_16th(d2: f64) -> f64 {
    let x = 1.0 / d2.max(MIN_DISTANCE2);
    let x2 = x * x;
    let x4 = x2 * x2;
    x4 * x4
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
    fn integer_levels(points: usize, factors: usize) -> Vec<Vec<f64>> {
        let offset = (points - 1) as f64;
        vec![(0..points).map(|i| 2.0 * i as f64 - offset).collect(); factors]
    }

    fn random_start(points: usize, factors: usize, seed: u64) -> Search {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Search::shuffled(&integer_levels(points, factors), &mut rng)
    }

    #[test]
    fn optimized_design_spreads_wider_than_its_random_start() {
        for (points, factors) in [(17, 7), (33, 11), (129, 22)] {
            let start = design_quality(&rows_of(&random_start(points, factors, 5).values));
            let optimized = design_quality(&latin_hypercube(points, factors, 5));
            assert!(
                optimized.min_distance > start.min_distance,
                "{points} x {factors}"
            );
            assert!(optimized.max_abs_correlation < start.max_abs_correlation / 5.0);
        }
    }

    #[test]
    fn spreading_pushes_points_apart_within_the_cap() {
        let mut search = random_start(65, 16, 9);
        let mut source = MoveSource(3);
        decorrelate(&mut search, &mut source, 100_000);
        let before = design_quality(&rows_of(&search.values));
        let reached = spread(&mut search, &mut source, 30_000, 0.02);
        let after = design_quality(&rows_of(&search.values));
        assert!(after.min_distance > before.min_distance);
        assert!(after.max_abs_correlation <= before.max_abs_correlation.max(0.02) + 1e-12);
        // The distance the stage reports is the one measured afresh.
        assert!((reached.sqrt() - after.min_distance).abs() < 1e-12);
    }

    #[test]
    fn incremental_dot_products_match_a_fresh_computation() {
        // Exactly on the integer levels; to rounding on arbitrary values.
        let uneven: Vec<Vec<f64>> = (0..6)
            .map(|c| {
                (0..30)
                    .map(|i| ((i * (c + 2)) % 7) as f64 * 0.3 + 0.1)
                    .collect()
            })
            .collect();
        for (columns, tolerance) in [(integer_levels(40, 10), 0.0), (uneven, 1e-9)] {
            let mut search = Search::shuffled(&columns, &mut ChaCha8Rng::seed_from_u64(4));
            let mut source = MoveSource(8);
            decorrelate(&mut search, &mut source, 20_000);
            spread(&mut search, &mut source, 5_000, 0.05);
            let k = search.factors;
            for a in 0..k {
                for b in 0..k {
                    let fresh: f64 = search.centred[a]
                        .iter()
                        .zip(&search.centred[b])
                        .map(|(x, y)| x * y)
                        .sum();
                    let kept = search.dots[a * k + b];
                    assert!(
                        (kept - fresh).abs() <= tolerance,
                        "columns {a}, {b}: {kept} {fresh}"
                    );
                }
            }
        }
    }

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
    fn move_source_stays_below_its_bound() {
        let mut source = MoveSource(0);
        assert!((0..10_000).all(|_| source.below(7) < 7));
        assert_eq!(source.below(1), 0);
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
