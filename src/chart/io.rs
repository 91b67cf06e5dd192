//! Reading result files: CSV tables by column name, JSON documents, and the manifest's provenance.
//!
//! Every error names the file; CSV errors also name the row and column. An empty cell reads as a
//! missing value (NaN in a numeric series, `None` in a day figure), never as 0.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::error::ChartError;
use super::style::{display_name, seeds_phrase};

/// Reads a whole file, or says which file could not be read.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, ChartError> {
    fs::read(path).map_err(|source| ChartError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads and parses a JSON file into `T`.
pub(crate) fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, ChartError> {
    let bytes = read_bytes(path)?;
    serde_json::from_slice(&bytes).map_err(|e| malformed(path, e.to_string()))
}

/// A [`ChartError::Malformed`] for `path`.
pub(crate) fn malformed(path: &Path, what: impl Into<String>) -> ChartError {
    ChartError::Malformed {
        path: path.to_path_buf(),
        what: what.into(),
    }
}

/// A CSV file with a header row, read whole; columns are looked up by name.
#[derive(Debug)]
pub(crate) struct Table {
    path: PathBuf,
    headers: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Table {
    /// Reads `path`; every row must have as many cells as the header.
    pub(crate) fn read(path: &Path) -> Result<Self, ChartError> {
        let bytes = read_bytes(path)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(bytes.as_slice());
        let headers = reader
            .headers()
            .map_err(|e| malformed(path, format!("header row: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            rows.push(record.map_err(|e| malformed(path, e.to_string()))?);
        }
        Ok(Self {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    fn index(&self, name: &str) -> Result<usize, ChartError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| malformed(&self.path, format!("no column `{name}` in the header")))
    }

    /// Fails unless every column in `names` is present.
    pub(crate) fn require(&self, names: &[&str]) -> Result<(), ChartError> {
        names.iter().try_for_each(|n| self.index(n).map(|_| ()))
    }

    /// The text cells of column `name`.
    pub(crate) fn strings(&self, name: &str) -> Result<Vec<String>, ChartError> {
        let i = self.index(name)?;
        Ok(self
            .rows
            .iter()
            .map(|r| r.get(i).unwrap_or("").to_string())
            .collect())
    }

    /// The cells of column `name` as numbers; an empty cell is `None`.
    pub(crate) fn optional_numbers(&self, name: &str) -> Result<Vec<Option<f64>>, ChartError> {
        let i = self.index(name)?;
        self.rows
            .iter()
            .enumerate()
            .map(|(row, r)| {
                let cell = r.get(i).unwrap_or("").trim();
                if cell.is_empty() {
                    return Ok(None);
                }
                cell.parse::<f64>().map(Some).map_err(|_| {
                    malformed(
                        &self.path,
                        format!("row {}, column `{name}`: {cell:?} is not a number", row + 2),
                    )
                })
            })
            .collect()
    }

    /// The cells of column `name` as numbers; an empty cell is NaN (drawn as a gap).
    pub(crate) fn numbers(&self, name: &str) -> Result<Vec<f64>, ChartError> {
        Ok(self
            .optional_numbers(name)?
            .into_iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect())
    }

    /// The rows whose column `key` equals `value`, as a new table with the same header.
    pub(crate) fn filter(&self, key: &str, value: &str) -> Result<Table, ChartError> {
        let i = self.index(key)?;
        Ok(Table {
            path: self.path.clone(),
            headers: self.headers.clone(),
            rows: self
                .rows
                .iter()
                .filter(|r| r.get(i) == Some(value))
                .cloned()
                .collect(),
        })
    }
}

/// `manifest.json`: how the files were made; the footer of every chart comes from it.
#[derive(Debug, Deserialize)]
pub(crate) struct Manifest {
    /// phaseline version that wrote the files.
    pub(crate) engine_version: String,
    /// Scenario name, e.g. `raqqa`.
    pub(crate) scenario_name: String,
    /// SHA-256 of the scenario file, 64 hex digits.
    pub(crate) scenario_sha256: String,
    /// `"7"` for a run, `"1..40"` (inclusive) for a sweep or comparison.
    seeds: serde_json::Value,
}

impl Manifest {
    /// Reads `manifest.json` in `dir`.
    pub(crate) fn load(dir: &Path) -> Result<Self, ChartError> {
        read_json(&dir.join("manifest.json"))
    }

    /// The seeds as written in the manifest (`7`, `1..500`).
    pub(crate) fn seeds(&self) -> String {
        match &self.seeds {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
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
