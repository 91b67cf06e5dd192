//! Fault injection: kills at seeded points during run, sweep, farm and merge; two writers at once;
//! a full disk (a small tmpfs, where the tests run as root); closed pipes. After each fault, what is
//! on disk is complete or absent, nothing half-written survives the next command, and finishing the
//! work gives the bytes of an uninterrupted run.
//!
//! The kill points come from `PHASELINE_FAULT_SEED` (a fixed seed when unset); every failure names
//! the seed, so `PHASELINE_FAULT_SEED=N cargo test --test integration faults` replays it.

use crate::proc::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The seed of the kill points: `PHASELINE_FAULT_SEED`, or 16.
fn fault_seed() -> u64 {
    std::env::var("PHASELINE_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(16)
}

/// Seeded kill points: SplitMix64 over the fault seed and a salt per test.
struct KillPoints(u64);

impl KillPoints {
    fn new(salt: u64) -> Self {
        KillPoints(fault_seed() ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    /// A number in `low..high`.
    fn next(&mut self, low: u64, high: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        low + (z ^ (z >> 31)) % (high - low)
    }
}

/// The message every assertion carries.
fn replay() -> String {
    format!("replay with PHASELINE_FAULT_SEED={}", fault_seed())
}

/// Starts `phaseline args` with its output discarded.
fn spawn(args: &[String]) -> Child {
    bin()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Kills `child` with SIGKILL (no clean-up code runs) once `ready` holds or `deadline` passes.
fn kill_when(mut child: Child, ready: impl Fn() -> bool, deadline: Duration) {
    let end = Instant::now() + deadline;
    while !ready() && Instant::now() < end {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Complete lines in a journal.
fn journal_lines(dir: &Path) -> u64 {
    std::fs::read(dir.join("seeds.journal"))
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count() as u64)
}

/// Owned arguments.
fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// Asserts that no temporary or staging file is left under `dir` (recursively).
fn assert_no_leftovers(dir: &Path) {
    for name in names(dir) {
        assert!(
            !name.contains(".tmp") && !name.contains(".partial-") && !name.ends_with(".lock"),
            "{name} left in {}; {}",
            dir.display(),
            replay()
        );
        let path = dir.join(&name);
        if path.is_dir() {
            assert_no_leftovers(&path);
        }
    }
}

/// The files of `dir` named in `files`, as bytes.
fn files(dir: &Path, files: &[&str]) -> Vec<Option<Vec<u8>>> {
    files
        .iter()
        .map(|f| std::fs::read(dir.join(f)).ok())
        .collect()
}

const SWEEP_FILES: [&str; 3] = ["runs.csv", "bands.csv", "aggregate.json"];
const RUN_FILES: [&str; 5] = [
    "timeseries.csv",
    "events.csv",
    "summary.json",
    "snapshots.json",
    "briefing.html",
];

#[test]
fn runs_killed_at_seeded_points_leave_a_complete_folder_or_none() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("run");
    let raqqa = arg(&scenario("raqqa.toml"));
    let mut points = KillPoints::new(1);
    for _ in 0..3 {
        let delay = points.next(20, 1500);
        let child = spawn(&args(&[
            "run",
            &raqqa,
            "--no-charts",
            "--force",
            "--out",
            &arg(&out),
        ]));
        std::thread::sleep(Duration::from_millis(delay));
        kill_when(child, || true, Duration::ZERO);
        if out.exists() {
            for f in RUN_FILES.iter().chain(&["manifest.json"]) {
                assert!(
                    out.join(f).is_file(),
                    "killed at {delay} ms: {f} missing; {}",
                    replay()
                );
            }
        }
    }
    let (tiny, out_arg) = (arg(&scenario("tiny.toml")), arg(&out));
    let finish = [
        "run",
        &tiny,
        "--days",
        "20",
        "--no-charts",
        "--force",
        "--out",
        &out_arg,
    ];
    ok_in(tmp.path(), &finish);
    let clean = tmp.path().join("clean");
    ok_in(
        tmp.path(),
        &[
            "run",
            &tiny,
            "--days",
            "20",
            "--no-charts",
            "--out",
            &arg(&clean),
        ],
    );
    assert_eq!(
        files(&out, &RUN_FILES[..4]),
        files(&clean, &RUN_FILES[..4]),
        "{}",
        replay()
    );
    assert_no_leftovers(tmp.path());
}

/// A sweep or farm command over `out`, with `extra` flags.
type Ensemble = dyn Fn(&Path, &[&str]) -> Vec<String>;

/// Kills the ensemble at seeded journal lengths (out of `total` runs), resumes it to the end, and
/// compares `compared` with an uninterrupted run.
fn kill_and_resume(salt: u64, total: u64, command: &Ensemble, compared: &[&str]) {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (killed, clean) = (tmp.path().join("killed"), tmp.path().join("clean"));
    let mut points = KillPoints::new(salt);
    for round in 0..2 {
        let at = points.next(1, total);
        let resume: &[&str] = if round == 0 { &[] } else { &["--resume"] };
        let child = spawn(&command(&killed, resume));
        kill_when(
            child,
            || journal_lines(&killed) >= at,
            Duration::from_secs(60),
        );
        assert!(!killed.join(compared[0]).exists() || journal_lines(&killed) == total);
    }
    let out = bin()
        .args(command(&killed, &["--resume"]))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success(), "{}; {}", stderr(&out), replay());
    let out = bin()
        .args(command(&clean, &[]))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        files(&killed, compared),
        files(&clean, compared),
        "{}",
        replay()
    );
    assert_no_leftovers(tmp.path());
}

#[test]
fn sweeps_killed_at_seeded_points_resume_to_the_uninterrupted_bytes() {
    let tiny = arg(&scenario("tiny.toml"));
    let sweep = move |out: &Path, extra: &[&str]| {
        let mut a = args(&[
            "sweep",
            &tiny,
            "--seeds",
            "1..40",
            "--jobs",
            "2",
            "--no-charts",
        ]);
        a.extend(args(&["--out", &arg(out)]));
        a.extend(args(extra));
        a
    };
    kill_and_resume(2, 40, &sweep, &SWEEP_FILES);
}

#[test]
fn farms_killed_at_seeded_points_resume_to_the_uninterrupted_bytes() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let design = arg(&tiny_design(tmp.path()));
    let farm = move |out: &Path, extra: &[&str]| {
        let mut a = args(&[
            "farm",
            &design,
            "--jobs",
            "2",
            "--no-charts",
            "--out",
            &arg(out),
        ]);
        a.extend(args(extra));
        a
    };
    let compared = ["sensitivity.json", "design.csv", "runs.csv", "points.csv"];
    kill_and_resume(3, 8, &farm, &compared);
}

#[test]
fn merges_killed_at_seeded_points_are_finished_by_a_forced_merge() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let tiny = arg(&scenario("tiny.toml"));
    let shards: Vec<PathBuf> = (0..3)
        .map(|k| tmp.path().join(format!("shard-{k}")))
        .collect();
    for (k, dir) in shards.iter().enumerate() {
        let shard = format!("{k}/3");
        ok_in(
            tmp.path(),
            &[
                "sweep",
                &tiny,
                "--seeds",
                "1..30",
                "--days",
                "30",
                "--shard",
                &shard,
                "--out",
                &arg(dir),
            ],
        );
    }
    let merge = |out: &Path, extra: &[&str]| {
        let mut a = args(&["merge"]);
        a.extend(shards.iter().map(|s| arg(s)));
        a.extend(args(&["--out", &arg(out)]));
        a.extend(args(extra));
        a
    };
    let (killed, clean) = (tmp.path().join("killed"), tmp.path().join("clean"));
    let mut points = KillPoints::new(4);
    for _ in 0..3 {
        let delay = points.next(1, 400);
        let child = spawn(&merge(&killed, &["--force"]));
        std::thread::sleep(Duration::from_millis(delay));
        kill_when(child, || true, Duration::ZERO);
        // Killed before its manifest, the folder holds nothing but temporary files, if anything.
        if killed.exists() && !killed.join("manifest.json").is_file() {
            let names = names(&killed);
            assert!(
                names.iter().all(|n| n.starts_with('.')),
                "{names:?} at {delay} ms; {}",
                replay()
            );
        }
    }
    let again = bin()
        .args(merge(&killed, &["--force"]))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(again.status.success(), "{}; {}", stderr(&again), replay());
    ok_in(
        tmp.path(),
        &merge(&clean, &[])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        files(&killed, &SWEEP_FILES),
        files(&clean, &SWEEP_FILES),
        "{}",
        replay()
    );
    assert_no_leftovers(tmp.path());
}

