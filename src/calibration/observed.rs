//! Observations: what history recorded, as a file, and how each milestone is read from a run.
//!
//! ```toml
//! [observed]
//! name = "raqqa-2016-17"
//! start_date = "2016-11-05"      # day 0 of the record: must be the scenario's start_date
//! discrepancy_share = 0.1        # model discrepancy, as a share of each observed value (calibrate)
//!
//! [[milestone]]
//! id = "tabqa"
//! label = "Tabqa town and dam taken"
//! measure = "settlement_taken"   # what a run records for it (see MEASURES)
//! settlement = "tabqa"
//! observed = 186                 # the day (or the value, for value measures)
//! plus_minus = 3                 # its uncertainty, read as two standard deviations
//! ```
//!
//! A day measure that never happened in a run is censored: it counts as "after the end".

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use super::measure::{MEASURES, Measure};
use crate::results::RunOutput;
use crate::scenario::loc::{Loc, Tab, with_format};
use crate::scenario::{Problem, Scenario};

/// One observed milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    /// Its id (a CSV column).
    pub id: String,
    /// What happened, in words.
    pub label: String,
    /// What a run records for it.
    pub measure: Measure,
    /// The observed day or value.
    pub observed: f64,
    /// Its uncertainty (± days or ± value), read as two standard deviations.
    pub plus_minus: f64,
    /// Where it is written, for problems found against a scenario.
    pub span: Option<Range<usize>>,
}

/// A checked observations file.
#[derive(Debug, Clone, PartialEq)]
pub struct Observations {
    /// The file.
    pub path: PathBuf,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
    /// Its text (for locating problems found against a scenario).
    pub text: String,
    /// `[observed] name`.
    pub name: String,
    /// `[observed] description`.
    pub description: String,
    /// Day 0 of the record, `YYYY-MM-DD`, if given.
    pub start_date: Option<String>,
    /// Model discrepancy standard deviation as a share of each observed value.
    pub discrepancy_share: f64,
    /// The milestones, in file order.
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Default, Deserialize)]
struct RawFile {
    observed: Option<Tab<RawHeader>>,
    #[serde(default)]
    milestone: Vec<Tab<RawMilestone>>,
}

#[derive(Debug, Default, Deserialize)]
struct RawHeader {
    name: Option<Loc<String>>,
    description: Option<Loc<String>>,
    start_date: Option<Loc<String>>,
    discrepancy_share: Option<Loc<f64>>,
}

#[derive(Debug, Default, Deserialize)]
struct RawMilestone {
    id: Option<Loc<String>>,
    label: Option<Loc<String>>,
    measure: Option<Loc<String>>,
    observed: Option<Loc<f64>>,
    plus_minus: Option<Loc<f64>>,
    phase: Option<Loc<String>>,
    settlement: Option<Loc<String>>,
    route: Option<Loc<String>>,
    share: Option<Loc<f64>>,
    day: Option<Loc<f64>>,
    side: Option<Loc<String>>,
}

