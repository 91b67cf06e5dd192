//! Clearing: control follows whoever is left standing, and the attacker leaves garrisons.
//!
//! After combat, a settlement where only one side stands passes to that side. When the attacker
//! takes one it leaves a garrison sized by doctrine — max(garrison_min, garrison_ratio × the free
//! defender fighters that can reach it, see `systems::threat`) — split off the largest unit there, which is what drains the manoeuvre
//! force in clear-and-hold. Units reduced to nothing are removed here, their supply written off.
//! Taking an objective is its capture.

use super::common::{Books, MIN_UNIT_STRENGTH, Scene, detachment, split_off};
use crate::ids::{NodeId, Side};
use crate::model::{
    Cohesion, Control, ControlState, Districts, Establishment, EventKind, Key, Location, Presence,
    RouteState, SideOf, Speed, Strength, Supply, Task, Theatre, Threat,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

/// Removes destroyed units, hands settlements to the side left standing, and garrisons them.
pub fn take_settlements(
    mut commands: Commands,
    scene: Scene,
    mut presence: ResMut<Presence>,
    threat: Res<Threat>,
    mut routes: ResMut<RouteState>,
    mut books: Books,
    ground: Ground,
) {
    let Scene { clock, theatre, .. } = scene;
    let Ground {
        mut units,
        mut places,
    } = ground;
    let day = clock.day();
    let scenario = &theatre.scenario;
    let mut dead: Vec<(Key, Entity)> = units
        .iter()
        .filter(|u| u.3.0 < MIN_UNIT_STRENGTH)
        .map(|u| (u.1.clone(), u.0))
        .collect();
    dead.sort();
    for (key, e) in dead {
        if let Ok((_, _, side, strength, _, supply, _, location, _, _)) = units.get(e) {
            books.tallies.losses[side.0] += strength.0;
            books.ledger.sides[side.0].destroyed_tons += supply.tons;
            if let Location::At(n) = location {
                presence.strength[*n][side.0] -= strength.0;
            }
            books.log.push(
                day,
                EventKind::UnitDestroyed,
                key.id.clone(),
                format!("{} is destroyed or dispersed", key.id),
            );
        }
        commands.entity(e).despawn();
    }
    for node in 0..theatre.graph.nodes {
        let [a, d] = presence.strength[node];
        let Ok((mut control, mut districts)) = places.get_mut(theatre.node_entities[node]) else {
            continue;
        };
        let settlement = &scenario.settlements[node];
        let new_state = match (a >= MIN_UNIT_STRENGTH, d >= MIN_UNIT_STRENGTH) {
            (true, true) => Some((control.side, ControlState::Contested)),
            (true, false) => Some((Side::Attacker, ControlState::Held)),
            (false, true) => Some((Side::Defender, ControlState::Held)),
            (false, false) if control.side == Side::Attacker => {
                Some((Side::Attacker, ControlState::ClearedUnheld))
            }
            (false, false) => None,
        };
        let Some((side, state)) = new_state else {
            continue;
        };
        let taken = side != control.side;
        *control = Control { side, state };
        if !taken {
            continue;
        }
        routes.dirty = true;
        if side == Side::Defender {
            books.tallies.reversions += 1;
        }
        let who = &scenario.sides[side].name;
        books.log.push(
            day,
            EventKind::Control,
            settlement.id.clone(),
            format!("{who} takes {}", settlement.name),
        );
        if side == Side::Attacker {
            districts.cleared = districts.total;
            let threat = threat.of(Side::Defender, node);
            garrison(
                &mut commands,
                &mut books,
                &mut units,
                &theatre,
                node,
                threat,
                day,
            );
        } else {
            districts.cleared = 0.0;
        }
    }
}

/// The units left after combat and the settlements whose control follows them.
#[derive(SystemParam)]
pub struct Ground<'w, 's> {
    units: UnitQuery<'w, 's>,
    places: Query<'w, 's, (&'static mut Control, &'static mut Districts)>,
}

type UnitQuery<'w, 's> = Query<
    'w,
    's,
    (
        Entity,
        &'static Key,
        &'static SideOf,
        &'static mut Strength,
        &'static Cohesion,
        &'static mut Supply,
        &'static Speed,
        &'static Location,
        &'static Task,
        &'static mut Establishment,
    ),
>;

/// Splits a garrison off the largest attacker manoeuvre unit at `node`.
fn garrison(
    commands: &mut Commands,
    books: &mut Books,
    units: &mut UnitQuery,
    theatre: &Theatre,
    node: usize,
    threat: f64,
    day: u32,
) {
    let Books { tallies, log, .. } = books;
    let doctrine = &theatre.scenario.sides[Side::Attacker];
    let wanted = doctrine
        .garrison_min
        .max(doctrine.garrison_ratio * threat.max(0.0));
    let donor = units
        .iter()
        .filter(|u| {
            u.2.0 == Side::Attacker
                && *u.7 == Location::At(NodeId(node))
                && matches!(u.8, Task::Maneuver { .. })
        })
        .max_by(|a, b| a.3.0.total_cmp(&b.3.0).then(b.1.cmp(a.1)))
        .map(|u| u.0);
    let Some(donor) = donor else { return };
    let Ok((_, key, _, mut strength, cohesion, mut supply, speed, _, _, mut establishment)) =
        units.get_mut(donor)
    else {
        return;
    };
    let Some((size, tons)) = split_off(&mut strength, &mut establishment, &mut supply, wanted)
    else {
        return;
    };
    tallies.spawned += 1;
    let settlement = &theatre.scenario.settlements[node];
    let id = format!("garrison-{}-{}", settlement.id, tallies.spawned);
    log.push(
        day,
        EventKind::Garrison,
        id.clone(),
        format!(
            "{} leaves {size:.0} fighters to hold {}",
            key.id, settlement.name
        ),
    );
    commands.spawn(detachment(
        id,
        Side::Attacker,
        NodeId(node),
        size,
        cohesion.0,
        tons,
        *speed,
    ));
}
