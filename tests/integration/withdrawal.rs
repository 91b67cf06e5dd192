//! Negotiated withdrawal: the last defenders of a besieged town leave under a deal, alive, once
//! the attacker fights inside and they are down to the doctrine's share; never when it is off.

use crate::support::*;
use phaseline::model::EventKind;

/// A town `o` with 400 defenders holding it, an attacker of 3 000 already inside, and the
/// defender's exit `x` 80 km away behind the attacker's own base (safe conduct crosses it).
fn besieged_town(defender: &str) -> String {
    let mut t = header(
        60,
        "",
        &format!("escape_share_per_day = 0\nreserve_strength = 0\n{defender}"),
    );
    t += &settlement("o", "town", 38.0, "red", "");
    t += &settlement("b", "base", 37.0, "blue", "");
    t += &settlement("x", "base", 36.0, "red", "");
    t += &route("o-b", "o", "b", 40.0, 100.0);
    t += &route("b-x", "b", "x", 40.0, 100.0);
    t += &objective("o", &["x"], &["x"]);
    t += &unit("red-o", "red", "o", 400.0, "task = \"hold\"");
    t += &unit("blue-o", "blue", "o", 3000.0, "");
    t
}

#[test]
fn the_last_defenders_leave_under_a_deal_and_are_not_lost() {
    let s = parse(&besieged_town(
        "withdrawal_below_share = 0.9\nwithdrawal_rate_per_day = 5",
    ));
    for seed in 1..=5 {
        let out = run(&s, seed);
        let deal = out
            .events
            .iter()
            .find(|e| e.kind == EventKind::Withdrawal)
            .unwrap_or_else(|| panic!("seed {seed}: no withdrawal"));
        // 90 % of the peak is reached once the first day's fighting is over; a rate of 5 a day makes
        // the deal all but certain within the next day or two.
        assert!(deal.day <= 4, "seed {seed}: deal on day {}", deal.day);
        assert!(out.summary.withdrawn_fighters > 100.0, "seed {seed}");
        // Fighters withdrawn are not losses: what combat took and what left add up to no more
        // than the garrison (hunger, counted apart, goes on taking the convoy's fighters after).
        let fought = out.summary.losses.defender - out.summary.starvation_losses.defender;
        assert!(
            fought + out.summary.withdrawn_fighters <= 400.0 + 1e-6,
            "seed {seed}: {fought} lost in combat + {} withdrawn",
            out.summary.withdrawn_fighters
        );
        assert!(
            out.summary.capture_day.is_some(),
            "seed {seed}: the town is taken"
        );
        // The convoy reaches the exit as a unit: the defender's strength is not all gone.
        assert!(row(&out, 10).defender_strength > 100.0, "seed {seed}");
    }
}

#[test]
fn no_deal_when_withdrawal_is_off() {
    for defender in [
        "",
        "withdrawal_below_share = 0.9\nwithdrawal_rate_per_day = 0",
    ] {
        let out = run(&parse(&besieged_town(defender)), 1);
        assert!(
            out.events.iter().all(|e| e.kind != EventKind::Withdrawal),
            "{defender:?}"
        );
        assert_eq!(out.summary.withdrawn_fighters, 0.0);
    }
}
