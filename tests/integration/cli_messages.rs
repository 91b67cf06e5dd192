//! The command line says what went wrong in words that name the right command and the right flag
//! (issue 17): limits under their own heading, `--days` bounds, design files against scenarios,
//! `compare --days/--no-charts`, "already holds results" per command, `validate` warnings and
//! `--strict`, and the error-message details.

use std::process::Output;

/// `phaseline args` run from the project's root.
fn phaseline(args: &[&str]) -> Output {
    crate::proc::run_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Exit code and stderr of a command expected to fail with invalid input.
fn refused(args: &[&str]) -> String {
    let out = phaseline(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    stderr
}

fn tiny_text() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/tiny.toml");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn help_lists_limit_flags_under_their_own_heading_after_the_main_flags() {
    let out = phaseline(&["run", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    let (heading, seed, max) = (
        help.find("Input limits"),
        help.find("--seed"),
        help.find("--max-routes"),
    );
    assert!(
        heading.is_some() && seed < heading && heading < max,
        "{help}"
    );
}

#[test]
fn days_zero_and_days_past_the_scenario_are_refused_with_the_way_out() {
    let zero = refused(&["run", "scenarios/tiny.toml", "--days", "0"]);
    assert!(zero.contains("--days"), "{zero}");
    let long = refused(&["run", "scenarios/tiny.toml", "--days", "500"]);
    assert!(
        long.contains("duration_days = 120") && long.contains("--set scenario.duration_days=500"),
        "{long}"
    );
    let sweep = refused(&["sweep", "scenarios/tiny.toml", "--days", "500"]);
    assert!(sweep.contains("duration_days"), "{sweep}");
}

#[test]
fn a_design_file_and_a_scenario_name_the_command_that_takes_them() {
    let run = refused(&["run", "scenarios/raqqa-farm.toml"]);
    assert!(
        run.contains("design file") && run.contains("phaseline farm"),
        "{run}"
    );
    assert_eq!(
        run.lines().count(),
        1,
        "one message, not one per field: {run}"
    );
    let farm = refused(&["farm", "scenarios/tiny.toml"]);
    assert!(
        farm.contains("scenario") && farm.contains("phaseline run"),
        "{farm}"
    );
    assert_eq!(farm.lines().count(), 1, "{farm}");
}

#[test]
fn compare_takes_days_and_no_charts_and_its_refusal_names_force_not_resume() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("c").display().to_string();
    let args = [
        "compare",
        "scenarios/tiny.toml",
        "scenarios/tiny.toml",
        "--seeds",
        "1..2",
        "--days",
        "5",
        "--no-charts",
        "--out",
        &out,
    ];
    let first = phaseline(&args);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let verdict = String::from_utf8_lossy(&first.stdout);
    assert!(verdict.contains("Trade-off"), "{verdict}");
    let dir = tmp.path().join("c");
    assert!(!dir.join("compare_diff.png").exists(), "--no-charts");
    assert!(dir.join("briefing.html").exists());
    let again = refused(&args);
    assert!(
        again.contains("--force") && !again.contains("--resume"),
        "{again}"
    );
}

#[test]
fn a_sweep_refusal_names_resume_and_force_and_csv_columns_hold_no_spaces() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("s").display().to_string();
    let args = [
        "sweep",
        "scenarios/raqqa.toml",
        "--seeds",
        "1..2",
        "--days",
        "3",
        "--no-charts",
        "--out",
        &out,
    ];
    assert!(phaseline(&args).status.success());
    let runs = std::fs::read_to_string(tmp.path().join("s/runs.csv")).unwrap_or_default();
    let header = runs.lines().next().unwrap_or_default();
    assert!(
        header.contains("phase_start_Clear_countryside") && !header.contains(' '),
        "{header}"
    );
    let again = refused(&args);
    assert!(
        again.contains("--resume") && again.contains("--force"),
        "{again}"
    );
}

#[test]
fn validate_warns_on_stderr_and_strict_makes_warnings_errors() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = tiny_text();
    let cut = text.find("[[depot]]").unwrap_or(0);
    let end = text.find("[[objective]]").unwrap_or(text.len());
    let no_depots = format!("{}{}", &text[..cut], &text[end..]);
    let path = tmp.path().join("no-depots.toml");
    std::fs::write(&path, no_depots).unwrap_or_else(|e| panic!("{e}"));
    let file = path.display().to_string();
    let out = phaseline(&["validate", &file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: side \"blue\" has units but no [[depot]]")
            && stderr.contains("side \"red\""),
        "{stderr}"
    );
    let strict = refused(&["validate", "--strict", &file]);
    assert!(strict.contains("error: side \"blue\""), "{strict}");

    let lost = text.replacen(
        "[[depot]]",
        "[[settlement]]\nid = \"lonely\"\nkind = \"village\"\nlat = 36.5\nlon = 38.5\ncontrol = \"blue\"\n\n\
         [[unit]]\nid = \"lost\"\nside = \"blue\"\nat = \"lonely\"\nstrength = 10\n\n[[depot]]",
        1,
    );
    let path = tmp.path().join("lost.toml");
    std::fs::write(&path, lost).unwrap_or_else(|e| panic!("{e}"));
    let out = phaseline(&["validate", &path.display().to_string()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let located = format!("{}:", path.display());
    assert!(
        stderr.lines().any(|l| l.starts_with(&located)
            && l.contains(
                ": warning: unit \"lost\" starts at \"lonely\", which no [[route]] touches"
            )),
        "located warning expected: {stderr}"
    );
}

#[test]
fn error_messages_are_prefixed_plain_and_suggest_the_fix() {
    let missing = refused(&["run", "no-such-file.toml"]);
    assert!(missing.starts_with("error: "), "{missing}");
    assert_eq!(missing.matches("os error").count(), 1, "{missing}");
    let side = refused(&[
        "run",
        "scenarios/tiny.toml",
        "--set",
        "side.blu.garrison_min=1",
    ]);
    assert!(side.contains("did you mean \"blue\""), "{side}");
    let number = refused(&[
        "run",
        "scenarios/tiny.toml",
        "--set",
        "scenario.duration_days=\"long\"",
    ]);
    assert!(
        number.contains("expected a number") && !number.contains("f64"),
        "{number}"
    );
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let typo = tmp.path().join("typo.toml");
    let text = tiny_text().replacen("strength = 1500", "strenght = 1500", 1);
    std::fs::write(&typo, text).unwrap_or_else(|e| panic!("{e}"));
    let typo = refused(&["validate", &typo.display().to_string()]);
    assert!(
        typo.contains("did you mean `strength`") && !typo.contains("missing required field"),
        "one problem for a typo: {typo}"
    );
}

#[test]
fn output_errors_name_the_folder_asked_for_once_and_no_temporary_name() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap_or_else(|e| panic!("{e}"));
    let under_file = file.join("x").display().to_string();
    for out in [under_file.as_str(), "/proc/phaseline-test"] {
        let run = phaseline(&["run", "scenarios/tiny.toml", "--days", "2", "--out", out]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(
            !stderr.contains(".partial"),
            "temporary name leaked: {stderr}"
        );
        assert_eq!(stderr.matches("os error").count(), 1, "doubled: {stderr}");
    }
}

#[test]
fn set_accepts_a_route_by_its_default_id() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("r").display().to_string();
    let run = phaseline(&[
        "run",
        "scenarios/tiny.toml",
        "--days",
        "2",
        "--no-charts",
        "--set",
        "route.west-camp-northfield.capacity_tons_per_day=5",
        "--out",
        &out,
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
