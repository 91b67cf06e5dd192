//! The briefing page of one run folder (`summary.json`, `events.csv`, `snapshots.json`,
//! `timeseries.csv`, `manifest.json` and the run's charts).

use std::path::Path;

use super::charts::{RUN_CHARTS, figures};
use super::error::BriefError;
use super::files::{Manifest, PerSide, Snapshots, Summary, Table, read_json};
use super::html::{Cell, Row, document, section, table};
use super::narrative::{injects, narrative};
use super::provenance::{Course, closing_sections};
use super::scenario_file::{Lookup, find};
use super::timeline::{self, GREEN, INJECT, Mark, PURPLE, Timeline};
use super::words::{Calendar, NBSP, decimal, display_name, pct, whole};
use super::{bottom_line, timeline_section};
use maud::{Markup, html};

/// Day 0's date, from the first row of `timeseries.csv`.
fn start_date(dir: &Path) -> Option<String> {
    let table = Table::read(&dir.join("timeseries.csv")).ok()?;
    let col = table.index("date").ok()?;
    let first = table.rows.first()?;
    Some(table.cell(first, col).to_owned())
}

/// Builds the page of the run folder `dir`.
pub(crate) fn page(dir: &Path) -> Result<String, BriefError> {
    let summary: Summary = read_json(&dir.join("summary.json"))?;
    let manifest: Manifest = read_json(&dir.join("manifest.json"))?;
    let names: Snapshots = read_json(&dir.join("snapshots.json")).unwrap_or_default();
    let lookup = find(dir, &manifest.scenario_file, &manifest.scenario_sha256);
    let scenario = lookup.doc();
    let cal = Calendar::from_iso(
        start_date(dir)
            .or_else(|| scenario.and_then(|s| s.start_date()))
            .as_deref(),
    );
    let objective = match names
        .settlements
        .iter()
        .find(|s| s.id == summary.primary_objective)
    {
        Some(s) => s.name.clone(),
        None => scenario
            .and_then(|s| s.objective_name())
            .unwrap_or_else(|| "The objective".to_owned()),
    };
    let attacker = names.side_name("attacker");
    let defender = names.side_name("defender");
    let title = format!(
        "{}: campaign briefing, seed {}",
        display_name(&manifest.scenario_name),
        summary.seed
    );
    let from = cal
        .long(0.0)
        .map_or_else(String::new, |d| format!(" from {d}"));
    let subtitle = format!(
        "{}One run of the {} scenario, seed {}: {} days{from}.",
        scenario
            .and_then(|s| s.description())
            .map_or_else(String::new, |d| format!("{d} ")),
        manifest.scenario_name,
        summary.seed,
        whole(summary.days_simulated),
    );
    let sentences = bottom_line_sentences(&summary, &cal, &objective, &attacker, &defender);
    let inject_marks = injects(dir, &names)?;
    let mut sections = vec![
        section("bottom-line", "Bottom line", bottom_line(&sentences)),
        section(
            "key-figures",
            "Key figures",
            key_figures(&summary, &cal, &objective, &attacker, &defender),
        ),
    ];
    let mut marks: Vec<Mark> = inject_marks
        .iter()
        .map(|(day, text)| Mark {
            day: *day,
            label: text.clone(),
            range: None,
            colour: INJECT,
        })
        .collect();
    if let Some(d) = summary.isolation_day {
        marks.push(Mark {
            day: d,
            label: format!("isolated, day {}", whole(d)),
            range: None,
            colour: GREEN,
        });
    }
    if let Some(d) = summary.capture_day {
        marks.push(Mark {
            day: d,
            label: format!("taken, day {}", whole(d)),
            range: None,
            colour: PURPLE,
        });
    }
    let phases: Vec<(String, Option<f64>)> = summary
        .phases
        .iter()
        .map(|p| (p.name.clone(), p.start_day))
        .collect();
    let tl = Timeline {
        end_day: summary.days_simulated,
        calendar: cal,
        rows: vec![timeline::Row {
            label: String::new(),
            phases: timeline::spans(&phases, summary.days_simulated),
            marks,
        }],
    };
    sections.push(timeline_section(&tl, &objective));
    sections.push(section(
        "narrative",
        "After-action narrative",
        narrative(dir, &names)?,
    ));
    let context = format!(
        "({} scenario, seed {}.)",
        manifest.scenario_name, summary.seed
    );
    sections.push(section(
        "charts",
        "Charts",
        figures(dir, &RUN_CHARTS, &context)?,
    ));
    let courses = [Course::single(&manifest, &lookup)];
    sections.extend(closing_sections(
        &courses,
        &manifest.overrides,
        &manifest,
        Some(1),
        None,
    ));
    let footer = footer(&manifest, &lookup);
    Ok(document(&title, &subtitle, &sections, &footer))
}

