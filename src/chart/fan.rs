//! Fan charts of a sweep: the median across seeds with the middle 50 % and 90 % of seeds shaded,
//! read from `bands.csv` (`fan_isolation`, `fan_villages`). Also the band drawing that the
//! comparison chart reuses.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::ChartError;
use super::inputs::{Band, SweepFiles, band};
use super::io::Manifest;
use super::layout::{
    LegendItem, Plot, Swatch, build_plot, day_range, draw_axes, draw_line, frame, note_in_plot,
    upper,
};
use super::render::{Chart, DrawResult};
use super::style::{ATTACKER, INDEX, fmt_num, tint};

/// A fan chart of one `bands.csv` series.
pub(crate) struct FanChart<'a> {
    manifest: &'a Manifest,
    stem: &'static str,
    band: Band,
    colour: RGBColor,
    what: &'static str,
    y_desc: &'static str,
    /// Fixed y range top (the index is 0..1), or `None` to fit the data.
    y_top: Option<f64>,
}

impl<'a> FanChart<'a> {
    /// `fan_isolation`: the isolation index across seeds.
    pub(crate) fn isolation(sweep: &'a SweepFiles) -> Result<Self, ChartError> {
        Ok(Self {
            manifest: &sweep.manifest,
            stem: "fan_isolation",
            band: band(&sweep.bands, "isolation_index")?,
            colour: INDEX,
            what: "isolation index",
            y_desc: "isolation index (0 = open, 1 = cut off)",
            y_top: Some(1.02),
        })
    }

    /// `fan_villages`: villages controlled by the attacker across seeds.
    pub(crate) fn villages(sweep: &'a SweepFiles) -> Result<Self, ChartError> {
        Ok(Self {
            manifest: &sweep.manifest,
            stem: "fan_villages",
            band: band(&sweep.bands, "attacker_villages_held")?,
            colour: ATTACKER,
            what: "villages controlled by the attacker",
            y_desc: "villages (held or cleared)",
            y_top: None,
        })
    }
}

/// Legend entries for a fan in `colour`, prefixed by `who` (empty for a single fan).
pub(crate) fn fan_legend(colour: RGBColor, who: &str, with_50: bool) -> Vec<LegendItem> {
    let mut items = vec![LegendItem::new(
        Swatch::Line(colour.into(), 4),
        format!("{who}median of seeds"),
    )];
    if with_50 {
        items.push(LegendItem::new(
            Swatch::Block(tint(colour, 0.38)),
            format!("{who}middle 50% of seeds"),
        ));
    }
    items.push(LegendItem::new(
        Swatch::Block(tint(colour, 0.15)),
        format!("{who}middle 90% of seeds"),
    ));
    items
}

/// Draws the shaded area between `lo` and `hi` over `day`, with gaps where a value is missing.
pub(crate) fn draw_band<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    day: &[f64],
    lo: &[f64],
    hi: &[f64],
    fill: RGBAColor,
) -> DrawResult {
    let mut run: Vec<(f64, f64, f64)> = Vec::new();
    let rows = day.iter().zip(lo).zip(hi).map(|((d, l), h)| (*d, *l, *h));
    for row in rows.chain([(f64::NAN, f64::NAN, f64::NAN)]) {
        if row.0.is_finite() && row.1.is_finite() && row.2.is_finite() {
            run.push(row);
            continue;
        }
        if run.len() == 1 {
            let (d, l, h) = run[0];
            plot.draw_series([Rectangle::new([(d - 0.5, l), (d + 0.5, h)], fill.filled())])?;
        } else if run.len() > 1 {
            let mut outline: Vec<(f64, f64)> = run.iter().map(|(d, _, h)| (*d, *h)).collect();
            outline.extend(run.iter().rev().map(|(d, l, _)| (*d, *l)));
            plot.draw_series([Polygon::new(outline, fill.filled())])?;
        }
        run.clear();
    }
    Ok(())
}

impl Chart for FanChart<'_> {
    fn stem(&self) -> String {
        self.stem.to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = self.manifest;
        let title = format!(
            "{}: {} across {}",
            m.title_name(),
            self.what,
            m.seeds_phrase()
        );
        let legend = fan_legend(self.colour, "", true);
        let area = frame(root, &title, &legend, &m.footer())?;
        let b = &self.band;
        let y_top = self
            .y_top
            .unwrap_or_else(|| upper(b.p95.iter().chain(&b.p50).copied(), 1.0));
        let mut plot = build_plot(&area, day_range(&b.day), 0.0..y_top, 100)?;
        draw_axes(&mut plot, "day of the campaign", self.y_desc, &|v| {
            fmt_num(*v)
        })?;
        draw_band(&mut plot, &b.day, &b.p5, &b.p95, tint(self.colour, 0.15))?;
        draw_band(&mut plot, &b.day, &b.p25, &b.p75, tint(self.colour, 0.38))?;
        draw_line(&mut plot, &b.day, &b.p50, self.colour.stroke_width(4))?;
        if b.day.is_empty() {
            note_in_plot(&plot, "no rows for this series in bands.csv")?;
        }
        Ok(())
    }
}
