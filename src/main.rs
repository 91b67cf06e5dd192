//! The `phaseline` command line: a thin layer over the library.
//!
//! Exit codes: 0 success (also when the reader of standard output went away); 2 invalid input (a
//! scenario with problems, bad flags, an output folder that already holds results, holds other files,
//! is an input or is being written by another phaseline, resume or merge inputs that do not match);
//! 1 any other failure. Output folders follow one rule ([`phaseline::output::folder`]).

use anyhow::{Context, Result};
use clap::Parser;
use phaseline::ensemble::{self, SeedRange, Shard, SweepIdentity};
use phaseline::farm::{FarmError, FarmPlan};
use phaseline::output::{Manifest, OutputError, OutputFolder, Reuse, write_run};
use phaseline::scenario::load_scenario_with_limits;
use phaseline::scenario::{LoadedScenario, Override, ScenarioError};
use phaseline::sim::Simulation;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

#[path = "main/args.rs"]
mod args;
#[path = "main/inputs.rs"]
mod inputs;

use args::{
    BacktestArgs, CalibrateArgs, Cli, Command, CompareArgs, FarmArgs, RunArgs, ScenarioArgs,
    SlurmArgs, SweepArgs,
};
use inputs::{generate, validate};

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
        Command::Validate {
            files,
            strict,
            limits,
        } => validate(&files, strict, &limits.limits()),
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
        Command::Backtest(args) => backtest(args),
        Command::Calibrate(args) => calibrate(args),
    }
}

fn backtest(args: BacktestArgs) -> Result<()> {
    let loaded = load(&args.input, "backtest")?;
    check_days(args.days, &loaded.scenario)?;
    let obs = phaseline::calibration::observed::read_observations(&args.observed)
        .map_err(phaseline::calibration::CalibrationError::from)?;
    obs.check_against(&loaded.scenario)
        .map_err(phaseline::calibration::CalibrationError::from)?;
    let (a, b) = (args.seeds.first(), args.seeds.last());
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("output")
            .join(&loaded.scenario.meta.name)
            .join(format!("backtest-{a}-{b}"))
    });
    let m = manifest(
        &loaded,
        "backtest",
        args.seeds.to_string(),
        &args.input.overrides,
    );
    ensemble::EnsembleError::check_seed_count(args.seeds.len())?;
    let reuse = Reuse::from_flags(args.force, Some(args.resume));
    let _folder = claim_for(&out, reuse, &[&args.input.scenario, &args.observed], &m)?;
    let options = phaseline::calibration::backtest::BacktestOptions {
        seeds: args.seeds,
        days: args.days,
        sweep: sweep_options(args.jobs, args.shard, args.resume, args.force),
    };
    let table = phaseline::calibration::backtest::backtest(&loaded, &obs, &options, &out)?;
    write_manifest(&out, &m)?;
    match table {
        Some(t) => {
            say!("{}", t.text());
            sayln!("Backtest: {}. Results: {}", t.summary_line(), out.display());
        }
        None => sayln!(
            "Shard: seeds journalled in {}; finish with `phaseline backtest … --resume --out {}`",
            out.display(),
            out.display()
        ),
    }
    Ok(())
}

fn calibrate(args: CalibrateArgs) -> Result<()> {
    use phaseline::calibration::{CalibrationError, calibrate::CalibrateOptions};
    let loaded = load(&args.input, "calibrate")?;
    check_days(args.days, &loaded.scenario)?;
    let obs = phaseline::calibration::observed::read_observations(&args.observed)
        .map_err(CalibrationError::from)?;
    obs.check_against(&loaded.scenario)
        .map_err(CalibrationError::from)?;
    let base = phaseline::calibration::calibration_inputs(&loaded, args.priors.as_deref())?;
    let options = CalibrateOptions {
        waves: args.waves as usize,
        points: args.points as usize,
        seeds: args.seeds,
        cutoff: args.cutoff,
        design_seed: args.design_seed,
        days: args.days,
        sweep: sweep_options(args.jobs, None, args.resume, args.force),
    };
    phaseline::calibration::calibrate::check_options(&base, &options)?;
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("output")
            .join(&loaded.scenario.meta.name)
            .join("calibrate")
    });
    let m = manifest(
        &loaded,
        "calibrate",
        args.seeds.to_string(),
        &args.input.overrides,
    );
    let mut inputs: Vec<&Path> = vec![&args.input.scenario, &args.observed];
    inputs.extend(args.priors.as_deref());
    let reuse = Reuse::from_flags(args.force, Some(args.resume));
    let _folder = claim_for(&out, reuse, &inputs, &m)?;

    let outcome =
        phaseline::calibration::calibrate::calibrate(&loaded, &base, &obs, &options, &out)?;
    write_manifest(&out, &m)?;
    say!(
        "{}",
        phaseline::calibration::calibrated::report_text(&outcome.report)
    );
    sayln!(
        "Calibrated doctrine: {}",
        out.join("calibrated-doctrine.toml").display()
    );
    sayln!("Results: {}", out.display());
    Ok(())
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
    if let Some(e @ ScenarioError::Invalid { .. }) = err.downcast_ref::<ScenarioError>() {
        return e.to_string();
    }
    if let Some(FarmError::Invalid { .. } | FarmError::Scenario(ScenarioError::Invalid { .. })) =
        err.downcast_ref::<FarmError>()
    {
        return err.to_string();
    }
    if err
        .downcast_ref::<phaseline::calibration::CalibrationError>()
        .is_some_and(phaseline::calibration::CalibrationError::is_report)
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
        || err
            .downcast_ref::<OutputError>()
            .is_some_and(OutputError::is_invalid_input)
        || matches!(
            err.downcast_ref::<phaseline::brief::BriefError>(),
            Some(phaseline::brief::BriefError::NotResults { .. })
        )
        || err
            .downcast_ref::<ensemble::EnsembleError>()
            .is_some_and(ensemble::EnsembleError::is_invalid_input)
        || err
            .downcast_ref::<phaseline::calibration::CalibrationError>()
            .is_some_and(phaseline::calibration::CalibrationError::is_invalid_input);
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
        doctrine: phaseline::output::DoctrineRecord::of(loaded),
    }
}

