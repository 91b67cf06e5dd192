//! Resources: the run-wide state that systems share — the clock, the static theatre, route status,
//! isolation, the defender's command, supply accounting, tallies and the event log.

use crate::graph::RouteGraph;
use crate::ids::{NodeId, Side};
use crate::scenario::Scenario;
use bevy_ecs::prelude::*;
use std::sync::Arc;

/// The simulation clock.
#[derive(Resource, Debug, Clone, Copy)]
pub struct Clock {
    /// Ticks completed so far; the tick being run.
    pub tick: u32,
    /// Ticks per day.
    pub ticks_per_day: u32,
    /// Length of a tick in days.
    pub tick_days: f64,
}

impl Clock {
    /// The campaign day the current tick belongs to (0-based).
    pub fn day(&self) -> u32 {
        self.tick / self.ticks_per_day
    }
    /// Whether the current tick is the first of its day (daily decisions happen then).
    pub fn is_day_start(&self) -> bool {
        self.tick.is_multiple_of(self.ticks_per_day)
    }
}

/// The run's seed.
#[derive(Resource, Debug, Clone, Copy)]
pub struct RunSeed(pub u64);

/// The static theatre: the checked scenario, its graph and precomputed neighbourhoods.
#[derive(Resource, Debug, Clone)]
pub struct Theatre {
    /// The checked scenario.
    pub scenario: Arc<Scenario>,
    /// Settlements and routes as a graph.
    pub graph: RouteGraph,
    /// Per node, `(other node, road km)` for every node within the largest threat reach, sorted by node.
    pub neighbourhood: Vec<Vec<(usize, f64)>>,
    /// Settlement entity per node.
    pub node_entities: Vec<Entity>,
}

/// Status of a route, from the defender's side of the isolation question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RouteStatus {
    /// Usable at full capacity.
    Open,
    /// Covered by air: a fraction of capacity left.
    Interdicted,
    /// An endpoint is held by the attacker, or an inject cut it.
    Cut,
}

/// Per-route state that changes during a run.
#[derive(Resource, Debug, Clone)]
pub struct RouteState {
    /// Current status per route.
    pub status: Vec<RouteStatus>,
    /// Cut by an inject (for everyone) until reopened.
    pub inject_cut: Vec<bool>,
    /// Interdicted by air now (an effective strike's effect lasts `interdiction_days`).
    pub interdicted: Vec<bool>,
    /// Per route, the first day on which its interdiction has lapsed (0: never struck).
    pub interdicted_until_day: Vec<u32>,
    /// Supply tons moved along each route by today's distribution (both sides).
    pub used_tons_today: Vec<f64>,
    /// Set when control, interdiction or an inject changed something the status depends on.
    pub dirty: bool,
}

/// The isolation picture of one objective.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveState {
    /// Max flow on day 0, tons per day.
    pub flow_day0: f64,
    /// Max flow now.
    pub flow: f64,
    /// 1 − flow ÷ flow on day 0, in [0, 1].
    pub isolation_index: f64,
    /// The same index from cuts and control alone, as if no route were interdicted by air.
    pub isolation_index_cuts: f64,
    /// Whether an escape path to an exit is open.
    pub back_door_open: bool,
    /// Settlements the attacker should seize to cut the remaining flow (min cut nearest the objective).
    pub cut_settlements: Vec<usize>,
    /// Routes on that cut.
    pub cut_routes: Vec<usize>,
    /// Isolated: the index at or above the scenario's threshold at the end of a day.
    pub isolated: Milestone,
    /// Taken: the attacker controls it at the end of a day.
    pub taken: Milestone,
}

/// A state an objective reaches and must keep to count: isolation, capture.
///
/// A *spell* is a run of consecutive days (judged at each day's end) in which the state holds. The
/// milestone is reached on the first day of the first spell that lasts `milestone_hold_days` days,
/// or that is still going when the run ends; every spell that ends, before or after, is a loss.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Milestone {
    /// First day of the spell going on now.
    pub since: Option<u32>,
    /// First day of the first spell that lasted.
    pub reached: Option<u32>,
    /// Spells that ended: the state was lost again.
    pub lost: u32,
}

