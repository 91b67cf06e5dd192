//! Injects: each action does what it says on its day, and is an event.

use crate::support::*;
use phaseline::model::EventKind;

fn theatre(injects: &str) -> String {
    let mut t = header(10, "", "");
    t += &settlement("camp", "base", 38.0, "blue", "");
    t += &settlement("o", "town", 39.0, "red", "");
    t += &settlement("s", "base", 40.0, "red", "");
    t += &route("camp-o", "camp", "o", 200.0, 100.0);
    t += &route("o-s", "o", "s", 60.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t += &unit("red-1", "red", "o", 300.0, "task = \"hold\"");
    t += "\n[[depot]]\nid = \"red-depot\"\nside = \"red\"\nat = \"s\"\nstock_tons = 900\n";
    t + injects
}

#[test]
fn add_withdraw_destroy_and_sorties_injects_take_effect_on_their_day() {
    let injects = r#"
[[inject]]
day = 2
action = "add_unit"
unit = "blue-late"
side = "blue"
at = "camp"
strength = 700

[[inject]]
day = 3
action = "withdraw_unit"
unit = "red-1"

[[inject]]
day = 4
action = "destroy_depot"
depot = "red-depot"

[[inject]]
day = 5
action = "set_sorties"
sorties_per_day = 6
"#;
    let out = run(&parse(&theatre(injects)), 1);
    assert_eq!(row(&out, 2).attacker_strength, 0.0);
    assert_eq!(
        row(&out, 3).attacker_strength,
        700.0,
        "the unit arrives on day 2"
    );
    assert_eq!(row(&out, 3).defender_strength, 300.0);
    assert_eq!(
        row(&out, 4).defender_strength,
        0.0,
        "the unit leaves on day 3"
    );
    let kinds: Vec<(u32, &str)> = out
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Inject)
        .map(|e| (e.day, e.subject.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [(2, "blue-late"), (3, "red-1"), (4, "red-depot"), (5, "air")]
    );
    assert!(
        out.events
            .iter()
            .all(|e| e.kind != EventKind::Strike || e.day >= 5),
        "no sorties before day 5"
    );
    assert!(
        out.events
            .iter()
            .any(|e| e.kind == EventKind::Strike && e.day == 5)
    );
    assert_eq!(out.summary.sorties_flown, 6.0 * 5.0, "6 a day on days 5–9");
}

#[test]
fn a_reopened_route_carries_flow_again() {
    let injects = "\n[[inject]]\nday = 1\naction = \"cut_route\"\nroute = \"o-s\"\n\n[[inject]]\nday = 4\naction = \"reopen_route\"\nroute = \"o-s\"\n";
    let out = run(&parse(&theatre(injects)), 1);
    assert_eq!(row(&out, 2).isolation_index, 1.0);
    assert_eq!(row(&out, 5).isolation_index, 0.0);
}
