//! Slurm job arrays (opt-in): a real single-node Slurm runs a 4-task array of a 40-seed sweep and a
//! dependent merge job; the merged files must equal the local sweep's byte for byte.
//!
//! Runs when `SLURM_CONF` points at a running cluster (`.ci/run` starts one with
//! `.ci/slurm-single-node.sh`); otherwise it says it was skipped, unless `PHASELINE_REQUIRE_SLURM`
//! is set, in which case a missing Slurm is a failure.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn slurm_available() -> bool {
    std::env::var_os("SLURM_CONF").is_some()
        && Command::new("sinfo")
            .arg("-h")
            .output()
            .is_ok_and(|o| o.status.success())
}

#[test]
fn a_sharded_sweep_on_slurm_merges_to_the_local_sweep() {
    if !slurm_available() {
        assert!(
            std::env::var_os("PHASELINE_REQUIRE_SLURM").is_none(),
            "PHASELINE_REQUIRE_SLURM is set but Slurm is not running"
        );
        eprintln!("SKIPPED: Slurm job-array test (no running Slurm; `bash .ci/run` starts one)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_phaseline");
    let tmp = tempfile::Builder::new()
        .prefix("phaseline-slurm-test")
        .tempdir_in("/tmp")
        .unwrap_or_else(|e| panic!("{e}"));
    let cluster = tmp.path().join("cluster");
    let scenario = root.join("scenarios/tiny.toml").display().to_string();
    let script = Command::new(bin)
        .args([
            "slurm",
            &scenario,
            "--seeds",
            "1..40",
            "--shards",
            "4",
            "--out",
            &cluster.display().to_string(),
            "--phaseline",
            bin,
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(script.status.success());
    let text = String::from_utf8_lossy(&script.stdout).into_owned();
    let (sbatch, submit) = text
        .split_once("\n# submit with:\n")
        .unwrap_or_else(|| panic!("no submit commands in:\n{text}"));
    let script_path = tmp.path().join("sweep.sbatch");
    std::fs::write(&script_path, sbatch).unwrap_or_else(|e| panic!("{e}"));
    let submit = submit.replace("sweep.sbatch", &script_path.display().to_string());
    let status = Command::new("bash")
        .arg("-ec")
        .arg(&submit)
        .current_dir(tmp.path())
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "submission failed:\n{submit}");
    let deadline = Instant::now() + Duration::from_secs(240);
    while !cluster.join("aggregate.json").exists() {
        assert!(
            Instant::now() < deadline,
            "the merge job did not finish; logs in {}",
            cluster.display()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    std::thread::sleep(Duration::from_millis(500));
    for k in 0..4 {
        let journal = cluster.join(format!("shard-{k}")).join("seeds.journal");
        let lines = std::fs::read_to_string(&journal)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        assert_eq!(lines, 10, "shard {k} ran 10 seeds ({})", journal.display());
    }
    let local = tmp.path().join("local");
    let out = Command::new(bin)
        .args([
            "sweep",
            &scenario,
            "--seeds",
            "1..40",
            "--jobs",
            "2",
            "--out",
            &local.display().to_string(),
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in ["runs.csv", "bands.csv", "aggregate.json"] {
        assert_eq!(
            std::fs::read(cluster.join(f)).ok(),
            std::fs::read(local.join(f)).ok(),
            "{f}: Slurm shards merged ≠ local sweep"
        );
    }
}
