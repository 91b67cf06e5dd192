//! Reading result files: CSV tables by column name, JSON documents, and the manifest's provenance.
//!
//! Every error names the file; CSV errors also name the row and column. An empty cell reads as a
//! missing value (NaN in a numeric series, `None` in a day figure), never as 0.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::error::ChartError;
use super::style::{display_name, seeds_phrase};

pub(crate) use crate::results::read::Table;

/// Reads and parses a JSON file into `T`.
pub(crate) fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, ChartError> {
    Ok(crate::results::read::read_json(path)?)
}

/// A malformed-file error for `path`.
pub(crate) fn malformed(path: &Path, what: impl Into<String>) -> ChartError {
    crate::results::read::malformed(path, what).into()
}

/// `manifest.json` (one type for the writer and every reader); the footer of every chart comes
/// from it.
pub(crate) use crate::results::Manifest;

impl Manifest {
    /// Reads `manifest.json` in `dir`.
    pub(crate) fn load(dir: &Path) -> Result<Self, ChartError> {
        read_json(&dir.join("manifest.json"))
    }

    /// The seeds as written in the manifest (`7`, `1..500`).
    pub(crate) fn seeds(&self) -> String {
        self.seeds.clone()
    }

    /// `seed 7` / `seeds 1–500`, for titles.
    pub(crate) fn seeds_phrase(&self) -> String {
        seeds_phrase(&self.seeds())
    }

    /// The scenario name as a title starts it (`Raqqa`).
    pub(crate) fn title_name(&self) -> String {
        display_name(&self.scenario_name)
    }

    /// `raqqa · sha256 0123456789ab · seed 7 · phaseline 0.1.0`.
    pub(crate) fn footer(&self) -> String {
        let sha: String = self.scenario_sha256.chars().take(12).collect();
        let seeds = self.seeds();
        let word = if seeds_phrase(&seeds).starts_with("seeds") {
            "seeds"
        } else {
            "seed"
        };
        format!(
            "{} · sha256 {sha} · {word} {seeds} · phaseline {}",
            self.scenario_name, self.engine_version
        )
    }
}