/// What one day's observation did to a [`Milestone`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpellChange {
    /// A spell began today.
    Began,
    /// The spell going on ended today.
    Ended,
    /// Nothing changed.
    Same,
}

impl Milestone {
    /// Records whether the state holds at the end of `day`.
    pub fn observe(&mut self, day: u32, holds: bool, hold_days: u32) -> SpellChange {
        match (self.since, holds) {
            (None, true) => {
                self.since = Some(day);
                self.confirm(day, hold_days);
                SpellChange::Began
            }
            (Some(_), true) => {
                self.confirm(day, hold_days);
                SpellChange::Same
            }
            (Some(_), false) => {
                self.since = None;
                self.lost += 1;
                SpellChange::Ended
            }
            (None, false) => SpellChange::Same,
        }
    }

    fn confirm(&mut self, day: u32, hold_days: u32) {
        if let (None, Some(since)) = (self.reached, self.since)
            && day + 1 - since >= hold_days
        {
            self.reached = Some(since);
        }
    }

    /// The milestone's day as the run ended: a spell still going counts, however short.
    pub fn day(&self) -> Option<u32> {
        self.reached.or(self.since)
    }
}

/// Isolation of every objective (primary first).
#[derive(Resource, Debug, Clone, Default)]
pub struct Isolation {
    /// One per objective.
    pub objectives: Vec<ObjectiveState>,
}

/// The attacker's campaign plan as it unfolds.
#[derive(Resource, Debug, Clone)]
pub struct Campaign {
    /// Per line of effort, the index (into the scenario's phases) of its current phase.
    pub current: Vec<usize>,
    /// Start day of every phase that started.
    pub phase_start_days: Vec<Option<u32>>,
    /// Per line of effort, consecutive days its next phase's isolation condition has held.
    pub isolation_streak_days: Vec<u32>,
    /// The attacker is in an operational pause until the start of this day (see `systems::tempo`).
    pub paused_until_day: u32,
}

impl Campaign {
    /// The plan on day 0: each line of effort in its first phase.
    pub fn new(scenario: &crate::scenario::Scenario) -> Campaign {
        Campaign {
            current: scenario.first_phases(),
            phase_start_days: vec![None; scenario.phases.len()],
            isolation_streak_days: vec![0; scenario.lines.len()],
            paused_until_day: 0,
        }
    }

    /// The current phase of the line of effort `line` (the first line for an unknown one).
    pub fn phase_of_line(&self, line: usize) -> usize {
        self.current
            .get(line)
            .or(self.current.first())
            .copied()
            .unwrap_or_default()
    }

