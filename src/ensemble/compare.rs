//! `compare`: two courses of action on the same seeds (common random numbers), paired differences.

use std::fs;
use std::path::Path;

use serde::Serialize;

use super::files::{Num, Ordered, bands_bytes, csv_bytes, json_bytes, write_atomic};
use super::pool::{map_seeds, progress_bar, run_checked};
use super::stats::FigureStats;
use super::{EnsembleError, SeedRange, SeedResult, SeedRunner, SweepIdentity};

/// Per seed and figure: `seed,figure,a,b,diff` with `diff = b - a`.
const PAIRS_FILE: &str = "pairs.csv";
/// A's percentile bands.
const A_BANDS_FILE: &str = "a_bands.csv";
/// B's percentile bands.
const B_BANDS_FILE: &str = "b_bands.csv";
/// The identities and per-figure paired statistics.
const COMPARISON_FILE: &str = "comparison.json";

/// One course of action: the runner for its scenario, and what it is.
#[derive(Clone, Copy)]
pub struct Arm<'a> {
    /// Runs this arm's seeds.
    pub runner: &'a dyn SeedRunner,
    /// This arm's scenario and seeds (both arms need the same seeds).
    pub identity: &'a SweepIdentity,
}

/// How to run a comparison; none of it changes the result files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareOptions {
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Replace the result files of an earlier comparison in the output folder.
    pub force: bool,
    /// Show a progress bar on stderr (only when stderr is a terminal).
    pub progress: bool,
}

/// Paired statistics of one figure present in both arms, over the seeds where neither is `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureComparison {
    /// Seeds where both arms have the figure.
    pub n: u64,
    /// A's mean over those seeds.
    #[serde(serialize_with = "num")]
    pub mean_a: Option<f64>,
    /// B's mean over those seeds.
    #[serde(serialize_with = "num")]
    pub mean_b: Option<f64>,
    /// A's median over those seeds (type 7): the level the briefing quotes.
    #[serde(serialize_with = "num")]
    pub median_a: Option<f64>,
    /// B's median over those seeds.
    #[serde(serialize_with = "num")]
    pub median_b: Option<f64>,
    /// Mean of `b - a`.
    #[serde(serialize_with = "num")]
    pub mean_diff: Option<f64>,
    /// Sample standard deviation of `b - a` (null when n < 2).
    #[serde(serialize_with = "num")]
    pub sd_diff: Option<f64>,
    /// Lower end of the 95 % Student's t interval of `mean_diff` (null when n < 2).
    #[serde(serialize_with = "num")]
    pub ci95_low: Option<f64>,
    /// Upper end of that interval.
    #[serde(serialize_with = "num")]
    pub ci95_high: Option<f64>,
    /// Whether that interval excludes 0.
    pub significant: bool,
    /// Share of all seeds where A has the figure (e.g. isolated the objective at all).
    pub reached_share_a: f64,
    /// Share of all seeds where B has the figure.
    pub reached_share_b: f64,
}

/// The outcome of [`compare`], as written to `comparison.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Course of action A.
    pub a: SweepIdentity,
    /// Course of action B.
    pub b: SweepIdentity,
    /// The seeds both ran.
    pub seeds: SeedRange,
    /// Figures present in both arms and comparable, in A's order. Phase starts are paired only
    /// when both courses have the same phases in the same order: a phase of one plan is not the
    /// phase of the same name in another.
    #[serde(serialize_with = "ordered")]
    pub figures: Vec<(String, FigureComparison)>,
    /// Each phase start of A over all seeds (compared or not), for A's own timeline.
    #[serde(serialize_with = "ordered_starts")]
    pub a_phase_starts: Vec<(String, PhaseStart)>,
    /// Each phase start of B over all seeds.
    #[serde(serialize_with = "ordered_starts")]
    pub b_phase_starts: Vec<(String, PhaseStart)>,
}

/// When one course's phase began, over all its seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseStart {
    /// Share of seeds where the phase began at all.
    pub reached_share: f64,
    /// Median start day over those seeds (null when it never began).
    #[serde(serialize_with = "num")]
    pub median: Option<f64>,
}

/// Whether `name` is a phase-start figure (`phase_start_<phase>`).
fn is_phase_start(name: &str) -> bool {
    name.starts_with("phase_start_")
}

/// The phase-start figures of one arm, in order.
fn phase_figures(names: &[String]) -> Vec<&String> {
    names.iter().filter(|n| is_phase_start(n)).collect()
}

/// Serializes a float with `{}` (null for `None`).
fn num<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    Num(*v).serialize(s)
}

/// Serializes phase starts as a JSON object in their order.
fn ordered_starts<S: serde::Serializer>(
    v: &[(String, PhaseStart)],
    s: S,
) -> Result<S::Ok, S::Error> {
    Ordered(v).serialize(s)
}

