//! Reinforcement: the defender's command and control, its reserve, second fronts, and arrivals.
//!
//! C2 is a number in [0, 1]. Each day it recovers `c2_recovery_per_day` of the gap to its ceiling,
//! and the ceiling is 1 minus the load of every active second front (the Mosul effect: more
//! problems than a flagging command can manage). Fronts also draw fighters out of the reserve.
//! Reinforcement decisions come every `reinforce_delay_days ÷ C2` days and send `reinforce_share ×
//! C2` of the reserve to the most threatened defender-held settlement that an open path reaches from
//! the reserve — so strikes on command slow and thin reinforcement, and isolation starves it. A
//! decision is spent only when fighters are sent: while no holding is threatened (or none can be
//! reached, or the share is under one fighter) the decision stays due and is taken again each day.
//! Fighters on the road (reinforcements and escapees) appear as units when they arrive.

use super::common::{Books, NodeControls, Picture, Scene, control_by_node, detachment};
use crate::ids::{NodeId, Side};
use crate::model::{
    Arrival, Clock, DefenderCommand, EventKind, Ledger, RouteStatus, Tallies, Theatre,
};
use bevy_ecs::prelude::*;

/// Cohesion of fighters arriving as reinforcements.
const ARRIVAL_COHESION: f64 = 0.9;
/// Days of supply reinforcements bring.
const ARRIVAL_SUPPLY_DAYS: f64 = 5.0;
/// Speed of units formed by arrivals, km per day.
const ARRIVAL_SPEED_KM_PER_DAY: f64 = 20.0;

/// Daily C2 and reserve bookkeeping, reinforcement decisions, and arrivals every tick.
pub fn reinforce_defenders(
    mut commands: Commands,
    scene: Scene,
    picture: Picture,
    mut command: ResMut<DefenderCommand>,
    books: Books,
    controls: NodeControls,
) {
    let Scene { clock, theatre, .. } = scene;
    let Picture {
        presence,
        threat,
        routes,
    } = picture;
    let Books {
        mut tallies,
        mut ledger,
        mut log,
    } = books;
    land_arrivals(
        &mut commands,
        &clock,
        &theatre,
        &mut command,
        &mut tallies,
        &mut ledger,
    );
    if !clock.is_day_start() {
        return;
    }
    let scenario = &theatre.scenario;
    let doctrine = &scenario.sides[Side::Defender];
    let day = f64::from(clock.day());
    let active = scenario
        .fronts
        .iter()
        .filter(|f| f.start_day <= day && day <= f.end_day);
    let (load, draw) = active.fold((0.0, 0.0), |(l, d), f| {
        (l + f.c2_load, d + f.reserve_draw_per_day)
    });
    let ceiling = (1.0 - load).clamp(0.0, 1.0);
    command.reserve = (command.reserve - draw).max(0.0);
    command.c2 = if command.c2 < ceiling {
        command.c2 + doctrine.c2_recovery_per_day * (ceiling - command.c2)
    } else {
        ceiling
    };
    command.min_c2 = command.min_c2.min(command.c2);
    if day < command.next_decision_day || command.reserve < 1.0 {
        return;
    }
    let Some(from) = doctrine.reserve_at else {
        return;
    };
    let control = control_by_node(&theatre, &controls);
    if control[from] == Side::Attacker {
        return;
    }
    let paths =
        theatre
            .graph
            .shortest_paths(from, &|r| routes.status[r] != RouteStatus::Cut, &|n| {
                control[n] == Side::Defender
            });
    let threatened = (0..theatre.graph.nodes)
        .filter(|&n| control[n] == Side::Defender && paths.dist[n].is_finite())
        .map(|n| {
            (
                threat.of(Side::Attacker, n) / (presence.strength[n][Side::Defender] + 1.0),
                n,
            )
        })
        .filter(|(threat, _)| *threat > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let Some((_, target)) = threatened else {
        return;
    };
    let fighters = command.reserve * doctrine.reinforce_share * command.c2;
    if fighters < 1.0 {
        return;
    }
    // The decision is spent only now that fighters go: a day with no target (or too few to send)
    // leaves the next decision due, so the defender reacts the day a threat appears.
    command.next_decision_day = day + doctrine.reinforce_delay_days / command.c2.max(0.05);
    command.reserve -= fighters;
    command.reinforced += fighters;
    let travel_days = paths.dist[target] / doctrine.convoy_speed_km_per_day;
    let name = &scenario.settlements[target].name;
    log.push(
        clock.day(),
        EventKind::Reinforce,
        scenario.settlements[target].id.clone(),
        format!(
            "{fighters:.0} reserve fighters sent to {name} (C2 {:.2})",
            command.c2
        ),
    );
    command.arrivals.push(Arrival {
        tick: clock.tick + ticks_for(travel_days, clock.tick_days),
        node: NodeId(target),
        fighters,
        unit_id: format!("reinforcement-{}", scenario.settlements[target].id),
        supply_days: ARRIVAL_SUPPLY_DAYS,
    });
}

/// Whole ticks needed to cover `days`.
pub fn ticks_for(days: f64, tick_days: f64) -> u32 {
    (days / tick_days).ceil().max(0.0) as u32
}

fn land_arrivals(
    commands: &mut Commands,
    clock: &Clock,
    theatre: &Theatre,
    command: &mut DefenderCommand,
    tallies: &mut Tallies,
    ledger: &mut Ledger,
) {
    if !command.arrivals.iter().any(|a| a.tick <= clock.tick) {
        return;
    }
    let consumption = theatre.scenario.sides[Side::Defender].consumption_tons_per_fighter_per_day;
    let (due, waiting): (Vec<Arrival>, Vec<Arrival>) = command
        .arrivals
        .drain(..)
        .partition(|a| a.tick <= clock.tick);
    command.arrivals = waiting;
    for a in due {
        tallies.spawned += 1;
        let id = format!("{}-{}", a.unit_id, tallies.spawned);
        let tons = a.fighters * consumption * a.supply_days;
        ledger.sides[Side::Defender].produced_tons += tons;
        commands.spawn(detachment(
            id,
            Side::Defender,
            a.node,
            a.fighters,
            ARRIVAL_COHESION,
            tons,
            crate::model::Speed::uniform(ARRIVAL_SPEED_KM_PER_DAY),
        ));
    }
}
