//! The campaign timeline as an inline SVG: one row per course of action, phases as coloured bars on
//! a day axis, milestones (isolation, capture, injects) as marked lines, ranges as shaded spans.
//!
//! Labels are set in lanes above each row, placed greedily from left to right into the first lane
//! where they do not overlap (text widths are estimated, generously), so nothing is written over
//! anything else whatever the viewer's font. Everything is computed from the numbers given, so the
//! same input gives the same bytes.

use maud::{Markup, PreEscaped, Render as _, html};

use super::words::Calendar;

/// A coordinate as the drawing writes it: one decimal.
fn at(v: f64) -> String {
    format!("{v:.1}")
}

/// Width of the drawing, in SVG units (it scales to the page).
const W: f64 = 960.0;
/// Height of a phase bar.
const BAR_H: f64 = 26.0;
/// Height of a label lane.
const LANE_H: f64 = 17.0;
/// Font size of labels.
const FONT: f64 = 14.0;
/// Estimated width of one character at [`FONT`] (DejaVu Sans averages about 0.55 em; kept wide).
const CHAR_W: f64 = FONT * 0.62;
/// At most this many lanes per row; further labels share the last lane.
const MAX_LANES: usize = 5;

/// Phase tints, as in the charts: sky blue, yellow, bluish green, reddish purple (cycled).
const PHASE_TINTS: [&str; 4] = ["#56B4E9", "#F0E442", "#009E73", "#CC79A7"];
/// Isolation milestone colour (bluish green, as in the charts).
pub(crate) const GREEN: &str = "#009E73";
/// Capture milestone colour (reddish purple).
pub(crate) const PURPLE: &str = "#B0588A";
/// Phase names set outside their bars.
pub(crate) const INK: &str = "#333333";
/// Injects (scheduled events).
pub(crate) const INJECT: &str = "#6B6B6B";

/// A phase: its name and the days it covers.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    /// Phase name.
    pub(crate) name: String,
    /// First day.
    pub(crate) start: f64,
    /// Day it ends (the next phase's start, or the end of the run).
    pub(crate) end: f64,
}

/// A milestone on a row.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    /// Its day.
    pub(crate) day: f64,
    /// Its label.
    pub(crate) label: String,
    /// A range around it (e.g. the 90 % range over seeds), shaded.
    pub(crate) range: Option<(f64, f64)>,
    /// Colour of its line and label.
    pub(crate) colour: &'static str,
}

/// One row: a course of action (or the one run).
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    /// Row label at the left (empty: no label column).
    pub(crate) label: String,
    /// Phases in order.
    pub(crate) phases: Vec<Span>,
    /// Milestones.
    pub(crate) marks: Vec<Mark>,
}

/// A whole timeline.
#[derive(Debug, Clone)]
pub(crate) struct Timeline {
    /// Last day of the axis.
    pub(crate) end_day: f64,
    /// Dates for the axis, when known.
    pub(crate) calendar: Calendar,
    /// Rows, top to bottom.
    pub(crate) rows: Vec<Row>,
}

/// A label to place: left edge, right edge, text, colour, x of its anchor line.
struct Label {
    x: f64,
    anchor_end: bool,
    /// A phase name set outside its bar (dashed leader), not a milestone.
    phase: bool,
    text: String,
    colour: &'static str,
}

impl Label {
    fn extent(&self) -> (f64, f64) {
        let w = self.text.chars().count() as f64 * CHAR_W;
        if self.anchor_end {
            (self.x - 4.0 - w, self.x)
        } else {
            (self.x, self.x + 4.0 + w)
        }
    }
}

