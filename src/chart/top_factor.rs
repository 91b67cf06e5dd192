//! `top_factor_<outcome>`: one outcome of a farm against the factor that drives it most, so a
//! reader sees the shape and the spread behind the tornado's top bar, not just its length.
//!
//! x is the factor's value, y the outcome. Every run is a small translucent dot, and each design
//! point's median (of its runs that got a value) a larger marker. Runs where the event never came
//! sit in a grey band above the plot, labelled `never` (`no value` for a figure that is not a
//! day) with their count, so they are visible and never read as 0.
//! For a `reached` outcome, y is each point's share of runs that got there, one marker per point.
//! The other factors vary between points too: the subtitle says so.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::dist::median;
use super::error::ChartError;
use super::farm_inputs::{Estimate, FarmFiles, OutcomeText, estimate};
use super::io::malformed;
use super::layout::{
    LegendItem, Plot, Swatch, build_plot, draw_axes_with, finite_bounds, frame_with_subtitle,
    note_in_plot, text_style,
};
use super::render::{Chart, DrawResult};
use super::rows::area_px;
use super::style::{INK, LEGEND_PX, LOWERS, MUTED, RAISES, fmt_coef, fmt_num, tint};
use crate::farm::sensitivity_file::{FactorSummary, OutcomeKind, OutcomeSummary};

/// Height of the band of runs that never got there, in pixels.
const BAND_PX: u32 = 84;
/// Room for the y ticks and description, in pixels (the band's label shares it).
const Y_LABEL_W: u32 = 110;

/// One design point, summarised.
struct Point {
    /// The factor's value there.
    x: f64,
    /// Runs at the point.
    runs: usize,
    /// The outcome's values of the runs that got one, ascending.
    values: Vec<f64>,
}

impl Point {
    fn share(&self) -> f64 {
        self.values.len() as f64 / self.runs.max(1) as f64
    }
}

/// The top-factor chart of one outcome.
pub(crate) struct TopFactorChart<'a> {
    files: &'a FarmFiles,
    outcome: &'a OutcomeSummary,
    /// The factor with the largest |coefficient|, with its estimate; `None` when none has one.
    top: Option<(&'a FactorSummary, Estimate)>,
    /// Design points in `point` order.
    points: Vec<Point>,
}

impl<'a> TopFactorChart<'a> {
    /// Picks the top factor and groups `runs.csv` by design point.
    pub(crate) fn new(
        files: &'a FarmFiles,
        outcome: &'a OutcomeSummary,
    ) -> Result<Self, ChartError> {
        let top = outcome
            .ranked(&files.sensitivity.factors)
            .into_iter()
            .find_map(|(f, e)| e.and_then(estimate).map(|est| (f, est)));
        let Some((factor, _)) = top else {
            return Ok(Self {
                files,
                outcome,
                top,
                points: Vec::new(),
            });
        };
        let runs = &files.runs;
        let ids = runs.optional_numbers("point")?;
        let xs = runs.optional_numbers(&factor.name)?;
        let ys = runs.optional_numbers(&outcome.column)?;
        let mut by_point: BTreeMap<i64, Point> = BTreeMap::new();
        for (row, ((id, x), y)) in ids.into_iter().zip(xs).zip(ys).enumerate() {
            let bad = |what: &str| malformed(&runs.path, format!("row {}, column {what}", row + 2));
            let id = id
                .filter(|p| p.is_finite() && p.fract() == 0.0)
                .ok_or_else(|| bad("`point`: not a point number"))?;
            let x = x
                .filter(|x| x.is_finite())
                .ok_or_else(|| bad(&format!("`{}`: a factor's value is missing", factor.name)))?;
            let point = by_point.entry(id as i64).or_insert(Point {
                x,
                runs: 0,
                values: Vec::new(),
            });
            point.runs += 1;
            point.values.extend(y.filter(|v| v.is_finite()));
        }
        let mut points: Vec<Point> = by_point.into_values().collect();
        for p in &mut points {
            p.values.sort_by(f64::total_cmp);
        }
        Ok(Self {
            files,
            outcome,
            top,
            points,
        })
    }

