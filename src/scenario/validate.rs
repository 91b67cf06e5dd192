//! Validation: the raw layer → checked [`Scenario`], with every problem found on the way.
//!
//! Order: ids are indexed first (so references can be resolved whatever order tables come in), then
//! each table is checked field by field, then the cross-table rules (exactly two sides, an
//! objective that outside supply can reach at day 0). Checks never stop early: a wrong field becomes a
//! problem and a placeholder value, and the scenario is only built when no problem was found.

mod features;
mod plan;
mod theatre;

pub use theatre::valid_name;

use super::check::{Checker, Ctx, IdSet, index_ids};
use super::problem::Problem;
use super::raw::RawScenarioFile;
use super::types::Scenario;
use std::collections::BTreeMap;

/// Id → index maps of every repeated table that others refer to.
pub(crate) struct Ids {
    pub sides: BTreeMap<String, usize>,
    pub settlements: BTreeMap<String, usize>,
    pub routes: BTreeMap<String, usize>,
    pub units: BTreeMap<String, usize>,
    pub depots: BTreeMap<String, usize>,
}

/// The problem path of a `doctrine` that text alone cannot resolve: the loader, which knows the
/// file, merges the doctrine ([`crate::calibration::compose`]) and drops this problem.
pub const DOCTRINE_NEEDS_A_FILE: &str = "/scenario/doctrine";

/// A scenario read from text alone (no file) cannot resolve the relative path of its doctrine:
/// refused rather than run silently without it.
fn doctrine_needs_a_file(c: &mut Checker, raw: &RawScenarioFile) {
    if let Some(d) = raw
        .scenario
        .as_ref()
        .and_then(|m| m.inner.doctrine.as_ref())
    {
        c.report(
            DOCTRINE_NEEDS_A_FILE.to_owned(),
            d.span(),
            "this scenario names a doctrine file, which text alone cannot resolve".to_owned(),
            "load the scenario from its file (`phaseline` commands and `load_scenario` do), so the doctrine's path is read relative to it".to_owned(),
        );
    }
}

/// Checks a raw scenario; returns it checked, or every problem found.
pub fn validate(raw: &RawScenarioFile) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker::default();
    let ids = index_all(&mut c, raw);
    let meta = theatre::meta(&mut c, raw);
    doctrine_needs_a_file(&mut c, raw);
    let sides = theatre::sides(&mut c, raw, &ids);
    let side_order = theatre::side_order(&mut c, raw, &sides);
    let side_map = |i: usize| side_order.map_or(0, |o: [usize; 2]| usize::from(o[1] == i));
    let settlements = theatre::settlements(&mut c, raw, &ids, &side_map);
    let routes = theatre::routes(&mut c, raw, &ids);
    let units = theatre::units(&mut c, raw, &ids, &side_map);
    let depots = theatre::depots(&mut c, raw, &ids, &side_map);
    let objectives = plan::objectives(&mut c, raw, &ids, side_order);
    let defender_reach_km = side_order.map_or(0.0, |[_, d]| sides[d].threat_reach_km);
    let phases = plan::phases(
        &mut c,
        raw,
        &ids,
        &settlements,
        objectives.first(),
        defender_reach_km,
    );
    let air = plan::air(&mut c, raw);
    let fronts = plan::fronts(&mut c, raw, meta.duration_days);
    let injects = plan::injects(&mut c, raw, &ids, &side_map, meta.duration_days);
    let features = features::features(&mut c, raw);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    let Some([a, d]) = side_order else {
        return Err(c.problems);
    };
    let mut by_role = [sides[a].clone(), sides[d].clone()];
    if by_role[1].reserve_at.is_none() {
        by_role[1].reserve_at = objectives.first().and_then(|o| o.sources.first().copied());
    }
    let scenario = Scenario {
        meta,
        sides: by_role,
        settlements,
        routes,
        units,
        depots,
        objectives,
        phases,
        air,
        fronts,
        injects,
        features,
    };
    plan::check_reachability(&mut c, raw, &scenario);
    if c.problems.is_empty() {
        Ok(scenario)
    } else {
        Err(c.problems)
    }
}

fn index_all(c: &mut Checker, raw: &RawScenarioFile) -> Ids {
    let sides = index_ids(
        c,
        "side",
        raw.side
            .iter()
            .enumerate()
            .map(|(i, t)| (i, &t.inner.id, t.span())),
    );
    let settlements = index_ids(
        c,
        "settlement",
        raw.settlement
            .iter()
            .enumerate()
            .map(|(i, t)| (i, &t.inner.id, t.span())),
    );
    let units = index_ids(
        c,
        "unit",
        raw.unit
            .iter()
            .enumerate()
            .map(|(i, t)| (i, &t.inner.id, t.span())),
    );
    let depots = index_ids(
        c,
        "depot",
        raw.depot
            .iter()
            .enumerate()
            .map(|(i, t)| (i, &t.inner.id, t.span())),
    );
    let mut routes = BTreeMap::new();
    let mut seen = IdSet::default();
    for (i, t) in raw.route.iter().enumerate() {
        let id = theatre::route_id(&t.inner);
        if let Some(first) = seen.insert(&id, format!("[[route]] #{i}")) {
            let ctx = Ctx::new("route", Some(i), t.span());
            c.report(
                format!("{}/id", ctx.path),
                t.inner.id.as_ref().and_then(|l| l.span()).or(t.span()),
                format!("{}: duplicate route id {id:?} (also {first})", ctx.label),
                "give one of the two routes an explicit `id = \"…\"`".into(),
            );
        } else {
            routes.insert(id, i);
        }
    }
    Ids {
        sides,
        settlements,
        routes,
        units,
        depots,
    }
}
