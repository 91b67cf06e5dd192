//! Which entries of a folder are phaseline's: the result files every command writes (charts and
//! temporary names included), and what may sit beside them untouched — phaseline subfolders (a
//! Slurm job's shards), their writer locks and staging folders, and Slurm's logs.

use std::path::Path;

use super::folder::MANIFEST_FILE;

/// Every result file name phaseline writes into a folder, besides charts.
const RESULT_FILES: [&str; 25] = [
    MANIFEST_FILE,
    "timeseries.csv",
    "events.csv",
    "summary.json",
    "snapshots.json",
    "briefing.html",
    "runs.csv",
    "bands.csv",
    "aggregate.json",
    "seeds.journal",
    "sweep.json",
    "shard.json",
    "pairs.csv",
    "a_bands.csv",
    "b_bands.csv",
    "comparison.json",
    "design.csv",
    "points.csv",
    "sensitivity.json",
    // backtest and calibrate (crate::calibration)
    "milestones.csv",
    "backtest.csv",
    "backtest.json",
    "accepted.csv",
    "calibration.json",
    "calibrated-doctrine.toml",
];

/// The charts of runs, sweeps and comparisons (each as `.png` and `.svg`).
const CHARTS: [&str; 12] = [
    "campaign",
    "control",
    "forces",
    "map",
    "civilians",
    "fan_isolation",
    "fan_villages",
    "dist_isolation_day",
    "dist_capture_day",
    "compare_isolation",
    "compare_diff",
    "fan_milestones",
];

/// The per-outcome charts of a farm: `<prefix><outcome id>`.
const CHART_PREFIXES: [&str; 2] = ["tornado_", "top_factor_"];

/// Whether `name` is a file phaseline writes into a results folder (temporary names included).
pub fn is_result_file(name: &str) -> bool {
    if let Some(inner) = temporary_of(name) {
        return is_result_file(&inner);
    }
    if RESULT_FILES.contains(&name) {
        return true;
    }
    let Some(stem) = name
        .strip_suffix(".png")
        .or_else(|| name.strip_suffix(".svg"))
    else {
        return false;
    };
    CHARTS.contains(&stem)
        || CHART_PREFIXES.iter().any(|p| {
            stem.strip_prefix(p).is_some_and(|id| {
                !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
        })
}

/// The file a temporary name stands for: `.<name>.tmp-<pid>` (atomic writes) and `.<stem>.tmp.png`
/// / `.<stem>.tmp.svg` (charts).
pub(crate) fn temporary_of(name: &str) -> Option<String> {
    let hidden = name.strip_prefix('.')?;
    if let Some((inner, pid)) = hidden.rsplit_once(".tmp-") {
        let digits = !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit());
        return digits.then(|| inner.to_owned());
    }
    ["png", "svg"].iter().find_map(|ext| {
        hidden
            .strip_suffix(&format!(".tmp.{ext}"))
            .map(|stem| format!("{stem}.{ext}"))
    })
}

/// Whether `path` is a phaseline folder (a shard of a Slurm job, say): it holds a manifest or a
/// journal header.
pub(crate) fn is_phaseline_folder(path: &Path) -> bool {
    [MANIFEST_FILE, "sweep.json", "shard.json"]
        .iter()
        .any(|f| path.join(f).is_file())
}

/// Whether `name` is the writer lock of a sibling folder (`.<folder>.lock`, a Slurm shard's).
pub(crate) fn is_lock(name: &str) -> bool {
    name.len() > ".lock".len() + 1 && name.starts_with('.') && name.ends_with(".lock")
}

/// Whether `name` is the staging folder of a run writing a sibling folder (`.<run>.partial-<pid>`).
pub(crate) fn is_staging(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(".partial-")
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()))
}

/// Whether `name` is a Slurm log as phaseline's submit commands name them (`slurm-*.out`).
pub(crate) fn is_slurm_log(name: &str) -> bool {
    name.starts_with("slurm-") && name.ends_with(".out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phaseline_names_are_recognised_and_others_are_not() {
        for name in [
            "runs.csv",
            "briefing.html",
            "map.png",
            "tornado_capture_day.svg",
            ".bands.csv.tmp-123",
            ".fan_isolation.tmp.png",
        ] {
            assert!(is_result_file(name), "{name}");
        }
        for name in [
            "scenario.toml",
            "photo.png",
            "tornado_.png",
            ".bands.csv.tmp-x",
            "notes",
        ] {
            assert!(!is_result_file(name), "{name}");
        }
    }
}
