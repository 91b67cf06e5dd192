//! The field checker: reads raw fields against their [`FieldSpec`], collecting problems.
//!
//! Each accessor returns a usable value even when the field is wrong (a placeholder), so validation
//! walks the whole file; the problems list decides whether the result may be used.

use super::loc::Loc;
use super::problem::Problem;
use super::schema::{FieldDefault, FieldSpec, spec};
use std::collections::BTreeMap;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization as _;

/// Where a table is: its schema name, document path and span.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Schema table name (`unit`, `phase.trigger`).
    pub table: &'static str,
    /// Document path (`/unit/3`).
    pub path: String,
    /// Span of the table in a TOML file.
    pub span: Option<Range<usize>>,
    /// How a person would name this table in a message (`unit "sdf-1"`).
    pub label: String,
}

impl Ctx {
    /// Context of element `index` of a repeated table, or of a single table when `index` is `None`.
    pub fn new(table: &'static str, index: Option<usize>, span: Option<Range<usize>>) -> Ctx {
        let base = table.replace('.', "/");
        let (path, label) = match index {
            // Counted from 0, as `--set route.3.…` and the JSON path `/route/3` count.
            Some(i) => (format!("/{base}/{i}"), format!("[[{table}]] #{i}")),
            None => (format!("/{base}"), format!("[{table}]")),
        };
        Ctx {
            table,
            path,
            span,
            label,
        }
    }

    /// Names the table by its id in messages (`unit "sdf-1"`), when the id was readable.
    pub fn named(mut self, id: &Option<Loc<String>>) -> Ctx {
        if let Some(Loc { value: Ok(id), .. }) = id {
            self.label = format!("{} \"{id}\"", self.table);
        }
        self
    }

    /// A nested table of this one.
    pub fn child(
        &self,
        name: &'static str,
        table: &'static str,
        span: Option<Range<usize>>,
    ) -> Ctx {
        Ctx {
            table,
            path: format!("{}/{name}", self.path),
            span: span.or_else(|| self.span.clone()),
            label: format!("{}.{name}", self.label),
        }
    }
}

/// Collects problems while reading fields.
#[derive(Debug, Default)]
pub struct Checker {
    /// Every problem so far.
    pub problems: Vec<Problem>,
}

impl Checker {
    /// Records a problem.
    pub fn report(
        &mut self,
        path: String,
        span: Option<Range<usize>>,
        message: String,
        help: String,
    ) {
        self.problems.push(Problem::new(path, span, message, help));
    }

    /// Records a problem about field `name` of `ctx`.
    pub fn report_field<T>(
        &mut self,
        ctx: &Ctx,
        name: &str,
        field: &Option<Loc<T>>,
        message: String,
        help: String,
    ) {
        let span = field
            .as_ref()
            .and_then(|l| l.span())
            .or_else(|| ctx.span.clone());
        self.report(format!("{}/{name}", ctx.path), span, message, help);
    }

    /// The field's value when present and well-typed; reports wrong types, and missing required fields.
    pub fn get<T: Clone>(
        &mut self,
        ctx: &Ctx,
        name: &'static str,
        field: &Option<Loc<T>>,
    ) -> Option<T> {
        let s = spec(ctx.table, name);
        match field {
            None => {
                if s.default.is_required() {
                    self.report_field(
                        ctx,
                        name,
                        field,
                        format!("{} is missing required field `{name}`", ctx.label),
                        format!("add `{name} = …`: {}", s.doc),
                    );
                }
                None
            }
            Some(Loc { value: Ok(v), .. }) => Some(v.clone()),
            Some(Loc { value: Err(e), .. }) => {
                self.report_field(
                    ctx,
                    name,
                    field,
                    format!(
                        "{}: `{name}` has the wrong type: {}",
                        ctx.label,
                        plain_type_error(&e.to_string())
                    ),
                    type_help(s),
                );
                None
            }
        }
    }

    /// A number checked against its range; the spec's default when absent. A required field that is
    /// absent, or a value that is wrong, is reported and reads as 0 so checking can go on (the
    /// scenario is refused, so nothing runs with it).
    pub fn num(&mut self, ctx: &Ctx, name: &'static str, field: &Option<Loc<f64>>) -> f64 {
        let default = spec(ctx.table, name).default;
        debug_assert!(
            matches!(default, FieldDefault::Required) || default.number().is_some(),
            "{}.{name}: `num` fills in only a numeric default; read it with `opt_num`",
            ctx.table
        );
        self.opt_num(ctx, name, field)
            .or(default.number())
            .unwrap_or(0.0)
    }

