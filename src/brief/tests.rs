//! Tests of the briefing page on real folders made from `scenarios/tiny.toml` through the library
//! (a run with its charts, a sweep, a comparison of two courses of action, a farm): the page is
//! well-formed, holds no external reference, says the bottom line, the figures and the provenance,
//! and the same folder gives the same bytes twice.
//!
//! To look at the pages: `BRIEF_SAMPLES=/tmp/brief cargo test --lib write_samples -- --ignored`
//! writes `run/`, `sweep/`, `compare/` and `farm/` folders there, each with its `briefing.html`.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files::read_bytes;
use super::*;
use crate::ensemble::{self, SeedRange, SweepIdentity};
use crate::output::{Manifest, OutputError, write_run};
use crate::runner::ScenarioRunner;
use crate::scenario::{LoadedScenario, load_scenario};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tiny() -> LoadedScenario {
    load_scenario(&root().join("scenarios/tiny.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn manifest(loaded: &LoadedScenario, command: &str, seeds: &str, args: &[&str]) -> Manifest {
    Manifest {
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        command: command.to_owned(),
        command_line: args.iter().map(|s| (*s).to_owned()).collect(),
        scenario_name: loaded.scenario.meta.name.clone(),
        scenario_file: loaded.path.display().to_string(),
        scenario_sha256: loaded.sha256.clone(),
        seeds: seeds.to_owned(),
        overrides: Vec::new(),
        doctrine: None,
    }
}

fn write_manifest(dir: &Path, m: &Manifest) {
    let bytes = crate::fsio::json_bytes(m).unwrap_or_else(|e| panic!("{e}"));
    fs::write(dir.join("manifest.json"), bytes).unwrap_or_else(|e| panic!("{e}"));
}

/// A run of tiny (seed 7) in `dir`, with its charts unless `charts` is false.
fn make_run(dir: &Path, charts: bool) {
    let loaded = tiny();
    let scenario = Arc::new(loaded.scenario.clone());
    let out = crate::sim::simulate(scenario.clone(), 7, None).unwrap_or_else(|e| panic!("{e}"));
    let m = manifest(
        &loaded,
        "run",
        "7",
        &["phaseline", "run", "scenarios/tiny.toml", "--seed", "7"],
    );
    let hook = |staged: &Path| -> Result<(), OutputError> {
        crate::chart::draw_run_charts(staged)
            .map(drop)
            .map_err(|e| OutputError::Chart {
                dir: staged.to_owned(),
                message: e.to_string(),
            })
    };
    let draw: Option<&crate::output::ChartHook> = if charts { Some(&hook) } else { None };
    write_run(dir, &out, &scenario, &m, true, draw).unwrap_or_else(|e| panic!("{e}"));
}

fn identity(loaded: &LoadedScenario, seeds: SeedRange) -> SweepIdentity {
    SweepIdentity {
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        scenario_sha256: loaded.sha256.clone(),
        scenario_name: loaded.scenario.meta.name.clone(),
        seeds,
        overrides: Vec::new(),
        design_sha256: None,
    }
}

/// A sweep of tiny over seeds 1..8 in `dir`, with its charts.
fn make_sweep(dir: &Path) {
    let loaded = tiny();
    let seeds = SeedRange::new(1, 8).unwrap_or_else(|e| panic!("{e}"));
    let runner = ScenarioRunner {
        scenario: Arc::new(loaded.scenario.clone()),
        days: None,
    };
    let options = ensemble::SweepOptions {
        jobs: 2,
        shard: None,
        resume: false,
        force: true,
        progress: false,
    };
    ensemble::run_sweep(&runner, &identity(&loaded, seeds), &options, dir)
        .unwrap_or_else(|e| panic!("{e}"));
    let args = [
        "phaseline",
        "sweep",
        "scenarios/tiny.toml",
        "--seeds",
        "1..8",
    ];
    write_manifest(dir, &manifest(&loaded, "sweep", "1..8", &args));
    crate::chart::draw_sweep_charts(dir).unwrap_or_else(|e| panic!("{e}"));
}

/// A comparison in `dir`: A = tiny, B = tiny asking for 2:1 instead of 3:1 (written beside `dir`).
fn make_compare(dir: &Path) {
    let a = tiny();
    let text = fs::read_to_string(&a.path).unwrap_or_else(|e| panic!("{e}"));
    let text = text
        .replacen("name = \"tiny\"", "name = \"tiny-bold\"", 1)
        .replacen("attack_force_ratio = 3.0", "attack_force_ratio = 2.0", 1);
    let parent = dir.parent().unwrap_or(dir);
    let b_path = parent.join("tiny-bold.toml");
    fs::write(&b_path, text).unwrap_or_else(|e| panic!("{e}"));
    let b = load_scenario(&b_path).unwrap_or_else(|e| panic!("{e}"));
    let seeds = SeedRange::new(1, 8).unwrap_or_else(|e| panic!("{e}"));
    let runner = |l: &LoadedScenario| ScenarioRunner {
        scenario: Arc::new(l.scenario.clone()),
        days: None,
    };
    let (ra, rb) = (runner(&a), runner(&b));
    let (ia, ib) = (identity(&a, seeds), identity(&b, seeds));
    let options = ensemble::CompareOptions {
        jobs: 2,
        force: true,
        progress: false,
    };
    ensemble::compare(
        ensemble::Arm {
            runner: &ra,
            identity: &ia,
        },
        ensemble::Arm {
            runner: &rb,
            identity: &ib,
        },
        &options,
        dir,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut m = manifest(
        &a,
        "compare",
        "1..8",
        &[
            "phaseline",
            "compare",
            "scenarios/tiny.toml",
            "tiny-bold.toml",
        ],
    );
    m.scenario_file = format!("{} vs {}", a.path.display(), b.path.display());
    m.scenario_sha256 = format!("{} vs {}", a.sha256, b.sha256);
    write_manifest(dir, &m);
    crate::chart::draw_compare_charts(dir).unwrap_or_else(|e| panic!("{e}"));
}

/// A farm of tiny in `dir` (its design file written beside `dir`), with its charts and manifest:
/// three factors over a 9-point Latin hypercube, 2 seeds a point, each run stopped after 20 days —
/// too short for Alpha to fall with Blue this weak, so every capture day is censored.
fn make_farm(dir: &Path) -> crate::farm::FarmPlan {
    let parent = dir.parent().unwrap_or(dir);
    fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    let factor = |name: &str, path: &str, low: f64, high: f64| {
        format!("[[factor]]\nname = \"{name}\"\npath = \"{path}\"\nlow = {low}\nhigh = {high}\n\n")
    };
    let text = format!(
        "# A small farm for the briefing tests.\n\n[farm]\nscenario = {:?}\ndescription = \"Three tiny assumptions.\"\n\
         seeds_per_point = 2\ndays = 20\noutcomes = [\"isolation_day\", \"capture_day\", \"defender_losses\"]\n\n\
         [design]\nkind = \"latin_hypercube\"\npoints = 9\n\n{}{}{}",
        tiny().path.display().to_string(),
        factor(
            "blue_lethality",
            "side.blue.lethality_per_day",
            0.001,
            0.005
        ),
        factor("garrison_ratio", "side.blue.garrison_ratio", 0.2, 0.8),
        factor(
            "displacement",
            "scenario.displacement_share_per_day",
            0.0,
            0.1
        ),
    );
    let design = parent.join("farm-design.toml");
    fs::write(&design, text).unwrap_or_else(|e| panic!("{e}"));
    let plan = crate::farm::plan_farm(&design, &crate::scenario::Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let options = ensemble::SweepOptions {
        jobs: 2,
        force: true,
        ..ensemble::SweepOptions::default()
    };
    crate::farm::run_farm(&plan, &options, dir).unwrap_or_else(|e| panic!("{e}"));
    let mut m = manifest(
        &plan.base,
        "farm",
        &plan.design.seeds.to_string(),
        &["phaseline", "farm", "farm-design.toml"],
    );
    m.scenario_file = format!(
        "{} (design {}, sha256 {})",
        plan.base.path.display(),
        plan.design_file.display(),
        plan.design_sha256
    );
    write_manifest(dir, &m);
    crate::chart::draw_farm_charts(dir).unwrap_or_else(|e| panic!("{e}"));
    plan
}

const VOID: [&str; 6] = ["meta", "img", "br", "hr", "link", "input"];

/// Checks that every opened tag is closed in order (void elements aside), attributes are quoted,
/// and every `&` starts an entity. Returns the element names in document order.
fn well_formed(page: &str) -> Result<Vec<String>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = page;
    let mut offset = 0;
    let at = |o: usize| format!("at byte {o}");
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt]).map_err(|e| format!("{e} {}", at(offset)))?;
        let tag_start = &rest[lt..];
        let consumed;
        if tag_start.starts_with("<!DOCTYPE") || tag_start.starts_with("<!doctype") {
            consumed = tag_start.find('>').ok_or("unclosed doctype")? + 1;
        } else if tag_start.starts_with("<!--") {
            consumed = tag_start.find("-->").ok_or("unclosed comment")? + 3;
        } else {
            let mut in_quote: Option<char> = None;
            let mut end = None;
            for (i, c) in tag_start.char_indices().skip(1) {
                match (in_quote, c) {
                    (Some(q), c) if c == q => in_quote = None,
                    (Some(_), '<') => {
                        return Err(format!("`<` inside an attribute {}", at(offset)));
                    }
                    (Some(_), _) => {}
                    (None, '"' | '\'') => in_quote = Some(c),
                    (None, '>') => {
                        end = Some(i);
                        break;
                    }
                    (None, '<') => return Err(format!("`<` inside a tag {}", at(offset + lt))),
                    _ => {}
                }
            }
            let end = end.ok_or_else(|| format!("unclosed tag {}", at(offset + lt)))?;
            let inner = &tag_start[1..end];
            consumed = end + 1;
            if let Some(name) = inner.strip_prefix('/') {
                let name = name.trim().to_ascii_lowercase();
                match stack.pop() {
                    Some(open) if open == name => {}
                    other => {
                        return Err(format!("</{name}> closes {other:?} {}", at(offset + lt)));
                    }
                }
            } else {
                let self_closing = inner.ends_with('/');
                let body = inner.trim_end_matches('/');
                let name: String = body
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect::<String>()
                    .to_ascii_lowercase();
                if name.is_empty() {
                    return Err(format!("empty tag name {}", at(offset + lt)));
                }
                check_attributes(&body[name.len()..])
                    .map_err(|e| format!("<{name}>: {e} {}", at(offset + lt)))?;
                seen.push(name.clone());
                if name == "style" || name == "script" {
                    let close = format!("</{name}>");
                    let after = &rest[lt + consumed..];
                    let skip = after.find(&close).ok_or("unclosed <style>")?;
                    consumed_advance(&mut rest, &mut offset, lt + consumed + skip + close.len());
                    continue;
                }
                if !self_closing && !VOID.contains(&name.as_str()) {
                    stack.push(name);
                }
            }
        }
        consumed_advance(&mut rest, &mut offset, lt + consumed);
    }
    check_text(rest)?;
    if stack.is_empty() {
        Ok(seen)
    } else {
        Err(format!("unclosed elements at the end: {stack:?}"))
    }
}

