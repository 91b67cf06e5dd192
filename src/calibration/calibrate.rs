//! `phaseline calibrate`: history matching (Vernon, Goldstein & Bower 2010) of the uncertain
//! parameters against the observed milestones.
//!
//! # Method
//! The search space is the uncertain parameters, each mapped to [0, 1] by its prior's distribution
//! function (a design value u runs the parameter at its prior's u-quantile). Wave 1 lays a nearly
//! orthogonal Latin hypercube ([`crate::farm::lhs::latin_hypercube`]) over the whole cube; every
//! point runs the same seeds (common random numbers). For each point and milestone j, with the
//! ensemble mean m_j and variance v_j of the milestone over the S seeds, the observation y_j, its
//! stated uncertainty ± e_j (two standard deviations) and the model discrepancy d·y_j:
//!
//! I_j = |y_j − m_j| ÷ √((e_j/2)² + (d·y_j)² + v_j·(1 + 1/S))
//!
//! — v_j because history is one realisation of a stochastic campaign, v_j/S for the error of the
//! estimated mean. A run where a day never came counts as the day after the end. A point is
//! *non-implausible* when max_j I_j ≤ the cut-off (3, Pukelsheim's three-sigma rule). The next
//! wave's hypercube covers the bounding box of the non-implausible points, two design spacings
//! wider on each side (without an emulator the design only samples the region, so the box is kept
//! generous); the last wave's non-implausible points are the accepted parameter sets, and a
//! parameter's accepted range is their bounding box one spacing wider (what the design resolves).
//! A parameter is *pinned down* when that range is under half its prior's 5–95 % width, *loose*
//! otherwise. The calibrated point is the accepted point with the lowest mean CRPS over the
//! milestones ([`BEST_RULE`]): every accepted point is consistent with the record, and the proper
//! score prefers the one whose ensemble is both centred and sharp. A wave with no non-implausible point sends the next one around its least implausible
//! tenth instead (the report then accepts nothing unless a later wave does): the search goes on
//! towards the best fit the model can give, and says that it is not a match. Deterministic: the designs come from `design_seed + wave`, the runs from the seeds.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::CalibrationError;
use super::observed::Observations;
use super::uncertain::{UncertainInputs, UncertainParam};
use crate::ensemble::{
    EnsembleError, JournalHeader, ResultWriter, SeedRange, SeedResult, SeedRunner, SweepIdentity,
    SweepOptions, run_ensemble,
};
use crate::farm::lhs::latin_hypercube;
use crate::scenario::{LoadedScenario, Scenario};
use crate::sim::simulate;

/// How to calibrate.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrateOptions {
    /// History-matching waves (at least 1).
    pub waves: usize,
    /// Design points per wave.
    pub points: usize,
    /// The seeds every point runs.
    pub seeds: SeedRange,
    /// Implausibility cut-off.
    pub cutoff: f64,
    /// Seed of the first wave's design (wave k uses this + k − 1).
    pub design_seed: u64,
    /// Stop each run after this many days.
    pub days: Option<u32>,
    /// How to run each wave's ensemble (jobs, resume, force, progress; shards are not offered).
    pub sweep: SweepOptions,
    /// A confirmation stage after the waves: the best accepted points rescored on more seeds.
    pub confirm: Option<Confirm>,
}

/// The confirmation stage ([`CONFIRM_RULE`]): the `top` accepted points with the lowest mean CRPS
/// run again on `seeds`, and the calibrated point is the one that scores best there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Confirm {
    /// How many accepted points to rescore (0: none, the stage is skipped).
    pub top: usize,
    /// The seeds they run (common random numbers), usually many more than the waves'.
    pub seeds: SeedRange,
}

impl CalibrateOptions {
    /// The command line's defaults (3 waves of 33 points, cut-off 3, design seed 1) with `seeds` at
    /// every point.
    pub fn new(seeds: SeedRange) -> Self {
        CalibrateOptions {
            waves: 3,
            points: 33,
            seeds,
            cutoff: 3.0,
            design_seed: 1,
            days: None,
            sweep: SweepOptions::default(),
            confirm: None,
        }
    }
}

