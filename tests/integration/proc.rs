//! Helpers for tests that run the `phaseline` binary as a user would: in a folder, with pipes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The binary under test.
pub(crate) fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_phaseline"))
}

/// A bundled scenario's absolute path.
pub(crate) fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Runs `phaseline args` in `dir`, stdin closed, and returns its output.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Standard error as text.
pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that `phaseline args` in `dir` succeeded.
pub(crate) fn ok_in(dir: &Path, args: &[&str]) -> Output {
    let out = run_in(dir, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

/// Asserts that `out` is a refusal with exit code `code` whose message contains `needle`, and no
/// panic.
pub(crate) fn assert_refused(out: &Output, code: i32, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert_no_panic(out);
}

/// Asserts that the process did not panic (exit code 101, or a panic message).
pub(crate) fn assert_no_panic(out: &Output) {
    let err = stderr(out);
    assert_ne!(out.status.code(), Some(101), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// Names of the entries of `dir`, sorted.
pub(crate) fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The bytes of every file in `dir`, by name, sorted.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    names(dir)
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(dir.join(&n)).unwrap_or_default();
            (n, bytes)
        })
        .collect()
}

/// Writes a small design over the tiny scenario (4 points, 2 seeds, 10 days) into `dir`.
pub(crate) fn tiny_design(dir: &Path) -> PathBuf {
    let text = format!(
        "[farm]\nscenario = {:?}\nseeds_per_point = 2\ndays = 10\noutcomes = [\"defender_losses\"]\n\n\
         [design]\nkind = \"latin_hypercube\"\npoints = 4\n\n\
         [[factor]]\nname = \"blue_lethality\"\npath = \"side.blue.lethality_per_day\"\nlow = 0.002\nhigh = 0.008\n",
        scenario("tiny.toml").display().to_string()
    );
    let path = dir.join("design.toml");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

/// A path as an argument.
pub(crate) fn arg(path: &Path) -> String {
    path.display().to_string()
}
