//! The campaign systems, one file each, and their registration in one explicit order
//! (`docs/architecture.md` has the same table).
//!
//! The order is explicit (one chain), and each link has a reason:
//! 1. `apply_injects` first: the day's scheduled events are facts every decision must see.
//! 2. `advance_phase` and `draw_pauses` before tasking: the attacker decides under the phase and
//!    the tempo that hold today.
//! 3. `tally_presence` → `assess_threat` → `assign_tasks` → `reinforce_defenders` →
//!    `escape_objectives` → `negotiate_withdrawals`: decisions
//!    read who stands where before anyone moves.
//! 4. `move_units`, then a fresh tally: combat needs who arrived.
//! 5. `strike_targets` before combat: the day's strikes shape the fight (C2, concentrations) and
//!    interdiction must be in place before isolation is recomputed.
//! 6. `resolve_combat`, tally, `take_settlements`: control follows who is left standing, and the
//!    garrisons it leaves exist before holding is assessed.
//! 7. `hold_settlements` after clearing: only settlements nobody is fighting over can revert.
//! 8. `update_isolation` after every change of control, interdiction or inject this tick, so the
//!    index and the minimum cut that tomorrow's tasking reads are current.
//! 9. `resupply_units` after isolation: the daily distribution flows over today's route status and
//!    interdiction, the same capacities the isolation index was just computed on.
//! 10. `track_milestones` then `record_day` last, at the day's end: milestones and the row are the
//!     state after everything else.

pub mod clear;
pub mod combat;
pub mod common;
pub mod escape;
pub mod hold;
pub mod injects;
pub mod isolation;
pub mod milestones;
pub mod movement;
pub mod phases;
pub mod presence;
pub mod record;
pub mod reinforcement;
pub mod resupply;
pub mod shaping;
pub mod tasking;
pub mod tempo;
pub mod threat;
pub mod withdrawal;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::ScheduleLabel;

/// The schedule that runs one tick of the campaign.
#[derive(ScheduleLabel, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CampaignTick;

/// The named stages of a tick, for code that wants to order against them.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CampaignSystems {
    /// Injects and phases.
    Plan,
    /// Tasking, reinforcement and escape.
    Decide,
    /// Movement.
    Move,
    /// Air strikes, combat, clearing and holding.
    Fight,
    /// Isolation and resupply.
    Sustain,
    /// Recording.
    Record,
}

/// One step of a tick: a system and its name; `add` puts it in its stage
/// ([`CampaignSystems`]) and its place in the chain.
pub struct Step {
    /// The system's name, as `--timings` reports it.
    pub name: &'static str,
    /// Adds the system to a schedule inside `set` and its stage.
    pub add: fn(&mut Schedule, StepSet),
}

/// The set of the `n`-th step, used to chain the steps in order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StepSet(pub usize);

/// Run condition of the daily steps: only the first tick of a day does their work, so the other
/// ticks skip them without fetching their parameters.
pub fn day_starts(clock: Res<crate::model::Clock>) -> bool {
    clock.is_day_start()
}

/// Run condition of the recorder: the last tick of a day.
pub fn day_ends(clock: Res<crate::model::Clock>) -> bool {
    (clock.tick + 1).is_multiple_of(clock.ticks_per_day)
}

macro_rules! step {
    ($name:literal, $stage:ident, $system:path, if $cond:path) => {
        Step {
            name: $name,
            add: |s, set| {
                s.add_systems(
                    $system
                        .run_if($cond)
                        .in_set(set)
                        .in_set(CampaignSystems::$stage),
                );
            },
        }
    };
    ($name:literal, $stage:ident, $system:path) => {
        Step {
            name: $name,
            add: |s, set| {
                s.add_systems($system.in_set(set).in_set(CampaignSystems::$stage));
            },
        }
    };
}

/// Every step of a tick, in the order they run (the reasons are in this module's docs).
pub fn campaign_steps() -> Vec<Step> {
    vec![
        step!("apply_injects", Plan, injects::apply_injects, if day_starts),
        step!("advance_phase", Plan, phases::advance_phase, if day_starts),
        step!("draw_pauses", Plan, tempo::draw_pauses, if day_starts),
        step!("tally_presence", Decide, presence::tally_presence),
        step!("assess_threat", Decide, threat::assess_threat, if day_starts),
        step!("assign_tasks", Decide, tasking::assign_tasks, if day_starts),
        step!(
            "reinforce_defenders",
            Decide,
            reinforcement::reinforce_defenders
        ),
        step!("escape_objectives", Decide, escape::escape_objectives, if day_starts),
        step!(
            "negotiate_withdrawals",
            Decide,
            withdrawal::negotiate_withdrawals,
            if day_starts
        ),
        step!("move_units", Move, movement::move_units),
        step!("tally_presence", Fight, presence::tally_presence),
        step!("strike_targets", Fight, shaping::strike_targets, if day_starts),
        step!("resolve_combat", Fight, combat::resolve_combat),
        step!("tally_presence", Fight, presence::tally_presence),
        step!("take_settlements", Fight, clear::take_settlements),
        step!("hold_settlements", Fight, hold::hold_settlements),
        step!("update_isolation", Sustain, isolation::update_isolation),
        step!("resupply_units", Sustain, resupply::resupply_units),
        step!("track_milestones", Record, milestones::track_milestones, if day_ends),
        step!("record_day", Record, record::record_day, if day_ends),
    ]
}

/// Adds every campaign system to `schedule`, chained in the order of [`campaign_steps`].
pub fn register_campaign_systems(schedule: &mut Schedule) {
    use CampaignSystems::*;
    schedule.configure_sets((Plan, Decide, Move, Fight, Sustain, Record).chain());
    let steps = campaign_steps();
    for (i, step) in steps.iter().enumerate() {
        (step.add)(schedule, StepSet(i));
        if i > 0 {
            schedule.configure_sets(StepSet(i).after(StepSet(i - 1)));
        }
    }
}
