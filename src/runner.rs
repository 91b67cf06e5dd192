//! The engine as the ensemble sees it: a [`SeedRunner`] over one checked scenario.
//!
//! Each seed builds its own World (nothing is shared between seeds but the read-only scenario), so
//! seeds run on any thread in any order and give the same figures as `phaseline run` of that seed.

use crate::ensemble::{SeedResult, SeedRunner};
use crate::results::{DailyRow, FIXED_FIGURES};
use crate::scenario::Scenario;
use crate::sim::simulate;
use std::sync::Arc;

/// Runs a scenario for any seed.
#[derive(Debug, Clone)]
pub struct ScenarioRunner {
    /// The checked scenario.
    pub scenario: Arc<Scenario>,
    /// Days to run (`None`: the whole scenario).
    pub days: Option<u32>,
}

impl SeedRunner for ScenarioRunner {
    fn figure_names(&self) -> Vec<String> {
        let mut names: Vec<String> = FIXED_FIGURES.iter().map(|s| (*s).to_owned()).collect();
        names.extend(
            self.scenario
                .phases
                .iter()
                .map(|p| crate::results::phase_figure(&p.name)),
        );
        names
    }

    fn series_names(&self) -> Vec<String> {
        DailyRow::NUMERIC_COLUMNS
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    }

    fn run_seed(&self, seed: u64) -> Result<SeedResult, String> {
        let output = simulate(self.scenario.clone(), seed, self.days).map_err(|e| e.to_string())?;
        Ok(SeedResult {
            seed,
            figures: output
                .summary
                .figures()
                .into_iter()
                .map(|(_, v)| v)
                .collect(),
            daily: output
                .timeseries
                .iter()
                .map(|r| r.numeric().to_vec())
                .collect(),
        })
    }
}
