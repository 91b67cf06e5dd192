//! Designed sweeps (`phaseline farm`): the design file, the design's quality, sensitivity that finds
//! the one factor that matters, censoring, and identical bytes across jobs, shards and resuming.

use phaseline::ensemble::{Shard, SweepOptions};
use phaseline::farm::{FarmError, FarmPlan, merge_farm, plan_farm, run_farm};
use phaseline::scenario::Limits;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The farm's result files, compared byte for byte.
const FILES: [&str; 4] = ["design.csv", "runs.csv", "points.csv", "sensitivity.json"];

fn tiny_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml")
}

/// Writes a design over the tiny scenario into `dir` and returns its path.
fn write_design(dir: &Path, farm_extra: &str, design: &str, factors: &str) -> PathBuf {
    let text = format!(
        "[farm]\nscenario = {:?}\n{farm_extra}\n\n[design]\n{design}\n\n{factors}",
        tiny_path().display().to_string()
    );
    let path = dir.join("design.toml");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn factor(name: &str, path: &str, low: f64, high: f64) -> String {
    format!("[[factor]]\nname = \"{name}\"\npath = \"{path}\"\nlow = {low}\nhigh = {high}\n\n")
}

/// Attacker lethality decides the defender's losses; the other two factors touch nothing they can
/// reach (displacement of civilians, and a reserve that no threat ever calls within the run).
fn one_driver_factors() -> String {
    [
        factor(
            "displacement",
            "scenario.displacement_share_per_day",
            0.0,
            0.1,
        ),
        factor("blue_lethality", "side.blue.lethality_per_day", 0.001, 0.01),
        factor(
            "escape_speed",
            "side.red.escape_speed_km_per_day",
            30.0,
            60.0,
        ),
    ]
    .concat()
}

/// Two factors that both matter, for designs whose bytes are compared.
fn lethality_and_garrison() -> String {
    [
        factor(
            "blue_lethality",
            "side.blue.lethality_per_day",
            0.002,
            0.008,
        ),
        factor("garrison_ratio", "side.blue.garrison_ratio", 0.2, 0.8),
    ]
    .concat()
}

fn plan(path: &Path) -> FarmPlan {
    plan_farm(path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn options(jobs: usize, shard: Option<&str>) -> SweepOptions {
    SweepOptions {
        jobs,
        shard: shard.map(|s| s.parse::<Shard>().unwrap_or_else(|e| panic!("{e}"))),
        ..SweepOptions::default()
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sensitivity(dir: &Path) -> Value {
    serde_json::from_slice(&read(&dir.join("sensitivity.json"))).unwrap_or_else(|e| panic!("{e}"))
}

fn outcome<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["outcomes"]
        .as_array()
        .and_then(|a| a.iter().find(|o| o["outcome"] == id))
        .unwrap_or_else(|| panic!("no outcome {id} in {doc}"))
}

#[test]
fn the_only_factor_that_matters_ranks_first() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let design = write_design(
        tmp.path(),
        "seeds_per_point = 3\ndays = 30\noutcomes = [\"defender_losses\", \"attacker_losses\"]",
        "kind = \"latin_hypercube\"\npoints = 17",
        &one_driver_factors(),
    );
    let plan = plan(&design);
    assert!(
        plan.quality.max_abs_correlation <= 0.05,
        "{:?}",
        plan.quality
    );
    let out = tmp.path().join("out");
    run_farm(&plan, &options(0, None), &out).unwrap_or_else(|e| panic!("{e}"));
    let doc = sensitivity(&out);
    let losses = outcome(&doc, "defender_losses");
    assert_eq!(losses["ranking"][0], "blue_lethality", "{losses}");
    let effects = losses["effects"]
        .as_array()
        .unwrap_or_else(|| panic!("{losses}"));
    let lethality = &effects[1];
    assert!(
        lethality["coefficient"].as_f64().unwrap_or(0.0) > 0.5,
        "{lethality}"
    );
    assert!(
        lethality["ci95_low"].as_f64().unwrap_or(0.0) > 0.0,
        "{lethality}"
    );
    // The inert factors' intervals contain zero, and their effects are small next to the driver's.
    for inert in [&effects[0], &effects[2]] {
        let (lo, hi) = (
            inert["ci95_low"].as_f64().unwrap_or(f64::NAN),
            inert["ci95_high"].as_f64().unwrap_or(f64::NAN),
        );
        assert!(lo <= 0.0 && 0.0 <= hi, "{inert}");
    }
    assert_eq!(doc["design"]["runs"], 51);
    assert_eq!(doc["design"]["points"], 17);
}

#[test]
fn farm_files_are_identical_across_jobs_shards_and_resume() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let design = write_design(
        tmp.path(),
        "seeds_per_point = 2\nfirst_seed = 5\ndays = 20",
        "kind = \"full_factorial\"\nlevels = 3",
        &lethality_and_garrison(),
    );
    let plan = plan(&design);
    assert_eq!(plan.points(), 9);
    assert!(
        plan.quality.max_abs_correlation < 1e-12,
        "{:?}",
        plan.quality
    );
    let one = tmp.path().join("jobs1");
    let two = tmp.path().join("jobs2");
    run_farm(&plan, &options(1, None), &one).unwrap_or_else(|e| panic!("{e}"));
    run_farm(&plan, &options(2, None), &two).unwrap_or_else(|e| panic!("{e}"));
    let shards: Vec<PathBuf> = (0..3)
        .map(|k| tmp.path().join(format!("shard{k}")))
        .collect();
    for (k, dir) in shards.iter().enumerate() {
        let shard = format!("{k}/3");
        run_farm(&plan, &options(1, Some(&shard)), dir).unwrap_or_else(|e| panic!("{e}"));
    }
    let merged = tmp.path().join("merged");
    merge_farm(&plan, &shards, &merged).unwrap_or_else(|e| panic!("{e}"));
    let resumed = run_farm(
        &plan,
        &SweepOptions {
            resume: true,
            ..options(2, None)
        },
        &two,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resumed.ran, 0);
    for file in FILES {
        let a = read(&one.join(file));
        assert_eq!(a, read(&two.join(file)), "{file}: jobs 1 vs 2");
        assert_eq!(a, read(&merged.join(file)), "{file}: merged shards");
    }
    let runs = String::from_utf8(read(&one.join("runs.csv"))).unwrap_or_default();
    let header = runs.lines().next().unwrap_or("");
    assert!(
        header.starts_with("point,seed,blue_lethality,garrison_ratio,isolation_day,"),
        "{header}"
    );
    assert_eq!(runs.lines().count(), 1 + 9 * 2);
    assert!(
        runs.lines()
            .nth(1)
            .unwrap_or("")
            .starts_with("0,5,0.002,0.2,"),
        "{runs}"
    );
    let design_csv = String::from_utf8(read(&one.join("design.csv"))).unwrap_or_default();
    assert_eq!(
        design_csv.lines().nth(9),
        Some("8,0.008,0.8"),
        "{design_csv}"
    );
}

#[test]
fn shards_of_another_design_are_refused() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a_dir = tmp.path().join("a");
    let b_dir = tmp.path().join("b");
    std::fs::create_dir_all(&a_dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(&b_dir).unwrap_or_else(|e| panic!("{e}"));
    let factors = factor(
        "blue_lethality",
        "side.blue.lethality_per_day",
        0.002,
        0.008,
    );
    let a = plan(&write_design(
        &a_dir,
        "seeds_per_point = 1\ndays = 5",
        "kind = \"full_factorial\"",
        &factors,
    ));
    let b = plan(&write_design(
        &b_dir,
        "seeds_per_point = 1\ndays = 6",
        "kind = \"full_factorial\"",
        &factors,
    ));
    let shard = tmp.path().join("shard-a");
    run_farm(&a, &options(1, Some("0/1")), &shard).unwrap_or_else(|e| panic!("{e}"));
    let err = merge_farm(&b, &[&shard], &tmp.path().join("merged")).unwrap_err();
    assert!(err.to_string().contains("design_sha256"), "{err}");
}

#[test]
fn never_reached_outcomes_are_censored_not_zero() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Too short for the town to fall: every capture_day is censored.
    let design = write_design(
        tmp.path(),
        "seeds_per_point = 2\ndays = 10\noutcomes = [\"capture_day\", \"defender_losses\"]",
        "kind = \"full_factorial\"",
        &lethality_and_garrison(),
    );
    let plan = plan(&design);
    let out = tmp.path().join("out");
    run_farm(&plan, &options(0, None), &out).unwrap_or_else(|e| panic!("{e}"));
    let doc = sensitivity(&out);
    let capture = outcome(&doc, "capture_day");
    assert_eq!(capture["censored"], 8);
    assert!(capture["r_squared"].is_null(), "{capture}");
    assert!(
        capture["note"].as_str().is_some_and(|n| !n.is_empty()),
        "{capture}"
    );
    assert!(capture["effects"][0]["coefficient"].is_null());
    let runs = String::from_utf8(read(&out.join("runs.csv"))).unwrap_or_default();
    let col = runs
        .lines()
        .next()
        .and_then(|h| h.split(',').position(|c| c == "capture_day"))
        .unwrap_or_else(|| panic!("{runs}"));
    assert!(
        runs.lines()
            .skip(1)
            .all(|l| l.split(',').nth(col) == Some("")),
        "{runs}"
    );
}

#[test]
fn a_factor_that_decides_whether_the_event_happens_drives_its_reached_share() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Over 60 days the town falls only when Blue is lethal enough.
    let design = write_design(
        tmp.path(),
        "seeds_per_point = 2\ndays = 60\noutcomes = [\"capture_day\"]",
        "kind = \"latin_hypercube\"\npoints = 12",
        &[
            factor(
                "displacement",
                "scenario.displacement_share_per_day",
                0.0,
                0.1,
            ),
            factor(
                "blue_lethality",
                "side.blue.lethality_per_day",
                0.0005,
                0.02,
            ),
        ]
        .concat(),
    );
    let plan = plan(&design);
    let out = tmp.path().join("out");
    run_farm(&plan, &options(0, None), &out).unwrap_or_else(|e| panic!("{e}"));
    let doc = sensitivity(&out);
    let capture = outcome(&doc, "capture_day");
    let censored = capture["censored"].as_u64().unwrap_or(0);
    assert!(censored > 0 && censored < 24, "{capture}");
    // More lethal: captured sooner (censored runs rank last), and captured more often.
    assert_eq!(capture["ranking"][0], "blue_lethality", "{capture}");
    assert!(
        capture["effects"][1]["coefficient"].as_f64().unwrap_or(0.0) < -0.5,
        "{capture}"
    );
    let reached = outcome(&doc, "capture_reached");
    assert_eq!(reached["kind"], "reached");
    assert_eq!(reached["ranking"][0], "blue_lethality", "{reached}");
    assert!(
        reached["effects"][1]["ci95_low"].as_f64().unwrap_or(0.0) > 0.0,
        "{reached}"
    );
}

