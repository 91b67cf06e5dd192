//! The one output-folder rule, shared by every command that writes results.
//!
//! A folder phaseline made is recognised by its `manifest.json` (or, for a sweep or farm that has
//! not finished, by its journal header `sweep.json` / `shard.json`). The rule:
//!
//! - a folder that does not exist, or holds nothing of phaseline's results, is written;
//! - a results folder phaseline made is refused unless `--force` (replace: only the files phaseline
//!   names are removed) or, for a sweep or farm, `--resume` (continue its journal);
//! - a folder holding anything else — a file phaseline does not write, or result-like files without
//!   a manifest — is never emptied, with or without `--force`;
//! - an output folder is never one of the command's inputs, nor inside one, and never holds an input
//!   file: inputs are never overwritten.
//!
//! Subfolders that are themselves phaseline folders (a Slurm job's `shard-K`), their writer locks
//! and staging folders, and the Slurm logs (`slurm-*.out`) its submit commands put beside them are
//! left alone and do not make a folder foreign, so `merge DIR/shard-* --out DIR` works. The folder is claimed under its writer lock
//! ([`super::lock`]).

use std::path::{Component, Path, PathBuf};

use super::OutputError;
use super::lock::FolderLock;
use super::names::{
    is_lock, is_phaseline_folder, is_result_file, is_slurm_log, is_staging, temporary_of,
};

/// The manifest that marks a folder as phaseline's.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Largest manifest read when recognising a folder, bytes.
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// Most names listed when a folder is refused.
const NAMES_SHOWN: usize = 5;

/// What a command may do with results already in its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reuse {
    /// Refuse a results folder (the default); `resumable` when the command has `--resume`, so the
    /// refusal can name it.
    Refuse {
        /// The command has `--resume`.
        resumable: bool,
    },
    /// Replace a results folder phaseline made (`--force`).
    Replace,
    /// Continue the sweep or farm journal in the folder (`--resume`).
    Continue,
}

impl Reuse {
    /// The reuse that the `--force` and `--resume` flags ask for (resume wins when both are given);
    /// `resume` is `None` for a command without `--resume`.
    pub fn from_flags(force: bool, resume: Option<bool>) -> Reuse {
        match (force, resume) {
            (_, Some(true)) => Reuse::Continue,
            (true, _) => Reuse::Replace,
            (false, resume) => Reuse::Refuse {
                resumable: resume.is_some(),
            },
        }
    }
}

/// What a folder holds, as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Absent, empty, or holding only phaseline subfolders and Slurm logs.
    Empty,
    /// A results folder phaseline made: the files of its own it holds, and whether it holds a
    /// sweep, farm or calibration journal (so `--resume` can continue it).
    Results {
        /// Paths of phaseline's files in the folder (never subfolders).
        own: Vec<PathBuf>,
        /// Whether a journal header is there.
        journal: bool,
    },
    /// Holds something phaseline did not write, or result files without a manifest.
    Foreign {
        /// Some of the names that make it foreign.
        names: Vec<String>,
    },
}

/// A claimed output folder: locked against other writers and checked against the rule.
#[derive(Debug)]
pub struct OutputFolder {
    path: PathBuf,
    contents: Contents,
    reuse: Reuse,
    /// Whether the folder existed before the claim.
    existed: bool,
    /// Whether a failed command's lone manifest is removed on drop (not for `lock_existing`).
    tidy: bool,
    _lock: FolderLock,
}

impl OutputFolder {
    /// Claims `dir` for writing: refuses it when it is (inside) one of `inputs` or holds one of
    /// them, takes its writer lock (refusing at once when another process holds it), and checks what
    /// it holds against `reuse`.
    pub fn claim(dir: &Path, reuse: Reuse, inputs: &[&Path]) -> Result<OutputFolder, OutputError> {
        let path = absolute(dir)?;
        if path.exists() && !path.is_dir() {
            return Err(unusable(dir, "it is a file, not a folder"));
        }
        check_inputs(dir, &path, inputs)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(OutputError::io(parent))?;
        }
        let lock = FolderLock::acquire(&path)?;
        let contents = inspect(&path)?;
        admit(dir, &contents, reuse)?;
        Ok(OutputFolder {
            existed: path.exists(),
            path,
            contents,
            reuse,
            tidy: true,
            _lock: lock,
        })
    }

    /// Locks `dir`, an existing results folder whose files a command rewrites in place (`chart`,
    /// `brief`), against other writers; checks nothing else.
    pub fn lock_existing(dir: &Path) -> Result<OutputFolder, OutputError> {
        let path = absolute(dir)?;
        if !path.is_dir() {
            return Err(unusable(dir, "there is no such folder"));
        }
        let lock = FolderLock::acquire(&path)?;
        Ok(OutputFolder {
            existed: true,
            path,
            contents: Contents::Empty,
            reuse: Reuse::Continue,
            tidy: false,
            _lock: lock,
        })
    }

    /// The folder, as an absolute path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the folder held results when it was claimed.
    pub fn held_results(&self) -> bool {
        matches!(self.contents, Contents::Results { .. })
    }

    /// Readies the folder for writing: creates it, removes the temporary files of earlier writers
    /// (killed, or stopped by a full disk) and, when the claim replaces results, phaseline's own
    /// files found in it when it was claimed — never anything else, never a subfolder.
    pub fn make_ready(&self) -> Result<(), OutputError> {
        if let (Contents::Results { own, .. }, Reuse::Replace) = (&self.contents, self.reuse) {
            for file in own {
                remove_if_present(file)?;
            }
        }
        std::fs::create_dir_all(&self.path).map_err(OutputError::io(&self.path))?;
        remove_leftovers(&self.path)
    }
}

