//! `phaseline chart` and `phaseline brief`: redraw a folder's charts or its briefing page from the
//! saved files, without simulating.

use super::common::CommandError;
use crate::output::OutputFolder;
use std::path::{Path, PathBuf};

/// Redraws the charts of whatever results `dir` holds; returns the files written.
pub fn chart(dir: &Path) -> Result<Vec<PathBuf>, CommandError> {
    let _lock = OutputFolder::lock_existing(dir)?;
    let has = |f: &str| dir.join(f).exists();
    let written = if has("sensitivity.json") {
        crate::chart::draw_farm_charts(dir)?
    } else if has("summary.json") {
        crate::chart::draw_run_charts(dir)?
    } else if has("comparison.json") {
        crate::chart::draw_compare_charts(dir)?
    } else if has("aggregate.json") {
        crate::chart::draw_sweep_charts(dir)?
    } else {
        return Err(CommandError::Usage(format!(
            "{} holds no run, sweep, comparison or farm results",
            dir.display()
        )));
    };
    Ok(written)
}

/// Rewrites the briefing page of `dir`; returns its path.
pub fn brief(dir: &Path) -> Result<PathBuf, CommandError> {
    let _lock = OutputFolder::lock_existing(dir)?;
    Ok(crate::brief::write_briefing(dir)?)
}
