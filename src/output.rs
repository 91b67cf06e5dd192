//! The output layer: the rule every command follows for the folder it writes, the writer lock, and
//! the files of one run.
//!
//! Every command that writes results follows one rule for its folder ([`folder`], which knows
//! phaseline's own file names through [`names`]) and takes one writer lock on it ([`lock`]). A run folder is built under a temporary name beside its
//! destination and renamed into place at the end, so an interrupted run leaves either a complete
//! folder or none. A folder that already holds results is refused unless `force` is given (so
//! determinism checks compare separate folders).

pub mod folder;
pub mod lock;
pub mod names;
mod run_files;

pub use crate::results::{DoctrineRecord, Manifest};
pub use folder::{Contents, MANIFEST_FILE, OutputFolder, Reuse, inspect};
pub use run_files::{ChartHook, timeseries_csv, write_run};

use std::path::{Path, PathBuf};

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// The destination already holds results.
    #[error("{} already holds results; choose another --out or add --force to replace them{}", dir.display(), if *resumable { " (or --resume to continue them)" } else { "" })]
    Exists {
        /// The folder.
        dir: PathBuf,
        /// The command has `--resume`, so the message names it.
        resumable: bool,
    },
    /// The destination holds files phaseline did not write; it is never emptied.
    #[error("{} holds files phaseline did not write ({names}); phaseline never empties such a folder, with or without --force: choose a new or empty --out", dir.display())]
    Foreign {
        /// The folder.
        dir: PathBuf,
        /// Some of the names found, comma-separated.
        names: String,
    },
    /// The destination is, or is inside, one of the command's inputs, or holds one of them.
    #[error("--out {} would overwrite the input {}: write the results to another folder", dir.display(), input.display())]
    Overlaps {
        /// The folder.
        dir: PathBuf,
        /// The input in the way.
        input: PathBuf,
    },
    /// The destination cannot be a results folder at all.
    #[error("{} cannot be a results folder: {reason}", dir.display())]
    Unusable {
        /// The folder as given.
        dir: PathBuf,
        /// Why.
        reason: String,
    },
    /// Another process is writing the destination.
    #[error("{} is being written by another phaseline process{}; wait for it to finish, or choose another --out", dir.display(), holder.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    Busy {
        /// The folder.
        dir: PathBuf,
        /// The other writer's process id, when known.
        holder: Option<u32>,
    },
    /// A file or folder could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// What was being written.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// JSON serialisation failed.
    #[error("cannot serialise {}: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
    /// Charts could not be drawn.
    #[error("cannot draw charts in {}: {message}", dir.display())]
    Chart {
        /// The folder.
        dir: PathBuf,
        /// Why.
        message: String,
    },
}