impl Drop for OutputFolder {
    /// A command that failed before it wrote anything but the manifest (bad shards to merge, a
    /// scenario that fails to run) leaves no folder behind: the manifest is removed, and the folder
    /// too when that empties it. Results, journals and anything else stay.
    fn drop(&mut self) {
        let only_manifest = std::fs::read_dir(&self.path).is_ok_and(|entries| {
            let names: Vec<_> = entries.flatten().map(|e| e.file_name()).collect();
            names.len() == 1 && names[0] == MANIFEST_FILE
        });
        if self.tidy && only_manifest {
            let _ = std::fs::remove_file(self.path.join(MANIFEST_FILE));
            if !self.existed {
                let _ = std::fs::remove_dir(&self.path);
            }
        }
    }
}

/// Refuses `contents` of the folder given as `dir` unless `reuse` admits them.
fn admit(dir: &Path, contents: &Contents, reuse: Reuse) -> Result<(), OutputError> {
    match (contents, reuse) {
        (Contents::Empty, _) | (Contents::Results { .. }, Reuse::Replace) => Ok(()),
        (Contents::Results { journal: true, .. }, Reuse::Continue) => Ok(()),
        (Contents::Results { .. }, reuse) => Err(OutputError::Exists {
            dir: dir.to_owned(),
            resumable: matches!(reuse, Reuse::Refuse { resumable: true } | Reuse::Continue),
        }),
        (Contents::Foreign { names }, _) => Err(OutputError::Foreign {
            dir: dir.to_owned(),
            names: names.join(", "),
        }),
    }
}

/// What `dir` holds (see [`Contents`]).
pub fn inspect(dir: &Path) -> Result<Contents, OutputError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Contents::Empty),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Ok(Contents::Foreign {
                names: vec![format!("{} is a file", dir.display())],
            });
        }
        Err(e) => return Err(OutputError::io(dir)(e)),
    };
    let (mut own, mut foreign) = (Vec::new(), Vec::new());
    for entry in entries {
        let entry = entry.map_err(OutputError::io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            if !is_phaseline_folder(&path) && !is_staging(&name) {
                foreign.push(format!("{name}/"));
            }
        } else if is_result_file(&name) {
            own.push(path);
        } else if !is_slurm_log(&name) && !is_lock(&name) {
            foreign.push(name);
        }
    }
    own.sort();
    foreign.sort();
    if !foreign.is_empty() {
        return Ok(Contents::Foreign {
            names: shown(foreign),
        });
    }
    if own.is_empty() {
        return Ok(Contents::Empty);
    }
    let header = ["sweep.json", "shard.json"]
        .iter()
        .any(|h| json_object(&dir.join(h)).is_some());
    let manifest = json_object(&dir.join(MANIFEST_FILE));
    // A sweep or farm killed before its journal header was written is continued like one after;
    // a calibration keeps its journals in its wave and confirmation subfolders.
    let ensemble = manifest
        .as_ref()
        .and_then(|m| m.get("command")?.as_str().map(str::to_owned))
        .is_some_and(|c| c == "sweep" || c == "farm" || c == "calibrate");
    let journal = header || ensemble;
    if !header && manifest.is_none() {
        let names = own
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        let mut names = shown(names);
        names.push(format!("but no {MANIFEST_FILE}"));
        return Ok(Contents::Foreign { names });
    }
    Ok(Contents::Results { own, journal })
}

/// The first few of `names`, and how many more there are.
fn shown(mut names: Vec<String>) -> Vec<String> {
    let more = names.len().saturating_sub(NAMES_SHOWN);
    names.truncate(NAMES_SHOWN);
    if more > 0 {
        names.push(format!("and {more} more"));
    }
    names
}

/// The JSON object in `path`, when it holds one of reasonable size.
fn json_object(path: &Path) -> Option<serde_json::Map<String, serde_json::Value>> {
    let bytes = crate::fsio::read_limited(path, MAX_MANIFEST_BYTES).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Removes `path`, which may already be gone.
fn remove_if_present(path: &Path) -> Result<(), OutputError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(OutputError::io(path)(e)),
        _ => Ok(()),
    }
}

