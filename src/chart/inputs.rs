//! The three sets of input files (run, sweep, comparison), read and checked before any drawing.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::error::ChartError;
use super::io::{Manifest, Table, malformed, read_json};
use crate::results::DailyRow;

/// `summary.json`, read as the briefing reads it.
pub(crate) use crate::results::read::Summary;

/// A side in `snapshots.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct SideInfo {
    /// Stable id used in frames.
    pub(crate) id: String,
    /// Display name (`SDF`).
    pub(crate) name: String,
    /// `attacker` or `defender`.
    pub(crate) role: String,
}

/// A settlement in `snapshots.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct SettlementInfo {
    /// Stable id routes refer to.
    pub(crate) id: String,
    /// Display name.
    pub(crate) name: String,
    /// Latitude, degrees north.
    pub(crate) lat: f64,
    /// Longitude, degrees east.
    pub(crate) lon: f64,
    /// Scenario value (marker size).
    pub(crate) value: f64,
    /// Whether it is an objective.
    #[serde(default)]
    pub(crate) objective: bool,
    /// `city`, `town`, `village`, … (which names come first).
    #[serde(default)]
    pub(crate) kind: String,
}

/// A river, border or coast in `snapshots.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct FeatureInfo {
    /// Name for the legend.
    #[serde(default)]
    pub(crate) name: String,
    /// `river`, `border` or `coast`.
    pub(crate) kind: String,
    /// `[lat, lon]` points.
    pub(crate) points: Vec<(f64, f64)>,
}

/// A route in `snapshots.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct RouteInfo {
    /// Settlement id at one end.
    pub(crate) from: String,
    /// Settlement id at the other end.
    pub(crate) to: String,
    /// `highway`, `road`, … (drawn wider for highways).
    #[serde(default)]
    pub(crate) kind: String,
}

/// Control of one settlement in one frame.
#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct ControlCell {
    /// Side id; may be absent for a contested settlement.
    pub(crate) side: Option<String>,
    /// `held`, `contested` or `cleared_unheld`.
    pub(crate) state: String,
}

/// One map frame (day 0, each phase start, the last day).
#[derive(Debug, Deserialize)]
pub(crate) struct Frame {
    /// Day of the frame.
    pub(crate) day: f64,
    /// `Start`, a phase name, or `End`.
    pub(crate) label: String,
    /// Parallel to `settlements`.
    pub(crate) control: Vec<ControlCell>,
    /// Parallel to `routes`: `open`, `interdicted` or `cut`.
    pub(crate) routes: Vec<String>,
}

/// `snapshots.json`: what the map chart needs.
#[derive(Debug, Deserialize)]
pub(crate) struct Snapshots {
    /// The sides.
    pub(crate) sides: Vec<SideInfo>,
    /// The settlements.
    pub(crate) settlements: Vec<SettlementInfo>,
    /// The routes.
    pub(crate) routes: Vec<RouteInfo>,
    /// Rivers, borders and coasts (none in older files).
    #[serde(default)]
    pub(crate) features: Vec<FeatureInfo>,
    /// The frames, in day order.
    pub(crate) frames: Vec<Frame>,
}

impl Snapshots {
    fn check(&self, path: &Path) -> Result<(), ChartError> {
        let ids: Vec<&str> = self.settlements.iter().map(|s| s.id.as_str()).collect();
        for (i, r) in self.routes.iter().enumerate() {
            for end in [&r.from, &r.to] {
                if !ids.contains(&end.as_str()) {
                    return Err(malformed(
                        path,
                        format!("routes[{i}]: no settlement `{end}`"),
                    ));
                }
            }
        }
        for (i, f) in self.frames.iter().enumerate() {
            if f.control.len() != self.settlements.len() || f.routes.len() != self.routes.len() {
                return Err(malformed(
                    path,
                    format!("frames[{i}]: control/routes are not parallel to settlements/routes"),
                ));
            }
            if let Some(c) = f
                .control
                .iter()
                .find(|c| !matches!(c.state.as_str(), "held" | "contested" | "cleared_unheld"))
            {
                return Err(malformed(path, format!("frames[{i}]: state {:?}", c.state)));
            }
            if let Some(s) = f
                .routes
                .iter()
                .find(|s| !matches!(s.as_str(), "open" | "interdicted" | "cut"))
            {
                return Err(malformed(path, format!("frames[{i}]: route status {s:?}")));
            }
        }
        Ok(())
    }

