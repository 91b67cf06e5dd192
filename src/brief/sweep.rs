//! The briefing page of a sweep folder (`aggregate.json`, `bands.csv`, `manifest.json` and the
//! sweep's charts): medians, 90 % ranges and the share of seeds that got there.

use std::path::Path;

use super::charts::{SWEEP_CHARTS, figures};
use super::error::BriefError;
use super::files::{Aggregate, FigureStats, Manifest, last_band_day, read_json, value_text};
use super::html::{Cell, Row, document, note, section, table};
use super::provenance::{Course, closing_sections};
use super::run::footer;
use super::scenario_file::find;
use super::timeline::{self, GREEN, Mark, PURPLE, Timeline};
use super::words::{
    Calendar, NBSP, capitalise, display_name, figure_label, figure_value, pct, seeds_phrase, whole,
};
use super::{bottom_line, timeline_section};
use maud::{Markup, html};

/// Builds the page of the sweep folder `dir`.
pub(crate) fn page(dir: &Path) -> Result<String, BriefError> {
    let agg: Aggregate = read_json(&dir.join("aggregate.json"))?;
    let manifest: Manifest = read_json(&dir.join("manifest.json"))?;
    let end_day = last_band_day(&dir.join("bands.csv"))?;
    let lookup = find(dir, &manifest.scenario_file, &manifest.scenario_sha256);
    let scenario = lookup.doc();
    let cal = Calendar::from_iso(scenario.and_then(|s| s.start_date()).as_deref());
    let objective = scenario
        .and_then(|s| s.objective_name())
        .unwrap_or_else(|| "The objective".to_owned());
    let seeds = value_text(&agg.seeds);
    let title = format!(
        "{}: campaign briefing, {}",
        display_name(&manifest.scenario_name),
        seeds_phrase(&seeds)
    );
    let subtitle = format!(
        "{}A sweep of the {} scenario over {} seeds ({}), {} days each.",
        scenario
            .and_then(|s| s.description())
            .map_or_else(String::new, |d| format!("{d} ")),
        manifest.scenario_name,
        agg.seed_count,
        seeds_phrase(&seeds),
        whole(end_day)
    );
    let fig = |name: &str| agg.figures.get(name);
    let sentences = vec![
        reached_sentence(
            &objective,
            "isolated",
            fig("isolation_day"),
            agg.seed_count,
            end_day,
            &cal,
        ),
        reached_sentence(
            "It",
            "taken",
            fig("capture_day"),
            agg.seed_count,
            end_day,
            &cal,
        ),
        losses_sentence(fig("attacker_loss_share"), fig("defender_loss_share")),
    ];
    let mut sections = vec![
        section("bottom-line", "Bottom line", bottom_line(&sentences)),
        section("key-figures", "Key figures", key_figures(&agg)),
    ];
    if let Some(body) = crate::calibration::inputs_share::briefing_section(dir) {
        // Built by the calibration module with its own escaping (not yet a template).
        sections.push(section(
            "inputs",
            "Uncertain inputs and chance",
            maud::PreEscaped(body),
        ));
    }
    let phases: Vec<(String, Option<f64>)> = agg
        .figures
        .0
        .iter()
        .filter_map(|(n, f)| {
            n.strip_prefix("phase_start_")
                .map(|p| (p.replace('_', " "), f.p50))
        })
        .collect();
    let mut marks = Vec::new();
    for (name, verb, colour) in [
        ("isolation_day", "isolated", GREEN),
        ("capture_day", "taken", PURPLE),
    ] {
        if let Some(f) = fig(name)
            && let Some(m) = f.p50
        {
            let range = f.p5.zip(f.p95);
            let spread = range.map_or_else(String::new, |(lo, hi)| {
                format!(" (90 %: {}–{})", whole(lo), whole(hi))
            });
            marks.push(Mark {
                day: m,
                label: format!("{verb}, median day {}{spread}", whole(m)),
                range,
                colour,
            });
        }
    }
    let tl = Timeline {
        end_day,
        calendar: cal,
        rows: vec![timeline::Row {
            label: String::new(),
            phases: timeline::spans(&phases, end_day),
            marks,
        }],
    };
    sections.push(timeline_section(&tl, &objective));
    let context = format!(
        "({} scenario, {}.)",
        manifest.scenario_name,
        seeds_phrase(&seeds)
    );
    sections.push(section(
        "charts",
        "Charts",
        figures(dir, &SWEEP_CHARTS, &context)?,
    ));
    let courses = [Course::single(&manifest, &lookup)];
    sections.extend(closing_sections(
        &courses,
        &manifest.overrides,
        &manifest,
        Some(agg.seed_count),
        None,
    ));
    Ok(document(
        &title,
        &subtitle,
        &sections,
        &footer(&manifest, &lookup),
    ))
}

