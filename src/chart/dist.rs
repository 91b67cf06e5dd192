//! `dist_isolation_day` / `dist_capture_day`: when a milestone came, across the seeds of a sweep.
//!
//! Top panel: the share of all seeds that had reached it by each day (an empirical CDF that levels
//! off at the share that ever did); bottom panel: how many seeds reached it in each bin of days.
//! An empty `runs.csv` cell means the milestone never came; the title states that share.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::ChartError;
use super::inputs::SweepFiles;
use super::io::Manifest;
use super::layout::{
    LegendItem, Swatch, boxed_text, build_plot, draw_axes, draw_dashed, finite_bounds, frame,
    note_in_plot, upper,
};
use super::render::{Chart, DrawResult};
use super::style::{GREEN, INK, LEGEND_PX, PURPLE, fmt_num, fmt_pct, plain_name, tint};

/// The distribution chart of one day figure.
pub(crate) struct DistChart<'a> {
    manifest: &'a Manifest,
    stem: &'static str,
    figure: &'static str,
    colour: RGBColor,
    /// Days of the seeds that got there, ascending.
    reached: Vec<f64>,
    /// All seeds in `runs.csv`.
    seeds: usize,
    /// Last day simulated (from `bands.csv`), for the x axis.
    last_day: Option<f64>,
    /// Median among seeds that got there (`aggregate.json`'s p50, else computed).
    median: Option<f64>,
}

impl<'a> DistChart<'a> {
    /// Reads column `figure` (`isolation_day` or `capture_day`) of `runs.csv`.
    pub(crate) fn new(sweep: &'a SweepFiles, figure: &'static str) -> Result<Self, ChartError> {
        let values = sweep.runs.optional_numbers(figure)?;
        let mut reached: Vec<f64> = values
            .iter()
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        reached.sort_by(f64::total_cmp);
        let from_aggregate = [
            &sweep.aggregate[figure],
            &sweep.aggregate["figures"][figure],
        ]
        .iter()
        .find_map(|v| v["p50"].as_f64());
        let median = from_aggregate.or_else(|| median(&reached));
        let (stem, colour) = match figure {
            "capture_day" => ("dist_capture_day", PURPLE),
            _ => ("dist_isolation_day", GREEN),
        };
        Ok(Self {
            manifest: &sweep.manifest,
            stem,
            figure,
            colour,
            reached,
            seeds: values.len(),
            last_day: finite_bounds(sweep.bands.numbers("day")?).map(|(_, hi)| hi),
            median,
        })
    }

    fn share_reached(&self) -> f64 {
        if self.seeds == 0 {
            f64::NAN
        } else {
            self.reached.len() as f64 / self.seeds as f64
        }
    }

    /// The day axis follows the data: the days the seeds reached it, padded by a tenth of their
    /// spread (at least two days, never before day 0); the seeds that never got there are counted
    /// in the title and the note. With none reached, day 0 to the last day simulated.
    fn x_range(&self) -> std::ops::Range<f64> {
        day_axis(&self.reached, self.last_day)
    }

    /// A bin width in whole days giving about 25 bins over `span` days (1, 2, 5, 10, 20, 50…).
    fn bin_width(span: f64) -> f64 {
        let raw = (span / 25.0).max(1.0);
        let mag = 10f64.powf(raw.log10().floor());
        [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|w| *w >= raw)
            .unwrap_or(10.0 * mag)
    }
}

/// The day axis of [`DistChart`]: `reached` padded, or day 0 to `last_day` when empty.
fn day_axis(reached: &[f64], last_day: Option<f64>) -> std::ops::Range<f64> {
    let last = last_day.unwrap_or(1.0).max(1.0);
    let Some((lo, hi)) = finite_bounds(reached.iter().copied()) else {
        return 0.0..last;
    };
    let pad = ((hi - lo) * 0.1).max(2.0);
    (lo - pad).max(0.0).floor()..(hi + pad).ceil()
}

/// Median by linear interpolation between order statistics (R type 7) of sorted values.
pub(crate) fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

