//! Checked scenario types: what the engine trusts after `validate`.
//!
//! Ids are resolved to indices (`usize` into the scenario's vectors), every default is filled in and
//! every number is inside its documented range, so the simulation never re-checks its input.
//! The two sides are normalised so that [`Side::Attacker`] indexes the attacker and
//! [`Side::Defender`] the defender, whatever order the file lists them in.

use serde::Serialize;

pub use crate::ids::Side;

/// A checked scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// `[scenario]`.
    pub meta: Meta,
    /// Indexed by [`Side`]: attacker first.
    pub sides: [SideDoctrine; 2],
    /// Settlements in file order; their index is the node index of the route graph.
    pub settlements: Vec<Settlement>,
    /// Routes in file order.
    pub routes: Vec<Route>,
    /// Units in file order.
    pub units: Vec<Unit>,
    /// Depots in file order.
    pub depots: Vec<Depot>,
    /// Objectives; the first is the primary one.
    pub objectives: Vec<Objective>,
    /// The attacker's phases, in file order; each line of effort runs its own phases in that order,
    /// its first on day 0.
    pub phases: Vec<Phase>,
    /// Names of the attacker's lines of effort, in order of first appearance among the phases (one,
    /// `main`, when no phase names a line).
    pub lines: Vec<String>,
    /// The air campaign.
    pub air: Air,
    /// Second fronts.
    pub fronts: Vec<Front>,
    /// Injects, sorted by day (stable: file order within a day).
    pub injects: Vec<Inject>,
    /// Rivers, borders and coasts, for the map only.
    pub features: Vec<Feature>,
}

impl Scenario {
    /// The phase that follows phase `phase` in its line of effort, if any.
    pub fn next_phase_in_line(&self, phase: usize) -> Option<usize> {
        let line = self.phases.get(phase)?.line;
        (phase + 1..self.phases.len()).find(|&p| self.phases[p].line == line)
    }

    /// The first phase of each line of effort (each starts on day 0).
    pub fn first_phases(&self) -> Vec<usize> {
        (0..self.lines.len())
            .map(|line| {
                self.phases
                    .iter()
                    .position(|p| p.line == line)
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// What a `[[feature]]` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum FeatureKind {
    River,
    Border,
    Coast,
}

/// `[[feature]]`: a polyline drawn on the map under the route network.
#[derive(Debug, Clone, Serialize)]
pub struct Feature {
    /// Name for the legend (may be empty).
    pub name: String,
    /// River, border or coast.
    pub kind: FeatureKind,
    /// `(lat, lon)` points in order, degrees.
    pub points: Vec<(f64, f64)>,
}

/// `[scenario]`.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// Short name; also the output folder name (sanitised).
    pub name: String,
    /// Free text.
    pub description: String,
    /// Format version of the file (1).
    pub format_version: i64,
    /// Day 0 as days since 1970-01-01.
    pub start_epoch_day: i64,
    /// Campaign length in days.
    pub duration_days: u32,
    /// Length of one tick in hours; divides 24.
    pub tick_hours: u32,
    /// Isolation index at which an objective counts as isolated.
    pub isolation_threshold: f64,
    /// Share of a settlement's remaining population displaced per day of fighting there.
    pub displacement_share_per_day: f64,
    /// Share of a route's capacity usable while either end is contested.
    pub contested_capacity_fraction: f64,
    /// Days a state must hold to count as a milestone (isolation, capture).
    pub milestone_hold_days: u32,
    /// Coefficient of variation of each engagement's daily intensity (gamma-Poisson attrition).
    pub attrition_dispersion: f64,
}

impl Meta {
    /// Ticks per simulated day.
    pub fn ticks_per_day(&self) -> u32 {
        24 / self.tick_hours
    }
    /// Length of one tick in days.
    pub fn tick_days(&self) -> f64 {
        f64::from(self.tick_hours) / 24.0
    }
}

/// Whether a side attacks or defends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Isolates, clears and assaults.
    Attacker,
    /// Holds, reinforces, infiltrates and escapes.
    Defender,
}

/// A side and its doctrine. Parameters of the other role are kept but unused.
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct SideDoctrine {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub lethality_per_day: f64,
    pub breakpoint_cohesion: f64,
    pub cohesion_loss_per_loss_share: f64,
    pub cohesion_recovery_per_day: f64,
    pub consumption_tons_per_fighter_per_day: f64,
    pub convoy_speed_km_per_day: f64,
    pub resupply_target_days: f64,
    pub unsupplied_attrition_per_day: f64,
    pub unsupplied_cohesion_loss_per_day: f64,
    pub garrison_ratio: f64,
    pub garrison_min: f64,
    pub attack_force_ratio: f64,
    /// Attacker: mean length of an operational pause, days.
    pub pause_mean_days: f64,
    /// Attacker: daily hazard of an operational pause.
    pub pause_rate_per_day: f64,
    /// Close-combat coefficient in a city, per fighter per day at full district density.
    pub urban_lethality_per_day: f64,
    /// Attacker: civilians inside at which its urban fire is halved (0: no effect).
    pub civilians_halving_fire: f64,
    /// Attacker: fighters one city district can employ at once.
    pub district_frontage_fighters: f64,
    pub threat_reach_km: f64,
    pub reserve_strength: f64,
    /// Node where the reserve pool sits (defaults to the primary objective's first source).
    pub reserve_at: Option<usize>,
    pub reinforce_delay_days: f64,
    pub reinforce_share: f64,
    pub c2_initial: f64,
    pub c2_recovery_per_day: f64,
    pub infiltration_rate_per_day: f64,
    pub escape_share_per_day: f64,
    pub escape_threat_ratio: f64,
    pub escape_speed_km_per_day: f64,
}

/// Kind of settlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum SettlementKind {
    City,
    Town,
    Village,
    Crossing,
    Base,
}

