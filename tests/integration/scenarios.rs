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
        let name = path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        if name.ends_with("-observed.toml") {
            // An observations file: it reads, and its milestones name what the scenario has.
            let obs = phaseline::calibration::observed::read_observations(path)
                .unwrap_or_else(|e| panic!("{e}"));
            let scenario = dir.join(name.replace("-observed", ""));
            obs.check_against(
                &load_scenario(&scenario)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .scenario,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        if name.ends_with("-priors.toml") {
            // A priors file for calibrate: its entries check against the scenario it is for.
            let scenario = dir.join(name.replace("-priors", ""));
            let loaded = load_scenario(&scenario).unwrap_or_else(|e| panic!("{e}"));
            let inputs = phaseline::calibration::calibration_inputs(&loaded, Some(path))
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(!inputs.params.is_empty(), "{}", path.display());
            continue;
        }
        if phaseline::farm::is_design_file(path) {
            // A design: it plans (its scenario and every point's scenario are valid).
            let plan = phaseline::farm::plan_farm(path, &Default::default())
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(plan.points() > 0, "{}", path.display());
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
