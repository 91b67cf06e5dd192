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
//!
//! Resupply is the costliest step of a tick, so it keeps its work buffers between days
//! ([`ShipScratch`]): control per node and what is on the road per unit fill reused storage, and
//! each side's depot search is kept with the inputs it was made from (start settlements, passable
//! settlements, usable routes) and reused while they are unchanged, which on most days they are.
//! The search is a pure function of those inputs, so a reused search is bit for bit the one a
//! fresh search would give; nothing depends on when the cache was filled.

use super::common::{NodeControls, fill_control_by_node};
use crate::graph::{RouteGraph, ShortestPaths};
use crate::model::{
    Clock, Cohesion, Depot, Key, Ledger, Location, Presence, RouteState, Shipment, SideOf,
    Strength, Supply, Tallies, Theatre,
};
use crate::scenario::{ATTACKER, DEFENDER};
use bevy_ecs::entity::EntityHashMap;
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
    controls: NodeControls,
    mut depots: DepotQuery,
    mut units: UnitQuery,
    mut scratch: Local<ShipScratch>,
) {
    let dt = clock.tick_days;
    // A depot works only while its side holds its settlement (a captured depot stands idle).
    let held = |side: usize, location: &Location| {
        location.node().is_some_and(|n| {
            controls
                .get(theatre.node_entities[n])
                .is_ok_and(|(_, c)| c.side == side)
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
            &mut scratch,
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

/// Hands the shipments due by this tick to their units (or writes them off if the unit is gone).
fn deliver(clock: &Clock, ledger: &mut Ledger, units: &mut UnitQuery) {
    let now = clock.tick;
    if !ledger.in_transit.iter().any(|s| s.arrive_tick <= now) {
        return;
    }
    // Delivered in list order and the rest kept in order, in place: no per-tick lists.
    let Ledger {
        in_transit,
        written_off_tons,
        ..
    } = ledger;
    in_transit.retain(|s| {
        if s.arrive_tick > now {
            return true;
        }
        match units.get_mut(s.unit) {
            Ok((.., mut supply, _)) => supply.tons += s.tons,
            Err(_) => *written_off_tons += s.tons, // the unit is gone: the convoy's load is lost
        }
        false
    });
}

/// What [`ship`] keeps between days: reused buffers and each side's last depot search.
#[derive(Default)]
pub struct ShipScratch {
    /// Controlling side per node, refilled each day.
    control: Vec<usize>,
    /// Tons on the road per unit, refilled each day (looked up only, never iterated).
    pending: EntityHashMap<f64>,
    /// The last search per side.
    searches: [SearchCache; 2],
}

/// One side's last depot search and the inputs it was made from.
#[derive(Default)]
struct SearchCache {
    /// Start settlements (the pools), ascending.
    starts: Vec<usize>,
    /// Per node: the side controls it, so convoys may pass through.
    passable: Vec<bool>,
    /// Per route: no inject cut it and it has capacity left today.
    open: Vec<bool>,
    /// The search from `starts` over `open` routes through `passable` nodes.
    paths: Option<ShortestPaths>,
}

impl SearchCache {
    /// The search for these inputs: yesterday's when they are the same, else a fresh one. The
    /// search reads nothing else, so the two are identical.
    fn search(
        &mut self,
        graph: &RouteGraph,
        starts: &[usize],
        passable: impl Iterator<Item = bool>,
        open: impl Iterator<Item = bool>,
    ) -> &ShortestPaths {
        // Every input is refilled (no short-circuit), so a fresh search sees today's masks.
        let same_starts = self.starts == starts;
        let same_passable = refill(&mut self.passable, passable);
        let same_open = refill(&mut self.open, open);
        let unchanged = same_starts && same_passable && same_open;
        let paths = match self.paths.take() {
            Some(paths) if unchanged => paths,
            _ => {
                self.starts.clear();
                self.starts.extend_from_slice(starts);
                let (passable, open) = (&self.passable, &self.open);
                graph.shortest_paths_from_set(starts, &|r| open[r], &|n| passable[n])
            }
        };
        self.paths.insert(paths)
    }
}

/// Overwrites `mask` with `values`; returns whether it already held exactly them.
fn refill(mask: &mut Vec<bool>, values: impl Iterator<Item = bool>) -> bool {
    let old_len = mask.len();
    let mut same = true;
    let mut len = 0;
    for v in values {
        match mask.get_mut(len) {
            Some(m) => {
                same &= *m == v;
                *m = v;
            }
            None => mask.push(v),
        }
        len += 1;
    }
    mask.truncate(len);
    same && len == old_len
}
/// Once a day: every unit asks its side's nearest depots for what it lacks, and the convoys leave.
#[allow(clippy::too_many_arguments)]
fn ship(
    clock: &Clock,
    theatre: &Theatre,
    routes: &mut RouteState,
    ledger: &mut Ledger,
    controls: &NodeControls,
    depots: &mut DepotQuery,
    units: &UnitQuery,
    scratch: &mut ShipScratch,
) {
    let scenario = &theatre.scenario;
    let ShipScratch {
        control,
        pending,
        searches,
    } = scratch;
    fill_control_by_node(theatre, controls, control);
    // Summed in list order per unit. Shipments made today are not added: each side reads its own
    // units' needs before it ships, and the other side's units never read them.
    pending.clear();
    for s in &ledger.in_transit {
        *pending.entry(s.unit).or_default() += s.tons;
    }
    for side in [ATTACKER, DEFENDER] {
        let doctrine = &scenario.sides[side];
        let pools = pools_of(side, control, depots);
        if pools.is_empty() {
            continue;
        }
        let starts: Vec<usize> = pools.keys().copied().collect();
        let used = &routes.used_tons_today;
        let paths = searches[side].search(
            &theatre.graph,
            &starts,
            control.iter().map(|&c| c == side),
            (0..scenario.routes.len()).map(|r| {
                !routes.inject_cut[r] && scenario.routes[r].capacity_tons_per_day - used[r] > 1e-9
            }),
        );
        // Every reachable unit asks the depots nearest to it; units in one settlement share one
        // convoy route, so paths are walked once per settlement, not once per unit.
        let mut order: Vec<(usize, usize, &Key, Entity, f64)> = units
            .iter()
            .filter_map(|(e, key, s, strength, _, supply, location)| {
                let node = location.node()?;
                let reachable = s.0 == side && paths.dist[node].is_finite();
                reachable.then(|| {
                    let on_road = pending.get(&e).copied().unwrap_or(0.0);
                    let asks = need(doctrine, strength, supply, on_road);
                    (paths.root[node], node, key, e, asks)
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
                // The minimum and the additions below do not depend on the order the routes are
                // walked in (each route appears once on a path), so the path is walked backwards
                // in place rather than collected.
                let spare = path_back(paths, &theatre.graph, node)
                    .map(|r| scenario.routes[r].capacity_tons_per_day - routes.used_tons_today[r])
                    .fold(f64::INFINITY, f64::min);
                let tons = take_from_pool(depots, pool, (asked * share).min(spare));
                if tons <= 1e-9 {
                    continue;
                }
                for r in path_back(paths, &theatre.graph, node) {
                    routes.used_tons_today[r] += tons;
                }
                let days = paths.dist[node] / doctrine.convoy_speed_km_per_day;
                let arrive_tick =
                    clock.tick + super::reinforcement::ticks_for(days, clock.tick_days);
                for (_, _, _, e, need) in place {
                    ledger.in_transit.push(Shipment {
                        unit: *e,
                        tons: tons * need / asked,
                        arrive_tick,
                    });
                }
            }
        }
    }
}

/// Depots of `side` with stock, pooled by the settlement they stand in when the side holds it
/// (id order within a pool).
fn pools_of(
    side: usize,
    control: &[usize],
    depots: &DepotQuery,
) -> BTreeMap<usize, Vec<(Key, Entity)>> {
    let mut pools: BTreeMap<usize, Vec<(Key, Entity)>> = BTreeMap::new();
    for (e, key, s, location, depot) in depots.iter() {
        if let (true, Some(node)) = (s.0 == side && depot.stock_tons > 0.0, location.node())
            && control[node] == side
        {
            pools.entry(node).or_default().push((key.clone(), e));
        }
    }
    pools.values_mut().for_each(|list| list.sort());
    pools
}

/// The routes from a reached node back to the start it was reached from (the reverse of
/// [`ShortestPaths::path_to`]), without building a list. `to` must be reached.
fn path_back<'a>(
    paths: &'a ShortestPaths,
    graph: &'a RouteGraph,
    to: usize,
) -> impl Iterator<Item = usize> + 'a {
    let root = paths.root[to];
    let mut node = to;
    std::iter::from_fn(move || {
        if node == root {
            return None;
        }
        let r = paths.via[node];
        let (a, b, _) = graph.ends[r];
        node = if a == node { b } else { a };
        Some(r)
    })
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

/// Tons a unit lacks to hold its side's `resupply_target_days`, counting `on_road`, what is already
/// on the road to it.
fn need(
    doctrine: &crate::scenario::Side,
    strength: &Strength,
    supply: &Supply,
    on_road: f64,
) -> f64 {
    let target =
        strength.0 * doctrine.consumption_tons_per_fighter_per_day * doctrine.resupply_target_days;
    (target - supply.tons - on_road).max(0.0)
}
