//! Resupply: depots produce, convoys carry supply over open routes, units consume.
//!
//! Every tick depots whose side holds their settlement produce `output_tons_per_day × dt` (a
//! captured depot stands idle), due shipments are delivered, and each unit
//! consumes `strength × consumption_tons_per_fighter_per_day × dt`; what it cannot consume is
//! shortfall, and a unit with nothing left loses strength and cohesion at its side's unsupplied
//! rates, while a supplied unit out of contact recovers cohesion. Once a day every unit asks the
//! depots of its side nearest to it by road (one multi-source shortest-path search per side, so the
//! cost does not grow with the number of depots) — over routes no inject cut, with capacity left
//! today, through settlements its side controls — for what it lacks to hold `resupply_target_days`.
//! Depots in the same settlement form one pool, drawn in id order. **Scarcity rule:** when a pool
//! holds less than its units ask, every unit gets the same share of its need (pro rata); the
//! shipment to each settlement is then clipped to the spare capacity of the tightest route on its
//! path (settlements in index order) and shared among its units in proportion to their needs.
//! Shipments take path length ÷ convoy speed to arrive. Conservation holds exactly: stock + in
//! transit + on hand + consumed + written off = initial + produced.

use super::common::control_by_node;
use crate::model::{
    Clock, Cohesion, Control, Depot, Key, Ledger, Location, Presence, RouteState, Shipment, SideOf,
    Strength, Supply, Tallies, Theatre,
};
use crate::scenario::{ATTACKER, DEFENDER};
use bevy_ecs::prelude::*;
use std::collections::BTreeMap;

/// Produces, ships, delivers and consumes supply for one tick.
#[allow(clippy::too_many_arguments)]
pub fn resupply_units(
    clock: Res<Clock>,
    theatre: Res<Theatre>,
    presence: Res<Presence>,
    mut routes: ResMut<RouteState>,
    mut ledger: ResMut<Ledger>,
    mut tallies: ResMut<Tallies>,
    controls: Query<&Control>,
    mut depots: DepotQuery,
    mut units: UnitQuery,
) {
    let dt = clock.tick_days;
    // A depot works only while its side holds its settlement (a captured depot stands idle).
    let held = |side: usize, location: &Location| {
        location.node().is_some_and(|n| {
            controls
                .get(theatre.node_entities[n])
                .is_ok_and(|c| c.side == side)
        })
    };
    depots
        .iter_mut()
        .filter(|(_, _, side, location, _)| held(side.0, location))
        .for_each(|(.., mut d)| {
            let made = d.output_tons_per_day * dt;
            d.stock_tons += made;
            ledger.produced_tons += made;
        });
    deliver(&clock, &mut ledger, &mut units);
    if clock.is_day_start() {
        routes.used_tons_today.iter_mut().for_each(|u| *u = 0.0);
        ship(
            &clock,
            &theatre,
            &mut routes,
            &mut ledger,
            &controls,
            &mut depots,
            &units,
        );
    }
    let sides = &theatre.scenario.sides;
    units.iter_mut().for_each(
        |(_, _, side, mut strength, mut cohesion, mut supply, location)| {
            let doctrine = &sides[side.0];
            let want = strength.0 * doctrine.consumption_tons_per_fighter_per_day * dt;
            if supply.tons >= want {
                supply.tons -= want;
                ledger.consumed_tons += want;
                let in_contact = location
                    .node()
                    .is_some_and(|n| presence.strength[n][1 - side.0] > 0.0);
                if !in_contact {
                    cohesion.0 = (cohesion.0 + doctrine.cohesion_recovery_per_day * dt).min(1.0);
                }
                return;
            }
            ledger.consumed_tons += supply.tons;
            ledger.shortfall_tons += want - supply.tons;
            supply.tons = 0.0;
            let lost = strength.0 * doctrine.unsupplied_attrition_per_day * dt;
            strength.0 -= lost;
            tallies.losses[side.0] += lost;
            cohesion.0 = (cohesion.0 - doctrine.unsupplied_cohesion_loss_per_day * dt).max(0.0);
        },
    );
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
        &'static mut Supply,
        &'static Location,
    ),
    Without<Depot>,
>;

fn deliver(clock: &Clock, ledger: &mut Ledger, units: &mut UnitQuery) {
    if !ledger
        .in_transit
        .iter()
        .any(|s| s.arrive_tick <= clock.tick)
    {
        return;
    }
    let (due, travelling): (Vec<Shipment>, Vec<Shipment>) = std::mem::take(&mut ledger.in_transit)
        .into_iter()
        .partition(|s| s.arrive_tick <= clock.tick);
    ledger.in_transit = travelling;
    for s in due {
        match units.get_mut(s.unit) {
            Ok((.., mut supply, _)) => supply.tons += s.tons,
            Err(_) => ledger.written_off_tons += s.tons, // the unit is gone: the convoy's load is lost
        }
    }
}

