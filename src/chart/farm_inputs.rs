//! The input files of a farm folder (`sensitivity.json`, `runs.csv`, `manifest.json`), read and
//! checked before any drawing, so the tornado and top-factor charts can trust what they get: every
//! name they look up exists, and every outcome id is safe in a file name.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use super::error::ChartError;
use super::io::{Manifest, Table, malformed, read_json};
use super::render::is_stem_char;
use super::style::plain_name;

/// The `format` that `sensitivity.json` must declare.
pub(crate) const SENSITIVITY_FORMAT: &str = "phaseline-farm/1";

/// The `design` block of `sensitivity.json`: how the design points were laid out.
#[derive(Debug, Deserialize)]
pub(crate) struct Design {
    /// `latin_hypercube` or `full_factorial`.
    pub(crate) kind: String,
    /// Number of design points.
    pub(crate) points: u64,
    /// Seeds run at every point.
    pub(crate) seeds_per_point: u64,
    /// Largest |Pearson r| between two factor columns (values used); `None` with fewer than two.
    pub(crate) max_abs_correlation: Option<f64>,
    /// The two factors with that correlation.
    #[serde(default)]
    pub(crate) worst_pair: Option<(String, String)>,
}

/// One factor of the design.
#[derive(Debug, Deserialize)]
pub(crate) struct Factor {
    /// Its name, also its column in `runs.csv`.
    pub(crate) name: String,
    /// The scenario path it sets (`air.sorties_per_day`).
    #[serde(default)]
    pub(crate) path: String,
    /// Lowest value of the range.
    pub(crate) low: f64,
    /// Highest value of the range.
    pub(crate) high: f64,
}

/// Whether an outcome is a column's values or whether the column has a value at all.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum OutcomeKind {
    /// The column's values; an empty cell (never happened) ranks above every value.
    Value,
    /// 1 when the column's cell is non-empty, else 0.
    Reached,
}

/// One factor's standardized rank regression coefficient; `None` where the regression is
/// undefined. (`std_error` is in the file too; the charts draw the interval instead.)
#[derive(Debug, Deserialize)]
pub(crate) struct Effect {
    /// The factor's name.
    pub(crate) factor: String,
    /// The SRRC: positive when raising the factor raises the outcome.
    pub(crate) coefficient: Option<f64>,
    /// Lower end of its 95 % confidence interval.
    pub(crate) ci95_low: Option<f64>,
    /// Upper end.
    pub(crate) ci95_high: Option<f64>,
}

/// A coefficient and, when both ends are known, its 95 % confidence interval.
pub(crate) type Estimate = (f64, Option<(f64, f64)>);

impl Effect {
    /// The coefficient and its interval, when the file gives a coefficient.
    pub(crate) fn estimate(&self) -> Option<Estimate> {
        let c = self.coefficient.filter(|c| c.is_finite())?;
        let ci = self
            .ci95_low
            .zip(self.ci95_high)
            .filter(|(l, h)| l.is_finite() && h.is_finite());
        Some((c, ci))
    }
}

/// One outcome of `sensitivity.json`: its regression on the factors.
#[derive(Debug, Deserialize)]
pub(crate) struct Outcome {
    /// The outcome id (checked safe for a file name).
    pub(crate) outcome: String,
    /// The `runs.csv` column it comes from.
    pub(crate) column: String,
    /// Values, or whether there is a value.
    pub(crate) kind: OutcomeKind,
    /// Runs in the regression.
    pub(crate) runs: u64,
    /// Runs whose value is empty (0 for kind `reached`).
    pub(crate) censored: u64,
    /// R² of the rank regression.
    pub(crate) r_squared: Option<f64>,
    /// Factor names by |coefficient|, largest first.
    #[serde(default)]
    pub(crate) ranking: Vec<String>,
    /// One per factor, in factor order.
    pub(crate) effects: Vec<Effect>,
    /// Why the coefficients are null, when they are.
    #[serde(default)]
    pub(crate) note: Option<String>,
}

