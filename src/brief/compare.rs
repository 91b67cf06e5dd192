//! The briefing page of a comparison folder (`comparison.json`, `a_bands.csv`, `b_bands.csv`,
//! `manifest.json` and the comparison's charts): which course of action is faster, by how much,
//! with its 95 % confidence interval — or that the difference is not significant.

use std::path::Path;

use super::charts::{COMPARE_CHARTS, figures};
use super::error::BriefError;
use super::files::{
    Comparison, FigureDiff, Manifest, Ordered, PhaseMedian, last_band_day, read_json, seed_count,
    value_text,
};
use super::html::{Cell, Row, document, note, section, table};
use super::provenance::{Course, closing_sections};
use super::run::footer;
use super::scenario_file::{Lookup, find};
use super::timeline::{self, GREEN, Mark, PURPLE, Timeline};
use super::words::{
    Calendar, capitalise, display_name, figure_diff, figure_label, figure_value, pct, seeds_phrase,
    whole,
};
use super::{bottom_line, timeline_section};
use maud::{Markup, html};

/// Splits the manifest's `"A vs B"` into its two halves (the same text twice when it does not).
fn halves(text: &str) -> (String, String) {
    match text.split_once(" vs ") {
        Some((a, b)) => (a.to_owned(), b.to_owned()),
        None => (text.to_owned(), text.to_owned()),
    }
}

/// Builds the page of the comparison folder `dir`.
pub(crate) fn page(dir: &Path) -> Result<String, BriefError> {
    let cmp: Comparison = read_json(&dir.join("comparison.json"))?;
    let manifest: Manifest = read_json(&dir.join("manifest.json"))?;
    let end_day =
        last_band_day(&dir.join("a_bands.csv"))?.max(last_band_day(&dir.join("b_bands.csv"))?);
    let (file_a, file_b) = halves(&manifest.scenario_file);
    let sha_a = if cmp.a.scenario_sha256.is_empty() {
        halves(&manifest.scenario_sha256).0
    } else {
        cmp.a.scenario_sha256.clone()
    };
    let sha_b = if cmp.b.scenario_sha256.is_empty() {
        halves(&manifest.scenario_sha256).1
    } else {
        cmp.b.scenario_sha256.clone()
    };
    let (look_a, look_b) = (find(dir, &file_a, &sha_a), find(dir, &file_b, &sha_b));
    let label_a = format!("A ({})", cmp.a.scenario_name);
    let label_b = format!("B ({})", cmp.b.scenario_name);
    let doc_a = look_a.doc();
    let cal = Calendar::from_iso(doc_a.and_then(|s| s.start_date()).as_deref());
    let objective = doc_a
        .and_then(|s| s.objective_name())
        .or_else(|| look_b.doc().and_then(|s| s.objective_name()))
        .unwrap_or_else(|| "the objective".to_owned());
    let seeds = value_text(&cmp.seeds);
    let title = format!(
        "{} vs {}: briefing on two courses of action, {}",
        display_name(&cmp.a.scenario_name),
        display_name(&cmp.b.scenario_name),
        seeds_phrase(&seeds)
    );
    let subtitle = format!(
        "Course A is {}, course B is {}; both ran the same {} seeds ({}) with common random numbers, \
         so each difference is paired seed by seed.",
        file_a,
        file_b,
        seed_count(&seeds).map_or_else(|| "?".to_owned(), |n| n.to_string()),
        seeds_phrase(&seeds)
    );
    let fig = |n: &str| cmp.figures.get(n);
    let names = crate::ensemble::Names {
        a: &label_a,
        b: &label_b,
        objective: &objective,
    };
    let tradeoff = crate::ensemble::tradeoff(&|n: &str| fig(n).map(FigureDiff::paired), names);
    let mut sentences = vec![tradeoff.summary.clone()];
    sentences.extend(tradeoff.families.iter().map(|f| f.sentence.clone()));
    let mut sections = vec![
        section("bottom-line", "Bottom line", bottom_line(&sentences)),
        section(
            "key-figures",
            "Key figures",
            key_figures(&cmp, &label_a, &label_b),
        ),
    ];
    // Each course's own phases (a phase of one plan is not the phase of the same name in the
    // other), from its scenario file when at hand, else from comparison.json; milestones at their
    // medians over the seeds where both courses got there.
    let row = |label: &str,
               starts: &Ordered<PhaseMedian>,
               pick: fn(&FigureDiff) -> Option<f64>,
               lookup: &Lookup| {
        let from_file: Vec<(String, Option<f64>)> = starts
            .0
            .iter()
            .filter_map(|(n, p)| {
                n.strip_prefix("phase_start_")
                    .map(|n| (n.replace('_', " "), p.median))
            })
            .collect();
        let phases: Vec<(String, Option<f64>)> = match lookup.doc().map(|d| d.phase_names()) {
            Some(names) if !names.is_empty() => names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let day = starts
                        .get(&crate::results::phase_figure(name))
                        .and_then(|p| p.median)
                        .or((i == 0).then_some(0.0));
                    (name.clone(), day)
                })
                .collect(),
            _ => from_file,
        };
        let mut marks = Vec::new();
        for (name, verb, colour) in [
            ("isolation_day", "isolated", GREEN),
            ("capture_day", "taken", PURPLE),
        ] {
            if let Some(d) = fig(name).and_then(pick) {
                marks.push(Mark {
                    day: d,
                    label: format!("{verb}, median day {}", whole(d)),
                    range: None,
                    colour,
                });
            }
        }
        timeline::Row {
            label: label.to_owned(),
            phases: timeline::spans(&phases, end_day),
            marks,
        }
    };
    let tl = Timeline {
        end_day,
        calendar: cal,
        rows: vec![
            row(
                &label_a,
                &cmp.a_phase_starts,
                |f| f.median_a.or(f.mean_a),
                &look_a,
            ),
            row(
                &label_b,
                &cmp.b_phase_starts,
                |f| f.median_b.or(f.mean_b),
                &look_b,
            ),
        ],
    };
    sections.push(timeline_section(&tl, &objective));
    sections.push(section(
        "charts",
        "Charts",
        figures(
            dir,
            &COMPARE_CHARTS,
            &format!("({label_a} against {label_b}, {}.)", seeds_phrase(&seeds)),
        )?,
    ));
    let courses = [
        course(
            &label_a,
            &cmp.a.scenario_name,
            &file_a,
            &sha_a,
            &cmp.a.engine_version,
            &look_a,
        ),
        course(
            &label_b,
            &cmp.b.scenario_name,
            &file_b,
            &sha_b,
            &cmp.b.engine_version,
            &look_b,
        ),
    ];
    let overrides = if manifest.overrides.is_empty() {
        cmp.a.overrides.clone()
    } else {
        manifest.overrides.clone()
    };
    sections.extend(closing_sections(
        &courses,
        &overrides,
        &manifest,
        seed_count(&seeds),
        None,
    ));
    Ok(document(
        &title,
        &subtitle,
        &sections,
        &footer(&manifest, &look_a),
    ))
}

