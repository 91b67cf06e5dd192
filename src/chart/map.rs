//! `map`: small multiples, one map per `snapshots.json` frame (start, each phase start, end).
//!
//! Settlements sit at their latitude/longitude, coloured by who controls them and sized by value,
//! named (objectives, then cities, towns and villages by value) where a name finds room without
//! covering another name or marker (see [`super::labels`]);
//! routes are drawn by status (open: solid dark, interdicted: light dashed, cut: reddish-purple
//! dots); the objective wears a black ring. Rivers, borders and coasts, when the scenario has them,
//! lie under the network (see [`super::geo`]). The grid of panels is chosen to make the maps as large
//! as the frame count and the region's shape allow, with longitude scaled by cos(latitude).

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::error::ChartError;
use super::inputs::{Frame, RunFiles, Snapshots};
use super::labels::{Label, Rect, place};
use super::layout::{LegendItem, Swatch, boxed_text, frame, text_style, text_width};
use super::render::{Chart, DrawResult};
use super::style::{
    ATTACKER, CLEARED, CONTESTED, DEFENDER, FONT, INK, LABEL_PX, MUTED, PURPLE, fmt_num, tint,
};

/// Height of a panel's caption, in pixels.
const CAPTION_H: u32 = 36;
/// How many settlements may get a name label (where there is room).
const NAMED: usize = 12;

/// A value that sorts (NaN last), for ordering settlements by value.
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrderedValue(f64);

impl Eq for OrderedValue {}

impl PartialOrd for OrderedValue {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedValue {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}
/// Size of settlement names.
const NAME_PX: f64 = 19.0;

/// The map chart of one run.
pub(crate) struct MapChart<'a> {
    run: &'a RunFiles,
    /// Longitude and latitude bounds of the settlements, padded.
    bounds: Option<(Range<f64>, Range<f64>)>,
    /// One panel per distinct frame: its caption label and the frame's index. Consecutive frames
    /// of the same day showing the same state (day 0 "Start" and a first phase starting on day 0)
    /// share a panel, labelled "Start / Isolate".
    panels: Vec<(String, usize)>,
}

impl<'a> MapChart<'a> {
    /// Works out the region to show.
    pub(crate) fn new(run: &'a RunFiles) -> Result<Self, ChartError> {
        let s = &run.snapshots.settlements;
        let lon = super::layout::finite_bounds(s.iter().map(|p| p.lon));
        let lat = super::layout::finite_bounds(s.iter().map(|p| p.lat));
        let bounds = lon.zip(lat).map(|((x0, x1), (y0, y1))| {
            let pad_x = ((x1 - x0) * 0.08).max(0.1);
            let pad_y = ((y1 - y0) * 0.08).max(0.1);
            (x0 - pad_x..x1 + pad_x, y0 - pad_y..y1 + pad_y)
        });
        let mut panels: Vec<(String, usize)> = Vec::new();
        let frames = &run.snapshots.frames;
        for (i, f) in frames.iter().enumerate() {
            match panels.last_mut() {
                Some((label, j)) if same_picture(&frames[*j], f) => {
                    label.push_str(" / ");
                    label.push_str(&f.label);
                }
                _ => panels.push((f.label.clone(), i)),
            }
        }
        Ok(Self {
            run,
            bounds,
            panels,
        })
    }

    /// Width over height of the region, in ground distance.
    fn aspect(&self) -> f64 {
        match &self.bounds {
            Some((x, y)) => (x.end - x.start) * cos_lat(y) / (y.end - y.start),
            None => 1.0,
        }
    }

    /// The `(rows, cols)` grid giving the largest maps for `n` panels in a `w`×`h` area.
    fn grid(&self, n: usize, w: u32, h: u32) -> (usize, usize) {
        let aspect = self.aspect();
        let mut best = (1, n.max(1), 0.0);
        for rows in 1..=n.max(1) {
            let cols = n.div_ceil(rows).max(1);
            let pw = f64::from(w) / cols as f64;
            let ph = f64::from(h) / rows as f64 - f64::from(CAPTION_H);
            let scale = pw.min(ph * aspect);
            if scale > best.2 + 1e-9 {
                best = (rows, cols, scale);
            }
        }
        (best.0, best.1)
    }

