//! Briefing charts drawn from result files only: never from simulation state.
//!
//! Every chart is read back from the files that a run, a sweep or a comparison wrote (the contract in
//! `docs/output-formats.md`), so `phaseline chart DIR` can redraw a folder long after the run, and a
//! chart can never show something the result files do not say.
//!
//! Four entry points, one per kind of folder:
//!
//! | function | reads | writes (PNG 1600×900 + SVG each) |
//! | --- | --- | --- |
//! | [`draw_run_charts`] | `timeseries.csv`, `events.csv`, `summary.json`, `snapshots.json`, `manifest.json` | `campaign`, `control`, `forces`, `map`, `civilians` |
//! | [`draw_sweep_charts`] | `bands.csv`, `runs.csv`, `aggregate.json`, `manifest.json` | `fan_isolation`, `fan_villages`, `dist_isolation_day`, `dist_capture_day` |
//! | [`draw_compare_charts`] | `a_bands.csv`, `b_bands.csv`, `pairs.csv`, `comparison.json`, `manifest.json` | `compare_isolation`, `compare_diff` |
//! | [`draw_farm_charts`] | `sensitivity.json`, `runs.csv`, `manifest.json` | `tornado_<outcome>`, `top_factor_<outcome>` for every outcome of `sensitivity.json` |
//!
//! Guarantees:
//! - **Deterministic**: the same input files give byte-identical PNG and SVG files (no clock, no hash
//!   map iteration, an embedded font). SVG text names the `sans-serif` family, so how an SVG *looks*
//!   depends on the viewer's fonts; the PNG is identical everywhere.
//! - **No half-written file**: each file is written under a hidden temporary name in the same folder
//!   and renamed into place.
//! - **Provenance**: every chart carries a footer `<scenario> · sha256 <12 hex> · seed(s) … ·
//!   phaseline <version>` from `manifest.json`.
//! - **One palette** (Okabe–Ito, colour-blind safe): the attacker is always blue, the defender always
//!   vermillion, contested settlements orange, cleared-but-unheld grey. The farm charts, which show
//!   no side, colour an effect by its sign: sky blue where raising the factor raises the outcome,
//!   orange where it lowers it.
//! - Edge cases (no rows, one day, a day figure that never happened, NaN) give an empty but labelled
//!   chart or a [`ChartError`], never a panic.
//!
//! To look at the charts of the test fixtures:
//! `CHART_SAMPLES=/tmp/charts cargo test write_samples -- --ignored` writes `run/`, `sweep/`,
//! `compare/` and `farm/` folders there, inputs and charts side by side.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::style::FontStyle;

mod campaign;
mod civilians;
mod compare;
mod control;
mod diff;
mod dist;
mod error;
mod fan;
mod farm_inputs;
mod forces;
mod geo;
mod inputs;
mod io;
mod labels;
mod layout;
mod map;
mod render;
mod rows;
mod style;
#[cfg(test)]
mod tests;
mod top_factor;
mod tornado;

pub use error::ChartError;

/// The embedded font (DejaVu Sans, Bitstream Vera licence: see `chart/fonts/LICENSE-DejaVu.txt`).
const FONT_BYTES: &[u8] = include_bytes!("chart/fonts/DejaVuSans.ttf");

/// Whether registering the embedded font succeeded (set once per process).
static FONT_REGISTERED: OnceLock<bool> = OnceLock::new();

/// Registers the embedded font as `sans-serif`, once per process, before anything is drawn.
fn register_font() -> Result<(), ChartError> {
    let ok = *FONT_REGISTERED.get_or_init(|| {
        plotters::style::register_font(style::FONT, FontStyle::Normal, FONT_BYTES).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Draw {
            path: PathBuf::from("chart/fonts/DejaVuSans.ttf"),
            message: "the embedded font could not be registered".to_string(),
        })
    }
}