/// One design point's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointResult {
    /// Wave, from 1.
    pub wave: usize,
    /// Point within the wave, from 0.
    pub point: usize,
    /// The point in the priors' quantile space (each coordinate in [0, 1]).
    pub unit: Vec<f64>,
    /// The parameter values.
    pub values: Vec<f64>,
    /// The ensemble mean of each milestone (censored runs as the day after the end).
    pub means: Vec<f64>,
    /// The implausibility of each milestone.
    pub implausibility: Vec<f64>,
    /// The largest.
    pub max_implausibility: f64,
    /// The CRPS of each milestone's ensemble at the observed day, days (censored runs as the day
    /// after the end).
    pub crps: Vec<f64>,
    /// Their mean: the proper score that chooses among the non-implausible points.
    pub mean_crps: f64,
    /// Non-implausible.
    pub accepted: bool,
}

/// One wave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveSummary {
    /// Wave, from 1.
    pub wave: usize,
    /// The box searched, per parameter, in prior quantiles [low, high].
    pub unit_box: Vec<[f64; 2]>,
    /// Points run.
    pub points: usize,
    /// Non-implausible points.
    pub accepted: usize,
    /// Smallest maximum implausibility found.
    pub best_max_implausibility: f64,
    /// No point was non-implausible, so the next wave searched around the least implausible
    /// tenth of this one instead.
    pub refocused: bool,
}

/// What the observations say of one parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterReport {
    /// Its path as written.
    pub path: String,
    /// Its prior's distribution.
    pub distribution: &'static str,
    /// The prior's 5 % and 95 % quantiles.
    pub prior_p5: f64,
    /// The prior's 95 %.
    pub prior_p95: f64,
    /// Smallest accepted value.
    pub posterior_low: Option<f64>,
    /// Largest accepted value.
    pub posterior_high: Option<f64>,
    /// The value at the calibrated point (`CalibrationReport::best`).
    pub best: f64,
    /// (posterior range) ÷ (prior 5–95 % width).
    pub width_ratio: Option<f64>,
    /// `pinned down` (ratio < 0.5), `loose`, or `not matched` (no accepted point).
    pub verdict: &'static str,
}

/// The calibration's report (`calibration.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationReport {
    /// The format.
    pub format: &'static str,
    /// The method, in words.
    pub method: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// Observations name.
    pub observations: String,
    /// Seeds at every point.
    pub seeds: String,
    /// The cut-off.
    pub cutoff: f64,
    /// The milestones' ids.
    pub milestones: Vec<String>,
    /// Per wave.
    pub waves: Vec<WaveSummary>,
    /// Per parameter.
    pub parameters: Vec<ParameterReport>,
    /// Accepted points (of the last wave that had any).
    pub accepted: usize,
    /// The calibrated point: of the accepted points, the one with the lowest mean CRPS; with none
    /// accepted, the least implausible point of all waves ([`BEST_RULE`]).
    pub best: PointResult,
    /// How `best` was chosen, in words.
    pub best_rule: &'static str,
    /// The confirmation stage, when one ran.
    pub confirmation: Option<ConfirmationReport>,
    /// A caveat the numbers need, if any (e.g. the search had to refocus).
    pub note: Option<String>,
}

/// The confirmation stage's result (`calibration.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfirmationReport {
    /// The seeds the candidates ran.
    pub seeds: String,
    /// The candidates, best first by their waves' score.
    pub candidates: Vec<ConfirmedPoint>,
}

/// One candidate of the confirmation stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfirmedPoint {
    /// Its wave, from 1.
    pub wave: usize,
    /// Its point within the wave, from 0.
    pub point: usize,
    /// Its mean CRPS on the waves' seeds, days.
    pub design_mean_crps: f64,
    /// Its mean CRPS on the confirmation seeds, days: what chooses the calibrated point.
    pub mean_crps: f64,
}

/// What [`calibrate`] wrote and found.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationOutcome {
    /// The report.
    pub report: CalibrationReport,
    /// Every point of every wave.
    pub points: Vec<PointResult>,
    /// The accepted points.
    pub accepted: Vec<PointResult>,
    /// The files written.
    pub files: Vec<PathBuf>,
}

