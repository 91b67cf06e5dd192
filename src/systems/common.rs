//! Small helpers that several systems share: the parameter groups most systems take, reading
//! control per node, paths a side may use, and splitting strength off a unit.

use crate::ids::{NodeId, RouteId, Side};
use crate::model::{
    Clock, Control, EventLog, Key, Ledger, Location, Node, Presence, RouteState, RunSeed, Tallies,
    Task, Theatre, Threat,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

/// When and where: the tick's clock, the run's seed and the theatre, read by nearly every system.
#[derive(SystemParam)]
pub struct Scene<'w> {
    /// The tick and its length.
    pub clock: Res<'w, Clock>,
    /// The run's seed, from which every random stream is drawn.
    pub seed: Res<'w, RunSeed>,
    /// The scenario and its route graph.
    pub theatre: Res<'w, Theatre>,
}

/// The situation the day's decisions read and do not change: who stands where, the free threat
/// on every node, and the routes' status.
#[derive(SystemParam)]
pub struct Picture<'w> {
    /// Strength per node and side.
    pub presence: Res<'w, Presence>,
    /// Free enemy fighters that can reach each node.
    pub threat: Res<'w, Threat>,
    /// Route status, interdiction and inject cuts.
    pub routes: Res<'w, RouteState>,
}

/// What a system that moves no supply writes down: the run's tallies and its event log.
#[derive(SystemParam)]
pub struct Record<'w> {
    /// Run-wide counters.
    pub tallies: ResMut<'w, Tallies>,
    /// The campaign's events.
    pub log: ResMut<'w, EventLog>,
}

/// What a system that also moves supply writes down: [`Record`] and the supply ledger.
#[derive(SystemParam)]
pub struct Books<'w> {
    /// Run-wide counters.
    pub tallies: ResMut<'w, Tallies>,
    /// Supply produced, captured, consumed, destroyed and in transit.
    pub ledger: ResMut<'w, Ledger>,
    /// The campaign's events.
    pub log: ResMut<'w, EventLog>,
}

/// Settlements with their node index and control: the query [`control_by_node`] reads.
pub type NodeControls<'w, 's> = Query<'w, 's, (&'static Node, &'static Control)>;

/// The controlling side of every node, in node order (the attacker for a node without control).
pub fn control_by_node(theatre: &Theatre, controls: &NodeControls) -> Vec<Side> {
    let mut control = Vec::with_capacity(theatre.node_entities.len());
    fill_control_by_node(theatre, controls, &mut control);
    control
}

/// [`control_by_node`] into a buffer the caller keeps, so a system that runs often allocates once.
/// Each settlement carries its node index, so one pass over the settlements fills every slot; a
/// look-up per node entity costs several times more.
pub fn fill_control_by_node(theatre: &Theatre, controls: &NodeControls, control: &mut Vec<Side>) {
    control.clear();
    control.resize(theatre.node_entities.len(), Side::Attacker);
    for (node, c) in controls {
        if let Some(slot) = control.get_mut(node.0.index()) {
            *slot = c.side;
        }
    }
}

/// A withdrawal path for a unit of `side` at `from`: the nearest other settlement its side controls
/// and no enemy stands in, over routes no inject cut and through settlements its side controls.
/// `None` when there is none.
pub fn withdrawal_path(
    theatre: &Theatre,
    routes: &RouteState,
    presence: &Presence,
    control: &[Side],
    side: Side,
    from: usize,
) -> Option<Vec<RouteId>> {
    let paths = theatre
        .graph
        .shortest_paths(from, &|r| !routes.inject_cut[r], &|n| control[n] == side);
    let safe =
        |n: usize| n != from && control[n] == side && presence.strength[n][side.other()] <= 0.0;
    (0..theatre.graph.nodes)
        .filter(|&n| safe(n) && paths.dist[n].is_finite())
        .min_by(|&a, &b| paths.dist[a].total_cmp(&paths.dist[b]).then(a.cmp(&b)))
        .and_then(|n| paths.path_to(&theatre.graph, n))
}

/// The components of a unit split off another (a garrison, an infiltration cell, an arrival): a
/// unit that holds where it is formed.
pub fn detachment(
    id: String,
    side: Side,
    node: NodeId,
    strength: f64,
    cohesion: f64,
    supply_tons: f64,
    speed: crate::model::Speed,
) -> impl Bundle {
    (
        unit_components(&id, side, node, strength, cohesion, supply_tons, speed),
        Task::Hold,
    )
}

/// Every component of a unit but its task: the one list that scenario units, injected units and
/// detachments are all made from.
pub fn unit_components(
    id: &str,
    side: Side,
    node: NodeId,
    strength: f64,
    cohesion: f64,
    supply_tons: f64,
    speed: crate::model::Speed,
) -> impl Bundle + use<> {
    (
        Key::of(id),
        crate::model::SideOf(side),
        crate::model::Strength(strength),
        crate::model::Establishment(strength),
        crate::model::Cohesion(cohesion),
        crate::model::Supply { tons: supply_tons },
        speed,
        Location::At(node),
    )
}

/// Fighters below which a unit no longer exists.
pub const MIN_UNIT_STRENGTH: f64 = 0.5;

/// Splits up to `wanted` fighters — at most half the donor, so it can still act — and their share of
/// its supply off a donor unit. Returns `(fighters, tons)`, or `None` when the split would be too
/// small to form a unit.
pub fn split_off(
    strength: &mut crate::model::Strength,
    establishment: &mut crate::model::Establishment,
    supply: &mut crate::model::Supply,
    wanted: f64,
) -> Option<(f64, f64)> {
    let size = wanted.min(strength.0 * 0.5);
    if size < MIN_UNIT_STRENGTH {
        return None;
    }
    let share = size / strength.0;
    let tons = supply.tons * share;
    strength.0 -= size;
    // The donor's establishment shrinks by the share it detached, so the share it has lost in
    // combat stays what it was.
    establishment.0 -= establishment.0 * share;
    supply.tons -= tons;
    Some((size, tons))
}
