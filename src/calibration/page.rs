//! The backtest's files: the milestone values of every run, the table (CSV and JSON), the
//! milestone fan chart with the historical marks (SVG) and the briefing page.
//!
//! Everything here is a function of the results and the inputs' hashes, never of the command
//! line or the clock, so the same seeds give the same bytes (`manifest.json`, written by the
//! command line, is the one file that records how they were made).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::backtest::BacktestTable;
use super::observed::Observations;
use crate::ensemble::{EnsembleError, SeedResult, csv_bytes, json_bytes, write_atomic};
use crate::scenario::LoadedScenario;

/// What produced a page: files and their SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    /// `(label, file, sha256)` of each input.
    pub inputs: Vec<(String, String, String)>,
}

impl Provenance {
    /// The scenario, its doctrine and the observations.
    pub fn of(loaded: &LoadedScenario, obs: Option<&Observations>) -> Provenance {
        let mut inputs = vec![(
            "Scenario".to_owned(),
            loaded.path.display().to_string(),
            loaded.sha256.clone(),
        )];
        if let Some(d) = &loaded.doctrine {
            inputs.push((
                "Doctrine".to_owned(),
                d.path.display().to_string(),
                d.sha256.clone(),
            ));
        }
        if let Some(o) = obs {
            inputs.push((
                "Observations".to_owned(),
                o.path.display().to_string(),
                o.sha256.clone(),
            ));
        }
        Provenance { inputs }
    }

    /// The provenance as HTML.
    pub fn html(&self) -> String {
        let mut out = String::from("<dl class=\"provenance\">\n");
        for (label, file, sha) in &self.inputs {
            let _ = writeln!(
                out,
                "<dt>{}</dt><dd><code>{}</code> — SHA-256 <code>{}</code></dd>",
                esc(label),
                esc(file),
                esc(sha)
            );
        }
        let _ = writeln!(
            out,
            "<dt>Engine</dt><dd>phaseline {}</dd>\n</dl>",
            env!("CARGO_PKG_VERSION")
        );
        out
    }

    /// A short stamp for charts: the first input's file name and hash prefix.
    pub fn stamp(&self) -> String {
        self.inputs
            .iter()
            .map(|(l, _, sha)| format!("{l} {}", &sha[..sha.len().min(12)]))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// HTML-escapes text.
pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number as a table shows it: days to 0.1, shares to 0.001; `—` for none.
pub fn num(v: Option<f64>) -> String {
    match v {
        None => "—".to_owned(),
        Some(x) if x.abs() >= 10.0 => format!("{x:.1}"),
        Some(x) => format!("{x:.3}"),
    }
}

fn cell(v: Option<f64>) -> String {
    v.map_or_else(String::new, |x| format!("{x}"))
}

/// Writes the backtest's files into `dir`; returns their paths.
pub fn write_backtest(
    dir: &Path,
    table: &BacktestTable,
    results: &[SeedResult],
    figures: &[String],
    prov: &Provenance,
) -> Result<Vec<PathBuf>, EnsembleError> {
    let mut written = Vec::new();
    let path = dir.join("milestones.csv");
    let header: Vec<String> = std::iter::once("seed".to_owned())
        .chain(figures.iter().cloned())
        .collect();
    let rows = results
        .iter()
        .map(|r| std::iter::once(r.seed.to_string()).chain(r.figures.iter().map(|v| cell(*v))));
    write_atomic(&path, &csv_bytes(&header, rows, &path)?)?;
    written.push(path);

    let path = dir.join("backtest.csv");
    let header: Vec<String> = [
        "milestone",
        "observed",
        "plus_minus",
        "runs",
        "reached",
        "p5",
        "p50",
        "p95",
        "inside",
        "median_error",
        "crps",
        "interval_score_90",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let rows = table.milestones.iter().map(|m| {
        vec![
            m.id.clone(),
            format!("{}", m.observed),
            format!("{}", m.plus_minus),
            m.runs.to_string(),
            m.reached.to_string(),
            cell(m.p5),
            cell(m.p50),
            cell(m.p95),
            u8::from(m.inside).to_string(),
            cell(m.median_error),
            cell(m.crps),
            cell(m.interval_score_90),
        ]
    });
    write_atomic(&path, &csv_bytes(&header, rows, &path)?)?;
    written.push(path);

    let path = dir.join("backtest.json");
    write_atomic(&path, &json_bytes(table, &path)?)?;
    written.push(path);

    let svg = fan_svg(table, prov);
    let path = dir.join("fan_milestones.svg");
    write_atomic(&path, svg.as_bytes())?;
    written.push(path);

    let path = dir.join("briefing.html");
    write_atomic(&path, backtest_page(table, &svg, prov).as_bytes())?;
    written.push(path);
    Ok(written)
}

/// The milestone fan chart: per day milestone, the ensemble's 5–95 % band (grey), its median
/// (black) and the historical day (red diamond, with its ± as a whisker).
pub fn fan_svg(table: &BacktestTable, prov: &Provenance) -> String {
    let days: Vec<_> = table.milestones.iter().filter(|m| m.is_day).collect();
    let (left, width, row_h, top) = (230.0, 560.0, 34.0, 56.0);
    let height = top + row_h * days.len() as f64 + 50.0;
    let max_day = days
        .iter()
        .map(|m| m.observed + m.plus_minus)
        .fold(table.censor_day, f64::max);
    let x = |d: f64| left + width * (d / max_day).clamp(0.0, 1.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" font-family=\"sans-serif\" font-size=\"12\">",
        w = left + width + 30.0
    );
    let _ = writeln!(
        s,
        "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{} against {}: milestone days, 5–95 % of seeds {}</text>",
        esc(&table.scenario),
        esc(&table.observations),
        esc(&table.seeds)
    );
    let _ = writeln!(
        s,
        "<text x=\"10\" y=\"38\" fill=\"#555\">grey: 5–95 % of runs (arrow: not reached by the end) · black: median · red ◆: the record (± its uncertainty) · {}</text>",
        esc(&prov.stamp())
    );
    for (i, m) in days.iter().enumerate() {
        let y = top + row_h * i as f64 + row_h / 2.0;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + 4.0,
            esc(&m.label.chars().take(34).collect::<String>())
        );
        let lo = m.p5.unwrap_or(table.censor_day);
        let hi = m.p95.unwrap_or(table.censor_day);
        let _ = writeln!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"#bbb\"/>",
            x(lo),
            y - 6.0,
            (x(hi) - x(lo)).max(1.0)
        );
        if m.p95.is_none() {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{}\" fill=\"#777\">→</text>",
                x(hi) + 2.0,
                y + 4.0
            );
        }
        if let Some(p50) = m.p50 {
            let _ = writeln!(
                s,
                "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#000\" stroke-width=\"2\"/>",
                x(p50),
                y - 8.0,
                y + 8.0
            );
        }
        let (ox, a, b) = (
            x(m.observed),
            x(m.observed - m.plus_minus),
            x(m.observed + m.plus_minus),
        );
        let _ = writeln!(
            s,
            "<line x1=\"{a}\" x2=\"{b}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#c00\" stroke-width=\"1.5\"/>\n<path d=\"M {ox} {} L {} {y} L {ox} {} L {} {y} Z\" fill=\"#c00\"/>",
            y - 6.0,
            ox + 6.0,
            y + 6.0,
            ox - 6.0
        );
    }
    let axis_y = top + row_h * days.len() as f64 + 10.0;
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" x2=\"{}\" y1=\"{axis_y}\" y2=\"{axis_y}\" stroke=\"#000\"/>",
        left + width
    );
    let step = if max_day > 400.0 { 100.0 } else { 50.0 };
    let mut d = 0.0;
    while d <= max_day {
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{d}</text>",
            x(d),
            axis_y + 16.0
        );
        d += step;
    }
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">campaign day</text>\n</svg>",
        left + width / 2.0,
        axis_y + 34.0
    );
    s
}

