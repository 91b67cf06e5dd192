//! `--set PATH=VALUE`: changing one scenario field for one invocation, validated like the file.
//!
//! A path names a field the way the format reference does: `air.sorties_per_day`,
//! `scenario.duration_days`, and for repeated tables an element by id or by position —
//! `side.isis.reserve_strength`, `unit.sdf-1.strength`, `route.0.capacity_tons_per_day`
//! (`objective.0.…` and `phase.1.trigger.day` by position). The value is read as a TOML value
//! (`40`, `0.5`, `"text"`, `true`, `["a", "b"]`) and, if that fails, taken as text. The file is
//! checked on its own first, so its problems keep their lines; then the overrides are applied to its
//! document and the result is validated again, with problems located by path.

use super::loc::SourceFormat;
use super::problem::Problem;
use serde_json::Value;

/// One `PATH=VALUE` override.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Dotted path, e.g. `air.sorties_per_day`.
    pub path: String,
    /// The value as written.
    pub value_text: String,
}

impl std::str::FromStr for Override {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (path, value) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}` is not PATH=VALUE (e.g. air.sorties_per_day=40)"))?;
        if path.trim().is_empty() {
            return Err(format!("`{s}` has an empty path"));
        }
        Ok(Override {
            path: path.trim().to_owned(),
            value_text: value.trim().to_owned(),
        })
    }
}

impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, self.value_text)
    }
}

/// Applies `overrides` to scenario `text`, returning the new document as JSON text.
pub fn apply(
    text: &str,
    format: SourceFormat,
    overrides: &[Override],
) -> Result<String, Vec<Problem>> {
    let mut doc = document(text, format)?;
    apply_to(&mut doc, overrides)?;
    serde_json::to_string(&doc).map_err(|e| vec![Problem::new("/", None, e.to_string(), "")])
}

/// The scenario `text` as a document (a JSON value tree), for edits by path.
pub fn document(text: &str, format: SourceFormat) -> Result<Value, Vec<Problem>> {
    Ok(match format {
        SourceFormat::Toml => toml::from_str::<toml::Table>(text)
            .map_err(|e| {
                vec![Problem::new(
                    "/",
                    e.span(),
                    e.message().to_owned(),
                    "fix the file first",
                )]
            })
            .and_then(|t| {
                serde_json::to_value(t)
                    .map_err(|e| vec![Problem::new("/", None, e.to_string(), "")])
            })?,
        SourceFormat::Json => serde_json::from_str(text)
            .map_err(|e| vec![Problem::new("/", None, e.to_string(), "fix the file first")])?,
    })
}

/// Applies `overrides` to the document `doc` in order; every path that fails is a problem.
pub fn apply_to(doc: &mut Value, overrides: &[Override]) -> Result<(), Vec<Problem>> {
    let problems: Vec<Problem> = overrides.iter().filter_map(|o| set(doc, o).err()).collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The value an override's text stands for: a TOML value (`40`, `0.5`, `"text"`, `true`), or the
/// text itself.
pub fn value_of(text: &str) -> Value {
    parse_value(text)
}

fn parse_value(text: &str) -> Value {
    toml::from_str::<toml::Table>(&format!("v = {text}"))
        .ok()
        .and_then(|t| t.get("v").cloned())
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or_else(|| Value::String(text.to_owned()))
}

/// The id `--set` knows an element of a repeated table by: its `id`, an objective's `settlement`,
/// or a route's default id `<from>-<to>`.
fn element_id(item: &Value) -> Option<String> {
    let text = |k: &str| item.get(k).and_then(Value::as_str);
    if let Some(id) = text("id").or_else(|| text("settlement")) {
        return Some(id.to_owned());
    }
    Some(format!("{}-{}", text("from")?, text("to")?))
}

fn set(doc: &mut Value, o: &Override) -> Result<(), Problem> {
    let fail = |why: String| {
        Problem::new(
            format!("--set {o}"),
            None,
            why,
            "see the format reference in scenarios/README.md for field paths",
        )
    };
    let segments: Vec<&str> = o.path.split('.').collect();
    let mut cur = doc;
    let mut i = 0;
    while i < segments.len() - 1 {
        let seg = segments[i];
        let next = cur
            .as_object_mut()
            .ok_or_else(|| fail(format!("`{}` is not a table", segments[..i].join("."))))?
            .entry(seg.to_owned())
            .or_insert_with(|| Value::Object(Default::default()));
        cur = match next {
            Value::Array(items) => {
                i += 1;
                let key = segments[i];
                let pos = key
                    .parse::<usize>()
                    .ok()
                    .filter(|p| *p < items.len())
                    .or_else(|| {
                        items
                            .iter()
                            .position(|it| element_id(it).as_deref() == Some(key))
                    });
                let pos = pos.ok_or_else(|| {
                    let ids: Vec<String> = items.iter().filter_map(element_id).collect();
                    let hint = super::check::suggestion(key, ids.iter().map(String::as_str));
                    fail(format!(
                        "no [[{seg}]] has id `{key}` or position {key} (positions count from 0, \
                         {} [[{seg}]] tables){hint}",
                        items.len()
                    ))
                })?;
                &mut items[pos]
            }
            other => other,
        };
        i += 1;
    }
    let field = segments[segments.len() - 1];
    let table = cur
        .as_object_mut()
        .ok_or_else(|| fail(format!("`{}` is not a table", o.path)))?;
    table.insert(field.to_owned(), parse_value(&o.value_text));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_fields_by_table_id_and_position() {
        let text = "[air]\nsorties_per_day = 4\n[[unit]]\nid = \"a\"\nstrength = 5\n[[unit]]\nid = \"b\"\nstrength = 6\n";
        let sets: Vec<Override> = [
            "air.sorties_per_day=40",
            "unit.b.strength=60",
            "unit.0.strength=50",
        ]
        .iter()
        .map(|s| s.parse().unwrap_or_else(|e| panic!("{e}")))
        .collect();
        let json = apply(text, SourceFormat::Toml, &sets).unwrap_or_default();
        let v: Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(v["air"]["sorties_per_day"], 40);
        assert_eq!(v["unit"][1]["strength"], 60);
        assert_eq!(v["unit"][0]["strength"], 50);
    }

    #[test]
    fn unknown_element_is_a_problem() {
        let o: Override = "unit.zzz.strength=1"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let err = apply("[[unit]]\nid = \"a\"\n", SourceFormat::Toml, &[o])
            .err()
            .unwrap_or_default();
        assert_eq!(err.len(), 1);
        assert!(err[0].message.contains("zzz"));
    }

    #[test]
    fn malformed_override_is_refused() {
        assert!("air.sorties_per_day".parse::<Override>().is_err());
        assert!("=4".parse::<Override>().is_err());
    }
}
