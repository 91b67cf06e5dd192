//! Recording: the day's row of the time series, and map snapshots at phase starts.
//!
//! Runs at the last tick of each day, after every other system, so a row shows the state after that
//! day. The simulation does no I/O: rows and frames go to the [`Recorder`] resource, and the output
//! layer writes them.

use crate::calendar::iso_date;
use crate::ids::Side;
use crate::model::{
    Campaign, Clock, Cohesion, Control, ControlState, DefenderCommand, Isolation, Key, Ledger,
    Location, RouteState, RouteStatus, SideOf, Strength, Supply, Tallies, Task, Theatre,
};
use crate::results::{DailyRow, Frame, FrameControl};
use crate::scenario::SettlementKind;
use bevy_ecs::prelude::*;

/// Rows and frames recorded so far.
#[derive(Resource, Debug, Clone, Default)]
pub struct Recorder {
    /// One row per day recorded.
    pub rows: Vec<DailyRow>,
    /// Map snapshots.
    pub frames: Vec<Frame>,
    /// The lines' phases at the last frame taken (empty: the day-0 plan, framed elsewhere).
    pub framed_phases: Vec<usize>,
    /// First day at whose end attacker fighters stood in the primary objective (contested or
    /// taken): the day the city was entered.
    pub objective_entered_day: Option<u32>,
}

/// Everything a row or a frame reads, as one system parameter.
#[derive(bevy_ecs::system::SystemParam)]
pub struct RunView<'w, 's> {
    /// Clock.
    pub clock: Res<'w, Clock>,
    /// Theatre.
    pub theatre: Res<'w, Theatre>,
    /// Isolation.
    pub isolation: Res<'w, Isolation>,
    /// Campaign.
    pub campaign: Res<'w, Campaign>,
    /// Defender command.
    pub command: Res<'w, DefenderCommand>,
    /// Tallies.
    pub tallies: Res<'w, Tallies>,
    /// Supply ledger.
    pub ledger: Res<'w, Ledger>,
    /// Routes.
    pub routes: Res<'w, RouteState>,
    /// Settlements.
    pub places: Query<'w, 's, &'static Control>,
    /// Units.
    pub units: Query<
        'w,
        's,
        (
            &'static Key,
            &'static SideOf,
            &'static Strength,
            &'static Cohesion,
            &'static Supply,
            &'static Location,
            &'static Task,
        ),
    >,
}

/// Appends the day's row (at the day's last tick) and a frame when a phase began.
pub fn record_day(view: RunView, mut recorder: ResMut<Recorder>) {
    let clock = *view.clock;
    if !(clock.tick + 1).is_multiple_of(clock.ticks_per_day) {
        return;
    }
    let day = clock.day() + 1;
    if recorder.framed_phases.is_empty() {
        recorder.framed_phases = view.theatre.scenario.first_phases();
    }
    if view.campaign.current != recorder.framed_phases {
        recorder.framed_phases.clone_from(&view.campaign.current);
        // The frame marks the phase that began last.
        let start = view
            .campaign
            .current
            .iter()
            .filter_map(|&p| view.campaign.phase_start_days[p])
            .max()
            .unwrap_or(day);
        let label = view.campaign.label(&view.theatre.scenario);
        recorder.frames.push(frame(&view, start, label));
    }
    recorder.rows.push(row(&view, day));
    if recorder.objective_entered_day.is_none() {
        let primary = view
            .theatre
            .scenario
            .objectives
            .first()
            .map(|o| o.settlement);
        let entered = primary
            .and_then(|n| view.places.get(view.theatre.node_entities[n]).ok())
            .is_some_and(|c| c.side == Side::Attacker || c.state == ControlState::Contested);
        if entered {
            recorder.objective_entered_day = Some(day - 1);
        }
    }
}

/// The state after `day` days as a time-series row.
pub fn row(view: &RunView, day: u32) -> DailyRow {
    let scenario = &view.theatre.scenario;
    let mut strength = [0.0; 2];
    let mut supply_weighted = [0.0; 2];
    let mut garrison = 0.0;
    view.units
        .iter()
        .for_each(|(_, side, s, _, supply, _, task)| {
            strength[side.0] += s.0;
            let per_day = s.0 * scenario.sides[side.0].consumption_tons_per_fighter_per_day;
            if per_day > 0.0 {
                supply_weighted[side.0] += s.0 * supply.tons / per_day;
            }
            if side.0 == Side::Attacker && *task == Task::Hold {
                garrison += s.0;
            }
        });
    let (mut held, mut villages) = ([0u32; 2], [0u32; 2]);
    let (mut contested, mut cleared_unheld) = (0u32, 0u32);
    for (n, e) in view.theatre.node_entities.iter().enumerate() {
        let Ok(c) = view.places.get(*e) else { continue };
        match c.state {
            ControlState::Held => held[c.side] += 1,
            ControlState::Contested => contested += 1,
            ControlState::ClearedUnheld => cleared_unheld += 1,
        }
        if scenario.settlements[n].kind == SettlementKind::Village {
            villages[c.side] += 1;
        }
    }
    let status_count =
        |s: RouteStatus| view.routes.status.iter().filter(|x| **x == s).count() as u32;
    let primary = view.isolation.objectives.first();
    let mean_days = |side: Side| {
        if strength[side] > 0.0 {
            supply_weighted[side] / strength[side]
        } else {
            0.0
        }
    };
    DailyRow {
        day,
        date: iso_date(scenario.meta.start_epoch_day + i64::from(day)),
        phase: view.campaign.label(scenario),
        isolation_index: primary.map_or(0.0, |o| o.isolation_index),
        isolation_index_cuts: primary.map_or(0.0, |o| o.isolation_index_cuts),
        back_door_open: u8::from(primary.is_some_and(|o| o.back_door_open)),
        attacker_strength: strength[Side::Attacker],
        defender_strength: strength[Side::Defender],
        attacker_supply_days: mean_days(Side::Attacker),
        defender_supply_days: mean_days(Side::Defender),
        attacker_held: held[Side::Attacker],
        defender_held: held[Side::Defender],
        contested,
        cleared_unheld,
        attacker_villages_held: villages[Side::Attacker],
        defender_villages_held: villages[Side::Defender],
        attacker_garrison: garrison,
        defender_c2: view.command.c2,
        defender_reserve: view.command.reserve,
        civilian_harm_index: view.tallies.civilian_harm,
        displaced_civilians: view.tallies.displaced,
        escaped_fighters: view.tallies.escaped,
        supply_shortfall_tons: view.ledger.shortfall_tons(),
        routes_open: status_count(RouteStatus::Open),
        routes_interdicted: status_count(RouteStatus::Interdicted),
        routes_cut: status_count(RouteStatus::Cut),
    }
}

/// The map now.
pub fn frame(view: &RunView, day: u32, label: String) -> Frame {
    let sides = &view.theatre.scenario.sides;
    let control = view
        .theatre
        .node_entities
        .iter()
        .map(|e| {
            let c = view.places.get(*e).map_or(
                Control {
                    side: Side::Defender,
                    state: ControlState::Held,
                },
                |c| *c,
            );
            FrameControl {
                side: sides[c.side].id.clone(),
                state: c.state,
            }
        })
        .collect();
    Frame {
        day,
        label,
        control,
        routes: view.routes.status.clone(),
    }
}
