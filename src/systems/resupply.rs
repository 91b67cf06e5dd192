//! Resupply: stocks where they are, a daily distribution over the route network, and units that
//! live on what they carry.
//!
//! **Stocks.** Depots (a side's production and stock at a settlement), stockpiles (a settlement's
//! own stores, belonging to whoever controls it), what units carry, and convoys on the road. Every
//! tick, first, a place that changed hands hands over its stockpile, and the loser's depot stock
//! there becomes part of it (captured); then depots whose side holds their settlement produce
//! `output_tons_per_day × dt` (a captured depot stands idle); convoys due by now arrive; and each
//! unit consumes `strength × consumption_tons_per_fighter_per_day × dt` from what it carries.
//! Only a unit whose carried supply is spent loses strength and cohesion, at its side's
//! `unsupplied_*` rates; a supplied unit out of contact recovers cohesion.
//!
//! **Distribution**, once a day per side, as a flow ([`RouteGraph::allocate_supply`]): from every
//! place where the side holds stock (its depots where it controls them, the stockpiles it controls)
//! to every need, over the capacities of [`side_capacities`] — the ones the isolation index
//! measures, so interdiction and contested or enemy-held ends throttle deliveries exactly as they
//! lower the index. A unit asks for what it lacks to hold `resupply_target_days` (counting convoys
//! already on the way); it is supplied where it stands if its side controls the place, else at a
//! place its side controls either along its line of communication — one road away with no
//! settlement between (an end of the route it is on, a neighbour of the place it stands at, over a
//! road no inject has cut), however long that road: a besieging force or a column on a desert track
//! draws on the place it came from — or within its `threat_reach_km` by road (a unit on the road is
//! reckoned from the ends of its route: the reach of its supply line through places the enemy
//! holds); beyond both it is cut off and lives on what it carries. Of those places it takes the one
//! whose widest road from the side's stock (largest bottleneck capacity, t/day) carries most of
//! what it asks for, then the nearest: a force besieging a city draws on the village on the highway,
//! not on a nearer one behind a desert track. Depots serve first; stockpiles
//! are the reserve, drawn on for what the depots cannot bring (a city keeps its siege stores while
//! its roads are open). When the network cannot carry every need the shortfall
//! is shared max-min fairly (every need gets the same share, the bottlenecked keep theirs and the
//! rest grow together). With what the routes can still carry, depots then refill the stockpiles of
//! the places the side controls, by the same rule. A convoy takes the road distance from the nearest source
//! ÷ `convoy_speed_km_per_day` to arrive (plus the last leg to a unit supplied next door); one that
//! arrives after its unit is gone, or at a stockpile its side lost, is written off as destroyed.
//!
//! **Ledger.** Per side, at every tick: initial + produced + captured = consumed + held + in
//! transit + destroyed + lost to the enemy ([`crate::model::SupplyAccount`]); tests check it.

use super::common::Scene;
use super::isolation::side_capacities;
use crate::graph::{Allocation, RouteGraph, SupplyNetwork};
use crate::ids::Side;
use crate::model::{
    Clock, Cohesion, Control, ControlState, Depot, Key, Ledger, Location, Node, Presence,
    RouteState, Shipment, SideOf, Stockpile, Strength, Supply, Tallies, Theatre,
};
use bevy_ecs::entity::EntityHashMap;
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

/// Below this a quantity of supply counts as nothing.
const EPS: f64 = 1e-9;

