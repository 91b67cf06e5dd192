//! Fuzz target: any bytes, read as TOML text and separately as JSON text, through parse → validate,
//! and every problem rendered the way `phaseline validate` shows it. It must never panic, hang or
//! allocate without bound; a valid scenario or a list of problems are both fine outcomes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use phaseline::scenario::{SourceFormat, parse_scenario};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for format in [SourceFormat::Toml, SourceFormat::Json] {
        if let Err(problems) = parse_scenario(&text, format) {
            for p in &problems {
                let _ = p.render("fuzz.toml", &text);
            }
        }
    }
});