impl OutputError {
    /// Whether the user's choice of folder is at fault (the command line exits with 2).
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            OutputError::Exists { .. }
                | OutputError::Foreign { .. }
                | OutputError::Overlaps { .. }
                | OutputError::Unusable { .. }
                | OutputError::Busy { .. }
        )
    }

    /// A closure turning an I/O error about `path` into an [`OutputError`].
    pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
        move |source| OutputError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Whether `dir` holds results phaseline made (or anything else that makes it unusable as an
/// output folder without a new name).
pub fn holds_results(dir: &Path) -> bool {
    !matches!(inspect(dir), Ok(Contents::Empty))
}

/// A folder being filled under a temporary name; [`StagedDir::commit`] moves it into place.
#[derive(Debug)]
pub struct StagedDir {
    /// The temporary folder to write into.
    pub path: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl StagedDir {
    /// Stages `target` beside it, following the output-folder rule: a results folder is refused
    /// unless `force`, a folder holding anything else always.
    pub fn new(target: &Path, force: bool) -> Result<StagedDir, OutputError> {
        let target = folder::absolute(target)?;
        check_target(&target, force)?;
        let parent = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(OutputError::io(parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        // A run killed before its rename (SIGKILL, power loss) leaves its staging folder behind;
        // the next run for the same target clears it, so partial folders do not accumulate.
        let prefix = format!(".{name}.partial-");
        for stale in std::fs::read_dir(parent)
            .map_err(OutputError::io(parent))?
            .flatten()
        {
            let pid = stale
                .file_name()
                .to_string_lossy()
                .strip_prefix(&prefix)
                .map(str::to_owned);
            if pid.is_some_and(|p| p.chars().all(|c| c.is_ascii_digit())) {
                std::fs::remove_dir_all(stale.path()).map_err(OutputError::io(&stale.path()))?;
            }
        }
        let path = parent.join(format!("{prefix}{}", std::process::id()));
        // Errors name the folder the user asked for, not the temporary name.
        std::fs::create_dir_all(&path).map_err(OutputError::io(&target))?;
        Ok(StagedDir {
            path,
            target,
            committed: false,
        })
    }

    /// Puts the staged files in place: a new folder is renamed into place whole; an existing one
    /// (empty, or a results folder being replaced) loses phaseline's own files and receives the new
    /// ones, the manifest first so that the folder stays recognisable.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        // `new` applied the caller's `force`; what is there now came from no other writer (the
        // folder's lock keeps them out), so it is replaced.
        match check_target(&self.target, true)? {
            None => {
                std::fs::rename(&self.path, &self.target).map_err(OutputError::io(&self.target))?
            }
            Some(own) => self.move_into(&own)?,
        }
        self.committed = true;
        Ok(self.target.clone())
    }

    /// Replaces the files `own` of the existing target with the staged files.
    fn move_into(&self, own: &[PathBuf]) -> Result<(), OutputError> {
        for file in own {
            std::fs::remove_file(file).map_err(OutputError::io(file))?;
        }
        let mut names: Vec<_> = std::fs::read_dir(&self.path)
            .map_err(OutputError::io(&self.path))?
            .flatten()
            .map(|e| e.file_name())
            .collect();
        names.sort_by_key(|n| (n != MANIFEST_FILE, n.clone()));
        for name in names {
            let to = self.target.join(&name);
            std::fs::rename(self.path.join(&name), &to).map_err(OutputError::io(&to))?;
        }
        std::fs::remove_dir(&self.path).map_err(OutputError::io(&self.path))
    }
}

/// Checks `target` against the output-folder rule: `None` when it does not exist, otherwise the
/// phaseline files in it (to replace, only when `force`).
fn check_target(target: &Path, force: bool) -> Result<Option<Vec<PathBuf>>, OutputError> {
    if !target.exists() {
        return Ok(None);
    }
    match inspect(target)? {
        Contents::Empty => Ok(Some(Vec::new())),
        Contents::Results { own, .. } if force => Ok(Some(own)),
        Contents::Results { .. } => Err(OutputError::Exists {
            resumable: false,
            dir: target.to_owned(),
        }),
        Contents::Foreign { names } => Err(OutputError::Foreign {
            dir: target.to_owned(),
            names: names.join(", "),
        }),
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// The default run folder: `output/<scenario>/seed-<N>`.
pub fn default_run_dir(scenario_name: &str, seed: u64) -> PathBuf {
    Path::new("output")
        .join(scenario_name)
        .join(format!("seed-{seed}"))
}

/// The default sweep folder: `output/<scenario>/sweep-<A>-<B>`.
pub fn default_sweep_dir(scenario_name: &str, seeds: crate::ensemble::SeedRange) -> PathBuf {
    Path::new("output").join(scenario_name).join(format!(
        "sweep-{}-{}",
        seeds.first(),
        seeds.last()
    ))
}

/// The default comparison folder: `output/compare-<A>-vs-<B>`.
pub fn default_compare_dir(a: &str, b: &str) -> PathBuf {
    Path::new("output").join(format!("compare-{a}-vs-{b}"))
}

/// The default farm folder: `output/<scenario>/farm-<design name>`.
pub fn default_farm_dir(scenario_name: &str, design_name: &str) -> PathBuf {
    Path::new("output")
        .join(scenario_name)
        .join(format!("farm-{design_name}"))
}
