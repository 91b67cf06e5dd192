//! Tasking: the attacker's daily decisions, each line of effort driven by its current phase.
//!
//! Targets by phase — isolate: where to cut, the settlements whose seizure cuts the most of the
//! defender's supply into the primary objective for what they cost to take and hold, within the
//! isolating lines' strength (network interdiction with a budget, see [`where_to_cut`]), so the
//! model rediscovers "work positions east of the city" from the graph and cordons the objective
//! rather than marching to the far end of the network; clear: settlements the defender holds (not
//! its outside sources and exits, nor the ends of a road the plan leaves open), by value × (3 if on
//! the narrowest cut) ÷ (1 + distance from the attacker's lines ÷ 50 km); assault: the objectives,
//! with everything not garrisoning. Units are assigned greedily, targets in priority order a batch
//! of 16 at a time: each idle unit, nearest first, goes to the nearest target of the batch that
//! still lacks the force ratio the doctrine asks for (at most 8 batches a day, so tasking stays
//! bounded in a huge theatre). A unit keeps its target until it is taken. Ties break on stable ids.
//! The defender's decisions (reinforcement, escape, infiltration) have their own systems.

use super::common::{NodeControls, Scene, control_by_node};
use super::isolation::side_capacities;
use crate::graph::{Interdiction, ShortestPaths};
use crate::ids::{NodeId, RouteId, Side};
use crate::model::{
    Campaign, Cohesion, Isolation, Key, LineOfEffort, Location, Presence, RouteState, SideOf,
    Strength, Task, Theatre, Threat,
};
use crate::scenario::Behaviour;
use bevy_ecs::prelude::*;
use std::collections::BTreeMap;

