//! Size limits on scenario files, checked before anything large is allocated.
//!
//! A scenario may come from another program, so its size is not trusted: a file of nothing but
//! `[[unit]]` headers, a string of 200 MB or brackets nested a million deep must be refused in
//! milliseconds with a message, not read until memory or the stack runs out. [`Limits`] holds the
//! bounds; [`prescan`] checks them in one pass over the text — a small lexer that knows strings,
//! comments and brackets, and counts the tables of each kind, the elements of each array, the
//! length of each string and the nesting depth — before the text is deserialised, and stops at the
//! first bound passed. [`check_counts`] repeats the table counts exactly on the parsed raw layer, for
//! the rare spellings the lexer does not recognise (a quoted `[["unit"]]` header, say).
//!
//! The defaults accept the generator's scenarios (1 million units on 100 000 settlements) with room
//! to spare; each limit names the `phaseline` flag that raises it.

use super::loc::SourceFormat;
use super::problem::Problem;
use super::raw::RawScenarioFile;

/// Largest scenario file read, in bytes, by default (256 MiB: a generated million-unit scenario fits).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Bounds on the size of a scenario file. Every bound is inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file, in bytes (`--max-file-bytes`; default 256 MiB).
    pub max_file_bytes: u64,
    /// Most `[[settlement]]` tables (`--max-settlements`; default 250 000).
    pub max_settlements: usize,
    /// Most `[[route]]` tables (`--max-routes`; default 1 000 000).
    pub max_routes: usize,
    /// Most `[[unit]]` tables (`--max-units`; default 2 500 000).
    pub max_units: usize,
    /// Most `[[depot]]` tables (`--max-depots`; default 250 000).
    pub max_depots: usize,
    /// Most tables of each other repeated kind: sides, objectives, phases, fronts, injects
    /// (`--max-plan-tables`; default 10 000).
    pub max_plan_tables: usize,
    /// Most elements in any other list, such as an objective's `sources` or a trigger's `area`
    /// (`--max-list-len`; default 250 000).
    pub max_list_len: usize,
    /// Longest string, in bytes (`--max-string-bytes`; default 65 536).
    pub max_string_bytes: usize,
    /// Deepest nesting of tables, arrays and dotted keys (`--max-depth`; default 32; a scenario
    /// needs 5).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: MAX_FILE_BYTES,
            max_settlements: 250_000,
            max_routes: 1_000_000,
            max_units: 2_500_000,
            max_depots: 250_000,
            max_plan_tables: 10_000,
            max_list_len: 250_000,
            max_string_bytes: 65_536,
            max_depth: 32,
        }
    }
}

/// Checks `text` against `limits` in one pass, before it is deserialised; the first bound passed is
/// returned as a problem located where it was passed.
pub fn prescan(text: &str, format: SourceFormat, limits: &Limits) -> Result<(), Problem> {
    if text.len() as u64 > limits.max_file_bytes {
        // A file is checked before it is read; text handed over directly is checked here.
        return Err(Problem::new(
            "/",
            None,
            format!(
                "the scenario is {} bytes, over the {}-byte limit (`max_file_bytes`)",
                text.len(),
                limits.max_file_bytes
            ),
            "if the scenario really is this large, raise the limit with `phaseline … \
             --max-file-bytes N` (`Limits::max_file_bytes` in the library), or split it",
        ));
    }
    let mut scan = Scan {
        b: text.as_bytes(),
        i: 0,
        limits,
        stack: Vec::new(),
        headers: [0; TABLES.len() + 1],
    };
    match format {
        SourceFormat::Json => scan.json(),
        SourceFormat::Toml => scan.toml(),
    }
}

/// Checks the exact number of tables of each kind in a parsed file against `limits`.
pub fn check_counts(raw: &RawScenarioFile, limits: &Limits) -> Result<(), Problem> {
    let counts = [
        ("settlement", raw.settlement.len()),
        ("route", raw.route.len()),
        ("unit", raw.unit.len()),
        ("depot", raw.depot.len()),
        ("side", raw.side.len()),
        ("objective", raw.objective.len()),
        ("phase", raw.phase.len()),
        ("front", raw.front.len()),
        ("inject", raw.inject.len()),
        ("feature", raw.feature.len()),
    ];
    for (name, n) in counts {
        let bound = limits.table(name);
        if n > bound.value {
            let mut p = too_many(name, 0, &bound);
            p.span = None;
            return Err(p);
        }
    }
    Ok(())
}

