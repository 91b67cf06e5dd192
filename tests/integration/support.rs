//! Helpers for building small hand-made scenarios and running them.

use phaseline::results::RunOutput;
use phaseline::scenario::{Scenario, SourceFormat, parse_scenario};
use phaseline::sim::{Simulation, simulate};
use std::sync::Arc;

/// Parses TOML scenario text, panicking with every problem when it is invalid (a test bug).
pub(crate) fn parse(text: &str) -> Arc<Scenario> {
    match parse_scenario(text, SourceFormat::Toml) {
        Ok(s) => Arc::new(s),
        Err(problems) => panic!("test scenario invalid: {problems:#?}"),
    }
}

/// The problems (message and help) validation reports for TOML scenario text; empty when it is valid.
pub(crate) fn parse_problems(text: &str) -> Vec<String> {
    match parse_scenario(text, SourceFormat::Toml) {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .iter()
            .map(|p| format!("{} — {}", p.message, p.help))
            .collect(),
    }
}

/// Loads a scenario from `scenarios/`.
pub(crate) fn bundled(name: &str) -> Arc<Scenario> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    match phaseline::scenario::load_scenario(&path) {
        Ok(l) => Arc::new(l.scenario),
        Err(e) => panic!("{e}"),
    }
}

/// Runs a scenario to its end.
pub(crate) fn run(s: &Arc<Scenario>, seed: u64) -> RunOutput {
    simulate(s.clone(), seed, None).unwrap_or_else(|e| panic!("{e}"))
}

/// A simulation ready to step.
pub(crate) fn sim(s: &Arc<Scenario>, seed: u64) -> Simulation {
    Simulation::new(s.clone(), seed, None).unwrap_or_else(|e| panic!("{e}"))
}

/// The header every hand-made scenario shares: two sides, a clock. `extra_attacker` and
/// `extra_defender` add doctrine lines to the sides.
pub(crate) fn header(days: u32, extra_attacker: &str, extra_defender: &str) -> String {
    format!(
        r#"
[scenario]
name = "test"
start_date = "2016-11-05"
duration_days = {days}
tick_hours = 6

[[side]]
id = "blue"
role = "attacker"
{extra_attacker}

[[side]]
id = "red"
role = "defender"
{extra_defender}
"#
    )
}

/// A settlement table.
pub(crate) fn settlement(id: &str, kind: &str, lon: f64, control: &str, extra: &str) -> String {
    format!(
        "\n[[settlement]]\nid = \"{id}\"\nkind = \"{kind}\"\nlat = 36.0\nlon = {lon}\ncontrol = \"{control}\"\n{extra}\n"
    )
}

/// A route table.
pub(crate) fn route(id: &str, from: &str, to: &str, km: f64, capacity: f64) -> String {
    format!(
        "\n[[route]]\nid = \"{id}\"\nfrom = \"{from}\"\nto = \"{to}\"\nlength_km = {km}\ncapacity_tons_per_day = {capacity}\n"
    )
}

/// A unit table.
pub(crate) fn unit(id: &str, side: &str, at: &str, strength: f64, extra: &str) -> String {
    format!(
        "\n[[unit]]\nid = \"{id}\"\nside = \"{side}\"\nat = \"{at}\"\nstrength = {strength}\n{extra}\n"
    )
}

/// An objective table.
pub(crate) fn objective(settlement: &str, sources: &[&str], exits: &[&str]) -> String {
    let list = |xs: &[&str]| {
        xs.iter()
            .map(|x| format!("\"{x}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "\n[[objective]]\nsettlement = \"{settlement}\"\nattacker = \"blue\"\nsources = [{}]\nexits = [{}]\n",
        list(sources),
        list(exits)
    )
}

/// The row of the time series for `day`.
pub(crate) fn row(out: &RunOutput, day: u32) -> &phaseline::results::DailyRow {
    out.timeseries
        .iter()
        .find(|r| r.day == day)
        .unwrap_or_else(|| panic!("no row for day {day}"))
}

/// The node index of settlement `id` (settlements are indexed in id order, not file order).
pub(crate) fn node(s: &Scenario, id: &str) -> usize {
    s.settlements
        .iter()
        .position(|x| x.id == id)
        .unwrap_or_else(|| panic!("no settlement {id:?}"))
}
