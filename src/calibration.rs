//! Calibration against history: doctrine files, uncertain parameters, observations, `backtest`
//! and `calibrate`.
//!
//! # How the pieces fit
//! 1. [`doctrine`]: a scenario names a doctrine file; its side, air and scenario parameters are the
//!    base the scenario's own values override (merged on the documents, before validation).
//! 2. [`uncertain`]: `[[uncertain]]` entries give parameters distributions; each seed draws its own
//!    values from a stream of its own ([`crate::rng::Salt::Inputs`]).
//! 3. [`observed`]: an observations file lists the historical milestones, each with its uncertainty,
//!    and maps each onto what a run records.
//! 4. [`backtest`]: an ensemble against the observations — per milestone the 5/50/95 % band, whether
//!    history falls inside it, and proper scores (CRPS, interval score).
//! 5. [`calibrate`]: history matching over waves of Latin hypercubes of the uncertain parameters,
//!    writing the non-implausible parameter sets and a calibrated doctrine.
//!
//! [`compose`] is the loader's entry point: it turns a scenario text that names a doctrine or holds
//! `[[uncertain]]` entries (or has `--set` overrides) into the checked scenario and what it came
//! from.

pub mod backtest;
pub mod calibrate;
pub mod calibrated;
pub mod doctrine;
pub mod inputs_share;
pub mod observed;
pub mod page;
pub mod score;
pub mod uncertain;

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

pub use doctrine::DoctrineSource;
pub use uncertain::{Distribution, SampledRunner, UncertainInputs, UncertainParam};

use crate::runner::ScenarioRunner;
use crate::scenario::load::{hex_sha256, read_scenario_bytes, utf8_text};
use crate::scenario::{
    Limits, LoadedScenario, Override, Problem, Scenario, ScenarioError, SourceFormat,
    parse_scenario_with_limits,
};

/// What [`compose`] built.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The checked scenario (doctrine merged, overrides applied, uncertain parameters at the values
    /// the scenario writes, or their defaults).
    pub scenario: Scenario,
    /// The doctrine file, if the scenario names one.
    pub doctrine: Option<DoctrineSource>,
    /// The scenario as a document and its uncertain parameters (possibly none).
    pub inputs: Option<Arc<UncertainInputs>>,
}

/// Whether scenario `text` may need [`compose`]: it mentions a doctrine or `[[uncertain]]`
/// entries (a cheap test on the text; [`compose`] finds out for certain).
pub fn may_compose(text: &str) -> bool {
    text.contains("doctrine") || text.contains("uncertain")
}

