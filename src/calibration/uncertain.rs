//! Uncertain parameters: `[[uncertain]]` entries, in a scenario or its doctrine, that name a
//! parameter the way `--set` does and give it a distribution; each seed draws its own value.
//!
//! A seed's draw comes from its own stream, [`Salt::Inputs`] keyed by the FNV-1a of the parameter's
//! resolved path (tick 0), so it depends on nothing but (seed, path): two courses of action that
//! share an uncertain parameter draw the same value for it on the same seed (common random numbers
//! hold), and adding a parameter leaves the draws of the others alone. Every distribution is drawn
//! by its quantile function from one uniform, so a design in the unit cube (the Latin hypercube of
//! `calibrate`) maps onto the same parameter space.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

pub use super::distribution::{Distribution, TAIL, normal_cdf, normal_quantile};
use crate::ensemble::{SeedResult, SeedRunner};
use crate::rng::{Salt, fnv1a, stream, uniform};
use crate::runner::ScenarioRunner;
use crate::scenario::loc::{Loc, Tab, with_format};
use crate::scenario::overrides::apply_to;
use crate::scenario::raw::RawUncertain;
use crate::scenario::{
    Limits, Override, Problem, Scenario, SourceFormat, parse_scenario_with_limits,
};

/// Where an `[[uncertain]]` entry was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// In the scenario file.
    Scenario,
    /// In its doctrine file.
    Doctrine,
}

/// One checked uncertain parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainParam {
    /// The path as written (`side.defender.lethality_per_day`).
    pub path: String,
    /// The path `--set` applies, a side's role replaced by its id (`side.isis.lethality_per_day`).
    pub target: String,
    /// Its distribution.
    pub distribution: Distribution,
    /// Draws rounded to whole numbers.
    pub integer: bool,
    /// Which file declared it.
    pub origin: Origin,
}

impl UncertainParam {
    /// The value at cumulative probability `u`, rounded if the parameter is whole.
    pub fn value_at(&self, u: f64) -> f64 {
        let v = self.distribution.quantile(u);
        if self.integer { libm::round(v) } else { v }
    }

    /// This parameter's uniform draw for `seed`.
    pub fn uniform_for(&self, seed: u64) -> f64 {
        uniform(&mut stream(
            seed,
            Salt::Inputs,
            fnv1a(self.target.as_bytes()),
            0,
        ))
    }

    /// The `--set` override giving it `value`.
    pub fn setting(&self, value: f64) -> Override {
        Override {
            path: self.target.clone(),
            value_text: value_text(value, self.integer),
        }
    }
}

