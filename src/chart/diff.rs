//! `compare_diff`: the paired mean difference per figure with its 95 % confidence interval.
//!
//! Left panel: the day figures (isolation, capture, phase starts) in days. Right panel: every
//! other figure as a percentage of course A's mean (`mean_a` in `comparison.json`, else from
//! `pairs.csv`), since fighters, tons and indices share no unit. The sign (B − A or A − B) is read
//! from `pairs.csv` itself.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::compare::versus;
use super::error::ChartError;
use super::inputs::CompareFiles;
use super::layout::{
    LegendItem, Swatch, build_plot, draw_dashed, finite_bounds, frame, text_style,
};
use super::render::{Chart, DrawResult};
use super::rows::{area_px, draw_interval, draw_row_axis};
use super::style::{FONT, INK, LABEL_PX, MUTED, fmt_num, fmt_signed, plain_name};

/// One row of a forest plot.
struct Row {
    label: String,
    mean: f64,
    ci: Option<(f64, f64)>,
}

/// The paired-difference chart of a comparison.
pub(crate) struct DiffChart<'a> {
    files: &'a CompareFiles,
    /// `B − A` or `A − B`, as `pairs.csv` computes `diff`.
    sign: &'static str,
    days: Vec<Row>,
    others: Vec<Row>,
    /// Figures left out of the right panel (A's mean is 0 or unknown).
    skipped: Vec<String>,
    /// Day figures without a mean difference (no seed where both courses got there).
    skipped_days: Vec<String>,
}

fn is_day_figure(name: &str) -> bool {
    name.ends_with("_day") || name.starts_with("phase_start_")
}

impl<'a> DiffChart<'a> {
    /// Orders the figures as `pairs.csv` lists them and scales the non-day ones.
    pub(crate) fn new(files: &'a CompareFiles) -> Result<Self, ChartError> {
        let p = &files.pairs;
        let names = p.strings("figure")?;
        let (a, b, d) = (p.numbers("a")?, p.numbers("b")?, p.numbers("diff")?);
        let mut votes = 0i64;
        for i in 0..names.len() {
            let tol = 1e-9 * a[i].abs().max(b[i].abs()).max(1.0);
            if ((b[i] - a[i]) - d[i]).abs() <= tol {
                votes += 1;
            } else if ((a[i] - b[i]) - d[i]).abs() <= tol {
                votes -= 1;
            }
        }
        let mut order: Vec<&str> = Vec::new();
        for n in names
            .iter()
            .map(String::as_str)
            .chain(files.comparison.figures.keys().map(String::as_str))
        {
            if !order.contains(&n) {
                order.push(n);
            }
        }
        let mut chart = Self {
            files,
            sign: if votes < 0 { "A − B" } else { "B − A" },
            days: Vec::new(),
            others: Vec::new(),
            skipped: Vec::new(),
            skipped_days: Vec::new(),
        };
        for name in order {
            let Some(f) = files.comparison.figures.get(name) else {
                continue;
            };
            let Some(mean) = f.mean_diff.filter(|m| m.is_finite()) else {
                if is_day_figure(name) {
                    chart.skipped_days.push(plain_name(name));
                }
                continue;
            };
            let ci = f
                .ci95_low
                .zip(f.ci95_high)
                .filter(|(l, h)| l.is_finite() && h.is_finite());
            let n =
                f.n.map_or(String::new(), |n| format!(" (n={})", fmt_num(n)));
            if is_day_figure(name) {
                let label = format!("{}{n}", plain_name(name));
                chart.days.push(Row { label, mean, ci });
                continue;
            }
            // A's mean over the pairs, from comparison.json, else from pairs.csv.
            let a_mean = f.mean_a.unwrap_or_else(|| {
                let a_values: Vec<f64> = names
                    .iter()
                    .zip(&a)
                    .filter(|(f, v)| f.as_str() == name && v.is_finite())
                    .map(|(_, v)| *v)
                    .collect();
                a_values.iter().sum::<f64>() / a_values.len() as f64
            });
            if !a_mean.is_finite() || a_mean.abs() < 1e-12 {
                chart.skipped.push(plain_name(name));
                continue;
            }
            let k = 100.0 / a_mean.abs();
            chart.others.push(Row {
                label: format!("{}{n}", plain_name(name)),
                mean: mean * k,
                ci: ci.map(|(l, h)| (l * k, h * k)),
            });
        }
        Ok(chart)
    }

