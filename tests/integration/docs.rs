//! The format reference in `scenarios/README.md` is the engine's own schema, so it cannot drift.

#[test]
fn the_format_reference_matches_the_schema() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/README.md"),
    )
    .unwrap_or_default();
    let generated = phaseline::scenario::schema::markdown_reference();
    assert!(
        readme.contains(&generated),
        "scenarios/README.md is stale: regenerate its Fields section with `phaseline schema --markdown`"
    );
}

/// `docs/output-formats.md`, and the part of it from the line starting `from` up to the next `###`.
fn format_doc_section(from: &str) -> String {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/output-formats.md"),
    )
    .unwrap_or_default();
    let start = doc
        .find(from)
        .unwrap_or_else(|| panic!("docs/output-formats.md has no `{from}`"));
    let rest = &doc[start + from.len()..];
    rest[..rest.find("\n###").unwrap_or(rest.len())].to_owned()
}

#[test]
fn the_output_formats_doc_lists_every_timeseries_column_in_order() {
    let section = format_doc_section("### timeseries.csv");
    let documented: Vec<String> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" |").next())
        .filter(|c| *c != "column" && !c.starts_with("---"))
        .flat_map(|c| c.split(", ").map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let written: Vec<&str> = phaseline::results::DailyRow::columns().collect();
    assert_eq!(
        documented, written,
        "docs/output-formats.md, timeseries.csv table"
    );
}

#[test]
fn the_output_formats_doc_lists_every_runs_figure_in_order() {
    let section = format_doc_section("## Sweep folder");
    let list = section
        .split("Figures, in order:")
        .nth(1)
        .and_then(|s| s.split("then `phase_start_").next())
        .unwrap_or_default();
    let documented: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        documented,
        phaseline::results::FIXED_FIGURES,
        "runs.csv figures"
    );
}

#[test]
fn the_output_formats_doc_shows_every_summary_key() {
    let section = format_doc_section("### summary.json");
    let example = section
        .split("```json")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .unwrap_or_default();
    let documented: serde_json::Value =
        serde_json::from_str(example).unwrap_or_else(|e| panic!("summary example: {e}"));
    let out = crate::support::run(&crate::support::bundled("tiny.toml"), 1);
    let written = serde_json::to_value(&out.summary).unwrap_or_default();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(keys(&documented), keys(&written), "summary.json keys");
    for pair in [
        "settlements_controlled",
        "villages_held",
        "losses",
        "supply",
    ] {
        assert_eq!(
            keys(&documented[pair]),
            keys(&written[pair]),
            "summary.json {pair}"
        );
    }
    assert_eq!(
        keys(&documented["supply"]["attacker"]),
        keys(&written["supply"]["attacker"]),
        "summary.json supply.attacker"
    );
}
