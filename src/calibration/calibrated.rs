//! What `calibrate` writes: every point (`points.csv`), the accepted parameter sets
//! (`accepted.csv`), the report (`calibration.json`), the calibrated doctrine
//! (`calibrated-doctrine.toml`) and the briefing page.
//!
//! The calibrated doctrine is the scenario's doctrine (or an empty one) with every calibrated
//! doctrine parameter set to its value at the calibrated point (the accepted point with the lowest
//! mean CRPS) and its `[[uncertain]]` entries replaced
//! by uniform distributions over the accepted range, so a sweep with it carries what the record
//! leaves uncertain. Parameters that are not doctrine (a unit's strength, a settlement's
//! defensibility) are reported but never written into it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::CalibrationError;
use super::calibrate::{CalibrationReport, PointResult};
use super::observed::Observations;
use super::page::{Provenance, esc, num};
use super::uncertain::UncertainParam;
use crate::ensemble::{csv_bytes, json_bytes, write_atomic};
use crate::scenario::LoadedScenario;

/// Files `calibrate` writes at the top of its folder.
pub const CALIBRATION_FILES: [&str; 5] = [
    "points.csv",
    "accepted.csv",
    "calibration.json",
    "calibrated-doctrine.toml",
    "briefing.html",
];

/// The parameter's path with a side named by its role, as a doctrine writes it.
pub fn role_path(loaded: &LoadedScenario, path: &str) -> String {
    let segs: Vec<&str> = path.split('.').collect();
    if let ["side", who, rest @ ..] = segs.as_slice() {
        let role = match *who {
            "attacker" | "defender" => Some(*who),
            id if loaded.scenario.sides[0].id == id => Some("attacker"),
            id if loaded.scenario.sides[1].id == id => Some("defender"),
            _ => None,
        };
        if let Some(role) = role {
            return ["side", role]
                .into_iter()
                .chain(rest.iter().copied())
                .collect::<Vec<_>>()
                .join(".");
        }
    }
    path.to_owned()
}

fn toml_number(v: f64, integer: bool) -> toml::Value {
    if integer {
        toml::Value::Integer(v as i64)
    } else {
        toml::Value::Float(v)
    }
}

/// The calibrated doctrine's text.
pub fn calibrated_doctrine(
    loaded: &LoadedScenario,
    params: &[UncertainParam],
    report: &CalibrationReport,
) -> String {
    let mut doc: toml::Table = loaded
        .doctrine
        .as_ref()
        .and_then(|d| std::fs::read_to_string(&d.path).ok())
        .and_then(|t| toml::from_str(&t).ok())
        .unwrap_or_default();
    let name = loaded
        .doctrine
        .as_ref()
        .map_or(loaded.scenario.meta.name.clone(), |d| d.name.clone());
    let mut meta = toml::Table::new();
    meta.insert(
        "name".into(),
        toml::Value::String(format!("{name}-calibrated")),
    );
    meta.insert(
        "description".into(),
        toml::Value::String(format!(
            "{name} calibrated by history matching against {} ({} accepted parameter sets)",
            report.observations, report.accepted
        )),
    );
    doc.insert("doctrine".into(), toml::Value::Table(meta));
    let mut uncertain = Vec::new();
    let mut skipped = Vec::new();
    for (i, p) in params.iter().enumerate() {
        let path = role_path(loaded, &p.path);
        if super::uncertain::doctrine_path_problem(&path).is_some() {
            skipped.push(p.path.clone());
            continue;
        }
        set_path(
            &mut doc,
            &path,
            toml_number(report.best.values[i], p.integer),
        );
        let r = &report.parameters[i];
        if let (Some(low), Some(high)) = (r.posterior_low, r.posterior_high)
            && high > low
        {
            let mut e = toml::Table::new();
            e.insert("path".into(), toml::Value::String(path));
            e.insert("distribution".into(), toml::Value::String("uniform".into()));
            e.insert("low".into(), toml_number(low, p.integer));
            e.insert("high".into(), toml_number(high, p.integer));
            if p.integer {
                e.insert("integer".into(), toml::Value::Boolean(true));
            }
            uncertain.push(toml::Value::Table(e));
        }
    }
    doc.remove("uncertain");
    if !uncertain.is_empty() {
        doc.insert("uncertain".into(), toml::Value::Array(uncertain));
    }
    let mut head = format!(
        "# Calibrated doctrine, written by `phaseline calibrate` (engine {}).\n# Scenario {} against the observations {}: {} waves, seeds {} at every point, cut-off {}.\n# Every calibrated parameter is set to its value at the calibrated point: the accepted point with the\n# lowest mean CRPS{} (largest implausibility {:.2}, mean CRPS {:.1} days on the waves' seeds);\n# [[uncertain]] gives the range the record leaves open (uniform over the accepted sets).\n",
        env!("CARGO_PKG_VERSION"),
        report.scenario,
        report.observations,
        report.waves.len(),
        report.seeds,
        report.cutoff,
        report
            .confirmation
            .as_ref()
            .map_or(String::new(), |c| format!(
                " on the confirmation seeds {} of the {} best",
                c.seeds,
                c.candidates.len()
            )),
        report.best.max_implausibility,
        report.best.mean_crps,
    );
    if !skipped.is_empty() {
        let _ = writeln!(
            head,
            "# Calibrated but not doctrine (set them in the scenario): {}",
            skipped.join(", ")
        );
    }
    // The [doctrine] table first, then the parameters (a TOML table serialises in key order).
    let mut first = toml::Table::new();
    if let Some(meta) = doc.remove("doctrine") {
        first.insert("doctrine".into(), meta);
    }
    format!(
        "{head}\n{}\n{}",
        toml::to_string(&first).unwrap_or_default(),
        toml::to_string(&doc).unwrap_or_default()
    )
}

