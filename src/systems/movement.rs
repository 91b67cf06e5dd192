//! Movement: units advance along their paths at their road speed.
//!
//! A unit at a settlement sets off along the next route of its path unless an inject has cut that
//! route; on the road it covers speed × tick length; reaching the far end puts it at that settlement.
//! A unit entering a settlement held or occupied by the enemy stops there — it has to clear it before
//! going on (tasking gives it a fresh path the next day). A withdrawal that arrives ends, and the unit
//! is available to its side again.

use crate::model::{Clock, Control, Location, Presence, RouteState, SideOf, Speed, Task, Theatre};
use bevy_ecs::prelude::*;

/// Advances every unit with a path by one tick.
pub fn move_units(
    clock: Res<Clock>,
    theatre: Res<Theatre>,
    routes: Res<RouteState>,
    presence: Res<Presence>,
    controls: Query<&Control>,
    mut units: Query<(&SideOf, &Speed, &mut Location, &mut Task)>,
) {
    // Control is read only where a unit arrives, so it is looked up there rather than gathered for
    // every node each tick.
    let side_of = |node: usize| {
        controls
            .get(theatre.node_entities[node])
            .map_or(0, |c| c.side)
    };
    let dt = clock.tick_days;
    units
        .iter_mut()
        .for_each(|(side, speed, mut location, mut task)| {
            let path = match task.as_mut() {
                Task::Maneuver { path, .. } | Task::Withdraw { path } => path,
                Task::Hold => return,
            };
            if let Location::At(node) = *location {
                let Some(&route) = path.first() else { return };
                if routes.inject_cut[route] {
                    path.clear();
                    return;
                }
                let (a, b, _) = theatre.graph.ends[route];
                *location = Location::OnRoute {
                    route,
                    to: if a == node { b } else { a },
                    km_done: 0.0,
                };
            }
            let Location::OnRoute { route, to, km_done } = *location else {
                return;
            };
            let covered = km_done + speed.0 * dt;
            if covered < theatre.graph.ends[route].2 {
                *location = Location::OnRoute {
                    route,
                    to,
                    km_done: covered,
                };
                return;
            }
            *location = Location::At(to);
            path.remove(0);
            let enemy = 1 - side.0;
            if side_of(to) == enemy || presence.strength[to][enemy] > 0.0 {
                path.clear();
            }
            if path.is_empty() && matches!(*task, Task::Withdraw { .. }) {
                *task = Task::Maneuver {
                    target: None,
                    path: Vec::new(),
                };
            }
        });
}
