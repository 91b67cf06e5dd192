//! # phaseline
//!
//! A deterministic campaign phase simulation engine.
pub mod calendar;
pub mod model;
pub mod outcome;
pub mod rng;
pub mod graph;
pub mod scenario;
pub mod sim;
pub mod systems;
