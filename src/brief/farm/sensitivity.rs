//! `sensitivity.json` read into the farm's own lenient [`SensitivityFile`] (the contract in
//! `docs/output-formats.md`, "Farm folder"), and each outcome and effect in the words the page uses
//! for it ([`OutcomeWords`], [`estimate_words`], [`coef`]).
//!
//! A coefficient or interval written as `null` (no regression: every run censored, a constant
//! outcome) reads as `None` and is said in words, never drawn as 0.

use std::path::Path;

use super::super::error::BriefError;
use super::super::files::read_json;
use super::super::words::{NBSP, capitalise, whole};
use crate::farm::sensitivity_file::{
    Estimate, FORMAT, FORMAT_PREFIX, OutcomeKind, OutcomeSummary, SensitivityFile,
};

/// `SRRC +0.56, 95 % CI +0.52 to +0.60`.
pub(crate) fn estimate_words(e: &Estimate) -> String {
    format!(
        "SRRC {}, 95{NBSP}%{NBSP}CI {} to {}",
        coef(e.coefficient),
        coef(e.low),
        coef(e.high)
    )
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

/// An outcome in the words of the page.
pub(crate) trait OutcomeWords {
    /// How its direction is said.
    fn scale(&self) -> Scale;
    /// What it measures, in a sentence: `the isolation day`, `defender losses`, `whether capture
    /// happens at all`.
    fn what(&self) -> String;
    /// A short column heading: `Isolation day`, `Defender losses`, `Capture happens (yes/no)`.
    fn heading(&self) -> String;
    /// Which way a factor moves it, briefly: `later`, `more often`, `higher`.
    fn direction(&self, positive: bool) -> &'static str;
}

impl OutcomeWords for OutcomeSummary {
    fn scale(&self) -> Scale {
        match self.kind {
            OutcomeKind::Reached => Scale::Reached,
            OutcomeKind::Value if self.is_day() => Scale::Day,
            OutcomeKind::Value => Scale::Amount,
        }
    }

    fn what(&self) -> String {
        match self.scale() {
            Scale::Day => format!("the {} day", self.event()),
            Scale::Reached => format!("whether {} happens at all", self.event()),
            Scale::Amount => self.column.replace('_', " "),
        }
    }

    fn heading(&self) -> String {
        match self.scale() {
            Scale::Day => capitalise(&format!("{} day", self.event())),
            Scale::Reached => format!("{} happens (yes/no)", capitalise(&self.event())),
            Scale::Amount => capitalise(&self.what()),
        }
    }

    fn direction(&self, positive: bool) -> &'static str {
        match (self.scale(), positive) {
            (Scale::Day, true) => "later",
            (Scale::Day, false) => "earlier",
            (Scale::Reached, true) => "more often",
            (Scale::Reached, false) => "less often",
            (Scale::Amount, true) => "higher",
            (Scale::Amount, false) => "lower",
        }
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

/// Reads `sensitivity.json` in `dir`, refusing another format than a farm's.
pub(crate) fn read(dir: &Path) -> Result<SensitivityFile, BriefError> {
    let path = dir.join("sensitivity.json");
    let s: SensitivityFile = read_json(&path)?;
    if !s.format.starts_with(FORMAT_PREFIX) {
        return Err(BriefError::Malformed {
            path,
            what: format!("format {:?}, expected {FORMAT}", s.format),
        });
    }
    Ok(s)
}
