//! The bottom line of a farm page in plain words, built from `sensitivity.json` only: for each
//! headline outcome (the isolation and capture days when the farm has them, else its first
//! outcome) which factor drives it most and which way, what comes next, how much the factors
//! explain together, and the runs where the event never came; then the factors with no clear effect.
//!
//! A factor "drives" an outcome only when the 95 % interval of its coefficient excludes 0; one
//! whose interval includes 0 is named as having "no clear effect".

use super::super::words::{NBSP, decimal, pct};
use super::sensitivity::{OutcomeWords, Scale, coef, estimate_words, r_squared};
use crate::farm::report::CORRELATION_TARGET;
use crate::farm::sensitivity_file::{FactorSummary, OutcomeSummary, SensitivityFile};

/// The outcomes the bottom line speaks of: `isolation_day` and `capture_day` when present, else the
/// first outcome.
pub(crate) fn headline(s: &SensitivityFile) -> Vec<&OutcomeSummary> {
    let named: Vec<&OutcomeSummary> = s
        .outcomes
        .iter()
        .filter(|o| o.outcome == "isolation_day" || o.outcome == "capture_day")
        .collect();
    if named.is_empty() {
        s.outcomes.iter().take(1).collect()
    } else {
        named
    }
}

/// The bottom line's paragraphs: one per headline outcome, then the factors with no clear effect,
/// then a caution when the design's factors correlate above the target.
pub(crate) fn paragraphs(s: &SensitivityFile, objective: &str) -> Vec<String> {
    let heads = headline(s);
    let mut out: Vec<String> = heads
        .iter()
        .enumerate()
        .map(|(i, o)| outcome_paragraph(o, s, objective, i == 0))
        .collect();
    if out.is_empty() {
        out.push("sensitivity.json holds no outcome, so there is nothing to rank.".to_owned());
    }
    out.extend(no_clear_effect(&heads, &s.factors));
    out.extend(design_caution(s));
    out
}

