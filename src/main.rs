//! The `phaseline` command line: a thin layer over the library.
//!
//! Exit codes: 0 success; 2 invalid input (a scenario with problems, bad flags, an output folder that
//! already holds results); 1 any other failure.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use phaseline::ensemble::{self, SeedRange, Shard, SweepIdentity};
use phaseline::farm::{FarmError, FarmPlan};
use phaseline::output::{Manifest, OutputError, write_run};
use phaseline::runner::ScenarioRunner;
use phaseline::scenario::{Limits, load_scenario_with_limits};
use phaseline::scenario::{LoadedScenario, Override, ScenarioError};
use phaseline::sim::Simulation;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

const ABOUT: &str = "phaseline — a deterministic campaign phase simulation engine.

It models a phased campaign (isolate a city by cutting its supply routes and its back door, clear and
hold the villages around it, resupply, shape with air strikes, while a second front loads the enemy's
command) as a bevy_ecs world, and turns a scenario file and a seed into time series, events, a
summary and briefing charts. The same scenario, seed and engine version give the same bytes.";

const EXIT_CODES: &str = "Exit codes: 0 success · 2 invalid input (scenario problems, bad flags, an output folder that already holds results) · 1 any other failure.
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
    Generate {
        /// Number of settlements.
        #[arg(long, default_value_t = 1000)]
        settlements: usize,
        /// Number of units.
        #[arg(long, default_value_t = 10_000)]
        units: usize,
        /// Seed of the layout.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (.json for JSON, anything else TOML); standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
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
struct LimitArgs {
    /// Largest scenario file, bytes [default: 268435456].
    #[arg(long, help_heading = LIMITS, value_name = "BYTES")]
    max_file_bytes: Option<u64>,
    /// Most [[settlement]] tables [default: 250000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    max_settlements: Option<usize>,
    /// Most [[route]] tables [default: 1000000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    max_routes: Option<usize>,
    /// Most [[unit]] tables [default: 2500000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    max_units: Option<usize>,
    /// Most [[depot]] tables [default: 250000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    max_depots: Option<usize>,
    /// Most sides, objectives, phases, fronts, injects or features [default: 10000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    max_plan_tables: Option<usize>,
    /// Longest list (sources, area…) [default: 250000].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
    max_list_len: Option<usize>,
    /// Longest string, bytes [default: 65536].
    #[arg(long, help_heading = LIMITS, value_name = "BYTES")]
    max_string_bytes: Option<usize>,
    /// Deepest nesting [default: 32].
    #[arg(long, help_heading = LIMITS, value_name = "N")]
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
    /// Stop after this many days, 1 to the scenario's duration_days (the default); to run longer,
    /// raise it with --set scenario.duration_days=D.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
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
    /// Worker threads (0: every core).
    #[arg(long, default_value_t = 0)]
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
    /// Stop each run after this many days (1 to the scenario's duration_days).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
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
    /// Worker threads (0: every core).
    #[arg(long, default_value_t = 0)]
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
    /// Worker threads (0: every core).
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// Results folder [default: output/compare-<A>-vs-<B>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace results already in --out.
    #[arg(long)]
    force: bool,
    /// Stop each run of both courses after this many days (1 to the shorter scenario's
    /// duration_days).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    days: Option<u32>,
    /// Skip the charts.
    #[arg(long)]
    no_charts: bool,
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
    /// Number of array tasks.
    #[arg(long, default_value_t = 4)]
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
        Err(err) => {
            eprintln!("{}", report(&err));
            ExitCode::from(exit_code(&err))
        }
    }
}

fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Run(args) => run(args),
        Command::Validate {
            files,
            strict,
            limits,
        } => validate(&files, strict, &limits.limits()),
        Command::Schema { markdown } => {
            if markdown {
                print!("{}", phaseline::scenario::schema::markdown_reference());
            } else {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&phaseline::scenario::schema::json_schema())?
                );
            }
            Ok(())
        }
        Command::Sweep(args) => sweep(args),
        Command::Merge { shards, out } => merge(&shards, &out),
        Command::Compare(args) => compare(args),
        Command::Farm(args) => farm(args),
        Command::Generate {
            settlements,
            units,
            seed,
            out,
        } => generate(settlements, units, seed, out.as_deref()),
        Command::Chart { dir } => {
            let written = draw_charts(&dir)?;
            println!("{} chart files redrawn in {}", written.len(), dir.display());
            Ok(())
        }
        Command::Brief { dir } => {
            let page = phaseline::brief::write_briefing(&dir)?;
            println!("Briefing: {}", page.display());
            Ok(())
        }
        Command::Slurm(args) => {
            let (file, out) = (
                args.scenario.display().to_string(),
                args.out.display().to_string(),
            );
            let mut opts = match args.seeds {
                Some(seeds) if !args.farm => {
                    ensemble::SlurmOptions::new(&file, seeds, args.shards, &out)
                }
                _ => ensemble::SlurmOptions::farm(&file, args.shards, &out),
            };
            opts.phaseline = args.phaseline;
            let script = if args.farm {
                "farm.sbatch"
            } else {
                "sweep.sbatch"
            };
            print!("{}", ensemble::slurm_script(&opts));
            println!(
                "\n# submit with:\n{}",
                ensemble::slurm_submit_commands(&opts, script)
            );
            Ok(())
        }
    }
}

fn report(err: &anyhow::Error) -> String {
    if let Some(e @ ScenarioError::Invalid { .. }) = err.downcast_ref::<ScenarioError>() {
        return e.to_string();
    }
    if let Some(FarmError::Invalid { .. } | FarmError::Scenario(ScenarioError::Invalid { .. })) =
        err.downcast_ref::<FarmError>()
    {
        return err.to_string();
    }
    format!("error: {}", chain_text(err))
}

/// The error and its causes joined by `: `, leaving out a cause whose text the message before it
/// already ends with (an OS error that a message quotes is not repeated).
fn chain_text(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.ends_with(&text) || out.contains(&format!("{text}:")) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

fn exit_code(err: &anyhow::Error) -> u8 {
    let invalid = err.downcast_ref::<ScenarioError>().is_some()
        || err
            .downcast_ref::<FarmError>()
            .is_some_and(FarmError::is_invalid_input)
        || err.downcast_ref::<UsageError>().is_some()
        || matches!(
            err.downcast_ref::<OutputError>(),
            Some(OutputError::Exists { .. })
        )
        || matches!(
            err.downcast_ref::<phaseline::brief::BriefError>(),
            Some(phaseline::brief::BriefError::NotResults { .. })
        )
        || matches!(
            err.downcast_ref::<ensemble::EnsembleError>(),
            Some(
                ensemble::EnsembleError::InvalidSeedRange { .. }
                    | ensemble::EnsembleError::InvalidShard { .. }
                    | ensemble::EnsembleError::OutputExists { .. }
            )
        );
    if invalid { 2 } else { 1 }
}

/// Refuses a farm design file where a scenario is expected, naming the command that takes it.
fn not_a_design(file: &Path, command: &str) -> Result<()> {
    if phaseline::farm::is_design_file(file) {
        return Err(UsageError(format!(
            "{} is a farm design file (it has a [farm] table), not a scenario: run it with \
             `phaseline farm {}`; `phaseline {command}` takes a scenario file",
            file.display(),
            file.display()
        ))
        .into());
    }
    Ok(())
}

/// Refuses `--days` longer than the scenario: a run never goes past the scenario's end.
fn check_days(days: Option<u32>, scenario: &phaseline::scenario::Scenario) -> Result<()> {
    let length = scenario.meta.duration_days;
    match days {
        Some(d) if d > length => Err(UsageError(format!(
            "--days {d} is longer than scenario \"{}\" (duration_days = {length}); a run stops at \
             the scenario's end. Use --days 1 to {length}, or lengthen the campaign with \
             --set scenario.duration_days={d}",
            scenario.meta.name
        ))
        .into()),
        _ => Ok(()),
    }
}

fn load(input: &ScenarioArgs, command: &str) -> Result<LoadedScenario> {
    not_a_design(&input.scenario, command)?;
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

fn run(args: RunArgs) -> Result<()> {
    let loaded = load(&args.input, "run")?;
    check_days(args.days, &loaded.scenario)?;
    let manifest = manifest(&loaded, "run", args.seed.to_string(), &args.input.overrides);
    let scenario = Arc::new(loaded.scenario);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| phaseline::output::default_run_dir(&scenario.meta.name, args.seed));
    if phaseline::output::holds_results(&dir) && !args.force {
        return Err(OutputError::Exists { dir }.into());
    }
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
        eprint!("{}", phaseline::report::timings_text(t));
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
    let written = write_run(&dir, &output, &scenario, &manifest, args.force, draw)?;
    print!(
        "{}",
        phaseline::report::run_summary_text(&output, &scenario)
    );
    println!("Results: {}", written.display());
    Ok(())
}

fn progress_bar(len: u64, unit: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{{bar:40}} {{pos}}/{{len}} {unit} · {{rate}} · {{eta}} left"
    ));
    if let Ok(style) = style {
        bar.set_style(style.with_key("rate", ensemble::rate_key));
    }
    bar
}

