//! The `.expect` convention shared by `tests/bad_inputs/` (scenarios) and `tests/bad_designs/`
//! (farm designs): each bad file sits beside an `.expect` file of `location | message` lines, where
//! the location is `line:column` (TOML) or a document path `/unit/3/strength` (JSON).

use std::path::{Path, PathBuf};

/// Every file in `tests/<folder>/` with one of `extensions`, with its `.expect` text, sorted.
pub(crate) fn cases(folder: &str, extensions: &[&str]) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(folder);
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
        })
        .map(|p| {
            let expect = std::fs::read_to_string(p.with_extension("expect"))
                .unwrap_or_else(|_| panic!("{} has no .expect file", p.display()));
            (p, expect)
        })
        .collect();
    out.sort();
    out
}

/// Asserts that the error `text` for `path` reports every `location | message` line of `expect`
/// at that location, and says how to fix it.
pub(crate) fn assert_reported(path: &Path, text: &str, expect: &str) {
    let file = path.display().to_string();
    for line in expect.lines().filter(|l| !l.trim().is_empty()) {
        let (location, message) = line
            .split_once(" | ")
            .unwrap_or_else(|| panic!("bad expect line {line:?}"));
        let header = if location.starts_with('/') {
            format!("{file}: {location}: error: ")
        } else {
            format!("{file}:{location}: error: ")
        };
        let found = text
            .lines()
            .any(|l| l.starts_with(&header) && l.contains(message));
        assert!(
            found,
            "{}: expected `{header}… {message}` in:\n{text}",
            path.display()
        );
    }
    assert!(
        text.contains("help: "),
        "{}: every problem says how to fix it",
        path.display()
    );
}

/// Runs `phaseline <command> <path> --out <tmp>/results` and asserts that it exits with 2, does not
/// panic, and leaves nothing in `tmp`.
pub(crate) fn assert_refused_writing_nothing(command: &str, path: &Path, tmp: &Path) {
    let out = tmp.join("results");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_phaseline"))
        .args([
            command,
            &path.display().to_string(),
            "--out",
            &out.display().to_string(),
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{}: {stderr}", path.display());
    assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
    assert!(!out.exists(), "{}: something was written", path.display());
    let leftovers: Vec<_> = std::fs::read_dir(tmp)
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(
        leftovers.is_empty(),
        "{}: left {leftovers:?}",
        path.display()
    );
}
