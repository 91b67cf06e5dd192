//! The `phaseline` command line: a thin layer over the library.
//!
//! Exit codes: 0 success (also when the reader of standard output went away); 2 invalid input (a
//! scenario with problems, bad flags, an output folder that already holds results, holds other files,
//! is an input or is being written by another phaseline, resume or merge inputs that do not match);
//! 1 any other failure. Output folders follow one rule ([`phaseline::output::folder`]).

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use phaseline::ensemble::{self, SeedRange, Shard, SweepIdentity};
use phaseline::farm::{FarmError, FarmPlan};
use phaseline::output::{Manifest, OutputError, OutputFolder, Reuse, write_run};
use phaseline::runner::ScenarioRunner;
use phaseline::scenario::{Limits, load_scenario_with_limits};
use phaseline::scenario::{LoadedScenario, Override, ScenarioError};
use phaseline::sim::Simulation;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Prints text for people on standard output through [`phaseline::term::say`]; a closed pipe
/// returns [`phaseline::term::TermError::Closed`] from the enclosing function.
macro_rules! say {
    ($($arg:tt)*) => { phaseline::term::say(&format!($($arg)*))? };
}

/// [`say!`] with a final newline.
macro_rules! sayln {
    ($($arg:tt)*) => { phaseline::term::say(&(format!($($arg)*) + "\n"))? };
}

/// Prints text for people on standard error through [`phaseline::term::tell`].
macro_rules! tell {
    ($($arg:tt)*) => { phaseline::term::tell(&format!($($arg)*)) };
}

/// [`tell!`] with a final newline.
macro_rules! tellln {
    ($($arg:tt)*) => { phaseline::term::tell(&(format!($($arg)*) + "\n")) };
}

const ABOUT: &str = "phaseline — a deterministic campaign phase simulation engine.

It models a phased campaign (isolate a city by cutting its supply routes and its back door, clear and
hold the villages around it, resupply, shape with air strikes, while a second front loads the enemy's
command) as a bevy_ecs world, and turns a scenario file and a seed into time series, events, a
summary and briefing charts. The same scenario, seed and engine version give the same bytes.";

const EXIT_CODES: &str = "Exit codes: 0 success · 2 invalid input (scenario problems, bad flags, an output folder that already holds results, holds other files, is an input or is in use; resume or merge inputs that do not match) · 1 any other failure.
Output folders: a folder phaseline made (it has a manifest.json) is replaced only with --force; a folder holding anything else is never emptied; inputs are never overwritten; one writer at a time.
Format reference: scenarios/README.md · JSON Schema: phaseline schema";

