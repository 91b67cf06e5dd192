//! Phases: they start in order, and a phase whose trigger never holds never starts.

use crate::support::*;
use phaseline::model::EventKind;

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
            .filter(|e| e.kind == EventKind::Phase)
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

/// A town cut off from its only source by an inject on `cut_day`, with `phases` as its plan (none:
/// the default plan) and `villages` added around it. Neither side can move or fight: only the
/// clock, the index and control decide the phases.
fn cut_off_town(cut_day: u32, villages: &str, phases: &str) -> String {
    let mut t = header(
        40,
        "",
        "escape_share_per_day = 0\ninfiltration_rate_per_day = 0",
    );
    t += &settlement("base", "base", 37.0, "blue", "");
    t += &settlement("o", "town", 38.0, "red", "");
    t += &settlement("s", "base", 39.0, "red", "");
    t += villages;
    t += &route("base-o", "base", "o", 110.0, 100.0);
    t += &route("o-s", "o", "s", 110.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &unit("blue-1", "blue", "base", 1000.0, "task = \"hold\"");
    t += &unit("red-1", "red", "o", 300.0, "task = \"hold\"");
    t += &format!("\n[[inject]]\nday = {cut_day}\naction = \"cut_route\"\nroute = \"o-s\"\n");
    t + phases
}

const ISOLATE_THEN_CLEAR: &str = "\n[[phase]]\nname = \"Isolate\"\nbehaviour = \"isolate\"\n\n[[phase]]\nname = \"Clear\"\nbehaviour = \"clear\"\ntrigger = { isolation_at_least = 0.9, for_days = FOR }\n";

/// Issue 14: `for_days = 7` waited 8 days (streak − 1 ≥ for_days). The cut on day 10 isolates the
/// town at the end of day 10, so the index reads ≥ 0.9 at the start of days 11, 12, … and the 7th
/// such day is day 17: Clear starts 7 days after the day the index got there, on the 7th day it
/// held (rows 11..=17 of the time series).
#[test]
fn for_days_waits_exactly_that_many_days() {
    for (for_days, start) in [(7, 17), (1, 11), (0, 11), (3, 13)] {
        let plan = ISOLATE_THEN_CLEAR.replace("FOR", &for_days.to_string());
        let out = run(&parse(&cut_off_town(10, "", &plan)), 1);
        assert_eq!(
            out.summary.phase_start_days.0[1],
            ("Clear".to_owned(), Some(start)),
            "for_days = {for_days}"
        );
        let isolated_rows = (0..=start)
            .filter(|&d| row(&out, d).isolation_index >= 0.9)
            .count();
        assert_eq!(
            isolated_rows,
            (for_days as usize).max(1),
            "for_days = {for_days}: the index held on exactly that many days up to the start"
        );
    }
}

/// Villages `v1`, `v2` 20 km from the town (inside the defender's default 40 km threat reach) and
/// `far`, 150 km away, all under `ring_control` except `far`, which the defender holds.
fn villages(ring_control: &str) -> String {
    let mut t = settlement("v1", "village", 38.2, ring_control, "");
    t += &settlement("v2", "village", 37.8, ring_control, "");
    t += &settlement("far", "village", 39.7, "red", "");
    t += &route("o-v1", "o", "v1", 25.0, 50.0);
    t += &route("o-v2", "o", "v2", 25.0, 50.0);
    t += &route("s-far", "s", "far", 80.0, 50.0);
    t
}

/// Issue 14: the default plan's Assault trigger had an empty area, which counted as fully held, so
/// Assault started the day after Clear. Its area is now the villages within the defender's threat
/// reach of the objective (v1, v2; not `far`), and it needs 70 % of them. Cut on day 0: isolated
/// from the start of day 1, Clear on day 3 (3 days), and Assault the next day only when the ring
/// is held.
#[test]
fn the_default_plan_assaults_when_the_ring_is_held() {
    let held = parse(&cut_off_town(0, &villages("blue"), ""));
    let ring: Vec<&str> = held.phases[2]
        .trigger
        .area
        .iter()
        .map(|&n| held.settlements[n].id.as_str())
        .collect();
    assert_eq!(ring, ["v1", "v2"]);
    let starts = |s| {
        run(&s, 1)
            .summary
            .phases
            .iter()
            .map(|p| p.start_day)
            .collect::<Vec<_>>()
    };
    assert_eq!(starts(held), [Some(0), Some(3), Some(4)]);
    let not_held = parse(&cut_off_town(0, &villages("red"), ""));
    assert_eq!(
        starts(not_held),
        [Some(0), Some(3), None],
        "with the ring in the defender's hands there is no assault"
    );
}

/// With no village near the objective there is nothing to clear: the default Assault waits for the
/// isolation to hold 3 more days after Clear (days 4, 5, 6), as the format reference says.
#[test]
fn the_default_plan_without_villages_assaults_after_three_more_days() {
    let out = run(&parse(&cut_off_town(0, "", "")), 1);
    let starts: Vec<Option<u32>> = out.summary.phases.iter().map(|p| p.start_day).collect();
    assert_eq!(starts, [Some(0), Some(3), Some(6)]);
}

/// A town `o` fed from `s` through the village `v`; the attacker's base reaches `o` in 20 km and `v`
/// in 60 km, so a unit sent to the town gets there well before one sent to cut the road. Two
/// attacker units: `ring` (line `ring`) and `city` (line `city`), for the plan `phases`.
fn town_and_its_road(phases: &str) -> String {
    let mut t = header(40, "attack_force_ratio = 2", "escape_share_per_day = 0");
    t += &settlement("base", "base", 37.0, "blue", "");
    t += &settlement("o", "town", 37.2, "red", "");
    t += &settlement("v", "village", 37.4, "red", "");
    t += &settlement("s", "base", 37.6, "red", "");
    t += &route("base-o", "base", "o", 20.0, 100.0);
    t += &route("base-v", "base", "v", 60.0, 100.0);
    t += &route("o-v", "o", "v", 20.0, 100.0);
    t += &route("v-s", "v", "s", 20.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &unit("ring", "blue", "base", 1000.0, "line = \"ring\"");
    t += &unit("city", "blue", "base", 3000.0, "line = \"city\"");
    t += &unit("red-o", "red", "o", 200.0, "task = \"hold\"");
    t += &unit("red-v", "red", "v", 50.0, "");
    t + phases
}

const TWO_LINES: &str = r#"
[[phase]]
name = "Cut the road"
behaviour = "isolate"
line = "ring"

[[phase]]
name = "Break in"
behaviour = "assault"
line = "city"
"#;

#[test]
fn lines_of_effort_run_side_by_side() {
    let s = parse(&town_and_its_road(TWO_LINES));
    assert_eq!(s.lines, vec!["ring".to_owned(), "city".to_owned()]);
    for seed in 1..=5 {
        let out = run(&s, seed);
        let entered = out.summary.objective_entered_day;
        let isolated = out.summary.isolation_day;
        // The city line assaults from day 0 while the ring line is still on its way to the road.
        assert!(
            entered.is_some_and(|e| isolated.is_none_or(|i| e < i)),
            "seed {seed}: entered {entered:?}, isolated {isolated:?}"
        );
        assert!(
            out.summary.phases.iter().all(|p| p.start_day == Some(0)),
            "both lines start on day 0"
        );
        assert_eq!(row(&out, 1).phase, "Cut the road / Break in");
    }
}

#[test]
fn one_line_enters_only_after_the_isolation_its_trigger_waits_for() {
    let plan = r#"
[[phase]]
name = "Cut the road"
behaviour = "isolate"
line = "ring"

[[phase]]
name = "Break in"
behaviour = "assault"
line = "ring"
trigger = { isolation_at_least = 0.9, for_days = 1 }
"#;
    let text = town_and_its_road(plan).replace("line = \"city\"", "line = \"ring\"");
    for seed in 1..=5 {
        let out = run(&parse(&text), seed);
        let entered = out.summary.objective_entered_day;
        let assault = out.summary.phases[1].start_day;
        assert!(assault.is_some(), "seed {seed}: the assault starts");
        assert!(
            entered.is_some_and(|e| assault.is_some_and(|a| e >= a)),
            "seed {seed}: entered {entered:?}, assault began {assault:?}"
        );
    }
}

#[test]
fn a_unit_line_must_name_a_line_of_the_plan() {
    let text = town_and_its_road(TWO_LINES).replace(
        "strength = 3000\nline = \"city\"",
        "strength = 3000\nline = \"cty\"",
    );
    let problems = parse_problems(&text);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("cty") && p.contains("city")),
        "{problems:?}"
    );
    let text = town_and_its_road(TWO_LINES).replace(
        "[[phase]]\nname = \"Break in\"\nbehaviour = \"assault\"\nline = \"city\"",
        "[[phase]]\nname = \"Break in\"\nbehaviour = \"assault\"\nline = \"city\"\ntrigger = { day = 3 }",
    );
    let problems = parse_problems(&text);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("first phase of line \"city\"")),
        "{problems:?}"
    );
}
