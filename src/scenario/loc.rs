//! Span-carrying field wrappers for the raw scenario layer.
//!
//! Every scalar field of a scenario file is read as [`Loc<T>`]: the value (or the reason it could not
//! be read as `T`) plus, for TOML, its byte span. A wrongly typed field therefore becomes one problem
//! in the list instead of aborting the whole parse, which is what lets `validate` report every
//! problem in a file at once. Tables are read as [`Tab<T>`], which keeps the table's span so that a
//! missing field can point at the table that lacks it.
//!
//! TOML gives spans through `toml::Spanned`; JSON has none, so there the validator locates a value by
//! its path (`/unit/3/strength`). Which of the two is being read is a per-thread setting made by the
//! loader for the duration of one parse ([`with_format`]).

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use std::cell::Cell;
use std::ops::Range;

/// The syntax a scenario file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// TOML, for people; values carry byte spans.
    Toml,
    /// JSON, for programs; values are located by path.
    Json,
}

impl SourceFormat {
    /// The format a file's name says: `.json` (any case) is JSON, anything else TOML.
    pub fn of_path(path: &std::path::Path) -> SourceFormat {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            SourceFormat::Json
        } else {
            SourceFormat::Toml
        }
    }
}

thread_local! {
    static FORMAT: Cell<SourceFormat> = const { Cell::new(SourceFormat::Toml) };
}

/// Runs `f` with the raw layer reading `format`, restoring the previous setting afterwards.
pub fn with_format<R>(format: SourceFormat, f: impl FnOnce() -> R) -> R {
    let previous = FORMAT.with(|cell| cell.replace(format));
    let result = f();
    FORMAT.with(|cell| cell.set(previous));
    result
}

fn current_format() -> SourceFormat {
    FORMAT.with(Cell::get)
}

/// A byte span kept in 8 bytes (files are far below 4 GiB), so that a million-unit raw layer stays
/// small.
type Compact = Option<(u32, u32)>;

fn compact(span: Range<usize>) -> Compact {
    Some((span.start as u32, span.end as u32))
}

fn expand(span: Compact) -> Option<Range<usize>> {
    span.map(|(a, b)| a as usize..b as usize)
}

/// A scalar field: its value, or why it is not a `T`, and where it was written.
#[derive(Debug, Clone)]
pub struct Loc<T> {
    /// The value, or the reader's message when the written value is not a `T` (boxed: rare, and
    /// it keeps the field small).
    pub value: Result<T, Box<String>>,
    at: Compact,
}

impl<T> Loc<T> {
    /// A field read from a document without positions (JSON, or an override).
    pub fn unplaced(value: Result<T, String>) -> Loc<T> {
        Loc {
            value: value.map_err(Box::new),
            at: None,
        }
    }

    /// Byte span in a TOML file; `None` for JSON.
    pub fn span(&self) -> Option<Range<usize>> {
        expand(self.at)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Loc<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match current_format() {
            SourceFormat::Toml => {
                let spanned = toml::Spanned::<toml::Value>::deserialize(deserializer)?;
                let span = spanned.span();
                let value = T::deserialize(spanned.into_inner())
                    .map_err(|e| Box::new(e.message().to_owned()));
                Ok(Loc {
                    value,
                    at: compact(span),
                })
            }
            SourceFormat::Json => {
                let raw = serde_json::Value::deserialize(deserializer)?;
                Ok(Loc::unplaced(
                    T::deserialize(raw).map_err(|e| e.to_string()),
                ))
            }
        }
    }
}

/// A table (or an element of an array of tables) and where it was written.
#[derive(Debug, Clone, Default)]
pub struct Tab<T> {
    /// The table's fields.
    pub inner: T,
    at: Compact,
}

impl<T> Tab<T> {
    /// Byte span of the table in a TOML file; `None` for JSON.
    pub fn span(&self) -> Option<Range<usize>> {
        expand(self.at)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tab<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match current_format() {
            SourceFormat::Toml => {
                let spanned = toml::Spanned::<T>::deserialize(deserializer)?;
                let span = spanned.span();
                Ok(Tab {
                    inner: spanned.into_inner(),
                    at: compact(span),
                })
            }
            SourceFormat::Json => Ok(Tab {
                inner: T::deserialize(deserializer)?,
                at: None,
            }),
        }
    }
}