#[derive(Parser)]
#[command(name = "phaseline", version, about = ABOUT, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one seed of a scenario and write its results (and charts) into a folder.
    Run(RunArgs),
    /// Check scenario files (and farm design files) and report every problem with file:line:column
    /// and how to fix it.
    Validate {
        /// Scenario files (.toml, or .json).
        #[arg(required = true)]
        files: Vec<PathBuf>,
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

/// Input limits, checked before anything is allocated; raise one when a scenario really is that big.
#[derive(clap::Args, Default)]
struct LimitArgs {
    /// Largest scenario file, bytes [default: 268435456].
    #[arg(long, value_name = "BYTES")]
    max_file_bytes: Option<u64>,
    /// Most [[settlement]] tables [default: 250000].
    #[arg(long, value_name = "N")]
    max_settlements: Option<usize>,
    /// Most [[route]] tables [default: 1000000].
    #[arg(long, value_name = "N")]
    max_routes: Option<usize>,
    /// Most [[unit]] tables [default: 2500000].
    #[arg(long, value_name = "N")]
    max_units: Option<usize>,
    /// Most [[depot]] tables [default: 250000].
    #[arg(long, value_name = "N")]
    max_depots: Option<usize>,
    /// Most sides, objectives, phases, fronts or injects [default: 10000].
    #[arg(long, value_name = "N")]
    max_plan_tables: Option<usize>,
    /// Longest list (sources, area…) [default: 250000].
    #[arg(long, value_name = "N")]
    max_list_len: Option<usize>,
    /// Longest string, bytes [default: 65536].
    #[arg(long, value_name = "BYTES")]
    max_string_bytes: Option<usize>,
    /// Deepest nesting [default: 32].
    #[arg(long, value_name = "N")]
    max_depth: Option<usize>,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
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
const MAX_JOBS: usize = 1024;

/// Parses `--jobs`: 0 (one per core) to [`MAX_JOBS`].
fn parse_jobs(text: &str) -> Result<usize, String> {
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
const MAX_SHARDS: u32 = 100_000;

/// The fewest settlements and units `phaseline::generate` lays out (it raises smaller counts).
const GENERATE_MIN: (usize, usize) = (6, 2);

#[derive(clap::Args)]
struct GenerateArgs {
    /// Number of settlements (at least 6).
    #[arg(long, default_value_t = 1000)]
    settlements: usize,
    /// Number of units (at least 2).
    #[arg(long, default_value_t = 10_000)]
    units: usize,
    /// Seed of the layout.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output file (.json for JSON, anything else TOML); standard output when absent.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The limits the generated scenario must pass (those `validate` and `run` apply).
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(clap::Args)]
struct ScenarioArgs {
    /// Scenario file (.toml, or .json for machine-made ones).
    scenario: PathBuf,
    /// Override a scenario field for this invocation, e.g. --set air.sorties_per_day=40 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    overrides: Vec<Override>,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(clap::Args)]
struct RunArgs {
    #[command(flatten)]
    input: ScenarioArgs,
    /// Seed of the run's random streams.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Results folder [default: output/<scenario>/seed-<N>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Stop after this many days (default: the scenario's duration_days).
    #[arg(long)]
    days: Option<u32>,
    /// Replace a results folder that already exists.
    #[arg(long)]
    force: bool,
    /// Skip the charts (PNG and SVG).
    #[arg(long)]
    no_charts: bool,
    /// Print the time spent in each system and the ticks per second (on stderr).
    #[arg(long)]
    timings: bool,
}

#[derive(clap::Args)]
struct SweepArgs {
    #[command(flatten)]
    input: ScenarioArgs,
    /// Seeds, inclusive at both ends: 1..1000 is 1000 seeds.
    #[arg(long, default_value = "1..100")]
    seeds: SeedRange,
    /// Worker threads (0: every core; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = parse_jobs)]
    jobs: usize,
    /// Run only slice K of N (K from 0 to N−1, as sbatch --array=0-(N-1) numbers tasks).
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Continue a sweep in --out from the seeds already on disk.
    #[arg(long)]
    resume: bool,
    /// Replace results already in --out.
    #[arg(long)]
    force: bool,
    /// Results folder [default: output/<scenario>/sweep-<A>-<B>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Stop each run after this many days.
    #[arg(long)]
    days: Option<u32>,
    /// Skip the charts.
    #[arg(long)]
    no_charts: bool,
}

const FARM_HELP: &str = "The design file names the scenario, the factors (scenario fields as --set names them, each with low and high), the design (latin_hypercube with N points, or full_factorial) and the seeds run at every point; see scenarios/README.md, \"Designed sweeps\", and scenarios/raqqa-farm.toml.

Examples:
  phaseline farm scenarios/raqqa-farm.toml                 # all runs on every core, then sensitivity and charts
  phaseline farm scenarios/raqqa-farm.toml --check         # check the design and print its points, run nothing
  phaseline farm DESIGN --shard 0/4 --out shards/0         # one slice of the runs (e.g. one Slurm array task)
  phaseline farm DESIGN --merge shards/0 shards/1 shards/2 shards/3 --out results

The result files are the same bytes whatever --jobs, sharding or resuming.";

#[derive(clap::Args)]
struct FarmArgs {
    /// The design file (TOML).
    design: PathBuf,
    /// Worker threads (0: every core; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = parse_jobs)]
    jobs: usize,
    /// Run only slice K of N of the runs (K from 0 to N−1), into --out, for merging later.
    #[arg(long, value_name = "K/N", conflicts_with = "merge")]
    shard: Option<Shard>,
    /// Continue a farm in --out from the runs already on disk.
    #[arg(long, conflicts_with = "merge")]
    resume: bool,
    /// Replace results already in --out.
    #[arg(long)]
    force: bool,
    /// Results folder [default: output/<scenario>/farm-<design name>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Combine these shard folders (written with --shard) into --out instead of running.
    #[arg(long, value_name = "SHARD_DIR", num_args = 1..)]
    merge: Vec<PathBuf>,
    /// Check the design and print its points and quality; run nothing.
    #[arg(long, conflicts_with_all = ["shard", "resume", "merge"])]
    check: bool,
    /// Skip the charts.
    #[arg(long)]
    no_charts: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(clap::Args)]
struct CompareArgs {
    /// Course of action A.
    a: PathBuf,
    /// Course of action B.
    b: PathBuf,
    /// Seeds, inclusive at both ends.
    #[arg(long, default_value = "1..100")]
    seeds: SeedRange,
    /// Worker threads (0: every core; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = parse_jobs)]
    jobs: usize,
    /// Results folder [default: output/compare-<A>-vs-<B>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace results already in --out.
    #[arg(long)]
    force: bool,
    /// Override a field in both scenarios (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    overrides: Vec<Override>,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(clap::Args)]
struct SlurmArgs {
    /// Scenario file (or, with --farm, design file), as the cluster sees it.
    scenario: PathBuf,
    /// Seeds, inclusive (a sweep's; a farm's come from its design file).
    #[arg(long, required_unless_present = "farm")]
    seeds: Option<SeedRange>,
    /// The file is a design file: run `phaseline farm` shards and merge them with `farm --merge`.
    #[arg(long, conflicts_with = "seeds")]
    farm: bool,
    /// Number of array tasks (1 to 100000).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SHARDS)))]
    shards: u32,
    /// Results folder on the cluster.
    #[arg(long)]
    out: PathBuf,
    /// Path of the phaseline binary on the cluster.
    #[arg(long, default_value = "phaseline")]
    phaseline: String,
}

/// An invocation problem that is the user's to fix (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of standard output went away (`| head`): nothing more to say to anyone.
        Err(err) if is_closed_output(&err) => ExitCode::SUCCESS,
        Err(err) => {
            tellln!("{}", report(&err));
            ExitCode::from(exit_code(&err))
        }
    }
}

/// Whether `err` is a closed standard output.
fn is_closed_output(err: &anyhow::Error) -> bool {
    matches!(
        err.downcast_ref::<phaseline::term::TermError>(),
        Some(phaseline::term::TermError::Closed)
    )
}

fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Run(args) => run(args),
        Command::Validate { files, limits } => validate(&files, &limits.limits()),
        Command::Schema { markdown } => {
            let text = if markdown {
                phaseline::scenario::schema::markdown_reference()
            } else {
                serde_json::to_string_pretty(&phaseline::scenario::schema::json_schema())? + "\n"
            };
            Ok(phaseline::term::data(text.as_bytes())?)
        }
        Command::Sweep(args) => sweep(args),
        Command::Merge { shards, out, force } => merge(&shards, &out, force),
        Command::Compare(args) => compare(args),
        Command::Farm(args) => farm(args),
        Command::Generate(args) => generate(&args),
        Command::Chart { dir } => {
            let _lock = OutputFolder::lock_existing(&dir)?;
            let written = draw_charts(&dir)?;
            sayln!("{} chart files redrawn in {}", written.len(), dir.display());
            Ok(())
        }
        Command::Brief { dir } => {
            let _lock = OutputFolder::lock_existing(&dir)?;
            let page = phaseline::brief::write_briefing(&dir)?;
            sayln!("Briefing: {}", page.display());
            Ok(())
        }
        Command::Slurm(args) => slurm(args),
    }
}

fn slurm(args: SlurmArgs) -> Result<()> {
    let (file, out) = (
        args.scenario.display().to_string(),
        args.out.display().to_string(),
    );
    let mut opts = match args.seeds {
        Some(seeds) if !args.farm => ensemble::SlurmOptions::new(&file, seeds, args.shards, &out),
        _ => ensemble::SlurmOptions::farm(&file, args.shards, &out),
    };
    opts.phaseline = args.phaseline;
    let script = if args.farm {
        "farm.sbatch"
    } else {
        "sweep.sbatch"
    };
    let text = format!(
        "{}\n# submit with:\n{}\n",
        ensemble::slurm_script(&opts)?,
        ensemble::slurm_submit_commands(&opts, script)?
    );
    Ok(phaseline::term::data(text.as_bytes())?)
}

fn report(err: &anyhow::Error) -> String {
    if let Some(e) = err.downcast_ref::<ScenarioError>() {
        return e.to_string();
    }
    if let Some(e @ (FarmError::Invalid { .. } | FarmError::Scenario(_))) =
        err.downcast_ref::<FarmError>()
    {
        return e.to_string();
    }
    format!("error: {err:#}")
}

fn exit_code(err: &anyhow::Error) -> u8 {
    let invalid = err.downcast_ref::<ScenarioError>().is_some()
        || err
            .downcast_ref::<FarmError>()
            .is_some_and(FarmError::is_invalid_input)
        || err.downcast_ref::<UsageError>().is_some()
        || err
            .downcast_ref::<OutputError>()
            .is_some_and(OutputError::is_invalid_input)
        || matches!(
            err.downcast_ref::<phaseline::brief::BriefError>(),
            Some(phaseline::brief::BriefError::NotResults { .. })
        )
        || err
            .downcast_ref::<ensemble::EnsembleError>()
            .is_some_and(ensemble::EnsembleError::is_invalid_input);
    if invalid { 2 } else { 1 }
}

fn load(input: &ScenarioArgs) -> Result<LoadedScenario> {
    Ok(load_scenario_with_limits(
        &input.scenario,
        &input.overrides,
        &input.limits.limits(),
    )?)
}

fn manifest(
    loaded: &LoadedScenario,
    command: &str,
    seeds: String,
    overrides: &[Override],
) -> Manifest {
    Manifest {
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        command: command.to_owned(),
        command_line: std::env::args().collect(),
        scenario_name: loaded.scenario.meta.name.clone(),
        scenario_file: loaded.path.display().to_string(),
        scenario_sha256: loaded.sha256.clone(),
        seeds,
        overrides: overrides.iter().map(Override::to_string).collect(),
    }
}

/// Claims `dir` under the output-folder rule and readies it for `manifest`: phaseline's earlier
/// files go when `reuse` replaces them, temporary files of killed writers always, and the manifest
/// is written first, so that the folder is recognised as phaseline's from then on.
fn claim_for(
    dir: &Path,
    reuse: Reuse,
    inputs: &[&Path],
    manifest: &Manifest,
) -> Result<OutputFolder> {
    let folder = OutputFolder::claim(dir, reuse, inputs)?;
    folder.make_ready()?;
    write_manifest(dir, manifest)?;
    Ok(folder)
}

fn run(args: RunArgs) -> Result<()> {
    let loaded = load(&args.input)?;
    let manifest = manifest(&loaded, "run", args.seed.to_string(), &args.input.overrides);
    let scenario = Arc::new(loaded.scenario);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| phaseline::output::default_run_dir(&scenario.meta.name, args.seed));
    let reuse = Reuse::from_flags(args.force, false);
    let _folder = OutputFolder::claim(&dir, reuse, &[&args.input.scenario])?;
    let mut sim = Simulation::new(scenario.clone(), args.seed, args.days)?;
    if args.timings {
        sim.enable_timings()?;
    }
    let days = u64::from(
        args.days
            .unwrap_or(scenario.meta.duration_days)
            .min(scenario.meta.duration_days),
    );
    let bar = progress_bar(days, "days");
    while !sim.finished() {
        sim.step_days(1);
        bar.inc(1);
    }
    bar.finish_and_clear();
    if let Some(t) = sim.timings() {
        tell!("{}", phaseline::report::timings_text(t));
    }
    let output = sim.run();
    let no_charts = args.no_charts;
    // Charts, then the briefing page (which inlines them), into the staged folder before it is
    // renamed into place: a run folder never lacks its briefing.html.
    let hook = move |staged: &Path| -> Result<(), OutputError> {
        let fail = |message: String| OutputError::Chart {
            dir: staged.to_owned(),
            message,
        };
        if !no_charts {
            phaseline::chart::draw_run_charts(staged).map_err(|e| fail(e.to_string()))?;
        }
        phaseline::brief::write_briefing(staged)
            .map(drop)
            .map_err(|e| fail(format!("briefing page: {e}")))
    };
    let draw: Option<&phaseline::output::ChartHook> = Some(&hook);
    write_run(&dir, &output, &scenario, &manifest, args.force, draw)?;
    say!(
        "{}",
        phaseline::report::run_summary_text(&output, &scenario)
    );
    sayln!("Results: {}", dir.display());
    Ok(())
}

