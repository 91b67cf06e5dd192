//! Sweeps: identical bytes across jobs and shards, censoring, resume, failures, refusals.

use std::sync::atomic::Ordering;

use std::fs;

use super::*;

#[test]
fn results_are_identical_across_jobs_and_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let id = identity("3..62");
    let one = run_sweep(
        &Mock::default(),
        &id,
        &options(1, None),
        &tmp.path().join("j1"),
    )
    .unwrap();
    assert_eq!((one.ran, one.resumed, one.files.len()), (60, 0, 3));
    run_sweep(
        &Mock::default(),
        &id,
        &options(2, None),
        &tmp.path().join("j2"),
    )
    .unwrap();
    run_sweep(
        &Mock::default(),
        &id,
        &options(0, None),
        &tmp.path().join("j0"),
    )
    .unwrap();
    let shards = run_shards(&tmp.path().join("sh"), "3..62", 4);
    assert!(!shards[0].join("runs.csv").exists() && shards[0].join("shard.json").exists());
    let merged = merge(&shards, &tmp.path().join("sh")).unwrap();
    assert_eq!(
        (merged.seeds.to_string(), merged.shards),
        ("3..62".to_owned(), 4)
    );

    let want = read_results(&tmp.path().join("j1"));
    for dir in ["j2", "j0", "sh"] {
        assert!(
            read_results(&tmp.path().join(dir)) == want,
            "{dir} differs from jobs=1"
        );
    }
    let runs = String::from_utf8(want[0].clone()).unwrap();
    let mut lines = runs.lines();
    assert_eq!(
        lines.next(),
        Some("seed,isolation_day,capture_day,final_isolation_index,\"phase_start_Clear, hold\"")
    );
    assert!(lines.next().unwrap().starts_with("3,"));
    assert_eq!(runs.lines().count(), 61);
    let bands = String::from_utf8(want[1].clone()).unwrap();
    assert_eq!(
        bands.lines().next(),
        Some("day,series,p5,p25,p50,p75,p95,mean")
    );
    assert!(bands.contains("\n0,\"phase \"\"x\"\"\","));
    assert_eq!(
        bands.lines().count(),
        1 + 23 * 3,
        "days up to the longest run"
    );
}

