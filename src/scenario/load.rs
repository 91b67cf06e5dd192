//! Reading a scenario file: bytes → raw layer → checked [`Scenario`].
//!
//! TOML and JSON share one schema. Syntax errors stop the read (there is no document to check), but
//! everything after that — unknown fields, wrong types, bad values, dangling ids — is collected and
//! reported together.

use super::limits::{check_counts, prescan};
use super::loc::{SourceFormat, with_format};
use super::overrides::Override;
use super::problem::Problem;
use super::raw::RawScenarioFile;
use super::types::Scenario;
use super::validate::validate;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};

pub use super::limits::{Limits, MAX_FILE_BYTES};

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is larger than [`Limits::max_file_bytes`] (a pipe or device is read only one byte past
    /// the limit, so `bytes` is then the limit plus one).
    #[error(
        "scenario file {path} is over the {limit}-byte limit (`max_file_bytes`; {bytes} bytes or more); raise it with `--max-file-bytes N` if the scenario really is this large, or split it"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// The file was read but holds problems; every one found is listed.
    #[error("{}", render_problems(.file, .source_text, .problems))]
    Invalid {
        /// The file name as given.
        file: String,
        /// The file's text, to show the offending lines.
        source_text: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    /// The problems, when the file was read but is invalid.
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// Every problem rendered against `source`, then a line counting them.
pub(crate) fn render_problems(file: &str, source: &str, problems: &[Problem]) -> String {
    let mut out = String::new();
    for p in problems {
        out.push_str(&p.render(file, source));
    }
    let n = problems.len();
    out.push_str(&format!(
        "{file}: {n} problem{} found; nothing was run",
        if n == 1 { "" } else { "s" }
    ));
    out
}

/// A checked scenario with what identifies the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The checked scenario.
    pub scenario: Scenario,
    /// The path it was read from.
    pub path: PathBuf,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The doctrine file it names, if any ([`crate::calibration::doctrine`]).
    pub doctrine: Option<crate::calibration::DoctrineSource>,
    /// Its uncertain parameters, if any, drawn per seed ([`crate::calibration::uncertain`]).
    pub inputs: Option<std::sync::Arc<crate::calibration::UncertainInputs>>,
}

/// Reads, parses and validates the scenario at `path` (`.json` → JSON, anything else → TOML).
pub fn load_scenario(path: &Path) -> Result<LoadedScenario, ScenarioError> {
    load_scenario_with(path, &[])
}

/// Like [`load_scenario`], with `--set` overrides applied after the file itself validated.
pub fn load_scenario_with(
    path: &Path,
    overrides: &[Override],
) -> Result<LoadedScenario, ScenarioError> {
    load_scenario_with_limits(path, overrides, &Limits::default())
}

/// Like [`load_scenario_with`], with size limits other than the defaults: the file is read no
/// further than [`Limits::max_file_bytes`], and its text checked against the other limits before
/// it is parsed.
pub fn load_scenario_with_limits(
    path: &Path,
    overrides: &[Override],
    limits: &Limits,
) -> Result<LoadedScenario, ScenarioError> {
    let data = read_scenario_bytes(path, limits)?;
    load_scenario_bytes(path, data, overrides, limits)
}

/// Reads the file at `path`, refusing it without reading past [`Limits::max_file_bytes`]: a pipe
/// (`/dev/stdin`) or a device (`/dev/zero`) is read like a file, within the limit.
pub fn read_scenario_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>, ScenarioError> {
    let io = |source| ScenarioError::Io {
        path: path.to_owned(),
        source,
    };
    let limit = limits.max_file_bytes;
    let bytes = std::fs::metadata(path).map_err(io)?.len();
    if bytes > limit {
        return Err(ScenarioError::TooLarge {
            path: path.to_owned(),
            bytes,
            limit,
        });
    }
    crate::fsio::read_limited(path, limit).map_err(|e| match e {
        crate::fsio::ReadLimitError::Io(e) => io(e),
        crate::fsio::ReadLimitError::TooLarge { .. } => ScenarioError::TooLarge {
            path: path.to_owned(),
            bytes: limit.saturating_add(1),
            limit,
        },
    })
}

/// Parses and validates the bytes `data` read from `path` (`.json` → JSON, anything else → TOML),
/// with `--set` overrides applied after the file itself validated.
pub fn load_scenario_bytes(
    path: &Path,
    data: Vec<u8>,
    overrides: &[Override],
    limits: &Limits,
) -> Result<LoadedScenario, ScenarioError> {
    let sha256 = hex_sha256(&data);
    let file = path.display().to_string();
    let text = utf8_text(data, "scenario").map_err(|(problem, lossy)| ScenarioError::Invalid {
        file: file.clone(),
        source_text: lossy,
        problems: vec![problem],
    })?;
    let format = SourceFormat::of_path(path);
    let mut scenario = parse_scenario_with_limits(&text, format, limits).map_err(|problems| {
        ScenarioError::Invalid {
            file: file.clone(),
            source_text: text.clone(),
            problems,
        }
    })?;
    let (mut doctrine, mut inputs) = (None, None);
    if !overrides.is_empty() || crate::calibration::may_compose(&text) {
        let composed = crate::calibration::compose(path, &text, format, overrides, limits)?;
        scenario = composed.scenario;
        doctrine = composed.doctrine;
        inputs = composed.inputs;
    }
    Ok(LoadedScenario {
        scenario,
        path: path.to_owned(),
        sha256,
        doctrine,
        inputs,
    })
}

/// Parses and validates scenario text under the default [`Limits`]; every problem found is returned.
pub fn parse_scenario(text: &str, format: SourceFormat) -> Result<Scenario, Vec<Problem>> {
    parse_scenario_with_limits(text, format, &Limits::default())
}

/// Parses and validates scenario text under `limits`; every problem found is returned.
pub fn parse_scenario_with_limits(
    text: &str,
    format: SourceFormat,
    limits: &Limits,
) -> Result<Scenario, Vec<Problem>> {
    let (raw, mut problems) = parse_raw_with_limits(text, format, limits)?;
    match validate(&raw) {
        Ok(scenario) if problems.is_empty() => Ok(scenario),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            let mut problems = merge_typos(problems);
            problems.sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
            Err(problems)
        }
    }
}