/// Builds the checked scenario from scenario `text` read from `path`: merges the doctrine it names,
/// applies `overrides`, validates, and checks its uncertain parameters (the scenario's and the
/// doctrine's). The scenario text itself must already have validated on its own (its problems are
/// located there); problems in the doctrine are located in the doctrine file, and problems only the
/// combination has are located by path.
pub fn compose(
    path: &Path,
    text: &str,
    format: SourceFormat,
    overrides: &[Override],
    limits: &Limits,
) -> Result<Composed, ScenarioError> {
    let file = path.display().to_string();
    let invalid_here = |problems: Vec<Problem>| ScenarioError::Invalid {
        file: file.clone(),
        source_text: text.to_owned(),
        problems,
    };
    let mut doc = crate::scenario::overrides::document(text, format).map_err(invalid_here)?;
    let mut problems = Vec::new();
    let mut doctrine = None;
    let mut doctrine_doc = None;
    let mut doctrine_text = String::new();
    let mut locally_set = Vec::new();
    if let Some(written) = doc.pointer("/scenario/doctrine").cloned() {
        let (source, checked, dtext) = read_doctrine(path, text, &written, limits)?;
        locally_set = doctrine::merge(&mut doc, &checked);
        doctrine = Some(source);
        doctrine_doc = Some(checked);
        doctrine_text = dtext;
    }
    if let Some(meta) = doc.get_mut("scenario").and_then(Value::as_object_mut) {
        meta.remove("doctrine");
    }
    if let Some(d) = doc.as_object_mut() {
        d.remove("uncertain");
    }
    let label = match (&doctrine, overrides.is_empty()) {
        (Some(d), true) => format!("{file} (with doctrine {})", d.path.display()),
        (Some(d), false) => format!("{file} (with doctrine {} and --set)", d.path.display()),
        (None, _) => format!("{file} (with --set)"),
    };
    let invalid_combined = |problems| ScenarioError::Invalid {
        file: label.clone(),
        source_text: String::new(),
        problems,
    };
    crate::scenario::overrides::apply_to(&mut doc, overrides).map_err(invalid_combined)?;
    let json = serde_json::to_string(&doc)
        .map_err(|e| invalid_combined(vec![Problem::new("/", None, e.to_string(), "")]))?;
    let scenario =
        parse_scenario_with_limits(&json, SourceFormat::Json, limits).map_err(invalid_combined)?;

    // Uncertain parameters: the scenario's, then the doctrine's; a doctrine entry yields to a value
    // the scenario sets itself, and any entry to a --set on the same parameter.
    let fixed: Vec<String> = overrides
        .iter()
        .map(|o| uncertain::resolve_path(&doc, &o.path))
        .collect();
    let mut params = uncertain::check_entries(
        &uncertain::entries(text, format),
        uncertain::Origin::Scenario,
        &doc,
        limits,
        &mut problems,
    );
    if !problems.is_empty() {
        return Err(invalid_here(problems));
    }
    if doctrine_doc.is_some() {
        let from_doctrine = uncertain::check_entries(
            &uncertain::entries(&doctrine_text, SourceFormat::Toml),
            uncertain::Origin::Doctrine,
            &doc,
            limits,
            &mut problems,
        );
        if !problems.is_empty() {
            return Err(ScenarioError::Invalid {
                file: doctrine
                    .as_ref()
                    .map_or(String::new(), |d| d.path.display().to_string()),
                source_text: doctrine_text,
                problems,
            });
        }
        let own: Vec<String> = params.iter().map(|p| p.target.clone()).collect();
        params.extend(
            from_doctrine
                .into_iter()
                .filter(|p| !locally_set.contains(&p.path) && !own.contains(&p.target)),
        );
    }
    params.retain(|p| !fixed.contains(&p.target));
    let inputs = Some(Arc::new(UncertainInputs {
        document: doc,
        params,
        limits: *limits,
    }));
    Ok(Composed {
        scenario,
        doctrine,
        inputs,
    })
}

/// Reads and checks the doctrine that `written` (the scenario's `doctrine` value) names.
fn read_doctrine(
    scenario_path: &Path,
    scenario_text: &str,
    written: &Value,
    limits: &Limits,
) -> Result<(DoctrineSource, Value, String), ScenarioError> {
    let span = key_value_span(scenario_text, "doctrine");
    let here = |message: String, help: &str| ScenarioError::Invalid {
        file: scenario_path.display().to_string(),
        source_text: scenario_text.to_owned(),
        problems: vec![Problem::new(
            "/scenario/doctrine",
            span.clone(),
            message,
            help,
        )],
    };
    let Some(written) = written.as_str() else {
        return Err(here(
            "`doctrine` must be text: the doctrine file's path".to_owned(),
            "e.g. doctrine = \"doctrine/sdf-coalition-2016.toml\" (relative to this file)",
        ));
    };
    let path = doctrine::resolve(scenario_path, written);
    if !path.is_file() {
        return Err(here(
            format!("the doctrine file {} is not a file", path.display()),
            "the path is relative to the scenario's folder; check its spelling",
        ));
    }
    let bytes = read_scenario_bytes(&path, limits)?;
    let sha256 = hex_sha256(&bytes);
    let file = path.display().to_string();
    let dtext =
        utf8_text(bytes, "doctrine").map_err(|(problem, lossy)| ScenarioError::Invalid {
            file: file.clone(),
            source_text: lossy,
            problems: vec![problem],
        })?;
    let checked = doctrine::check_doctrine(&dtext).map_err(|problems| ScenarioError::Invalid {
        file: file.clone(),
        source_text: dtext.clone(),
        problems,
    })?;
    let name = doctrine::name_of(&checked, &path);
    Ok((DoctrineSource { path, sha256, name }, checked, dtext))
}

/// The byte span of the value of the first `key = …` line of a TOML text.
fn key_value_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let start = offset + (line.len() - trimmed.len());
            let end = offset + line.trim_end().len();
            return Some(start..end);
        }
        offset += line.len();
    }
    None
}

/// The runner of a loaded scenario: its uncertain parameters drawn per seed, if it has any.
pub fn runner(loaded: &LoadedScenario, days: Option<u32>, record_inputs: bool) -> SampledRunner {
    SampledRunner {
        base: ScenarioRunner {
            scenario: Arc::new(loaded.scenario.clone()),
            days,
        },
        inputs: loaded.inputs.clone().filter(|i| !i.params.is_empty()),
        record_inputs,
    }
}

