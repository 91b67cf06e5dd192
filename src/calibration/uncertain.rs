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

use crate::ensemble::{SeedResult, SeedRunner};
use crate::rng::{Salt, fnv1a, stream, uniform};
use crate::runner::ScenarioRunner;
use crate::scenario::loc::{Loc, Tab, with_format};
use crate::scenario::overrides::apply_to;
use crate::scenario::raw::RawUncertain;
use crate::scenario::{
    Limits, Override, Problem, Scenario, SourceFormat, parse_scenario_with_limits,
};

/// The quantile at which a distribution without bounds is cut (and its mirror, 1 − this).
pub const TAIL: f64 = 0.001;

/// A parameter's distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// Uniform on [low, high].
    Uniform {
        /// Smallest value.
        low: f64,
        /// Largest value.
        high: f64,
    },
    /// Triangular on [low, high] with its peak at `mode`.
    Triangular {
        /// Smallest value.
        low: f64,
        /// Most likely value.
        mode: f64,
        /// Largest value.
        high: f64,
    },
    /// Normal(mean, sd) truncated to [low, high].
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation.
        sd: f64,
        /// Smallest value.
        low: f64,
        /// Largest value.
        high: f64,
    },
    /// Log-normal with the given median and sd of the log, truncated to [low, high].
    LogNormal {
        /// Median.
        median: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
        /// Smallest value.
        low: f64,
        /// Largest value.
        high: f64,
    },
}

impl Distribution {
    /// The value at cumulative probability `u` in [0, 1].
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match *self {
            Distribution::Uniform { low, high } => low + u * (high - low),
            Distribution::Triangular { low, mode, high } => {
                let split = (mode - low) / (high - low);
                if u < split {
                    low + libm::sqrt(u * (high - low) * (mode - low))
                } else {
                    high - libm::sqrt((1.0 - u) * (high - low) * (high - mode))
                }
            }
            Distribution::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                let (a, b) = (
                    normal_cdf((low - mean) / sd),
                    normal_cdf((high - mean) / sd),
                );
                (mean + sd * normal_quantile(a + u * (b - a))).clamp(low, high)
            }
            Distribution::LogNormal {
                median,
                sigma,
                low,
                high,
            } => {
                let z = |x: f64| (libm::log(x) - libm::log(median)) / sigma;
                let (a, b) = (normal_cdf(z(low)), normal_cdf(z(high)));
                (median * libm::exp(sigma * normal_quantile(a + u * (b - a)))).clamp(low, high)
            }
        }
    }

    /// The smallest and largest values it can take.
    pub fn bounds(&self) -> (f64, f64) {
        (self.quantile(0.0), self.quantile(1.0))
    }

    /// Its 5 % and 95 % quantiles: the width a calibration compares a posterior with.
    pub fn p5_p95(&self) -> (f64, f64) {
        (self.quantile(0.05), self.quantile(0.95))
    }

    /// The name written in files.
    pub fn name(&self) -> &'static str {
        match self {
            Distribution::Uniform { .. } => "uniform",
            Distribution::Triangular { .. } => "triangular",
            Distribution::Normal { .. } => "normal",
            Distribution::LogNormal { .. } => "lognormal",
        }
    }
}

/// Φ, the standard normal distribution function.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// Φ⁻¹: Acklam's rational approximation, polished by one Halley step (about 1e-15 relative).
pub fn normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let x = if p < 0.02425 {
        tail(libm::sqrt(-2.0 * libm::log(p)))
    } else if p > 1.0 - 0.02425 {
        -tail(libm::sqrt(-2.0 * libm::log(1.0 - p)))
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    let e = normal_cdf(x) - p;
    let u = e * libm::sqrt(2.0 * std::f64::consts::PI) * libm::exp(x * x / 2.0);
    x - u / (1.0 + x * u / 2.0)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_worked_values() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-12);
        let tri = Distribution::Triangular {
            low: 0.0,
            mode: 1.0,
            high: 2.0,
        };
        assert!((tri.quantile(0.5) - 1.0).abs() < 1e-12);
        assert!((tri.quantile(0.125) - 0.5).abs() < 1e-12);
        let uni = Distribution::Uniform {
            low: 2.0,
            high: 4.0,
        };
        assert_eq!(uni.quantile(0.25), 2.5);
        let n = Distribution::Normal {
            mean: 10.0,
            sd: 2.0,
            low: 0.0,
            high: 20.0,
        };
        assert!((n.quantile(0.5) - 10.0).abs() < 1e-9);
        let ln = Distribution::LogNormal {
            median: 0.01,
            sigma: 0.5,
            low: 0.001,
            high: 0.1,
        };
        assert!((ln.quantile(0.5) - 0.01).abs() < 1e-9);
        assert!((ln.quantile(normal_cdf(1.0)) - 0.01 * libm::exp(0.5)).abs() < 1e-6);
    }
}