#[test]
fn the_bundled_raqqa_farm_meets_the_design_targets() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/raqqa-farm.toml");
    let plan = plan(&path);
    assert!(plan.design.factors.len() >= 8);
    assert!(plan.points() >= 33);
    assert!(plan.design.seeds.len() >= 10);
    assert!(
        plan.quality.max_abs_correlation <= 0.05,
        "{:?}",
        plan.quality
    );
    // Every factor takes its whole range, and as many distinct values as there are points
    // (integers permitting).
    for (j, f) in plan.design.factors.iter().enumerate() {
        let mut column: Vec<f64> = plan.values.iter().map(|row| row[j]).collect();
        column.sort_by(f64::total_cmp);
        assert_eq!(column.first(), Some(&f.low), "{}", f.name);
        assert_eq!(column.last(), Some(&f.high), "{}", f.name);
        column.dedup();
        assert_eq!(column.len(), plan.points(), "{}", f.name);
    }
}

/// Checks a design and returns the error text.
fn design_error(farm_extra: &str, design: &str, factors: &str) -> (String, FarmError) {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = write_design(tmp.path(), farm_extra, design, factors);
    let err = plan_farm(&path, &Limits::default()).unwrap_err();
    (err.to_string(), err)
}

#[test]
fn every_problem_of_a_design_file_is_reported_with_its_line() {
    let (text, err) = design_error(
        "seeds_per_point = 0\nsedes = 3",
        "kind = \"latin_hypercube\"",
        &[
            factor("a", "side.blue.lethality_per_day", 0.01, 0.001),
            factor("a", "air.sorties_per_day", 1.0, 5.0),
        ]
        .concat(),
    );
    assert!(err.is_invalid_input());
    for expected in [
        "design.toml:3:19: error: `seeds_per_point` is 0, outside 1..=1000000",
        "design.toml:4:1: error: unknown field `sedes`",
        "`points` is missing",
        "`high` (0.001) is not above `low` (0.01)",
        "the same name as an earlier one",
        "problems found; nothing was run",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn factors_the_scenario_refuses_are_located_at_the_factor() {
    let (text, _) = design_error(
        "seeds_per_point = 1\noutcomes = [\"isolation_dya\"]",
        "kind = \"full_factorial\"",
        &[
            factor("nope", "side.blue.lethality_per_dya", 0.001, 0.01),
            factor("too_high", "side.blue.garrison_ratio", 0.5, 50.0),
        ]
        .concat(),
    );
    for expected in [
        "`isolation_dya` is not a summary figure",
        "did you mean `isolation_day`?",
        "factor `nope`: with side.blue.lethality_per_dya=0.001",
        "factor `too_high`: with side.blue.garrison_ratio=50",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The path problem points at the path line, the range problem at `high`.
    assert!(text.contains("design.toml:11:8"), "{text}");
    assert!(text.contains("design.toml:19:8"), "{text}");
}

#[test]
fn the_farm_command_checks_runs_and_refuses_bad_designs() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let design = write_design(
        tmp.path(),
        "seeds_per_point = 2\ndays = 15\noutcomes = [\"defender_losses\", \"isolation_day\"]",
        "kind = \"latin_hypercube\"\npoints = 5",
        &one_driver_factors(),
    );
    let bin = env!("CARGO_BIN_EXE_phaseline");
    let design_arg = design.to_string_lossy().into_owned();
    let check = Command::new(bin)
        .args(["farm", &design_arg, "--check"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{stdout}");
    assert!(stdout.contains("5 points × 2 seeds"), "{stdout}");
    assert!(
        stdout.contains("Largest correlation between two factor columns"),
        "{stdout}"
    );

    let validate = Command::new(bin)
        .args(["validate", &design_arg])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&validate.stderr);
    assert!(validate.status.success(), "{stderr}");
    assert!(
        stderr.contains("ok — design \"design\", 3 factors, 5 points, 10 runs"),
        "{stderr}"
    );

    let out = tmp.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    let run = Command::new(bin)
        .args(["farm", &design_arg, "--jobs", "2", "--out", &out_arg])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("What drives each outcome"), "{stdout}");
    for file in FILES.iter().chain(&[
        "manifest.json",
        "tornado_defender_losses.png",
        "tornado_defender_losses.svg",
        "top_factor_defender_losses.png",
    ]) {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let again = Command::new(bin)
        .args(["farm", &design_arg, "--out", &out_arg])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.status.code(), Some(2), "an existing farm is refused");

    let bad = write_design(tmp.path(), "seeds_per_point = -1", "kind = \"cube\"", "");
    let bad_out = tmp.path().join("bad-out");
    let refused = Command::new(bin)
        .args([
            "farm",
            &bad.to_string_lossy(),
            "--out",
            &bad_out.to_string_lossy(),
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown design kind `cube`"), "{stderr}");
    assert!(stderr.contains("the design has no [[factor]]"), "{stderr}");
    assert!(!bad_out.exists(), "nothing is written for a bad design");
}
