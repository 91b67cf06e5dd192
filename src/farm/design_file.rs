//! The design file of a designed sweep: which scenario, which assumptions vary over which ranges,
//! which design, and how many seeds run at every design point.
//!
//! It is TOML, read like a scenario file: every field span-carrying, every problem collected and
//! reported at once with `file:line:column` and a help line, never a panic. The format is documented
//! in `scenarios/README.md` ("Designed sweeps"); `scenarios/raqqa-farm.toml` is the worked example.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ensemble::SeedRange;
use crate::scenario::Problem;
use crate::scenario::loc::{Loc, SourceFormat, Tab, with_format};

/// Largest number of design points.
pub const MAX_POINTS: usize = 100_000;
/// Largest number of runs (points × seeds).
pub const MAX_RUNS: u64 = 10_000_000;
/// Largest number of factors.
pub const MAX_FACTORS: usize = 200;
/// Largest design file, bytes.
pub const MAX_DESIGN_BYTES: u64 = 1 << 20;

/// One assumption that the design varies.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Short name for tables and charts (defaults to the path).
    pub name: String,
    /// The scenario field, as `--set` names it (`air.sorties_per_day`, `unit.sdf-1.strength`).
    pub path: String,
    /// Lowest value.
    pub low: f64,
    /// Highest value.
    pub high: f64,
    /// Whether the field takes whole numbers (values are rounded half away from zero).
    pub integer: bool,
    /// Levels of a full factorial (ignored by a Latin hypercube).
    pub levels: usize,
    /// Where the factor's `path`, `low` and `high` are written, for problems found later.
    pub spans: FactorSpans,
}

/// Byte spans of a factor's fields in the design file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactorSpans {
    /// `path = …` (or the table when absent).
    pub path: Option<std::ops::Range<usize>>,
    /// `low = …`.
    pub low: Option<std::ops::Range<usize>>,
    /// `high = …`.
    pub high: Option<std::ops::Range<usize>>,
}

impl Factor {
    /// The value at `u` in [0, 1] of the factor's range.
    ///
    /// Integer factors are rounded half away from zero; real ones to 12 significant digits, so that
    /// `design.csv` says `0.1125`, not the `0.11249999999999999` of the arithmetic.
    pub fn value_at(&self, u: f64) -> f64 {
        let v = self.low + u * (self.high - self.low);
        let v = if self.integer {
            v.round()
        } else {
            significant_12(v)
        };
        v.clamp(self.low, self.high)
    }
}

/// `v` rounded to 12 significant digits (through Rust's exact decimal formatting, the same on every
/// platform).
fn significant_12(v: f64) -> f64 {
    format!("{v:.11e}").parse().unwrap_or(v)
}

/// Which design lays the points out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesignKind {
    /// A nearly orthogonal, space-filling Latin hypercube with this many points.
    LatinHypercube {
        /// Number of design points.
        points: usize,
    },
    /// Every combination of each factor's levels.
    FullFactorial,
}

impl DesignKind {
    /// The name written in the design file and in `sensitivity.json`.
    pub fn name(&self) -> &'static str {
        match self {
            DesignKind::LatinHypercube { .. } => "latin_hypercube",
            DesignKind::FullFactorial => "full_factorial",
        }
    }
}

/// A checked design file.
#[derive(Debug, Clone, PartialEq)]
pub struct FarmDesign {
    /// The design's name (the file stem unless `[farm] name` says otherwise).
    pub name: String,
    /// The scenario file, resolved against the design file's folder.
    pub scenario_file: PathBuf,
    /// Where `scenario = …` is written.
    pub scenario_span: Option<std::ops::Range<usize>>,
    /// The factors, in file order.
    pub factors: Vec<Factor>,
    /// The design.
    pub kind: DesignKind,
    /// Seed of the design's own search (not of the runs).
    pub design_seed: u64,
    /// The seeds run at every point (the same at every point: common random numbers).
    pub seeds: SeedRange,
    /// Days to run each scenario (`None`: its whole duration).
    pub days: Option<u32>,
    /// The summary figures analysed for sensitivity, with where the list is written.
    pub outcomes: Vec<String>,
    /// Span of `outcomes = […]`, when written.
    pub outcomes_span: Option<std::ops::Range<usize>>,
}

/// The outcomes analysed when the design file names none: when the city is cut off and taken, what
/// it costs both sides, how many fighters slip out, and the harm to civilians.
pub const DEFAULT_OUTCOMES: [&str; 6] = [
    "isolation_day",
    "capture_day",
    "attacker_losses",
    "defender_losses",
    "escaped_fighters",
    "civilian_harm_index",
];