/// The scenario one seed of `loaded` runs: with that seed's draws of its uncertain parameters.
pub fn scenario_for_seed(loaded: &LoadedScenario, seed: u64) -> Result<Arc<Scenario>, String> {
    runner(loaded, None, false).scenario_for(seed)
}

/// The hash a journal header records for a loaded scenario: its own, and its doctrine's.
pub fn identity_hash(loaded: &LoadedScenario) -> String {
    match &loaded.doctrine {
        Some(d) => format!("{} doctrine {}", loaded.sha256, d.sha256),
        None => loaded.sha256.clone(),
    }
}

/// Why a backtest or calibration could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CalibrationError {
    /// The scenario (or its doctrine, or a priors file's entries) has problems.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The observations file has problems, or names what the scenario lacks.
    #[error(transparent)]
    Observed(#[from] observed::ObservedError),
    /// Running or writing the ensemble failed.
    #[error(transparent)]
    Ensemble(#[from] crate::ensemble::EnsembleError),
    /// The options cannot run (nothing to calibrate, too few points).
    #[error("{0}")]
    Options(String),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl CalibrationError {
    /// Whether the user's input is at fault (the command line exits with 2).
    pub fn is_invalid_input(&self) -> bool {
        match self {
            CalibrationError::Scenario(_) | CalibrationError::Options(_) => true,
            CalibrationError::Observed(observed::ObservedError::Invalid { .. }) => true,
            CalibrationError::Observed(_) | CalibrationError::Io { .. } => false,
            CalibrationError::Ensemble(e) => e.is_invalid_input(),
        }
    }

    /// The problems' text when it is a located report (printed as it is, without `error:`).
    pub fn is_report(&self) -> bool {
        matches!(
            self,
            CalibrationError::Scenario(ScenarioError::Invalid { .. })
                | CalibrationError::Observed(observed::ObservedError::Invalid { .. })
        )
    }
}

/// The parameters `calibrate` searches: the scenario's and its doctrine's `[[uncertain]]`
/// entries, and those of a priors file (a TOML file of `[[uncertain]]` entries), which take
/// precedence on the same parameter.
///
/// # Errors
/// The priors file cannot be read, or its entries have problems (located in it).
pub fn calibration_inputs(
    loaded: &LoadedScenario,
    priors: Option<&Path>,
) -> Result<UncertainInputs, CalibrationError> {
    let mut base = match &loaded.inputs {
        Some(inputs) => (**inputs).clone(),
        None => {
            let limits = Limits::default();
            let bytes = read_scenario_bytes(&loaded.path, &limits)?;
            let text = String::from_utf8_lossy(&bytes);
            let format = SourceFormat::of_path(&loaded.path);
            let document =
                crate::scenario::overrides::document(&text, format).map_err(|problems| {
                    ScenarioError::Invalid {
                        file: loaded.path.display().to_string(),
                        source_text: text.to_string(),
                        problems,
                    }
                })?;
            UncertainInputs {
                document,
                params: Vec::new(),
                limits,
            }
        }
    };
    let Some(path) = priors else {
        return Ok(base);
    };
    let bytes = read_scenario_bytes(path, &base.limits)?;
    let text =
        utf8_text(bytes, "priors file").map_err(|(problem, lossy)| ScenarioError::Invalid {
            file: path.display().to_string(),
            source_text: lossy,
            problems: vec![problem],
        })?;
    let mut problems = Vec::new();
    let entries = uncertain::entries(&text, SourceFormat::Toml);
    if entries.is_empty() {
        problems.push(Problem::new(
            "/uncertain",
            Some(0..0),
            "the priors file holds no [[uncertain]] entry",
            "list the parameters to calibrate as [[uncertain]] tables (path, distribution, …)",
        ));
    }
    let found = uncertain::check_entries(
        &entries,
        uncertain::Origin::Scenario,
        &base.document,
        &base.limits,
        &mut problems,
    );
    if !problems.is_empty() {
        return Err(ScenarioError::Invalid {
            file: path.display().to_string(),
            source_text: text,
            problems,
        }
        .into());
    }
    base.params
        .retain(|p| !found.iter().any(|f| f.target == p.target));
    base.params.extend(found);
    Ok(base)
}
