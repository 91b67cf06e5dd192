//! The captions and alt text of a farm's charts, `tornado_<outcome>` and `top_factor_<outcome>` for
//! every outcome, made from `sensitivity.json`: what each shows, what to look at, and for a reader
//! who cannot see it the leading factors in words.

use super::super::charts::ChartSpec;
use super::super::words::{NBSP, capitalise};
use super::sensitivity::{OutcomeWords, Scale, coef, factor_value, r_squared};
use crate::farm::sensitivity_file::{FactorSummary, OutcomeSummary, SensitivityFile};

/// How many factors a tornado chart's alt text names.
const ALT_FACTORS: usize = 3;

/// The two charts of every outcome, in file order.
pub(crate) fn specs(s: &SensitivityFile) -> Vec<ChartSpec> {
    s.outcomes
        .iter()
        .flat_map(|o| [tornado_spec(o, &s.factors), top_factor_spec(o, &s.factors)])
        .collect()
}

/// Why an outcome has no coefficients.
fn no_ranking(o: &OutcomeSummary) -> String {
    o.note
        .clone()
        .unwrap_or_else(|| "sensitivity.json gives no coefficients".to_owned())
}

/// `tornado_<outcome>`: every factor's coefficient with its interval, largest first.
fn tornado_spec(o: &OutcomeSummary, factors: &[FactorSummary]) -> ChartSpec {
    let what = o.what();
    let stem = format!("tornado_{}", o.outcome);
    let ranked: Vec<String> = o
        .ranked_estimates(factors)
        .into_iter()
        .filter_map(|(f, e)| e.map(|e| format!("{} {}", f.name, coef(e.coefficient))))
        .take(ALT_FACTORS)
        .collect();
    if ranked.is_empty() {
        let why = no_ranking(o);
        return ChartSpec::owned(
            stem,
            format!("Empty tornado chart of {what}: {why}."),
            format!("What drives {what}."),
            format!("There are no bars: {why}."),
        );
    }
    let r2 = o.r_squared.map_or_else(String::new, |r| {
        format!(
            " R²{NBSP}{}: how much the factors explain together.",
            r_squared(r)
        )
    });
    ChartSpec::owned(
        stem,
        format!(
            "Tornado chart of what drives {what}: one horizontal bar per factor, its standardized rank \
             regression coefficient with the 95 % confidence interval as a whisker, largest first: {}.",
            ranked.join(", ")
        ),
        format!("What drives {what}."),
        format!(
            "Long bars whose whiskers stay clear of the zero line drive it: blue when raising the factor \
             makes it {}, orange when {}; pale bars whose whiskers cross zero show no clear effect.{r2}",
            o.direction(true),
            o.direction(false)
        ),
    )
}

/// `top_factor_<outcome>`: the outcome against its top factor, run by run and per design point.
fn top_factor_spec(o: &OutcomeSummary, factors: &[FactorSummary]) -> ChartSpec {
    let what = o.what();
    let stem = format!("top_factor_{}", o.outcome);
    let top = o
        .ranked_estimates(factors)
        .into_iter()
        .find_map(|(f, e)| e.map(|_| f));
    let Some(f) = top else {
        let why = no_ranking(o);
        return ChartSpec::owned(
            stem,
            format!("Empty chart: {what} has no top factor ({why})."),
            format!("{} against its top factor.", capitalise(&what)),
            format!("The chart is empty: {why}."),
        );
    };
    let range = format!(
        "{} ({}) over its range {}–{}",
        f.name,
        f.path,
        factor_value(f.low, f.integer),
        factor_value(f.high, f.integer)
    );
    let never = if o.censored > 0 {
        " Runs where it never happened are counted in the grey band at the top, not as 0."
    } else {
        ""
    };
    let (alt, look) = if o.scale() == Scale::Reached {
        (
            format!(
                "Chart of the share of each design point's runs where {} happened, against {range}.",
                o.event()
            ),
            "Look at whether the share climbs or falls from left to right.".to_owned(),
        )
    } else {
        (
            format!(
                "Scatter chart of {what} against {range}: a small dot per run and a larger marker for the \
                 median of each design point's runs.{never}"
            ),
            format!(
                "Look at whether the large markers climb or fall from left to right, and at their scatter: \
                 chance, and the other factors, which vary between points too.{never}"
            ),
        )
    };
    ChartSpec::owned(
        stem,
        alt,
        format!("{} against its top factor, {}.", capitalise(&what), f.name),
        look,
    )
}
