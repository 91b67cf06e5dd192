//! Negotiated withdrawal: the last defenders of an objective leave under a deal instead of fighting
//! to the end.
//!
//! Both the Raqqa (October 2017) and the Manbij (August 2016) fights ended this way: with the city
//! all but cleared, local intermediaries brokered the departure of the remaining fighters, who left
//! in a convoy for the defender's own territory. It is optional and off by default
//! (`withdrawal_below_share` = 0). Once a day, for each objective the attacker is fighting inside
//! (its fighters stand there with the defender's), when the defenders inside have fallen to
//! `withdrawal_below_share` of the most there ever were, a deal is struck with probability
//! 1 − e^(−`withdrawal_rate_per_day`) — talks take time, so it is a hazard, not a threshold. Then
//! every defender there leaves under safe conduct by the shortest road to the nearest exit, whoever
//! holds the way (the attacker lets the convoy pass), at `escape_speed_km_per_day`, and reappears
//! there as a unit; with no exit reachable they leave the map. What they carry goes with them,
//! written off the defender's supply books as destroyed (the column reappears with none). They are
//! counted as withdrawn, not as losses, and with no defender left the attacker takes the place (systems::clear). Drawn on the
//! day clock from its own stream, so the tick length does not change it.

use super::common::{Books, Scene};
use crate::ids::{NodeId, Side};
use crate::model::{
    Arrival, DefenderCommand, EventKind, Location, Presence, SideOf, Strength, Supply,
};
use crate::rng::{Salt, chance, fnv1a, stream};
use bevy_ecs::prelude::*;

/// Strikes the deals of the day and sends the last defenders out.
pub fn negotiate_withdrawals(
    mut commands: Commands,
    scene: Scene,
    mut presence: ResMut<Presence>,
    mut command: ResMut<DefenderCommand>,
    mut books: Books,
    units: Query<(Entity, &SideOf, &Strength, &Supply, &Location)>,
    mut peak_inside: Local<Vec<f64>>,
) {
    let (clock, seed, theatre) = (&scene.clock, &scene.seed, &scene.theatre);
    let Books {
        tallies,
        ledger,
        log,
    } = &mut books;
    if !clock.is_day_start() {
        return;
    }
    let scenario = &theatre.scenario;
    let doctrine = &scenario.sides[Side::Defender];
    peak_inside.resize(scenario.objectives.len(), 0.0);
    for (i, objective) in scenario.objectives.iter().enumerate() {
        let node = objective.settlement;
        let [attackers, inside] = presence.strength[node];
        peak_inside[i] = peak_inside[i].max(inside);
        if doctrine.withdrawal_below_share <= 0.0
            || attackers <= 0.0
            || inside <= 0.0
            || inside > doctrine.withdrawal_below_share * peak_inside[i]
        {
            continue;
        }
        let key = fnv1a(scenario.settlements[node].id.as_bytes());
        let mut rng = stream(seed.0, Salt::Withdrawal, key, clock.day());
        if !chance(&mut rng, 1.0 - libm::exp(-doctrine.withdrawal_rate_per_day)) {
            continue;
        }
        let mut leaving = 0.0;
        let mut carried = 0.0;
        let mut convoy: Vec<Entity> = units
            .iter()
            .filter(|(_, side, _, _, loc)| {
                side.0 == Side::Defender && **loc == Location::At(NodeId(node))
            })
            .map(|(e, _, s, supply, _)| {
                leaving += s.0;
                carried += supply.tons;
                e
            })
            .collect();
        convoy.sort();
        convoy
            .into_iter()
            .for_each(|e| commands.entity(e).despawn());
        presence.strength[node][Side::Defender] = 0.0;
        tallies.withdrawn += leaving;
        // What they carry leaves with them, off the books as a unit withdrawn by an inject does
        // (the column reappears at the exit with none).
        ledger.sides[Side::Defender].destroyed_tons += carried;
        let safe_conduct = theatre.graph.shortest_paths(node, &|_| true, &|_| true);
        let exit = objective
            .exits
            .iter()
            .copied()
            .filter(|&x| safe_conduct.dist[x].is_finite())
            .min_by(|&a, &b| {
                safe_conduct.dist[a]
                    .total_cmp(&safe_conduct.dist[b])
                    .then(a.cmp(&b))
            });
        let from = &scenario.settlements[node];
        let whither = exit.map_or_else(
            || "off the map".to_owned(),
            |x| format!("for {}", scenario.settlements[x].name),
        );
        log.push(
            clock.day(),
            EventKind::Withdrawal,
            from.id.clone(),
            format!(
                "{leaving:.0} fighters leave {} under a negotiated withdrawal, {whither}",
                from.name
            ),
        );
        if let Some(exit) = exit {
            let days = safe_conduct.dist[exit] / doctrine.escape_speed_km_per_day;
            command.arrivals.push(Arrival {
                tick: clock.tick + super::reinforcement::ticks_for(days, clock.tick_days),
                node: NodeId(exit),
                fighters: leaving,
                unit_id: format!("withdrawn-{}", scenario.settlements[exit].id),
                supply_days: 0.0,
            });
        }
    }
}
