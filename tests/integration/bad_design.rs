//! Bad design files: every file in `tests/bad_designs/` is refused with the message and location
//! its `.expect` file names (`line:column | message`), and `phaseline farm` of it exits 2 and writes
//! nothing.

use phaseline::farm::plan_farm;
use phaseline::scenario::Limits;
use std::path::{Path, PathBuf};

fn cases() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_designs");
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
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
fn each_bad_design_reports_its_problem_where_it_is() {
    let cases = cases();
    assert!(cases.len() >= 20, "{} bad designs", cases.len());
    for (path, expect) in cases {
        let err = match plan_farm(&path, &Limits::default()) {
            Ok(_) => panic!("{} was accepted", path.display()),
            Err(e) => e,
        };
        assert!(err.is_invalid_input(), "{}: {err}", path.display());
        let text = err.to_string();
        let file = path.display().to_string();
        for line in expect.lines().filter(|l| !l.trim().is_empty()) {
            let (location, message) = line
                .split_once(" | ")
                .unwrap_or_else(|| panic!("bad expect line {line:?}"));
            let header = format!("{file}:{location}: error: ");
            assert!(
                text.lines()
                    .any(|l| l.starts_with(&header) && l.contains(message)),
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
fn a_farm_of_a_bad_design_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (path, _) in cases() {
        let out = tmp.path().join("results");
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_phaseline"))
            .args([
                "farm",
                &path.display().to_string(),
                "--out",
                &out.display().to_string(),
            ])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            run.status.code(),
            Some(2),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(!out.exists(), "{}: something was written", path.display());
    }
}
