//! A farm ready to run: the checked design, its points laid out and mapped onto factor values, and
//! one checked scenario per point.
//!
//! Everything a user can get wrong is found here, before the first run: the design file's problems,
//! the scenario's, a factor path the scenario does not have, a range end the scenario refuses, an
//! outcome that is not a summary figure. Each is reported with the design file's line and column.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::design_file::{DesignKind, FarmDesign, MAX_DESIGN_BYTES, parse_design};
use super::lhs::{DesignQuality, arrange_columns, design_quality, full_factorial, level_value};
use crate::ensemble::{EnsembleError, SeedRange, SeedRunner, SweepIdentity};
use crate::runner::ScenarioRunner;
use crate::scenario::load::{
    LoadedScenario, hex_sha256, load_scenario_bytes, read_scenario_bytes, render_problems,
    utf8_text,
};
use crate::scenario::{Limits, Override, Problem, Scenario, ScenarioError, SourceFormat};

/// Why a farm could not be planned or run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FarmError {
    /// The design file could not be read.
    #[error("cannot read design file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The design file holds problems (its own, or its factors' against the scenario).
    #[error("{}", render_problems(.file, .source_text, .problems))]
    Invalid {
        /// The design file as given.
        file: String,
        /// Its text, to show the offending lines.
        source_text: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
    /// The scenario the design names has problems of its own.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A combination of factor values that each pass on their own makes an invalid scenario.
    #[error(
        "design point {point} ({settings}) makes an invalid scenario:\n{problems}\nnarrow the factor ranges so that every combination is valid"
    )]
    Point {
        /// The point, from 0.
        point: usize,
        /// Its factor settings, `path=value` joined.
        settings: String,
        /// The scenario's problems, one per line.
        problems: String,
    },
    /// Running, resuming or merging failed.
    #[error(transparent)]
    Ensemble(#[from] EnsembleError),
}

impl FarmError {
    /// Whether the user's input is at fault (the command line exits with 2).
    pub fn is_invalid_input(&self) -> bool {
        match self {
            FarmError::Invalid { .. } | FarmError::Point { .. } | FarmError::Scenario(_) => true,
            FarmError::Ensemble(e) => e.is_invalid_input(),
            FarmError::Io { .. } => false,
        }
    }
}

/// A checked farm: the design, its points and one scenario per point.
#[derive(Debug, Clone)]
pub struct FarmPlan {
    /// The design file's path as given.
    pub design_file: PathBuf,
    /// Hex SHA-256 of the design file's bytes.
    pub design_sha256: String,
    /// The checked design.
    pub design: FarmDesign,
    /// The base scenario, as loaded.
    pub base: LoadedScenario,
    /// The factor values used, `values[point][factor]`.
    pub values: Vec<Vec<f64>>,
    /// The design's quality, measured on the values used.
    pub quality: DesignQuality,
    /// The scenario of every point.
    pub scenarios: Vec<Arc<Scenario>>,
    /// The summary figures of every run, in `runs.csv` order.
    pub figures: Vec<String>,
    /// The runs, numbered from 0.
    runs: SeedRange,
}

impl FarmPlan {
    /// Number of design points.
    pub fn points(&self) -> usize {
        self.values.len()
    }

    /// The factors' names, in design order.
    pub fn factor_names(&self) -> Vec<&str> {
        self.design
            .factors
            .iter()
            .map(|f| f.name.as_str())
            .collect()
    }

    /// The runs as the ensemble numbers them: `point × seeds_per_point + (seed − first seed)`, from 0.
    pub fn runs(&self) -> SeedRange {
        self.runs
    }

    /// The (point, seed) of run `run`.
    pub fn point_and_seed(&self, run: u64) -> (usize, u64) {
        split_run(run, self.design.seeds)
    }