/// The method as the report states it.
pub const METHOD: &str = "history matching (Vernon, Goldstein & Bower 2010): waves of nearly orthogonal Latin hypercubes in the priors' quantile space, common seeds at every point; implausibility |observed − ensemble mean| ÷ √(observation variance + model discrepancy variance + ensemble variance × (1 + 1/seeds)) per milestone, a point non-implausible when its largest is at most the cut-off; each wave searches the bounding box of the last one's non-implausible points, two design spacings wider; the accepted range of a parameter is that box one spacing wider";

/// How the calibrated point is chosen, as the report states it.
pub const BEST_RULE: &str = "of the accepted (non-implausible) points, the one with the lowest mean CRPS over the milestones (a proper score: it rewards a band that is both centred on the record and sharp, which the implausibility, forgiving a wide ensemble, does not); with no point accepted, the least implausible point of all waves";

/// How the calibrated point is chosen when a confirmation stage ran.
pub const CONFIRM_RULE: &str = "of the accepted (non-implausible) points, those with the lowest mean CRPS on the waves' seeds are run again on the confirmation seeds, and the one with the lowest mean CRPS there is the calibrated point (selection of the best with a clean-up stage, Boesel, Nelson & Kim 2003: on a few seeds the lowest score is partly luck, and a point chosen for its luck does not hold on campaigns it was not fitted to)";

/// Runs (point, seed) pairs: run r is point r / seeds at seed first + r % seeds.
struct PointRunner {
    scenarios: Vec<Arc<Scenario>>,
    seeds: SeedRange,
    days: Option<u32>,
    obs: Arc<Observations>,
}

impl SeedRunner for PointRunner {
    fn figure_names(&self) -> Vec<String> {
        self.obs.milestones.iter().map(|m| m.id.clone()).collect()
    }

    fn series_names(&self) -> Vec<String> {
        Vec::new()
    }

    fn run_seed(&self, run: u64) -> Result<SeedResult, String> {
        let per = self.seeds.len().max(1);
        let (point, seed) = ((run / per) as usize, self.seeds.first() + run % per);
        let scenario = self
            .scenarios
            .get(point)
            .ok_or_else(|| format!("run {run} is past the last point"))?;
        let out = simulate(scenario.clone(), seed, self.days).map_err(|e| e.to_string())?;
        Ok(SeedResult {
            seed: run,
            figures: self.obs.read(&out, scenario),
            daily: Vec::new(),
        })
    }
}

/// Keeps a wave's results for the calibration loop (the journal keeps them on disk).
struct WaveFiles(Mutex<Vec<SeedResult>>);

impl ResultWriter for WaveFiles {
    fn file_names(&self) -> Vec<&'static str> {
        Vec::new()
    }

    fn progress_label(&self) -> (&'static str, &'static str) {
        ("calibrate", "runs")
    }

    fn write(
        &self,
        _dir: &Path,
        _header: &JournalHeader,
        results: &[SeedResult],
    ) -> Result<Vec<PathBuf>, EnsembleError> {
        if let Ok(mut slot) = self.0.lock() {
            *slot = results.to_vec();
        }
        Ok(Vec::new())
    }
}

/// The implausibility of each milestone given its values over the seeds.
pub fn implausibility(
    obs: &Observations,
    values: &[Vec<Option<f64>>],
    censor_day: f64,
) -> (Vec<f64>, Vec<f64>) {
    let s = values.len().max(1) as f64;
    obs.milestones
        .iter()
        .enumerate()
        .map(|(j, m)| {
            let xs: Vec<f64> = values
                .iter()
                .map(|r| r.get(j).copied().flatten().unwrap_or(censor_day))
                .collect();
            let mean = xs.iter().sum::<f64>() / s;
            let var = if xs.len() > 1 {
                xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (s - 1.0)
            } else {
                0.0
            };
            let denom = (m.plus_minus / 2.0).powi(2)
                + (obs.discrepancy_share * m.observed).powi(2)
                + var * (1.0 + 1.0 / s);
            let gap = (m.observed - mean).abs();
            let i = if denom > 0.0 {
                gap / libm::sqrt(denom)
            } else if gap == 0.0 {
                0.0
            } else {
                f64::INFINITY
            };
            (mean, i)
        })
        .unzip()
}