#[test]
fn censored_figures_are_left_out_of_means() {
    let tmp = tempfile::tempdir().unwrap();
    run_sweep(
        &Mock::default(),
        &identity("1..40"),
        &options(2, None),
        tmp.path(),
    )
    .unwrap();
    let agg: serde_json::Value =
        serde_json::from_slice(&fs::read(tmp.path().join("aggregate.json")).unwrap()).unwrap();
    let days: Vec<f64> = (1..=40).filter_map(isolation_day).collect();
    assert!(days.len() < 40, "the mock censors some seeds");
    let fig = &agg["figures"]["isolation_day"];
    assert_eq!(fig["n"], days.len());
    let mean = days.iter().sum::<f64>() / days.len() as f64;
    assert!((fig["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
    assert_eq!(
        fig["reached_share"].as_f64().unwrap(),
        days.len() as f64 / 40.0
    );
    let keys: Vec<&String> = agg["figures"].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4);
    let text = String::from_utf8(fs::read(tmp.path().join("aggregate.json")).unwrap()).unwrap();
    assert!(
        text.find("isolation_day").unwrap() < text.find("capture_day").unwrap(),
        "figure order kept"
    );
}

#[test]
fn resume_after_a_torn_journal_equals_an_uninterrupted_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let (full, cut) = (tmp.path().join("full"), tmp.path().join("cut"));
    let id = identity("1..50");
    run_sweep(&Mock::default(), &id, &options(2, None), &full).unwrap();
    run_sweep(&Mock::default(), &id, &options(2, None), &cut).unwrap();
    for f in RESULT_FILES {
        fs::remove_file(cut.join(f)).unwrap();
    }
    let kept = tear_journal(&cut, 17);

    let mock = Mock::default();
    let resumed = run_sweep(
        &mock,
        &id,
        &SweepOptions {
            resume: true,
            ..options(3, None)
        },
        &cut,
    )
    .unwrap();
    assert_eq!((resumed.ran, resumed.resumed), (33, 17));
    assert_eq!(mock.calls.load(Ordering::SeqCst), 33);
    let seen = mock.seen.lock().unwrap();
    assert!(
        seen.iter().all(|s| !kept.contains(s)),
        "a finished seed ran again"
    );
    assert!(read_results(&cut) == read_results(&full));
    assert_eq!(
        fs::read_to_string(cut.join(JOURNAL_FILE))
            .unwrap()
            .lines()
            .count(),
        50
    );

    let again = Mock::default();
    run_sweep(
        &again,
        &id,
        &SweepOptions {
            resume: true,
            ..options(1, None)
        },
        &cut,
    )
    .unwrap();
    assert_eq!(again.calls.load(Ordering::SeqCst), 0);
    assert!(read_results(&cut) == read_results(&full));
}

#[test]
fn a_failed_seed_is_named_and_the_sweep_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let id = identity("1..30");
    let failing = Mock {
        fail_on: Some(17),
        ..Mock::default()
    };
    let err = run_sweep(&failing, &id, &options(1, None), tmp.path()).unwrap_err();
    assert!(
        matches!(err, EnsembleError::SeedFailed { seed: 17, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("seed 17 failed: mock failure"));
    let journaled = fs::read_to_string(tmp.path().join(JOURNAL_FILE))
        .unwrap()
        .lines()
        .count();

    let mock = Mock::default();
    run_sweep(
        &mock,
        &id,
        &SweepOptions {
            resume: true,
            ..options(2, None)
        },
        tmp.path(),
    )
    .unwrap();
    assert_eq!(mock.calls.load(Ordering::SeqCst), 30 - journaled);
    let fresh = tmp.path().join("fresh");
    run_sweep(&Mock::default(), &id, &options(2, None), &fresh).unwrap();
    assert!(read_results(tmp.path()) == read_results(&fresh));
}

#[test]
fn panics_and_bad_shapes_name_the_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let panicking = Mock {
        panic_on: Some(4),
        ..Mock::default()
    };
    let err = run_sweep(&panicking, &identity("1..6"), &options(1, None), tmp.path()).unwrap_err();
    assert!(
        matches!(&err, EnsembleError::SeedPanicked { seed: 4, message } if message == "mock panic"),
        "{err}"
    );

    struct Short;
    impl SeedRunner for Short {
        fn figure_names(&self) -> Vec<String> {
            vec!["a".into(), "b".into()]
        }
        fn series_names(&self) -> Vec<String> {
            Vec::new()
        }
        fn run_seed(&self, seed: u64) -> Result<SeedResult, String> {
            Ok(SeedResult {
                seed,
                figures: vec![Some(f64::NAN), None],
                daily: Vec::new(),
            })
        }
    }
    let err = run_sweep(
        &Short,
        &identity("5..5"),
        &options(1, None),
        &tmp.path().join("s"),
    )
    .unwrap_err();
    assert!(
        matches!(&err, EnsembleError::BadSeedResult { seed: 5, reason } if reason.contains("NaN")),
        "{err}"
    );
}

#[test]
fn existing_results_need_resume_or_force() {
    let tmp = tempfile::tempdir().unwrap();
    let id = identity("1..5");
    run_sweep(&Mock::default(), &id, &options(1, None), tmp.path()).unwrap();
    let err = run_sweep(&Mock::default(), &id, &options(1, None), tmp.path()).unwrap_err();
    assert!(matches!(err, EnsembleError::OutputExists { .. }), "{err}");
    let forced = run_sweep(
        &Mock::default(),
        &id,
        &SweepOptions {
            force: true,
            ..options(1, None)
        },
        tmp.path(),
    );
    assert_eq!(forced.unwrap().ran, 5);

    let other = SweepIdentity {
        scenario_sha256: "cd".repeat(32),
        ..id.clone()
    };
    let err = run_sweep(
        &Mock::default(),
        &other,
        &SweepOptions {
            resume: true,
            ..options(1, None)
        },
        tmp.path(),
    );
    let err = err.unwrap_err();
    assert!(
        matches!(
            &err,
            EnsembleError::IdentityMismatch {
                field: "scenario_sha256",
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains(&"ab".repeat(32)) && err.to_string().contains(&"cd".repeat(32))
    );

    let as_shard = SweepOptions {
        resume: true,
        ..options(1, Some("0/2"))
    };
    let err = run_sweep(&Mock::default(), &id, &as_shard, tmp.path()).unwrap_err();
    assert!(
        matches!(&err, EnsembleError::IdentityMismatch { field: "shard", .. }),
        "{err}"
    );
}

#[test]
fn a_corrupt_journal_line_is_refused_with_its_number() {
    let tmp = tempfile::tempdir().unwrap();
    let id = identity("1..6");
    run_sweep(&Mock::default(), &id, &options(1, None), tmp.path()).unwrap();
    let path = tmp.path().join(JOURNAL_FILE);
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "3\tnot numbers\t0\t";
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let resume = SweepOptions {
        resume: true,
        ..options(1, None)
    };
    let err = run_sweep(&Mock::default(), &id, &resume, tmp.path()).unwrap_err();
    assert!(
        matches!(&err, EnsembleError::JournalCorrupt { line: 3, .. }),
        "{err}"
    );
}