fn consumed_advance(rest: &mut &str, offset: &mut usize, n: usize) {
    *rest = &rest[n..];
    *offset += n;
}

/// Every `&` in text starts `&name;` or `&#123;`; no `>` is left unescaped.
fn check_text(text: &str) -> Result<(), String> {
    for (i, _) in text.match_indices('&') {
        let tail = &text[i + 1..];
        let semi = tail.find(';').ok_or("`&` without `;`")?;
        let entity = &tail[..semi];
        let ok = !entity.is_empty()
            && semi <= 8
            && (entity.chars().all(|c| c.is_ascii_alphanumeric())
                || (entity.starts_with('#') && entity[1..].chars().all(|c| c.is_ascii_digit())));
        if !ok {
            return Err(format!("bare `&` before {:?}", &tail[..tail.len().min(12)]));
        }
    }
    if text.contains('>') {
        return Err("unescaped `>` in text".to_owned());
    }
    Ok(())
}

/// Attributes are `name="value"` (or single quotes) separated by spaces.
fn check_attributes(mut s: &str) -> Result<(), String> {
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Ok(());
        }
        let eq = s
            .find('=')
            .ok_or_else(|| format!("attribute without value: {s:?}"))?;
        let name = &s[..eq];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-:_".contains(c))
        {
            return Err(format!("bad attribute name {name:?}"));
        }
        let after = &s[eq + 1..];
        let q = after.chars().next().ok_or("attribute value missing")?;
        if q != '"' && q != '\'' {
            return Err(format!("unquoted value of {name}"));
        }
        let close = after[1..].find(q).ok_or("unclosed attribute value")?;
        check_text(&after[1..1 + close]).map_err(|e| format!("in {name}: {e}"))?;
        s = &after[close + 2..];
    }
}