/// Refuses options that cannot run: nothing to calibrate, fewer than 2 points, no wave, a cut-off
/// that is not positive.
pub fn check_options(
    base: &UncertainInputs,
    options: &CalibrateOptions,
) -> Result<(), CalibrationError> {
    let params = &base.params;
    if params.is_empty() {
        return Err(CalibrationError::Options(
            "nothing to calibrate: the scenario, its doctrine and --priors declare no [[uncertain]] parameter".to_owned(),
        ));
    }
    if options.points < 2 || options.waves == 0 || options.cutoff.is_nan() || options.cutoff <= 0.0
    {
        return Err(CalibrationError::Options(
            "calibrate needs --points ≥ 2, --waves ≥ 1 and a positive --cutoff".to_owned(),
        ));
    }
    Ok(())
}

/// Calibrates `params` of `base` against `obs` into `out_dir` (one journal folder per wave).
///
/// The accepted points are those of the last wave that found any; a wave that finds none sends
/// the next to the neighbourhood of its least implausible points (`WaveSummary::refocused`).
///
/// # Errors
/// A milestone naming what the scenario lacks, a design point that makes an invalid scenario, and
/// the ensemble's errors.
pub fn calibrate(
    loaded: &LoadedScenario,
    base: &UncertainInputs,
    obs: &Observations,
    options: &CalibrateOptions,
    out_dir: &Path,
) -> Result<CalibrationOutcome, CalibrationError> {
    obs.check_against(&loaded.scenario)?;
    let params = &base.params;
    check_options(base, options)?;
    let k = params.len();
    let censor_day = f64::from(options.days.unwrap_or(loaded.scenario.meta.duration_days)) + 1.0;
    let shared = Arc::new(obs.clone());
    let mut unit_box = vec![[0.0, 1.0]; k];
    let mut all = Vec::new();
    let mut waves = Vec::new();
    let mut accepted: Vec<PointResult> = Vec::new();
    let mut accepted_box = unit_box.clone();
    for wave in 1..=options.waves.max(1) {
        let design = latin_hypercube(options.points, k, options.design_seed + wave as u64 - 1);
        let units: Vec<Vec<f64>> = design
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&unit_box)
                    .map(|(u, b)| b[0] + u * (b[1] - b[0]))
                    .collect()
            })
            .collect();
        let values: Vec<Vec<f64>> = units
            .iter()
            .map(|row| {
                row.iter()
                    .zip(params)
                    .map(|(u, p)| p.value_at(*u))
                    .collect()
            })
            .collect();
        let labels = vec![
            format!(
                "calibrate wave {wave} seeds {} cutoff {}",
                options.seeds, options.cutoff
            ),
            format!("box {unit_box:?}"),
            parameters_label(params),
        ];
        let batch = PointBatch {
            loaded,
            base,
            obs: &shared,
            seeds: options.seeds,
            options,
        };
        let point_runs = batch.run(&values, &out_dir.join(format!("wave-{wave}")), labels)?;
        let wave_points: Vec<PointResult> = values
            .into_iter()
            .zip(units)
            .enumerate()
            .map(|(point, (values, unit))| {
                let runs = &point_runs[point];
                let (means, imp) = implausibility(obs, runs, censor_day);
                let max = imp.iter().copied().fold(0.0, f64::max);
                let crps = milestone_crps(obs, runs, censor_day);
                let mean_crps = mean_of(&crps);
                PointResult {
                    wave,
                    point,
                    unit,
                    values,
                    means,
                    implausibility: imp,
                    max_implausibility: max,
                    crps,
                    mean_crps,
                    accepted: max <= options.cutoff,
                }
            })
            .collect();
        let ok: Vec<PointResult> = wave_points.iter().filter(|p| p.accepted).cloned().collect();
        waves.push(WaveSummary {
            wave,
            unit_box: unit_box.clone(),
            points: wave_points.len(),
            accepted: ok.len(),
            best_max_implausibility: wave_points
                .iter()
                .map(|p| p.max_implausibility)
                .fold(f64::INFINITY, f64::min),
            refocused: false,
        });
        if ok.is_empty() {
            // Nothing is consistent with the record. Rather than stop, the next wave looks closer
            // at the least implausible tenth of this one (at least two points): the report still
            // accepts nothing unless a later wave finds a non-implausible point.
            let mut ranked: Vec<&PointResult> = wave_points.iter().collect();
            ranked.sort_by(|a, b| a.max_implausibility.total_cmp(&b.max_implausibility));
            let focus: Vec<PointResult> = ranked
                .into_iter()
                .take((options.points / 10).max(2))
                .cloned()
                .collect();
            if let Some(w) = waves.last_mut() {
                w.refocused = true;
            }
            unit_box = next_box(&focus, &unit_box, options.points, 2.0);
        } else {
            accepted_box = unit_box.clone();
            unit_box = next_box(&ok, &unit_box, options.points, 2.0);
            accepted = ok;
        }
        all.extend(wave_points);
    }
    let confirmation = match options.confirm {
        Some(c) if c.top > 0 && !accepted.is_empty() => {
            let batch = PointBatch {
                loaded,
                base,
                obs: &shared,
                seeds: c.seeds,
                options,
            };
            Some(confirm(&batch, &accepted, c, censor_day, out_dir)?)
        }
        _ => None,
    };
    let best = match &confirmation {
        Some((_, chosen)) => Some(chosen.clone()),
        None => choose_best(&accepted, &all),
    }
    .ok_or_else(|| CalibrationError::Options("no design point was run".to_owned()))?;
    let report = CalibrationReport {
        format: "phaseline-calibration/1",
        method: METHOD,
        scenario: loaded.scenario.meta.name.clone(),
        observations: obs.name.clone(),
        seeds: options.seeds.to_string(),
        cutoff: options.cutoff,
        milestones: obs.milestones.iter().map(|m| m.id.clone()).collect(),
        parameters: parameter_reports(params, &accepted, &best, &accepted_box, options.points),
        accepted: accepted.len(),
        note: waves.iter().any(|w| w.refocused).then(|| {
            "a wave found no parameter set consistent with the record, so the next searched only \
             around its least implausible points: the accepted ranges describe that neighbourhood, \
             not the whole prior (another region may fit as well), and a narrow range there says \
             more about the search than about the record"
                .to_owned()
        }),
        waves,
        best,
        best_rule: if confirmation.is_some() {
            CONFIRM_RULE
        } else {
            BEST_RULE
        },
        confirmation: confirmation.map(|(report, _)| report),
    };
    let files = super::calibrated::write_calibration(
        out_dir, loaded, obs, params, &report, &all, &accepted,
    )?;
    Ok(CalibrationOutcome {
        report,
        points: all,
        accepted,
        files,
    })
}

