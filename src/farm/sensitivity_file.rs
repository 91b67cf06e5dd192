//! `sensitivity.json`, the file that says which factors of a farm drive each outcome: one set of
//! types that the farm writes it with ([`super::files`]) and that the charts
//! ([`crate::chart`]) and the briefing page ([`crate::brief`]) read it back with. The contract is
//! `docs/output-formats.md` ("Farm folder").
//!
//! Writing: the fields serialize in declaration order, and floats go through
//! [`crate::fsio::json_bytes`] (Rust's `{}` text); a float that is `None` is written `null`, and the
//! writer stores a non-finite value as `None` (see [`finite`]).
//!
//! Reading is lenient where a file from an older or hand-edited farm may leave something out:
//! every field marked "may be absent" reads as its default (empty, 0, `false`, `None`), and an
//! `Option` float may be `null`. Checking what a reader needs (the format, known factor names, ids
//! that are safe in a file name) is left to that reader.

use serde::{Deserialize, Deserializer, Serialize};

/// The `format` this version writes.
pub const FORMAT: &str = "phaseline-farm/1";

/// What every version's `format` starts with.
pub const FORMAT_PREFIX: &str = "phaseline-farm/";

/// `sensitivity.json`: the design, its factors and one rank regression per outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityFile {
    /// The file's format, [`FORMAT`]. May be absent (reads as empty).
    #[serde(default)]
    pub format: String,
    /// How the coefficients were computed, in words. May be absent.
    #[serde(default)]
    pub method: String,
    /// The design's layout and quality.
    pub design: DesignSummary,
    /// The factors, in design order. May be absent.
    #[serde(default)]
    pub factors: Vec<FactorSummary>,
    /// One regression per outcome, in the order of the design's outcomes (each `value` outcome
    /// followed by its `reached` outcome, when it has one). May be absent.
    #[serde(default)]
    pub outcomes: Vec<OutcomeSummary>,
}

/// The `design` block: how the points were laid out and how good the layout is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignSummary {
    /// `latin_hypercube` or `full_factorial`.
    pub kind: String,
    /// Number of design points.
    pub points: u64,
    /// Seeds run at every point (the same seeds everywhere).
    pub seeds_per_point: u64,
    /// The seeds as the design file writes them (`1..10`). May be absent (reads as empty); a value
    /// that is not a string reads as its JSON text.
    #[serde(default, deserialize_with = "text_of_any")]
    pub seeds: String,
    /// Runs in all: points × seeds per point.
    pub runs: u64,
    /// Seed of the search for the layout (not of the runs). May be absent.
    #[serde(default)]
    pub design_seed: Option<u64>,
    /// Largest |Pearson r| between two factor columns of `design.csv`; `None` with fewer than two
    /// factors.
    #[serde(default)]
    pub max_abs_correlation: Option<f64>,
    /// The two factors with that correlation, written `[name, name]`. May be absent.
    #[serde(default)]
    pub worst_pair: Option<(String, String)>,
    /// Smallest Euclidean distance between two points, each factor scaled to 0..1. May be absent.
    #[serde(default)]
    pub min_distance: Option<f64>,
}

/// One factor: an assumption of the scenario varied over a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorSummary {
    /// Its name, also its column in `design.csv` and `runs.csv`.
    pub name: String,
    /// The scenario field it sets, as `--set` names it (`air.sorties_per_day`). May be absent.
    #[serde(default)]
    pub path: String,
    /// Lowest value of the range.
    pub low: f64,
    /// Highest value of the range.
    pub high: f64,
    /// Whether its values are whole numbers. May be absent (`false`).
    #[serde(default)]
    pub integer: bool,
}

/// Whether an outcome is a column's values or whether the column has a value at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeKind {
    /// `value`: the column's values; an empty cell (the event never came) ranks after every value.
    Value,
    /// `reached`: 1 when the column's cell is not empty, else 0.
    Reached,
}