/// Fails on anything the page could fetch: a URL scheme, `//`, a `src` that is not `data:`, any
/// `href`, a script, a CSS `url(` or `@import`.
fn assert_self_contained(page: &str) {
    let mut stripped = String::new();
    let mut rest = page;
    while let Some(i) = rest.find("src=\"data:image/png;base64,") {
        stripped.push_str(&rest[..i]);
        let after = &rest[i + "src=\"data:image/png;base64,".len()..];
        let end = after.find('"').unwrap_or(after.len());
        assert!(
            after[..end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c)),
            "a data URI holds something that is not base64"
        );
        rest = &after[end..];
    }
    stripped.push_str(rest);
    let lower = stripped.to_ascii_lowercase();
    for bad in [
        "http:", "https:", "//", "src=", "href=", "<script", "url(", "@import", "<link", "<iframe",
        "<object", "<embed", "ftp:", "file:",
    ] {
        assert!(
            !lower.contains(bad),
            "external reference {bad:?} near: {:?}",
            lower
                .find(bad)
                .map(|i| &stripped[i.saturating_sub(60)..(i + 60).min(stripped.len())])
        );
    }
}

/// Headings go h1 → h2 → h3 without skipping a level, with one h1.
fn assert_heading_order(elements: &[String]) {
    let levels: Vec<u8> = elements
        .iter()
        .filter_map(|e| e.strip_prefix('h').and_then(|n| n.parse::<u8>().ok()))
        .collect();
    assert_eq!(levels.iter().filter(|l| **l == 1).count(), 1, "one h1");
    let mut prev = 0;
    for l in levels {
        assert!(l <= prev + 1, "heading level jumps from h{prev} to h{l}");
        prev = l;
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The sections of a run, sweep or comparison page, in order.
const SECTIONS: [&str; 6] = [
    "bottom-line",
    "key-figures",
    "timeline",
    "charts",
    "assumptions",
    "provenance",
];

/// The sections of a farm page, in order: no timeline, a method.
const FARM_SECTIONS: [&str; 6] = [
    "bottom-line",
    "key-figures",
    "charts",
    "method",
    "assumptions",
    "provenance",
];

fn assert_common(page: &str) {
    assert_sections(page, &SECTIONS);
}

/// Well-formed, self-contained, accessible and printable, with `sections` in that order.
fn assert_sections(page: &str, sections: &[&str]) {
    let elements = well_formed(page).unwrap_or_else(|e| panic!("not well-formed: {e}"));
    assert_heading_order(&elements);
    assert_self_contained(page);
    let order: Vec<usize> = sections
        .iter()
        .map(|s| {
            page.find(&format!("id=\"{s}\""))
                .unwrap_or_else(|| panic!("missing section {s}"))
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "sections out of order"
    );
    assert!(
        page.contains("<th scope=\"col\""),
        "tables have header cells"
    );
    assert!(page.contains("@media print") && page.contains("break-inside: avoid"));
    let imgs = page.matches("<img ").count();
    assert_eq!(
        imgs,
        page.matches(" alt=\"").count(),
        "every image has alt text"
    );
    assert!(!page.contains("\r"));
}

#[test]
fn a_run_page_is_well_formed_self_contained_and_says_what_happened() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("seed-7");
    make_run(&dir, true);
    let path = write_briefing(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(path, dir.join("briefing.html"));
    let page = read(&path);
    assert_common(&page);
    let summary: serde_json::Value =
        serde_json::from_str(&read(&dir.join("summary.json"))).unwrap_or_else(|e| panic!("{e}"));
    let iso = summary["isolation_day"]
        .as_u64()
        .expect("tiny seed 7 isolates Alpha");
    let cap = summary["capture_day"]
        .as_u64()
        .expect("tiny seed 7 takes Alpha");
    // The bottom line, from the figures.
    assert!(
        page.contains(&format!("Alpha was isolated on day\u{a0}{iso} (")),
        "bottom line"
    );
    assert!(page.contains(&format!("and taken on day\u{a0}{cap} (")));
    assert!(page.contains("lost ") && page.contains("of its strength"));
    // Key figures and the narrative with dates.
    assert!(
        page.contains("<caption>Outcome</caption>") && page.contains("<caption>Forces</caption>")
    );
    assert!(page.contains("Blue (attacker)") && page.contains("Red (defender)"));
    assert!(page.contains("Phase Clear begins") && page.contains("Alpha is taken"));
    assert!(page.contains("2016-11-05"), "dates in the narrative");
    assert!(
        page.contains("Not listed line by line: air strikes on"),
        "strike total"
    );
    // Timeline and charts.
    assert!(page.contains("<svg ") && page.contains("isolated, day"));
    assert_eq!(page.matches("<img ").count(), 5, "five run charts");
    assert!(
        page.contains("data:image/png;base64,iVBORw0KGgo"),
        "PNG data URIs"
    );
    // Assumptions and provenance.
    assert!(
        page.contains("Six settlements: isolate Alpha"),
        "scenario description"
    );
    assert!(page.contains("Notes in the scenario file's header"));
    let loaded = tiny();
    assert!(page.contains(&loaded.sha256), "full SHA-256");
    assert!(page.contains(&format!("phaseline {}", env!("CARGO_PKG_VERSION"))));
    assert!(
        page.contains("phaseline run scenarios/tiny.toml --seed 7"),
        "command line"
    );
    // Same folder, same bytes.
    let again = render_briefing(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page, again, "same folder, same page");
    write_briefing(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page, read(&path));
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left behind");
}

#[test]
fn a_sweep_page_gives_medians_ranges_and_shares() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("sweep-1-8");
    make_sweep(&dir);
    let path = write_briefing(&dir).unwrap_or_else(|e| panic!("{e}"));
    let page = read(&path);
    assert_common(&page);
    assert!(
        page.contains("Alpha was isolated in all 8 seeds, at a median of day"),
        "{page:.3000}"
    );
    assert!(page.contains("It was taken in"));
    assert!(page.contains("The attacker lost a median"));
    assert!(page.contains("90 % range (p5 to p95)"));
    assert!(page.contains("Mean (95 % CI)"));
    assert_eq!(page.matches("<img ").count(), 4, "four sweep charts");
    assert!(page.contains("seeds 1–8 (8 runs)"));
    assert_eq!(
        page,
        render_briefing(&dir).unwrap_or_else(|e| panic!("{e}"))
    );
}

#[test]
fn a_comparison_page_states_the_trade_off_across_every_outcome_family() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("compare");
    make_compare(&dir);
    let path = write_briefing(&dir).unwrap_or_else(|e| panic!("{e}"));
    let page = read(&path);
    assert_common(&page);
    let cmp: serde_json::Value =
        serde_json::from_str(&read(&dir.join("comparison.json"))).unwrap_or_else(|e| panic!("{e}"));
    assert_bottom_line_names_every_significant_family(&page, &cmp);
    assert!(page.contains("95 % CI"));
    assert!(page.contains("What B (tiny-bold) changes from A (tiny)"));
    assert!(
        page.contains("side.blue.attack_force_ratio"),
        "the difference between the files"
    );
    assert_eq!(page.matches("<img ").count(), 2, "two comparison charts");
    assert_eq!(
        page,
        render_briefing(&dir).unwrap_or_else(|e| panic!("{e}"))
    );
}

/// The comparison page's bottom line names every outcome family (time, own losses, enemy escapes,
/// civilians) in its trade-off sentence, and one whose figures differ significantly is said to be
/// better, worse or mixed for B, never "no different".
fn assert_bottom_line_names_every_significant_family(page: &str, cmp: &serde_json::Value) {
    let start = page
        .find("id=\"bottom-line\"")
        .unwrap_or_else(|| panic!("no bottom line"));
    let end = page[start..]
        .find("</section>")
        .map_or(page.len(), |e| start + e);
    let bottom = &page[start..end];
    let summary = bottom
        .split("Trade-off: ")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .unwrap_or_else(|| panic!("no trade-off sentence in {bottom}"));
    let same = summary.find("no different on").unwrap_or(summary.len());
    for family in crate::ensemble::Family::ALL {
        let heading = format!("{}: ", crate::report::display_name(family.name()));
        assert!(
            bottom.contains(&heading),
            "{heading:?} missing from {bottom}"
        );
        let pos = summary.find(family.name());
        assert!(pos.is_some(), "{} missing from {summary}", family.name());
        let significant = family
            .figures()
            .iter()
            .any(|f| cmp["figures"][f]["significant"].as_bool() == Some(true));
        if significant {
            assert!(
                pos < Some(same),
                "{} differs significantly but reads as no different: {summary}",
                family.name()
            );
        }
    }
}

/// The outcome `id` of a farm's `sensitivity.json`.
fn farm_outcome<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["outcomes"]
        .as_array()
        .and_then(|a| a.iter().find(|o| o["outcome"] == id))
        .unwrap_or_else(|| panic!("no outcome {id} in sensitivity.json"))
}