    /// The role (`attacker`/`defender`) of side `id`, if known.
    pub(crate) fn role_of(&self, id: &str) -> Option<&str> {
        self.sides
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.role.as_str())
    }

    /// The display name of the side playing `role`, if `sides` has one.
    pub(crate) fn side_name(&self, role: &str) -> Option<&str> {
        self.sides
            .iter()
            .find(|s| s.role == role)
            .map(|s| s.name.as_str())
    }
}

/// Everything a run folder holds for its charts.
#[derive(Debug)]
pub(crate) struct RunFiles {
    /// `manifest.json`.
    pub(crate) manifest: Manifest,
    /// `timeseries.csv`, with the drawn columns checked present.
    pub(crate) timeseries: Table,
    /// Days of `events.csv` rows whose kind is `inject` (scenario timeline events).
    pub(crate) inject_days: Vec<f64>,
    /// `summary.json`.
    pub(crate) summary: Summary,
    /// `snapshots.json`, checked.
    pub(crate) snapshots: Snapshots,
}

impl RunFiles {
    /// Reads and checks the five files of a run folder.
    pub(crate) fn load(dir: &Path) -> Result<Self, ChartError> {
        let manifest = Manifest::load(dir)?;
        let timeseries = Table::read(&dir.join("timeseries.csv"))?;
        // Every column the engine writes (the writer's own list), so a stale or foreign file is
        // refused before drawing.
        timeseries.require(&DailyRow::columns().collect::<Vec<_>>())?;
        let events = Table::read(&dir.join("events.csv"))?;
        events.require(&["day", "date", "kind", "subject", "detail"])?;
        let inject_days = events
            .numbers("day")?
            .into_iter()
            .zip(events.strings("kind")?)
            .filter(|(d, k)| k == "inject" && d.is_finite())
            .map(|(d, _)| d)
            .collect();
        let summary = read_json(&dir.join("summary.json"))?;
        let snap_path = dir.join("snapshots.json");
        let snapshots: Snapshots = read_json(&snap_path)?;
        snapshots.check(&snap_path)?;
        Ok(Self {
            manifest,
            timeseries,
            inject_days,
            summary,
            snapshots,
        })
    }

    /// `SDF (attacker)`, `ISIS (defender)`: how legends name a side (the bare role when
    /// `snapshots.json` names no side for it).
    pub(crate) fn side_label(&self, role: &str) -> String {
        match self.snapshots.side_name(role) {
            Some(name) => format!("{name} ({role})"),
            None => role.to_string(),
        }
    }
}

/// One series of a `bands.csv` file: percentiles across seeds, per day.
#[derive(Debug, Default)]
pub(crate) struct Band {
    /// Days, ascending.
    pub(crate) day: Vec<f64>,
    /// 5th percentile.
    pub(crate) p5: Vec<f64>,
    /// 25th percentile.
    pub(crate) p25: Vec<f64>,
    /// Median.
    pub(crate) p50: Vec<f64>,
    /// 75th percentile.
    pub(crate) p75: Vec<f64>,
    /// 95th percentile.
    pub(crate) p95: Vec<f64>,
}

/// Reads `series` out of a bands table (no rows: an empty band).
pub(crate) fn band(bands: &Table, series: &str) -> Result<Band, ChartError> {
    let rows = bands.filter("series", series)?;
    Ok(Band {
        day: rows.numbers("day")?,
        p5: rows.numbers("p5")?,
        p25: rows.numbers("p25")?,
        p50: rows.numbers("p50")?,
        p75: rows.numbers("p75")?,
        p95: rows.numbers("p95")?,
    })
}

