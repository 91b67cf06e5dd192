//! Validation of `[[feature]]`: rivers, borders and coasts as polylines of `[lat, lon]` points.

use crate::scenario::check::{Checker, Ctx};
use crate::scenario::raw::{RawFeature, RawScenarioFile};
use crate::scenario::schema::spec;
use crate::scenario::types::{Feature, FeatureKind};

/// Every `[[feature]]`; a bad point is reported with the feature's `points` location and its
/// position in the list (counted from 0).
pub(super) fn features(c: &mut Checker, raw: &RawScenarioFile) -> Vec<Feature> {
    let mut out = Vec::with_capacity(raw.feature.len());
    for (i, t) in raw.feature.iter().enumerate() {
        let ctx = Ctx::new("feature", Some(i), t.span());
        let r = &t.inner;
        let kind = match c.word(&ctx, "kind", &r.kind).as_deref() {
            Some("border") => FeatureKind::Border,
            Some("coast") => FeatureKind::Coast,
            _ => FeatureKind::River,
        };
        out.push(Feature {
            name: c.get(&ctx, "name", &r.name).unwrap_or_default(),
            kind,
            points: points(c, &ctx, r),
        });
    }
    out
}

/// The checked `(lat, lon)` points of one feature.
fn points(c: &mut Checker, ctx: &Ctx, r: &RawFeature) -> Vec<(f64, f64)> {
    let Some(list) = c.get(ctx, "points", &r.points) else {
        return Vec::new();
    };
    let doc = spec("feature", "points").doc;
    if list.len() < 2 {
        c.report_field(
            ctx,
            "points",
            &r.points,
            format!(
                "{}: `points` has {} point(s); a line needs at least two",
                ctx.label,
                list.len()
            ),
            format!("write at least two [lat, lon] pairs: {doc}"),
        );
    }
    let mut out = Vec::with_capacity(list.len());
    for (k, p) in list.iter().enumerate() {
        match p.as_slice() {
            [lat, lon]
                if (-90.0..=90.0).contains(lat) && (-180.0..=180.0).contains(lon) =>
            {
                out.push((*lat, *lon))
            }
            [lat, lon] => c.report_field(
                ctx,
                "points",
                &r.points,
                format!(
                    "{}: point #{k} of `points` is [{lat}, {lon}], outside the globe",
                    ctx.label
                ),
                "latitude goes from −90 to 90 and longitude from −180 to 180, in that order: [lat, lon]"
                    .into(),
            ),
            other => c.report_field(
                ctx,
                "points",
                &r.points,
                format!(
                    "{}: point #{k} of `points` has {} number(s), not two",
                    ctx.label,
                    other.len()
                ),
                format!("write each point as [lat, lon]: {doc}"),
            ),
        }
    }
    out
}