/// A value as `--set` writes it: whole numbers without a decimal point when `integer`.
pub fn value_text(v: f64, integer: bool) -> String {
    if integer {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A scenario's uncertain parameters and the document they are applied to, seed by seed.
#[derive(Debug, Clone)]
pub struct UncertainInputs {
    /// The scenario as a document (doctrine merged, `--set` applied, `[[uncertain]]` removed).
    pub document: Value,
    /// The parameters, scenario's first, then the doctrine's, in file order.
    pub params: Vec<UncertainParam>,
    /// The limits the scenario was read under.
    pub limits: Limits,
}

impl UncertainInputs {
    /// The parameters' values drawn for `seed`.
    pub fn draw(&self, seed: u64) -> Vec<f64> {
        self.params
            .iter()
            .map(|p| p.value_at(p.uniform_for(seed)))
            .collect()
    }

    /// The checked scenario with `values[i]` set for parameter `i`.
    pub fn scenario_with(&self, values: &[f64]) -> Result<Scenario, Vec<Problem>> {
        let settings: Vec<Override> = self
            .params
            .iter()
            .zip(values)
            .map(|(p, v)| p.setting(*v))
            .collect();
        scenario_with_settings(&self.document, &settings, &self.limits)
    }

    /// The parameters' paths as written.
    pub fn names(&self) -> Vec<String> {
        self.params.iter().map(|p| p.path.clone()).collect()
    }
}

/// The checked scenario of `document` with `settings` applied.
pub fn scenario_with_settings(
    document: &Value,
    settings: &[Override],
    limits: &Limits,
) -> Result<Scenario, Vec<Problem>> {
    let mut doc = document.clone();
    apply_to(&mut doc, settings)?;
    let json = serde_json::to_string(&doc)
        .map_err(|e| vec![Problem::new("/", None, e.to_string(), "")])?;
    parse_scenario_with_limits(&json, SourceFormat::Json, limits)
}

#[derive(Deserialize)]
struct UncertainOnly {
    #[serde(default)]
    uncertain: Vec<Tab<RawUncertain>>,
}

/// The `[[uncertain]]` entries of a file's text, with their spans (TOML).
pub fn entries(text: &str, format: SourceFormat) -> Vec<Tab<RawUncertain>> {
    with_format(format, || match format {
        SourceFormat::Toml => toml::from_str::<UncertainOnly>(text).ok(),
        SourceFormat::Json => serde_json::from_str::<UncertainOnly>(text).ok(),
    })
    .map(|u| u.uncertain)
    .unwrap_or_default()
}

/// `side.<role>.…` with the role replaced by that side's id in `doc` (a path naming an id, or any
/// other table, is returned as it is).
pub fn resolve_path(doc: &Value, path: &str) -> String {
    let segs: Vec<&str> = path.split('.').collect();
    if let ["side", role @ ("attacker" | "defender"), rest @ ..] = segs.as_slice() {
        let sides = doc.get("side").and_then(Value::as_array);
        let has_id = sides
            .into_iter()
            .flatten()
            .any(|s| s.get("id").and_then(Value::as_str) == Some(role));
        let id = sides
            .into_iter()
            .flatten()
            .find(|s| s.get("role").and_then(Value::as_str) == Some(role))
            .and_then(|s| s.get("id").and_then(Value::as_str));
        if let (false, Some(id)) = (has_id, id) {
            return std::iter::once("side")
                .chain(std::iter::once(id))
                .chain(rest.iter().copied())
                .collect::<Vec<_>>()
                .join(".");
        }
    }
    path.to_owned()
}

/// Checks one file's `[[uncertain]]` entries against the (merged) document: every problem is
/// located in that file. `doctrine` entries must name a doctrine parameter (a side by its role).
pub fn check_entries(
    raw: &[Tab<RawUncertain>],
    origin: Origin,
    doc: &Value,
    limits: &Limits,
    problems: &mut Vec<Problem>,
) -> Vec<UncertainParam> {
    let mut params = Vec::new();
    for (i, entry) in raw.iter().enumerate() {
        let before = problems.len();
        let e = &entry.inner;
        let at = |loc: Option<Range<usize>>| loc.or_else(|| entry.span());
        let here = format!("/uncertain/{i}");
        let mut number = |name: &str, field: &Option<Loc<f64>>| -> Option<f64> {
            match field {
                Some(l) => match &l.value {
                    Ok(v) if v.is_finite() => Some(*v),
                    _ => {
                        problems.push(Problem::new(
                            format!("{here}/{name}"),
                            at(l.span()),
                            format!("`{name}` must be a finite number"),
                            "write a number, e.g. 0.5",
                        ));
                        None
                    }
                },
                None => None,
            }
        };
        let low = number("low", &e.low);
        let high = number("high", &e.high);
        let mode = number("mode", &e.mode);
        let mean = number("mean", &e.mean);
        let sd = number("sd", &e.sd);
        let median = number("median", &e.median);
        let sigma = number("sigma", &e.sigma);
        let path = match e.path.as_ref().map(|l| (&l.value, l.span())) {
            Some((Ok(p), _)) if !p.trim().is_empty() => Some(p.trim().to_owned()),
            other => {
                problems.push(Problem::new(
                    format!("{here}/path"),
                    at(other.and_then(|o| o.1)),
                    "[[uncertain]] needs a `path`: the parameter, as --set names it",
                    "e.g. path = \"side.defender.lethality_per_day\"",
                ));
                None
            }
        };
        let path_span = e.path.as_ref().and_then(Loc::span).or_else(|| entry.span());
        let dist_span = e
            .distribution
            .as_ref()
            .and_then(Loc::span)
            .or_else(|| entry.span());
        let need = |problems: &mut Vec<Problem>, what: &str| {
            problems.push(Problem::new(
                format!("{here}/distribution"),
                dist_span.clone(),
                format!("this distribution needs {what}"),
                "see \"Uncertain parameters\" in scenarios/README.md",
            ));
        };
        let word = e
            .distribution
            .as_ref()
            .and_then(|l| l.value.as_ref().ok())
            .map(String::as_str);
        let distribution = match word {
            Some("uniform") => match (low, high) {
                (Some(low), Some(high)) => Some(Distribution::Uniform { low, high }),
                _ => {
                    need(problems, "`low` and `high`");
                    None
                }
            },
            Some("triangular") => match (low, mode, high) {
                (Some(low), Some(mode), Some(high)) => {
                    Some(Distribution::Triangular { low, mode, high })
                }
                _ => {
                    need(problems, "`low`, `mode` and `high`");
                    None
                }
            },
            Some("normal") => match (mean, sd, low, high) {
                (Some(mean), Some(sd), Some(low), Some(high)) => Some(Distribution::Normal {
                    mean,
                    sd,
                    low,
                    high,
                }),
                _ => {
                    need(
                        problems,
                        "`mean`, `sd`, and the truncation `low` and `high`",
                    );
                    None
                }
            },
            Some("lognormal") => match (median, sigma) {
                (Some(median), Some(sigma)) if median > 0.0 && sigma > 0.0 => {
                    let unbounded = Distribution::LogNormal {
                        median,
                        sigma,
                        low: 0.0,
                        high: f64::INFINITY,
                    };
                    Some(Distribution::LogNormal {
                        median,
                        sigma,
                        low: low.unwrap_or_else(|| unbounded.quantile(TAIL)),
                        high: high.unwrap_or_else(|| unbounded.quantile(1.0 - TAIL)),
                    })
                }
                _ => {
                    need(problems, "a positive `median` and `sigma`");
                    None
                }
            },
            _ => {
                problems.push(Problem::new(
                    format!("{here}/distribution"),
                    dist_span.clone(),
                    "`distribution` must be uniform, triangular, normal or lognormal",
                    "see \"Uncertain parameters\" in scenarios/README.md",
                ));
                None
            }
        };
        if let Some(d) = distribution
            && let Some(why) = shape_problem(&d)
        {
            problems.push(Problem::new(
                format!("{here}/distribution"),
                dist_span.clone(),
                why,
                "check the distribution's numbers",
            ));
        }
        if let (Some(path), Origin::Doctrine) = (&path, origin)
            && let Some(why) = doctrine_path_problem(path)
        {
            problems.push(Problem::new(
                format!("{here}/path"),
                path_span.clone(),
                why,
                "a doctrine's [[uncertain]] names doctrine parameters: side.attacker.…, side.defender.…, air.…, scenario.…; put place-specific ones in the scenario",
            ));
        }
        let integer = e
            .integer
            .as_ref()
            .and_then(|l| l.value.as_ref().ok().copied())
            .unwrap_or(false);
        if problems.len() > before {
            continue;
        }
        let (Some(path), Some(distribution)) = (path, distribution) else {
            continue;
        };
        let param = UncertainParam {
            target: resolve_path(doc, &path),
            path,
            distribution,
            integer,
            origin,
        };
        // Both ends of the range must make a valid scenario, so a wrong path or range is reported
        // here, at the entry, and never by a seed that happens to draw it.
        let (lo, hi) = param.distribution.bounds();
        for end in [lo, hi] {
            let end = if integer { libm::round(end) } else { end };
            if let Err(found) = scenario_with_settings(doc, &[param.setting(end)], limits) {
                for p in found {
                    problems.push(Problem::new(
                        format!("{here}/path"),
                        path_span.clone(),
                        format!("`{}` = {end}: {}", param.path, p.message),
                        p.help,
                    ));
                }
                break;
            }
        }
        if problems.len() == before {
            params.push(param);
        }
    }
    params
}

fn shape_problem(d: &Distribution) -> Option<String> {
    match *d {
        Distribution::Uniform { low, high } if low >= high => {
            Some(format!("`low` ({low}) must be below `high` ({high})"))
        }
        Distribution::Triangular { low, mode, high }
            if !(low < high && low <= mode && mode <= high) =>
        {
            Some(format!(
                "need low < high and mode within them (got {low}, {mode}, {high})"
            ))
        }
        Distribution::Normal { sd, low, high, .. } if sd <= 0.0 || low >= high => {
            Some("need `sd` > 0 and `low` below `high`".to_owned())
        }
        Distribution::LogNormal { low, high, .. } if low >= high || high <= 0.0 => {
            Some("need `low` below `high`, and `high` above 0".to_owned())
        }
        _ => None,
    }
}

pub(crate) fn doctrine_path_problem(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('.').collect();
    match segs.as_slice() {
        ["side", "attacker" | "defender", field] => {
            super::doctrine::place_specific("side", Some(field))
        }
        ["side", other, ..] => Some(format!(
            "a doctrine names a side by its role (attacker or defender), not `{other}`"
        )),
        ["air" | "scenario", field] | ["air", "priorities", field] => {
            super::doctrine::place_specific(segs[0], Some(field))
        }
        [table, ..] => Some(
            super::doctrine::place_specific(table, None)
                .unwrap_or_else(|| format!("`{path}` is not a doctrine parameter")),
        ),
        [] => Some("empty path".to_owned()),
    }
}

/// Runs a scenario for any seed, drawing its uncertain parameters for that seed first.
#[derive(Debug, Clone)]
pub struct SampledRunner {
    /// The scenario as loaded (used as it is when there are no uncertain parameters).
    pub base: ScenarioRunner,
    /// The uncertain parameters, if the scenario has any.
    pub inputs: Option<Arc<UncertainInputs>>,
    /// Whether `runs.csv` gets one column per parameter (`input:<path>`) with its drawn value
    /// (a sweep: yes; a comparison, whose two arms must have the same columns: no).
    pub record_inputs: bool,
}

/// The runs.csv column of an uncertain parameter's drawn value.
pub fn input_column(path: &str) -> String {
    format!("input:{path}")
}

impl SampledRunner {
    /// The scenario of `seed`: the loaded one, or with the seed's draws.
    pub fn scenario_for(&self, seed: u64) -> Result<Arc<Scenario>, String> {
        match &self.inputs {
            None => Ok(self.base.scenario.clone()),
            Some(inputs) => inputs
                .scenario_with(&inputs.draw(seed))
                .map(Arc::new)
                .map_err(|p| {
                    p.iter()
                        .map(|p| format!("{}: {}", p.path, p.message))
                        .collect::<Vec<_>>()
                        .join("; ")
                }),
        }
    }
}

impl SeedRunner for SampledRunner {
    fn figure_names(&self) -> Vec<String> {
        let mut names = self.base.figure_names();
        if let (Some(inputs), true) = (&self.inputs, self.record_inputs) {
            names.extend(inputs.params.iter().map(|p| input_column(&p.path)));
        }
        names
    }

    fn series_names(&self) -> Vec<String> {
        self.base.series_names()
    }

    fn run_seed(&self, seed: u64) -> Result<SeedResult, String> {
        let Some(inputs) = &self.inputs else {
            return self.base.run_seed(seed);
        };
        let values = inputs.draw(seed);
        let runner = ScenarioRunner {
            scenario: self.scenario_for(seed)?,
            days: self.base.days,
        };
        let mut result = runner.run_seed(seed)?;
        if self.record_inputs {
            result.figures.extend(values.into_iter().map(Some));
        }
        Ok(result)
    }
}
