//! The trade-off between two courses of action across every outcome family, in plain words.
//!
//! A bottom line that quotes only the family where B wins misleads: a plan that isolates sooner may
//! cost more of the attacker's own fighters, let more defenders escape and harm more civilians. This
//! module reads the paired figures of a comparison family by family — time (isolation and capture
//! days), own losses, enemy escapes, civilians (harm index and displacement) — and says which way each
//! points for course B, with the mean paired difference, its 95 % interval and each course's median.
//! The terminal verdict of `phaseline compare` and the comparison page's bottom line both use it.
//!
//! Convention: a level (what one course achieves) is a median over the seeds where both courses
//! have the figure; a difference is the mean of the per-seed differences B − A with its Student's
//! t interval (the paired test).

use crate::report::whole;

/// One figure of a comparison as the trade-off reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Paired {
    /// Seeds where both courses have the figure.
    pub n: u64,
    /// A's median over those seeds.
    pub median_a: Option<f64>,
    /// B's median over those seeds.
    pub median_b: Option<f64>,
    /// Mean of the per-seed differences B − A.
    pub mean_diff: Option<f64>,
    /// 95 % interval of that mean, low end.
    pub ci95_low: Option<f64>,
    /// High end.
    pub ci95_high: Option<f64>,
    /// Whether the interval excludes 0.
    pub significant: bool,
    /// Share of all seeds where A has the figure.
    pub reached_share_a: f64,
    /// Share of all seeds where B has the figure.
    pub reached_share_b: f64,
}

/// A family of outcomes a commander weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Family {
    /// When the objective is isolated and taken.
    Time,
    /// The attacker's own losses.
    OwnLosses,
    /// Defenders who escape through the back door.
    EnemyEscapes,
    /// Civilian harm and displacement.
    Civilians,
}

impl Family {
    /// Every family, in the order a briefing speaks of them.
    pub const ALL: [Family; 4] = [
        Family::Time,
        Family::OwnLosses,
        Family::EnemyEscapes,
        Family::Civilians,
    ];

    /// The family in words (`own losses`).
    pub fn name(self) -> &'static str {
        match self {
            Family::Time => "time",
            Family::OwnLosses => "own losses",
            Family::EnemyEscapes => "enemy escapes",
            Family::Civilians => "civilians",
        }
    }

    /// The `comparison.json` figures that make up the family (lower is better for each).
    pub fn figures(self) -> &'static [&'static str] {
        match self {
            Family::Time => &["isolation_day", "capture_day"],
            Family::OwnLosses => &["attacker_losses"],
            Family::EnemyEscapes => &["escaped_fighters"],
            Family::Civilians => &["civilian_harm_index", "displaced_civilians"],
        }
    }
}

/// Which way a family points for course B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lean {
    /// Every significant difference favours B.
    Better,
    /// Every significant difference goes against B.
    Worse,
    /// Significant differences both ways.
    Mixed,
    /// No significant difference.
    Same,
    /// Not in the comparison, or too few seeds.
    Unknown,
}

/// One family's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyVerdict {
    /// The family.
    pub family: Family,
    /// Which way it points for B.
    pub lean: Lean,
    /// The sentence saying so, with the numbers.
    pub sentence: String,
}

/// The trade-off over every family.
#[derive(Debug, Clone, PartialEq)]
pub struct Tradeoff {
    /// One sentence: where B is better, where worse, where no different.
    pub summary: String,
    /// One verdict per family, in [`Family::ALL`] order.
    pub families: Vec<FamilyVerdict>,
}

impl Tradeoff {
    /// The summary and every family's sentence, one per line.
    pub fn text(&self) -> String {
        let mut out = self.summary.clone();
        for f in &self.families {
            out.push('\n');
            out.push_str(&f.sentence);
        }
        out
    }
}

/// What the sentences call the two courses and the objective.
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    /// Course A, e.g. `A (raqqa)`.
    pub a: &'a str,
    /// Course B.
    pub b: &'a str,
    /// The objective's name.
    pub objective: &'a str,
}

/// The trade-off of B against A; `figure` gives the paired statistics of a figure by name.
pub fn tradeoff(figure: &dyn Fn(&str) -> Option<Paired>, names: Names<'_>) -> Tradeoff {
    let families: Vec<FamilyVerdict> = Family::ALL
        .iter()
        .map(|&family| family_verdict(family, figure, names))
        .collect();
    Tradeoff {
        summary: summary(&families, names),
        families,
    }
}

/// One decimal, trailing zero dropped; thousands separated from 1,000 up.
fn one_decimal(v: f64) -> String {
    if v.abs() >= 1000.0 {
        return whole(v);
    }
    let text = format!("{:.1}", v.abs());
    let text = text.strip_suffix(".0").unwrap_or(&text).to_owned();
    if v < 0.0 && text != "0" {
        format!("−{text}")
    } else {
        text
    }
}

