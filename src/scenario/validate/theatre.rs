//! Validation of the theatre: `[scenario]`, sides, settlements, routes, units and depots.

use super::Ids;
use crate::calendar::parse_iso_date;
use crate::scenario::check::{Checker, Ctx};
use crate::scenario::raw::{DateText, RawRoute, RawScenarioFile, RawSide, RawUnit};
use crate::scenario::types::{
    Meta, Role, Route, RouteKind, Settlement, SettlementKind, Side, SideDoctrine, StartTask, Unit,
};
use std::collections::BTreeMap;

/// `[scenario]`.
pub(super) fn meta(c: &mut Checker, raw: &RawScenarioFile) -> Meta {
    let Some(t) = &raw.scenario else {
        c.report(
            "/scenario".into(),
            Some(0..0),
            "the file has no [scenario] table".into(),
            "start the file with [scenario] and its name, start_date and duration_days".into(),
        );
        return placeholder_meta();
    };
    let ctx = Ctx::new("scenario", None, t.span());
    let r = &t.inner;
    let name = c.get(&ctx, "name", &r.name).unwrap_or_default();
    if r.name.as_ref().is_some_and(|l| l.value.is_ok()) && !valid_name(&name) {
        c.report_field(
            &ctx,
            "name",
            &r.name,
            format!("[scenario]: name \"{name}\" cannot name an output folder"),
            "use 1 to 64 letters, digits, `-` or `_`, starting with a letter or digit".into(),
        );
    }
    let start = c.get(&ctx, "start_date", &r.start_date).and_then(|d| {
        let text = match d {
            DateText::Text(s) => s,
            DateText::Toml(dt) => dt.to_string(),
        };
        let day = parse_iso_date(&text);
        if day.is_none() {
            c.report_field(
                &ctx,
                "start_date",
                &r.start_date,
                format!("[scenario]: start_date \"{text}\" is not a date"),
                "write it as YYYY-MM-DD, e.g. 2016-11-05".into(),
            );
        }
        day
    });
    let tick = c.num(&ctx, "tick_hours", &r.tick_hours);
    if tick.fract() != 0.0 || 24 % (tick as u32).max(1) != 0 {
        c.report_field(
            &ctx,
            "tick_hours",
            &r.tick_hours,
            format!("[scenario]: tick_hours = {tick} does not divide a day"),
            "use 1, 2, 3, 4, 6, 8, 12 or 24".into(),
        );
    }
    let format_version = c
        .int(&ctx, "format_version", &r.format_version)
        .unwrap_or(1);
    Meta {
        name,
        description: c
            .get(&ctx, "description", &r.description)
            .unwrap_or_default(),
        format_version,
        start_epoch_day: start.unwrap_or(0),
        duration_days: c.num(&ctx, "duration_days", &r.duration_days).ceil() as u32,
        tick_hours: (tick as u32).clamp(1, 24),
        isolation_threshold: c.num(&ctx, "isolation_threshold", &r.isolation_threshold),
        displacement_share_per_day: c.num(
            &ctx,
            "displacement_share_per_day",
            &r.displacement_share_per_day,
        ),
        contested_capacity_fraction: c.num(
            &ctx,
            "contested_capacity_fraction",
            &r.contested_capacity_fraction,
        ),
        milestone_hold_days: c
            .num(&ctx, "milestone_hold_days", &r.milestone_hold_days)
            .ceil() as u32,
        attrition_dispersion: c.num(&ctx, "attrition_dispersion", &r.attrition_dispersion),
    }
}

fn placeholder_meta() -> Meta {
    Meta {
        name: String::new(),
        description: String::new(),
        format_version: 1,
        start_epoch_day: 0,
        duration_days: 1,
        tick_hours: 6,
        isolation_threshold: 0.95,
        displacement_share_per_day: 0.02,
        contested_capacity_fraction: 0.5,
        milestone_hold_days: 7,
        attrition_dispersion: 0.5,
    }
}

/// Whether `name` is safe as a folder name.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        && name
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_alphanumeric())
}

/// Every `[[side]]`, in file order (placeholders where a side is wrong).
pub(super) fn sides(c: &mut Checker, raw: &RawScenarioFile, ids: &Ids) -> Vec<SideDoctrine> {
    raw.side
        .iter()
        .enumerate()
        .map(|(i, t)| {
            side(
                c,
                &Ctx::new("side", Some(i), t.span()).named(&t.inner.id),
                &t.inner,
                ids,
            )
        })
        .collect()
}

