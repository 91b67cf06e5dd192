//! What `phaseline farm` prints: the design and its quality before the runs, the leading factors of
//! every outcome after them (read back from `sensitivity.json`, so the terminal says what the file
//! says).

use std::fmt::Write as _;
use std::path::Path;

use super::files::SENSITIVITY_FILE;
use super::plan::{FarmPlan, value_text};
use super::sensitivity_file::SensitivityFile;
use crate::results::read::{ReadError, read_json};

/// The largest factor correlation a design should have (the data-farming rule of thumb).
pub const CORRELATION_TARGET: f64 = 0.05;

/// How many factors the summary names per outcome.
const TOP: usize = 3;

/// Two or three lines on the design: its kind and size, and its quality against the target.
pub fn design_text(plan: &FarmPlan) -> String {
    let d = &plan.design;
    let q = &plan.quality;
    let mut out = format!(
        "Design {}: {} over {} factors, {} points × {} seeds (seeds {}) = {} runs of {}.",
        d.name,
        d.kind.name().replace('_', " "),
        d.factors.len(),
        plan.points(),
        d.seeds.len(),
        d.seeds,
        plan.points() as u64 * d.seeds.len(),
        plan.base.scenario.meta.name,
    );
    let pair = q
        .worst_pair
        .map(|(a, b)| format!(" ({} × {})", d.factors[a].name, d.factors[b].name))
        .unwrap_or_default();
    let verdict = if q.max_abs_correlation <= CORRELATION_TARGET {
        "within"
    } else {
        "ABOVE"
    };
    let _ = write!(
        out,
        "\nLargest correlation between two factor columns: {:.3}{pair}, {verdict} the {CORRELATION_TARGET} target; smallest distance between two points: {:.3} (factors scaled to 0..1).",
        q.max_abs_correlation, q.min_distance,
    );
    if q.max_abs_correlation > CORRELATION_TARGET {
        out.push_str(
            "\nWarning: correlated factors blur each other's effects; add points (17, 33, 65, 129 suit up to 7, 11, 16, 22 factors) or drop factors.",
        );
    }
    out
}

/// The design's points as a table, one row per point.
pub fn points_text(plan: &FarmPlan) -> String {
    let names = plan.factor_names();
    let mut out = format!("point  {}\n", names.join("  "));
    for (p, row) in plan.values.iter().enumerate() {
        let cells: Vec<String> = plan
            .design
            .factors
            .iter()
            .zip(row)
            .zip(&names)
            .map(|((f, v), n)| format!("{:>w$}", value_text(*v, f.integer), w = n.len()))
            .collect();
        let _ = writeln!(out, "{p:>5}  {}", cells.join("  "));
    }
    out
}

/// Per outcome: the leading factors with their effects and intervals, from `sensitivity.json`.
///
/// # Errors
/// When the file cannot be read or is not JSON.
pub fn sensitivity_text(dir: &Path) -> Result<String, ReadError> {
    let doc: SensitivityFile = read_json(&dir.join(SENSITIVITY_FILE))?;
    let mut out =
        String::from("What drives each outcome (standardized rank regression, 95 % CI):\n");
    for o in &doc.outcomes {
        let never = if o.censored > 0 {
            format!(", {} of {} runs never reached it", o.censored, o.runs)
        } else {
            String::new()
        };
        let Some(r2) = o.r_squared else {
            let note = o.note.as_deref().unwrap_or("no regression");
            let _ = writeln!(out, "  {}: {note}{never}", o.outcome);
            continue;
        };
        let top: Vec<String> = o
            .ranking
            .iter()
            .take(TOP)
            .filter_map(|f| o.effect_of(f))
            .map(|e| {
                let num = |v: Option<f64>| v.unwrap_or(f64::NAN);
                format!(
                    "{} {:+.2} [{:+.2}, {:+.2}]",
                    e.factor,
                    num(e.coefficient),
                    num(e.ci95_low),
                    num(e.ci95_high),
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  {} (R² {r2:.2}{never}): {}",
            o.outcome,
            top.join(", ")
        );
    }
    Ok(out)
}
