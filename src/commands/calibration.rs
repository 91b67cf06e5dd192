//! `phaseline backtest` and `phaseline calibrate`: a scenario's ensemble against what was observed,
//! and history matching of its uncertain parameters.

use super::common::{
    CommandError, Invocation, ScenarioInput, check_days, claim_for, load, manifest, sweep_options,
    write_manifest,
};
use crate::calibration::backtest::{BacktestOptions as Backtesting, BacktestTable};
use crate::calibration::calibrate::CalibrateOptions as Calibrating;
use crate::calibration::{CalibrationError, observed::read_observations};
use crate::ensemble::{EnsembleError, SeedRange, Shard};
use crate::output::Reuse;
use std::path::{Path, PathBuf};

/// What `backtest` is asked to do.
#[derive(Debug, Clone)]
pub struct BacktestOptions {
    /// The scenario.
    pub input: ScenarioInput,
    /// The observations file.
    pub observed: PathBuf,
    /// Seeds, inclusive.
    pub seeds: SeedRange,
    /// Worker threads.
    pub jobs: usize,
    /// Only this shard of the seeds.
    pub shard: Option<Shard>,
    /// Continue the folder's journal.
    pub resume: bool,
    /// Replace results already in the folder.
    pub force: bool,
    /// Output folder; `output/<scenario>/backtest-<A>-<B>` when `None`.
    pub out: Option<PathBuf>,
    /// Stop each run after this many days.
    pub days: Option<u32>,
    /// Draw a progress bar on standard error.
    pub progress: bool,
}

/// What `backtest` did.
#[derive(Debug)]
pub struct BacktestOutcome {
    /// The folder written.
    pub dir: PathBuf,
    /// The milestone table; `None` for a shard, whose seeds wait in the journal.
    pub table: Option<BacktestTable>,
}

/// Runs the ensemble and scores it against the observations.
pub fn backtest(opts: &BacktestOptions, inv: &Invocation) -> Result<BacktestOutcome, CommandError> {
    let loaded = load(&opts.input, "backtest")?;
    check_days(opts.days, &loaded.scenario)?;
    let obs = read_observations(&opts.observed).map_err(CalibrationError::from)?;
    obs.check_against(&loaded.scenario)
        .map_err(CalibrationError::from)?;
    let (a, b) = (opts.seeds.first(), opts.seeds.last());
    let out = opts.out.clone().unwrap_or_else(|| {
        Path::new("output")
            .join(&loaded.scenario.meta.name)
            .join(format!("backtest-{a}-{b}"))
    });
    let m = manifest(
        inv,
        &loaded,
        "backtest",
        opts.seeds.to_string(),
        &opts.input.overrides,
    );
    EnsembleError::check_seed_count(opts.seeds.len())?;
    let reuse = Reuse::from_flags(opts.force, Some(opts.resume));
    let _folder = claim_for(&out, reuse, &[&opts.input.scenario, &opts.observed], &m)?;
    let options = Backtesting {
        seeds: opts.seeds,
        days: opts.days,
        sweep: sweep_options(
            opts.jobs,
            opts.shard,
            opts.resume,
            opts.force,
            opts.progress,
        ),
    };
    let table = crate::calibration::backtest::backtest(&loaded, &obs, &options, &out)?;
    write_manifest(&out, &m)?;
    Ok(BacktestOutcome { dir: out, table })
}

/// What `calibrate` is asked to do.
#[derive(Debug, Clone)]
pub struct CalibrateOptions {
    /// The scenario.
    pub input: ScenarioInput,
    /// The observations file.
    pub observed: PathBuf,
    /// A priors file for the uncertain parameters, if any.
    pub priors: Option<PathBuf>,
    /// Seeds per point, inclusive.
    pub seeds: SeedRange,
    /// Waves of history matching.
    pub waves: usize,
    /// Points per wave.
    pub points: usize,
    /// Implausibility cut-off.
    pub cutoff: f64,
    /// Seed of the designs.
    pub design_seed: u64,
    /// Worker threads.
    pub jobs: usize,
    /// Continue the folder's journal.
    pub resume: bool,
    /// Replace results already in the folder.
    pub force: bool,
    /// Output folder; `output/<scenario>/calibrate` when `None`.
    pub out: Option<PathBuf>,
    /// Stop each run after this many days.
    pub days: Option<u32>,
    /// Rescore this many of the best accepted points on `confirm_seeds` and choose among them
    /// there (0: no confirmation stage).
    pub confirm_top: usize,
    /// The confirmation stage's seeds.
    pub confirm_seeds: SeedRange,
    /// Draw a progress bar on standard error.
    pub progress: bool,
}

/// What `calibrate` did.
#[derive(Debug, Clone)]
pub struct CalibrateOutcome {
    /// The folder written.
    pub dir: PathBuf,
    /// The calibrated doctrine file.
    pub doctrine: PathBuf,
    /// The report in plain words.
    pub report_text: String,
}

/// History-matches the scenario's uncertain parameters against the observations.
pub fn calibrate(
    opts: &CalibrateOptions,
    inv: &Invocation,
) -> Result<CalibrateOutcome, CommandError> {
    let loaded = load(&opts.input, "calibrate")?;
    check_days(opts.days, &loaded.scenario)?;
    let obs = read_observations(&opts.observed).map_err(CalibrationError::from)?;
    obs.check_against(&loaded.scenario)
        .map_err(CalibrationError::from)?;
    let base = crate::calibration::calibration_inputs(&loaded, opts.priors.as_deref())?;
    let options = Calibrating {
        waves: opts.waves,
        points: opts.points,
        seeds: opts.seeds,
        cutoff: opts.cutoff,
        design_seed: opts.design_seed,
        days: opts.days,
        sweep: sweep_options(opts.jobs, None, opts.resume, opts.force, opts.progress),
        confirm: (opts.confirm_top > 0).then_some(crate::calibration::calibrate::Confirm {
            top: opts.confirm_top,
            seeds: opts.confirm_seeds,
        }),
    };
    crate::calibration::calibrate::check_options(&base, &options)?;
    let out = opts.out.clone().unwrap_or_else(|| {
        Path::new("output")
            .join(&loaded.scenario.meta.name)
            .join("calibrate")
    });
    let m = manifest(
        inv,
        &loaded,
        "calibrate",
        opts.seeds.to_string(),
        &opts.input.overrides,
    );
    let mut inputs: Vec<&Path> = vec![&opts.input.scenario, &opts.observed];
    inputs.extend(opts.priors.as_deref());
    let reuse = Reuse::from_flags(opts.force, Some(opts.resume));
    let _folder = claim_for(&out, reuse, &inputs, &m)?;
    let outcome = crate::calibration::calibrate::calibrate(&loaded, &base, &obs, &options, &out)?;
    write_manifest(&out, &m)?;
    Ok(CalibrateOutcome {
        doctrine: out.join("calibrated-doctrine.toml"),
        report_text: crate::calibration::calibrated::report_text(&outcome.report),
        dir: out,
    })
}