fn side(c: &mut Checker, ctx: &Ctx, r: &RawSide, ids: &Ids) -> SideDoctrine {
    let id = c.get(ctx, "id", &r.id).unwrap_or_default();
    let role = match c.word(ctx, "role", &r.role).as_deref() {
        Some("defender") => Role::Defender,
        _ => Role::Attacker,
    };
    let reserve_at = r.reserve_at.as_ref().and_then(|_| {
        c.reference(
            ctx,
            "reserve_at",
            &r.reserve_at,
            &ids.settlements,
            "settlement",
        )
    });
    SideDoctrine {
        name: c.get(ctx, "name", &r.name).unwrap_or_else(|| id.clone()),
        id,
        role,
        lethality_per_day: c.num(ctx, "lethality_per_day", &r.lethality_per_day),
        breakpoint_cohesion: c.num(ctx, "breakpoint_cohesion", &r.breakpoint_cohesion),
        cohesion_loss_per_loss_share: c.num(
            ctx,
            "cohesion_loss_per_loss_share",
            &r.cohesion_loss_per_loss_share,
        ),
        cohesion_recovery_per_day: c.num(
            ctx,
            "cohesion_recovery_per_day",
            &r.cohesion_recovery_per_day,
        ),
        consumption_tons_per_fighter_per_day: c.num(
            ctx,
            "consumption_tons_per_fighter_per_day",
            &r.consumption_tons_per_fighter_per_day,
        ),
        convoy_speed_km_per_day: c.num(ctx, "convoy_speed_km_per_day", &r.convoy_speed_km_per_day),
        resupply_target_days: c.num(ctx, "resupply_target_days", &r.resupply_target_days),
        unsupplied_attrition_per_day: c.num(
            ctx,
            "unsupplied_attrition_per_day",
            &r.unsupplied_attrition_per_day,
        ),
        unsupplied_cohesion_loss_per_day: c.num(
            ctx,
            "unsupplied_cohesion_loss_per_day",
            &r.unsupplied_cohesion_loss_per_day,
        ),
        garrison_ratio: c.num(ctx, "garrison_ratio", &r.garrison_ratio),
        cut_distance_km: c.num(ctx, "cut_distance_km", &r.cut_distance_km),
        garrison_min: c.num(ctx, "garrison_min", &r.garrison_min),
        attack_force_ratio: c.num(ctx, "attack_force_ratio", &r.attack_force_ratio),
        pause_mean_days: c.num(ctx, "pause_mean_days", &r.pause_mean_days),
        pause_rate_per_day: c.num(ctx, "pause_rate_per_day", &r.pause_rate_per_day),
        urban_lethality_per_day: c.num(ctx, "urban_lethality_per_day", &r.urban_lethality_per_day),
        civilians_halving_fire: c.num(ctx, "civilians_halving_fire", &r.civilians_halving_fire),
        district_frontage_fighters: c.num(
            ctx,
            "district_frontage_fighters",
            &r.district_frontage_fighters,
        ),
        threat_reach_km: c.num(ctx, "threat_reach_km", &r.threat_reach_km),
        reserve_strength: c.num(ctx, "reserve_strength", &r.reserve_strength),
        reserve_at,
        reinforce_delay_days: c.num(ctx, "reinforce_delay_days", &r.reinforce_delay_days),
        reinforce_share: c.num(ctx, "reinforce_share", &r.reinforce_share),
        c2_initial: c.num(ctx, "c2_initial", &r.c2_initial),
        c2_recovery_per_day: c.num(ctx, "c2_recovery_per_day", &r.c2_recovery_per_day),
        infiltration_rate_per_day: c.num(
            ctx,
            "infiltration_rate_per_day",
            &r.infiltration_rate_per_day,
        ),
        escape_share_per_day: c.num(ctx, "escape_share_per_day", &r.escape_share_per_day),
        escape_threat_ratio: c.num(ctx, "escape_threat_ratio", &r.escape_threat_ratio),
        escape_speed_km_per_day: c.num(ctx, "escape_speed_km_per_day", &r.escape_speed_km_per_day),
        withdrawal_below_share: c.num(ctx, "withdrawal_below_share", &r.withdrawal_below_share),
        withdrawal_rate_per_day: c.num(ctx, "withdrawal_rate_per_day", &r.withdrawal_rate_per_day),
    }
}

/// File indices of the attacker and the defender, when there is exactly one of each.
pub(super) fn side_order(
    c: &mut Checker,
    raw: &RawScenarioFile,
    sides: &[SideDoctrine],
) -> Option<[usize; 2]> {
    let find = |role| {
        sides
            .iter()
            .enumerate()
            .filter(|(_, s)| s.role == role)
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
    };
    let (att, def) = (find(Role::Attacker), find(Role::Defender));
    if sides.len() == 2 && att.len() == 1 && def.len() == 1 {
        return Some([att[0], def[0]]);
    }
    let span = raw
        .side
        .get(2)
        .or(raw.side.first())
        .and_then(|t| t.span())
        .or(Some(0..0));
    c.report(
        "/side".into(),
        span,
        format!("the scenario needs exactly two [[side]] tables, one attacker and one defender; it has {} ({} attacker, {} defender)", sides.len(), att.len(), def.len()),
        "define one [[side]] with role = \"attacker\" and one with role = \"defender\"".into(),
    );
    None
}

