//! Tests of the entry points on hand-written fixture folders: files written, PNG size and
//! content, SVG texts, byte-identical redraws, edge cases and error reporting.

use std::fs;
use std::path::{Path, PathBuf};

use super::{
    ChartError, draw_compare_charts, draw_farm_charts, draw_run_charts, draw_sweep_charts,
};
use support::{assert_deterministic, assert_svg_has, check_written, tempdir};

mod farm;
mod fixtures;
mod support;

const FOOTER_RUN: &str = "raqqa · sha256 0123456789ab · seed 7 · phaseline 0.1.0";

const RUN_STEMS: [&str; 5] = ["campaign", "civilians", "control", "forces", "map"];
const SWEEP_STEMS: [&str; 4] = [
    "dist_capture_day",
    "dist_isolation_day",
    "fan_isolation",
    "fan_villages",
];
const COMPARE_STEMS: [&str; 2] = ["compare_diff", "compare_isolation"];

#[test]
fn run_charts_are_written_sized_and_not_blank() {
    let dir = tempdir();
    fixtures::run(dir.path());
    let paths = draw_run_charts(dir.path()).expect("draw run charts");
    check_written(dir.path(), &paths, &RUN_STEMS);
}

#[test]
fn run_svgs_carry_title_axis_labels_and_footer() {
    let dir = tempdir();
    fixtures::run(dir.path());
    draw_run_charts(dir.path()).expect("draw run charts");
    let d = dir.path();
    assert_svg_has(
        d,
        "campaign",
        &[
            "Raqqa: isolation index, seed 7",
            "day of the campaign",
            "isolation index (0 = open, 1 = cut off)",
            "isolated: day 20",
            "Clear, then hold",
            FOOTER_RUN,
        ],
    );
    assert_svg_has(
        d,
        "control",
        &[
            "settlements",
            "held by SDF (attacker)",
            "contested",
            FOOTER_RUN,
        ],
    );
    assert_svg_has(
        d,
        "forces",
        &[
            "strength (fighters)",
            "supply on hand (days)",
            "ISIS (defender)",
            FOOTER_RUN,
        ],
    );
    assert_svg_has(
        d,
        "map",
        &[
            "Start · day 0",
            "Clear, then hold · day 12",
            "End · day 30",
            "Raqqa",
            FOOTER_RUN,
        ],
    );
    assert_svg_has(
        d,
        "civilians",
        &["people displaced", "civilian harm index", FOOTER_RUN],
    );
}

#[test]
fn run_charts_are_byte_identical_when_redrawn() {
    assert_deterministic(fixtures::run, draw_run_charts);
}

#[test]
fn sweep_charts_are_written_labelled_and_deterministic() {
    let dir = tempdir();
    fixtures::sweep(dir.path());
    let paths = draw_sweep_charts(dir.path()).expect("draw sweep charts");
    check_written(dir.path(), &paths, &SWEEP_STEMS);
    let footer = "raqqa · sha256 0123456789ab · seeds 1..20 · phaseline 0.1.0";
    let d = dir.path();
    assert_svg_has(
        d,
        "fan_isolation",
        &[
            "Raqqa: isolation index across seeds 1–20",
            "day of the campaign",
            "middle 90% of seeds",
            footer,
        ],
    );
    assert_svg_has(d, "fan_villages", &["villages (held or cleared)", footer]);
    assert_svg_has(
        d,
        "dist_isolation_day",
        &[
            "never reached in 5 of 20 seeds, 25%",
            "seeds (%)",
            "median of those that got there: day 18",
            footer,
        ],
    );
    assert_svg_has(
        d,
        "dist_capture_day",
        &["never reached in 16 of 20 seeds, 80%", footer],
    );
    assert_deterministic(fixtures::sweep, draw_sweep_charts);
}

#[test]
fn compare_charts_are_written_labelled_and_deterministic() {
    let dir = tempdir();
    fixtures::compare(dir.path());
    let paths = draw_compare_charts(dir.path()).expect("draw compare charts");
    check_written(dir.path(), &paths, &COMPARE_STEMS);
    let footer = "raqqa · sha256 0123456789ab · seeds 1..12 · phaseline 0.1.0";
    let d = dir.path();
    assert_svg_has(
        d,
        "compare_isolation",
        &[
            "Raqqa (A) vs Raqqa-east (B): isolation index, seeds 1–12",
            "day of the campaign",
            footer,
        ],
    );
    assert_svg_has(
        d,
        "compare_diff",
        &[
            "paired difference B − A",
            "isolation day (n=12)",
            "Days (B − A; negative: sooner)",
            "each row on its own scale",
            "+73 [+65, +81]",
            "mean A 765 → B 838; mean +10%",
            "not shown, no seed where both courses have it: capture day",
            footer,
        ],
    );
    assert_deterministic(fixtures::compare, draw_compare_charts);
}

