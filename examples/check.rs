fn main() {
    let p = std::env::args().nth(1).unwrap();
    match phaseline::scenario::load_scenario(std::path::Path::new(&p)) {
        Ok(s) => println!("ok {} settlements", s.scenario.settlements.len()),
        Err(e) => println!("{e}"),
    }
}
