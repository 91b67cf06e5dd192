//! Hand-written result folders in the documented format: a 31-day run with 6 settlements and 3
//! frames, a 20-seed sweep, and a 12-seed comparison.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The full `timeseries.csv` header, in contract order.
pub(super) const TIMESERIES_HEADER: &str = "day,date,phase,isolation_index,isolation_index_cuts,back_door_open,\
attacker_strength,defender_strength,attacker_supply_days,defender_supply_days,attacker_held,\
defender_held,contested,cleared_unheld,attacker_villages_held,defender_villages_held,attacker_garrison,\
defender_c2,defender_reserve,civilian_harm_index,displaced_civilians,escaped_fighters,\
supply_shortfall_tons,routes_open,routes_interdicted,routes_cut";

/// The SHA-256 the fixtures' manifests carry.
pub(super) const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).expect("write fixture file");
}

/// `manifest.json` for `command` over `seeds`.
pub(super) fn manifest(dir: &Path, command: &str, seeds: &str) {
    let text = format!(
        r#"{{"engine_version": "0.1.0", "command": "{command}", "command_line": ["phaseline", "{command}"],
 "scenario_name": "raqqa", "scenario_file": "scenarios/raqqa.toml", "scenario_sha256": "{SHA}",
 "seeds": "{seeds}", "overrides": []}}"#
    );
    write(dir, "manifest.json", &text);
}

/// One `timeseries.csv` row for `day` of a 30-day campaign.
pub(super) fn timeseries_row(day: u32) -> String {
    let t = f64::from(day);
    let phase = if day < 12 {
        "Isolate"
    } else {
        "Clear, then hold"
    };
    let isolation = (t / 22.0).min(1.0);
    let attacker_held = (1 + day / 6).min(5);
    let contested = u32::from(day % 7 < 3 && day < 28);
    let cleared = u32::from(day > 10).min(5 - attacker_held.min(5) + 1 - contested);
    let defender_held = 6 - attacker_held - contested - cleared;
    format!(
        "{day},2016-11-{:02},\"{phase}\",{isolation},{},{},{},{},{},{},{attacker_held},{defender_held},\
{contested},{cleared},{},{},{},{},{},{},{},{},0,{},{},{}",
        5 + day.min(25),
        (t / 26.0).min(1.0),
        u32::from(day < 20),
        30000.0 - 25.0 * t,
        5000.0 - 60.0 * t,
        10.0 - 0.1 * t,
        8.0 - 0.2 * t,
        day / 8,
        3u32.saturating_sub(day / 10),
        400 + 20 * day,
        1.0 - 0.015 * t,
        1500 - 10 * day,
        0.1 * t,
        1400 * day,
        day * 3,
        6 - day / 10,
        day / 10,
        u32::from(day > 25),
    )
}

/// A run folder: 31 days, 6 settlements, 6 routes, 3 frames.
pub(super) fn run(dir: &Path) {
    manifest(dir, "run", "7");
    let mut ts = format!("{TIMESERIES_HEADER}\n");
    for day in 0..=30 {
        let _ = writeln!(ts, "{}", timeseries_row(day));
    }
    write(dir, "timeseries.csv", &ts);
    write(
        dir,
        "events.csv",
        "day,date,kind,subject,detail\n0,2016-11-05,phase,Isolate,start\n\
         9,2016-11-14,inject,mosul,\"second front, reserves pulled\"\n\
         12,2016-11-17,phase,\"Clear, then hold\",start\n20,2016-11-25,isolation,raqqa,isolated\n",
    );
    write(
        dir,
        "summary.json",
        r#"{
  "scenario": "raqqa", "seed": 7, "days_simulated": 30, "primary_objective": "raqqa",
  "isolation_day": 20, "capture_day": null,
  "phases": [{"name": "Isolate", "behaviour": "isolate", "start_day": 0}, {"name": "Clear, then hold", "behaviour": "clear", "start_day": 12}, {"name": "Assault", "behaviour": "assault", "start_day": null}],
  "phase_start_days": {"Isolate": 0, "Clear, then hold": 12, "Assault": null},
  "final_isolation_index": 1,
  "settlements_controlled": {"attacker": 6, "defender": 0},
  "villages_held": {"attacker": 3, "defender": 0},
  "strength_start": {"attacker": 30000, "defender": 5000},
  "losses": {"attacker": 750, "defender": 1800},
  "loss_share": {"attacker": 0.025, "defender": 0.36},
  "escaped_fighters": 90, "reinforced_fighters": 0,
  "supply_shortfall_tons": 0, "civilian_harm_index": 3, "displaced_civilians": 42000,
  "min_defender_c2": 0.55, "sorties_flown": 300,
  "objectives": {"raqqa": {"isolation_day": 20, "capture_day": null, "final_isolation_index": 1}}
}"#,
    );
    write(dir, "snapshots.json", SNAPSHOTS);
}

