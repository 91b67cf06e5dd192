//! `compare_diff`: the paired mean difference per figure with its 95 % confidence interval, as small
//! multiples — one row per figure, each on its own scale.
//!
//! Fighters, days, tons and indices share no unit, and one shared axis lets a +5,000 % change squash
//! a +150 % one onto the zero line. So every row has its own scale, from the smallest to the largest
//! of 0, the mean and the interval's ends: the strip shows which side of zero the difference lies and
//! how sure it is; the numbers beside it give its size in the figure's own unit, and each course's
//! median. A filled dot is significant (the interval excludes 0), a hollow one is not. Day figures
//! come first. Phase starts are in `comparison.json` only when both courses have the same phases; a
//! note says so when they were left out. The sign (B − A or A − B) is read from `pairs.csv` itself.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::compare::versus;
use super::error::ChartError;
use super::inputs::{CompareFiles, FigureDiff};
use super::layout::{LegendItem, Swatch, frame_with_subtitle, text_style, text_width};
use super::render::{Chart, DrawResult};
use super::style::{INK, MUTED, fmt_figure, fmt_num, fmt_signed, plain_name, tint};

/// Largest row height, in pixels.
const ROW_MAX: i32 = 56;
/// Label size.
const ROW_LABEL_PX: f64 = 20.0;
/// Size of the numbers beside a row.
const NUMBER_PX: f64 = 18.0;
/// Smallest size a label may shrink to so that it fits its column.
const MIN_PX: f64 = 13.0;

/// One row: a figure's mean difference, its interval, and the text beside it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// The figure in plain words, with the pairs it rests on.
    pub(crate) label: String,
    /// Mean of the per-seed differences.
    pub(crate) mean: f64,
    /// Its 95 % interval.
    pub(crate) ci: Option<(f64, f64)>,
    /// Whether the interval excludes 0.
    pub(crate) significant: bool,
    /// `−11 days [−12, −9.9]`.
    pub(crate) numbers: String,
    /// `median 64 → 53 (A → B)` or empty.
    pub(crate) levels: String,
}

/// The paired-difference chart of a comparison.
pub(crate) struct DiffChart<'a> {
    files: &'a CompareFiles,
    /// `B − A` or `A − B`, as `pairs.csv` computes `diff`.
    sign: &'static str,
    /// Day figures, then the others; each group with its heading.
    groups: Vec<(String, Vec<Row>)>,
    /// Notes under the rows (figures not shown and why).
    notes: Vec<String>,
}

fn is_day_figure(name: &str) -> bool {
    name.ends_with("_day") || name.starts_with("phase_start_")
}

/// Whether `diff` in `pairs.csv` reads `a − b` (a vote over the rows; `b − a` on a tie).
fn a_minus_b(files: &CompareFiles) -> Result<bool, ChartError> {
    let p = &files.pairs;
    let (a, b, d) = (p.numbers("a")?, p.numbers("b")?, p.numbers("diff")?);
    let mut votes = 0i64;
    for i in 0..d.len() {
        let tol = 1e-9 * a[i].abs().max(b[i].abs()).max(1.0);
        if ((b[i] - a[i]) - d[i]).abs() <= tol {
            votes += 1;
        } else if ((a[i] - b[i]) - d[i]).abs() <= tol {
            votes -= 1;
        }
    }
    Ok(votes < 0)
}

/// The row of figure `name`, or `None` without a mean difference.
fn row(name: &str, f: &FigureDiff) -> Option<Row> {
    let mean = f.mean_diff.filter(|m| m.is_finite())?;
    let ci = f
        .ci95_low
        .zip(f.ci95_high)
        .filter(|(l, h)| l.is_finite() && h.is_finite());
    let n =
        f.n.map_or(String::new(), |n| format!(" (n={})", fmt_num(n)));
    let unit = if is_day_figure(name) { " days" } else { "" };
    let v = |x: f64| fmt_figure(name, x, true);
    let numbers = match ci {
        Some((lo, hi)) => format!("{}{unit} [{}, {}]", v(mean), v(lo), v(hi)),
        None => format!("{}{unit} (no interval)", v(mean)),
    };
    let level_a = f.median_a.or(f.mean_a).filter(|v| v.is_finite());
    let level_b = f.median_b.or(f.mean_b).filter(|v| v.is_finite());
    let what = if f.median_a.is_some() {
        "median"
    } else {
        "mean"
    };
    let significant = ci.is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0);
    let levels = match (level_a, level_b) {
        (Some(a), Some(b)) => {
            let level = |x: f64| fmt_figure(name, x, false);
            let rel = f
                .mean_a
                .filter(|a| a.abs() > 1e-12 && significant && !is_day_figure(name))
                .map(|a| format!("; mean {}%", fmt_signed((mean / a.abs() * 100.0).round())))
                .unwrap_or_default();
            format!("{what} A {} → B {}{rel}", level(a), level(b))
        }
        _ => String::new(),
    };
    Some(Row {
        label: format!("{}{n}", plain_name(name)),
        mean,
        ci,
        significant,
        numbers,
        levels,
    })
}