/// Serializes name/value pairs as a JSON object in their order.
fn ordered<S: serde::Serializer>(
    v: &[(String, FigureComparison)],
    s: S,
) -> Result<S::Ok, S::Error> {
    Ordered(v).serialize(s)
}

impl Comparison {
    /// The paired statistics of the figure `name`, if both arms have it.
    pub fn figure(&self, name: &str) -> Option<&FigureComparison> {
        self.figures.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }
}

/// Runs every seed with both arms and writes `pairs.csv` (`seed,figure,a,b,diff`, `diff = b - a`,
/// empty cells where censored), `a_bands.csv`, `b_bands.csv` and `comparison.json` into `out_dir`.
///
/// Figures are paired by name (those of A that B also has), phase starts only when both courses
/// have the same phases in the same order; each arm's bands use its own series.
/// Refuses arms with different seeds, and a folder holding an earlier comparison unless forced.
pub fn compare(
    a: Arm<'_>,
    b: Arm<'_>,
    options: &CompareOptions,
    out_dir: &Path,
) -> Result<Comparison, EnsembleError> {
    let seeds = a.identity.seeds;
    if b.identity.seeds != seeds {
        let (a, b) = (seeds.to_string(), b.identity.seeds.to_string());
        return Err(EnsembleError::SeedsDiffer { a, b });
    }
    EnsembleError::check_seed_count(seeds.len())?;
    fs::create_dir_all(out_dir).map_err(EnsembleError::io(out_dir))?;
    let ours = [PAIRS_FILE, A_BANDS_FILE, B_BANDS_FILE, COMPARISON_FILE];
    if !options.force && ours.iter().any(|f| out_dir.join(f).exists()) {
        return Err(EnsembleError::OutputExists {
            dir: out_dir.to_owned(),
            resumable: false,
        });
    }
    let names = |arm: Arm<'_>| (arm.runner.figure_names(), arm.runner.series_names());
    let ((fig_a, ser_a), (fig_b, ser_b)) = (names(a), names(b));
    let all: Vec<u64> = seeds.iter().collect();
    let bar = progress_bar(("compare", "seeds"), seeds.len(), 0, options.progress);
    let results = map_seeds(&all, options.jobs, &bar, |seed| {
        let ra = run_checked(a.runner, seed, fig_a.len(), ser_a.len())?;
        Ok((ra, run_checked(b.runner, seed, fig_b.len(), ser_b.len())?))
    })?;
    let (ra, rb): (Vec<SeedResult>, Vec<SeedResult>) = results.into_iter().unzip();
    let same_plan = phase_figures(&fig_a) == phase_figures(&fig_b);
    let paired: Vec<(&String, usize, usize)> = fig_a
        .iter()
        .enumerate()
        .filter(|(_, name)| same_plan || !is_phase_start(name))
        .filter_map(|(i, name)| Some((name, i, fig_b.iter().position(|n| n == name)?)))
        .collect();

    let pairs_path = out_dir.join(PAIRS_FILE);
    let header = ["seed", "figure", "a", "b", "diff"].map(String::from);
    let rows = ra.iter().zip(&rb).flat_map(|(x, y)| {
        paired.iter().map(move |&(name, i, j)| {
            let (va, vb) = (x.figures[i], y.figures[j]);
            let diff = va.zip(vb).map(|(va, vb)| vb - va);
            vec![
                x.seed.to_string(),
                name.clone(),
                Num(va).cell(),
                Num(vb).cell(),
                Num(diff).cell(),
            ]
        })
    });
    let pairs = csv_bytes(&header, rows, &pairs_path)?;

    let figures = paired
        .iter()
        .map(|&(name, i, j)| (name.clone(), compare_figure(&ra, &rb, i, j, seeds.len())))
        .collect();
    let comparison = Comparison {
        a: a.identity.clone(),
        b: b.identity.clone(),
        seeds,
        figures,
        a_phase_starts: phase_starts(&fig_a, &ra, seeds.len()),
        b_phase_starts: phase_starts(&fig_b, &rb, seeds.len()),
    };
    let json_path = out_dir.join(COMPARISON_FILE);
    let files = [
        (pairs_path, pairs),
        (
            out_dir.join(A_BANDS_FILE),
            bands_bytes(&ser_a, &ra, &out_dir.join(A_BANDS_FILE))?,
        ),
        (
            out_dir.join(B_BANDS_FILE),
            bands_bytes(&ser_b, &rb, &out_dir.join(B_BANDS_FILE))?,
        ),
        (json_path.clone(), json_bytes(&comparison, &json_path)?),
    ];
    for (path, bytes) in &files {
        write_atomic(path, bytes)?;
    }
    Ok(comparison)
}

