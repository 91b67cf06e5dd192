//! Combat: stochastic Lanchester attrition where both sides stand at a settlement.
//!
//! Each tick, aimed-fire square law: the defender loses α·A·dt and the attacker β·D·dt fighters in
//! expectation, where α and β are the sides' lethality scaled by cohesion and supply, and β also by
//! the settlement's defensibility (the 3:1 rule's reason) and the defender's C2. Actual losses are
//! Poisson draws from the settlement's own stream, so seeds differ but order of evaluation does not
//! matter. Losses are shared pro rata; cohesion falls with the share lost, and a unit below its
//! breakpoint withdraws along an open route, or surrenders when none is open. A unit that holds
//! (`task = "hold"`, and the garrisons, cells and arrivals that hold where they were put) never
//! withdraws: below its breakpoint it surrenders where it stands. In a multi-district
//! settlement the attacker clears districts at a rate ∝ force ratio ÷ (doctrine ratio ×
//! defensibility); when the last falls, the remaining defenders surrender.

use super::common::{NodeControls, control_by_node, withdrawal_path};
use crate::ids::Side;
use crate::model::{
    Clock, Cohesion, DefenderCommand, Districts, Establishment, EventKind, EventLog, Key, Location,
    Population, Presence, RouteState, RunSeed, SideOf, Strength, Supply, Tallies, Task, Theatre,
};
use crate::rng::{Salt, poisson, stream};
use bevy_ecs::prelude::*;

/// The units of one side at an engagement, with what their fire depends on.
struct Force {
    units: Vec<Entity>,
    strength: f64,
    cohesion: f64,
    supplied_share: f64,
}

/// Resolves one tick of every engagement.
#[allow(clippy::too_many_arguments)]
pub fn resolve_combat(
    clock: Res<Clock>,
    seed: Res<RunSeed>,
    theatre: Res<Theatre>,
    presence: Res<Presence>,
    command: Res<DefenderCommand>,
    routes: Res<RouteState>,
    mut tallies: ResMut<Tallies>,
    mut log: ResMut<EventLog>,
    mut units: UnitQuery,
    mut places: Query<(&Key, &mut Districts, &mut Population)>,
    controls: NodeControls,
) {
    let engaged: Vec<usize> = (0..presence.strength.len())
        .filter(|&n| {
            presence.strength[n][Side::Attacker] > 0.0 && presence.strength[n][Side::Defender] > 0.0
        })
        .collect();
    if engaged.is_empty() {
        return;
    }
    let scenario = &theatre.scenario;
    let dt = clock.tick_days;
    let day = clock.day();
    let control = control_by_node(&theatre, &controls);
    let mut at_node: Vec<(usize, Key, Entity)> = units
        .iter()
        .filter_map(|(e, key, _, s, _, loc, _, _, _)| match loc {
            Location::At(n) if s.0 > 0.0 && engaged.binary_search(&n.index()).is_ok() => {
                Some((n.index(), key.clone(), e))
            }
            _ => None,
        })
        .collect();
    at_node.sort();
    for &node in &engaged {
        let members: Vec<Entity> = at_node
            .iter()
            .filter(|(n, _, _)| *n == node)
            .map(|(_, _, e)| *e)
            .collect();
        let forces = Side::BOTH.map(|side| force(&units, &members, side));
        let Ok((place_key, mut districts, mut population)) =
            places.get_mut(theatre.node_entities[node])
        else {
            continue;
        };
        let settlement = &scenario.settlements[node];
        let (att, def) = (
            &scenario.sides[Side::Attacker],
            &scenario.sides[Side::Defender],
        );
        let alpha =
            att.lethality_per_day * forces[0].cohesion * (0.5 + 0.5 * forces[0].supplied_share);
        let beta = def.lethality_per_day
            * settlement.defensibility
            * forces[1].cohesion
            * (0.5 + 0.5 * forces[1].supplied_share)
            * (0.5 + 0.5 * command.c2);
        let mut rng = stream(seed.0, Salt::Combat, place_key.hash, clock.tick);
        let attacker_loss =
            poisson(&mut rng, beta * forces[1].strength * dt).min(forces[0].strength);
        let defender_loss =
            poisson(&mut rng, alpha * forces[0].strength * dt).min(forces[1].strength);
        for (side, loss) in [
            (Side::Attacker, attacker_loss),
            (Side::Defender, defender_loss),
        ] {
            apply_losses(
                &mut units,
                &forces[side],
                loss,
                scenario.sides[side].cohesion_loss_per_loss_share,
            );
            tallies.losses[side] += loss;
        }
        let displaced = population.0 * scenario.meta.displacement_share_per_day * dt;
        population.0 -= displaced;
        tallies.displaced += displaced;
        if districts.total > 1.0
            && control[node] == Side::Defender
            && forces[0].strength >= forces[1].strength
        {
            let rate = (forces[0].strength / forces[1].strength.max(1.0))
                / (att.attack_force_ratio * settlement.defensibility);
            districts.cleared = (districts.cleared + rate * dt).min(districts.total);
            if districts.cleared >= districts.total {
                let left = forces[1].strength - defender_loss;
                surrender_all(&mut units, &forces[1].units);
                tallies.losses[Side::Defender] += left.max(0.0);
                log.push(
                    day,
                    EventKind::Surrender,
                    settlement.id.clone(),
                    format!(
                        "the last district of {} falls; {:.0} defenders surrender",
                        settlement.name,
                        left.max(0.0)
                    ),
                );
                continue;
            }
        }
        for side in Side::BOTH {
            let breakpoint = scenario.sides[side].breakpoint_cohesion;
            for &e in &forces[side].units {
                let Ok((_, key, _, mut strength, cohesion, _, _, mut task, _)) = units.get_mut(e)
                else {
                    continue;
                };
                if cohesion.0 >= breakpoint || strength.0 <= 0.0 {
                    continue;
                }
                // A unit that holds (ordered to in the file, or a garrison, a cell, an arrival) has
                // no order to fall back: it stays where it stands, and breaking there is surrender.
                let path = match *task {
                    Task::Hold => None,
                    _ => withdrawal_path(&theatre, &routes, &presence, &control, side, node),
                };
                match path {
                    Some(path) => {
                        log.push(
                            day,
                            EventKind::Withdraw,
                            key.id.clone(),
                            format!("{} breaks at {} and withdraws", key.id, settlement.name),
                        );
                        *task = Task::Withdraw { path };
                    }
                    None => {
                        let why = if *task == Task::Hold {
                            "holding its ground"
                        } else {
                            "with no open route"
                        };
                        log.push(
                            day,
                            EventKind::Surrender,
                            key.id.clone(),
                            format!(
                                "{} breaks at {} {why} and surrenders ({:.0} fighters)",
                                key.id, settlement.name, strength.0
                            ),
                        );
                        tallies.losses[side] += strength.0;
                        strength.0 = 0.0;
                    }
                }
            }
        }
    }
}