/// Claims `dir` under the output-folder rule and readies it for `manifest`: phaseline's earlier
/// files go when `reuse` replaces them, temporary files of killed writers always, and the manifest
/// is written first, so that the folder is recognised as phaseline's from then on. A folder being
/// resumed keeps its manifest until the resumed command succeeds (it may be refused, with other
/// seeds say, and must not be left describing them).
fn claim_for(
    dir: &Path,
    reuse: Reuse,
    inputs: &[&Path],
    manifest: &Manifest,
) -> Result<OutputFolder> {
    let folder = OutputFolder::claim(dir, reuse, inputs)?;
    folder.make_ready()?;
    if !(reuse == Reuse::Continue && folder.held_results()) {
        write_manifest(dir, manifest)?;
    }
    Ok(folder)
}

fn run(args: RunArgs) -> Result<()> {
    let loaded = load(&args.input, "run")?;
    check_days(args.days, &loaded.scenario)?;
    let manifest = manifest(&loaded, "run", args.seed.to_string(), &args.input.overrides);
    let scenario = phaseline::calibration::scenario_for_seed(&loaded, args.seed)
        .map_err(|e| anyhow::anyhow!("seed {}: {e}", args.seed))?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| phaseline::output::default_run_dir(&scenario.meta.name, args.seed));
    let reuse = Reuse::from_flags(args.force, None);
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
        "{{bar:40}} {{pos}}/{{len}} {unit} · {{rate}} · {{eta}} left"
    ));
    if let Ok(style) = style {
        bar.set_style(style.with_key("rate", ensemble::rate_key));
    }
    bar
}

fn identity(loaded: &LoadedScenario, seeds: SeedRange, overrides: &[Override]) -> SweepIdentity {
    SweepIdentity {
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        // A doctrine is part of what a sweep computes: resuming with another one is refused.
        scenario_sha256: phaseline::calibration::identity_hash(loaded),
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
    let m = manifest(
        &loaded,
        "sweep",
        args.seeds.to_string(),
        &args.input.overrides,
    );
    ensemble::EnsembleError::check_seed_count(args.seeds.len())?;
    let reuse = Reuse::from_flags(args.force, Some(args.resume));
    let _folder = claim_for(&out, reuse, &[&args.input.scenario], &m)?;
    let runner = phaseline::calibration::runner(&loaded, args.days, true);
    let identity = identity(&loaded, args.seeds, &args.input.overrides);
    let options = sweep_options(args.jobs, args.shard, args.resume, args.force);
    let outcome =
        phaseline::calibration::inputs_share::run_sweep(&runner, &identity, &options, &out)?;
    write_manifest(&out, &m)?;
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
        doctrine: None,
    });
    m.command = "merge".into();
    m.command_line = std::env::args().collect();
    m
}

fn merge(shards: &[PathBuf], out: &Path, force: bool) -> Result<()> {
    let inputs: Vec<&Path> = shards.iter().map(PathBuf::as_path).collect();
    let reuse = Reuse::from_flags(force, None);
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
    let mut m = manifest(&a, "compare", args.seeds.to_string(), &args.overrides);
    m.scenario_file = format!("{} vs {}", a.path.display(), b.path.display());
    m.scenario_sha256 = format!("{} vs {}", a.sha256, b.sha256);
    ensemble::EnsembleError::check_seed_count(args.seeds.len())?;
    let reuse = Reuse::from_flags(args.force, None);
    let _folder = claim_for(&out, reuse, &[&args.a, &args.b], &m)?;
    let runner_a = phaseline::calibration::runner(&a, args.days, false);
    let runner_b = phaseline::calibration::runner(&b, args.days, false);
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
    if !args.no_charts {
        phaseline::chart::draw_compare_charts(&out)?;
    }
    phaseline::brief::write_briefing(&out)?;
    let objective = a.scenario.objectives.first().map_or("the objective", |o| {
        a.scenario.settlements[o.settlement].name.as_str()
    });
    sayln!("{}", ensemble::verdict(&comparison, objective));
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
    let reuse = Reuse::from_flags(args.force, Some(args.resume));
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
        write_manifest(&out, &farm_manifest(&plan))?;
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