const SNAPSHOTS: &str = r#"{
  "sides": [{"id": "sdf", "name": "SDF", "role": "attacker"}, {"id": "isis", "name": "ISIS", "role": "defender"}],
  "settlements": [
    {"id": "raqqa", "name": "Raqqa", "kind": "city", "lat": 35.95, "lon": 39.01, "value": 10, "objective": true},
    {"id": "tabqa", "name": "Tabqa", "kind": "town", "lat": 35.83, "lon": 38.55, "value": 6, "objective": false},
    {"id": "ain_issa", "name": "Ain Issa", "kind": "town", "lat": 36.39, "lon": 38.86, "value": 4, "objective": false},
    {"id": "tal_abyad", "name": "Tal Abyad", "kind": "town", "lat": 36.70, "lon": 38.95, "value": 5, "objective": false},
    {"id": "karama", "name": "Karama", "kind": "village", "lat": 35.98, "lon": 39.30, "value": 1, "objective": false},
    {"id": "shaddadi", "name": "Shaddadi", "kind": "village", "lat": 36.05, "lon": 40.73, "value": 2, "objective": false}
  ],
  "routes": [
    {"id": "r1", "from": "raqqa", "to": "tabqa", "kind": "highway"},
    {"id": "r2", "from": "raqqa", "to": "ain_issa", "kind": "road"},
    {"id": "r3", "from": "ain_issa", "to": "tal_abyad", "kind": "highway"},
    {"id": "r4", "from": "raqqa", "to": "karama", "kind": "road"},
    {"id": "r5", "from": "karama", "to": "shaddadi", "kind": "road"},
    {"id": "r6", "from": "tabqa", "to": "ain_issa", "kind": "track"}
  ],
  "frames": [
    {"day": 0, "label": "Start", "control": [{"side": "isis", "state": "held"}, {"side": "isis", "state": "held"}, {"side": "sdf", "state": "held"}, {"side": "sdf", "state": "held"}, {"side": "isis", "state": "held"}, {"side": "isis", "state": "held"}],
     "routes": ["open", "open", "open", "open", "open", "open"]},
    {"day": 12, "label": "Clear, then hold", "control": [{"side": "isis", "state": "held"}, {"side": null, "state": "contested"}, {"side": "sdf", "state": "held"}, {"side": "sdf", "state": "held"}, {"side": "sdf", "state": "cleared_unheld"}, {"side": "isis", "state": "held"}],
     "routes": ["interdicted", "open", "open", "open", "interdicted", "open"]},
    {"day": 30, "label": "End", "control": [{"side": "isis", "state": "contested"}, {"side": "sdf", "state": "held"}, {"side": "sdf", "state": "held"}, {"side": "sdf", "state": "held"}, {"side": "sdf", "state": "held"}, {"side": "sdf", "state": "held"}],
     "routes": ["cut", "open", "open", "cut", "cut", "open"]}
  ]
}"#;

/// `bands.csv` rows for days 0..=30: isolation_index and attacker_villages_held, shifted by `lag` days.
pub(super) fn bands(lag: f64) -> String {
    let mut out = String::from("day,series,p5,p25,p50,p75,p95,mean\n");
    for day in 0..=30 {
        let t = f64::from(day);
        let iso = |shift: f64| ((t - lag + shift) / 22.0).clamp(0.0, 1.0);
        let _ = writeln!(
            out,
            "{day},isolation_index,{},{},{},{},{},{}",
            iso(-6.0),
            iso(-2.5),
            iso(0.0),
            iso(2.5),
            iso(6.0),
            iso(0.0)
        );
        let v = |k: f64| (t * k / 6.0).floor();
        let _ = writeln!(
            out,
            "{day},attacker_villages_held,{},{},{},{},{},{}",
            v(0.5),
            v(0.8),
            v(1.0),
            v(1.2),
            v(1.6),
            v(1.0)
        );
    }
    out
}

