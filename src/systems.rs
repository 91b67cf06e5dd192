//! The campaign systems, one file each, and their registration in the order DESIGN.md gives.
//!
//! The order is explicit (one chain), and each link has a reason:
//! 1. `apply_injects` first: the day's scheduled events are facts every decision must see.
//! 2. `advance_phase` before tasking: the attacker decides under the phase that holds today.
//! 3. `tally_presence` → `assign_tasks` → `reinforce_defenders` → `escape_objectives`: decisions
//!    read who stands where before anyone moves.
//! 4. `move_units`, then a fresh tally: combat needs who arrived.
//! 5. `strike_targets` before combat: the day's strikes shape the fight (C2, concentrations) and
//!    interdiction must be in place before isolation is recomputed.
//! 6. `resolve_combat`, tally, `take_settlements`: control follows who is left standing, and the
//!    garrisons it leaves exist before holding is assessed.
//! 7. `hold_settlements` after clearing: only settlements nobody is fighting over can revert.
//! 8. `update_isolation` after every change of control, interdiction or inject this tick, so the
//!    index and the minimum cut that tomorrow's tasking reads are current.
//! 9. `resupply_units` after isolation: convoys use today's route status.
//! 10. `record_day` last: the row is the state after everything else.

pub mod clear;
pub mod combat;
pub mod common;
pub mod escape;
pub mod hold;
pub mod injects;
pub mod isolation;
pub mod movement;
pub mod phases;
pub mod presence;
pub mod record;
pub mod reinforcement;
pub mod resupply;
pub mod shaping;
pub mod tasking;

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

/// Adds every campaign system to `schedule`, in order.
pub fn register_campaign_systems(schedule: &mut Schedule) {
    use CampaignSystems::*;
    schedule.configure_sets((Plan, Decide, Move, Fight, Sustain, Record).chain());
    schedule.add_systems(
        (injects::apply_injects, phases::advance_phase)
            .chain()
            .in_set(Plan),
    );
    schedule.add_systems(
        (
            presence::tally_presence,
            tasking::assign_tasks,
            reinforcement::reinforce_defenders,
            escape::escape_objectives,
        )
            .chain()
            .in_set(Decide),
    );
    schedule.add_systems(movement::move_units.in_set(Move));
    schedule.add_systems(
        (
            presence::tally_presence,
            shaping::strike_targets,
            combat::resolve_combat,
            presence::tally_presence,
            clear::take_settlements,
            hold::hold_settlements,
        )
            .chain()
            .in_set(Fight),
    );
    schedule.add_systems(
        (isolation::update_isolation, resupply::resupply_units)
            .chain()
            .in_set(Sustain),
    );
    schedule.add_systems(record::record_day.in_set(Record));
}