/// Every `[[settlement]]`.
pub(super) fn settlements(
    c: &mut Checker,
    raw: &RawScenarioFile,
    ids: &Ids,
    side_map: &dyn Fn(usize) -> Side,
) -> Vec<Settlement> {
    let mut out = Vec::with_capacity(raw.settlement.len());
    for (i, t) in raw.settlement.iter().enumerate() {
        let ctx = Ctx::new("settlement", Some(i), t.span()).named(&t.inner.id);
        let r = &t.inner;
        let id = c.get(&ctx, "id", &r.id).unwrap_or_default();
        let kind = match c.word(&ctx, "kind", &r.kind).as_deref() {
            Some("city") => SettlementKind::City,
            Some("town") => SettlementKind::Town,
            Some("crossing") => SettlementKind::Crossing,
            Some("base") => SettlementKind::Base,
            _ => SettlementKind::Village,
        };
        let population = c.num(&ctx, "population", &r.population);
        let defensibility = c
            .opt_num(&ctx, "defensibility", &r.defensibility)
            .unwrap_or(match kind {
                SettlementKind::City => 3.0,
                SettlementKind::Town | SettlementKind::Base => 2.0,
                SettlementKind::Village => 1.5,
                SettlementKind::Crossing => 1.2,
            });
        let districts = c.int(&ctx, "districts", &r.districts).map_or_else(
            || match kind {
                SettlementKind::City => (population / 25_000.0).round().clamp(2.0, 20.0) as u32,
                _ => 1,
            },
            |d| d as u32,
        );
        let stockpile_tons = c.num(&ctx, "stockpile_tons", &r.stockpile_tons);
        let stockpile_capacity_tons = c
            .opt_num(&ctx, "stockpile_capacity_tons", &r.stockpile_capacity_tons)
            .unwrap_or(stockpile_tons);
        out.push(Settlement {
            stockpile_tons,
            stockpile_capacity_tons,
            name: c.get(&ctx, "name", &r.name).unwrap_or_else(|| id.clone()),
            id,
            kind,
            lat: c.num(&ctx, "lat", &r.lat),
            lon: c.num(&ctx, "lon", &r.lon),
            population,
            value: c.num(&ctx, "value", &r.value),
            defensibility,
            control: c
                .reference(&ctx, "control", &r.control, &ids.sides, "side")
                .map_or(Side::Attacker, side_map),
            districts,
            attacker_support: c.num(&ctx, "attacker_support", &r.attacker_support),
            command_node: c
                .get(&ctx, "command_node", &r.command_node)
                .unwrap_or(false),
        });
    }
    out
}

/// The id of a route: explicit, or `<from>-<to>`.
pub(super) fn route_id(r: &RawRoute) -> String {
    let text = |f: &Option<crate::scenario::loc::Loc<String>>| {
        f.as_ref()
            .and_then(|l| l.value.clone().ok())
            .unwrap_or_default()
    };
    match &r.id {
        Some(_) => text(&r.id),
        None => format!("{}-{}", text(&r.from), text(&r.to)),
    }
}

/// Days a unit needs to cross a `river_crossing` route unless the route says otherwise.
pub(super) const RIVER_CROSSING_DELAY_DAYS: f64 = 1.0;

/// Every `[[route]]`.
pub(super) fn routes(c: &mut Checker, raw: &RawScenarioFile, ids: &Ids) -> Vec<Route> {
    let mut out = Vec::with_capacity(raw.route.len());
    for (i, t) in raw.route.iter().enumerate() {
        let ctx = Ctx::new("route", Some(i), t.span());
        let r = &t.inner;
        let from = c.reference(&ctx, "from", &r.from, &ids.settlements, "settlement");
        let to = c.reference(&ctx, "to", &r.to, &ids.settlements, "settlement");
        if from.is_some() && from == to {
            c.report_field(
                &ctx,
                "to",
                &r.to,
                format!("{}: route goes from a settlement to itself", ctx.label),
                "a route joins two different settlements: fix `from` or `to`".into(),
            );
        }
        let kind = match c.word(&ctx, "kind", &r.kind).as_deref() {
            Some("highway") => RouteKind::Highway,
            Some("track") => RouteKind::Track,
            Some("river_crossing") => RouteKind::RiverCrossing,
            _ => RouteKind::Road,
        };
        let crossing_delay_days = c
            .opt_num(&ctx, "crossing_delay_days", &r.crossing_delay_days)
            .unwrap_or(match kind {
                RouteKind::RiverCrossing => RIVER_CROSSING_DELAY_DAYS,
                _ => 0.0,
            });
        out.push(Route {
            id: route_id(r),
            from: from.unwrap_or(0),
            to: to.unwrap_or(0),
            length_km: c.num(&ctx, "length_km", &r.length_km),
            capacity_tons_per_day: c.num(&ctx, "capacity_tons_per_day", &r.capacity_tons_per_day),
            kind,
            crossing_delay_days,
        });
    }
    out
}

