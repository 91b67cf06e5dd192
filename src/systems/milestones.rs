//! Milestones: the days an objective was isolated and taken, counted only when the state held.
//!
//! A city taken and lost again two days later was not taken; an index that touches the threshold
//! for an afternoon did not isolate anything. At each day's end every objective's two states are
//! observed (isolation index ≥ `isolation_threshold`; the attacker controls it) and fed to its
//! [`Milestone`](crate::model::Milestone): a milestone's day is the first day of the first spell
//! that lasted `milestone_hold_days`, and every spell that ended counts as a loss. Events mark each
//! spell's start and end on the day it happens.

use super::common::{NodeControls, control_by_node};
use crate::ids::Side;
use crate::model::{Clock, EventKind, EventLog, Isolation, SpellChange, Theatre};
use bevy_ecs::prelude::*;

/// Observes every objective at the end of the day.
pub fn track_milestones(
    clock: Res<Clock>,
    theatre: Res<Theatre>,
    mut isolation: ResMut<Isolation>,
    mut log: ResMut<EventLog>,
    controls: NodeControls,
) {
    let scenario = &theatre.scenario;
    let (day, hold_days) = (clock.day(), scenario.meta.milestone_hold_days);
    let control = control_by_node(&theatre, &controls);
    for (objective, state) in scenario.objectives.iter().zip(&mut isolation.objectives) {
        let place = &scenario.settlements[objective.settlement];
        let isolated = state.isolation_index >= scenario.meta.isolation_threshold;
        match state.isolated.observe(day, isolated, hold_days) {
            SpellChange::Began => log.push(
                day,
                EventKind::Isolation,
                place.name.clone(),
                format!(
                    "{} is isolated (index {:.3})",
                    place.name, state.isolation_index
                ),
            ),
            SpellChange::Ended => log.push(
                day,
                EventKind::Isolation,
                place.name.clone(),
                format!(
                    "{} is no longer isolated (index {:.3})",
                    place.name, state.isolation_index
                ),
            ),
            SpellChange::Same => {}
        }
        let taken = control[objective.settlement] == Side::Attacker;
        match state.taken.observe(day, taken, hold_days) {
            SpellChange::Began => log.push(
                day,
                EventKind::Capture,
                place.id.clone(),
                format!("{} is taken", place.name),
            ),
            SpellChange::Ended => log.push(
                day,
                EventKind::Capture,
                place.id.clone(),
                format!("{} is lost again", place.name),
            ),
            SpellChange::Same => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Milestone, SpellChange};

    #[test]
    fn a_spell_counts_once_it_has_held_for_the_given_days() {
        let mut m = Milestone::default();
        // Taken on day 10, lost on day 12 (held days 10 and 11), taken again on day 15 for good.
        let held = |d: u32| (10..12).contains(&d) || d >= 15;
        let changes: Vec<SpellChange> = (0..30).map(|d| m.observe(d, held(d), 7)).collect();
        assert_eq!(changes[10], SpellChange::Began);
        assert_eq!(changes[12], SpellChange::Ended);
        assert_eq!(changes[15], SpellChange::Began);
        assert_eq!(m.reached, Some(15));
        assert_eq!(m.lost, 1);
        assert_eq!(m.day(), Some(15));
    }

    #[test]
    fn a_spell_still_going_at_the_end_counts_however_short() {
        let mut m = Milestone::default();
        (0..20).for_each(|d| {
            m.observe(d, d >= 18, 7);
        });
        assert_eq!((m.reached, m.day(), m.lost), (None, Some(18), 0));
    }

    #[test]
    fn one_day_is_enough_when_the_hold_is_one_day() {
        let mut m = Milestone::default();
        m.observe(3, true, 1);
        m.observe(4, false, 1);
        assert_eq!((m.reached, m.lost), (Some(3), 1));
    }
}
