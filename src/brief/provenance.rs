//! The two closing sections every page shares: the assumptions (the scenario's description and
//! header notes, the parameters it sets away from the format's defaults, what one course of action
//! changes from the other, the `--set` overrides) and the provenance (scenario name and SHA-256,
//! seeds, engine version, the command line, the files read).

use std::fmt::Write as _;

use super::files::Manifest;
use super::html::{Cell, Row, escape, section, table};
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
pub(crate) fn assumptions(courses: &[Course], overrides: &[String]) -> String {
    let mut out = String::new();
    for c in courses {
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
                let _ = writeln!(
                    out,
                    "<p><strong>{}</strong>{}</p>",
                    escape(&who),
                    escape(&what)
                );
                let cal = Calendar::from_iso(doc.start_date().as_deref());
                if let Some(days) = doc.duration_days() {
                    let from = cal
                        .long(0.0)
                        .map_or_else(String::new, |d| format!(" from {d}"));
                    let _ = writeln!(
                        out,
                        "<p class=\"note\">{}{} days simulated{from}, in {}-hour steps.</p>",
                        escape(&who),
                        decimal(days, 1),
                        decimal(doc.tick_hours(), 1)
                    );
                }
            }
            Lookup::Missing(why) => {
                let _ = writeln!(
                    out,
                    "<p class=\"note\">{}{}.</p>",
                    escape(&who),
                    escape(&display_name(why))
                );
            }
        }
    }
    out.push_str("<h3>Overrides given on the command line</h3>\n");
    if overrides.is_empty() {
        out.push_str("<p>None: the scenario file as written.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for o in overrides {
            let _ = writeln!(out, "<li><code>--set {}</code></li>", escape(o));
        }
        out.push_str(
            "</ul>\n<p class=\"note\">The tables below show the file as written; these overrides apply on top.</p>\n",
        );
    }
    let docs: Vec<&serde_json::Value> = courses
        .iter()
        .filter_map(|c| c.lookup.doc().map(|d| &d.doc))
        .collect();
    if docs.len() == 2 {
        out.push_str(&differences_table(courses, docs[0], docs[1]));
    }
    if !docs.is_empty() && docs.len() == courses.len() {
        out.push_str(&parameters_table(courses, &docs));
    }
    out.push_str(&header_notes(courses));
    out
}

/// What B changes from A.
fn differences_table(courses: &[Course], a: &serde_json::Value, b: &serde_json::Value) -> String {
    let diffs = differences(a, b);
    let mut out = format!(
        "<h3>What {} changes from {}</h3>\n",
        escape(&courses[1].label),
        escape(&courses[0].label)
    );
    if diffs.is_empty() {
        out.push_str(
            "<p>None apart from the name and description: the two files describe the same campaign.</p>\n",
        );
        return out;
    }
    let dash = || "—".to_owned();
    let rows: Vec<Row> = diffs
        .iter()
        .take(MAX_DIFFERENCES)
        .map(|(path, va, vb)| {
            Row::new(vec![
                Cell::Html(format!("<code>{}</code>", escape(path))),
                Cell::Text(va.clone().unwrap_or_else(dash)),
                Cell::Text(vb.clone().unwrap_or_else(dash)),
            ])
        })
        .collect();
    out.push_str(&table(
        "differences",
        "Values that differ between the two scenario files",
        &["Field", &courses[0].label, &courses[1].label],
        &rows,
        true,
    ));
    if diffs.len() > MAX_DIFFERENCES {
        let _ = writeln!(
            out,
            "<p class=\"note\">… and {} more differences.</p>",
            diffs.len() - MAX_DIFFERENCES
        );
    }
    out
}

/// Doctrine and model parameters set away from the format's defaults.
fn parameters_table(courses: &[Course], docs: &[&serde_json::Value]) -> String {
    let params = non_default_parameters(docs);
    let mut out = String::from("<h3>Parameters that differ from the defaults</h3>\n");
    if params.is_empty() {
        out.push_str("<p>None: every side, air and front parameter is at its default.</p>\n");
        return out;
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">Side, air, second-front and clock parameters set to something other than the \
         default of the format reference (<code>scenarios/README.md</code>); the theatre itself \
         (settlements, routes, units, depots) is the scenario's data and is not listed.</p>"
    );
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
            let mut cells = vec![Cell::Html(format!("<code>{}</code>", escape(&p.path)))];
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
    out.push_str(&table(
        "parameters",
        "Parameters set away from their defaults",
        &headers,
        &rows,
        true,
    ));
    out
}