/// Removes the temporary files of earlier writers of `dir` (killed, or stopped by a full disk):
/// under the folder's lock, none of them can still be in use.
pub(crate) fn remove_leftovers(dir: &Path) -> Result<(), OutputError> {
    let entries = std::fs::read_dir(dir).map_err(OutputError::io(dir))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if temporary_of(&name).is_some() && entry.path().is_file() {
            remove_if_present(&entry.path())?;
        }
    }
    Ok(())
}

/// `dir` as an absolute path whose existing part is resolved (symbolic links, `.` and `..`), so
/// that `--out .` names the folder itself and two spellings of one folder share its lock.
pub fn absolute(dir: &Path) -> Result<PathBuf, OutputError> {
    let abs = std::path::absolute(dir).map_err(OutputError::io(dir))?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            break;
        };
        rest.push(name.to_owned());
        existing = parent;
    }
    let mut path = existing.canonicalize().map_err(OutputError::io(existing))?;
    for name in rest.iter().rev() {
        path.push(name);
    }
    let lexical = path.components().any(|c| matches!(c, Component::ParentDir));
    if lexical || path.parent().is_none() {
        return Err(unusable(
            dir,
            "it must be a folder below the file system's root, without `..` after the part that \
             exists",
        ));
    }
    Ok(path)
}

/// [`OutputError::Unusable`] for the folder given as `dir`.
fn unusable(dir: &Path, reason: &str) -> OutputError {
    OutputError::Unusable {
        dir: dir.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Refuses an output folder `path` (given as `dir`) that is one of `inputs`, lies inside an input
/// folder, or holds an input file.
fn check_inputs(dir: &Path, path: &Path, inputs: &[&Path]) -> Result<(), OutputError> {
    for input in inputs {
        let Ok(input_path) = input.canonicalize() else {
            continue;
        };
        let overlaps = if input_path.is_dir() {
            path.starts_with(&input_path)
        } else {
            input_path.parent() == Some(path)
        };
        if overlaps {
            return Err(OutputError::Overlaps {
                dir: dir.to_owned(),
                input: input.to_path_buf(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = tmp.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        tmp
    }

    #[test]
    fn a_folder_is_phaseline_s_only_with_its_manifest_and_nothing_else() {
        let run = folder_with(&[("manifest.json", "{}"), ("summary.json", "{}")]);
        assert!(matches!(
            inspect(run.path()).unwrap(),
            Contents::Results { journal: false, .. }
        ));
        let sweep = folder_with(&[("sweep.json", "{}"), ("seeds.journal", "")]);
        assert!(matches!(
            inspect(sweep.path()).unwrap(),
            Contents::Results { journal: true, .. }
        ));
        let mixed = folder_with(&[("manifest.json", "{}"), ("notes.txt", "")]);
        assert!(matches!(
            inspect(mixed.path()).unwrap(),
            Contents::Foreign { .. }
        ));
        let lookalike = folder_with(&[("runs.csv", "")]);
        assert!(matches!(
            inspect(lookalike.path()).unwrap(),
            Contents::Foreign { .. }
        ));
        let slurm = folder_with(&[
            ("shard-0/shard.json", "{}"),
            ("slurm-1_0.out", ""),
            (".shard-1.lock", "77\n"),
        ]);
        assert_eq!(inspect(slurm.path()).unwrap(), Contents::Empty);
        let other_dir = folder_with(&[("data/x.csv", "")]);
        assert!(matches!(
            inspect(other_dir.path()).unwrap(),
            Contents::Foreign { .. }
        ));
    }

    #[test]
    fn refusals_name_a_few_entries() {
        let many: Vec<(String, &str)> = (0..9).map(|i| (format!("f{i}"), "")).collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        let tmp = folder_with(&many);
        let Contents::Foreign { names } = inspect(tmp.path()).unwrap() else {
            panic!("not foreign");
        };
        assert_eq!(names.last().map(String::as_str), Some("and 4 more"));
    }

    #[test]
    fn dot_names_the_folder_itself_and_inputs_are_refused() {
        let tmp = folder_with(&[("a/scenario.toml", "")]);
        let a = tmp.path().join("a");
        let abs = absolute(&a.join(".")).unwrap();
        assert_eq!(abs, a.canonicalize().unwrap());
        let input = a.join("scenario.toml");
        let err = OutputFolder::claim(&a, Reuse::Replace, &[&input]).unwrap_err();
        assert!(matches!(err, OutputError::Overlaps { .. }), "{err}");
        let err = OutputFolder::claim(&a.join("sub"), Reuse::Refuse { resumable: false }, &[&a])
            .unwrap_err();
        assert!(matches!(err, OutputError::Overlaps { .. }), "{err}");
        assert_eq!(std::fs::read_dir(&a).unwrap().count(), 1);
    }
}
