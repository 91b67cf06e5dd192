//! `campaign`: the isolation index over days, phases shaded and named, milestones marked.
//!
//! Two index lines: a thick one from cuts and control alone (what the ground campaign holds) and a
//! thin, lighter one with air interdiction on top (it comes and goes with the strikes), so a
//! briefing reads the trend without the daily swing of the strikes smearing it.
//!
//! Above the index: a bar where the escape route ("back door") is open, and ticks for scenario
//! injects from `events.csv`. Phase names sit in a strip above the plot, milestone labels at the
//! bottom of the plot (where an isolated objective's index is not).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::error::ChartError;
use super::inputs::RunFiles;
use super::layout::{
    LegendItem, Plot, Swatch, boxed_text, build_plot, day_range, draw_axes, draw_dashed, draw_line,
    frame, note_in_plot, text_style, text_width,
};
use super::render::{Chart, DrawResult};
use super::style::{
    DEFENDER, GREEN, INDEX, INK, LEGEND_PX, MUTED, PHASE_TINTS, PURPLE, fmt_num, tint,
};

/// Top of the y axis: room above 1.0 for the back-door bar and inject ticks.
const Y_TOP: f64 = 1.12;
/// Height of the phase-name strip above the plot, in pixels.
const STRIP_H: u32 = 62;

/// The campaign chart of one run.
pub(crate) struct CampaignChart<'a> {
    run: &'a RunFiles,
    day: Vec<f64>,
    index: Vec<f64>,
    index_cuts: Vec<f64>,
    back_door: Vec<f64>,
}

impl<'a> CampaignChart<'a> {
    /// Reads the columns it draws.
    pub(crate) fn new(run: &'a RunFiles) -> Result<Self, ChartError> {
        let ts = &run.timeseries;
        Ok(Self {
            run,
            day: ts.numbers("day")?,
            index: ts.numbers("isolation_index")?,
            index_cuts: ts.numbers("isolation_index_cuts")?,
            back_door: ts.numbers("back_door_open")?,
        })
    }

    /// Phase periods `(name, start, end)` that started, clipped to the days shown.
    fn periods(&self, shown: &std::ops::Range<f64>) -> Vec<(String, f64, f64)> {
        let mut started: Vec<(&str, f64)> = self
            .run
            .summary
            .phases
            .iter()
            .filter_map(|p| {
                p.start_day
                    .filter(|d| d.is_finite())
                    .map(|d| (p.name.as_str(), d))
            })
            .collect();
        started.sort_by(|a, b| a.1.total_cmp(&b.1));
        (0..started.len())
            .filter_map(|i| {
                let (name, start) = started[i];
                let stop = started.get(i + 1).map_or(shown.end, |n| n.1).min(shown.end);
                let start = start.max(shown.start);
                (stop > start).then(|| (name.to_string(), start, stop))
            })
            .collect()
    }

    fn legend(&self) -> Vec<LegendItem> {
        let s = &self.run.summary;
        let mut items = vec![
            LegendItem::new(
                Swatch::Line(INDEX.into(), 4),
                "isolation index: cuts and control",
            ),
            LegendItem::new(Swatch::Line(INDEX.mix(0.45), 2), "… with air interdiction"),
            LegendItem::new(
                Swatch::Block(tint(DEFENDER, 0.55)),
                "escape route open (bar at top)",
            ),
        ];
        items.push(match s.isolation_day {
            Some(d) => LegendItem::new(
                Swatch::Dashed(GREEN.into(), 3),
                format!("isolated: day {}", fmt_num(d)),
            ),
            None => LegendItem::new(
                Swatch::Dashed(GREEN.mix(0.3), 3),
                "never isolated (no line)",
            ),
        });
        items.push(match s.capture_day {
            Some(d) => LegendItem::new(
                Swatch::Dashed(PURPLE.into(), 3),
                format!("captured: day {}", fmt_num(d)),
            ),
            None => LegendItem::new(Swatch::Dashed(PURPLE.mix(0.3), 3), "not captured (no line)"),
        });
        if !self.run.inject_days.is_empty() {
            items.push(LegendItem::new(
                Swatch::Line(MUTED.into(), 3),
                "scenario inject (tick at top)",
            ));
        }
        items
    }