    /// A number checked against its range, `None` when absent (or wrong).
    pub fn opt_num(
        &mut self,
        ctx: &Ctx,
        name: &'static str,
        field: &Option<Loc<f64>>,
    ) -> Option<f64> {
        let v = self.get(ctx, name, field)?;
        let s = spec(ctx.table, name);
        let problem = if v.is_nan() {
            Some(format!("`{name}` is NaN, which is not a number"))
        } else if v.is_infinite() {
            Some(format!("`{name}` is infinite"))
        } else if v < s.min && s.min == 0.0 {
            Some(format!("`{name}` is {v}, but it cannot be negative"))
        } else if v < s.min || v > s.max {
            Some(format!(
                "`{name}` is {v}, outside its plausible range {} to {}",
                s.min, s.max
            ))
        } else {
            None
        };
        match problem {
            Some(message) => {
                self.report_field(
                    ctx,
                    name,
                    field,
                    format!("{}: {message}", ctx.label),
                    range_help(s),
                );
                None
            }
            None => Some(v),
        }
    }

    /// A whole number checked against its range.
    pub fn int(&mut self, ctx: &Ctx, name: &'static str, field: &Option<Loc<i64>>) -> Option<i64> {
        let v = self.get(ctx, name, field)?;
        let s = spec(ctx.table, name);
        if (v as f64) < s.min || (v as f64) > s.max {
            self.report_field(
                ctx,
                name,
                field,
                format!(
                    "{}: `{name}` is {v}, outside {} to {}",
                    ctx.label, s.min, s.max
                ),
                range_help(s),
            );
            return None;
        }
        Some(v)
    }

    /// A word out of the field's allowed set.
    pub fn word(
        &mut self,
        ctx: &Ctx,
        name: &'static str,
        field: &Option<Loc<String>>,
    ) -> Option<String> {
        let v = self.get(ctx, name, field)?;
        let s = spec(ctx.table, name);
        if let super::schema::FieldKind::Enum(words) = s.kind
            && !words.contains(&v.as_str())
        {
            self.report_field(
                ctx,
                name,
                field,
                format!(
                    "{}: `{name}` is \"{v}\", which is not one of {}",
                    ctx.label,
                    words.join(", ")
                ),
                format!(
                    "write one of: {}{}",
                    words.join(", "),
                    suggestion(&v, words.iter().copied())
                ),
            );
            return None;
        }
        Some(v)
    }

    /// An id naming an entity of `index`; `what` names that kind in messages.
    pub fn reference(
        &mut self,
        ctx: &Ctx,
        name: &'static str,
        field: &Option<Loc<String>>,
        index: &BTreeMap<String, usize>,
        what: &str,
    ) -> Option<usize> {
        let id = self.get(ctx, name, field)?;
        self.resolve(ctx, name, field, &id, index, what)
    }

    /// Resolves one id, reporting an unknown one with the closest known ids.
    pub fn resolve<T>(
        &mut self,
        ctx: &Ctx,
        name: &'static str,
        field: &Option<Loc<T>>,
        id: &str,
        index: &BTreeMap<String, usize>,
        what: &str,
    ) -> Option<usize> {
        if let Some(&i) = index.get(id) {
            return Some(i);
        }
        self.report_field(
            ctx,
            name,
            field,
            format!(
                "{}: `{name}` names {what} \"{id}\", which is not defined",
                ctx.label
            ),
            format!(
                "define a [[{what}]] with id = \"{id}\", or fix the id{}",
                suggestion(id, index.keys().map(String::as_str))
            ),
        );
        None
    }

    /// A list of ids naming entities of `index`.
    pub fn references(
        &mut self,
        ctx: &Ctx,
        name: &'static str,
        field: &Option<Loc<Vec<String>>>,
        index: &BTreeMap<String, usize>,
        what: &str,
    ) -> Option<Vec<usize>> {
        let ids = self.get(ctx, name, field)?;
        let resolved: Vec<Option<usize>> = ids
            .iter()
            .map(|id| self.resolve(ctx, name, field, id, index, what))
            .collect();
        resolved.into_iter().collect()
    }
}