/// The repeated tables of the format, counted one by one; a header of any other name counts towards
/// one more slot (`[[x]]` tables the format does not have), bounded like the plan tables.
const TABLES: [&str; 10] = [
    "settlement",
    "route",
    "unit",
    "depot",
    "side",
    "objective",
    "phase",
    "front",
    "inject",
    "feature",
];

/// The single tables of the format, which are not counted (`[phase.trigger]` comes once per phase).
const SINGLE_TABLES: [&str; 4] = ["scenario", "air", "air.priorities", "phase.trigger"];

/// A limit: its value, and the [`Limits`] field and command-line flag that raise it.
struct Bound {
    value: usize,
    field: &'static str,
    flag: &'static str,
}

impl Limits {
    /// The bound on the number of tables named `name` (other names share the plan tables' bound).
    fn table(&self, name: &str) -> Bound {
        let (value, field, flag) = match name {
            "settlement" => (self.max_settlements, "max_settlements", "--max-settlements"),
            "route" => (self.max_routes, "max_routes", "--max-routes"),
            "unit" => (self.max_units, "max_units", "--max-units"),
            "depot" => (self.max_depots, "max_depots", "--max-depots"),
            _ => (self.max_plan_tables, "max_plan_tables", "--max-plan-tables"),
        };
        Bound { value, field, flag }
    }

    fn list(&self) -> Bound {
        Bound {
            value: self.max_list_len,
            field: "max_list_len",
            flag: "--max-list-len",
        }
    }

    fn string(&self) -> Bound {
        Bound {
            value: self.max_string_bytes,
            field: "max_string_bytes",
            flag: "--max-string-bytes",
        }
    }

    fn depth(&self) -> Bound {
        Bound {
            value: self.max_depth,
            field: "max_depth",
            flag: "--max-depth",
        }
    }
}

fn refusal(path: String, at: usize, what: String, bound: &Bound) -> Problem {
    Problem::new(
        path,
        Some(at..at + 1),
        format!("{what} (limit `{}` = {})", bound.field, bound.value),
        format!(
            "if the scenario really is this large, raise the limit with `phaseline … {} N` \
             (`Limits::{}` in the library); otherwise fix the file",
            bound.flag, bound.field
        ),
    )
}

fn too_many(name: &str, at: usize, bound: &Bound) -> Problem {
    refusal(
        format!("/{name}"),
        at,
        format!("the file has more than {} [[{name}]] tables", bound.value),
        bound,
    )
}

/// An open `[` or `{`.
struct Open {
    /// `[` rather than `{`.
    array: bool,
    /// The repeated table whose elements this array holds (`unit = [ … ]`), if it does.
    table: Option<&'static str>,
    /// Separators seen so far (elements − 1).
    commas: usize,
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
    limits: &'a Limits,
    stack: Vec<Open>,
    /// Headers seen per entry of [`TABLES`], and of any other name in the last slot.
    headers: [usize; TABLES.len() + 1],
}

impl<'a> Scan<'a> {
    fn json(&mut self) -> Result<(), Problem> {
        let mut key: Option<&'a [u8]> = None;
        while self.i < self.b.len() {
            let at = self.i;
            match self.b[at] {
                b'"' => {
                    let (end, _) = self.string(at + 1, b'"', true, false)?;
                    if self.stack.len() == 1 {
                        key = Some(&self.b[at + 1..end]);
                    }
                    self.i = end + 1;
                    continue;
                }
                c @ (b'[' | b'{') => {
                    let root = if self.stack.len() == 1 {
                        key.take()
                    } else {
                        None
                    };
                    self.open(c == b'[', at, 0, root)?;
                }
                b']' | b'}' => {
                    self.stack.pop();
                }
                b',' => self.comma(at)?,
                _ => {}
            }
            self.i += 1;
        }
        Ok(())
    }

