//! The result files' types: what a run produces, in memory — the daily time series, the events, the
//! snapshots for the map and the summary figures — and the `manifest.json` of every folder. The
//! output layer writes these types to files and [`read`] reads files back (charts and briefings
//! redraw from the files, never from the simulation); tests and sweeps use the values directly.
//! `docs/output-formats.md` describes every column and key, and a test checks it against these types.

pub mod read;
mod summary_view;

use crate::ids::Side;
use crate::model::{ControlState, Event, RouteStatus, SupplyAccount};
use serde::Serialize;

/// How a set of result files was made: the one file allowed to differ between two ways of making
/// the same results.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Manifest {
    /// phaseline's version.
    pub engine_version: String,
    /// `run`, `sweep`, `compare`, `merge`.
    pub command: String,
    /// The command line as given.
    pub command_line: Vec<String>,
    /// The scenario's name.
    pub scenario_name: String,
    /// The scenario file as given.
    pub scenario_file: String,
    /// Hex SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
    /// "7" for a run, "1..40" for a sweep.
    pub seeds: String,
    /// `--set` overrides, in order.
    pub overrides: Vec<String>,
    /// The doctrine file the scenario names (with its SHA-256), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doctrine: Option<DoctrineRecord>,
}

/// A doctrine file as the manifest records it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct DoctrineRecord {
    /// The file, as resolved from the scenario's folder.
    pub file: String,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
}

impl DoctrineRecord {
    /// The record of a loaded scenario's doctrine, if it names one.
    pub fn of(loaded: &crate::scenario::LoadedScenario) -> Option<DoctrineRecord> {
        loaded.doctrine.as_ref().map(|d| DoctrineRecord {
            file: d.path.display().to_string(),
            sha256: d.sha256.clone(),
        })
    }
}