    /// What the plan is doing now: the current phases' names, line by line, joined by " / ".
    pub fn label(&self, scenario: &crate::scenario::Scenario) -> String {
        self.current
            .iter()
            .map(|&p| scenario.phases[p].name.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// Whether the attacker's manoeuvre is paused on `day`.
    pub fn paused(&self, day: u32) -> bool {
        day < self.paused_until_day
    }
}

/// The defender's command and control and its reserve.
#[derive(Resource, Debug, Clone)]
pub struct DefenderCommand {
    /// Effectiveness, 0..1.
    pub c2: f64,
    /// Lowest value seen.
    pub min_c2: f64,
    /// Fighters in the reserve pool.
    pub reserve: f64,
    /// Day of the next reinforcement decision.
    pub next_decision_day: f64,
    /// Fighters sent as reinforcements so far.
    pub reinforced: f64,
    /// Reinforcements and escapees on the road: (arrival tick, node, fighters, unit id).
    pub arrivals: Vec<Arrival>,
}

/// Fighters on their way to a settlement, appearing there as a unit when they arrive.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrival {
    /// Tick at which they arrive.
    pub tick: u32,
    /// Where.
    pub node: NodeId,
    /// How many.
    pub fighters: f64,
    /// Id prefix of the unit they form.
    pub unit_id: String,
    /// Days of supply they bring from outside the theatre (counted as produced).
    pub supply_days: f64,
}

/// The air campaign's state.
#[derive(Resource, Debug, Clone)]
pub struct AirState {
    /// Current sorties per day (injects change it).
    pub sorties_per_day: f64,
    /// Sorties flown so far.
    pub flown: f64,
}

/// A supply shipment on the road.
#[derive(Debug, Clone, PartialEq)]
pub struct Shipment {
    /// The side whose supply it is.
    pub side: Side,
    /// The receiving unit.
    pub unit: Entity,
    /// Tons.
    pub tons: f64,
    /// Tick of arrival.
    pub arrive_tick: u32,
}

/// One side's supply account, tons. It balances at every tick:
/// `initial + produced + captured = consumed + held + in transit + destroyed + lost_to_enemy`,
/// where *held* is what the side's depots, the stockpiles it controls and its units hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct SupplyAccount {
    /// Held on day 0: depots, stockpiles the side controls, units.
    pub initial_tons: f64,
    /// Produced by depots, or brought into the theatre by reinforcements and added units.
    pub produced_tons: f64,
    /// Consumed by units.
    pub consumed_tons: f64,
    /// Destroyed by strikes and injects, lost with destroyed units or taken out of the theatre.
    pub destroyed_tons: f64,
    /// Taken from the enemy with the places (stockpiles, depot stocks) the side captured.
    pub captured_tons: f64,
    /// Lost to the enemy with the places it captured.
    pub lost_to_enemy_tons: f64,
    /// Consumption that could not be met.
    pub shortfall_tons: f64,
}

impl SupplyAccount {
    /// What the account says the side should hold and have on the road:
    /// initial + produced + captured − consumed − destroyed − lost to the enemy.
    pub fn expected_on_hand_tons(&self) -> f64 {
        self.initial_tons + self.produced_tons + self.captured_tons
            - self.consumed_tons
            - self.destroyed_tons
            - self.lost_to_enemy_tons
    }
}

/// Supply accounting per side, and the shipments on the road.
#[derive(Resource, Debug, Clone, Default)]
pub struct Ledger {
    /// Indexed by [`Side`].
    pub sides: [SupplyAccount; 2],
    /// Shipments on the road.
    pub in_transit: Vec<Shipment>,
}

impl Ledger {
    /// Tons of `side` currently on the road.
    pub fn in_transit_tons(&self, side: Side) -> f64 {
        self.in_transit
            .iter()
            .filter(|s| s.side == side)
            .map(|s| s.tons)
            .sum()
    }
    /// Shortfall of both sides together, tons.
    pub fn shortfall_tons(&self) -> f64 {
        self.sides.iter().map(|a| a.shortfall_tons).sum()
    }
}

/// Running totals reported in the summary.
#[derive(Resource, Debug, Clone, Default)]
pub struct Tallies {
    /// Fighters lost per side (killed, wounded, surrendered, starved).
    pub losses: [f64; 2],
    /// Of those, fighters lost per side to lack of supply (attrition once carried stocks are spent).
    pub starved: [f64; 2],
    /// Defender fighters who left an objective through its back door.
    pub escaped: f64,
    /// People displaced by fighting.
    pub displaced: f64,
    /// Abstract civilian-harm index.
    pub civilian_harm: f64,
    /// Units made during the run (garrisons, cells, arrivals), for unique ids.
    pub spawned: u64,
    /// Times a settlement the attacker held or had cleared passed back to the defender.
    pub reversions: u32,
}