    /// Runs that never got a value.
    fn never(&self) -> usize {
        self.points.iter().map(|p| p.runs - p.values.len()).sum()
    }

    /// The x range: the factor's range and every value used, padded.
    fn x_range(&self, factor: &FactorSummary) -> std::ops::Range<f64> {
        let xs = self
            .points
            .iter()
            .map(|p| p.x)
            .chain([factor.low, factor.high]);
        let (lo, hi) = finite_bounds(xs).unwrap_or((0.0, 1.0));
        let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
        lo - pad..hi + pad
    }

    /// The subtitle's parts: the coefficient, the design, the caveat.
    fn subtitle(&self) -> Vec<String> {
        let d = &self.files.sensitivity.design;
        let mut parts = Vec::new();
        if let Some((f, (c, ci))) = &self.top {
            let ci = ci.map_or(String::new(), |(lo, hi)| {
                format!(" (95% CI {} to {})", fmt_coef(lo), fmt_coef(hi))
            });
            parts.push(format!("top factor {}: SRRC {}{ci}", f.name, fmt_coef(*c)));
        }
        parts.push(format!("{} points × {} seeds", d.points, d.seeds_per_point));
        parts.push("the other factors vary between points too".to_string());
        parts
    }

    /// Draws the runs that never got there in a band above the plot, on the plot's x scale.
    fn draw_never_band<DB: DrawingBackend>(
        &self,
        band: &DrawingArea<DB, Shift>,
        xr: std::ops::Range<f64>,
        colour: RGBColor,
    ) -> DrawResult {
        let mut plot = ChartBuilder::on(band)
            .margin(10)
            .margin_bottom(0)
            .y_label_area_size(Y_LABEL_W)
            .build_cartesian_2d(xr.clone(), 0.0..1.0)?;
        plot.draw_series([Rectangle::new(
            [(xr.start, 0.0), (xr.end, 1.0)],
            tint(MUTED, 0.1).filled(),
        )])?;
        for p in &self.points {
            let never = p.runs - p.values.len();
            plot.draw_series((0..never).map(|k| {
                // Golden-ratio steps spread a point's runs over the band without a random draw.
                let y = 0.15 + 0.7 * (0.5 + k as f64 * 0.618_034).fract();
                Circle::new((p.x, y), 4, tint(colour, 0.45).filled())
            }))?;
        }
        // The label and the count stand left of the band, where the y ticks are below: never
        // over a dot.
        let (x, y) = area_px(&plot, band, (xr.start, 0.5));
        let word = if self.outcome.is_day() {
            "never"
        } else {
            "no value"
        };
        band.draw(&Text::new(
            word,
            (x - 14, y - 1),
            text_style(LEGEND_PX, &INK, Pos::new(HPos::Right, VPos::Bottom)),
        ))?;
        let count = match self.never() {
            1 => "1 run".to_string(),
            n => format!("{n} runs"),
        };
        band.draw(&Text::new(
            count,
            (x - 14, y + 3),
            text_style(LEGEND_PX - 4.0, &MUTED, Pos::new(HPos::Right, VPos::Top)),
        ))?;
        Ok(())
    }

    fn draw_values<DB: DrawingBackend>(
        &self,
        plot: &mut Plot<'_, DB>,
        colour: RGBColor,
    ) -> DrawResult {
        let dot = tint(colour, 0.35).filled();
        for p in &self.points {
            // Runs of one point with the same value step aside, alternately right and left, so
            // ten seeds on one day read as ten dots.
            let mut k = 0i32;
            for (i, v) in p.values.iter().enumerate() {
                k = if i > 0 && p.values[i - 1] == *v {
                    k + 1
                } else {
                    0
                };
                let dx = (k + 1) / 2 * 7 * if k % 2 == 1 { 1 } else { -1 };
                plot.draw_series([EmptyElement::at((p.x, *v)) + Circle::new((dx, 0), 4, dot)])?;
            }
        }
        for p in &self.points {
            if let Some(m) = median(&p.values) {
                draw_marker(plot, (p.x, m), colour)?;
            }
        }
        Ok(())
    }
}

