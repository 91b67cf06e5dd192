//! Bad input: every file in `tests/bad_inputs/` is refused with the message and location its
//! `.expect` file names, and a run of it writes nothing.

use crate::expect::{assert_refused_writing_nothing, assert_reported, cases};
use phaseline::scenario::load_scenario;

fn bad_inputs() -> Vec<(std::path::PathBuf, String)> {
    cases("bad_inputs", &["toml", "json"])
}

#[test]
fn there_are_enough_bad_inputs() {
    assert!(
        bad_inputs().len() >= 40,
        "{} bad inputs",
        bad_inputs().len()
    );
}

#[test]
fn each_bad_input_reports_its_problem_where_it_is() {
    for (path, expect) in bad_inputs() {
        let err = match load_scenario(&path) {
            Ok(_) => panic!("{} was accepted", path.display()),
            Err(e) => e,
        };
        assert_reported(&path, &err.to_string(), &expect);
    }
}

#[test]
fn a_run_of_a_bad_input_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (path, _) in bad_inputs() {
        assert_refused_writing_nothing("run", &path, tmp.path());
    }
}