/// One problem for a misspelt field name, not two: a "missing required field `x`" whose table also
/// holds an unknown field close to `x` is dropped, the unknown field's help already saying "did you
/// mean `x`?".
fn merge_typos(problems: Vec<Problem>) -> Vec<Problem> {
    let unknown: Vec<(String, String)> = problems
        .iter()
        .filter(|p| p.message.starts_with("unknown field `"))
        .filter_map(|p| {
            let (table, key) = p.path.rsplit_once('/')?;
            Some((table.to_owned(), key.to_owned()))
        })
        .collect();
    problems
        .into_iter()
        .filter(|p| {
            let Some(rest) = p.message.split(" is missing required field `").nth(1) else {
                return true;
            };
            let field = rest.trim_end_matches('`');
            let table = p.path.rsplit_once('/').map_or("", |(t, _)| t);
            !unknown
                .iter()
                .any(|(t, key)| t == table && strsim::levenshtein(key, field) <= 3)
        })
        .collect()
}

/// Parses text into the raw layer under the default [`Limits`]; unknown fields come back as
/// problems beside it.
pub fn parse_raw(
    text: &str,
    format: SourceFormat,
) -> Result<(RawScenarioFile, Vec<Problem>), Vec<Problem>> {
    parse_raw_with_limits(text, format, &Limits::default())
}

/// Parses text into the raw layer, refusing it first if it passes one of `limits`; unknown fields
/// come back as problems beside it.
pub fn parse_raw_with_limits(
    text: &str,
    format: SourceFormat,
    limits: &Limits,
) -> Result<(RawScenarioFile, Vec<Problem>), Vec<Problem>> {
    if text.starts_with('\u{feff}') {
        return Err(vec![Problem::new(
            "/",
            Some(0..3),
            "the file starts with a byte-order mark (U+FEFF), which is not part of TOML or JSON",
            "save the file as UTF-8 without a byte-order mark (\"UTF-8\", not \"UTF-8 with BOM\")",
        )]);
    }
    if text.trim().is_empty() {
        return Err(vec![Problem::new(
            "/",
            Some(0..0),
            "the scenario file is empty",
            "start from scenarios/tiny.toml, which shows every table",
        )]);
    }
    prescan(text, format, limits).map_err(|p| vec![p])?;
    let mut unknown = Vec::new();
    let parsed = with_format(format, || match format {
        SourceFormat::Toml => {
            let de = toml::Deserializer::parse(text).map_err(|e| syntax_problem_toml(&e))?;
            serde_ignored::deserialize(de, |path| unknown.push(pointer(&path)))
                .map_err(|e: toml::de::Error| syntax_problem_toml(&e))
        }
        SourceFormat::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_ignored::deserialize(&mut de, |path| unknown.push(pointer(&path)))
                .map_err(|e| syntax_problem_json(text, &e))
        }
    });
    let raw: RawScenarioFile = parsed.map_err(|p| vec![p])?;
    check_counts(&raw, limits).map_err(|p| vec![p])?;
    let problems = unknown
        .into_iter()
        .map(|path| unknown_field_problem(text, format, path))
        .collect();
    Ok((raw, problems))
}

