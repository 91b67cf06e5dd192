//! The briefing page of a farm folder (`sensitivity.json`, `manifest.json` and the tornado and
//! top-factor charts of every outcome): which assumptions drive each outcome, which way, and how
//! sure that is; the factors and the design; the method; the scenario and design files.
//!
//! There is no timeline: the runs of a farm differ in their assumptions, so no one campaign is
//! being described.

mod charts;
mod drivers;
mod method;
mod sensitivity;

use std::path::Path;

use super::bottom_line;
use super::charts::figures;
use super::error::BriefError;
use super::files::{Manifest, read_json};
use super::html::{Cell, Row, document, note, section, table};
use super::provenance::{Course, DesignSource, closing_sections};
use super::run::footer;
use super::scenario_file::{Lookup, ScenarioDoc, default_of, find, find_named};
use super::words::{NBSP, capitalise, decimal, display_name, seeds_phrase};
use crate::farm::report::CORRELATION_TARGET;
use crate::farm::sensitivity_file::{Estimate, FactorSummary, OutcomeSummary, SensitivityFile};
use maud::{Markup, html};
use sensitivity::{OutcomeWords, Scale, coef, factor_value, kind_words, r_squared};

/// Builds the page of the farm folder `dir`.
pub(crate) fn page(dir: &Path) -> Result<String, BriefError> {
    let s = sensitivity::read(dir)?;
    let manifest: Manifest = read_json(&dir.join("manifest.json"))?;
    let (scenario_file, design_file) = split_scenario_file(&manifest.scenario_file);
    let lookup = find(dir, &scenario_file, &manifest.scenario_sha256);
    let design_lookup = design_file
        .as_ref()
        .map(|(file, sha)| find_named(dir, file, sha, "design file"));
    let scenario = lookup.doc();
    let objective = scenario
        .and_then(|d| d.objective_name())
        .unwrap_or_else(|| "the objective".to_owned());
    let title = format!(
        "{}: what drives the campaign, {} factors over {} runs",
        display_name(&manifest.scenario_name),
        s.factors.len(),
        s.design.runs
    );
    let subtitle = subtitle(
        &s,
        &manifest,
        scenario,
        design_lookup.as_ref().and_then(Lookup::doc),
    );
    let mut sections = vec![
        section(
            "bottom-line",
            "Bottom line",
            bottom_line(&drivers::paragraphs(&s, &objective)),
        ),
        section("key-figures", "Key figures", key_figures(&s, scenario)),
    ];
    let context = format!(
        "({} scenario, {} runs over {} factors.)",
        manifest.scenario_name,
        s.design.runs,
        s.factors.len()
    );
    sections.push(section(
        "charts",
        "Charts",
        figures(dir, &charts::specs(&s), &context)?,
    ));
    sections.push(section("method", "Method", method::method(&s)));
    let mut course = Course::single(&manifest, &lookup);
    course.file = scenario_file;
    let design = design_file
        .zip(design_lookup.as_ref())
        .map(|((file, sha256), lookup)| DesignSource {
            file,
            sha256,
            points: s.design.points,
            lookup,
        });
    sections.extend(closing_sections(
        &[course],
        &manifest.overrides,
        &manifest,
        Some(s.design.runs),
        design.as_ref(),
    ));
    let mut foot = footer(&manifest, &lookup);
    if let Some(d) = &design {
        let sha: String = d.sha256.chars().take(12).collect();
        foot.push_str(&format!(" · design sha256 {sha}"));
    }
    Ok(document(&title, &subtitle, &sections, &foot))
}

/// Splits a farm manifest's `scenario_file`, `"<scenario> (design <design>, sha256 <hex>)"`, into
/// the scenario's path and the design file's path and SHA-256 (`None` when it does not read so).
fn split_scenario_file(text: &str) -> (String, Option<(String, String)>) {
    let split = text.split_once(" (design ").and_then(|(scenario, rest)| {
        let (design, sha) = rest.strip_suffix(')')?.rsplit_once(", sha256 ")?;
        Some((scenario.to_owned(), (design.to_owned(), sha.to_owned())))
    });
    match split {
        Some((scenario, design)) => (scenario, Some(design)),
        None => (text.to_owned(), None),
    }
}