    fn toml(&mut self) -> Result<(), Problem> {
        let mut line_start = true;
        // Inside a key (before its `=`): where it started and how many dots it has.
        let mut in_key = false;
        let (mut key_start, mut key_dots) = (0, 0);
        let mut header_depth = 0;
        let mut in_root = true;
        let mut root_key: Option<&'a [u8]> = None;
        let mut keys_in_table = 0;
        while self.i < self.b.len() {
            let at = self.i;
            let c = self.b[at];
            if line_start && self.stack.is_empty() {
                if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
                    self.i += 1;
                    continue;
                }
                line_start = false;
                if c == b'[' {
                    header_depth = self.header(at)?;
                    (in_root, in_key, keys_in_table) = (false, false, 0);
                    continue;
                }
                (in_key, key_start, key_dots) = (c != b'#', at, 0);
            }
            if in_key && at - key_start > self.limits.max_string_bytes {
                let max = self.limits.max_string_bytes;
                let what = format!("a key is longer than {max} bytes");
                return Err(refusal("/".into(), key_start, what, &self.limits.string()));
            }
            match c {
                b'\n' => line_start = true,
                b'#' => {
                    self.i = self.b[at..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(self.b.len(), |n| at + n);
                    continue;
                }
                b'"' | b'\'' => {
                    let triple = self.b[at..].starts_with(&[c; 3]);
                    let from = at + if triple { 3 } else { 1 };
                    let (end, closed) = self.string(from, c, c == b'"', triple)?;
                    self.i = match (closed, triple) {
                        (false, _) => end,
                        (true, false) => end + 1,
                        // Up to two quotes may end the text just before the closing three.
                        (true, true) => {
                            end + 3
                                + self.b[end + 3..]
                                    .iter()
                                    .take(2)
                                    .take_while(|&&q| q == c)
                                    .count()
                        }
                    };
                    continue;
                }
                b'.' if in_key => {
                    key_dots += 1;
                    self.depth(header_depth + self.stack.len() + key_dots + 1, at)?;
                }
                b'=' if in_key => {
                    in_key = false;
                    self.depth(header_depth + self.stack.len() + key_dots + 1, at)?;
                    if self.stack.is_empty() {
                        keys_in_table += 1;
                        if keys_in_table > self.limits.max_list_len {
                            let what =
                                format!("a table has more than {} keys", self.limits.max_list_len);
                            return Err(refusal("/".into(), at, what, &self.limits.list()));
                        }
                        root_key = in_root.then(|| self.b[key_start..at].trim_ascii());
                    }
                }
                b'[' | b'{' => {
                    let root = if self.stack.is_empty() {
                        root_key.take()
                    } else {
                        None
                    };
                    self.open(c == b'[', at, header_depth + key_dots, root)?;
                    in_key = c == b'{';
                    (key_start, key_dots) = (at + 1, 0);
                }
                b']' | b'}' => {
                    self.stack.pop();
                    in_key = false;
                }
                b',' => {
                    self.comma(at)?;
                    in_key = self.stack.last().is_some_and(|o| !o.array);
                    (key_start, key_dots) = (at + 1, 0);
                }
                _ => {}
            }
            self.i += 1;
        }
        Ok(())
    }

    /// Reads a TOML header starting at `at` (`[name]` or `[[name]]`), counts it, and returns the
    /// depth of the table it opens.
    fn header(&mut self, at: usize) -> Result<usize, Problem> {
        let double = self.b.get(at + 1) == Some(&b'[');
        let start = at + if double { 2 } else { 1 };
        let mut j = start;
        let mut dots = 0;
        while j < self.b.len() {
            match self.b[j] {
                b']' | b'\n' => break,
                b'.' => dots += 1,
                q @ (b'"' | b'\'') => {
                    let (end, closed) = self.string(j + 1, q, q == b'"', false)?;
                    j = if closed { end + 1 } else { end };
                    continue;
                }
                _ => {}
            }
            j += 1;
        }
        let name = &self.b[start..j];
        self.i = j + if double { 2 } else { 1 };
        let depth = dots + 1 + usize::from(double);
        self.depth(depth, at)?;
        let name = name.trim_ascii();
        if !double && SINGLE_TABLES.iter().any(|t| t.as_bytes() == name) {
            return Ok(depth);
        }
        let slot = TABLES
            .iter()
            .position(|t| double && t.as_bytes() == name)
            .unwrap_or(TABLES.len());
        self.headers[slot] += 1;
        let kind = TABLES.get(slot).copied().unwrap_or("other");
        let bound = self.limits.table(kind);
        if self.headers[slot] > bound.value {
            return Err(match TABLES.get(slot) {
                Some(table) => too_many(table, at, &bound),
                None => refusal(
                    "/".into(),
                    at,
                    format!(
                        "the file has more than {} tables the format does not have (the last: {})",
                        bound.value,
                        String::from_utf8_lossy(&self.b[at..self.i.min(self.b.len())])
                    ),
                    &bound,
                ),
            });
        }
        Ok(depth)
    }