    /// What the journal header records, so that resume and merge refuse another design or scenario.
    pub fn identity(&self) -> SweepIdentity {
        SweepIdentity {
            engine_version: env!("CARGO_PKG_VERSION").to_owned(),
            scenario_sha256: self.base.sha256.clone(),
            scenario_name: self.base.scenario.meta.name.clone(),
            seeds: self.runs(),
            overrides: Vec::new(),
            design_sha256: Some(self.design_sha256.clone()),
        }
    }

    /// The runner of every (point, seed).
    pub fn runner(&self) -> FarmRunner {
        FarmRunner {
            points: self
                .scenarios
                .iter()
                .map(|s| ScenarioRunner {
                    scenario: s.clone(),
                    days: self.design.days,
                })
                .collect(),
            seeds: self.design.seeds,
            figures: self.figures.clone(),
        }
    }

    /// `path=value` of every factor at `point`, as `--set` would take them.
    pub fn settings(&self, point: usize) -> Vec<Override> {
        self.design
            .factors
            .iter()
            .zip(&self.values[point])
            .map(|(f, v)| Override {
                path: f.path.clone(),
                value_text: value_text(*v, f.integer),
            })
            .collect()
    }
}

fn split_run(run: u64, seeds: SeedRange) -> (usize, u64) {
    let per = seeds.len().max(1);
    ((run / per) as usize, seeds.first() + run % per)
}

