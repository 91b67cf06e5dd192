//! Rivers, borders and coasts on the map: what an officer orients by, drawn under the route network.
//!
//! Each `[[feature]]` of the scenario (in `snapshots.json`) is a polyline of `[lat, lon]` points,
//! clipped to the map's region (Liang–Barsky, segment by segment) so a river that runs on beyond
//! the theatre stops at the frame. Rivers are wide sky blue, borders brown long dashes (apart from
//! the grey short dashes of interdicted routes), coasts dark blue.

use std::ops::Range;

use plotters::prelude::*;

use super::inputs::FeatureInfo;
use super::layout::{LegendItem, Plot, Swatch};
use super::render::DrawResult;
use super::style::{SKY, tint};

/// Colour of coasts.
const COAST: RGBColor = RGBColor(0x1F, 0x4E, 0x79);
/// Colour of borders: a brown, apart from the grey of interdicted routes.
const BORDER: RGBColor = RGBColor(0x9C, 0x6B, 0x30);

/// Clips the segment `a`–`b` to the box `x` × `y`; `None` when it lies wholly outside.
pub(crate) fn clip(
    a: (f64, f64),
    b: (f64, f64),
    x: &Range<f64>,
    y: &Range<f64>,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.0 - x.start),
        (dx, x.end - a.0),
        (-dy, a.1 - y.start),
        (dy, y.end - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// Draws every feature on `plot` (longitude on x, latitude on y), clipped to its ranges.
pub(crate) fn draw_features<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    features: &[FeatureInfo],
    (lon, lat): (&Range<f64>, &Range<f64>),
) -> DrawResult {
    for f in features {
        let style = match f.kind.as_str() {
            "border" => BORDER.stroke_width(2),
            "coast" => COAST.stroke_width(3),
            _ => tint(SKY, 0.9).stroke_width(6),
        };
        let xy: Vec<(f64, f64)> = f.points.iter().map(|(la, lo)| (*lo, *la)).collect();
        for pair in xy.windows(2) {
            let Some((a, b)) = clip(pair[0], pair[1], lon, lat) else {
                continue;
            };
            if f.kind == "border" {
                plot.draw_series(DashedLineSeries::new(vec![a, b], 22, 6, style))?;
            } else {
                plot.draw_series([PathElement::new(vec![a, b], style)])?;
            }
        }
    }
    Ok(())
}

/// One legend entry per named feature (`Euphrates (river)`), in file order.
pub(crate) fn legend(features: &[FeatureInfo]) -> Vec<LegendItem> {
    features
        .iter()
        .map(|f| {
            let swatch = match f.kind.as_str() {
                "border" => Swatch::Dashed(BORDER.into(), 2),
                "coast" => Swatch::Line(COAST.into(), 3),
                _ => Swatch::Line(tint(SKY, 0.9), 6),
            };
            let label = if f.name.is_empty() {
                f.kind.clone()
            } else if f.name.to_lowercase().contains(&f.kind) {
                f.name.clone()
            } else {
                format!("{} ({})", f.name, f.kind)
            };
            LegendItem::new(swatch, label)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn segments_are_clipped_to_the_region() {
        let (x, y) = (0.0..10.0, 0.0..10.0);
        assert_eq!(
            clip((-5.0, 5.0), (5.0, 5.0), &x, &y),
            Some(((0.0, 5.0), (5.0, 5.0)))
        );
        assert_eq!(clip((-5.0, -5.0), (-1.0, 20.0), &x, &y), None);
        assert_eq!(
            clip((2.0, 2.0), (3.0, 3.0), &x, &y),
            Some(((2.0, 2.0), (3.0, 3.0)))
        );
    }
}
