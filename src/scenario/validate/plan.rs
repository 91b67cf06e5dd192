//! Validation of the campaign plan: objectives, phases, air, fronts and injects, and the check that
//! outside supply can reach each objective on day 0 (otherwise its isolation index means nothing).

use super::Ids;
use crate::graph::RouteGraph;
use crate::scenario::check::{Checker, Ctx, IdSet};
use crate::scenario::loc::Loc;
use crate::scenario::raw::{RawScenarioFile, RawUnit};
use crate::scenario::types::{
    Air, Behaviour, Front, Inject, InjectAction, Objective, Phase, Priorities, Scenario,
    Settlement, SettlementKind, Side, Trigger, TriggerMode,
};

/// Every `[[objective]]`; at least one is required.
pub(super) fn objectives(
    c: &mut Checker,
    raw: &RawScenarioFile,
    ids: &Ids,
    order: Option<[usize; 2]>,
) -> Vec<Objective> {
    if raw.objective.is_empty() {
        c.report(
            "/objective".into(),
            Some(0..0),
            "the scenario has no [[objective]]".into(),
            "add an [[objective]] with settlement, attacker and sources".into(),
        );
    }
    let attacker_id = order
        .and_then(|[a, _]| raw.side.get(a))
        .and_then(|t| t.inner.id.as_ref())
        .and_then(|l| l.value.clone().ok());
    let mut out = Vec::new();
    for (i, t) in raw.objective.iter().enumerate() {
        let ctx = Ctx::new("objective", Some(i), t.span());
        let r = &t.inner;
        let settlement = c.reference(
            &ctx,
            "settlement",
            &r.settlement,
            &ids.settlements,
            "settlement",
        );
        if let (Some(side), Some(att)) = (
            c.reference(&ctx, "attacker", &r.attacker, &ids.sides, "side"),
            &attacker_id,
        ) && raw
            .side
            .get(side)
            .and_then(|t| t.inner.id.as_ref())
            .and_then(|l| l.value.as_ref().ok())
            != Some(att)
        {
            c.report_field(
                &ctx,
                "attacker",
                &r.attacker,
                format!(
                    "{}: `attacker` names a side whose role is not attacker",
                    ctx.label
                ),
                format!("write attacker = \"{att}\""),
            );
        }
        let sources = c
            .references(&ctx, "sources", &r.sources, &ids.settlements, "settlement")
            .unwrap_or_default();
        if r.sources
            .as_ref()
            .is_some_and(|l| l.value.as_ref().is_ok_and(Vec::is_empty))
        {
            c.report_field(
                &ctx,
                "sources",
                &r.sources,
                format!("{}: `sources` is empty", ctx.label),
                "name at least one settlement the defender is supplied from".into(),
            );
        }
        let exits = match &r.exits {
            Some(_) => c
                .references(&ctx, "exits", &r.exits, &ids.settlements, "settlement")
                .unwrap_or_default(),
            None => sources.clone(),
        };
        if let Some(s) = settlement
            && r.exits.is_some()
            && exits.contains(&s)
        {
            c.report_field(
                &ctx,
                "exits",
                &r.exits,
                format!("{}: the objective is one of its own exits", ctx.label),
                "exits are where the defender escapes to, outside the objective: remove the objective from `exits`".into(),
            );
        }
        if let Some(s) = settlement
            && sources.contains(&s)
        {
            c.report_field(
                &ctx,
                "sources",
                &r.sources,
                format!("{}: the objective is one of its own sources", ctx.label),
                "sources are outside the objective: remove the objective from `sources`".into(),
            );
        }
        let leave_open = c
            .references(&ctx, "leave_open", &r.leave_open, &ids.routes, "route")
            .unwrap_or_default();
        out.push(Objective {
            settlement: settlement.unwrap_or(0),
            sources,
            exits,
            leave_open,
        });
    }
    out
}

