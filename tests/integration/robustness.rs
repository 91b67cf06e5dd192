//! Robustness: invariants that hold on random valid scenarios (proptest), inputs the fuzzers found,
//! and size limits refused fast, before anything large is allocated.

use crate::support::*;
use phaseline::model::{Cohesion, Control, Depot, Isolation, Ledger, Node, Strength, Supply};
use phaseline::scenario::{
    Limits, Override, ScenarioError, SourceFormat, load_scenario, load_scenario_with_limits,
    parse_scenario, parse_scenario_with_limits,
};
use phaseline::sim::Simulation;
use proptest::prelude::*;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Random valid scenarios

/// One unit: side (0 attacker), node, strength, supply days, holds.
type UnitSpec = (usize, usize, f64, f64, bool);
/// One depot: side, node, stock, output.
type DepotSpec = (usize, usize, f64, f64);

/// What a random scenario is made of; [`Spec::text`] writes it as TOML.
#[derive(Debug, Clone)]
struct Spec {
    days: u32,
    tick_hours: u32,
    /// Per settlement: kind, longitude offset, controlled by the attacker.
    places: Vec<(&'static str, f64, bool)>,
    /// Routes: (from, to, km, capacity); the first `places.len() - 1` form a spanning tree.
    routes: Vec<(usize, usize, f64, f64)>,
    units: Vec<UnitSpec>,
    depots: Vec<DepotSpec>,
    /// Objective node and its source.
    objective: (usize, usize),
    sorties: f64,
    front: Option<(f64, f64)>,
    reserve: f64,
    explicit_phases: bool,
    /// Injects: (day, kind, index).
    injects: Vec<(u32, u8, usize)>,
}

const KINDS: [&str; 5] = ["city", "town", "village", "crossing", "base"];

fn spec() -> impl Strategy<Value = Spec> {
    (4usize..=12)
        .prop_flat_map(|n| {
            let places = prop::collection::vec(
                (prop::sample::select(&KINDS[..]), 0.0..3.0f64, any::<bool>()),
                n,
            );
            // Spanning tree: node i joins a node before it; then a few extra edges.
            let tree = (1..n)
                .map(|i| (0..i, 5.0..120.0f64, 1.0..400.0f64))
                .collect::<Vec<_>>();
            let extra = prop::collection::vec((0..n, 0..n, 5.0..120.0f64, 1.0..400.0f64), 0..n);
            let unit = (0..2usize, 0..n, 0.0..3000.0f64, 0.0..30.0f64, any::<bool>());
            let depot = (0..2usize, 0..n, 0.0..2000.0f64, 0.0..100.0f64);
            let objective = (0..n, 1..n).prop_map(move |(o, d)| (o, (o + d) % n));
            (
                (Just(n), places, tree, extra),
                (
                    prop::collection::vec(unit, 1..10),
                    prop::collection::vec(depot, 0..4),
                ),
                (
                    objective,
                    0.0..20.0f64,
                    prop::option::of((0.0..10.0f64, 0.0..0.5f64)),
                ),
                (
                    14u32..=35,
                    prop::sample::select(&[6u32, 8, 12, 24][..]),
                    0.0..2000.0f64,
                    any::<bool>(),
                    prop::collection::vec((0u32..30, 0u8..6, 0usize..64), 0..5),
                ),
            )
        })
        .prop_map(
            |(
                (n, places, tree, extra),
                (units, depots),
                (objective, sorties, front),
                (days, tick_hours, reserve, explicit_phases, injects),
            )| {
                let mut routes: Vec<_> = tree
                    .into_iter()
                    .enumerate()
                    .map(|(i, (to, km, cap))| (i + 1, to, km, cap))
                    .collect();
                routes.extend(extra.into_iter().filter(|(a, b, _, _)| a != b));
                debug_assert!(routes.len() >= n - 1);
                Spec {
                    days,
                    tick_hours,
                    places,
                    routes,
                    units,
                    depots,
                    objective,
                    sorties,
                    front,
                    reserve,
                    explicit_phases,
                    injects,
                }
            },
        )
}

const SIDES: [&str; 2] = ["blue", "red"];

impl Spec {
    fn text(&self) -> String {
        let mut t = header(
            self.days,
            "",
            &format!("reserve_strength = {}", self.reserve),
        )
        .replace(
            "tick_hours = 6",
            &format!("tick_hours = {}", self.tick_hours),
        );
        for (i, (kind, lon, attacker)) in self.places.iter().enumerate() {
            let control = if *attacker { "blue" } else { "red" };
            // Every third place keeps stores of its own (captured with it), some with room to refill.
            let extra = format!(
                "population = {}\nstockpile_tons = {}\nstockpile_capacity_tons = {}",
                1000 * i,
                if i % 3 == 0 { 50.0 * i as f64 } else { 0.0 },
                if i % 3 == 0 { 80.0 * i as f64 } else { 0.0 },
            );
            t += &settlement(&format!("s{i}"), kind, 38.0 + lon, control, &extra);
        }
        for (i, (a, b, km, cap)) in self.routes.iter().enumerate() {
            t += &route(
                &format!("r{i}"),
                &format!("s{a}"),
                &format!("s{b}"),
                *km,
                *cap,
            );
        }
        for (i, (side, at, strength, supply, hold)) in self.units.iter().enumerate() {
            let task = if *hold { "hold" } else { "maneuver" };
            let extra = format!("supply_days = {supply}\ntask = \"{task}\"");
            t += &unit(
                &format!("u{i}"),
                SIDES[*side],
                &format!("s{at}"),
                *strength,
                &extra,
            );
        }
        for (i, (side, at, stock, output)) in self.depots.iter().enumerate() {
            let _ = write!(
                t,
                "\n[[depot]]\nid = \"d{i}\"\nside = \"{}\"\nat = \"s{at}\"\nstock_tons = {stock}\noutput_tons_per_day = {output}\n",
                SIDES[*side]
            );
        }
        let (obj, source) = self.objective;
        let source = format!("s{source}");
        t += &objective(&format!("s{obj}"), &[&source], &[&source]);
        let _ = write!(
            t,
            "\n[air]\nsorties_per_day = {}\npriorities = {{ interdiction = 2 }}\n",
            self.sorties
        );
        if let Some((start, load)) = self.front {
            let _ = write!(
                t,
                "\n[[front]]\nname = \"far\"\nstart_day = {start}\nc2_load = {load}\nreserve_draw_per_day = 5\n"
            );
        }
        if self.explicit_phases {
            t += "\n[[phase]]\nname = \"Isolate\"\nbehaviour = \"isolate\"\n";
            t += "\n[[phase]]\nname = \"Clear\"\nbehaviour = \"clear\"\ntrigger = { isolation_at_least = 0.5, for_days = 1, day = 5, mode = \"any\" }\n";
            // A share of villages needs villages to judge (validation refuses an empty area).
            if self.places.iter().any(|(kind, _, _)| *kind == "village") {
                t += "\n[[phase]]\nname = \"Assault\"\nbehaviour = \"assault\"\ntrigger = { villages_held_share = 0.5, day = 10, mode = \"any\" }\n";
            } else {
                t += "\n[[phase]]\nname = \"Assault\"\nbehaviour = \"assault\"\ntrigger = { day = 10 }\n";
            }
        }
        for (k, &(day, kind, index)) in self.injects.iter().enumerate() {
            let day = day.min(self.days);
            let body = match kind {
                0 => format!(
                    "action = \"cut_route\"\nroute = \"r{}\"",
                    index % self.routes.len()
                ),
                1 => format!(
                    "action = \"reopen_route\"\nroute = \"r{}\"",
                    index % self.routes.len()
                ),
                2 if !self.depots.is_empty() => {
                    format!(
                        "action = \"destroy_depot\"\ndepot = \"d{}\"",
                        index % self.depots.len()
                    )
                }
                3 => format!(
                    "action = \"add_unit\"\nunit = \"added-{k}\"\nside = \"{}\"\nat = \"s{}\"\nstrength = {}",
                    SIDES[index % 2],
                    index % self.places.len(),
                    100 * index
                ),
                4 => format!(
                    "action = \"withdraw_unit\"\nunit = \"u{}\"",
                    index % self.units.len()
                ),
                _ => format!("action = \"set_sorties\"\nsorties_per_day = {}", index % 16),
            };
            let _ = write!(t, "\n[[inject]]\nday = {day}\n{body}\n");
        }
        t
    }
}

/// Checks every state invariant of a world after a day; returns what is wrong, if anything.
fn check_state(sim: &mut Simulation, nodes: usize) -> Result<(), String> {
    let world = sim.world_mut();
    let bad = |x: f64| x.is_nan() || x < 0.0;
    for (s, c) in world.query::<(&Strength, &Cohesion)>().iter(world) {
        if bad(s.0) || !s.0.is_finite() {
            return Err(format!("strength {}", s.0));
        }
        if bad(c.0) || c.0 > 1.0 {
            return Err(format!("cohesion {}", c.0));
        }
    }
    let on_hand: Vec<f64> = world
        .query::<&Supply>()
        .iter(world)
        .map(|s| s.tons)
        .collect();
    if let Some(t) = on_hand.iter().find(|t| bad(**t) || !t.is_finite()) {
        return Err(format!("unit supply {t}"));
    }
    let stocks: Vec<f64> = world
        .query::<&Depot>()
        .iter(world)
        .map(|d| d.stock_tons)
        .collect();
    if let Some(t) = stocks.iter().find(|t| bad(**t) || !t.is_finite()) {
        return Err(format!("depot stock {t}"));
    }
    for o in &world.resource::<Isolation>().objectives {
        if !(0.0..=1.0).contains(&o.isolation_index) {
            return Err(format!("isolation index {}", o.isolation_index));
        }
    }
    // Each settlement is one entity with exactly one Control (held by one of the two sides: the
    // type allows nothing else).
    let mut seen = vec![0; nodes];
    for (node, control) in world.query::<(&Node, Option<&Control>)>().iter(world) {
        if control.is_none() {
            return Err(format!(
                "settlement {} has no control state",
                node.0.index()
            ));
        }
        seen[node.0] += 1;
    }
    if seen.iter().any(|&n| n != 1) {
        return Err(format!("settlement entities per node: {seen:?}"));
    }
    let l = world.resource::<Ledger>();
    for side in phaseline::Side::BOTH {
        let a = &l.sides[side];
        for (name, v) in [
            ("in transit", l.in_transit_tons(side)),
            ("consumed", a.consumed_tons),
            ("destroyed", a.destroyed_tons),
            ("produced", a.produced_tons),
            ("captured", a.captured_tons),
            ("lost to the enemy", a.lost_to_enemy_tons),
            ("shortfall", a.shortfall_tons),
        ] {
            if bad(v) {
                return Err(format!("ledger {name} {v} (side {})", side.name()));
            }
        }
    }
    let scale = l
        .sides
        .map(|a| a.initial_tons + a.produced_tons + a.captured_tons);
    for (side, gap) in sim.supply_imbalance().into_iter().enumerate() {
        if gap.abs() > 1e-9 * scale[side].max(1.0) {
            return Err(format!("side {side}'s supply ledger is off by {gap} t"));
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32)
}

proptest! {
    // 32 cases keep the suite fast; PROPTEST_CASES=2000 searches harder.
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Random valid scenarios keep every invariant for their whole length (two to five weeks), and
    /// the same seed gives the same run.
    #[test]
    fn random_scenarios_keep_their_invariants(spec in spec(), seed in any::<u64>()) {
        let text = spec.text();
        let scenario = match parse_scenario(&text, SourceFormat::Toml) {
            Ok(s) => Arc::new(s),
            Err(problems) => panic!("generated scenario invalid: {problems:#?}\n{text}"),
        };
        let nodes = spec.places.len();
        let mut sim = Simulation::new(scenario.clone(), seed, None)
            .unwrap_or_else(|e| panic!("{e}"));
        check_state(&mut sim, nodes).map_err(|e| TestCaseError::fail(format!("day 0: {e}\n{text}")))?;
        for day in 1..=spec.days {
            sim.step_days(1);
            check_state(&mut sim, nodes)
                .map_err(|e| TestCaseError::fail(format!("day {day}: {e}\n{text}")))?;
        }
        let out = sim.run();
        for row in &out.timeseries {
            prop_assert!(row.numeric().iter().all(|x| !x.is_nan()), "NaN in {row:?}");
            prop_assert!((0.0..=1.0).contains(&row.isolation_index));
        }
        let again = Simulation::new(scenario, seed, None).unwrap_or_else(|e| panic!("{e}")).run();
        prop_assert_eq!(format!("{out:?}"), format!("{again:?}"), "same seed, other run");
    }
}

// ---------------------------------------------------------------------------------------------
// Limits

/// A limit passed far into a big text is refused without reading the rest, in milliseconds.
fn assert_refused_fast(text: &str, format: SourceFormat, limits: &Limits, message: &str) {
    let start = Instant::now();
    let problems = match parse_scenario_with_limits(text, format, limits) {
        Ok(_) => panic!("accepted"),
        Err(p) => p,
    };
    let took = start.elapsed();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].message.contains(message), "{problems:#?}");
    assert!(
        problems[0].help.contains("raise the limit"),
        "{problems:#?}"
    );
    // Generous for an unoptimised build on a busy machine; a release build takes a few ms.
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[test]
fn millions_of_units_are_refused_before_parsing() {
    let toml = "[[unit]]\n".repeat(3_000_000);
    assert_refused_fast(
        &toml,
        SourceFormat::Toml,
        &Limits::default(),
        "more than 2500000 [[unit]] tables (limit `max_units` = 2500000)",
    );
    let json = format!("{{\"unit\": [{}{{}}]}}", "{},".repeat(3_000_000));
    assert_refused_fast(
        &json,
        SourceFormat::Json,
        &Limits::default(),
        "more than 2500000 [[unit]] tables",
    );
    let small = Limits {
        max_settlements: 10,
        ..Limits::default()
    };
    let text = "[[settlement]]\nid = \"x\"\n".repeat(11);
    assert_refused_fast(
        &text,
        SourceFormat::Toml,
        &small,
        "more than 10 [[settlement]] tables (limit `max_settlements` = 10)",
    );
}

#[test]
fn deep_nesting_and_long_strings_are_refused_fast() {
    let deep = format!(
        "[scenario]\nname = {}1{}\n",
        "[".repeat(1_000_000),
        "]".repeat(1_000_000)
    );
    assert_refused_fast(
        &deep,
        SourceFormat::Toml,
        &Limits::default(),
        "nested more than 32",
    );
    let deep = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    assert_refused_fast(
        &deep,
        SourceFormat::Json,
        &Limits::default(),
        "nested more than 32",
    );
    let dotted = format!("{} = 1\n", vec!["a"; 100_000].join("."));
    assert_refused_fast(
        &dotted,
        SourceFormat::Toml,
        &Limits::default(),
        "nested more than 32",
    );
    let long = format!("[scenario]\nname = \"{}\"\n", "x".repeat(50_000_000));
    assert_refused_fast(
        &long,
        SourceFormat::Toml,
        &Limits::default(),
        "longer than 65536 bytes",
    );
    let list = format!(
        "{{\"objective\": [{{\"sources\": [{}\"a\"]}}]}}",
        "\"a\",".repeat(300_000)
    );
    assert_refused_fast(
        &list,
        SourceFormat::Json,
        &Limits::default(),
        "more than 250000 elements",
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("huge.toml");
    let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
    // Sparse: no data is written, and none may be read.
    file.set_len(300 * 1024 * 1024)
        .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    let err = load_scenario(&path)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert!(start.elapsed() < Duration::from_millis(500));
    assert!(matches!(err, ScenarioError::TooLarge { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("max_file_bytes") && text.contains("--max-file-bytes"),
        "{text}"
    );
}

#[test]
fn raised_limits_accept_what_the_defaults_refuse() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("tiny.toml");
    let tiny = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&path, &tiny).unwrap_or_else(|e| panic!("{e}"));
    let tight = Limits {
        max_units: 4,
        ..Limits::default()
    };
    let err = load_scenario_with_limits(&path, &[], &tight)
        .err()
        .unwrap_or_else(|| panic!("five units accepted under max_units = 4"));
    let text = err.to_string();
    let fifth_unit_line = tiny
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[unit]]")
        .nth(4)
        .map_or(0, |(i, _)| i + 1);
    assert!(
        text.contains(&format!(
            ":{fifth_unit_line}:1: error: the file has more than 4 [[unit]] tables"
        )),
        "{text}"
    );
    let set: Override = "air.sorties_per_day=3"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let enough = Limits {
        max_units: 5,
        ..Limits::default()
    };
    assert!(load_scenario_with_limits(&path, &[set], &enough).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Inputs that crashed, and their fixes

/// A scenario may be a chain of 100 000 settlements (within the default limits): max-flow along it
/// once recursed once per settlement and overflowed the stack (`phaseline validate` aborted).
#[test]
fn max_flow_along_a_very_long_chain_does_not_overflow_the_stack() {
    let n = 200_000;
    let ends = (0..n - 1).map(|i| (i, i + 1, 1.0)).collect();
    let graph = phaseline::graph::RouteGraph::from_ends(n, ends);
    let caps = vec![10.0; n - 1];
    let flow = graph.max_flow(&[n - 1], 0, &caps);
    assert_eq!(flow.value, 10.0);
    assert_eq!(flow.cut_routes(&graph, &caps), vec![0]);
}
