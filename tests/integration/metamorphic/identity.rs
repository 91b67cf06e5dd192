//! Exact relations (M32–M42): edits that must leave results byte for byte the same — table order,
//! parameters that only feed outputs, `--days` truncation, the horizon, seeds — and the zero-force
//! limits.

use super::harness::*;
use phaseline::results::RunOutput;

/// The document with the array of tables `table` in reverse order.
fn reversed(doc: &Doc, table: &str) -> Doc {
    doc.edit(|d| items(d, table).reverse())
}

/// Ring and tiny, seeds 1..=4 each: the same `timeseries.csv`, `events.csv` and `summary.json`
/// bytes with `table` reversed (`snapshots.json` lists places in file order by design).
fn order_relation(relation: &str, table: &str) {
    let found: Vec<String> = [("ring", Doc::ring()), ("tiny", Doc::tiny())]
        .into_iter()
        .map(|(name, doc)| {
            let (n, first) = byte_differences(&doc, &reversed(&doc, table), 1..=4);
            eprintln!("[{relation}] {name}: {n} of 4 seeds differ; first: {first}");
            (n, format!("{name}: {n} of 4 seeds differ ({first})"))
        })
        .filter(|(n, _)| *n > 0)
        .map(|(_, text)| text)
        .collect();
    assert!(found.is_empty(), "{relation}: {}", found.join("; "));
}

#[test]
fn m32_settlement_order_does_not_change_the_bytes() {
    order_relation("M32", "settlement");
}

#[test]
fn m33_route_order_does_not_change_the_bytes() {
    order_relation("M33", "route");
}

#[test]
fn m34_unit_order_does_not_change_the_bytes() {
    order_relation("M34", "unit");
}

#[test]
fn m35_depot_order_does_not_change_the_bytes() {
    order_relation("M35", "depot");
}

/// Time-series columns other than `skip`, row by row.
fn columns_but(out: &RunOutput, skip: &[&str]) -> Vec<Vec<f64>> {
    let names = phaseline::results::DailyRow::NUMERIC_COLUMNS;
    out.timeseries
        .iter()
        .map(|r| {
            r.numeric()
                .iter()
                .zip(names)
                .filter(|(_, n)| !skip.contains(n))
                .map(|(v, _)| *v)
                .collect()
        })
        .collect()
}

#[test]
fn m36_civilian_harm_parameters_only_feed_their_outputs() {
    // civilian_harm_per_strike × 10 and displacement_share_per_day × 10: every other column, every
    // event and every other summary figure identical, every seed.
    let a = ensemble_days(&Doc::ring(), 6, None);
    let b = ensemble_days(
        &Doc::ring()
            .set("air.civilian_harm_per_strike", 1.0)
            .set("scenario.displacement_share_per_day", 0.2),
        6,
        None,
    );
    let civil = ["civilian_harm_index", "displaced_civilians"];
    for (x, y) in a.runs.iter().zip(&b.runs) {
        let seed = x.summary.seed;
        assert_eq!(
            columns_but(x, &civil),
            columns_but(y, &civil),
            "M36: seed {seed}"
        );
        assert_eq!(x.events, y.events, "M36: seed {seed}");
        let mut sy = y.summary.clone();
        sy.civilian_harm_index = x.summary.civilian_harm_index;
        sy.displaced_civilians = x.summary.displaced_civilians;
        sy.civilian_harm_to_capture = x.summary.civilian_harm_to_capture;
        sy.civilian_harm_after_capture = x.summary.civilian_harm_after_capture;
        sy.displaced_to_capture = x.summary.displaced_to_capture;
        sy.displaced_after_capture = x.summary.displaced_after_capture;
        assert_eq!(x.summary, sy, "M36: seed {seed}");
    }
}

#[test]
fn m37_names_dates_and_geography_only_feed_the_presentation() {
    // Other names and description, another start date, a river drawn on the map: every numeric
    // column identical, the same events (day and kind) in the same order, every seed.
    let b_doc = Doc::ring()
        .set("scenario.start_date", "\"2017-06-01\"")
        .set("scenario.description", "\"renamed\"")
        .edit(|d| {
            for s in items(d, "settlement") {
                let id = s["id"].as_str().unwrap_or_default().to_owned();
                s["name"] = format!("Place {id}").into();
            }
            for s in items(d, "side") {
                s["name"] = format!("Side {}", s["id"].as_str().unwrap_or_default()).into();
            }
            items(d, "feature").push(serde_json::json!({
                "name": "River", "kind": "river", "points": [[36.0, 38.5], [35.5, 38.6]]
            }));
        });
    let a = ensemble_days(&Doc::ring(), 6, None);
    let b = ensemble_days(&b_doc, 6, None);
    let kinds = |o: &RunOutput| -> Vec<(u32, &str)> {
        o.events.iter().map(|e| (e.day, e.kind.as_str())).collect()
    };
    for (x, y) in a.runs.iter().zip(&b.runs) {
        let seed = x.summary.seed;
        assert_eq!(columns_but(x, &[]), columns_but(y, &[]), "M37: seed {seed}");
        assert_eq!(kinds(x), kinds(y), "M37: seed {seed}");
        assert_eq!(x.summary.losses, y.summary.losses, "M37: seed {seed}");
        assert_eq!(
            x.summary.capture_day, y.summary.capture_day,
            "M37: seed {seed}"
        );
    }
}

