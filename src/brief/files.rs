//! Reading the saved result files (the contract in `docs/output-formats.md`): JSON documents into
//! lenient typed views, CSV tables by column name, and JSON objects in their written order.
//!
//! Only the fields the page shows are read; unknown fields are ignored, so a newer engine's files
//! still brief. A float written as `null` (censored, or not finite) reads as `None`, never as 0.

use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::error::BriefError;

pub(crate) use crate::output::Manifest;

pub(crate) use crate::results::read::Table;

/// Reads a whole file, or says which file could not be read.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, BriefError> {
    Ok(crate::results::read::read_bytes(path)?)
}

/// Reads and parses a JSON file into `T`.
pub(crate) fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, BriefError> {
    Ok(crate::results::read::read_json(path)?)
}

pub(crate) use crate::results::Ordered;
pub(crate) use crate::results::read::{PerSide, Summary};

/// A side in `snapshots.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SnapSide {
    /// Display name.
    pub(crate) name: String,
    /// `attacker` or `defender`.
    pub(crate) role: String,
}

/// A settlement in `snapshots.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SnapSettlement {
    /// Its id.
    pub(crate) id: String,
    /// Display name.
    pub(crate) name: String,
    /// Whether it is an objective.
    #[serde(default)]
    pub(crate) objective: bool,
}

/// A route in `snapshots.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SnapRoute {
    /// Its id.
    pub(crate) id: String,
    /// Settlement id at one end.
    pub(crate) from: String,
    /// Settlement id at the other end.
    pub(crate) to: String,
}

/// The names in `snapshots.json` (its frames are the map chart's business).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Snapshots {
    /// The two sides.
    #[serde(default)]
    pub(crate) sides: Vec<SnapSide>,
    /// Settlements.
    #[serde(default)]
    pub(crate) settlements: Vec<SnapSettlement>,
    /// Routes.
    #[serde(default)]
    pub(crate) routes: Vec<SnapRoute>,
}

impl Snapshots {
    /// The display name of settlement `id` (the id itself when unknown).
    pub(crate) fn settlement_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.settlements
            .iter()
            .find(|s| s.id == id)
            .map_or(id, |s| s.name.as_str())
    }

    /// `Northfield – Alpha` for route `id`, or the id when unknown.
    pub(crate) fn route_name(&self, id: &str) -> String {
        match self.routes.iter().find(|r| r.id == id) {
            Some(r) => format!(
                "{} – {}",
                self.settlement_name(&r.from),
                self.settlement_name(&r.to)
            ),
            None => id.to_owned(),
        }
    }

    /// The display name of the side with `role`, or the role itself.
    pub(crate) fn side_name(&self, role: &str) -> String {
        self.sides
            .iter()
            .find(|s| s.role == role)
            .map_or_else(|| role.to_owned(), |s| s.name.clone())
    }
}

/// One figure of a sweep's `aggregate.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct FigureStats {
    /// Seeds where the figure happened.
    #[serde(default)]
    pub(crate) n: u64,
    /// Mean over those seeds.
    pub(crate) mean: Option<f64>,
    /// Lower end of the mean's 95 % interval.
    pub(crate) ci95_low: Option<f64>,
    /// Upper end.
    pub(crate) ci95_high: Option<f64>,
    /// 5th percentile.
    pub(crate) p5: Option<f64>,
    /// Median.
    pub(crate) p50: Option<f64>,
    /// 95th percentile.
    pub(crate) p95: Option<f64>,
    /// Share of seeds where it happened.
    #[serde(default)]
    pub(crate) reached_share: f64,
}

/// A sweep's `aggregate.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Aggregate {
    /// Seeds as written (`1..40`).
    pub(crate) seeds: serde_json::Value,
    /// Number of seeds.
    pub(crate) seed_count: u64,
    /// Figures in file order.
    pub(crate) figures: Ordered<FigureStats>,
}

/// One figure of `comparison.json`: paired statistics of `b - a`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct FigureDiff {
    /// Seeds where both arms have the figure.
    #[serde(default)]
    pub(crate) n: u64,
    /// A's mean over those seeds.
    pub(crate) mean_a: Option<f64>,
    /// B's mean.
    pub(crate) mean_b: Option<f64>,
    /// A's median over those seeds (older files lack it).
    #[serde(default)]
    pub(crate) median_a: Option<f64>,
    /// B's median.
    #[serde(default)]
    pub(crate) median_b: Option<f64>,
    /// Mean of `b - a`.
    pub(crate) mean_diff: Option<f64>,
    /// Lower end of its 95 % interval.
    pub(crate) ci95_low: Option<f64>,
    /// Upper end.
    pub(crate) ci95_high: Option<f64>,
    /// Whether the interval excludes 0.
    #[serde(default)]
    pub(crate) significant: bool,
    /// Share of seeds where A has the figure.
    #[serde(default)]
    pub(crate) reached_share_a: f64,
    /// Share of seeds where B has the figure.
    #[serde(default)]
    pub(crate) reached_share_b: f64,
}

/// One course of action in `comparison.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Arm {
    /// Its scenario's name.
    pub(crate) scenario_name: String,
    /// SHA-256 of its scenario file.
    #[serde(default)]
    pub(crate) scenario_sha256: String,
    /// Engine version that ran it.
    #[serde(default)]
    pub(crate) engine_version: String,
    /// Its `--set` overrides.
    #[serde(default)]
    pub(crate) overrides: Vec<String>,
}

/// `comparison.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Comparison {
    /// Course of action A.
    pub(crate) a: Arm,
    /// Course of action B.
    pub(crate) b: Arm,
    /// Seeds both ran.
    pub(crate) seeds: serde_json::Value,
    /// Figures in file order.
    pub(crate) figures: Ordered<FigureDiff>,
    /// A's phase starts over all its seeds (older files lack them).
    #[serde(default)]
    pub(crate) a_phase_starts: Ordered<PhaseMedian>,
    /// B's phase starts.
    #[serde(default)]
    pub(crate) b_phase_starts: Ordered<PhaseMedian>,
}

/// When one course's phase began, over all its seeds (`comparison.json`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PhaseMedian {
    /// Median start day over the seeds where it began.
    pub(crate) median: Option<f64>,
}

impl FigureDiff {
    /// The figure as the trade-off reads it (medians fall back to means in older files).
    pub(crate) fn paired(&self) -> crate::ensemble::Paired {
        crate::ensemble::Paired {
            n: self.n,
            median_a: self.median_a.or(self.mean_a),
            median_b: self.median_b.or(self.mean_b),
            mean_diff: self.mean_diff,
            ci95_low: self.ci95_low,
            ci95_high: self.ci95_high,
            significant: self.significant,
            reached_share_a: self.reached_share_a,
            reached_share_b: self.reached_share_b,
        }
    }
}

/// The text of a JSON value that may be a string (`"1..40"`) or a number (`7`).
pub(crate) fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The number of seeds in `"1..40"` (inclusive) or `"7"`.
pub(crate) fn seed_count(seeds: &str) -> Option<u64> {
    match seeds.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?);
            (b >= a).then(|| b - a + 1)
        }
        None => seeds.trim().parse::<u64>().ok().map(|_| 1),
    }
}

/// The last `day` in a bands file (`day,series,...`): where a sweep's time axis ends.
pub(crate) fn last_band_day(path: &Path) -> Result<f64, BriefError> {
    let table = Table::read(path)?;
    let col = table.index("day")?;
    let mut last = 0.0_f64;
    for (i, row) in table.rows.iter().enumerate() {
        last = last.max(table.number(i, row, col)?);
    }
    Ok(last)
}
