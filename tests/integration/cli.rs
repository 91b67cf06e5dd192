//! The command line: the README's promises, exit codes, and byte-identical results through the binary.

use std::path::Path;
use std::process::{Command, Output};

/// `phaseline args` run from the project's root.
fn phaseline(args: &[&str]) -> Output {
    crate::proc::run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn ok(args: &[&str]) -> String {
    let out = phaseline(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn same_files(a: &Path, b: &Path, files: &[&str]) {
    for f in files {
        let (x, y) = (std::fs::read(a.join(f)), std::fs::read(b.join(f)));
        assert!(x.is_ok(), "{} missing", a.join(f).display());
        assert_eq!(x.ok(), y.ok(), "{f} differs");
    }
}

#[test]
fn run_twice_gives_identical_files_and_another_seed_differs() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = |n: &str| tmp.path().join(n).display().to_string();
    let stdout = ok(&[
        "run",
        "scenarios/tiny.toml",
        "--seed",
        "7",
        "--out",
        &dir("a"),
    ]);
    assert!(stdout.contains("isolated"), "{stdout}");
    ok(&[
        "run",
        "scenarios/tiny.toml",
        "--seed",
        "7",
        "--out",
        &dir("b"),
    ]);
    ok(&[
        "run",
        "scenarios/tiny.toml",
        "--seed",
        "8",
        "--out",
        &dir("c"),
    ]);
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    same_files(
        &a,
        &b,
        &[
            "timeseries.csv",
            "events.csv",
            "summary.json",
            "snapshots.json",
        ],
    );
    assert!(a.join("manifest.json").exists());
    assert_ne!(
        std::fs::read(a.join("events.csv")).ok(),
        std::fs::read(c.join("events.csv")).ok()
    );
}

#[test]
fn an_existing_results_folder_is_refused_unless_forced() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("r").display().to_string();
    ok(&["run", "scenarios/tiny.toml", "--days", "5", "--out", &out]);
    let again = phaseline(&["run", "scenarios/tiny.toml", "--days", "5", "--out", &out]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    ok(&[
        "run",
        "scenarios/tiny.toml",
        "--days",
        "5",
        "--out",
        &out,
        "--force",
    ]);
}

#[test]
fn validate_and_help_and_schema() {
    let out = phaseline(&["validate", "scenarios/tiny.toml"]);
    assert!(out.status.success());
    let bad = phaseline(&["validate", "tests/bad_inputs/negative_strength.toml"]);
    assert_eq!(bad.status.code(), Some(2));
    let help = ok(&["--help"]);
    assert!(
        help.contains("Exit codes") && help.contains("sweep") && help.contains("validate"),
        "{help}"
    );
    let schema: serde_json::Value = serde_json::from_str(&ok(&["schema"])).unwrap_or_default();
    assert_eq!(schema["title"], "phaseline scenario");
    assert!(ok(&["schema", "--markdown"]).contains("capacity_tons_per_day"));
    let usage = phaseline(&["run"]);
    assert_eq!(
        usage.status.code(),
        Some(2),
        "a usage error is invalid input"
    );
    let seeds = phaseline(&["sweep", "scenarios/tiny.toml", "--seeds", "9..3"]);
    assert_eq!(seeds.status.code(), Some(2));
}

#[test]
fn set_overrides_change_the_run_and_are_recorded() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    ok(&[
        "run",
        "scenarios/tiny.toml",
        "--days",
        "20",
        "--out",
        &a.display().to_string(),
    ]);
    ok(&[
        "run",
        "scenarios/tiny.toml",
        "--days",
        "20",
        "--out",
        &b.display().to_string(),
        "--set",
        "air.sorties_per_day=0",
    ]);
    let summary = |d: &Path| std::fs::read_to_string(d.join("summary.json")).unwrap_or_default();
    assert_ne!(summary(&a), summary(&b));
    assert!(
        std::fs::read_to_string(b.join("manifest.json"))
            .unwrap_or_default()
            .contains("air.sorties_per_day=0")
    );
    let bad = phaseline(&[
        "run",
        "scenarios/tiny.toml",
        "--set",
        "air.sorties_per_day=-3",
        "--out",
        &tmp.path().join("c").display().to_string(),
    ]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "an override is validated like the file"
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("sorties_per_day"));
}

#[test]
fn sweep_jobs_and_compare_through_the_binary() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = |n: &str| tmp.path().join(n).display().to_string();
    for jobs in ["1", "2"] {
        let out = d(&format!("j{jobs}"));
        ok(&[
            "sweep",
            "scenarios/tiny.toml",
            "--seeds",
            "1..6",
            "--days",
            "30",
            "--jobs",
            jobs,
            "--out",
            &out,
        ]);
    }
    same_files(
        &tmp.path().join("j1"),
        &tmp.path().join("j2"),
        &["runs.csv", "bands.csv", "aggregate.json"],
    );
    let verdict = ok(&[
        "compare",
        "scenarios/tiny.toml",
        "scenarios/tiny.toml",
        "--seeds",
        "1..4",
        "--out",
        &d("cmp"),
    ]);
    assert!(
        verdict.to_lowercase().contains("significant") || verdict.contains("Too few"),
        "{verdict}"
    );
}

