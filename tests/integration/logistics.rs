//! Logistics as a flow: the relations issue 13 asks the model to show, each a pair (or ladder) of
//! runs on common seeds with a stated pass criterion, on hand-made graphs whose answer is worked out
//! and on the bundled Raqqa theatre.

use crate::support::*;
use phaseline::model::EventKind;
use phaseline::model::{Depot, Location, Node, SideOf, Stockpile, Supply};
use phaseline::scenario::Scenario;
use phaseline::sim::Simulation;
use phaseline::{NodeId, Side};
use std::sync::Arc;

/// Mean days of supply carried by `side`'s units standing at settlement `node`, per day, over
/// `days` days (the supply picture at one place, which the global time series averages away).
fn supply_days_at(s: &Arc<Scenario>, seed: u64, side: Side, node: usize, days: u32) -> Vec<f64> {
    let mut sim = sim(s, seed);
    let per_day = s.sides[side].consumption_tons_per_fighter_per_day;
    (0..days)
        .map(|_| {
            sim.step_days(1);
            on_hand_days(&mut sim, side, node, per_day)
        })
        .collect()
}

fn on_hand_days(sim: &mut Simulation, side: Side, node: usize, per_day: f64) -> f64 {
    let node = NodeId(node);
    let world = sim.world_mut();
    let (mut tons, mut fighters) = (0.0, 0.0);
    let mut q = world.query::<(&SideOf, &phaseline::model::Strength, &Supply, &Location)>();
    for (s, strength, supply, location) in q.iter(world) {
        if s.0 == side && *location == Location::At(node) {
            tons += supply.tons;
            fighters += strength.0;
        }
    }
    if fighters > 0.0 {
        tons / (fighters * per_day)
    } else {
        0.0
    }
}

/// Supply at settlement `node`: its stockpile, the depots there and what the units there carry.
fn tons_at(sim: &mut Simulation, node: usize) -> f64 {
    let node = NodeId(node);
    let world = sim.world_mut();
    let mut tons = 0.0;
    for (n, pile) in world.query::<(&Node, &Stockpile)>().iter(world) {
        if n.0 == node {
            tons += pile.tons;
        }
    }
    for (location, depot) in world.query::<(&Location, &Depot)>().iter(world) {
        if *location == Location::At(node) {
            tons += depot.stock_tons;
        }
    }
    for (location, supply) in world.query::<(&Location, &Supply)>().iter(world) {
        if *location == Location::At(node) {
            tons += supply.tons;
        }
    }
    tons
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len().max(1) as f64
}

/// A besieged town O fed from the outside source S over a 200 km road of `capacity` t/day; the
/// garrison of 1 000 (10 t/day at the default 0.01 t per fighter) asks for 10 days and starts with
/// `carried_days`; the town's own stores are `stockpile` t. No attacker unit: only logistics acts.
fn siege(capacity: f64, stockpile: f64, carried_days: f64, cut_on_day0: bool) -> Arc<Scenario> {
    let mut t = header(80, "", "");
    t += &settlement("h", "base", 37.0, "blue", "");
    t += &settlement("s", "base", 40.0, "red", "");
    t += &settlement(
        "o",
        "town",
        39.0,
        "red",
        &format!("stockpile_tons = {stockpile}"),
    );
    t += &route("s-o", "s", "o", 200.0, capacity);
    t += &route("h-o", "h", "o", 150.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += "\n[[depot]]\nid = \"d\"\nside = \"red\"\nat = \"s\"\nstock_tons = 100000\noutput_tons_per_day = 100\n";
    t += &unit(
        "g",
        "red",
        "o",
        1000.0,
        &format!("task = \"hold\"\nsupply_days = {carried_days}"),
    );
    if cut_on_day0 {
        t += "\n[[inject]]\nday = 0\naction = \"cut_route\"\nroute = \"s-o\"\n";
    }
    parse(&t)
}

/// First day (1-based: after that many days) on which the side came up short, if any.
fn first_short_day(s: &Arc<Scenario>, seed: u64) -> Option<u32> {
    let out = run(s, seed);
    out.timeseries
        .iter()
        .find(|r| r.supply_shortfall_tons > 0.0)
        .map(|r| r.day)
}

#[test]
fn lower_capacity_into_the_objective_never_raises_its_supply() {
    // Capacity ladder 100 % → 5 % of the 40 t/day road; the garrison needs 10 t/day and starts
    // with 2 days, the town has no stores: below 10 t/day it must run down.
    let ladder = [40.0, 20.0, 10.0, 5.0, 2.0];
    let supply: Vec<f64> = ladder
        .iter()
        .map(|&cap| {
            let s = siege(cap, 0.0, 2.0, false);
            mean(&supply_days_at(&s, 1, Side::Defender, node(&s, "o"), 60))
        })
        .collect();
    for pair in supply.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1e-9,
            "less capacity, more supply: {supply:?}"
        );
    }
    assert!(
        supply[4] < 0.5 * supply[0],
        "cutting the road to 5 % must starve the town measurably: {supply:?}"
    );
}

