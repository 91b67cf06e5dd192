//! Calibration (issue 15): doctrine files, uncertain parameters, backtest and calibrate, each on a
//! small scenario whose answer is known.

use phaseline::calibration::backtest::{BacktestOptions, backtest};
use phaseline::calibration::calibrate::{CalibrateOptions, calibrate};
use phaseline::calibration::observed::{parse_observations, read_observations};
use phaseline::calibration::{calibration_inputs, runner};
use phaseline::ensemble::{SeedRange, SeedRunner, SweepOptions};
use phaseline::ids::Side;
use phaseline::scenario::{LoadedScenario, ScenarioError, load_scenario};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn load(path: &Path) -> LoadedScenario {
    load_scenario(path).unwrap_or_else(|e| panic!("{e}"))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

/// tiny.toml, naming the Raqqa doctrine (by absolute path) in its [scenario] table.
fn tiny_with_doctrine(dir: &Path, extra: &str) -> PathBuf {
    tiny_with(dir, "sdf-isis-2016.toml", extra)
}

/// tiny.toml, naming `scenarios/doctrine/<file>` (by absolute path) in its [scenario] table.
fn tiny_with(dir: &Path, file: &str, extra: &str) -> PathBuf {
    let tiny = std::fs::read_to_string(root().join("scenarios/tiny.toml")).unwrap_or_default();
    let doctrine = root().join("scenarios/doctrine").join(file);
    let text = tiny.replacen(
        "[scenario]\n",
        &format!("[scenario]\ndoctrine = \"{}\"\n", doctrine.display()),
        1,
    ) + extra;
    let path = dir.join("tiny-doctrine.toml");
    write(&path, &text);
    path
}

#[test]
fn a_doctrine_applies_to_tiny_unchanged() {
    let dir = tmp();
    let plain = load(&root().join("scenarios/tiny.toml")).scenario;
    let loaded = load(&tiny_with_doctrine(dir.path(), ""));
    let s = &loaded.scenario;
    // From the doctrine, where tiny says nothing:
    assert_eq!(s.sides[Side::Attacker].lethality_per_day, 0.004);
    assert_eq!(s.sides[Side::Defender].breakpoint_cohesion, 0.1);
    assert_eq!(s.sides[Side::Defender].c2_initial, 0.85);
    assert_eq!(s.air.c2_hit_leadership, 0.01);
    // Tiny's own values win:
    assert_eq!(s.sides[Side::Attacker].garrison_ratio, 0.5);
    assert_eq!(s.sides[Side::Defender].escape_share_per_day, 0.05);
    assert_eq!(
        s.sides[Side::Defender].reserve_strength,
        plain.sides[Side::Defender].reserve_strength
    );
    assert_eq!(s.air.sorties_per_day, 4.0);
    // The theatre is tiny's.
    assert_eq!(s.settlements.len(), plain.settlements.len());
    assert_eq!(s.units.len(), plain.units.len());
    let doctrine = loaded
        .doctrine
        .as_ref()
        .unwrap_or_else(|| panic!("no doctrine"));
    assert_eq!(doctrine.name, "sdf-isis-2016");
    let bytes =
        std::fs::read(root().join("scenarios/doctrine/sdf-isis-2016.toml")).unwrap_or_default();
    assert_eq!(doctrine.sha256, phaseline::scenario::hex_sha256(&bytes));
    let out = phaseline::sim::simulate(Arc::new(loaded.scenario.clone()), 1, None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.timeseries.len(), 121);
}

/// The doctrine `calibrate` fitted to the Raqqa record applies, unchanged, to another theatre:
/// tiny takes the calibrated values where it says nothing, keeps its own where it does, and runs.
#[test]
fn the_calibrated_doctrine_applies_to_tiny_unchanged() {
    let dir = tmp();
    let file = "sdf-isis-2016-calibrated.toml";
    let text = std::fs::read_to_string(root().join("scenarios/doctrine").join(file))
        .unwrap_or_else(|e| panic!("{e}"));
    let doc: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let attacker = doc["side"]
        .as_array()
        .and_then(|sides| {
            sides
                .iter()
                .find(|s| s["role"].as_str() == Some("attacker"))
        })
        .unwrap_or_else(|| panic!("no attacker in {file}"));
    let plain = load(&root().join("scenarios/tiny.toml")).scenario;
    let loaded = load(&tiny_with(dir.path(), file, ""));
    let s = &loaded.scenario;
    for field in [
        "lethality_per_day",
        "pause_rate_per_day",
        "urban_lethality_per_day",
    ] {
        let value = attacker[field].as_float().unwrap_or(f64::NAN);
        let got = match field {
            "lethality_per_day" => s.sides[Side::Attacker].lethality_per_day,
            "pause_rate_per_day" => s.sides[Side::Attacker].pause_rate_per_day,
            _ => s.sides[Side::Attacker].urban_lethality_per_day,
        };
        assert_eq!(got, value, "{field}");
    }
    assert_eq!(
        s.sides[Side::Attacker].garrison_ratio,
        0.5,
        "tiny's own value"
    );
    assert_eq!(s.settlements.len(), plain.settlements.len());
    assert_eq!(
        loaded.doctrine.as_ref().map(|d| d.name.as_str()),
        Some("sdf-isis-2016-calibrated")
    );
    let out = phaseline::sim::simulate(Arc::new(loaded.scenario.clone()), 1, None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.timeseries.len(), 121);
}

#[test]
fn raqqa_takes_its_sides_from_its_doctrine() {
    let loaded = load(&root().join("scenarios/raqqa.toml"));
    assert_eq!(
        loaded.doctrine.as_ref().map(|d| d.name.as_str()),
        Some("sdf-isis-2016-calibrated")
    );
    let s = &loaded.scenario;
    assert_eq!(s.sides[Side::Attacker].id, "sdf");
    assert_eq!(s.sides[Side::Attacker].lethality_per_day, 0.00237);
    assert_eq!(s.sides[Side::Defender].reserve_strength, 3000.0);
    assert_eq!(s.air.sorties_per_day, 10.0);
    assert_eq!(s.air.priorities.leadership, 3.0);
}

#[test]
fn a_place_specific_doctrine_is_refused_where_it_says_so() {
    let dir = tmp();
    let doctrine = dir.path().join("bad.toml");
    write(
        &doctrine,
        "[[side]]\nrole = \"defender\"\nreserve_strength = 100\n\n[[unit]]\nid = \"x\"\n",
    );
    let tiny = std::fs::read_to_string(root().join("scenarios/tiny.toml")).unwrap_or_default();
    let path = dir.path().join("s.toml");
    write(
        &path,
        &tiny.replacen("[scenario]\n", "[scenario]\ndoctrine = \"bad.toml\"\n", 1),
    );
    match load_scenario(&path) {
        Err(ScenarioError::Invalid {
            file,
            source_text,
            problems,
        }) => {
            assert!(file.ends_with("bad.toml"), "{file}");
            let lines: Vec<usize> = problems
                .iter()
                .map(|p| p.line_col(&source_text).map_or(0, |l| l.0))
                .collect();
            assert_eq!(lines, vec![3, 5], "{problems:?}");
            assert!(problems[1].message.contains("place-specific"));
        }
        other => panic!("expected located problems, got {other:?}"),
    }
}

#[test]
fn uncertain_draws_depend_on_seed_and_parameter_only() {
    let dir = tmp();
    let entry = "\n[[uncertain]]\npath = \"side.defender.lethality_per_day\"\ndistribution = \"triangular\"\nlow = 0.01\nmode = 0.02\nhigh = 0.05\n";
    let a = load(&tiny_with_doctrine(dir.path(), entry));
    let tiny = std::fs::read_to_string(root().join("scenarios/tiny.toml")).unwrap_or_default();
    let b_path = dir.path().join("b.toml");
    write(
        &b_path,
        &(tiny.replace("sorties_per_day = 4", "sorties_per_day = 12") + entry),
    );
    let b = load(&b_path);
    let (ia, ib) = (a.inputs.clone(), b.inputs.clone());
    let (ia, ib) = (
        ia.unwrap_or_else(|| panic!()),
        ib.unwrap_or_else(|| panic!()),
    );
    assert_eq!(ia.params[0].target, "side.red.lethality_per_day");
    for seed in 1..20 {
        // Common random numbers: both courses draw the same value on the same seed.
        assert_eq!(ia.draw(seed), ib.draw(seed));
        let v = ia.draw(seed)[0];
        assert!((0.01..=0.05).contains(&v), "{v}");
    }
    assert_ne!(ia.draw(1), ia.draw(2));
    // A run of a seed is the run of the scenario with that seed's draw.
    let r = runner(&a, Some(30), true);
    let result = r.run_seed(3).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        result.figures.last().copied().flatten(),
        Some(ia.draw(3)[0])
    );
    let fixed = ia
        .scenario_with(&ia.draw(3))
        .unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(fixed.sides[Side::Defender].lethality_per_day, ia.draw(3)[0]);
    let direct = phaseline::runner::ScenarioRunner {
        scenario: Arc::new(fixed),
        days: Some(30),
    }
    .run_seed(3)
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(result.figures[..direct.figures.len()], direct.figures[..]);
}

