//! Comparisons: identical runners, a shifted one, refusals.

use std::fs;

use super::*;

#[test]
fn compare_identical_runners_finds_no_difference() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, id) = (Mock::default(), Mock::default(), identity("1..30"));
    let c = compare(
        arm(&a, &id),
        arm(&b, &id),
        &CompareOptions {
            jobs: 2,
            ..Default::default()
        },
        tmp.path(),
    )
    .unwrap();
    for (_, f) in &c.figures {
        assert_eq!(
            (f.mean_diff, f.sd_diff, f.significant),
            (Some(0.0), Some(0.0), false)
        );
    }
    let verdict = isolation_verdict(&c);
    assert!(
        verdict.starts_with("No significant difference"),
        "{verdict}"
    );
    assert!(verdict.contains("censored"), "{verdict}");
    let pairs = fs::read_to_string(tmp.path().join("pairs.csv")).unwrap();
    assert_eq!(pairs.lines().next(), Some("seed,figure,a,b,diff"));
    assert_eq!(pairs.lines().count(), 1 + 30 * 4);
    assert!(
        pairs
            .lines()
            .skip(1)
            .all(|l| l.ends_with(",0") || l.ends_with(",,")),
        "{pairs}"
    );
    assert_eq!(
        fs::read(tmp.path().join("a_bands.csv")).unwrap(),
        fs::read(tmp.path().join("b_bands.csv")).unwrap()
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(tmp.path().join("comparison.json")).unwrap()).unwrap();
    assert_eq!(json["a"]["seeds"], "1..30");
    assert_eq!(json["figures"]["isolation_day"]["significant"], false);
}

#[test]
fn compare_names_the_sooner_course_of_action() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (
        Mock::default(),
        Mock {
            shift: -5.0,
            ..Mock::default()
        },
    );
    let (ia, ib) = (
        identity("1..30"),
        SweepIdentity {
            scenario_name: "c2-first".into(),
            ..identity("1..30")
        },
    );
    let c = compare(
        arm(&a, &ia),
        arm(&b, &ib),
        &CompareOptions::default(),
        tmp.path(),
    )
    .unwrap();
    let f = c.figure("isolation_day").unwrap();
    assert_eq!((f.mean_diff, f.significant), (Some(-5.0), true));
    let verdict = isolation_verdict(&c);
    assert!(
        verdict
            .starts_with("B (c2-first) isolates the objective sooner than A (mock): by 5.0 days"),
        "{verdict}"
    );

    let err = compare(
        arm(&a, &ia),
        arm(&b, &ib),
        &CompareOptions::default(),
        tmp.path(),
    )
    .unwrap_err();
    assert!(matches!(err, EnsembleError::OutputExists { .. }));
    let other = identity("1..31");
    let err = compare(
        arm(&a, &ia),
        arm(&b, &other),
        &CompareOptions::default(),
        tmp.path(),
    )
    .unwrap_err();
    assert!(matches!(err, EnsembleError::SeedsDiffer { .. }));
}
