//! Runs a scenario file for one seed and prints its summary, its first events and a sampled time
//! series: a quick look while working on the model (`cargo run --example check -- FILE SEED`).

fn main() {
    let p = std::env::args().nth(1).unwrap();
    let seed: u64 = std::env::args().nth(2).map_or(1, |s| s.parse().unwrap());
    match phaseline::scenario::load_scenario(std::path::Path::new(&p)) {
        Ok(s) => {
            let t = std::time::Instant::now();
            let out =
                phaseline::sim::simulate(std::sync::Arc::new(s.scenario), seed, None).unwrap();
            eprintln!("{:?}", t.elapsed());
            println!("{}", serde_json::to_string_pretty(&out.summary).unwrap());
            for e in out
                .events
                .iter()
                .filter(|e| e.kind != phaseline::model::EventKind::Strike)
                .take(80)
            {
                println!("{} {} {} {}", e.day, e.kind, e.subject, e.detail);
            }
            for r in out.timeseries.iter().step_by(10) {
                println!(
                    "{} {} iso={:.2} A={:.0} D={:.0} sup={:.1}/{:.1} held={}/{} c={} cu={} c2={:.2} res={:.0} esc={:.0}",
                    r.day,
                    r.phase,
                    r.isolation_index,
                    r.attacker_strength,
                    r.defender_strength,
                    r.attacker_supply_days,
                    r.defender_supply_days,
                    r.attacker_held,
                    r.defender_held,
                    r.contested,
                    r.cleared_unheld,
                    r.defender_c2,
                    r.defender_reserve,
                    r.escaped_fighters
                );
            }
        }
        Err(e) => println!("{e}"),
    }
}
