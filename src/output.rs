//! The output layer: the only code that writes files.
//!
//! A run folder is built under a temporary name beside its destination and renamed into place at
//! the end, so an interrupted run leaves either a complete folder or none. A folder that already
//! holds results is refused unless `force` is given (so determinism checks compare separate folders).

mod run_files;

pub use run_files::{ChartHook, Manifest, write_run};

use std::path::{Path, PathBuf};

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// The destination already holds results.
    #[error("{} already holds results; choose another --out or add --force to replace them", dir.display())]
    Exists {
        /// The folder.
        dir: PathBuf,
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
    /// A closure turning an I/O error about `path` into an [`OutputError`].
    pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
        move |source| OutputError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Whether `dir` exists and holds anything.
pub fn holds_results(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
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
    /// Stages `target`, refusing a folder that holds results unless `force`.
    pub fn new(target: &Path, force: bool) -> Result<StagedDir, OutputError> {
        if holds_results(target) && !force {
            return Err(OutputError::Exists {
                dir: target.to_owned(),
            });
        }
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
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
            if stale.file_name().to_string_lossy().starts_with(&prefix) {
                std::fs::remove_dir_all(stale.path()).map_err(OutputError::io(&stale.path()))?;
            }
        }
        let path = parent.join(format!("{prefix}{}", std::process::id()));
        // Errors name the folder the user asked for, not the temporary name.
        std::fs::create_dir_all(&path).map_err(OutputError::io(target))?;
        Ok(StagedDir {
            path,
            target: target.to_owned(),
            committed: false,
        })
    }

    /// Replaces the target with the staged folder.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if self.target.exists() {
            std::fs::remove_dir_all(&self.target).map_err(OutputError::io(&self.target))?;
        }
        std::fs::rename(&self.path, &self.target).map_err(OutputError::io(&self.target))?;
        self.committed = true;
        Ok(self.target.clone())
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
