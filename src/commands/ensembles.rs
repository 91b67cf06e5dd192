//! `phaseline sweep`, `merge` and `compare`: seed ensembles and their folders.

use super::common::{
    CommandError, Invocation, ScenarioInput, check_days, claim_for, identity, load, manifest,
    not_a_design, sweep_options, write_manifest,
};
use crate::ensemble::{self, SeedRange, Shard};
use crate::output::{Manifest, Reuse};
use crate::scenario::{Limits, Override, load_scenario_with_limits};
use std::path::{Path, PathBuf};

/// What `sweep` is asked to do.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// The scenario.
    pub input: ScenarioInput,
    /// Seeds, inclusive.
    pub seeds: SeedRange,
    /// Worker threads.
    pub jobs: usize,
    /// Only this shard of the seeds.
    pub shard: Option<Shard>,
    /// Continue the folder's journal.
    pub resume: bool,
    /// Output folder; `output/<scenario>/sweep-<A>-<B>` when `None`.
    pub out: Option<PathBuf>,
    /// Stop each run after this many days.
    pub days: Option<u32>,
    /// Replace results already in the folder.
    pub force: bool,
    /// Skip the charts.
    pub no_charts: bool,
    /// Draw a progress bar on standard error.
    pub progress: bool,
}

/// What `sweep` did.
#[derive(Debug, Clone)]
pub struct SweepOutcome {
    /// The folder written.
    pub dir: PathBuf,
    /// The shard run, if only one was.
    pub shard: Option<Shard>,
    /// Seeds run now.
    pub ran: u64,
    /// Seeds taken from the journal.
    pub resumed: u64,
    /// The ensemble in plain words (a whole sweep only).
    pub summary_text: Option<String>,
}

/// Runs a sweep (or one shard of it) and writes its folder.
pub fn sweep(opts: &SweepOptions, inv: &Invocation) -> Result<SweepOutcome, CommandError> {
    let loaded = load(&opts.input, "sweep")?;
    check_days(opts.days, &loaded.scenario)?;
    let out = opts.out.clone().unwrap_or_else(|| {
        crate::output::default_sweep_dir(&loaded.scenario.meta.name, opts.seeds)
    });
    let m = manifest(
        inv,
        &loaded,
        "sweep",
        opts.seeds.to_string(),
        &opts.input.overrides,
    );
    ensemble::EnsembleError::check_seed_count(opts.seeds.len())?;
    let reuse = Reuse::from_flags(opts.force, Some(opts.resume));
    let _folder = claim_for(&out, reuse, &[&opts.input.scenario], &m)?;
    let runner = crate::calibration::runner(&loaded, opts.days, true);
    let identity = identity(&loaded, opts.seeds, &opts.input.overrides);
    let options = sweep_options(
        opts.jobs,
        opts.shard,
        opts.resume,
        opts.force,
        opts.progress,
    );
    let outcome = crate::calibration::inputs_share::run_sweep(&runner, &identity, &options, &out)?;
    write_manifest(&out, &m)?;
    let mut summary_text = None;
    if opts.shard.is_none() {
        if !opts.no_charts {
            crate::chart::draw_sweep_charts(&out)?;
        }
        crate::brief::write_briefing(&out)?;
        summary_text = Some(crate::report::sweep_summary_text(&out).unwrap_or_default());
    }
    Ok(SweepOutcome {
        dir: out,
        shard: opts.shard,
        ran: outcome.ran,
        resumed: outcome.resumed,
        summary_text,
    })
}

/// What `merge` is asked to do.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// Shard folders of one sweep.
    pub shards: Vec<PathBuf>,
    /// Folder for the merged results.
    pub out: PathBuf,
    /// Replace results already there.
    pub force: bool,
}

/// What `merge` did.
#[derive(Debug, Clone)]
pub struct MergeOutcome {
    /// The folder written.
    pub dir: PathBuf,
    /// Shards merged.
    pub shards: u32,
    /// The seeds they cover.
    pub seeds: SeedRange,
    /// The ensemble in plain words.
    pub summary_text: String,
}

/// The manifest of a merge: the first shard's, with this command line (the engine's own when the
/// shard has none).
fn merge_manifest(shards: &[PathBuf], inv: &Invocation) -> Manifest {
    let from_shard = shards
        .first()
        .map(|s| s.join(crate::output::MANIFEST_FILE))
        .and_then(|p| crate::fsio::read_limited(&p, 1 << 20).ok())
        .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok());
    let mut m = from_shard.unwrap_or_else(|| Manifest {
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        command: String::new(),
        command_line: Vec::new(),
        scenario_name: String::new(),
        scenario_file: String::new(),
        scenario_sha256: String::new(),
        seeds: String::new(),
        overrides: Vec::new(),
        doctrine: None,
    });
    m.command = "merge".into();
    m.command_line = inv.command_line.clone();
    m
}