fn course<'a>(
    label: &str,
    name: &str,
    file: &str,
    sha: &str,
    version: &str,
    lookup: &'a Lookup,
) -> Course<'a> {
    Course {
        label: label.to_owned(),
        name: name.to_owned(),
        file: file.to_owned(),
        sha256: sha.to_owned(),
        engine_version: version.to_owned(),
        lookup,
    }
}

/// One row per figure: both medians, the mean paired difference with its interval, significance.
fn key_figures(cmp: &Comparison, a: &str, b: &str) -> Markup {
    let rows: Vec<Row> = cmp
        .figures
        .0
        .iter()
        .map(|(name, f)| {
            let v = |x: Option<f64>| x.map_or_else(|| "—".to_owned(), |x| figure_value(name, x));
            let (level_a, level_b) = (f.median_a.or(f.mean_a), f.median_b.or(f.mean_b));
            let diff = f
                .mean_diff
                .map_or_else(|| "—".to_owned(), |m| figure_diff(name, m));
            let ci = match (f.ci95_low, f.ci95_high) {
                (Some(lo), Some(hi)) => format!(
                    "{} to {}",
                    figure_diff(name, lo)
                        .trim_end_matches("\u{a0}days")
                        .trim_end_matches("\u{a0}pts"),
                    figure_diff(name, hi)
                ),
                _ => "—".to_owned(),
            };
            let reached = if f.reached_share_a >= 1.0 && f.reached_share_b >= 1.0 {
                "all".to_owned()
            } else {
                format!("{} / {}", pct(f.reached_share_a), pct(f.reached_share_b))
            };
            Row::new(vec![
                Cell::Text(capitalise(&figure_label(name))),
                Cell::Num(v(level_a)),
                Cell::Num(v(level_b)),
                Cell::Num(diff),
                Cell::Num(ci),
                Cell::Html(if f.significant {
                    html! { strong { "yes" } }
                } else {
                    html! { "no" }
                }),
                Cell::Num(reached),
            ])
        })
        .collect();
    let n = cmp.figures.0.iter().map(|(_, f)| f.n).max().unwrap_or(0);
    let figures = table(
        "figures",
        &format!("Paired comparison per figure, over up to {n} seeds"),
        &[
            "Figure",
            a,
            b,
            "Mean B − A",
            "95 % CI of the mean",
            "Significant",
            "Reached, A / B",
        ],
        &rows,
        true,
    );
    html! {
        (figures)
        (note(
            "Columns A and B are medians over the seeds where both courses have the figure \
             (for days: where both got there), as on a sweep's page; mean B − A is the mean of the \
             per-seed differences (the paired test), significant when its 95 % confidence interval \
             excludes 0. Phase starts are compared only when both courses have the same phases in \
             the same order. Shares differ in percentage points (pts). Reached: the share of seeds \
             where each course has the figure at all (for days: got there)."
        ))
    }
}