/// Assigns each label a lane (0 is nearest the bar): the lowest lane where it
/// overlaps no label (6 units apart), no label below it covers its leader line, and it covers the
/// leader line of no label above it. Leader lines then never cross text.
fn lanes(labels: &[Label]) -> Vec<usize> {
    const GAP: f64 = 6.0;
    let covers = |ext: (f64, f64), x: f64| x >= ext.0 - 3.0 && x <= ext.1 + 3.0;
    // Labels written to the right of their line go right to left, those written to the left of
    // it (near the right edge) left to right, and these first: each then meets the lines of the
    // labels already placed beyond its text, never under it.
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| {
        let (la, lb) = (&labels[a], &labels[b]);
        lb.anchor_end
            .cmp(&la.anchor_end)
            .then(if la.anchor_end {
                la.x.total_cmp(&lb.x)
            } else {
                lb.x.total_cmp(&la.x)
            })
            .then(a.cmp(&b))
    });
    let mut placed: Vec<(usize, usize)> = Vec::new(); // (label, lane)
    let mut lane_of = vec![0; labels.len()];
    let mut n_lanes = 0;
    for i in order {
        let ext = labels[i].extent();
        let fits = |k: usize| {
            placed.iter().all(|&(j, lane)| {
                let other = labels[j].extent();
                match lane.cmp(&k) {
                    std::cmp::Ordering::Equal => ext.1 + GAP <= other.0 || ext.0 >= other.1 + GAP,
                    std::cmp::Ordering::Less => !covers(other, labels[i].x),
                    std::cmp::Ordering::Greater => !covers(ext, labels[j].x),
                }
            })
        };
        let lane = (0..n_lanes)
            .find(|&k| fits(k))
            .unwrap_or(if n_lanes < MAX_LANES {
                n_lanes
            } else {
                MAX_LANES - 1
            });
        n_lanes = n_lanes.max(lane + 1);
        placed.push((i, lane));
        lane_of[i] = lane;
    }
    lane_of
}

/// A tick step of 1, 2 or 5 × 10^k days giving at most `max_ticks` intervals.
fn tick_step(end: f64, max_ticks: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if end / (step * m) <= max_ticks {
                return step * m;
            }
        }
        step *= 10.0;
    }
}