type UnitQuery<'w, 's> = Query<
    'w,
    's,
    (
        Entity,
        &'static Key,
        &'static SideOf,
        &'static mut Strength,
        &'static mut Cohesion,
        &'static Location,
        &'static Supply,
        &'static mut Task,
        &'static Establishment,
    ),
>;

fn force(units: &UnitQuery, members: &[Entity], side: Side) -> Force {
    let mut f = Force {
        units: Vec::new(),
        strength: 0.0,
        cohesion: 0.0,
        supplied_share: 0.0,
    };
    for &e in members {
        if let Ok((_, _, s, strength, cohesion, _, supply, _, _)) = units.get(e)
            && s.0 == side
        {
            f.units.push(e);
            f.strength += strength.0;
            f.cohesion += strength.0 * cohesion.0;
            f.supplied_share += if supply.tons > 0.0 { strength.0 } else { 0.0 };
        }
    }
    if f.strength > 0.0 {
        f.cohesion /= f.strength;
        f.supplied_share /= f.strength;
    }
    f
}

fn apply_losses(units: &mut UnitQuery, force: &Force, loss: f64, cohesion_per_share: f64) {
    if force.strength <= 0.0 || loss <= 0.0 {
        return;
    }
    let share = loss / force.strength;
    for &e in &force.units {
        if let Ok((_, _, _, mut strength, mut cohesion, _, _, _, establishment)) = units.get_mut(e)
        {
            let lost = strength.0 * share;
            strength.0 -= lost;
            // Cohesion falls with the share of the unit's establishment lost (linear, so a unit
            // breaks at (1 − breakpoint) ÷ rate of it lost, as documented); a share of the
            // current strength would compound into a logarithm and break it far too early.
            let of_establishment = lost / establishment.0.max(super::common::MIN_UNIT_STRENGTH);
            cohesion.0 = (cohesion.0 - cohesion_per_share * of_establishment).max(0.0);
        }
    }
}

fn surrender_all(units: &mut UnitQuery, members: &[Entity]) {
    for &e in members {
        if let Ok((_, _, _, mut strength, ..)) = units.get_mut(e) {
            strength.0 = 0.0;
        }
    }
}
