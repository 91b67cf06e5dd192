//! `compare_isolation`: the two courses of action's isolation index across seeds, overlaid
//! (median and middle 90 % of seeds each, from `a_bands.csv` and `b_bands.csv`).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::ChartError;
use super::fan::{draw_band, fan_legend};
use super::inputs::{Band, CompareFiles, band};
use super::layout::{build_plot, day_range, draw_axes, draw_line, frame, note_in_plot};
use super::render::{Chart, DrawResult};
use super::style::{GREEN, PURPLE, display_name, tint};

/// Course A's colour in comparisons.
pub(crate) const COURSE_A: RGBColor = GREEN;
/// Course B's colour in comparisons.
pub(crate) const COURSE_B: RGBColor = PURPLE;

/// The overlaid fan chart of a comparison.
pub(crate) struct CompareChart<'a> {
    files: &'a CompareFiles,
    a: Band,
    b: Band,
}

impl<'a> CompareChart<'a> {
    /// Reads the isolation index bands of both courses.
    pub(crate) fn new(files: &'a CompareFiles) -> Result<Self, ChartError> {
        Ok(Self {
            files,
            a: band(&files.a_bands, "isolation_index")?,
            b: band(&files.b_bands, "isolation_index")?,
        })
    }
}

/// `Raqqa (A) vs Raqqa-fast (B)`.
pub(crate) fn versus(files: &CompareFiles) -> String {
    let c = &files.comparison;
    format!(
        "{} (A) vs {} (B)",
        display_name(&c.a.scenario_name),
        display_name(&c.b.scenario_name)
    )
}

impl Chart for CompareChart<'_> {
    fn stem(&self) -> String {
        "compare_isolation".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = &self.files.manifest;
        let c = &self.files.comparison;
        let title = format!(
            "{}: isolation index, {}",
            versus(self.files),
            m.seeds_phrase()
        );
        let mut legend = fan_legend(COURSE_A, &format!("A {}: ", c.a.scenario_name), false);
        legend.extend(fan_legend(
            COURSE_B,
            &format!("B {}: ", c.b.scenario_name),
            false,
        ));
        let area = frame(root, &title, &legend, &m.footer())?;
        let days: Vec<f64> = self.a.day.iter().chain(&self.b.day).copied().collect();
        let mut plot = build_plot(&area, day_range(&days), 0.0..1.02, 100)?;
        draw_axes(
            &mut plot,
            "day of the campaign",
            "isolation index (0 = open, 1 = cut off)",
            &|v| format!("{v:.1}"),
        )?;
        for (band, colour) in [(&self.a, COURSE_A), (&self.b, COURSE_B)] {
            draw_band(
                &mut plot,
                &band.day,
                &band.p5,
                &band.p95,
                tint(colour, 0.18),
            )?;
        }
        for (band, colour) in [(&self.a, COURSE_A), (&self.b, COURSE_B)] {
            draw_line(&mut plot, &band.day, &band.p50, colour.stroke_width(4))?;
        }
        if days.is_empty() {
            note_in_plot(
                &plot,
                "no isolation_index rows in a_bands.csv or b_bands.csv",
            )?;
        }
        Ok(())
    }
}
