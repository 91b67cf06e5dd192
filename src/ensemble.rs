//! Seed ensembles: run one scenario over a range of seeds, aggregate, shard, merge, resume, compare.
//!
//! The module knows nothing of the simulation: it drives any [`SeedRunner`], which turns a seed into
//! the figures of `runs.csv` and the daily series of `bands.csv` (see `docs/output-formats.md`).
//!
//! # How a sweep flows
//! 1. [`run_sweep`] runs the seeds of [`SweepIdentity::seeds`] (or of one [`Shard`] of them) on a
//!    local rayon pool of exactly `jobs` threads.
//! 2. Each finished seed is appended, as one line, to the journal `seeds.journal` in the output folder
//!    and flushed at once, so a killed sweep loses nothing; `resume` skips the seeds found there.
//! 3. When every seed is in the journal, an unsharded sweep reads the journal back, orders it by seed
//!    and writes `runs.csv`, `bands.csv` and `aggregate.json`. A shard stops at the journal; [`merge`]
//!    combines the shard folders into the same three files.
//!
//! # Ordering guarantees
//! - Results are ordered by seed before anything is summed or sorted; completion order, `jobs` and
//!   sharding never reach the result files, which are byte-identical however they were produced.
//! - Sums run in ascending seed order (compensated); percentiles are R's type 7.
//! - Journal values are written with Rust's shortest round-trip `{}` and parsed back exactly, so
//!   aggregating from the journal gives the bits the runner produced.
//!
//! # Files
//! - `seeds.journal`: one line per finished seed, `seed<TAB>figures<TAB>days<TAB>daily\n`; figures
//!   comma-separated (empty = `None`), daily rows separated by `;`, series within a row by `,`.
//!   Only lines ending in `\n` count: a torn last line is dropped on resume.
//! - `sweep.json` (unsharded) or `shard.json` (a shard): the [`JournalHeader`] saying what the
//!   journal holds; resume and merge refuse a journal whose header differs.
//! - `runs.csv`, `bands.csv` as in `docs/output-formats.md`; `aggregate.json` is
//!   `{"seeds": "A..B", "seed_count": N, "figures": {name: {n, mean, sd, ci95_low, ci95_high, p5,
//!   p25, p50, p75, p95, reached_share}}}`, figures in runner order, `null` where undefined.
//! - [`compare`] writes `pairs.csv` (`seed,figure,a,b,diff`, `diff = b - a`), `a_bands.csv`,
//!   `b_bands.csv` and `comparison.json`.
//!
//! The library does not lock a folder: the command line claims each output folder under its writer
//! lock ([`crate::output::OutputFolder`]) before it calls these functions, so two sweeps never
//! write one journal at once.

mod compare;
mod error;
mod files;
mod header;
mod journal;
mod merge;
mod pool;
mod seeds;
mod slurm;
mod stats;
mod sweep;
#[cfg(test)]
mod tests;
mod tradeoff;

use serde::{Deserialize, Serialize};

pub use compare::{
    Arm, CompareOptions, Comparison, FigureComparison, PhaseStart, compare, isolation_verdict,
    verdict,
};
pub use error::EnsembleError;
pub use files::{csv_bytes, json_bytes, write_atomic};
pub use header::JournalHeader;
pub use journal::{JOURNAL_FILE, SHARD_HEADER_FILE, SWEEP_HEADER_FILE};
pub use merge::merge_with;
pub use merge::{MergeOutcome, merge};
pub use pool::rate_key;
pub use seeds::{SeedRange, Shard};
pub use slurm::{SlurmJob, SlurmOptions, slurm_script, slurm_submit_commands};
pub use stats::{FigureStats, percentile_type7, student_t_quantile};
pub use sweep::{SweepOptions, SweepOutcome, run_ensemble, run_sweep};
pub use tradeoff::{Family, FamilyVerdict, Lean, Names, Paired, Tradeoff, tradeoff};

/// Most seeds one sweep, comparison or farm may run: every seed's results are held in memory to
/// aggregate them, so a larger ensemble is refused before anything is allocated.
pub const MAX_SEEDS: u64 = 10_000_000;

/// One seed's results as the ensemble sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedResult {
    /// The seed these results come from.
    pub seed: u64,
    /// One value per [`SeedRunner::figure_names`], `None` where it never happened (censored).
    pub figures: Vec<Option<f64>>,
    /// `daily[day][series]`, one row per day from day 0, one value per [`SeedRunner::series_names`].
    pub daily: Vec<Vec<f64>>,
}

/// What the ensemble needs from the engine.
///
/// `run_seed` is called from several threads at once and must depend on the seed only.
pub trait SeedRunner: Sync {
    /// `runs.csv` columns after `seed`, in a stable order.
    fn figure_names(&self) -> Vec<String>;
    /// Numeric timeseries columns for `bands.csv`, in a stable order.
    fn series_names(&self) -> Vec<String>;
    /// Runs one seed; the error text is reported with the seed.
    fn run_seed(&self, seed: u64) -> Result<SeedResult, String>;
}

/// What a sweep computes, as recorded in journal headers and compared by resume and merge.
///
/// Passed in by the caller (the CLI knows the engine version and the scenario's hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepIdentity {
    /// The engine's version, e.g. `env!("CARGO_PKG_VERSION")`.
    pub engine_version: String,
    /// Hex SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
    /// The scenario's name.
    pub scenario_name: String,
    /// The whole sweep's seeds (every shard records the whole range).
    pub seeds: SeedRange,
    /// Command-line overrides applied to the scenario, in the order given.
    pub overrides: Vec<String>,
    /// Hex SHA-256 of the design file, for a designed sweep (`phaseline farm`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design_sha256: Option<String>,
}

/// What an ensemble writes into its folder once every seed's results are in: the sweep's
/// [`SweepFiles`], or a designed sweep's own files.
///
/// `write` gets the results in ascending seed order, whatever order they were run in, so its files
/// can be byte-identical across `jobs` and shards.
pub trait ResultWriter {
    /// Names of the files `write` produces: an existing one makes a fresh start refuse the folder
    /// (unless forced, which deletes them).
    fn file_names(&self) -> Vec<&'static str>;
    /// What the progress bar calls the ensemble and what it counts: (`sweep`, `seeds`), (`farm`,
    /// `runs`).
    fn progress_label(&self) -> (&'static str, &'static str) {
        ("sweep", "seeds")
    }
    /// Writes the result files into `dir`; returns their paths.
    fn write(
        &self,
        dir: &std::path::Path,
        header: &JournalHeader,
        results: &[SeedResult],
    ) -> Result<Vec<std::path::PathBuf>, EnsembleError>;
}

/// The files of a plain seed sweep: `runs.csv`, `bands.csv` and `aggregate.json`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SweepFiles;

impl ResultWriter for SweepFiles {
    fn file_names(&self) -> Vec<&'static str> {
        vec![files::RUNS_FILE, files::BANDS_FILE, files::AGGREGATE_FILE]
    }

    fn write(
        &self,
        dir: &std::path::Path,
        header: &JournalHeader,
        results: &[SeedResult],
    ) -> Result<Vec<std::path::PathBuf>, EnsembleError> {
        files::write_results(
            dir,
            header.identity.seeds,
            &header.figures,
            &header.series,
            results,
        )
    }
}
