//! `sensitivity.json` read into lenient typed views (the contract in `docs/output-formats.md`,
//! "Farm folder"), and each outcome and effect in the words the page uses for it.
//!
//! A coefficient or interval written as `null` (no regression: every run censored, a constant
//! outcome) reads as `None` and is said in words, never drawn as 0.

use std::path::Path;

use serde::Deserialize;

use super::super::error::BriefError;
use super::super::files::{read_json, value_text};
use super::super::words::{NBSP, capitalise, whole};

/// The `format` prefix a farm's `sensitivity.json` declares (`phaseline-farm/1`).
const FORMAT_PREFIX: &str = "phaseline-farm/";

/// `sensitivity.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Sensitivity {
    /// `phaseline-farm/1`.
    #[serde(default)]
    pub(crate) format: String,
    /// How the coefficients were computed, in words.
    #[serde(default)]
    pub(crate) method: String,
    /// The design's layout and quality.
    pub(crate) design: Design,
    /// The factors, in design order.
    #[serde(default)]
    pub(crate) factors: Vec<Factor>,
    /// One regression per outcome, in file order.
    #[serde(default)]
    pub(crate) outcomes: Vec<Outcome>,
}

/// The `design` block: how the points were laid out and how good the layout is.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Design {
    /// `latin_hypercube` or `full_factorial`.
    pub(crate) kind: String,
    /// Design points.
    pub(crate) points: u64,
    /// Seeds run at every point.
    pub(crate) seeds_per_point: u64,
    /// The seeds as written (`1..10`).
    #[serde(default)]
    pub(crate) seeds: serde_json::Value,
    /// Runs in all.
    pub(crate) runs: u64,
    /// Seed of the design search.
    #[serde(default)]
    pub(crate) design_seed: Option<u64>,
    /// Largest |Pearson r| between two factor columns.
    #[serde(default)]
    pub(crate) max_abs_correlation: Option<f64>,
    /// The two factors with that correlation.
    #[serde(default)]
    pub(crate) worst_pair: Option<(String, String)>,
    /// Smallest distance between two points, factors scaled to 0..1.
    #[serde(default)]
    pub(crate) min_distance: Option<f64>,
}

/// One factor: an assumption of the scenario varied over a range.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Factor {
    /// Its name, also its column in `design.csv` and `runs.csv`.
    pub(crate) name: String,
    /// The scenario field it sets, as `--set` names it.
    #[serde(default)]
    pub(crate) path: String,
    /// Lowest value.
    pub(crate) low: f64,
    /// Highest value.
    pub(crate) high: f64,
    /// Whether its values are whole numbers.
    #[serde(default)]
    pub(crate) integer: bool,
}

/// One factor's standardized rank regression coefficient (SRRC) on an outcome.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Effect {
    /// The factor's name.
    pub(crate) factor: String,
    /// The SRRC in [−1, 1]: positive when raising the factor raises the outcome.
    pub(crate) coefficient: Option<f64>,
    /// Lower end of its 95 % interval.
    pub(crate) ci95_low: Option<f64>,
    /// Upper end.
    pub(crate) ci95_high: Option<f64>,
}

/// A coefficient with both ends of its interval, all finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Estimate {
    /// The SRRC.
    pub(crate) coefficient: f64,
    /// Lower end of its 95 % interval.
    pub(crate) low: f64,
    /// Upper end.
    pub(crate) high: f64,
}

impl Estimate {
    /// Whether the interval excludes 0: the factor drives the outcome, in the coefficient's
    /// direction. Otherwise the page says "no clear effect".
    pub(crate) fn is_clear(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }

    /// `SRRC +0.56, 95 % CI +0.52 to +0.60`.
    pub(crate) fn words(&self) -> String {
        format!(
            "SRRC {}, 95{NBSP}%{NBSP}CI {} to {}",
            coef(self.coefficient),
            coef(self.low),
            coef(self.high)
        )
    }
}

impl Effect {
    /// The coefficient and its interval, when the file gives all three.
    pub(crate) fn estimate(&self) -> Option<Estimate> {
        let (coefficient, low, high) = (self.coefficient?, self.ci95_low?, self.ci95_high?);
        [coefficient, low, high]
            .iter()
            .all(|v| v.is_finite())
            .then_some(Estimate {
                coefficient,
                low,
                high,
            })
    }
}

/// A coefficient, signed, two decimals (`+0.56`, `−0.03`); one that rounds to zero keeps its
/// sign (`+0.00`, `−0.00`), so an interval that ends there still says which side of 0 it is on.
pub(crate) fn coef(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_owned();
    }
    let sign = match v.partial_cmp(&0.0) {
        Some(std::cmp::Ordering::Greater) => "+",
        Some(std::cmp::Ordering::Less) => "−",
        _ => "",
    };
    format!("{sign}{:.2}", v.abs())
}

/// R², two decimals (`0.87`, `0.60`).
pub(crate) fn r_squared(r: f64) -> String {
    format!("{r:.2}")
}