/// Captures, produces, delivers, distributes (daily) and consumes supply for one tick.
pub fn resupply_units(
    scene: Scene,
    presence: Res<Presence>,
    mut routes: ResMut<RouteState>,
    mut ledger: ResMut<Ledger>,
    mut tallies: ResMut<Tallies>,
    mut stocks: Stocks,
    mut scratch: Local<Scratch>,
) {
    let Scene { clock, theatre, .. } = scene;
    let dt = clock.tick_days;
    scratch.read_places(&theatre, &stocks.places);
    capture_stocks(
        &theatre,
        &scratch.control,
        &mut ledger,
        &mut stocks.places,
        &mut stocks.depots,
    );
    for (_, side, location, mut depot) in &mut stocks.depots {
        if location
            .node()
            .is_some_and(|n| scratch.control[n] == side.0)
        {
            let made = depot.output_tons_per_day * dt;
            depot.stock_tons += made;
            ledger.sides[side.0].produced_tons += made;
        }
    }
    deliver(&clock, &mut ledger, &mut stocks.units, &mut stocks.places);
    if clock.is_day_start() {
        routes.used_tons_today.iter_mut().for_each(|u| *u = 0.0);
        for side in Side::BOTH {
            distribute(
                side,
                &clock,
                &theatre,
                &mut routes,
                &mut ledger,
                &mut stocks,
                &mut scratch,
            );
        }
    }
    consume(
        dt,
        &theatre,
        &presence,
        &mut ledger,
        &mut tallies,
        &mut stocks.units,
    );
}

/// Every holder of stock: settlements' stockpiles, depots and units.
#[derive(SystemParam)]
pub struct Stocks<'w, 's> {
    places: PlaceQuery<'w, 's>,
    depots: DepotQuery<'w, 's>,
    units: UnitQuery<'w, 's>,
}

/// Settlements with their stockpile.
pub type PlaceQuery<'w, 's> = Query<
    'w,
    's,
    (
        Entity,
        &'static Node,
        &'static Control,
        &'static mut Stockpile,
    ),
>;

/// Depots.
pub type DepotQuery<'w, 's> = Query<
    'w,
    's,
    (
        &'static Key,
        &'static SideOf,
        &'static Location,
        &'static mut Depot,
    ),
>;

/// Units.
pub type UnitQuery<'w, 's> = Query<
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

/// Buffers [`resupply_units`] keeps between ticks.
#[derive(Default)]
pub struct Scratch {
    /// Controlling side per node.
    control: Vec<Side>,
    /// Whether each node is contested.
    contested: Vec<bool>,
    /// Tons on the road per unit (looked up only, never iterated).
    pending: EntityHashMap<f64>,
    /// The flow network of the theatre's routes, built on the first day and reused.
    network: Option<SupplyNetwork>,
    /// Per side, the last convoy-distance search and what it was made from.
    distances: [DistanceCache; 2],
}

/// Road distances from the places with stock over the routes open to a side, kept while those
/// two inputs are unchanged (on most days they are). The search reads nothing else, so a kept
/// search is exactly the one a fresh search would give.
#[derive(Default)]
struct DistanceCache {
    /// Per node: holds stock.
    starts: Vec<bool>,
    /// Per route: carries something for the side.
    open: Vec<bool>,
    /// Road km from the nearest start.
    km: Vec<f64>,
}

impl DistanceCache {
    fn km(&mut self, graph: &RouteGraph, caps: &[f64], supply: &[f64]) -> &[f64] {
        let starts: Vec<bool> = supply.iter().map(|&s| s > EPS).collect();
        let open: Vec<bool> = caps.iter().map(|&c| c > EPS).collect();
        if self.km.is_empty() || starts != self.starts || open != self.open {
            self.km = distances(graph, caps, supply);
            self.starts = starts;
            self.open = open;
        }
        &self.km
    }
}

impl Scratch {
    fn read_places(&mut self, theatre: &Theatre, places: &PlaceQuery) {
        let n = theatre.graph.nodes;
        self.control.clear();
        self.control.resize(n, Side::Attacker);
        self.contested.clear();
        self.contested.resize(n, false);
        for (_, node, control, _) in places {
            self.control[node.0] = control.side;
            self.contested[node.0] = control.state == ControlState::Contested;
        }
    }
}

/// A place that changed hands hands over its stockpile, and the loser's depot stock there joins it.
fn capture_stocks(
    theatre: &Theatre,
    control: &[Side],
    ledger: &mut Ledger,
    places: &mut PlaceQuery,
    depots: &mut DepotQuery,
) {
    let transfer = |ledger: &mut Ledger, from: Side, to: Side, tons: f64| {
        ledger.sides[from].lost_to_enemy_tons += tons;
        ledger.sides[to].captured_tons += tons;
    };
    for (.., c, mut pile) in places.iter_mut() {
        if pile.owner != c.side {
            transfer(ledger, pile.owner, c.side, pile.tons);
            pile.owner = c.side;
        }
    }
    for (_, side, location, mut depot) in depots.iter_mut() {
        let Some(n) = location.node() else { continue };
        if control[n] == side.0 || depot.stock_tons <= 0.0 {
            continue;
        }
        let Ok((.., mut pile)) = places.get_mut(theatre.node_entities[n]) else {
            continue;
        };
        let tons = std::mem::take(&mut depot.stock_tons);
        transfer(ledger, side.0, control[n], tons);
        pile.tons += tons;
        pile.capacity_tons = pile.capacity_tons.max(pile.tons);
    }
}