/// Defines [`DailyRow`] from one list of its numeric columns, so the struct, the column names and
/// the values can never drift apart (each column is its field's name, in field order).
macro_rules! daily_row {
    ($($(#[doc = $doc:literal])+ $field:ident: $ty:ty,)+) => {
        /// One row of `timeseries.csv`: the state after `day` days (row 0 is the initial state).
        #[derive(Debug, Clone, PartialEq, Serialize)]
        pub struct DailyRow {
            /// Days simulated (row d is the state after d days).
            pub day: u32,
            /// ISO date of that day.
            pub date: String,
            /// The attacker's current phase.
            pub phase: String,
            $($(#[doc = $doc])+ pub $field: $ty,)+
        }

        impl DailyRow {
            /// Names of the numeric columns, in file order (everything but day, date and phase).
            pub const NUMERIC_COLUMNS: [&'static str; [$(stringify!($field)),+].len()] =
                [$(stringify!($field)),+];

            /// The numeric columns' values, in [`Self::NUMERIC_COLUMNS`] order.
            pub fn numeric(&self) -> [f64; Self::NUMERIC_COLUMNS.len()] {
                [$(f64::from(self.$field)),+]
            }
        }
    };
}

daily_row! {
    /// Primary objective's isolation index, 0..1.
    isolation_index: f64,
    /// The same index from cuts, control and contested places alone.
    isolation_index_cuts: f64,
    /// 1 while an escape path from the primary objective is open, else 0.
    back_door_open: u8,
    /// Attacker fighters.
    attacker_strength: f64,
    /// Defender fighters.
    defender_strength: f64,
    /// Attacker strength-weighted mean days of supply on hand.
    attacker_supply_days: f64,
    /// Defender strength-weighted mean days of supply on hand.
    defender_supply_days: f64,
    /// Settlements the attacker holds (state held).
    attacker_held: u32,
    /// Settlements the defender holds (state held).
    defender_held: u32,
    /// Settlements where both sides fight.
    contested: u32,
    /// Settlements cleared but without a garrison.
    cleared_unheld: u32,
    /// Villages the attacker controls (any state).
    attacker_villages_held: u32,
    /// Villages the defender controls (any state).
    defender_villages_held: u32,
    /// Fighters in attacker garrisons.
    attacker_garrison: f64,
    /// Defender command-and-control effectiveness, 0..1.
    defender_c2: f64,
    /// Fighters in the defender's reserve pool.
    defender_reserve: f64,
    /// Cumulative civilian-harm index.
    civilian_harm_index: f64,
    /// Cumulative people displaced.
    displaced_civilians: f64,
    /// Cumulative defender fighters who left through the back door.
    escaped_fighters: f64,
    /// Cumulative consumption that could not be met, tons.
    supply_shortfall_tons: f64,
    /// Routes open.
    routes_open: u32,
    /// Routes interdicted.
    routes_interdicted: u32,
    /// Routes cut.
    routes_cut: u32,
}

impl DailyRow {
    /// Every column of `timeseries.csv`, in file order.
    pub fn columns() -> impl Iterator<Item = &'static str> {
        ["day", "date", "phase"]
            .into_iter()
            .chain(Self::NUMERIC_COLUMNS)
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
    /// Its line of effort, when the plan has more than one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
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
    /// Settlements each side controls at the end (the attacker's held or cleared-unheld).
    pub settlements_controlled: PerSide<u32>,
    pub villages_held: PerSide<u32>,
    pub strength_start: PerSide<f64>,
    pub losses: PerSide<f64>,
    pub loss_share: PerSide<f64>,
    /// Times a settlement the attacker held or had cleared passed back to the defender.
    pub reversions: u32,
    pub escaped_fighters: f64,
    /// Defender fighters who left an objective under a negotiated withdrawal (not losses).
    pub withdrawn_fighters: f64,
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
        let mut out: Vec<(String, Option<f64>)> = FIGURES
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value(self)))
            .collect();
        out.extend(
            self.phases
                .iter()
                .map(|p| (phase_figure(&p.name), p.start_day.map(f64::from))),
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

/// The figures every run has, in `runs.csv` order, before its `phase_start_<name>` figures: each
/// name with how it is read from the summary (one list, so names and values cannot drift apart).
#[rustfmt::skip]
const FIGURES: [Figure; 19] = [
    ("isolation_day", |s| s.isolation_day.map(f64::from)),
    ("capture_day", |s| s.capture_day.map(f64::from)),
    ("final_isolation_index", |s| Some(s.final_isolation_index)),
    ("attacker_losses", |s| Some(s.losses.attacker)),
    ("defender_losses", |s| Some(s.losses.defender)),
    ("attacker_loss_share", |s| Some(s.loss_share.attacker)),
    ("defender_loss_share", |s| Some(s.loss_share.defender)),
    ("escaped_fighters", |s| Some(s.escaped_fighters)),
    ("reinforced_fighters", |s| Some(s.reinforced_fighters)),
    ("supply_shortfall_tons", |s| Some(s.supply_shortfall_tons)),
    ("attacker_starvation_losses", |s| Some(s.starvation_losses.attacker)),
    ("defender_starvation_losses", |s| Some(s.starvation_losses.defender)),
    ("civilian_harm_index", |s| Some(s.civilian_harm_index)),
    ("displaced_civilians", |s| Some(s.displaced_civilians)),
    ("civilian_harm_to_capture", |s| s.civilian_harm_to_capture),
    ("displaced_to_capture", |s| s.displaced_to_capture),
    ("min_defender_c2", |s| Some(s.min_defender_c2)),
    ("attacker_villages_held", |s| Some(f64::from(s.villages_held.attacker))),
    ("defender_villages_held", |s| Some(f64::from(s.villages_held.defender))),
];

/// A `runs.csv` figure: its name, and how it is read from the summary.
type Figure = (&'static str, fn(&Summary) -> Option<f64>);

/// The names of the figures every run has, in `runs.csv` order (from the one table of names and
/// accessors that [`Summary::figures`] reads).
pub const FIXED_FIGURES: [&str; FIGURES.len()] = {
    let mut names = [""; FIGURES.len()];
    let mut i = 0;
    while i < FIGURES.len() {
        names[i] = FIGURES[i].0;
        i += 1;
    }
    names
};

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

/// A string-keyed map that is written as a JSON object in insertion order, and read back in the
/// order the file writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

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

impl<V> Ordered<V> {
    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&V> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for Ordered<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{MapAccess, Visitor};
        struct PairsVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: serde::Deserialize<'de>> Visitor<'de> for PairsVisitor<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    pairs.push((k, v));
                }
                Ok(Ordered(pairs))
            }
        }
        d.deserialize_map(PairsVisitor(std::marker::PhantomData))
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
