//! The frame every chart shares: title, legend row(s) above the plot (never over the data), footer
//! with provenance, and helpers for axes, gapped lines and empty-data notes.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::render::{DrawError, DrawResult};
use super::style::{
    FONT, FOOTER_PX, HEIGHT, INK, LABEL_PX, LEGEND_PX, MUTED, TICK_PX, TITLE_PX, WIDTH, fmt_num,
};

/// A 2-D plot with floating-point axes, the kind most charts use.
pub(crate) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// How a legend entry is drawn in front of its label.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    /// A solid line of this colour and width.
    Line(RGBAColor, u32),
    /// A dashed line.
    Dashed(RGBAColor, u32),
    /// A dotted line.
    Dotted(RGBAColor, u32),
    /// A filled block (areas, bands).
    Block(RGBAColor),
    /// A filled circle of this radius.
    Dot(RGBAColor, i32),
    /// An open ring (the map's objective).
    Ring(RGBAColor),
}

/// One legend entry.
#[derive(Clone, Debug)]
pub(crate) struct LegendItem {
    /// The mark.
    pub(crate) swatch: Swatch,
    /// What it stands for, in plain words.
    pub(crate) label: String,
}

impl LegendItem {
    /// A legend entry.
    pub(crate) fn new(swatch: Swatch, label: impl Into<String>) -> Self {
        Self {
            swatch,
            label: label.into(),
        }
    }
}

const TITLE_TOP: i32 = 14;
const LEGEND_TOP: i32 = 72;
const SUBTITLE_TOP: i32 = 64;
const SUBTITLE_ROW: i32 = 29;
const LEGEND_ROW: i32 = 34;
const SWATCH_W: i32 = 44;
const FOOTER_H: i32 = 40;

/// A text style of `size` pixels in `colour`, anchored at `pos`.
pub(crate) fn text_style(size: f64, colour: &RGBColor, pos: Pos) -> TextStyle<'static> {
    TextStyle {
        font: (FONT, size).into_font(),
        color: colour.to_backend_color(),
        pos,
    }
}

/// The width in pixels of `text` at `size`.
pub(crate) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
) -> Result<i32, DrawError> {
    let style = TextStyle::from((FONT, size).into_font());
    Ok(area.estimate_text_size(text, &style)?.0 as i32)
}

/// Draws the title, the legend and the footer on `root`; returns the area left for the plot(s).
pub(crate) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    legend: &[LegendItem],
    footer: &str,
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    frame_with_subtitle(root, title, &[], legend, footer)
}

/// As [`frame`], with a subtitle under the title: `parts` joined by ` · `, wrapped between parts
/// when one line would not fit the width.
pub(crate) fn frame_with_subtitle<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    parts: &[String],
    legend: &[LegendItem],
    footer: &str,
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    // Shrink a long title until it fits the width.
    let mut size = TITLE_PX;
    while size > 26.0 {
        if text_width(root, title, size)? <= WIDTH as i32 - 60 {
            break;
        }
        size -= 2.0;
    }
    let centre_top = Pos::new(HPos::Center, VPos::Top);
    root.draw(&Text::new(
        title.to_string(),
        (WIDTH as i32 / 2, TITLE_TOP),
        text_style(size, &INK, centre_top),
    ))?;
    let lines = wrap_parts(root, parts, WIDTH as i32 - 120)?;
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (WIDTH as i32 / 2, SUBTITLE_TOP + i as i32 * SUBTITLE_ROW),
            text_style(LEGEND_PX, &MUTED, centre_top),
        ))?;
    }
    let legend_top = match lines.len() {
        0 => LEGEND_TOP,
        n => SUBTITLE_TOP + n as i32 * SUBTITLE_ROW + 4,
    };
    let rows = draw_legend(root, legend, legend_top, WIDTH as i32)?;
    root.draw(&Text::new(
        footer.to_string(),
        (24, HEIGHT as i32 - 12),
        text_style(FOOTER_PX, &MUTED, Pos::new(HPos::Left, VPos::Bottom)),
    ))?;
    let top = legend_top + rows * LEGEND_ROW + 6;
    Ok(root.margin(top, FOOTER_H, 12, 40))
}

/// Joins `parts` with ` · ` into as few lines of at most `width` pixels as whole parts allow.
fn wrap_parts<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    parts: &[String],
    width: i32,
) -> Result<Vec<String>, DrawError> {
    let mut lines: Vec<String> = Vec::new();
    for part in parts.iter().filter(|p| !p.is_empty()) {
        if let Some(line) = lines.last_mut() {
            let joined = format!("{line} · {part}");
            if text_width(area, &joined, LEGEND_PX)? <= width {
                *line = joined;
                continue;
            }
        }
        lines.push(part.clone());
    }
    Ok(lines)
}