/// What kind of thing happened; written as its snake_case name (`phase`, `unit_destroyed`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The attacker took an objective.
    Capture,
    /// The attacker's manoeuvre paused.
    Pause,
    /// A settlement changed hands or state.
    Control,
    /// Defender fighters left an objective through its back door.
    Escape,
    /// The attacker left a garrison in a cleared place.
    Garrison,
    /// Defender cells infiltrated a weakly held place.
    Infiltration,
    /// A scripted inject took effect.
    Inject,
    /// An objective was isolated, or its back door closed.
    Isolation,
    /// A campaign phase began.
    Phase,
    /// The defender sent reinforcements.
    Reinforce,
    /// A route's status changed.
    Route,
    /// The day's air strikes.
    Strike,
    /// Defender fighters surrendered.
    Surrender,
    /// A unit was destroyed.
    UnitDestroyed,
    /// A broken unit began to withdraw.
    Withdraw,
}

impl EventKind {
    /// The name result files write.
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Capture => "capture",
            EventKind::Pause => "pause",
            EventKind::Control => "control",
            EventKind::Escape => "escape",
            EventKind::Garrison => "garrison",
            EventKind::Infiltration => "infiltration",
            EventKind::Inject => "inject",
            EventKind::Isolation => "isolation",
            EventKind::Phase => "phase",
            EventKind::Reinforce => "reinforce",
            EventKind::Route => "route",
            EventKind::Strike => "strike",
            EventKind::Surrender => "surrender",
            EventKind::UnitDestroyed => "unit_destroyed",
            EventKind::Withdraw => "withdraw",
        }
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Event {
    /// Campaign day (0-based) on which it happened.
    pub day: u32,
    /// What kind of thing.
    pub kind: EventKind,
    /// What it is about (an id or name).
    pub subject: String,
    /// Plain-words detail.
    pub detail: String,
}

/// The event log, in simulation order.
#[derive(Resource, Debug, Clone, Default)]
pub struct EventLog(pub Vec<Event>);

impl EventLog {
    /// Appends an event.
    pub fn push(
        &mut self,
        day: u32,
        kind: EventKind,
        subject: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.0.push(Event {
            day,
            kind,
            subject: subject.into(),
            detail: detail.into(),
        });
    }
}

/// The free fighters of each side that threaten each settlement today (see `systems::threat`).
#[derive(Resource, Debug, Clone, Default)]
pub struct Threat {
    /// `[attacker, defender]` free fighters within the threatened side's reach, per node.
    pub free_within_reach: Vec<[f64; 2]>,
    /// Per side, per node: where those free fighters stand, in node order.
    pub sources: [Vec<Vec<ThreatSource>>; 2],
}

/// Free fighters at one settlement that reach another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreatSource {
    /// Where they stand.
    pub node: usize,
    /// Road km to the threatened settlement over ground they can use.
    pub km: f64,
    /// How many.
    pub fighters: f64,
}

impl Threat {
    /// Empties the picture for `nodes` settlements, keeping the allocations.
    pub fn clear(&mut self, nodes: usize) {
        self.free_within_reach.clear();
        self.free_within_reach.resize(nodes, [0.0, 0.0]);
        for side in &mut self.sources {
            side.resize_with(nodes, Vec::new);
            side.iter_mut().for_each(Vec::clear);
        }
    }

    /// Free fighters of `side` that threaten `node`.
    pub fn of(&self, side: Side, node: usize) -> f64 {
        self.free_within_reach.get(node).map_or(0.0, |t| t[side])
    }
}

/// Per-node strength of each side present at a settlement, refreshed when units move or fight.
#[derive(Resource, Debug, Clone, Default)]
pub struct Presence {
    /// `[attacker, defender]` fighters per node.
    pub strength: Vec<[f64; 2]>,
}

impl Presence {
    /// Strength of `side` within its threat reach of `node` (the node itself included).
    pub fn within_reach(&self, theatre: &Theatre, node: usize, side: Side, reach_km: f64) -> f64 {
        let here = self.strength[node][side];
        here + theatre.neighbourhood[node]
            .iter()
            .filter(|(_, km)| *km <= reach_km)
            .map(|(n, _)| self.strength[*n][side])
            .sum::<f64>()
    }
}
