//! Tests of [`draw_farm_charts`] on the farm fixture: both charts for every outcome, labelled and
//! byte-identical on redraw; empty but labelled charts where coefficients are null; malformed
//! `sensitivity.json` and `runs.csv` refused with the file named, and unsafe outcome ids refused.

use std::fs;
use std::path::Path;

use super::super::{ChartError, draw_farm_charts};
use super::fixtures;
use super::support::{assert_deterministic, assert_svg_has, check_written, tempdir};

const FOOTER: &str = "raqqa · sha256 0123456789ab · seeds 1..5 · phaseline 0.1.0";

const STEMS: [&str; 6] = [
    "top_factor_capture_day",
    "top_factor_isolation_day",
    "top_factor_isolation_reached",
    "tornado_capture_day",
    "tornado_isolation_day",
    "tornado_isolation_reached",
];

/// Rewrites `sensitivity.json` in `dir` with `from` replaced by `to` (which must be there).
fn edit_sensitivity(dir: &Path, from: &str, to: &str) {
    let path = dir.join("sensitivity.json");
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "fixture lacks {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn expect_malformed(dir: &Path, file: &str, needle: &str) {
    match draw_farm_charts(dir) {
        Err(ChartError::Malformed { path, what }) => {
            assert!(path.ends_with(file), "{} is not {file}", path.display());
            assert!(what.contains(needle), "{what:?} lacks {needle:?}");
        }
        other => panic!("expected malformed {file}, got {other:?}"),
    }
}

#[test]
fn farm_charts_are_written_for_every_outcome_labelled_and_deterministic() {
    let dir = tempdir();
    fixtures::farm(dir.path());
    let paths = draw_farm_charts(dir.path()).expect("draw farm charts");
    check_written(dir.path(), &paths, &STEMS);
    let d = dir.path();
    assert_svg_has(
        d,
        "tornado_isolation_day",
        &[
            "Raqqa: what drives the isolation day",
            "60 runs (12 points × 5 seeds)",
            "runs never reached it: ranked after every day",
            "R² 0.71",
            "Latin hypercube design, largest factor correlation |r| 0.04 (sorties, garrison)",
            "standardized rank regression coefficient (SRRC)",
            "raising the factor makes it later",
            "sorties",
            "air.sorties_per_day",
            "−0.78  [−0.86, −0.70]",
            FOOTER,
        ],
    );
    assert_svg_has(
        d,
        "tornado_isolation_reached",
        &[
            "what drives whether isolation happens at all",
            "makes it more likely",
            "R² 0.38",
        ],
    );
    assert_svg_has(
        d,
        "tornado_capture_day",
        &[
            "no coefficients: every run censored: the event never happened",
            "none of the 60 runs reached it",
            "n/a",
            "garrison",
            FOOTER,
        ],
    );
    assert_svg_has(
        d,
        "top_factor_isolation_day",
        &[
            "Raqqa: isolation day against sorties",
            "top factor sorties: SRRC −0.78 (95% CI −0.86 to −0.70)",
            "sorties (air.sorties_per_day)",
            "never",
            "23 runs",
            FOOTER,
        ],
    );
    assert_svg_has(
        d,
        "top_factor_isolation_reached",
        &[
            "how often isolation happens, against sorties",
            "runs where isolation happens (%)",
        ],
    );
    assert_svg_has(
        d,
        "top_factor_capture_day",
        &["no top factor: every run censored", FOOTER],
    );
    assert_deterministic(fixtures::farm, draw_farm_charts);
}