fn validate(files: &[PathBuf], strict: bool, limits: &Limits) -> Result<()> {
    let mut failed = 0;
    for file in files {
        if phaseline::farm::is_design_file(file) {
            match phaseline::farm::plan_farm(file, limits) {
                Ok(plan) => eprintln!(
                    "{}: ok — design \"{}\", {} factors, {} points, {} runs of {}",
                    file.display(),
                    plan.design.name,
                    plan.design.factors.len(),
                    plan.points(),
                    plan.runs().len(),
                    plan.base.path.display()
                ),
                Err(e) => {
                    eprintln!("{e}");
                    failed += 1;
                }
            }
            continue;
        }
        match load_scenario_with_limits(file, &[], limits) {
            Ok(s) => {
                let sc = &s.scenario;
                let kind = if strict { "error" } else { "warning" };
                let warnings =
                    phaseline::scenario::warnings::rendered_warnings(file, sc, limits, kind);
                for w in &warnings {
                    eprint!("{w}");
                }
                if strict && !warnings.is_empty() {
                    failed += 1;
                    continue;
                }
                eprintln!(
                    "{}: ok — \"{}\", {} settlements, {} routes, {} units{}",
                    file.display(),
                    sc.meta.name,
                    sc.settlements.len(),
                    sc.routes.len(),
                    sc.units.len(),
                    match warnings.len() {
                        0 => String::new(),
                        n => format!(" ({n} warning(s); --strict makes them errors)"),
                    }
                );
            }
            Err(e) => {
                eprintln!("{e}");
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
    let loaded = load(&args.input, "sweep")?;
    check_days(args.days, &loaded.scenario)?;
    let name = loaded.scenario.meta.name.clone();
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("output").join(&name).join(format!(
            "sweep-{}-{}",
            args.seeds.first(),
            args.seeds.last()
        ))
    });
    let runner = ScenarioRunner {
        scenario: Arc::new(loaded.scenario.clone()),
        days: args.days,
    };
    let identity = identity(&loaded, args.seeds, &args.input.overrides);
    let options = sweep_options(args.jobs, args.shard, args.resume, args.force);
    let outcome = ensemble::run_sweep(&runner, &identity, &options, &out)?;
    let m = manifest(
        &loaded,
        "sweep",
        args.seeds.to_string(),
        &args.input.overrides,
    );
    write_manifest(&out, &m)?;
    match args.shard {
        Some(shard) => println!(
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
            print!(
                "{}",
                phaseline::report::sweep_summary_text(&out).unwrap_or_default()
            );
            println!("Results: {}", out.display());
        }
    }
    Ok(())
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<()> {
    let path = dir.join("manifest.json");
    let bytes = phaseline::fsio::json_bytes(m)?;
    phaseline::fsio::write_atomic(&path, &bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

fn merge(shards: &[PathBuf], out: &Path) -> Result<()> {
    let outcome = ensemble::merge(shards, out)?;
    let manifest_in_shard = shards.first().map(|s| s.join("manifest.json"));
    if let Some(Ok(text)) = manifest_in_shard.map(std::fs::read_to_string)
        && let Ok(mut m) = serde_json::from_str::<Manifest>(&text)
    {
        m.command = "merge".into();
        m.command_line = std::env::args().collect();
        write_manifest(out, &m)?;
    }
    phaseline::chart::draw_sweep_charts(out)?;
    phaseline::brief::write_briefing(out)?;
    print!(
        "{}",
        phaseline::report::sweep_summary_text(out).unwrap_or_default()
    );
    println!(
        "Merged {} shards (seeds {}) into {}",
        outcome.shards,
        outcome.seeds,
        out.display()
    );
    Ok(())
}

fn compare(args: CompareArgs) -> Result<()> {
    let limits = args.limits.limits();
    not_a_design(&args.a, "compare")?;
    not_a_design(&args.b, "compare")?;
    let a = load_scenario_with_limits(&args.a, &args.overrides, &limits)?;
    let b = load_scenario_with_limits(&args.b, &args.overrides, &limits)?;
    check_days(args.days, &a.scenario)?;
    check_days(args.days, &b.scenario)?;
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("output").join(format!(
            "compare-{}-vs-{}",
            a.scenario.meta.name, b.scenario.meta.name
        ))
    });
    let runner_a = ScenarioRunner {
        scenario: Arc::new(a.scenario.clone()),
        days: args.days,
    };
    let runner_b = ScenarioRunner {
        scenario: Arc::new(b.scenario.clone()),
        days: args.days,
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
    let mut m = manifest(&a, "compare", args.seeds.to_string(), &args.overrides);
    m.scenario_file = format!("{} vs {}", a.path.display(), b.path.display());
    m.scenario_sha256 = format!("{} vs {}", a.sha256, b.sha256);
    write_manifest(&out, &m)?;
    if !args.no_charts {
        phaseline::chart::draw_compare_charts(&out)?;
    }
    phaseline::brief::write_briefing(&out)?;
    let objective = a.scenario.objectives.first().map_or("the objective", |o| {
        a.scenario.settlements[o.settlement].name.as_str()
    });
    println!("{}", ensemble::verdict(&comparison, objective));
    println!("Results: {}", out.display());
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
    if !phaseline::farm::is_design_file(&args.design) && args.design.is_file() {
        return Err(UsageError(format!(
            "{} has no [farm] table: it is a scenario, not a design file. Run it with \
             `phaseline run {}` (or `sweep`); `phaseline farm` takes a design file such as \
             scenarios/raqqa-farm.toml",
            args.design.display(),
            args.design.display()
        ))
        .into());
    }
    let plan = phaseline::farm::plan_farm(&args.design, &args.limits.limits())?;
    println!("{}", phaseline::farm::design_text(&plan));
    if args.check {
        print!("{}", phaseline::farm::points_text(&plan));
        println!("The design is valid; nothing was run.");
        return Ok(());
    }
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("output")
            .join(&plan.base.scenario.meta.name)
            .join(format!("farm-{}", plan.design.name))
    });
    if !args.merge.is_empty() {
        let merged = phaseline::farm::merge_farm(&plan, &args.merge, &out)?;
        println!(
            "Merged {} shards of {} runs.",
            merged.shards,
            merged.seeds.len()
        );
    } else {
        let options = sweep_options(args.jobs, args.shard, args.resume, args.force);
        let outcome = phaseline::farm::run_farm(&plan, &options, &out)?;
        if let Some(shard) = args.shard {
            write_manifest(&out, &farm_manifest(&plan))?;
            println!(
                "Shard {shard}: {} runs, {} resumed; merge the shards with `phaseline farm {} --merge DIR… --out DIR`. Folder: {}",
                outcome.ran,
                outcome.resumed,
                args.design.display(),
                out.display()
            );
            return Ok(());
        }
    }
    write_manifest(&out, &farm_manifest(&plan))?;
    if !args.no_charts {
        phaseline::chart::draw_farm_charts(&out)?;
    }
    phaseline::brief::write_briefing(&out)?;
    print!("{}", phaseline::farm::sensitivity_text(&out)?);
    println!("Results: {}", out.display());
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

fn generate(settlements: usize, units: usize, seed: u64, out: Option<&Path>) -> Result<()> {
    let json = out.is_some_and(|p| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    });
    let options = phaseline::generate::GenerateOptions {
        settlements,
        units,
        seed,
        json,
    };
    match out {
        Some(path) => {
            let tmp = path.with_extension("partial");
            let mut file = std::fs::File::create(&tmp)
                .with_context(|| format!("cannot write {}", path.display()))?;
            phaseline::generate::generate(&options, &mut file)?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "wrote {} ({settlements} settlements, {units} units)",
                path.display()
            );
        }
        None => phaseline::generate::generate(&options, &mut std::io::stdout().lock())?,
    }
    Ok(())
}