/// Lays legend entries out in centred rows starting at `top`; returns the number of rows used.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    top: i32,
    width: i32,
) -> Result<i32, DrawError> {
    let gap = 34;
    let mut rows: Vec<Vec<(&LegendItem, i32)>> = vec![Vec::new()];
    let mut row_w = 0;
    for item in items {
        let w = SWATCH_W + 10 + text_width(root, &item.label, LEGEND_PX)?;
        let needed = if row_w == 0 { w } else { row_w + gap + w };
        if needed > width - 80 && row_w > 0 {
            rows.push(Vec::new());
            row_w = w;
        } else {
            row_w = needed;
        }
        if let Some(row) = rows.last_mut() {
            row.push((item, w));
        }
    }
    let rows: Vec<_> = rows.into_iter().filter(|r| !r.is_empty()).collect();
    for (r, row) in rows.iter().enumerate() {
        let total: i32 = row.iter().map(|(_, w)| w).sum::<i32>() + gap * (row.len() as i32 - 1);
        let mut x = (width - total) / 2;
        let y = top + r as i32 * LEGEND_ROW + LEGEND_ROW / 2;
        for (item, w) in row {
            draw_swatch(root, item.swatch, x, y)?;
            root.draw(&Text::new(
                item.label.clone(),
                (x + SWATCH_W + 10, y),
                text_style(LEGEND_PX, &INK, Pos::new(HPos::Left, VPos::Center)),
            ))?;
            x += w + gap;
        }
    }
    Ok(rows.len() as i32)
}

/// Draws one swatch whose left edge is `x`, vertically centred on `y`.
pub(crate) fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    x: i32,
    y: i32,
) -> DrawResult {
    let (x0, x1) = (x, x + SWATCH_W);
    match swatch {
        Swatch::Line(c, w) => {
            area.draw(&PathElement::new(vec![(x0, y), (x1, y)], c.stroke_width(w)))?
        }
        Swatch::Dashed(c, w) => {
            for s in [x0, x0 + 17, x0 + 34] {
                area.draw(&PathElement::new(
                    vec![(s, y), ((s + 10).min(x1), y)],
                    c.stroke_width(w),
                ))?;
            }
        }
        Swatch::Dotted(c, w) => {
            for i in 0..5 {
                area.draw(&Circle::new(
                    (x0 + 4 + i * 9, y),
                    w.div_ceil(2) + 1,
                    c.filled(),
                ))?;
            }
        }
        Swatch::Block(c) => area.draw(&Rectangle::new([(x0, y - 11), (x1, y + 11)], c.filled()))?,
        Swatch::Dot(c, r) => area.draw(&Circle::new(((x0 + x1) / 2, y), r, c.filled()))?,
        Swatch::Ring(c) => area.draw(&Circle::new(((x0 + x1) / 2, y), 12, c.stroke_width(3)))?,
    }
    Ok(())
}

/// Writes `text` with its left edge at `left`, vertically centred on `mid`, on a white box so it
/// stays readable over lines and markers.
pub(crate) fn boxed_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    (left, mid): (i32, i32),
    size: f64,
    colour: &RGBColor,
) -> DrawResult {
    let w = text_width(area, text, size)?;
    let h = size as i32;
    area.draw(&Rectangle::new(
        [(left - 3, mid - h / 2 - 1), (left + w + 3, mid + h / 2 + 1)],
        WHITE.mix(0.8).filled(),
    ))?;
    area.draw(&Text::new(
        text.to_string(),
        (left, mid),
        text_style(size, colour, Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}

/// A plot on `area` with the house margins and label areas; `y_label_w` is the room for y ticks.
pub(crate) fn build_plot<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: Range<f64>,
    y: Range<f64>,
    y_label_w: u32,
) -> Result<Plot<'a, DB>, DrawError> {
    Ok(ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(70)
        .y_label_area_size(y_label_w)
        .build_cartesian_2d(x, y)?)
}

/// Draws the axes and grid with the house fonts, days on the x axis; `y_fmt` formats y ticks.
pub(crate) fn draw_axes<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    x_desc: &str,
    y_desc: &str,
    y_fmt: &dyn Fn(&f64) -> String,
) -> DrawResult {
    // Days are whole: a fractional tick (a one-day range) gets no label.
    let day_fmt = |v: &f64| {
        if (v - v.round()).abs() < 1e-9 {
            fmt_num(*v)
        } else {
            String::new()
        }
    };
    draw_axes_with(plot, (x_desc, &day_fmt), (y_desc, y_fmt))
}

