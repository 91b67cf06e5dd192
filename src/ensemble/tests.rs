//! Sweep, resume, shard, merge and compare tests against a mock runner (helpers here, tests in
//! `tests/`).

mod comparing;
mod merging;
mod sweeping;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

/// A runner whose figures and series are fixed functions of the seed, some `None`, with run lengths
/// and run times that vary by seed (so seeds finish out of order).
#[derive(Default)]
pub(super) struct Mock {
    pub(super) calls: AtomicUsize,
    pub(super) seen: Mutex<Vec<u64>>,
    pub(super) fail_on: Option<u64>,
    pub(super) panic_on: Option<u64>,
    /// Added to `isolation_day` (a second course of action for compare).
    pub(super) shift: f64,
}

pub(super) const FIGURES: [&str; 4] = [
    "isolation_day",
    "capture_day",
    "final_isolation_index",
    "phase_start_Clear, hold",
];
pub(super) const SERIES: [&str; 3] = ["isolation_index", "attacker_strength", "phase \"x\""];

/// SplitMix64: the mock's per-seed randomness.
pub(super) fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The mock's `isolation_day` for `seed` (`None` for one seed in five).
pub(super) fn isolation_day(seed: u64) -> Option<f64> {
    let h = mix(seed);
    (!h.is_multiple_of(5)).then(|| (20 + h % 100) as f64)
}

impl SeedRunner for Mock {
    fn figure_names(&self) -> Vec<String> {
        FIGURES.map(String::from).into()
    }

    fn series_names(&self) -> Vec<String> {
        SERIES.map(String::from).into()
    }

    fn run_seed(&self, seed: u64) -> Result<SeedResult, String> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.seen.lock().unwrap().push(seed);
        std::thread::sleep(std::time::Duration::from_micros(mix(seed) % 400));
        if self.fail_on == Some(seed) {
            return Err("mock failure".into());
        }
        assert!(self.panic_on != Some(seed), "mock panic");
        let h = mix(seed);
        let days = 20 + (h % 4) as usize;
        let daily = (0..days)
            .map(|d| {
                vec![
                    (d as f64 / 19.0).min(1.0) * ((h % 97) as f64 / 96.0),
                    1000.0 - d as f64 * 3.7,
                    (h % 7) as f64 + 0.1,
                ]
            })
            .collect();
        Ok(SeedResult {
            seed,
            figures: vec![
                isolation_day(seed).map(|d| d + self.shift),
                h.is_multiple_of(3).then(|| (90 + h % 50) as f64),
                Some((h % 1000) as f64 / 997.0),
                (h % 4 != 1).then_some((h % 30) as f64 * 0.1),
            ],
            daily,
        })
    }
}

pub(super) fn identity(seeds: &str) -> SweepIdentity {
    SweepIdentity {
        engine_version: "0.1.0".into(),
        scenario_sha256: "ab".repeat(32),
        scenario_name: "mock".into(),
        seeds: seeds.parse().unwrap(),
        overrides: vec!["air.sorties=2".into()],
        design_sha256: None,
    }
}

pub(super) fn options(jobs: usize, shard: Option<&str>) -> SweepOptions {
    SweepOptions {
        jobs,
        shard: shard.map(|s| s.parse().unwrap()),
        ..SweepOptions::default()
    }
}

pub(super) const RESULT_FILES: [&str; 3] = ["runs.csv", "bands.csv", "aggregate.json"];

pub(super) fn read_results(dir: &Path) -> Vec<Vec<u8>> {
    RESULT_FILES
        .iter()
        .map(|f| fs::read(dir.join(f)).unwrap())
        .collect()
}

/// Runs the 4 shards of `seeds` into `root/shard-K`, returning the folders in reverse order.
pub(super) fn run_shards(root: &Path, seeds: &str, n: u32) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = (0..n)
        .map(|k| {
            let dir = root.join(format!("shard-{k}"));
            let shard = format!("{k}/{n}");
            run_sweep(
                &Mock::default(),
                &identity(seeds),
                &options(2, Some(&shard)),
                &dir,
            )
            .unwrap();
            dir
        })
        .collect();
    dirs.reverse();
    dirs
}

/// Cuts the journal in `dir` to its first `keep` lines plus half of the next one.
pub(super) fn tear_journal(dir: &Path, keep: usize) -> Vec<u64> {
    let path = dir.join(JOURNAL_FILE);
    let text = fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let torn = &lines[keep][..lines[keep].len() / 2];
    fs::write(&path, format!("{}{torn}", lines[..keep].concat())).unwrap();
    lines[..keep]
        .iter()
        .map(|l| l.split('\t').next().unwrap().parse().unwrap())
        .collect()
}

pub(super) fn arm<'a>(runner: &'a Mock, id: &'a SweepIdentity) -> Arm<'a> {
    Arm {
        runner,
        identity: id,
    }
}
