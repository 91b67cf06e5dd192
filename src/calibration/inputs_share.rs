//! How much of an ensemble's spread comes from its uncertain inputs and how much from chance.
//!
//! A sweep of a scenario with uncertain parameters draws new inputs on every seed, so each figure's
//! spread mixes two sources. The split is read from the sweep itself, by regression: for each figure,
//! the R² of a standardized rank regression (SRRC, the farm's method: [`rank_regression`]) of the
//! figure on the drawn inputs is the share of its rank variance the inputs explain; the rest is
//! chance (the campaign's own randomness) together with whatever a monotone additive fit cannot see
//! (interactions, effects that change direction). A run where a day never came ranks after every
//! day that did. The figures go into `aggregate.json` under `"inputs"`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::uncertain::{UncertainInputs, input_column};
use crate::ensemble::{
    EnsembleError, JournalHeader, ResultWriter, SeedResult, SweepFiles, SweepIdentity,
    SweepOptions, SweepOutcome, run_ensemble,
};
use crate::farm::sensitivity::rank_regression;

/// What `aggregate.json` says of the inputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputsShare {
    /// How the split is computed, in words.
    pub method: &'static str,
    /// The uncertain parameters and their distributions.
    pub parameters: Vec<ParameterEntry>,
    /// Per figure: the share of its spread from the inputs and from chance.
    pub figures: Vec<FigureShare>,
}

/// One uncertain parameter as `aggregate.json` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterEntry {
    /// Its path as written.
    pub path: String,
    /// Its distribution's name.
    pub distribution: &'static str,
    /// Its 5 % quantile.
    pub p5: f64,
    /// Its median.
    pub p50: f64,
    /// Its 95 % quantile.
    pub p95: f64,
}

/// The split of one figure's spread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureShare {
    /// The figure (a `runs.csv` column).
    pub figure: String,
    /// Runs used.
    pub runs: usize,
    /// Runs where it never happened.
    pub censored: usize,
    /// R² of the rank regression on the inputs; `None` when there is none (constant figure…).
    pub from_inputs: Option<f64>,
    /// 1 − `from_inputs`.
    pub from_chance: Option<f64>,
}

/// The method, in words, as `aggregate.json` and the briefing state it.
pub const METHOD: &str = "R² of a standardized rank regression of the figure on the drawn inputs \
    (as phaseline farm): the share of its rank variance the inputs explain; the rest is chance \
    (the campaign's own randomness) and effects a monotone additive fit cannot see";

/// The split for every figure of `results` (in `figures` order, input columns left out).
pub fn inputs_share(
    inputs: &UncertainInputs,
    figures: &[String],
    results: &[SeedResult],
) -> InputsShare {
    let columns: Vec<usize> = inputs
        .params
        .iter()
        .filter_map(|p| figures.iter().position(|f| *f == input_column(&p.path)))
        .collect();
    let x: Vec<Vec<f64>> = results
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|&c| r.figures[c].unwrap_or(0.0))
                .collect()
        })
        .collect();
    let figures_out = figures
        .iter()
        .enumerate()
        .filter(|(i, _)| !columns.contains(i))
        .map(|(i, name)| {
            let y: Vec<Option<f64>> = results.iter().map(|r| r.figures[i]).collect();
            let fit = rank_regression(&x, &y).ok();
            FigureShare {
                figure: name.clone(),
                runs: y.len(),
                censored: y.iter().filter(|v| v.is_none()).count(),
                from_inputs: fit.as_ref().map(|f| f.r_squared),
                from_chance: fit.as_ref().map(|f| 1.0 - f.r_squared),
            }
        })
        .collect();
    InputsShare {
        method: METHOD,
        parameters: inputs
            .params
            .iter()
            .map(|p| {
                let (p5, p95) = p.distribution.p5_p95();
                ParameterEntry {
                    path: p.path.clone(),
                    distribution: p.distribution.name(),
                    p5,
                    p50: p.distribution.quantile(0.5),
                    p95,
                }
            })
            .collect(),
        figures: figures_out,
    }
}

/// A sweep's files with the inputs' share of the spread added to `aggregate.json`.
pub struct InputsSweepFiles<'a> {
    /// The uncertain parameters.
    pub inputs: &'a UncertainInputs,
}

impl ResultWriter for InputsSweepFiles<'_> {
    fn file_names(&self) -> Vec<&'static str> {
        SweepFiles.file_names()
    }

    fn write(
        &self,
        dir: &Path,
        header: &JournalHeader,
        results: &[SeedResult],
    ) -> Result<Vec<PathBuf>, EnsembleError> {
        let files = SweepFiles.write(dir, header, results)?;
        let share = inputs_share(self.inputs, &header.figures, results);
        let path = dir.join("aggregate.json");
        let text = std::fs::read_to_string(&path).map_err(EnsembleError::io(&path))?;
        let extra = crate::ensemble::json_bytes(&share, &path)?;
        let extra = String::from_utf8_lossy(&extra);
        // aggregate.json is one object: the section is added as its last member, so the figures
        // keep their order and bytes.
        let body = text.trim_end();
        let body = body.strip_suffix('}').unwrap_or(body).trim_end();
        let joined = format!("{body},\n  \"inputs\": {extra}\n}}\n");
        crate::ensemble::write_atomic(&path, joined.as_bytes())?;
        Ok(files)
    }
}

/// Runs a sweep with `runner`; when the scenario has uncertain parameters, `aggregate.json` also
/// says how much of each figure's spread they explain.
pub fn run_sweep(
    runner: &super::SampledRunner,
    identity: &SweepIdentity,
    options: &SweepOptions,
    out_dir: &Path,
) -> Result<SweepOutcome, EnsembleError> {
    match (&runner.inputs, runner.record_inputs) {
        (Some(inputs), true) => run_ensemble(
            runner,
            identity,
            options,
            out_dir,
            &InputsSweepFiles { inputs },
        ),
        _ => run_ensemble(runner, identity, options, out_dir, &SweepFiles),
    }
}