/// One outcome's standardized rank regression on the factors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeSummary {
    /// Its id, also in its chart file names (`isolation_day`, `isolation_reached`).
    pub outcome: String,
    /// The `runs.csv` column it comes from.
    pub column: String,
    /// Values, or whether there is a value.
    pub kind: OutcomeKind,
    /// Runs in the regression. May be absent (0).
    #[serde(default)]
    pub runs: u64,
    /// Runs whose cell is empty: the event never came (0 for kind `reached`). May be absent (0).
    #[serde(default)]
    pub censored: u64,
    /// How much of the outcome's rank variance the factors explain together; `None` without a
    /// regression.
    #[serde(default)]
    pub r_squared: Option<f64>,
    /// Factor names by |coefficient|, largest first; empty without a regression. May be absent.
    #[serde(default)]
    pub ranking: Vec<String>,
    /// One per factor, in factor order. May be absent.
    #[serde(default)]
    pub effects: Vec<EffectSummary>,
    /// Why the coefficients are `null`, when they are.
    #[serde(default)]
    pub note: Option<String>,
}

/// One factor's standardized rank regression coefficient (SRRC) on an outcome; every number is
/// `None` where the regression is undefined (every run censored, a constant outcome).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectSummary {
    /// The factor's name.
    pub factor: String,
    /// The SRRC in [−1, 1]: positive when raising the factor raises the outcome (a later day).
    #[serde(default)]
    pub coefficient: Option<f64>,
    /// Its standard error.
    #[serde(default)]
    pub std_error: Option<f64>,
    /// Lower end of its 95 % confidence interval.
    #[serde(default)]
    pub ci95_low: Option<f64>,
    /// Upper end of its 95 % confidence interval.
    #[serde(default)]
    pub ci95_high: Option<f64>,
}

/// A coefficient with both ends of its 95 % interval, all finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The SRRC.
    pub coefficient: f64,
    /// Lower end of its 95 % interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Estimate {
    /// Whether the interval excludes 0: the factor drives the outcome, in the coefficient's
    /// direction.
    pub fn is_clear(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

impl EffectSummary {
    /// The coefficient, when the file gives a finite one.
    pub fn finite_coefficient(&self) -> Option<f64> {
        finite(self.coefficient)
    }

    /// Both ends of the 95 % interval, when the file gives both, finite.
    pub fn interval(&self) -> Option<(f64, f64)> {
        finite(self.ci95_low).zip(finite(self.ci95_high))
    }

    /// The coefficient and its interval, when the file gives all three, finite.
    pub fn estimate(&self) -> Option<Estimate> {
        let coefficient = self.finite_coefficient()?;
        let (low, high) = self.interval()?;
        Some(Estimate {
            coefficient,
            low,
            high,
        })
    }
}

impl OutcomeSummary {
    /// The effect of the factor named `factor`, if the file gives one.
    pub fn effect_of(&self, factor: &str) -> Option<&EffectSummary> {
        self.effects.iter().find(|e| e.factor == factor)
    }

    /// The estimate of the factor named `factor`, when the file gives all three numbers.
    pub fn estimate_of(&self, factor: &str) -> Option<Estimate> {
        self.effect_of(factor).and_then(EffectSummary::estimate)
    }

    /// Every factor with its effect if the file gives one, largest |coefficient| first: the
    /// factors of `ranking` (names not in `factors` skipped), then any factor the ranking leaves
    /// out, in design order.
    pub fn ranked<'a>(
        &'a self,
        factors: &'a [FactorSummary],
    ) -> Vec<(&'a FactorSummary, Option<&'a EffectSummary>)> {
        let mut order: Vec<&FactorSummary> = self
            .ranking
            .iter()
            .filter_map(|name| factors.iter().find(|f| &f.name == name))
            .collect();
        for f in factors {
            if !order.iter().any(|o| o.name == f.name) {
                order.push(f);
            }
        }
        order
            .into_iter()
            .map(|f| (f, self.effect_of(&f.name)))
            .collect()
    }

    /// [`Self::ranked`], each effect as its [`Estimate`] when it has all three numbers.
    pub fn ranked_estimates<'a>(
        &'a self,
        factors: &'a [FactorSummary],
    ) -> Vec<(&'a FactorSummary, Option<Estimate>)> {
        self.ranked(factors)
            .into_iter()
            .map(|(f, e)| (f, e.and_then(EffectSummary::estimate)))
            .collect()
    }

    /// Whether the column is a day (`isolation_day`, `phase_start_Clear`).
    pub fn is_day(&self) -> bool {
        self.column.ends_with("_day") || self.column.starts_with("phase_start_")
    }

    /// The event an empty cell of the column says never came: `isolation` for `isolation_day`,
    /// `phase Clear` for `phase_start_Clear`.
    pub fn event(&self) -> String {
        match self.column.strip_prefix("phase_start_") {
            Some(phase) => format!("phase {phase}"),
            None => self
                .column
                .strip_suffix("_day")
                .unwrap_or(&self.column)
                .replace('_', " "),
        }
    }
}

