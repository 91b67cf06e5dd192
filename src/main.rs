//! The `phaseline` command line: a thin layer over the library. It parses flags ([`args`]), calls
//! one [`phaseline::commands`] function per command, prints its outcome, and maps the error to an
//! exit code.
//!
//! Exit codes: 0 success (also when the reader of standard output went away); 2 invalid input (a
//! scenario with problems, bad flags, an output folder that already holds results, holds other files,
//! is an input or is being written by another phaseline, resume or merge inputs that do not match);
//! 1 any other failure. Output folders follow one rule ([`phaseline::output::folder`]).

use anyhow::Result;
use clap::Parser;
use phaseline::commands::{self, CommandError, FarmResult, Invocation};
use phaseline::ensemble;
use phaseline::farm::FarmError;
use phaseline::scenario::ScenarioError;
use std::process::ExitCode;

/// Prints text for people on standard output through [`phaseline::term::say`]; a closed pipe
/// returns [`phaseline::term::TermError::Closed`] from the enclosing function.
macro_rules! say {
    ($($arg:tt)*) => { phaseline::term::say(&format!($($arg)*))? };
}

/// [`say!`] with a final newline.
macro_rules! sayln {
    ($($arg:tt)*) => { phaseline::term::say(&(format!($($arg)*) + "\n"))? };
}

/// Prints text for people on standard error through [`phaseline::term::tell`].
macro_rules! tell {
    ($($arg:tt)*) => { phaseline::term::tell(&format!($($arg)*)) };
}

/// [`tell!`] with a final newline.
macro_rules! tellln {
    ($($arg:tt)*) => { phaseline::term::tell(&(format!($($arg)*) + "\n")) };
}

#[path = "main/args.rs"]
mod args;
#[path = "main/inputs.rs"]
mod inputs;

use args::{Cli, Command};
use inputs::{generate, slurm, validate};

/// An invocation problem that is the user's to fix (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of standard output went away (`| head`): nothing more to say to anyone.
        Err(err) if is_closed_output(&err) => ExitCode::SUCCESS,
        Err(err) => {
            tellln!("{}", report(&err));
            ExitCode::from(exit_code(&err))
        }
    }
}

/// Whether `err` is a closed standard output.
fn is_closed_output(err: &anyhow::Error) -> bool {
    matches!(
        err.downcast_ref::<phaseline::term::TermError>(),
        Some(phaseline::term::TermError::Closed)
    )
}