/// The attacker's lines of effort: the `line` names of the `[[phase]]` tables in order of first
/// appearance, each with its index; one line, `main`, when no phase names one.
pub(super) fn lines(c: &mut Checker, raw: &RawScenarioFile) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (i, t) in raw.phase.iter().enumerate() {
        let ctx = Ctx::new("phase", Some(i), t.span());
        let name = c
            .get(&ctx, "line", &t.inner.line)
            .unwrap_or_else(|| DEFAULT_LINE.to_owned());
        if !lines.contains(&name) {
            lines.push(name);
        }
    }
    if lines.is_empty() {
        lines.push(DEFAULT_LINE.to_owned());
    }
    lines
}

/// The line of effort of a plan that names none.
const DEFAULT_LINE: &str = "main";

/// Every `[[phase]]`; without any, the default isolate → clear → assault plan.
pub(super) fn phases(
    c: &mut Checker,
    raw: &RawScenarioFile,
    ids: &Ids,
    settlements: &[Settlement],
    primary: Option<&Objective>,
    defender_reach_km: f64,
    lines: &[String],
) -> Vec<Phase> {
    if raw.phase.is_empty() {
        let ring = primary.map_or_else(Vec::new, |o| {
            villages_within(settlements, o, defender_reach_km)
        });
        return default_phases(ring);
    }
    let mut out = Vec::new();
    for (i, t) in raw.phase.iter().enumerate() {
        let ctx = Ctx::new("phase", Some(i), t.span());
        let r = &t.inner;
        let behaviour = match c.word(&ctx, "behaviour", &r.behaviour).as_deref() {
            Some("clear") => Behaviour::Clear,
            Some("assault") => Behaviour::Assault,
            _ => Behaviour::Isolate,
        };
        let line_name = r
            .line
            .as_ref()
            .and_then(|l| l.value.clone().ok())
            .unwrap_or_else(|| DEFAULT_LINE.to_owned());
        let line = lines.iter().position(|l| *l == line_name).unwrap_or(0);
        let first_of_line = raw.phase[..i].iter().all(|p| {
            p.inner
                .line
                .as_ref()
                .and_then(|l| l.value.clone().ok())
                .unwrap_or_else(|| DEFAULT_LINE.to_owned())
                != line_name
        });
        let trigger = match &r.trigger {
            Some(tt) if first_of_line => {
                c.report(
                    format!("{}/trigger", ctx.path),
                    tt.span().or(ctx.span.clone()),
                    format!(
                        "{}: the first phase of line \"{line_name}\" starts on day 0, so its trigger would never be evaluated",
                        ctx.label
                    ),
                    "remove the trigger from the first [[phase]] of the line; triggers say when the later phases start".into(),
                );
                Trigger::default()
            }
            Some(tt) => {
                let tctx = ctx.child("trigger", "phase.trigger", tt.span());
                trigger(c, &tctx, &tt.inner, ids, settlements, primary)
            }
            None if !first_of_line => {
                c.report(format!("{}/trigger", ctx.path), ctx.span.clone(), format!("{}: only the first phase of a line of effort may have no trigger", ctx.label), "add a [phase.trigger] table, e.g. trigger = { isolation_at_least = 0.9, for_days = 3 }".into());
                Trigger::default()
            }
            None => Trigger::default(),
        };
        out.push(Phase {
            name: c.get(&ctx, "name", &r.name).unwrap_or_default(),
            behaviour,
            trigger,
            line,
        });
    }
    out
}