    /// Opens a `[` or `{` at `at`, `base` levels deep before the open brackets; `root_key` is the
    /// top-level key it is the value of, if any.
    fn open(
        &mut self,
        array: bool,
        at: usize,
        base: usize,
        root_key: Option<&[u8]>,
    ) -> Result<(), Problem> {
        self.depth(base + self.stack.len() + 1, at)?;
        let table = root_key
            .filter(|_| array)
            .and_then(|k| TABLES.iter().find(|t| t.as_bytes() == k).copied());
        self.stack.push(Open {
            array,
            table,
            commas: 0,
        });
        Ok(())
    }

    /// A `,` at `at`: one more element in the innermost array or inline table.
    fn comma(&mut self, at: usize) -> Result<(), Problem> {
        let Some(open) = self.stack.last_mut() else {
            return Ok(());
        };
        open.commas += 1;
        let elements = open.commas + 1;
        match open.table {
            Some(table) => {
                let bound = self.limits.table(table);
                if elements > bound.value {
                    return Err(too_many(table, at, &bound));
                }
            }
            None if elements > self.limits.max_list_len => {
                let what = format!(
                    "a list or table has more than {} elements",
                    self.limits.max_list_len
                );
                return Err(refusal("/".into(), at, what, &self.limits.list()));
            }
            None => {}
        }
        Ok(())
    }

    fn depth(&self, depth: usize, at: usize) -> Result<(), Problem> {
        if depth > self.limits.max_depth {
            let what = format!(
                "tables, lists and dotted keys are nested more than {} levels deep",
                self.limits.max_depth
            );
            return Err(refusal("/".into(), at, what, &self.limits.depth()));
        }
        Ok(())
    }

