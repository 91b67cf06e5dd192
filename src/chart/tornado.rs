//! `tornado_<outcome>`: which factors of a farm drive one outcome, and which way.
//!
//! One bar per factor, largest |standardized rank regression coefficient| at the top, from 0 to the
//! coefficient on a fixed −1…+1 axis, with its 95 % confidence interval; sky blue when raising the
//! factor raises the outcome, orange when it lowers it, pale when the interval includes 0. Factor
//! names (and the scenario path they set) stand on the left, the numbers on the right, and the
//! subtitle says what the ranking rests on: runs, censored runs, R² and how orthogonal the design is.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::error::ChartError;
use super::farm_inputs::{Estimate, FarmFiles, OutcomeText, estimate};
use super::layout::{
    LegendItem, Plot, Swatch, boxed_text, build_plot, frame_with_subtitle, text_style, text_width,
};
use super::render::{Chart, DrawResult};
use super::rows::{area_px, draw_interval, draw_row_axis};
use super::style::{
    INK, LABEL_PX, LEGEND_PX, LOWERS, MUTED, RAISES, fmt_coef, fmt_num, fmt_pct, fmt_signed, tint,
};
use crate::farm::sensitivity_file::{OutcomeKind, OutcomeSummary};

/// Width of the numbers column on the right, in pixels.
const NUMBERS_W: u32 = 250;
/// Half the height of a bar, in rows ...
const BAR_HALF: f64 = 0.3;
/// ... and at most, in pixels.
const BAR_HALF_PX: f64 = 32.0;
/// The least height of a row, in pixels, that shows the factor's path under its name.
const PATH_ROW_PX: i32 = 54;
/// Height of the row above the plot that heads the numbers column, in pixels.
const HEAD_PX: u32 = 30;

/// One factor's row.
struct Bar {
    name: String,
    /// The scenario path, when it says more than the name.
    path: Option<String>,
    /// Coefficient and interval, as the file gives them (clamped only when drawn).
    estimate: Option<Estimate>,
}

/// The tornado chart of one outcome.
pub(crate) struct TornadoChart<'a> {
    files: &'a FarmFiles,
    outcome: &'a OutcomeSummary,
    bars: Vec<Bar>,
    /// Runs of `runs.csv` with a value in the outcome's column, and all runs.
    reached: (usize, usize),
}

impl<'a> TornadoChart<'a> {
    /// The rows of `outcome`, in ranking order.
    pub(crate) fn new(
        files: &'a FarmFiles,
        outcome: &'a OutcomeSummary,
    ) -> Result<Self, ChartError> {
        let bars = outcome
            .ranked(&files.sensitivity.factors)
            .into_iter()
            .map(|(f, e)| Bar {
                name: f.name.clone(),
                path: (!f.path.is_empty() && f.path != f.name).then(|| f.path.clone()),
                estimate: e.and_then(estimate),
            })
            .collect();
        let cells = files.runs.optional_numbers(&outcome.column)?;
        let reached = (cells.iter().flatten().count(), cells.len());
        Ok(Self {
            files,
            outcome,
            bars,
            reached,
        })
    }

    /// The subtitle's parts: runs, censoring, R², design quality.
    fn subtitle(&self) -> Vec<String> {
        let o = self.outcome;
        let d = &self.files.sensitivity.design;
        let mut parts = vec![format!(
            "{} runs ({} points × {} seeds)",
            o.runs, d.points, d.seeds_per_point
        )];
        parts.push(match o.kind {
            OutcomeKind::Reached => {
                let (got, all) = self.reached;
                let share = if all == 0 {
                    f64::NAN
                } else {
                    got as f64 / all as f64
                };
                format!(
                    "{} happens in {got} of {all} runs ({})",
                    o.event(),
                    fmt_pct(share)
                )
            }
            OutcomeKind::Value if o.censored == 0 => String::new(),
            OutcomeKind::Value if o.censored >= o.runs && o.is_day() => {
                format!("none of the {} runs reached it", o.runs)
            }
            OutcomeKind::Value if o.censored >= o.runs => {
                format!("none of the {} runs has a value", o.runs)
            }
            OutcomeKind::Value if o.is_day() => format!(
                "{} of {} runs never reached it: ranked after every day",
                o.censored, o.runs
            ),
            OutcomeKind::Value => format!(
                "{} of {} runs have no value: ranked above every value",
                o.censored, o.runs
            ),
        });
        parts.push(format!(
            "R² {}",
            o.r_squared.map_or("n/a".to_string(), fmt_num)
        ));
        let design = design_name(&d.kind);
        parts.push(match (d.max_abs_correlation, &d.worst_pair) {
            (Some(r), Some((a, b))) => {
                format!(
                    "{design}, largest factor correlation |r| {} ({a}, {b})",
                    fmt_num(r)
                )
            }
            (Some(r), None) => format!("{design}, largest factor correlation |r| {}", fmt_num(r)),
            (None, _) => design,
        });
        parts
    }

