//! Bad input: every file in `tests/bad_inputs/` is refused with the message and location its
//! `.expect` file names, and a run of it writes nothing.

use phaseline::scenario::load_scenario;
use std::path::{Path, PathBuf};

fn cases() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs");
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .map(|p| {
            let expect = std::fs::read_to_string(p.with_extension("expect"))
                .unwrap_or_else(|_| panic!("{} has no .expect file", p.display()));
            (p, expect)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn there_are_enough_bad_inputs() {
    assert!(cases().len() >= 40, "{} bad inputs", cases().len());
}

#[test]
fn each_bad_input_reports_its_problem_where_it_is() {
    for (path, expect) in cases() {
        let err = match load_scenario(&path) {
            Ok(_) => panic!("{} was accepted", path.display()),
            Err(e) => e,
        };
        let text = err.to_string();
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
}

#[test]
fn a_run_of_a_bad_input_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (path, _) in cases() {
        let out = tmp.path().join("results");
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_phaseline"))
            .args([
                "run",
                &path.display().to_string(),
                "--out",
                &out.display().to_string(),
            ])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            status.status.code(),
            Some(2),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&status.stderr)
        );
        let stderr = String::from_utf8_lossy(&status.stderr);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
        assert!(!out.exists(), "{}: something was written", path.display());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .map(|d| d.flatten().collect())
            .unwrap_or_default();
        assert!(
            leftovers.is_empty(),
            "{}: left {leftovers:?}",
            path.display()
        );
    }
}