/// A sweep folder over seeds 1..20: 5 seeds never isolated, 16 never captured.
pub(super) fn sweep(dir: &Path) {
    manifest(dir, "sweep", "1..20");
    write(dir, "bands.csv", &bands(0.0));
    let mut runs = String::from(
        "seed,isolation_day,capture_day,final_isolation_index,attacker_losses,defender_losses\n",
    );
    for seed in 1..=20u32 {
        let iso = if seed % 4 == 0 {
            String::new()
        } else {
            (14 + seed % 9).to_string()
        };
        let cap = if seed % 5 == 1 {
            (24 + seed % 6).to_string()
        } else {
            String::new()
        };
        let _ = writeln!(
            runs,
            "{seed},{iso},{cap},0.9,{},{}",
            700 + seed,
            1700 + seed
        );
    }
    write(dir, "runs.csv", &runs);
    write(
        dir,
        "aggregate.json",
        r#"{"isolation_day": {"n": 15, "mean": 18.1, "sd": 2.6, "ci95_low": 16.7, "ci95_high": 19.5, "p5": 14, "p25": 16, "p50": 18, "p75": 20, "p95": 22, "reached_share": 0.75},
 "capture_day": {"n": 4, "mean": 26.5, "sd": 1.3, "ci95_low": 24.4, "ci95_high": 28.6, "p5": 24.2, "p25": 25.5, "p50": 26.5, "p75": 27.5, "p95": 28.8, "reached_share": 0.2}}"#,
    );
}

/// A comparison folder: course B ("raqqa-east") isolates about 4 days earlier than A ("raqqa").
pub(super) fn compare(dir: &Path) {
    manifest(dir, "compare", "1..12");
    write(dir, "a_bands.csv", &bands(0.0));
    write(dir, "b_bands.csv", &bands(-4.0));
    let mut pairs = String::from("seed,figure,a,b,diff\n");
    for seed in 1..=12u32 {
        let s = f64::from(seed);
        let rows = [
            ("isolation_day", Some(18.0 + s % 5.0), Some(14.0 + s % 4.0)),
            ("capture_day", None, (seed % 3 == 0).then_some(27.0)),
            (
                "attacker_losses",
                Some(700.0 + 10.0 * s),
                Some(760.0 + 12.0 * s),
            ),
            (
                "defender_loss_share",
                Some(0.3 + 0.01 * s),
                Some(0.33 + 0.01 * s),
            ),
            ("supply_shortfall_tons", Some(0.0), Some(0.0)),
        ];
        for (figure, a, b) in rows {
            let cell = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
            let diff = a.zip(b).map(|(a, b)| b - a);
            let _ = writeln!(
                pairs,
                "{seed},{figure},{},{},{}",
                cell(a),
                cell(b),
                cell(diff)
            );
        }
    }
    write(dir, "pairs.csv", &pairs);
    write(
        dir,
        "comparison.json",
        r#"{"a": {"scenario_name": "raqqa"}, "b": {"scenario_name": "raqqa-east"},
 "figures": {
  "isolation_day": {"mean_diff": -3.5, "ci95_low": -4.6, "ci95_high": -2.4, "n": 12},
  "capture_day": {"mean_diff": null, "ci95_low": null, "ci95_high": null, "n": 0},
  "attacker_losses": {"n": 12, "mean_a": 765, "mean_b": 838, "mean_diff": 73, "ci95_low": 65.2, "ci95_high": 80.8},
  "defender_loss_share": {"mean_diff": 0.03, "ci95_low": 0.03, "ci95_high": 0.03, "n": 12},
  "supply_shortfall_tons": {"mean_diff": 0, "ci95_low": 0, "ci95_high": 0, "n": 12},
  "phase_start_Clear": {"mean_diff": -2, "ci95_low": -3.1, "ci95_high": -0.9, "n": 12}
 }}"#,
    );
}

