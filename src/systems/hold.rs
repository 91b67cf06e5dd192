//! Holding: cleared settlements without an adequate garrison can be infiltrated and revert.
//!
//! For each settlement the attacker controls and nobody is fighting over, with T the defender's
//! strength within reach and G the garrison present: a garrison of doctrine size
//! (max(garrison_min, garrison_ratio × T)) patrols it shut; a thinner one, or none, faces a daily
//! hazard λ = infiltration_rate_per_day × T ÷ (G + 1) × (1 − attacker_support), so reversion is a
//! Poisson event per seed (probability 1 − e^(−λ·dt) per tick). A reverting settlement receives an
//! infiltration cell (a tenth of the threat, taken from the largest defender unit within reach), so
//! fighters are conserved and a thin garrison must fight it.

use super::common::{detachment, split_off};
use crate::ids::{NodeId, Side};
use crate::model::{
    Clock, Control, ControlState, Establishment, EventKind, EventLog, Key, Location, Presence,
    RouteState, RunSeed, SideOf, Speed, Strength, Supply, Tallies, Theatre,
};
use crate::rng::{Salt, chance, stream};
use bevy_ecs::prelude::*;

/// Share of the threat within reach that forms an infiltration cell.
const CELL_SHARE_OF_THREAT: f64 = 0.1;

/// Draws reversions of thinly held settlements.
#[allow(clippy::too_many_arguments)]
pub fn hold_settlements(
    mut commands: Commands,
    clock: Res<Clock>,
    seed: Res<RunSeed>,
    theatre: Res<Theatre>,
    presence: Res<Presence>,
    mut routes: ResMut<RouteState>,
    mut tallies: ResMut<Tallies>,
    mut log: ResMut<EventLog>,
    mut places: Query<(&Key, &mut Control)>,
    mut units: UnitQuery,
) {
    let scenario = &theatre.scenario;
    let doctrine = &scenario.sides[Side::Attacker];
    let rate = scenario.sides[Side::Defender].infiltration_rate_per_day;
    for node in 0..theatre.graph.nodes {
        let Ok((key, mut control)) = places.get_mut(theatre.node_entities[node]) else {
            continue;
        };
        if control.side != Side::Attacker || control.state == ControlState::Contested {
            continue;
        }
        let garrison = presence.strength[node][Side::Attacker];
        let threat =
            presence.within_reach(&theatre, node, Side::Defender, doctrine.threat_reach_km)
                - presence.strength[node][Side::Defender];
        let hazard = reversion_hazard_per_day(
            rate,
            threat,
            garrison,
            doctrine.garrison_min.max(doctrine.garrison_ratio * threat),
            scenario.settlements[node].attacker_support,
        );
        if hazard <= 0.0 {
            continue;
        }
        let p = 1.0 - libm::exp(-hazard * clock.tick_days);
        if !chance(&mut stream(seed.0, Salt::Hold, key.hash, clock.tick), p) {
            continue;
        }
        let name = &scenario.settlements[node].name;
        *control = Control {
            side: Side::Defender,
            state: ControlState::Held,
        };
        routes.dirty = true;
        log.push(
            clock.day(),
            EventKind::Infiltration,
            scenario.settlements[node].id.clone(),
            format!(
                "{name} is infiltrated and reverts to {}",
                scenario.sides[Side::Defender].name
            ),
        );
        plant_cell(
            &mut commands,
            &mut tallies,
            &theatre,
            &mut units,
            node,
            threat * CELL_SHARE_OF_THREAT,
        );
    }
}

/// The daily reversion hazard of a settlement (0 when its garrison meets the doctrine size).
pub fn reversion_hazard_per_day(
    rate: f64,
    threat: f64,
    garrison: f64,
    doctrine_garrison: f64,
    support: f64,
) -> f64 {
    if threat <= 0.0 || garrison >= doctrine_garrison {
        return 0.0;
    }
    rate * threat / (garrison + 1.0) * (1.0 - support)
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
    ),
>;

fn plant_cell(
    commands: &mut Commands,
    tallies: &mut Tallies,
    theatre: &Theatre,
    units: &mut UnitQuery,
    node: usize,
    wanted: f64,
) {
    let reach = theatre.scenario.sides[Side::Attacker].threat_reach_km;
    let near: Vec<usize> = theatre.neighbourhood[node]
        .iter()
        .filter(|(_, km)| *km <= reach)
        .map(|(n, _)| *n)
        .collect();
    let donor = units
        .iter_mut()
        .filter(|u| {
            u.1.0 == Side::Defender
                && u.5
                    .node()
                    .is_some_and(|n| near.binary_search(&n.index()).is_ok())
        })
        .max_by(|a, b| a.2.0.total_cmp(&b.2.0).then(b.0.cmp(a.0)));
    let Some((_, _, mut strength, mut supply, speed, _, mut establishment)) = donor else {
        return;
    };
    let Some((size, tons)) = split_off(&mut strength, &mut establishment, &mut supply, wanted)
    else {
        return;
    };
    tallies.spawned += 1;
    let id = format!(
        "cell-{}-{}",
        theatre.scenario.settlements[node].id, tallies.spawned
    );
    commands.spawn(detachment(
        id,
        Side::Defender,
        NodeId(node),
        size,
        0.8,
        tons,
        *speed,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctrine_garrison_shuts_the_hazard() {
        assert_eq!(reversion_hazard_per_day(0.05, 100.0, 50.0, 50.0, 0.5), 0.0);
        assert_eq!(reversion_hazard_per_day(0.05, 0.0, 0.0, 50.0, 0.5), 0.0);
    }

    #[test]
    fn hazard_grows_with_threat_and_falls_with_garrison() {
        let bare = reversion_hazard_per_day(0.01, 100.0, 0.0, 50.0, 0.5);
        assert!((bare - 0.5).abs() < 1e-12);
        assert!(reversion_hazard_per_day(0.01, 200.0, 0.0, 50.0, 0.5) > bare);
        assert!(reversion_hazard_per_day(0.01, 100.0, 20.0, 50.0, 0.5) < bare);
    }
}
