//! Escape through the back door.
//!
//! Once a day, for each objective the attacker has not taken, while an escape path is open: a share
//! `escape_share_per_day` × pressure × closure of the defenders inside leaves for the nearest exit.
//! Pressure = T ÷ (`escape_threat_ratio` × defenders inside), at most 2, where T is the attacker's
//! *free* fighters that can reach the objective (see `systems::threat`: garrisons far behind the
//! front do not press anyone); closure is the objective's isolation index (the ring closing in).
//! Both grow smoothly from zero, so escape has no knife edge: no threat or no ring, no escape;
//! the share doubles at twice the doctrine ratio with the ring shut. It is cut to the interdiction
//! fraction when air covers a route on the way. Escapees travel at `escape_speed_km_per_day` and reappear at
//! the exit as a unit: they do not vanish, and they are counted.

use super::common::{NodeControls, Picture, Record, Scene, control_by_node};
use crate::ids::{NodeId, Side};
use crate::model::{
    Arrival, DefenderCommand, EventKind, Isolation, Location, RouteStatus, SideOf, Strength,
};
use bevy_ecs::prelude::*;

/// Sends defenders out of threatened objectives while the back door is open.
pub fn escape_objectives(
    scene: Scene,
    isolation: Res<Isolation>,
    picture: Picture,
    mut command: ResMut<DefenderCommand>,
    record: Record,
    controls: NodeControls,
    mut units: Query<(&SideOf, &mut Strength, &Location)>,
) {
    let Scene { clock, theatre, .. } = scene;
    let Picture {
        presence,
        threat,
        routes,
    } = picture;
    let Record {
        mut tallies,
        mut log,
    } = record;
    if !clock.is_day_start() {
        return;
    }
    let scenario = &theatre.scenario;
    let doctrine = &scenario.sides[Side::Defender];
    let control = control_by_node(&theatre, &controls);
    for (i, objective) in scenario.objectives.iter().enumerate() {
        let node = objective.settlement;
        let inside = presence.strength[node][Side::Defender];
        let threat = threat.of(Side::Attacker, node);
        let closure = isolation.objectives[i].isolation_index;
        if !isolation.objectives[i].back_door_open
            || control[node] == Side::Attacker
            || inside < 1.0
            || threat <= 0.0
            || closure <= 0.0
        {
            continue;
        }
        let paths =
            theatre
                .graph
                .shortest_paths(node, &|r| routes.status[r] != RouteStatus::Cut, &|n| {
                    control[n] != Side::Attacker
                });
        let exit = objective
            .exits
            .iter()
            .copied()
            .filter(|&x| paths.dist[x].is_finite() && control[x] != Side::Attacker)
            .min_by(|&a, &b| paths.dist[a].total_cmp(&paths.dist[b]).then(a.cmp(&b)));
        let Some(exit) = exit else { continue };
        let route_list = paths.path_to(&theatre.graph, exit).unwrap_or_default();
        let covered = route_list
            .iter()
            .any(|&r| routes.status[r] == RouteStatus::Interdicted);
        let pressure = (threat / (doctrine.escape_threat_ratio * inside).max(1.0)).min(2.0);
        let share = doctrine.escape_share_per_day
            * pressure
            * closure
            * if covered {
                scenario.air.interdiction_capacity_fraction
            } else {
                1.0
            };
        let leaving = inside * share;
        if leaving < 1.0 {
            continue;
        }
        units
            .iter_mut()
            .filter(|(side, _, loc)| {
                side.0 == Side::Defender && **loc == Location::At(NodeId(node))
            })
            .for_each(|(_, mut s, _)| s.0 -= s.0 * share);
        tallies.escaped += leaving;
        let days = paths.dist[exit] / doctrine.escape_speed_km_per_day;
        let (from, to) = (&scenario.settlements[node], &scenario.settlements[exit]);
        log.push(
            clock.day(),
            EventKind::Escape,
            from.id.clone(),
            format!(
                "{leaving:.0} fighters slip out of {} toward {}",
                from.name, to.name
            ),
        );
        command.arrivals.push(Arrival {
            tick: clock.tick + super::reinforcement::ticks_for(days, clock.tick_days),
            node: NodeId(exit),
            fighters: leaving,
            unit_id: format!("escaped-{}", to.id),
            supply_days: 0.0,
        });
    }
}
