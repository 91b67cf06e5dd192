//! Shaping and command: sorties lower C2 and slow reinforcement; no sorties, no effect; a second
//! front loads C2 and draws the reserve.

use crate::support::*;

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
    t += &unit("blue-1", "blue", "base", 3000.0, "task = \"hold\"");
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
        let decisions = |o: &phaseline::outcome::RunOutput| {
            o.events.iter().filter(|e| e.kind == "reinforce").count()
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
    assert!(!out.events.iter().any(|e| e.kind == "strike"));
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