/// Sets `path` (`side.<role>.f`, `air.f`, `air.priorities.f`, `scenario.f`) in a doctrine table.
fn set_path(doc: &mut toml::Table, path: &str, value: toml::Value) {
    let segs: Vec<&str> = path.split('.').collect();
    match segs.as_slice() {
        ["side", role, field] => {
            let sides = doc
                .entry("side")
                .or_insert_with(|| toml::Value::Array(Vec::new()));
            if let toml::Value::Array(items) = sides {
                let at = items
                    .iter()
                    .position(|s| s.get("role").and_then(toml::Value::as_str) == Some(role));
                let at = at.unwrap_or_else(|| {
                    let mut t = toml::Table::new();
                    t.insert("role".into(), toml::Value::String((*role).to_owned()));
                    items.push(toml::Value::Table(t));
                    items.len() - 1
                });
                if let Some(toml::Value::Table(t)) = items.get_mut(at) {
                    t.insert((*field).to_owned(), value);
                }
            }
        }
        [first, rest @ ..] if !rest.is_empty() && *first != "side" => {
            let inner = doc
                .entry(*first)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(t) = inner {
                set_path(t, &rest.join("."), value);
            }
        }
        [field] => {
            doc.insert((*field).to_owned(), value);
        }
        _ => {}
    }
}

fn point_rows<'a>(points: &'a [PointResult]) -> impl Iterator<Item = Vec<String>> + 'a {
    points.iter().map(|p| {
        let mut row = vec![p.wave.to_string(), p.point.to_string()];
        row.extend(p.values.iter().map(|v| format!("{v}")));
        row.extend(p.means.iter().map(|v| format!("{v}")));
        row.extend(p.implausibility.iter().map(|v| format!("{v}")));
        row.push(format!("{}", p.max_implausibility));
        row.push(format!("{}", p.mean_crps));
        row.push(u8::from(p.accepted).to_string());
        row
    })
}

/// Writes the calibration's files into `dir`.
pub fn write_calibration(
    dir: &Path,
    loaded: &LoadedScenario,
    obs: &Observations,
    params: &[UncertainParam],
    report: &CalibrationReport,
    all: &[PointResult],
    accepted: &[PointResult],
) -> Result<Vec<PathBuf>, CalibrationError> {
    let mut header = vec!["wave".to_owned(), "point".to_owned()];
    header.extend(params.iter().map(|p| p.path.clone()));
    header.extend(obs.milestones.iter().map(|m| format!("mean:{}", m.id)));
    header.extend(
        obs.milestones
            .iter()
            .map(|m| format!("implausibility:{}", m.id)),
    );
    header.push("max_implausibility".to_owned());
    header.push("mean_crps".to_owned());
    header.push("accepted".to_owned());
    let mut files = Vec::new();
    for (name, points) in [("points.csv", all), ("accepted.csv", accepted)] {
        let path = dir.join(name);
        write_atomic(&path, &csv_bytes(&header, point_rows(points), &path)?)?;
        files.push(path);
    }
    let path = dir.join("calibration.json");
    write_atomic(&path, &json_bytes(report, &path)?)?;
    files.push(path);
    let path = dir.join("calibrated-doctrine.toml");
    write_atomic(
        &path,
        calibrated_doctrine(loaded, params, report).as_bytes(),
    )?;
    files.push(path);
    let path = dir.join("briefing.html");
    let prov = Provenance::of(loaded, Some(obs));
    write_atomic(&path, calibration_page(report, &prov).as_bytes())?;
    files.push(path);
    Ok(files)
}