/// `[[settlement]]`.
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct Settlement {
    pub id: String,
    pub name: String,
    pub kind: SettlementKind,
    pub lat: f64,
    pub lon: f64,
    pub population: f64,
    pub value: f64,
    pub defensibility: f64,
    /// The controlling side.
    pub control: Side,
    pub districts: u32,
    pub attacker_support: f64,
    pub command_node: bool,
    pub stockpile_tons: f64,
    pub stockpile_capacity_tons: f64,
}

/// Kind of route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RouteKind {
    Highway,
    Road,
    Track,
    RiverCrossing,
}

/// `[[route]]`: an undirected edge.
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct Route {
    pub id: String,
    pub from: usize,
    pub to: usize,
    pub length_km: f64,
    pub capacity_tons_per_day: f64,
    pub kind: RouteKind,
    /// Days a unit spends crossing, on top of the time its length takes.
    pub crossing_delay_days: f64,
}

/// What a unit does when the scenario starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StartTask {
    /// Available to the side's tasking (attacker: manoeuvre; defender: defend where it stands).
    Maneuver,
    /// Holds its settlement for the whole run.
    Hold,
}

/// `[[unit]]`.
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct Unit {
    pub id: String,
    pub side: Side,
    pub at: usize,
    pub strength: f64,
    pub cohesion: f64,
    pub supply_days: f64,
    /// March speed: on a route whose both ends its side holds and no enemy stands at.
    pub speed_km_per_day: f64,
    /// Advance speed: on any other route (contested or enemy ground).
    pub advance_speed_km_per_day: f64,
    pub task: StartTask,
    /// The line of effort whose phase tasks it (index into [`Scenario::lines`]; attacker units only).
    pub line: usize,
}

/// `[[depot]]`.
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct Depot {
    pub id: String,
    pub side: Side,
    pub at: usize,
    pub stock_tons: f64,
    pub output_tons_per_day: f64,
}

/// `[[objective]]`.
#[derive(Debug, Clone, Serialize)]
pub struct Objective {
    /// Node of the objective settlement.
    pub settlement: usize,
    /// The defender's outside sources (joined into one super-source for max-flow).
    pub sources: Vec<usize>,
    /// Settlements defenders escape to through the back door.
    pub exits: Vec<usize>,
}

/// Phase behaviour: what the attacker's tasking does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Behaviour {
    /// Seize the settlements on the objective's minimum cut.
    Isolate,
    /// Clear villages by value and isolation effect, leaving garrisons.
    Clear,
    /// Take the objective with everything not garrisoning.
    Assault,
}

/// How a trigger combines its conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TriggerMode {
    /// Every condition must hold.
    All,
    /// One condition is enough.
    Any,
}