fn trigger(
    c: &mut Checker,
    ctx: &Ctx,
    r: &crate::scenario::raw::RawTrigger,
    ids: &Ids,
    settlements: &[Settlement],
    primary: Option<&Objective>,
) -> Trigger {
    let radius = c.opt_num(ctx, "radius_km", &r.radius_km);
    let problems_before_area = c.problems.len();
    let area = match (&r.area, radius, primary) {
        (Some(_), _, _) => c
            .references(ctx, "area", &r.area, &ids.settlements, "settlement")
            .unwrap_or_default(),
        (None, Some(km), Some(obj)) => villages_within(settlements, obj, km),
        _ => settlements
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == SettlementKind::Village)
            .map(|(i, _)| i)
            .collect(),
    };
    let area_readable = c.problems.len() == problems_before_area;
    let t = Trigger {
        day: c.opt_num(ctx, "day", &r.day),
        isolation_at_least: c.opt_num(ctx, "isolation_at_least", &r.isolation_at_least),
        for_days: c.num(ctx, "for_days", &r.for_days),
        villages_held_share: c.opt_num(ctx, "villages_held_share", &r.villages_held_share),
        area,
        mode: match c.word(ctx, "mode", &r.mode).as_deref() {
            Some("any") => Some(TriggerMode::Any),
            _ => Some(TriggerMode::All),
        },
    };
    if r.villages_held_share.is_some() && t.area.is_empty() && area_readable {
        let (field, what, help) = match (&r.area, radius) {
            (Some(_), _) => (
                "area",
                "`area` is empty".to_owned(),
                "list the settlements of the area",
            ),
            (None, Some(km)) => (
                "radius_km",
                format!("no village lies within {km} km of the primary objective"),
                "widen `radius_km` until it takes in a village, or list the settlements in `area`",
            ),
            (None, None) => (
                "villages_held_share",
                "the scenario has no village".to_owned(),
                "list the settlements of the area in `area`, or drop `villages_held_share`",
            ),
        };
        let span = match field {
            "area" => r.area.as_ref().and_then(|l| l.span()),
            "radius_km" => r.radius_km.as_ref().and_then(|l| l.span()),
            _ => r.villages_held_share.as_ref().and_then(|l| l.span()),
        };
        c.report(
            format!("{}/{field}", ctx.path),
            span.or_else(|| ctx.span.clone()),
            format!("{}: {what}, so `villages_held_share` has no area to judge (an empty area is never \"all held\")", ctx.label),
            help.into(),
        );
    }
    if r.day.is_none() && r.isolation_at_least.is_none() && r.villages_held_share.is_none() {
        c.report(
            ctx.path.clone(),
            ctx.span.clone(),
            format!("{}: the trigger has no condition", ctx.label),
            "give it day, isolation_at_least or villages_held_share".into(),
        );
    }
    t
}

/// Villages (other than the objective) within `km` in a straight line of the objective, by node.
fn villages_within(settlements: &[Settlement], obj: &Objective, km: f64) -> Vec<usize> {
    settlements
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            s.kind == SettlementKind::Village
                && *i != obj.settlement
                && crate::graph::distance_km(s, &settlements[obj.settlement]) <= km
        })
        .map(|(i, _)| i)
        .collect()
}

/// isolate (day 0) → clear (isolated for 3 days) → assault (70 % of `ring` held, the villages within
/// the defender's threat reach of the primary objective). With no village in the ring there is
/// nothing to clear, and the assault waits for the isolation to hold 3 more days instead.
pub(super) fn default_phases(ring: Vec<usize>) -> Vec<Phase> {
    let t = |f: fn(&mut Trigger)| {
        let mut t = Trigger {
            mode: Some(TriggerMode::All),
            ..Trigger::default()
        };
        f(&mut t);
        t
    };
    vec![
        Phase {
            name: "Isolate".into(),
            behaviour: Behaviour::Isolate,
            trigger: Trigger::default(),
            line: 0,
        },
        Phase {
            name: "Clear".into(),
            behaviour: Behaviour::Clear,
            line: 0,
            trigger: t(|t| {
                t.isolation_at_least = Some(0.9);
                t.for_days = 3.0;
            }),
        },
        Phase {
            name: "Assault".into(),
            behaviour: Behaviour::Assault,
            line: 0,
            trigger: if ring.is_empty() {
                t(|t| {
                    t.isolation_at_least = Some(0.9);
                    t.for_days = 3.0;
                })
            } else {
                let mut assault = t(|t| t.villages_held_share = Some(0.7));
                assault.area = ring;
                assault
            },
        },
    ]
}

