//! Shaping: the attacker's air campaign against leaders, command nodes, depots, concentrations and
//! the routes still feeding the objective.
//!
//! Once a day the day's sorties (fractional rates accumulate: ⌊(d+1)·s⌋ − ⌊d·s⌋) are shared among the
//! five categories by their priority weights (largest remainder, ties by category order). Each sortie
//! has `effect_probability` of effect: leadership and command-node strikes lower the defender's C2,
//! depot strikes destroy stock, strikes on concentrations remove fighters from the largest defender
//! unit standing in the campaign area (at a settlement within the defender's `threat_reach_km` by
//! road of the primary objective or of a settlement the attacker holds: the objective and the front;
//! ties by unit id; no sortie's effect when no defender stands there), and
//! interdiction covers one route of the objective's minimum cut that is not cut already for
//! `interdiction_days` (it keeps `interdiction_capacity_fraction` of its capacity for the
//! defender's supply flow and isolation index). Routes not yet interdicted are struck first, then
//! those whose cover lapses soonest, so sustained sorties keep a route covered day after day. Strikes at populated places add to the
//! civilian-harm index in proportion to the population.

use super::common::{Books, Scene};
use crate::ids::{NodeId, Side};
use crate::model::{
    AirState, Control, DefenderCommand, Depot, EventKind, Isolation, Key, Ledger, Location,
    RouteState, RouteStatus, SideOf, Strength, Tallies, Theatre,
};
use crate::rng::{Salt, chance, stream};
use crate::scenario::TargetCategory;
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

/// What the sorties look for and strike: who controls each settlement, the depots, the units.
#[derive(SystemParam)]
pub struct Targets<'w, 's> {
    controls: Query<'w, 's, &'static Control>,
    depots: Query<'w, 's, (&'static Key, &'static SideOf, &'static mut Depot)>,
    units: Query<
        'w,
        's,
        (
            &'static Key,
            &'static SideOf,
            &'static mut Strength,
            &'static Location,
        ),
    >,
}

/// Flies the day's sorties.
pub fn strike_targets(
    scene: Scene,
    isolation: Res<Isolation>,
    mut air: ResMut<AirState>,
    mut command: ResMut<DefenderCommand>,
    mut routes: ResMut<RouteState>,
    books: Books,
    targets: Targets,
) {
    let Scene {
        clock,
        seed,
        theatre,
    } = scene;
    let Books {
        mut tallies,
        mut ledger,
        mut log,
    } = books;
    let Targets {
        controls,
        mut depots,
        mut units,
    } = targets;
    if !clock.is_day_start() {
        return;
    }
    let day = clock.day();
    lapse_interdiction(&mut routes, day);
    let spd = air.sorties_per_day;
    let sorties = (f64::from(day + 1) * spd).floor() - (f64::from(day) * spd).floor();
    if sorties < 1.0 {
        return;
    }
    air.flown += sorties;
    let scenario = &theatre.scenario;
    let cfg = &scenario.air;
    let p = cfg.priorities;
    let shares = allocate(sorties as u64, &TargetCategory::ALL.map(|c| p.weight(c)));
    let mut effective = [0u64; TargetCategory::ALL.len()];
    let mut rng = stream(seed.0, Salt::Shaping, 0, clock.tick);
    let harm_at = |node: usize| {
        cfg.civilian_harm_per_strike * scenario.settlements[node].population / 100_000.0
    };
    let command_nodes: Vec<usize> = (0..theatre.graph.nodes)
        .filter(|&n| {
            scenario.settlements[n].command_node
                && controls
                    .get(theatre.node_entities[n])
                    .is_ok_and(|c| c.side == Side::Defender)
        })
        .collect();
    // Only a day with sorties on concentrations needs the area (it costs a pass over the front).
    let campaign_area = if shares[TargetCategory::Concentrations.index()] > 0 {
        campaign_area(&theatre, &|n| {
            controls
                .get(theatre.node_entities[n])
                .is_ok_and(|c| c.side == Side::Attacker)
        })
    } else {
        Vec::new()
    };
    let mut open_cut: Vec<usize> = isolation
        .objectives
        .first()
        .map(|o| o.cut_routes.clone())
        .unwrap_or_default();
    open_cut.retain(|&r| routes.status[r] != RouteStatus::Cut && !routes.inject_cut[r]);
    open_cut.sort_by(|&a, &b| {
        let until = &routes.interdicted_until_day;
        until[a]
            .cmp(&until[b])
            .then(
                scenario.routes[b]
                    .capacity_tons_per_day
                    .total_cmp(&scenario.routes[a].capacity_tons_per_day),
            )
            .then_with(|| scenario.routes[a].id.cmp(&scenario.routes[b].id))
    });
    let cover_days = cfg.interdiction_days.ceil().max(1.0) as u32;
    for (category, &n) in TargetCategory::ALL.into_iter().zip(&shares) {
        for k in 0..n {
            if !chance(&mut rng, cfg.effect_probability) {
                continue;
            }
            let hit = match category {
                TargetCategory::Leadership => {
                    command.c2 = (command.c2 - cfg.c2_hit_leadership).max(0.0);
                    true
                }
                TargetCategory::CommandNodes => {
                    match command_nodes.get(k as usize % command_nodes.len().max(1)) {
                        Some(&node) => {
                            command.c2 = (command.c2 - cfg.c2_hit_command_node).max(0.0);
                            tallies.civilian_harm += harm_at(node);
                            true
                        }
                        None => false,
                    }
                }
                TargetCategory::Depots => {
                    strike_depot(&mut depots, &mut ledger, cfg.depot_hit_tons)
                }
                TargetCategory::Concentrations => strike_concentration(
                    &mut units,
                    &mut tallies,
                    &campaign_area,
                    cfg.concentration_hit_fighters,
                )
                .map(|node| tallies.civilian_harm += harm_at(node))
                .is_some(),
                TargetCategory::Interdiction => match open_cut.get(k as usize) {
                    Some(&r) => {
                        if !routes.interdicted[r] {
                            routes.interdicted[r] = true;
                            routes.dirty = true;
                        }
                        routes.interdicted_until_day[r] = day + cover_days;
                        true
                    }
                    None => false,
                },
            };
            effective[category.index()] += u64::from(hit);
        }
    }
    command.min_c2 = command.min_c2.min(command.c2);
    let detail: Vec<String> = TargetCategory::ALL
        .iter()
        .zip(shares.iter().zip(&effective))
        .filter(|(_, (n, _))| **n > 0)
        .map(|(c, (n, e))| format!("{} {n} ({e} effective)", c.name()))
        .collect();
    log.push(
        day,
        EventKind::Strike,
        scenario.sides[Side::Attacker].name.clone(),
        format!(
            "{sorties} sorties: {}; defender C2 {:.2}",
            detail.join(", "),
            command.c2
        ),
    );
}

/// Lifts the interdiction of routes whose cover has lapsed by `day`.
fn lapse_interdiction(routes: &mut RouteState, day: u32) {
    let RouteState {
        interdicted,
        interdicted_until_day,
        dirty,
        ..
    } = routes;
    for (on, until) in interdicted.iter_mut().zip(interdicted_until_day.iter()) {
        if *on && *until <= day {
            *on = false;
            *dirty = true;
        }
    }
}

/// Shares `n` sorties among weights by the largest-remainder method (ties to the lower index).
pub fn allocate(n: u64, weights: &[f64]) -> Vec<u64> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| n as f64 * w / total).collect();
    let mut out: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let given: u64 = out.iter().sum();
    for &i in order.iter().take((n - given) as usize) {
        out[i] += 1;
    }
    out
}

