//! What a run produces, in memory: the daily time series, the events, the snapshots for the map and
//! the summary figures. The output layer writes these to files; tests and sweeps read them directly.

use crate::ids::Side;
use crate::model::{ControlState, Event, RouteStatus, SupplyAccount};
use serde::Serialize;

/// One row of `timeseries.csv`: the state after `day` days (row 0 is the initial state).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct DailyRow {
    pub day: u32,
    pub date: String,
    pub phase: String,
    pub isolation_index: f64,
    pub isolation_index_cuts: f64,
    pub back_door_open: u8,
    pub attacker_strength: f64,
    pub defender_strength: f64,
    pub attacker_supply_days: f64,
    pub defender_supply_days: f64,
    pub attacker_held: u32,
    pub defender_held: u32,
    pub contested: u32,
    pub cleared_unheld: u32,
    pub attacker_villages: u32,
    pub defender_villages: u32,
    pub attacker_garrison: f64,
    pub defender_c2: f64,
    pub defender_reserve: f64,
    pub civilian_harm_index: f64,
    pub displaced_civilians: f64,
    pub escaped_fighters: f64,
    pub supply_shortfall_tons: f64,
    pub routes_open: u32,
    pub routes_interdicted: u32,
    pub routes_cut: u32,
}

impl DailyRow {
    /// Names of the numeric columns, in file order (everything but day, date and phase).
    pub const NUMERIC_COLUMNS: [&'static str; 23] = [
        "isolation_index",
        "isolation_index_cuts",
        "back_door_open",
        "attacker_strength",
        "defender_strength",
        "attacker_supply_days",
        "defender_supply_days",
        "attacker_held",
        "defender_held",
        "contested",
        "cleared_unheld",
        "attacker_villages",
        "defender_villages",
        "attacker_garrison",
        "defender_c2",
        "defender_reserve",
        "civilian_harm_index",
        "displaced_civilians",
        "escaped_fighters",
        "supply_shortfall_tons",
        "routes_open",
        "routes_interdicted",
        "routes_cut",
    ];

    /// The numeric columns' values, in [`Self::NUMERIC_COLUMNS`] order.
    pub fn numeric(&self) -> [f64; 23] {
        [
            self.isolation_index,
            self.isolation_index_cuts,
            f64::from(self.back_door_open),
            self.attacker_strength,
            self.defender_strength,
            self.attacker_supply_days,
            self.defender_supply_days,
            f64::from(self.attacker_held),
            f64::from(self.defender_held),
            f64::from(self.contested),
            f64::from(self.cleared_unheld),
            f64::from(self.attacker_villages),
            f64::from(self.defender_villages),
            self.attacker_garrison,
            self.defender_c2,
            self.defender_reserve,
            self.civilian_harm_index,
            self.displaced_civilians,
            self.escaped_fighters,
            self.supply_shortfall_tons,
            f64::from(self.routes_open),
            f64::from(self.routes_interdicted),
            f64::from(self.routes_cut),
        ]
    }
}

/// A settlement's control in a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameControl {
    /// Controlling side's id.
    pub side: String,
    /// How it is held.
    pub state: ControlState,
}

/// The map at one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frame {
    /// Day of the snapshot.
    pub day: u32,
    /// "Start", a phase name, or "End".
    pub label: String,
    /// Per settlement, in scenario order.
    pub control: Vec<FrameControl>,
    /// Per route, in scenario order.
    pub routes: Vec<RouteStatus>,
}

/// Figures of one objective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveSummary {
    /// First day of the first spell of isolation that held `milestone_hold_days` (or to the end).
    pub isolation_day: Option<u32>,
    /// First day of the first spell in the attacker's hands that held `milestone_hold_days` (or
    /// to the end).
    pub capture_day: Option<u32>,
    /// Spells of isolation that ended (the index fell back below the threshold).
    pub isolation_losses: u32,
    /// Times the attacker lost it again after taking it.
    pub capture_losses: u32,
    /// Its isolation index at the end.
    pub final_isolation_index: f64,
}

/// A phase and when it started.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseSummary {
    /// Its name.
    pub name: String,
    /// isolate, clear or assault.
    pub behaviour: crate::scenario::Behaviour,
    /// Day it began, `None` when it never did.
    pub start_day: Option<u32>,
}

/// A pair of figures, one per side.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PerSide<T> {
    /// The attacker's.
    pub attacker: T,
    /// The defender's.
    pub defender: T,
}

impl<T> PerSide<T> {
    /// Each side's figure from `f`.
    pub fn by(mut f: impl FnMut(Side) -> T) -> PerSide<T> {
        PerSide {
            attacker: f(Side::Attacker),
            defender: f(Side::Defender),
        }
    }
}

impl<T> From<[T; 2]> for PerSide<T> {
    /// From a per-side array (attacker first).
    fn from([attacker, defender]: [T; 2]) -> PerSide<T> {
        PerSide { attacker, defender }
    }
}

/// A side's supply at the end of a run: its account and where the rest is, tons.
/// `initial + produced + captured = consumed + held + in_transit + destroyed + lost_to_enemy`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SupplySummary {
    /// The account.
    #[serde(flatten)]
    pub account: SupplyAccount,
    /// Held at the end: depots, stockpiles the side controls, units.
    pub held_tons: f64,
    /// On the road at the end.
    pub in_transit_tons: f64,
}