/// "<description> A designed sweep of the raqqa scenario: 11 assumptions varied at once over a
/// 33-point nearly orthogonal Latin hypercube, each point run with seeds 1–10 (330 runs)."
fn subtitle(
    s: &SensitivityFile,
    manifest: &Manifest,
    scenario: Option<&ScenarioDoc>,
    design: Option<&ScenarioDoc>,
) -> String {
    let description = scenario
        .and_then(ScenarioDoc::description)
        .map_or_else(String::new, |d| format!("{d} "));
    let stop = design
        .and_then(|d| d.doc["farm"]["days"].as_f64())
        .map_or_else(String::new, |days| {
            format!(", each stopped after {} days", decimal(days, 1))
        });
    format!(
        "{description}A designed sweep (data farming) of the {} scenario: {} assumptions varied at once \
         over a {}-point {}, each point run with {} ({} runs{stop}).",
        manifest.scenario_name,
        s.factors.len(),
        s.design.points,
        kind_words(&s.design.kind),
        seeds_phrase(&s.design.seeds),
        s.design.runs
    )
}

/// The effects, the factors and the design, as tables.
fn key_figures(s: &SensitivityFile, scenario: Option<&ScenarioDoc>) -> Markup {
    html! {
        (effects_table(s))
        (factors_table(&s.factors, scenario))
        (design_table(s))
    }
}

/// The outcome whose ranking orders the rows: the first headline outcome with coefficients, else
/// any outcome with them.
fn lead_outcome(s: &SensitivityFile) -> Option<&OutcomeSummary> {
    let has = |o: &&OutcomeSummary| !o.ranking.is_empty();
    drivers::headline(s)
        .into_iter()
        .find(has)
        .or_else(|| s.outcomes.iter().find(has))
}

/// The shade of an effect's cell: its direction and size, grey when its interval includes 0.
fn shade(e: &Estimate) -> &'static str {
    let size = e.coefficient.abs();
    match (e.is_clear(), e.coefficient > 0.0) {
        (false, _) => "unclear",
        (true, true) if size >= 0.4 => "up3",
        (true, true) if size >= 0.2 => "up2",
        (true, true) => "up1",
        (true, false) if size >= 0.4 => "down3",
        (true, false) if size >= 0.2 => "down2",
        (true, false) => "down1",
    }
}

/// One cell of the effects table: the coefficient (bold when it drives the outcome) over its
/// interval.
fn effect_cell(e: Option<Estimate>) -> Cell {
    let Some(e) = e else {
        return Cell::Num("—".to_owned());
    };
    let value = coef(e.coefficient);
    Cell::NumHtml {
        class: shade(&e),
        html: html! {
            @if e.is_clear() {
                strong { (value) }
            } @else {
                (value)
            }
            span.ci { (coef(e.low)) (NBSP) "to" (NBSP) (coef(e.high)) }
        },
    }
}

/// Factors (rows, in the lead outcome's ranking) × outcomes (columns): every coefficient with its
/// interval, then each outcome's R² and censored runs.
fn effects_table(s: &SensitivityFile) -> Markup {
    let lead = lead_outcome(s);
    let order: Vec<&FactorSummary> = match lead {
        Some(o) => o.ranked(&s.factors).into_iter().map(|(f, _)| f).collect(),
        None => s.factors.iter().collect(),
    };
    let mut rows: Vec<Row> = order
        .iter()
        .map(|f| {
            let mut cells = vec![Cell::Text(f.name.clone())];
            cells.extend(
                s.outcomes
                    .iter()
                    .map(|o| effect_cell(o.estimate_of(&f.name))),
            );
            Row::new(cells)
        })
        .collect();
    let mut r2 = vec![Cell::Text("R² (all factors together)".to_owned())];
    r2.extend(s.outcomes.iter().map(|o| {
        Cell::Num(
            o.r_squared
                .filter(|r| r.is_finite())
                .map_or_else(|| "—".to_owned(), r_squared),
        )
    }));
    rows.push(Row {
        cells: r2,
        strong: true,
    });
    if s.outcomes.iter().any(|o| o.censored > 0) {
        let mut never = vec![Cell::Text("Runs where it never happened".to_owned())];
        never.extend(s.outcomes.iter().map(|o| match o.scale() {
            Scale::Reached => Cell::Num("—".to_owned()),
            _ => Cell::Num(format!("{} of {}", o.censored, o.runs)),
        }));
        rows.push(Row::new(never));
    }
    let headings: Vec<String> = s.outcomes.iter().map(OutcomeSummary::heading).collect();
    let mut headers = vec!["Factor"];
    headers.extend(headings.iter().map(String::as_str));
    let effects = table(
        "effects",
        "What drives each outcome: each factor's coefficient (SRRC) with its 95 % interval",
        &headers,
        &rows,
        true,
    );
    let order_note = lead.map_or_else(String::new, |o| {
        format!(" Rows follow the factors' effect on {}.", o.what())
    });
    html! {
        (effects)
        p.note {
            "A coefficient near +1 or −1: the factor alone orders the runs on that outcome; near 0: \
             it hardly moves it. Positive (blue): raising the factor raises the outcome (a later \
             day, more losses, happening more often); negative (orange): lowers it. In bold, the \
             interval excludes 0 and the factor drives the outcome; in grey, no clear effect."
            (order_note)
        }
        @for o in s.outcomes.iter().filter(|o| o.r_squared.is_none()) {
            p.note {
                (o.heading()) ": no ranking ("
                (o.note.as_deref().unwrap_or("no coefficients in sensitivity.json")) ")."
            }
        }
    }
}

