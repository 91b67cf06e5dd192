//! Every bundled scenario validates and runs; every bundled design file plans.

use phaseline::scenario::load_scenario;
use std::path::Path;

#[test]
fn every_bundled_scenario_validates_and_runs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut count = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
    {
        if phaseline::farm::is_design_file(path) {
            // A design: it plans (its scenario and every point's scenario are valid).
            let plan = phaseline::farm::plan_farm(path, &Default::default())
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(plan.points() > 0, "{}", path.display());
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains("\n[observed]") {
            // An observations file for `backtest`, not a scenario.
            continue;
        }
        let loaded = load_scenario(path).unwrap_or_else(|e| panic!("{e}"));
        let out = phaseline::sim::simulate(std::sync::Arc::new(loaded.scenario), 1, Some(30))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.timeseries.len(), 31, "{}", path.display());
        count += 1;
    }
    assert!(count >= 2, "only {count} scenarios found");
}
