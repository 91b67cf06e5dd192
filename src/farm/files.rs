//! A farm's result files: `design.csv`, `runs.csv`, `points.csv` and `sensitivity.json`.
//!
//! Written once every run is in, from the results in run order (point, then seed), so the bytes do
//! not depend on `--jobs`, shards or resuming. Formats: `docs/output-formats.md` ("Farm folder");
//! `sensitivity.json` is a [`SensitivityFile`].

use std::path::{Path, PathBuf};

use super::plan::{FarmPlan, value_text};
use super::sensitivity::{NoRegression, RankRegression, rank_regression, ranking};
use super::sensitivity_file::{
    DesignSummary, EffectSummary, FORMAT, FactorSummary, OutcomeKind, OutcomeSummary,
    SensitivityFile, finite,
};
use crate::ensemble::{
    EnsembleError, FigureStats, JournalHeader, ResultWriter, SeedResult, csv_bytes, json_bytes,
    write_atomic,
};
use crate::fsio::Num;

/// The design's points and factor values.
pub const DESIGN_FILE: &str = "design.csv";
/// One row per run.
pub const RUNS_FILE: &str = "runs.csv";
/// Per-point statistics of every figure.
pub const POINTS_FILE: &str = "points.csv";
/// Design quality and the factor effects on every outcome.
pub const SENSITIVITY_FILE: &str = "sensitivity.json";

/// How the effects are computed, as `sensitivity.json` states it.
const METHOD: &str = "Standardized rank regression coefficients (SRRC; Saltelli et al., Sensitivity Analysis in Practice, 2004): every factor column and the outcome are ranked over all runs (ties share their mean rank), standardized, and the outcome ranks regressed on the factor ranks by least squares. A coefficient is the change in the outcome's rank, in standard deviations, per standard deviation of the factor's rank, the others held fixed; 95 % intervals from the regression's standard errors with Student's t. Censored runs (the event never happened within the run) are ranked after every observed value, tied with each other: exact, since each of them passed the whole run without it. An outcome `<figure>_reached` (1 if it happened, else 0) is added for every day figure that some but not all runs reached. R² says how much of the outcome's rank variance the factors explain together; the rest is chance (seeds) and interactions.";

/// Writes a farm's files for [`crate::ensemble::run_ensemble`] and [`crate::ensemble::merge_with`].
#[derive(Debug, Clone, Copy)]
pub struct FarmFiles<'a> {
    /// The farm.
    pub plan: &'a FarmPlan,
}

