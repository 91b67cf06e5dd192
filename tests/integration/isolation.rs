//! Isolation: the max-flow index on hand-made graphs, the minimum cut, the back door and escape.

use crate::support::*;
use phaseline::graph::RouteGraph;
use phaseline::model::EventKind;
use phaseline::model::{Isolation, Key};
use proptest::prelude::*;

/// S (outside source) feeds the city O through M1 and M2, each path 100 t/day; `extra` adds tables.
fn two_paths(extra: &str) -> String {
    let mut t = header(10, "", "");
    t += &settlement("s", "base", 40.0, "red", "");
    t += &settlement("m1", "village", 39.5, "red", "");
    t += &settlement("m2", "village", 39.5, "red", "");
    t += &settlement("o", "city", 39.0, "red", "population = 100000");
    t += &route("s-m1", "s", "m1", 50.0, 100.0);
    t += &route("s-m2", "s", "m2", 50.0, 100.0);
    t += &route("m1-o", "m1", "o", 50.0, 100.0);
    t += &route("m2-o", "m2", "o", 50.0, 100.0);
    t += &objective("o", &["s"], &["s"]);
    t + extra
}

fn cut(route: &str, day: u32) -> String {
    format!("\n[[inject]]\nday = {day}\naction = \"cut_route\"\nroute = \"{route}\"\n")
}

#[test]
fn every_route_cut_gives_index_one() {
    let text = two_paths(&(cut("s-m1", 0) + &cut("s-m2", 0) + &cut("m1-o", 0) + &cut("m2-o", 0)));
    let out = run(&parse(&text), 1);
    assert_eq!(row(&out, 0).isolation_index, 0.0);
    assert_eq!(row(&out, 1).isolation_index, 1.0);
    assert_eq!(row(&out, 1).back_door_open, 0, "no path leads out");
}

#[test]
fn one_of_two_equal_parallel_routes_cut_halves_the_flow() {
    let out = run(&parse(&two_paths(&cut("s-m1", 0))), 1);
    assert_eq!(row(&out, 1).isolation_index, 0.5);
    assert_eq!(
        row(&out, 1).back_door_open,
        1,
        "the other path still leads out"
    );
}

#[test]
fn a_bypass_restores_the_flow() {
    // M2–O can carry 200, and a track M1–M2 lets M1's flow around the cut M1–O.
    let bypass = |with: bool| {
        let mut t = two_paths(&cut("m1-o", 0)).replace(
            "id = \"m2-o\"\nfrom = \"m2\"\nto = \"o\"\nlength_km = 50\ncapacity_tons_per_day = 100",
            "id = \"m2-o\"\nfrom = \"m2\"\nto = \"o\"\nlength_km = 50\ncapacity_tons_per_day = 200",
        );
        if with {
            t += &route("m1-m2", "m1", "m2", 20.0, 100.0);
        }
        run(&parse(&t), 1)
    };
    assert_eq!(row(&bypass(false), 1).isolation_index, 0.5);
    assert_eq!(row(&bypass(true), 1).isolation_index, 0.0);
}

#[test]
fn an_inject_cutting_the_last_open_route_isolates_that_day() {
    let mut t = header(10, "", "");
    t += &settlement("s", "base", 40.0, "red", "");
    t += &settlement("o", "town", 39.0, "red", "");
    t += &route("s-o", "s", "o", 50.0, 80.0);
    t += &objective("o", &["s"], &["s"]);
    t += &cut("s-o", 3);
    let out = run(&parse(&t), 1);
    assert_eq!(row(&out, 3).isolation_index, 0.0, "open until day 3 begins");
    assert_eq!(row(&out, 4).isolation_index, 1.0, "cut during day 3");
    assert_eq!(out.summary.isolation_day, Some(3));
    assert!(
        out.events
            .iter()
            .any(|e| e.day == 3 && e.kind == EventKind::Inject && e.subject == "s-o")
    );
    assert!(
        out.events
            .iter()
            .any(|e| e.day == 3 && e.kind == EventKind::Isolation)
    );
}

#[test]
fn the_minimum_cut_names_the_settlements_to_seize() {
    // tiny.toml: 250 t/day reach Alpha over the Bridge (200) and the Northfield track (50).
    let tiny = bundled("tiny.toml");
    let sim = sim(&tiny, 1);
    let iso = sim.world().resource::<Isolation>();
    let names: Vec<&str> = iso.objectives[0]
        .cut_settlements
        .iter()
        .map(|&n| tiny.settlements[n].id.as_str())
        .collect();
    // Node order is id order: bridge before northfield.
    assert_eq!(names, ["bridge", "northfield"]);
    assert_eq!(iso.objectives[0].flow_day0, 250.0);
}

#[test]
fn escapees_leave_through_the_back_door_and_reappear_at_the_exit() {
    let mut s = sim(&bundled("tiny.toml"), 1);
    s.step_days(10);
    let world = s.world_mut();
    let mut q = world.query::<&Key>();
    let at_exit = q
        .iter(world)
        .filter(|k| k.id.starts_with("escaped-east-base"))
        .count();
    let out = run(&bundled("tiny.toml"), 1);
    assert!(
        out.summary.escaped_fighters > 0.0,
        "defenders escaped while the back door was open"
    );
    assert!(out.events.iter().any(|e| e.kind == EventKind::Escape));
    assert!(at_exit > 0, "escapees reappear at East Base as units");
    // Nobody escapes on a day that begins with the back door shut.
    for e in out.events.iter().filter(|e| e.kind == EventKind::Escape) {
        assert_eq!(
            row(&out, e.day).back_door_open,
            1,
            "escape on day {} through a shut back door",
            e.day
        );
    }
}

proptest! {
    /// On random graphs, max flow equals the capacity of the minimum cut, and cutting routes never
    /// raises the flow, so the index stays in [0, 1].
    #[test]
    fn index_stays_in_unit_interval_on_random_graphs(
        edges in prop::collection::vec((0usize..8, 0usize..8, 1u32..200), 1..24),
        cut_mask in prop::collection::vec(any::<bool>(), 24),
    ) {
        let ends: Vec<(usize, usize, f64)> = edges.iter().filter(|(a, b, _)| a != b).map(|&(a, b, _)| (a, b, 1.0)).collect();
        let caps: Vec<f64> = edges.iter().filter(|(a, b, _)| a != b).map(|&(_, _, c)| f64::from(c)).collect();
        let graph = RouteGraph::from_ends(8, ends);
        let full = graph.max_flow(&[0, 1], 7, &caps);
        let cut_caps: f64 = full.cut_routes(&graph, &caps).iter().map(|&r| caps[r]).sum();
        prop_assert!((full.value - cut_caps).abs() < 1e-6, "max flow {} ≠ min cut {}", full.value, cut_caps);
        let reduced: Vec<f64> = caps.iter().zip(&cut_mask).map(|(c, m)| if *m { 0.0 } else { *c }).collect();
        let now = graph.max_flow(&[0, 1], 7, &reduced).value;
        prop_assert!(now <= full.value + 1e-9);
        if full.value > 0.0 {
            let index = 1.0 - now / full.value;
            prop_assert!((0.0..=1.0).contains(&index));
        }
    }
}