    fn legend(&self) -> Vec<LegendItem> {
        vec![
            LegendItem::new(
                Swatch::Dot(ATTACKER.into(), 10),
                self.run.side_label("attacker"),
            ),
            LegendItem::new(
                Swatch::Dot(DEFENDER.into(), 10),
                self.run.side_label("defender"),
            ),
            LegendItem::new(Swatch::Dot(CONTESTED.into(), 10), "contested"),
            LegendItem::new(
                Swatch::Dot(CLEARED.into(), 10),
                "cleared, not held (ring: who cleared it)",
            ),
            LegendItem::new(Swatch::Ring(INK.into()), "objective"),
            LegendItem::new(Swatch::Line(INK.into(), 3), "route open"),
            LegendItem::new(Swatch::Dashed(tint(INK, 0.4), 3), "interdicted"),
            LegendItem::new(Swatch::Dotted(PURPLE.into(), 3), "cut"),
        ]
        .into_iter()
        .chain(super::geo::legend(&self.run.snapshots.features))
        .collect()
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        panel: &DrawingArea<DB, Shift>,
        (label, frame): (&str, &Frame),
        (lon, lat): &(Range<f64>, Range<f64>),
    ) -> DrawResult {
        let snap = &self.run.snapshots;
        let caption = format!("{label} · day {}", fmt_num(frame.day));
        let inner = panel.titled(&caption, (FONT, LABEL_PX).into_font().color(&INK))?;
        let inner = inner.margin(2, 10, 10, 10);
        let (w, h) = inner.dim_in_pixel();
        let (lon, lat) = fit(lon, lat, f64::from(w.max(1)), f64::from(h.max(1)));
        let mut plot = ChartBuilder::on(&inner).build_cartesian_2d(lon.clone(), lat.clone())?;
        plot.draw_series([Rectangle::new(
            [(lon.start, lat.start), (lon.end, lat.end)],
            RGBColor(0xCC, 0xCC, 0xCC).stroke_width(1),
        )])?;
        super::geo::draw_features(&mut plot, &snap.features, (&lon, &lat))?;
        for (route, status) in snap.routes.iter().zip(&frame.routes) {
            let (Some(a), Some(b)) = (position(snap, &route.from), position(snap, &route.to))
            else {
                continue;
            };
            let width = if route.kind == "highway" { 4 } else { 3 };
            match status.as_str() {
                "open" => {
                    plot.draw_series([PathElement::new(vec![a, b], INK.stroke_width(width))])?;
                }
                "interdicted" => {
                    let style = tint(INK, 0.4).stroke_width(width);
                    plot.draw_series(DashedLineSeries::new(vec![a, b], 12, 8, style))?;
                }
                _ => {
                    let dot = PURPLE.filled();
                    plot.draw_series(DottedLineSeries::new(vec![a, b], 0, 11, move |c| {
                        Circle::new(c, 4, dot)
                    }))?;
                }
            }
        }
        let vmax = snap
            .settlements
            .iter()
            .map(|s| s.value)
            .filter(|v| v.is_finite() && *v > 0.0)
            .fold(0.0, f64::max);
        // Marker area grows with value; smaller maps get smaller markers.
        let shrink = (f64::from(h) / 300.0).clamp(0.6, 1.0);
        let radius = |v: f64| {
            let share = if vmax > 0.0 && v.is_finite() && v > 0.0 {
                (v / vmax).sqrt()
            } else {
                0.0
            };
            ((3.0 + 12.0 * share) * shrink).round().max(3.0) as i32
        };
        // Large markers first so small ones stay visible on top.
        let mut order: Vec<usize> = (0..snap.settlements.len()).collect();
        order.sort_by(|&i, &j| {
            snap.settlements[j]
                .value
                .total_cmp(&snap.settlements[i].value)
        });
        for &i in &order {
            let s = &snap.settlements[i];
            let c = &frame.control[i];
            let side = c.side.as_deref().and_then(|id| snap.role_of(id));
            let side_colour = match side {
                Some("attacker") => ATTACKER,
                Some("defender") => DEFENDER,
                _ => MUTED,
            };
            let (fill, ring) = match c.state.as_str() {
                "contested" => (CONTESTED, None),
                "cleared_unheld" => (CLEARED, Some(side_colour)),
                _ => (side_colour, None),
            };
            let r = radius(s.value);
            plot.draw_series([Circle::new((s.lon, s.lat), r, fill.filled())])?;
            plot.draw_series([Circle::new((s.lon, s.lat), r, WHITE.stroke_width(1))])?;
            if let Some(ring) = ring {
                plot.draw_series([Circle::new((s.lon, s.lat), r, ring.stroke_width(3))])?;
            }
            if s.objective {
                plot.draw_series([Circle::new((s.lon, s.lat), r + 6, INK.stroke_width(3))])?;
            }
        }
        self.draw_names(panel, &plot, &order, &radius)
    }