impl FarmDesign {
    /// Number of design points.
    pub fn point_count(&self) -> usize {
        match self.kind {
            DesignKind::LatinHypercube { points } => points,
            DesignKind::FullFactorial => self.factors.iter().map(|f| f.levels).product(),
        }
    }
}

/// The whole file, as written.
#[derive(Debug, Default, Deserialize)]
struct RawDesignFile {
    farm: Option<Tab<RawFarm>>,
    design: Option<Tab<RawDesign>>,
    #[serde(default)]
    factor: Vec<Tab<RawFactor>>,
}

#[derive(Debug, Default, Deserialize)]
struct RawFarm {
    name: Option<Loc<String>>,
    description: Option<Loc<String>>,
    scenario: Option<Loc<String>>,
    seeds_per_point: Option<Loc<i64>>,
    first_seed: Option<Loc<i64>>,
    days: Option<Loc<i64>>,
    outcomes: Option<Loc<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize)]
struct RawDesign {
    kind: Option<Loc<String>>,
    points: Option<Loc<i64>>,
    levels: Option<Loc<i64>>,
    seed: Option<Loc<i64>>,
}

#[derive(Debug, Default, Deserialize)]
struct RawFactor {
    path: Option<Loc<String>>,
    name: Option<Loc<String>>,
    low: Option<Loc<f64>>,
    high: Option<Loc<f64>>,
    #[serde(rename = "type")]
    kind: Option<Loc<String>>,
    levels: Option<Loc<i64>>,
}

/// Collects problems while reading fields.
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn problem(
        &mut self,
        path: String,
        span: Option<std::ops::Range<usize>>,
        msg: String,
        help: &str,
    ) {
        self.problems.push(Problem::new(path, span, msg, help));
    }

    /// A field's value: `None` when absent (or mistyped, which is reported).
    fn value<T: Clone>(&mut self, field: &Option<Loc<T>>, path: &str, what: &str) -> Option<T> {
        let loc = field.as_ref()?;
        match &loc.value {
            Ok(v) => Some(v.clone()),
            Err(reason) => {
                self.problem(
                    path.to_owned(),
                    loc.span(),
                    format!("`{}` {reason}", leaf(path)),
                    what,
                );
                None
            }
        }
    }

    /// A required field; reports its absence at the table's span.
    fn required<T: Clone>(
        &mut self,
        field: &Option<Loc<T>>,
        path: &str,
        table_span: Option<std::ops::Range<usize>>,
        what: &str,
    ) -> Option<T> {
        if field.is_none() {
            self.problem(
                path.to_owned(),
                table_span,
                format!("`{}` is missing", leaf(path)),
                what,
            );
        }
        self.value(field, path, what)
    }

    /// An integer in `min..=max`, or `default` when absent.
    fn integer(
        &mut self,
        field: &Option<Loc<i64>>,
        path: &str,
        (min, max): (i64, i64),
        what: &str,
    ) -> Option<i64> {
        let v = self.value(field, path, what)?;
        if (min..=max).contains(&v) {
            Some(v)
        } else {
            let span = field.as_ref().and_then(Loc::span);
            self.problem(
                path.to_owned(),
                span,
                format!("`{}` is {v}, outside {min}..={max}", leaf(path)),
                what,
            );
            None
        }
    }
}

fn leaf(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Reads and checks the design file at `path`; every problem comes back at once.
///
/// The scenario it names is resolved against the design file's folder but not read here.
pub fn parse_design(text: &str, path: &Path) -> Result<FarmDesign, Vec<Problem>> {
    if text.trim().is_empty() {
        return Err(vec![Problem::new(
            "/",
            Some(0..0),
            "the design file is empty",
            "start from scenarios/raqqa-farm.toml, which shows every table",
        )]);
    }
    let mut unknown = Vec::new();
    let raw: RawDesignFile = with_format(SourceFormat::Toml, || {
        let de = toml::Deserializer::parse(text).map_err(|e| syntax(&e))?;
        serde_ignored::deserialize(de, |p| unknown.push(crate::scenario::load::pointer(&p)))
            .map_err(|e: toml::de::Error| syntax(&e))
    })
    .map_err(|p| vec![p])?;
    let mut r = Reader {
        problems: Vec::new(),
    };
    for field in unknown {
        let key = leaf(&field).to_owned();
        let span = find_key(text, &key);
        r.problem(
            field.clone(),
            span,
            format!("unknown field `{key}`"),
            "a design file has [farm] (name, description, scenario, seeds_per_point, first_seed, days, outcomes), [design] (kind, points, levels, seed) and [[factor]] (path, name, low, high, type, levels); see scenarios/README.md",
        );
    }
    let design = check(&raw, path, &mut r);
    match design {
        Some(d) if r.problems.is_empty() => Ok(d),
        _ => {
            r.problems
                .sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
            Err(r.problems)
        }
    }
}

fn syntax(e: &toml::de::Error) -> Problem {
    Problem::new(
        "/",
        e.span(),
        format!("TOML syntax: {}", e.message().trim()),
        "fix the syntax at the marked place (TOML reference: https://toml.io)",
    )
}

/// The first `key =` in the file, for an unknown field's location.
fn find_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with('=') {
            let start = offset + (line.len() - trimmed.len());
            return Some(start..start + key.len());
        }
        offset += line.len();
    }
    None
}

