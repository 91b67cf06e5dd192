//! `merge`: combine the shard folders of one sweep into the files the unsharded sweep writes.

use std::fs;
use std::path::{Path, PathBuf};

use super::header::JournalHeader;
use super::journal::load_results;
use super::seeds::missing_seeds;
use super::{EnsembleError, ResultWriter, SHARD_HEADER_FILE, SeedRange, SweepFiles};

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOutcome {
    /// The whole sweep's seeds.
    pub seeds: SeedRange,
    /// How many shards were combined (N).
    pub shards: u32,
    /// The result files written (`runs.csv`, `bands.csv`, `aggregate.json`).
    pub files: Vec<PathBuf>,
}

/// Combines the shard folders `shard_dirs` (any order) into `runs.csv`, `bands.csv` and
/// `aggregate.json` in `out_dir` (created if needed; existing result files are replaced), the same
/// bytes as the unsharded sweep writes.
///
/// Refuses, before reading any journal: a folder without `shard.json`; a shard whose header differs
/// from the first folder's (naming the field and both values); a shard index given twice; shard
/// indices missing from `0..N`. Then refuses a shard whose journal lacks some of its seeds.
pub fn merge<P: AsRef<Path>>(
    shard_dirs: &[P],
    out_dir: &Path,
) -> Result<MergeOutcome, EnsembleError> {
    merge_with(shard_dirs, out_dir, &SweepFiles, None)
}

/// [`merge`] with other result files, written by `writer`; when `expected` is given, every shard's
/// header must also match it (all but the shard index), so that shards of another design or
/// scenario are refused.
pub fn merge_with<P: AsRef<Path>, W: ResultWriter + ?Sized>(
    shard_dirs: &[P],
    out_dir: &Path,
    writer: &W,
    expected: Option<&JournalHeader>,
) -> Result<MergeOutcome, EnsembleError> {
    let mut shards: Vec<(u32, PathBuf, JournalHeader)> = Vec::new();
    for dir in shard_dirs.iter().map(AsRef::as_ref) {
        let path = dir.join(SHARD_HEADER_FILE);
        if !path.is_file() {
            return Err(EnsembleError::NotAShard {
                dir: dir.to_owned(),
                file: SHARD_HEADER_FILE,
            });
        }
        let header = JournalHeader::read(&path)?;
        let Some(shard) = header.shard else {
            return Err(EnsembleError::NotAShard {
                dir: dir.to_owned(),
                file: SHARD_HEADER_FILE,
            });
        };
        header.check_consistent(&path)?;
        if let Some(expected) = expected {
            // The expected header is the unsharded one: compare everything but the sharding.
            let as_shard = JournalHeader {
                shard: header.shard,
                journal_seeds: header.journal_seeds,
                ..expected.clone()
            };
            as_shard.check_same(&header, &path, false)?;
        }
        if let Some((_, _, first)) = shards.first() {
            first.check_same(&header, &path, false)?;
        }
        shards.push((shard.index, dir.to_owned(), header));
    }
    let Some((_, _, first)) = shards.first() else {
        return Err(EnsembleError::NoShards);
    };
    let first = first.clone();
    let (seeds, count) = (first.identity.seeds, first.shard.map_or(1, |s| s.count));
    shards.sort_by_key(|(index, _, _)| *index);
    if let Some(w) = shards.windows(2).find(|w| w[0].0 == w[1].0) {
        let (index, first, second) = (w[0].0, w[0].1.clone(), w[1].1.clone());
        return Err(EnsembleError::DuplicateShard {
            index,
            first,
            second,
        });
    }
    let present: Vec<u64> = shards.iter().map(|(i, _, _)| u64::from(*i)).collect();
    let (absent, missing) = missing_seeds(SeedRange::new(0, u64::from(count) - 1).ok(), &present);
    if absent > 0 {
        return Err(EnsembleError::MissingShards { count, missing });
    }

    // Shards are contiguous ascending blocks, so concatenating them by index keeps seed order.
    let mut results = Vec::new();
    for (index, dir, header) in &shards {
        let part = load_results(dir, header)?;
        let found: Vec<u64> = part.iter().map(|r| r.seed).collect();
        let (count, missing) = missing_seeds(header.journal_seeds, &found);
        if count > 0 {
            return Err(EnsembleError::MissingSeeds {
                dir: dir.clone(),
                index: *index,
                count,
                missing,
            });
        }
        results.extend(part);
    }
    fs::create_dir_all(out_dir).map_err(EnsembleError::io(out_dir))?;
    let files = writer.write(out_dir, &first, &results)?;
    Ok(MergeOutcome {
        seeds,
        shards: count,
        files,
    })
}