impl Chart for DistChart<'_> {
    fn stem(&self) -> String {
        self.stem.to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = self.manifest;
        let what = plain_name(self.figure);
        let share = self.share_reached();
        let never = self.seeds - self.reached.len();
        let never_share = match (self.seeds, never) {
            (0, _) => String::new(),
            (n, 0) => format!(" (reached in all {} seeds)", fmt_num(n as f64)),
            (n, k) => format!(
                " (never reached in {} of {} seeds, {})",
                fmt_num(k as f64),
                fmt_num(n as f64),
                fmt_pct(1.0 - share)
            ),
        };
        let title = format!(
            "{}: {what} across {}{never_share}",
            m.title_name(),
            m.seeds_phrase(),
        );
        let mut legend = vec![
            LegendItem::new(
                Swatch::Line(self.colour.into(), 4),
                "share of seeds that had got there by that day",
            ),
            LegendItem::new(
                Swatch::Block(tint(self.colour, 0.6)),
                "seeds per bin of days",
            ),
        ];
        if let Some(med) = self.median {
            legend.push(LegendItem::new(
                Swatch::Dashed(INK.into(), 2),
                format!("median of those that got there: day {}", fmt_num(med)),
            ));
        }
        let area = frame(root, &title, &legend, &m.footer())?;
        let xr = self.x_range();
        let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 * 58 / 100);

        let mut cdf = build_plot(&top, xr.clone(), 0.0..105.0, 100)?;
        draw_axes(&mut cdf, "day of the campaign", "seeds (%)", &|v| {
            format!("{v:.0}%")
        })?;
        let n = self.seeds.max(1) as f64;
        let mut steps = vec![(xr.start, 0.0)];
        for (i, d) in self.reached.iter().enumerate() {
            let before = steps.last().map_or(0.0, |p| p.1);
            steps.push((*d, before));
            steps.push((*d, (i + 1) as f64 / n * 100.0));
        }
        let level = steps.last().map_or(0.0, |p| p.1);
        steps.push((xr.end, level));
        cdf.draw_series(LineSeries::new(steps, self.colour.stroke_width(4)))?;
        // The top left of a CDF stays empty: the curve only climbs towards the right.
        let (px, py) = cdf.backend_coord(&(xr.start, 92.0));
        let note = if self.seeds == 0 {
            "no rows in runs.csv".to_string()
        } else if never == 0 {
            format!("reached in all {} seeds", self.seeds)
        } else {
            format!(
                "reached in {} ({} of {} seeds); never in {} ({never})",
                fmt_pct(share),
                self.reached.len(),
                self.seeds,
                fmt_pct(1.0 - share),
            )
        };

        let width = Self::bin_width(xr.end - xr.start);
        let mut counts: Vec<(f64, usize)> = Vec::new();
        for d in &self.reached {
            let start = (d / width).floor() * width;
            match counts.last_mut() {
                Some(last) if last.0 == start => last.1 += 1,
                _ => counts.push((start, 1)),
            }
        }
        let y_top = upper(counts.iter().map(|c| c.1 as f64), 1.0);
        let mut hist = build_plot(&bottom, xr, 0.0..y_top, 100)?;
        let y_desc = if width == 1.0 {
            "seeds per day".to_string()
        } else {
            format!("seeds per {} days", fmt_num(width))
        };
        draw_axes(&mut hist, "day of the campaign", &y_desc, &|v| fmt_num(*v))?;
        for (start, count) in &counts {
            let corners = [(*start, 0.0), (start + width, *count as f64)];
            hist.draw_series([Rectangle::new(corners, tint(self.colour, 0.6).filled())])?;
            hist.draw_series([Rectangle::new(corners, WHITE.stroke_width(2))])?;
        }
        if let Some(med) = self.median {
            draw_dashed(
                &mut cdf,
                vec![(med, 0.0), (med, 100.0)],
                INK.stroke_width(2),
            )?;
            draw_dashed(
                &mut hist,
                vec![(med, 0.0), (med, y_top)],
                INK.stroke_width(2),
            )?;
        }
        boxed_text(root, &note, (px + 16, py), LEGEND_PX, &INK)?;
        if self.reached.is_empty() && self.seeds > 0 {
            note_in_plot(&hist, &format!("{what}: never reached in any seed"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{DistChart, day_axis};

    #[test]
    fn bins_and_range_follow_the_data_not_the_campaign_length() {
        let days: Vec<f64> = (0..100).map(|i| 58.0 + f64::from(i % 15)).collect();
        let axis = day_axis(&days, Some(365.0));
        assert_eq!(axis, 56.0..74.0);
        let width = DistChart::bin_width(axis.end - axis.start);
        assert_eq!(
            width, 1.0,
            "15 days of data get daily bins, not 20-day ones"
        );
        assert_eq!(day_axis(&[], Some(365.0)), 0.0..365.0);
        assert_eq!(day_axis(&[1.0], None), 0.0..3.0);
    }
}