impl SupplySummary {
    /// The summary of `side` in `ledger`, holding `held_tons`.
    pub fn of(ledger: &crate::model::Ledger, side: Side, held_tons: f64) -> SupplySummary {
        SupplySummary {
            account: ledger.sides[side],
            held_tons,
            in_transit_tons: ledger.in_transit_tons(side),
        }
    }
}

/// The outcome figures of a run (`summary.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub days_simulated: u32,
    pub primary_objective: String,
    pub isolation_day: Option<u32>,
    pub capture_day: Option<u32>,
    /// First day at whose end attacker fighters stood in the primary objective (it was contested
    /// or taken): the day the city was entered. `None`: never.
    pub objective_entered_day: Option<u32>,
    pub phases: Vec<PhaseSummary>,
    pub phase_start_days: Ordered<Option<u32>>,
    pub final_isolation_index: f64,
    pub settlements_held: PerSide<u32>,
    pub villages_held: PerSide<u32>,
    pub strength_start: PerSide<f64>,
    pub losses: PerSide<f64>,
    pub loss_share: PerSide<f64>,
    /// Times a settlement the attacker held or had cleared passed back to the defender.
    pub reversions: u32,
    pub escaped_fighters: f64,
    pub reinforced_fighters: f64,
    pub supply_shortfall_tons: f64,
    /// Fighters lost to lack of supply (part of `losses`).
    pub starvation_losses: PerSide<f64>,
    /// Each side's supply account at the end (tons; it balances, see [`SupplyAccount`]).
    pub supply: PerSide<SupplySummary>,
    pub civilian_harm_index: f64,
    pub displaced_civilians: f64,
    /// Civilian harm index by the end of the capture day (`None`: never taken).
    pub civilian_harm_to_capture: Option<f64>,
    /// Civilian harm index added after the capture day (`None`: never taken).
    pub civilian_harm_after_capture: Option<f64>,
    /// People displaced by the end of the capture day (`None`: never taken).
    pub displaced_to_capture: Option<f64>,
    /// People displaced after the capture day (`None`: never taken).
    pub displaced_after_capture: Option<f64>,
    pub min_defender_c2: f64,
    pub sorties_flown: f64,
    pub objectives: Ordered<ObjectiveSummary>,
}

impl Summary {
    /// The flat figures of `runs.csv`, in order: [`FIXED_FIGURES`], then `phase_start_<name>` per phase.
    pub fn figures(&self) -> Vec<(String, Option<f64>)> {
        let day = |d: Option<u32>| d.map(f64::from);
        let values = [
            day(self.isolation_day),
            day(self.capture_day),
            Some(self.final_isolation_index),
            Some(self.losses.attacker),
            Some(self.losses.defender),
            Some(self.loss_share.attacker),
            Some(self.loss_share.defender),
            Some(self.escaped_fighters),
            Some(self.reinforced_fighters),
            Some(self.supply_shortfall_tons),
            Some(self.starvation_losses.attacker),
            Some(self.starvation_losses.defender),
            Some(self.civilian_harm_index),
            Some(self.displaced_civilians),
            self.civilian_harm_to_capture,
            self.displaced_to_capture,
            Some(self.min_defender_c2),
            Some(f64::from(self.villages_held.attacker)),
            Some(f64::from(self.villages_held.defender)),
        ];
        let mut out: Vec<(String, Option<f64>)> = FIXED_FIGURES
            .iter()
            .map(|n| (*n).to_owned())
            .zip(values)
            .collect();
        out.extend(
            self.phases
                .iter()
                .map(|p| (phase_figure(&p.name), day(p.start_day))),
        );
        out
    }
}

/// The figure (and CSV column) of a phase's start day: `phase_start_` and the phase name with every
/// character other than an ASCII letter, digit, `-` or `_` replaced by `_`, so a column name holds
/// no space or comma ("Clear countryside" → `phase_start_Clear_countryside`).
pub fn phase_figure(phase: &str) -> String {
    let safe: String = phase
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("phase_start_{safe}")
}

/// The figures every run has, in `runs.csv` order, before its `phase_start_<name>` figures.
pub const FIXED_FIGURES: [&str; 19] = [
    "isolation_day",
    "capture_day",
    "final_isolation_index",
    "attacker_losses",
    "defender_losses",
    "attacker_loss_share",
    "defender_loss_share",
    "escaped_fighters",
    "reinforced_fighters",
    "supply_shortfall_tons",
    "attacker_starvation_losses",
    "defender_starvation_losses",
    "civilian_harm_index",
    "displaced_civilians",
    "civilian_harm_to_capture",
    "displaced_to_capture",
    "min_defender_c2",
    "attacker_villages_held",
    "defender_villages_held",
];

/// A cumulative series split at the capture day: (by the end of that day, after it), or `None`
/// when the objective was never taken. Row d + 1 of `rows` is the state after day d.
pub fn split_at_capture(
    rows: &[DailyRow],
    capture_day: Option<u32>,
    series: fn(&DailyRow) -> f64,
) -> Option<(f64, f64)> {
    let day = capture_day?;
    let at = rows
        .iter()
        .find(|r| r.day == day + 1)
        .or(rows.last())
        .map(series)?;
    let end = rows.last().map(series)?;
    Some((at, end - at))
}

/// A string-keyed map that serialises as a JSON object in insertion order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Everything a run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    /// One row per day, day 0 first.
    pub timeseries: Vec<DailyRow>,
    /// Events in simulation order.
    pub events: Vec<Event>,
    /// Map snapshots: start, each phase start, end.
    pub frames: Vec<Frame>,
    /// The outcome figures.
    pub summary: Summary,
}
