//! Doctrine files: a side's parameters kept apart from the theatre, so that a doctrine fitted on one
//! campaign applies unchanged to another theatre's map and forces.
//!
//! A scenario names one with `[scenario] doctrine = "doctrine/x.toml"` (relative to the scenario).
//! The merge happens on the documents, before the scenario is validated: the doctrine's tables are
//! the base and whatever the scenario writes itself wins, field by field. Doctrine sides are matched
//! to the scenario's by `role`, never by id, so that any theatre can use them. Because the merge
//! works on documents, every side, air or scenario parameter the format has, or will have, can come
//! from a doctrine; only what is tied to a place is refused, by a deny list ([`PLACE_TABLES`],
//! [`PLACE_FIELDS`]): settlements, routes, units, depots, objectives, phases, fronts, injects,
//! features, a side's id, name and reserve, the air effort a theatre gets, the scenario's name and
//! dates.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::Value;
use toml::de::{DeTable, DeValue};

use crate::scenario::Problem;
use crate::scenario::schema::{FIELDS, FieldKind, FieldSpec};

/// Tables a doctrine may not hold: they describe one theatre.
pub const PLACE_TABLES: &[&str] = &[
    "settlement",
    "route",
    "unit",
    "depot",
    "objective",
    "phase",
    "front",
    "inject",
    "feature",
];

/// Fields of the doctrine-capable tables that still describe one theatre or one force.
pub const PLACE_FIELDS: &[(&str, &str, &str)] = &[
    ("scenario", "name", "the scenario's name"),
    ("scenario", "description", "the scenario's description"),
    ("scenario", "format_version", "the scenario's format"),
    ("scenario", "start_date", "the campaign's dates"),
    ("scenario", "duration_days", "the campaign's length"),
    (
        "scenario",
        "doctrine",
        "a doctrine cannot name another doctrine",
    ),
    (
        "side",
        "id",
        "a side's id belongs to the theatre (doctrine sides are matched by `role`)",
    ),
    ("side", "name", "a side's name belongs to the theatre"),
    ("side", "reserve_strength", "the size of a force"),
    ("side", "reserve_at", "a place"),
    ("air", "sorties_per_day", "the air effort a theatre gets"),
];

/// The doctrine file a scenario used, for provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctrineSource {
    /// The file, as resolved from the scenario's folder.
    pub path: PathBuf,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
    /// `[doctrine] name`, or the file stem.
    pub name: String,
}

/// Why a field or table is refused in a doctrine, if it is.
pub fn place_specific(table: &str, field: Option<&str>) -> Option<String> {
    if PLACE_TABLES.contains(&table) {
        return Some(format!(
            "[[{table}]] describes one theatre; a doctrine holds no place-specific table"
        ));
    }
    let field = field?;
    PLACE_FIELDS
        .iter()
        .find(|(t, f, _)| *t == table && *f == field)
        .map(|(_, _, why)| format!("`{table}.{field}` is place-specific ({why})"))
}

/// Checks a doctrine file's text and returns it as a document (a JSON value tree).
///
/// Every problem is returned at once, located in the doctrine's text: syntax, a table or field that
/// is not doctrine (place-specific or unknown), a side without a `role` or with a role given twice,
/// a value of the wrong type or outside the format's range.
pub fn check_doctrine(text: &str) -> Result<Value, Vec<Problem>> {
    let table = DeTable::parse(text).map_err(|e| {
        vec![Problem::new(
            "/",
            e.span(),
            format!("TOML syntax: {}", e.message().trim()),
            "fix the syntax at the marked place (TOML reference: https://toml.io)",
        )]
    })?;
    let mut problems = Vec::new();
    for (key, value) in table.get_ref() {
        let name = key.get_ref().as_ref();
        let at = Some(key.span());
        match (name, value.get_ref()) {
            ("doctrine", DeValue::Table(t)) => {
                for (k, v) in t {
                    let field = k.get_ref().as_ref();
                    if field != "name" && field != "description" {
                        problems.push(unknown(&format!("doctrine/{field}"), Some(k.span()), "name, description"));
                    } else if !matches!(v.get_ref(), DeValue::String(_)) {
                        problems.push(wrong(&format!("/doctrine/{field}"), v.span(), "text"));
                    }
                }
            }
            ("side", DeValue::Array(items)) => {
                let mut roles: Vec<String> = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let DeValue::Table(t) = item.get_ref() else {
                        problems.push(wrong(&format!("/side/{i}"), item.span(), "a table"));
                        continue;
                    };
                    check_side(t, i, item.span(), &mut roles, &mut problems);
                }
            }
            ("air", DeValue::Table(t)) => check_fields("air", "/air", t, &mut problems),
            ("scenario", DeValue::Table(t)) => {
                check_fields("scenario", "/scenario", t, &mut problems)
            }
            ("uncertain", DeValue::Array(_)) => {} // checked with the parameters it names
            (t, _) if place_specific(t, None).is_some() => problems.push(Problem::new(
                format!("/{t}"),
                at,
                place_specific(t, None).unwrap_or_default(),
                format!("move the [[{t}]] tables into the scenario; a doctrine holds [[side]] (by role), [air], [scenario] parameters and [[uncertain]]"),
            )),
            ("doctrine" | "side" | "air" | "scenario" | "uncertain", _) => {
                problems.push(wrong(&format!("/{name}"), value.span(), "a table"))
            }
            _ => problems.push(unknown(name, at, "doctrine, side, air, scenario, uncertain")),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
        return Err(problems);
    }
    crate::scenario::overrides::document(text, crate::scenario::SourceFormat::Toml)
}

