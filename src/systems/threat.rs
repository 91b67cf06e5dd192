//! Threat: the free fighters of each side that could reach each settlement over ground they can use.
//!
//! Garrisons, cells and units ordered to hold are tied to their place (a besieged city's garrison
//! never leaves it), so only *free* forces — units manoeuvring or falling back — count as a threat.
//! A free force at settlement S threatens settlement T when T lies within the *threatened* side's
//! `threat_reach_km` of S by road, over routes no inject has cut, passing only through settlements the
//! threatened side does not hold with a garrison (a held village screens what lies behind it; an
//! empty cleared one does not). The picture is drawn once a day, at its start, by a bounded Dijkstra
//! from every settlement where free forces stand: garrison sizes, reversion hazards, escape pressure
//! and reinforcement all read the same day's threat, so it does not depend on the tick length.

use super::common::NodeControls;
use crate::ids::Side;
use crate::model::{
    ControlState, Location, RouteState, SideOf, Strength, Task, Theatre, Threat, ThreatSource,
};
use bevy_ecs::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Redraws [`Threat`] for the day.
pub fn assess_threat(
    theatre: Res<Theatre>,
    routes: Res<RouteState>,
    controls: NodeControls,
    units: Query<(&SideOf, &Strength, &Location, &Task)>,
    mut threat: ResMut<Threat>,
) {
    let nodes = theatre.graph.nodes;
    // Who holds each node with a garrison (a screen), by side.
    let mut screened_by = vec![None; nodes];
    for (node, control) in &controls {
        if control.state == ControlState::Held {
            screened_by[node.0] = Some(control.side);
        }
    }
    let mut free = vec![[0.0_f64; 2]; nodes];
    for (side, strength, location, task) in &units {
        if let (Location::At(n), false) = (location, matches!(task, Task::Hold)) {
            free[n.index()][side.0] += strength.0;
        }
    }
    threat.clear(nodes);
    let mut search = BoundedSearch::new(nodes);
    for side in Side::BOTH {
        let threatened = side.other();
        let reach = theatre.scenario.sides[threatened].threat_reach_km;
        for (source, here) in free.iter().enumerate() {
            if here[side] <= 0.0 {
                continue;
            }
            search.run(&theatre, &routes, source, reach, &|n| {
                screened_by[n] != Some(threatened)
            });
            for &(node, km) in &search.reached {
                threat.free_within_reach[node][side] += here[side];
                threat.sources[side][node].push(ThreatSource {
                    node: source,
                    km,
                    fighters: here[side],
                });
            }
        }
    }
}

/// A Dijkstra bounded by distance, reusing its buffers from one source to the next.
struct BoundedSearch {
    dist: Vec<f64>,
    /// Nodes reached from the last source, in order of distance then node.
    reached: Vec<(usize, f64)>,
    heap: BinaryHeap<Reverse<(OrderedKm, usize)>>,
}

/// Kilometres with a total order for the heap.
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrderedKm(f64);
impl Eq for OrderedKm {}
impl PartialOrd for OrderedKm {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrderedKm {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl BoundedSearch {
    fn new(nodes: usize) -> BoundedSearch {
        BoundedSearch {
            dist: vec![f64::INFINITY; nodes],
            reached: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Every node within `reach_km` of `source` (itself included) over routes no inject cut,
    /// passing on only from nodes where `passable` holds (a node that is not is reached, not
    /// crossed).
    fn run(
        &mut self,
        theatre: &Theatre,
        routes: &RouteState,
        source: usize,
        reach_km: f64,
        passable: &dyn Fn(usize) -> bool,
    ) {
        for &(n, _) in &self.reached {
            self.dist[n] = f64::INFINITY;
        }
        self.reached.clear();
        self.dist[source] = 0.0;
        self.heap.push(Reverse((OrderedKm(0.0), source)));
        while let Some(Reverse((OrderedKm(d), node))) = self.heap.pop() {
            if d > self.dist[node] {
                continue;
            }
            self.reached.push((node, d));
            if node != source && !passable(node) {
                continue;
            }
            for &(route, next) in &theatre.graph.adjacency[node] {
                if routes.inject_cut[route] {
                    continue;
                }
                let nd = d + theatre.graph.ends[route].2;
                if nd <= reach_km && nd < self.dist[next] {
                    self.dist[next] = nd;
                    self.heap.push(Reverse((OrderedKm(nd), next)));
                }
            }
        }
    }
}