#[test]
fn the_map_draws_rivers_and_borders_with_legend_entries() {
    let dir = tempdir();
    fixtures::run(dir.path());
    let path = dir.path().join("snapshots.json");
    let snapshots = fs::read_to_string(&path).expect("read");
    let features = r#""features": [
    {"name": "Euphrates", "kind": "river", "points": [[36.8, 38.0], [35.93, 39.02], [35.3, 40.2], [34.4, 41.0]]},
    {"name": "Syria-Iraq border", "kind": "border", "points": [[37.0, 42.3], [35.5, 41.2]]}
  ],
  "frames":"#;
    fs::write(&path, snapshots.replacen("\"frames\":", features, 1)).expect("write");
    let paths = draw_run_charts(dir.path()).expect("draw");
    check_written(dir.path(), &paths, &RUN_STEMS);
    assert_svg_has(
        dir.path(),
        "map",
        &["Euphrates (river)", "Syria-Iraq border", "Raqqa"],
    );
}

#[test]
fn a_run_with_no_rows_draws_labelled_empty_charts() {
    let dir = tempdir();
    fixtures::run(dir.path());
    fs::write(
        dir.path().join("timeseries.csv"),
        format!("{}\n", fixtures::TIMESERIES_HEADER),
    )
    .expect("write");
    let paths = draw_run_charts(dir.path()).expect("draw");
    check_written(dir.path(), &paths, &RUN_STEMS);
    assert_svg_has(
        dir.path(),
        "campaign",
        &["no rows in timeseries.csv", FOOTER_RUN],
    );
}

#[test]
fn a_single_day_and_nan_values_draw_without_panicking() {
    let dir = tempdir();
    fixtures::run(dir.path());
    let ts = format!(
        "{}\n{}\n",
        fixtures::TIMESERIES_HEADER,
        fixtures::timeseries_row(0)
    );
    fs::write(dir.path().join("timeseries.csv"), ts).expect("write");
    draw_run_charts(dir.path()).expect("single day");

    let mut ts = format!("{}\n", fixtures::TIMESERIES_HEADER);
    for day in 0..=10 {
        // Days below 12 have no quoted comma, so splitting on ',' finds the columns.
        let mut cells: Vec<String> = fixtures::timeseries_row(day)
            .split(',')
            .map(String::from)
            .collect();
        if day == 4 {
            cells[3] = "NaN".into(); // isolation_index
            cells[5] = "NaN".into(); // attacker_strength
        }
        if day == 5 {
            cells[3].clear();
            cells[9].clear(); // attacker_held
        }
        ts.push_str(&cells.join(","));
        ts.push('\n');
    }
    fs::write(dir.path().join("timeseries.csv"), ts).expect("write");
    let paths = draw_run_charts(dir.path()).expect("nan and empty cells");
    check_written(dir.path(), &paths, &RUN_STEMS);
}

#[test]
fn a_sweep_where_nothing_ever_happened_draws() {
    let dir = tempdir();
    fixtures::sweep(dir.path());
    let runs: String = (1..=5).map(|s| format!("{s},,,0.4,1,2\n")).collect();
    fs::write(dir.path().join("runs.csv"), format!("seed,isolation_day,capture_day,final_isolation_index,attacker_losses,defender_losses\n{runs}")).expect("write");
    fs::write(dir.path().join("aggregate.json"), "{}").expect("write");
    let paths = draw_sweep_charts(dir.path()).expect("draw");
    check_written(dir.path(), &paths, &SWEEP_STEMS);
    assert_svg_has(
        dir.path(),
        "dist_capture_day",
        &[
            "never reached in 5 of 5 seeds, 100%",
            "never reached in any seed",
        ],
    );

    fs::write(
        dir.path().join("runs.csv"),
        "seed,isolation_day,capture_day\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("bands.csv"),
        "day,series,p5,p25,p50,p75,p95,mean\n",
    )
    .expect("write");
    let paths = draw_sweep_charts(dir.path()).expect("draw empty sweep");
    check_written(dir.path(), &paths, &SWEEP_STEMS);
    assert_svg_has(
        dir.path(),
        "fan_isolation",
        &["no rows for this series in bands.csv"],
    );
}