/// The factors of the farm fixture: (name, path, low, high).
const FARM_FACTORS: [(&str, &str, f64, f64); 3] = [
    ("sorties", "air.sorties_per_day", 10.0, 40.0),
    ("lethality", "combat.lethality", 0.2, 0.8),
    ("garrison", "defender.garrison_share", 0.1, 0.5),
];

/// A farm folder: 3 factors over 12 design points × 5 seeds; isolation comes later with fewer
/// sorties and a larger garrison and never comes in some runs, capture never comes at all.
/// `sensitivity.json` has three outcomes: the isolation day, whether isolation happens, and the
/// capture day (null coefficients with a note).
pub(super) fn farm(dir: &Path) {
    manifest(dir, "farm", "1..5");
    let mut runs = String::from(
        "point,seed,sorties,lethality,garrison,isolation_day,capture_day,final_isolation_index\n",
    );
    let mut censored = 0;
    for point in 0..12u32 {
        // A hand-made Latin hypercube: each column visits every twelfth of its range once.
        let u = |k: u32, o: u32| f64::from((point * k + o) % 12) / 11.0;
        let sorties = (10.0 + 30.0 * u(5, 3)).round();
        let lethality = 0.2 + 0.6 * u(7, 1);
        let garrison = 0.1 + 0.4 * u(1, 6);
        for seed in 1..=5u32 {
            let day = 32.0 - 0.5 * sorties + 20.0 * garrison + f64::from(seed * 7 % 5);
            let iso = if day > 30.0 {
                censored += 1;
                String::new()
            } else {
                day.round().to_string()
            };
            let _ = writeln!(
                runs,
                "{point},{seed},{sorties},{lethality:.3},{garrison:.3},{iso},,{:.2}",
                (0.6 + 0.01 * sorties).min(1.0)
            );
        }
    }
    write(dir, "runs.csv", &runs);
    let factors: Vec<String> = FARM_FACTORS
        .iter()
        .map(|(name, path, low, high)| {
            format!(r#"{{"name": "{name}", "path": "{path}", "low": {low}, "high": {high}, "integer": {}}}"#, *name == "sorties")
        })
        .collect();
    let effect = |factor: &str, c: f64, lo: f64, hi: f64| {
        format!(
            r#"{{"factor": "{factor}", "coefficient": {c}, "std_error": 0.05, "ci95_low": {lo}, "ci95_high": {hi}}}"#
        )
    };
    let null = |factor: &str| {
        format!(
            r#"{{"factor": "{factor}", "coefficient": null, "std_error": null, "ci95_low": null, "ci95_high": null}}"#
        )
    };
    let text = format!(
        r#"{{"format": "phaseline-farm/1", "method": "standardized rank regression coefficients (SRRC)",
 "design": {{"kind": "latin_hypercube", "points": 12, "seeds_per_point": 5, "seeds": "1..5", "runs": 60,
   "max_abs_correlation": 0.042, "worst_pair": ["sorties", "garrison"], "min_distance": 0.19}},
 "factors": [{}],
 "outcomes": [
  {{"outcome": "isolation_day", "column": "isolation_day", "kind": "value", "runs": 60, "censored": {censored},
    "r_squared": 0.71, "ranking": ["sorties", "garrison", "lethality"],
    "effects": [{}, {}, {}], "note": null}},
  {{"outcome": "isolation_reached", "column": "isolation_day", "kind": "reached", "runs": 60, "censored": 0,
    "r_squared": 0.38, "ranking": ["sorties", "garrison", "lethality"],
    "effects": [{}, {}, {}], "note": null}},
  {{"outcome": "capture_day", "column": "capture_day", "kind": "value", "runs": 60, "censored": 60,
    "r_squared": null, "ranking": [], "effects": [{}, {}, {}],
    "note": "every run censored: the event never happened"}}
 ]}}"#,
        factors.join(", "),
        effect("sorties", -0.78, -0.86, -0.7),
        effect("lethality", -0.04, -0.15, 0.07),
        effect("garrison", 0.35, 0.21, 0.49),
        effect("sorties", 0.52, 0.31, 0.73),
        effect("lethality", 0.02, -0.2, 0.24),
        effect("garrison", -0.3, -0.51, -0.09),
        null("sorties"),
        null("lethality"),
        null("garrison"),
    );
    write(dir, "sensitivity.json", &text);
}
