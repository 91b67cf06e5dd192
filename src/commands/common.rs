//! What every command shares: its error, the scenario input, the manifest it records, and the
//! claiming of its output folder.

use crate::ensemble::{EnsembleError, SeedRange, SweepIdentity};
use crate::farm::FarmError;
use crate::output::{Manifest, OutputError, OutputFolder, Reuse};
use crate::scenario::{
    Limits, LoadedScenario, Override, Scenario, ScenarioError, load_scenario_with_limits,
};
use std::path::{Path, PathBuf};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// The invocation is the user's to fix: a design file given as a scenario (or the reverse),
    /// `--days` past the scenario's end, a folder without results to redraw.
    #[error("{0}")]
    Usage(String),
    /// The scenario could not be read or has problems.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The farm design could not be read, has problems, or its runs failed.
    #[error(transparent)]
    Farm(#[from] FarmError),
    /// The output folder could not be claimed or written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A sweep, merge or comparison failed.
    #[error(transparent)]
    Ensemble(#[from] EnsembleError),
    /// A run could not be built or run.
    #[error(transparent)]
    Run(#[from] crate::sim::RunError),
    /// Charts could not be drawn.
    #[error(transparent)]
    Chart(#[from] crate::chart::ChartError),
    /// A briefing page could not be written.
    #[error(transparent)]
    Brief(#[from] crate::brief::BriefError),
    /// Saved results could not be read back.
    #[error(transparent)]
    Read(#[from] crate::results::read::ReadError),
    /// `manifest.json` could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A value could not be written as JSON.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A backtest or calibration failed (observations, priors, options or its runs).
    #[error(transparent)]
    Calibration(#[from] crate::calibration::CalibrationError),
    /// The scenario's uncertain parameters could not be drawn for a seed.
    #[error("seed {seed}: {message}")]
    Draw {
        /// The seed.
        seed: u64,
        /// What went wrong.
        message: String,
    },
}

impl CommandError {
    /// Whether the user can fix it by changing the input or the flags (exit code 2), rather than a
    /// failure of the machine or the program (exit code 1).
    pub fn is_invalid_input(&self) -> bool {
        match self {
            CommandError::Usage(_) | CommandError::Scenario(_) => true,
            CommandError::Farm(e) => e.is_invalid_input(),
            CommandError::Output(e) => e.is_invalid_input(),
            CommandError::Ensemble(e) => e.is_invalid_input(),
            CommandError::Brief(e) => matches!(e, crate::brief::BriefError::NotResults { .. }),
            CommandError::Calibration(e) => e.is_invalid_input(),
            _ => false,
        }
    }
}

/// How the command was invoked, as its `manifest.json` records it.
#[derive(Debug, Clone, Default)]
pub struct Invocation {
    /// The command line as given (`std::env::args()`).
    pub command_line: Vec<String>,
}

/// A scenario file as a command takes it: the path, `--set` overrides and size limits.
#[derive(Debug, Clone)]
pub struct ScenarioInput {
    /// The scenario file.
    pub scenario: PathBuf,
    /// `--set PATH=VALUE` overrides, in order.
    pub overrides: Vec<Override>,
    /// Size limits.
    pub limits: Limits,
}

/// Refuses a farm design file where a scenario is expected, naming the command that takes it.
pub(super) fn not_a_design(file: &Path, command: &str) -> Result<(), CommandError> {
    if crate::farm::is_design_file(file) {
        return Err(CommandError::Usage(format!(
            "{} is a farm design file (it has a [farm] table), not a scenario: run it with \
             `phaseline farm {}`; `phaseline {command}` takes a scenario file",
            file.display(),
            file.display()
        )));
    }
    Ok(())
}

/// Refuses `--days` longer than the scenario: a run never goes past the scenario's end.
pub(super) fn check_days(days: Option<u32>, scenario: &Scenario) -> Result<(), CommandError> {
    let length = scenario.meta.duration_days;
    match days {
        Some(d) if d > length => Err(CommandError::Usage(format!(
            "--days {d} is longer than scenario \"{}\" (duration_days = {length}); a run stops at \
             the scenario's end. Use --days 1 to {length}, or lengthen the campaign with \
             --set scenario.duration_days={d}",
            scenario.meta.name
        ))),
        _ => Ok(()),
    }
}

/// Loads the scenario a command was given, refusing a design file.
pub(super) fn load(input: &ScenarioInput, command: &str) -> Result<LoadedScenario, CommandError> {
    not_a_design(&input.scenario, command)?;
    Ok(load_scenario_with_limits(
        &input.scenario,
        &input.overrides,
        &input.limits,
    )?)
}

/// The manifest of `command` over `loaded`.
pub(super) fn manifest(
    inv: &Invocation,
    loaded: &LoadedScenario,
    command: &str,
    seeds: String,
    overrides: &[Override],
) -> Manifest {
    Manifest {
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        command: command.to_owned(),
        command_line: inv.command_line.clone(),
        scenario_name: loaded.scenario.meta.name.clone(),
        scenario_file: loaded.path.display().to_string(),
        scenario_sha256: loaded.sha256.clone(),
        seeds,
        overrides: overrides.iter().map(Override::to_string).collect(),
        doctrine: crate::results::DoctrineRecord::of(loaded),
    }
}

/// The identity a sweep's journal and files carry.
pub(super) fn identity(
    loaded: &LoadedScenario,
    seeds: SeedRange,
    overrides: &[Override],
) -> SweepIdentity {
    SweepIdentity {
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        // A doctrine is part of what a sweep computes: resuming with another one is refused.
        scenario_sha256: crate::calibration::identity_hash(loaded),
        scenario_name: loaded.scenario.meta.name.clone(),
        seeds,
        overrides: overrides.iter().map(Override::to_string).collect(),
        design_sha256: None,
    }
}

/// Claims `dir` under the output-folder rule and readies it for `manifest`: phaseline's earlier
/// files go when `reuse` replaces them, temporary files of killed writers always, and the manifest
/// is written first, so that the folder is recognised as phaseline's from then on. A folder being
/// resumed keeps its manifest until the resumed command succeeds (it may be refused, with other
/// seeds say, and must not be left describing them).
pub(super) fn claim_for(
    dir: &Path,
    reuse: Reuse,
    inputs: &[&Path],
    manifest: &Manifest,
) -> Result<OutputFolder, CommandError> {
    let folder = OutputFolder::claim(dir, reuse, inputs)?;
    folder.make_ready()?;
    if !(reuse == Reuse::Continue && folder.held_results()) {
        write_manifest(dir, manifest)?;
    }
    Ok(folder)
}

/// Writes `manifest.json` into `dir`.
pub(super) fn write_manifest(dir: &Path, m: &Manifest) -> Result<(), CommandError> {
    let path = dir.join(crate::output::MANIFEST_FILE);
    let bytes = crate::fsio::json_bytes(m)?;
    crate::fsio::write_atomic(&path, &bytes).map_err(|source| CommandError::Write { path, source })
}

/// How a sweep or farm runs.
pub(super) fn sweep_options(
    jobs: usize,
    shard: Option<crate::ensemble::Shard>,
    resume: bool,
    force: bool,
    progress: bool,
) -> crate::ensemble::SweepOptions {
    crate::ensemble::SweepOptions {
        jobs,
        shard,
        resume,
        force,
        progress,
    }
}
