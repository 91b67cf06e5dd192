//! Movement: march speed on one's own ground, advance speed through contested or enemy ground, and
//! the time a river crossing costs.

use crate::support::*;

/// An attacker unit at its base `b` is sent to take the empty objective `o` (the only phase is an
/// assault), over `first` from `b` to the attacker's village `m` and then a 20 km road into `o`.
fn approach(first: &str, unit_speeds: &str) -> String {
    let mut t = header(20, "", "escape_share_per_day = 0");
    t += &settlement("b", "base", 38.0, "blue", "");
    t += &settlement("m", "village", 38.4, "blue", "");
    t += &settlement("o", "town", 38.6, "red", "");
    t += &settlement("s", "base", 39.6, "red", "");
    t += first;
    t += &route("m-o", "m", "o", 20.0, 100.0);
    t += &route("o-s", "o", "s", 90.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &unit("blue-1", "blue", "b", 1000.0, unit_speeds);
    t += &unit("red-1", "red", "s", 100.0, "task = \"hold\"");
    t + "\n[[phase]]\nname = \"Assault\"\nbehaviour = \"assault\"\n"
}

fn capture_day(text: &str) -> Option<u32> {
    run(&parse(text), 1).summary.capture_day
}

/// 6-hour ticks; a unit arriving ends its move for that tick. March 20 km/day over the 40 km of its
/// own ground (b–m): 5 km a tick, 8 ticks, at `m` at the end of day 1. Then into the enemy's town
/// at the advance speed, 5 km/day: 1.25 km a tick, 16 ticks, taken at the end of day 5. At 20 km/day
/// throughout it is taken on day 2 (4 more ticks); at 5 km/day throughout on day 11 (32 + 16 ticks).
#[test]
fn units_march_on_their_own_ground_and_advance_slower_into_the_enemys() {
    let road = route("b-m", "b", "m", 40.0, 100.0);
    let two_speeds = approach(&road, "speed_km_per_day = 20\nadvance_speed_km_per_day = 5");
    assert_eq!(capture_day(&two_speeds), Some(5));
    assert_eq!(
        capture_day(&approach(&road, "speed_km_per_day = 20")),
        Some(2),
        "the advance speed defaults to the march speed"
    );
    assert_eq!(
        capture_day(&approach(&road, "speed_km_per_day = 5")),
        Some(11)
    );
}

/// A 5 km river crossing between `b` and `m`, at 20 km/day (5 km a tick) everywhere. With the
/// default delay of 1 day the unit waits 4 ticks at the near bank, crosses in the 5th (tick 4),
/// and covers the 20 km to `o` in ticks 5–8: taken on day 2 (tick 8). Without the delay: crossed
/// in tick 0, taken in tick 4, day 1. With a 2.5-day delay: crossed in tick 10, taken in tick 14,
/// day 3.
#[test]
fn a_river_crossing_costs_its_delay() {
    let crossing =
        |extra: &str| route("b-m", "b", "m", 5.0, 100.0) + "kind = \"river_crossing\"\n" + extra;
    let speeds = "speed_km_per_day = 20";
    assert_eq!(capture_day(&approach(&crossing(""), speeds)), Some(2));
    assert_eq!(
        capture_day(&approach(&crossing("crossing_delay_days = 0\n"), speeds)),
        Some(1)
    );
    assert_eq!(
        capture_day(&approach(&crossing("crossing_delay_days = 2.5\n"), speeds)),
        Some(3)
    );
    assert_eq!(
        capture_day(&approach(&route("b-m", "b", "m", 5.0, 100.0), speeds)),
        Some(1),
        "a road costs no crossing time"
    );
}

/// The crossing's capacity is the route's own: supply and the isolation index read a crossing's
/// `capacity_tons_per_day` unchanged (the day-0 flow into the objective is the crossing's 70 t).
#[test]
fn a_river_crossing_carries_its_stated_capacity() {
    let mut t = header(2, "", "escape_share_per_day = 0");
    t += &settlement("b", "base", 38.0, "blue", "");
    t += &settlement("o", "town", 38.6, "red", "");
    t += &settlement("s", "base", 39.6, "red", "");
    t += &route("b-o", "b", "o", 60.0, 100.0);
    t += &(route("o-s", "o", "s", 2.0, 70.0) + "kind = \"river_crossing\"\n");
    t += &objective("o", &["s"], &["s"]);
    t += &unit("blue-1", "blue", "b", 1000.0, "task = \"hold\"");
    let mut sim = sim(&parse(&t), 1);
    sim.step();
    let flow = sim
        .world()
        .resource::<phaseline::model::Isolation>()
        .objectives[0]
        .flow;
    assert_eq!(flow, 70.0);
}
