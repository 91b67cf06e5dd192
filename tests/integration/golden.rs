//! Golden files: the summaries and a day-sampled time series of tiny (seed 1) and Raqqa (seed 7),
//! pinned as text in `tests/golden/`, so every change to the model shows its effect in review.
//!
//! A change that is meant to move results: rerun with `PHASELINE_ACCEPT_GOLDEN=1 cargo test golden`
//! and commit the rewritten files with the change that moved them.

use crate::support::*;
use phaseline::output::timeseries_csv;
use std::path::{Path, PathBuf};

/// Every this-many days of the time series are pinned (and the last day).
const SAMPLE_DAYS: u32 = 15;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The pinned texts of one scenario and seed: `(file name, bytes)`.
fn texts(scenario: &str, seed: u64) -> Vec<(String, Vec<u8>)> {
    let out = run(&bundled(&format!("{scenario}.toml")), seed);
    let summary = phaseline::fsio::json_bytes(&out.summary).unwrap_or_default();
    let last = out.timeseries.last().map_or(0, |r| r.day);
    let sampled: Vec<_> = out
        .timeseries
        .iter()
        .filter(|r| r.day % SAMPLE_DAYS == 0 || r.day == last)
        .cloned()
        .collect();
    vec![
        (format!("{scenario}-seed-{seed}.summary.json"), summary),
        (
            format!("{scenario}-seed-{seed}.timeseries-every-{SAMPLE_DAYS}-days.csv"),
            timeseries_csv(&sampled),
        ),
    ]
}

/// The first line where `got` and `want` differ, for the failure message.
fn first_difference(got: &str, want: &str) -> String {
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        if g != w {
            return format!("line {}:\n  golden: {w}\n  now:    {g}", i + 1);
        }
    }
    format!(
        "the files differ in length ({} lines now, {} in the golden file)",
        got.lines().count(),
        want.lines().count()
    )
}

#[test]
fn results_match_the_golden_files() {
    let accept = std::env::var("PHASELINE_ACCEPT_GOLDEN").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    for (scenario, seed) in [("tiny", 1), ("raqqa", 7)] {
        for (name, bytes) in texts(scenario, seed) {
            let path = golden_dir().join(&name);
            if accept {
                std::fs::create_dir_all(golden_dir()).unwrap_or_else(|e| panic!("{e}"));
                std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                continue;
            }
            let want = std::fs::read(&path).unwrap_or_default();
            if want != bytes {
                stale.push(format!(
                    "{name}: {}",
                    first_difference(
                        &String::from_utf8_lossy(&bytes),
                        &String::from_utf8_lossy(&want)
                    )
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "results moved from the golden files (if the change is meant, rerun with \
         PHASELINE_ACCEPT_GOLDEN=1 and commit tests/golden/):\n{}",
        stale.join("\n")
    );
}