/// The parameters searched, as the journal's identity names them.
fn parameters_label(params: &[UncertainParam]) -> String {
    format!(
        "parameters {:?}",
        params
            .iter()
            .map(|p| (&p.target, p.distribution))
            .collect::<Vec<_>>()
    )
}

/// The mean of `xs` (0 when empty).
fn mean_of(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len().max(1) as f64
}

/// Design points run on common seeds as one ensemble.
struct PointBatch<'a> {
    loaded: &'a LoadedScenario,
    base: &'a UncertainInputs,
    obs: &'a Arc<Observations>,
    seeds: SeedRange,
    options: &'a CalibrateOptions,
}

impl PointBatch<'_> {
    /// Runs each point of `values` on the batch's seeds in `dir` (journalled, so `--resume`
    /// continues it) and returns each point's milestone values, seed by seed. `labels` make the
    /// journal's identity: a folder is resumed only by the same batch.
    fn run(
        &self,
        values: &[Vec<f64>],
        dir: &Path,
        labels: Vec<String>,
    ) -> Result<Vec<Vec<Vec<Option<f64>>>>, CalibrationError> {
        let scenarios = values
            .iter()
            .map(|v| self.base.scenario_with(v).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|problems| {
                CalibrationError::Scenario(crate::scenario::ScenarioError::Invalid {
                    file: format!("{} (a calibration point)", self.loaded.path.display()),
                    source_text: String::new(),
                    problems,
                })
            })?;
        let runs = values.len() as u64 * self.seeds.len();
        let identity = SweepIdentity {
            engine_version: env!("CARGO_PKG_VERSION").to_owned(),
            scenario_sha256: super::identity_hash(self.loaded),
            scenario_name: self.loaded.scenario.meta.name.clone(),
            seeds: SeedRange::new(0, runs.saturating_sub(1))?,
            overrides: labels,
            design_sha256: Some(self.obs.sha256.clone()),
        };
        let runner = PointRunner {
            scenarios,
            seeds: self.seeds,
            days: self.options.days,
            obs: self.obs.clone(),
        };
        let writer = WaveFiles(Mutex::new(Vec::new()));
        run_ensemble(&runner, &identity, &self.options.sweep, dir, &writer)?;
        let results = writer.0.into_inner().unwrap_or_default();
        let per = self.seeds.len() as usize;
        Ok((0..values.len())
            .map(|point| {
                results
                    .iter()
                    .skip(point * per)
                    .take(per)
                    .map(|r| r.figures.clone())
                    .collect()
            })
            .collect())
    }
}