#[test]
fn empty_comparisons_and_maps_draw_labelled_charts() {
    let dir = tempdir();
    fixtures::compare(dir.path());
    let bands = "day,series,p5,p25,p50,p75,p95,mean\n";
    fs::write(dir.path().join("a_bands.csv"), bands).expect("write");
    fs::write(dir.path().join("b_bands.csv"), bands).expect("write");
    fs::write(dir.path().join("pairs.csv"), "seed,figure,a,b,diff\n").expect("write");
    let comparison =
        r#"{"a": {"scenario_name": "raqqa"}, "b": {"scenario_name": "raqqa-east"}, "figures": {}}"#;
    fs::write(dir.path().join("comparison.json"), comparison).expect("write");
    let paths = draw_compare_charts(dir.path()).expect("draw empty comparison");
    check_written(dir.path(), &paths, &COMPARE_STEMS);
    assert_svg_has(dir.path(), "compare_diff", &["no figure to show"]);

    let run = tempdir();
    fixtures::run(run.path());
    let snapshots = r#"{"sides": [], "settlements": [], "routes": [], "frames": []}"#;
    fs::write(run.path().join("snapshots.json"), snapshots).expect("write");
    let summary = r#"{"isolation_day": 900, "capture_day": -4, "phases": []}"#;
    fs::write(run.path().join("summary.json"), summary).expect("write");
    let paths = draw_run_charts(run.path()).expect("draw run without map data");
    check_written(run.path(), &paths, &RUN_STEMS);
    assert_svg_has(
        run.path(),
        "map",
        &["no settlements or frames in snapshots.json"],
    );
    assert_svg_has(run.path(), "control", &["held by attacker"]);
}

#[test]
fn a_missing_file_is_a_read_error_naming_it() {
    let dir = tempdir();
    fixtures::run(dir.path());
    fs::remove_file(dir.path().join("summary.json")).expect("remove");
    match draw_run_charts(dir.path()) {
        Err(ChartError::Read { path, .. }) => assert!(path.ends_with("summary.json")),
        other => panic!("expected a read error, got {other:?}"),
    }
    let empty = tempdir();
    assert!(matches!(
        draw_sweep_charts(empty.path()),
        Err(ChartError::Read { .. })
    ));
    assert!(matches!(
        draw_compare_charts(empty.path()),
        Err(ChartError::Read { .. })
    ));
}

#[test]
fn malformed_inputs_are_reported_with_file_and_place() {
    let dir = tempdir();
    fixtures::run(dir.path());
    let ts = format!(
        "{}\n{}\n",
        fixtures::TIMESERIES_HEADER,
        fixtures::timeseries_row(0).replacen(",0,", ",zero,", 1)
    );
    fs::write(dir.path().join("timeseries.csv"), ts).expect("write");
    match draw_run_charts(dir.path()) {
        Err(ChartError::Malformed { path, what }) => {
            assert!(path.ends_with("timeseries.csv"));
            assert!(what.contains("row 2"), "{what}");
        }
        other => panic!("expected malformed, got {other:?}"),
    }

    fixtures::run(dir.path());
    let snap = fs::read_to_string(dir.path().join("snapshots.json")).expect("read");
    let snap = snap.replacen(
        r#""routes": ["open", "open", "open", "open", "open", "open"]"#,
        r#""routes": ["open"]"#,
        1,
    );
    fs::write(dir.path().join("snapshots.json"), snap).expect("write");
    match draw_run_charts(dir.path()) {
        Err(ChartError::Malformed { path, .. }) => assert!(path.ends_with("snapshots.json")),
        other => panic!("expected malformed snapshots, got {other:?}"),
    }

    fixtures::run(dir.path());
    fs::write(
        dir.path().join("timeseries.csv"),
        "day,date\n0,2016-11-05\n",
    )
    .expect("write");
    let err = draw_run_charts(dir.path()).expect_err("missing columns");
    assert!(err.to_string().contains("no column `phase`"), "{err}");
}

#[test]
#[ignore = "writes sample folders for looking at the charts"]
fn write_samples() {
    let root = PathBuf::from(std::env::var("CHART_SAMPLES").expect("CHART_SAMPLES"));
    for (name, make, draw) in [
        (
            "run",
            fixtures::run as fn(&Path),
            draw_run_charts as fn(&Path) -> Result<Vec<PathBuf>, ChartError>,
        ),
        ("sweep", fixtures::sweep, draw_sweep_charts),
        ("compare", fixtures::compare, draw_compare_charts),
        ("farm", fixtures::farm, draw_farm_charts),
    ] {
        let dir = root.join(name);
        fs::create_dir_all(&dir).expect("mkdir");
        make(&dir);
        draw(&dir).expect("draw");
    }
}