fn options(jobs: usize) -> SweepOptions {
    SweepOptions {
        jobs,
        shard: None,
        resume: false,
        force: false,
        progress: false,
    }
}

#[test]
fn backtest_scores_and_writes_the_same_bytes_for_any_jobs() {
    let dir = tmp();
    let loaded = load(&root().join("scenarios/tiny.toml"));
    // The capture days of the six seeds, from the runs themselves: the "record" is their median,
    // which the backtest must report as its p50 and find inside the band.
    let mut days: Vec<f64> = (1..=6)
        .map(|seed| {
            let out = phaseline::sim::simulate(Arc::new(loaded.scenario.clone()), seed, None)
                .unwrap_or_else(|e| panic!("{e}"));
            f64::from(
                out.summary
                    .capture_day
                    .unwrap_or_else(|| panic!("tiny not taken on seed {seed}")),
            )
        })
        .collect();
    days.sort_by(f64::total_cmp);
    let median = (days[2] + days[3]) / 2.0;
    let obs_path = dir.path().join("obs.toml");
    write(
        &obs_path,
        &format!(
            "[observed]\nname = \"t\"\n[[milestone]]\nid = \"cap\"\nmeasure = \"capture_day\"\nobserved = {median}\nplus_minus = 2\n[[milestone]]\nid = \"bridge\"\nmeasure = \"settlement_taken\"\nsettlement = \"bridge\"\nobserved = 40\n"
        ),
    );
    let obs = read_observations(&obs_path).unwrap_or_else(|e| panic!("{e}"));
    let seeds = SeedRange::new(1, 6).unwrap_or_else(|e| panic!("{e}"));
    let mut tables = Vec::new();
    for jobs in [1, 2] {
        let out = dir.path().join(format!("bt-{jobs}"));
        let opts = BacktestOptions {
            seeds,
            days: None,
            sweep: options(jobs),
        };
        tables.push(backtest(&loaded, &obs, &opts, &out).unwrap_or_else(|e| panic!("{e}")));
    }
    for f in [
        "backtest.csv",
        "backtest.json",
        "milestones.csv",
        "fan_milestones.svg",
        "briefing.html",
    ] {
        let a = std::fs::read(dir.path().join("bt-1").join(f)).unwrap_or_default();
        let b = std::fs::read(dir.path().join("bt-2").join(f)).unwrap_or_default();
        assert!(!a.is_empty() && a == b, "{f} differs across --jobs");
    }
    let t = tables[0].clone().unwrap_or_else(|| panic!("no table"));
    // Tiny takes Alpha on days 22 to 25 of these seeds and the Bridge on days 6 to 9.
    let cap = &t.milestones[0];
    assert!(cap.inside && cap.p50 == Some(median), "{cap:?} {days:?}");
    let bridge = &t.milestones[1];
    assert!(
        !bridge.inside && bridge.p95.is_some_and(|d| d < 10.0),
        "{bridge:?}"
    );
    assert_eq!(t.inside, 1);
}

