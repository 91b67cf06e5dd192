//! Bad design files: every file in `tests/bad_designs/` is refused with the message and location
//! its `.expect` file names (`line:column | message`), and `phaseline farm` of it exits 2 and writes
//! nothing.

use crate::expect::{assert_refused_writing_nothing, assert_reported, cases};
use phaseline::farm::plan_farm;
use phaseline::scenario::Limits;

#[test]
fn each_bad_design_reports_its_problem_where_it_is() {
    let cases = cases("bad_designs", &["toml"]);
    assert!(cases.len() >= 20, "{} bad designs", cases.len());
    for (path, expect) in cases {
        let err = match plan_farm(&path, &Limits::default()) {
            Ok(_) => panic!("{} was accepted", path.display()),
            Err(e) => e,
        };
        assert!(err.is_invalid_input(), "{}: {err}", path.display());
        assert_reported(&path, &err.to_string(), &expect);
    }
}

#[test]
fn a_farm_of_a_bad_design_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (path, _) in cases("bad_designs", &["toml"]) {
        assert_refused_writing_nothing("farm", &path, tmp.path());
    }
}
