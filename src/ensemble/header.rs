//! The journal header (`sweep.json` / `shard.json`): what a journal holds, compared field by field.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::journal::{SHARD_HEADER_FILE, SWEEP_HEADER_FILE};
use super::{EnsembleError, SeedRange, Shard, SweepIdentity};

/// The journal format named in every header.
const FORMAT: &str = "phaseline-journal/1";

/// What a journal holds: written before the first seed, checked by resume and merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalHeader {
    /// The journal format, `phaseline-journal/1`.
    pub format: String,
    /// The sweep this journal is (part of).
    #[serde(flatten)]
    pub identity: SweepIdentity,
    /// The shard K/N, `None` for an unsharded sweep.
    pub shard: Option<Shard>,
    /// The seeds this folder runs: the shard's block, or all of them; `None` for an empty shard.
    pub journal_seeds: Option<SeedRange>,
    /// Figure names, in journal order.
    pub figures: Vec<String>,
    /// Series names, in journal order.
    pub series: Vec<String>,
}

impl JournalHeader {
    /// The header of a sweep of `identity` (or of one shard of it) with these figures and series.
    pub fn new(
        identity: &SweepIdentity,
        shard: Option<Shard>,
        figures: Vec<String>,
        series: Vec<String>,
    ) -> Self {
        let journal_seeds = match shard {
            Some(s) => identity.seeds.shard(s),
            None => Some(identity.seeds),
        };
        Self {
            format: FORMAT.to_owned(),
            identity: identity.clone(),
            shard,
            journal_seeds,
            figures,
            series,
        }
    }

    /// The header's file name: `shard.json` for a shard, `sweep.json` otherwise.
    pub(crate) fn file_name(&self) -> &'static str {
        if self.shard.is_some() {
            SHARD_HEADER_FILE
        } else {
            SWEEP_HEADER_FILE
        }
    }

    /// The fields compared between headers, as text, in the order errors name them.
    fn fields(&self, with_index: bool) -> Vec<(&'static str, String)> {
        let id = &self.identity;
        let shard = |f: fn(&Shard) -> u32| {
            self.shard
                .as_ref()
                .map_or("none".to_owned(), |s| f(s).to_string())
        };
        let mut fields = vec![
            ("format", self.format.clone()),
            ("engine_version", id.engine_version.clone()),
            ("scenario_name", id.scenario_name.clone()),
            ("scenario_sha256", id.scenario_sha256.clone()),
            ("seeds", id.seeds.to_string()),
            ("overrides", format!("{:?}", id.overrides)),
            (
                "design_sha256",
                id.design_sha256
                    .clone()
                    .unwrap_or_else(|| "none".to_owned()),
            ),
            ("figures", format!("{:?}", self.figures)),
            ("series", format!("{:?}", self.series)),
            ("shard count", shard(|s| s.count)),
        ];
        if with_index {
            let seeds = self
                .journal_seeds
                .map_or("none".to_owned(), |r| r.to_string());
            fields.extend([
                ("shard index", shard(|s| s.index)),
                ("journal_seeds", seeds),
            ]);
        }
        fields
    }

    /// Refuses `found` (read from `path`) unless it matches this header field for field; the shard
    /// index and the journal's own seeds are compared only `with_index`.
    pub(crate) fn check_same(
        &self,
        found: &Self,
        path: &Path,
        with_index: bool,
    ) -> Result<(), EnsembleError> {
        let differs = self
            .fields(with_index)
            .into_iter()
            .zip(found.fields(with_index))
            .find(|((_, a), (_, b))| a != b);
        match differs {
            Some(((field, expected), (_, found))) => Err(EnsembleError::IdentityMismatch {
                path: path.to_owned(),
                field,
                expected,
                found,
            }),
            None => Ok(()),
        }
    }

    /// Checks that the recorded `journal_seeds` are what the shard's index gives (merge compares
    /// headers without the index, so this field is checked on its own).
    pub(crate) fn check_consistent(&self, path: &Path) -> Result<(), EnsembleError> {
        let fresh = Self::new(
            &self.identity,
            self.shard,
            self.figures.clone(),
            self.series.clone(),
        );
        fresh.check_same(self, path, true)
    }

    /// Reads the header at `path`.
    pub(crate) fn read(path: &Path) -> Result<Self, EnsembleError> {
        let text = fs::read_to_string(path).map_err(EnsembleError::io(path))?;
        serde_json::from_str(&text).map_err(|source| EnsembleError::Json {
            path: path.to_owned(),
            source,
        })
    }

    /// Writes the header into `dir` (atomically).
    pub(crate) fn write(&self, dir: &Path) -> Result<(), EnsembleError> {
        let path = dir.join(self.file_name());
        let json = serde_json::to_string_pretty(self).map_err(|source| EnsembleError::Json {
            path: path.clone(),
            source,
        })?;
        super::files::write_atomic(&path, format!("{json}\n").as_bytes())
    }
}
