//! The two closing sections every page shares: the assumptions (the scenario's description and
//! header notes, the parameters it sets away from the format's defaults, what one course of action
//! changes from the other, the `--set` overrides) and the provenance (scenario name and SHA-256,
//! seeds, engine version, the command line, the files read).

use maud::{Markup, html};

use super::files::Manifest;
use super::html::{Cell, Row, section, table};
use super::scenario_file::{Lookup, differences, non_default_parameters};
use super::words::{Calendar, decimal, display_name, seeds_phrase};

/// At most this many rows of differences between two courses of action are listed.
const MAX_DIFFERENCES: usize = 60;

/// One course of action (a run or sweep has one; a comparison two).
pub(crate) struct Course<'a> {
    /// `A (raqqa)`, or empty when there is only one.
    pub(crate) label: String,
    /// The scenario's name.
    pub(crate) name: String,
    /// The scenario file as written in the manifest.
    pub(crate) file: String,
    /// Its SHA-256.
    pub(crate) sha256: String,
    /// Its engine version.
    pub(crate) engine_version: String,
    /// What was found of the file.
    pub(crate) lookup: &'a Lookup,
}

impl<'a> Course<'a> {
    /// The one course of a run, sweep or farm, as its manifest names it.
    pub(crate) fn single(manifest: &Manifest, lookup: &'a Lookup) -> Course<'a> {
        Course {
            label: String::new(),
            name: manifest.scenario_name.clone(),
            file: manifest.scenario_file.clone(),
            sha256: manifest.scenario_sha256.clone(),
            engine_version: manifest.engine_version.clone(),
            lookup,
        }
    }
}

/// The design file of a farm: what the page says of it among the assumptions and the provenance.
pub(crate) struct DesignSource<'a> {
    /// The design file as written in the manifest.
    pub(crate) file: String,
    /// Its SHA-256.
    pub(crate) sha256: String,
    /// Design points, each run with every seed.
    pub(crate) points: u64,
    /// What was found of the file.
    pub(crate) lookup: &'a Lookup,
}