#[test]
fn calibration_recovers_known_parameters() {
    let dir = tmp();
    let loaded = load(&root().join("tests/calibration/chain.toml"));
    let inputs = calibration_inputs(&loaded, None).unwrap_or_else(|e| panic!("{e}"));
    let truth = [8.0, 3.0];
    let scenario = Arc::new(
        inputs
            .scenario_with(&truth)
            .unwrap_or_else(|p| panic!("{p:?}")),
    );
    // The "record": the means of eight runs at the true values, on seeds the calibration never uses.
    let probe = parse_observations(
        "[[milestone]]\nid = \"v1\"\nmeasure = \"settlement_taken\"\nsettlement = \"v1\"\nobserved = 0\n[[milestone]]\nid = \"entered\"\nmeasure = \"objective_entered\"\nobserved = 0\n[[milestone]]\nid = \"capture\"\nmeasure = \"capture_day\"\nobserved = 0\n[[milestone]]\nid = \"losses\"\nmeasure = \"losses\"\nside = \"attacker\"\nobserved = 0\n",
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    let mut sums = [0.0; 4];
    for seed in 101..=108 {
        let out = phaseline::sim::simulate(scenario.clone(), seed, None)
            .unwrap_or_else(|e| panic!("{e}"));
        for (s, v) in sums.iter_mut().zip(probe.read(&out, &scenario)) {
            *s += v.unwrap_or_else(|| panic!("a milestone never came at the true values"));
        }
    }
    let obs_path = dir.path().join("truth.toml");
    let mut text = String::from("[observed]\nname = \"truth\"\ndiscrepancy_share = 0.05\n");
    // Days within ± 2, the attacker's losses (hundreds of fighters; their spread across seeds is
    // about 30) within ± 30.
    for ((id, measure, plus_minus), sum) in [
        (
            "v1",
            "measure = \"settlement_taken\"\nsettlement = \"v1\"",
            2,
        ),
        ("entered", "measure = \"objective_entered\"", 2),
        ("capture", "measure = \"capture_day\"", 2),
        ("losses", "measure = \"losses\"\nside = \"attacker\"", 30),
    ]
    .iter()
    .zip(sums)
    {
        text += &format!(
            "[[milestone]]\nid = \"{id}\"\n{measure}\nobserved = {}\nplus_minus = {plus_minus}\n",
            sum / 8.0
        );
    }
    write(&obs_path, &text);
    let obs = read_observations(&obs_path).unwrap_or_else(|e| panic!("{e}"));
    let seeds = SeedRange::new(1, 3).unwrap_or_else(|e| panic!("{e}"));
    let opts = CalibrateOptions {
        waves: 2,
        points: 16,
        sweep: options(0),
        ..CalibrateOptions::new(seeds)
    };
    let out = dir.path().join("cal");
    let outcome = calibrate(&loaded, &inputs, &obs, &opts, &out).unwrap_or_else(|e| panic!("{e}"));
    let r = &outcome.report;
    assert!(r.accepted > 0, "no accepted point: {:?}", r.waves);
    for (p, t) in r.parameters.iter().zip(truth) {
        let (lo, hi) = (
            p.posterior_low.unwrap_or(f64::NAN),
            p.posterior_high.unwrap_or(f64::NAN),
        );
        assert!(
            lo <= t && t <= hi,
            "{}: true {t} outside the accepted {lo}..{hi}",
            p.path
        );
        // The calibrated point is one of the accepted sets, so it lies inside their ranges.
        assert!(lo <= p.best && p.best <= hi, "{p:?}");
    }
    let sharpest = outcome
        .accepted
        .iter()
        .map(|p| p.mean_crps)
        .fold(f64::INFINITY, f64::min);
    assert!(
        r.best.accepted && r.best.mean_crps == sharpest,
        "{:?}",
        r.best
    );
    // Both signatures are sharp enough to narrow the priors (speed to about a quarter of its 90 %
    // prior range, defensibility to about two fifths, on the current model).
    for p in &r.parameters {
        assert_eq!(p.verdict, "pinned down", "{p:?}");
    }
    for f in [
        "points.csv",
        "accepted.csv",
        "calibration.json",
        "calibrated-doctrine.toml",
        "briefing.html",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let doctrine =
        std::fs::read_to_string(out.join("calibrated-doctrine.toml")).unwrap_or_default();
    assert!(doctrine.contains("not doctrine"), "{doctrine}");
}

#[test]
fn a_sweep_says_how_much_of_the_spread_comes_from_its_inputs() {
    let dir = tmp();
    let tiny = std::fs::read_to_string(root().join("scenarios/tiny.toml")).unwrap_or_default();
    let mut text = tiny;
    for unit in ["blue-1", "blue-2"] {
        text += &format!(
            "\n[[uncertain]]\npath = \"unit.{unit}.advance_speed_km_per_day\"\ndistribution = \"uniform\"\nlow = 2\nhigh = 25\n"
        );
    }
    let path = dir.path().join("tiny-uncertain.toml");
    write(&path, &text);
    let loaded = load(&path);
    let seeds = SeedRange::new(1, 16).unwrap_or_else(|e| panic!("{e}"));
    let identity = phaseline::ensemble::SweepIdentity {
        engine_version: "test".into(),
        scenario_sha256: loaded.sha256.clone(),
        scenario_name: "tiny".into(),
        seeds,
        overrides: vec![],
        design_sha256: None,
    };
    let out = dir.path().join("sweep");
    let r = runner(&loaded, Some(40), true);
    phaseline::calibration::inputs_share::run_sweep(&r, &identity, &options(2), &out)
        .unwrap_or_else(|e| panic!("{e}"));
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap_or_default();
    assert!(runs.lines().next().unwrap_or("").ends_with(
        "input:unit.blue-1.advance_speed_km_per_day,input:unit.blue-2.advance_speed_km_per_day"
    ));
    let agg: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("aggregate.json")).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        agg["figures"]["isolation_day"].is_object(),
        "the figures are kept"
    );
    let figures = agg["inputs"]["figures"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let iso = figures
        .iter()
        .find(|f| f["figure"] == "isolation_day")
        .unwrap_or_else(|| panic!("no isolation_day in {figures:?}"));
    let (inputs, chance) = (
        iso["from_inputs"].as_f64().unwrap_or(-1.0),
        iso["from_chance"].as_f64().unwrap_or(-1.0),
    );
    // The day Alpha is cut off is the march: the speeds explain most of its spread.
    assert!(inputs > 0.6, "{iso}");
    assert!((inputs + chance - 1.0).abs() < 1e-12);
}

#[test]
fn the_commands_exit_0_on_a_misfit_and_2_on_bad_observations() {
    use crate::proc::{assert_refused, ok_in, run_in, scenario};
    let dir = tmp();
    let obs = dir.path().join("obs.toml");
    write(
        &obs,
        "[observed]\nname = \"t\"\n[[milestone]]\nid = \"cap\"\nmeasure = \"capture_day\"\nobserved = 100\nplus_minus = 2\n",
    );
    let tiny = scenario("tiny.toml");
    let (tiny, obs_arg) = (tiny.to_string_lossy(), obs.to_string_lossy());
    // Tiny takes Alpha in its third or fourth week, not on day 100: a misfit, and still exit 0 with the one-line summary.
    let out = ok_in(
        dir.path(),
        &[
            "backtest",
            &tiny,
            "--observed",
            &obs_arg,
            "--seeds",
            "1..3",
            "--out",
            "bt",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Backtest: 0/1 milestones inside"), "{text}");
    assert!(dir.path().join("bt/backtest.csv").is_file());
    // A milestone naming a settlement tiny lacks: refused at its line, nothing written.
    write(
        &obs,
        "[observed]\nname = \"t\"\n[[milestone]]\nid = \"x\"\nmeasure = \"settlement_taken\"\nsettlement = \"nowhere\"\nobserved = 5\n",
    );
    let out = run_in(
        dir.path(),
        &[
            "backtest",
            &tiny,
            "--observed",
            &obs_arg,
            "--seeds",
            "1..3",
            "--out",
            "bt2",
        ],
    );
    assert_refused(
        &out,
        2,
        "obs.toml:3:1: error: milestone `x`: the scenario has no settlement `nowhere`",
    );
    assert!(!dir.path().join("bt2/backtest.csv").exists());
    // Nothing to calibrate: tiny declares no [[uncertain]] and no priors are given.
    let out = run_in(
        dir.path(),
        &["calibrate", &tiny, "--observed", &obs_arg, "--out", "cal"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", crate::proc::stderr(&out));
}

/// tests/calibration/chain.toml with its uncertain inputs, and one observation (the objective
/// entered on day 23 ± 4) written into `dir`: a calibration that takes seconds.
fn chain_with_entry_observed(
    dir: &Path,
) -> (
    LoadedScenario,
    phaseline::calibration::uncertain::UncertainInputs,
    phaseline::calibration::observed::Observations,
) {
    let loaded = load(&root().join("tests/calibration/chain.toml"));
    let inputs = calibration_inputs(&loaded, None).unwrap_or_else(|e| panic!("{e}"));
    let obs_path = dir.join("obs.toml");
    write(
        &obs_path,
        "[observed]\nname = \"t\"\n[[milestone]]\nid = \"entered\"\nmeasure = \"objective_entered\"\nobserved = 23\nplus_minus = 4\n",
    );
    let obs = read_observations(&obs_path).unwrap_or_else(|e| panic!("{e}"));
    (loaded, inputs, obs)
}

#[test]
fn calibration_files_are_the_same_bytes_for_any_jobs() {
    let dir = tmp();
    let (loaded, inputs, obs) = chain_with_entry_observed(dir.path());
    let seeds = SeedRange::new(1, 2).unwrap_or_else(|e| panic!("{e}"));
    for jobs in [1, 2] {
        let opts = CalibrateOptions {
            waves: 2,
            points: 6,
            sweep: options(jobs),
            ..CalibrateOptions::new(seeds)
        };
        calibrate(
            &loaded,
            &inputs,
            &obs,
            &opts,
            &dir.path().join(format!("c{jobs}")),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    for f in [
        "points.csv",
        "accepted.csv",
        "calibration.json",
        "calibrated-doctrine.toml",
        "briefing.html",
    ] {
        let a = std::fs::read(dir.path().join("c1").join(f)).unwrap_or_default();
        let b = std::fs::read(dir.path().join("c2").join(f)).unwrap_or_default();
        assert!(!a.is_empty() && a == b, "{f} differs across --jobs");
    }
}

#[test]
fn a_confirmation_stage_rescores_the_best_accepted_points_on_more_seeds() {
    // The chain of `calibration_files_are_the_same_bytes_for_any_jobs`: its three best accepted
    // points run again on seeds 1..6: the calibrated point is the one that scores best there, the
    // report says so, and the stage is the same bytes for any --jobs.
    use phaseline::calibration::calibrate::{CONFIRM_RULE, Confirm};
    let dir = tmp();
    let (loaded, inputs, obs) = chain_with_entry_observed(dir.path());
    let seeds = SeedRange::new(1, 2).unwrap_or_else(|e| panic!("{e}"));
    let confirm_seeds = SeedRange::new(1, 6).unwrap_or_else(|e| panic!("{e}"));
    let mut reports = Vec::new();
    for jobs in [1, 2] {
        let opts = CalibrateOptions {
            waves: 2,
            points: 6,
            sweep: options(jobs),
            confirm: Some(Confirm {
                top: 3,
                seeds: confirm_seeds,
            }),
            ..CalibrateOptions::new(seeds)
        };
        let out = dir.path().join(format!("c{jobs}"));
        let outcome =
            calibrate(&loaded, &inputs, &obs, &opts, &out).unwrap_or_else(|e| panic!("{e}"));
        assert!(out.join("confirm").is_dir(), "the stage's journal folder");
        let r = &outcome.report;
        let c = r
            .confirmation
            .as_ref()
            .unwrap_or_else(|| panic!("no confirmation: {} accepted", r.accepted));
        assert_eq!(c.seeds, "1..6");
        assert_eq!(c.candidates.len(), outcome.accepted.len().min(3));
        // The candidates are the accepted points best on the waves' seeds, in that order.
        let mut waves_best: Vec<f64> = outcome.accepted.iter().map(|p| p.mean_crps).collect();
        waves_best.sort_by(f64::total_cmp);
        let theirs: Vec<f64> = c.candidates.iter().map(|p| p.design_mean_crps).collect();
        assert_eq!(theirs, waves_best[..theirs.len()].to_vec());
        // The calibrated point is the candidate with the lowest score on the confirmation seeds.
        let lowest = c
            .candidates
            .iter()
            .min_by(|a, b| a.mean_crps.total_cmp(&b.mean_crps))
            .map(|p| (p.wave, p.point));
        assert_eq!(lowest, Some((r.best.wave, r.best.point)));
        assert_eq!(r.best_rule, CONFIRM_RULE);
        let text = phaseline::calibration::calibrated::report_text(r);
        assert!(text.contains("confirmation on seeds 1..6"), "{text}");
        reports.push(std::fs::read(out.join("calibration.json")).unwrap_or_default());
    }
    assert!(
        !reports[0].is_empty() && reports[0] == reports[1],
        "differs across --jobs"
    );
}