fn ship(
    clock: &Clock,
    theatre: &Theatre,
    routes: &mut RouteState,
    ledger: &mut Ledger,
    controls: &Query<&Control>,
    depots: &mut DepotQuery,
    units: &UnitQuery,
) {
    let scenario = &theatre.scenario;
    let control = control_by_node(theatre, controls);
    let mut pending: BTreeMap<Entity, f64> = BTreeMap::new();
    for s in &ledger.in_transit {
        *pending.entry(s.unit).or_default() += s.tons;
    }
    for side in [ATTACKER, DEFENDER] {
        let doctrine = &scenario.sides[side];
        // Depots of this side with stock, pooled by the settlement they stand in (id order within).
        let mut pools: BTreeMap<usize, Vec<(Key, Entity)>> = BTreeMap::new();
        for (e, key, s, location, depot) in depots.iter() {
            if let (true, Some(node)) = (s.0 == side && depot.stock_tons > 0.0, location.node())
                && control[node] == side
            {
                pools.entry(node).or_default().push((key.clone(), e));
            }
        }
        if pools.is_empty() {
            continue;
        }
        pools.values_mut().for_each(|list| list.sort());
        let starts: Vec<usize> = pools.keys().copied().collect();
        let paths = {
            let used = &routes.used_tons_today;
            let route_ok = |r: usize| {
                !routes.inject_cut[r] && scenario.routes[r].capacity_tons_per_day - used[r] > 1e-9
            };
            theatre
                .graph
                .shortest_paths_from_set(&starts, &route_ok, &|n| control[n] == side)
        };
        // Every reachable unit asks the depots nearest to it; units in one settlement share one
        // convoy route, so paths are walked once per settlement, not once per unit.
        let mut order: Vec<(usize, usize, &Key, Entity, f64)> = units
            .iter()
            .filter_map(|u| {
                let node = u.6.node()?;
                let reachable = u.2.0 == side && paths.dist[node].is_finite();
                reachable.then(|| {
                    (
                        paths.root[node],
                        node,
                        u.1,
                        u.0,
                        need(units, doctrine, &pending, u.0),
                    )
                })
            })
            .filter(|o| o.4 > 0.0)
            .collect();
        order.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then_with(|| a.2.cmp(b.2)));
        for group in order.chunk_by(|a, b| a.0 == b.0) {
            let pool = &pools[&group[0].0];
            let stock: f64 = pool
                .iter()
                .filter_map(|(_, e)| depots.get(*e).ok())
                .map(|d| d.4.stock_tons)
                .sum();
            let total: f64 = group.iter().map(|o| o.4).sum();
            let share = (stock / total).min(1.0);
            for place in group.chunk_by(|a, b| a.1 == b.1) {
                let node = place[0].1;
                let asked: f64 = place.iter().map(|o| o.4).sum();
                let path = paths.path_to(&theatre.graph, node).unwrap_or_default();
                let spare = path
                    .iter()
                    .map(|&r| scenario.routes[r].capacity_tons_per_day - routes.used_tons_today[r])
                    .fold(f64::INFINITY, f64::min);
                let tons = take_from_pool(depots, pool, (asked * share).min(spare));
                if tons <= 1e-9 {
                    continue;
                }
                for &r in &path {
                    routes.used_tons_today[r] += tons;
                }
                let days = paths.dist[node] / doctrine.convoy_speed_km_per_day;
                let arrive_tick =
                    clock.tick + super::reinforcement::ticks_for(days, clock.tick_days);
                for (_, _, _, e, need) in place {
                    let part = tons * need / asked;
                    *pending.entry(*e).or_default() += part;
                    ledger.in_transit.push(Shipment {
                        unit: *e,
                        tons: part,
                        arrive_tick,
                    });
                }
            }
        }
    }
}

type DepotQuery<'w, 's> = Query<
    'w,
    's,
    (
        Entity,
        &'static Key,
        &'static SideOf,
        &'static Location,
        &'static mut Depot,
    ),
>;

/// Takes up to `tons` from the pool's depots in id order; returns what was taken.
fn take_from_pool(depots: &mut DepotQuery, pool: &[(Key, Entity)], tons: f64) -> f64 {
    let mut taken = 0.0;
    for (_, e) in pool {
        if let Ok((.., mut depot)) = depots.get_mut(*e) {
            let part = (tons - taken).min(depot.stock_tons).max(0.0);
            depot.stock_tons -= part;
            taken += part;
        }
    }
    taken
}

/// Tons a unit lacks to hold its side's `resupply_target_days`, counting what is already on the road.
fn need(
    units: &UnitQuery,
    doctrine: &crate::scenario::Side,
    pending: &BTreeMap<Entity, f64>,
    e: Entity,
) -> f64 {
    let Ok((_, _, _, strength, _, supply, _)) = units.get(e) else {
        return 0.0;
    };
    let target =
        strength.0 * doctrine.consumption_tons_per_fighter_per_day * doctrine.resupply_target_days;
    (target - supply.tons - pending.get(&e).copied().unwrap_or(0.0)).max(0.0)
}