fn progress_bar(len: u64, unit: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{{bar:40}} {{pos}}/{{len}} {unit} · {{per_sec}} · {{eta}} left"
    ));
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar
}

fn validate(files: &[PathBuf], limits: &Limits) -> Result<()> {
    let mut failed = 0;
    for file in files {
        match validate_one(file, limits) {
            Ok(line) => tellln!("{}: ok — {line}", file.display()),
            Err(e) => {
                tellln!("{}", report(&e));
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return Err(
            UsageError(format!("{failed} of {} file(s) have problems", files.len())).into(),
        );
    }
    Ok(())
}

/// Validates one scenario or design file, read once (so a pipe such as `/dev/stdin` works) and no
/// further than the file-size limit (so `/dev/zero` is refused); returns what it holds.
fn validate_one(file: &Path, limits: &Limits) -> Result<String> {
    let bytes = phaseline::scenario::read_scenario_bytes(file, limits)?;
    if phaseline::farm::is_design_text(&bytes) {
        let plan = phaseline::farm::plan_farm_bytes(file, bytes, limits)?;
        return Ok(format!(
            "design \"{}\", {} factors, {} points, {} runs of {}",
            plan.design.name,
            plan.design.factors.len(),
            plan.points(),
            plan.runs().len(),
            plan.base.path.display()
        ));
    }
    let loaded = phaseline::scenario::load_scenario_bytes(file, bytes, &[], limits)?;
    let sc = &loaded.scenario;
    Ok(format!(
        "\"{}\", {} settlements, {} routes, {} units",
        sc.meta.name,
        sc.settlements.len(),
        sc.routes.len(),
        sc.units.len()
    ))
}

fn identity(loaded: &LoadedScenario, seeds: SeedRange, overrides: &[Override]) -> SweepIdentity {
    SweepIdentity {
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        scenario_sha256: loaded.sha256.clone(),
        scenario_name: loaded.scenario.meta.name.clone(),
        seeds,
        overrides: overrides.iter().map(Override::to_string).collect(),
        design_sha256: None,
    }
}

/// How a sweep or farm runs, with the progress bar on.
fn sweep_options(
    jobs: usize,
    shard: Option<Shard>,
    resume: bool,
    force: bool,
) -> ensemble::SweepOptions {
    ensemble::SweepOptions {
        jobs,
        shard,
        resume,
        force,
        progress: true,
    }
}

fn sweep(args: SweepArgs) -> Result<()> {
    let loaded = load(&args.input)?;
    let name = loaded.scenario.meta.name.clone();
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("output").join(&name).join(format!(
            "sweep-{}-{}",
            args.seeds.first(),
            args.seeds.last()
        ))
    });
    let m = manifest(
        &loaded,
        "sweep",
        args.seeds.to_string(),
        &args.input.overrides,
    );
    ensemble::EnsembleError::check_seed_count(args.seeds.len())?;
    let reuse = Reuse::from_flags(args.force, args.resume);
    let _folder = claim_for(&out, reuse, &[&args.input.scenario], &m)?;
    let runner = ScenarioRunner {
        scenario: Arc::new(loaded.scenario.clone()),
        days: args.days,
    };
    let identity = identity(&loaded, args.seeds, &args.input.overrides);
    let options = sweep_options(args.jobs, args.shard, args.resume, args.force);
    let outcome = ensemble::run_sweep(&runner, &identity, &options, &out)?;
    match args.shard {
        Some(shard) => sayln!(
            "Shard {shard}: {} seeds run, {} resumed; merge the shards with `phaseline merge … --out DIR`. Folder: {}",
            outcome.ran,
            outcome.resumed,
            out.display()
        ),
        None => {
            if !args.no_charts {
                phaseline::chart::draw_sweep_charts(&out)?;
            }
            phaseline::brief::write_briefing(&out)?;
            say!(
                "{}",
                phaseline::report::sweep_summary_text(&out).unwrap_or_default()
            );
            sayln!("Results: {}", out.display());
        }
    }
    Ok(())
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<()> {
    let path = dir.join(phaseline::output::MANIFEST_FILE);
    let bytes = phaseline::fsio::json_bytes(m)?;
    phaseline::fsio::write_atomic(&path, &bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The manifest of a merge: the first shard's, with this command line (the engine's own when the
/// shard has none).
fn merge_manifest(shards: &[PathBuf]) -> Manifest {
    let from_shard = shards
        .first()
        .map(|s| s.join(phaseline::output::MANIFEST_FILE))
        .and_then(|p| phaseline::fsio::read_limited(&p, 1 << 20).ok())
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
    });
    m.command = "merge".into();
    m.command_line = std::env::args().collect();
    m
}

fn merge(shards: &[PathBuf], out: &Path, force: bool) -> Result<()> {
    let inputs: Vec<&Path> = shards.iter().map(PathBuf::as_path).collect();
    let reuse = Reuse::from_flags(force, false);
    let _folder = claim_for(out, reuse, &inputs, &merge_manifest(shards))?;
    let outcome = ensemble::merge(shards, out)?;
    phaseline::chart::draw_sweep_charts(out)?;
    phaseline::brief::write_briefing(out)?;
    say!(
        "{}",
        phaseline::report::sweep_summary_text(out).unwrap_or_default()
    );
    sayln!(
        "Merged {} shards (seeds {}) into {}",
        outcome.shards,
        outcome.seeds,
        out.display()
    );
    Ok(())
}

fn compare(args: CompareArgs) -> Result<()> {
    let limits = args.limits.limits();
    let a = load_scenario_with_limits(&args.a, &args.overrides, &limits)?;
    let b = load_scenario_with_limits(&args.b, &args.overrides, &limits)?;
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("output").join(format!(
            "compare-{}-vs-{}",
            a.scenario.meta.name, b.scenario.meta.name
        ))
    });
    let mut m = manifest(&a, "compare", args.seeds.to_string(), &args.overrides);
    m.scenario_file = format!("{} vs {}", a.path.display(), b.path.display());
    m.scenario_sha256 = format!("{} vs {}", a.sha256, b.sha256);
    ensemble::EnsembleError::check_seed_count(args.seeds.len())?;
    let reuse = Reuse::from_flags(args.force, false);
    let _folder = claim_for(&out, reuse, &[&args.a, &args.b], &m)?;
    let runner_a = ScenarioRunner {
        scenario: Arc::new(a.scenario.clone()),
        days: None,
    };
    let runner_b = ScenarioRunner {
        scenario: Arc::new(b.scenario.clone()),
        days: None,
    };
    let (id_a, id_b) = (
        identity(&a, args.seeds, &args.overrides),
        identity(&b, args.seeds, &args.overrides),
    );
    let options = ensemble::CompareOptions {
        jobs: args.jobs,
        force: args.force,
        progress: true,
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
    phaseline::chart::draw_compare_charts(&out)?;
    phaseline::brief::write_briefing(&out)?;
    sayln!("{}", ensemble::isolation_verdict(&comparison));
    sayln!("Results: {}", out.display());
    Ok(())
}