/// Assigns the attacker's manoeuvre units to targets, once a day, each line of effort by its own
/// phase: its units go for its targets; strength already committed to a place counts whichever line
/// sent it.
pub fn assign_tasks(
    scene: Scene,
    seen: super::common::Picture,
    campaign: Res<Campaign>,
    isolation: Res<Isolation>,
    controls: NodeControls,
    mut units: Query<Manoeuvre>,
    mut last_cut: Local<Vec<usize>>,
) {
    let (clock, theatre) = (&scene.clock, &scene.theatre);
    let (presence, threat, routes) = (&seen.presence, &seen.threat, &seen.routes);
    if !clock.is_day_start() || campaign.paused(clock.day()) {
        return;
    }
    let scenario = &theatre.scenario;
    let doctrine = &scenario.sides[Side::Attacker];
    let chosen_cut = std::mem::take(&mut *last_cut);
    let control = control_by_node(theatre, &controls);
    let behaviours: Vec<Behaviour> = (0..scenario.lines.len())
        .map(|line| scenario.phases[campaign.phase_of_line(line)].behaviour)
        .collect();
    // The isolating lines spend their manoeuvre strength on where to cut.
    let budget: f64 = units
        .iter()
        .filter(|(_, _, side, _, _, _, task, line)| {
            side.0 == Side::Attacker
                && matches!(task, Task::Maneuver { .. })
                && behaviours[line.map_or(0, |l| l.0).min(behaviours.len() - 1)]
                    == Behaviour::Isolate
        })
        .map(|u| u.3.0)
        .sum();
    let mut picture = Situation {
        theatre,
        routes,
        isolation: &isolation,
        control: &control,
        presence,
        threat,
        budget,
        chosen_cut: &chosen_cut,
        cut: Vec::new(),
    };
    if behaviours.contains(&Behaviour::Isolate) {
        picture.cut = where_to_cut(&picture, &off_limits(theatre));
    }
    let mut line_targets: BTreeMap<Behaviour, Vec<usize>> = BTreeMap::new();
    for &b in &behaviours {
        line_targets
            .entry(b)
            .or_insert_with(|| targets(&picture, b));
    }
    *last_cut = picture.cut.clone();
    let targets_of = |line: usize| &line_targets[&behaviours[line.min(behaviours.len() - 1)]];
    // Committed strength per target from units that keep their target; the rest are free.
    let mut committed = vec![0.0; theatre.graph.nodes];
    let mut free: Vec<Vec<(Key, Entity, usize, f64)>> = vec![Vec::new(); behaviours.len()];
    let mut stopped: Vec<(Key, Entity, usize, usize)> = Vec::new();
    for (e, key, side, strength, cohesion, location, mut task, line) in units.iter_mut() {
        let Task::Maneuver { target, path } = task.as_mut() else {
            continue;
        };
        if side.0 != Side::Attacker || cohesion.0 < doctrine.breakpoint_cohesion + 0.1 {
            continue;
        }
        let line = line.map_or(0, |l| l.0).min(behaviours.len() - 1);
        // A unit standing where the defender still fights stays to clear the place first.
        let engaged = location
            .node()
            .is_some_and(|n| presence.strength[n][Side::Defender] > 0.0);
        match (*target, location) {
            (Some(t), _)
                if control[t] != Side::Attacker && targets_of(line).contains(&t.index()) =>
            {
                committed[t] += strength.0;
                // Stopped on the way (it had to clear a settlement first): it goes on from here.
                if let (true, false, Location::At(node)) = (path.is_empty(), engaged, location)
                    && *node != t
                {
                    stopped.push((key.clone(), e, node.index(), t.index()));
                }
            }
            (_, Location::At(_)) if engaged => {
                *task = Task::Maneuver {
                    target: None,
                    path: Vec::new(),
                };
            }
            (_, Location::At(node)) => {
                *task = Task::Maneuver {
                    target: None,
                    path: Vec::new(),
                };
                free[line].push((key.clone(), e, node.index(), strength.0));
            }
            (_, Location::OnRoute { .. }) => {}
        }
    }
    stopped.sort();
    let mut approach_to: BTreeMap<usize, Approach> = BTreeMap::new();
    for (_, e, node, target) in stopped {
        let paths = approach_to
            .entry(target)
            .or_insert_with(|| approach_paths(theatre, routes, &control, &[target]));
        if let Ok((.., mut task, _)) = units.get_mut(e) {
            // An inject may have cut every way there: then the unit is free again tomorrow.
            let reachable = paths.dist(node).is_finite();
            *task = Task::Maneuver {
                target: reachable.then_some(NodeId(target)),
                path: paths.path(theatre, node),
            };
        }
    }
    for (line, free) in free.into_iter().enumerate() {
        let assault = behaviours[line] == Behaviour::Assault;
        let need = |t: usize| {
            if assault {
                f64::INFINITY
            } else {
                (presence.strength[t][Side::Defender] * doctrine.attack_force_ratio)
                    .max(2.0 * doctrine.garrison_min)
            }
        };
        let orders = assign_line(
            theatre,
            routes,
            &control,
            targets_of(line),
            free,
            &mut committed,
            &need,
        );
        for (e, target, path) in orders {
            if let Ok((.., mut task, _)) = units.get_mut(e) {
                *task = Task::Maneuver {
                    target: Some(NodeId(target)),
                    path,
                };
            }
        }
    }
}

