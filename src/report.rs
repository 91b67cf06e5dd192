//! Plain-words summaries for the terminal, built from the figures, and the number and name wording
//! the briefing pages and trade-off verdicts share with it.

use crate::calendar::iso_date;
use crate::results::RunOutput;
use crate::scenario::Scenario;
use std::fmt::Write as _;
use std::path::Path;

/// "day 118 (2017-03-03)", or "not within the run".
fn on_day(day: Option<u32>, start_epoch_day: i64) -> String {
    day.map_or_else(
        || "not within the run".to_owned(),
        |d| format!("day {d} ({})", iso_date(start_epoch_day + i64::from(d))),
    )
}

/// A few lines saying what happened in a run.
pub(crate) fn run_summary_text(output: &RunOutput, scenario: &Scenario) -> String {
    let s = &output.summary;
    let start = scenario.meta.start_epoch_day;
    let objective = scenario.objectives.first().map_or("the objective", |o| {
        scenario.settlements[o.settlement].name.as_str()
    });
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{} (seed {}): {} days simulated",
        scenario.meta.name, s.seed, s.days_simulated
    );
    let _ = writeln!(
        t,
        "  {objective} isolated: {}; taken: {}",
        on_day(s.isolation_day, start),
        on_day(s.capture_day, start)
    );
    let phases: Vec<String> = s
        .phases
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p.name,
                p.start_day
                    .map_or("never".to_owned(), |d| format!("day {d}"))
            )
        })
        .collect();
    let _ = writeln!(t, "  phases: {}", phases.join(" · "));
    let _ = writeln!(
        t,
        "  losses: attacker {} ({:.1} %), defender {} ({:.1} %); escaped {}; reinforced {}",
        whole(s.losses.attacker),
        100.0 * s.loss_share.attacker,
        whole(s.losses.defender),
        100.0 * s.loss_share.defender,
        whole(s.escaped_fighters),
        whole(s.reinforced_fighters)
    );
    let _ = writeln!(
        t,
        "  villages held at the end: attacker {}, defender {}",
        s.villages_held.attacker, s.villages_held.defender
    );
    let split = |to: Option<f64>, after: Option<f64>, f: &dyn Fn(f64) -> String| match (to, after) {
        (Some(a), Some(b)) => format!(" ({} by the capture, {} after)", f(a), f(b)),
        _ => String::new(),
    };
    // An index to two decimals, trailing zeros dropped, as the briefing page writes it.
    let index = |v: f64| {
        let text = format!("{v:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    let _ = writeln!(
        t,
        "  civilian harm index {}{}; displaced {}{}",
        index(s.civilian_harm_index),
        split(
            s.civilian_harm_to_capture,
            s.civilian_harm_after_capture,
            &index
        ),
        whole(s.displaced_civilians),
        split(s.displaced_to_capture, s.displaced_after_capture, &whole)
    );
    t
}

/// A few lines from a sweep's `aggregate.json`, or `None` when it cannot be read.
pub(crate) fn sweep_summary_text(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("aggregate.json")).ok()?;
    let agg: serde_json::Value = serde_json::from_str(&text).ok()?;
    let fig = |name: &str| agg["figures"][name].clone();
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Seeds {} ({} runs)",
        agg["seeds"].as_str().unwrap_or("?"),
        agg["seed_count"]
    );
    for name in ["isolation_day", "capture_day"] {
        let f = fig(name);
        let share = f["reached_share"].as_f64().unwrap_or(0.0);
        match (f["p50"].as_f64(), f["p5"].as_f64(), f["p95"].as_f64()) {
            (Some(m), Some(lo), Some(hi)) => {
                // Days as the briefing page gives them: whole days.
                let _ = writeln!(
                    t,
                    "  {name}: reached in {:.0} % of seeds; median day {}, 90 % range {}–{}",
                    100.0 * share,
                    whole(m),
                    whole(lo),
                    whole(hi)
                );
            }
            _ => {
                let _ = writeln!(t, "  {name}: never reached");
            }
        }
    }
    Some(t)
}

/// The `--timings` table: time per system, share, and ticks per second.
pub(crate) fn timings_text(t: &crate::sim::Timings) -> String {
    let total: f64 = t.seconds.iter().sum();
    let mut out = format!(
        "{:<22} {:>10} {:>7} {:>12}\n",
        "system", "total ms", "share", "µs per tick"
    );
    for (name, s) in t.names.iter().zip(&t.seconds) {
        let share = if total > 0.0 { 100.0 * s / total } else { 0.0 };
        let per_tick = if t.ticks > 0 {
            1e6 * s / t.ticks as f64
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "{name:<22} {:>10.2} {share:>6.1}% {per_tick:>12.2}",
            1e3 * s
        );
    }
    let rate = if total > 0.0 {
        t.ticks as f64 / total
    } else {
        0.0
    };
    let _ = writeln!(
        out,
        "{} ticks in {:.3} s: {rate:.0} ticks per second",
        t.ticks, total
    );
    out
}

/// A name as a title starts it: first letter upper case (`raqqa` → `Raqqa`).
pub(crate) fn display_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Seeds in words: `"7"` → `seed 7`, `"1..500"` → `seeds 1–500`, `"3..3"` → `seed 3`.
pub(crate) fn seeds_phrase(seeds: &str) -> String {
    let seeds = seeds.trim();
    match seeds.split_once("..") {
        Some((a, b)) if a.trim() == b.trim() => format!("seed {}", a.trim()),
        Some((a, b)) => format!("seeds {}–{}", a.trim(), b.trim()),
        None if seeds.parse::<u64>().is_ok() => format!("seed {seeds}"),
        None => format!("seeds {seeds}"),
    }
}

/// A whole number with thousands separated (`41,000`, `−1,500`), for the briefing page and the
/// charts alike; `n/a` when not finite.
pub(crate) fn whole(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_owned();
    }
    let rounded = v.round();
    let digits = format!("{}", rounded.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        format!("−{out}")
    } else {
        out
    }
}
