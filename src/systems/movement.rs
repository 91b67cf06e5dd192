//! Movement: units advance along their paths, marching on their own ground and advancing slower
//! through contested or enemy ground, losing time at river crossings.
//!
//! A unit at a settlement sets off along the next route of its path unless an inject has cut that
//! route. Each tick on the road it first spends what is left of the route's `crossing_delay_days`
//! (a river crossing: it waits at the near end), then covers speed × the rest of the tick: its march
//! speed (`speed_km_per_day`) while its side controls both ends of the route and no enemy stands at
//! either, its advance speed (`advance_speed_km_per_day`) otherwise — judged tick by tick, so a unit
//! slows the moment the ground ahead is contested. Reaching the far end puts it at that settlement,
//! and the time left in the tick carries it on along the next route of its path. A unit entering a settlement held or occupied by
//! the enemy stops there — it has to clear it before going on (tasking gives it a fresh path the
//! next day). A withdrawal that arrives ends, and the unit is available to its side again.

use crate::ids::{NodeId, RouteId, Side};
use crate::model::{
    Campaign, Clock, Control, Location, Presence, RouteState, SideOf, Speed, Task, Theatre,
};
use bevy_ecs::prelude::*;

/// Advances every unit with a path by one tick.
pub fn move_units(
    clock: Res<Clock>,
    theatre: Res<Theatre>,
    routes: Res<RouteState>,
    presence: Res<Presence>,
    campaign: Res<Campaign>,
    controls: Query<&Control>,
    mut units: Query<(&SideOf, &Speed, &mut Location, &mut Task)>,
) {
    // Control is read only at the ends of routes units travel, so it is looked up there rather
    // than gathered for every node each tick.
    let side_of = |node: NodeId| {
        controls
            .get(theatre.node_entities[node])
            .map_or(Side::Attacker, |c| c.side)
    };
    let own_ground = |node: NodeId, side: Side| {
        side_of(node) == side && presence.strength[node][side.other()] <= 0.0
    };
    let roads = Roads {
        theatre: &theatre,
        routes: &routes,
        own_ground: &own_ground,
    };
    let dt = clock.tick_days;
    let paused = campaign.paused(clock.day());
    units
        .iter_mut()
        .for_each(|(side, speed, mut location, mut task)| {
            let path = match task.as_mut() {
                Task::Maneuver { .. } if paused && side.0 == Side::Attacker => return,
                Task::Maneuver { path, .. } | Task::Withdraw { path } => path,
                Task::Hold => return,
            };
            // Time left over at a settlement is carried on to the next route of the path, so a
            // journey takes as long whatever the tick length.
            let mut time_left = dt;
            while time_left > 0.0 {
                let Some(left) = step(&roads, side.0, speed, &mut location, path, time_left) else {
                    break;
                };
                time_left = left;
                let Location::At(to) = *location else { break };
                let enemy = side.0.other();
                if side_of(to) == enemy || presence.strength[to][enemy] > 0.0 {
                    path.clear();
                }
            }
            if path.is_empty() && matches!(*task, Task::Withdraw { .. }) {
                *task = Task::Maneuver {
                    target: None,
                    path: Vec::new(),
                };
            }
        });
}

/// The roads as a unit on the move sees them this tick: the graph, which routes are cut, and
/// whether a settlement is a side's own ground (it controls it and no enemy stands there).
struct Roads<'a> {
    theatre: &'a Theatre,
    routes: &'a RouteState,
    own_ground: &'a dyn Fn(NodeId, Side) -> bool,
}

/// Moves a unit along its path for up to `time_days`; returns the time left when it reaches the
/// next settlement of its path, or `None` when the tick is spent (or there is nowhere to go).
fn step(
    roads: &Roads,
    side: Side,
    speed: &Speed,
    location: &mut Location,
    path: &mut Vec<RouteId>,
    time_days: f64,
) -> Option<f64> {
    let Roads {
        theatre,
        routes,
        own_ground,
    } = *roads;
    if let Location::At(node) = *location {
        let &route = path.first()?;
        if routes.inject_cut[route] {
            path.clear();
            return None;
        }
        *location = Location::OnRoute {
            route,
            to: theatre.graph.across(route, node),
            km_done: 0.0,
            crossing_days_left: theatre.scenario.routes[route].crossing_delay_days,
        };
    }
    let Location::OnRoute {
        route,
        to,
        km_done,
        crossing_days_left,
    } = *location
    else {
        return None;
    };
    let waited = crossing_days_left.min(time_days);
    let (a, b, length) = theatre.graph.ends[route];
    let km_per_day = if own_ground(NodeId(a), side) && own_ground(NodeId(b), side) {
        speed.march
    } else {
        speed.advance
    };
    let moving_days = time_days - waited;
    let km_left = length - km_done;
    if crossing_days_left - waited > 0.0 || km_per_day * moving_days < km_left {
        *location = Location::OnRoute {
            route,
            to,
            km_done: (km_done + km_per_day * moving_days).min(length),
            crossing_days_left: crossing_days_left - waited,
        };
        return None;
    }
    *location = Location::At(to);
    path.remove(0);
    Some(moving_days - km_left / km_per_day.max(f64::MIN_POSITIVE))
}
