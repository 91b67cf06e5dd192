//! Result files: `runs.csv`, `bands.csv`, `aggregate.json`, written atomically with `{}` floats.

use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};

use super::stats::{FigureStats, PERCENTILES, mean_sd, percentile_type7};
use super::{EnsembleError, SeedRange, SeedResult};
pub(crate) use crate::fsio::Num;

/// Per-seed figures, `seed,<figure>...`.
pub(crate) const RUNS_FILE: &str = "runs.csv";
/// Percentile bands of the daily series, long format.
pub(crate) const BANDS_FILE: &str = "bands.csv";
/// Per-figure statistics.
pub(crate) const AGGREGATE_FILE: &str = "aggregate.json";

/// [`crate::fsio::write_atomic`] with the ensemble's error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), EnsembleError> {
    crate::fsio::write_atomic(path, bytes).map_err(EnsembleError::io(path))
}

/// [`crate::fsio::json_bytes`] with the ensemble's error.
pub fn json_bytes(value: &impl Serialize, path: &Path) -> Result<Vec<u8>, EnsembleError> {
    crate::fsio::json_bytes(value).map_err(|source| EnsembleError::Json {
        path: path.to_owned(),
        source,
    })
}

/// A JSON object whose keys keep the order of the slice (figure order, not alphabetical).
pub(crate) struct Ordered<'a, V>(pub &'a [(String, V)]);

impl<V: Serialize> Serialize for Ordered<'_, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// Builds CSV bytes from a header and rows of cells.
pub fn csv_bytes<I, R>(header: &[String], rows: I, path: &Path) -> Result<Vec<u8>, EnsembleError>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = String>,
{
    let err = |source| EnsembleError::Csv {
        path: path.to_owned(),
        source,
    };
    let mut w = csv::WriterBuilder::new()
        .flexible(false)
        .from_writer(Vec::new());
    w.write_record(header).map_err(err)?;
    for row in rows {
        w.write_record(row).map_err(err)?;
    }
    w.into_inner().map_err(|e| err(e.into_error().into()))
}

/// `bands.csv` bytes: `day,series,p5,p25,p50,p75,p95,mean`, days ascending, series in order. A day's
/// band is over the seeds whose series reach that day (all of them when every run has equal length).
pub(crate) fn bands_bytes(
    series: &[String],
    results: &[SeedResult],
    path: &Path,
) -> Result<Vec<u8>, EnsembleError> {
    let header: Vec<String> = ["day", "series", "p5", "p25", "p50", "p75", "p95", "mean"]
        .map(String::from)
        .into();
    let days = results.iter().map(|r| r.daily.len()).max().unwrap_or(0);
    let rows = (0..days).flat_map(|day| {
        series.iter().enumerate().map(move |(s, name)| {
            let values: Vec<f64> = results
                .iter()
                .filter_map(|r| r.daily.get(day).and_then(|row| row.get(s)).copied())
                .collect();
            let (mean, _) = mean_sd(&values);
            let mut sorted = values;
            sorted.sort_by(f64::total_cmp);
            let mut row = vec![day.to_string(), name.clone()];
            row.extend(PERCENTILES.map(|p| Num(percentile_type7(&sorted, p)).cell()));
            row.push(Num(mean).cell());
            row
        })
    });
    csv_bytes(&header, rows, path)
}

/// `aggregate.json`'s figure entry.
#[derive(Serialize)]
struct FigureEntry {
    n: u64,
    mean: Num,
    sd: Num,
    ci95_low: Num,
    ci95_high: Num,
    p5: Num,
    p25: Num,
    p50: Num,
    p75: Num,
    p95: Num,
    reached_share: Num,
}

impl From<&FigureStats> for FigureEntry {
    fn from(s: &FigureStats) -> Self {
        let [p5, p25, p50, p75, p95] = s.percentiles.map(Num);
        Self {
            n: s.n,
            mean: Num(s.mean),
            sd: Num(s.sd),
            ci95_low: Num(s.ci95_low),
            ci95_high: Num(s.ci95_high),
            p5,
            p25,
            p50,
            p75,
            p95,
            reached_share: Num(Some(s.reached_share)),
        }
    }
}

/// `aggregate.json` as a whole.
#[derive(Serialize)]
struct Aggregate<'a> {
    seeds: String,
    seed_count: u64,
    figures: Ordered<'a, FigureEntry>,
}

/// Writes `runs.csv`, `bands.csv` and `aggregate.json` into `dir` from every seed's results,
/// `results` in ascending seed order; returns the paths written.
pub(crate) fn write_results(
    dir: &Path,
    seeds: SeedRange,
    figures: &[String],
    series: &[String],
    results: &[SeedResult],
) -> Result<Vec<PathBuf>, EnsembleError> {
    let runs_path = dir.join(RUNS_FILE);
    let header: Vec<String> = std::iter::once("seed".to_owned())
        .chain(figures.iter().cloned())
        .collect();
    let rows = results.iter().map(|r| {
        std::iter::once(r.seed.to_string()).chain(r.figures.iter().map(|v| Num(*v).cell()))
    });
    let runs = csv_bytes(&header, rows, &runs_path)?;

    let bands_path = dir.join(BANDS_FILE);
    let bands = bands_bytes(series, results, &bands_path)?;

    let agg_path = dir.join(AGGREGATE_FILE);
    let entries: Vec<(String, FigureEntry)> = figures
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Vec<Option<f64>> = results.iter().map(|r| r.figures[i]).collect();
            (
                name.clone(),
                FigureEntry::from(&FigureStats::of(&values, seeds.len())),
            )
        })
        .collect();
    let aggregate = Aggregate {
        seeds: seeds.to_string(),
        seed_count: seeds.len(),
        figures: Ordered(&entries),
    };
    let agg = json_bytes(&aggregate, &agg_path)?;

    for (path, bytes) in [(&runs_path, runs), (&bands_path, bands), (&agg_path, agg)] {
        write_atomic(path, &bytes)?;
    }
    Ok(vec![runs_path, bands_path, agg_path])
}
