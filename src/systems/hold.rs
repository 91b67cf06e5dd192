//! Holding: cleared settlements without an adequate garrison can be infiltrated and lost again.
//!
//! For each settlement the attacker took during the campaign (its ground on day 0 is its rear),
//! controls and nobody is fighting over, with T the defender's
//! *free* fighters that can reach it (see `systems::threat`: garrisons and besieged holders do not
//! count, nor forces screened off by held villages) and G the garrison present, the daily hazard
//! that the defender sends an infiltration cell is λ = infiltration_rate_per_day × T ÷ (G + 1) ×
//! (1 − attacker_support) (MODEL.md, clear-and-hold): smooth in the garrison, so a larger garrison
//! always means a lower hazard and a garrison doctrine of zero leaves villages exposed rather than
//! safe. A cell is drawn per tick with probability 1 − e^(−λ·dt). It is a tenth of the threat, split
//! from the largest free defender unit among those that reach the settlement (ties by unit id),
//! and travels there by road like any unit: the settlement changes hands only when the cell
//! arrives and wins — against no garrison at once, against a garrison by combat. While a cell is on
//! its way, no other is sent to the same place.

use super::common::{Picture, Record, Scene, detachment, split_off};
use crate::ids::{NodeId, Side};
use crate::model::{
    Control, ControlState, Establishment, EventKind, Key, Location, SideOf, Speed, Strength,
    Supply, Tallies, Task, Theatre,
};
use crate::rng::{Salt, chance, stream};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

/// Share of the threat within reach that forms an infiltration cell.
const CELL_SHARE_OF_THREAT: f64 = 0.1;

/// Draws infiltrations of thinly held settlements and sends the cells on their way.
pub fn hold_settlements(
    mut commands: Commands,
    scene: Scene,
    picture: Picture,
    record: Record,
    mut ground: Ground,
) {
    let Scene {
        clock,
        seed,
        theatre,
    } = scene;
    let Record {
        mut tallies,
        mut log,
    } = record;
    let (presence, threat) = (&picture.presence, &picture.threat);
    let scenario = &theatre.scenario;
    let rate = scenario.sides[Side::Defender].infiltration_rate_per_day;
    let mut on_the_way = vec![false; theatre.graph.nodes];
    for (_, side, _, _, _, _, _, task) in &ground.units {
        if let (
            Side::Defender,
            Task::Maneuver {
                target: Some(t), ..
            },
        ) = (side.0, task)
        {
            on_the_way[t.index()] = true;
        }
    }
    #[allow(clippy::needless_range_loop)] // node indexes several per-node tables at once
    for node in 0..theatre.graph.nodes {
        let Ok((key, here)) = ground.places.get(theatre.node_entities[node]) else {
            continue;
        };
        // Only what the attacker took in the campaign is held against infiltration: its own ground
        // on day 0 is its rear (the bridgehead that reverted 73 times was one of these).
        if here.side != Side::Attacker
            || here.state == ControlState::Contested
            || on_the_way[node]
            || scenario.settlements[node].control == Side::Attacker
        {
            continue;
        }
        let free_threat = threat.of(Side::Defender, node);
        let hazard = reversion_hazard_per_day(
            rate,
            free_threat,
            presence.strength[node][Side::Attacker],
            scenario.settlements[node].attacker_support,
        );
        if hazard <= 0.0 {
            continue;
        }
        let p = 1.0 - libm::exp(-hazard * clock.tick_days);
        if !chance(&mut stream(seed.0, Salt::Hold, key.hash, clock.tick), p) {
            continue;
        }
        let sent = send_cell(
            &mut commands,
            &mut tallies,
            &theatre,
            &picture,
            &mut ground,
            node,
            free_threat * CELL_SHARE_OF_THREAT,
        );
        if let Some((fighters, from)) = sent {
            let (to, from) = (&scenario.settlements[node], &scenario.settlements[from]);
            log.push(
                clock.day(),
                EventKind::Infiltration,
                to.id.clone(),
                format!(
                    "a cell of {fighters:.0} {} fighters sets out from {} to infiltrate {}",
                    scenario.sides[Side::Defender].name,
                    from.name,
                    to.name
                ),
            );
        }
    }
}

