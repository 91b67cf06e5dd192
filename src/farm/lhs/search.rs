//! The search behind [`super::latin_hypercube`] and [`super::arrange_columns`]: random Latin
//! columns, swaps inside a column that lower the pairwise correlations, then swaps that spread the
//! points (Morris–Mitchell φ) without letting any correlation rise above a cap. Work is counted in
//! moves, never in time, so the same inputs give the same bits in any build.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{centre, plays_a_part, scale_to_unit};

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

/// The best of a few restarts of the search, for columns of one length; with no columns or fewer
/// than two points there is nothing to search and the columns come back as they are.
pub(super) fn best_arrangement(columns: Vec<Vec<f64>>, seed: u64) -> Vec<Vec<f64>> {
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
pub(super) struct Search {
    points: usize,
    factors: usize,
    /// `values[c][r]`: the column's values, in the order the search has reached.
    pub(super) values: Vec<Vec<f64>>,
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
    pub(super) fn shuffled(columns: &[Vec<f64>], rng: &mut ChaCha8Rng) -> Self {
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

/// SplitMix64 (Steele, Lea & Flood 2014), seeded from the ChaCha8 stream, proposes the search's
/// moves: in a debug build (where the tests run) a ChaCha8 draw costs more than judging the move.
pub(super) struct MoveSource(pub(super) u64);

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
pub(super) fn decorrelate(search: &mut Search, source: &mut MoveSource, moves: usize) {
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
pub(super) fn spread(search: &mut Search, source: &mut MoveSource, moves: usize, cap: f64) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::super::{design_quality, latin_hypercube, rows_of};
    use super::*;

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
    fn move_source_stays_below_its_bound() {
        let mut source = MoveSource(0);
        assert!((0..10_000).all(|_| source.below(7) < 7));
        assert_eq!(source.below(1), 0);
    }
}