/// `[air]` (no sorties when absent).
pub(super) fn air(c: &mut Checker, raw: &RawScenarioFile) -> Air {
    let default_table = crate::scenario::loc::Tab::default();
    let t = raw.air.as_ref().unwrap_or(&default_table);
    let ctx = Ctx::new("air", None, t.span());
    let r = &t.inner;
    let ptab = r
        .priorities
        .as_ref()
        .map_or(Default::default(), |p| p.inner.clone());
    let pctx = ctx.child(
        "priorities",
        "air.priorities",
        r.priorities.as_ref().and_then(|p| p.span()),
    );
    Air {
        sorties_per_day: c.num(&ctx, "sorties_per_day", &r.sorties_per_day),
        effect_probability: c.num(&ctx, "effect_probability", &r.effect_probability),
        priorities: Priorities {
            leadership: c.num(&pctx, "leadership", &ptab.leadership),
            command_nodes: c.num(&pctx, "command_nodes", &ptab.command_nodes),
            depots: c.num(&pctx, "depots", &ptab.depots),
            concentrations: c.num(&pctx, "concentrations", &ptab.concentrations),
            interdiction: c.num(&pctx, "interdiction", &ptab.interdiction),
        },
        c2_hit_leadership: c.num(&ctx, "c2_hit_leadership", &r.c2_hit_leadership),
        c2_hit_command_node: c.num(&ctx, "c2_hit_command_node", &r.c2_hit_command_node),
        depot_hit_tons: c.num(&ctx, "depot_hit_tons", &r.depot_hit_tons),
        concentration_hit_fighters: c.num(
            &ctx,
            "concentration_hit_fighters",
            &r.concentration_hit_fighters,
        ),
        interdiction_capacity_fraction: c.num(
            &ctx,
            "interdiction_capacity_fraction",
            &r.interdiction_capacity_fraction,
        ),
        interdiction_days: c.num(&ctx, "interdiction_days", &r.interdiction_days),
        civilian_harm_per_strike: c.num(
            &ctx,
            "civilian_harm_per_strike",
            &r.civilian_harm_per_strike,
        ),
    }
}

/// Every `[[front]]`.
pub(super) fn fronts(c: &mut Checker, raw: &RawScenarioFile, duration_days: u32) -> Vec<Front> {
    let mut out = Vec::new();
    for (i, t) in raw.front.iter().enumerate() {
        let ctx = Ctx::new("front", Some(i), t.span());
        let r = &t.inner;
        let start_day = c.num(&ctx, "start_day", &r.start_day);
        let end_day = c
            .opt_num(&ctx, "end_day", &r.end_day)
            .unwrap_or(f64::from(duration_days));
        if end_day < start_day {
            c.report_field(
                &ctx,
                "end_day",
                &r.end_day,
                format!(
                    "{}: end_day {end_day} comes before start_day {start_day}",
                    ctx.label
                ),
                "make end_day ≥ start_day".into(),
            );
        }
        out.push(Front {
            name: c.get(&ctx, "name", &r.name).unwrap_or_default(),
            start_day,
            end_day,
            c2_load: c.num(&ctx, "c2_load", &r.c2_load),
            reserve_draw_per_day: c.num(&ctx, "reserve_draw_per_day", &r.reserve_draw_per_day),
        });
    }
    out
}