fn strike_depot(
    depots: &mut Query<(&Key, &SideOf, &mut Depot)>,
    ledger: &mut Ledger,
    tons: f64,
) -> bool {
    let target = depots
        .iter_mut()
        .filter(|(_, side, d)| side.0 == Side::Defender && d.stock_tons > 0.0)
        .max_by(|a, b| a.2.stock_tons.total_cmp(&b.2.stock_tons).then(b.0.cmp(a.0)));
    let Some((_, _, mut depot)) = target else {
        return false;
    };
    let destroyed = tons.min(depot.stock_tons);
    depot.stock_tons -= destroyed;
    ledger.sides[Side::Defender].destroyed_tons += destroyed;
    true
}

/// Per node, whether it lies in the campaign area: within the defender's threat reach by road of the
/// primary objective or of a settlement `held_by_attacker`.
pub fn campaign_area(theatre: &Theatre, held_by_attacker: &dyn Fn(usize) -> bool) -> Vec<bool> {
    let scenario = &theatre.scenario;
    let reach = scenario.sides[Side::Defender].threat_reach_km;
    let mut area = vec![false; theatre.graph.nodes];
    let primary = scenario.objectives.first().map(|o| o.settlement);
    for centre in (0..theatre.graph.nodes).filter(|&n| Some(n) == primary || held_by_attacker(n)) {
        area[centre] = true;
        for &(n, km) in &theatre.neighbourhood[centre] {
            if km <= reach {
                area[n] = true;
            }
        }
    }
    area
}

fn strike_concentration(
    units: &mut Query<(&Key, &SideOf, &mut Strength, &Location)>,
    tallies: &mut Tallies,
    campaign_area: &[bool],
    fighters: f64,
) -> Option<usize> {
    let (_, _, mut strength, location) = units
        .iter_mut()
        .filter(|(_, side, s, loc)| {
            side.0 == Side::Defender && s.0 > 0.0 && loc.node().is_some_and(|n| campaign_area[n])
        })
        .max_by(|a, b| a.2.0.total_cmp(&b.2.0).then(b.0.cmp(a.0)))?;
    let killed = fighters.min(strength.0);
    strength.0 -= killed;
    tallies.losses[Side::Defender] += killed;
    location.node().map(NodeId::index)
}

#[cfg(test)]
mod tests {
    use super::allocate;

    #[test]
    fn largest_remainder_allocation_sums_and_is_proportional() {
        assert_eq!(
            allocate(10, &[1.0, 1.0, 1.0, 1.0, 1.0]),
            vec![2, 2, 2, 2, 2]
        );
        assert_eq!(allocate(7, &[1.0, 1.0, 1.0, 1.0, 1.0]), vec![2, 2, 1, 1, 1]);
        assert_eq!(allocate(4, &[0.0, 0.0, 1.0, 0.0, 3.0]), vec![0, 0, 1, 0, 3]);
        assert_eq!(allocate(5, &[0.0; 5]), vec![0; 5]);
    }
}