/// Draws the axes and grid with the house fonts; each axis is given as (description, tick format).
pub(crate) fn draw_axes_with<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    (x_desc, x_fmt): (&str, &dyn Fn(&f64) -> String),
    (y_desc, y_fmt): (&str, &dyn Fn(&f64) -> String),
) -> DrawResult {
    plot.configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style((FONT, LABEL_PX).into_font().color(&INK))
        .label_style((FONT, TICK_PX).into_font().color(&INK))
        .x_label_formatter(x_fmt)
        .y_label_formatter(y_fmt)
        .x_labels(10)
        .y_labels(7)
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
        .axis_style(MUTED)
        .draw()?;
    Ok(())
}

/// Splits `(x, y)` pairs into runs of finite points, so a NaN or an empty cell leaves a gap.
pub(crate) fn segments(xs: &[f64], ys: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![Vec::new()];
    for (&x, &y) in xs.iter().zip(ys) {
        if x.is_finite() && y.is_finite() {
            if let Some(seg) = out.last_mut() {
                seg.push((x, y));
            }
        } else if out.last().is_some_and(|s| !s.is_empty()) {
            out.push(Vec::new());
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Draws a series as solid lines with gaps at missing values; a lone point becomes a dot.
pub(crate) fn draw_line<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    xs: &[f64],
    ys: &[f64],
    style: ShapeStyle,
) -> DrawResult {
    for seg in segments(xs, ys) {
        if seg.len() == 1 {
            plot.draw_series(seg.iter().map(|&p| Circle::new(p, 5, style.color.filled())))?;
        } else {
            plot.draw_series(LineSeries::new(seg, style))?;
        }
    }
    Ok(())
}

/// Draws a dashed straight path in data coordinates.
pub(crate) fn draw_dashed<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    points: Vec<(f64, f64)>,
    style: ShapeStyle,
) -> DrawResult {
    plot.draw_series(DashedLineSeries::new(points, 12, 9, style))?;
    Ok(())
}

/// Writes a centred note in the plot (e.g. "no data in timeseries.csv").
pub(crate) fn note_in_plot<DB: DrawingBackend>(plot: &Plot<'_, DB>, note: &str) -> DrawResult {
    let (xr, yr) = (plot.x_range(), plot.y_range());
    let centre = ((xr.start + xr.end) / 2.0, (yr.start + yr.end) / 2.0);
    plot.plotting_area().draw(&Text::new(
        note.to_string(),
        centre,
        text_style(LABEL_PX, &MUTED, Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(())
}

/// The x range of day-indexed data: finite min..max; a single day is centred in a one-day range;
/// `0..1` when there is no day at all.
pub(crate) fn day_range(days: &[f64]) -> Range<f64> {
    match finite_bounds(days.iter().copied()) {
        None => 0.0..1.0,
        Some((lo, hi)) if hi > lo => lo..hi,
        Some((lo, _)) => lo - 0.5..lo + 0.5,
    }
}

/// An upper bound for a y axis starting at 0: the largest finite value plus 8 %, at least `floor`.
pub(crate) fn upper(values: impl IntoIterator<Item = f64>, floor: f64) -> f64 {
    match finite_bounds(values) {
        Some((_, hi)) if hi * 1.08 > floor => hi * 1.08,
        _ => floor,
    }
}

/// Smallest and largest finite value, if any.
pub(crate) fn finite_bounds(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_break_at_missing_values() {
        let xs = [0.0, 1.0, 2.0, 3.0, 4.0];
        let ys = [1.0, f64::NAN, 2.0, 3.0, f64::INFINITY];
        assert_eq!(
            segments(&xs, &ys),
            vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]]
        );
        assert!(segments(&[], &[]).is_empty());
    }

    #[test]
    fn ranges_never_collapse() {
        assert_eq!(day_range(&[]), 0.0..1.0);
        assert_eq!(day_range(&[5.0]), 4.5..5.5);
        assert_eq!(day_range(&[f64::NAN, 0.0, 30.0]), 0.0..30.0);
        assert_eq!(upper([f64::NAN], 1.0), 1.0);
        assert!((upper([100.0], 1.0) - 108.0).abs() < 1e-9);
    }
}