fn check(raw: &RawDesignFile, path: &Path, r: &mut Reader) -> Option<FarmDesign> {
    let farm_span = raw.farm.as_ref().and_then(Tab::span);
    let farm = match &raw.farm {
        Some(t) => &t.inner,
        None => {
            r.problem(
                "/farm".into(),
                Some(0..0),
                "the [farm] table is missing".into(),
                "add [farm] with `scenario = \"raqqa.toml\"` (relative to this file) and `seeds_per_point = 10`",
            );
            &RawFarm::default()
        }
    };
    let stem = path
        .file_stem()
        .map_or("farm".to_owned(), |s| s.to_string_lossy().into_owned());
    let name = r
        .value(
            &farm.name,
            "/farm/name",
            "a short name made of letters, digits, `-` and `_`",
        )
        .unwrap_or(stem);
    if !crate::scenario::validate::valid_name(&name) {
        let span = farm.name.as_ref().and_then(Loc::span);
        r.problem(
            "/farm/name".into(),
            span,
            format!("the design's name `{name}` is used as a folder name and may hold only letters, digits, `-` and `_`"),
            "rename it (or the file), e.g. `raqqa-farm`",
        );
    }
    let _ = r.value(&farm.description, "/farm/description", "free text");
    // Without [farm] at all, its missing table is the one problem to report, not each field.
    let scenario = match raw.farm {
        Some(_) => r.required(
            &farm.scenario,
            "/farm/scenario",
            farm_span.clone(),
            "name the scenario file, relative to this design file: `scenario = \"raqqa.toml\"`",
        ),
        None => None,
    };
    let per_point = r
        .integer(
            &farm.seeds_per_point,
            "/farm/seeds_per_point",
            (1, 1_000_000),
            "seeds run at every design point, e.g. 10",
        )
        .unwrap_or(10);
    let first_seed = r
        .integer(
            &farm.first_seed,
            "/farm/first_seed",
            (0, i64::MAX / 2),
            "the first of the seeds run at every point (default 1)",
        )
        .unwrap_or(1);
    let days = r.integer(
        &farm.days,
        "/farm/days",
        (1, 1_000_000),
        "days to run each scenario (default: the scenario's duration)",
    );
    let outcomes = r
        .value(
            &farm.outcomes,
            "/farm/outcomes",
            "a list of summary figures, e.g. [\"isolation_day\", \"capture_day\"]",
        )
        .unwrap_or_else(|| DEFAULT_OUTCOMES.map(String::from).to_vec());
    let seeds = SeedRange::new(first_seed as u64, (first_seed + per_point - 1) as u64).ok()?;

    let (kind, design_seed, default_levels) = check_design(raw, r);
    let factors = check_factors(raw, default_levels, kind, r);
    let design = FarmDesign {
        name,
        scenario_span: farm.scenario.as_ref().and_then(Loc::span),
        scenario_file: path
            .parent()
            .unwrap_or(Path::new(""))
            .join(scenario.as_deref().unwrap_or("")),
        factors,
        kind: kind?,
        design_seed,
        seeds,
        days: days.map(|d| d as u32),
        outcomes,
        outcomes_span: farm.outcomes.as_ref().and_then(Loc::span),
    };
    check_size(&design, raw, r);
    scenario.map(|_| design)
}