/// The scenario files' header comments (once when both courses share them).
fn header_notes(courses: &[Course]) -> String {
    let mut out = String::new();
    let mut shown: Vec<&str> = Vec::new();
    for c in courses {
        let Some(doc) = c.lookup.doc() else { continue };
        if doc.header_notes.is_empty() || shown.contains(&doc.header_notes.as_str()) {
            continue;
        }
        shown.push(&doc.header_notes);
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
        let _ = writeln!(
            out,
            "<h3>Notes in the scenario file's header{}</h3>\n<div class=\"notes\">{}</div>",
            escape(&whose),
            escape(&doc.header_notes)
        );
    }
    out
}

/// The page's closing sections, the same for every kind of page: assumptions, then provenance;
/// a farm's `design` file is described in both.
pub(crate) fn closing_sections(
    courses: &[Course],
    overrides: &[String],
    manifest: &Manifest,
    seed_count: Option<u64>,
    design: Option<&DesignSource>,
) -> [String; 2] {
    let mut said = assumptions(courses, overrides);
    if let Some(d) = design {
        said.push_str(&design_assumptions(d));
    }
    [
        section("assumptions", "Assumptions", &said),
        section(
            "provenance",
            "Provenance",
            &provenance(courses, manifest, seed_count, design),
        ),
    ]
}

/// The design file's description, where its runs stop, and its header notes.
fn design_assumptions(d: &DesignSource) -> String {
    let mut out = String::from("<h3>The design file</h3>\n");
    let Some(doc) = d.lookup.doc() else {
        if let Lookup::Missing(why) = d.lookup {
            let _ = writeln!(out, "<p class=\"note\">{}.</p>", escape(&display_name(why)));
        }
        return out;
    };
    let what = doc
        .text_at("farm", "description")
        .unwrap_or_else(|| "(the design file has no description)".to_owned());
    let _ = writeln!(out, "<p>{}</p>", escape(&what));
    let stop = match doc.doc["farm"]["days"].as_f64() {
        Some(days) => format!("Every run stopped after {} days.", decimal(days, 1)),
        None => "Every run lasted the scenario's full duration.".to_owned(),
    };
    let _ = writeln!(
        out,
        "<p class=\"note\">{} The factors set their values on top of the scenario file at every point, \
         so the scenario's own value of a factor is not the one the runs used.</p>",
        escape(&stop)
    );
    if !doc.header_notes.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Notes in the design file's header</h3>\n<div class=\"notes\">{}</div>",
            escape(&doc.header_notes)
        );
    }
    out
}

/// The provenance section's body.
pub(crate) fn provenance(
    courses: &[Course],
    manifest: &Manifest,
    seed_count: Option<u64>,
    design: Option<&DesignSource>,
) -> String {
    let mut out = String::from("<dl class=\"provenance\">\n");
    let mut item = |term: &str, html: String| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{html}</dd>", escape(term));
    };
    for c in courses {
        let suffix = if c.label.is_empty() {
            String::new()
        } else {
            format!(", {}", c.label)
        };
        item(&format!("Scenario{suffix}"), escape(&c.name));
        item(
            &format!("Scenario file{suffix}"),
            format!("<code>{}</code>", escape(&c.file)),
        );
        item(
            &format!("SHA-256{suffix}"),
            format!("<code>{}</code>", escape(&c.sha256)),
        );
    }
    if let Some(d) = &manifest.doctrine {
        item("Doctrine file", format!("<code>{}</code>", escape(&d.file)));
        item(
            "SHA-256, doctrine",
            format!("<code>{}</code>", escape(&d.sha256)),
        );
    }
    if let Some(d) = design {
        item("Design file", format!("<code>{}</code>", escape(&d.file)));
        item(
            "SHA-256, design",
            format!("<code>{}</code>", escape(&d.sha256)),
        );
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
        escape(&format!(
            "{}{at_points}{count}",
            seeds_phrase(&manifest.seeds)
        )),
    );
    let mut versions: Vec<&str> = courses.iter().map(|c| c.engine_version.as_str()).collect();
    versions.push(&manifest.engine_version);
    versions.retain(|v| !v.is_empty());
    versions.dedup();
    item(
        "Engine",
        escape(&format!("phaseline {}", versions.join(" / "))),
    );
    let line: Vec<String> = manifest
        .command_line
        .iter()
        .map(|a| shell_word(a))
        .collect();
    item(
        "Command line",
        format!("<code>{}</code>", escape(&line.join(" "))),
    );
    let files = if design.is_some() {
        "the scenario and design files when their SHA-256 match"
    } else {
        "the scenario file when its SHA-256 matches"
    };
    item(
        "This page",
        escape(&format!(
            "written by phaseline from the saved result files of this folder (no simulation rerun) \
             and {files}; the same files give the same page, byte for byte."
        )),
    );
    out.push_str("</dl>\n");
    out
}
