//! Where to cut: the isolate phase seizes what cuts the supply for the least it costs to take and
//! hold, cordoning the objective rather than marching to the far end of the network, and it leaves
//! alone a road the plan leaves open on purpose.

use crate::support::*;
use phaseline::model::EventKind;

/// Supply comes from `s` down one road (narrow: 50 t/day) to the junction `j`, 150 km out, then over
/// two wide roads (100 t/day each) through the villages `p` and `q` into the town `o`. The attacker's
/// base `b` is 10 km from `p` and `q`. By capacity alone the narrowest cut is the source's own
/// outlet, at `j`; by cost, the cordon `p` + `q` next to the attacker is far cheaper.
fn narrow_outlet(outlet_tons_per_day: f64, extra_objective: &str) -> String {
    let mut t = header(
        40,
        "",
        "escape_share_per_day = 0.2\nescape_threat_ratio = 0.1\ninfiltration_rate_per_day = 0",
    );
    t += &settlement("s", "base", 40.0, "red", "");
    t += &settlement("j", "village", 39.0, "red", "");
    t += &settlement("p", "village", 38.0, "red", "");
    t += &settlement("q", "village", 38.1, "red", "");
    t += &settlement("o", "town", 37.5, "red", "");
    t += &settlement("b", "base", 37.0, "blue", "");
    t += &route("s-j", "s", "j", 20.0, outlet_tons_per_day);
    t += &route("j-p", "j", "p", 150.0, 100.0);
    t += &route("j-q", "j", "q", 150.0, 100.0);
    t += &route("p-o", "p", "o", 10.0, 100.0);
    t += &route("q-o", "q", "o", 10.0, 100.0);
    t += &route("b-p", "b", "p", 10.0, 100.0);
    t += &route("b-q", "b", "q", 10.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += extra_objective;
    t += &unit("blue-1", "blue", "b", 2000.0, "");
    t += &unit("blue-2", "blue", "b", 2000.0, "");
    t += &unit("red-o", "red", "o", 300.0, "task = \"hold\"");
    t += "\n[[phase]]\nname = \"Isolate\"\nbehaviour = \"isolate\"\n";
    t
}

fn taken(out: &phaseline::results::RunOutput) -> Vec<String> {
    out.events
        .iter()
        .filter(|e| e.kind == EventKind::Control)
        .map(|e| e.subject.clone())
        .collect()
}

#[test]
fn the_isolate_phase_cordons_the_objective_instead_of_the_far_narrow_outlet() {
    let s = parse(&narrow_outlet(50.0, ""));
    for seed in 1..=5 {
        let out = run(&s, seed);
        let taken = taken(&out);
        // The cordon first; the junction, if at all, only once the objective is cut off (with the
        // cut complete the phase goes on clearing what the defender holds).
        assert_eq!(
            taken.get(..2),
            Some(&["p".to_owned(), "q".to_owned()][..]),
            "seed {seed}"
        );
        let isolated = out
            .events
            .iter()
            .find(|e| e.kind == EventKind::Isolation)
            .map(|e| e.day);
        let junction = out
            .events
            .iter()
            .find(|e| e.kind == EventKind::Control && e.subject == "j")
            .map(|e| e.day);
        assert!(isolated.is_some(), "seed {seed}");
        assert!(
            junction.is_none_or(|j| isolated.is_some_and(|i| j >= i)),
            "seed {seed}"
        );
    }
}

#[test]
fn a_road_left_open_is_not_cut_and_the_defenders_use_it() {
    // The way out is every road from the objective to the exit: q-o, j-q and s-j.
    let open = "leave_open = [\"q-o\", \"j-q\", \"s-j\"]\n";
    // A wide outlet, so that taking p alone halves the flow (the ring half closed, escape under way).
    let s = parse(&narrow_outlet(200.0, open));
    for seed in 1..=5 {
        let out = run(&s, seed);
        let taken = taken(&out);
        assert!(taken.contains(&"p".to_owned()), "seed {seed}: {taken:?}");
        assert!(
            !taken.contains(&"q".to_owned()) && !taken.contains(&"j".to_owned()),
            "seed {seed}: the way out through q stays open: {taken:?}"
        );
        assert_eq!(
            out.summary.isolation_day, None,
            "seed {seed}: half the supply still flows"
        );
        assert!(row(&out, 40).back_door_open == 1, "seed {seed}");
        assert!(
            out.summary.escaped_fighters > 0.0,
            "seed {seed}: defenders leave by it"
        );
    }
}