/// The confirmation stage ([`CONFIRM_RULE`]): the `c.top` accepted points with the lowest mean
/// CRPS, run again on `c.seeds` in `confirm/`; returns the stage's report and the chosen point.
fn confirm(
    batch: &PointBatch,
    accepted: &[PointResult],
    c: Confirm,
    censor_day: f64,
    out_dir: &Path,
) -> Result<(ConfirmationReport, PointResult), CalibrationError> {
    let mut ranked: Vec<&PointResult> = accepted.iter().collect();
    ranked.sort_by(|a, b| by_score(a, b).then((a.wave, a.point).cmp(&(b.wave, b.point))));
    ranked.truncate(c.top);
    let values: Vec<Vec<f64>> = ranked.iter().map(|p| p.values.clone()).collect();
    let labels = vec![
        format!("calibrate confirm seeds {} top {}", c.seeds, c.top),
        format!(
            "points {:?}",
            ranked.iter().map(|p| (p.wave, p.point)).collect::<Vec<_>>()
        ),
        parameters_label(&batch.base.params),
    ];
    let runs = batch.run(&values, &out_dir.join("confirm"), labels)?;
    let candidates: Vec<ConfirmedPoint> = ranked
        .iter()
        .zip(&runs)
        .map(|(p, runs)| ConfirmedPoint {
            wave: p.wave,
            point: p.point,
            design_mean_crps: p.mean_crps,
            mean_crps: mean_of(&milestone_crps(batch.obs, runs, censor_day)),
        })
        .collect();
    // `min_by` keeps the first of equal scores: ties go to the better on the waves' seeds.
    let chosen = candidates
        .iter()
        .zip(&ranked)
        .min_by(|a, b| a.0.mean_crps.total_cmp(&b.0.mean_crps))
        .map(|(_, p)| (*p).clone())
        .ok_or_else(|| CalibrationError::Options("no point to confirm".to_owned()))?;
    Ok((
        ConfirmationReport {
            seeds: c.seeds.to_string(),
            candidates,
        },
        chosen,
    ))
}

/// The waves' ranking of points: lower mean CRPS, then lower largest implausibility.
fn by_score(a: &PointResult, b: &PointResult) -> std::cmp::Ordering {
    a.mean_crps
        .total_cmp(&b.mean_crps)
        .then(a.max_implausibility.total_cmp(&b.max_implausibility))
}