/// The backtest table as an HTML table.
pub fn table_html(table: &BacktestTable) -> String {
    let mut s = String::from(
        "<table>\n<tr><th>milestone</th><th>observed</th><th>p5</th><th>median</th><th>p95</th><th>inside</th><th>median error</th><th>CRPS</th><th>interval score (90 %)</th><th>reached</th></tr>\n",
    );
    for m in &table.milestones {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{} ± {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}/{}</td></tr>",
            esc(&m.label),
            num(Some(m.observed)),
            num(Some(m.plus_minus)),
            num(m.p5),
            num(m.p50),
            num(m.p95),
            if m.inside { "yes" } else { "no" },
            m.median_error
                .map_or("—".to_owned(), |e| format!("{:+.0} %", e * 100.0)),
            num(m.crps),
            num(m.interval_score_90),
            m.reached,
            m.runs
        );
    }
    s.push_str("</table>\n");
    s
}

const STYLE: &str = "body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child{text-align:left}.note{color:#555}";

/// The backtest briefing page.
pub fn backtest_page(table: &BacktestTable, svg: &str, prov: &Provenance) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Backtest: {name}</title><style>{STYLE}</style></head><body>\n<h1>Backtest: {name} against {obs}</h1>\n<p><strong>{line}</strong> (seeds {seeds}).</p>\n<h2>Milestones</h2>\n{table}\n<p class=\"note\">The band is the 5–95 % range of the runs (R's type 7, a run that never reached a day ranks after every day that did; a percentile among those is \"—\", after the end). Median error is (median − observed) ÷ observed. CRPS (days) and the 90 % interval score are proper scores: lower is better, a wide band is penalised by its width and a miss by its distance (Gneiting &amp; Raftery 2007); a run that never reached a day counts as day {censor} in them.</p>\n<h2>Fan chart with the historical marks</h2>\n{svg}\n<h2>Provenance</h2>\n{prov}</body></html>\n",
        name = esc(&table.scenario),
        obs = esc(&table.observations),
        line = esc(&table.summary_line()),
        seeds = esc(&table.seeds),
        table = table_html(table),
        censor = table.censor_day,
        prov = prov.html(),
    )
}