impl<'a> DiffChart<'a> {
    /// Orders the figures as `pairs.csv` lists them (then `comparison.json`), days first.
    pub(crate) fn new(files: &'a CompareFiles) -> Result<Self, ChartError> {
        let names = files.pairs.strings("figure")?;
        let mut order: Vec<&str> = Vec::new();
        for n in names
            .iter()
            .map(String::as_str)
            .chain(files.comparison.figures.keys().map(String::as_str))
        {
            if !order.contains(&n) {
                order.push(n);
            }
        }
        let (mut days, mut others, mut missing) = (Vec::new(), Vec::new(), Vec::new());
        for name in order {
            let Some(f) = files.comparison.figures.get(name) else {
                continue;
            };
            match row(name, f) {
                Some(r) if is_day_figure(name) => days.push(r),
                Some(r) => others.push(r),
                None => missing.push(plain_name(name)),
            }
        }
        let mut notes = Vec::new();
        if !missing.is_empty() {
            notes.push(format!(
                "not shown, no seed where both courses have it: {}",
                missing.join(", ")
            ));
        }
        if phases_left_out(&files.comparison.figures, &files.comparison.a_phase_starts) {
            notes
                .push("phase starts not compared: the two plans have different phases".to_string());
        }
        let sign = if a_minus_b(files)? {
            "A − B"
        } else {
            "B − A"
        };
        let groups = [
            (format!("Days ({sign}; negative: sooner)"), days),
            (
                format!("Other figures ({sign}, in their own units)"),
                others,
            ),
        ]
        .into_iter()
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
        Ok(Self {
            files,
            sign,
            groups,
            notes,
        })
    }
}

/// Whether the comparison has phase starts for A but compares none (the plans differ).
fn phases_left_out(
    figures: &BTreeMap<String, FigureDiff>,
    a_starts: &BTreeMap<String, serde_json::Value>,
) -> bool {
    !a_starts.is_empty() && !figures.keys().any(|k| k.starts_with("phase_start_"))
}

/// Pixel columns of the chart: where labels end, where the strips run, where the numbers start.
struct Columns {
    label_right: i32,
    strip: (i32, i32),
    numbers_left: i32,
    right: i32,
}

impl Columns {
    fn of(width: i32) -> Self {
        Self {
            label_right: width * 34 / 100,
            strip: (width * 36 / 100, width * 62 / 100),
            numbers_left: width * 64 / 100,
            right: width - 4,
        }
    }
}

/// The data range of a row's strip: 0, the mean and the interval, padded.
fn strip_range(r: &Row) -> (f64, f64) {
    let values = [
        Some(0.0),
        Some(r.mean),
        r.ci.map(|c| c.0),
        r.ci.map(|c| c.1),
    ];
    let (lo, hi) = values
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    let span = hi - lo;
    if span < 1e-12 {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo - span * 0.08, hi + span * 0.08)
    }
}

/// Draws `text` at `at`, shrunk from `size` until it is at most `max_w` pixels wide.
fn fitted_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    (size, max_w): (f64, i32),
    (colour, pos): (&RGBColor, Pos),
) -> DrawResult {
    let mut px = size;
    while px > MIN_PX && text_width(area, text, px)? > max_w {
        px -= 1.0;
    }
    area.draw(&Text::new(
        text.to_string(),
        at,
        text_style(px, colour, pos),
    ))?;
    Ok(())
}

