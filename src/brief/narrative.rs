//! The after-action narrative of a run, from `events.csv`: phase changes, isolation, capture,
//! settlements taken or lost, route cuts and injects, each with its day and date, in the order the
//! simulation logged them. Route cuts join the line of the settlement taken or lost that day (they
//! follow from it), or share one line per day otherwise. The daily `strike` rows and the
//! unit-level events (withdrawals, surrenders, garrisons…) are not listed one by one: a closing line
//! counts them.

use std::path::Path;

use super::error::BriefError;
use super::files::{Snapshots, Table};
use super::html::{Cell, Row, table};
use super::words::{capitalise, whole};
use maud::{Markup, html};

/// At most this many lines are listed; the rest are counted.
const MAX_LINES: usize = 150;

/// One line of the narrative.
struct Line {
    day: String,
    date: String,
    text: String,
    milestone: bool,
    /// Route cuts of this line (grouped per day).
    cuts: Vec<String>,
    /// A settlement taken or lost: route cuts of the same day join this line.
    takes_cuts: bool,
}

/// Kinds counted rather than listed, with their plural in words, in this order.
const COUNTED: [(&str, &str, &str); 9] = [
    (
        "withdraw",
        "withdrawal of a broken unit",
        "withdrawals of broken units",
    ),
    ("surrender", "surrender", "surrenders"),
    (
        "unit_destroyed",
        "unit destroyed or dispersed",
        "units destroyed or dispersed",
    ),
    (
        "escape",
        "escape through the back door",
        "escapes through the back door",
    ),
    (
        "reinforce",
        "reinforcement sent by the defender",
        "reinforcements sent by the defender",
    ),
    ("garrison", "garrison posted", "garrisons posted"),
    (
        "route_open",
        "route opened or reopened",
        "routes opened or reopened",
    ),
    (
        "route_interdicted",
        "route interdicted for a day",
        "routes interdicted for a day",
    ),
    ("other", "other event", "other events"),
];

