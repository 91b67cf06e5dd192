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
use super::types::{Scenario, Side};
use std::collections::BTreeMap;

/// Id → index maps of every repeated table that others refer to.
///
/// The index of a settlement, route, unit or depot is its id's rank in sorted order, not its
/// position in the file, and the checked tables are stored in that order: every tie the model
/// breaks by index is then broken by stable id, every sum runs in id order, and reordering the
/// tables of a file changes no output byte.
pub(crate) struct Ids {
    pub sides: BTreeMap<String, usize>,
    pub settlements: BTreeMap<String, usize>,
    pub routes: BTreeMap<String, usize>,
    pub depots: BTreeMap<String, usize>,
    /// Where each table's elements go in the checked scenario.
    pub settlement_order: IdOrder,
    pub route_order: IdOrder,
    pub unit_order: IdOrder,
    pub depot_order: IdOrder,
}

/// A table's permutation from file position to id rank.
pub(crate) struct IdOrder {
    /// `rank_of_position[i]`: the index in the checked scenario of the file's `i`-th table.
    rank_of_position: Vec<Option<usize>>,
}

impl IdOrder {
    /// Renumbers `index` (id → file position) to id ranks, remembering the permutation.
    fn by_id(index: &mut BTreeMap<String, usize>, positions: usize) -> IdOrder {
        let mut rank_of_position = vec![None; positions];
        // A BTreeMap iterates in id order, so the n-th entry has rank n.
        for (rank, position) in index.values_mut().enumerate() {
            rank_of_position[*position] = Some(rank);
            *position = rank;
        }
        IdOrder { rank_of_position }
    }

    /// Puts the checked tables (in file order) in id order. Only meaningful when every table had
    /// a valid, unique id; otherwise validation has failed and the order does not matter.
    fn arrange<T>(&self, in_file_order: Vec<T>) -> Vec<T> {
        if in_file_order.len() != self.rank_of_position.len()
            || self.rank_of_position.iter().any(Option::is_none)
        {
            return in_file_order;
        }
        let mut slots: Vec<Option<T>> = (0..in_file_order.len()).map(|_| None).collect();
        for (item, rank) in in_file_order.into_iter().zip(&self.rank_of_position) {
            if let Some(rank) = rank {
                slots[*rank] = Some(item);
            }
        }
        slots.into_iter().flatten().collect()
    }
}

/// Checks a raw scenario; returns it checked, or every problem found.
pub fn validate(raw: &RawScenarioFile) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker::default();
    let ids = index_all(&mut c, raw);
    let meta = theatre::meta(&mut c, raw);
    let sides = theatre::sides(&mut c, raw, &ids);
    let side_order = theatre::side_order(&mut c, raw, &sides);
    let side_map = |i: usize| match side_order {
        Some([_, d]) if d == i => Side::Defender,
        _ => Side::Attacker,
    };
    let settlements = ids
        .settlement_order
        .arrange(theatre::settlements(&mut c, raw, &ids, &side_map));
    let routes = ids.route_order.arrange(theatre::routes(&mut c, raw, &ids));
    let lines = plan::lines(&mut c, raw);
    let units = ids
        .unit_order
        .arrange(theatre::units(&mut c, raw, &ids, &side_map, &lines));
    let depots = ids
        .depot_order
        .arrange(theatre::depots(&mut c, raw, &ids, &side_map));
    let objectives = plan::objectives(&mut c, raw, &ids, side_order);
    let defender_reach_km = side_order.map_or(0.0, |[_, d]| sides[d].threat_reach_km);
    let phases = plan::phases(
        &mut c,
        raw,
        &ids,
        &settlements,
        objectives.first(),
        defender_reach_km,
        &lines,
    );
    let air = plan::air(&mut c, raw);
    let fronts = plan::fronts(&mut c, raw, meta.duration_days);
    let injects = plan::injects(&mut c, raw, &ids, &side_map, meta.duration_days);
    let mut features = features::features(&mut c, raw);
    // Features have no id: kind, name and points order them, so the map is drawn the same
    // whatever order the file lists them in.
    features.sort_by(|a, b| {
        (a.kind, &a.name).cmp(&(b.kind, &b.name)).then_with(|| {
            let points = |f: &super::types::Feature| {
                f.points
                    .iter()
                    .flat_map(|&(la, lo)| [la, lo])
                    .collect::<Vec<f64>>()
            };
            points(a)
                .iter()
                .zip(points(b).iter())
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or_else(|| a.points.len().cmp(&b.points.len()))
        })
    });
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
        lines,
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
    let (mut settlements, mut routes, mut units, mut depots) = (settlements, routes, units, depots);
    Ids {
        settlement_order: IdOrder::by_id(&mut settlements, raw.settlement.len()),
        route_order: IdOrder::by_id(&mut routes, raw.route.len()),
        unit_order: IdOrder::by_id(&mut units, raw.unit.len()),
        depot_order: IdOrder::by_id(&mut depots, raw.depot.len()),
        sides,
        settlements,
        routes,
        depots,
    }
}