impl Timeline {
    /// The SVG element, with `title` and `desc` for screen readers.
    pub(crate) fn svg(&self, title: &str, desc: &str) -> Markup {
        let end = if self.end_day.is_finite() && self.end_day > 0.0 {
            self.end_day
        } else {
            1.0
        };
        let labelled = self.rows.iter().any(|r| !r.label.is_empty());
        // Wide enough margins that the first and last date under the axis are not cut.
        let left = if labelled { 160.0 } else { 44.0 };
        let right = 44.0;
        let x = |d: f64| left + d.clamp(0.0, end) / end * (W - left - right);
        // One colour per phase name across all rows, in order of first appearance, so the same
        // phase has the same colour in both courses of action.
        let mut phase_names: Vec<&str> = Vec::new();
        for p in self.rows.iter().flat_map(|r| &r.phases) {
            if !phase_names.contains(&p.name.as_str()) {
                phase_names.push(&p.name);
            }
        }
        let tint = |name: &str| {
            let i = phase_names.iter().position(|n| *n == name).unwrap_or(0);
            PHASE_TINTS[i % PHASE_TINTS.len()]
        };
        let mut body = String::new();
        let mut y = 8.0;
        for row in &self.rows {
            // Phase names go inside their bar when they fit, else into the lanes.
            let mut labels: Vec<Label> = Vec::new();
            let mut inside: Vec<Option<String>> = Vec::new();
            for p in &row.phases {
                let w = x(p.end) - x(p.start);
                let need = p.name.chars().count() as f64 * CHAR_W + 10.0;
                if need <= w {
                    inside.push(Some(p.name.clone()));
                } else {
                    inside.push(None);
                    labels.push(label_at(x(p.start) + 1.0, &p.name, INK, true));
                }
            }
            for m in &row.marks {
                labels.push(label_at(x(m.day), &m.label, m.colour, false));
            }
            let lane_of = lanes(&labels);
            let n_lanes = lane_of.iter().max().map_or(0, |m| m + 1);
            let bar_y = y + n_lanes as f64 * LANE_H + 6.0;
            let lane_y = |k: usize| bar_y - 6.0 - (k as f64) * LANE_H - 4.0;
            for (i, p) in row.phases.iter().enumerate() {
                let (x0, x1) = (x(p.start), x(p.end));
                let colour = tint(&p.name);
                html! {
                    rect x=(at(x0)) y=(at(bar_y)) width=(at((x1 - x0).max(1.0))) height=(BAR_H)
                        fill=(colour) fill-opacity="0.45" stroke="#ffffff" stroke-width="1" {}
                }
                .render_to(&mut body);
                if let Some(name) = &inside[i] {
                    html! {
                        text x=(at(x0 + 5.0)) y=(at(bar_y + BAR_H / 2.0 + FONT * 0.35))
                            font-size=(FONT) fill="#1f1f1f" { (name) }
                    }
                    .render_to(&mut body);
                }
            }
            for m in &row.marks {
                if let Some((lo, hi)) = m.range {
                    html! {
                        rect x=(at(x(lo))) y=(at(bar_y + BAR_H + 2.0))
                            width=(at((x(hi) - x(lo)).max(2.0))) height=(at(7.0))
                            fill=(m.colour) fill-opacity="0.28" {}
                    }
                    .render_to(&mut body);
                }
            }
            for (label, lane) in labels.iter().zip(&lane_of) {
                let ly = lane_y(*lane);
                let bottom = bar_y + BAR_H + if label.phase { 0.0 } else { 9.0 };
                let dash = label.phase.then_some("2 2");
                html! {
                    line x1=(at(label.x)) y1=(at(ly + 3.0)) x2=(at(label.x)) y2=(at(bottom))
                        stroke=(label.colour) stroke-width="2" stroke-dasharray=[dash] {}
                }
                .render_to(&mut body);
                let (tx, anchor) = if label.anchor_end {
                    (label.x - 4.0, "end")
                } else {
                    (label.x + 4.0, "start")
                };
                html! {
                    text x=(at(tx)) y=(at(ly)) font-size=(FONT) text-anchor=(anchor)
                        fill=(label.colour) { (label.text) }
                }
                .render_to(&mut body);
            }
            if labelled {
                // `B (raqqa-air-first)`: the letter bold, the name under it.
                let (head, tail) = match row.label.split_once(" (") {
                    Some((h, t)) => (h, t.trim_end_matches(')')),
                    None => (row.label.as_str(), ""),
                };
                let mid = bar_y + BAR_H / 2.0;
                let head_y = if tail.is_empty() {
                    mid + FONT * 0.35
                } else {
                    mid - 2.0
                };
                html! {
                    text x=(at(left - 10.0)) y=(at(head_y)) font-size=(FONT) text-anchor="end"
                        font-weight="bold" fill="#1f1f1f" { (head) }
                }
                .render_to(&mut body);
                if !tail.is_empty() {
                    html! {
                        text x=(at(left - 10.0)) y=(at(mid + 12.0)) font-size="12"
                            text-anchor="end" fill="#444444" { (tail) }
                    }
                    .render_to(&mut body);
                }
            }
            y = bar_y + BAR_H + 16.0;
        }
        // Day axis with gridlines, day numbers and (when known) dates.
        let axis_y = y;
        let top = 8.0;
        let step = tick_step(end, 8.0);
        let mut ticks = String::new();
        let mut d = 0.0;
        while d <= end + 1e-9 {
            let tx = x(d);
            html! {
                line x1=(at(tx)) y1=(at(top)) x2=(at(tx)) y2=(at(axis_y))
                    stroke="#dddddd" stroke-width="1" {}
                line x1=(at(tx)) y1=(at(axis_y)) x2=(at(tx)) y2=(at(axis_y + 5.0))
                    stroke="#555555" stroke-width="1" {}
                text x=(at(tx)) y=(at(axis_y + 18.0)) font-size="13" text-anchor="middle"
                    fill="#1f1f1f" { (d as u64) }
            }
            .render_to(&mut ticks);
            if let Some(date) = self.calendar.iso(d) {
                html! {
                    text x=(at(tx)) y=(at(axis_y + 32.0)) font-size="12" text-anchor="middle"
                        fill="#555555" { (date) }
                }
                .render_to(&mut ticks);
            }
            d += step;
        }
        let dated = self.calendar.start_epoch_day.is_some();
        let caption_y = axis_y + if dated { 50.0 } else { 36.0 };
        let height = caption_y + 8.0;
        let axis_label = if dated {
            "day of the campaign (date below)"
        } else {
            "day of the campaign"
        };
        let height = format!("{height:.0}");
        html! {
            svg viewBox={"0 0 " (W) " " (height)} width=(W) height=(height) role="img"
                aria-labelledby="timeline-title timeline-desc" {
                title id="timeline-title" { (title) }
                desc id="timeline-desc" { (desc) }
                rect x="0" y="0" width=(W) height=(height) fill="#ffffff" {}
                (PreEscaped(ticks))
                line x1=(at(left)) y1=(at(axis_y)) x2=(at(W - right)) y2=(at(axis_y))
                    stroke="#555555" stroke-width="1" {}
                (PreEscaped(body))
                text x=(at((left + W - right) / 2.0)) y=(at(caption_y)) font-size="12"
                    text-anchor="middle" fill="#555555" { (axis_label) }
            }
        }
    }
}