/// `[design]`: the kind, its point count or levels, and the search seed.
fn check_design(raw: &RawDesignFile, r: &mut Reader) -> (Option<DesignKind>, u64, usize) {
    let Some(table) = &raw.design else {
        r.problem(
            "/design".into(),
            Some(0..0),
            "the [design] table is missing".into(),
            "add [design] with `kind = \"latin_hypercube\"` and `points = 33`",
        );
        return (None, 1, 2);
    };
    let d = &table.inner;
    let seed = r
        .integer(&d.seed, "/design/seed", (0, i64::MAX), "any whole number")
        .unwrap_or(1) as u64;
    let levels = r
        .integer(
            &d.levels,
            "/design/levels",
            (2, 1000),
            "levels per factor of a full factorial, e.g. 3",
        )
        .unwrap_or(2) as usize;
    let kind_help = "`kind` is \"latin_hypercube\" (many factors, few runs) or \"full_factorial\" (every combination of a few factors' levels)";
    let kind = r.required(&d.kind, "/design/kind", table.span(), kind_help);
    let kind = match kind.as_deref() {
        Some("latin_hypercube") => r
            .required(
                &d.points,
                "/design/points",
                table.span(),
                "points of the hypercube, e.g. 33 for up to 11 factors, 65 for up to 16",
            )
            .and_then(|_| {
                r.integer(
                    &d.points,
                    "/design/points",
                    (2, MAX_POINTS as i64),
                    "points of the hypercube, e.g. 33",
                )
            })
            .map(|points| DesignKind::LatinHypercube {
                points: points as usize,
            }),
        Some("full_factorial") => Some(DesignKind::FullFactorial),
        Some(other) => {
            let span = d.kind.as_ref().and_then(Loc::span);
            r.problem(
                "/design/kind".into(),
                span,
                format!("unknown design kind `{other}`"),
                kind_help,
            );
            None
        }
        None => None,
    };
    (kind, seed, levels)
}

/// `[[factor]]`: each one's path, name, range, type and levels, and unique names and paths.
fn check_factors(
    raw: &RawDesignFile,
    default_levels: usize,
    kind: Option<DesignKind>,
    r: &mut Reader,
) -> Vec<Factor> {
    if raw.factor.is_empty() {
        r.problem(
            "/factor".into(),
            Some(0..0),
            "the design has no [[factor]]".into(),
            "add a [[factor]] per assumption to vary: `path = \"air.sorties_per_day\"`, `low = 10`, `high = 40`",
        );
    }
    if raw.factor.len() > MAX_FACTORS {
        r.problem(
            "/factor".into(),
            raw.factor.get(MAX_FACTORS).and_then(Tab::span),
            format!("{} factors, more than {MAX_FACTORS}", raw.factor.len()),
            "group the assumptions or run several designs",
        );
    }
    let mut factors: Vec<Factor> = Vec::new();
    for (i, table) in raw.factor.iter().enumerate() {
        let base = format!("/factor/{i}");
        if let Some(f) = check_factor(&table.inner, table.span(), &base, default_levels, kind, r) {
            let clash = factors
                .iter()
                .find(|g| g.name == f.name || g.path == f.path);
            if let Some(g) = clash {
                let what = if g.name == f.name { "name" } else { "path" };
                r.problem(
                    base.clone(),
                    table.span(),
                    format!(
                        "factor {} has the same {what} as an earlier one (`{}`)",
                        i + 1,
                        if what == "name" { &f.name } else { &f.path }
                    ),
                    "each factor varies one field once; give each a distinct `name`",
                );
            }
            factors.push(f);
        }
    }
    factors
}

/// Column names that a factor's name must not take in `runs.csv`.
const RESERVED_NAMES: [&str; 2] = ["point", "seed"];

