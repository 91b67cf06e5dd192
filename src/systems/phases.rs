//! Phases: the attacker's campaign plan switches phase when the next phase's trigger holds.
//!
//! The plan runs one or more lines of effort side by side (Raqqa and Mosul were both entered weeks
//! before they were sealed off while other formations still worked the ring): each line has its
//! own phases, in file order, the first starting on day 0, and tasks only its own units. Evaluated
//! at the start of each day, line by line, one phase at a time and in order, so a line's phases
//! always start in the order written. A trigger's conditions — a day reached, the primary objective's isolation
//! index at least x on d consecutive days (the first day it holds counts as day 1, so `for_days = 7`
//! starts the phase on the 7th such day), a share of an area's villages held by the attacker —
//! combine with `all` (default) or `any`. An area with no village holds no share (0, never "all
//! held"); validation refuses such a trigger. A phase whose trigger never holds never starts, and
//! neither do the ones after it.

use super::common::{NodeControls, control_by_node};
use crate::ids::Side;
use crate::model::{Campaign, Clock, EventKind, EventLog, Isolation, Theatre};
use crate::scenario::{Trigger, TriggerMode};
use bevy_ecs::prelude::*;

/// Starts, line by line, the next phase of each line of effort when its trigger holds.
pub fn advance_phase(
    clock: Res<Clock>,
    theatre: Res<Theatre>,
    isolation: Res<Isolation>,
    mut campaign: ResMut<Campaign>,
    mut log: ResMut<EventLog>,
    controls: NodeControls,
) {
    if !clock.is_day_start() {
        return;
    }
    let scenario = &theatre.scenario;
    let day = clock.day();
    let several = scenario.lines.len() > 1;
    let begin = |campaign: &mut Campaign, log: &mut EventLog, phase: usize| {
        campaign.phase_start_days[phase] = Some(day);
        let p = &scenario.phases[phase];
        let on_line = if several {
            format!(" on line \"{}\"", scenario.lines[p.line])
        } else {
            String::new()
        };
        log.push(
            day,
            EventKind::Phase,
            p.name.clone(),
            format!("phase \"{}\" begins{on_line}", p.name),
        );
    };
    if day == 0 {
        for phase in campaign.current.clone() {
            if campaign.phase_start_days[phase].is_none() {
                begin(&mut campaign, &mut log, phase);
            }
        }
    }
    let index = isolation
        .objectives
        .first()
        .map_or(0.0, |o| o.isolation_index);
    let control = control_by_node(&theatre, &controls);
    for line in 0..campaign.current.len() {
        let Some(next) = scenario.next_phase_in_line(campaign.current[line]) else {
            continue;
        };
        let t = &scenario.phases[next].trigger;
        if t.isolation_at_least.is_some_and(|x| index >= x) {
            campaign.isolation_streak_days[line] += 1;
        } else {
            campaign.isolation_streak_days[line] = 0;
        }
        let share = villages_held_share(t, &control);
        if !trigger_holds(t, day, campaign.isolation_streak_days[line], share) {
            continue;
        }
        campaign.current[line] = next;
        campaign.isolation_streak_days[line] = 0;
        begin(&mut campaign, &mut log, next);
    }
}

/// Share of the trigger's area the attacker controls (0 for an empty area: nothing there is held).
pub fn villages_held_share(trigger: &Trigger, control: &[Side]) -> f64 {
    if trigger.area.is_empty() {
        return 0.0;
    }
    trigger
        .area
        .iter()
        .filter(|&&n| control[n] == Side::Attacker)
        .count() as f64
        / trigger.area.len() as f64
}

/// Whether a trigger holds on `day`, given how many consecutive days its isolation condition has held
/// (counting today) and the share of its area held. The isolation condition holds once it has held
/// on `for_days` consecutive days, today included (at least today: `for_days = 0` means today).
pub fn trigger_holds(t: &Trigger, day: u32, isolation_streak_days: u32, area_share: f64) -> bool {
    let mut conditions = Vec::with_capacity(3);
    if let Some(d) = t.day {
        conditions.push(f64::from(day) >= d);
    }
    if t.isolation_at_least.is_some() {
        conditions.push(
            isolation_streak_days >= 1 && f64::from(isolation_streak_days) >= t.for_days.max(1.0),
        );
    }
    if let Some(x) = t.villages_held_share {
        conditions.push(area_share >= x);
    }
    match t.mode.unwrap_or(TriggerMode::All) {
        TriggerMode::All => !conditions.is_empty() && conditions.iter().all(|c| *c),
        TriggerMode::Any => conditions.iter().any(|c| *c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trigger(f: impl FnOnce(&mut Trigger)) -> Trigger {
        let mut t = Trigger::default();
        f(&mut t);
        t
    }

    #[test]
    fn day_trigger() {
        let t = trigger(|t| t.day = Some(10.0));
        assert!(!trigger_holds(&t, 9, 0, 0.0));
        assert!(trigger_holds(&t, 10, 0, 0.0));
    }

    #[test]
    fn isolation_must_hold_for_the_given_days() {
        let t = trigger(|t| {
            t.isolation_at_least = Some(0.9);
            t.for_days = 2.0;
        });
        assert!(!trigger_holds(&t, 5, 0, 0.0));
        assert!(!trigger_holds(&t, 5, 1, 0.0));
        assert!(trigger_holds(&t, 5, 2, 0.0), "the 2nd consecutive day");
        assert!(trigger_holds(&t, 5, 3, 0.0));
    }

    #[test]
    fn for_days_zero_or_one_means_today() {
        for d in [0.0, 1.0] {
            let t = trigger(|t| {
                t.isolation_at_least = Some(0.9);
                t.for_days = d;
            });
            assert!(!trigger_holds(&t, 5, 0, 0.0));
            assert!(trigger_holds(&t, 5, 1, 0.0));
        }
    }

    #[test]
    fn an_empty_area_is_not_held() {
        let t = trigger(|t| t.villages_held_share = Some(0.7));
        assert_eq!(
            villages_held_share(&t, &[Side::Attacker, Side::Attacker]),
            0.0
        );
        assert!(!trigger_holds(
            &t,
            5,
            0,
            villages_held_share(&t, &[Side::Attacker])
        ));
    }

    #[test]
    fn all_and_any_combine_conditions() {
        let mut t = trigger(|t| {
            t.day = Some(90.0);
            t.villages_held_share = Some(1.0);
        });
        assert!(!trigger_holds(&t, 95, 0, 0.5));
        t.mode = Some(TriggerMode::Any);
        assert!(trigger_holds(&t, 95, 0, 0.5));
        assert!(trigger_holds(&t, 10, 0, 1.0));
        assert!(!trigger_holds(&t, 10, 0, 0.5));
    }

    #[test]
    fn a_trigger_without_conditions_never_holds_under_all() {
        assert!(!trigger_holds(&Trigger::default(), 1000, 1000, 1.0));
    }
}