/// One line's free units sent to its targets in priority order, a batch at a time: each free unit
/// goes to the nearest target of the batch that still needs strength (one multi-source search per
/// batch, not one per target). Returns `(unit, target, path)` orders.
fn assign_line(
    theatre: &Theatre,
    routes: &RouteState,
    control: &[Side],
    targets: &[usize],
    mut free: Vec<(Key, Entity, usize, f64)>,
    committed: &mut [f64],
    need: &dyn Fn(usize) -> f64,
) -> Vec<(Entity, usize, Vec<RouteId>)> {
    let mut orders = Vec::new();
    for batch in targets.chunks(TARGET_BATCH).take(MAX_BATCHES_PER_DAY) {
        let open: Vec<usize> = batch
            .iter()
            .copied()
            .filter(|&t| committed[t] < need(t))
            .collect();
        if free.is_empty() {
            break;
        }
        if open.is_empty() {
            continue;
        }
        let paths = approach_paths(theatre, routes, control, &open);
        free.sort_by(|a, b| {
            paths
                .dist(a.2)
                .total_cmp(&paths.dist(b.2))
                .then(a.0.cmp(&b.0))
        });
        let mut kept = Vec::with_capacity(free.len());
        for (key, e, node, strength) in free.drain(..) {
            let target = paths.target(node);
            if target == usize::MAX || committed[target] >= need(target) {
                kept.push((key, e, node, strength));
                continue;
            }
            orders.push((e, target, paths.path(theatre, node)));
            committed[target] += strength;
        }
        free = kept;
    }
    orders
}

/// What tasking reads and sets of each unit: who it is, its side, strength and cohesion, where it
/// is, its task and its line of effort.
type Manoeuvre = (
    Entity,
    &'static Key,
    &'static SideOf,
    &'static Strength,
    &'static Cohesion,
    &'static Location,
    &'static mut Task,
    Option<&'static LineOfEffort>,
);

/// Targets considered together in one search.
const TARGET_BATCH: usize = 16;
/// Batches considered per day (so a huge theatre's tasking stays bounded).
const MAX_BATCHES_PER_DAY: usize = 8;

/// Shortest approaches to the nearest of `targets`, preferring, node by node: a way around every
/// settlement the defender controls; else one through defender settlements (cleared on the way) but
/// not through an objective or an off-limits place (outside sources and exits, the ends of a road
/// left open) that is not itself a target (those are taken in their phase, or never, not in
/// passing); else any way at all.
fn approach_paths(
    theatre: &Theatre,
    routes: &RouteState,
    control: &[Side],
    targets: &[usize],
) -> Approach {
    let open = |r: usize| !routes.inject_cut[r];
    let scenario = &theatre.scenario;
    let mut special: Vec<usize> = off_limits(theatre)
        .into_iter()
        .chain(scenario.objectives.iter().map(|o| o.settlement))
        .filter(|n| !targets.contains(n))
        .collect();
    special.sort_unstable();
    let levels: [&dyn Fn(usize) -> bool; 3] = [
        &|n| control[n] != Side::Defender,
        &|n| special.binary_search(&n).is_err(),
        &|_| true,
    ];
    let mut approach = Approach {
        trees: Vec::new(),
        level: vec![0; theatre.graph.nodes],
    };
    for node_ok in levels {
        let tree = theatre
            .graph
            .shortest_paths_from_set(targets, &open, node_ok);
        let k = approach.trees.len();
        for n in 0..tree.dist.len() {
            if k > 0 && !approach.dist(n).is_finite() && tree.dist[n].is_finite() {
                approach.level[n] = k;
            }
        }
        approach.trees.push(tree);
        if (0..theatre.graph.nodes).all(|n| approach.dist(n).is_finite()) {
            break;
        }
    }
    approach
}

/// Shortest-path trees to a set of targets at widening levels, and which level serves each node.
struct Approach {
    trees: Vec<ShortestPaths>,
    level: Vec<usize>,
}

impl Approach {
    fn dist(&self, n: usize) -> f64 {
        self.trees[self.level[n]].dist[n]
    }
    /// The target a unit at `n` is nearest to (`usize::MAX` when none is reachable).
    fn target(&self, n: usize) -> usize {
        self.trees[self.level[n]].root[n]
    }
    /// The routes from `n` to its target, all within one tree so the path ends where `target` says.
    fn path(&self, theatre: &Theatre, n: usize) -> Vec<RouteId> {
        path_towards(theatre, &self.trees[self.level[n]].via, n)
    }
}