/// Each phase start of one arm: the share of seeds that reached it and its median day.
fn phase_starts(
    names: &[String],
    results: &[SeedResult],
    seed_count: u64,
) -> Vec<(String, PhaseStart)> {
    names
        .iter()
        .enumerate()
        .filter(|(_, n)| is_phase_start(n))
        .map(|(k, name)| {
            let values: Vec<Option<f64>> = results.iter().map(|r| r.figures[k]).collect();
            let stats = FigureStats::of(&values, seed_count);
            let start = PhaseStart {
                reached_share: stats.reached_share,
                median: stats.percentiles[2],
            };
            (name.clone(), start)
        })
        .collect()
}

/// Paired statistics of A's figure `i` against B's figure `j`, results in seed order.
fn compare_figure(
    ra: &[SeedResult],
    rb: &[SeedResult],
    i: usize,
    j: usize,
    seed_count: u64,
) -> FigureComparison {
    let both: Vec<(f64, f64)> = ra
        .iter()
        .zip(rb)
        .filter_map(|(x, y)| x.figures[i].zip(y.figures[j]))
        .collect();
    let stats = |v: Vec<Option<f64>>| FigureStats::of(&v, seed_count);
    let diff = stats(both.iter().map(|(x, y)| Some(y - x)).collect());
    let share =
        |r: &[SeedResult], k: usize| stats(r.iter().map(|s| s.figures[k]).collect()).reached_share;
    let level_a = stats(both.iter().map(|p| Some(p.0)).collect());
    let level_b = stats(both.iter().map(|p| Some(p.1)).collect());
    FigureComparison {
        n: diff.n,
        mean_a: level_a.mean,
        mean_b: level_b.mean,
        median_a: level_a.percentiles[2],
        median_b: level_b.percentiles[2],
        mean_diff: diff.mean,
        sd_diff: diff.sd,
        ci95_low: diff.ci95_low,
        ci95_high: diff.ci95_high,
        significant: diff
            .ci95_low
            .zip(diff.ci95_high)
            .is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0),
        reached_share_a: share(ra, i),
        reached_share_b: share(rb, j),
    }
}

/// Says in plain words which course of action isolates the objective sooner (figure
/// `isolation_day`), by how many days with the 95 % confidence interval, or that the difference is
/// not significant; and how many seeds isolated it at all in each (the rest are censored).
pub fn isolation_verdict(c: &Comparison) -> String {
    let label = |side: &str, id: &SweepIdentity| format!("{side} ({})", id.scenario_name);
    let (a, b) = (label("A", &c.a), label("B", &c.b));
    let Some(f) = c.figure("isolation_day") else {
        return "No isolation_day figure in both courses of action: nothing to compare.".to_owned();
    };
    let total = c.seeds.len();
    let over = format!(
        "over the {} of {total} seeds where both isolated the objective",
        f.n
    );
    let pct = |share: f64| format!("{:.1} %", share * 100.0);
    let censoring = format!(
        "The objective was isolated within the run in {} of seeds with {a} and {} with {b}; seeds where \
         either never isolated it are censored and left out of the difference.",
        pct(f.reached_share_a),
        pct(f.reached_share_b),
    );
    let (Some(mean), Some(lo), Some(hi)) = (f.mean_diff, f.ci95_low, f.ci95_high) else {
        return format!(
            "Too few seeds to say which isolates the objective sooner ({over}). {censoring}"
        );
    };
    let head = if !f.significant {
        format!(
            "No significant difference in when the objective is isolated: B - A averages {mean:.1} days \
             (95 % CI {lo:.1} to {hi:.1} days) {over}."
        )
    } else if mean < 0.0 {
        let (d, lo, hi) = (-mean, -hi, -lo);
        format!(
            "{b} isolates the objective sooner than {a}: by {d:.1} days on average (95 % CI {lo:.1} to {hi:.1} days) {over}."
        )
    } else {
        format!(
            "{a} isolates the objective sooner than {b}: by {mean:.1} days on average (95 % CI {lo:.1} to {hi:.1} days) {over}."
        )
    };
    format!("{head} {censoring}")
}

impl FigureComparison {
    /// The figure as the trade-off reads it.
    pub fn paired(&self) -> super::Paired {
        super::Paired {
            n: self.n,
            median_a: self.median_a,
            median_b: self.median_b,
            mean_diff: self.mean_diff,
            ci95_low: self.ci95_low,
            ci95_high: self.ci95_high,
            significant: self.significant,
            reached_share_a: self.reached_share_a,
            reached_share_b: self.reached_share_b,
        }
    }
}

/// The terminal verdict: the trade-off of B against A over every outcome family (time, own losses,
/// enemy escapes, civilians), each with its direction and numbers (see [`super::tradeoff`]).
pub fn verdict(c: &Comparison, objective: &str) -> String {
    let (a, b) = (
        format!("A ({})", c.a.scenario_name),
        format!("B ({})", c.b.scenario_name),
    );
    let names = super::Names {
        a: &a,
        b: &b,
        objective,
    };
    let figure = |name: &str| c.figure(name).map(FigureComparison::paired);
    super::tradeoff(&figure, names).text()
}
