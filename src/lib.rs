//! # phaseline
//!
//! A deterministic campaign phase simulation engine.
pub mod calendar;
pub mod graph;
pub mod scenario;
