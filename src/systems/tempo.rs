//! Tempo: the attacker's operational pauses.
//!
//! Campaigns do not advance at a steady rate: forces stop to regroup, resupply, rotate units,
//! wait out politics or weather, then go on (MODEL.md: random pauses and decision delays give
//! ensembles honest spread). At the start of each day that is not already in a pause, a pause
//! begins with probability 1 − e^(−`pause_rate_per_day`) and lasts an exponential number of days
//! with mean `pause_mean_days`, rounded up to whole days. While it lasts the attacker's manoeuvre
//! units take no new orders (tasking) and do not advance (movement); fights already joined, the
//! air campaign, logistics and the defender all go on. Drawn on the day clock from its own stream,
//! so the tick length does not change it.

use crate::ids::Side;
use crate::model::{Campaign, Clock, EventKind, EventLog, RunSeed, Theatre};
use crate::rng::{Salt, chance, fnv1a, stream, uniform};
use bevy_ecs::prelude::*;

/// Draws whether a pause starts today.
pub fn draw_pauses(
    clock: Res<Clock>,
    seed: Res<RunSeed>,
    theatre: Res<Theatre>,
    mut campaign: ResMut<Campaign>,
    mut log: ResMut<EventLog>,
) {
    let day = clock.day();
    let doctrine = &theatre.scenario.sides[Side::Attacker];
    if campaign.paused(day) || doctrine.pause_rate_per_day <= 0.0 {
        return;
    }
    let mut rng = stream(seed.0, Salt::Tempo, fnv1a(b"pause"), day);
    if !chance(&mut rng, 1.0 - libm::exp(-doctrine.pause_rate_per_day)) {
        return;
    }
    let days = pause_days(uniform(&mut rng), doctrine.pause_mean_days);
    if days == 0 {
        return;
    }
    campaign.paused_until_day = day + days;
    log.push(
        day,
        EventKind::Pause,
        theatre.scenario.sides[Side::Attacker].name.clone(),
        format!("operational pause for {days} days"),
    );
}

/// Whole days of a pause with mean `mean_days`, from a uniform draw `u` in [0, 1).
pub fn pause_days(u: f64, mean_days: f64) -> u32 {
    if mean_days <= 0.0 {
        return 0;
    }
    let days = -mean_days * libm::log(1.0 - u);
    libm::ceil(days).clamp(1.0, 3650.0) as u32
}

#[cfg(test)]
mod tests {
    use super::pause_days;

    #[test]
    fn pause_lengths_are_exponential_with_the_stated_mean() {
        // Inverse transform: u = 1 − e^(−1) is one mean; ceil adds half a day on average.
        assert_eq!(pause_days(1.0 - (-1.0f64).exp(), 5.0), 5);
        assert_eq!(pause_days(0.0, 5.0), 1);
        assert_eq!(pause_days(0.5, 0.0), 0);
        let n = 20_000;
        let mean = (0..n)
            .map(|i| f64::from(pause_days((f64::from(i) + 0.5) / f64::from(n), 5.0)))
            .sum::<f64>()
            / f64::from(n);
        assert!((mean - 5.5).abs() < 0.1, "mean {mean}");
    }
}
