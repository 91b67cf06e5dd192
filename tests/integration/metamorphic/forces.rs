//! Relations on force size, lethality, defensibility and breakpoints (M01–M08): more of what helps
//! a side must not make its results worse. A is the unedited ring theatre, B the edited one, on the
//! same seeds.

use super::harness::*;

/// A copy of the ring with every unit of `role` (and, for the defender, its reserve) × `k`.
fn strength(role: &str, k: f64) -> Doc {
    Doc::ring().edit(|d| {
        let id = side_id(d, role);
        scale_each(d, "unit", Some(&id), "strength", k, 0.0);
        if role == "defender" {
            scale(side(d, role), "reserve_strength", k, 0.0);
        }
    })
}

/// A copy of the ring with `role`'s `field` set to `value`.
fn doctrine(role: &str, field: &str, value: f64) -> Doc {
    let doc = Doc::ring();
    let id = side_id(&doc.0, role);
    doc.set(&format!("side.{id}.{field}"), value)
}

#[test]
fn m01_more_attacker_strength_captures_no_later_and_loses_no_more() {
    let (a, b) = (ring_base(), ensemble(&strength("attacker", 2.0)));
    no_higher(
        "M01",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
    let (la, lb) = (a.of(attacker_losses), b.of(attacker_losses));
    losses_no_higher("M01", "attacker losses", &la, &lb);
}

#[test]
fn m02_more_attacker_lethality_captures_no_later_and_loses_no_more() {
    let (a, b) = (
        ring_base(),
        ensemble(&doctrine("attacker", "lethality_per_day", 0.04)),
    );
    no_higher(
        "M02",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
    let (la, lb) = (a.of(attacker_losses), b.of(attacker_losses));
    losses_no_higher("M02", "attacker losses", &la, &lb);
}

#[test]
fn m03_more_defender_strength_captures_no_earlier_and_costs_no_less() {
    let (a, b) = (ring_base(), ensemble(&strength("defender", 2.0)));
    no_lower(
        "M03",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
    let (la, lb) = (a.of(attacker_losses), b.of(attacker_losses));
    losses_no_lower("M03", "attacker losses", &la, &lb);
}

#[test]
fn m04_more_defender_lethality_captures_no_earlier_and_costs_no_less() {
    let (a, b) = (
        ring_base(),
        ensemble(&doctrine("defender", "lethality_per_day", 0.04)),
    );
    no_lower(
        "M04",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
    let (la, lb) = (a.of(attacker_losses), b.of(attacker_losses));
    losses_no_lower("M04", "attacker losses", &la, &lb);
}

#[test]
fn m05_attacker_strength_ladder_captures_no_later_at_each_rung() {
    // ×0.6 → ×1 → ×1.6: the median capture day never rises along the ladder, and each rung takes
    // the city no later than the one below in ≥ 70 % of seeds.
    let low = ensemble(&strength("attacker", 0.6));
    let high = ensemble(&strength("attacker", 1.6));
    let rungs = [low.of(capture), ring_base().of(capture), high.of(capture)];
    for pair in rungs.windows(2) {
        no_higher(
            "M05",
            "capture day, next rung",
            &pair[0],
            &pair[1],
            0.0,
            0.7,
        );
    }
}

#[test]
fn m06_a_more_defensible_objective_falls_no_earlier_and_costs_no_less() {
    let b = ensemble(&Doc::ring().set("settlement.medina.defensibility", 6.0));
    let a = ring_base();
    no_lower(
        "M06",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
    let (la, lb) = (a.of(attacker_losses), b.of(attacker_losses));
    losses_no_lower("M06", "attacker losses", &la, &lb);
}

#[test]
fn m07_a_defender_that_breaks_sooner_falls_no_later() {
    // breakpoint_cohesion 0.3 → 0.6. Only the capture day: a unit that breaks sooner withdraws
    // with more fighters, who may fight again elsewhere, so attacker losses need not fall.
    let (a, b) = (
        ring_base(),
        ensemble(&doctrine("defender", "breakpoint_cohesion", 0.6)),
    );
    no_higher(
        "M07",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
}

#[test]
fn m08_more_districts_take_longer_to_clear() {
    // Medina 4 → 8 districts: capture no earlier in ≥ 80 % of seeds, and strictly later in the
    // median (a city fought district by district must take longer with twice the districts).
    let (a, b) = (
        ring_base(),
        ensemble(&Doc::ring().set("settlement.medina.districts", 8)),
    );
    let (ca, cb) = (a.of(capture), b.of(capture));
    no_lower("M08", "capture day", &ca, &cb, 0.0, 0.8);
    assert!(
        median(&cb) > median(&ca),
        "M08: twice the districts, same median capture day: {}",
        figures("capture day", &ca, &cb)
    );
}
