//! The briefing page: one self-contained `briefing.html` per run, sweep, comparison or farm folder,
//! read back from the saved result files only (never from simulation state, never by rerunning).
//!
//! A briefer hands over one file, not a folder: the page opens in any browser, offline, with
//! JavaScript off, and prints cleanly to PDF. It holds no script and no external reference: the
//! styles are inline, the charts are PNG data URIs, the timeline is inline SVG.
//!
//! Content, in the order a briefer speaks:
//! 1. the **bottom line** in two or three plain sentences built from the figures (for a farm: which
//!    factor drives each headline outcome most, which way, how much the factors explain together,
//!    and the runs where the event never came);
//! 2. the **key figures** as tables (for a farm: every factor's effect on every outcome with its
//!    95 % interval, the factors and their ranges, the design and its quality);
//! 3. the **campaign timeline**: phases as bars on a day axis, with the milestones (not for a farm,
//!    whose runs differ in their assumptions);
//! 4. for a run, the **after-action narrative** from `events.csv`; for a farm, the **method** of the
//!    sensitivity analysis in a few sentences;
//! 5. the **charts**, each with alt text and a one-line caption saying what to look at;
//! 6. the **assumptions**: the scenario's description and header notes, the parameters set away
//!    from the defaults (and, for a comparison, what B changes from A; for a farm, the design file's
//!    description and notes), the `--set` overrides;
//! 7. the **provenance**: scenario name and SHA-256 (and a farm's design file and its SHA-256),
//!    seeds, engine version, the command line.
//!
//! Guarantees:
//! - **Deterministic**: the same folder gives the same bytes (no clock, no hash-map order). The
//!   scenario file (and a farm's design file) is read only when its SHA-256 matches the manifest, so
//!   what the page says of it is what the results were made from; when it cannot be found the page
//!   says so.
//! - **No half-written page**: written under a hidden temporary name and renamed into place.
//! - **Accessible and printable**: semantic headings and sections, tables with header cells, alt
//!   text on every chart, a print stylesheet that starts each chart on its own page, uncut.
//!
//! ```no_run
//! let page = phaseline::brief::write_briefing(std::path::Path::new("output/raqqa/seed-1"))?;
//! println!("{}", page.display());
//! # Ok::<(), phaseline::brief::BriefError>(())
//! ```

use std::path::{Path, PathBuf};

mod charts;
mod compare;
mod error;
mod farm;
mod files;
mod html;
mod narrative;
mod provenance;
mod run;
mod scenario_file;
mod style;
mod sweep;
#[cfg(test)]
mod tests;
mod timeline;
mod words;

pub use error::BriefError;

/// The name of the page in every results folder.
pub const BRIEFING_FILE: &str = "briefing.html";

/// What kind of results a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FolderKind {
    /// One run: `summary.json`.
    Run,
    /// A comparison of two courses of action: `comparison.json`.
    Compare,
    /// A sweep over seeds: `aggregate.json`.
    Sweep,
    /// A designed sweep over factors and seeds (`phaseline farm`): `sensitivity.json`.
    Farm,
}

/// The kind of results in `dir`: `sensitivity.json` → farm, `summary.json` → run,
/// `comparison.json` → comparison, `aggregate.json` → sweep (checked in that order, as
/// `phaseline chart` does), or `None`.
pub fn folder_kind(dir: &Path) -> Option<FolderKind> {
    let has = |f: &str| dir.join(f).is_file();
    if has("sensitivity.json") {
        Some(FolderKind::Farm)
    } else if has("summary.json") {
        Some(FolderKind::Run)
    } else if has("comparison.json") {
        Some(FolderKind::Compare)
    } else if has("aggregate.json") {
        Some(FolderKind::Sweep)
    } else {
        None
    }
}

/// The page for the results in `dir`, as text, without writing it.
///
/// # Errors
/// As [`write_briefing`], less [`BriefError::Write`].
pub fn render_briefing(dir: &Path) -> Result<String, BriefError> {
    match folder_kind(dir) {
        Some(FolderKind::Run) => run::page(dir),
        Some(FolderKind::Compare) => compare::page(dir),
        Some(FolderKind::Sweep) => sweep::page(dir),
        Some(FolderKind::Farm) => farm::page(dir),
        None => Err(BriefError::NotResults {
            dir: dir.to_owned(),
        }),
    }
}

/// Writes `briefing.html` into the results folder `dir` (a run, a sweep, a comparison or a farm,
/// told apart by their files) from the files saved there, and returns its path.
///
/// The page is written under a hidden temporary name in `dir` and renamed into place.
///
/// # Errors
/// [`BriefError::NotResults`] when `dir` holds none of the four kinds of results,
/// [`BriefError::Read`] when a needed file is missing or unreadable, [`BriefError::Malformed`] when
/// one does not follow `docs/output-formats.md`, [`BriefError::Write`] when the page cannot be
/// written.
pub fn write_briefing(dir: &Path) -> Result<PathBuf, BriefError> {
    let page = render_briefing(dir)?;
    let path = dir.join(BRIEFING_FILE);
    crate::fsio::write_atomic(&path, page.as_bytes()).map_err(|source| BriefError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// The bottom-line box: one paragraph per sentence.
fn bottom_line(sentences: &[String]) -> maud::Markup {
    maud::html! {
        div.bottom-line {
            @for s in sentences {
                (html::para(s))
            }
        }
    }
}

/// The timeline section: the SVG and a caption that says the same in words.
fn timeline_section(tl: &timeline::Timeline, objective: &str) -> maud::Markup {
    let mut words: Vec<String> = Vec::new();
    for row in &tl.rows {
        let who = if row.label.is_empty() {
            String::new()
        } else {
            format!("{}: ", row.label)
        };
        let phases: Vec<String> = row
            .phases
            .iter()
            .map(|p| {
                format!(
                    "{} day {}–{}",
                    p.name,
                    words::whole(p.start),
                    words::whole(p.end)
                )
            })
            .collect();
        let marks: Vec<String> = row.marks.iter().map(|m| m.label.clone()).collect();
        let mut line = format!("{who}phases {}", phases.join(", "));
        if !marks.is_empty() {
            line.push_str(&format!("; {}", marks.join("; ")));
        }
        words.push(line);
    }
    let desc = format!("{}.", words.join(". "));
    let svg = tl.svg(&format!("Campaign timeline: {objective}"), &desc);
    let body = maud::html! {
        figure.timeline {
            (svg)
            figcaption { (words::capitalise(&desc)) }
        }
    };
    html::section("timeline", "Campaign timeline", body)
}
