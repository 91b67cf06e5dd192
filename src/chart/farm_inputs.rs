//! The input files of a farm folder (`sensitivity.json`, `runs.csv`, `manifest.json`), read and
//! checked before any drawing, so the tornado and top-factor charts can trust what they get: every
//! name they look up exists, and every outcome id is safe in a file name.
//!
//! `sensitivity.json` reads into the farm's own [`SensitivityFile`]; what is the charts' own stays
//! here: their [`Estimate`] (a coefficient is drawn even without an interval) and their words for
//! an outcome ([`OutcomeText`]).

use std::collections::BTreeSet;
use std::path::Path;

use super::error::ChartError;
use super::io::{Manifest, Table, malformed, read_json};
use super::render::is_stem_char;
use super::style::plain_name;
use crate::farm::sensitivity_file::{
    EffectSummary, FORMAT, OutcomeKind, OutcomeSummary, SensitivityFile,
};

/// A coefficient as a chart draws it: finite, with its 95 % interval when both ends are finite
/// (a bar without an interval is still drawn, marked "no interval").
pub(crate) type Estimate = (f64, Option<(f64, f64)>);

/// The coefficient of `effect` and its interval, when the file gives a coefficient.
pub(crate) fn estimate(effect: &EffectSummary) -> Option<Estimate> {
    Some((effect.finite_coefficient()?, effect.interval()))
}

/// An outcome in the words of the charts' titles and axes.
pub(crate) trait OutcomeText {
    /// What the outcome measures, in plain words: `the isolation day`, or for kind `reached`
    /// `whether isolation happens at all`.
    fn what(&self) -> String;
    /// What an axis shows: `isolation day`, or `runs where isolation happens (%)`.
    fn axis(&self) -> String;
}

impl OutcomeText for OutcomeSummary {
    fn what(&self) -> String {
        match self.kind {
            OutcomeKind::Value => format!("the {}", plain_name(&self.column)),
            OutcomeKind::Reached => match self.column.strip_prefix("phase_start_") {
                Some(phase) => format!("whether phase {phase} starts at all"),
                None => format!("whether {} happens at all", self.event()),
            },
        }
    }

    fn axis(&self) -> String {
        match self.kind {
            OutcomeKind::Value => plain_name(&self.column),
            OutcomeKind::Reached => format!("runs where {} happens (%)", self.event()),
        }
    }
}

/// Refuses a `sensitivity.json` that the charts could not draw or name safely: another format
/// than [`FORMAT`], a factor name empty or repeated, an outcome id that is no plain file name or
/// is repeated, an effect or ranking of a factor that is unknown or repeated.
fn check(s: &SensitivityFile, path: &Path) -> Result<(), ChartError> {
    if s.format != FORMAT {
        return Err(malformed(
            path,
            format!("format {:?}, expected {FORMAT:?}", s.format),
        ));
    }
    let mut names = BTreeSet::new();
    for (i, f) in s.factors.iter().enumerate() {
        if f.name.is_empty() || !names.insert(f.name.as_str()) {
            return Err(malformed(
                path,
                format!("factors[{i}]: name {:?} is empty or repeated", f.name),
            ));
        }
    }
    let mut ids = BTreeSet::new();
    for (i, o) in s.outcomes.iter().enumerate() {
        let at = |what: String| malformed(path, format!("outcomes[{i}] ({:?}): {what}", o.outcome));
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

/// Everything a farm folder holds for its charts.
#[derive(Debug)]
pub(crate) struct FarmFiles {
    /// `manifest.json`.
    pub(crate) manifest: Manifest,
    /// `sensitivity.json`, checked.
    pub(crate) sensitivity: SensitivityFile,
    /// `runs.csv`, with `point`, every factor and every outcome column checked present.
    pub(crate) runs: Table,
}

impl FarmFiles {
    /// Reads and checks the three files of a farm folder.
    pub(crate) fn load(dir: &Path) -> Result<Self, ChartError> {
        let manifest = Manifest::load(dir)?;
        let path = dir.join("sensitivity.json");
        let sensitivity: SensitivityFile = read_json(&path)?;
        check(&sensitivity, &path)?;
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
