//! `run_sweep`: run a seed range (or one shard of it) into a journal, then write the result files.

use std::fs;
use std::path::{Path, PathBuf};

use super::header::JournalHeader;
use super::journal::{JournalWriter, check_seeds, load_results, read_journal};
use super::pool::{map_seeds, progress_bar, run_checked};
use super::seeds::missing_seeds;
use super::{
    EnsembleError, JOURNAL_FILE, ResultWriter, SHARD_HEADER_FILE, SWEEP_HEADER_FILE, SeedRange,
    SeedRunner, Shard, SweepFiles, SweepIdentity,
};

/// How to run a sweep; none of it changes the result files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepOptions {
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Run only shard K/N of the seeds, into a shard folder (journal and `shard.json` only).
    pub shard: Option<Shard>,
    /// Continue the journal already in the output folder, skipping the seeds it holds (a fresh start
    /// when there is none). Refused when the folder's header differs.
    pub resume: bool,
    /// Start afresh even if the folder holds results (deletes the journal and result files).
    pub force: bool,
    /// Show a progress bar on stderr (only when stderr is a terminal).
    pub progress: bool,
}

/// What a sweep did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepOutcome {
    /// The seeds this folder holds (the shard's block, or all); `None` for an empty shard.
    pub seeds: Option<SeedRange>,
    /// Seeds run by this call.
    pub ran: u64,
    /// Seeds found finished in the journal and skipped.
    pub resumed: u64,
    /// The journal.
    pub journal: PathBuf,
    /// The result files written (`runs.csv`, `bands.csv`, `aggregate.json`); none for a shard.
    pub files: Vec<PathBuf>,
}

/// Runs every seed of `identity.seeds` (or of `options.shard`'s block of them) with `runner` into
/// `out_dir`, which is created if needed.
///
/// Each finished seed is appended to `seeds.journal` at once. An unsharded sweep then writes
/// `runs.csv`, `bands.csv` and `aggregate.json`, byte-identical for any `jobs`; a shard leaves its
/// journal and `shard.json` for [`merge`](super::merge). Refuses a folder that already holds results
/// unless `resume` or `force` is set; a runner error or panic stops the sweep with an error naming
/// the seed, leaving the journal of the seeds finished so far for `resume`.
pub fn run_sweep<R: SeedRunner + ?Sized>(
    runner: &R,
    identity: &SweepIdentity,
    options: &SweepOptions,
    out_dir: &Path,
) -> Result<SweepOutcome, EnsembleError> {
    run_ensemble(runner, identity, options, out_dir, &SweepFiles)
}

/// [`run_sweep`] with other result files: the journal, resume and shards work the same, and when
/// every seed is in, `writer` writes the results (a shard leaves the journal only).
pub fn run_ensemble<R: SeedRunner + ?Sized, W: ResultWriter + ?Sized>(
    runner: &R,
    identity: &SweepIdentity,
    options: &SweepOptions,
    out_dir: &Path,
    writer: &W,
) -> Result<SweepOutcome, EnsembleError> {
    let header = JournalHeader::new(
        identity,
        options.shard,
        runner.figure_names(),
        runner.series_names(),
    );
    EnsembleError::check_seed_count(identity.seeds.len())?;
    fs::create_dir_all(out_dir).map_err(EnsembleError::io(out_dir))?;
    let journal = out_dir.join(JOURNAL_FILE);
    let (done, keep) = prepare_folder(&header, options, &writer.file_names(), out_dir)?;

    let remaining: Vec<u64> = header
        .journal_seeds
        .iter()
        .flat_map(SeedRange::iter)
        .filter(|s| done.binary_search(s).is_err())
        .collect();
    let total = header.journal_seeds.map_or(0, |r| r.len());
    let bar = progress_bar(
        writer.progress_label(),
        total,
        done.len() as u64,
        options.progress,
    );
    let journal_writer = JournalWriter::open(&journal, keep)?;
    let (figures, series) = (header.figures.len(), header.series.len());
    map_seeds(&remaining, options.jobs, &bar, |seed| {
        journal_writer.append(&run_checked(runner, seed, figures, series)?)
    })?;
    journal_writer.finish()?;

    let files = match options.shard {
        Some(_) => Vec::new(),
        None => {
            let results = load_results(out_dir, &header)?;
            let found: Vec<u64> = results.iter().map(|r| r.seed).collect();
            let (count, missing) = missing_seeds(header.journal_seeds, &found);
            if count > 0 {
                let reason = format!("{count} seeds missing after the sweep: {missing}");
                return Err(EnsembleError::JournalSeeds {
                    path: journal,
                    reason,
                });
            }
            writer.write(out_dir, &header, &results)?
        }
    };
    Ok(SweepOutcome {
        seeds: header.journal_seeds,
        ran: remaining.len() as u64,
        resumed: done.len() as u64,
        journal,
        files,
    })
}

/// Readies `dir` for the sweep described by `header`: when resuming, checks its header and reads the
/// finished seeds (ascending) and the byte length of the journal's complete lines; otherwise refuses
/// a folder holding a journal or any of `result_files` (unless forced), clears it and writes the
/// header.
fn prepare_folder(
    header: &JournalHeader,
    options: &SweepOptions,
    result_files: &[&str],
    dir: &Path,
) -> Result<(Vec<u64>, u64), EnsembleError> {
    let header_path = dir.join(header.file_name());
    let other = if options.shard.is_some() {
        SWEEP_HEADER_FILE
    } else {
        SHARD_HEADER_FILE
    };
    if options.resume && header_path.exists() {
        header.check_same(&JournalHeader::read(&header_path)?, &header_path, true)?;
        let journal = dir.join(JOURNAL_FILE);
        let mut done = Vec::new();
        let keep = read_journal(&journal, header, |r| {
            done.push(r.seed);
            Ok(())
        })?;
        done.sort_unstable();
        check_seeds(&journal, header.journal_seeds, &done)?;
        return Ok((done, keep));
    }
    if options.resume && dir.join(other).exists() {
        let path = dir.join(other);
        let shard =
            |s: Option<Shard>| s.map_or("none (an unsharded sweep)".to_owned(), |s| s.to_string());
        let found = JournalHeader::read(&path)?.shard;
        return Err(EnsembleError::IdentityMismatch {
            path,
            field: "shard",
            expected: shard(options.shard),
            found: shard(found),
        });
    }
    let ours = [JOURNAL_FILE, SWEEP_HEADER_FILE, SHARD_HEADER_FILE];
    let present: Vec<PathBuf> = ours
        .iter()
        .chain(result_files)
        .map(|f| dir.join(f))
        .filter(|p| p.exists())
        .collect();
    if !present.is_empty() && !options.force {
        return Err(EnsembleError::OutputExists {
            dir: dir.to_owned(),
            resumable: true,
        });
    }
    for path in present {
        fs::remove_file(&path).map_err(EnsembleError::io(&path))?;
    }
    header.write(dir)?;
    Ok((Vec::new(), 0))
}
