//! The command line's arguments: every command and flag, with the limits checked as they are
//! parsed.

use crate::ensemble::{SeedRange, Shard};
use clap::{Parser, Subcommand};
use phaseline::scenario::{Limits, Override};
use std::path::PathBuf;

pub(crate) const ABOUT: &str = "phaseline — a deterministic campaign phase simulation engine.

It models a phased campaign (isolate a city by cutting its supply routes and its back door, clear and
hold the villages around it, resupply, shape with air strikes, while a second front loads the enemy's
command) as a bevy_ecs world, and turns a scenario file and a seed into time series, events, a
summary and briefing charts. The same scenario, seed and engine version give the same bytes.";

pub(crate) const EXIT_CODES: &str = "Exit codes: 0 success · 2 invalid input (scenario problems, bad flags, an output folder that already holds results, holds other files, is an input or is in use; resume or merge inputs that do not match) · 1 any other failure.
Output folders: a folder phaseline made (it has a manifest.json) is replaced only with --force; a folder holding anything else is never emptied; inputs are never overwritten; one writer at a time.
Format reference: scenarios/README.md · JSON Schema: phaseline schema";

#[derive(Parser)]
#[command(name = "phaseline", version, about = ABOUT, after_help = EXIT_CODES)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Run one seed of a scenario and write its results (and charts) into a folder.
    Run(RunArgs),
    /// Check scenario files (and farm design, doctrine and observations files) and report every
    /// problem with file:line:column and how to fix it.
    Validate {
        /// Scenario files (.toml, or .json).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Treat warnings (legal but almost surely a mistake, e.g. a side without a depot) as
        /// errors: exit 2.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Print the JSON Schema of the scenario format (or, with --markdown, the format reference).
    Schema {
        /// Print the Markdown format reference instead.
        #[arg(long)]
        markdown: bool,
    },
    /// Run a Monte Carlo ensemble over seeds on every core: runs.csv, bands.csv, aggregate.json.
    Sweep(SweepArgs),
    /// Combine the shard folders of a sharded sweep into the files of the unsharded sweep.
    Merge {
        /// Shard folders written by `sweep --shard K/N`.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Folder for the merged results.
        #[arg(long)]
        out: PathBuf,
        /// Replace results already in --out.
        #[arg(long)]
        force: bool,
    },
    /// Compare two courses of action on the same seeds (common random numbers, paired differences).
    Compare(CompareArgs),
    /// Run a designed sweep (data farming) from a design file and rank the assumptions that drive
    /// each outcome: design.csv, runs.csv, points.csv, sensitivity.json and tornado charts.
    #[command(after_help = FARM_HELP)]
    Farm(FarmArgs),
    /// Print a Slurm job-array script (and the submit commands) that runs a sweep (or, with --farm,
    /// a designed sweep) as shards.
    Slurm(SlurmArgs),
    /// Run an ensemble against the historical record: per milestone of an observations file, the
    /// observed value against the 5/50/95 % band, inside or not, CRPS and interval score; table,
    /// fan chart with the historical marks and a briefing page. Exits 0 whether or not it fits.
    Backtest(BacktestArgs),
    /// Fit the uncertain parameters to an observations file by history matching (waves of Latin
    /// hypercubes, implausibility cut-off): accepted parameter sets, a calibrated doctrine and a
    /// report of what the record pins down.
    Calibrate(CalibrateArgs),
    /// Write a synthetic scenario of any size (a geometric road graph), for benchmarks and scale tests.
    Generate(GenerateArgs),
    /// Redraw the charts of a run, sweep or comparison folder from its saved files (no simulation).
    Chart {
        /// The results folder.
        dir: PathBuf,
    },
    /// Rewrite briefing.html of a run, sweep or comparison folder from its saved files (no simulation).
    Brief {
        /// The results folder.
        dir: PathBuf,
    },
}

/// The `--help` heading of the limit flags, kept apart from the flags used every day.
const LIMITS: &str = "Input limits (raise one when a scenario really is that big)";