/// Every `[[unit]]`.
pub(super) fn units(
    c: &mut Checker,
    raw: &RawScenarioFile,
    ids: &Ids,
    side_map: &dyn Fn(usize) -> Side,
    lines: &[String],
) -> Vec<Unit> {
    raw.unit
        .iter()
        .enumerate()
        .map(|(i, t)| {
            unit(
                c,
                &Ctx::new("unit", Some(i), t.span()).named(&t.inner.id),
                &t.inner,
                ids,
                side_map,
                lines,
            )
        })
        .collect()
}

/// One unit (also used for `add_unit` injects, whose fields are checked against the unit table).
pub(super) fn unit(
    c: &mut Checker,
    ctx: &Ctx,
    r: &RawUnit,
    ids: &Ids,
    side_map: &dyn Fn(usize) -> Side,
    lines: &[String],
) -> Unit {
    let task = match c.word(ctx, "task", &r.task).as_deref() {
        Some("hold") => StartTask::Hold,
        _ => StartTask::Maneuver,
    };
    let speed_km_per_day = c.num(ctx, "speed_km_per_day", &r.speed_km_per_day);
    let advance_speed_km_per_day = c
        .opt_num(ctx, "advance_speed_km_per_day", &r.advance_speed_km_per_day)
        .unwrap_or(speed_km_per_day);
    let side = c
        .reference(ctx, "side", &r.side, &ids.sides, "side")
        .map_or(Side::Attacker, side_map);
    let line = unit_line(c, ctx, r, side, lines);
    Unit {
        id: c.get(ctx, "id", &r.id).unwrap_or_default(),
        side,
        at: c
            .reference(ctx, "at", &r.at, &ids.settlements, "settlement")
            .unwrap_or(0),
        strength: c.num(ctx, "strength", &r.strength),
        cohesion: c.num(ctx, "cohesion", &r.cohesion),
        supply_days: c.num(ctx, "supply_days", &r.supply_days),
        speed_km_per_day,
        advance_speed_km_per_day,
        task,
        line,
    }
}

/// The unit's line of effort: a line some `[[phase]]` names, for an attacker unit only.
fn unit_line(c: &mut Checker, ctx: &Ctx, r: &RawUnit, side: Side, lines: &[String]) -> usize {
    if r.line.is_none() {
        return 0;
    }
    if side == Side::Defender {
        c.report_field(
            ctx,
            "line",
            &r.line,
            format!("{}: `line` is set on a defender unit", ctx.label),
            "lines of effort belong to the attacker's plan: remove `line` from this unit".into(),
        );
        return 0;
    }
    let index: BTreeMap<String, usize> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.clone(), i))
        .collect();
    c.reference(
        ctx,
        "line",
        &r.line,
        &index,
        "line of effort ([[phase]] line)",
    )
    .unwrap_or(0)
}

/// Every `[[depot]]`.
pub(super) fn depots(
    c: &mut Checker,
    raw: &RawScenarioFile,
    ids: &Ids,
    side_map: &dyn Fn(usize) -> Side,
) -> Vec<crate::scenario::types::Depot> {
    let mut out = Vec::with_capacity(raw.depot.len());
    for (i, t) in raw.depot.iter().enumerate() {
        let ctx = Ctx::new("depot", Some(i), t.span()).named(&t.inner.id);
        let r = &t.inner;
        out.push(crate::scenario::types::Depot {
            id: c.get(&ctx, "id", &r.id).unwrap_or_default(),
            side: c
                .reference(&ctx, "side", &r.side, &ids.sides, "side")
                .map_or(Side::Attacker, side_map),
            at: c
                .reference(&ctx, "at", &r.at, &ids.settlements, "settlement")
                .unwrap_or(0),
            stock_tons: c.num(&ctx, "stock_tons", &r.stock_tons),
            output_tons_per_day: c.num(&ctx, "output_tons_per_day", &r.output_tons_per_day),
        });
    }
    out
}
