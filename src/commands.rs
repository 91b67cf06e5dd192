//! The commands, as library functions: one per command, taking typed options and returning a typed
//! outcome, so the binary only parses flags, calls one of these, prints the outcome and maps
//! [`CommandError::is_invalid_input`] to an exit code.
//!
//! Each command claims its output folder under the one folder rule ([`crate::output::folder`]),
//! writes `manifest.json` from the [`Invocation`] (the command line it records), does its work and
//! leaves the words to print in its outcome. Only progress bars (with `progress` set) are drawn
//! here, on standard error. A new command is a new file beside these with its options, outcome
//! and function, and one arm in the binary's dispatch.

mod calibration;
mod common;
mod ensembles;
mod farm;
mod redraw;
mod run;

pub use calibration::{
    BacktestOptions, BacktestOutcome, CalibrateOptions, CalibrateOutcome, backtest, calibrate,
};
pub use common::{CommandError, Invocation, ScenarioInput};
pub use ensembles::{
    CompareOptions, CompareOutcome, MergeOptions, MergeOutcome, SweepOptions, SweepOutcome,
    compare, merge, sweep,
};
pub use farm::{FarmOptions, FarmOutcome, FarmResult, farm, plan_farm};
pub use redraw::{brief, chart};
pub use run::{RunOptions, RunOutcome, run};