/// Hands the convoys due by this tick to their units or stockpiles.
fn deliver(clock: &Clock, ledger: &mut Ledger, units: &mut UnitQuery, places: &mut PlaceQuery) {
    let now = clock.tick;
    if !ledger.in_transit.iter().any(|s| s.arrive_tick <= now) {
        return;
    }
    let Ledger { sides, in_transit } = ledger;
    in_transit.retain(|s| {
        if s.arrive_tick > now {
            return true;
        }
        let received = match units.get_mut(s.unit) {
            Ok((.., mut supply, _)) => {
                supply.tons += s.tons;
                true
            }
            Err(_) => match places.get_mut(s.unit) {
                Ok((.., mut pile)) if pile.owner == s.side => {
                    pile.tons += s.tons;
                    true
                }
                _ => false,
            },
        };
        if !received {
            sides[s.side].destroyed_tons += s.tons;
        }
        false
    });
}

/// One unit's claim in a day's distribution.
struct Claim<'a> {
    /// Where it is supplied.
    node: usize,
    /// Extra road from there to the unit, km.
    last_leg_km: f64,
    key: &'a Key,
    unit: Entity,
    tons: f64,
}

/// One side's distribution for the day: units first, then stockpile refills.
fn distribute(
    side: Side,
    clock: &Clock,
    theatre: &Theatre,
    routes: &mut RouteState,
    ledger: &mut Ledger,
    stocks: &mut Stocks,
    scratch: &mut Scratch,
) {
    let Stocks {
        places,
        depots,
        units,
    } = stocks;
    let units = &*units;
    let scenario = &theatre.scenario;
    let graph = &theatre.graph;
    let n = graph.nodes;
    let doctrine = &scenario.sides[side];
    let (control, contested) = (&scratch.control, &scratch.contested);
    let mut depot_stock = depot_stock_of(side, depots, control, n);
    scratch.pending.clear();
    for s in ledger.in_transit.iter().filter(|s| s.side == side) {
        *scratch.pending.entry(s.unit).or_default() += s.tons;
    }
    let mut pile_stock = vec![0.0; n];
    let mut pile_room = vec![0.0; n];
    let mut pile_entity = vec![None; n];
    for (e, node, _, pile) in places.iter() {
        if pile.owner == side && control[node.0] == side {
            let on_road = scratch.pending.get(&e).copied().unwrap_or(0.0);
            pile_stock[node.0] = pile.tons;
            pile_room[node.0] = (pile.capacity_tons - pile.tons - on_road).max(0.0);
            pile_entity[node.0] = Some(e);
        }
    }
    let supply: Vec<f64> = (0..n).map(|v| depot_stock[v] + pile_stock[v]).collect();
    if supply.iter().all(|&s| s <= EPS) {
        return;
    }
    let caps = side_capacities(scenario, routes, control, contested, side, true);
    let widest = widest_supply(graph, &caps, &supply);
    let claims = claims_of(
        side,
        theatre,
        control,
        &routes.inject_cut,
        &widest,
        units,
        &scratch.pending,
    );
    let mut demand = vec![0.0; n];
    for c in &claims {
        demand[c.node] += c.tons;
    }
    if demand.iter().any(|&d| d > EPS) {
        let network = scratch
            .network
            .get_or_insert_with(|| SupplyNetwork::new(graph));
        // Depots first; a place's stores are its reserve, drawn on only for what the depots cannot
        // bring (so a city keeps its siege stores while its roads are open).
        let mut delivered = vec![0.0; n];
        for reserves in [false, true] {
            let want: Vec<f64> = demand
                .iter()
                .zip(&delivered)
                .map(|(d, got)| (d - got).max(0.0))
                .collect();
            let sources: Vec<f64> = if reserves {
                (0..n).map(|v| depot_stock[v] + pile_stock[v]).collect()
            } else {
                depot_stock.clone()
            };
            if want.iter().all(|&w| w <= EPS) || sources.iter().all(|&s| s <= EPS) {
                continue;
            }
            let open = residual(&caps, &routes.used_tons_today);
            let alloc = network.allocate(graph, &open, &sources, &want);
            draw(side, &alloc, places, depots, control);
            load_routes(routes, &alloc);
            for (got, more) in delivered.iter_mut().zip(&alloc.delivered) {
                *got += more;
            }
            depot_stock = depot_stock_of(side, depots, control, n);
        }
        let dist = scratch.distances[side].km(graph, &caps, &supply);
        for c in &claims {
            let tons = delivered[c.node] * c.tons / demand[c.node];
            if tons > EPS {
                let km = dist[c.node] + c.last_leg_km;
                ledger
                    .in_transit
                    .push(convoy(side, c.unit, tons, km, clock, doctrine));
            }
        }
    }
    // Refills: depots (not other stockpiles) feed the stockpiles, over what the routes still carry.
    if pile_room.iter().any(|&r| r > EPS) && depot_stock.iter().any(|&s| s > EPS) {
        let open = residual(&caps, &routes.used_tons_today);
        let network = scratch
            .network
            .get_or_insert_with(|| SupplyNetwork::new(graph));
        let alloc = network.allocate(graph, &open, &depot_stock, &pile_room);
        draw(side, &alloc, places, depots, control);
        let dist = scratch.distances[side].km(graph, &caps, &supply);
        // In settlement-id order, so the list of convoys does not follow the file's order.
        let mut refilled: Vec<usize> = (0..n)
            .filter(|&v| alloc.delivered[v] > EPS && pile_entity[v].is_some())
            .collect();
        refilled.sort_by(|&a, &b| scenario.settlements[a].id.cmp(&scenario.settlements[b].id));
        for v in refilled {
            if let Some(e) = pile_entity[v] {
                let tons = alloc.delivered[v];
                ledger
                    .in_transit
                    .push(convoy(side, e, tons, dist[v], clock, doctrine));
            }
        }
        load_routes(routes, &alloc);
    }
}