    /// Names the objectives, then the most valuable other settlements, where
    /// [`labels::place`](super::labels::place) finds room: never over another name or marker, with
    /// a leader line when a name had to move away from its marker.
    fn draw_names<DB: DrawingBackend>(
        &self,
        panel: &DrawingArea<DB, Shift>,
        plot: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
        order: &[usize],
        radius: &dyn Fn(f64) -> i32,
    ) -> DrawResult {
        let snap = &self.run.snapshots;
        let base = panel.get_base_pixel();
        let px = |i: usize| {
            let s = &snap.settlements[i];
            let (x, y) = plot.backend_coord(&(s.lon, s.lat));
            (x - base.0, y - base.1)
        };
        let ring = |i: usize| {
            radius(snap.settlements[i].value) + if snap.settlements[i].objective { 7 } else { 0 }
        };
        // What an officer orients by first: the objectives, then cities and towns, then the rest,
        // each by value.
        let rank = |i: usize| {
            let s = &snap.settlements[i];
            let kind = match s.kind.as_str() {
                _ if s.objective => 0,
                "city" => 1,
                "town" => 2,
                _ => 3,
            };
            (kind, std::cmp::Reverse(OrderedValue(s.value)))
        };
        let mut named: Vec<usize> = order.to_vec();
        named.sort_by_key(|&i| rank(i));
        named.truncate(NAMED);
        let mut labels = Vec::with_capacity(named.len());
        for &i in &named {
            labels.push(Label {
                anchor: px(i),
                radius: ring(i),
                width: text_width(panel, &snap.settlements[i].name, NAME_PX)?,
                height: NAME_PX as i32,
            });
        }
        let markers: Vec<((i32, i32), i32)> = order.iter().map(|&i| (px(i), ring(i))).collect();
        let (pw, ph) = panel.dim_in_pixel();
        // Inside the map's frame (the panel less its caption and margins).
        let bounds = Rect {
            x0: 10,
            y0: CAPTION_H as i32 + 2,
            x1: pw as i32 - 10,
            y1: ph as i32 - 10,
        };
        for p in place(&labels, &markers, bounds) {
            let anchor = labels[p.index].anchor;
            if p.leader {
                panel.draw(&PathElement::new(
                    vec![anchor, p.rect.nearest(anchor)],
                    MUTED.stroke_width(1),
                ))?;
            }
            boxed_text(
                panel,
                &snap.settlements[named[p.index]].name,
                p.at,
                NAME_PX,
                &INK,
            )?;
        }
        Ok(())
    }
}

/// Whether two frames would draw the same map on the same day.
fn same_picture(a: &Frame, b: &Frame) -> bool {
    a.day == b.day && a.control == b.control && a.routes == b.routes
}

/// cos of the middle latitude, floored so a polar box cannot blow up.
fn cos_lat(lat: &Range<f64>) -> f64 {
    ((lat.start + lat.end) / 2.0).to_radians().cos().max(0.1)
}

/// Widens the lon or lat range so one degree of ground distance has the same length both ways
/// in a `w`×`h` pixel plot.
fn fit(lon: &Range<f64>, lat: &Range<f64>, w: f64, h: f64) -> (Range<f64>, Range<f64>) {
    let k = cos_lat(lat);
    let (gw, gh) = ((lon.end - lon.start) * k, lat.end - lat.start);
    let scale = (w / gw).min(h / gh);
    let (half_w, half_h) = (w / scale / k / 2.0, h / scale / 2.0);
    let (cx, cy) = ((lon.start + lon.end) / 2.0, (lat.start + lat.end) / 2.0);
    (cx - half_w..cx + half_w, cy - half_h..cy + half_h)
}

/// `(lon, lat)` of settlement `id`.
fn position(snap: &Snapshots, id: &str) -> Option<(f64, f64)> {
    snap.settlements
        .iter()
        .find(|s| s.id == id)
        .map(|s| (s.lon, s.lat))
}

impl Chart for MapChart<'_> {
    fn stem(&self) -> String {
        "map".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let m = &self.run.manifest;
        let title = format!(
            "{}: control and routes over the campaign, {}",
            m.title_name(),
            m.seeds_phrase()
        );
        let area = frame(root, &title, &self.legend(), &m.footer())?;
        let frames = &self.run.snapshots.frames;
        let Some(bounds) = self.bounds.as_ref().filter(|_| !self.panels.is_empty()) else {
            let (w, h) = area.dim_in_pixel();
            area.draw(&Text::new(
                "no settlements or frames in snapshots.json".to_string(),
                (w as i32 / 2, h as i32 / 2),
                text_style(LABEL_PX, &MUTED, Pos::new(HPos::Center, VPos::Center)),
            ))?;
            return Ok(());
        };
        let (w, h) = area.dim_in_pixel();
        let (rows, cols) = self.grid(self.panels.len(), w, h);
        for (area, (label, i)) in area.split_evenly((rows, cols)).iter().zip(&self.panels) {
            self.draw_panel(area, (label, &frames[*i]), bounds)?;
        }
        Ok(())
    }
}