/// Draws the five charts of one run folder (`output/<scenario>/seed-<N>/`) into that folder.
///
/// Reads `timeseries.csv`, `events.csv`, `summary.json`, `snapshots.json` and `manifest.json`, and
/// writes `campaign`, `control`, `forces`, `map` and `civilians`, each as a 1600×900 PNG and an SVG.
/// Returns the written paths, sorted.
///
/// # Errors
/// [`ChartError::Read`] when an input file is missing or unreadable, [`ChartError::Malformed`] when
/// one does not follow the documented format, [`ChartError::Draw`] / [`ChartError::Write`] when
/// drawing or writing an output file fails.
pub fn draw_run_charts(run_dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    register_font()?;
    let run = inputs::RunFiles::load(run_dir)?;
    let mut written = Vec::new();
    written.extend(render::write_chart(
        run_dir,
        &campaign::CampaignChart::new(&run)?,
    )?);
    written.extend(render::write_chart(
        run_dir,
        &control::ControlChart::new(&run)?,
    )?);
    written.extend(render::write_chart(
        run_dir,
        &forces::ForcesChart::new(&run)?,
    )?);
    written.extend(render::write_chart(run_dir, &map::MapChart::new(&run)?)?);
    written.extend(render::write_chart(
        run_dir,
        &civilians::CiviliansChart::new(&run)?,
    )?);
    written.sort();
    Ok(written)
}

/// Draws the four charts of one sweep folder (`output/<scenario>/sweep-<A>-<B>/`) into that folder.
///
/// Reads `bands.csv`, `runs.csv`, `aggregate.json` and `manifest.json`, and writes `fan_isolation`,
/// `fan_villages`, `dist_isolation_day` and `dist_capture_day` (PNG + SVG each). Returns the written
/// paths, sorted.
///
/// # Errors
/// As [`draw_run_charts`].
pub fn draw_sweep_charts(sweep_dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    register_font()?;
    let sweep = inputs::SweepFiles::load(sweep_dir)?;
    let mut written = Vec::new();
    for chart in [
        fan::FanChart::isolation(&sweep)?,
        fan::FanChart::villages(&sweep)?,
    ] {
        written.extend(render::write_chart(sweep_dir, &chart)?);
    }
    for figure in ["isolation_day", "capture_day"] {
        let chart = dist::DistChart::new(&sweep, figure)?;
        written.extend(render::write_chart(sweep_dir, &chart)?);
    }
    written.sort();
    Ok(written)
}

/// Draws the two charts of one comparison folder into that folder.
///
/// Reads `a_bands.csv`, `b_bands.csv` (each in the format of a sweep's `bands.csv`), `pairs.csv`
/// (`seed,figure,a,b,diff`), `comparison.json` and `manifest.json`, and writes `compare_isolation`
/// (both courses' median and 90 % band) and `compare_diff` (paired mean difference per figure with
/// its 95 % confidence interval), PNG + SVG each. Returns the written paths, sorted.
///
/// # Errors
/// As [`draw_run_charts`].
pub fn draw_compare_charts(dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    register_font()?;
    let files = inputs::CompareFiles::load(dir)?;
    let mut written = Vec::new();
    written.extend(render::write_chart(
        dir,
        &compare::CompareChart::new(&files)?,
    )?);
    written.extend(render::write_chart(dir, &diff::DiffChart::new(&files)?)?);
    written.sort();
    Ok(written)
}

/// Draws the two charts of every outcome of one farm folder
/// (`output/<scenario>/farm-<design>/`) into that folder.
///
/// Reads `sensitivity.json`, `runs.csv` and `manifest.json`, and writes, for each entry of
/// `sensitivity.json`'s `outcomes`, `tornado_<outcome>` (every factor's standardized rank
/// regression coefficient with its 95 % confidence interval, largest first) and
/// `top_factor_<outcome>` (the outcome against its top-ranked factor, run by run and per design
/// point), PNG + SVG each. An outcome whose coefficients are null gets empty charts carrying the
/// file's `note`. Returns the written paths, sorted.
///
/// # Errors
/// As [`draw_run_charts`]; [`ChartError::Malformed`] also when `sensitivity.json` has another
/// `format` than `phaseline-farm/1`, an outcome id holds anything but ASCII letters, digits, `_`
/// and `-` (it names files) or is repeated, an effect or ranking names an unknown factor, or
/// `runs.csv` lacks `point`, a factor's column or an outcome's column.
pub fn draw_farm_charts(dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    register_font()?;
    let files = farm_inputs::FarmFiles::load(dir)?;
    let mut written = Vec::new();
    for outcome in &files.sensitivity.outcomes {
        written.extend(render::write_chart(
            dir,
            &tornado::TornadoChart::new(&files, outcome)?,
        )?);
        written.extend(render::write_chart(
            dir,
            &top_factor::TopFactorChart::new(&files, outcome)?,
        )?);
    }
    written.sort();
    Ok(written)
}