#[test]
fn a_farm_page_names_what_drives_each_outcome_and_says_when_nothing_can_be_said() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("farm");
    let plan = make_farm(&dir);
    assert_eq!(folder_kind(&dir), Some(FolderKind::Farm));
    let path = write_briefing(&dir).unwrap_or_else(|e| panic!("{e}"));
    let page = read(&path);
    assert_sections(&page, &FARM_SECTIONS);
    let doc: serde_json::Value = serde_json::from_str(&read(&dir.join("sensitivity.json")))
        .unwrap_or_else(|e| panic!("{e}"));
    // The bottom line names the factor that drives isolation most, which way, and its interval.
    let iso = farm_outcome(&doc, "isolation_day");
    let top = iso["ranking"][0].as_str().expect("isolation_day is ranked");
    let effect = iso["effects"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["factor"] == top))
        .expect("the top factor's effect");
    let (c, lo, hi) = (
        effect["coefficient"].as_f64().unwrap_or(f64::NAN),
        effect["ci95_low"].as_f64().unwrap_or(f64::NAN),
        effect["ci95_high"].as_f64().unwrap_or(f64::NAN),
    );
    if lo > 0.0 || hi < 0.0 {
        let verb = if c > 0.0 {
            "delays isolation most (SRRC +"
        } else {
            "brings isolation forward most (SRRC −"
        };
        assert!(
            page.contains(&format!("Raising {top} (")),
            "top factor named"
        );
        assert!(page.contains(verb), "direction: {verb}");
        assert!(page.contains("95\u{a0}%\u{a0}CI "), "interval");
    } else {
        assert!(page.contains("No factor clearly drives the isolation day"));
    }
    assert!(page.contains("Together the 3 factors explain "));
    // Every capture is censored: said in words, with no coefficient and no crash.
    let capture = farm_outcome(&doc, "capture_day");
    assert!(
        capture["r_squared"].is_null(),
        "the test wants every capture censored: {capture}"
    );
    assert!(
        page.contains(
            "None of the 18 runs took Alpha, so nothing can be said of what drives the capture day."
        ),
        "null regression in words"
    );
    assert!(page.contains("Capture day: no ranking ("));
    assert!(
        page.contains("There are no bars: "),
        "the empty tornado's caption"
    );
    // Factors whose interval includes 0 are named as no clear effect, never as drivers.
    let unclear = iso["effects"].as_array().into_iter().flatten().any(|e| {
        let (lo, hi) = (
            e["ci95_low"].as_f64().unwrap_or(0.0),
            e["ci95_high"].as_f64().unwrap_or(0.0),
        );
        lo <= 0.0 && hi >= 0.0
    });
    assert_eq!(
        page.contains("No clear effect (95\u{a0}% interval includes 0) on isolation: "),
        unclear
    );
    // Tables: effects, factors with their range and the scenario's own value, the design.
    assert!(page.contains("What drives each outcome: each factor"));
    assert!(page.contains("<code>side.blue.lethality_per_day</code>"));
    assert!(page.contains("The factors: 3 assumptions varied at once"));
    assert!(
        page.contains("0.02 (default)"),
        "lethality is not set in tiny"
    );
    assert!(page.contains("9 points × 2 seeds (seeds 1–2) = 18 runs"));
    assert!(page.contains("the 0.05 target"));
    // Every chart inline, as a PNG data URI, with its caption.
    let outcomes = doc["outcomes"].as_array().map_or(0, Vec::len);
    assert_eq!(
        page.matches("<img ").count(),
        2 * outcomes,
        "two charts per outcome"
    );
    for o in doc["outcomes"].as_array().into_iter().flatten() {
        let id = o["outcome"].as_str().unwrap_or("?");
        for stem in [format!("tornado_{id}"), format!("top_factor_{id}")] {
            let png =
                read_bytes(&dir.join(format!("{stem}.png"))).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                page.contains(&format!("data:image/png;base64,{}", charts::base64(&png))),
                "{stem}.png inline"
            );
            assert!(page.contains(&format!("({stem}.png)")), "{stem} captioned");
        }
    }
    // Method, assumptions and provenance, with the design file.
    assert!(page.contains("Standardized rank regression coefficients (SRRC; Saltelli et al."));
    assert!(
        !page.contains("_reached</code>"),
        "the method shows its first sentences only"
    );
    assert!(
        page.contains("Three tiny assumptions."),
        "the design's description"
    );
    assert!(page.contains("Every run stopped after 20 days."));
    assert!(
        page.contains("A small farm for the briefing tests."),
        "its header notes"
    );
    assert!(
        page.contains("Six settlements: isolate Alpha"),
        "the scenario's description"
    );
    assert!(
        page.contains(&plan.design_sha256),
        "the design's full SHA-256"
    );
    assert!(page.contains(&tiny().sha256));
    assert!(page.contains("seeds 1–2 at each of 9 design points (18 runs)"));
    assert!(
        page.contains("phaseline farm farm-design.toml"),
        "command line"
    );
    // Same folder, same bytes.
    assert_eq!(
        page,
        render_briefing(&dir).unwrap_or_else(|e| panic!("{e}"))
    );
    write_briefing(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page, read(&path));
}

