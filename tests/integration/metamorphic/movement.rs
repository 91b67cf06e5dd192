//! Relations on movement and supply (M47–M51): slower movement or less supply for a side must not
//! make its results better.

use super::harness::*;

#[test]
fn m47_a_river_crossing_on_the_way_delays_nothing_earlier() {
    // Both roads out of Camp become river crossings that cost 3 days: isolation and capture no
    // earlier (median, ≥ 80 % of seeds).
    let b = ensemble(&Doc::ring().edit(|d| {
        for r in items(d, "route") {
            if r["from"] == "camp" {
                r["kind"] = "river_crossing".into();
                r["crossing_delay_days"] = 3.0.into();
            }
        }
    }));
    let a = ring_base();
    no_lower(
        "M47",
        "isolation day",
        &a.of(isolation),
        &b.of(isolation),
        0.0,
        0.8,
    );
    // Capture comes long after the crossing, after pauses and fights whose draws part ways once
    // the two runs differ: no earlier than A − 3 days in the median and in ≥ 80 % of seeds.
    no_lower(
        "M47",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        3.0,
        0.8,
    );
}

#[test]
fn m48_a_slower_advance_through_enemy_ground_arrives_no_earlier() {
    // Attacker advance speed 20 → 8 km/day (march speed on its own ground unchanged): isolation and
    // capture no earlier.
    let b = ensemble(&Doc::ring().edit(|d| {
        let blue = side_id(d, "attacker");
        for u in items(d, "unit")
            .iter_mut()
            .filter(|u| u["side"] == blue.as_str())
        {
            u["advance_speed_km_per_day"] = 8.0.into();
        }
    }));
    let a = ring_base();
    no_lower(
        "M48",
        "isolation day",
        &a.of(isolation),
        &b.of(isolation),
        0.0,
        0.8,
    );
    no_lower(
        "M48",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
}

#[test]
fn m49_an_attacker_without_supply_takes_the_city_no_earlier() {
    // The attacker's depot empty and idle and its units carrying 3 days: capture no earlier,
    // attacker losses no lower.
    let b = ensemble(&Doc::ring().edit(|d| {
        let blue = side_id(d, "attacker");
        for dep in items(d, "depot")
            .iter_mut()
            .filter(|x| x["side"] == blue.as_str())
        {
            dep["stock_tons"] = 0.0.into();
            dep["output_tons_per_day"] = 0.0.into();
        }
        for u in items(d, "unit")
            .iter_mut()
            .filter(|u| u["side"] == blue.as_str())
        {
            u["supply_days"] = 3.0.into();
        }
    }));
    let a = ring_base();
    no_lower(
        "M49",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
    losses_no_lower(
        "M49",
        "attacker losses",
        &a.of(attacker_losses),
        &b.of(attacker_losses),
    );
}

#[test]
fn m50_a_defender_without_supply_holds_no_longer() {
    // The defender's depots empty and idle and its units carrying 3 days: capture no later,
    // attacker losses no higher.
    let b = ensemble(&Doc::ring().edit(|d| {
        let red = side_id(d, "defender");
        for dep in items(d, "depot")
            .iter_mut()
            .filter(|x| x["side"] == red.as_str())
        {
            dep["stock_tons"] = 0.0.into();
            dep["output_tons_per_day"] = 0.0.into();
        }
        for u in items(d, "unit")
            .iter_mut()
            .filter(|u| u["side"] == red.as_str())
        {
            u["supply_days"] = 3.0.into();
        }
    }));
    let a = ring_base();
    no_higher(
        "M50",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
    losses_no_higher(
        "M50",
        "attacker losses",
        &a.of(attacker_losses),
        &b.of(attacker_losses),
    );
}

#[test]
fn m51_more_effective_sorties_isolate_no_later() {
    // effect_probability 0.5 → 1 and interdiction_days 3 → 6: isolation no later.
    let b = ensemble(
        &Doc::ring()
            .set("air.effect_probability", 1.0)
            .set("air.interdiction_days", 6),
    );
    no_higher(
        "M51",
        "isolation day",
        &ring_base().of(isolation),
        &b.of(isolation),
        0.0,
        0.8,
    );
}
