//! The one error type of the briefing module.

use std::path::PathBuf;

/// Why a briefing page could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BriefError {
    /// The folder holds no `summary.json` (run), `comparison.json` (comparison), `aggregate.json`
    /// (sweep) or `sensitivity.json` (farm), so there is nothing to brief.
    #[error(
        "{} holds no run, sweep, comparison or farm results (no summary.json, comparison.json, aggregate.json or sensitivity.json)",
        dir.display()
    )]
    NotResults {
        /// The folder that was given.
        dir: PathBuf,
    },
    /// A result file is missing or could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A result file was read, but its content does not follow `docs/output-formats.md`.
    #[error("malformed {}: {what}", path.display())]
    Malformed {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong and where (row, column, field).
        what: String,
    },
    /// `briefing.html` could not be written or renamed into place.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file that was being written.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

impl From<crate::results::read::ReadError> for BriefError {
    fn from(e: crate::results::read::ReadError) -> Self {
        match e {
            crate::results::read::ReadError::Read { path, source } => {
                BriefError::Read { path, source }
            }
            crate::results::read::ReadError::Malformed { path, what } => {
                BriefError::Malformed { path, what }
            }
        }
    }
}