fn syntax_problem_toml(e: &toml::de::Error) -> Problem {
    Problem::new(
        "/",
        e.span(),
        format!("TOML syntax: {}", e.message().trim()),
        "fix the syntax at the marked place (TOML reference: https://toml.io)",
    )
}

fn syntax_problem_json(text: &str, e: &serde_json::Error) -> Problem {
    let offset = offset_of_line_col(text, e.line(), e.column());
    Problem::new(
        "/",
        Some(offset..offset),
        format!("JSON: {e}"),
        "fix the JSON at the marked place",
    )
}

fn offset_of_line_col(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// `unit.3.strength` as a pointer `/unit/3/strength`, without serde's internal wrapper keys.
pub(crate) fn pointer(path: &serde_ignored::Path<'_>) -> String {
    let mut parts = Vec::new();
    let mut cur = path;
    loop {
        match cur {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                parts.push(index.to_string());
                cur = parent;
            }
            serde_ignored::Path::Map { parent, key } => {
                if !key.starts_with("$__") {
                    parts.push(key.clone());
                }
                cur = parent;
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => cur = parent,
        }
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

fn unknown_field_problem(text: &str, format: SourceFormat, path: String) -> Problem {
    let key = path.rsplit('/').next().unwrap_or("").to_owned();
    let span = match format {
        SourceFormat::Toml => find_toml_key(text, &path, &key),
        SourceFormat::Json => None,
    };
    let table = path.split('/').nth(1).unwrap_or("");
    let known = super::schema::known_fields(&path);
    let help = match known.iter().min_by_key(|k| strsim::levenshtein(k, &key)) {
        Some(best) if strsim::levenshtein(best, &key) <= 3 => {
            format!("did you mean `{best}`? (see the format reference in scenarios/README.md)")
        }
        _ if known.is_empty() => {
            format!("`{table}` is not a table of the scenario format; see scenarios/README.md")
        }
        _ => format!("remove it, or use one of: {}", known.join(", ")),
    };
    Problem::new(path.clone(), span, format!("unknown field `{key}`"), help)
}

/// Finds where an unknown key is written: the `n`-th table of its kind, then the key inside it.
pub(crate) fn find_toml_key(text: &str, path: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut search_from = 0;
    if let [table, index, ..] = segments.as_slice()
        && let Ok(n) = index.parse::<usize>()
    {
        let header = format!("[[{table}]]");
        search_from = text.match_indices(&header).nth(n).map(|(i, _)| i)?;
    } else if let [table, _, ..] = segments.as_slice() {
        search_from = text.find(&format!("[{table}]")).unwrap_or(0);
    }
    let mut offset = search_from;
    for line in text[search_from..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        // An unknown table is written as a header: `[name]` or `[[name]]`.
        let header = trimmed.trim_start_matches('[');
        if segments.len() == 1
            && trimmed.starts_with('[')
            && header.starts_with(key)
            && header[key.len()..].starts_with(']')
        {
            let start = offset + (line.len() - header.len());
            return Some(start..start + key.len());
        }
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with('=') {
            let start = offset + (line.len() - trimmed.len());
            return Some(start..start + key.len());
        }
        if let Some(i) = line
            .find(&format!("{key} ="))
            .or_else(|| line.find(&format!("{key}=")))
            && offset > search_from
        {
            return Some(offset + i..offset + i + key.len());
        }
        offset += line.len();
    }
    None
}

/// The file's bytes as text, or the problem that they are not UTF-8 (located at the first invalid
/// byte) with the text as far as it can be shown (`what`: `scenario`, `design file`, for the help
/// line).
pub(crate) fn utf8_text(data: Vec<u8>, what: &str) -> Result<String, (Problem, String)> {
    String::from_utf8(data).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let problem = Problem::new(
            "/",
            Some(at..at + 1),
            format!("the file is not UTF-8 text (invalid byte at offset {at})"),
            format!("save the {what} as UTF-8"),
        );
        (problem, lossy)
    })
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        use fmt::Write as _;
        let _ = write!(s, "{b:02x}");
    }
    s
}