/// Every unit of `side` that lacks supply, with the place it is supplied at.
fn claims_of<'a>(
    side: Side,
    theatre: &Theatre,
    control: &[Side],
    inject_cut: &[bool],
    widest: &[f64],
    units: &'a UnitQuery,
    pending: &EntityHashMap<f64>,
) -> Vec<Claim<'a>> {
    let doctrine = &theatre.scenario.sides[side];
    let mut claims: Vec<Claim> = units
        .iter()
        .filter(|u| u.2.0 == side)
        .filter_map(|(e, key, _, strength, _, supply, location)| {
            let target = strength.0
                * doctrine.consumption_tons_per_fighter_per_day
                * doctrine.resupply_target_days;
            let on_road = pending.get(&e).copied().unwrap_or(0.0);
            let tons = target - supply.tons - on_road;
            if tons <= EPS {
                return None;
            }
            let (node, last_leg_km) = supply_point(
                theatre,
                &SupplyLines {
                    control,
                    inject_cut,
                    widest,
                },
                side,
                location,
                tons,
            )?;
            Some(Claim {
                node,
                last_leg_km,
                key,
                unit: e,
                tons,
            })
        })
        .collect();
    // The split among a place's units reads their needs only, but a stable order keeps the
    // shipments list (and so the float sums over it) independent of entity order.
    claims.sort_by(|a, b| a.key.cmp(b.key));
    claims
}

/// A settlement (node index) and the road km from a unit to it.
type Reached = (usize, f64);

/// What the choice of a supply point reads: who controls each place, the routes an inject has cut,
/// and the widest road from the side's stock to each place ([`widest_supply`]).
struct SupplyLines<'a> {
    control: &'a [Side],
    inject_cut: &'a [bool],
    widest: &'a [f64],
}