/// A design point's marker: a filled disc with a dark rim.
fn draw_marker<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    at: (f64, f64),
    colour: RGBColor,
) -> DrawResult {
    plot.draw_series([Circle::new(at, 9, colour.filled())])?;
    plot.draw_series([Circle::new(at, 9, INK.stroke_width(2))])?;
    Ok(())
}

impl Chart for TopFactorChart<'_> {
    fn stem(&self) -> String {
        format!("top_factor_{}", self.outcome.outcome)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = &self.files.manifest;
        let o = self.outcome;
        let what = match o.kind {
            OutcomeKind::Value => o.axis(),
            OutcomeKind::Reached => format!("how often {} happens,", o.event()),
        };
        let factor = self.top.map_or("its top factor", |(f, _)| f.name.as_str());
        let title = format!("{}: {what} against {factor}", m.title_name());
        let colour = match &self.top {
            Some((_, (c, _))) if *c < 0.0 => LOWERS,
            _ => RAISES,
        };
        let never = self.never();
        let mut legend = Vec::new();
        if self.top.is_some() {
            match o.kind {
                OutcomeKind::Value => {
                    legend.push(LegendItem::new(
                        Swatch::Dot(tint(colour, 0.5), 5),
                        "one run",
                    ));
                    legend.push(LegendItem::new(
                        Swatch::Dot(colour.into(), 9),
                        if o.is_day() {
                            "median of a design point's runs that got there"
                        } else {
                            "median of a design point's runs with a value"
                        },
                    ));
                }
                OutcomeKind::Reached => legend.push(LegendItem::new(
                    Swatch::Dot(colour.into(), 9),
                    "share of a design point's runs where it happens",
                )),
            }
        }
        let area = frame_with_subtitle(root, &title, &self.subtitle(), &legend, &m.footer())?;
        let Some((factor, _)) = &self.top else {
            let plot = build_plot(&area, 0.0..1.0, 0.0..1.0, Y_LABEL_W)?;
            let note = o.note.as_deref().unwrap_or("no factor has a coefficient");
            return note_in_plot(&plot, &format!("no top factor: {note}"));
        };
        let xr = self.x_range(factor);
        let x_desc = if factor.path.is_empty() || factor.path == factor.name {
            factor.name.clone()
        } else {
            format!("{} ({})", factor.name, factor.path)
        };
        let num = |v: &f64| fmt_num(*v);
        match o.kind {
            OutcomeKind::Reached => {
                // From −5 %: a point where it never happens stays clear of the axis.
                let mut plot = build_plot(&area, xr, -5.0..105.0, Y_LABEL_W)?;
                let pct = |v: &f64| {
                    if *v > -0.5 {
                        format!("{v:.0}%")
                    } else {
                        String::new()
                    }
                };
                draw_axes_with(&mut plot, (&x_desc, &num), (&o.axis(), &pct))?;
                for p in &self.points {
                    draw_marker(&mut plot, (p.x, p.share() * 100.0), colour)?;
                }
            }
            OutcomeKind::Value => {
                let main = if never > 0 {
                    let (band, main) = area.split_vertically(BAND_PX);
                    self.draw_never_band(&band, xr.clone(), colour)?;
                    main
                } else {
                    area
                };
                let ys = self.points.iter().flat_map(|p| p.values.iter().copied());
                let yr = match finite_bounds(ys) {
                    Some((lo, hi)) if hi > lo => lo - (hi - lo) * 0.06..hi + (hi - lo) * 0.06,
                    Some((lo, _)) => lo - 1.0..lo + 1.0,
                    None => 0.0..1.0,
                };
                let mut plot = build_plot(&main, xr, yr, Y_LABEL_W)?;
                draw_axes_with(&mut plot, (&x_desc, &num), (&o.axis(), &num))?;
                self.draw_values(&mut plot, colour)?;
                if self.points.iter().all(|p| p.values.is_empty()) {
                    note_in_plot(&plot, "no run got there")?;
                }
            }
        }
        Ok(())
    }
}
