//! Isolation: route status, the max-flow isolation index, the minimum cut and the back door.
//!
//! The index of an objective is 1 − maxflow(defender's outside sources → objective) ÷ the same flow
//! on day 0, with each route carrying its capacity in both directions, nothing through a route with
//! an attacker-held end or an inject cut, and a fraction of it while air interdicts it. A route's
//! status is *cut* where the front crosses it (its ends held by different sides) or an inject cut
//! it, *interdicted* while air covers it, *open* otherwise. The minimum
//! cut nearest the objective names the settlements whose seizure cuts what still flows: the
//! attacker's isolate phase goes for them. Max-flow is recomputed only when a route's status inputs
//! changed (control, interdiction, injects), which keeps ticks cheap.

use crate::model::{
    Clock, Control, EventLog, Isolation, ObjectiveState, RouteState, RouteStatus, Theatre,
};
use crate::scenario::{ATTACKER, Scenario};
use bevy_ecs::prelude::*;

/// Recomputes route status and every objective's isolation when something they depend on changed.
pub fn update_isolation(
    clock: Res<Clock>,
    theatre: Res<Theatre>,
    mut routes: ResMut<RouteState>,
    mut isolation: ResMut<Isolation>,
    mut log: ResMut<EventLog>,
    controls: Query<&Control>,
) {
    if !routes.dirty {
        return;
    }
    let control: Vec<usize> = theatre
        .node_entities
        .iter()
        .map(|e| controls.get(*e).map_or(0, |c| c.side))
        .collect();
    let day = clock.day();
    let changes = refresh_route_status(&theatre, &mut routes, &control);
    for (route, status) in changes {
        let r = &theatre.scenario.routes[route];
        log.push(
            day,
            "route",
            r.id.clone(),
            format!("route {} is now {}", r.id, status_word(status)),
        );
    }
    let threshold = theatre.scenario.meta.isolation_threshold;
    for (i, state) in isolation.objectives.iter_mut().enumerate() {
        let fresh = assess(&theatre, &routes, &control, i, state.flow_day0);
        let name = &theatre.scenario.settlements[theatre.scenario.objectives[i].settlement].name;
        if state.back_door_open && !fresh.back_door_open {
            log.push(
                day,
                "isolation",
                name.clone(),
                format!("the back door out of {name} is shut"),
            );
        }
        if state.isolation_day.is_none() && fresh.isolation_index >= threshold {
            log.push(
                day,
                "isolation",
                name.clone(),
                format!("{name} is isolated (index {:.3})", fresh.isolation_index),
            );
            state.isolation_day = Some(day);
        }
        state.flow = fresh.flow;
        state.isolation_index = fresh.isolation_index;
        state.back_door_open = fresh.back_door_open;
        state.cut_settlements = fresh.cut_settlements;
        state.cut_routes = fresh.cut_routes;
    }
    routes.dirty = false;
}

/// Sets each route's status from control, injects and interdiction; returns the routes that changed.
pub fn refresh_route_status(
    theatre: &Theatre,
    routes: &mut RouteState,
    control: &[usize],
) -> Vec<(usize, RouteStatus)> {
    let mut changed = Vec::new();
    for (r, route) in theatre.scenario.routes.iter().enumerate() {
        // A route is cut where the front crosses it (its ends are held by different sides); a route
        // wholly behind the attacker's lines is open, but carries nothing for the defender.
        let status = if routes.inject_cut[r] || control[route.from] != control[route.to] {
            RouteStatus::Cut
        } else if routes.interdicted[r] {
            RouteStatus::Interdicted
        } else {
            RouteStatus::Open
        };
        let old = std::mem::replace(&mut routes.status[r], status);
        // Interdiction comes and goes daily; only cuts and reopenings are events.
        if (old == RouteStatus::Cut) != (status == RouteStatus::Cut) {
            changed.push((r, status));
        }
    }
    changed
}

fn status_word(status: RouteStatus) -> &'static str {
    match status {
        RouteStatus::Open => "open",
        RouteStatus::Interdicted => "interdicted",
        RouteStatus::Cut => "cut",
    }
}

/// Capacity each route offers the defender's flow: nothing through a route with an attacker-held
/// end or a cut, a fraction while interdicted.
pub fn defender_capacities(
    scenario: &Scenario,
    routes: &RouteState,
    control: &[usize],
) -> Vec<f64> {
    scenario
        .routes
        .iter()
        .zip(&routes.status)
        .map(|(r, status)| match status {
            _ if control[r.from] == ATTACKER || control[r.to] == ATTACKER => 0.0,
            RouteStatus::Open => r.capacity_tons_per_day,
            RouteStatus::Interdicted => {
                r.capacity_tons_per_day * scenario.air.interdiction_capacity_fraction
            }
            RouteStatus::Cut => 0.0,
        })
        .collect()
}

/// The isolation picture of objective `i` now (`flow_day0` = 0 means "this is day 0").
pub fn assess(
    theatre: &Theatre,
    routes: &RouteState,
    control: &[usize],
    i: usize,
    flow_day0: f64,
) -> ObjectiveState {
    let scenario = &theatre.scenario;
    let objective = &scenario.objectives[i];
    let caps = defender_capacities(scenario, routes, control);
    let flow = theatre
        .graph
        .max_flow(&objective.sources, objective.settlement, &caps);
    let base = if flow_day0 > 0.0 {
        flow_day0
    } else {
        flow.value
    };
    let isolation_index = if base > 0.0 {
        (1.0 - flow.value / base).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let cut_routes = flow.cut_routes(&theatre.graph, &caps);
    let mut cut_settlements: Vec<usize> = cut_routes
        .iter()
        .map(|&r| {
            let (a, b, _) = theatre.graph.ends[r];
            // Seize the end on the objective's side of the cut, unless that end is the objective.
            let (near, far) = if flow.sink_side[a] { (a, b) } else { (b, a) };
            if near == objective.settlement {
                far
            } else {
                near
            }
        })
        .filter(|n| control[*n] != ATTACKER && !objective.sources.contains(n))
        .collect();
    cut_settlements.sort_unstable();
    cut_settlements.dedup();
    let back_door_open = back_door(theatre, routes, control, i);
    ObjectiveState {
        flow_day0: base,
        flow: flow.value,
        isolation_index,
        back_door_open,
        cut_settlements,
        cut_routes,
        isolation_day: None,
        capture_day: None,
    }
}

/// Whether a path of uncut routes through settlements the attacker does not hold leads from the
/// objective to one of its exits.
fn back_door(theatre: &Theatre, routes: &RouteState, control: &[usize], i: usize) -> bool {
    let objective = &theatre.scenario.objectives[i];
    if control[objective.settlement] == ATTACKER {
        return false;
    }
    let paths = theatre.graph.shortest_paths(
        objective.settlement,
        &|r| routes.status[r] != RouteStatus::Cut,
        &|n| control[n] != ATTACKER,
    );
    objective
        .exits
        .iter()
        .any(|&x| paths.dist[x].is_finite() && control[x] != ATTACKER)
}
