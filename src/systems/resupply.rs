//! Resupply: depots produce, convoys carry supply over open routes, units consume.
//!
//! Every tick depots produce `output_tons_per_day × dt`, due shipments are delivered, and each unit
//! consumes `strength × consumption_tons_per_fighter_per_day × dt`; what it cannot consume is
//! shortfall, and a unit with nothing left loses strength and cohesion at its side's unsupplied
//! rates, while a supplied unit out of contact recovers cohesion. Once a day each depot (in id
//! order) ships to the units of its side that it can reach — over routes no inject cut, with
//! capacity left today, through settlements its side controls — what they lack to hold
//! `resupply_target_days`. **Scarcity rule:** when a depot holds less than the units ask, every
//! unit gets the same share of its need (pro rata), and each shipment is then clipped to the spare
//! capacity of the tightest route on its path, in unit-id order. Shipments take path length ÷ convoy
//! speed to arrive. Conservation holds exactly: stock + in transit + on hand + consumed + written off
//! = initial + produced.

use super::common::control_by_node;
use crate::model::{
    Clock, Cohesion, Control, Depot, Key, Ledger, Location, Presence, RouteState, Shipment, SideOf,
    Strength, Supply, Tallies, Theatre,
};
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
    mut depots: Query<(&Key, &SideOf, &Location, &mut Depot)>,
    mut units: UnitQuery,
) {
    let dt = clock.tick_days;
    depots.iter_mut().for_each(|(_, _, _, mut d)| {
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
    depots: &mut Query<(&Key, &SideOf, &Location, &mut Depot)>,
    units: &UnitQuery,
) {
    let scenario = &theatre.scenario;
    let control = control_by_node(theatre, controls);
    let mut pending: BTreeMap<Entity, f64> = BTreeMap::new();
    for s in &ledger.in_transit {
        *pending.entry(s.unit).or_default() += s.tons;
    }
    let mut order: Vec<(Key, Entity)> = Vec::new();
    let mut sorted_depots: Vec<_> = depots.iter_mut().filter(|d| d.3.stock_tons > 0.0).collect();
    sorted_depots.sort_by(|a, b| a.0.cmp(b.0));
    for (_, side, location, mut depot) in sorted_depots {
        let Some(at) = location.node() else { continue };
        let side = side.0;
        let doctrine = &scenario.sides[side];
        let paths = {
            let used = &routes.used_tons_today;
            let route_ok = |r: usize| {
                !routes.inject_cut[r] && scenario.routes[r].capacity_tons_per_day - used[r] > 1e-9
            };
            theatre
                .graph
                .shortest_paths(at, &route_ok, &|n| control[n] == side)
        };
        order.clear();
        order.extend(
            units
                .iter()
                .filter(|u| u.2.0 == side && u.6.node().is_some_and(|n| paths.dist[n].is_finite()))
                .map(|u| (u.1.clone(), u.0)),
        );
        order.sort();
        let needs: Vec<f64> = order
            .iter()
            .map(|(_, e)| need(units, doctrine, &pending, *e))
            .collect();
        let total: f64 = needs.iter().sum();
        if total <= 0.0 {
            continue;
        }
        let share = (depot.stock_tons / total).min(1.0);
        for ((_, e), need) in order.iter().zip(needs) {
            let Some(node) = units.get(*e).ok().and_then(|u| u.6.node()) else {
                continue;
            };
            let path = paths.path_to(&theatre.graph, node).unwrap_or_default();
            let spare = path
                .iter()
                .map(|&r| scenario.routes[r].capacity_tons_per_day - routes.used_tons_today[r])
                .fold(f64::INFINITY, f64::min);
            let tons = (need * share).min(spare).min(depot.stock_tons);
            if tons <= 1e-9 {
                continue;
            }
            for &r in &path {
                routes.used_tons_today[r] += tons;
            }
            depot.stock_tons -= tons;
            *pending.entry(*e).or_default() += tons;
            let days = paths.dist[node] / doctrine.convoy_speed_km_per_day;
            ledger.in_transit.push(Shipment {
                unit: *e,
                tons,
                arrive_tick: clock.tick + super::reinforcement::ticks_for(days, clock.tick_days),
            });
        }
    }
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