fn dispatch(command: Command) -> Result<()> {
    let inv = Invocation {
        command_line: std::env::args().collect(),
    };
    match command {
        Command::Run(args) => {
            let done = commands::run(&args.options(), &inv)?;
            if let Some(t) = &done.timings_text {
                tell!("{t}");
            }
            say!("{}", done.summary_text);
            sayln!("Results: {}", done.dir.display());
        }
        Command::Validate {
            files,
            strict,
            limits,
        } => validate(&files, strict, &limits.limits())?,
        Command::Schema { markdown } => {
            let text = if markdown {
                phaseline::scenario::schema::markdown_reference()
            } else {
                serde_json::to_string_pretty(&phaseline::scenario::schema::json_schema())? + "\n"
            };
            phaseline::term::data(text.as_bytes())?;
        }
        Command::Sweep(args) => {
            let done = commands::sweep(&args.options(), &inv)?;
            match (done.shard, done.summary_text) {
                (Some(shard), _) => sayln!(
                    "Shard {shard}: {} seeds run, {} resumed; merge the shards with `phaseline merge … --out DIR`. Folder: {}",
                    done.ran,
                    done.resumed,
                    done.dir.display()
                ),
                (None, text) => {
                    say!("{}", text.unwrap_or_default());
                    sayln!("Results: {}", done.dir.display());
                }
            }
        }
        Command::Merge { shards, out, force } => {
            let opts = commands::MergeOptions { shards, out, force };
            let done = commands::merge(&opts, &inv)?;
            say!("{}", done.summary_text);
            sayln!(
                "Merged {} shards (seeds {}) into {}",
                done.shards,
                done.seeds,
                done.dir.display()
            );
        }
        Command::Compare(args) => {
            let done = commands::compare(&args.options(), &inv)?;
            sayln!("{}", done.verdict);
            sayln!("Results: {}", done.dir.display());
        }
        Command::Farm(args) => {
            let plan = commands::plan_farm(&args.design, &args.limits.limits())?;
            sayln!("{}", phaseline::farm::design_text(&plan));
            if args.check {
                say!("{}", phaseline::farm::points_text(&plan));
                sayln!("The design is valid; nothing was run.");
                return Ok(());
            }
            let done = commands::farm(&plan, &args.options(), &inv)?;
            match done.result {
                FarmResult::Shard {
                    shard,
                    ran,
                    resumed,
                } => sayln!(
                    "Shard {shard}: {ran} runs, {resumed} resumed; merge the shards with `phaseline farm {} --merge DIR… --out DIR`. Folder: {}",
                    args.design.display(),
                    done.dir.display()
                ),
                FarmResult::Done {
                    merged,
                    sensitivity_text,
                } => {
                    if let Some((shards, runs)) = merged {
                        sayln!("Merged {shards} shards of {runs} runs.");
                    }
                    say!("{sensitivity_text}");
                    sayln!("Results: {}", done.dir.display());
                }
                _ => {}
            }
        }
        Command::Generate(args) => generate(&args)?,
        Command::Chart { dir } => {
            let written = commands::chart(&dir)?;
            sayln!("{} chart files redrawn in {}", written.len(), dir.display());
        }
        Command::Brief { dir } => {
            let page = commands::brief(&dir)?;
            sayln!("Briefing: {}", page.display());
        }
        Command::Slurm(args) => slurm(args)?,
        Command::Backtest(args) => {
            let done = commands::backtest(&args.options(), &inv)?;
            let dir = done.dir.display();
            match done.table {
                Some(t) => {
                    say!("{}", t.text());
                    sayln!("Backtest: {}. Results: {dir}", t.summary_line());
                }
                None => sayln!(
                    "Shard: seeds journalled in {dir}; finish with `phaseline backtest … --resume --out {dir}`"
                ),
            }
        }
        Command::Calibrate(args) => {
            let done = commands::calibrate(&args.options(), &inv)?;
            say!("{}", done.report_text);
            sayln!("Calibrated doctrine: {}", done.doctrine.display());
            sayln!("Results: {}", done.dir.display());
        }
    }
    Ok(())
}

/// The message for `err`: a scenario's or design's problems as they are (each already says where
/// and how to fix it), anything else as `error: ` and its causes.
fn report(err: &anyhow::Error) -> String {
    let scenario = |e: &ScenarioError| matches!(e, ScenarioError::Invalid { .. });
    let farm = |e: &FarmError| match e {
        FarmError::Invalid { .. } => true,
        FarmError::Scenario(s) => scenario(s),
        _ => false,
    };
    let listed = err.downcast_ref::<ScenarioError>().is_some_and(scenario)
        || err.downcast_ref::<FarmError>().is_some_and(farm)
        || match err.downcast_ref::<CommandError>() {
            Some(CommandError::Scenario(e)) => scenario(e),
            Some(CommandError::Farm(e)) => farm(e),
            Some(CommandError::Calibration(e)) => e.is_report(),
            _ => false,
        };
    if listed {
        return err.to_string();
    }
    format!("error: {}", chain_text(err))
}

/// The error and its causes joined by `: `, leaving out a cause whose text the message before it
/// already ends with (an OS error that a message quotes is not repeated).
fn chain_text(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.ends_with(&text) || out.contains(&format!("{text}:")) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// 2 for input the user can fix, 1 for any other failure.
fn exit_code(err: &anyhow::Error) -> u8 {
    let invalid = err
        .downcast_ref::<CommandError>()
        .is_some_and(CommandError::is_invalid_input)
        || err.downcast_ref::<ScenarioError>().is_some()
        || err
            .downcast_ref::<FarmError>()
            .is_some_and(FarmError::is_invalid_input)
        || err.downcast_ref::<UsageError>().is_some()
        || err
            .downcast_ref::<ensemble::EnsembleError>()
            .is_some_and(ensemble::EnsembleError::is_invalid_input);
    if invalid { 2 } else { 1 }
}
