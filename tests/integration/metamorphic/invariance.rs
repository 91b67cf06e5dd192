//! Invariances of units and of the clock (M27–M31): a change of units or of the discretisation
//! that describes the same campaign must give the same distributions within stated tolerances.

use super::harness::*;
use phaseline::results::RunOutput;

/// Median capture and isolation days within 2 days and KS ≤ 0.5 (24 seeds; nearly
/// deterministic ensembles make KS jump with any systematic shift, so the median is the sharper
/// test), attacker and defender losses within 15 % of A's median (after undoing a scale `k`).
fn same_campaign(relation: &str, a: &Ensemble, b: &Ensemble, k: f64) {
    agree(
        relation,
        "capture day",
        &a.of(capture),
        &b.of(capture),
        2.0,
        0.5,
    );
    agree(
        relation,
        "isolation day",
        &a.of(isolation),
        &b.of(isolation),
        2.0,
        0.5,
    );
    for (what, figure) in [
        ("attacker losses", attacker_losses as fn(&RunOutput) -> f64),
        ("defender losses", defender_losses),
    ] {
        let fa = a.of(figure);
        let fb: Vec<f64> = b.of(figure).iter().map(|x| x / k).collect();
        agree(relation, what, &fa, &fb, 0.15 * median(&fa), 1.0);
    }
}

/// Every count of fighters and every quantity of tons × `k` (per-fighter rates unchanged).
pub(super) fn rescaled(doc: &Doc, k: f64) -> Doc {
    doc.edit(|d| {
        scale_each(d, "unit", None, "strength", k, 0.0);
        scale(side(d, "defender"), "reserve_strength", k, 0.0);
        scale(side(d, "attacker"), "garrison_min", k, 50.0);
        scale(side(d, "attacker"), "district_frontage_fighters", k, 300.0);
        scale_each(d, "front", None, "reserve_draw_per_day", k, 0.0);
        scale_each(d, "depot", None, "stock_tons", k, 0.0);
        scale_each(d, "depot", None, "output_tons_per_day", k, 0.0);
        scale_each(d, "route", None, "capacity_tons_per_day", k, 0.0);
        for s in items(d, "settlement") {
            for field in ["stockpile_tons", "stockpile_capacity_tons"] {
                if s.get(field).is_some() {
                    scale(s, field, k, 0.0);
                }
            }
        }
        let air = &mut d["air"];
        scale(air, "depot_hit_tons", k, 20.0);
        scale(air, "concentration_hit_fighters", k, 5.0);
    })
}

/// Every distance and every speed × `k` (times unchanged). The explicit plan reads no
/// straight-line distance, so coordinates stay.
pub(super) fn stretched(doc: &Doc, k: f64) -> Doc {
    doc.edit(|d| {
        scale_each(d, "route", None, "length_km", k, 0.0);
        scale_each(d, "unit", None, "speed_km_per_day", k, 20.0);
        for u in items(d, "unit") {
            if u.get("advance_speed_km_per_day").is_some() {
                scale(u, "advance_speed_km_per_day", k, 0.0);
            }
        }
        for s in items(d, "side") {
            scale(s, "convoy_speed_km_per_day", k, 300.0);
            scale(s, "threat_reach_km", k, 40.0);
            scale(s, "cut_distance_km", k, 50.0);
            scale(s, "escape_speed_km_per_day", k, 40.0);
        }
    })
}

#[test]
fn m27_all_fighters_and_tons_times_ten_give_the_same_campaign() {
    let b = ensemble(&rescaled(&Doc::ring(), 10.0));
    same_campaign("M27", ring_base(), &b, 10.0);
}

#[test]
fn m28_all_distances_and_speeds_doubled_give_the_same_campaign() {
    // A change of distance unit (the format has none: km only), done by hand.
    let b = ensemble(&stretched(&Doc::ring(), 2.0));
    same_campaign("M28", ring_base(), &b, 1.0);
}

#[test]
fn m29_three_hour_ticks_give_the_same_campaign_as_six() {
    let b = ensemble(&Doc::ring().set("scenario.tick_hours", 3));
    same_campaign("M29", ring_base(), &b, 1.0);
}

#[test]
fn m30_twelve_hour_ticks_give_the_same_campaign_as_six() {
    let b = ensemble(&Doc::ring().set("scenario.tick_hours", 12));
    same_campaign("M30", ring_base(), &b, 1.0);
}

#[test]
#[ignore = "issue 14: splitting each attacker unit in two delays isolation on the ring (median day 14 → 24, later in 100 % of 24 seeds, KS 0.88; capture 40 → 41): tasking assigns whole units and closes a target once the force ratio is sent, so a brigade masses where two halves split over two targets; tasking strength rather than units is the fix (docs/metamorphic.md, M31)"]
fn m31_splitting_every_attacker_unit_in_two_gives_the_same_campaign() {
    // Each attacker brigade becomes two half-brigades in the same place (same total, same
    // doctrine): unit granularity is a modelling convenience, not a force multiplier.
    let b = ensemble(&Doc::ring().edit(|d| {
        let blue = side_id(d, "attacker");
        let units = items(d, "unit");
        let mut halves = Vec::new();
        for u in units.iter_mut().filter(|u| u["side"] == blue.as_str()) {
            scale(u, "strength", 0.5, 0.0);
            let mut twin = u.clone();
            twin["id"] = format!("{}-twin", u["id"].as_str().unwrap_or_default()).into();
            halves.push(twin);
        }
        units.extend(halves);
    }));
    same_campaign("M31", ring_base(), &b, 1.0);
}
