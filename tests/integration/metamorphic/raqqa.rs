//! The headline relations on the Raqqa scenario itself (M43–M46, M52, M53), where the lead measured
//! them: 24 seeds, each run cut at day 200 (`--days 200`; Raqqa falls around day 150–165), so the
//! six relations cost about what the ring's ensembles do.

use super::harness::*;
use std::sync::OnceLock;

const SEEDS_RAQQA: u64 = 24;
const DAYS: Option<u32> = Some(200);

fn raqqa() -> Doc {
    Doc::toml_file("scenarios/raqqa.toml")
}

fn base() -> &'static Ensemble {
    static BASE: OnceLock<Ensemble> = OnceLock::new();
    BASE.get_or_init(|| ensemble_days(&raqqa(), SEEDS_RAQQA, DAYS))
}

fn variant(doc: &Doc) -> Ensemble {
    ensemble_days(doc, SEEDS_RAQQA, DAYS)
}

#[test]
fn m43_raqqa_a_stronger_defender_holds_no_shorter() {
    // ISIS: every unit and the reserve × 2 → Raqqa falls no earlier (median, ≥ 80 % of seeds).
    let b = variant(&raqqa().edit(|d| {
        let id = side_id(d, "defender");
        scale_each(d, "unit", Some(&id), "strength", 2.0, 0.0);
        scale(side(d, "defender"), "reserve_strength", 2.0, 0.0);
    }));
    no_lower(
        "M43",
        "capture day",
        &base().of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
}

#[test]
fn m44_raqqa_no_defender_reserve_costs_the_attacker_no_more() {
    let id = side_id(&raqqa().0, "defender");
    let b = variant(&raqqa().set(&format!("side.{id}.reserve_strength"), 0));
    losses_no_higher(
        "M44",
        "attacker losses",
        &base().of(attacker_losses),
        &b.of(attacker_losses),
    );
}

#[test]
fn m45_raqqa_three_hour_ticks_give_the_same_campaign_as_six() {
    // Capture and isolation medians within 2 days, attacker losses within 15 % of A's median.
    let (a, b) = (base(), variant(&raqqa().set("scenario.tick_hours", 3)));
    agree(
        "M45",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        2.0,
        1.0,
    );
    agree(
        "M45",
        "isolation day",
        &a.of(isolation),
        &b.of(isolation),
        2.0,
        1.0,
    );
    let (la, lb) = (a.of(attacker_losses), b.of(attacker_losses));
    agree("M45", "attacker losses", &la, &lb, 0.15 * median(&la), 1.0);
}

#[test]
fn m52_raqqa_twelve_hour_ticks_give_the_same_campaign_as_six() {
    let (a, b) = (base(), variant(&raqqa().set("scenario.tick_hours", 12)));
    agree(
        "M52",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        2.0,
        1.0,
    );
    agree(
        "M52",
        "isolation day",
        &a.of(isolation),
        &b.of(isolation),
        2.0,
        1.0,
    );
    let (la, lb) = (a.of(attacker_losses), b.of(attacker_losses));
    agree("M52", "attacker losses", &la, &lb, 0.15 * median(&la), 1.0);
}

#[test]
#[ignore = "issue 14: Raqqa with [[settlement]] reversed is isolated 8.5 days earlier (median day 55 → 46.5, earlier in 96 % of 24 seeds, KS 0.79)"]
fn m53_raqqa_settlement_order_gives_the_same_campaign() {
    // `[[settlement]]` reversed: the same distributions (capture and isolation medians within
    // 2 days); M32 asks for identical bytes, this measures how far apart the answers are.
    let (a, b) = (
        base(),
        variant(&raqqa().edit(|d| items(d, "settlement").reverse())),
    );
    agree(
        "M53",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        2.0,
        1.0,
    );
    agree(
        "M53",
        "isolation day",
        &a.of(isolation),
        &b.of(isolation),
        2.0,
        1.0,
    );
}

#[test]
fn m46_raqqa_air_sorties_isolate_no_later() {
    // Sorties 0 → the file's: the isolation day comes no later (median, ≥ 80 % of seeds).
    let b = variant(&raqqa().set("air.sorties_per_day", 0));
    no_higher(
        "M46",
        "isolation day",
        &b.of(isolation),
        &base().of(isolation),
        0.0,
        0.8,
    );
}