    fn draw_phase_names<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        plot: &Plot<'_, DB>,
        periods: &[(String, f64, f64)],
    ) -> DrawResult {
        let mut row_end = [i32::MIN; 2];
        for (name, start, _) in periods {
            let (x, y_top) = plot.backend_coord(&(*start, Y_TOP));
            let w = text_width(root, name, LEGEND_PX)?;
            let row = usize::from(row_end[0] > x);
            let y = y_top - 8 - row as i32 * 28;
            root.draw(&Text::new(
                name.clone(),
                (x + 6, y),
                text_style(LEGEND_PX, &INK, Pos::new(HPos::Left, VPos::Bottom)),
            ))?;
            row_end[row] = x + 6 + w + 12;
        }
        Ok(())
    }

    fn draw_milestones<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        plot: &mut Plot<'_, DB>,
    ) -> DrawResult {
        let s = &self.run.summary;
        let xr = plot.x_range();
        let marks = [
            (s.isolation_day, GREEN, "isolated", 0.12),
            (s.capture_day, PURPLE, "captured", 0.04),
        ];
        for (day, colour, word, y) in marks {
            let Some(d) = day.filter(|d| (xr.start..=xr.end).contains(d)) else {
                continue;
            };
            draw_dashed(plot, vec![(d, 0.0), (d, 1.0)], colour.stroke_width(3))?;
            let (px, py) = plot.backend_coord(&(d, y));
            let near_end = d > xr.start + 0.8 * (xr.end - xr.start);
            let text = format!("{word}: day {}", fmt_num(d));
            let left = if near_end {
                px - 10 - text_width(root, &text, LEGEND_PX)?
            } else {
                px + 10
            };
            boxed_text(root, &text, (left, py), LEGEND_PX, &colour)?;
        }
        Ok(())
    }
}

impl Chart for CampaignChart<'_> {
    fn stem(&self) -> String {
        "campaign".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = &self.run.manifest;
        let title = format!("{}: isolation index, {}", m.title_name(), m.seeds_phrase());
        let area = frame(root, &title, &self.legend(), &m.footer())?;
        let (_, plot_area) = area.split_vertically(STRIP_H);
        let xr = day_range(&self.day);
        let mut plot = build_plot(&plot_area, xr.clone(), 0.0..Y_TOP, 90)?;

        let periods = if self.day.is_empty() {
            Vec::new()
        } else {
            self.periods(&xr)
        };
        for (i, (_, start, stop)) in periods.iter().enumerate() {
            let shade = tint(PHASE_TINTS[i % PHASE_TINTS.len()], 0.2);
            plot.draw_series([Rectangle::new(
                [(*start, 0.0), (*stop, 1.0)],
                shade.filled(),
            )])?;
            plot.draw_series(LineSeries::new(
                [(*start, 0.0), (*start, Y_TOP)],
                MUTED.stroke_width(1),
            ))?;
        }
        draw_axes(
            &mut plot,
            "day of the campaign",
            "isolation index (0 = open, 1 = cut off)",
            &|v| {
                if *v > 1.0001 {
                    String::new()
                } else {
                    format!("{v:.1}")
                }
            },
        )?;
        // Back door: a bar over the days it was open.
        let bar = tint(DEFENDER, 0.55).filled();
        let open_days: Vec<f64> = self
            .day
            .iter()
            .zip(&self.back_door)
            .filter(|(d, open)| d.is_finite() && **open >= 0.5)
            .map(|(d, _)| *d)
            .collect();
        plot.draw_series(open_days.iter().map(|d| {
            let (x0, x1) = ((d - 0.5).max(xr.start), (d + 0.5).min(xr.end));
            Rectangle::new([(x0, 1.065), (x1, 1.11)], bar)
        }))?;
        plot.draw_series(
            self.run
                .inject_days
                .iter()
                .filter(|d| xr.contains(d))
                .map(|d| PathElement::new(vec![(*d, 1.0), (*d, 1.055)], MUTED.stroke_width(3))),
        )?;
        self.draw_milestones(root, &mut plot)?;
        draw_line(
            &mut plot,
            &self.day,
            &self.index,
            INDEX.mix(0.45).stroke_width(2),
        )?;
        draw_line(
            &mut plot,
            &self.day,
            &self.index_cuts,
            INDEX.stroke_width(4),
        )?;
        self.draw_phase_names(root, &plot, &periods)?;
        if self.day.is_empty() {
            note_in_plot(&plot, "no rows in timeseries.csv")?;
        }
        Ok(())
    }
}
