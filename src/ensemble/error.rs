//! The ensemble's error type.

use std::path::PathBuf;

/// Everything that can go wrong while sweeping, merging or comparing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnsembleError {
    /// A `--seeds A..B` value that is not two integers with `A <= B`.
    #[error("invalid seed range {input:?}: {reason} (expected A..B, inclusive, with A <= B)")]
    InvalidSeedRange {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A `--shard K/N` value that is not two integers with `0 <= K < N`.
    #[error("invalid shard {input:?}: {reason} (expected K/N with 0 <= K < N)")]
    InvalidShard {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Reading or writing a file or folder failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Writing a CSV file failed.
    #[error("{path}: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: csv::Error,
    },
    /// A JSON file could not be read or written.
    #[error("{path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
    /// The worker thread pool could not be started.
    #[error("cannot start {jobs} worker threads: {source}")]
    ThreadPool {
        /// Threads asked for.
        jobs: usize,
        /// The underlying error.
        source: rayon::ThreadPoolBuildError,
    },
    /// The runner returned an error for a seed.
    #[error("seed {seed} failed: {message}")]
    SeedFailed {
        /// The seed.
        seed: u64,
        /// The runner's message.
        message: String,
    },
    /// The runner panicked on a seed.
    #[error("seed {seed} panicked: {message}")]
    SeedPanicked {
        /// The seed.
        seed: u64,
        /// The panic message, where it was text.
        message: String,
    },
    /// The runner returned results of the wrong shape, for another seed, or with a non-finite value.
    #[error("seed {seed} returned unusable results: {reason}")]
    BadSeedResult {
        /// The seed.
        seed: u64,
        /// What is wrong.
        reason: String,
    },
    /// The output folder already holds results and neither resume nor force was asked for.
    #[error(
        "{} already holds results; {}",
        dir.display(),
        if *resumable {
            "add --resume to continue them, --force to replace them, or choose another --out"
        } else {
            "add --force to replace them, or choose another --out"
        }
    )]
    OutputExists {
        /// The folder.
        dir: PathBuf,
        /// Whether the command can continue them (`sweep` and `farm` have `--resume`; `compare`
        /// has not).
        resumable: bool,
    },
    /// A complete journal line could not be read.
    #[error("{path}, line {line}: {reason}")]
    JournalCorrupt {
        /// The journal.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A journal header differs from the one expected (another scenario, engine, seed range...).
    #[error(
        "{path}: {field} differs: expected {expected}, found {found}; resume or merge only with the scenario, seeds, --set overrides and engine that made it, or start afresh in another --out"
    )]
    IdentityMismatch {
        /// The header that differs.
        path: PathBuf,
        /// The header field.
        field: &'static str,
        /// The value expected (the sweep's own, or the first shard's).
        expected: String,
        /// The value found in `path`.
        found: String,
    },
    /// A folder given to merge has no shard header.
    #[error("{dir} is not a shard folder (no {file}); give the folders written by `--shard K/N`")]
    NotAShard {
        /// The folder.
        dir: PathBuf,
        /// The header file looked for.
        file: &'static str,
    },
    /// Merge was given no folders.
    #[error("no shard folders to merge")]
    NoShards,
    /// Some shard indices of `0..count` were not given to merge.
    #[error(
        "shards missing from the merge: {missing} of 0..{count}; run them (`--shard K/{count}`) and give every shard folder to the merge"
    )]
    MissingShards {
        /// The shard count N.
        count: u32,
        /// The missing indices, comma-separated.
        missing: String,
    },
    /// Two folders given to merge hold the same shard index.
    #[error(
        "shard {index} given twice: {first} and {second}; give each shard folder once (one of them is a copy, or from another sweep)"
    )]
    DuplicateShard {
        /// The shard index.
        index: u32,
        /// The first folder holding it.
        first: PathBuf,
        /// The second folder holding it.
        second: PathBuf,
    },
    /// A shard's journal lacks some of the shard's seeds (the shard did not finish).
    #[error("{dir} (shard {index}) lacks {count} seeds: {missing}; resume that shard first")]
    MissingSeeds {
        /// The shard folder.
        dir: PathBuf,
        /// The shard index.
        index: u32,
        /// How many seeds are missing.
        count: u64,
        /// The missing seeds as ranges.
        missing: String,
    },
    /// A journal's seeds are not what its header says: one outside its range, one found twice, or
    /// some missing when the sweep has run them all (another process writing the same folder).
    #[error("{path}: {reason}")]
    JournalSeeds {
        /// The journal.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// More seeds than one ensemble may hold (each seed's results are kept in memory to aggregate).
    #[error(
        "{seeds} seeds are more than the {limit} one sweep may run; split them into several sweeps (or farms)"
    )]
    TooManySeeds {
        /// The seeds asked for.
        seeds: u64,
        /// The limit, [`super::MAX_SEEDS`].
        limit: u64,
    },
    /// A name that a Slurm job script or command line cannot carry safely (a control character such
    /// as a newline would end a comment or a command and start another).
    #[error(
        "the {what} {value:?} holds a control character that a job script cannot carry safely; rename it (or use a path without it)"
    )]
    Unscriptable {
        /// What the name is (`scenario file`, `--out folder`...).
        what: &'static str,
        /// The name, shortened when long.
        value: String,
    },
    /// The two arms of a comparison name different seed ranges.
    #[error("compare needs the same seeds for both: A has {a}, B has {b}")]
    SeedsDiffer {
        /// A's seeds.
        a: String,
        /// B's seeds.
        b: String,
    },
}

impl EnsembleError {
    /// Whether the user's input (flags, folders given) is at fault: the command line exits with 2.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            Self::InvalidSeedRange { .. }
                | Self::InvalidShard { .. }
                | Self::OutputExists { .. }
                | Self::IdentityMismatch { .. }
                | Self::NotAShard { .. }
                | Self::NoShards
                | Self::MissingShards { .. }
                | Self::DuplicateShard { .. }
                | Self::MissingSeeds { .. }
                | Self::TooManySeeds { .. }
                | Self::Unscriptable { .. }
                | Self::SeedsDiffer { .. }
        )
    }

    /// Refuses more than [`super::MAX_SEEDS`] seeds, before anything is allocated for them.
    pub fn check_seed_count(seeds: u64) -> Result<(), Self> {
        let limit = super::MAX_SEEDS;
        if seeds > limit {
            return Err(Self::TooManySeeds { seeds, limit });
        }
        Ok(())
    }

    /// Wraps an I/O error with the path it concerns.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}