#[test]
fn two_writers_started_together_one_is_refused_and_the_other_is_whole() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let tiny = arg(&scenario("tiny.toml"));
    let (both, clean) = (tmp.path().join("both"), tmp.path().join("clean"));
    let sweep = |out: &Path| {
        bin()
            .args([
                "sweep",
                &tiny,
                "--seeds",
                "1..30",
                "--jobs",
                "1",
                "--no-charts",
                "--out",
                &arg(out),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let (a, b) = (sweep(&both), sweep(&both));
    let outs = [a, b].map(|c| c.wait_with_output().unwrap_or_else(|e| panic!("{e}")));
    let codes: Vec<Option<i32>> = outs.iter().map(|o| o.status.code()).collect();
    assert!(codes.contains(&Some(0)), "{codes:?}");
    for out in outs.iter().filter(|o| !o.status.success()) {
        assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
        let err = stderr(out);
        assert!(
            err.contains("being written by another") || err.contains("already holds results"),
            "{err}"
        );
    }
    let out = sweep(&clean)
        .wait_with_output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    assert_eq!(files(&both, &SWEEP_FILES), files(&clean, &SWEEP_FILES));
    assert_no_leftovers(tmp.path());
}

/// A tmpfs of `size` mounted on `dir`, unmounted when dropped; `None` unless root can mount one.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> Option<SmallDisk> {
        let root = std::process::Command::new("id").arg("-u").output().ok()?;
        if String::from_utf8_lossy(&root.stdout).trim() != "0" {
            return None;
        }
        std::fs::create_dir_all(dir).ok()?;
        let opts = format!("size={size}");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &opts, "tmpfs", &arg(dir)])
            .output()
            .ok()?;
        mounted.status.success().then(|| SmallDisk(dir.to_owned()))
    }

    fn resize(&self, size: &str) -> bool {
        let opts = format!("remount,size={size}");
        std::process::Command::new("mount")
            .args(["-o", &opts, &arg(&self.0)])
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_fails_cleanly_and_the_sweep_resumes_when_there_is_room() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(disk) = SmallDisk::mount(&tmp.path().join("disk"), "96k") else {
        eprintln!("skipped: a small tmpfs needs root and mount (CI runs as root)");
        return;
    };
    let tiny = arg(&scenario("tiny.toml"));
    let out = tmp.path().join("disk/sweep");
    let sweep_into = |out: &Path, extra: &[&str]| {
        let mut a = args(&[
            "sweep",
            &tiny,
            "--seeds",
            "1..60",
            "--jobs",
            "2",
            "--no-charts",
            "--out",
            &arg(out),
        ]);
        a.extend(args(extra));
        bin().args(a).output().unwrap_or_else(|e| panic!("{e}"))
    };
    let sweep = |extra: &[&str]| sweep_into(&out, extra);
    let full = sweep(&[]);
    assert_refused(&full, 1, "No space left on device");
    let run_out = tmp.path().join("disk/run");
    let run = run_in(tmp.path(), &["run", &tiny, "--out", &arg(&run_out)]);
    assert_no_panic(&run);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        !run_out.exists(),
        "a run stopped by a full disk left a folder"
    );
    assert!(disk.resize("64m"), "could not grow the tmpfs");
    let resumed = sweep(&["--resume"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert_no_leftovers(&tmp.path().join("disk"));
    let clean = tmp.path().join("clean");
    assert!(sweep_into(&clean, &[]).status.success());
    assert_eq!(files(&out, &SWEEP_FILES), files(&clean, &SWEEP_FILES));
}

#[test]
fn every_command_meets_a_closed_pipe_quietly() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let tiny = arg(&scenario("tiny.toml"));
    let design = arg(&tiny_design(tmp.path()));
    let o = |n: &str| arg(&tmp.path().join(n));
    let shard = o("shard");
    ok_in(
        tmp.path(),
        &[
            "sweep", &tiny, "--seeds", "1..4", "--days", "5", "--shard", "0/1", "--out", &shard,
        ],
    );
    let commands = [
        args(&["validate", &tiny]),
        args(&["compare", &tiny, &tiny, "--seeds", "1..3", "--out", &o("c")]),
        args(&["farm", &design, "--no-charts", "--out", &o("f")]),
        args(&["farm", &design, "--check"]),
        args(&["merge", &shard, "--out", &o("m")]),
        args(&["chart", &o("m")]),
        args(&["brief", &o("m")]),
        args(&["slurm", &tiny, "--seeds", "1..10", "--out", "o"]),
        args(&["schema", "--markdown"]),
        args(&["--help"]),
    ];
    // Text for people is dropped and the work is done: the merge's folder is there to chart.
    for command in commands {
        let mut child = bin()
            .args(&command)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(0), "{command:?}: {}", stderr(&out));
    }
}