fn unknown(path: &str, at: Option<Range<usize>>, known: &str) -> Problem {
    let key = path.rsplit('/').next().unwrap_or(path);
    Problem::new(
        format!("/{}", path.trim_start_matches('/')),
        at,
        format!("unknown field `{key}` in a doctrine"),
        format!(
            "remove it, or use one of: {known} (see \"Doctrine files\" in scenarios/README.md)"
        ),
    )
}

fn wrong(path: &str, at: Range<usize>, what: &str) -> Problem {
    Problem::new(
        path,
        Some(at),
        format!("expected {what} here"),
        "see \"Doctrine files\" in scenarios/README.md",
    )
}

fn check_side(
    t: &DeTable<'_>,
    i: usize,
    span: Range<usize>,
    roles: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) {
    let role = t.iter().find(|(k, _)| k.get_ref().as_ref() == "role");
    match role.map(|(_, v)| v) {
        Some(v) => match v.get_ref() {
            DeValue::String(r) if r == "attacker" || r == "defender" => {
                if roles.iter().any(|x| x == r.as_ref()) {
                    problems.push(Problem::new(
                        format!("/side/{i}/role"),
                        Some(v.span()),
                        format!("a second [[side]] with role `{r}`"),
                        "give each role at most one [[side]] table",
                    ));
                }
                roles.push(r.to_string());
            }
            _ => problems.push(Problem::new(
                format!("/side/{i}/role"),
                Some(v.span()),
                "`role` must be \"attacker\" or \"defender\"",
                "a doctrine side is matched to the scenario's side of the same role",
            )),
        },
        None => problems.push(Problem::new(
            format!("/side/{i}"),
            Some(span),
            "[[side]] is missing required field `role`",
            "add `role = \"attacker\"` or `role = \"defender\"`: a doctrine side applies to the scenario's side of that role",
        )),
    }
    let fields: DeTable<'_> = t
        .iter()
        .filter(|(k, _)| k.get_ref().as_ref() != "role")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    check_fields("side", &format!("/side/{i}"), &fields, problems);
}

/// Checks every field of a doctrine table against the format's schema and the deny list.
fn check_fields(table: &str, path: &str, t: &DeTable<'_>, problems: &mut Vec<Problem>) {
    for (k, v) in t {
        let field = k.get_ref().as_ref();
        let here = format!("{path}/{field}");
        if let Some(why) = place_specific(table, Some(field)) {
            problems.push(Problem::new(
                here,
                Some(k.span()),
                format!("{why}; a doctrine holds no place-specific number"),
                "set it in the scenario; a doctrine must apply unchanged to any theatre",
            ));
            continue;
        }
        let Some(spec) = FIELDS.iter().find(|s| s.table == table && s.name == field) else {
            let known: Vec<&str> = FIELDS
                .iter()
                .filter(|s| s.table == table && place_specific(table, Some(s.name)).is_none())
                .map(|s| s.name)
                .collect();
            let near = known
                .iter()
                .min_by_key(|n| strsim::levenshtein(n, field))
                .filter(|n| strsim::levenshtein(n, field) <= 3)
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            problems.push(Problem::new(
                here,
                Some(k.span()),
                format!("unknown field `{field}` in [{table}]"),
                format!(
                    "{near}the doctrine fields of [{table}] are: {}",
                    known.join(", ")
                ),
            ));
            continue;
        };
        if let FieldKind::Table = spec.kind {
            match v.get_ref() {
                DeValue::Table(inner) => {
                    check_fields(&format!("{table}.{field}"), &here, inner, problems)
                }
                _ => problems.push(wrong(&here, v.span(), "a table")),
            }
            continue;
        }
        if let Some(why) = value_problem(spec, v.get_ref()) {
            problems.push(Problem::new(
                here,
                Some(v.span()),
                why,
                format!("{} (scenarios/README.md)", spec.doc),
            ));
        }
    }
}

/// What is wrong with `value` for the field `spec`, if anything.
fn value_problem(spec: &FieldSpec, value: &DeValue<'_>) -> Option<String> {
    let number = match value {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        _ => None,
    };
    match spec.kind {
        FieldKind::Number | FieldKind::Integer => match number {
            None => Some(format!("`{}` must be a number", spec.name)),
            Some(x) if x < spec.min || x > spec.max => Some(format!(
                "`{}` = {x} is outside its range {} – {}",
                spec.name, spec.min, spec.max
            )),
            Some(x) if spec.kind == FieldKind::Integer && x.fract() != 0.0 => {
                Some(format!("`{}` must be a whole number", spec.name))
            }
            Some(_) => None,
        },
        FieldKind::Bool => (!matches!(value, DeValue::Boolean(_)))
            .then(|| format!("`{}` must be true or false", spec.name)),
        FieldKind::Enum(words) => match value {
            DeValue::String(s) if words.contains(&s.as_ref()) => None,
            _ => Some(format!(
                "`{}` must be one of: {}",
                spec.name,
                words.join(", ")
            )),
        },
        _ => {
            (!matches!(value, DeValue::String(_))).then(|| format!("`{}` must be text", spec.name))
        }
    }
}