    /// What raising a factor does, for the legend: `later` / `earlier`, `more likely` / …
    fn directions(&self) -> (String, String) {
        let o = self.outcome;
        match o.kind {
            OutcomeKind::Reached => ("more likely".into(), "less likely".into()),
            OutcomeKind::Value if o.is_day() => ("later".into(), "earlier".into()),
            OutcomeKind::Value => ("higher".into(), "lower".into()),
        }
    }

    /// Draws one row: bar, whisker, label on the left, numbers on the right.
    fn draw_bar<DB: DrawingBackend>(
        &self,
        plot: &mut Plot<'_, DB>,
        areas: (&DrawingArea<DB, Shift>, &DrawingArea<DB, Shift>),
        (y, row_px, paths): (f64, i32, bool),
        bar: &Bar,
    ) -> DrawResult {
        let (left, right) = areas;
        let (label_x, mid) = area_px(plot, left, (-1.0, y));
        let name_px = (f64::from(row_px) * 0.45).clamp(14.0, LEGEND_PX);
        let ink = text_style(name_px, &INK, Pos::new(HPos::Right, VPos::Center));
        match &bar.path {
            Some(path) if paths => {
                let below = text_style(name_px - 4.0, &MUTED, Pos::new(HPos::Right, VPos::Top));
                let above = Pos::new(HPos::Right, VPos::Bottom);
                left.draw(&Text::new(
                    bar.name.clone(),
                    (label_x - 14, mid + 1),
                    ink.pos(above),
                ))?;
                left.draw(&Text::new(path.clone(), (label_x - 14, mid + 3), below))?;
            }
            _ => left.draw(&Text::new(bar.name.clone(), (label_x - 14, mid), ink))?,
        }
        let (_, right_mid) = area_px(plot, right, (0.0, y));
        let number_style = text_style(name_px - 1.0, &INK, Pos::new(HPos::Left, VPos::Center));
        let Some((c, ci)) = bar.estimate else {
            right.draw(&Text::new(
                "n/a",
                (24, right_mid),
                number_style.color(&MUTED),
            ))?;
            return Ok(());
        };
        let clear = ci.is_none_or(|(lo, hi)| lo > 0.0 || hi < 0.0);
        let colour = if c >= 0.0 { RAISES } else { LOWERS };
        let fill = if clear {
            tint(colour, 1.0)
        } else {
            tint(colour, 0.35)
        };
        // Half a bar's height in rows: at most BAR_HALF_PX, so three factors do not draw slabs.
        let row = f64::from(row_px.max(1));
        let half = (row * BAR_HALF).clamp(1.0, BAR_HALF_PX) / row;
        plot.draw_series([Rectangle::new(
            [(0.0, y - half), (c.clamp(-1.0, 1.0), y + half)],
            fill.filled(),
        )])?;
        let text = match ci {
            Some((lo, hi)) => {
                let ends = (lo.clamp(-1.0, 1.0), hi.clamp(-1.0, 1.0));
                let caps = [lo >= -1.0, hi <= 1.0];
                let cap = (row * half * 0.6) as i32;
                draw_interval(plot, ends, y, INK.stroke_width(3), (cap.max(3), caps))?;
                format!("{}  [{}, {}]", fmt_coef(c), fmt_coef(lo), fmt_coef(hi))
            }
            None => format!("{}  (no interval)", fmt_coef(c)),
        };
        right.draw(&Text::new(text, (24, right_mid), number_style))?;
        Ok(())
    }
}