/// A factor value as written into the scenario: whole numbers without a decimal point.
pub fn value_text(v: f64, integer: bool) -> String {
    if integer {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Runs (point, seed) pairs for the ensemble: run `r` is point `r / seeds`, seed `first + r % seeds`.
#[derive(Debug, Clone)]
pub struct FarmRunner {
    points: Vec<ScenarioRunner>,
    seeds: SeedRange,
    figures: Vec<String>,
}

impl SeedRunner for FarmRunner {
    fn figure_names(&self) -> Vec<String> {
        self.figures.clone()
    }

    fn series_names(&self) -> Vec<String> {
        Vec::new()
    }

    fn run_seed(&self, run: u64) -> Result<crate::ensemble::SeedResult, String> {
        let (point, seed) = split_run(run, self.seeds);
        let runner = self
            .points
            .get(point)
            .ok_or_else(|| format!("run {run} is past the last design point"))?;
        let mut result = runner
            .run_seed(seed)
            .map_err(|e| format!("point {point}, seed {seed}: {e}"))?;
        result.seed = run;
        // The farm analyses summary figures only; daily series would only grow the journal.
        result.daily.clear();
        Ok(result)
    }
}

/// Reads the design file at `path` and everything it names, and lays the design out.
///
/// # Errors
/// [`FarmError::Invalid`] with every problem of the design file (located by line and column),
/// including factors whose path or range the scenario refuses and outcomes that are not summary
/// figures; [`FarmError::Scenario`] when the scenario itself is invalid; [`FarmError::Point`] when a
/// combination of valid factor values is not.
pub fn plan_farm(path: &Path, limits: &Limits) -> Result<FarmPlan, FarmError> {
    let io = |source| FarmError::Io {
        path: path.to_owned(),
        source,
    };
    let bytes = match crate::fsio::read_limited(path, MAX_DESIGN_BYTES) {
        Ok(bytes) => bytes,
        Err(crate::fsio::ReadLimitError::Io(e)) => return Err(io(e)),
        Err(crate::fsio::ReadLimitError::TooLarge { .. }) => {
            return Err(too_large(path, MAX_DESIGN_BYTES + 1));
        }
    };
    plan_farm_bytes(path, bytes, limits)
}

/// [`plan_farm`] of the design file's bytes `data`, already read from `path` (which names the file
/// in messages and anchors the scenario's relative path).
pub fn plan_farm_bytes(path: &Path, data: Vec<u8>, limits: &Limits) -> Result<FarmPlan, FarmError> {
    let (text, sha) = decode_design(path, data)?;
    let invalid = |problems| FarmError::Invalid {
        file: path.display().to_string(),
        source_text: text.clone(),
        problems,
    };
    let design = parse_design(&text, path).map_err(invalid)?;
    if !design.scenario_file.is_file() {
        return Err(invalid(vec![Problem::new(
            "/farm/scenario",
            design.scenario_span.clone(),
            format!(
                "the scenario {} is not a file",
                design.scenario_file.display()
            ),
            "the path is relative to the design file's folder; check its spelling",
        )]));
    }
    let scenario_bytes = read_scenario_bytes(&design.scenario_file, limits)?;
    let scenario_text = String::from_utf8_lossy(&scenario_bytes).into_owned();
    let base = load_scenario_bytes(&design.scenario_file, scenario_bytes, &[], limits)?;
    let format = format_of(&base.path);
    let figures = ScenarioRunner {
        scenario: Arc::new(base.scenario.clone()),
        days: None,
    }
    .figure_names();
    let mut problems = check_outcomes(&design, &figures);
    problems.extend(check_factor_ends(&design, &scenario_text, format, limits));
    if !problems.is_empty() {
        return Err(invalid(problems));
    }

    let values = lay_out(&design);
    let quality = design_quality(&values);
    let total = values.len() as u64 * design.seeds.len();
    let runs = SeedRange::new(0, total.saturating_sub(1))?;
    let mut plan = FarmPlan {
        design_file: path.to_owned(),
        design_sha256: sha,
        design,
        base,
        values,
        quality,
        scenarios: Vec::new(),
        figures,
        runs,
    };
    plan.scenarios = (0..plan.points())
        .map(|point| point_scenario(&plan, point, &scenario_text, format, limits))
        .collect::<Result<_, _>>()?;
    Ok(plan)
}

/// The factor values of every point, `values[point][factor]`.
///
/// A Latin hypercube arranges each factor's own equally spaced values, rounded as they will be used,
/// so that rounding an integer factor cannot spoil the orthogonality the search achieved.
fn lay_out(design: &FarmDesign) -> Vec<Vec<f64>> {
    match design.kind {
        DesignKind::LatinHypercube { points } => {
            let columns: Vec<Vec<f64>> = design
                .factors
                .iter()
                .map(|f| {
                    (0..points)
                        .map(|i| f.value_at(level_value(i, points)))
                        .collect()
                })
                .collect();
            arrange_columns(&columns, design.design_seed)
        }
        DesignKind::FullFactorial => {
            let levels: Vec<usize> = design.factors.iter().map(|f| f.levels).collect();
            full_factorial(&levels)
                .iter()
                .map(|row| {
                    design
                        .factors
                        .iter()
                        .zip(row)
                        .map(|(f, u)| f.value_at(*u))
                        .collect()
                })
                .collect()
        }
    }
}

/// The design file's text and hex SHA-256 from its bytes, refusing more than [`MAX_DESIGN_BYTES`]
/// and text that is not UTF-8.
fn decode_design(path: &Path, data: Vec<u8>) -> Result<(String, String), FarmError> {
    let bytes = data.len() as u64;
    if bytes > MAX_DESIGN_BYTES {
        return Err(too_large(path, bytes));
    }
    let sha = hex_sha256(&data);
    let text = utf8_text(data, "design file").map_err(|(p, lossy)| FarmError::Invalid {
        file: path.display().to_string(),
        source_text: lossy,
        problems: vec![p],
    })?;
    Ok((text, sha))
}

/// The problem of a design file of `bytes` bytes, over [`MAX_DESIGN_BYTES`].
fn too_large(path: &Path, bytes: u64) -> FarmError {
    FarmError::Invalid {
        file: path.display().to_string(),
        source_text: String::new(),
        problems: vec![Problem::new(
            "/",
            None,
            format!(
                "the design file is {bytes} bytes or more, over the {MAX_DESIGN_BYTES}-byte limit"
            ),
            "a design file lists factors, not data: check that this is the right file",
        )],
    }
}

fn format_of(path: &Path) -> SourceFormat {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        SourceFormat::Json
    } else {
        SourceFormat::Toml
    }
}

/// Every outcome must be a summary figure of the scenario, named once.
fn check_outcomes(design: &FarmDesign, figures: &[String]) -> Vec<Problem> {
    let mut problems = Vec::new();
    if design.outcomes.is_empty() {
        problems.push(Problem::new(
            "/farm/outcomes",
            design.outcomes_span.clone(),
            "`outcomes` is empty",
            "name at least one summary figure, or remove the field for the default six",
        ));
    }
    for (i, name) in design.outcomes.iter().enumerate() {
        if !figures.contains(name) {
            let near = figures
                .iter()
                .min_by_key(|f| strsim::levenshtein(f, name))
                .map(|f| format!("did you mean `{f}`? "))
                .unwrap_or_default();
            problems.push(Problem::new(
                format!("/farm/outcomes/{i}"),
                design.outcomes_span.clone(),
                format!("`{name}` is not a summary figure of this scenario"),
                format!("{near}the figures are: {}", figures.join(", ")),
            ));
        } else if design.outcomes[..i].contains(name) {
            problems.push(Problem::new(
                format!("/farm/outcomes/{i}"),
                design.outcomes_span.clone(),
                format!("`{name}` is named twice"),
                "name each outcome once",
            ));
        }
    }
    problems
}

/// Each factor's path must exist and both ends of its range must make a valid scenario on their own,
/// so that a wrong path or range is reported at the factor, with its line.
fn check_factor_ends(
    design: &FarmDesign,
    text: &str,
    format: SourceFormat,
    limits: &Limits,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, f) in design.factors.iter().enumerate() {
        for (end, value, span) in [
            ("low", f.low, &f.spans.low),
            ("high", f.high, &f.spans.high),
        ] {
            let setting = Override {
                path: f.path.clone(),
                value_text: value_text(value, f.integer),
            };
            // A path the scenario lacks fails to apply; a value it refuses fails to validate.
            // (Setting a field the table lacks adds it, and validation then calls it unknown.)
            let (found, path_problem) = match with_settings(
                &design.scenario_file,
                text,
                format,
                std::slice::from_ref(&setting),
                limits,
            ) {
                Ok(_) => continue,
                Err(found) => {
                    let path = found.iter().any(|p| {
                        p.path.starts_with("--set") || p.message.starts_with("unknown field")
                    });
                    (found, path)
                }
            };
            let at = if path_problem { &f.spans.path } else { span };
            problems.extend(found.into_iter().map(|p| {
                Problem::new(
                    format!("/factor/{i}/{end}"),
                    at.clone(),
                    format!("factor `{}`: with {setting}, {}", f.name, p.message),
                    p.help,
                )
            }));
            if path_problem {
                break;
            }
        }
    }
    problems
}

/// The checked scenario of `point`.
fn point_scenario(
    plan: &FarmPlan,
    point: usize,
    text: &str,
    format: SourceFormat,
    limits: &Limits,
) -> Result<Arc<Scenario>, FarmError> {
    let settings = plan.settings(point);
    let checked = with_settings(&plan.design.scenario_file, text, format, &settings, limits);
    checked.map(Arc::new).map_err(|problems| FarmError::Point {
        point,
        settings: settings
            .iter()
            .map(Override::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        problems: problems
            .iter()
            .map(|p| format!("  {}: {} ({})", p.path, p.message, p.help))
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// The checked scenario of `text` (read from `path`: a doctrine it names is merged) with
/// `settings` applied as `--set` would apply them; the problems when it is invalid.
fn with_settings(
    path: &Path,
    text: &str,
    format: SourceFormat,
    settings: &[Override],
    limits: &Limits,
) -> Result<Scenario, Vec<Problem>> {
    crate::calibration::compose(path, text, format, settings, limits)
        .map(|c| c.scenario)
        .map_err(|e| match e {
            ScenarioError::Invalid { problems, .. } => problems,
            other => vec![Problem::new("/", None, other.to_string(), "")],
        })
}
