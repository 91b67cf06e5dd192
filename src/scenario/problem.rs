//! Problems found in a scenario file, and how they are shown to the person who wrote it.
//!
//! A problem knows where it is twice over: a JSON-pointer-like path (`/unit/3/strength`), which always
//! exists, and a byte span, which exists for TOML. Rendering turns the span into `file:line:column`
//! with the offending line and a caret, so every message tells what is wrong, where, and what to do.

use std::fmt::Write as _;
use std::ops::Range;

/// One thing wrong with a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where, as a path into the document (`/unit/3/strength`).
    pub path: String,
    /// Where, as a byte span of a TOML file.
    pub span: Option<Range<usize>>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl Problem {
    /// A problem at `path`/`span`.
    pub fn new(
        path: impl Into<String>,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            span,
            message: message.into(),
            help: help.into(),
        }
    }

    /// Line and column (both 1-based) of the problem in `source`, when it has a span.
    pub fn line_col(&self, source: &str) -> Option<(usize, usize)> {
        self.span.as_ref().map(|s| line_col(source, s.start))
    }

    /// Renders the problem for a terminal: location, message, the source line with a caret, help.
    pub fn render(&self, file: &str, source: &str) -> String {
        self.render_as(file, source, "error")
    }

    /// As [`Problem::render`], with `severity` (`error`, `warning`) in place of `error`.
    pub fn render_as(&self, file: &str, source: &str, severity: &str) -> String {
        let mut out = String::new();
        match self.line_col(source) {
            Some((line, col)) => {
                let _ = writeln!(out, "{file}:{line}:{col}: {severity}: {}", self.message);
                let text = source.lines().nth(line - 1).unwrap_or("");
                let width = self
                    .span
                    .as_ref()
                    .map(|s| {
                        // A reader's span may fall inside a character: widen it to whole ones.
                        let start = source.floor_char_boundary(s.start);
                        let end = source.ceil_char_boundary(s.end.max(start));
                        source[start..end]
                            .lines()
                            .next()
                            .unwrap_or("")
                            .chars()
                            .count()
                    })
                    .unwrap_or(1)
                    .max(1);
                let gutter = line.to_string().len();
                let _ = writeln!(out, "{:gutter$} |", "");
                let _ = writeln!(out, "{line} | {text}");
                let _ = writeln!(
                    out,
                    "{:gutter$} | {}{}",
                    "",
                    " ".repeat(col - 1),
                    "^".repeat(width)
                );
            }
            None => {
                let _ = writeln!(out, "{file}: {}: {severity}: {}", self.path, self.message);
            }
        }
        let _ = writeln!(out, "  = help: {}", self.help);
        out
    }
}

/// 1-based line and column (in characters) of byte `offset` in `source` (an offset inside a
/// character counts as that character).
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..source.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 11), (2, 6));
    }

    #[test]
    fn render_shows_line_and_caret() {
        let src = "[scenario]\nname = 5\n";
        let p = Problem::new("/scenario/name", Some(18..19), "bad name", "write a string");
        let text = p.render("f.toml", src);
        assert!(text.starts_with("f.toml:2:8: error: bad name"), "{text}");
        assert!(text.contains("2 | name = 5"));
        assert!(text.contains("  |        ^"));
        assert!(text.contains("help: write a string"));
    }
}