    fn draw_forest<DB: DrawingBackend>(
        &self,
        panel: &DrawingArea<DB, Shift>,
        caption: &str,
        rows: &[Row],
        (unit, suffix): (&str, &str),
        footnote: Option<String>,
    ) -> DrawResult {
        let inner = panel.titled(caption, (FONT, LABEL_PX).into_font().color(&INK))?;
        let inner = match &footnote {
            Some(_) => inner.margin(0, 34, 0, 0),
            None => inner,
        };
        let n = rows.len().max(1) as f64;
        let xr = x_range(rows);
        let label_w = 330;
        let mut plot = build_plot(&inner, xr.clone(), 0.0..n, label_w)?;
        let x_desc = format!("{} ({unit})", self.sign);
        draw_row_axis(&mut plot, &x_desc, &|v| fmt_signed(*v), 7)?;
        draw_dashed(&mut plot, vec![(0.0, 0.0), (0.0, n)], INK.stroke_width(2))?;
        for (i, row) in rows.iter().enumerate() {
            let y = n - i as f64 - 0.5;
            if let Some(ci) = row.ci {
                draw_interval(&mut plot, ci, y, INK.stroke_width(3), (12, [true, true]))?;
            }
            plot.draw_series([Circle::new((row.mean, y), 7, INK.filled())])?;
            let (px, y) = area_px(&plot, panel, (xr.start, y));
            let x = px - 14;
            panel.draw(&Text::new(
                row.label.clone(),
                (x, y - 2),
                text_style(20.0, &INK, Pos::new(HPos::Right, VPos::Bottom)),
            ))?;
            let numbers = match row.ci {
                Some((lo, hi)) => format!(
                    "{}{suffix} [{}, {}]",
                    fmt_signed(row.mean),
                    fmt_signed(lo),
                    fmt_signed(hi)
                ),
                None => format!("{}{suffix} (no interval)", fmt_signed(row.mean)),
            };
            panel.draw(&Text::new(
                numbers,
                (x, y + 2),
                text_style(18.0, &MUTED, Pos::new(HPos::Right, VPos::Top)),
            ))?;
        }
        if rows.is_empty() {
            super::layout::note_in_plot(&plot, "no figure to show")?;
        }
        if let Some(note) = footnote {
            let (w, h) = panel.dim_in_pixel();
            panel.draw(&Text::new(
                note,
                (w as i32 - 10, h as i32 - 6),
                text_style(18.0, &MUTED, Pos::new(HPos::Right, VPos::Bottom)),
            ))?;
        }
        Ok(())
    }
}

/// An x range holding 0 and every mean and interval end, padded.
fn x_range(rows: &[Row]) -> Range<f64> {
    let values = rows
        .iter()
        .flat_map(|r| [Some(r.mean), r.ci.map(|c| c.0), r.ci.map(|c| c.1)])
        .flatten()
        .chain([0.0]);
    let (lo, hi) = finite_bounds(values).unwrap_or((0.0, 0.0));
    let pad = ((hi - lo) * 0.08).max(1e-6);
    if hi - lo < 1e-9 {
        lo - 1.0..hi + 1.0
    } else {
        lo - pad..hi + pad
    }
}

impl Chart for DiffChart<'_> {
    fn stem(&self) -> String {
        "compare_diff".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = &self.files.manifest;
        let title = format!(
            "{}: paired difference {}, {}",
            versus(self.files),
            self.sign,
            m.seeds_phrase()
        );
        let legend = [
            LegendItem::new(Swatch::Dot(INK.into(), 7), "mean of per-seed differences"),
            LegendItem::new(Swatch::Line(INK.into(), 3), "95% confidence interval"),
            LegendItem::new(Swatch::Dashed(INK.into(), 2), "no difference"),
        ];
        let area = frame(root, &title, &legend, &m.footer())?;
        let (w, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(w * 44 / 100);
        let day_note = (!self.skipped_days.is_empty()).then(|| {
            format!(
                "not shown, no seed where both got there: {}",
                self.skipped_days.join(", ")
            )
        });
        self.draw_forest(
            &left,
            "Day figures (later is positive)",
            &self.days,
            ("days", " days"),
            day_note,
        )?;
        let footnote = (!self.skipped.is_empty())
            .then(|| format!("not shown, A's mean is 0: {}", self.skipped.join(", ")));
        self.draw_forest(
            &right.margin(0, 0, 20, 0),
            "Other figures, relative to A",
            &self.others,
            ("% of A's mean", "%"),
            footnote,
        )?;
        Ok(())
    }
}