    /// Scans a string's text from `from` to its closing `quote`; returns the closing quote's offset
    /// and whether it was found (an unclosed one-line string ends at its line; the parser reports
    /// it). `escapes`: a backslash escapes the next byte; `multiline`: closed by three quotes.
    fn string(
        &self,
        from: usize,
        quote: u8,
        escapes: bool,
        multiline: bool,
    ) -> Result<(usize, bool), Problem> {
        let max = self.limits.max_string_bytes;
        let mut j = from;
        let end = loop {
            let Some(&c) = self.b.get(j) else {
                break (self.b.len(), false);
            };
            if j - from > max {
                let what = format!("a string is longer than {max} bytes");
                return Err(refusal("/".into(), from - 1, what, &self.limits.string()));
            }
            match c {
                b'\\' if escapes => j += 1,
                b'\n' if !multiline => break (j, false),
                c if c == quote && (!multiline || self.b[j..].starts_with(&[quote; 3])) => {
                    break (j, true);
                }
                _ => {}
            }
            j += 1;
        };
        Ok(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Limits {
        Limits {
            max_settlements: 3,
            max_units: 2,
            max_plan_tables: 2,
            max_list_len: 4,
            max_string_bytes: 10,
            max_depth: 4,
            ..Limits::default()
        }
    }

    fn toml(text: &str) -> Result<(), Problem> {
        prescan(text, SourceFormat::Toml, &small())
    }

    fn json(text: &str) -> Result<(), Problem> {
        prescan(text, SourceFormat::Json, &small())
    }

    fn message(r: Result<(), Problem>) -> String {
        r.err().map(|p| p.message).unwrap_or_default()
    }

    #[test]
    fn counts_array_of_tables_headers() {
        assert!(toml("[[unit]]\n[[unit]]\n[[ unit ]]\n").is_err());
        assert!(toml("[[unit]]\n[[unit]]\n[[settlement]]\n").is_ok());
        let m = message(toml("[[unit]]\nid = 'a'\n[[unit]]\n\n  [[unit]] # c\n"));
        assert!(m.contains("more than 2 [[unit]] tables"), "{m}");
        assert!(m.contains("`max_units` = 2"), "{m}");
    }

    #[test]
    fn counts_inline_arrays_of_tables_and_json_arrays() {
        assert!(toml("unit = [{id = 'a'}, {id = 'b'}]").is_ok());
        assert!(toml("unit = [{id = 'a'}, {id = 'b'}, {id = 'c'}]").is_err());
        assert!(json(r#"{"unit": [{}, {}], "settlement": [{}, {}, {}]}"#).is_ok());
        let m = message(json(r#"{"unit": [{}, {}, {}]}"#));
        assert!(m.contains("[[unit]]"), "{m}");
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        assert!(toml("a = \"[[[[[\" # [[[[[[ {{{{\nb = '[[[[['\n").is_ok());
        assert!(toml("a = \"\"\"\n[[unit]]\n[[unit]]\n[[unit]]\"\"\"\n").is_err()); // 30 bytes
        assert!(json(r#"{"a": "[[[[\"[[[["}"#).is_ok());
        assert!(toml("a = '''x''''\nb = 1\n").is_ok());
    }

    #[test]
    fn refuses_deep_nesting_long_strings_and_long_lists() {
        assert!(toml("a = [[[1]]]").is_ok());
        assert!(message(toml("a = [[[[[1]]]]]")).contains("nested more than 4"));
        assert!(message(toml("a.b.c.d.e = 1")).contains("nested more than 4"));
        assert!(message(toml("[a.b.c.d.e]\n")).contains("nested more than 4"));
        assert!(message(json("[[[[[1]]]]]")).contains("nested more than 4"));
        assert!(message(toml("a = \"12345678901\"")).contains("longer than 10 bytes"));
        assert!(message(json(r#"{"a": "12345678901"}"#)).contains("longer than 10 bytes"));
        assert!(toml("a = [1, 2, 3, 4]").is_ok());
        assert!(message(toml("a = [1, 2, 3, 4, 5]")).contains("more than 4 elements"));
        assert!(message(toml("a = {b = 1, c = 2, d = 3, e = 4, f = 5}")).contains("elements"));
        assert!(message(toml("a=1\nb=2\nc=3\nd=4\ne=5\n")).contains("more than 4 keys"));
    }

    #[test]
    fn long_bare_keys_are_refused_like_long_strings() {
        let key = "k".repeat(small().max_string_bytes + 10);
        let m = message(toml(&format!("[scenario]\n{key} = 1\n")));
        assert!(m.contains("a key is longer than"), "{m}");
        assert!(m.len() < 2000, "{} bytes", m.len());
    }

    #[test]
    fn text_over_the_file_size_limit_is_refused() {
        let limits = Limits {
            max_file_bytes: 8,
            ..Limits::default()
        };
        let p = prescan("a = 123456", SourceFormat::Toml, &limits).err();
        assert!(p.is_some_and(|p| p.message.contains("over the 8-byte limit")));
    }

    #[test]
    fn the_problem_points_at_the_place_and_names_the_flag() {
        let text = "[[unit]]\n[[unit]]\n[[unit]]\n";
        let p = toml(text).err().unwrap_or_else(|| panic!("accepted"));
        assert_eq!(p.line_col(text), Some((3, 1)));
        assert!(p.help.contains("--max-units"), "{}", p.help);
    }

    #[test]
    fn the_bundled_scenarios_pass_the_defaults() {
        for name in ["tiny.toml", "raqqa.toml"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scenarios")
                .join(name);
            let text = std::fs::read_to_string(path).unwrap_or_default();
            assert_eq!(
                prescan(&text, SourceFormat::Toml, &Limits::default()),
                Ok(())
            );
        }
    }
}
