//! Running seeds in parallel: the local thread pool, the progress bar, and checked runner calls.

use std::io::IsTerminal;
use std::panic::{AssertUnwindSafe, catch_unwind};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::{EnsembleError, SeedResult, SeedRunner};

/// The progress bar's layout: elapsed, bar, count (of seeds, or of a farm's runs), rate and ETA.
const BAR_TEMPLATE: &str =
    "{prefix} {elapsed_precise} [{wide_bar}] {pos}/{len} {msg} {rate} ETA {eta}";

/// The rate key of a progress bar: `36/s` (one decimal under 10 a second), not `35.5837/s`.
pub fn rate_key(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let rate = state.per_sec();
    let _ = if !rate.is_finite() {
        write!(w, "–/s")
    } else if rate < 10.0 {
        write!(w, "{rate:.1}/s")
    } else {
        write!(w, "{rate:.0}/s")
    };
}

/// A progress bar on stderr, `prefix` before it, for `total` items (`unit`: seeds, runs), `done` of
/// them already finished; hidden unless `visible` and stderr is a terminal.
pub(crate) fn progress_bar(
    (prefix, unit): (&'static str, &'static str),
    total: u64,
    done: u64,
    visible: bool,
) -> ProgressBar {
    let target = if visible && std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let style = ProgressStyle::with_template(BAR_TEMPLATE)
        .map(|s| s.with_key("rate", rate_key))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar = ProgressBar::with_draw_target(Some(total), target)
        .with_style(style)
        .with_prefix(prefix)
        .with_message(unit)
        .with_position(done);
    bar.reset_eta();
    bar
}

/// Calls `f` on every seed on a local pool of `jobs` threads (0: one per core) and returns the
/// results in the order of `seeds`, whatever order they finish in; stops at the first error.
pub(crate) fn map_seeds<T, F>(
    seeds: &[u64],
    jobs: usize,
    bar: &ProgressBar,
    f: F,
) -> Result<Vec<T>, EnsembleError>
where
    T: Send,
    F: Fn(u64) -> Result<T, EnsembleError> + Sync,
{
    let threads = match jobs {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("phaseline-seed-{i}"))
        .build()
        .map_err(|source| EnsembleError::ThreadPool {
            jobs: threads,
            source,
        })?;
    let out = pool.install(|| {
        seeds
            .par_iter()
            .map(|&seed| {
                let r = f(seed);
                bar.inc(1);
                r
            })
            .collect::<Result<Vec<T>, EnsembleError>>()
    });
    match &out {
        Ok(_) => bar.finish(),
        Err(_) => bar.abandon(),
    }
    out
}

/// Runs `seed`, turning a runner error or panic into an error naming the seed, and refuses results
/// for another seed, of another shape than the runner's names, or holding a non-finite value.
pub(crate) fn run_checked<R: SeedRunner + ?Sized>(
    runner: &R,
    seed: u64,
    figures: usize,
    series: usize,
) -> Result<SeedResult, EnsembleError> {
    let result = catch_unwind(AssertUnwindSafe(|| runner.run_seed(seed)))
        .map_err(|panic| EnsembleError::SeedPanicked {
            seed,
            message: panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_owned()),
        })?
        .map_err(|message| EnsembleError::SeedFailed { seed, message })?;
    let bad = |reason: String| Err(EnsembleError::BadSeedResult { seed, reason });
    if result.seed != seed {
        return bad(format!("they are labelled seed {}", result.seed));
    }
    if result.figures.len() != figures {
        return bad(format!(
            "{} figures, expected {figures}",
            result.figures.len()
        ));
    }
    if let Some((day, row)) = result
        .daily
        .iter()
        .enumerate()
        .find(|(_, row)| row.len() != series)
    {
        return bad(format!(
            "day {day} has {} series, expected {series}",
            row.len()
        ));
    }
    let values = result
        .figures
        .iter()
        .flatten()
        .chain(result.daily.iter().flatten());
    if let Some(v) = values.copied().find(|v| !v.is_finite()) {
        return bad(format!("a value is {v}"));
    }
    Ok(result)
}