/// Draws one row centred on pixel height `y`.
fn draw_row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &Row,
    y: i32,
    cols: &Columns,
) -> DrawResult {
    let (x0, x1) = cols.strip;
    let (lo, hi) = strip_range(r);
    let px = |v: f64| x0 + ((v - lo) / (hi - lo) * f64::from(x1 - x0)).round() as i32;
    let right_mid = Pos::new(HPos::Right, VPos::Center);
    fitted_text(
        area,
        &r.label,
        (cols.label_right, y),
        (ROW_LABEL_PX, cols.label_right - 4),
        (&INK, right_mid),
    )?;
    let grey = RGBColor(0xDD, 0xDD, 0xDD);
    area.draw(&PathElement::new(
        vec![(x0, y), (x1, y)],
        grey.stroke_width(1),
    ))?;
    let zero = px(0.0);
    let mut yy = y - 14;
    while yy < y + 14 {
        area.draw(&PathElement::new(
            vec![(zero, yy), (zero, (yy + 5).min(y + 14))],
            INK.stroke_width(2),
        ))?;
        yy += 9;
    }
    let ink = if r.significant { INK } else { MUTED };
    if let Some((l, h)) = r.ci {
        area.draw(&PathElement::new(
            vec![(px(l), y), (px(h), y)],
            ink.stroke_width(3),
        ))?;
        for end in [px(l), px(h)] {
            area.draw(&PathElement::new(
                vec![(end, y - 8), (end, y + 8)],
                ink.stroke_width(3),
            ))?;
        }
    }
    let dot = (px(r.mean), y);
    if r.significant {
        area.draw(&Circle::new(dot, 7, INK.filled()))?;
    } else {
        area.draw(&Circle::new(dot, 7, WHITE.filled()))?;
        area.draw(&Circle::new(dot, 7, MUTED.stroke_width(3)))?;
    }
    let width = cols.right - cols.numbers_left;
    let (top, bottom) = if r.levels.is_empty() {
        (Pos::new(HPos::Left, VPos::Center), y)
    } else {
        (Pos::new(HPos::Left, VPos::Bottom), y + 1)
    };
    fitted_text(
        area,
        &r.numbers,
        (cols.numbers_left, bottom),
        (NUMBER_PX, width),
        (&INK, top),
    )?;
    if !r.levels.is_empty() {
        fitted_text(
            area,
            &r.levels,
            (cols.numbers_left, y + 3),
            (NUMBER_PX - 2.0, width),
            (&MUTED, Pos::new(HPos::Left, VPos::Top)),
        )?;
    }
    Ok(())
}

impl Chart for DiffChart<'_> {
    fn stem(&self) -> String {
        "compare_diff".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = &self.files.manifest;
        let title = format!(
            "{}: paired difference {}, {}",
            versus(self.files),
            self.sign,
            m.seeds_phrase()
        );
        let subtitle = [
            "each row on its own scale, from the smallest to the largest of 0, the mean and its interval"
                .to_string(),
            "numbers in the figure's own unit".to_string(),
        ];
        let legend = [
            LegendItem::new(Swatch::Dot(INK.into(), 7), "mean difference, significant"),
            LegendItem::new(
                Swatch::Ring(MUTED.into()),
                "not significant (95% CI holds 0)",
            ),
            LegendItem::new(Swatch::Line(INK.into(), 3), "95% confidence interval"),
            LegendItem::new(Swatch::Dashed(INK.into(), 2), "no difference (0)"),
        ];
        let area = frame_with_subtitle(root, &title, &subtitle, &legend, &m.footer())?;
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let cols = Columns::of(w);
        let rows: usize = self.groups.iter().map(|(_, r)| r.len()).sum();
        if rows == 0 {
            area.draw(&Text::new(
                "no figure to show".to_string(),
                (w / 2, h / 2),
                text_style(
                    NUMBER_PX + 4.0,
                    &MUTED,
                    Pos::new(HPos::Center, VPos::Center),
                ),
            ))?;
        }
        let notes_h = 26 * self.notes.len() as i32;
        let slots = (rows + self.groups.len()) as i32;
        let row_h = ((h - notes_h) / slots.max(1)).min(ROW_MAX);
        let mut y = row_h / 2;
        for (heading, group) in &self.groups {
            area.draw(&Text::new(
                heading.clone(),
                (0, y + row_h / 4),
                text_style(ROW_LABEL_PX + 2.0, &INK, Pos::new(HPos::Left, VPos::Bottom)),
            ))?;
            area.draw(&PathElement::new(
                vec![(0, y + row_h / 4 + 4), (cols.right, y + row_h / 4 + 4)],
                tint(INK, 0.3).stroke_width(1),
            ))?;
            y += row_h;
            for r in group {
                draw_row(&area, r, y, &cols)?;
                y += row_h;
            }
        }
        for (i, note) in self.notes.iter().enumerate() {
            fitted_text(
                &area,
                note,
                (cols.right, h - 4 - 26 * (self.notes.len() - 1 - i) as i32),
                (NUMBER_PX, w - 8),
                (&MUTED, Pos::new(HPos::Right, VPos::Bottom)),
            )?;
        }
        Ok(())
    }
}