impl Outcome {
    /// Every factor once, with its effect if the file gives one: first in `ranking` order, then
    /// any factor the ranking leaves out, in factor order.
    pub(crate) fn ranked<'a>(
        &'a self,
        factors: &'a [Factor],
    ) -> Vec<(&'a Factor, Option<&'a Effect>)> {
        let mut names: Vec<&str> = self.ranking.iter().map(String::as_str).collect();
        for f in factors {
            if !names.contains(&f.name.as_str()) {
                names.push(&f.name);
            }
        }
        names
            .into_iter()
            .filter_map(|n| factors.iter().find(|f| f.name == n))
            .map(|f| (f, self.effects.iter().find(|e| e.factor == f.name)))
            .collect()
    }

    /// Whether the column is a day (`isolation_day`, `phase_start_Clear`).
    pub(crate) fn is_day(&self) -> bool {
        self.column.ends_with("_day") || self.column.starts_with("phase_start_")
    }

    /// What the outcome measures, in plain words: `the isolation day`, or for kind `reached`
    /// `whether isolation happens at all`.
    pub(crate) fn what(&self) -> String {
        match self.kind {
            OutcomeKind::Value => format!("the {}", plain_name(&self.column)),
            OutcomeKind::Reached => match self.column.strip_prefix("phase_start_") {
                Some(phase) => format!("whether phase {phase} starts at all"),
                None => format!("whether {} happens at all", self.event()),
            },
        }
    }

    /// What an axis shows: `isolation day`, or `runs where isolation happens (%)`.
    pub(crate) fn axis(&self) -> String {
        match self.kind {
            OutcomeKind::Value => plain_name(&self.column),
            OutcomeKind::Reached => format!("runs where {} happens (%)", self.event()),
        }
    }

    /// The event an empty cell says never came: `isolation` for `isolation_day`.
    pub(crate) fn event(&self) -> String {
        match self.column.strip_prefix("phase_start_") {
            Some(phase) => format!("phase {phase}"),
            None => plain_name(self.column.strip_suffix("_day").unwrap_or(&self.column)),
        }
    }
}

/// `sensitivity.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct Sensitivity {
    /// Must be [`SENSITIVITY_FORMAT`].
    pub(crate) format: String,
    /// The design's layout and quality.
    pub(crate) design: Design,
    /// The factors, in design order.
    pub(crate) factors: Vec<Factor>,
    /// One regression per outcome; one tornado and one top-factor chart each.
    pub(crate) outcomes: Vec<Outcome>,
}

impl Sensitivity {
    /// Refuses what the charts could not draw or name safely.
    fn check(&self, path: &Path) -> Result<(), ChartError> {
        if self.format != SENSITIVITY_FORMAT {
            return Err(malformed(
                path,
                format!("format {:?}, expected {SENSITIVITY_FORMAT:?}", self.format),
            ));
        }
        let mut names = BTreeSet::new();
        for (i, f) in self.factors.iter().enumerate() {
            if f.name.is_empty() || !names.insert(f.name.as_str()) {
                return Err(malformed(
                    path,
                    format!("factors[{i}]: name {:?} is empty or repeated", f.name),
                ));
            }
        }
        let mut ids = BTreeSet::new();
        for (i, o) in self.outcomes.iter().enumerate() {
            let at =
                |what: String| malformed(path, format!("outcomes[{i}] ({:?}): {what}", o.outcome));
            if o.outcome.is_empty() || !o.outcome.chars().all(is_stem_char) {
                return Err(at(
                    "an outcome id names chart files: only letters, digits, `_` and `-`".into(),
                ));
            }
            if !ids.insert(o.outcome.as_str()) {
                return Err(at("the outcome id is repeated".into()));
            }
            let mut seen = BTreeSet::new();
            for e in &o.effects {
                if !names.contains(e.factor.as_str()) || !seen.insert(e.factor.as_str()) {
                    return Err(at(format!(
                        "effects: factor {:?} is unknown or repeated",
                        e.factor
                    )));
                }
            }
            let mut seen = BTreeSet::new();
            for r in &o.ranking {
                if !names.contains(r.as_str()) || !seen.insert(r.as_str()) {
                    return Err(at(format!("ranking: factor {r:?} is unknown or repeated")));
                }
            }
        }
        Ok(())
    }
}

/// Everything a farm folder holds for its charts.
#[derive(Debug)]
pub(crate) struct FarmFiles {
    /// `manifest.json`.
    pub(crate) manifest: Manifest,
    /// `sensitivity.json`, checked.
    pub(crate) sensitivity: Sensitivity,
    /// `runs.csv`, with `point`, every factor and every outcome column checked present.
    pub(crate) runs: Table,
}

impl FarmFiles {
    /// Reads and checks the three files of a farm folder.
    pub(crate) fn load(dir: &Path) -> Result<Self, ChartError> {
        let manifest = Manifest::load(dir)?;
        let path = dir.join("sensitivity.json");
        let sensitivity: Sensitivity = read_json(&path)?;
        sensitivity.check(&path)?;
        let runs = Table::read(&dir.join("runs.csv"))?;
        let mut columns = vec!["point"];
        columns.extend(sensitivity.factors.iter().map(|f| f.name.as_str()));
        columns.extend(sensitivity.outcomes.iter().map(|o| o.column.as_str()));
        runs.require(&columns)?;
        Ok(Self {
            manifest,
            sensitivity,
            runs,
        })
    }
}
