//! The scenario file named in `manifest.json`, read only when its SHA-256 matches the one the results
//! were made from: its description, header notes, start date, names, and the parameters it sets away
//! from the defaults of the format (`scenario::schema::FIELDS`).
//!
//! The path is tried as written (relative to the working folder) and then relative to each folder
//! above the results folder, so `output/raqqa/seed-1` still finds `scenarios/raqqa.toml`. A file
//! that is missing or has changed since the run is left out, and the page says so: what the page
//! shows of a scenario is always what the results were made from.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::scenario::schema::{FIELDS, FieldKind};

/// A scenario file found and verified by its SHA-256.
#[derive(Debug, Clone)]
pub(crate) struct ScenarioDoc {
    /// The whole document as JSON (TOML converted).
    pub(crate) doc: Value,
    /// The comment block at the head of a TOML file, `# ` removed.
    pub(crate) header_notes: String,
}

/// The outcome of looking for a scenario file.
#[derive(Debug, Clone)]
pub(crate) enum Lookup {
    /// Found, with the expected SHA-256.
    Found(Box<ScenarioDoc>),
    /// Not found, changed, or unreadable: why, in words.
    Missing(String),
}

impl Lookup {
    /// The document, when found.
    pub(crate) fn doc(&self) -> Option<&ScenarioDoc> {
        match self {
            Lookup::Found(d) => Some(d),
            Lookup::Missing(_) => None,
        }
    }
}

/// Looks for `file` (as written in the manifest) from the working folder and from each folder above
/// `results_dir`, and reads the first copy whose SHA-256 is `sha256`.
pub(crate) fn find(results_dir: &Path, file: &str, sha256: &str) -> Lookup {
    find_named(results_dir, file, sha256, "scenario file")
}

/// As [`find`], for a file that the page calls `what` (`design file`) when it cannot be used.
pub(crate) fn find_named(results_dir: &Path, file: &str, sha256: &str, what: &str) -> Lookup {
    let given = Path::new(file);
    let mut candidates: Vec<PathBuf> = vec![given.to_path_buf()];
    if given.is_relative() {
        let base = std::fs::canonicalize(results_dir).unwrap_or_else(|_| results_dir.to_owned());
        candidates.extend(base.ancestors().map(|a| a.join(given)));
    }
    candidates.dedup();
    let mut changed = false;
    for path in &candidates {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        if !crate::scenario::hex_sha256(&bytes).eq_ignore_ascii_case(sha256.trim()) {
            changed = true;
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        return match parse(&text, path) {
            Some(doc) => Lookup::Found(Box::new(doc)),
            None => Lookup::Missing(format!("the {what} {file} could not be parsed")),
        };
    }
    Lookup::Missing(if changed {
        format!(
            "the {what} {file} has changed since these results were made (its SHA-256 differs), \
             so its description and notes are left out"
        )
    } else {
        format!(
            "the {what} {file} was not found from here, so its description and notes are left out"
        )
    })
}

/// Parses TOML (or JSON, by extension) into a JSON value and takes the TOML header comment.
fn parse(text: &str, path: &Path) -> Option<ScenarioDoc> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let doc = if is_json {
        serde_json::from_str(text).ok()?
    } else {
        serde_json::to_value(toml::from_str::<toml::Table>(text).ok()?).ok()?
    };
    let header_notes = if is_json {
        String::new()
    } else {
        header_comment(text)
    };
    Some(ScenarioDoc { doc, header_notes })
}