/// Where a unit of `side` at `location` is supplied, and the road from there to it: its own place
/// if its side controls it; else, among the places its side controls on
/// - its line of communication: the places one road away with no settlement between — the ends of
///   the route it is on, or the neighbours of the place it stands at — over a road no inject has
///   cut, however long (nothing of the enemy's lies between it and them);
/// - the places within its `threat_reach_km` by road (the reach of its supply line beyond the
///   front, through places the enemy holds); a unit on the road is reckoned from both ends of its
///   route;
///
/// the one whose widest road from the side's stock carries most of the `asked_tons` the unit asks
/// for in a day (so a force besieging a city draws on the village on the highway, not on the nearer
/// one behind a desert track), then the nearest, then by settlement id.
fn supply_point(
    theatre: &Theatre,
    lines: &SupplyLines,
    side: Side,
    location: &Location,
    asked_tons: f64,
) -> Option<Reached> {
    let SupplyLines {
        control,
        inject_cut,
        widest,
    } = *lines;
    let reach = theatre.scenario.sides[side].threat_reach_km;
    let graph = &theatre.graph;
    let (ends, line): ([Reached; 2], Vec<Reached>) = match *location {
        Location::At(v) if control[v] == side => return Some((v.index(), 0.0)),
        Location::At(v) => (
            [(v.index(), 0.0), (v.index(), 0.0)],
            graph.adjacency[v.index()]
                .iter()
                .filter(|&&(r, _)| !inject_cut[r])
                .map(|&(r, m)| (m, graph.ends[r].2))
                .collect(),
        ),
        Location::OnRoute {
            route, to, km_done, ..
        } => {
            let length = graph.ends[route].2;
            let from = graph.across(route, to);
            let ends = [
                (to.index(), (length - km_done).max(0.0)),
                (from.index(), km_done),
            ];
            let line = if inject_cut[route] {
                Vec::new()
            } else {
                ends.to_vec()
            };
            (ends, line)
        }
    };
    let settlements = &theatre.scenario.settlements;
    let within_reach = ends
        .iter()
        .flat_map(|&(end, offset)| {
            let near = theatre.neighbourhood[end]
                .iter()
                .map(move |&(m, km)| (m, km + offset));
            std::iter::once((end, offset)).chain(near)
        })
        .filter(|&(_, km)| km <= reach);
    let carried = |m: usize| widest[m].min(asked_tons);
    line.into_iter()
        .chain(within_reach)
        .filter(|&(m, _)| control[m] == side)
        .min_by(|a, b| {
            carried(b.0)
                .total_cmp(&carried(a.0))
                .then(a.1.total_cmp(&b.1))
                .then_with(|| settlements[a.0].id.cmp(&settlements[b.0].id))
        })
}

