//! Resupply: conservation, cut routes stop deliveries, units out of supply weaken.

use crate::support::*;
use phaseline::model::{Depot, Ledger, Supply};

fn depot(id: &str, side: &str, at: &str, stock: f64, output: f64) -> String {
    format!(
        "\n[[depot]]\nid = \"{id}\"\nside = \"{side}\"\nat = \"{at}\"\nstock_tons = {stock}\noutput_tons_per_day = {output}\n"
    )
}

/// A depot at A and a unit at B, 60 km apart; the city O and its source keep isolation defined.
fn supply_line(extra: &str, unit_supply_days: f64) -> String {
    let mut t = header(20, "", "");
    t += &settlement("a", "base", 38.0, "blue", "");
    t += &settlement("b", "village", 38.5, "blue", "");
    t += &settlement("o", "town", 39.5, "red", "");
    t += &settlement("s", "base", 40.0, "red", "");
    t += &route("a-b", "a", "b", 60.0, 50.0);
    t += &route("s-o", "s", "o", 40.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &unit(
        "u",
        "blue",
        "b",
        1000.0,
        &format!("task = \"hold\"\nsupply_days = {unit_supply_days}"),
    );
    t + extra
}

fn unit_supply(sim: &mut phaseline::sim::Simulation) -> f64 {
    let world = sim.world_mut();
    let mut q = world.query::<&Supply>();
    q.iter(world).map(|s| s.tons).sum()
}

/// Every side's ledger balances to 1e-9 (relative) after every day of every bundled scenario.
#[test]
fn every_bundled_scenario_balances_its_ledger_every_day() {
    for name in ["tiny.toml", "raqqa.toml", "raqqa-air-first.toml"] {
        let scenario = bundled(name);
        let mut s = sim(&scenario, 3);
        for day in 0..scenario.meta.duration_days {
            s.step_days(1);
            let world = s.world_mut();
            let l = world.resource::<Ledger>();
            let scale = l
                .sides
                .map(|a| a.initial_tons + a.produced_tons + a.captured_tons);
            for (side, gap) in s.supply_imbalance().into_iter().enumerate() {
                assert!(
                    gap.abs() <= 1e-9 * scale[side].max(1.0),
                    "{name} day {day}: side {side}'s ledger is off by {gap} t"
                );
            }
        }
    }
}

#[test]
fn a_cut_route_stops_deliveries() {
    let line = supply_line(&depot("d", "blue", "a", 500.0, 0.0), 2.0);
    let cut = line.clone() + "\n[[inject]]\nday = 0\naction = \"cut_route\"\nroute = \"a-b\"\n";
    let mut open = sim(&parse(&line), 1);
    let mut closed = sim(&parse(&cut), 1);
    open.step_days(3);
    closed.step_days(3);
    let (o, c) = (unit_supply(&mut open), unit_supply(&mut closed));
    assert!(o > 5.0, "deliveries arrive over the open route ({o} t)");
    assert!(c < 1e-9, "nothing arrives over a cut route ({c} t)");
    let world = closed.world_mut();
    let stock: f64 = world
        .query::<&Depot>()
        .iter(world)
        .map(|d| d.stock_tons)
        .sum();
    assert_eq!(stock, 500.0, "the stock stays in the depot");
}

#[test]
fn a_unit_without_supply_weakens() {
    let out = run(&parse(&supply_line("", 0.0)), 1);
    let (first, last) = (row(&out, 0), row(&out, 20));
    assert!(
        last.attacker_strength < first.attacker_strength * 0.85,
        "{} → {}",
        first.attacker_strength,
        last.attacker_strength
    );
    assert!(out.summary.supply_shortfall_tons > 0.0);
    assert!(out.summary.losses.attacker > 0.0);
}

#[test]
fn a_supplied_unit_does_not_weaken() {
    let out = run(
        &parse(&supply_line(&depot("d", "blue", "a", 5000.0, 20.0), 10.0)),
        1,
    );
    assert_eq!(row(&out, 20).attacker_strength, 1000.0);
    assert_eq!(out.summary.supply_shortfall_tons, 0.0);
}