#[test]
fn m38_a_truncated_run_is_the_start_of_the_full_run() {
    // `--days 40`: rows 0..=40 and the events of days 0..39 are exactly the full run's, and the
    // milestones before day 40 are the same.
    let s = Doc::ring().scenario();
    for seed in 1..=4 {
        let full =
            phaseline::sim::simulate(s.clone(), seed, None).unwrap_or_else(|e| panic!("{e}"));
        let cut =
            phaseline::sim::simulate(s.clone(), seed, Some(40)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cut.timeseries.len(), 41, "M38: seed {seed}: rows");
        assert_eq!(
            cut.timeseries[..],
            full.timeseries[..41],
            "M38: seed {seed}: rows"
        );
        let before: Vec<_> = full.events.iter().filter(|e| e.day < 40).cloned().collect();
        assert_eq!(cut.events, before, "M38: seed {seed}: events");
        let early = |d: Option<u32>| d.filter(|&d| d < 40);
        assert_eq!(
            cut.summary.capture_day,
            early(full.summary.capture_day),
            "M38: seed {seed}"
        );
        assert_eq!(
            cut.summary.isolation_day,
            early(full.summary.isolation_day),
            "M38: seed {seed}"
        );
    }
}

#[test]
fn m39_a_longer_campaign_cut_at_the_old_horizon_is_the_same_run() {
    // duration_days 120 → 200 run with `--days 120`: the same bytes as the 120-day file.
    let longer = Doc::ring().set("scenario.duration_days", 200);
    let (sa, sb) = (Doc::ring().scenario(), longer.scenario());
    for seed in 1..=3 {
        let a = phaseline::sim::simulate(sa.clone(), seed, None).unwrap_or_else(|e| panic!("{e}"));
        let b =
            phaseline::sim::simulate(sb.clone(), seed, Some(120)).unwrap_or_else(|e| panic!("{e}"));
        for ((name, x), (_, y)) in result_bytes(&a, &sa, false)
            .into_iter()
            .zip(result_bytes(&b, &sb, false))
        {
            assert!(
                x == y,
                "M39: seed {seed} {name}: {}",
                first_difference(&x, &y)
            );
        }
    }
}

#[test]
fn m40_the_same_seed_gives_the_same_bytes_and_another_seed_other_events() {
    same_bytes("M40", &Doc::ring(), &Doc::ring(), 1..=3);
    let runs = ensemble_days(&Doc::ring(), 6, None).runs;
    let differ = runs
        .windows(2)
        .filter(|w| w[0].events != w[1].events)
        .count();
    assert!(
        differ >= 4,
        "M40: only {differ} of 5 neighbouring seeds differ in their events"
    );
}

#[test]
fn m41_without_an_attacker_nothing_changes_hands() {
    // No attacker unit: no settlement is taken, infiltrated or garrisoned, control at the end is
    // control at the start, the objective is never taken and the attacker loses nobody.
    let doc = Doc::ring().edit(|d| {
        let blue = side_id(d, "attacker");
        items(d, "unit").retain(|u| u["side"] != blue.as_str());
    });
    let runs = ensemble_days(&doc, 6, None).runs;
    let mut moved = Vec::new();
    for out in &runs {
        let seed = out.summary.seed;
        moved.extend(
            out.events
                .iter()
                .filter(|e| {
                    matches!(
                        e.kind.as_str(),
                        "control" | "capture" | "infiltration" | "garrison"
                    )
                })
                .map(|e| format!("seed {seed} day {}: {}", e.day, e.detail)),
        );
        let sides = |f: &phaseline::results::Frame| -> Vec<String> {
            f.control.iter().map(|c| c.side.clone()).collect()
        };
        if sides(&out.frames[0]) != sides(&out.frames[out.frames.len() - 1]) {
            moved.push(format!(
                "seed {seed}: control at the end is not control at the start"
            ));
        }
        assert_eq!(out.summary.capture_day, None, "M41: seed {seed}");
        assert_eq!(out.summary.losses.attacker, 0.0, "M41: seed {seed}");
    }
    assert!(
        moved.is_empty(),
        "M41: {} changes of hands without an attacker in {} seeds: {moved:?}",
        moved.len(),
        runs.len()
    );
}

#[test]
fn m42_without_a_defender_the_attacker_walks_in() {
    // No defender unit and no reserve: no attacker combat loss, and Medina taken in every seed by
    // day 30 (Camp → N1 → N2 → NE is 105 km at 20 km/day, then Clear after 2 isolated days and
    // Assault when 75 % of the villages are held) and no later than with its defenders.
    let doc = Doc::ring().edit(|d| {
        let red = side_id(d, "defender");
        items(d, "unit").retain(|u| u["side"] != red.as_str());
        side(d, "defender")["reserve_strength"] = 0.0.into();
    });
    let b = ensemble_days(&doc, SEEDS, None);
    for out in &b.runs {
        let seed = out.summary.seed;
        assert_eq!(
            attacker_combat_losses(out),
            0.0,
            "M42: seed {seed}: attacker combat losses"
        );
        assert!(
            capture(out) <= 30.0,
            "M42: seed {seed}: taken on day {}",
            capture(out)
        );
    }
    no_higher(
        "M42",
        "capture day",
        &ring_base().of(capture),
        &b.of(capture),
        0.0,
        1.0,
    );
}