/// The widest road (largest bottleneck capacity, t/day) from any place with stock to each place,
/// over the side's capacities; a place with stock of its own is unbounded. A maximin Dijkstra.
fn widest_supply(graph: &RouteGraph, caps: &[f64], supply: &[f64]) -> Vec<f64> {
    use std::cmp::Ordering;
    use std::collections::BinaryHeap;
    struct Open(f64, usize);
    impl PartialEq for Open {
        fn eq(&self, other: &Self) -> bool {
            self.cmp(other) == Ordering::Equal
        }
    }
    impl Eq for Open {}
    impl PartialOrd for Open {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Open {
        fn cmp(&self, other: &Self) -> Ordering {
            self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
        }
    }
    let mut best = vec![0.0; graph.nodes];
    let mut heap = BinaryHeap::new();
    for v in (0..graph.nodes).filter(|&v| supply[v] > EPS) {
        best[v] = f64::INFINITY;
        heap.push(Open(f64::INFINITY, v));
    }
    while let Some(Open(width, v)) = heap.pop() {
        if width < best[v] {
            continue;
        }
        for &(r, m) in &graph.adjacency[v] {
            let through = width.min(caps[r]);
            if through > best[m] + EPS {
                best[m] = through;
                heap.push(Open(through, m));
            }
        }
    }
    best
}

/// Road distance from the nearest place with stock, over routes with capacity for the side.
fn distances(graph: &RouteGraph, caps: &[f64], supply: &[f64]) -> Vec<f64> {
    let starts: Vec<usize> = (0..graph.nodes).filter(|&v| supply[v] > EPS).collect();
    graph
        .shortest_paths_from_set(&starts, &|r| caps[r] > EPS, &|_| true)
        .dist
}

/// A convoy of `tons` for `to` that travels `km`.
fn convoy(
    side: Side,
    to: Entity,
    tons: f64,
    km: f64,
    clock: &Clock,
    doctrine: &crate::scenario::SideDoctrine,
) -> Shipment {
    let days = if km.is_finite() {
        km / doctrine.convoy_speed_km_per_day
    } else {
        0.0
    };
    Shipment {
        side,
        unit: to,
        tons,
        arrive_tick: clock.tick + super::reinforcement::ticks_for(days, clock.tick_days),
    }
}

/// Takes what the allocation drew at each node: the side's depots there first (by id), then the
/// stockpile.
fn draw(
    side: Side,
    alloc: &Allocation,
    places: &mut PlaceQuery,
    depots: &mut DepotQuery,
    control: &[Side],
) {
    let mut left = alloc.drawn.clone();
    let mut ours: Vec<_> = depots
        .iter_mut()
        .filter(|d| d.1.0 == side && d.2.node().is_some_and(|v| control[v] == side))
        .collect();
    ours.sort_by(|a, b| a.0.cmp(b.0));
    for (_, _, location, depot) in &mut ours {
        let Some(v) = location.node() else { continue };
        let part = left[v].min(depot.stock_tons).max(0.0);
        depot.stock_tons -= part;
        left[v] -= part;
    }
    for (_, node, _, mut pile) in places.iter_mut() {
        let part = left[node.0].min(pile.tons).max(0.0);
        if part > 0.0 {
            pile.tons -= part;
            left[node.0] -= part;
        }
    }
}

/// The stock of `side`'s depots per node, counting only places the side controls.
fn depot_stock_of(side: Side, depots: &DepotQuery, control: &[Side], n: usize) -> Vec<f64> {
    let mut stock = vec![0.0; n];
    for (_, s, location, depot) in depots.iter() {
        if let Some(v) = location
            .node()
            .filter(|&v| s.0 == side && control[v] == side)
        {
            stock[v] += depot.stock_tons;
        }
    }
    stock
}

/// What each route can still carry today: its capacity for the side less what moved on it.
fn residual(caps: &[f64], used: &[f64]) -> Vec<f64> {
    caps.iter()
        .zip(used)
        .map(|(c, u)| (c - u).max(0.0))
        .collect()
}

fn load_routes(routes: &mut RouteState, alloc: &Allocation) {
    for (used, tons) in routes.used_tons_today.iter_mut().zip(&alloc.route_tons) {
        *used += tons;
    }
}

/// Each unit eats from what it carries; a unit with nothing left weakens.
fn consume(
    dt: f64,
    theatre: &Theatre,
    presence: &Presence,
    ledger: &mut Ledger,
    tallies: &mut Tallies,
    units: &mut UnitQuery,
) {
    let sides = &theatre.scenario.sides;
    for (_, _, side, mut strength, mut cohesion, mut supply, location) in units.iter_mut() {
        let doctrine = &sides[side.0];
        let account = &mut ledger.sides[side.0];
        let want = strength.0 * doctrine.consumption_tons_per_fighter_per_day * dt;
        if supply.tons >= want {
            supply.tons -= want;
            account.consumed_tons += want;
            let in_contact = location
                .node()
                .is_some_and(|n| presence.strength[n][side.0.other()] > 0.0);
            if !in_contact {
                cohesion.0 = (cohesion.0 + doctrine.cohesion_recovery_per_day * dt).min(1.0);
            }
            continue;
        }
        account.consumed_tons += supply.tons;
        account.shortfall_tons += want - supply.tons;
        supply.tons = 0.0;
        let lost = strength.0 * doctrine.unsupplied_attrition_per_day * dt;
        strength.0 -= lost;
        tallies.losses[side.0] += lost;
        tallies.starved[side.0] += lost;
        cohesion.0 = (cohesion.0 - doctrine.unsupplied_cohesion_loss_per_day * dt).max(0.0);
    }
}