#[test]
fn a_farm_page_without_its_design_file_still_briefs_and_says_so() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("farm");
    let plan = make_farm(&dir);
    fs::write(&plan.design_file, "# changed since\n").unwrap_or_else(|e| panic!("{e}"));
    fs::remove_file(dir.join("tornado_isolation_day.png")).unwrap_or_else(|e| panic!("{e}"));
    let page = render_briefing(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_sections(&page, &FARM_SECTIONS);
    assert!(page.contains("The design file"));
    assert!(page.contains("has changed since these results were made"));
    assert!(page.contains("Not drawn in this folder: tornado_isolation_day.png"));
    assert!(
        page.contains("Six settlements: isolate Alpha"),
        "the scenario is still found"
    );
}

#[test]
fn a_run_without_charts_or_scenario_file_still_briefs_and_says_what_is_missing() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("seed-7");
    make_run(&dir, false);
    let manifest_path = dir.join("manifest.json");
    let text = read(&manifest_path).replace(
        &tiny().path.display().to_string(),
        "/nonexistent/phaseline/tiny.toml",
    );
    fs::write(&manifest_path, text).unwrap_or_else(|e| panic!("{e}"));
    let page = render_briefing(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_common(&page);
    assert!(page.contains("was not found from here"));
    assert!(page.contains("Not drawn in this folder: campaign.png"));
    assert!(
        page.contains("Alpha was isolated on day"),
        "names come from snapshots.json"
    );
}

