//! Determinism: the same scenario and seed give the same bytes — through the library, through the
//! binary, and on any thread count — and another seed gives other bytes.

use crate::support::*;
use phaseline::ensemble::{self, SeedRange, SweepIdentity, SweepOptions};
use phaseline::output::{Manifest, write_run};
use phaseline::runner::ScenarioRunner;
use std::path::Path;

const RESULT_FILES: [&str; 4] = [
    "timeseries.csv",
    "events.csv",
    "summary.json",
    "snapshots.json",
];

fn manifest() -> Manifest {
    Manifest {
        engine_version: "test".into(),
        command: "run".into(),
        command_line: vec![],
        scenario_name: "tiny".into(),
        scenario_file: "scenarios/tiny.toml".into(),
        scenario_sha256: String::new(),
        seeds: "1".into(),
        overrides: vec![],
        doctrine: None,
    }
}

fn write(dir: &Path, seed: u64) {
    let s = bundled("tiny.toml");
    let out = run(&s, seed);
    write_run(dir, &out, &s, &manifest(), false, None).unwrap_or_else(|e| panic!("{e}"));
}

fn bytes(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

#[test]
fn same_seed_same_bytes_through_the_library() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    write(&a, 7);
    write(&b, 7);
    write(&c, 8);
    for f in RESULT_FILES {
        assert_eq!(
            bytes(&a, f),
            bytes(&b, f),
            "{f} differs between two runs of seed 7"
        );
    }
    assert_ne!(
        bytes(&a, "events.csv"),
        bytes(&c, "events.csv"),
        "seed 8 gives other events"
    );
}

#[test]
fn runs_are_identical_on_any_thread_count() {
    let s = bundled("tiny.toml");
    let reference = run(&s, 11);
    for threads in [1, 2, 4] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let outs: Vec<_> = pool.install(|| {
            use rayon::prelude::*;
            (0..4).into_par_iter().map(|_| run(&s, 11)).collect()
        });
        for out in outs {
            assert_eq!(out, reference, "{threads} threads");
        }
    }
}

#[test]
fn sweep_files_are_identical_across_jobs_and_shards() {
    let s = bundled("tiny.toml");
    let runner = ScenarioRunner {
        scenario: s,
        days: Some(40),
    };
    let seeds: SeedRange = "1..12".parse().unwrap_or_else(|e| panic!("{e}"));
    let id = SweepIdentity {
        engine_version: "test".into(),
        scenario_sha256: "x".into(),
        scenario_name: "tiny".into(),
        seeds,
        overrides: vec![],
        design_sha256: None,
    };
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sweep = |dir: &Path, jobs, shard: Option<&str>| {
        let options = SweepOptions {
            jobs,
            shard: shard.map(|s| s.parse().unwrap_or_else(|e| panic!("{e}"))),
            resume: false,
            force: false,
            progress: false,
        };
        ensemble::run_sweep(&runner, &id, &options, dir).unwrap_or_else(|e| panic!("{e}"));
    };
    sweep(&tmp.path().join("j1"), 1, None);
    sweep(&tmp.path().join("j2"), 2, None);
    let shards: Vec<_> = (0..3)
        .map(|k| tmp.path().join(format!("shard-{k}")))
        .collect();
    for (k, dir) in shards.iter().enumerate() {
        sweep(dir, 1, Some(&format!("{k}/3")));
    }
    ensemble::merge(&shards, &tmp.path().join("merged")).unwrap_or_else(|e| panic!("{e}"));
    for f in ["runs.csv", "bands.csv", "aggregate.json"] {
        let one = bytes(&tmp.path().join("j1"), f);
        assert_eq!(one, bytes(&tmp.path().join("j2"), f), "{f}: jobs 1 vs 2");
        assert_eq!(
            one,
            bytes(&tmp.path().join("merged"), f),
            "{f}: unsharded vs 3 shards merged"
        );
    }
    // Each seed's figures equal those of running it alone.
    let runs = String::from_utf8(bytes(&tmp.path().join("j1"), "runs.csv")).unwrap_or_default();
    let alone = phaseline::sim::simulate(runner.scenario.clone(), 5, Some(40))
        .unwrap_or_else(|e| panic!("{e}"));
    let row5 = runs
        .lines()
        .find(|l| l.starts_with("5,"))
        .unwrap_or_default();
    let defender_losses = alone.summary.losses.defender.to_string();
    assert!(
        row5.split(',').any(|c| c == defender_losses),
        "{row5} lacks {defender_losses}"
    );
}

/// The pinned summary of tiny.toml, seed 1: update it (and say why in the commit) only when a
/// change to the model is meant to change results.
#[test]
fn tiny_seed_1_summary_is_pinned() {
    let out = run(&bundled("tiny.toml"), 1);
    let json = phaseline::fsio::json_bytes(&out.summary).unwrap_or_default();
    let hash = phaseline::scenario::hex_sha256(&json);
    assert_eq!(
        &hash[..16],
        PINNED_TINY_SEED_1,
        "summary changed:\n{}",
        String::from_utf8_lossy(&json)
    );
}

const PINNED_TINY_SEED_1: &str = "807c23c9ec9b79c7";
