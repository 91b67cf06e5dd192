//! The files of one run: `timeseries.csv`, `events.csv`, `summary.json`, `snapshots.json` and
//! `manifest.json` (see `docs/output-formats.md`).

use super::{OutputError, StagedDir};
use crate::calendar::iso_date;
use crate::fsio::{json_bytes, write_atomic};
use crate::results::{DailyRow, Manifest, RunOutput};
use crate::scenario::Scenario;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Serialize)]
struct SnapshotSide<'a> {
    id: &'a str,
    name: &'a str,
    role: crate::scenario::Role,
}

#[derive(Serialize)]
struct SnapshotSettlement<'a> {
    id: &'a str,
    name: &'a str,
    kind: crate::scenario::SettlementKind,
    lat: f64,
    lon: f64,
    value: f64,
    objective: bool,
}

#[derive(Serialize)]
struct SnapshotRoute<'a> {
    id: &'a str,
    from: &'a str,
    to: &'a str,
    kind: crate::scenario::RouteKind,
}

#[derive(Serialize)]
struct Snapshots<'a> {
    sides: Vec<SnapshotSide<'a>>,
    settlements: Vec<SnapshotSettlement<'a>>,
    routes: Vec<SnapshotRoute<'a>>,
    /// Rivers, borders and coasts (absent when the scenario has none).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    features: &'a [crate::scenario::Feature],
    frames: &'a [crate::results::Frame],
}

/// Draws charts into a staged folder before it is committed.
pub type ChartHook = dyn Fn(&Path) -> Result<(), OutputError>;

/// Writes a run's files into `dir` (staged, then renamed into place); `draw` may add charts to the
/// staged folder before it is committed. Returns the folder.
pub fn write_run(
    dir: &Path,
    output: &RunOutput,
    scenario: &Scenario,
    manifest: &Manifest,
    force: bool,
    draw: Option<&ChartHook>,
) -> Result<PathBuf, OutputError> {
    let staged = StagedDir::new(dir, force)?;
    let files: [(&str, Vec<u8>); 5] = [
        ("timeseries.csv", timeseries_csv(&output.timeseries)),
        (
            "events.csv",
            events_csv(output, scenario.meta.start_epoch_day),
        ),
        ("summary.json", json(&output.summary, &staged.path)?),
        (
            "snapshots.json",
            json(&snapshots(output, scenario), &staged.path)?,
        ),
        ("manifest.json", json(manifest, &staged.path)?),
    ];
    for (name, bytes) in files {
        let path = staged.path.join(name);
        write_atomic(&path, &bytes).map_err(OutputError::io(&path))?;
    }
    if let Some(draw) = draw {
        draw(&staged.path)?;
    }
    staged.commit()
}

fn json(value: &impl Serialize, dir: &Path) -> Result<Vec<u8>, OutputError> {
    json_bytes(value).map_err(|source| OutputError::Json {
        path: dir.to_owned(),
        source,
    })
}

fn snapshots<'a>(output: &'a RunOutput, scenario: &'a Scenario) -> Snapshots<'a> {
    let objectives: Vec<usize> = scenario.objectives.iter().map(|o| o.settlement).collect();
    Snapshots {
        sides: scenario
            .sides
            .iter()
            .map(|s| SnapshotSide {
                id: &s.id,
                name: &s.name,
                role: s.role,
            })
            .collect(),
        settlements: scenario
            .settlements
            .iter()
            .enumerate()
            .map(|(i, s)| SnapshotSettlement {
                id: &s.id,
                name: &s.name,
                kind: s.kind,
                lat: s.lat,
                lon: s.lon,
                value: s.value,
                objective: objectives.contains(&i),
            })
            .collect(),
        routes: scenario
            .routes
            .iter()
            .map(|r| SnapshotRoute {
                id: &r.id,
                from: &scenario.settlements[r.from].id,
                to: &scenario.settlements[r.to].id,
                kind: r.kind,
            })
            .collect(),
        features: &scenario.features,
        frames: &output.frames,
    }
}

/// `timeseries.csv` bytes.
pub fn timeseries_csv(rows: &[DailyRow]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(DailyRow::columns());
    for r in rows {
        let mut record = vec![r.day.to_string(), r.date.clone(), r.phase.clone()];
        record.extend(r.numeric().iter().map(|v| v.to_string()));
        let _ = w.write_record(&record);
    }
    w.into_inner().unwrap_or_default()
}

/// `events.csv` bytes.
pub(super) fn events_csv(output: &RunOutput, start_epoch_day: i64) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["day", "date", "kind", "subject", "detail"]);
    for e in &output.events {
        let _ = w.write_record([
            e.day.to_string(),
            iso_date(start_epoch_day + i64::from(e.day)),
            e.kind.as_str().to_owned(),
            e.subject.clone(),
            e.detail.clone(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}
