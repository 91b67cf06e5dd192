//! Fuzz target: any bytes, read as TOML and as JSON; each one that validates runs a short
//! simulation (1 to 10 days, seed and length taken from the bytes). Neither the run nor building
//! its world may panic or hang.

#![no_main]

use libfuzzer_sys::fuzz_target;
use phaseline::scenario::{SourceFormat, parse_scenario};
use phaseline::sim::Simulation;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let seed = data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let days = 1 + (seed % 10) as u32;
    for format in [SourceFormat::Toml, SourceFormat::Json] {
        if let Ok(scenario) = parse_scenario(&text, format) {
            let sim = Simulation::new(Arc::new(scenario), seed, Some(days))
                .unwrap_or_else(|e| panic!("a valid scenario could not be built: {e}"));
            let out = sim.run();
            assert!(out.timeseries.len() <= days as usize + 1);
        }
    }
});
