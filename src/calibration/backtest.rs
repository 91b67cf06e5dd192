//! `phaseline backtest`: an ensemble against the historical record.
//!
//! Every seed runs the scenario (its uncertain parameters drawn for that seed) and reads each
//! milestone of the observations file off the run ([`super::observed::Measure::read`]). The runs
//! go through the sweep machinery ([`run_ensemble`]): a journal, `--resume`, `--shard`, the same
//! bytes for any `--jobs`. Per milestone the result is the observed value against the ensemble's
//! 5/50/95 % points, whether it falls inside that band, the median's error, the CRPS and the 90 %
//! interval score ([`super::score`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::observed::Observations;
use super::score::{band, crps, filled, interval_score};
use super::{CalibrationError, SampledRunner};
use crate::ensemble::{
    JournalHeader, ResultWriter, SeedRange, SeedResult, SeedRunner, SweepIdentity, SweepOptions,
    run_ensemble,
};
use crate::scenario::LoadedScenario;
use crate::sim::simulate;

/// How to run a backtest; only `seeds` and `days` change the results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BacktestOptions {
    /// The seeds.
    pub seeds: SeedRange,
    /// Stop each run after this many days.
    pub days: Option<u32>,
    /// How to run the ensemble (jobs, shard, resume, force, progress bar).
    pub sweep: SweepOptions,
}

/// One milestone's row of the backtest table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneScore {
    /// The milestone's id.
    pub id: String,
    /// What happened.
    pub label: String,
    /// Whether it is a day (else a value).
    pub is_day: bool,
    /// The observed day or value.
    pub observed: f64,
    /// Its ± uncertainty.
    pub plus_minus: f64,
    /// Runs.
    pub runs: usize,
    /// Runs in which the milestone came (for a day; all runs for a value).
    pub reached: usize,
    /// 5 % point of the ensemble; `None`: not reached by the end.
    pub p5: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 95 % point.
    pub p95: Option<f64>,
    /// Whether the observation lies in [p5, p95] (a censored p95 counts as after the end).
    pub inside: bool,
    /// (median − observed) ÷ observed; `None` when the median was not reached or observed is 0.
    pub median_error: Option<f64>,
    /// CRPS, in the milestone's units (censored runs count as the day after the end).
    pub crps: Option<f64>,
    /// Interval score of the 90 % band (censored runs as the day after the end).
    pub interval_score_90: Option<f64>,
}

/// What a backtest found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestTable {
    /// The format.
    pub format: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// Observations name.
    pub observations: String,
    /// Seeds, `A..B`.
    pub seeds: String,
    /// The day a censored run counts as in the scores (the day after the last simulated day).
    pub censor_day: f64,
    /// One row per milestone, in file order.
    pub milestones: Vec<MilestoneScore>,
    /// Milestones inside their band.
    pub inside: usize,
    /// Mean CRPS over the day milestones (days).
    pub mean_crps_days: Option<f64>,
    /// Whether the ensemble's median order of the day milestones matches the observed order.
    pub order_matches: bool,
}

impl BacktestTable {
    /// The table as text for a terminal.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{:<24} {:>10} {:>8} {:>8} {:>8} {:>7} {:>8} {:>8}\n",
            "milestone", "observed", "p5", "p50", "p95", "inside", "error", "CRPS"
        );
        for m in &self.milestones {
            out.push_str(&format!(
                "{:<24} {:>10} {:>8} {:>8} {:>8} {:>7} {:>8} {:>8}\n",
                m.id.chars().take(24).collect::<String>(),
                format!("{}±{}", super::page::num(Some(m.observed)), m.plus_minus),
                super::page::num(m.p5),
                super::page::num(m.p50),
                super::page::num(m.p95),
                if m.inside { "yes" } else { "no" },
                m.median_error
                    .map_or("—".to_owned(), |e| format!("{:+.0}%", e * 100.0)),
                super::page::num(m.crps),
            ));
        }
        out
    }

    /// The one-line summary the command prints.
    pub fn summary_line(&self) -> String {
        format!(
            "{}/{} milestones inside the 5–95 % band; mean CRPS {} days; median order {} the record",
            self.inside,
            self.milestones.len(),
            self.mean_crps_days
                .map_or("n/a".to_owned(), |c| format!("{c:.1}")),
            if self.order_matches {
                "matches"
            } else {
                "differs from"
            }
        )
    }
}