/// `raqqa · sha256 0123456789ab · seed 7 · phaseline 0.1.0`, as on the charts.
pub(crate) fn footer(manifest: &Manifest, lookup: &Lookup) -> String {
    let sha: String = manifest.scenario_sha256.chars().take(12).collect();
    let checked = match lookup {
        Lookup::Found(_) => " · scenario file checked",
        Lookup::Missing(_) => "",
    };
    format!(
        "{} · sha256 {sha} · {} · phaseline {}{checked}",
        manifest.scenario_name,
        super::words::seeds_phrase(&manifest.seeds),
        manifest.engine_version
    )
}

/// The two or three sentences of the bottom line.
fn bottom_line_sentences(
    s: &Summary,
    cal: &Calendar,
    objective: &str,
    attacker: &str,
    defender: &str,
) -> Vec<String> {
    let days = whole(s.days_simulated);
    let index = s.final_isolation_index.map_or_else(String::new, |i| {
        format!(" (isolation index {} at the end)", decimal(i, 2))
    });
    let first = match (s.isolation_day, s.capture_day) {
        (Some(i), Some(c)) => format!(
            "{objective} was isolated on {} and taken on {}.",
            cal.on_day(i),
            cal.on_day(c)
        ),
        (Some(i), None) => format!(
            "{objective} was isolated on {} but not taken within the {days} days simulated.",
            cal.on_day(i)
        ),
        (None, Some(c)) => format!(
            "{objective} was taken on {} without having been isolated first{index}.",
            cal.on_day(c)
        ),
        (None, None) => format!(
            "{objective} was neither isolated nor taken within the {days} days simulated{index}."
        ),
    };
    let side = |role: &str, name: &str, share: Option<f64>, lost: Option<f64>| match (share, lost) {
        (Some(sh), Some(l)) => format!(
            "the {role}, {name}, lost {} of its strength ({} fighters)",
            pct(sh),
            whole(l)
        ),
        _ => format!("the {role}'s losses ({name}) are not recorded"),
    };
    let mut second = format!(
        "{}; {}",
        side(
            "attacker",
            attacker,
            s.loss_share.attacker,
            s.losses.attacker
        ),
        side(
            "defender",
            defender,
            s.loss_share.defender,
            s.losses.defender
        )
    );
    match s.escaped_fighters {
        Some(e) if e >= 0.5 => second.push_str(&format!(
            ", and {} of its fighters escaped through the back door.",
            whole(e)
        )),
        _ => second.push('.'),
    }
    let second = super::words::capitalise(&second);
    let mut third = phase_changes(s, cal, objective);
    let civilians = civilians_sentence(s, cal);
    if !civilians.is_empty() {
        if !third.is_empty() {
            third.push(' ');
        }
        third.push_str(&civilians);
    }
    [first, second, third]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
}

/// The phases after the first, in order; those that began after the objective fell are said to
/// have begun after it (the plan's triggers still fire, with nothing left to take).
pub(super) fn phase_changes(s: &Summary, cal: &Calendar, objective: &str) -> String {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for p in s.phases.iter().skip(1) {
        match p.start_day {
            Some(d) if s.capture_day.is_some_and(|c| d > c) => {
                after.push(format!("{} on day{NBSP}{}", p.name, whole(d)));
            }
            Some(d) => before.push(format!("{} began on day{NBSP}{}", p.name, whole(d))),
            None => before.push(format!("{} never began", p.name)),
        }
    }
    let mut out = String::new();
    if !before.is_empty() {
        out = format!("Phase changes: {}.", before.join(", "));
    }
    if let (false, Some(c)) = (after.is_empty(), s.capture_day) {
        out.push_str(&format!(
            "{}After {objective} fell on {}, the plan still moved on to {}: those phases had \
             nothing left to take.",
            if out.is_empty() { "" } else { " " },
            cal.on_day(c),
            after.join(" and ")
        ));
    }
    out
}

/// Civilian harm and displacement, split at the capture day when the objective fell.
pub(super) fn civilians_sentence(s: &Summary, cal: &Calendar) -> String {
    let split = |total: Option<f64>,
                 to: Option<f64>,
                 after: Option<f64>,
                 f: &dyn Fn(f64) -> String| {
        match (total, to, after, s.capture_day) {
            (Some(t), Some(a), Some(b), Some(_)) => Some(format!(
                "{} ({} by the capture, {} after it)",
                f(t),
                f(a),
                f(b)
            )),
            (Some(t), ..) => Some(f(t)),
            _ => None,
        }
    };
    let index = |v: f64| decimal(v, 2);
    let harm = split(
        s.civilian_harm_index,
        s.civilian_harm_to_capture,
        s.civilian_harm_after_capture,
        &index,
    );
    let displaced = split(
        s.displaced_civilians,
        s.displaced_to_capture,
        s.displaced_after_capture,
        &whole,
    );
    let end = cal.on_day(s.days_simulated);
    match (harm, displaced) {
        (Some(h), Some(d)) => format!(
            "By {end}, the civilian harm index stood at {h} and {d} civilians had been displaced."
        ),
        (Some(h), None) => format!("By {end}, the civilian harm index stood at {h}."),
        (None, Some(d)) => format!("By {end}, {d} civilians had been displaced."),
        (None, None) => String::new(),
    }
}