/// Each milestone's CRPS at the observed day over the runs of one point.
fn milestone_crps(obs: &Observations, runs: &[Vec<Option<f64>>], censor_day: f64) -> Vec<f64> {
    obs.milestones
        .iter()
        .enumerate()
        .map(|(j, m)| {
            let values: Vec<Option<f64>> =
                runs.iter().map(|r| r.get(j).copied().flatten()).collect();
            super::score::crps(&super::score::filled(&values, censor_day), m.observed)
                .unwrap_or(f64::INFINITY)
        })
        .collect()
}

/// The calibrated point ([`BEST_RULE`]): the accepted point with the lowest mean CRPS (ties to the
/// less implausible, then the earlier); with none accepted, the least implausible of `all`. Choosing
/// among the accepted keeps the point inside the accepted ranges the report gives.
pub fn choose_best(accepted: &[PointResult], all: &[PointResult]) -> Option<PointResult> {
    accepted
        .iter()
        .min_by(|a, b| by_score(a, b))
        .or_else(|| {
            all.iter()
                .min_by(|a, b| a.max_implausibility.total_cmp(&b.max_implausibility))
        })
        .cloned()
}

/// The bounding box (in prior quantiles) of the accepted points, `pad` design spacings wider on
/// each side: the non-implausible region as far as a design of `points` points in `current` can
/// resolve it (the next wave searches two spacings wider, so that a region the sparse design only
/// grazed is not cut off).
fn next_box(ok: &[PointResult], current: &[[f64; 2]], points: usize, pad: f64) -> Vec<[f64; 2]> {
    let spacing = 1.0 / (points.max(2) - 1) as f64;
    current
        .iter()
        .enumerate()
        .map(|(f, b)| {
            let us = ok.iter().map(|p| p.unit[f]);
            let (lo, hi) = us.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), u| {
                (l.min(u), h.max(u))
            });
            let pad = pad * spacing * (b[1] - b[0]);
            [(lo - pad).max(0.0), (hi + pad).min(1.0)]
        })
        .collect()
}

/// What the accepted points say of each parameter: their range in the wave that found them, one
/// design spacing wider on each side (the design cannot resolve the region more finely).
fn parameter_reports(
    params: &[UncertainParam],
    accepted: &[PointResult],
    best: &PointResult,
    accepted_box: &[[f64; 2]],
    points: usize,
) -> Vec<ParameterReport> {
    let region = next_box(accepted, accepted_box, points, 1.0);
    params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (p5, p95) = p.distribution.p5_p95();
            let found = !accepted.is_empty();
            let low = found.then(|| p.value_at(region[i][0]));
            let high = found.then(|| p.value_at(region[i][1]));
            let ratio = match (low, high) {
                (Some(l), Some(h)) if p95 > p5 => Some((h - l) / (p95 - p5)),
                _ => None,
            };
            ParameterReport {
                path: p.path.clone(),
                distribution: p.distribution.name(),
                prior_p5: p5,
                prior_p95: p95,
                posterior_low: low,
                posterior_high: high,
                best: best.values[i],
                width_ratio: ratio,
                verdict: match ratio {
                    None => "not matched",
                    Some(r) if r < 0.5 => "pinned down",
                    Some(_) => "loose",
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{PointResult, choose_best};

    fn point(point: usize, max_implausibility: f64, mean_crps: f64, accepted: bool) -> PointResult {
        PointResult {
            wave: 1,
            point,
            unit: vec![],
            values: vec![],
            means: vec![],
            implausibility: vec![],
            max_implausibility,
            crps: vec![mean_crps],
            mean_crps,
            accepted,
        }
    }

    #[test]
    fn the_calibrated_point_is_the_sharpest_accepted_or_else_the_least_implausible() {
        let all = [
            point(0, 0.5, 40.0, true), // least implausible, but a wide ensemble
            point(1, 2.5, 12.0, true), // consistent and sharp: chosen
            point(2, 4.0, 5.0, false), // sharpest of all, but implausible
        ];
        let accepted: Vec<PointResult> = all.iter().filter(|p| p.accepted).cloned().collect();
        assert_eq!(choose_best(&accepted, &all).map(|p| p.point), Some(1));
        assert_eq!(choose_best(&[], &all).map(|p| p.point), Some(0));
        assert_eq!(choose_best(&[], &[]), None);
    }
}
