//! `forces`: strength per side (top panel, fighters) and days of supply per side (bottom panel).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::ChartError;
use super::inputs::RunFiles;
use super::layout::{
    LegendItem, Swatch, build_plot, day_range, draw_axes, draw_line, frame, note_in_plot, upper,
};
use super::render::{Chart, DrawResult};
use super::style::{ATTACKER, DEFENDER, fmt_num};

/// The forces chart of one run.
pub(crate) struct ForcesChart<'a> {
    run: &'a RunFiles,
    day: Vec<f64>,
    strength: [Vec<f64>; 2],
    supply: [Vec<f64>; 2],
}

impl<'a> ForcesChart<'a> {
    /// Reads the columns it draws.
    pub(crate) fn new(run: &'a RunFiles) -> Result<Self, ChartError> {
        let ts = &run.timeseries;
        Ok(Self {
            run,
            day: ts.numbers("day")?,
            strength: [
                ts.numbers("attacker_strength")?,
                ts.numbers("defender_strength")?,
            ],
            supply: [
                ts.numbers("attacker_supply_days")?,
                ts.numbers("defender_supply_days")?,
            ],
        })
    }
}

impl Chart for ForcesChart<'_> {
    fn stem(&self) -> String {
        "forces".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = &self.run.manifest;
        let title = format!(
            "{}: strength and supply, {}",
            m.title_name(),
            m.seeds_phrase()
        );
        let legend = [
            LegendItem::new(
                Swatch::Line(ATTACKER.into(), 4),
                self.run.side_label("attacker"),
            ),
            LegendItem::new(
                Swatch::Line(DEFENDER.into(), 4),
                self.run.side_label("defender"),
            ),
        ];
        let area = frame(root, &title, &legend, &m.footer())?;
        let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 / 2);
        let panels = [
            (&top, &self.strength, "strength (fighters)", 1.0),
            (&bottom, &self.supply, "supply on hand (days)", 1.0),
        ];
        for (panel, series, y_desc, floor) in panels {
            let xr = day_range(&self.day);
            let yr = 0.0..upper(series.iter().flatten().copied(), floor);
            let mut plot = build_plot(panel, xr, yr, 110)?;
            draw_axes(&mut plot, "day of the campaign", y_desc, &|v| fmt_num(*v))?;
            for (values, colour) in series.iter().zip([ATTACKER, DEFENDER]) {
                draw_line(&mut plot, &self.day, values, colour.stroke_width(4))?;
            }
            if self.day.is_empty() {
                note_in_plot(&plot, "no rows in timeseries.csv")?;
            }
        }
        Ok(())
    }
}