/// The form in which two ids are compared for duplicates: Unicode compatibility normalisation
/// (NFKC), lower case, and NFKC again, so that `alpha` and `Alpha`, or `café` written with a
/// precomposed `é` (NFC) and with `e` + a combining accent (NFD), are one id. (Lower case stands in
/// for full case folding: it differs only for a few letters such as `ß`.)
pub fn id_key(id: &str) -> String {
    id.nfkc()
        .collect::<String>()
        .to_lowercase()
        .nfkc()
        .collect()
}

/// Ids seen so far in one namespace, compared by [`id_key`]: for each, its first spelling and where.
#[derive(Debug, Default)]
pub struct IdSet {
    seen: BTreeMap<String, (String, String)>,
}

impl IdSet {
    /// Records `id` from the table named `place` (`[[unit]] #3`); when an id equal to it under
    /// [`id_key`] was recorded before, returns the text that names the earlier one for a message:
    /// `[[unit]] #1` for the same spelling, `[[unit]] #1 as "Alpha"` for another.
    pub fn insert(&mut self, id: &str, place: String) -> Option<String> {
        match self.seen.get(&id_key(id)) {
            Some((first, at)) if first == id => Some(at.clone()),
            Some((first, at)) => Some(format!(
                "{at} as {first:?}; ids are compared ignoring case and Unicode normalisation"
            )),
            None => {
                self.seen.insert(id_key(id), (id.to_owned(), place));
                None
            }
        }
    }
}

/// Builds the id → index map of a repeated table, reporting empty and duplicate ids (ids equal
/// under [`id_key`] are duplicates: the message names both spellings).
pub fn index_ids<'a>(
    checker: &mut Checker,
    table: &'static str,
    ids: impl Iterator<Item = (usize, &'a Option<Loc<String>>, Option<Range<usize>>)>,
) -> BTreeMap<String, usize> {
    let mut index = BTreeMap::new();
    let mut seen = IdSet::default();
    for (i, field, span) in ids {
        let ctx = Ctx::new(table, Some(i), span);
        let Some(id) = checker.get(&ctx, "id", field) else {
            continue;
        };
        if id.trim().is_empty() || id.len() > 200 {
            checker.report_field(
                &ctx,
                "id",
                field,
                format!(
                    "{}: id \"{}\" is empty or longer than 200 characters",
                    ctx.label,
                    crate::term::excerpt(&id, 40)
                ),
                "use a short id such as \"raqqa\"".into(),
            );
        } else if let Some(first) = seen.insert(&id, format!("[[{table}]] #{i}")) {
            checker.report_field(
                &ctx,
                "id",
                field,
                format!("{}: duplicate {table} id {id:?} (also {first})", ctx.label),
                format!("ids must be unique within [[{table}]]: rename one of them"),
            );
        } else {
            index.insert(id, i);
        }
    }
    index
}

fn type_help(s: &FieldSpec) -> String {
    use super::schema::FieldKind::*;
    let what = match s.kind {
        Number => "a number, e.g. 1.5".to_owned(),
        Integer => "a whole number, e.g. 6".to_owned(),
        Text | Id => "a quoted string, e.g. \"raqqa\"".to_owned(),
        IdList => "a list of quoted ids, e.g. [\"mosul\"]".to_owned(),
        Bool => "true or false".to_owned(),
        Enum(w) => format!("one of {}", w.join(", ")),
        Date => "a date, e.g. 2016-11-05".to_owned(),
        Table => "a table".to_owned(),
        Points => "a list of [lat, lon] pairs, e.g. [[35.95, 39.01], [35.85, 39.55]]".to_owned(),
    };
    format!("`{}` takes {what}: {}", s.name, s.doc)
}

fn range_help(s: &FieldSpec) -> String {
    format!("use a value from {} to {} ({})", s.min, s.max, s.doc)
}

/// A serde type error in plain words: `expected f64` → `expected a number`.
pub fn plain_type_error(text: &str) -> String {
    [
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected u64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected usize", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected a boolean", "expected true or false"),
    ]
    .iter()
    .fold(text.to_owned(), |t, (from, to)| t.replace(from, to))
}

/// ` (did you mean "x"?)` when a known word is close to `got`.
pub fn suggestion<'a>(got: &str, known: impl Iterator<Item = &'a str>) -> String {
    known
        .map(|k| (strsim::levenshtein(got, k), k))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| format!(" (did you mean \"{k}\"?)"))
        .unwrap_or_default()
}
