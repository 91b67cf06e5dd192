//! `phaseline run`: one seed of a scenario, its files, charts and briefing.

use super::common::{CommandError, Invocation, ScenarioInput, check_days, load, manifest};
use crate::output::{OutputError, OutputFolder, Reuse, write_run};
use crate::sim::Simulation;
use std::path::{Path, PathBuf};

/// What `run` is asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The scenario.
    pub input: ScenarioInput,
    /// The seed.
    pub seed: u64,
    /// Output folder; `output/<scenario>/seed-<N>` when `None`.
    pub out: Option<PathBuf>,
    /// Stop after this many days (at most the scenario's length).
    pub days: Option<u32>,
    /// Replace results already in the folder.
    pub force: bool,
    /// Skip the charts (the briefing page is still written).
    pub no_charts: bool,
    /// Time each system.
    pub timings: bool,
    /// Draw a progress bar on standard error.
    pub progress: bool,
}

/// What `run` did.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// The folder written.
    pub dir: PathBuf,
    /// The run's summary in plain words.
    pub summary_text: String,
    /// The time per system, when asked for.
    pub timings_text: Option<String>,
}

/// Runs one seed and writes its folder.
pub fn run(opts: &RunOptions, inv: &Invocation) -> Result<RunOutcome, CommandError> {
    let loaded = load(&opts.input, "run")?;
    check_days(opts.days, &loaded.scenario)?;
    let manifest = manifest(
        inv,
        &loaded,
        "run",
        opts.seed.to_string(),
        &opts.input.overrides,
    );
    let scenario =
        crate::calibration::scenario_for_seed(&loaded, opts.seed).map_err(|message| {
            CommandError::Draw {
                seed: opts.seed,
                message,
            }
        })?;
    let dir = opts
        .out
        .clone()
        .unwrap_or_else(|| crate::output::default_run_dir(&scenario.meta.name, opts.seed));
    let reuse = Reuse::from_flags(opts.force, None);
    let _folder = OutputFolder::claim(&dir, reuse, &[&opts.input.scenario])?;
    let mut sim = Simulation::new(scenario.clone(), opts.seed, opts.days)?;
    if opts.timings {
        sim.enable_timings()?;
    }
    let days = u64::from(
        opts.days
            .unwrap_or(scenario.meta.duration_days)
            .min(scenario.meta.duration_days),
    );
    let bar = progress_bar(days, opts.progress);
    while !sim.finished() {
        sim.step_days(1);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let timings_text = sim.timings().map(crate::report::timings_text);
    let output = sim.run();
    let no_charts = opts.no_charts;
    // Charts, then the briefing page (which inlines them), into the staged folder before it is
    // renamed into place: a run folder never lacks its briefing.html.
    let hook = move |staged: &Path| -> Result<(), OutputError> {
        let fail = |message: String| OutputError::Chart {
            dir: staged.to_owned(),
            message,
        };
        if !no_charts {
            crate::chart::draw_run_charts(staged).map_err(|e| fail(e.to_string()))?;
        }
        crate::brief::write_briefing(staged)
            .map(drop)
            .map_err(|e| fail(format!("briefing page: {e}")))
    };
    let draw: Option<&crate::output::ChartHook> = Some(&hook);
    write_run(&dir, &output, &scenario, &manifest, opts.force, draw)?;
    Ok(RunOutcome {
        summary_text: crate::report::run_summary_text(&output, &scenario),
        dir,
        timings_text,
    })
}

/// A bar of `len` days on standard error, or a hidden one.
fn progress_bar(len: u64, shown: bool) -> indicatif::ProgressBar {
    if !shown {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    let style =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} days · {rate} · {eta} left");
    if let Ok(style) = style {
        bar.set_style(style.with_key("rate", crate::ensemble::rate_key));
    }
    bar
}