/// Redraws the charts of whatever results `dir` holds.
fn draw_charts(dir: &Path) -> Result<Vec<PathBuf>> {
    let has = |f: &str| dir.join(f).exists();
    let written = if has("sensitivity.json") {
        phaseline::chart::draw_farm_charts(dir)?
    } else if has("summary.json") {
        phaseline::chart::draw_run_charts(dir)?
    } else if has("comparison.json") {
        phaseline::chart::draw_compare_charts(dir)?
    } else if has("aggregate.json") {
        phaseline::chart::draw_sweep_charts(dir)?
    } else {
        return Err(UsageError(format!(
            "{} holds no run, sweep, comparison or farm results",
            dir.display()
        ))
        .into());
    };
    Ok(written)
}

fn farm(args: FarmArgs) -> Result<()> {
    let plan = phaseline::farm::plan_farm(&args.design, &args.limits.limits())?;
    sayln!("{}", phaseline::farm::design_text(&plan));
    if args.check {
        say!("{}", phaseline::farm::points_text(&plan));
        sayln!("The design is valid; nothing was run.");
        return Ok(());
    }
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("output")
            .join(&plan.base.scenario.meta.name)
            .join(format!("farm-{}", plan.design.name))
    });
    let mut inputs: Vec<&Path> = vec![&args.design, &plan.base.path];
    inputs.extend(args.merge.iter().map(PathBuf::as_path));
    let reuse = Reuse::from_flags(args.force, args.resume);
    let _folder = claim_for(&out, reuse, &inputs, &farm_manifest(&plan))?;
    if !args.merge.is_empty() {
        let merged = phaseline::farm::merge_farm(&plan, &args.merge, &out)?;
        sayln!(
            "Merged {} shards of {} runs.",
            merged.shards,
            merged.seeds.len()
        );
    } else {
        let options = sweep_options(args.jobs, args.shard, args.resume, args.force);
        let outcome = phaseline::farm::run_farm(&plan, &options, &out)?;
        if let Some(shard) = args.shard {
            sayln!(
                "Shard {shard}: {} runs, {} resumed; merge the shards with `phaseline farm {} --merge DIR… --out DIR`. Folder: {}",
                outcome.ran,
                outcome.resumed,
                args.design.display(),
                out.display()
            );
            return Ok(());
        }
    }
    if !args.no_charts {
        phaseline::chart::draw_farm_charts(&out)?;
    }
    phaseline::brief::write_briefing(&out)?;
    say!("{}", phaseline::farm::sensitivity_text(&out)?);
    sayln!("Results: {}", out.display());
    Ok(())
}