/// Input limits, checked before anything is allocated; raise one when a scenario really is that big.
#[derive(clap::Args, Default)]
pub(crate) struct LimitArgs {
    /// Largest scenario file, bytes [default: 268435456].
    #[arg(long, help_heading = LIMITS, value_name = "BYTES")]
    pub(crate) max_file_bytes: Option<u64>,
    /// Most [[settlement]] tables [default: 250000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    pub(crate) max_settlements: Option<usize>,
    /// Most [[route]] tables [default: 1000000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    pub(crate) max_routes: Option<usize>,
    /// Most [[unit]] tables [default: 2500000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    pub(crate) max_units: Option<usize>,
    /// Most [[depot]] tables [default: 250000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    pub(crate) max_depots: Option<usize>,
    /// Most sides, objectives, phases, fronts, injects or features [default: 10000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    pub(crate) max_plan_tables: Option<usize>,
    /// Longest list (sources, area…) [default: 250000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    pub(crate) max_list_len: Option<usize>,
    /// Longest string, bytes [default: 65536].
    #[arg(long, help_heading = LIMITS, value_name = "BYTES")]
    pub(crate) max_string_bytes: Option<usize>,
    /// Deepest nesting [default: 32].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    pub(crate) max_depth: Option<usize>,
}

impl LimitArgs {
    pub(crate) fn limits(&self) -> Limits {
        let d = Limits::default();
        Limits {
            max_file_bytes: self.max_file_bytes.unwrap_or(d.max_file_bytes),
            max_settlements: self.max_settlements.unwrap_or(d.max_settlements),
            max_routes: self.max_routes.unwrap_or(d.max_routes),
            max_units: self.max_units.unwrap_or(d.max_units),
            max_depots: self.max_depots.unwrap_or(d.max_depots),
            max_plan_tables: self.max_plan_tables.unwrap_or(d.max_plan_tables),
            max_list_len: self.max_list_len.unwrap_or(d.max_list_len),
            max_string_bytes: self.max_string_bytes.unwrap_or(d.max_string_bytes),
            max_depth: self.max_depth.unwrap_or(d.max_depth),
        }
    }
}

/// Most worker threads `--jobs` accepts: far more than any machine's cores, far fewer than would
/// exhaust the process table.
pub(crate) const MAX_JOBS: usize = 1024;

/// Parses `--jobs`: 0 (one per core) to [`MAX_JOBS`].
pub(crate) fn parse_jobs(text: &str) -> Result<usize, String> {
    let jobs: usize = text
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number"))?;
    if jobs > MAX_JOBS {
        return Err(format!(
            "{jobs} worker threads are more than the {MAX_JOBS} allowed; 0 means one per core"
        ));
    }
    Ok(jobs)
}

/// Most array tasks `slurm --shards` writes a script for.
pub(crate) const MAX_SHARDS: u32 = 100_000;

/// The fewest settlements and units `phaseline::generate` lays out (it raises smaller counts).
pub(crate) const GENERATE_MIN: (usize, usize) = (6, 2);

#[derive(clap::Args)]
pub(crate) struct GenerateArgs {
    /// Number of settlements (at least 6).
    #[arg(long, default_value_t = 1000)]
    pub(crate) settlements: usize,
    /// Number of units (at least 2).
    #[arg(long, default_value_t = 10_000)]
    pub(crate) units: usize,
    /// Seed of the layout.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Output file (.json for JSON, anything else TOML); standard output when absent.
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// The limits the generated scenario must pass (those `validate` and `run` apply).
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
}

#[derive(clap::Args)]
pub(crate) struct ScenarioArgs {
    /// Scenario file (.toml, or .json for machine-made ones).
    pub(crate) scenario: PathBuf,
    /// Override a scenario field for this invocation, e.g. --set air.sorties_per_day=40 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub(crate) overrides: Vec<Override>,
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
}

