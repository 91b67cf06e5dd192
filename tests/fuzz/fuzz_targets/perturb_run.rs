//! Fuzz target: valid scenarios pushed to the edges of their ranges. The bytes are read as a list
//! of `--set` overrides applied to `scenarios/tiny.toml` (plus a few injects): each 10-byte chunk
//! picks a field of the schema, an element of its table and a value (the field's minimum, its
//! maximum, zero, or a point in between; a word, an id or a list of ids). Whatever still validates
//! runs for 1 to 10 days. This reaches the simulation with extreme but valid numbers far more often
//! than mutating text does.

#![no_main]

use libfuzzer_sys::fuzz_target;
use phaseline::scenario::overrides::apply;
use phaseline::scenario::schema::{FIELDS, FieldKind};
use phaseline::scenario::{Override, SourceFormat, parse_scenario};
use phaseline::sim::Simulation;
use std::sync::Arc;

const BASE: &str = include_str!("../../../scenarios/tiny.toml");
const INJECTS: &str = r#"
[[inject]]
day = 1
action = "cut_route"
route = "alpha-bridge"

[[inject]]
day = 2
action = "add_unit"
unit = "blue-3"
side = "blue"
at = "west-camp"
strength = 500

[[inject]]
day = 3
action = "destroy_depot"
depot = "red-depot"

[[inject]]
day = 4
action = "withdraw_unit"
unit = "red-north"

[[inject]]
day = 5
action = "set_sorties"
sorties_per_day = 12

[[inject]]
day = 6
action = "reopen_route"
route = "alpha-bridge"
"#;

const IDS: [&str; 8] = [
    "west-camp",
    "northfield",
    "southfield",
    "alpha",
    "bridge",
    "east-base",
    "blue",
    "red",
];

/// Elements of each repeated table in the base scenario.
fn count(table: &str) -> usize {
    match table {
        "side" | "depot" => 2,
        "settlement" | "inject" => 6,
        "route" => 8,
        "unit" => 5,
        "phase" | "phase.trigger" => 3,
        _ => 1,
    }
}

fn value(kind: FieldKind, min: f64, max: f64, pick: u8, bits: u64) -> String {
    let x = match pick % 4 {
        0 => min,
        1 => max,
        2 => 0.0,
        _ => min + (max - min) * (bits as f64 / u64::MAX as f64),
    };
    let id = IDS[bits as usize % IDS.len()];
    match kind {
        FieldKind::Number => format!("{x:?}"),
        FieldKind::Integer => format!("{}", x.round() as i64),
        FieldKind::Bool => format!("{}", bits.is_multiple_of(2)),
        FieldKind::Enum(words) => format!("\"{}\"", words[bits as usize % words.len()]),
        FieldKind::Id | FieldKind::Text => format!("\"{id}\""),
        FieldKind::IdList => format!("[\"{id}\", \"{}\"]", IDS[(bits >> 8) as usize % 6]),
        FieldKind::Date => "\"2016-02-29\"".to_owned(),
        FieldKind::Table => "{}".to_owned(),
        FieldKind::Points => format!("[[{x:?}, 39.0], [36.1, {x:?}]]"),
    }
}

fuzz_target!(|data: &[u8]| {
    let overrides: Vec<Override> = data
        .chunks_exact(10)
        .map(|c| {
            let f = &FIELDS[usize::from(c[0]) % FIELDS.len()];
            let bits = u64::from_le_bytes([c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]]);
            let element = usize::from(c[1] >> 2) % count(f.table);
            let path = match f.table {
                "scenario" | "air" => format!("{}.{}", f.table, f.name),
                "air.priorities" => format!("air.priorities.{}", f.name),
                "phase.trigger" => format!("phase.{element}.trigger.{}", f.name),
                t => format!("{t}.{element}.{}", f.name),
            };
            Override {
                path,
                value_text: value(f.kind, f.min, f.max, c[1], bits),
            }
        })
        .collect();
    let base = format!("{BASE}{INJECTS}");
    let Ok(json) = apply(&base, SourceFormat::Toml, &overrides) else {
        return;
    };
    if let Ok(scenario) = parse_scenario(&json, SourceFormat::Json) {
        let seed =
            u64::from(data.len() as u32) << 8 | u64::from(data.first().copied().unwrap_or(0));
        let days = 1 + (seed % 10) as u32;
        let sim = Simulation::new(Arc::new(scenario), seed, Some(days))
            .unwrap_or_else(|e| panic!("a valid scenario could not be built: {e}"));
        let out = sim.run();
        for row in &out.timeseries {
            assert!(
                row.numeric().iter().all(|x| !x.is_nan()),
                "NaN in a result row: {row:?}"
            );
        }
    }
});