/// Routes from `from` back along `via` (a shortest-path forest rooted at the targets), in travel order.
fn path_towards(theatre: &Theatre, via: &[usize], from: usize) -> Vec<RouteId> {
    let mut path = Vec::new();
    let mut node = NodeId(from);
    while via[node] != usize::MAX {
        let route = RouteId(via[node]);
        path.push(route);
        node = theatre.graph.across(route, node);
    }
    path
}

/// What the attacker's tasking reads to choose targets.
struct Situation<'a> {
    theatre: &'a Theatre,
    routes: &'a RouteState,
    isolation: &'a Isolation,
    control: &'a [Side],
    presence: &'a Presence,
    threat: &'a Threat,
    /// Fighters the isolating lines can spend on seizures.
    budget: f64,
    /// The cut the isolating lines chose last time, if any.
    chosen_cut: &'a [usize],
    /// Where to cut today (empty when no line isolates).
    cut: Vec<usize>,
}

/// Settlements no phase takes: the defender's outside sources and exits (they lie beyond the
/// campaign) and both ends of every route the plan leaves open (a way out), objectives aside.
fn off_limits(theatre: &Theatre) -> Vec<usize> {
    let scenario = &theatre.scenario;
    let mut out: Vec<usize> = scenario
        .objectives
        .iter()
        .flat_map(|o| {
            let ends = o.leave_open.iter().flat_map(|&r| {
                let route = &scenario.routes[r];
                [route.from, route.to]
            });
            o.sources.iter().chain(&o.exits).copied().chain(ends)
        })
        .filter(|n| !scenario.objectives.iter().any(|o| o.settlement == *n))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The phase's targets, most important first.
fn targets(picture: &Situation, behaviour: Behaviour) -> Vec<usize> {
    let theatre = picture.theatre;
    let control = picture.control;
    let scenario = &theatre.scenario;
    let objectives: Vec<usize> = scenario.objectives.iter().map(|o| o.settlement).collect();
    let outside = off_limits(theatre);
    let on_cut = |n: usize| {
        picture
            .isolation
            .objectives
            .first()
            .is_some_and(|o| o.cut_settlements.contains(&n))
    };
    match behaviour {
        Behaviour::Isolate => {
            if picture.cut.is_empty() {
                targets(picture, Behaviour::Clear)
            } else {
                picture.cut.clone()
            }
        }
        Behaviour::Clear => {
            let held: Vec<usize> = (0..control.len())
                .filter(|&n| control[n] == Side::Attacker)
                .collect();
            let dist = distance_from_set(theatre, &held);
            let mut scored: Vec<(f64, usize)> = (0..control.len())
                .filter(|&n| {
                    control[n] == Side::Defender
                        && !objectives.contains(&n)
                        && outside.binary_search(&n).is_err()
                        && dist[n].is_finite()
                })
                .map(|n| {
                    let bonus = if on_cut(n) { 3.0 } else { 1.0 };
                    (
                        scenario.settlements[n].value * bonus / (1.0 + dist[n] / 50.0),
                        n,
                    )
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            scored.into_iter().map(|(_, n)| n).collect()
        }
        Behaviour::Assault => {
            let left: Vec<usize> = objectives
                .into_iter()
                .filter(|&n| control[n] != Side::Attacker)
                .collect();
            // With every objective taken, the attacker goes on clearing what the defender holds.
            if left.is_empty() {
                targets(picture, Behaviour::Clear)
            } else {
                left
            }
        }
    }
}

/// Where to cut: the settlements whose seizure cuts the most of the defender's supply into the
/// primary objective for what they cost the attacker, within its budget (network interdiction; see
/// `graph::interdiction`). A settlement costs (fighters to take it: its defenders × the attack
/// force ratio, at least twice the minimum garrison; + fighters to hold it: the garrison doctrine
/// against the defender's free threat there) × (1 + road km from the attacker's lines ÷
/// `cut_distance_km`). The attacker's own places, places it cannot reach and `off_limits` ones are
/// not for sale. Capacities are the defender's network as ground control leaves it (air
/// interdiction and fighting come and go; the cut is meant to last).
fn where_to_cut(picture: &Situation, off_limits: &[usize]) -> Vec<usize> {
    let theatre = picture.theatre;
    let control = picture.control;
    let scenario = &theatre.scenario;
    let Some(objective) = scenario.objectives.first() else {
        return Vec::new();
    };
    if control[objective.settlement] == Side::Attacker {
        return Vec::new();
    }
    let doctrine = &scenario.sides[Side::Attacker];
    let held: Vec<usize> = (0..control.len())
        .filter(|&n| control[n] == Side::Attacker)
        .collect();
    let dist = theatre
        .graph
        .shortest_paths_from_set(&held, &|r| !picture.routes.inject_cut[r], &|_| true)
        .dist;
    let cost: Vec<f64> = (0..control.len())
        .map(|n| {
            if control[n] == Side::Attacker
                || !dist[n].is_finite()
                || off_limits.binary_search(&n).is_ok()
            {
                return f64::INFINITY;
            }
            let take = (picture.presence.strength[n][Side::Defender] * doctrine.attack_force_ratio)
                .max(2.0 * doctrine.garrison_min);
            let hold = doctrine
                .garrison_min
                .max(doctrine.garrison_ratio * picture.threat.of(Side::Defender, n));
            (take + hold) * (1.0 + dist[n] / doctrine.cut_distance_km)
        })
        .collect();
    let no_contest = vec![false; control.len()];
    let caps = side_capacities(
        scenario,
        picture.routes,
        control,
        &no_contest,
        Side::Defender,
        false,
    );
    let fresh = theatre.graph.interdiction(
        &objective.sources,
        objective.settlement,
        &caps,
        &cost,
        picture.budget,
    );
    let cut = keep_or_switch(picture, objective, &caps, &cost, fresh);
    cut.nodes
}

/// A plan changes only for a better one: the attacker keeps working what is left of the cut it
/// chose while that still shuts off as much as the fresh choice and costs at most
/// [`SWITCH_COST_RATIO`] times as much; otherwise it switches. Without this, costs that move a
/// little as units march and fight would swing the whole force between two cuts of nearly the same
/// price, and it would take neither.
fn keep_or_switch(
    picture: &Situation,
    objective: &crate::scenario::Objective,
    caps: &[f64],
    cost: &[f64],
    fresh: Interdiction,
) -> Interdiction {
    let theatre = picture.theatre;
    let remaining: Vec<usize> = picture
        .chosen_cut
        .iter()
        .copied()
        .filter(|&n| cost[n].is_finite())
        .collect();
    if remaining.is_empty() {
        return fresh;
    }
    let closed: Vec<f64> = caps
        .iter()
        .enumerate()
        .map(|(r, &c)| {
            let (a, b, _) = theatre.graph.ends[r];
            if remaining.contains(&a) || remaining.contains(&b) {
                0.0
            } else {
                c
            }
        })
        .collect();
    let residual_flow = theatre
        .graph
        .max_flow(&objective.sources, objective.settlement, &closed)
        .value;
    let kept_cost: f64 = remaining.iter().map(|&n| cost[n]).sum();
    if residual_flow <= fresh.residual_flow + 1e-6 && kept_cost <= SWITCH_COST_RATIO * fresh.cost {
        Interdiction {
            nodes: remaining,
            cost: kept_cost,
            residual_flow,
        }
    } else {
        fresh
    }
}

/// How much dearer than a fresh choice the cut being worked may be before the attacker switches.
const SWITCH_COST_RATIO: f64 = 1.5;

/// Road distance from the nearest node of `set` to every node.
fn distance_from_set(theatre: &Theatre, set: &[usize]) -> Vec<f64> {
    theatre
        .graph
        .shortest_paths_from_set(set, &|_| true, &|n| set.binary_search(&n).is_ok())
        .dist
}