/// Every `[[inject]]`, sorted by day (file order within a day).
pub(super) fn injects(
    c: &mut Checker,
    raw: &RawScenarioFile,
    ids: &Ids,
    side_map: &dyn Fn(usize) -> Side,
    duration_days: u32,
) -> Vec<Inject> {
    let mut out = Vec::new();
    // The scenario's units, then each added one: an added id must be new to both.
    let mut added = IdSet::default();
    for (i, t) in raw.unit.iter().enumerate() {
        if let Some(Loc { value: Ok(id), .. }) = &t.inner.id {
            added.insert(id, format!("[[unit]] #{i}"));
        }
    }
    for (i, t) in raw.inject.iter().enumerate() {
        let ctx = Ctx::new("inject", Some(i), t.span());
        let r = &t.inner;
        let day = c.num(&ctx, "day", &r.day);
        if day > f64::from(duration_days) {
            c.report_field(
                &ctx,
                "day",
                &r.day,
                format!(
                    "{}: day {day} is after the scenario ends (day {duration_days})",
                    ctx.label
                ),
                "move it inside the campaign or lengthen duration_days".into(),
            );
        }
        let action = match c.word(&ctx, "action", &r.action).as_deref() {
            Some("cut_route") => c
                .reference(&ctx, "route", &r.route, &ids.routes, "route")
                .map(InjectAction::CutRoute),
            Some("reopen_route") => c
                .reference(&ctx, "route", &r.route, &ids.routes, "route")
                .map(InjectAction::ReopenRoute),
            Some("destroy_depot") => c
                .reference(&ctx, "depot", &r.depot, &ids.depots, "depot")
                .map(InjectAction::DestroyDepot),
            Some("withdraw_unit") => c.get(&ctx, "unit", &r.unit).map(InjectAction::WithdrawUnit),
            Some("set_sorties") => c
                .opt_num(&ctx, "sorties_per_day", &r.sorties_per_day)
                .map(InjectAction::SetSorties),
            Some("add_unit") => {
                let raw_unit = RawUnit {
                    id: r.unit.clone(),
                    side: r.side.clone(),
                    at: r.at.clone(),
                    strength: r.strength.clone(),
                    cohesion: r.cohesion.clone(),
                    supply_days: r.supply_days.clone(),
                    speed_km_per_day: r.speed_km_per_day.clone(),
                    advance_speed_km_per_day: r.advance_speed_km_per_day.clone(),
                    task: None,
                    line: None,
                };
                let uctx = Ctx {
                    table: "unit",
                    ..ctx.clone()
                };
                let unit = super::theatre::unit(c, &uctx, &raw_unit, ids, side_map, &[]);
                if let Some(first) = added.insert(&unit.id, format!("[[inject]] #{i}")) {
                    c.report_field(
                        &ctx,
                        "unit",
                        &r.unit,
                        format!(
                            "{}: add_unit id \"{}\" is already a unit (also {first})",
                            ctx.label, unit.id
                        ),
                        "give the added unit a new id".into(),
                    );
                }
                Some(InjectAction::AddUnit(unit))
            }
            _ => None,
        };
        if let Some(action) = action {
            out.push(Inject {
                day: day.max(0.0).floor() as u32,
                action,
            });
        }
    }
    out.sort_by_key(|inj| inj.day);
    out
}

/// Every objective must receive outside supply on day 0, or its isolation index is undefined.
pub(super) fn check_reachability(c: &mut Checker, raw: &RawScenarioFile, scenario: &Scenario) {
    let graph = RouteGraph::new(scenario);
    for (i, obj) in scenario.objectives.iter().enumerate() {
        let caps: Vec<f64> = scenario
            .routes
            .iter()
            .map(|r| r.capacity_tons_per_day)
            .collect();
        let flow = graph.max_flow(&obj.sources, obj.settlement, &caps).value;
        if flow <= 0.0 {
            let name = &scenario.settlements[obj.settlement].id;
            c.report(
                format!("/objective/{i}"),
                raw.objective.get(i).and_then(|t| t.span()),
                format!("objective \"{name}\" cannot be reached from its sources on day 0 (max flow is 0)"),
                "add routes with capacity from a source to the objective, or name other sources".into(),
            );
        }
    }
}