/// Why an observations file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ObservedError {
    /// The file could not be read.
    #[error("cannot read observations file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file holds problems (its own, or its milestones' against the scenario).
    #[error("{}", crate::scenario::load::render_problems(.file, .source_text, .problems))]
    Invalid {
        /// The file as given.
        file: String,
        /// Its text.
        source_text: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

/// Largest observations file read, bytes.
pub const MAX_OBSERVED_BYTES: u64 = 1 << 20;

/// Reads and checks the observations file at `path`.
pub fn read_observations(path: &Path) -> Result<Observations, ObservedError> {
    let bytes = crate::fsio::read_limited(path, MAX_OBSERVED_BYTES).map_err(|e| match e {
        crate::fsio::ReadLimitError::Io(source) => ObservedError::Io {
            path: path.to_owned(),
            source,
        },
        crate::fsio::ReadLimitError::TooLarge { .. } => ObservedError::Io {
            path: path.to_owned(),
            source: std::io::Error::other(format!(
                "over the {MAX_OBSERVED_BYTES}-byte limit of an observations file"
            )),
        },
    })?;
    observations_from_bytes(path, bytes)
}

/// [`read_observations`] of the bytes `bytes`, already read from `path`.
pub fn observations_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Observations, ObservedError> {
    let sha256 = crate::scenario::hex_sha256(&bytes);
    let invalid = |text: String, problems| ObservedError::Invalid {
        file: path.display().to_string(),
        source_text: text,
        problems,
    };
    let text = crate::scenario::load::utf8_text(bytes, "observations file")
        .map_err(|(p, lossy)| invalid(lossy, vec![p]))?;
    let mut obs = parse_observations(&text).map_err(|p| invalid(text.clone(), p))?;
    obs.path = path.to_owned();
    obs.sha256 = sha256;
    Ok(obs)
}

/// Parses observations text; every problem at once.
pub fn parse_observations(text: &str) -> Result<Observations, Vec<Problem>> {
    let mut unknown = Vec::new();
    let raw: RawFile = with_format(crate::scenario::SourceFormat::Toml, || {
        let de = toml::Deserializer::parse(text).map_err(|e| syntax(&e))?;
        serde_ignored::deserialize(de, |p| unknown.push(crate::scenario::load::pointer(&p)))
            .map_err(|e: toml::de::Error| syntax(&e))
    })
    .map_err(|p| vec![p])?;
    let mut problems: Vec<Problem> = unknown
        .into_iter()
        .map(|path| {
            let key = path.rsplit('/').next().unwrap_or("").to_owned();
            let span = crate::scenario::load::find_toml_key(text, &path, &key);
            Problem::new(
                path,
                span,
                format!("unknown field `{key}`"),
                "an observations file has [observed] (name, description, start_date, discrepancy_share) and [[milestone]] (id, label, measure, observed, plus_minus, and phase, settlement, route, share, day or side as the measure needs); see docs/calibration.md",
            )
        })
        .collect();
    let header = raw.observed.as_ref().map(|t| &t.inner);
    let text_of = |l: &Option<Loc<String>>| l.as_ref().and_then(|l| l.value.as_ref().ok()).cloned();
    let discrepancy_share = match header.and_then(|h| h.discrepancy_share.as_ref()) {
        None => 0.1,
        Some(l) => match &l.value {
            Ok(v) if (0.0..=10.0).contains(v) => *v,
            _ => {
                problems.push(Problem::new(
                    "/observed/discrepancy_share",
                    l.span(),
                    "`discrepancy_share` must be a number from 0 to 10",
                    "the model discrepancy's standard deviation as a share of each observed value (0.1: 10 %)",
                ));
                0.1
            }
        },
    };
    let mut milestones = Vec::new();
    if raw.milestone.is_empty() {
        problems.push(Problem::new(
            "/milestone",
            Some(0..0),
            "no [[milestone]]: nothing to compare a run with",
            "add at least one [[milestone]] (see docs/calibration.md)",
        ));
    }
    for (i, m) in raw.milestone.iter().enumerate() {
        if let Some(ms) = milestone(i, m, &mut problems) {
            if milestones.iter().any(|x: &Milestone| x.id == ms.id) {
                problems.push(Problem::new(
                    format!("/milestone/{i}/id"),
                    m.span(),
                    format!("a second milestone `{}`", ms.id),
                    "give every milestone its own id",
                ));
            }
            milestones.push(ms);
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
        return Err(problems);
    }
    Ok(Observations {
        path: PathBuf::new(),
        sha256: String::new(),
        text: text.to_owned(),
        name: header.and_then(|h| text_of(&h.name)).unwrap_or_default(),
        description: header
            .and_then(|h| text_of(&h.description))
            .unwrap_or_default(),
        start_date: header.and_then(|h| text_of(&h.start_date)),
        discrepancy_share,
        milestones,
    })
}

fn syntax(e: &toml::de::Error) -> Problem {
    Problem::new(
        "/",
        e.span(),
        format!("TOML syntax: {}", e.message().trim()),
        "fix the syntax at the marked place (TOML reference: https://toml.io)",
    )
}

fn milestone(i: usize, t: &Tab<RawMilestone>, problems: &mut Vec<Problem>) -> Option<Milestone> {
    let m = &t.inner;
    let here = |f: &str| format!("/milestone/{i}/{f}");
    let before = problems.len();
    let mut need = |f: &str, what: &str| {
        problems.push(Problem::new(
            here(f),
            t.span(),
            format!("[[milestone]] #{i} is missing required field `{f}`"),
            what.to_owned(),
        ));
    };
    let text = |l: &Option<Loc<String>>| l.as_ref().and_then(|l| l.value.as_ref().ok()).cloned();
    let num = |l: &Option<Loc<f64>>| l.as_ref().and_then(|l| l.value.as_ref().ok()).copied();
    let id = text(&m.id);
    if id.is_none() {
        need("id", "a short name, e.g. id = \"tabqa\"");
    }
    let observed = num(&m.observed);
    if observed.is_none() {
        need(
            "observed",
            "the observed day (or value), e.g. observed = 186",
        );
    }
    let word = text(&m.measure);
    let measure_span = m.measure.as_ref().and_then(Loc::span).or_else(|| t.span());
    let known: Vec<&str> = MEASURES.iter().map(|m| m.0).collect();
    let measure = match word.as_deref() {
        None => {
            need("measure", &format!("one of: {}", known.join(", ")));
            None
        }
        Some("isolation_day") => Some(Measure::IsolationDay),
        Some("capture_day") => Some(Measure::CaptureDay),
        Some("objective_entered") => Some(Measure::ObjectiveEntered),
        Some("back_door_closed") => Some(Measure::BackDoorClosed),
        Some("phase_start") => text(&m.phase).map(Measure::PhaseStart).or_else(|| {
            need(
                "phase",
                "phase_start needs the phase's name: phase = \"Assault\"",
            );
            None
        }),
        Some("settlement_taken") => {
            text(&m.settlement)
                .map(Measure::SettlementTaken)
                .or_else(|| {
                    need("settlement", "settlement_taken needs a settlement id");
                    None
                })
        }
        Some("route_cut") => text(&m.route).map(Measure::RouteCut).or_else(|| {
            need(
                "route",
                "route_cut needs a route id (a route without an id: <from>-<to>)",
            );
            None
        }),
        Some("villages_share_day") => match num(&m.share) {
            Some(s) if s > 0.0 && s <= 1.0 => Some(Measure::VillagesShareDay(s)),
            _ => {
                need(
                    "share",
                    "villages_share_day needs a share in (0, 1]: share = 0.3",
                );
                None
            }
        },
        Some("villages_share_on") => match num(&m.day) {
            Some(d) if d >= 0.0 && d.fract() == 0.0 => Some(Measure::VillagesShareOn(d as u32)),
            _ => {
                need("day", "villages_share_on needs a whole day: day = 9");
                None
            }
        },
        Some("losses") => match text(&m.side).as_deref() {
            Some("attacker") => Some(Measure::Losses(0)),
            Some("defender") => Some(Measure::Losses(1)),
            _ => {
                need("side", "losses needs side = \"attacker\" or \"defender\"");
                None
            }
        },
        Some(other) => {
            problems.push(Problem::new(
                here("measure"),
                measure_span,
                format!("unknown measure `{other}`"),
                format!("use one of: {}", known.join(", ")),
            ));
            None
        }
    };
    let plus_minus = match &m.plus_minus {
        None => 0.0,
        Some(l) => match &l.value {
            Ok(v) if *v >= 0.0 && v.is_finite() => *v,
            _ => {
                problems.push(Problem::new(
                    here("plus_minus"),
                    l.span(),
                    "`plus_minus` must be a number ≥ 0",
                    "the observation's uncertainty, ± days (or ± value), read as two standard deviations",
                ));
                0.0
            }
        },
    };
    if problems.len() > before {
        return None;
    }
    let id = id?;
    Some(Milestone {
        label: text(&m.label).unwrap_or_else(|| id.clone()),
        id,
        measure: measure?,
        observed: observed?,
        plus_minus,
        span: t.span(),
    })
}

impl Observations {
    /// Problems of the milestones against `scenario`: ids it lacks, a record that starts on
    /// another day. Located in the observations file.
    pub fn check_against(&self, scenario: &Scenario) -> Result<(), ObservedError> {
        let mut problems = Vec::new();
        if let Some(date) = &self.start_date
            && *date != crate::calendar::iso_date(scenario.meta.start_epoch_day)
        {
            problems.push(Problem::new(
                "/observed/start_date",
                self.text.find("start_date").map(|i| i..i + 10),
                format!(
                    "the record starts on {date}, the scenario on {}: days would not line up",
                    crate::calendar::iso_date(scenario.meta.start_epoch_day)
                ),
                "use the scenario whose day 0 is this record's day 0",
            ));
        }
        for (i, m) in self.milestones.iter().enumerate() {
            let missing = match &m.measure {
                Measure::PhaseStart(p) if !scenario.phases.iter().any(|x| x.name == *p) => Some((
                    "phase",
                    p.clone(),
                    scenario
                        .phases
                        .iter()
                        .map(|x| x.name.clone())
                        .collect::<Vec<_>>(),
                )),
                Measure::SettlementTaken(s) if !scenario.settlements.iter().any(|x| x.id == *s) => {
                    Some((
                        "settlement",
                        s.clone(),
                        scenario.settlements.iter().map(|x| x.id.clone()).collect(),
                    ))
                }
                Measure::RouteCut(r) if !scenario.routes.iter().any(|x| x.id == *r) => Some((
                    "route",
                    r.clone(),
                    scenario.routes.iter().map(|x| x.id.clone()).collect(),
                )),
                _ => None,
            };
            if let Some((what, id, ids)) = missing {
                let hint = crate::scenario::check::suggestion(&id, ids.iter().map(String::as_str));
                problems.push(Problem::new(
                    format!("/milestone/{i}/{what}"),
                    m.span.clone(),
                    format!(
                        "milestone `{}`: the scenario has no {what} `{id}`{hint}",
                        m.id
                    ),
                    format!("name a {what} of {}", scenario.meta.name),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ObservedError::Invalid {
                file: self.path.display().to_string(),
                source_text: self.text.clone(),
                problems,
            })
        }
    }

    /// The milestones' values in one run.
    pub fn read(&self, run: &RunOutput, scenario: &Scenario) -> Vec<Option<f64>> {
        self.milestones
            .iter()
            .map(|m| m.measure.read(run, scenario))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_found_with_its_line() {
        let text = "[observed]\nname = \"x\"\nbogus = 1\n\n[[milestone]]\nid = \"a\"\nmeasure = \"settlement_taken\"\nobserved = 5\n\n[[milestone]]\nid = \"b\"\nmeasure = \"nope\"\nobserved = 5\n";
        let problems = parse_observations(text).err().unwrap_or_default();
        let lines: Vec<usize> = problems
            .iter()
            .map(|p| p.line_col(text).map_or(0, |l| l.0))
            .collect();
        assert_eq!(lines, vec![3, 5, 12], "{problems:?}");
    }
}