/// The factors: name, the field each sets, its range, the scenario file's own value, type.
fn factors_table(factors: &[FactorSummary], scenario: Option<&ScenarioDoc>) -> Markup {
    let in_file = |f: &FactorSummary| -> String {
        let Some(doc) = scenario else {
            return "—".to_owned();
        };
        let number = |v: &str| {
            v.trim()
                .parse::<f64>()
                .map_or_else(|_| v.to_owned(), |x| factor_value(x, f.integer))
        };
        match doc.value_at(&f.path) {
            Some(v) => number(&v),
            None => default_of(&f.path)
                .map_or_else(|| "—".to_owned(), |d| format!("{} (default)", number(&d))),
        }
    };
    let rows: Vec<Row> = factors
        .iter()
        .map(|f| {
            let mut cells = vec![
                Cell::Text(f.name.clone()),
                Cell::Html(html! { code { (f.path) } }),
                Cell::Num(factor_value(f.low, f.integer)),
                Cell::Num(factor_value(f.high, f.integer)),
            ];
            if scenario.is_some() {
                cells.push(Cell::Num(in_file(f)));
            }
            cells.push(Cell::Text(
                if f.integer { "whole number" } else { "real" }.to_owned(),
            ));
            Row::new(cells)
        })
        .collect();
    let mut headers = vec!["Factor", "Scenario field it sets", "Low", "High"];
    if scenario.is_some() {
        headers.push("Scenario's own value");
    }
    headers.push("Type");
    let table = table(
        "factors",
        &format!(
            "The factors: {} assumptions varied at once, each over its range",
            factors.len()
        ),
        &headers,
        &rows,
        true,
    );
    html! {
        (table)
        @if scenario.is_some() {
            (note(
                "The scenario's own value, as its file sets it (or the format's default), is for \
                 reference only: the runs used the design's values instead (design.csv)."
            ))
        }
    }
}

/// The design: kind, size, and its quality against the data-farming targets.
fn design_table(s: &SensitivityFile) -> Markup {
    let d = &s.design;
    let correlation = d.max_abs_correlation.map_or_else(
        || "— (fewer than two factors)".to_owned(),
        |r| {
            let pair = d
                .worst_pair
                .as_ref()
                .map_or_else(String::new, |(a, b)| format!(" ({a} × {b})"));
            let verdict = if r <= CORRELATION_TARGET {
                format!("within the {CORRELATION_TARGET} target")
            } else {
                format!("above the {CORRELATION_TARGET} target: their effects blur into each other")
            };
            format!("{r:.3}{pair}: {verdict}")
        },
    );
    let distance = d.min_distance.map_or_else(
        || "—".to_owned(),
        |m| {
            format!(
                "{m:.3} (factors scaled to 0–1; the larger, the better the points fill the space)"
            )
        },
    );
    let mut rows = vec![
        ("Kind", capitalise(&kind_words(&d.kind))),
        (
            "Runs",
            format!(
                "{} points × {} seeds ({}) = {} runs",
                d.points,
                d.seeds_per_point,
                seeds_phrase(&d.seeds),
                d.runs
            ),
        ),
        ("Largest correlation between two factors", correlation),
        ("Smallest distance between two points", distance),
    ];
    if let Some(seed) = d.design_seed {
        rows.push((
            "Design seed",
            format!("{seed} (of the search for the layout, not of the runs)"),
        ));
    }
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|(k, v)| Row::new(vec![Cell::Text(k.to_owned()), Cell::Text(v)]))
        .collect();
    table(
        "design",
        "The design",
        &["Measure", "This design"],
        &rows,
        true,
    )
}
