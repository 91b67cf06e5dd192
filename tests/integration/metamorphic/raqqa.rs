//! The headline relations on the Raqqa scenario itself (M43–M46, M52–M56), where the lead
//! measured them: 24 seeds, each run to the scenario's end (day 365). With its doctrine merged
//! (doctrine/sdf-isis-2016.toml: urban lethality, pauses) Raqqa falls around day 275 on the current
//! model, so a cut at day 200, as the suite once made, would leave the capture day censored in
//! most seeds and the capture relations passing on the cut alone.

use super::harness::*;
use std::sync::OnceLock;

const SEEDS_RAQQA: u64 = 24;
const DAYS: Option<u32> = None;

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
    // ISIS: every unit and the reserve × 2, with the stores to feed them (the city's stockpile and
    // the depots × 2) → Raqqa falls no earlier (median, ≥ 80 % of seeds).
    let b = variant(&raqqa().edit(|d| {
        let id = side_id(d, "defender");
        scale_each(d, "unit", Some(&id), "strength", 2.0, 0.0);
        scale(side(d, "defender"), "reserve_strength", 2.0, 0.0);
        scale_each(d, "settlement", None, "stockpile_tons", 2.0, 0.0);
        scale_each(d, "depot", Some(&id), "stock_tons", 2.0, 0.0);
        scale_each(d, "depot", Some(&id), "output_tons_per_day", 2.0, 0.0);
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
#[ignore = "issue 14: with units supplied along their line of communication, the mean fails (24 seeds: median A 4276.0 → B 4460.5, within +5 %; mean A 4442.7 → B 5098.9, +15 %; B ≤ A in 29 % of seeds, KS 0.29): without the reserve the SDF reaches Raqqa sooner, and in a few seeds its whole assault force is supplied at al-Mashlab, the nearest place it holds, behind the 80 t/day Tal Saman–al-Hamrat track (about half its need for months), while al-Hazima on the 800 t/day highway is 3 km further. To be re-measured once the supply point weighs the road's capacity, not only its length"]
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

/// Tick length on Raqqa: the same distributions as far as 24 seeds can tell (`agree_within_noise`:
/// KS below its 5 % critical value, the median difference's 95 % interval reaching into ±5 days, and
/// the same for attacker losses within 15 % of A's median). Measured with the release build on
/// seeds 1..200: capture median 279.5 (3 h) / 280 (6 h) / 275 (12 h), isolation 165.5 / 167 /
/// 161.5, KS 0.045–0.085 (critical 0.136), every 95 % interval of the median difference containing
/// 0, mean paired difference at most 2.3 days. The fixed 5-day tolerance this relation once had on
/// the medians of 24 seeds was below its own noise (the median's standard error is ~10 days here);
/// the strict tick-length relations are M29–M30, on the ring, where the spread is small.
fn same_campaign_at_tick(relation: &str, tick_hours: u32) {
    let (a, b) = (
        base(),
        variant(&raqqa().set("scenario.tick_hours", tick_hours)),
    );
    agree_within_noise(relation, "capture day", &a.of(capture), &b.of(capture), 5.0);
    agree_within_noise(
        relation,
        "isolation day",
        &a.of(isolation),
        &b.of(isolation),
        5.0,
    );
    let (la, lb) = (a.of(attacker_losses), b.of(attacker_losses));
    agree_within_noise(relation, "attacker losses", &la, &lb, 0.15 * median(&la));
}

#[test]
fn m45_raqqa_three_hour_ticks_give_the_same_campaign_as_six() {
    same_campaign_at_tick("M45", 3);
}

#[test]
fn m52_raqqa_twelve_hour_ticks_give_the_same_campaign_as_six() {
    same_campaign_at_tick("M52", 12);
}

#[test]
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
        5.0,
        1.0,
    );
    agree(
        "M53",
        "isolation day",
        &a.of(isolation),
        &b.of(isolation),
        5.0,
        1.0,
    );
}

/// Raqqa with `sorties` a day.
fn sorties(sorties: u32) -> Ensemble {
    variant(&raqqa().set("air.sorties_per_day", sorties))
}

#[test]
#[ignore = "issue 14: after where-to-cut by cost and the three-line plan, sorties 0 → 5 isolate 30 days earlier in the median (188.5 → 158.5) but no later (within a day) in only 79 % of 24 seeds (criterion 80 %): single seeds diverge on which cut the attacker commits to"]
fn m46_raqqa_air_sorties_isolate_no_later() {
    // Sorties 0 → 5 a day: the isolation day comes no later (median; within a day in ≥ 80 % of
    // seeds, Raqqa's isolation day varying more between seeds than the ring's). The issue
    // measured 0 → 5 delaying it (69 → 72).
    let (a, b) = (sorties(0), sorties(5));
    no_higher(
        "M46",
        "isolation day",
        &a.of(isolation),
        &b.of(isolation),
        1.0,
        0.8,
    );
}

#[test]
#[ignore = "issue 14: with its doctrine merged (the harness once ran Raqqa without doctrine/sdf-isis-2016.toml), 10 sorties a day isolate earlier than 5 in the median (126.5 → 106.5) but no later in only 75 % of 24 seeds (criterion 80 %)"]
fn m56_raqqa_more_air_sorties_isolate_no_later() {
    // Sorties 5 → 10 (the file's) a day: the same criterion as M46, one rung up.
    let b = base();
    no_higher(
        "M56",
        "isolation day",
        &sorties(5).of(isolation),
        &b.of(isolation),
        1.0,
        0.8,
    );
}

#[test]
fn m54_raqqa_a_more_lethal_attacker_loses_no_more() {
    // SDF lethality × 2, in the open and in the city: SDF losses no higher (the issue measured
    // them rising).
    let id = side_id(&raqqa().0, "attacker");
    let b = variant(
        &raqqa()
            .set(&format!("side.{id}.lethality_per_day"), 0.008)
            .set(&format!("side.{id}.urban_lethality_per_day"), 0.2),
    );
    let a = base();
    losses_no_higher(
        "M54",
        "attacker losses",
        &a.of(attacker_losses),
        &b.of(attacker_losses),
    );
    no_higher(
        "M54",
        "capture day",
        &a.of(capture),
        &b.of(capture),
        0.0,
        0.8,
    );
}

#[test]
fn m55_raqqa_escape_is_continuous_in_its_threat_ratio() {
    // escape_threat_ratio 2.5 (the file's) → 2.2: escaped medians within a quarter of the larger
    // plus 20 fighters (the issue measured 0 → 46, and 918 at 1.5).
    let id = side_id(&raqqa().0, "defender");
    let b = variant(&raqqa().set(&format!("side.{id}.escape_threat_ratio"), 2.2));
    let (ea, eb) = (base().of(escaped), b.of(escaped));
    let tolerance = 0.25 * median(&ea).max(median(&eb)) + 20.0;
    agree("M55", "escaped fighters", &ea, &eb, tolerance, 1.0);
}