#[test]
fn a_folder_without_results_is_refused() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let err = write_briefing(tmp.path()).err();
    assert!(
        matches!(err, Some(BriefError::NotResults { .. })),
        "{err:?}"
    );
    assert!(!tmp.path().join("briefing.html").exists());
}

#[test]
fn text_is_escaped_by_the_templates_and_never_becomes_markup() {
    // maud escapes `& < > "` in text; a quote needs no escape in text.
    assert_eq!(
        html::para(r#"<a href="x">&'"#).into_string(),
        "<p>&lt;a href=&quot;x&quot;&gt;&amp;'</p>"
    );
    // In attribute values too: a table's class and a section's id are quoted and escaped.
    let row = html::Row::new(vec![html::Cell::Text("a < b && c > d".to_owned())]);
    let t = html::table(r#"x" onload="y"#, "c", &["h"], &[row], false).into_string();
    assert!(
        t.starts_with(r#"<table class="x&quot; onload=&quot;y">"#),
        "{t}"
    );
    assert!(well_formed(&t).is_ok(), "{t}");
    let s = html::section("s", "a & b", html::para("x")).into_string();
    assert_eq!(
        s,
        r#"<section id="s" aria-labelledby="s-h"><h2 id="s-h">a &amp; b</h2><p>x</p></section>"#
    );
    assert!(well_formed("<p><b>x</p></b>").is_err());
    assert!(well_formed("<p>a & b</p>").is_err());
}

#[test]
fn base64_matches_rfc_4648() {
    for (input, expected) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(charts::base64(input.as_bytes()), expected);
    }
    assert_eq!(charts::base64(&[0xfb, 0xff, 0xbf]), "+/+/");
}

#[test]
fn timeline_labels_never_overlap_even_when_milestones_crowd() {
    let tl = timeline::Timeline {
        end_day: 120.0,
        calendar: words::Calendar::default(),
        rows: vec![timeline::Row {
            label: String::new(),
            phases: timeline::spans(
                &[
                    ("Isolate".to_owned(), Some(0.0)),
                    ("Clear".to_owned(), Some(10.0)),
                    ("Assault".to_owned(), Some(13.0)),
                    ("Never".to_owned(), None),
                ],
                120.0,
            ),
            marks: vec![
                timeline::Mark {
                    day: 7.0,
                    label: "isolated, day 7".to_owned(),
                    range: Some((6.0, 9.0)),
                    colour: timeline::GREEN,
                },
                timeline::Mark {
                    day: 12.0,
                    label: "taken, day 12".to_owned(),
                    range: None,
                    colour: timeline::PURPLE,
                },
                timeline::Mark {
                    day: 119.0,
                    label: "inject: a long label at the very end".to_owned(),
                    range: None,
                    colour: timeline::INJECT,
                },
            ],
        }],
    };
    let svg = tl.svg("t", "d").into_string();
    assert!(well_formed(&svg).is_ok(), "{svg}");
    assert!(
        svg.contains("text-anchor=\"end\""),
        "a label near the right edge turns left"
    );
    assert!(
        svg.contains(">Isolate<"),
        "a wide phase is labelled inside its bar"
    );
    assert!(!svg.contains("Never"), "a phase never reached has no bar");
    assert_eq!(svg, tl.svg("t", "d").into_string());
}

#[test]
#[ignore = "writes sample folders for looking at the pages"]
fn write_samples() {
    let root = PathBuf::from(std::env::var("BRIEF_SAMPLES").unwrap_or_else(|e| panic!("{e}")));
    fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
    make_run(&root.join("run"), true);
    make_sweep(&root.join("sweep"));
    make_compare(&root.join("compare"));
    make_farm(&root.join("farm"));
    for kind in ["run", "sweep", "compare", "farm"] {
        write_briefing(&root.join(kind)).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
#[ignore = "rewrites briefing.html in the folders listed in BRIEF_DIRS (comma-separated)"]
fn write_pages_in_folders() {
    let dirs = std::env::var("BRIEF_DIRS").unwrap_or_else(|e| panic!("{e}"));
    for dir in dirs.split(',').filter(|d| !d.is_empty()) {
        let path = write_briefing(Path::new(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
        eprintln!("wrote {}", path.display());
    }
}

/// A summary read from JSON text, as the page reads `summary.json`.
fn summary(json: &str) -> super::files::Summary {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn phases_that_began_after_the_objective_fell_are_not_told_as_the_road_to_it() {
    let s = summary(
        r#"{"seed": 1, "days_simulated": 30, "isolation_day": 2, "capture_day": 3,
            "final_isolation_index": 1,
            "phases": [{"name": "Isolate", "start_day": 0}, {"name": "Clear", "start_day": 7},
                       {"name": "Assault", "start_day": 8}]}"#,
    );
    let cal = super::words::Calendar::from_iso(Some("2016-11-05"));
    let text = super::run::phase_changes(&s, &cal, "Alpha");
    assert!(!text.contains("Clear began"), "{text}");
    assert!(
        text.contains("After Alpha fell on day\u{a0}3")
            && text.contains("Clear on day\u{a0}7 and Assault on day\u{a0}8"),
        "{text}"
    );
}

#[test]
fn civilian_harm_and_displacement_are_split_at_the_capture() {
    let s = summary(
        r#"{"seed": 1, "days_simulated": 365, "isolation_day": 60, "capture_day": 151,
            "final_isolation_index": 1, "civilian_harm_index": 104.35,
            "displaced_civilians": 124291, "civilian_harm_to_capture": 38,
            "civilian_harm_after_capture": 66.35, "displaced_to_capture": 123361,
            "displaced_after_capture": 930}"#,
    );
    let text = super::run::civilians_sentence(&s, &super::words::Calendar::default());
    assert!(
        text.contains("104.35 (38 by the capture, 66.35 after it)")
            && text.contains("124,291 (123,361 by the capture, 930 after it)"),
        "{text}"
    );
}