fn check_factor(
    f: &RawFactor,
    span: Option<std::ops::Range<usize>>,
    base: &str,
    default_levels: usize,
    kind: Option<DesignKind>,
    r: &mut Reader,
) -> Option<Factor> {
    let at = |field: &str| format!("{base}/{field}");
    let path = r.required(
        &f.path,
        &at("path"),
        span.clone(),
        "the scenario field to vary, as `--set` names it: `air.sorties_per_day`, `unit.sdf-1.strength`",
    );
    let name = r
        .value(&f.name, &at("name"), "a short label for tables and charts")
        .or_else(|| path.clone())?;
    let name_span = f.name.as_ref().or(f.path.as_ref()).and_then(Loc::span);
    if name.is_empty()
        || RESERVED_NAMES.contains(&name.as_str())
        || crate::results::FIXED_FIGURES.contains(&name.as_str())
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    {
        r.problem(
            at("name"),
            name_span,
            format!("`{name}` cannot name a factor: it is a column name of runs.csv"),
            "use letters, digits, `_`, `-` and `.`, and not `point`, `seed` or a figure's name",
        );
    }
    let integer = match r
        .value(&f.kind, &at("type"), "\"real\" or \"integer\"")
        .as_deref()
    {
        None | Some("real") => false,
        Some("integer") => true,
        Some(other) => {
            r.problem(
                at("type"),
                f.kind.as_ref().and_then(Loc::span),
                format!("unknown factor type `{other}`"),
                "`type` is \"real\" (the default) or \"integer\" (counts, days)",
            );
            false
        }
    };
    let bound = |r: &mut Reader, field: &Option<Loc<f64>>, which: &str| {
        let v = r.required(
            field,
            &at(which),
            span.clone(),
            "write a number without quotes, e.g. `low = 10`",
        )?;
        let whole = !integer || v.fract() == 0.0;
        if !v.is_finite() || !whole {
            r.problem(
                at(which),
                field.as_ref().and_then(Loc::span),
                format!(
                    "`{which}` is {v}, not a finite {}",
                    if integer { "whole number" } else { "number" }
                ),
                "write a finite number (a whole one for an integer factor)",
            );
            return None;
        }
        Some(v)
    };
    let low = bound(r, &f.low, "low");
    let high = bound(r, &f.high, "high");
    if let (Some(lo), Some(hi)) = (low, high)
        && lo >= hi
    {
        r.problem(
            at("high"),
            f.high.as_ref().and_then(Loc::span),
            format!("`high` ({hi}) is not above `low` ({lo})"),
            "a factor varies over low..high with low < high; drop the factor to keep a field fixed",
        );
    }
    let levels = match &f.levels {
        Some(_) => r
            .integer(
                &f.levels,
                &at("levels"),
                (2, 1000),
                "levels of this factor in a full factorial, e.g. 3",
            )
            .unwrap_or(2) as usize,
        None => default_levels,
    };
    if f.levels.is_some() && matches!(kind, Some(DesignKind::LatinHypercube { .. })) {
        r.problem(
            at("levels"),
            f.levels.as_ref().and_then(Loc::span),
            "`levels` applies to a full factorial only".into(),
            "remove it: a Latin hypercube gives every factor one level per point",
        );
    }
    if let (true, Some(lo), Some(hi)) = (integer, low, high)
        && ((hi - lo) as usize) + 1 < levels
        && matches!(kind, Some(DesignKind::FullFactorial))
    {
        r.problem(
            at("levels"),
            f.levels.as_ref().and_then(Loc::span).or(span.clone()),
            format!("{levels} levels of an integer factor over {lo}..{hi} would repeat values"),
            "use fewer levels or widen the range",
        );
    }
    let spans = FactorSpans {
        path: f.path.as_ref().and_then(Loc::span).or(span.clone()),
        low: f.low.as_ref().and_then(Loc::span).or(span.clone()),
        high: f.high.as_ref().and_then(Loc::span).or(span),
    };
    Some(Factor {
        name,
        path: path?,
        low: low?,
        high: high?,
        integer,
        levels,
        spans,
    })
}

/// Refuses designs too large to run.
fn check_size(design: &FarmDesign, raw: &RawDesignFile, r: &mut Reader) {
    let points = design
        .factors
        .iter()
        .try_fold(1_usize, |acc, f| acc.checked_mul(f.levels));
    let points = match design.kind {
        DesignKind::LatinHypercube { points } => Some(points),
        DesignKind::FullFactorial => points,
    };
    let runs = points.and_then(|p| (p as u64).checked_mul(design.seeds.len()));
    let span = raw.design.as_ref().and_then(Tab::span);
    match (points, runs) {
        (Some(p), _) if p > MAX_POINTS => r.problem(
            "/design".into(),
            span,
            format!("the design has {p} points, more than {MAX_POINTS}"),
            "use fewer levels or a Latin hypercube",
        ),
        (None, _) => r.problem(
            "/design".into(),
            span,
            "the full factorial has more points than can be counted".into(),
            "use fewer levels or a Latin hypercube",
        ),
        (_, Some(n)) if n > MAX_RUNS => r.problem(
            "/farm/seeds_per_point".into(),
            raw.farm.as_ref().and_then(Tab::span),
            format!("points × seeds is {n} runs, more than {MAX_RUNS}"),
            "use fewer seeds per point or fewer points",
        ),
        _ => {}
    }
}