/// The conditions that start a phase.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Trigger {
    /// Day reached.
    pub day: Option<f64>,
    /// Primary objective's isolation index at least this…
    pub isolation_at_least: Option<f64>,
    /// …for this many consecutive days.
    pub for_days: f64,
    /// Share of the area's villages the attacker controls.
    pub villages_held_share: Option<f64>,
    /// The area: settlement nodes (explicit list, or all villages within `radius_km` of the objective).
    pub area: Vec<usize>,
    /// `All` or `Any`.
    pub mode: Option<TriggerMode>,
}

/// `[[phase]]`.
#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    /// Name shown in outputs.
    pub name: String,
    /// What the attacker does.
    pub behaviour: Behaviour,
    /// When it starts (ignored for the first phase of a line, which starts on day 0).
    pub trigger: Trigger,
    /// Its line of effort (index into [`Scenario::lines`]).
    pub line: usize,
}

/// Relative weights of air target categories.
#[derive(Debug, Clone, Copy, Serialize)]
#[allow(missing_docs)]
pub struct Priorities {
    pub leadership: f64,
    pub command_nodes: f64,
    pub depots: f64,
    pub concentrations: f64,
    pub interdiction: f64,
}

impl Priorities {
    /// The weight of one category.
    pub fn weight(&self, category: TargetCategory) -> f64 {
        match category {
            TargetCategory::Leadership => self.leadership,
            TargetCategory::CommandNodes => self.command_nodes,
            TargetCategory::Depots => self.depots,
            TargetCategory::Concentrations => self.concentrations,
            TargetCategory::Interdiction => self.interdiction,
        }
    }
}

/// What the air campaign strikes; one [`Priorities`] weight each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetCategory {
    /// Leaders: lowers the defender's C2.
    Leadership,
    /// Command nodes the defender holds: lowers its C2, harms civilians there.
    CommandNodes,
    /// Defender depots: destroys stock.
    Depots,
    /// The largest defender unit in the campaign area: kills fighters.
    Concentrations,
    /// A route of the objective's minimum cut: interdicts it.
    Interdiction,
}

impl TargetCategory {
    /// Every category, in tie-break order (the order of the strike event's detail).
    pub const ALL: [TargetCategory; 5] = [
        TargetCategory::Leadership,
        TargetCategory::CommandNodes,
        TargetCategory::Depots,
        TargetCategory::Concentrations,
        TargetCategory::Interdiction,
    ];

    /// Position in [`TargetCategory::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The name the scenario's `[air.priorities]` and the strike event use.
    pub const fn name(self) -> &'static str {
        match self {
            TargetCategory::Leadership => "leadership",
            TargetCategory::CommandNodes => "command_nodes",
            TargetCategory::Depots => "depots",
            TargetCategory::Concentrations => "concentrations",
            TargetCategory::Interdiction => "interdiction",
        }
    }
}

/// `[air]`.
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct Air {
    pub sorties_per_day: f64,
    pub effect_probability: f64,
    pub priorities: Priorities,
    pub c2_hit_leadership: f64,
    pub c2_hit_command_node: f64,
    pub depot_hit_tons: f64,
    pub concentration_hit_fighters: f64,
    pub interdiction_capacity_fraction: f64,
    pub interdiction_days: f64,
    pub civilian_harm_per_strike: f64,
}

/// `[[front]]`: a second front's timeline.
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct Front {
    pub name: String,
    pub start_day: f64,
    pub end_day: f64,
    pub c2_load: f64,
    pub reserve_draw_per_day: f64,
}

/// What an inject does.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InjectAction {
    /// Cut a route for everyone (a blown bridge), until reopened.
    CutRoute(usize),
    /// Lift an inject cut.
    ReopenRoute(usize),
    /// Remove a depot's whole stock.
    DestroyDepot(usize),
    /// Add a unit.
    AddUnit(Unit),
    /// Withdraw a unit from the theatre.
    WithdrawUnit(String),
    /// Change the air campaign's sorties per day.
    SetSorties(f64),
}

/// `[[inject]]`.
#[derive(Debug, Clone, Serialize)]
pub struct Inject {
    /// Day on which it applies (at the day's first tick).
    pub day: u32,
    /// What it does.
    pub action: InjectAction,
}