/// What drives one outcome, how much the factors explain (with what the rest is, when `first`),
/// and its censored runs.
fn outcome_paragraph(
    o: &OutcomeSummary,
    s: &SensitivityFile,
    objective: &str,
    first: bool,
) -> String {
    let mut parts = vec![drives(o, &s.factors, objective)];
    parts.extend(explained(o, s.factors.len(), first));
    parts.extend(censored(o, s, objective));
    parts.join(" ")
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `delays isolation most`, `lowers defender losses most`, … for the factor that drives it.
fn predicate(o: &OutcomeSummary, positive: bool) -> String {
    let (event, what) = (o.event(), o.what());
    match (o.scale(), positive) {
        (Scale::Day, true) => format!("delays {event} most"),
        (Scale::Day, false) => format!("brings {event} forward most"),
        (Scale::Reached, true) => format!("does most to make {event} happen at all"),
        (Scale::Reached, false) => format!("does most to keep {event} from happening at all"),
        (Scale::Amount, true) => format!("raises {what} most"),
        (Scale::Amount, false) => format!("lowers {what} most"),
    }
}

/// What a run did when the outcome has a value: `isolated Alpha`, `took Alpha`, `reached phase
/// Clear`, `had a value`.
fn reached_phrase(o: &OutcomeSummary, objective: &str) -> String {
    match o.column.as_str() {
        "isolation_day" => format!("isolated {objective}"),
        "capture_day" => format!("took {objective}"),
        _ if o.scale() == Scale::Amount => "had a value".to_owned(),
        _ => format!("reached {}", o.event()),
    }
}

/// "Raising X (path) from a to b delays isolation most (SRRC …); next come Y (…) and Z (…)." — or
/// why no factor can be named.
fn drives(o: &OutcomeSummary, factors: &[FactorSummary], objective: &str) -> String {
    let ranked = o.ranked_estimates(factors);
    let Some((top, Some(est))) = ranked.first().copied() else {
        if o.runs > 0 && o.censored == o.runs {
            return format!(
                "None of the {} runs {}, so nothing can be said of what drives {}.",
                o.runs,
                reached_phrase(o, objective),
                o.what()
            );
        }
        let why = o
            .note
            .clone()
            .unwrap_or_else(|| "sensitivity.json gives no coefficients".to_owned());
        return format!("Nothing can be said of what drives {}: {why}.", o.what());
    };
    if !est.is_clear() {
        return format!(
            "No factor clearly drives {}: even the largest effect, {}'s ({}), could be chance.",
            o.what(),
            top.name,
            estimate_words(&est)
        );
    }
    let path = if top.path.is_empty() {
        String::new()
    } else {
        format!(" ({})", top.path)
    };
    let mut text = format!(
        "Raising {}{path} from {} to {} {} ({})",
        top.name,
        super::sensitivity::factor_value(top.low, top.integer),
        super::sensitivity::factor_value(top.high, top.integer),
        predicate(o, est.coefficient > 0.0),
        estimate_words(&est)
    );
    let next: Vec<String> = ranked
        .iter()
        .skip(1)
        .filter_map(|(f, e)| e.filter(|e| e.is_clear()).map(|e| (f, e)))
        .take(2)
        .map(|(f, e)| {
            format!(
                "{} ({}, {})",
                f.name,
                coef(e.coefficient),
                o.direction(e.coefficient > 0.0)
            )
        })
        .collect();
    if !next.is_empty() {
        text.push_str(&format!("; next come {}", and_list(&next)));
    }
    text.push('.');
    text
}

/// "Together the 11 factors explain 87 % of how the runs rank on it (R² 0.87)", and with `rest`
/// "; the rest is chance and interactions".
fn explained(o: &OutcomeSummary, factors: usize, rest: bool) -> Option<String> {
    let r2 = o.r_squared.filter(|r| r.is_finite())?;
    let rest = if rest {
        "; the rest is chance and interactions"
    } else {
        ""
    };
    Some(format!(
        "Together the {factors} factors explain {} of how the runs rank on it (R²{NBSP}{}){rest}.",
        pct(r2),
        r_squared(r2)
    ))
}

/// "12 of 330 runs never isolated Raqqa: they rank after every day observed; raising X does most
/// to make isolation happen at all (SRRC …)." Nothing when no run, or every run, is censored (the
/// latter is said by [`drives`]).
fn censored(o: &OutcomeSummary, s: &SensitivityFile, objective: &str) -> Option<String> {
    if o.censored == 0 || o.censored >= o.runs {
        return None;
    }
    let after = if o.scale() == Scale::Day {
        "day"
    } else {
        "value"
    };
    let mut text = format!(
        "{} of {} runs never {}: they rank after every {after} observed",
        o.censored,
        o.runs,
        reached_phrase(o, objective)
    );
    let reached = s
        .outcomes
        .iter()
        .find(|r| r.scale() == Scale::Reached && r.column == o.column);
    if let Some(r) = reached
        && let Some((f, Some(e))) = r.ranked_estimates(&s.factors).first().copied()
        && e.is_clear()
    {
        text.push_str(&format!(
            "; raising {} {} ({})",
            f.name,
            predicate(r, e.coefficient > 0.0),
            estimate_words(&e)
        ));
    }
    text.push('.');
    Some(text)
}

/// How an outcome is named in a list: `isolation`, `defender losses`.
fn short(o: &OutcomeSummary) -> String {
    match o.scale() {
        Scale::Day => o.event(),
        _ => o.what(),
    }
}

/// "No clear effect (95 % interval includes 0) on isolation: a and b; on capture: c."
fn no_clear_effect(heads: &[&OutcomeSummary], factors: &[FactorSummary]) -> Option<String> {
    let mut lists: Vec<(String, Vec<String>)> = Vec::new();
    for o in heads {
        let names: Vec<String> = o
            .ranked_estimates(factors)
            .into_iter()
            .filter_map(|(f, e)| e.filter(|e| !e.is_clear()).map(|_| f.name.clone()))
            .collect();
        if !names.is_empty() {
            lists.push((short(o), names));
        }
    }
    let intro = format!("No clear effect (95{NBSP}% interval includes 0)");
    match lists.as_slice() {
        [] => None,
        [(a, la), (b, lb)] if la == lb => Some(format!("{intro} on {a} or {b}: {}.", and_list(la))),
        _ => {
            let parts: Vec<String> = lists
                .iter()
                .map(|(what, names)| format!("on {what}: {}", and_list(names)))
                .collect();
            Some(format!("{intro} {}.", parts.join("; ")))
        }
    }
}

/// A warning when two factors correlate above the target in the design.
fn design_caution(s: &SensitivityFile) -> Option<String> {
    let r = s
        .design
        .max_abs_correlation
        .filter(|r| *r > CORRELATION_TARGET)?;
    let pair = s
        .design
        .worst_pair
        .as_ref()
        .map_or_else(|| "two factors".to_owned(), |(a, b)| format!("{a} and {b}"));
    Some(format!(
        "Caution: {pair} correlate by {} in the design, above the {CORRELATION_TARGET} target, \
         so their effects blur into each other.",
        decimal(r, 2)
    ))
}
