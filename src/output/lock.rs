//! The writer lock of an output folder: one phaseline process writes a folder at a time.
//!
//! The lock is an advisory lock (`flock`, through [`std::fs::File::try_lock`]) on a small file beside
//! the folder, `.<name>.lock`, which holds the writer's process id for the refusal message. The
//! operating system drops the lock when its process ends, however it ends, so a lock left by a killed
//! process is recovered by the next writer without any clean-up. The file is removed when the writer
//! finishes; a writer that takes the lock checks that the file it locked is still the one at the path
//! (not one removed meanwhile), so removal cannot let two writers in.

use std::fs::{File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use super::OutputError;

/// How many times a writer retries when the lock file it locked was removed under it.
const RETRIES: usize = 8;

/// A held writer lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
    file: File,
}

impl FolderLock {
    /// Takes the lock of the folder `dir` (an absolute path with a parent), or refuses at once with
    /// [`OutputError::Busy`] when another process holds it.
    pub fn acquire(dir: &Path) -> Result<FolderLock, OutputError> {
        let path = lock_path(dir);
        for _ in 0..RETRIES {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(OutputError::io(&path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(OutputError::Busy {
                        dir: dir.to_owned(),
                        holder: holder(file),
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(OutputError::io(&path)(e)),
            }
            if still_at(&file, &path) {
                let mut lock = FolderLock { path, file };
                lock.record_pid()?;
                return Ok(lock);
            }
        }
        Err(OutputError::Busy {
            dir: dir.to_owned(),
            holder: None,
        })
    }

    /// Writes this process's id into the lock file, for the message another writer gets.
    fn record_pid(&mut self) -> Result<(), OutputError> {
        self.file
            .set_len(0)
            .and_then(|()| writeln!(self.file, "{}", std::process::id()))
            .map_err(OutputError::io(&self.path))
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Removed while still held: a writer waiting on this file finds it gone and retries.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `.<name>.lock` beside `dir`.
pub(crate) fn lock_path(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.with_file_name(format!(".{name}.lock"))
}

/// The process id recorded in a lock file held by another process, if it can be read.
fn holder(mut file: File) -> Option<u32> {
    let mut text = String::new();
    std::io::Read::take(&mut file, 32)
        .read_to_string(&mut text)
        .ok()?;
    text.trim().parse().ok()
}

/// Whether `path` still names the open `file` (it was not removed and recreated meanwhile).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether `path` still names the open `file` (elsewhere: whether it still exists).
#[cfg(not(unix))]
fn still_at(_file: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_and_the_lock_is_freed_on_drop() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let first = FolderLock::acquire(&dir).unwrap();
        let err = FolderLock::acquire(&dir).unwrap_err();
        match &err {
            OutputError::Busy { holder, .. } => assert_eq!(*holder, Some(std::process::id())),
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains("another phaseline"), "{err}");
        drop(first);
        assert!(!lock_path(&dir).exists());
        let again = FolderLock::acquire(&dir).unwrap();
        drop(again);
    }

    #[test]
    fn a_lock_file_left_by_a_dead_process_is_taken_over() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        std::fs::write(lock_path(&dir), "999999\n").unwrap();
        let lock = FolderLock::acquire(&dir).unwrap();
        drop(lock);
    }
}
