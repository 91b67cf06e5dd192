//! `phaseline farm`: a designed sweep, its merge, and the sensitivity of each outcome.

use super::common::{CommandError, Invocation, claim_for, manifest, sweep_options, write_manifest};
use crate::ensemble::Shard;
use crate::farm::FarmPlan;
use crate::output::{Manifest, Reuse};
use crate::scenario::Limits;
use std::path::{Path, PathBuf};

/// What `farm` is asked to do, once its design is planned.
#[derive(Debug, Clone)]
pub struct FarmOptions {
    /// The design file.
    pub design: PathBuf,
    /// Worker threads.
    pub jobs: usize,
    /// Only this shard of the runs.
    pub shard: Option<Shard>,
    /// Continue the folder's journal.
    pub resume: bool,
    /// Shard folders to merge instead of running.
    pub merge: Vec<PathBuf>,
    /// Output folder; `output/<scenario>/farm-<design name>` when `None`.
    pub out: Option<PathBuf>,
    /// Replace results already in the folder.
    pub force: bool,
    /// Skip the charts.
    pub no_charts: bool,
    /// Draw a progress bar on standard error.
    pub progress: bool,
}

/// What `farm` did.
#[derive(Debug, Clone)]
pub struct FarmOutcome {
    /// The folder written.
    pub dir: PathBuf,
    /// How it ended.
    pub result: FarmResult,
}

/// How a farm ended.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum FarmResult {
    /// One shard ran; its folder waits for the merge.
    Shard {
        /// The shard.
        shard: Shard,
        /// Runs made now.
        ran: u64,
        /// Runs taken from the journal.
        resumed: u64,
    },
    /// The whole farm is done (run, or merged from `merged` shards of `runs` runs).
    Done {
        /// Shards merged and their runs, when it was a merge.
        merged: Option<(u32, u64)>,
        /// Which assumptions drive each outcome, in plain words.
        sensitivity_text: String,
    },
}

/// Reads and checks a design file, refusing a scenario given in its place.
pub fn plan_farm(design: &Path, limits: &Limits) -> Result<FarmPlan, CommandError> {
    if !crate::farm::is_design_file(design) && design.is_file() {
        return Err(CommandError::Usage(format!(
            "{} has no [farm] table: it is a scenario, not a design file. Run it with \
             `phaseline run {}` (or `sweep`); `phaseline farm` takes a design file such as \
             scenarios/raqqa-farm.toml",
            design.display(),
            design.display()
        )));
    }
    Ok(crate::farm::plan_farm(design, limits)?)
}

fn farm_manifest(plan: &FarmPlan, inv: &Invocation) -> Manifest {
    let mut m = manifest(inv, &plan.base, "farm", plan.design.seeds.to_string(), &[]);
    m.scenario_file = format!(
        "{} (design {}, sha256 {})",
        plan.base.path.display(),
        plan.design_file.display(),
        plan.design_sha256
    );
    m
}

/// Runs (or merges) the farm of `plan` and writes its folder.
pub fn farm(
    plan: &FarmPlan,
    opts: &FarmOptions,
    inv: &Invocation,
) -> Result<FarmOutcome, CommandError> {
    let out = opts.out.clone().unwrap_or_else(|| {
        crate::output::default_farm_dir(&plan.base.scenario.meta.name, &plan.design.name)
    });
    let mut inputs: Vec<&Path> = vec![&opts.design, &plan.base.path];
    inputs.extend(opts.merge.iter().map(PathBuf::as_path));
    let reuse = Reuse::from_flags(opts.force, Some(opts.resume));
    let _folder = claim_for(&out, reuse, &inputs, &farm_manifest(plan, inv))?;
    let mut merged = None;
    if opts.merge.is_empty() {
        let options = sweep_options(
            opts.jobs,
            opts.shard,
            opts.resume,
            opts.force,
            opts.progress,
        );
        let outcome = crate::farm::run_farm(plan, &options, &out)?;
        write_manifest(&out, &farm_manifest(plan, inv))?;
        if let Some(shard) = opts.shard {
            return Ok(FarmOutcome {
                dir: out,
                result: FarmResult::Shard {
                    shard,
                    ran: outcome.ran,
                    resumed: outcome.resumed,
                },
            });
        }
    } else {
        let m = crate::farm::merge_farm(plan, &opts.merge, &out)?;
        merged = Some((m.shards, m.seeds.len()));
    }
    if !opts.no_charts {
        crate::chart::draw_farm_charts(&out)?;
    }
    crate::brief::write_briefing(&out)?;
    Ok(FarmOutcome {
        result: FarmResult::Done {
            merged,
            sensitivity_text: crate::farm::sensitivity_text(&out)?,
        },
        dir: out,
    })
}
