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