/// The calibration's briefing page.
pub fn calibration_page(report: &CalibrationReport, prov: &Provenance) -> String {
    let mut waves = String::from(
        "<table>\n<tr><th>wave</th><th>points</th><th>non-implausible</th><th>least max. implausibility</th></tr>\n",
    );
    for w in &report.waves {
        let _ = writeln!(
            waves,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td></tr>",
            w.wave, w.points, w.accepted, w.best_max_implausibility
        );
    }
    waves.push_str("</table>\n");
    let mut params = String::from(
        "<table>\n<tr><th>parameter</th><th>prior 5–95 %</th><th>accepted range</th><th>calibrated</th><th>width ratio</th><th>the record</th></tr>\n",
    );
    for p in &report.parameters {
        let _ = writeln!(
            params,
            "<tr><td>{}</td><td>{} – {}</td><td>{} – {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.path),
            num(Some(p.prior_p5)),
            num(Some(p.prior_p95)),
            num(p.posterior_low),
            num(p.posterior_high),
            num(Some(p.best)),
            num(p.width_ratio),
            p.verdict
        );
    }
    params.push_str("</table>\n");
    let mut best = String::from(
        "<table>\n<tr><th>milestone</th><th>ensemble mean</th><th>implausibility</th></tr>\n",
    );
    for (i, id) in report.milestones.iter().enumerate() {
        let _ = writeln!(
            best,
            "<tr><td>{}</td><td>{}</td><td>{:.2}</td></tr>",
            esc(id),
            num(report.best.means.get(i).copied()),
            report
                .best
                .implausibility
                .get(i)
                .copied()
                .unwrap_or(f64::NAN)
        );
    }
    best.push_str("</table>\n");
    let verdict = if report.accepted > 0 {
        format!(
            "{} parameter sets are consistent with the record (largest implausibility ≤ {}).",
            report.accepted, report.cutoff
        )
    } else {
        format!(
            "No parameter set is consistent with the record within the stated uncertainties (every point's largest implausibility is above {}): the model, or the ranges searched, cannot reproduce it. The least implausible point is reported, not endorsed.",
            report.cutoff
        )
    };
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Calibration: {name}</title><style>body{{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right}}td:first-child{{text-align:left}}.note{{color:#555}}</style></head><body>\n<h1>Calibration: {name} against {obs}</h1>\n<p><strong>{verdict}</strong> Seeds {seeds} at every point.{note}</p>\n<h2>What the record pins down</h2>\n{params}<p class=\"note\">Width ratio: the accepted range ÷ the prior's 5–95 % width. Under 0.5 the observations pin the parameter down; otherwise they leave it loose (it matters little to these milestones, or trades off against another parameter).</p>\n<h2>Waves</h2>\n{waves}\n<h2>The calibrated point</h2>\n<p class=\"note\">{rule}.</p>\n{best}\n<h2>Method</h2>\n<p>{method}.</p>\n<h2>Provenance</h2>\n{prov}</body></html>\n",
        name = esc(&report.scenario),
        obs = esc(&report.observations),
        seeds = esc(&report.seeds),
        note = report
            .note
            .as_ref()
            .map_or(String::new(), |n| format!(" <em>Note: {}.</em>", esc(n))),
        method = esc(report.method),
        rule = esc(report.best_rule),
        prov = prov.html(),
    )
}

/// The report as text for a terminal: one line per parameter, then the verdict.
pub fn report_text(report: &CalibrationReport) -> String {
    let mut out = String::new();
    for w in &report.waves {
        let _ = writeln!(
            out,
            "wave {}: {} points, {} non-implausible (least largest implausibility {:.2}){}",
            w.wave,
            w.points,
            w.accepted,
            w.best_max_implausibility,
            if w.refocused {
                "; none consistent with the record, next wave around the least implausible"
            } else {
                ""
            }
        );
    }
    for p in &report.parameters {
        let _ = writeln!(
            out,
            "{:<44} prior {} – {}, accepted {} – {}, calibrated {}: {}",
            p.path,
            num(Some(p.prior_p5)),
            num(Some(p.prior_p95)),
            num(p.posterior_low),
            num(p.posterior_high),
            num(Some(p.best)),
            p.verdict
        );
    }
    let _ = writeln!(
        out,
        "{} accepted parameter sets; calibrated point: largest implausibility {:.2}, mean CRPS {:.1} days",
        report.accepted, report.best.max_implausibility, report.best.mean_crps
    );
    if let Some(c) = &report.confirmation {
        let _ = writeln!(
            out,
            "confirmation on seeds {}: the {} best accepted points rescored; calibrated point wave {} point {}",
            c.seeds,
            c.candidates.len(),
            report.best.wave,
            report.best.point
        );
        for p in &c.candidates {
            let _ = writeln!(
                out,
                "  wave {} point {}: mean CRPS {:.1} days on the waves' seeds, {:.1} on the confirmation seeds",
                p.wave, p.point, p.design_mean_crps, p.mean_crps
            );
        }
    }
    if let Some(note) = &report.note {
        let _ = writeln!(out, "Note: {note}.");
    }
    out
}