#[test]
fn chart_redraws_a_run_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run_dir = tmp.path().join("run");
    ok(&[
        "run",
        "scenarios/tiny.toml",
        "--days",
        "40",
        "--out",
        &run_dir.display().to_string(),
    ]);
    let copy = tmp.path().join("copy");
    std::fs::create_dir_all(&copy).unwrap_or_else(|e| panic!("{e}"));
    let mut charts = Vec::new();
    for entry in std::fs::read_dir(&run_dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".png") || name.ends_with(".svg") {
            charts.push(name);
        } else {
            std::fs::copy(entry.path(), copy.join(&name)).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    charts.sort();
    assert_eq!(charts.len(), 10, "five charts as PNG and SVG: {charts:?}");
    ok(&["chart", &copy.display().to_string()]);
    let names: Vec<&str> = charts.iter().map(String::as_str).collect();
    same_files(&run_dir, &copy, &names);
}

#[test]
fn a_killed_sweep_resumes_to_the_uninterrupted_result() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = |n: &str| tmp.path().join(n);
    let args = |out: &Path| {
        vec![
            "sweep".to_owned(),
            "scenarios/tiny.toml".into(),
            "--seeds".into(),
            "1..60".into(),
            "--jobs".into(),
            "1".into(),
            "--no-charts".into(),
            "--out".into(),
            out.display().to_string(),
        ]
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_phaseline"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args(&d("killed")))
        .stderr(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let journal = d("killed").join("seeds.journal");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::read_to_string(&journal)
        .map(|t| t.lines().count())
        .unwrap_or(0)
        < 5
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the sweep wrote no seeds"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap_or_else(|e| panic!("{e}")); // SIGKILL
    let _ = child.wait();
    let done = std::fs::read_to_string(&journal)
        .map(|t| t.lines().count())
        .unwrap_or(0);
    assert!(
        done < 60,
        "killed too late to test resuming ({done} seeds done)"
    );
    assert!(!d("killed").join("runs.csv").exists());
    let mut resume = args(&d("killed"));
    resume.push("--resume".into());
    let resume: Vec<&str> = resume.iter().map(String::as_str).collect();
    ok(&resume);
    let whole: Vec<String> = args(&d("whole"));
    let whole: Vec<&str> = whole.iter().map(String::as_str).collect();
    ok(&whole);
    same_files(
        &d("killed"),
        &d("whole"),
        &["runs.csv", "bands.csv", "aggregate.json"],
    );
}

#[test]
fn a_killed_run_leaves_a_complete_folder_or_none() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("raqqa");
    for delay_ms in [50, 400] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_phaseline"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "run",
                "scenarios/raqqa.toml",
                "--force",
                "--out",
                &out.display().to_string(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap_or_else(|e| panic!("{e}")); // SIGKILL: no cleanup code runs
        let _ = child.wait();
        if out.exists() {
            for f in [
                "timeseries.csv",
                "events.csv",
                "summary.json",
                "snapshots.json",
                "manifest.json",
            ] {
                assert!(out.join(f).exists(), "a folder exists but lacks {f}");
            }
        }
    }
    // The next run replaces whatever a killed run left and leaves no staging folder behind.
    ok(&[
        "run",
        "scenarios/tiny.toml",
        "--days",
        "3",
        "--no-charts",
        "--force",
        "--out",
        &out.display().to_string(),
    ]);
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["raqqa"], "leftovers: {names:?}");
}

#[test]
fn an_interrupted_calibration_resumes_to_the_uninterrupted_bytes() {
    // A calibration journals each wave (and its confirmation stage) in a subfolder; one stopped
    // after its first wave continues with --resume to the files a single run writes.
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let obs = tmp.path().join("obs.toml");
    std::fs::write(
        &obs,
        "[observed]\nname = \"t\"\n[[milestone]]\nid = \"entered\"\nmeasure = \"objective_entered\"\nobserved = 23\nplus_minus = 4\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let dir = |n: &str| tmp.path().join(n).display().to_string();
    let obs = obs.display().to_string();
    let calibrate = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "calibrate",
            "tests/calibration/chain.toml",
            "--observed",
            &obs,
            "--seeds",
            "1..2",
            "--waves",
            "2",
            "--points",
            "6",
            "--confirm-top",
            "2",
            "--confirm-seeds",
            "1..4",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        ok(&args)
    };
    let (whole, part) = (dir("whole"), dir("part"));
    calibrate(&whole, &[]);
    calibrate(&part, &[]);
    // What a calibration stopped during its second wave leaves: the manifest and wave 1.
    let part_dir = tmp.path().join("part");
    for sub in ["wave-2", "confirm"] {
        std::fs::remove_dir_all(part_dir.join(sub)).unwrap_or_else(|e| panic!("{sub}: {e}"));
    }
    let finished = [
        "calibration.json",
        "accepted.csv",
        "points.csv",
        "calibrated-doctrine.toml",
        "briefing.html",
    ];
    for f in finished {
        std::fs::remove_file(part_dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    let again = phaseline(&[
        "calibrate",
        "tests/calibration/chain.toml",
        "--observed",
        &obs,
        "--out",
        &part,
    ]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "a folder with results needs --resume or --force"
    );
    let text = calibrate(&part, &["--resume"]);
    assert!(text.contains("confirmation on seeds 1..4"), "{text}");
    same_files(
        tmp.path().join("whole").as_path(),
        &part_dir,
        &["calibration.json", "accepted.csv", "points.csv"],
    );
}