fn farm_manifest(plan: &FarmPlan) -> Manifest {
    let mut m = manifest(&plan.base, "farm", plan.design.seeds.to_string(), &[]);
    m.scenario_file = format!(
        "{} (design {}, sha256 {})",
        plan.base.path.display(),
        plan.design_file.display(),
        plan.design_sha256
    );
    m
}

/// Refuses counts `generate` cannot honour: below what it lays out, or above what `validate`
/// accepts.
fn check_generate_counts(args: &GenerateArgs, limits: &Limits) -> Result<()> {
    let (min_settlements, min_units) = GENERATE_MIN;
    let counts = [
        (
            "settlements",
            args.settlements,
            min_settlements,
            limits.max_settlements,
            "--max-settlements",
        ),
        (
            "units",
            args.units,
            min_units,
            limits.max_units,
            "--max-units",
        ),
    ];
    for (what, n, min, max, flag) in counts {
        if n < min {
            return Err(UsageError(format!(
                "--{what} {n}: a generated scenario has at least {min} {what}; ask for {min} or more"
            ))
            .into());
        }
        if n > max {
            return Err(UsageError(format!(
                "--{what} {n}: more than the {max} {what} a scenario may hold; ask for fewer, or raise the limit with {flag} N (validate and run then need it too)"
            ))
            .into());
        }
    }
    Ok(())
}