/// What an outcome measures, which decides how its direction is said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scale {
    /// A day (`isolation_day`): raising it is a delay.
    Day,
    /// Whether a day came at all (kind `reached`): raising it makes the event likelier.
    Reached,
    /// An amount (losses, an index): raising it is more.
    Amount,
}

/// One outcome's regression on the factors.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Outcome {
    /// Its id, also in its chart file names.
    pub(crate) outcome: String,
    /// The `runs.csv` column it comes from.
    pub(crate) column: String,
    /// `value` or `reached`.
    pub(crate) kind: String,
    /// Runs in the regression.
    #[serde(default)]
    pub(crate) runs: u64,
    /// Runs where the event never came (0 for kind `reached`).
    #[serde(default)]
    pub(crate) censored: u64,
    /// How much of the outcome's rank variance the factors explain together.
    #[serde(default)]
    pub(crate) r_squared: Option<f64>,
    /// Factor names by |coefficient|, largest first.
    #[serde(default)]
    pub(crate) ranking: Vec<String>,
    /// One per factor, in factor order.
    #[serde(default)]
    pub(crate) effects: Vec<Effect>,
    /// Why the coefficients are null, when they are.
    #[serde(default)]
    pub(crate) note: Option<String>,
}

impl Outcome {
    /// How its direction is said.
    pub(crate) fn scale(&self) -> Scale {
        if self.kind == "reached" {
            Scale::Reached
        } else if self.column.ends_with("_day") || self.column.starts_with("phase_start_") {
            Scale::Day
        } else {
            Scale::Amount
        }
    }

    /// The event a day stands for: `isolation`, `capture`, `phase Clear`.
    pub(crate) fn event(&self) -> String {
        match self.column.strip_prefix("phase_start_") {
            Some(phase) => format!("phase {phase}"),
            None => self
                .column
                .strip_suffix("_day")
                .unwrap_or(&self.column)
                .replace('_', " "),
        }
    }

    /// What it measures, in a sentence: `the isolation day`, `defender losses`, `whether capture
    /// happens at all`.
    pub(crate) fn what(&self) -> String {
        match self.scale() {
            Scale::Day => format!("the {} day", self.event()),
            Scale::Reached => format!("whether {} happens at all", self.event()),
            Scale::Amount => self.column.replace('_', " "),
        }
    }

    /// A short column heading: `Isolation day`, `Defender losses`, `Capture happens (yes/no)`.
    pub(crate) fn heading(&self) -> String {
        match self.scale() {
            Scale::Day => capitalise(&format!("{} day", self.event())),
            Scale::Reached => format!("{} happens (yes/no)", capitalise(&self.event())),
            Scale::Amount => capitalise(&self.what()),
        }
    }

    /// Which way a factor moves it, briefly: `later`, `more often`, `higher`.
    pub(crate) fn direction(&self, positive: bool) -> &'static str {
        match (self.scale(), positive) {
            (Scale::Day, true) => "later",
            (Scale::Day, false) => "earlier",
            (Scale::Reached, true) => "more often",
            (Scale::Reached, false) => "less often",
            (Scale::Amount, true) => "higher",
            (Scale::Amount, false) => "lower",
        }
    }

    /// The effect of `factor`, with its estimate when the file gives one.
    pub(crate) fn estimate_of(&self, factor: &str) -> Option<Estimate> {
        self.effects
            .iter()
            .find(|e| e.factor == factor)
            .and_then(Effect::estimate)
    }

    /// Factor names with their estimates, largest |coefficient| first: the file's ranking, then
    /// any factor it leaves out, in design order.
    pub(crate) fn ranked<'a>(
        &'a self,
        factors: &'a [Factor],
    ) -> Vec<(&'a Factor, Option<Estimate>)> {
        let mut order: Vec<&Factor> = self
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
            .map(|f| (f, self.estimate_of(&f.name)))
            .collect()
    }
}

/// A factor's value as the design file writes it: whole numbers with thousands separated, reals
/// as short as they are exact (`0.003`, `2`).
pub(crate) fn factor_value(v: f64, integer: bool) -> String {
    if integer || v.abs() >= 1000.0 || !v.is_finite() {
        return whole(v);
    }
    let text = format!("{}", v.abs());
    if v < 0.0 { format!("−{text}") } else { text }
}

/// The design kind in words: `nearly orthogonal Latin hypercube`, `full factorial`.
pub(crate) fn kind_words(kind: &str) -> String {
    match kind {
        "latin_hypercube" => "nearly orthogonal Latin hypercube".to_owned(),
        other => other.replace('_', " "),
    }
}

impl Design {
    /// The seeds as written (`1..10`).
    pub(crate) fn seeds_text(&self) -> String {
        value_text(&self.seeds)
    }
}

/// Reads `sensitivity.json` in `dir`, refusing another format than a farm's.
pub(crate) fn read(dir: &Path) -> Result<Sensitivity, BriefError> {
    let path = dir.join("sensitivity.json");
    let s: Sensitivity = read_json(&path)?;
    if !s.format.starts_with(FORMAT_PREFIX) {
        return Err(BriefError::Malformed {
            path,
            what: format!("format {:?}, expected {FORMAT_PREFIX}1", s.format),
        });
    }
    Ok(s)
}