#[derive(clap::Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub(crate) input: ScenarioArgs,
    /// Seed of the run's random streams.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Results folder [default: output/<scenario>/seed-<N>].
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Stop after this many days, 1 to the scenario's duration_days (the default); to run longer,
    /// raise it with --set scenario.duration_days=D.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) days: Option<u32>,
    /// Replace a results folder that already exists.
    #[arg(long)]
    pub(crate) force: bool,
    /// Skip the charts (PNG and SVG).
    #[arg(long)]
    pub(crate) no_charts: bool,
    /// Print the time spent in each system and the ticks per second (on stderr).
    #[arg(long)]
    pub(crate) timings: bool,
}

#[derive(clap::Args)]
pub(crate) struct SweepArgs {
    #[command(flatten)]
    pub(crate) input: ScenarioArgs,
    /// Seeds, inclusive at both ends: 1..1000 is 1000 seeds.
    #[arg(long, default_value = "1..100")]
    pub(crate) seeds: SeedRange,
    /// Worker threads (0: every core; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = parse_jobs)]
    pub(crate) jobs: usize,
    /// Run only slice K of N (K from 0 to N−1, as sbatch --array=0-(N-1) numbers tasks).
    #[arg(long, value_name = "K/N")]
    pub(crate) shard: Option<Shard>,
    /// Continue a sweep in --out from the seeds already on disk.
    #[arg(long)]
    pub(crate) resume: bool,
    /// Replace results already in --out.
    #[arg(long)]
    pub(crate) force: bool,
    /// Results folder [default: output/<scenario>/sweep-<A>-<B>].
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Stop each run after this many days (1 to the scenario's duration_days).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) days: Option<u32>,
    /// Skip the charts.
    #[arg(long)]
    pub(crate) no_charts: bool,
}

pub(crate) const FARM_HELP: &str = "The design file names the scenario, the factors (scenario fields as --set names them, each with low and high), the design (latin_hypercube with N points, or full_factorial) and the seeds run at every point; see scenarios/README.md, \"Designed sweeps\", and scenarios/raqqa-farm.toml.

Examples:
  phaseline farm scenarios/raqqa-farm.toml                 # all runs on every core, then sensitivity and charts
  phaseline farm scenarios/raqqa-farm.toml --check         # check the design and print its points, run nothing
  phaseline farm DESIGN --shard 0/4 --out shards/0         # one slice of the runs (e.g. one Slurm array task)
  phaseline farm DESIGN --merge shards/0 shards/1 shards/2 shards/3 --out results

The result files are the same bytes whatever --jobs, sharding or resuming.";

#[derive(clap::Args)]
pub(crate) struct FarmArgs {
    /// The design file (TOML).
    pub(crate) design: PathBuf,
    /// Worker threads (0: every core; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = parse_jobs)]
    pub(crate) jobs: usize,
    /// Run only slice K of N of the runs (K from 0 to N−1), into --out, for merging later.
    #[arg(long, value_name = "K/N", conflicts_with = "merge")]
    pub(crate) shard: Option<Shard>,
    /// Continue a farm in --out from the runs already on disk.
    #[arg(long, conflicts_with = "merge")]
    pub(crate) resume: bool,
    /// Replace results already in --out.
    #[arg(long)]
    pub(crate) force: bool,
    /// Results folder [default: output/<scenario>/farm-<design name>].
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Combine these shard folders (written with --shard) into --out instead of running.
    #[arg(long, value_name = "SHARD_DIR", num_args = 1..)]
    pub(crate) merge: Vec<PathBuf>,
    /// Check the design and print its points and quality; run nothing.
    #[arg(long, conflicts_with_all = ["shard", "resume", "merge"])]
    pub(crate) check: bool,
    /// Skip the charts.
    #[arg(long)]
    pub(crate) no_charts: bool,
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
}

#[derive(clap::Args)]
pub(crate) struct CompareArgs {
    /// Course of action A.
    pub(crate) a: PathBuf,
    /// Course of action B.
    pub(crate) b: PathBuf,
    /// Seeds, inclusive at both ends.
    #[arg(long, default_value = "1..100")]
    pub(crate) seeds: SeedRange,
    /// Worker threads (0: every core; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = parse_jobs)]
    pub(crate) jobs: usize,
    /// Results folder [default: output/compare-<A>-vs-<B>].
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Replace results already in --out.
    #[arg(long)]
    pub(crate) force: bool,
    /// Stop each run of both courses after this many days (1 to the shorter scenario's
    /// duration_days).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) days: Option<u32>,
    /// Skip the charts.
    #[arg(long)]
    pub(crate) no_charts: bool,
    /// Override a field in both scenarios (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub(crate) overrides: Vec<Override>,
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
}

#[derive(clap::Args)]
pub(crate) struct SlurmArgs {
    /// Scenario file (or, with --farm, design file), as the cluster sees it.
    pub(crate) scenario: PathBuf,
    /// Seeds, inclusive (a sweep's; a farm's come from its design file).
    #[arg(long, required_unless_present = "farm")]
    pub(crate) seeds: Option<SeedRange>,
    /// The file is a design file: run `phaseline farm` shards and merge them with `farm --merge`.
    #[arg(long, conflicts_with = "seeds")]
    pub(crate) farm: bool,
    /// Number of array tasks (1 to 100000).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SHARDS)))]
    pub(crate) shards: u32,
    /// Results folder on the cluster.
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// Path of the phaseline binary on the cluster.
    #[arg(long, default_value = "phaseline")]
    pub(crate) phaseline: String,
}

impl ScenarioArgs {
    /// The library's scenario input.
    pub(crate) fn input(&self) -> phaseline::commands::ScenarioInput {
        phaseline::commands::ScenarioInput {
            scenario: self.scenario.clone(),
            overrides: self.overrides.clone(),
            limits: self.limits.limits(),
        }
    }
}

impl RunArgs {
    /// The library's options for `run`.
    pub(crate) fn options(&self) -> phaseline::commands::RunOptions {
        phaseline::commands::RunOptions {
            input: self.input.input(),
            seed: self.seed,
            out: self.out.clone(),
            days: self.days,
            force: self.force,
            no_charts: self.no_charts,
            timings: self.timings,
            progress: true,
        }
    }
}

impl SweepArgs {
    /// The library's options for `sweep`.
    pub(crate) fn options(&self) -> phaseline::commands::SweepOptions {
        phaseline::commands::SweepOptions {
            input: self.input.input(),
            seeds: self.seeds,
            jobs: self.jobs,
            shard: self.shard,
            resume: self.resume,
            out: self.out.clone(),
            days: self.days,
            force: self.force,
            no_charts: self.no_charts,
            progress: true,
        }
    }
}

impl CompareArgs {
    /// The library's options for `compare`.
    pub(crate) fn options(&self) -> phaseline::commands::CompareOptions {
        phaseline::commands::CompareOptions {
            a: self.a.clone(),
            b: self.b.clone(),
            overrides: self.overrides.clone(),
            limits: self.limits.limits(),
            seeds: self.seeds,
            jobs: self.jobs,
            out: self.out.clone(),
            days: self.days,
            force: self.force,
            no_charts: self.no_charts,
            progress: true,
        }
    }
}

impl FarmArgs {
    /// The library's options for `farm`.
    pub(crate) fn options(&self) -> phaseline::commands::FarmOptions {
        phaseline::commands::FarmOptions {
            design: self.design.clone(),
            jobs: self.jobs,
            shard: self.shard,
            resume: self.resume,
            merge: self.merge.clone(),
            out: self.out.clone(),
            force: self.force,
            no_charts: self.no_charts,
            progress: true,
        }
    }
}

#[derive(clap::Args)]
pub(crate) struct BacktestArgs {
    #[command(flatten)]
    pub(crate) input: ScenarioArgs,
    /// The observations file (e.g. scenarios/raqqa-observed.toml).
    #[arg(long)]
    pub(crate) observed: PathBuf,
    /// Seeds, inclusive at both ends.
    #[arg(long, default_value = "1..100")]
    pub(crate) seeds: SeedRange,
    /// Worker threads (0: every core; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = parse_jobs)]
    pub(crate) jobs: usize,
    /// Run only slice K of N of the seeds (their journal only; resume the full range to finish).
    #[arg(long, value_name = "K/N")]
    pub(crate) shard: Option<Shard>,
    /// Continue a backtest in --out from the seeds already on disk.
    #[arg(long)]
    pub(crate) resume: bool,
    /// Replace results already in --out.
    #[arg(long)]
    pub(crate) force: bool,
    /// Results folder [default: output/<scenario>/backtest-<A>-<B>].
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Stop each run after this many days (1 to the scenario's duration_days).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) days: Option<u32>,
}

#[derive(clap::Args)]
pub(crate) struct CalibrateArgs {
    #[command(flatten)]
    pub(crate) input: ScenarioArgs,
    /// The observations file (e.g. scenarios/raqqa-observed.toml).
    #[arg(long)]
    pub(crate) observed: PathBuf,
    /// A file of [[uncertain]] entries to search, beside (and before) the scenario's and its
    /// doctrine's own.
    #[arg(long)]
    pub(crate) priors: Option<PathBuf>,
    /// The seeds every design point runs (common random numbers), inclusive.
    #[arg(long, default_value = "1..4")]
    pub(crate) seeds: SeedRange,
    /// History-matching waves.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub(crate) waves: u32,
    /// Latin-hypercube points per wave.
    #[arg(long, default_value_t = 33, value_parser = clap::value_parser!(u32).range(2..=10_000))]
    pub(crate) points: u32,
    /// Implausibility cut-off.
    #[arg(long, default_value_t = 3.0)]
    pub(crate) cutoff: f64,
    /// Seed of the first wave's design.
    #[arg(long, default_value_t = 1)]
    pub(crate) design_seed: u64,
    /// Worker threads (0: every core; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = parse_jobs)]
    pub(crate) jobs: usize,
    /// Continue a calibration in --out from the runs already on disk.
    #[arg(long)]
    pub(crate) resume: bool,
    /// Replace results already in --out.
    #[arg(long)]
    pub(crate) force: bool,
    /// Results folder [default: output/<scenario>/calibrate].
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Stop each run after this many days (1 to the scenario's duration_days).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) days: Option<u32>,
    /// After the waves, run this many of the best accepted points again on --confirm-seeds and
    /// take the calibrated point from those runs (0: no confirmation; on a few seeds the lowest
    /// score is partly luck).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub(crate) confirm_top: u32,
    /// The seeds of the confirmation stage, inclusive.
    #[arg(long, default_value = "1..300")]
    pub(crate) confirm_seeds: SeedRange,
}

impl BacktestArgs {
    /// The library's options for `backtest`.
    pub(crate) fn options(&self) -> phaseline::commands::BacktestOptions {
        phaseline::commands::BacktestOptions {
            input: self.input.input(),
            observed: self.observed.clone(),
            seeds: self.seeds,
            jobs: self.jobs,
            shard: self.shard,
            resume: self.resume,
            force: self.force,
            out: self.out.clone(),
            days: self.days,
            progress: true,
        }
    }
}

impl CalibrateArgs {
    /// The library's options for `calibrate`.
    pub(crate) fn options(&self) -> phaseline::commands::CalibrateOptions {
        phaseline::commands::CalibrateOptions {
            input: self.input.input(),
            observed: self.observed.clone(),
            priors: self.priors.clone(),
            seeds: self.seeds,
            waves: self.waves as usize,
            points: self.points as usize,
            cutoff: self.cutoff,
            design_seed: self.design_seed,
            jobs: self.jobs,
            resume: self.resume,
            force: self.force,
            out: self.out.clone(),
            days: self.days,
            confirm_top: self.confirm_top as usize,
            confirm_seeds: self.confirm_seeds,
            progress: true,
        }
    }
}
