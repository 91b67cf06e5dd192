//! Clear-and-hold: garrisons keep villages, bare villages are infiltrated at the hazard's rate by
//! cells that travel from the free defenders near them, a besieged garrison threatens nobody, and
//! a larger garrison ratio slows the advance.

use crate::support::*;
use phaseline::model::EventKind;

/// A village the attacker holds (`garrison` fighters in it), with 200 free defenders 10 km away
/// (`band_task` is the band's `task` line: empty for a free band).
fn village(garrison: f64, extra_attacker: &str) -> String {
    village_with(garrison, extra_attacker, "")
}

fn village_with(garrison: f64, extra_attacker: &str, band_task: &str) -> String {
    let mut t = header(5, extra_attacker, "infiltration_rate_per_day = 0.001");
    t += &settlement("base", "base", 38.0, "blue", "");
    // Red on day 0 (the attacker's own ground on day 0 is its rear, never infiltrated); the picket
    // or the garrison standing there takes it in the first tick.
    t += &settlement("v", "village", 38.5, "red", "attacker_support = 0.5");
    t += &settlement("hide", "village", 38.6, "red", "");
    t += &settlement("s", "base", 40.0, "red", "");
    t += &settlement("o", "town", 39.0, "red", "");
    t += &route("base-v", "base", "v", 40.0, 100.0);
    t += &route("v-hide", "v", "hide", 10.0, 100.0);
    t += &route("hide-o", "hide", "o", 40.0, 100.0);
    t += &route("s-o", "s", "o", 40.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &unit("red-band", "red", "hide", 200.0, band_task);
    t += &unit("gar", "blue", "v", garrison.max(1.0), "task = \"hold\"");
    t
}

/// Whether a cell set out against the village before `day`.
fn infiltrated_by(out: &phaseline::results::RunOutput, day: u32) -> bool {
    out.events
        .iter()
        .any(|e| e.kind == EventKind::Infiltration && e.subject == "v" && e.day < day)
}

#[test]
fn a_garrisoned_village_stays_held() {
    // λ = 0.001 × 200 ÷ 151 × 0.5 ≈ 0.0007 a day: a cell is rare, and a cell of 20 that comes
    // meets the garrison of 150 before control can change: the village never passes back.
    let s = parse(&village(150.0, ""));
    for seed in 1..=50 {
        let out = run(&s, seed);
        assert_eq!(out.summary.reversions, 0, "seed {seed}");
        assert_eq!(out.summary.villages_held.attacker, 1, "seed {seed}");
    }
}

#[test]
fn a_garrison_tied_to_its_place_threatens_nobody() {
    // The same band told to hold (a besieged garrison): no free fighters, no hazard, no cell.
    let s = parse(&village_with(0.0, "", "task = \"hold\""));
    for seed in 1..=50 {
        let out = run(&s, seed);
        assert!(!infiltrated_by(&out, 5), "seed {seed}");
        assert_eq!(out.summary.reversions, 0, "seed {seed}");
    }
}

#[test]
fn an_ungarrisoned_village_next_to_enemy_strength_reverts_at_the_expected_rate() {
    // A picket of 1: λ = 0.001 × 200 ÷ (1 + 1) × (1 − 0.5) = 0.05 per day: P(a cell within 5
    // days) = 1 − e^−0.25.
    let s = parse(&village(0.0, ""));
    let seeds = 600;
    let reverted = (1..=seeds)
        .filter(|&seed| infiltrated_by(&run(&s, seed), 5))
        .count();
    let share = reverted as f64 / seeds as f64;
    let expected = 1.0 - (-0.25f64).exp();
    // Binomial standard error ≈ 0.02; allow four of them.
    assert!(
        (share - expected).abs() < 0.08,
        "reverted in {share} of seeds, expected {expected}"
    );
}

#[test]
fn a_reverted_village_gets_an_infiltration_cell_taken_from_nearby_defenders() {
    let s = parse(&village(0.0, ""));
    let out = (1..=200)
        .map(|seed| run(&s, seed))
        .find(|o| o.summary.reversions > 0)
        .unwrap_or_else(|| panic!("no seed reverted"));
    // The cell set out from the band at `hide` and walked the 10 km to the village.
    assert!(out.events.iter().any(|e| e.kind == EventKind::Infiltration
        && e.subject == "v"
        && e.detail.contains("from hide")));
    let last = out.timeseries.last().unwrap_or_else(|| panic!("no rows"));
    assert_eq!(
        last.defender_strength, 200.0,
        "the cell's fighters come out of the band: none appear from nowhere"
    );
    assert_eq!(out.summary.villages_held.attacker, 0);
}

/// A corridor of five defended villages before the town: every one taken leaves a garrison.
fn corridor(ratio: f64) -> String {
    let mut t = header(
        120,
        &format!("garrison_ratio = {ratio}\ngarrison_min = 20\nthreat_reach_km = 60"),
        "",
    );
    t += &settlement("base", "base", 37.0, "blue", "");
    let names = ["v1", "v2", "v3", "v4", "v5"];
    for (i, v) in names.iter().enumerate() {
        t += &settlement(v, "village", 37.2 + 0.2 * i as f64, "red", "value = 5");
        // Free bands (not told to hold): they threaten the villages around them.
        t += &unit(&format!("red-{v}"), "red", v, 60.0, "");
    }
    t += &settlement("o", "town", 38.4, "red", "population = 20000");
    t += &settlement("s", "base", 39.0, "red", "");
    t += &unit("red-o", "red", "o", 300.0, "task = \"hold\"");
    t += &route("base-v1", "base", "v1", 20.0, 100.0);
    for w in names.windows(2) {
        t += &route(&format!("{}-{}", w[0], w[1]), w[0], w[1], 20.0, 100.0);
    }
    t += &route("v5-o", "v5", "o", 20.0, 100.0);
    t += &route("o-s", "o", "s", 60.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &unit("blue-1", "blue", "base", 1200.0, "speed_km_per_day = 20");
    t += "\n[[phase]]\nname = \"Clear\"\nbehaviour = \"clear\"\n[[phase]]\nname = \"Assault\"\nbehaviour = \"assault\"\ntrigger = { villages_held_share = 1.0 }\n";
    t
}

#[test]
fn a_larger_garrison_ratio_slows_the_advance() {
    let (light, heavy) = (parse(&corridor(0.2)), parse(&corridor(2.0)));
    let mut later = 0;
    for seed in 1..=5 {
        let (a, b) = (run(&light, seed), run(&heavy, seed));
        let garrison = |o: &phaseline::results::RunOutput| {
            o.timeseries
                .iter()
                .map(|r| r.attacker_garrison)
                .fold(0.0, f64::max)
        };
        assert!(
            garrison(&b) > garrison(&a),
            "seed {seed}: heavier doctrine holds more fighters in garrisons"
        );
        let day = |o: &phaseline::results::RunOutput| o.summary.capture_day.unwrap_or(u32::MAX);
        if day(&b) > day(&a) {
            later += 1;
        }
        assert!(
            day(&b) >= day(&a),
            "seed {seed}: heavy garrisons reached the town sooner ({} < {})",
            day(&b),
            day(&a)
        );
    }
    assert!(
        later >= 3,
        "the heavy doctrine took the town later in only {later} of 5 seeds"
    );
}
