//! Data farming: designed parameter sweeps over many scenario assumptions at once, and a
//! sensitivity analysis that says which of them drive the outcome.
//!
//! The practice follows the NPS SEED Center: a space-filling, nearly orthogonal Latin hypercube (or
//! a full factorial for small designs) over the factors, several seeds at every design point (the
//! same seeds everywhere: common random numbers), and standardized rank regression of each outcome on
//! the factors.
//!
//! # How a farm flows
//! 1. [`plan_farm`] reads the design file ([`design_file`]), the scenario it names, checks every
//!    factor against the scenario, lays the design out ([`lhs`]) and builds one checked scenario per
//!    point ([`plan`]).
//! 2. [`run_farm`] runs every (point, seed) on the ensemble machinery
//!    ([`crate::ensemble::run_ensemble`]): the runs are numbered `point × seeds + seed index`, so the
//!    journal, `--resume`, `--shard K/N` and merging work exactly as for a seed sweep.
//! 3. When every run is in, [`files::FarmFiles`] writes `design.csv`, `runs.csv`, `points.csv` and
//!    `sensitivity.json` ([`sensitivity`] computes it, [`sensitivity_file`] is its format, which the
//!    charts and the briefing page read back) from the results in run order: the same bytes
//!    whatever the thread count, sharding or resuming.

pub mod design_file;
pub mod files;
pub mod lhs;
pub mod plan;
pub mod report;
pub mod sensitivity;
pub mod sensitivity_file;

use std::path::Path;

use crate::ensemble::{
    JournalHeader, MergeOutcome, SeedRunner, SweepOptions, SweepOutcome, merge_with, run_ensemble,
};

pub use design_file::{DesignKind, Factor, FarmDesign, parse_design};
pub use files::FarmFiles;
pub use plan::{FarmError, FarmPlan, FarmRunner, plan_farm, plan_farm_bytes};
pub use report::{design_text, points_text, sensitivity_text};
pub use sensitivity_file::SensitivityFile;

/// Whether `path` holds a design file rather than a scenario: TOML with a top-level `[farm]` table.
/// (A file that cannot be read is not one; reading it as a scenario reports why.) Read line by line,
/// so a large scenario is not held in memory twice, and no further than the scenario size limit, so
/// `/dev/zero` is not read forever.
pub fn is_design_file(path: &Path) -> bool {
    use std::io::{BufRead, Read};
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    !is_json
        && std::fs::File::open(path).is_ok_and(|file| {
            std::io::BufReader::new(file.take(crate::scenario::load::MAX_FILE_BYTES))
                .split(b'\n')
                .map_while(Result::ok)
                .any(|line| is_design_text(&line))
        })
}

/// Whether the bytes of a file are a design file's: a line that starts a top-level `[farm]` table.
pub fn is_design_text(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .any(|line| line.trim_ascii_start().starts_with(b"[farm]"))
}

/// Runs every (point, seed) of `plan` (or one shard of them) into `out_dir` and, unsharded, writes
/// the farm's result files there.
///
/// # Errors
/// As [`run_ensemble`]: a folder holding results (unless `options.force` or `resume`), a resumed
/// folder of another design or scenario, a run that fails, or a file that cannot be written.
pub fn run_farm(
    plan: &FarmPlan,
    options: &SweepOptions,
    out_dir: &Path,
) -> Result<SweepOutcome, FarmError> {
    let runner = plan.runner();
    Ok(run_ensemble(
        &runner,
        &plan.identity(),
        options,
        out_dir,
        &FarmFiles { plan },
    )?)
}

/// Combines the shard folders of `plan` (written by [`run_farm`] with a shard) into its result files
/// in `out_dir`: the same bytes as the unsharded farm.
///
/// # Errors
/// As [`crate::ensemble::merge`], and a shard of another design, scenario or engine version.
pub fn merge_farm<P: AsRef<Path>>(
    plan: &FarmPlan,
    shard_dirs: &[P],
    out_dir: &Path,
) -> Result<MergeOutcome, FarmError> {
    let runner = plan.runner();
    let expected = JournalHeader::new(
        &plan.identity(),
        None,
        runner.figure_names(),
        runner.series_names(),
    );
    Ok(merge_with(
        shard_dirs,
        out_dir,
        &FarmFiles { plan },
        Some(&expected),
    )?)
}
