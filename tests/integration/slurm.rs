//! Slurm job arrays (opt-in): a real single-node Slurm runs a 4-task array of a 40-seed sweep (and a
//! 3-task array of a small farm) and a dependent merge job; the merged files must equal the local
//! results byte for byte.
//!
//! Runs when `SLURM_CONF` points at a running cluster (`.ci/run` starts one with
//! `.ci/slurm-single-node.sh`); otherwise it says it was skipped, unless `PHASELINE_REQUIRE_SLURM`
//! is set, in which case a missing Slurm is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn slurm_available() -> bool {
    std::env::var_os("SLURM_CONF").is_some()
        && Command::new("sinfo")
            .arg("-h")
            .output()
            .is_ok_and(|o| o.status.success())
}

/// Skips (or, with `PHASELINE_REQUIRE_SLURM`, fails) when no Slurm is running.
fn skip_without_slurm(what: &str) -> bool {
    if slurm_available() {
        return false;
    }
    assert!(
        std::env::var_os("PHASELINE_REQUIRE_SLURM").is_none(),
        "PHASELINE_REQUIRE_SLURM is set but Slurm is not running"
    );
    eprintln!("SKIPPED: Slurm {what} test (no running Slurm; `bash .ci/run` starts one)");
    true
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("phaseline-slurm-test")
        .tempdir_in("/tmp")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Runs the phaseline binary, asserting success; returns its standard output.
fn phaseline(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_phaseline"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Prints the job-array script with `phaseline slurm ARGS --out DIR`, submits it with its merge job
/// as the printed commands say, and waits until the merge has written `last_file` into `DIR`.
fn submit_and_wait(tmp: &Path, slurm_args: &[&str], script_name: &str, last_file: &str) -> PathBuf {
    let bin = env!("CARGO_BIN_EXE_phaseline");
    let cluster = tmp.join("cluster");
    let cluster_arg = cluster.display().to_string();
    let mut args = vec!["slurm"];
    args.extend(slurm_args);
    args.extend(["--out", &cluster_arg, "--phaseline", bin]);
    let text = phaseline(&args);
    let (sbatch, submit) = text
        .split_once("\n# submit with:\n")
        .unwrap_or_else(|| panic!("no submit commands in:\n{text}"));
    let script_path = tmp.join(script_name);
    std::fs::write(&script_path, sbatch).unwrap_or_else(|e| panic!("{e}"));
    let submit = submit.replace(script_name, &script_path.display().to_string());
    let status = Command::new("bash")
        .arg("-ec")
        .arg(&submit)
        .current_dir(tmp)
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "submission failed:\n{submit}");
    let deadline = Instant::now() + Duration::from_secs(240);
    while !cluster.join(last_file).exists() {
        assert!(
            Instant::now() < deadline,
            "the merge job did not finish; logs in {}",
            cluster.display()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    std::thread::sleep(Duration::from_millis(500));
    cluster
}

fn assert_same_files(a: &Path, b: &Path, files: &[&str]) {
    for f in files {
        assert_eq!(
            std::fs::read(a.join(f)).ok(),
            std::fs::read(b.join(f)).ok(),
            "{f}: Slurm shards merged ≠ local results"
        );
    }
}

#[test]
fn a_sharded_sweep_on_slurm_merges_to_the_local_sweep() {
    if skip_without_slurm("job-array") {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = temp_dir();
    let scenario = root.join("scenarios/tiny.toml").display().to_string();
    let cluster = submit_and_wait(
        tmp.path(),
        &[&scenario, "--seeds", "1..40", "--shards", "4"],
        "sweep.sbatch",
        "aggregate.json",
    );
    for k in 0..4 {
        let journal = cluster.join(format!("shard-{k}")).join("seeds.journal");
        let lines = std::fs::read_to_string(&journal)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        assert_eq!(lines, 10, "shard {k} ran 10 seeds ({})", journal.display());
    }
    let local = tmp.path().join("local");
    let local_arg = local.display().to_string();
    phaseline(&[
        "sweep", &scenario, "--seeds", "1..40", "--jobs", "2", "--out", &local_arg,
    ]);
    assert_same_files(
        &cluster,
        &local,
        &["runs.csv", "bands.csv", "aggregate.json"],
    );
}

#[test]
fn a_sharded_farm_on_slurm_merges_to_the_local_farm() {
    if skip_without_slurm("farm job-array") {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = temp_dir();
    let design = tmp.path().join("farm.toml");
    let text = format!(
        "[farm]\nscenario = {:?}\nseeds_per_point = 2\ndays = 20\n\n[design]\nkind = \"full_factorial\"\nlevels = 3\n\n\
         [[factor]]\npath = \"side.blue.lethality_per_day\"\nlow = 0.002\nhigh = 0.008\n\n\
         [[factor]]\npath = \"side.blue.garrison_ratio\"\nlow = 0.2\nhigh = 0.8\n",
        root.join("scenarios/tiny.toml").display().to_string()
    );
    std::fs::write(&design, text).unwrap_or_else(|e| panic!("{e}"));
    let design_arg = design.display().to_string();
    let cluster = submit_and_wait(
        tmp.path(),
        &[&design_arg, "--farm", "--shards", "3"],
        "farm.sbatch",
        "sensitivity.json",
    );
    let local = tmp.path().join("local");
    let local_arg = local.display().to_string();
    phaseline(&[
        "farm",
        &design_arg,
        "--jobs",
        "2",
        "--no-charts",
        "--out",
        &local_arg,
    ]);
    assert_same_files(
        &cluster,
        &local,
        &["design.csv", "runs.csv", "points.csv", "sensitivity.json"],
    );
}
