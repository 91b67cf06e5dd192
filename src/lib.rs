//! # phaseline
//!
//! A deterministic campaign phase simulation engine. A checked [`Scenario`]
//! becomes a bevy_ecs `World` of settlements, routes, units and depots; an explicitly ordered
//! schedule of campaign systems (see [`systems`]) advances it tick by tick; the run's time series,
//! events, map snapshots and summary come back as a [`RunOutput`], which the
//! [`output`] layer writes to files.
//!
//! ```
//! use phaseline::scenario::{SourceFormat, parse_scenario};
//! use phaseline::sim::simulate;
//! use std::sync::Arc;
//!
//! let text = std::fs::read_to_string("scenarios/tiny.toml").unwrap();
//! let scenario = Arc::new(parse_scenario(&text, SourceFormat::Toml).unwrap());
//! let out = simulate(scenario.clone(), 7, None).unwrap();
//! assert_eq!(out.timeseries.len(), 121); // day 0 and 120 days
//! assert_eq!(out, simulate(scenario, 7, None).unwrap()); // same seed, same run
//! ```
//!
//! ## How a run flows
//! 1. [`scenario::load_scenario`] reads TOML or JSON into a raw, span-carrying layer, collects every
//!    problem, and only then builds checked types ([`scenario::Scenario`]).
//! 2. [`sim::Simulation::new`] spawns the world, computes the day-0 isolation picture (max-flow) and
//!    builds the schedule with ambiguity detection as an error.
//! 3. Each tick runs the systems in the order of [`systems::register_campaign_systems`].
//! 4. [`sim::Simulation::run`] gathers the output; [`output::write_run`] writes it, staged and renamed.
//! 5. [`ensemble`] runs many seeds (one World each) on a rayon pool and aggregates them.
//! 6. [`calibration`] merges a scenario's doctrine file before validation, draws its uncertain
//!    parameters per seed, and scores and fits ensembles against observed milestones (`backtest`,
//!    `calibrate`).
//!
//! ## Ordering guarantees
//! - Every random draw comes from a ChaCha8 stream keyed by (seed, system, FNV-1a of a scenario id,
//!   tick) — see `src/rng.rs` — so no draw depends on which system or thread asks first.
//! - Systems run in one chain; bevy's ambiguity detection is set to error.
//! - Wherever order reaches a draw or an output, entities are sorted by their stable [`model::Key`]
//!   (the scenario id) and ties are broken by id, never by `Entity` index or hash-map order.
//! - Transcendental maths goes through `libm`; floats are written with Rust's shortest round-trip
//!   `{}` ([`fsio`]). Same scenario + seed + build = same bytes, on any thread count.
//! - The simulation ([`scenario`] checking, [`model`], [`systems`], [`sim`], [`graph`]) does no I/O.
//!   Files are written by the writer layers — [`output`] (run folders), [`ensemble`] and [`farm`]
//!   (sweep, comparison and farm folders), [`chart`] and [`brief`] (charts and briefing pages) —
//!   all through [`fsio`]'s atomic writes, each folder under one rule and one writer lock
//!   ([`output::folder`]); the binary writes only `generate --out`. The command line speaks to the
//!   terminal through [`term`] (escaped, capped, quiet on a closed pipe).
//!
//! `docs/architecture.md` maps the data flow, the order of a tick and where each rule lives.

pub mod brief;
pub(crate) mod calendar;
pub mod calibration;
pub mod chart;
pub mod commands;
pub mod ensemble;
pub mod farm;
pub mod fsio;
pub mod generate;
pub mod graph;
pub mod ids;
pub mod model;
pub mod output;
pub(crate) mod report;
pub mod results;
pub(crate) mod rng;
pub mod runner;
pub mod scenario;
pub mod sim;
pub mod systems;
pub mod term;

pub use ids::{NodeId, RouteId, Side};
pub use results::RunOutput;
pub use scenario::{LoadedScenario, Scenario, ScenarioError, load_scenario};
pub use sim::{Simulation, simulate};