/// The comment lines before the first line of TOML, without their `#`.
fn header_comment(text: &str) -> String {
    let mut lines = Vec::new();
    for line in text.lines() {
        let t = line.trim_end();
        if let Some(rest) = t.strip_prefix('#') {
            lines.push(rest.strip_prefix(' ').unwrap_or(rest).to_owned());
        } else if t.trim().is_empty() {
            lines.push(String::new());
        } else {
            break;
        }
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    lines.join("\n")
}

/// A text value (a TOML date read as JSON is an object holding its text).
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m.values().next().and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

impl ScenarioDoc {
    /// `[scenario] description`.
    pub(crate) fn description(&self) -> Option<String> {
        text_of(&self.doc["scenario"]["description"]).filter(|s| !s.trim().is_empty())
    }

    /// The text at `table.key` (`farm.description`), when set and not blank.
    pub(crate) fn text_at(&self, table: &str, key: &str) -> Option<String> {
        text_of(&self.doc[table][key]).filter(|s| !s.trim().is_empty())
    }

    /// The value a `--set` path (`side.blue.lethality_per_day`, `front.0.c2_load`) names in the
    /// file, as written there; an entry of a repeated table is found by position, `id` or
    /// `settlement`, as `--set` finds it. `None` when the file does not set it.
    pub(crate) fn value_at(&self, path: &str) -> Option<String> {
        let mut segments = path.split('.');
        let mut cur = &self.doc;
        while let Some(seg) = segments.next() {
            cur = cur.get(seg)?;
            if let Value::Array(items) = cur {
                let key = segments.next()?;
                let by_key = |it: &&Value| {
                    it.get("id").and_then(Value::as_str) == Some(key)
                        || it.get("settlement").and_then(Value::as_str) == Some(key)
                };
                cur = match key.parse::<usize>().ok().and_then(|p| items.get(p)) {
                    Some(item) => item,
                    None => items.iter().find(by_key)?,
                };
            }
        }
        (!cur.is_null() && !cur.is_object() && !cur.is_array()).then(|| show(cur))
    }

    /// `[scenario] start_date`.
    pub(crate) fn start_date(&self) -> Option<String> {
        text_of(&self.doc["scenario"]["start_date"])
    }

    /// `[scenario] duration_days`.
    pub(crate) fn duration_days(&self) -> Option<f64> {
        self.doc["scenario"]["duration_days"].as_f64()
    }

    /// `[scenario] tick_hours` (6 by default).
    pub(crate) fn tick_hours(&self) -> f64 {
        self.doc["scenario"]["tick_hours"].as_f64().unwrap_or(6.0)
    }

    /// The phase names in order.
    pub(crate) fn phase_names(&self) -> Vec<String> {
        self.doc["phase"]
            .as_array()
            .map(|phases| {
                phases
                    .iter()
                    .filter_map(|p| p["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The display name of the primary objective (its settlement's `name`, else its id).
    pub(crate) fn objective_name(&self) -> Option<String> {
        let id = self.doc["objective"][0]["settlement"].as_str()?;
        let name = self.doc["settlement"]
            .as_array()?
            .iter()
            .find(|s| s["id"].as_str() == Some(id))
            .and_then(|s| s["name"].as_str())
            .unwrap_or(id);
        Some(name.to_owned())
    }
}

/// One parameter set away from its default, or differing between two courses of action.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParamRow {
    /// The `--set` path, e.g. `side.blue.lethality_per_day`.
    pub(crate) path: String,
    /// The values: one per document (`None`: not set there).
    pub(crate) values: Vec<Option<String>>,
    /// The default as the format reference writes it.
    pub(crate) default: String,
    /// What the parameter means.
    pub(crate) doc: &'static str,
}

/// The tables whose numbers are doctrine and model parameters (not the theatre's data), and the
/// field that names each entry of a repeated table.
const PARAMETER_TABLES: [(&str, Option<&str>); 5] = [
    ("scenario", None),
    ("side", Some("id")),
    ("air", None),
    ("air.priorities", None),
    ("front", Some("name")),
];

/// The entries of `table` in `doc` with the `--set` path prefix of each.
fn entries<'a>(doc: &'a Value, table: &str, key: Option<&str>) -> Vec<(String, &'a Value)> {
    let mut v = doc;
    for seg in table.split('.') {
        v = &v[seg];
    }
    match (v, key) {
        (Value::Array(items), Some(key)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let name = match item[key].as_str() {
                    Some(id) if key == "id" => id.to_owned(),
                    _ => i.to_string(),
                };
                (format!("{table}.{name}"), item)
            })
            .collect(),
        (Value::Object(_), None) => vec![(table.to_owned(), v)],
        _ => Vec::new(),
    }
}

/// A scalar for a table cell.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), |f| f.to_string()),
        other => text_of(other).unwrap_or_else(|| other.to_string()),
    }
}

/// The default of the field a `--set` path names (`side.blue.lethality_per_day` → `0.02`), from the
/// format reference; `None` for a field without a default or a path it does not know.
pub(crate) fn default_of(path: &str) -> Option<String> {
    let (prefix, name) = path.rsplit_once('.')?;
    let parent = prefix.rsplit_once('.').map(|(t, _)| t);
    FIELDS
        .iter()
        .find(|s| s.name == name && (s.table == prefix || Some(s.table) == parent))
        .filter(|s| !s.default.is_required())
        .map(|s| s.default.reference())
}

/// Numeric parameters that `docs` set away from the format's defaults (the union over the
/// documents, one value column per document), in the order of the format reference.
pub(crate) fn non_default_parameters(docs: &[&Value]) -> Vec<ParamRow> {
    let mut rows: Vec<ParamRow> = Vec::new();
    for (table, key) in PARAMETER_TABLES {
        let specs = FIELDS.iter().filter(|s| {
            s.table == table && matches!(s.kind, FieldKind::Number | FieldKind::Integer)
        });
        for spec in specs {
            if spec.default.is_required() {
                continue;
            }
            let default_num = spec.default.number();
            let mut paths: Vec<String> = Vec::new();
            for doc in docs {
                for (prefix, _) in entries(doc, table, key) {
                    let path = format!("{prefix}.{}", spec.name);
                    if !paths.contains(&path) {
                        paths.push(path);
                    }
                }
            }
            for path in paths {
                let values: Vec<Option<String>> = docs
                    .iter()
                    .map(|doc| {
                        let (_, entry) = entries(doc, table, key)
                            .into_iter()
                            .find(|(p, _)| format!("{p}.{}", spec.name) == path)?;
                        let v = &entry[spec.name];
                        (!v.is_null()).then_some(v)
                    })
                    .map(|v| {
                        v.filter(|v| match (v.as_f64(), default_num) {
                            (Some(x), Some(d)) => (x - d).abs() > 1e-12,
                            _ => true,
                        })
                        .map(show)
                    })
                    .collect();
                if values.iter().any(Option::is_some) {
                    rows.push(ParamRow {
                        path,
                        values,
                        default: spec.default.reference(),
                        doc: spec.doc,
                    });
                }
            }
        }
    }
    rows
}

/// Every value that differs between two scenario documents, by `--set`-style path (entries of
/// repeated tables named by `id`, `name` or `settlement`, else by position). `scenario.name` and
/// `scenario.description` are left out: they name the courses, they do not change them.
pub(crate) fn differences(a: &Value, b: &Value) -> Vec<(String, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    diff_into(a, b, "", &mut out);
    out.retain(|(p, _, _)| p != "scenario.name" && p != "scenario.description");
    out
}

fn entry_key(item: &Value, i: usize) -> String {
    ["id", "name", "settlement"]
        .iter()
        .find_map(|k| item[*k].as_str().map(str::to_owned))
        .unwrap_or_else(|| i.to_string())
}

fn join(prefix: &str, seg: &str) -> String {
    if prefix.is_empty() {
        seg.to_owned()
    } else {
        format!("{prefix}.{seg}")
    }
}

fn diff_into(
    a: &Value,
    b: &Value,
    path: &str,
    out: &mut Vec<(String, Option<String>, Option<String>)>,
) {
    let empty = Value::Object(serde_json::Map::new());
    match (a, b) {
        (Value::Object(_), Value::Null) => diff_into(a, &empty, path, out),
        (Value::Null, Value::Object(_)) => diff_into(&empty, b, path, out),
        (Value::Object(ma), Value::Object(mb)) => {
            let mut keys: Vec<&String> = ma.keys().chain(mb.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (va, vb) = (
                    ma.get(k).unwrap_or(&Value::Null),
                    mb.get(k).unwrap_or(&Value::Null),
                );
                diff_into(va, vb, &join(path, k), out);
            }
        }
        (Value::Array(xa), Value::Array(xb)) if xa.iter().chain(xb).all(Value::is_object) => {
            let keyed = |xs: &[Value]| -> Vec<(String, Value)> {
                xs.iter()
                    .enumerate()
                    .map(|(i, x)| (entry_key(x, i), x.clone()))
                    .collect()
            };
            let (ka, kb) = (keyed(xa), keyed(xb));
            let mut keys: Vec<String> = ka.iter().chain(&kb).map(|(k, _)| k.clone()).collect();
            keys.dedup();
            let mut seen = Vec::new();
            for k in keys {
                if seen.contains(&k) {
                    continue;
                }
                seen.push(k.clone());
                let find = |xs: &[(String, Value)]| {
                    xs.iter()
                        .find(|(kk, _)| *kk == k)
                        .map_or(Value::Null, |(_, v)| v.clone())
                };
                diff_into(&find(&ka), &find(&kb), &join(path, &k), out);
            }
        }
        _ => {
            let same = match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => x == y,
                _ => a == b,
            };
            if !same {
                let val = |v: &Value| (!v.is_null()).then(|| show(v));
                out.push((path.to_owned(), val(a), val(b)));
            }
        }
    }
}
