//! The one error type of the chart module.

use std::path::PathBuf;

/// Why charts could not be drawn.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// An input file is missing or could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// An input file was read, but its content does not follow `docs/output-formats.md`.
    #[error("malformed {}: {what}", path.display())]
    Malformed {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong and where (row, column, field).
        what: String,
    },
    /// plotters failed while drawing a chart (a font or backend failure).
    #[error("cannot draw {}: {message}", path.display())]
    Draw {
        /// The chart file that was being drawn.
        path: PathBuf,
        /// plotters' own message.
        message: String,
    },
    /// A chart file could not be written or renamed into place.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file that was being written.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

impl From<crate::results::read::ReadError> for ChartError {
    fn from(e: crate::results::read::ReadError) -> Self {
        match e {
            crate::results::read::ReadError::Read { path, source } => {
                ChartError::Read { path, source }
            }
            crate::results::read::ReadError::Malformed { path, what } => {
                ChartError::Malformed { path, what }
            }
        }
    }
}
