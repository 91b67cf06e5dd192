//! Fuzz target: any bytes, read as a farm design file (TOML) through `parse_design`, and every
//! problem rendered the way `phaseline farm` shows it. It must never panic, hang or allocate without
//! bound; a checked design or a list of problems are both fine outcomes. When a design checks, its
//! layout is built too (Latin hypercube search or full factorial), which must not panic either.

#![no_main]

use libfuzzer_sys::fuzz_target;
use phaseline::farm::design_file::{DesignKind, parse_design};
use phaseline::farm::lhs::{full_factorial, latin_hypercube};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse_design(&text, Path::new("fuzz/design.toml")) {
        Err(problems) => {
            for p in &problems {
                let _ = p.render("design.toml", &text);
            }
        }
        // Bounded here so that one input cannot take seconds; the limits themselves are tested
        // in the main crate.
        Ok(design) if design.point_count() <= 2_000 => match design.kind {
            DesignKind::LatinHypercube { points } => {
                let _ = latin_hypercube(points, design.factors.len(), design.design_seed);
            }
            DesignKind::FullFactorial => {
                let levels: Vec<usize> = design.factors.iter().map(|f| f.levels).collect();
                let _ = full_factorial(&levels);
            }
        },
        Ok(_) => {}
    }
});