/// Merges the shards of a sweep into the files of the unsharded sweep.
pub fn merge(opts: &MergeOptions, inv: &Invocation) -> Result<MergeOutcome, CommandError> {
    let inputs: Vec<&Path> = opts.shards.iter().map(PathBuf::as_path).collect();
    let reuse = Reuse::from_flags(opts.force, None);
    let manifest = merge_manifest(&opts.shards, inv);
    let _folder = claim_for(&opts.out, reuse, &inputs, &manifest)?;
    let outcome = ensemble::merge(&opts.shards, &opts.out)?;
    crate::chart::draw_sweep_charts(&opts.out)?;
    crate::brief::write_briefing(&opts.out)?;
    Ok(MergeOutcome {
        dir: opts.out.clone(),
        shards: outcome.shards,
        seeds: outcome.seeds,
        summary_text: crate::report::sweep_summary_text(&opts.out).unwrap_or_default(),
    })
}

/// What `compare` is asked to do.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Course A's scenario.
    pub a: PathBuf,
    /// Course B's scenario.
    pub b: PathBuf,
    /// `--set` overrides applied to both.
    pub overrides: Vec<Override>,
    /// Size limits.
    pub limits: Limits,
    /// Seeds, inclusive (common random numbers: the same seeds for both).
    pub seeds: SeedRange,
    /// Worker threads.
    pub jobs: usize,
    /// Output folder; `output/compare-<A>-vs-<B>` when `None`.
    pub out: Option<PathBuf>,
    /// Stop each run after this many days.
    pub days: Option<u32>,
    /// Replace results already in the folder.
    pub force: bool,
    /// Skip the charts.
    pub no_charts: bool,
    /// Draw a progress bar on standard error.
    pub progress: bool,
}

/// What `compare` did.
#[derive(Debug, Clone)]
pub struct CompareOutcome {
    /// The folder written.
    pub dir: PathBuf,
    /// The verdict in plain words.
    pub verdict: String,
}

/// Runs two courses of action on common random numbers and writes the comparison.
pub fn compare(opts: &CompareOptions, inv: &Invocation) -> Result<CompareOutcome, CommandError> {
    not_a_design(&opts.a, "compare")?;
    not_a_design(&opts.b, "compare")?;
    let a = load_scenario_with_limits(&opts.a, &opts.overrides, &opts.limits)?;
    let b = load_scenario_with_limits(&opts.b, &opts.overrides, &opts.limits)?;
    check_days(opts.days, &a.scenario)?;
    check_days(opts.days, &b.scenario)?;
    let out = opts.out.clone().unwrap_or_else(|| {
        crate::output::default_compare_dir(&a.scenario.meta.name, &b.scenario.meta.name)
    });
    let mut m = manifest(inv, &a, "compare", opts.seeds.to_string(), &opts.overrides);
    m.scenario_file = format!("{} vs {}", a.path.display(), b.path.display());
    m.scenario_sha256 = format!("{} vs {}", a.sha256, b.sha256);
    ensemble::EnsembleError::check_seed_count(opts.seeds.len())?;
    let reuse = Reuse::from_flags(opts.force, None);
    let _folder = claim_for(&out, reuse, &[&opts.a, &opts.b], &m)?;
    let runner_a = crate::calibration::runner(&a, opts.days, false);
    let runner_b = crate::calibration::runner(&b, opts.days, false);
    let (id_a, id_b) = (
        identity(&a, opts.seeds, &opts.overrides),
        identity(&b, opts.seeds, &opts.overrides),
    );
    let options = ensemble::CompareOptions {
        jobs: opts.jobs,
        force: opts.force,
        progress: opts.progress,
    };
    let comparison = ensemble::compare(
        ensemble::Arm {
            runner: &runner_a,
            identity: &id_a,
        },
        ensemble::Arm {
            runner: &runner_b,
            identity: &id_b,
        },
        &options,
        &out,
    )?;
    if !opts.no_charts {
        crate::chart::draw_compare_charts(&out)?;
    }
    crate::brief::write_briefing(&out)?;
    let objective = a.scenario.objectives.first().map_or("the objective", |o| {
        a.scenario.settlements[o.settlement].name.as_str()
    });
    Ok(CompareOutcome {
        verdict: ensemble::verdict(&comparison, objective),
        dir: out,
    })
}