/// Scores the milestone values of every run (`values[run][milestone]`) against `obs`.
pub fn score_table(
    obs: &Observations,
    scenario: &str,
    seeds: &str,
    censor_day: f64,
    values: &[Vec<Option<f64>>],
) -> BacktestTable {
    let milestones: Vec<MilestoneScore> = obs
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let column: Vec<Option<f64>> =
                values.iter().map(|r| r.get(i).copied().flatten()).collect();
            let [p5, p50, p95] = band(&column);
            let y = m.observed;
            let sorted = filled(&column, censor_day);
            let inside = p5.is_some_and(|lo| y >= lo) && p95.is_none_or(|hi| y <= hi);
            let lo_hi = (p5.unwrap_or(censor_day), p95.unwrap_or(censor_day));
            MilestoneScore {
                id: m.id.clone(),
                label: m.label.clone(),
                is_day: m.measure.is_day(),
                observed: y,
                plus_minus: m.plus_minus,
                runs: column.len(),
                reached: column.iter().filter(|v| v.is_some()).count(),
                p5,
                p50,
                p95,
                inside,
                median_error: p50.filter(|_| y != 0.0).map(|p| (p - y) / y),
                crps: crps(&sorted, y),
                interval_score_90: (!column.is_empty())
                    .then(|| interval_score(lo_hi.0, lo_hi.1, y, 0.1)),
            }
        })
        .collect();
    let day_crps: Vec<f64> = milestones
        .iter()
        .filter(|m| m.is_day)
        .filter_map(|m| m.crps)
        .collect();
    let order_matches = order_matches(&milestones, censor_day);
    BacktestTable {
        format: "phaseline-backtest/1",
        scenario: scenario.to_owned(),
        observations: obs.name.clone(),
        seeds: seeds.to_owned(),
        censor_day,
        inside: milestones.iter().filter(|m| m.inside).count(),
        mean_crps_days: (!day_crps.is_empty())
            .then(|| day_crps.iter().sum::<f64>() / day_crps.len() as f64),
        milestones,
        order_matches,
    }
}

/// Whether the day milestones' medians come in the observed order (ties in either count as in
/// order; a median not reached counts as after the end).
fn order_matches(ms: &[MilestoneScore], censor_day: f64) -> bool {
    let days: Vec<(f64, f64)> = ms
        .iter()
        .filter(|m| m.is_day)
        .map(|m| (m.observed, m.p50.unwrap_or(censor_day)))
        .collect();
    days.iter()
        .all(|a| days.iter().all(|b| !(a.0 < b.0 && a.1 > b.1)))
}

/// Runs seeds for a backtest: the figures of a run are its milestone values.
pub struct MilestoneRunner {
    /// The scenario, its uncertain parameters drawn per seed.
    pub sampled: SampledRunner,
    /// The milestones.
    pub observations: Arc<Observations>,
}

impl SeedRunner for MilestoneRunner {
    fn figure_names(&self) -> Vec<String> {
        self.observations
            .milestones
            .iter()
            .map(|m| m.id.clone())
            .collect()
    }

    fn series_names(&self) -> Vec<String> {
        Vec::new()
    }

    fn run_seed(&self, seed: u64) -> Result<SeedResult, String> {
        let scenario = self.sampled.scenario_for(seed)?;
        let out =
            simulate(scenario.clone(), seed, self.sampled.base.days).map_err(|e| e.to_string())?;
        Ok(SeedResult {
            seed,
            figures: self.observations.read(&out, &scenario),
            daily: Vec::new(),
        })
    }
}

/// File names a backtest writes.
pub const BACKTEST_FILES: [&str; 5] = [
    "milestones.csv",
    "backtest.csv",
    "backtest.json",
    "fan_milestones.svg",
    "briefing.html",
];

struct BacktestFiles<'a> {
    obs: &'a Observations,
    scenario: String,
    censor_day: f64,
    provenance: super::page::Provenance,
    table: Mutex<Option<BacktestTable>>,
}

impl ResultWriter for BacktestFiles<'_> {
    fn file_names(&self) -> Vec<&'static str> {
        BACKTEST_FILES.to_vec()
    }

    fn progress_label(&self) -> (&'static str, &'static str) {
        ("backtest", "seeds")
    }

    fn write(
        &self,
        dir: &Path,
        header: &JournalHeader,
        results: &[SeedResult],
    ) -> Result<Vec<PathBuf>, crate::ensemble::EnsembleError> {
        let values: Vec<Vec<Option<f64>>> = results.iter().map(|r| r.figures.clone()).collect();
        let seeds = header.identity.seeds.to_string();
        let table = score_table(self.obs, &self.scenario, &seeds, self.censor_day, &values);
        let written =
            super::page::write_backtest(dir, &table, results, &header.figures, &self.provenance)?;
        if let Ok(mut slot) = self.table.lock() {
            *slot = Some(table);
        }
        Ok(written)
    }
}

/// Runs the backtest of `loaded` against `obs` into `out_dir`.
///
/// # Errors
/// A milestone naming what the scenario lacks ([`CalibrationError::Observed`]), or the ensemble's
/// errors (a folder holding results, a run that fails, a file that cannot be written).
pub fn backtest(
    loaded: &LoadedScenario,
    obs: &Observations,
    options: &BacktestOptions,
    out_dir: &Path,
) -> Result<Option<BacktestTable>, CalibrationError> {
    obs.check_against(&loaded.scenario)?;
    let runner = MilestoneRunner {
        sampled: super::runner(loaded, options.days, false),
        observations: Arc::new(obs.clone()),
    };
    let identity = SweepIdentity {
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        scenario_sha256: super::identity_hash(loaded),
        scenario_name: loaded.scenario.meta.name.clone(),
        seeds: options.seeds,
        overrides: Vec::new(),
        design_sha256: Some(obs.sha256.clone()),
    };
    let days = options.days.unwrap_or(loaded.scenario.meta.duration_days);
    let writer = BacktestFiles {
        obs,
        scenario: loaded.scenario.meta.name.clone(),
        censor_day: f64::from(days) + 1.0,
        provenance: super::page::Provenance::of(loaded, Some(obs)),
        table: Mutex::new(None),
    };
    run_ensemble(&runner, &identity, &options.sweep, out_dir, &writer)?;
    Ok(writer.table.into_inner().ok().flatten())
}