/// Sums `N sorties` and every `(k effective)` in a strike row's detail.
fn sorties(detail: &str) -> (f64, f64) {
    let flown = detail
        .split_once(" sorties")
        .and_then(|(n, _)| n.trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    let effective = detail
        .split('(')
        .skip(1)
        .filter_map(|part| part.split_once(" effective)"))
        .filter_map(|(n, _)| n.trim().parse::<f64>().ok())
        .sum();
    (flown, effective)
}

/// What an inject row says, in words.
fn inject_text(subject: &str, detail: &str, names: &Snapshots) -> String {
    match detail {
        "route cut" | "route reopened" => {
            let verb = detail.trim_start_matches("route ");
            format!("Inject: route {} {verb}", names.route_name(subject))
        }
        "depot destroyed" => format!("Inject: depot {subject} destroyed"),
        _ if subject == "air" => format!("Inject: air {detail}"),
        _ => format!("Inject: {subject}: {detail}"),
    }
}

/// The narrative section's body: an introduction, the table of events and the closing count.
pub(crate) fn narrative(dir: &Path, names: &Snapshots) -> Result<Markup, BriefError> {
    let events = Table::read(&dir.join("events.csv"))?;
    let [day_c, date_c, kind_c, subject_c, detail_c] =
        ["day", "date", "kind", "subject", "detail"].map(|n| events.index(n));
    let (day_c, date_c, kind_c, subject_c, detail_c) =
        (day_c?, date_c?, kind_c?, subject_c?, detail_c?);
    let objectives: Vec<&str> = names
        .settlements
        .iter()
        .filter(|s| s.objective)
        .map(|s| s.id.as_str())
        .collect();
    let mut lines: Vec<Line> = Vec::new();
    let mut counts = [0usize; COUNTED.len()];
    let (mut strike_days, mut flown, mut effective) = (0usize, 0.0, 0.0);
    // Whether the primary objective has fallen: a phase that begins after it is no milestone on
    // the road to it.
    let mut taken = false;
    for row in &events.rows {
        let cell = |c| events.cell(row, c).to_owned();
        let (day, date, kind, subject, detail) = (
            cell(day_c),
            cell(date_c),
            cell(kind_c),
            cell(subject_c),
            cell(detail_c),
        );
        let mut push = |text: String, milestone: bool| {
            lines.push(Line {
                day: day.clone(),
                date: date.clone(),
                takes_cuts: matches!(kind.as_str(), "control" | "infiltration"),
                text,
                milestone,
                cuts: Vec::new(),
            });
        };
        match kind.as_str() {
            "phase" if taken => push(
                format!("Phase {subject} begins, with the objective already taken"),
                false,
            ),
            "phase" => push(format!("Phase {subject} begins"), true),
            "isolation" => push(capitalise(&detail), detail.contains("is isolated")),
            "capture" => {
                taken = true;
                push(capitalise(&detail), true)
            }
            "control" => push(capitalise(&detail), objectives.contains(&subject.as_str())),
            "infiltration" => push(capitalise(&detail), false),
            "inject" => push(inject_text(&subject, &detail, names), true),
            "route" if detail.ends_with("now cut") => {
                let route = names.route_name(&subject);
                match lines.last_mut() {
                    Some(last) if last.day == day && (last.takes_cuts || last.text.is_empty()) => {
                        last.cuts.push(route)
                    }
                    _ => lines.push(Line {
                        day: day.clone(),
                        date: date.clone(),
                        text: String::new(),
                        milestone: false,
                        cuts: vec![route],
                        takes_cuts: false,
                    }),
                }
            }
            "strike" => {
                strike_days += 1;
                let (f, e) = sorties(&detail);
                flown += f;
                effective += e;
            }
            other => {
                let key = match other {
                    "route" if detail.ends_with("now open") => "route_open",
                    "route" => "route_interdicted",
                    k => k,
                };
                let i = COUNTED
                    .iter()
                    .position(|(k, _, _)| *k == key)
                    .unwrap_or(COUNTED.len() - 1);
                counts[i] += 1;
            }
        }
    }
    let total = lines.len();
    let rows: Vec<Row> = lines
        .iter()
        .take(MAX_LINES)
        .map(|l| {
            let cuts = match l.cuts.len() {
                0 => String::new(),
                1 => format!("route cut: {}", l.cuts[0]),
                _ => format!("routes cut: {}", l.cuts.join("; ")),
            };
            let text = match (l.text.is_empty(), cuts.is_empty()) {
                (_, true) => l.text.clone(),
                (true, false) => capitalise(&cuts),
                (false, false) => format!("{} — {cuts}", l.text),
            };
            Row {
                cells: vec![
                    Cell::Num(l.day.clone()),
                    Cell::Nowrap(l.date.clone()),
                    Cell::Text(text),
                ],
                strong: l.milestone,
            }
        })
        .collect();
    let head = html! {
        p {
            "What happened, in the order the simulation logged it (from " code { "events.csv" } "). \
             Milestones — phase changes, isolation, capture, the objective changing hands, injects \
             — are in bold."
        }
        @if rows.is_empty() {
            p { "No phase changes, control changes, route cuts or injects were logged." }
        } @else {
            (table(
                "narrative",
                "Events by day",
                &["Day", "Date", "What happened"],
                &rows,
                false,
            ))
        }
        @if total > MAX_LINES {
            p.note {
                "… and " (total - MAX_LINES) " more lines of the same kinds: see "
                code { "events.csv" } "."
            }
        }
    };
    let mut counted: Vec<String> = Vec::new();
    if strike_days > 0 {
        counted.push(format!(
            "air strikes on {} day{} ({} sorties, {} with effect)",
            whole(strike_days as f64),
            if strike_days == 1 { "" } else { "s" },
            whole(flown),
            whole(effective)
        ));
    }
    for (i, (_, one, many)) in COUNTED.iter().enumerate() {
        match counts[i] {
            0 => {}
            1 => counted.push(format!("1 {one}")),
            n => counted.push(format!("{} {many}", whole(n as f64))),
        }
    }
    Ok(html! {
        (head)
        @if !counted.is_empty() {
            p.note { "Not listed line by line: " (counted.join("; ")) "." }
        }
    })
}

/// The injects of a run (day, words), for the timeline.
pub(crate) fn injects(dir: &Path, names: &Snapshots) -> Result<Vec<(f64, String)>, BriefError> {
    let events = Table::read(&dir.join("events.csv"))?;
    let (day_c, kind_c, subject_c, detail_c) = (
        events.index("day")?,
        events.index("kind")?,
        events.index("subject")?,
        events.index("detail")?,
    );
    let mut out = Vec::new();
    for (i, row) in events.rows.iter().enumerate() {
        if events.cell(row, kind_c) == "inject" {
            let day = events.number(i, row, day_c)?;
            let text = inject_text(
                events.cell(row, subject_c),
                events.cell(row, detail_c),
                names,
            );
            out.push((day, text.replacen("Inject: ", "inject: ", 1)));
        }
    }
    Ok(out)
}
