//! Reading saved result files back (charts and the briefing page redraw from them, never from the
//! simulation): whole files, JSON documents, and CSV tables by column name. Every error names the
//! file, and CSV errors the row and column; an empty cell is a missing value, never 0.

use serde::de::DeserializeOwned;

pub use super::summary_view::{PerSide, PhaseStart, Summary};
use std::path::{Path, PathBuf};

/// Why a result file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file is missing or unreadable.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file does not hold what its format says.
    #[error("{} is malformed: {what}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        what: String,
    },
}

/// A [`ReadError::Malformed`] for `path`.
pub fn malformed(path: &Path, what: impl Into<String>) -> ReadError {
    ReadError::Malformed {
        path: path.to_path_buf(),
        what: what.into(),
    }
}

/// Reads a whole file, or says which file could not be read.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    std::fs::read(path).map_err(|source| ReadError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads and parses a JSON file into `T`.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, ReadError> {
    let bytes = read_bytes(path)?;
    serde_json::from_slice(&bytes).map_err(|e| malformed(path, e.to_string()))
}

/// A CSV file with a header row, read whole; columns are looked up by name.
#[derive(Debug, Clone)]
pub struct Table {
    /// Where it was read from.
    pub path: PathBuf,
    /// Header cells.
    pub headers: Vec<String>,
    /// Data rows.
    pub rows: Vec<csv::StringRecord>,
}

impl Table {
    /// Reads `path`; every row must have as many cells as the header.
    pub fn read(path: &Path) -> Result<Self, ReadError> {
        let bytes = read_bytes(path)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(bytes.as_slice());
        let headers = reader
            .headers()
            .map_err(|e| malformed(path, format!("header row: {e}")))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let rows = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| malformed(path, e.to_string()))?;
        Ok(Table {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// The position of column `name`.
    pub fn index(&self, name: &str) -> Result<usize, ReadError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| malformed(&self.path, format!("no column `{name}` in the header")))
    }

    /// Fails unless every column in `names` is present.
    pub fn require(&self, names: &[&str]) -> Result<(), ReadError> {
        names.iter().try_for_each(|n| self.index(n).map(|_| ()))
    }

    /// The cell of `row` in column `col` (empty when short).
    pub fn cell<'a>(&self, row: &'a csv::StringRecord, col: usize) -> &'a str {
        row.get(col).unwrap_or("").trim()
    }

    /// The number in row `row_index`, column `col`; a malformed cell names its row and column.
    pub fn number(
        &self,
        row_index: usize,
        row: &csv::StringRecord,
        col: usize,
    ) -> Result<f64, ReadError> {
        let cell = self.cell(row, col);
        cell.parse::<f64>()
            .map_err(|_| self.not_a_number(row_index, col, cell))
    }

    fn not_a_number(&self, row_index: usize, col: usize, cell: &str) -> ReadError {
        let name = self.headers.get(col).map_or("?", String::as_str);
        malformed(
            &self.path,
            format!(
                "row {}, column `{name}`: {cell:?} is not a number",
                row_index + 2
            ),
        )
    }

    /// The text cells of column `name`.
    pub fn strings(&self, name: &str) -> Result<Vec<String>, ReadError> {
        let i = self.index(name)?;
        Ok(self
            .rows
            .iter()
            .map(|r| r.get(i).unwrap_or("").to_string())
            .collect())
    }

    /// The cells of column `name` as numbers; an empty cell is `None`.
    pub fn optional_numbers(&self, name: &str) -> Result<Vec<Option<f64>>, ReadError> {
        let i = self.index(name)?;
        self.rows
            .iter()
            .enumerate()
            .map(|(row, r)| {
                let cell = self.cell(r, i);
                if cell.is_empty() {
                    return Ok(None);
                }
                cell.parse::<f64>()
                    .map(Some)
                    .map_err(|_| self.not_a_number(row, i, cell))
            })
            .collect()
    }

    /// The cells of column `name` as numbers; an empty cell is NaN (drawn as a gap).
    pub fn numbers(&self, name: &str) -> Result<Vec<f64>, ReadError> {
        Ok(self
            .optional_numbers(name)?
            .into_iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect())
    }

    /// The rows whose column `key` equals `value`, as a new table with the same header.
    pub fn filter(&self, key: &str, value: &str) -> Result<Table, ReadError> {
        let i = self.index(key)?;
        let rows = self
            .rows
            .iter()
            .filter(|r| r.get(i) == Some(value))
            .cloned()
            .collect();
        Ok(Table {
            path: self.path.clone(),
            headers: self.headers.clone(),
            rows,
        })
    }
}