#[test]
fn an_isolated_town_runs_short_when_its_stores_run_out() {
    // Worked answer: 1 000 fighters eat 10 t/day; cut off on day 0 they live on what they carry
    // (5 days = 50 t) and the town's 300 t: 350 t ÷ 10 t/day = 35 days.
    let isolated = first_short_day(&siege(40.0, 300.0, 5.0, true), 1);
    assert!(
        matches!(isolated, Some(d) if (34..=36).contains(&d)),
        "isolated: first shortfall on day {isolated:?}, expected about 35"
    );
    // Cut off, its isolation index is 1 and nothing flows in: what the town holds (its stores
    // and its garrison's packs) only falls, by exactly what the garrison eats.
    let cut = siege(40.0, 300.0, 5.0, true);
    let out = run(&cut, 1);
    assert!(
        out.timeseries
            .iter()
            .skip(1)
            .all(|r| r.isolation_index == 1.0)
    );
    let mut s = sim(&cut, 1);
    let mut held = Vec::new();
    for _ in 0..30 {
        s.step_days(1);
        held.push(tons_at(&mut s, node(&cut, "o")));
    }
    for (day, w) in held.windows(2).enumerate() {
        assert!(
            (w[0] - w[1] - 10.0).abs() < 1e-6,
            "day {day}: the town went from {} t to {} t (it eats 10 t a day)",
            w[0],
            w[1]
        );
    }
    // The same town with its road open never runs short within the 80 days.
    let open = first_short_day(&siege(40.0, 300.0, 5.0, false), 1);
    assert_eq!(open, None, "with the road open the town is fed");
}