/// `"path"` quoted for a shell when it needs it.
fn shell_word(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// The assumptions section's body.
pub(crate) fn assumptions(courses: &[Course], overrides: &[String]) -> Markup {
    let docs: Vec<&serde_json::Value> = courses
        .iter()
        .filter_map(|c| c.lookup.doc().map(|d| &d.doc))
        .collect();
    html! {
        @for c in courses {
            (course_assumptions(c))
        }
        h3 { "Overrides given on the command line" }
        @if overrides.is_empty() {
            p { "None: the scenario file as written." }
        } @else {
            ul {
                @for o in overrides {
                    li { code { "--set " (o) } }
                }
            }
            p.note { "The tables below show the file as written; these overrides apply on top." }
        }
        @if docs.len() == 2 {
            (differences_table(courses, docs[0], docs[1]))
        }
        @if !docs.is_empty() && docs.len() == courses.len() {
            (parameters_table(courses, &docs))
        }
        (header_notes(courses))
    }
}

/// One course's description and clock, or why its scenario file is not at hand.
fn course_assumptions(c: &Course) -> Markup {
    let who = if c.label.is_empty() {
        String::new()
    } else {
        format!("{}: ", c.label)
    };
    match c.lookup {
        Lookup::Found(doc) => {
            let what = doc
                .description()
                .unwrap_or_else(|| "(the scenario has no description)".to_owned());
            let cal = Calendar::from_iso(doc.start_date().as_deref());
            let clock = doc.duration_days().map(|days| {
                let from = cal
                    .long(0.0)
                    .map_or_else(String::new, |d| format!(" from {d}"));
                format!(
                    "{who}{} days simulated{from}, in {}-hour steps.",
                    decimal(days, 1),
                    decimal(doc.tick_hours(), 1)
                )
            });
            html! {
                p { strong { (who) } (what) }
                @if let Some(clock) = clock {
                    p.note { (clock) }
                }
            }
        }
        Lookup::Missing(why) => html! { p.note { (who) (display_name(why)) "." } },
    }
}

/// What B changes from A.
fn differences_table(courses: &[Course], a: &serde_json::Value, b: &serde_json::Value) -> Markup {
    let diffs = differences(a, b);
    let heading = html! { h3 { "What " (courses[1].label) " changes from " (courses[0].label) } };
    if diffs.is_empty() {
        return html! {
            (heading)
            p { "None apart from the name and description: the two files describe the same campaign." }
        };
    }
    let dash = || "—".to_owned();
    let rows: Vec<Row> = diffs
        .iter()
        .take(MAX_DIFFERENCES)
        .map(|(path, va, vb)| {
            Row::new(vec![
                Cell::Html(html! { code { (path) } }),
                Cell::Text(va.clone().unwrap_or_else(dash)),
                Cell::Text(vb.clone().unwrap_or_else(dash)),
            ])
        })
        .collect();
    html! {
        (heading)
        (table(
            "differences",
            "Values that differ between the two scenario files",
            &["Field", &courses[0].label, &courses[1].label],
            &rows,
            true,
        ))
        @if diffs.len() > MAX_DIFFERENCES {
            p.note { "… and " (diffs.len() - MAX_DIFFERENCES) " more differences." }
        }
    }
}

/// Doctrine and model parameters set away from the format's defaults.
fn parameters_table(courses: &[Course], docs: &[&serde_json::Value]) -> Markup {
    let params = non_default_parameters(docs);
    let heading = html! { h3 { "Parameters that differ from the defaults" } };
    if params.is_empty() {
        return html! {
            (heading)
            p { "None: every side, air and front parameter is at its default." }
        };
    }
    let mut headers: Vec<String> = vec!["Parameter".to_owned()];
    if courses.len() == 1 {
        headers.push("Value".to_owned());
    } else {
        headers.extend(courses.iter().map(|c| c.label.clone()));
    }
    headers.push("Default".to_owned());
    headers.push("What it is".to_owned());
    let rows: Vec<Row> = params
        .iter()
        .map(|p| {
            let mut cells = vec![Cell::Html(html! { code { (p.path) } })];
            cells.extend(
                p.values
                    .iter()
                    .map(|v| Cell::Text(v.clone().unwrap_or_else(|| "default".to_owned()))),
            );
            cells.push(Cell::Text(p.default.clone()));
            cells.push(Cell::Text(p.doc.to_owned()));
            Row::new(cells)
        })
        .collect();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    html! {
        (heading)
        p.note {
            "Side, air, second-front and clock parameters set to something other than the default \
             of the format reference (" code { "scenarios/README.md" } "); the theatre itself \
             (settlements, routes, units, depots) is the scenario's data and is not listed."
        }
        (table(
            "parameters",
            "Parameters set away from their defaults",
            &headers,
            &rows,
            true,
        ))
    }
}

/// The scenario files' header comments (once when both courses share them).
fn header_notes(courses: &[Course]) -> Markup {
    let mut notes: Vec<(String, &str)> = Vec::new();
    for c in courses {
        let Some(doc) = c.lookup.doc() else { continue };
        if doc.header_notes.is_empty() || notes.iter().any(|(_, n)| *n == doc.header_notes) {
            continue;
        }
        let whose =
            if courses.len() > 1 && courses.iter().filter_map(|c| c.lookup.doc()).count() > 1 {
                let same = courses
                    .iter()
                    .filter_map(|c| c.lookup.doc())
                    .all(|d| d.header_notes == doc.header_notes);
                if same {
                    " (the same in both files)".to_owned()
                } else {
                    format!(" ({})", c.label)
                }
            } else {
                String::new()
            };
        notes.push((whose, &doc.header_notes));
    }
    html! {
        @for (whose, text) in &notes {
            h3 { "Notes in the scenario file's header" (whose) }
            div.notes { (text) }
        }
    }
}

/// The page's closing sections, the same for every kind of page: assumptions, then provenance;
/// a farm's `design` file is described in both.
pub(crate) fn closing_sections(
    courses: &[Course],
    overrides: &[String],
    manifest: &Manifest,
    seed_count: Option<u64>,
    design: Option<&DesignSource>,
) -> [Markup; 2] {
    let said = html! {
        (assumptions(courses, overrides))
        @if let Some(d) = design {
            (design_assumptions(d))
        }
    };
    [
        section("assumptions", "Assumptions", said),
        section(
            "provenance",
            "Provenance",
            provenance(courses, manifest, seed_count, design),
        ),
    ]
}

/// The design file's description, where its runs stop, and its header notes.
fn design_assumptions(d: &DesignSource) -> Markup {
    let heading = html! { h3 { "The design file" } };
    let Some(doc) = d.lookup.doc() else {
        return html! {
            (heading)
            @if let Lookup::Missing(why) = d.lookup {
                p.note { (display_name(why)) "." }
            }
        };
    };
    let what = doc
        .text_at("farm", "description")
        .unwrap_or_else(|| "(the design file has no description)".to_owned());
    let stop = match doc.doc["farm"]["days"].as_f64() {
        Some(days) => format!("Every run stopped after {} days.", decimal(days, 1)),
        None => "Every run lasted the scenario's full duration.".to_owned(),
    };
    html! {
        (heading)
        p { (what) }
        p.note {
            (stop) " The factors set their values on top of the scenario file at every point, so \
             the scenario's own value of a factor is not the one the runs used."
        }
        @if !doc.header_notes.is_empty() {
            h3 { "Notes in the design file's header" }
            div.notes { (doc.header_notes) }
        }
    }
}

/// The provenance section's body.
pub(crate) fn provenance(
    courses: &[Course],
    manifest: &Manifest,
    seed_count: Option<u64>,
    design: Option<&DesignSource>,
) -> Markup {
    let mut items: Vec<(String, Markup)> = Vec::new();
    let mut item = |term: &str, value: Markup| items.push((term.to_owned(), value));
    let code = |text: &str| html! { code { (text) } };
    for c in courses {
        let suffix = if c.label.is_empty() {
            String::new()
        } else {
            format!(", {}", c.label)
        };
        item(&format!("Scenario{suffix}"), html! { (c.name) });
        item(&format!("Scenario file{suffix}"), code(&c.file));
        item(&format!("SHA-256{suffix}"), code(&c.sha256));
    }
    if let Some(d) = &manifest.doctrine {
        item("Doctrine file", code(&d.file));
        item("SHA-256, doctrine", code(&d.sha256));
    }
    if let Some(d) = design {
        item("Design file", code(&d.file));
        item("SHA-256, design", code(&d.sha256));
    }
    let count = seed_count.map_or_else(String::new, |n| {
        if n == 1 {
            String::new()
        } else {
            format!(" ({n} runs)")
        }
    });
    let at_points = design.map_or_else(String::new, |d| {
        format!(" at each of {} design points", d.points)
    });
    item(
        "Seeds",
        html! { (seeds_phrase(&manifest.seeds)) (at_points) (count) },
    );
    let mut versions: Vec<&str> = courses.iter().map(|c| c.engine_version.as_str()).collect();
    versions.push(&manifest.engine_version);
    versions.retain(|v| !v.is_empty());
    versions.dedup();
    item("Engine", html! { "phaseline " (versions.join(" / ")) });
    let line: Vec<String> = manifest
        .command_line
        .iter()
        .map(|a| shell_word(a))
        .collect();
    item("Command line", code(&line.join(" ")));
    let files = if design.is_some() {
        "the scenario and design files when their SHA-256 match"
    } else {
        "the scenario file when its SHA-256 matches"
    };
    item(
        "This page",
        html! {
            "written by phaseline from the saved result files of this folder (no simulation rerun) \
             and " (files) "; the same files give the same page, byte for byte."
        },
    );
    html! {
        dl.provenance {
            @for (term, value) in &items {
                dt { (term) }
                dd { (value) }
            }
        }
    }
}
