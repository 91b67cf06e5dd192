//! Merges: uneven shards, and every refusal.

use std::fs;

use super::*;

#[test]
fn more_shards_than_seeds_still_merge() {
    let tmp = tempfile::tempdir().unwrap();
    run_sweep(
        &Mock::default(),
        &identity("7..9"),
        &options(1, None),
        &tmp.path().join("all"),
    )
    .unwrap();
    let shards = run_shards(&tmp.path().join("sh"), "7..9", 5);
    merge(&shards, &tmp.path().join("sh")).unwrap();
    assert!(read_results(&tmp.path().join("sh")) == read_results(&tmp.path().join("all")));
}

#[test]
fn merge_refuses_mismatched_missing_and_duplicate_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("sh");
    let mut dirs = run_shards(&root, "1..40", 4);
    dirs.sort();
    let out = tmp.path().join("out");

    let err = merge(&[&dirs[0], &dirs[1], &dirs[3]], &out).unwrap_err();
    assert!(
        matches!(&err, EnsembleError::MissingShards { count: 4, missing } if missing == "2"),
        "{err}"
    );

    let copy = tmp.path().join("copy-of-1");
    fs::create_dir(&copy).unwrap();
    for f in [SHARD_HEADER_FILE, JOURNAL_FILE] {
        fs::copy(dirs[1].join(f), copy.join(f)).unwrap();
    }
    let mut with_copy = dirs.clone();
    with_copy.push(copy);
    let err = merge(&with_copy, &out).unwrap_err();
    assert!(
        matches!(&err, EnsembleError::DuplicateShard { index: 1, .. }),
        "{err}"
    );

    let other = tmp.path().join("other-2");
    let id = SweepIdentity {
        engine_version: "0.2.0".into(),
        ..identity("1..40")
    };
    run_sweep(&Mock::default(), &id, &options(1, Some("2/4")), &other).unwrap();
    let err = merge(&[&dirs[0], &dirs[1], &other, &dirs[3]], &out).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            &err,
            EnsembleError::IdentityMismatch {
                field: "engine_version",
                ..
            }
        ),
        "{err}"
    );
    assert!(text.contains("expected 0.1.0, found 0.2.0"), "{text}");

    let other_n = tmp.path().join("other-n");
    run_sweep(
        &Mock::default(),
        &identity("1..40"),
        &options(1, Some("2/5")),
        &other_n,
    )
    .unwrap();
    let err = merge(&[&dirs[0], &other_n], &out).unwrap_err();
    assert!(
        matches!(
            &err,
            EnsembleError::IdentityMismatch {
                field: "shard count",
                ..
            }
        ),
        "{err}"
    );

    let kept = tear_journal(&dirs[2], 3);
    let err = merge(&dirs, &out).unwrap_err();
    assert!(
        matches!(
            &err,
            EnsembleError::MissingSeeds {
                index: 2,
                count: 7,
                ..
            }
        ),
        "{err}"
    );
    let first_missing = (21..=30).find(|s| !kept.contains(s)).unwrap();
    assert!(
        err.to_string()
            .contains(&format!("lacks 7 seeds: {first_missing}")),
        "{err}"
    );

    let err = merge(&[tmp.path()], &out).unwrap_err();
    assert!(matches!(err, EnsembleError::NotAShard { .. }), "{err}");
    assert!(matches!(
        merge::<&Path>(&[], &out),
        Err(EnsembleError::NoShards)
    ));
    assert!(!out.join("runs.csv").exists());
}