/// "Raqqa was isolated in all 40 seeds, at a median of day 39 (…); 90 % of them between day 37
/// and day 43."
fn reached_sentence(
    who: &str,
    verb: &str,
    f: Option<&FigureStats>,
    seeds: u64,
    end_day: f64,
    cal: &Calendar,
) -> String {
    let Some(f) = f else {
        return format!("{who} was {verb}: no figure in aggregate.json.");
    };
    let how_many = if f.n == seeds && seeds > 0 {
        format!("in all {seeds} seeds")
    } else if f.n == 0 {
        return format!(
            "{who} was {verb} in none of the {seeds} seeds within the {} days simulated.",
            whole(end_day)
        );
    } else {
        format!(
            "in {} of the seeds ({} of {seeds})",
            pct(f.reached_share),
            f.n
        )
    };
    let median = f.p50.map_or_else(String::new, |m| {
        format!(", at a median of {}", cal.on_day(m))
    });
    let range = match (f.p5, f.p95) {
        (Some(lo), Some(hi)) if whole(lo) != whole(hi) => format!(
            "; 90 % of those seeds between day{NBSP}{} and day{NBSP}{}",
            whole(lo),
            whole(hi)
        ),
        (Some(lo), Some(_)) => format!("; 90 % of those seeds on day{NBSP}{}", whole(lo)),
        _ => String::new(),
    };
    format!("{who} was {verb} {how_many}{median}{range}.")
}

/// "The attacker lost a median 6.0 % of its strength (90 % range 5.2–6.9 %), the defender 89 %."
fn losses_sentence(a: Option<&FigureStats>, d: Option<&FigureStats>) -> String {
    let part = |f: Option<&FigureStats>| {
        let f = f?;
        let m = f.p50?;
        let range = f.p5.zip(f.p95).map_or_else(String::new, |(lo, hi)| {
            format!(" (90 % range {}–{})", pct(lo), pct(hi))
        });
        Some(format!("{}{range}", pct(m)))
    };
    match (part(a), part(d)) {
        (Some(a), Some(d)) => {
            format!("The attacker lost a median {a} of its strength; the defender {d}.")
        }
        _ => "Losses are not in aggregate.json.".to_owned(),
    }
}

/// One row per figure: where it happened, median, 90 % range, mean and its 95 % interval.
fn key_figures(agg: &Aggregate) -> Markup {
    let rows: Vec<Row> = agg
        .figures
        .0
        .iter()
        .map(|(name, f)| {
            let v = |x: Option<f64>| x.map_or_else(|| "—".to_owned(), |x| figure_value(name, x));
            let range = match (f.p5, f.p95) {
                (Some(lo), Some(hi)) => {
                    format!("{} to {}", figure_value(name, lo), figure_value(name, hi))
                }
                _ => "—".to_owned(),
            };
            let mean = match (f.mean, f.ci95_low, f.ci95_high) {
                (Some(m), Some(lo), Some(hi)) => format!(
                    "{} ({} to {})",
                    figure_value(name, m),
                    figure_value(name, lo),
                    figure_value(name, hi)
                ),
                (Some(m), _, _) => figure_value(name, m),
                _ => "—".to_owned(),
            };
            Row {
                cells: vec![
                    Cell::Text(capitalise(&figure_label(name))),
                    Cell::Num(format!("{} ({})", pct(f.reached_share), f.n)),
                    Cell::Num(v(f.p50)),
                    Cell::Num(range),
                    Cell::Num(mean),
                ],
                strong: name == "isolation_day" || name == "capture_day",
            }
        })
        .collect();
    let figures = table(
        "figures",
        "Outcome figures over the seeds",
        &[
            "Figure",
            "Seeds where it happened",
            "Median",
            "90 % range (p5 to p95)",
            "Mean (95 % CI)",
        ],
        &rows,
        true,
    );
    html! {
        (figures)
        (note(
            "Day figures are taken over the seeds where the event happened; \
             seeds where it never happened are censored, not counted as the last day."
        ))
    }
}