/// `v` when it is finite: how the writer stores a float (a non-finite one is written `null`).
pub fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

/// A JSON string as it is, any other JSON value as its JSON text (`7`, `null`).
fn text_of_any<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effect(coefficient: Option<f64>, low: Option<f64>, high: Option<f64>) -> EffectSummary {
        EffectSummary {
            factor: "a".to_owned(),
            coefficient,
            std_error: None,
            ci95_low: low,
            ci95_high: high,
        }
    }

    #[test]
    fn an_estimate_needs_all_three_numbers_finite() {
        let full = effect(Some(0.5), Some(0.25), Some(0.75));
        assert_eq!(
            full.estimate(),
            Some(Estimate {
                coefficient: 0.5,
                low: 0.25,
                high: 0.75
            })
        );
        assert!(full.estimate().is_some_and(|e| e.is_clear()));
        let open = effect(Some(0.5), Some(-0.25), None);
        assert_eq!(open.estimate(), None);
        assert_eq!(open.finite_coefficient(), Some(0.5));
        assert_eq!(open.interval(), None);
        assert_eq!(
            effect(Some(f64::NAN), Some(0.0), Some(1.0)).estimate(),
            None
        );
        let unclear = effect(Some(0.1), Some(-0.1), Some(0.3)).estimate();
        assert!(unclear.is_some_and(|e| !e.is_clear()));
        assert!(FORMAT.starts_with(FORMAT_PREFIX));
    }

    #[test]
    fn a_sparse_file_reads_with_defaults_and_the_ranking_completes_the_factors() {
        let text = r#"{"design": {"kind": "full_factorial", "points": 4, "seeds_per_point": 2,
            "seeds": 7, "runs": 8},
          "factors": [{"name": "a", "low": 0, "high": 1}, {"name": "b", "low": 1, "high": 2}],
          "outcomes": [{"outcome": "x_day", "column": "x_day", "kind": "value",
            "ranking": ["b", "ghost"],
            "effects": [{"factor": "b", "coefficient": -0.4, "ci95_low": -0.6, "ci95_high": -0.2}]}]}"#;
        let file: SensitivityFile = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file.format, "");
        assert_eq!(file.design.seeds, "7");
        assert_eq!(file.design.design_seed, None);
        let o = &file.outcomes[0];
        assert!(o.is_day());
        assert_eq!(o.event(), "x");
        let ranked: Vec<(&str, bool)> = o
            .ranked_estimates(&file.factors)
            .into_iter()
            .map(|(f, e)| (f.name.as_str(), e.is_some()))
            .collect();
        assert_eq!(ranked, [("b", true), ("a", false)]);
        assert!(
            serde_json::from_str::<OutcomeKind>(r#""sometimes""#).is_err(),
            "an unknown kind is refused"
        );
    }
}
