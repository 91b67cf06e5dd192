//! The charts of a folder, inlined as PNG data URIs, each with alt text and a one-line caption
//! saying what to look at.
//!
//! PNG rather than the SVG twins: the PNG is drawn with the embedded DejaVu Sans and is identical
//! on every machine, while an SVG's text names a font family and so depends on the viewer's fonts.
//! A chart that is missing (the run was made with `--no-charts`) is named, not silently dropped.

use std::borrow::Cow;
use std::path::Path;

use super::error::BriefError;
use super::files::read_bytes;
use maud::{Markup, html};

/// One chart: file stem, alt text, what it shows, what to look at. Fixed for the charts every run,
/// sweep or comparison draws; made from the results for a farm's charts, one pair per outcome.
pub(crate) struct ChartSpec {
    /// File stem (`campaign` → `campaign.png`).
    pub(crate) stem: Cow<'static, str>,
    /// Alt text: what the image is, for a reader who cannot see it.
    pub(crate) alt: Cow<'static, str>,
    /// Caption head: what it shows.
    pub(crate) what: Cow<'static, str>,
    /// Caption tail: what to look at.
    pub(crate) look: Cow<'static, str>,
}

impl ChartSpec {
    /// A chart spec made from the results (a farm's charts, named after its outcomes).
    pub(crate) fn owned(stem: String, alt: String, what: String, look: String) -> ChartSpec {
        ChartSpec {
            stem: Cow::Owned(stem),
            alt: Cow::Owned(alt),
            what: Cow::Owned(what),
            look: Cow::Owned(look),
        }
    }
}

const fn c(
    stem: &'static str,
    alt: &'static str,
    what: &'static str,
    look: &'static str,
) -> ChartSpec {
    ChartSpec {
        stem: Cow::Borrowed(stem),
        alt: Cow::Borrowed(alt),
        what: Cow::Borrowed(what),
        look: Cow::Borrowed(look),
    }
}

/// The charts of a run folder, in the order `chart::draw_run_charts` lists them.
pub(crate) const RUN_CHARTS: [ChartSpec; 5] = [
    c(
        "campaign",
        "Line chart of the objective's isolation index (0 = open, 1 = cut off) by day, over shaded phases, with a bar while the escape route is open and dashed lines on the days it was isolated and taken.",
        "Isolation of the objective.",
        "Look at when the black line reaches the isolation threshold and stays there, and when the escape-route bar ends.",
    ),
    c(
        "control",
        "Stacked area chart of the settlements held by the attacker, contested, cleared but unheld, and held by the defender, by day.",
        "Who controls the settlements.",
        "Look at how fast the blue band grows, and at grey or orange strips: ground cleared but not held, or still fought over.",
    ),
    c(
        "forces",
        "Two line charts by day: the fighting strength of attacker and defender (fighters), and the days of supply each side has on hand.",
        "Strength and supply of both sides.",
        "Look at how fast the defender's strength falls once the objective is cut off, and at any side whose supply runs down toward zero.",
    ),
    c(
        "map",
        "Four small maps of the theatre (start, each phase change, end) with settlements coloured by who holds them and routes drawn as open, interdicted or cut.",
        "Control and routes at the start, at each phase change and at the end.",
        "Look at which routes into the objective are cut (dotted) and which settlements changed colour between panels.",
    ),
    c(
        "civilians",
        "Two line charts by day: the cumulative civilian harm index (abstract, not a casualty count) and the cumulative number of people displaced.",
        "Civilian harm and displacement, cumulative.",
        "Look at the steep stretches: fighting in populated places, usually the assault on the objective.",
    ),
];

/// The charts of a sweep folder.
pub(crate) const SWEEP_CHARTS: [ChartSpec; 4] = [
    c(
        "fan_isolation",
        "Fan chart of the objective's isolation index by day across all seeds: the median line with the 50 % and 90 % bands.",
        "Isolation index across seeds.",
        "A narrow fan means the outcome hardly depends on chance; look at the day the lower edge of the band reaches the threshold.",
    ),
    c(
        "fan_villages",
        "Fan chart of the villages held by the attacker by day across all seeds: median with 50 % and 90 % bands.",
        "Villages held by the attacker across seeds.",
        "Look for a falling band: villages lost again to infiltration in some seeds.",
    ),
    c(
        "dist_isolation_day",
        "Two charts of the day the objective was isolated across seeds: the share of seeds that had isolated it by each day, and a histogram of seeds per range of days, with the median marked.",
        "When the objective was isolated, seed by seed.",
        "Look at how steep the rising line is (a steep line: chance matters little) and at the share of seeds that never got there, in the title.",
    ),
    c(
        "dist_capture_day",
        "Two charts of the day the objective was taken across seeds: the share of seeds that had taken it by each day, and a histogram of seeds per range of days, with the median marked.",
        "When the objective was taken, seed by seed.",
        "Look at the spread of the histogram, a long right tail, and the share of seeds that never took it, in the title.",
    ),
];

/// The charts of a comparison folder.
pub(crate) const COMPARE_CHARTS: [ChartSpec; 2] = [
    c(
        "compare_isolation",
        "Two fan charts on the same axes: the isolation index by day for course A and course B, each with its median and 90 % band.",
        "Isolation index of both courses of action.",
        "Look at which median reaches the threshold first and whether the bands overlap.",
    ),
    c(
        "compare_diff",
        "Dot-and-whisker chart of the paired difference B minus A for each figure, with its 95 % confidence interval and a dashed line at no difference.",
        "Paired difference B − A per figure, with 95 % confidence intervals.",
        "An interval that crosses the dashed zero line is no evidence of a difference; days on the left, other figures as a percentage of A.",
    ),
];

/// Standard base64 (RFC 4648, with padding).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The `<figure>`s of the charts in `specs` found in `dir`, numbered from 1, and a note naming any
/// that are missing. `context` (scenario and seeds) ends every alt text.
pub(crate) fn figures(
    dir: &Path,
    specs: &[ChartSpec],
    context: &str,
) -> Result<Markup, BriefError> {
    let mut shown = Vec::new();
    let mut missing = Vec::new();
    let mut n = 0;
    for spec in specs {
        let path = dir.join(format!("{}.png", spec.stem));
        if !path.is_file() {
            missing.push(format!("{}.png", spec.stem));
            continue;
        }
        let bytes = read_bytes(&path)?;
        n += 1;
        shown.push(html! {
            figure.chart id={"chart-" (spec.stem)} {
                img src={"data:image/png;base64," (base64(&bytes))} alt={(spec.alt) " " (context)};
                figcaption {
                    span.what { "Chart " (n) ". " (spec.what) }
                    " " (spec.look) " "
                    span.note { "(" (spec.stem) ".png)" }
                }
            }
        });
    }
    Ok(html! {
        @for figure in &shown {
            (figure)
        }
        @if !missing.is_empty() {
            p.note {
                "Not drawn in this folder: " (missing.join(", ")) ". "
                code { "phaseline chart DIR" } " draws them, then "
                code { "phaseline brief DIR" } " rewrites this page."
            }
        }
    })
}
