//! Rows of estimates on one horizontal axis, each with its interval: the paired differences of a
//! comparison (`compare_diff`) and the tornado of a farm share the axis, the whiskers and the way a
//! label is placed beside a row, so the two charts read alike.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::Plot;
use super::render::DrawResult;
use super::style::{FONT, INK, LABEL_PX, MUTED, TICK_PX};

/// Draws the x axis of a row chart: vertical grid lines only, no y ticks (rows carry their own
/// labels), `x_labels` ticks formatted by `x_fmt`.
pub(crate) fn draw_row_axis<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    x_desc: &str,
    x_fmt: &dyn Fn(&f64) -> String,
    x_labels: usize,
) -> DrawResult {
    plot.configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc(x_desc)
        .axis_desc_style((FONT, LABEL_PX).into_font().color(&INK))
        .label_style((FONT, TICK_PX).into_font().color(&INK))
        .x_label_formatter(x_fmt)
        .x_labels(x_labels)
        .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
        .light_line_style(TRANSPARENT)
        .axis_style(MUTED)
        .draw()?;
    Ok(())
}

/// Draws an interval from `lo` to `hi` at height `y` (data coordinates) with an end cap of
/// `cap_px` pixels either side of the line at each end whose `caps` flag is set (an end clamped
/// to the axis gets none, so it reads as running on).
pub(crate) fn draw_interval<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    (lo, hi): (f64, f64),
    y: f64,
    style: ShapeStyle,
    (cap_px, caps): (i32, [bool; 2]),
) -> DrawResult {
    plot.draw_series([PathElement::new(vec![(lo, y), (hi, y)], style)])?;
    for (x, cap) in [lo, hi].into_iter().zip(caps) {
        if cap {
            plot.draw_series([
                EmptyElement::at((x, y)) + PathElement::new(vec![(0, -cap_px), (0, cap_px)], style)
            ])?;
        }
    }
    Ok(())
}

/// The pixel position, relative to `area`, of the data point `(x, y)` of `plot` (drawn on
/// `area` or an area inside it): where a label beside a row goes.
pub(crate) fn area_px<DB: DrawingBackend>(
    plot: &Plot<'_, DB>,
    area: &DrawingArea<DB, Shift>,
    (x, y): (f64, f64),
) -> (i32, i32) {
    let (px, py) = plot.backend_coord(&(x, y));
    let base = area.get_base_pixel();
    (px - base.0, py - base.1)
}
