//! Warnings: what a scenario may legally say but almost surely did not mean.
//!
//! A valid scenario can still be one where nothing happens and nothing says why: a side without a
//! depot starves, a unit in a settlement that no route touches can neither move nor be supplied.
//! `phaseline validate` prints these on stderr and exits 0; `--strict` makes them errors.

use super::types::Scenario;

/// Every warning about `scenario`, in file order (sides, then units), one sentence each.
pub fn warnings(scenario: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    for (i, side) in scenario.sides.iter().enumerate() {
        let has_units = scenario.units.iter().any(|u| u.side == i);
        if has_units && !scenario.depots.iter().any(|d| d.side == i) {
            out.push(format!(
                "side \"{}\" has units but no [[depot]]: nothing resupplies them, so they run out \
                 of supply and weaken (add a [[depot]] with side = \"{}\" if that is not the intent)",
                side.id, side.id
            ));
        }
    }
    let mut touched = vec![false; scenario.settlements.len()];
    for r in &scenario.routes {
        touched[r.from] = true;
        touched[r.to] = true;
    }
    for u in &scenario.units {
        if !touched[u.at] {
            let place = &scenario.settlements[u.at];
            out.push(format!(
                "unit \"{}\" starts at \"{}\", which no [[route]] touches: it can neither move \
                 nor be resupplied (add a route from \"{}\", or move the unit)",
                u.id, place.id, place.id
            ));
        }
    }
    out
}
