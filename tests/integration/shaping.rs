//! Shaping and command: sorties lower C2 and slow reinforcement; no sorties, no effect; a second
//! front loads C2 and draws the reserve.

use crate::support::*;
use phaseline::model::EventKind;

/// The defender holds a town with a reserve at its source; the attacker threatens the town.
fn theatre(sorties: f64, front: &str) -> String {
    let mut t = header(
        60,
        "",
        "reserve_strength = 2000\nreinforce_delay_days = 2\nreserve_at = \"s\"\nescape_share_per_day = 0",
    );
    t += &settlement("base", "base", 38.0, "blue", "");
    t += &settlement(
        "o",
        "town",
        38.5,
        "red",
        "population = 40000\ncommand_node = true",
    );
    t += &settlement("s", "base", 39.5, "red", "");
    t += &route("base-o", "base", "o", 30.0, 100.0);
    t += &route("o-s", "o", "s", 90.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    // A free force (it threatens; a garrison told to hold would not) that cannot close in: the
    // 30 km to the town would take it 300 days.
    t += &unit(
        "blue-1",
        "blue",
        "base",
        3000.0,
        "speed_km_per_day = 0.1\nadvance_speed_km_per_day = 0.1",
    );
    t += &unit("red-1", "red", "o", 500.0, "task = \"hold\"");
    t += &format!(
        "\n[air]\nsorties_per_day = {sorties}\neffect_probability = 0.8\npriorities = {{ leadership = 1, command_nodes = 1, depots = 0, concentrations = 0, interdiction = 0 }}\n"
    );
    t + front
}

#[test]
fn more_sorties_lower_c2_and_slow_reinforcement() {
    for seed in 1..=5 {
        let few = run(&parse(&theatre(2.0, "")), seed);
        let many = run(&parse(&theatre(20.0, "")), seed);
        assert!(
            many.summary.min_defender_c2 < few.summary.min_defender_c2,
            "seed {seed}"
        );
        assert!(
            many.summary.reinforced_fighters < few.summary.reinforced_fighters,
            "seed {seed}: {} vs {}",
            many.summary.reinforced_fighters,
            few.summary.reinforced_fighters
        );
        let decisions = |o: &phaseline::results::RunOutput| {
            o.events
                .iter()
                .filter(|e| e.kind == EventKind::Reinforce)
                .count()
        };
        assert!(
            decisions(&many) < decisions(&few),
            "seed {seed}: reinforcement decisions come slower at low C2"
        );
    }
}

#[test]
fn zero_sorties_have_no_effect() {
    let out = run(&parse(&theatre(0.0, "")), 1);
    assert_eq!(out.summary.min_defender_c2, 1.0);
    assert_eq!(out.summary.sorties_flown, 0.0);
    assert_eq!(out.summary.civilian_harm_index, 0.0);
    assert!(!out.events.iter().any(|e| e.kind == EventKind::Strike));
}

#[test]
fn strikes_on_populated_command_nodes_add_civilian_harm() {
    let out = run(&parse(&theatre(10.0, "")), 1);
    assert!(out.summary.civilian_harm_index > 0.0);
    let rows = &out.timeseries;
    assert!(
        rows.windows(2)
            .all(|w| w[1].civilian_harm_index >= w[0].civilian_harm_index),
        "the index is cumulative"
    );
}

#[test]
fn with_a_second_front_the_defender_reinforces_less() {
    let front =
        "\n[[front]]\nname = \"Mosul\"\nstart_day = 0\nc2_load = 0.4\nreserve_draw_per_day = 20\n";
    for seed in 1..=3 {
        let calm = run(&parse(&theatre(0.0, "")), seed);
        let loaded = run(&parse(&theatre(0.0, front)), seed);
        assert!(
            loaded.summary.reinforced_fighters < calm.summary.reinforced_fighters,
            "seed {seed}"
        );
        assert!(
            (loaded.summary.min_defender_c2 - 0.6).abs() < 1e-9,
            "the front caps C2 at 1 − load"
        );
    }
}

/// Issue 14: a reinforcement decision was spent even when no holding was threatened, so the
/// defender could not react for `reinforce_delay_days ÷ C2` days. Here nothing threatens the town
/// until an attacker unit appears 30 km from it on day 5: the first decision is taken that day
/// (before, it was spent on day 0 and the next came on day 10), and sends 30 % of the reserve.
#[test]
fn a_reinforcement_decision_waits_for_a_target() {
    let mut t = header(
        15,
        "",
        "reserve_strength = 1000\nreinforce_delay_days = 10\nreserve_at = \"s\"\nescape_share_per_day = 0\ninfiltration_rate_per_day = 0",
    );
    t += &settlement("rear", "base", 36.0, "blue", "");
    t += &settlement("fwd", "base", 38.2, "blue", "");
    t += &settlement("o", "town", 38.5, "red", "");
    t += &settlement("s", "base", 39.5, "red", "");
    t += &route("rear-fwd", "rear", "fwd", 200.0, 100.0);
    t += &route("fwd-o", "fwd", "o", 30.0, 100.0);
    t += &route("o-s", "o", "s", 90.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &unit("blue-rear", "blue", "rear", 100.0, "task = \"hold\"");
    t += &unit("red-1", "red", "o", 300.0, "task = \"hold\"");
    t += "\n[[inject]]\nday = 5\naction = \"add_unit\"\nunit = \"blue-fwd\"\nside = \"blue\"\nat = \"fwd\"\nstrength = 2000\n";
    let out = run(&parse(&t), 1);
    let first = out.events.iter().find(|e| e.kind == EventKind::Reinforce);
    assert_eq!(first.map(|e| (e.day, e.subject.as_str())), Some((5, "o")));
    assert!(first.is_some_and(|e| e.detail.starts_with("300 reserve fighters")));
}

/// Strikes on concentrations: a base held by the attacker, a defender village 20 km from it, the
/// objective town and its source, and a defender town 250 km beyond the source. Ten effective
/// sorties a day for 5 days (5 fighters each) go to the largest defender unit in the campaign area
/// (within the defender's 40 km threat reach of the objective or of the attacker's base).
fn concentrations(front: f64) -> String {
    let mut t = header(
        5,
        "",
        "escape_share_per_day = 0\ninfiltration_rate_per_day = 0",
    );
    t += &settlement("b", "base", 38.0, "blue", "");
    t += &settlement("fr", "village", 37.8, "red", "");
    t += &settlement("o", "town", 38.5, "red", "");
    t += &settlement("s", "base", 39.5, "red", "");
    t += &settlement("far", "town", 42.0, "red", "");
    t += &route("b-fr", "b", "fr", 20.0, 100.0);
    t += &route("b-o", "b", "o", 50.0, 100.0);
    t += &route("o-s", "o", "s", 90.0, 100.0);
    t += &route("s-far", "s", "far", 250.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &unit("blue-1", "blue", "b", 1000.0, "task = \"hold\"");
    if front > 0.0 {
        t += &unit("red-front", "red", "fr", front, "task = \"hold\"");
    }
    t += &unit("red-near", "red", "o", 300.0, "task = \"hold\"");
    t += &unit("red-far", "red", "far", 2000.0, "task = \"hold\"");
    t + "\n[air]\nsorties_per_day = 10\neffect_probability = 1.0\nconcentration_hit_fighters = 5\npriorities = { leadership = 0, command_nodes = 0, depots = 0, concentrations = 1, interdiction = 0 }\n"
}

fn strengths(s: &std::sync::Arc<phaseline::scenario::Scenario>) -> Vec<(String, f64)> {
    let mut sim = sim(s, 1);
    sim.step_days(5);
    let world = sim.world_mut();
    let mut q = world.query::<(&phaseline::model::Key, &phaseline::model::Strength)>();
    let mut out: Vec<(String, f64)> = q
        .iter(world)
        .map(|(k, s)| (k.id.clone(), s.0))
        .filter(|(id, _)| id.starts_with("red"))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Issue 14: strikes on concentrations hit the largest defender unit anywhere — here the 2000
/// holding a town 340 km from the objective. Now they hit only units in the campaign area: the
/// objective's garrison (300 → 300 − 50 × 5 = 50 over 5 days), or, when a larger unit stands at
/// the front next to the attacker's base, that one (1000 → 750); never the distant town.
#[test]
fn strikes_on_concentrations_stay_in_the_campaign_area() {
    let pairs = |v: &[(&str, f64)]| {
        v.iter()
            .map(|(id, s)| ((*id).to_owned(), *s))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strengths(&parse(&concentrations(0.0))),
        pairs(&[("red-far", 2000.0), ("red-near", 50.0)])
    );
    assert_eq!(
        strengths(&parse(&concentrations(1000.0))),
        pairs(&[
            ("red-far", 2000.0),
            ("red-front", 750.0),
            ("red-near", 300.0)
        ])
    );
}