/// `latin_hypercube` → `Latin hypercube design`.
fn design_name(kind: &str) -> String {
    match kind {
        "latin_hypercube" => "Latin hypercube design".to_string(),
        "full_factorial" => "full factorial design".to_string(),
        other => format!("{} design", other.replace('_', " ")),
    }
}

impl Chart for TornadoChart<'_> {
    fn stem(&self) -> String {
        format!("tornado_{}", self.outcome.outcome)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = &self.files.manifest;
        let title = format!("{}: what drives {}", m.title_name(), self.outcome.what());
        let (up, down) = self.directions();
        let drawn = self.bars.iter().any(|b| b.estimate.is_some());
        let legend = [
            LegendItem::new(
                Swatch::Block(RAISES.into()),
                format!("raising the factor makes it {up}"),
            ),
            LegendItem::new(
                Swatch::Block(LOWERS.into()),
                format!("raising it makes it {down}"),
            ),
            LegendItem::new(Swatch::Block(tint(MUTED, 0.3)), "pale: interval includes 0"),
            LegendItem::new(Swatch::Line(INK.into(), 3), "95% confidence interval"),
        ];
        let legend = if drawn { &legend[..] } else { &[] };
        let area = frame_with_subtitle(root, &title, &self.subtitle(), legend, &m.footer())?;
        let (w, _) = area.dim_in_pixel();
        let numbers_x = w.saturating_sub(NUMBERS_W);
        let (head, area) = area.split_vertically(HEAD_PX);
        head.draw(&Text::new(
            "SRRC  [95% CI]",
            (numbers_x as i32 + 24, HEAD_PX as i32),
            text_style(LEGEND_PX - 2.0, &MUTED, Pos::new(HPos::Left, VPos::Bottom)),
        ))?;
        let (left, right) = area.split_horizontally(numbers_x);
        // Rows shorter than PATH_ROW_PX show no path (the plot's height is the area's less the
        // x axis, 70 px, and the margins, 20 px).
        let (_, h) = area.dim_in_pixel();
        let paths = (h as i32 - 90) / self.bars.len().max(1) as i32 >= PATH_ROW_PX;
        let mut label_w = 160;
        for bar in &self.bars {
            label_w = label_w.max(text_width(root, &bar.name, LEGEND_PX)? + 40);
            if let Some(path) = bar.path.as_ref().filter(|_| paths) {
                label_w = label_w.max(text_width(root, path, LEGEND_PX - 4.0)? + 40);
            }
        }
        let label_w = label_w.min(w as i32 / 3) as u32;
        let n = self.bars.len().max(1) as f64;
        let mut plot = build_plot(&left, -1.0..1.0, 0.0..n, label_w)?;
        let x_desc = "standardized rank regression coefficient (SRRC)";
        draw_row_axis(&mut plot, x_desc, &|v| fmt_signed(*v), 9)?;
        let (_, top) = plot.backend_coord(&(0.0, n));
        let (_, bottom) = plot.backend_coord(&(0.0, 0.0));
        let row_px = ((bottom - top) as f64 / n) as i32;
        for (i, bar) in self.bars.iter().enumerate() {
            let y = n - i as f64 - 0.5;
            self.draw_bar(&mut plot, (&left, &right), (y, row_px, paths), bar)?;
        }
        plot.draw_series([PathElement::new(
            vec![(0.0, 0.0), (0.0, n)],
            INK.stroke_width(2),
        )])?;
        if !drawn {
            let note = match &self.outcome.note {
                Some(note) => format!("no coefficients: {note}"),
                None if self.bars.is_empty() => "no factors in sensitivity.json".to_string(),
                None => "no coefficients in sensitivity.json".to_string(),
            };
            // On a white box, since the zero line runs through the middle of the plot; a long
            // note shrinks to fit the plot's width.
            let (cx, cy) = area_px(&plot, &left, (0.0, n / 2.0));
            let (x0, _) = area_px(&plot, &left, (-1.0, 0.0));
            let mut size = LABEL_PX;
            while size > 14.0 && text_width(&left, &note, size)? > 2 * (cx - x0) - 20 {
                size -= 1.0;
            }
            let half_w = text_width(&left, &note, size)? / 2;
            boxed_text(&left, &note, (cx - half_w, cy), size, &MUTED)?;
        }
        Ok(())
    }
}