/// Merges the checked doctrine document into the scenario document: the doctrine's `[scenario]`,
/// `[air]` (with `[air.priorities]`) and per-role `[[side]]` fields fill in whatever the scenario
/// does not set itself. Returns the paths (`side.<role>.<field>`, `air.<field>`, …) the scenario
/// set itself where the doctrine also had a value: local overrides, for the briefing and for
/// dropping a doctrine's `[[uncertain]]` entry on a parameter the scenario fixes.
pub fn merge(doc: &mut Value, doctrine: &Value) -> Vec<String> {
    let mut overridden = Vec::new();
    for table in ["scenario", "air"] {
        if let Some(Value::Object(base)) = doctrine.get(table) {
            let target = doc.as_object_mut().map(|d| {
                d.entry(table)
                    .or_insert_with(|| Value::Object(Default::default()))
            });
            if let Some(Value::Object(target)) = target {
                fill(target, base, table, &mut overridden);
            }
        }
    }
    let sides = doctrine.get("side").and_then(Value::as_array);
    for base in sides.into_iter().flatten() {
        let (Some(role), Some(base)) = (base.get("role").and_then(Value::as_str), base.as_object())
        else {
            continue;
        };
        let targets = doc.get_mut("side").and_then(Value::as_array_mut);
        for side in targets.into_iter().flatten() {
            if side.get("role").and_then(Value::as_str) != Some(role) {
                continue;
            }
            if let Value::Object(target) = side {
                let mut base = base.clone();
                base.remove("role");
                fill(target, &base, &format!("side.{role}"), &mut overridden);
            }
        }
    }
    overridden
}

fn fill(
    target: &mut serde_json::Map<String, Value>,
    base: &serde_json::Map<String, Value>,
    prefix: &str,
    overridden: &mut Vec<String>,
) {
    for (k, v) in base {
        match (target.get_mut(k), v) {
            (Some(Value::Object(t)), Value::Object(b)) => {
                fill(t, b, &format!("{prefix}.{k}"), overridden)
            }
            (Some(_), _) => overridden.push(format!("{prefix}.{k}")),
            (None, _) => {
                target.insert(k.clone(), v.clone());
            }
        }
    }
}

/// The doctrine file named by `written` in the scenario at `scenario_path`: relative to the
/// scenario's folder.
pub fn resolve(scenario_path: &Path, written: &str) -> PathBuf {
    scenario_path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(written)
}

/// The name a doctrine document gives itself, or the file stem.
pub fn name_of(doctrine: &Value, path: &Path) -> String {
    doctrine
        .pointer("/doctrine/name")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_place_specific_tables_and_fields_with_their_lines() {
        let text = "[[side]]\nrole = \"attacker\"\nlethality_per_day = 0.01\nreserve_strength = 5\n\n[[settlement]]\nid = \"x\"\n\n[air]\nsorties_per_day = 3\neffect_probability = 2.0\n";
        let problems = check_doctrine(text).err().unwrap_or_default();
        let lines: Vec<(usize, String)> = problems
            .iter()
            .map(|p| (p.line_col(text).map_or(0, |l| l.0), p.path.clone()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (4, "/side/0/reserve_strength".to_owned()),
                (6, "/settlement".to_owned()),
                (10, "/air/sorties_per_day".to_owned()),
                (11, "/air/effect_probability".to_owned()),
            ]
        );
    }

    #[test]
    fn a_side_needs_a_role_and_the_scenario_wins() {
        let missing = check_doctrine("[[side]]\nlethality_per_day = 0.01\n");
        assert!(missing.is_err());
        let doctrine = check_doctrine(
            "[[side]]\nrole = \"defender\"\nlethality_per_day = 0.5\nbreakpoint_cohesion = 0.2\n[air]\n[air.priorities]\ndepots = 4\n",
        )
        .unwrap_or_default();
        let mut doc: Value = serde_json::json!({
            "side": [{"id": "a", "role": "attacker"}, {"id": "d", "role": "defender", "lethality_per_day": 0.1}],
            "air": {"priorities": {"leadership": 2}}
        });
        let overridden = merge(&mut doc, &doctrine);
        assert_eq!(
            overridden,
            vec!["side.defender.lethality_per_day".to_owned()]
        );
        assert_eq!(doc["side"][1]["lethality_per_day"], 0.1);
        assert_eq!(doc["side"][1]["breakpoint_cohesion"], 0.2);
        assert_eq!(doc["side"][0].get("breakpoint_cohesion"), None);
        assert_eq!(doc["air"]["priorities"]["depots"], 4);
        assert_eq!(doc["air"]["priorities"]["leadership"], 2);
    }
}