/// Counts the bytes written to it and drops them.
#[derive(Default)]
struct ByteCount(u64);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn generate(args: &GenerateArgs) -> Result<()> {
    let limits = args.limits.limits();
    check_generate_counts(args, &limits)?;
    let json = args.out.as_deref().is_some_and(|p| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    });
    let options = phaseline::generate::GenerateOptions {
        settlements: args.settlements,
        units: args.units,
        seed: args.seed,
        json,
    };
    // The layout is seeded, so a first pass that only counts gives the file's exact size.
    let mut size = ByteCount::default();
    phaseline::generate::generate(&options, &mut size)?;
    if size.0 > limits.max_file_bytes {
        return Err(UsageError(format!(
            "the generated scenario would be {} bytes, over the {}-byte file limit that validate and run apply; ask for fewer settlements or units, or raise the limit with --max-file-bytes N",
            size.0, limits.max_file_bytes
        ))
        .into());
    }
    match &args.out {
        Some(path) => {
            phaseline::fsio::write_atomic_with(path, |w| {
                phaseline::generate::generate(&options, w)
            })
            .with_context(|| format!("cannot write {}", path.display()))?;
            tellln!(
                "wrote {} ({} settlements, {} units)",
                path.display(),
                args.settlements,
                args.units
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            phaseline::generate::generate(&options, &mut out)
                .and_then(|()| std::io::Write::flush(&mut out))
                .map_err(phaseline::term::TermError::from)?;
        }
    }
    Ok(())
}