/// A signed difference (`+700`, `−12.6`) of a count (whole) or of days (one decimal).
fn signed(v: f64, days: bool) -> String {
    let text = if days { one_decimal(v) } else { whole(v) };
    if v > 0.0 && !text.starts_with('0') {
        format!("+{text}")
    } else {
        text
    }
}

/// A level of a figure (median): whole for counts and days, two decimals for an index (as the
/// briefing's tables give them).
fn level(name: &str, v: f64) -> String {
    if (name.ends_with("_index") || name.starts_with("civilian_harm")) && v.abs() < 1000.0 {
        let text = format!("{v:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        whole(v)
    }
}

/// The words for one figure: (what B does when lower, when higher, what the figure is).
fn words(name: &str, objective: &str) -> (String, String, String) {
    let pair = |lo: &str, hi: &str, what: &str| (lo.to_owned(), hi.to_owned(), what.to_owned());
    match name {
        "isolation_day" => pair(
            &format!("isolates {objective} {{}} days sooner"),
            &format!("isolates {objective} {{}} days later"),
            &format!("when {objective} is isolated"),
        ),
        "capture_day" => pair(
            &format!("takes {objective} {{}} days sooner"),
            &format!("takes {objective} {{}} days later"),
            &format!("when {objective} is taken"),
        ),
        "attacker_losses" => pair(
            "costs the attacker {} fewer fighters",
            "costs the attacker {} more fighters",
            "the attacker's losses",
        ),
        "escaped_fighters" => pair(
            "lets {} fewer defenders escape",
            "lets {} more defenders escape",
            "defenders escaping",
        ),
        "civilian_harm_index" => pair(
            "lowers the civilian harm index by {}",
            "raises the civilian harm index by {}",
            "civilian harm",
        ),
        "displaced_civilians" => pair(
            "displaces {} fewer people",
            "displaces {} more people",
            "civilians displaced",
        ),
        other => pair(
            &format!("lowers {other} by {{}}"),
            &format!("raises {other} by {{}}"),
            other,
        ),
    }
}

/// One figure's clause and which way it points for B (`None`: not significant or unknown).
fn clause(name: &str, p: Option<Paired>, objective: &str) -> (String, Option<bool>, bool) {
    let (lower, higher, what) = words(name, objective);
    let days = name.ends_with("_day");
    let unit = if days { " days" } else { "" };
    let Some(p) = p else {
        return (format!("{what}: not in both courses"), None, false);
    };
    let reach = if days && (p.reached_share_a < 1.0 || p.reached_share_b < 1.0) {
        format!(
            "; reached in {} of seeds with A, {} with B",
            pct(p.reached_share_a),
            pct(p.reached_share_b)
        )
    } else {
        String::new()
    };
    let (Some(m), Some(lo), Some(hi)) = (p.mean_diff, p.ci95_low, p.ci95_high) else {
        return (
            format!("{what}: too few seeds to compare ({} paired{reach})", p.n),
            None,
            false,
        );
    };
    let medians = match (p.median_a, p.median_b) {
        (Some(a), Some(b)) => format!("; median {} → {}", level(name, a), level(name, b)),
        _ => String::new(),
    };
    if !p.significant {
        let text = format!(
            "no significant difference in {what} (B − A {}{unit}, 95 % CI {} to {}{unit}{medians}{reach})",
            signed(m, days),
            signed(lo, days),
            signed(hi, days)
        );
        return (text, None, true);
    }
    // The size of the difference and its interval, both as positive amounts in the verb's sense.
    let (size, lo, hi) = if m < 0.0 { (-m, -hi, -lo) } else { (m, lo, hi) };
    let amount = |v: f64| if days { one_decimal(v) } else { whole(v) };
    let verb = if m < 0.0 { lower } else { higher };
    let text = format!(
        "{} on average (95 % CI {} to {}{unit}{medians}{reach})",
        verb.replace("{}", &amount(size)),
        amount(lo),
        amount(hi)
    );
    (text, Some(m < 0.0), true)
}

/// The verdict of one family.
fn family_verdict(
    family: Family,
    figure: &dyn Fn(&str) -> Option<Paired>,
    names: Names<'_>,
) -> FamilyVerdict {
    let clauses: Vec<(String, Option<bool>, bool)> = family
        .figures()
        .iter()
        .map(|name| clause(name, figure(name), names.objective))
        .collect();
    let better = clauses.iter().any(|c| c.1 == Some(true));
    let worse = clauses.iter().any(|c| c.1 == Some(false));
    let known = clauses.iter().any(|c| c.2);
    let lean = match (better, worse) {
        (true, true) => Lean::Mixed,
        (true, false) => Lean::Better,
        (false, true) => Lean::Worse,
        (false, false) if known => Lean::Same,
        _ => Lean::Unknown,
    };
    let mut subject = names.b;
    let body: Vec<String> = clauses
        .iter()
        .map(|(text, lean, _)| match lean {
            Some(_) => {
                let out = format!("{subject} {text}");
                subject = "it";
                out
            }
            None => text.clone(),
        })
        .collect();
    FamilyVerdict {
        family,
        lean,
        sentence: format!(
            "{}: {}.",
            crate::report::display_name(family.name()),
            body.join("; ")
        ),
    }
}

/// "time, own losses and civilians".
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The one-sentence trade-off.
fn summary(families: &[FamilyVerdict], names: Names<'_>) -> String {
    let with = |lean: Lean| -> Vec<&str> {
        families
            .iter()
            .filter(|f| f.lean == lean)
            .map(|f| f.family.name())
            .collect()
    };
    let mut parts = Vec::new();
    for (lean, words) in [
        (Lean::Better, "better on"),
        (Lean::Worse, "worse on"),
        (Lean::Mixed, "mixed on"),
        (Lean::Same, "no different on"),
    ] {
        let items = with(lean);
        if !items.is_empty() {
            parts.push(format!("{words} {}", list(&items)));
        }
    }
    let unknown = with(Lean::Unknown);
    let tail = if unknown.is_empty() {
        String::new()
    } else {
        format!(" ({} cannot be compared)", list(&unknown))
    };
    if parts.is_empty() {
        return format!(
            "Trade-off: nothing to compare between {} and {}{tail}.",
            names.a, names.b
        );
    }
    format!(
        "Trade-off: against {}, {} is {}{tail}.",
        names.a,
        names.b,
        list(&parts.iter().map(String::as_str).collect::<Vec<_>>())
    )
}

/// A share as a whole percentage (`88 %`).
fn pct(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(median_a: f64, median_b: f64, diff: f64) -> Paired {
        Paired {
            n: 100,
            median_a: Some(median_a),
            median_b: Some(median_b),
            mean_diff: Some(diff),
            ci95_low: Some(diff * 0.9),
            ci95_high: Some(diff * 1.1),
            significant: true,
            reached_share_a: 1.0,
            reached_share_b: 1.0,
        }
    }

    fn same() -> Paired {
        Paired {
            n: 100,
            median_a: Some(5.0),
            median_b: Some(5.0),
            mean_diff: Some(0.1),
            ci95_low: Some(-1.0),
            ci95_high: Some(1.2),
            significant: false,
            reached_share_a: 1.0,
            reached_share_b: 1.0,
        }
    }

    const NAMES: Names<'static> = Names {
        a: "A (raqqa)",
        b: "B (air-first)",
        objective: "Raqqa",
    };

    #[test]
    fn a_faster_plan_that_costs_more_says_so_in_every_family() {
        let figure = |name: &str| match name {
            "isolation_day" => Some(sig(64.0, 53.0, -11.0)),
            "capture_day" => Some(sig(152.0, 141.0, -10.7)),
            "attacker_losses" => Some(sig(2417.0, 3353.0, 936.0)),
            "escaped_fighters" => Some(sig(0.0, 70.0, 72.0)),
            "civilian_harm_index" => Some(sig(101.9, 253.9, 152.0)),
            "displaced_civilians" => Some(sig(122_207.0, 145_347.0, 23_139.0)),
            _ => None,
        };
        let t = tradeoff(&figure, NAMES);
        assert_eq!(
            t.summary,
            "Trade-off: against A (raqqa), B (air-first) is better on time and worse on own \
             losses, enemy escapes and civilians."
        );
        let text = t.text();
        for needle in [
            "isolates Raqqa 11 days sooner",
            "takes Raqqa 10.7 days sooner",
            "costs the attacker 936 more fighters",
            "lets 72 more defenders escape",
            "raises the civilian harm index by 152",
            "displaces 23,139 more people",
            "median 101.9 → 253.9",
        ] {
            assert!(text.contains(needle), "{needle} missing from {text}");
        }
    }

    #[test]
    fn families_without_a_significant_difference_are_named_as_such() {
        let figure = |name: &str| match name {
            "capture_day" => None,
            "isolation_day" => Some(sig(60.0, 70.0, 10.0)),
            _ => Some(same()),
        };
        let t = tradeoff(&figure, NAMES);
        assert_eq!(t.families[0].lean, Lean::Worse);
        assert_eq!(t.families[1].lean, Lean::Same);
        assert!(
            t.summary.contains(
                "worse on time and no different on own losses, enemy escapes and civilians"
            ),
            "{}",
            t.summary
        );
        assert!(
            t.families[1]
                .sentence
                .starts_with("Own losses: no significant difference")
        );
    }
}
