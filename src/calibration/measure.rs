//! What a milestone measures in a run, and how it is read off the run's outputs (summary, time
//! series, events): the mapping from a historical observation to the model.

use crate::results::RunOutput;
use crate::scenario::Scenario;

/// Every measure, whether it is a day, what it needs, and what it reads.
pub const MEASURES: &[(&str, bool, &str, &str)] = &[
    (
        "isolation_day",
        true,
        "",
        "summary.json isolation_day: the primary objective's isolation index first reached the threshold",
    ),
    (
        "capture_day",
        true,
        "",
        "summary.json capture_day: the primary objective taken",
    ),
    (
        "objective_entered",
        true,
        "",
        "summary.json objective_entered_day: attacker fighters first stood in the primary objective (contested or taken) at a day's end",
    ),
    (
        "back_door_closed",
        true,
        "",
        "timeseries.csv back_door_open: the first day it is 0 (full encirclement: no open path to an exit)",
    ),
    (
        "phase_start",
        true,
        "phase",
        "summary.json phase_start_days: the named phase began",
    ),
    (
        "settlement_taken",
        true,
        "settlement",
        "events.csv control: the attacker first took the settlement (day 0 if it held it from the start)",
    ),
    (
        "route_cut",
        true,
        "route",
        "events.csv route: the route first became cut (day 0 if cut from the start)",
    ),
    (
        "villages_share_day",
        true,
        "share",
        "timeseries.csv attacker_villages_held: the first day the attacker has taken this share of the villages the defender held on day 0",
    ),
    (
        "villages_share_on",
        false,
        "day",
        "timeseries.csv attacker_villages_held: the share of the defender's day-0 villages the attacker has taken by the end of the day",
    ),
    (
        "losses",
        false,
        "side",
        "summary.json losses of the side (attacker or defender), fighters",
    ),
];

/// What a milestone measures in a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// The primary objective's isolation day.
    IsolationDay,
    /// The primary objective's capture day.
    CaptureDay,
    /// The first day attacker fighters stood in the primary objective.
    ObjectiveEntered,
    /// The first day the back door was shut.
    BackDoorClosed,
    /// The day a phase began.
    PhaseStart(String),
    /// The day the attacker first took a settlement.
    SettlementTaken(String),
    /// The day a route was first cut.
    RouteCut(String),
    /// The first day the attacker holds this share of the defender's day-0 villages.
    VillagesShareDay(f64),
    /// The share of the defender's day-0 villages the attacker holds by the end of a day.
    VillagesShareOn(u32),
    /// A side's losses (0 attacker, 1 defender).
    Losses(usize),
}

impl Measure {
    /// Whether it is a day (censored when it never came) rather than a value.
    pub fn is_day(&self) -> bool {
        !matches!(self, Measure::VillagesShareOn(_) | Measure::Losses(_))
    }

    /// Its value in `run` of `scenario`; `None`: the day never came.
    pub fn read(&self, run: &RunOutput, scenario: &Scenario) -> Option<f64> {
        let day = |d: Option<u32>| d.map(f64::from);
        let s = &run.summary;
        let rows = &run.timeseries;
        // Row r is the state after r days: something first seen there happened during day r − 1.
        let first_row = |f: &dyn Fn(&crate::results::DailyRow) -> bool| {
            rows.iter().position(f).map(|r| r.saturating_sub(1) as f64)
        };
        let villages_share = |r: &crate::results::DailyRow| {
            let start = rows.first();
            let held0 = start.map_or(0.0, |s| f64::from(s.defender_villages_held));
            let taken0 = start.map_or(0.0, |s| f64::from(s.attacker_villages_held));
            if held0 > 0.0 {
                (f64::from(r.attacker_villages_held) - taken0).max(0.0) / held0
            } else {
                0.0
            }
        };
        match self {
            Measure::IsolationDay => day(s.isolation_day),
            Measure::CaptureDay => day(s.capture_day),
            Measure::ObjectiveEntered => day(s.objective_entered_day),
            Measure::BackDoorClosed => first_row(&|r| r.back_door_open == 0),
            Measure::PhaseStart(name) => s
                .phases
                .iter()
                .find(|p| p.name == *name)
                .and_then(|p| day(p.start_day)),
            Measure::SettlementTaken(id) => {
                let node = scenario.settlements.iter().position(|x| x.id == *id)?;
                if scenario.settlements[node].control == crate::ids::Side::Attacker {
                    return Some(0.0);
                }
                let takes = format!("{} takes ", scenario.sides[crate::ids::Side::Attacker].name);
                run.events
                    .iter()
                    .find(|e| {
                        e.kind == crate::model::EventKind::Control
                            && e.subject == *id
                            && e.detail.starts_with(&takes)
                    })
                    .map(|e| f64::from(e.day))
            }
            Measure::RouteCut(id) => {
                let index = scenario.routes.iter().position(|r| r.id == *id)?;
                let at_start = run.frames.first().and_then(|f| f.routes.get(index));
                if at_start == Some(&crate::model::RouteStatus::Cut) {
                    return Some(0.0);
                }
                run.events
                    .iter()
                    .find(|e| {
                        e.kind == crate::model::EventKind::Route
                            && e.subject == *id
                            && e.detail.ends_with(" cut")
                    })
                    .map(|e| f64::from(e.day))
            }
            Measure::VillagesShareDay(share) => first_row(&|r| villages_share(r) >= *share),
            Measure::VillagesShareOn(d) => rows
                .get(*d as usize + 1)
                .or(rows.last())
                .map(villages_share),
            Measure::Losses(side) => Some(if *side == 0 {
                s.losses.attacker
            } else {
                s.losses.defender
            }),
        }
    }
}
