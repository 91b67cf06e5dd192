//! `summary.json` read back: a lenient view of [`crate::results::Summary`] for the charts and the
//! briefing pages. Every figure is optional (a float written as `null` — censored, or not finite —
//! reads as `None`, never 0) and unknown keys are ignored, so an older or newer engine's files
//! still draw; a test checks that every name here is one the writer writes.

use serde::{Deserialize, Serialize};

/// A value per side.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize)]
pub struct PerSide {
    /// The attacker's value.
    pub attacker: Option<f64>,
    /// The defender's value.
    pub defender: Option<f64>,
}

/// One phase of a run and the day it started (`None`: never reached).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct PhaseStart {
    /// Phase name as the scenario writes it.
    pub name: String,
    /// First day of the phase.
    pub start_day: Option<f64>,
}

/// `summary.json`: a run's outcome figures.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Summary {
    /// Seed of the run (0 when absent).
    #[serde(default)]
    pub seed: u64,
    /// Days simulated (0 when absent).
    #[serde(default)]
    pub days_simulated: f64,
    /// Id of the primary objective settlement.
    #[serde(default)]
    pub primary_objective: String,
    /// Day the objective was isolated.
    pub isolation_day: Option<f64>,
    /// Day it was taken.
    pub capture_day: Option<f64>,
    /// Phases in order.
    #[serde(default)]
    pub phases: Vec<PhaseStart>,
    /// Isolation index on the last day.
    pub final_isolation_index: Option<f64>,
    /// Settlements controlled at the end.
    #[serde(default)]
    pub settlements_controlled: PerSide,
    /// Villages held at the end.
    #[serde(default)]
    pub villages_held: PerSide,
    /// Fighters on day 0.
    #[serde(default)]
    pub strength_start: PerSide,
    /// Fighters lost.
    #[serde(default)]
    pub losses: PerSide,
    /// Losses as a share of the starting strength plus reinforcements.
    #[serde(default)]
    pub loss_share: PerSide,
    /// Defender fighters who left through the back door.
    pub escaped_fighters: Option<f64>,
    /// Fighters the defender's reserve sent.
    pub reinforced_fighters: Option<f64>,
    /// Consumption that could not be met, tons.
    pub supply_shortfall_tons: Option<f64>,
    /// Cumulative civilian-harm index.
    pub civilian_harm_index: Option<f64>,
    /// People displaced by fighting.
    pub displaced_civilians: Option<f64>,
    /// Civilian harm index by the end of the capture day (absent: never taken, or an older file).
    #[serde(default)]
    pub civilian_harm_to_capture: Option<f64>,
    /// Civilian harm index added after the capture day.
    #[serde(default)]
    pub civilian_harm_after_capture: Option<f64>,
    /// People displaced by the end of the capture day.
    #[serde(default)]
    pub displaced_to_capture: Option<f64>,
    /// People displaced after the capture day.
    #[serde(default)]
    pub displaced_after_capture: Option<f64>,
    /// Lowest defender C2 of the run.
    pub min_defender_c2: Option<f64>,
    /// Air sorties flown.
    pub sorties_flown: Option<f64>,
}

#[cfg(test)]
mod tests {
    /// Every name the view reads is one the writer writes: a renamed figure would otherwise read as
    /// `None` without a word.
    #[test]
    fn the_view_reads_only_names_the_writer_writes() {
        let written: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/golden/tiny-seed-1.summary.json"))
                .unwrap_or_default();
        let view: super::Summary =
            serde_json::from_value(written.clone()).unwrap_or_else(|e| panic!("{e}"));
        let read = serde_json::to_value(&view).unwrap_or_default();
        let obj = read.as_object().cloned().unwrap_or_default();
        assert!(!obj.is_empty());
        for (key, value) in obj {
            assert!(
                written.get(&key).is_some(),
                "the view reads `{key}`, which summary.json lacks"
            );
            if let Some(pair) = value.as_object() {
                for side in pair.keys() {
                    assert!(written[&key].get(side).is_some(), "{key}.{side}");
                }
            }
        }
    }
}
