//! `civilians`: the cumulative civilian harm index (left) and people displaced (right), with the
//! capture day marked so that harm after the objective fell shows as what it is.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::ChartError;
use super::inputs::RunFiles;
use super::layout::{
    LegendItem, Swatch, build_plot, day_range, draw_axes, draw_dashed, draw_line, frame,
    note_in_plot, upper,
};
use super::render::{Chart, DrawResult};
use super::style::{GREEN, INK, PURPLE, fmt_num};

/// The civilians chart of one run.
pub(crate) struct CiviliansChart<'a> {
    run: &'a RunFiles,
    day: Vec<f64>,
    harm: Vec<f64>,
    displaced: Vec<f64>,
}

impl<'a> CiviliansChart<'a> {
    /// Reads the columns it draws.
    pub(crate) fn new(run: &'a RunFiles) -> Result<Self, ChartError> {
        let ts = &run.timeseries;
        Ok(Self {
            run,
            day: ts.numbers("day")?,
            harm: ts.numbers("civilian_harm_index")?,
            displaced: ts.numbers("displaced_civilians")?,
        })
    }
}

impl Chart for CiviliansChart<'_> {
    fn stem(&self) -> String {
        "civilians".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = &self.run.manifest;
        let title = format!(
            "{}: harm to civilians, {}",
            m.title_name(),
            m.seeds_phrase()
        );
        let capture = self.run.summary.capture_day.filter(|d| d.is_finite());
        let mut legend = vec![
            LegendItem::new(
                Swatch::Line(PURPLE.into(), 4),
                "civilian harm index (cumulative, not a casualty count)",
            ),
            LegendItem::new(
                Swatch::Line(GREEN.into(), 4),
                "people displaced (cumulative)",
            ),
        ];
        if let Some(c) = capture {
            legend.push(LegendItem::new(
                Swatch::Dashed(INK.into(), 2),
                format!("objective taken, day {}", fmt_num(c)),
            ));
        }
        let area = frame(root, &title, &legend, &m.footer())?;
        let (left, right) = area.split_horizontally(area.dim_in_pixel().0 / 2);
        let panels = [
            (&left, &self.harm, PURPLE, "civilian harm index"),
            (&right, &self.displaced, GREEN, "people displaced"),
        ];
        for (panel, values, colour, y_desc) in panels {
            let xr = day_range(&self.day);
            let y_top = upper(values.iter().copied(), 1.0);
            let yr = 0.0..y_top;
            let mut plot = build_plot(panel, xr, yr, 120)?;
            draw_axes(&mut plot, "day of the campaign", y_desc, &|v| fmt_num(*v))?;
            draw_line(&mut plot, &self.day, values, colour.stroke_width(4))?;
            if let Some(c) = capture {
                draw_dashed(&mut plot, vec![(c, 0.0), (c, y_top)], INK.stroke_width(2))?;
            }
            if self.day.is_empty() {
                note_in_plot(&plot, "no rows in timeseries.csv")?;
            }
        }
        Ok(())
    }
}