fn read_bands(path: &Path) -> Result<Table, ChartError> {
    let table = Table::read(path)?;
    table.require(&["day", "series", "p5", "p25", "p50", "p75", "p95", "mean"])?;
    Ok(table)
}

/// Everything a sweep folder holds for its charts.
#[derive(Debug)]
pub(crate) struct SweepFiles {
    /// `manifest.json`.
    pub(crate) manifest: Manifest,
    /// `bands.csv`.
    pub(crate) bands: Table,
    /// `runs.csv`.
    pub(crate) runs: Table,
    /// `aggregate.json`, per figure statistics.
    pub(crate) aggregate: serde_json::Value,
}

impl SweepFiles {
    /// Reads and checks the four files of a sweep folder.
    pub(crate) fn load(dir: &Path) -> Result<Self, ChartError> {
        let runs = Table::read(&dir.join("runs.csv"))?;
        runs.require(&["seed", "isolation_day", "capture_day"])?;
        Ok(Self {
            manifest: Manifest::load(dir)?,
            bands: read_bands(&dir.join("bands.csv"))?,
            runs,
            aggregate: read_json(&dir.join("aggregate.json"))?,
        })
    }
}

/// One course of action in `comparison.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct Course {
    /// Its scenario name.
    pub(crate) scenario_name: String,
}

/// The paired difference of one figure in `comparison.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct FigureDiff {
    /// Mean of the per-seed differences.
    pub(crate) mean_diff: Option<f64>,
    /// Lower end of its 95 % confidence interval.
    pub(crate) ci95_low: Option<f64>,
    /// Upper end.
    pub(crate) ci95_high: Option<f64>,
    /// Number of pairs it rests on.
    pub(crate) n: Option<f64>,
    /// A's mean over those pairs, when the engine writes it.
    #[serde(default)]
    pub(crate) mean_a: Option<f64>,
    /// B's mean over those pairs.
    #[serde(default)]
    pub(crate) mean_b: Option<f64>,
    /// A's median over those pairs (newer files).
    #[serde(default)]
    pub(crate) median_a: Option<f64>,
    /// B's median over those pairs.
    #[serde(default)]
    pub(crate) median_b: Option<f64>,
}

/// `comparison.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct Comparison {
    /// Course A.
    pub(crate) a: Course,
    /// Course B.
    pub(crate) b: Course,
    /// Per figure (sorted by name here; drawing order comes from `pairs.csv`).
    pub(crate) figures: BTreeMap<String, FigureDiff>,
    /// A's phase starts, compared or not (newer files).
    #[serde(default)]
    pub(crate) a_phase_starts: BTreeMap<String, serde_json::Value>,
}

/// Everything a comparison folder holds for its charts.
#[derive(Debug)]
pub(crate) struct CompareFiles {
    /// `manifest.json`.
    pub(crate) manifest: Manifest,
    /// `a_bands.csv`.
    pub(crate) a_bands: Table,
    /// `b_bands.csv`.
    pub(crate) b_bands: Table,
    /// `pairs.csv`: `seed,figure,a,b,diff`.
    pub(crate) pairs: Table,
    /// `comparison.json`.
    pub(crate) comparison: Comparison,
}

impl CompareFiles {
    /// Reads and checks the five files of a comparison folder.
    pub(crate) fn load(dir: &Path) -> Result<Self, ChartError> {
        let pairs = Table::read(&dir.join("pairs.csv"))?;
        pairs.require(&["seed", "figure", "a", "b", "diff"])?;
        Ok(Self {
            manifest: Manifest::load(dir)?,
            a_bands: read_bands(&dir.join("a_bands.csv"))?,
            b_bands: read_bands(&dir.join("b_bands.csv"))?,
            pairs,
            comparison: read_json(&dir.join("comparison.json"))?,
        })
    }
}