/// The daily hazard that a settlement held by `garrison` fighters against `threat` free enemy
/// fighters is infiltrated: rate × threat ÷ (garrison + 1) × (1 − support).
pub fn reversion_hazard_per_day(rate: f64, threat: f64, garrison: f64, support: f64) -> f64 {
    if threat <= 0.0 {
        return 0.0;
    }
    rate * threat / (garrison.max(0.0) + 1.0) * (1.0 - support)
}

/// The settlements that may be infiltrated, and the units that may send a cell.
#[derive(SystemParam)]
pub struct Ground<'w, 's> {
    places: Query<'w, 's, (&'static Key, &'static Control)>,
    units: UnitQuery<'w, 's>,
}

type UnitQuery<'w, 's> = Query<
    'w,
    's,
    (
        &'static Key,
        &'static SideOf,
        &'static mut Strength,
        &'static mut Supply,
        &'static Speed,
        &'static Location,
        &'static mut Establishment,
        &'static Task,
    ),
>;

/// Splits a cell off the largest free defender unit that reaches `node` and sends it there by the
/// shortest road the defender can use. Returns its size and where it set out from.
fn send_cell(
    commands: &mut Commands,
    tallies: &mut Tallies,
    theatre: &Theatre,
    picture: &Picture,
    ground: &mut Ground,
    node: usize,
    wanted: f64,
) -> Option<(f64, usize)> {
    let (threat, routes) = (&picture.threat, &picture.routes);
    let Ground { places, units } = ground;
    let sources = &threat.sources[Side::Defender][node];
    let donor = units
        .iter_mut()
        .filter(|u| {
            u.1.0 == Side::Defender
                && !matches!(u.7, Task::Hold)
                && u.5
                    .node()
                    .is_some_and(|n| sources.iter().any(|s| s.node == n.index()))
        })
        .max_by(|a, b| a.2.0.total_cmp(&b.2.0).then(b.0.cmp(a.0)))?;
    let (_, _, mut strength, mut supply, speed, location, mut establishment, _) = donor;
    let from = location.node()?.index();
    // The cell goes the way the threat was measured: no inject-cut route, and through no
    // settlement the attacker holds with a garrison.
    let screened = |n: usize| {
        n != node
            && places
                .get(theatre.node_entities[n])
                .is_ok_and(|(_, c)| c.side == Side::Attacker && c.state == ControlState::Held)
    };
    let paths = theatre
        .graph
        .shortest_paths(from, &|r| !routes.inject_cut[r], &|n| !screened(n));
    let path = paths.path_to(&theatre.graph, node)?;
    let (size, tons) = split_off(&mut strength, &mut establishment, &mut supply, wanted)?;
    tallies.spawned += 1;
    let id = format!(
        "cell-{}-{}",
        theatre.scenario.settlements[node].id, tallies.spawned
    );
    commands
        .spawn(detachment(
            id,
            Side::Defender,
            NodeId(from),
            size,
            0.8,
            tons,
            *speed,
        ))
        .insert(Task::Maneuver {
            target: Some(NodeId(node)),
            path,
        });
    Some((size, from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_threat_no_hazard() {
        assert_eq!(reversion_hazard_per_day(0.05, 0.0, 0.0, 0.5), 0.0);
    }

    #[test]
    fn hazard_grows_with_threat_and_falls_with_garrison() {
        // 0.01 × 100 ÷ (0 + 1) × (1 − 0.5) = 0.5 a day.
        let bare = reversion_hazard_per_day(0.01, 100.0, 0.0, 0.5);
        assert!((bare - 0.5).abs() < 1e-12);
        assert!(reversion_hazard_per_day(0.01, 200.0, 0.0, 0.5) > bare);
        // A garrison of 99 cuts it a hundredfold; a bigger one always cuts it further.
        let held = reversion_hazard_per_day(0.01, 100.0, 99.0, 0.5);
        assert!((held - 0.005).abs() < 1e-12);
        assert!(reversion_hazard_per_day(0.01, 100.0, 150.0, 0.5) < held);
    }
}
