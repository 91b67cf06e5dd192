//! Numbers, days and figure names in plain words, the same way everywhere on the page.
//!
//! Thousands are separated with commas as on the charts (`41,000`); a percentage carries a space
//! (`12 %`, a no-break space); a day is a whole day (`day 118`) and, where the start date is known,
//! a date (`day 118 (3 Mar 2017)` in prose, ISO `2017-03-03` in tables).

use crate::calendar::iso_date;
pub(crate) use crate::report::{display_name, seeds_phrase, whole};

/// No-break space: keeps `12 %` and `day 7` on one line.
pub(crate) const NBSP: char = '\u{a0}';

/// A number with at most `decimals` decimals, trailing zeros dropped (`0.62`, `3`, `1,200`).
pub(crate) fn decimal(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "n/a".to_owned();
    }
    if v.abs() >= 1000.0 {
        return whole(v);
    }
    let text = format!("{:.*}", decimals, v.abs());
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text.as_str()
    };
    if v < 0.0 && text != "0" {
        format!("−{text}")
    } else {
        text.to_owned()
    }
}

/// A share as a percentage: one decimal under 10 %, whole percent above (`5.2 %`, `88 %`).
pub(crate) fn pct(share: f64) -> String {
    if !share.is_finite() {
        return "n/a".to_owned();
    }
    let p = share * 100.0;
    let digits = if p.abs() < 10.0 { 1 } else { 0 };
    format!("{}{NBSP}%", decimal(p, digits))
}

/// A signed difference (`+12.3`, `−4`, `0`).
pub(crate) fn signed(v: f64, decimals: usize) -> String {
    let text = decimal(v, decimals);
    if v > 0.0 && text != "0" {
        format!("+{text}")
    } else {
        text
    }
}

/// Day numbers and their calendar dates, when the start date is known.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Calendar {
    /// Days since 1970-01-01 of day 0.
    pub(crate) start_epoch_day: Option<i64>,
}

impl Calendar {
    /// A calendar starting on `YYYY-MM-DD` (no dates when it cannot be read).
    pub(crate) fn from_iso(start: Option<&str>) -> Calendar {
        Calendar {
            start_epoch_day: start.and_then(crate::calendar::parse_iso_date),
        }
    }

    /// The ISO date of `day` (rounded to a whole day).
    pub(crate) fn iso(&self, day: f64) -> Option<String> {
        let start = self.start_epoch_day?;
        day.is_finite()
            .then(|| iso_date(start + day.round() as i64))
    }

    /// `3 Mar 2017` for `day`.
    pub(crate) fn long(&self, day: f64) -> Option<String> {
        let iso = self.iso(day)?;
        let (y, rest) = iso.split_once('-')?;
        let (m, d) = rest.split_once('-')?;
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = MONTHS.get(m.parse::<usize>().ok()?.checked_sub(1)?)?;
        let d = d.trim_start_matches('0');
        Some(format!("{d}{NBSP}{month}{NBSP}{y}"))
    }

    /// `day 118 (3 Mar 2017)`, or `day 118` without a start date.
    pub(crate) fn on_day(&self, day: f64) -> String {
        match self.long(day) {
            Some(date) => format!("day{NBSP}{} ({date})", whole(day)),
            None => format!("day{NBSP}{}", whole(day)),
        }
    }
}

/// How a figure of a sweep or comparison is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FigureKind {
    /// A day (`isolation_day`, `phase_start_Clear`): whole days.
    Day,
    /// A share 0..1 shown as a percentage.
    Share,
    /// An index 0..1 (or a small abstract index): two decimals.
    Index,
    /// A count (fighters, tons, people, villages): whole numbers.
    Count,
}

/// The kind of figure `name`.
pub(crate) fn figure_kind(name: &str) -> FigureKind {
    if name.ends_with("_day") || name.starts_with("phase_start_") {
        FigureKind::Day
    } else if name.ends_with("_share") {
        FigureKind::Share
    } else if name.ends_with("_index") || name.ends_with("_c2") || name.starts_with("civilian_harm")
    {
        FigureKind::Index
    } else {
        FigureKind::Count
    }
}

/// A value of figure `name` in its kind's format.
pub(crate) fn figure_value(name: &str, v: f64) -> String {
    match figure_kind(name) {
        FigureKind::Day => whole(v),
        FigureKind::Share => pct(v),
        FigureKind::Index => decimal(v, 2),
        FigureKind::Count => whole(v),
    }
}

/// A difference of figure `name` (B − A), signed, in its kind's unit.
pub(crate) fn figure_diff(name: &str, v: f64) -> String {
    match figure_kind(name) {
        FigureKind::Day => format!("{}{NBSP}days", signed(v, 1)),
        // Under one point, two decimals, so a significant −0.03 pts does not read as 0.
        FigureKind::Share => {
            let pts = v * 100.0;
            let decimals = if pts.abs() < 1.0 { 2 } else { 1 };
            format!("{}{NBSP}pts", signed(pts, decimals))
        }
        FigureKind::Index => signed(v, 2),
        FigureKind::Count => signed(v, 0),
    }
}

/// A figure name in plain words with its unit: `attacker_losses` → `attacker losses (fighters)`.
pub(crate) fn figure_label(name: &str) -> String {
    if let Some(phase) = name.strip_prefix("phase_start_") {
        return format!("start of phase {} (day)", phase.replace('_', " "));
    }
    match name {
        "isolation_day" => "day the objective is isolated".to_owned(),
        "capture_day" => "day the objective is taken".to_owned(),
        "final_isolation_index" => "isolation index at the end (0–1)".to_owned(),
        "attacker_losses" => "attacker losses (fighters)".to_owned(),
        "defender_losses" => "defender losses (fighters)".to_owned(),
        "attacker_loss_share" => "attacker losses, share of strength".to_owned(),
        "defender_loss_share" => "defender losses, share of strength".to_owned(),
        "escaped_fighters" => "defenders escaped through the back door".to_owned(),
        "reinforced_fighters" => "defender reinforcements sent (fighters)".to_owned(),
        "supply_shortfall_tons" => "supply shortfall (tons)".to_owned(),
        "civilian_harm_index" => "civilian harm index (abstract)".to_owned(),
        "displaced_civilians" => "civilians displaced".to_owned(),
        "civilian_harm_to_capture" => "civilian harm index by the capture (abstract)".to_owned(),
        "displaced_to_capture" => "civilians displaced by the capture".to_owned(),
        "min_defender_c2" => "lowest defender command and control (0–1)".to_owned(),
        "attacker_villages_held" => "villages held by the attacker at the end".to_owned(),
        "defender_villages_held" => "villages held by the defender at the end".to_owned(),
        other => other.replace('_', " "),
    }
}

/// Upper-cases the first letter of a sentence.
pub(crate) fn capitalise(text: &str) -> String {
    display_name(text)
}
