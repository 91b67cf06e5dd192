//! `control`: settlements by control state over days, as stacked areas.
//!
//! Bottom to top: held by the attacker, contested, cleared but not held, held by the defender, so
//! the attacker's gains grow from the bottom and the defender's holdings shrink from the top.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::ChartError;
use super::inputs::RunFiles;
use super::layout::{
    LegendItem, Swatch, build_plot, day_range, draw_axes, frame, note_in_plot, upper,
};
use super::render::{Chart, DrawResult};
use super::style::{ATTACKER, CLEARED, CONTESTED, DEFENDER, fmt_num};

/// The control chart of one run.
pub(crate) struct ControlChart<'a> {
    run: &'a RunFiles,
    day: Vec<f64>,
    /// Layers bottom to top: (colour, values).
    layers: [(RGBColor, Vec<f64>); 4],
}

impl<'a> ControlChart<'a> {
    /// Reads the columns it draws.
    pub(crate) fn new(run: &'a RunFiles) -> Result<Self, ChartError> {
        let ts = &run.timeseries;
        Ok(Self {
            run,
            day: ts.numbers("day")?,
            layers: [
                (ATTACKER, ts.numbers("attacker_held")?),
                (CONTESTED, ts.numbers("contested")?),
                (CLEARED, ts.numbers("cleared_unheld")?),
                (DEFENDER, ts.numbers("defender_held")?),
            ],
        })
    }

    /// Runs of consecutive rows where the day and all four layers are finite.
    fn runs(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new()];
        for (i, d) in self.day.iter().enumerate() {
            let ok = d.is_finite() && self.layers.iter().all(|(_, v)| v[i].is_finite());
            match out.last_mut() {
                Some(run) if ok => run.push(i),
                Some(run) if !run.is_empty() => out.push(Vec::new()),
                _ => {}
            }
        }
        out.retain(|r| !r.is_empty());
        out
    }
}

impl Chart for ControlChart<'_> {
    fn stem(&self) -> String {
        "control".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = &self.run.manifest;
        let title = format!(
            "{}: who controls the settlements, {}",
            m.title_name(),
            m.seeds_phrase()
        );
        let legend = [
            LegendItem::new(
                Swatch::Block(ATTACKER.into()),
                format!("held by {}", self.run.side_label("attacker")),
            ),
            LegendItem::new(Swatch::Block(CONTESTED.into()), "contested"),
            LegendItem::new(Swatch::Block(CLEARED.into()), "cleared, not held"),
            LegendItem::new(
                Swatch::Block(DEFENDER.into()),
                format!("held by {}", self.run.side_label("defender")),
            ),
        ];
        let area = frame(root, &title, &legend, &m.footer())?;
        let xr = day_range(&self.day);
        let totals = (0..self.day.len()).map(|i| self.layers.iter().map(|(_, v)| v[i]).sum());
        let mut plot = build_plot(&area, xr, 0.0..upper(totals, 1.0), 90)?;
        draw_axes(&mut plot, "day of the campaign", "settlements", &|v| {
            fmt_num(*v)
        })?;
        for run in self.runs() {
            // A lone day is drawn one day wide so it stays visible.
            let xs: Vec<(usize, f64)> = if run.len() == 1 {
                vec![
                    (run[0], self.day[run[0]] - 0.5),
                    (run[0], self.day[run[0]] + 0.5),
                ]
            } else {
                run.iter().map(|&i| (i, self.day[i])).collect()
            };
            let mut base = vec![0.0; xs.len()];
            for (colour, values) in &self.layers {
                let top: Vec<f64> = xs
                    .iter()
                    .zip(&base)
                    .map(|((i, _), b)| b + values[*i])
                    .collect();
                let mut outline: Vec<(f64, f64)> =
                    xs.iter().zip(&top).map(|((_, x), y)| (*x, *y)).collect();
                outline.extend(xs.iter().zip(&base).rev().map(|((_, x), y)| (*x, *y)));
                plot.draw_series([Polygon::new(outline, colour.mix(0.92).filled())])?;
                base = top;
            }
        }
        if self.day.is_empty() {
            note_in_plot(&plot, "no rows in timeseries.csv")?;
        }
        Ok(())
    }
}
