//! # phaseline
//!
//! A deterministic campaign phase simulation engine.
pub mod calendar;
pub mod ensemble;
pub mod fsio;
pub mod graph;
pub mod model;
pub mod outcome;
pub mod output;
pub mod report;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod sim;
pub mod systems;