/// Blue alone (red has no unit): 3 000 fighters (30 t/day) in a village 100 km from its base,
/// whose depot produces `output` t/day from an empty stock, over a road of `capacity` t/day.
fn lone_side(output: f64, capacity: f64, strength: f64) -> Arc<Scenario> {
    let mut t = header(60, "", "");
    t += &settlement("base", "base", 37.0, "blue", "");
    t += &settlement("v", "village", 38.0, "blue", "");
    t += &settlement("o", "town", 40.0, "red", "");
    t += &settlement("s", "base", 41.0, "red", "");
    t += &route("base-v", "base", "v", 100.0, capacity);
    t += &route("s-o", "s", "o", 50.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &format!(
        "\n[[depot]]\nid = \"d\"\nside = \"blue\"\nat = \"base\"\nstock_tons = 0\noutput_tons_per_day = {output}\n"
    );
    t += &unit(
        "u",
        "blue",
        "v",
        strength,
        "task = \"hold\"\nsupply_days = 10",
    );
    parse(&t)
}

#[test]
fn a_side_that_produces_and_carries_enough_does_not_starve() {
    let out = run(&lone_side(40.0, 100.0, 3000.0), 1);
    assert_eq!(out.summary.starvation_losses.attacker, 0.0);
    assert_eq!(out.summary.losses.attacker, 0.0);
    assert!(out.summary.supply.attacker.account.consumed_tons > 1700.0);
}

#[test]
fn less_production_or_capacity_never_lowers_supply_losses() {
    let losses = |output: f64, capacity: f64| {
        run(&lone_side(output, capacity, 3000.0), 1)
            .summary
            .losses
            .attacker
    };
    let by_output: Vec<f64> = [40.0, 30.0, 20.0, 10.0, 0.0]
        .iter()
        .map(|&o| losses(o, 100.0))
        .collect();
    let by_capacity: Vec<f64> = [100.0, 30.0, 20.0, 10.0, 0.0]
        .iter()
        .map(|&c| losses(40.0, c))
        .collect();
    for ladder in [&by_output, &by_capacity] {
        for pair in ladder.windows(2) {
            assert!(
                pair[1] >= pair[0] - 1e-9,
                "less, yet fewer losses: {ladder:?}"
            );
        }
        assert!(
            ladder[4] > ladder[0] + 100.0,
            "nothing produced or carried must cost: {ladder:?}"
        );
    }
}

#[test]
fn more_strength_with_enough_capacity_does_not_raise_losses_per_day() {
    // 1.5 × the force with production and road to match: no starvation either way.
    let base = run(&lone_side(60.0, 200.0, 3000.0), 1).summary;
    let more = run(&lone_side(60.0, 200.0, 4500.0), 1).summary;
    assert_eq!(base.losses.attacker, 0.0);
    assert_eq!(more.losses.attacker, 0.0);
}

/// Raqqa with every road out of ISIS's outside sources (the two out of Deir ez-Zor, the one out of
/// Mosul) at `factor` of its capacity.
fn raqqa_with_source_roads(factor: f64) -> Arc<Scenario> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/raqqa.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut out = String::new();
    let mut changed = 0;
    for block in text.split("\n[[") {
        let from_a_source = block.starts_with("route]]")
            && (block.contains("\"deir-ez-zor\"") || block.contains("\"mosul\""));
        changed += usize::from(from_a_source);
        let block = if from_a_source {
            block
                .lines()
                .map(|l| match l.strip_prefix("capacity_tons_per_day = ") {
                    Some(v) => format!(
                        "capacity_tons_per_day = {}",
                        v.split_whitespace()
                            .next()
                            .and_then(|x| x.parse::<f64>().ok())
                            .unwrap_or(0.0)
                            * factor
                    ),
                    None => l.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            block.to_owned()
        };
        if !out.is_empty() {
            out.push_str("\n[[");
        }
        out.push_str(&block);
    }
    assert_eq!(
        changed, 3,
        "Raqqa has two roads out of Deir ez-Zor and one out of Mosul"
    );
    // Loaded as the file it was read from, so that the doctrine raqqa.toml names is merged.
    let loaded = phaseline::scenario::load_scenario_bytes(
        &path,
        out.into_bytes(),
        &[],
        &phaseline::scenario::Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Arc::new(loaded.scenario)
}

// Cutting the Deir ez-Zor roads alone (to 5 %) does not starve Raqqa, rightly: Mosul's road still
// carries far more than the city's garrison eats (4 000 × 0.008 = 32 t a day), so its supply stays
// at the doctrine's 15-day target (seeds 1..8: mean supply days 14.26 → 14.13, lower in 5 of 8,
// differences of a tenth of a day). Throttling every road out of both sources is the relation:
// 14.26 → 11.11, lower in 7 of 8.
#[test]
fn throttling_the_roads_out_of_isis_sources_starves_raqqa_on_common_seeds() {
    let base = raqqa_with_source_roads(1.0);
    let cut = raqqa_with_source_roads(0.05);
    let raqqa = base
        .settlements
        .iter()
        .position(|s| s.id == "raqqa")
        .unwrap_or(0);
    // Paired on common seeds. The hand-made ladder above shows the strict relation; here the
    // campaign around the city moves with each seed, so the criterion is a clear majority of the
    // seeds and the paired mean.
    let (mut lower, seeds) = (0, 1..=8u64);
    let mut pairs = Vec::new();
    for seed in seeds.clone() {
        let a = mean(&supply_days_at(&base, seed, Side::Defender, raqqa, 240));
        let b = mean(&supply_days_at(&cut, seed, Side::Defender, raqqa, 240));
        lower += usize::from(b < a);
        pairs.push((a, b));
    }
    let (a, b): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    assert!(
        lower >= 6,
        "the cut must lower Raqqa's supply in most seeds: {pairs:?}"
    );
    assert!(
        mean(&b) < 0.9 * mean(&a),
        "by a measurable amount: {pairs:?}"
    );
}

/// Blue (3 000 at `b`) next to red's village `v` (a post of 30, stores of 400 t and a depot of 200 t
/// making 10 t/day); red's source `s` lies beyond the village.
fn capture_theatre() -> Arc<Scenario> {
    let mut t = header(30, "", "");
    t += &settlement("b", "base", 37.0, "blue", "");
    t += &settlement("v", "village", 37.3, "red", "stockpile_tons = 400");
    t += &settlement("o", "town", 39.0, "red", "");
    t += &settlement("s", "base", 40.0, "red", "");
    t += &route("b-v", "b", "v", 20.0, 200.0);
    t += &route("v-o", "v", "o", 100.0, 200.0);
    t += &route("s-o", "s", "o", 50.0, 200.0);
    t += &objective("o", &["s"], &["s"]);
    t += "\n[[depot]]\nid = \"dv\"\nside = \"red\"\nat = \"v\"\nstock_tons = 200\noutput_tons_per_day = 10\n";
    t += &unit("blue-1", "blue", "b", 3000.0, "supply_days = 30");
    t += &unit(
        "red-post",
        "red",
        "v",
        30.0,
        "task = \"hold\"\nsupply_days = 30",
    );
    t += "\n[[phase]]\nname = \"Clear\"\nbehaviour = \"clear\"\n";
    parse(&t)
}

#[test]
fn stores_change_hands_with_the_place_and_a_captured_depot_stands_idle() {
    let s = capture_theatre();
    let out = run(&s, 1);
    let taken = out
        .events
        .iter()
        .find(|e| e.kind == EventKind::Control && e.subject == "v")
        .map(|e| e.day);
    assert!(taken.is_some(), "blue takes the village: {:?}", out.events);
    let (blue, red) = (&out.summary.supply.attacker, &out.summary.supply.defender);
    assert!(
        blue.account.captured_tons > 400.0,
        "stores and depot stock: {blue:?}"
    );
    assert_eq!(blue.account.captured_tons, red.account.lost_to_enemy_tons);
    // Once taken, the depot makes nothing more: red's production stops at the capture.
    let days_held = f64::from(taken.unwrap_or(0) + 1);
    assert!(
        red.account.produced_tons <= 10.0 * days_held + 1e-6,
        "{} t produced in {days_held} days",
        red.account.produced_tons
    );
}

/// Red's town `o` fed from the depot at `s` over one 100 t/day road that blue's air interdicts
/// every day (one sortie, always effective) when `sorties` is 1; its garrison of 1 000 eats 50 t a
/// day (0.05 t per fighter) and starts with 2 days.
fn interdicted_road(sorties: f64) -> Arc<Scenario> {
    let mut t = header(20, "", "consumption_tons_per_fighter_per_day = 0.05");
    t += &settlement("b", "base", 37.0, "blue", "");
    t += &settlement("o", "town", 39.0, "red", "");
    t += &settlement("s", "base", 40.0, "red", "");
    t += &route("b-o", "b", "o", 100.0, 100.0);
    t += &route("s-o", "s", "o", 50.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &unit(
        "red-g",
        "red",
        "o",
        1000.0,
        "task = \"hold\"\nsupply_days = 2",
    );
    t += "\n[[depot]]\nid = \"d\"\nside = \"red\"\nat = \"s\"\nstock_tons = 100000\noutput_tons_per_day = 500\n";
    t += &format!(
        "\n[air]\nsorties_per_day = {sorties}\neffect_probability = 1\ninterdiction_days = 1\npriorities = {{ leadership = 0, command_nodes = 0, depots = 0, concentrations = 0, interdiction = 1 }}\n"
    );
    parse(&t)
}

#[test]
fn sustained_interdiction_holds_the_index_day_after_day() {
    // One effective sortie a day on the only road: the index stays at 1 − 0.3 = 0.7 every day (the
    // old rule could not strike a road still reading "interdicted", so it swung 0.7 ↔ 0).
    let out = run(&interdicted_road(1.0), 1);
    for r in out.timeseries.iter().skip(1) {
        assert!(
            (r.isolation_index - 0.7).abs() < 1e-9,
            "day {}: {}",
            r.day,
            r.isolation_index
        );
        assert_eq!(r.isolation_index_cuts, 0.0, "no route is cut on the ground");
    }
    // Without sorties, nothing.
    let quiet = run(&interdicted_road(0.0), 1);
    assert!(quiet.timeseries.iter().all(|r| r.isolation_index == 0.0));
}

#[test]
fn interdiction_throttles_deliveries_while_it_lasts() {
    // A garrison that eats 50 t/day behind one 100 t/day road, interdicted every day or never.
    let starving = |sorties: f64| {
        run(&interdicted_road(sorties), 1)
            .summary
            .supply
            .defender
            .account
            .shortfall_tons
    };
    // 1 000 fighters × 0.05 t = 50 t/day: the road's 100 t/day carries it; interdicted, 30 t/day.
    let (open, struck) = (starving(0.0), starving(1.0));
    assert!(open < 1e-9, "an open road feeds the town ({open} t short)");
    assert!(
        struck > 100.0,
        "an interdicted road starves it ({struck} t short)"
    );
}