#[test]
fn farm_edge_cases_draw_labelled_charts() {
    let dir = tempdir();
    fixtures::farm(dir.path());
    // An interval beyond the axis is clamped, an effect without one is still drawn.
    edit_sensitivity(dir.path(), r#""ci95_low": -0.86"#, r#""ci95_low": -1.3"#);
    edit_sensitivity(dir.path(), r#""ci95_high": 0.07"#, r#""ci95_high": null"#);
    let paths = draw_farm_charts(dir.path()).expect("draw clamped");
    check_written(dir.path(), &paths, &STEMS);
    assert_svg_has(
        dir.path(),
        "tornado_isolation_day",
        &["[−1.30, −0.70]", "(no interval)"],
    );

    // No factors at all, and no outcomes at all: labelled charts, then nothing to draw.
    fixtures::farm(dir.path());
    let text = fs::read_to_string(dir.path().join("sensitivity.json")).expect("read");
    let start = text.find(r#""factors": ["#).expect("factors");
    let end = text[start..].find(']').expect("end") + start + 1;
    let mut bare = format!("{}\"factors\": []{}", &text[..start], &text[end..]);
    while let Some(start) = bare.find(r#""effects": [{"#) {
        let end = bare[start..].find("}]").expect("end") + start + 2;
        bare = format!("{}\"effects\": []{}", &bare[..start], &bare[end..]);
    }
    let bare = bare.replace(
        r#""ranking": ["sorties", "garrison", "lethality"]"#,
        r#""ranking": []"#,
    );
    fs::write(dir.path().join("sensitivity.json"), &bare).expect("write");
    let paths = draw_farm_charts(dir.path()).expect("draw without factors");
    check_written(dir.path(), &paths, &STEMS);
    assert_svg_has(
        dir.path(),
        "tornado_isolation_day",
        &["no factors in sensitivity.json"],
    );

    let empty = tempdir();
    fixtures::farm(empty.path());
    let text = fs::read_to_string(empty.path().join("sensitivity.json")).expect("read");
    let start = text.find(r#""outcomes": ["#).expect("outcomes");
    fs::write(
        empty.path().join("sensitivity.json"),
        format!("{}\"outcomes\": []}}", &text[..start]),
    )
    .expect("write");
    assert_eq!(
        draw_farm_charts(empty.path()).expect("no outcomes"),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn a_malformed_sensitivity_file_is_refused_naming_it() {
    let dir = tempdir();
    fixtures::farm(dir.path());
    fs::write(
        dir.path().join("sensitivity.json"),
        r#"{"format": "phaseline-farm/1", "#,
    )
    .expect("write");
    expect_malformed(dir.path(), "sensitivity.json", "EOF");

    fixtures::farm(dir.path());
    edit_sensitivity(dir.path(), r#""kind": "reached""#, r#""kind": "sometimes""#);
    expect_malformed(dir.path(), "sensitivity.json", "sometimes");

    fixtures::farm(dir.path());
    edit_sensitivity(dir.path(), "phaseline-farm/1", "phaseline-farm/9");
    expect_malformed(dir.path(), "sensitivity.json", "phaseline-farm/9");

    fixtures::farm(dir.path());
    edit_sensitivity(
        dir.path(),
        r#"["sorties", "garrison", "lethality"]"#,
        r#"["sorties", "morale"]"#,
    );
    expect_malformed(dir.path(), "sensitivity.json", "morale");
}

#[test]
fn an_outcome_id_that_is_no_plain_file_name_is_refused() {
    for id in ["../isolation_day", "isolation/day", "isolation day", ""] {
        let dir = tempdir();
        fixtures::farm(dir.path());
        edit_sensitivity(
            dir.path(),
            r#""outcome": "isolation_day""#,
            &format!(r#""outcome": "{id}""#),
        );
        expect_malformed(dir.path(), "sensitivity.json", "outcomes[0]");
        let written: Vec<_> = fs::read_dir(dir.path())
            .expect("read dir")
            .filter_map(Result::ok)
            .filter(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x == "png" || x == "svg")
            })
            .collect();
        assert!(written.is_empty(), "{id:?}: charts written: {written:?}");
    }
    let dir = tempdir();
    fixtures::farm(dir.path());
    edit_sensitivity(
        dir.path(),
        r#""outcome": "capture_day""#,
        r#""outcome": "isolation_day""#,
    );
    expect_malformed(dir.path(), "sensitivity.json", "repeated");
}

#[test]
fn runs_without_a_needed_column_or_with_a_bad_point_are_refused() {
    let dir = tempdir();
    fixtures::farm(dir.path());
    let runs = fs::read_to_string(dir.path().join("runs.csv")).expect("read");
    fs::write(
        dir.path().join("runs.csv"),
        runs.replacen("garrison", "garrisons", 1),
    )
    .expect("write");
    expect_malformed(dir.path(), "runs.csv", "no column `garrison`");

    fs::write(
        dir.path().join("runs.csv"),
        runs.replacen("\n0,1,", "\nzero,1,", 1),
    )
    .expect("write");
    expect_malformed(dir.path(), "runs.csv", "row 2");

    // A factor's value is never missing: an empty cell is refused, not drawn at the axis.
    let mut lines: Vec<String> = runs.lines().map(String::from).collect();
    let mut cells: Vec<&str> = lines[3].split(',').collect();
    cells[2] = "";
    lines[3] = cells.join(",");
    fs::write(dir.path().join("runs.csv"), lines.join("\n")).expect("write");
    expect_malformed(dir.path(), "runs.csv", "row 4, column `sorties`");
}
