//! Combat: stochastic Lanchester attrition where both sides stand at a settlement.
//!
//! α and β are the sides' lethality scaled by cohesion and supply, β also by the settlement's
//! defensibility (the 3:1 rule's reason) and the defender's C2. Which law applies depends on where
//! the fight is (MODEL.md, close combat):
//!
//! - **In the open** (a settlement of one district, or one the attacker already holds): aimed-fire
//!   square law. The defender loses α·A·dt and the attacker β·D·dt in expectation.
//! - **In a city** (a defender-held settlement of R > 1 uncleared districts): the mixed law of
//!   close combat in cover (MODEL.md; Deitchman), district by district with a frontage and a front.
//!   Only the districts on the edge of what the defender still holds can be attacked at once: k =
//!   ⌈√R⌉ of them (the perimeter of a compact block of R districts), so a bigger city takes longer.
//!   Each employs at most F attackers (`district_frontage_fighters`): A_e = min(A, F·k) fight,
//!   a = A_e ÷ k per district; the defenders are spread over the R districts, d = D ÷ R each. With the
//!   close-combat coefficients (`urban_lethality_per_day`) in α and β, a shooter's kills scale with
//!   the density of targets in its block up to a full one (the linear law when thin, the square law
//!   when full): the defender loses α·A_e·min(1, d ÷ F) a day and the attacker β·d·k·min(1, a ÷ F).
//!   Numbers beyond the frontage buy nothing, thinly held blocks take long to clear, densely held
//!   ones longer still. Districts fall at the rate one district's defenders are put out of action,
//!   α·A_e·min(1, d ÷ F) ÷ d a day. The attacker's fire is divided by 1 + civilians inside ÷
//!   `civilians_halving_fire` (0: no effect). When the last district is cleared the remaining
//!   defenders surrender.
//!
//! Every day each engagement draws an intensity, a gamma variate with mean 1 and coefficient of
//! variation `attrition_dispersion`, which multiplies both sides' expected losses for the day
//! (gamma-Poisson attrition: fights have good and bad days). Actual losses are Poisson draws from
//! the settlement's own stream, so seeds differ but order of evaluation does not matter. Losses are
//! shared pro rata; cohesion falls with the share of the establishment lost, and a unit below its
//! breakpoint withdraws along an open route, or surrenders when none is open. A unit that holds
//! (`task = "hold"`, and the garrisons, cells and arrivals that hold where they were put) never
//! withdraws: below its breakpoint it surrenders where it stands.

use super::common::{NodeControls, Picture, Record, Scene, control_by_node, withdrawal_path};
use crate::ids::Side;
use crate::model::{
    Cohesion, DefenderCommand, Districts, Establishment, EventKind, Key, Location, Population,
    SideOf, Strength, Supply, Task,
};
use crate::rng::{Salt, gamma_intensity, poisson, stream};
use bevy_ecs::prelude::*;

/// The units of one side at an engagement, with what their fire depends on.
struct Force {
    units: Vec<Entity>,
    strength: f64,
    cohesion: f64,
    supplied_share: f64,
}

/// Resolves one tick of every engagement.
pub fn resolve_combat(
    scene: Scene,
    picture: Picture,
    command: Res<DefenderCommand>,
    record: Record,
    mut units: UnitQuery,
    mut places: Query<(&Key, &mut Districts, &mut Population)>,
    controls: NodeControls,
) {
    let Scene {
        clock,
        seed,
        theatre,
    } = scene;
    let Picture {
        presence, routes, ..
    } = picture;
    let Record {
        mut tallies,
        mut log,
    } = record;
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
        // Posture, cohesion, supply and command scale either law's coefficient.
        let alpha = forces[0].cohesion * (0.5 + 0.5 * forces[0].supplied_share);
        let beta = settlement.defensibility
            * forces[1].cohesion
            * (0.5 + 0.5 * forces[1].supplied_share)
            * (0.5 + 0.5 * command.c2);
        let intensity = gamma_intensity(
            &mut stream(seed.0, Salt::Tempo, place_key.hash, day),
            scenario.meta.attrition_dispersion,
        );
        let urban = districts.total > 1.0 && control[node] == Side::Defender;
        let fight = if urban {
            urban_fight(
                att,
                &forces,
                &districts,
                population.0,
                alpha * att.urban_lethality_per_day,
                beta * def.urban_lethality_per_day,
            )
        } else {
            open_fight(
                &forces,
                alpha * att.lethality_per_day,
                beta * def.lethality_per_day,
            )
        };
        let mut rng = stream(seed.0, Salt::Combat, place_key.hash, clock.tick);
        let attacker_loss =
            poisson(&mut rng, fight.attacker_loss_per_day * intensity * dt).min(forces[0].strength);
        let defender_loss =
            poisson(&mut rng, fight.defender_loss_per_day * intensity * dt).min(forces[1].strength);
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
        if urban {
            districts.cleared = (districts.cleared
                + fight.districts_cleared_per_day * intensity * dt)
                .min(districts.total);
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

/// Expected losses a day, before the day's intensity, and the clearing rate.
struct Fight {
    attacker_loss_per_day: f64,
    defender_loss_per_day: f64,
    districts_cleared_per_day: f64,
}

/// Square law in the open.
fn open_fight(forces: &[Force; 2], alpha: f64, beta: f64) -> Fight {
    Fight {
        attacker_loss_per_day: beta * forces[1].strength,
        defender_loss_per_day: alpha * forces[0].strength,
        districts_cleared_per_day: 0.0,
    }
}

/// The mixed law district by district, with the frontage, the front and the civilians inside
/// (module docs).
fn urban_fight(
    attacker: &crate::scenario::SideDoctrine,
    forces: &[Force; 2],
    districts: &Districts,
    civilians: f64,
    alpha: f64,
    beta: f64,
) -> Fight {
    let remaining = (districts.total - districts.cleared).max(f64::MIN_POSITIVE);
    let frontage = attacker.district_frontage_fighters.max(f64::MIN_POSITIVE);
    // Only the districts on the edge of what is still held can be fought at once: about √R of R.
    let front = remaining.sqrt().ceil().min(remaining.ceil()).max(1.0);
    let employed = forces[0].strength.min(frontage * front);
    let restraint = if attacker.civilians_halving_fire > 0.0 {
        1.0 / (1.0 + civilians.max(0.0) / attacker.civilians_halving_fire)
    } else {
        1.0
    };
    let alpha = alpha * restraint;
    let per_district_attackers = employed / front;
    let per_district_defenders = forces[1].strength / remaining;
    let defender_density = (per_district_defenders / frontage).min(1.0);
    let attacker_density = (per_district_attackers / frontage).min(1.0);
    let defender_loss = alpha * employed * defender_density;
    Fight {
        attacker_loss_per_day: beta * per_district_defenders * front * attacker_density,
        defender_loss_per_day: defender_loss,
        districts_cleared_per_day: if per_district_defenders > 0.0 {
            defender_loss / per_district_defenders
        } else {
            0.0
        },
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