/// A label anchored at `x`: written to the right of its line, or to the left near the right edge.
fn label_at(x: f64, text: &str, colour: &'static str, phase: bool) -> Label {
    let w = text.chars().count() as f64 * CHAR_W + 4.0;
    Label {
        x,
        anchor_end: x + w > W - 4.0,
        phase,
        text: text.to_owned(),
        colour,
    }
}

/// Phases from their start days (in order; `None`: never reached) up to `end`: each runs to the
/// next reached phase's start.
pub(crate) fn spans(phases: &[(String, Option<f64>)], end: f64) -> Vec<Span> {
    let reached: Vec<(&String, f64)> = phases
        .iter()
        .filter_map(|(n, d)| d.filter(|d| d.is_finite()).map(|d| (n, d)))
        .collect();
    reached
        .iter()
        .enumerate()
        .map(|(i, (name, start))| Span {
            name: (*name).clone(),
            start: *start,
            end: reached.get(i + 1).map_or(end, |(_, s)| *s).max(*start),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Crowded labels: same day, overlapping spans, near both edges.
    fn crowd() -> Vec<Label> {
        let xs = [
            50.0, 52.0, 52.0, 60.0, 120.0, 125.0, 400.0, 930.0, 940.0, 955.0,
        ];
        xs.iter()
            .enumerate()
            .map(|(i, &x)| {
                label_at(
                    x,
                    &format!("label number {i} of the crowd"),
                    INK,
                    i % 3 == 0,
                )
            })
            .collect()
    }

    #[test]
    fn lanes_keep_labels_apart_and_leaders_clear_of_text() {
        let labels = crowd();
        let lane = lanes(&labels);
        assert!(lane.iter().all(|&l| l < MAX_LANES));
        for i in 0..labels.len() {
            for j in 0..labels.len() {
                if i == j || lane[i] >= MAX_LANES - 1 || lane[j] >= MAX_LANES - 1 {
                    continue;
                }
                let (a, b) = (labels[i].extent(), labels[j].extent());
                if lane[i] == lane[j] {
                    assert!(
                        a.1 <= b.0 || b.1 <= a.0,
                        "labels {i} and {j} overlap in lane {}",
                        lane[i]
                    );
                }
                if lane[i] > lane[j] {
                    let x = labels[i].x;
                    assert!(
                        x < b.0 - 3.0 || x > b.1 + 3.0,
                        "the leader of label {i} crosses label {j}"
                    );
                }
            }
        }
    }

    #[test]
    fn tick_steps_are_round_and_few() {
        assert_eq!(tick_step(120.0, 8.0), 20.0);
        assert_eq!(tick_step(365.0, 8.0), 50.0);
        assert_eq!(tick_step(7.0, 8.0), 1.0);
        assert_eq!(tick_step(1000.0, 8.0), 200.0);
    }
}
