//! Integration tests: each mechanic on small hand-made graphs whose answer is known, determinism
//! byte for byte, every bundled scenario, bad input, and the command line.

mod expect;
mod proc;
mod support;

mod bad_design;
mod bad_input;
mod brief;
mod calibration;
mod clear_and_hold;
mod cli;
mod cli_messages;
mod combat;
mod determinism;
mod docs;
mod farm;
mod faults;
mod golden;
mod injects;
mod isolation;
mod logistics;
mod metamorphic;
mod movement;
mod phases;
mod resupply;
mod robustness;
mod safety;
mod scenarios;
mod shaping;
mod slurm;
