//! Isolation: route status, the max-flow isolation index, the minimum cut and the back door.
//!
//! The index of an objective is 1 − maxflow(defender's outside sources → objective) ÷ the same flow
//! on day 0, over the capacities the defender's supply distribution uses ([`side_capacities`]):
//! each route carries its capacity in both directions, nothing through a route with an
//! attacker-held end or an inject cut, `interdiction_capacity_fraction` of it while air interdicts
//! it and `contested_capacity_fraction` while either end is contested. So an index of 1 means no
//! supply can flow from the outside sources into the objective. A second index from cuts and
//! control alone (interdiction ignored) shows what the ground campaign achieved by itself. A route's
//! status is *cut* where the front crosses it (its ends held by different sides) or an inject cut
//! it, *interdicted* while air covers it, *open* otherwise. The minimum
//! cut nearest the objective names the settlements whose seizure cuts what still flows: the
//! attacker's isolate phase goes for them. Max-flow is recomputed only when a route's status inputs
//! changed (control, contested places, interdiction, injects), which keeps ticks cheap.

use crate::ids::Side;
use crate::model::{
    Clock, Control, EventKind, EventLog, Isolation, ObjectiveState, RouteState, RouteStatus,
    Theatre,
};
use crate::scenario::Scenario;
use bevy_ecs::prelude::*;

/// Recomputes route status and every objective's isolation when something they depend on changed.
pub fn update_isolation(
    clock: Res<Clock>,
    theatre: Res<Theatre>,
    mut routes: ResMut<RouteState>,
    mut isolation: ResMut<Isolation>,
    mut log: ResMut<EventLog>,
    controls: Query<&Control>,
    mut last_contested: Local<Vec<bool>>,
) {
    // Checked every tick (a fight starting or ending changes capacities), in place: no allocation.
    let contested_changed = refill_contested(&theatre, &controls, &mut last_contested);
    if !routes.dirty && !contested_changed {
        return;
    }
    let control: Vec<Side> = theatre
        .node_entities
        .iter()
        .map(|e| controls.get(*e).map_or(Side::Attacker, |c| c.side))
        .collect();
    let day = clock.day();
    let changes = refresh_route_status(&theatre, &mut routes, &control);
    for (route, status) in changes {
        let r = &theatre.scenario.routes[route];
        log.push(
            day,
            EventKind::Route,
            r.id.clone(),
            format!("route {} is now {}", r.id, status_word(status)),
        );
    }
    for (i, state) in isolation.objectives.iter_mut().enumerate() {
        let fresh = assess(
            &theatre,
            &routes,
            &control,
            &last_contested,
            i,
            state.flow_day0,
        );
        let name = &theatre.scenario.settlements[theatre.scenario.objectives[i].settlement].name;
        if state.back_door_open && !fresh.back_door_open {
            log.push(
                day,
                EventKind::Isolation,
                name.clone(),
                format!("the back door out of {name} is shut"),
            );
        }
        state.flow = fresh.flow;
        state.isolation_index = fresh.isolation_index;
        state.isolation_index_cuts = fresh.isolation_index_cuts;
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
    control: &[Side],
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

/// Overwrites `contested` with whether each node is contested, in node order; returns whether
/// anything changed.
fn refill_contested(
    theatre: &Theatre,
    controls: &Query<&Control>,
    contested: &mut Vec<bool>,
) -> bool {
    let n = theatre.node_entities.len();
    let mut changed = contested.len() != n;
    contested.resize(n, false);
    for (slot, e) in contested.iter_mut().zip(&theatre.node_entities) {
        let now = controls
            .get(*e)
            .is_ok_and(|c| c.state == crate::model::ControlState::Contested);
        changed |= *slot != now;
        *slot = now;
    }
    changed
}

/// Capacity, tons per day, that each route offers `side`'s supply: nothing through an inject cut
/// or a route with an end the side does not control; `contested_capacity_fraction` of it while an
/// end is contested; for the defender, `interdiction_capacity_fraction` of it while air interdicts
/// it (when `with_interdiction`). The isolation index and the daily distribution both read this.
pub fn side_capacities(
    scenario: &Scenario,
    routes: &RouteState,
    control: &[Side],
    contested: &[bool],
    side: Side,
    with_interdiction: bool,
) -> Vec<f64> {
    let contested_fraction = scenario.meta.contested_capacity_fraction;
    let interdicted_fraction = scenario.air.interdiction_capacity_fraction;
    scenario
        .routes
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if routes.inject_cut[i] || control[r.from] != side || control[r.to] != side {
                return 0.0;
            }
            let mut cap = r.capacity_tons_per_day;
            if contested[r.from] || contested[r.to] {
                cap *= contested_fraction;
            }
            if with_interdiction && side == Side::Defender && routes.interdicted[i] {
                cap *= interdicted_fraction;
            }
            cap
        })
        .collect()
}

/// The isolation picture of objective `i` now (`flow_day0` = 0 means "this is day 0").
pub fn assess(
    theatre: &Theatre,
    routes: &RouteState,
    control: &[Side],
    contested: &[bool],
    i: usize,
    flow_day0: f64,
) -> ObjectiveState {
    let scenario = &theatre.scenario;
    let objective = &scenario.objectives[i];
    let caps = side_capacities(scenario, routes, control, contested, Side::Defender, true);
    let flow = theatre
        .graph
        .max_flow(&objective.sources, objective.settlement, &caps);
    let base = if flow_day0 > 0.0 {
        flow_day0
    } else {
        flow.value
    };
    let index_of = |value: f64| {
        if base > 0.0 {
            (1.0 - value / base).clamp(0.0, 1.0)
        } else {
            1.0
        }
    };
    let isolation_index = index_of(flow.value);
    let isolation_index_cuts = if routes.interdicted.iter().any(|i| *i) {
        let caps = side_capacities(scenario, routes, control, contested, Side::Defender, false);
        let value = theatre
            .graph
            .max_flow(&objective.sources, objective.settlement, &caps)
            .value;
        index_of(value)
    } else {
        isolation_index
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
        .filter(|n| control[*n] != Side::Attacker && !objective.sources.contains(n))
        .collect();
    cut_settlements.sort_unstable();
    cut_settlements.dedup();
    let back_door_open = back_door(theatre, routes, control, i);
    ObjectiveState {
        flow_day0: base,
        flow: flow.value,
        isolation_index,
        isolation_index_cuts,
        back_door_open,
        cut_settlements,
        cut_routes,
        isolated: Default::default(),
        taken: Default::default(),
    }
}

/// Whether a path of uncut routes through settlements the attacker does not hold leads from the
/// objective to one of its exits.
fn back_door(theatre: &Theatre, routes: &RouteState, control: &[Side], i: usize) -> bool {
    let objective = &theatre.scenario.objectives[i];
    if control[objective.settlement] == Side::Attacker {
        return false;
    }
    let paths = theatre.graph.shortest_paths(
        objective.settlement,
        &|r| routes.status[r] != RouteStatus::Cut,
        &|n| control[n] != Side::Attacker,
    );
    objective
        .exits
        .iter()
        .any(|&x| paths.dist[x].is_finite() && control[x] != Side::Attacker)
}