impl ResultWriter for FarmFiles<'_> {
    fn file_names(&self) -> Vec<&'static str> {
        vec![DESIGN_FILE, RUNS_FILE, POINTS_FILE, SENSITIVITY_FILE]
    }

    fn progress_label(&self) -> (&'static str, &'static str) {
        ("farm", "runs")
    }

    fn write(
        &self,
        dir: &Path,
        header: &JournalHeader,
        results: &[SeedResult],
    ) -> Result<Vec<PathBuf>, EnsembleError> {
        let plan = self.plan;
        let figures = &header.figures;
        let files = [
            (DESIGN_FILE, design_csv(plan, &dir.join(DESIGN_FILE))?),
            (
                RUNS_FILE,
                runs_csv(plan, figures, results, &dir.join(RUNS_FILE))?,
            ),
            (
                POINTS_FILE,
                points_csv(plan, figures, results, &dir.join(POINTS_FILE))?,
            ),
            (SENSITIVITY_FILE, {
                let path = dir.join(SENSITIVITY_FILE);
                json_bytes(&sensitivity(plan, figures, results), &path)?
            }),
        ];
        let mut written = Vec::new();
        for (name, bytes) in files {
            let path = dir.join(name);
            write_atomic(&path, &bytes)?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The cells of a point's factor values.
fn factor_cells(plan: &FarmPlan, point: usize) -> impl Iterator<Item = String> + '_ {
    plan.design
        .factors
        .iter()
        .zip(&plan.values[point])
        .map(|(f, v)| value_text(*v, f.integer))
}

fn design_csv(plan: &FarmPlan, path: &Path) -> Result<Vec<u8>, EnsembleError> {
    let header: Vec<String> = std::iter::once("point".to_owned())
        .chain(plan.factor_names().into_iter().map(String::from))
        .collect();
    let rows =
        (0..plan.points()).map(|p| std::iter::once(p.to_string()).chain(factor_cells(plan, p)));
    csv_bytes(&header, rows, path)
}

fn runs_csv(
    plan: &FarmPlan,
    figures: &[String],
    results: &[SeedResult],
    path: &Path,
) -> Result<Vec<u8>, EnsembleError> {
    let header: Vec<String> = ["point", "seed"]
        .map(String::from)
        .into_iter()
        .chain(plan.factor_names().into_iter().map(String::from))
        .chain(figures.iter().cloned())
        .collect();
    let rows = results.iter().map(|r| {
        let (point, seed) = plan.point_and_seed(r.seed);
        [point.to_string(), seed.to_string()]
            .into_iter()
            .chain(factor_cells(plan, point))
            .chain(r.figures.iter().map(|v| Num(*v).cell()))
    });
    csv_bytes(&header, rows, path)
}

/// `point,figure,runs,reached_share,mean,sd,ci95_low,ci95_high,p5,p50,p95`, points ascending, figures
/// in `runs.csv` order.
fn points_csv(
    plan: &FarmPlan,
    figures: &[String],
    results: &[SeedResult],
    path: &Path,
) -> Result<Vec<u8>, EnsembleError> {
    let header: Vec<String> = [
        "point",
        "figure",
        "runs",
        "reached_share",
        "mean",
        "sd",
        "ci95_low",
        "ci95_high",
        "p5",
        "p50",
        "p95",
    ]
    .map(String::from)
    .into();
    let per = plan.design.seeds.len() as usize;
    let rows = results
        .chunks(per.max(1))
        .enumerate()
        .flat_map(|(point, runs)| {
            figures.iter().enumerate().map(move |(i, name)| {
                let values: Vec<Option<f64>> = runs.iter().map(|r| r.figures[i]).collect();
                let s = FigureStats::of(&values, runs.len() as u64);
                let [p5, _, p50, _, p95] = s.percentiles;
                [point.to_string(), name.clone(), runs.len().to_string()]
                    .into_iter()
                    .chain(
                        [
                            Some(s.reached_share),
                            s.mean,
                            s.sd,
                            s.ci95_low,
                            s.ci95_high,
                            p5,
                            p50,
                            p95,
                        ]
                        .map(|v| Num(v).cell()),
                    )
                    .collect::<Vec<String>>()
            })
        });
    csv_bytes(&header, rows, path)
}

/// `sensitivity.json`: the design, its factors and every outcome's regression.
fn sensitivity(plan: &FarmPlan, figures: &[String], results: &[SeedResult]) -> SensitivityFile {
    let q = &plan.quality;
    let names = plan.factor_names();
    let design = DesignSummary {
        kind: plan.design.kind.name().to_owned(),
        points: plan.points() as u64,
        seeds_per_point: plan.design.seeds.len(),
        seeds: plan.design.seeds.to_string(),
        runs: results.len() as u64,
        design_seed: Some(plan.design.design_seed),
        max_abs_correlation: finite(Some(q.max_abs_correlation)),
        worst_pair: q
            .worst_pair
            .map(|(a, b)| (names[a].to_owned(), names[b].to_owned())),
        min_distance: finite(Some(q.min_distance)),
    };
    let factors = plan
        .design
        .factors
        .iter()
        .map(|f| FactorSummary {
            name: f.name.clone(),
            path: f.path.clone(),
            low: f.low,
            high: f.high,
            integer: f.integer,
        })
        .collect();
    let x: Vec<Vec<f64>> = results
        .iter()
        .map(|r| plan.values[plan.point_and_seed(r.seed).0].clone())
        .collect();
    let mut outcomes = Vec::new();
    for name in &plan.design.outcomes {
        let Some(i) = figures.iter().position(|f| f == name) else {
            continue;
        };
        let y: Vec<Option<f64>> = results.iter().map(|r| r.figures[i]).collect();
        let censored = y.iter().filter(|v| v.is_none()).count();
        let safe = file_safe(name);
        outcomes.push(outcome_summary(
            &safe,
            name,
            OutcomeKind::Value,
            &x,
            &y,
            &names,
        ));
        if censored > 0 && censored < y.len() {
            let reached: Vec<Option<f64>> = y
                .iter()
                .map(|v| Some(if v.is_some() { 1.0 } else { 0.0 }))
                .collect();
            let id = format!("{}_reached", safe.strip_suffix("_day").unwrap_or(&safe));
            outcomes.push(outcome_summary(
                &id,
                name,
                OutcomeKind::Reached,
                &x,
                &reached,
                &names,
            ));
        }
    }
    SensitivityFile {
        format: FORMAT.to_owned(),
        method: METHOD.to_owned(),
        design,
        factors,
        outcomes,
    }
}

/// An outcome's id as chart file names use it: a phase called "Clear, then hold" gives
/// `phase_start_Clear__then_hold`.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// One outcome's regression on the factors, or its `note` when there is none.
fn outcome_summary(
    id: &str,
    column: &str,
    kind: OutcomeKind,
    x: &[Vec<f64>],
    y: &[Option<f64>],
    names: &[&str],
) -> OutcomeSummary {
    let censored = y.iter().filter(|v| v.is_none()).count();
    let fit: Result<RankRegression, NoRegression> = rank_regression(x, y);
    let (r_squared, ranking_names, effects, note) = match &fit {
        Ok(reg) => (
            Some(reg.r_squared),
            ranking(&reg.effects)
                .into_iter()
                .map(|j| names[j].to_owned())
                .collect(),
            reg.effects
                .iter()
                .zip(names)
                .map(|(e, n)| EffectSummary {
                    factor: (*n).to_owned(),
                    coefficient: finite(Some(e.coefficient)),
                    std_error: finite(Some(e.std_error)),
                    ci95_low: finite(Some(e.ci95_low)),
                    ci95_high: finite(Some(e.ci95_high)),
                })
                .collect(),
            None,
        ),
        Err(why) => (
            None,
            Vec::new(),
            names
                .iter()
                .map(|n| EffectSummary {
                    factor: (*n).to_owned(),
                    coefficient: None,
                    std_error: None,
                    ci95_low: None,
                    ci95_high: None,
                })
                .collect(),
            Some(match why {
                NoRegression::ConstantFactor { factor } => format!(
                    "factor `{}` takes the same value in every run",
                    names.get(*factor).unwrap_or(&"?")
                ),
                other => other.to_string(),
            }),
        ),
    };
    OutcomeSummary {
        outcome: id.to_owned(),
        column: column.to_owned(),
        kind,
        runs: y.len() as u64,
        censored: censored as u64,
        r_squared: finite(r_squared),
        ranking: ranking_names,
        effects,
        note,
    }
}