/// A row of the civilian figures split at the capture: label, value, how to write it.
type SplitRow<'a> = (&'a str, Option<f64>, fn(f64) -> String);

/// `day 7` / date cells for a day figure.
fn day_cells(day: Option<f64>, cal: &Calendar, never: &str) -> (Cell, Cell) {
    match day {
        Some(d) => (
            Cell::Num(format!("day{NBSP}{}", whole(d))),
            Cell::Nowrap(cal.iso(d).unwrap_or_default()),
        ),
        None => (Cell::Num(never.to_owned()), Cell::Text(String::new())),
    }
}

/// The outcome and forces tables.
fn key_figures(
    s: &Summary,
    cal: &Calendar,
    objective: &str,
    attacker: &str,
    defender: &str,
) -> Markup {
    let never = "not within the run";
    let mut rows: Vec<Row> = Vec::new();
    let mut day_row = |label: String, day: Option<f64>, strong: bool| {
        let (v, d) = day_cells(day, cal, never);
        rows.push(Row {
            cells: vec![Cell::Text(label), v, d],
            strong,
        });
    };
    day_row(format!("{objective} isolated"), s.isolation_day, true);
    day_row(format!("{objective} taken"), s.capture_day, true);
    for p in &s.phases {
        day_row(format!("Phase {} begins", p.name), p.start_day, false);
    }
    let plain = |label: &str, v: Option<String>| {
        Row::new(vec![
            Cell::Text(label.to_owned()),
            Cell::Num(v.unwrap_or_else(|| "n/a".to_owned())),
            Cell::Text(String::new()),
        ])
    };
    rows.push(plain("Days simulated", Some(whole(s.days_simulated))));
    rows.push(plain(
        "Isolation index at the end (0 open – 1 cut off)",
        s.final_isolation_index.map(|v| decimal(v, 2)),
    ));
    rows.push(plain(
        "Defenders escaped through the back door",
        s.escaped_fighters.map(whole),
    ));
    rows.push(plain(
        "Defender reinforcements sent (fighters)",
        s.reinforced_fighters.map(whole),
    ));
    rows.push(plain(
        "Lowest defender command and control (0–1)",
        s.min_defender_c2.map(|v| decimal(v, 2)),
    ));
    rows.push(plain("Air sorties flown", s.sorties_flown.map(whole)));
    rows.push(plain(
        "Supply shortfall (tons, both sides)",
        s.supply_shortfall_tons.map(whole),
    ));
    rows.push(plain(
        "Civilian harm index (abstract, not casualties)",
        s.civilian_harm_index.map(|v| decimal(v, 2)),
    ));
    rows.push(plain(
        "Civilians displaced",
        s.displaced_civilians.map(whole),
    ));
    if s.capture_day.is_some() {
        let pairs: [SplitRow<'_>; 4] = [
            (
                "Civilian harm index by the capture",
                s.civilian_harm_to_capture,
                |v| decimal(v, 2),
            ),
            (
                "Civilian harm index after the capture",
                s.civilian_harm_after_capture,
                |v| decimal(v, 2),
            ),
            (
                "Civilians displaced by the capture",
                s.displaced_to_capture,
                whole,
            ),
            (
                "Civilians displaced after the capture",
                s.displaced_after_capture,
                whole,
            ),
        ];
        for (label, v, f) in pairs {
            if v.is_some() {
                rows.push(plain(label, v.map(f)));
            }
        }
    }
    let outcome = table(
        "figures",
        "Outcome",
        &["Figure", "Value", "Date"],
        &rows,
        true,
    );
    let pair = |label: &str, v: PerSide, f: &dyn Fn(f64) -> String| {
        let cell = |x: Option<f64>| Cell::Num(x.map_or_else(|| "n/a".to_owned(), f));
        Row::new(vec![
            Cell::Text(label.to_owned()),
            cell(v.attacker),
            cell(v.defender),
        ])
    };
    let forces = vec![
        pair("Strength at the start (fighters)", s.strength_start, &whole),
        pair("Losses (fighters)", s.losses, &whole),
        pair("Losses, share of strength", s.loss_share, &pct),
        pair(
            "Settlements controlled at the end",
            s.settlements_controlled,
            &whole,
        ),
        pair("Villages held at the end", s.villages_held, &whole),
    ];
    let a = format!("{attacker} (attacker)");
    let d = format!("{defender} (defender)");
    html! {
        (outcome)
        (table("forces", "Forces", &["Figure", &a, &d], &forces, true))
    }
}
