//! Phases: they start in order, and a phase whose trigger never holds never starts.

use crate::support::*;

#[test]
fn phases_start_in_order() {
    for seed in 1..=5 {
        let out = run(&bundled("tiny.toml"), seed);
        let starts: Vec<Option<u32>> = out.summary.phases.iter().map(|p| p.start_day).collect();
        assert_eq!(starts[0], Some(0));
        let mut last = 0;
        for s in starts.iter().flatten() {
            assert!(*s >= last, "seed {seed}: {starts:?}");
            last = *s;
        }
        let phase_events: Vec<&str> = out
            .events
            .iter()
            .filter(|e| e.kind == "phase")
            .map(|e| e.subject.as_str())
            .collect();
        let named: Vec<&str> = out
            .summary
            .phases
            .iter()
            .filter(|p| p.start_day.is_some())
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            phase_events, named,
            "seed {seed}: phase events in plan order"
        );
    }
}

#[test]
fn a_phase_whose_trigger_never_holds_never_starts() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml"),
    )
    .unwrap_or_default();
    let never = text.replace(
        "trigger = { isolation_at_least = 0.95, for_days = 2 }",
        "trigger = { day = 500 }",
    );
    assert_ne!(never, text);
    let out = run(&parse(&never), 1);
    assert_eq!(
        out.summary.phase_start_days.0[1],
        ("Clear".to_owned(), None)
    );
    assert_eq!(
        out.summary.phase_start_days.0[2],
        ("Assault".to_owned(), None),
        "a later phase cannot start before it"
    );
    assert!(out.timeseries.iter().all(|r| r.phase == "Isolate"));
}
