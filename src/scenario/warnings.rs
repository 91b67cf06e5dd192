//! Warnings: what a scenario may legally say but almost surely did not mean.
//!
//! A valid scenario can still be one where nothing happens and nothing says why: a side without a
//! depot starves, a unit in a settlement that no route touches can neither move nor be supplied.
//! `phaseline validate` prints these on stderr, located like errors (`file:line:column`), and
//! exits 0; `--strict` makes them errors.

use std::path::Path;

use super::load::parse_raw_with_limits;
use super::raw::RawScenarioFile;
use super::types::{Scenario, Side};
use super::{Limits, Problem, SourceFormat};

/// Every warning about `scenario`, in file order (sides, then units), without locations.
pub fn warnings(scenario: &Scenario) -> Vec<String> {
    located(scenario, None)
        .into_iter()
        .map(|p| p.message)
        .collect()
}

/// Every warning about the scenario read from `path`, whose text is `text`, rendered for a terminal
/// with `severity` (`warning`, or `error` under `--strict`) and the file's line and column where
/// they can be found (none when `text` is empty, e.g. a pipe that cannot be read twice).
pub fn rendered_warnings(
    path: &Path,
    text: &str,
    scenario: &Scenario,
    limits: &Limits,
    severity: &str,
) -> Vec<String> {
    let format = SourceFormat::of_path(path);
    let raw = parse_raw_with_limits(text, format, limits)
        .ok()
        .map(|(raw, _)| raw);
    let file = path.display().to_string();
    located(scenario, raw.as_ref())
        .iter()
        .map(|p| p.render_as(&file, text, severity))
        .collect()
}

/// The warnings as problems, with spans from `raw` when given.
fn located(scenario: &Scenario, raw: Option<&RawScenarioFile>) -> Vec<Problem> {
    let mut out = Vec::new();
    for (which, side) in Side::BOTH.into_iter().zip(&scenario.sides) {
        let has_units = scenario.units.iter().any(|u| u.side == which);
        if !has_units || scenario.depots.iter().any(|d| d.side == which) {
            continue;
        }
        let at = raw.and_then(|r| {
            r.side.iter().enumerate().find(|(_, t)| {
                t.inner
                    .id
                    .as_ref()
                    .is_some_and(|id| id.value.as_deref().ok() == Some(side.id.as_str()))
            })
        });
        out.push(Problem::new(
            at.map_or("/side".to_owned(), |(k, _)| format!("/side/{k}")),
            at.and_then(|(_, t)| t.span()),
            format!(
                "side \"{}\" has units but no [[depot]]: nothing resupplies them, so they run \
                 out of supply and weaken",
                side.id
            ),
            format!(
                "add a [[depot]] with side = \"{}\" if that is not the intent",
                side.id
            ),
        ));
    }
    let mut touched = vec![false; scenario.settlements.len()];
    for r in &scenario.routes {
        touched[r.from] = true;
        touched[r.to] = true;
    }
    for (k, u) in scenario.units.iter().enumerate() {
        if touched[u.at] {
            continue;
        }
        let place = &scenario.settlements[u.at].id;
        let table = raw.and_then(|r| r.unit.get(k));
        let span = table.and_then(|t| t.inner.at.as_ref().and_then(|l| l.span()).or(t.span()));
        out.push(Problem::new(
            format!("/unit/{k}/at"),
            span,
            format!(
                "unit \"{}\" starts at \"{place}\", which no [[route]] touches: it can neither \
                 move nor be resupplied",
                u.id
            ),
            format!("add a [[route]] from \"{place}\", or start the unit elsewhere"),
        ));
    }
    out
}
