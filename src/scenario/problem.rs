//! Problems found in a scenario file, and how they are shown to the person who wrote it.
//!
//! A problem knows where it is twice over: a JSON-pointer-like path (`/unit/3/strength`), which always
//! exists, and a byte span, which exists for TOML. Rendering turns the span into `file:line:column`
//! with the offending line and a caret, so every message tells what is wrong, where, and what to do.

use crate::term::excerpt;
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
    /// A long source line is shown as the [`LINE_WINDOW`] characters around the problem, and the
    /// message and help are cut at [`MAX_TEXT_CHARS`] characters, saying so.
    pub fn render(&self, file: &str, source: &str) -> String {
        self.render_as(file, source, "error")
    }

    /// As [`Problem::render`], with `severity` (`error`, `warning`) in place of `error`.
    pub fn render_as(&self, file: &str, source: &str, severity: &str) -> String {
        let mut out = String::new();
        let message = excerpt(&self.message, MAX_TEXT_CHARS);
        match self.line_col(source) {
            Some((line, col)) => {
                let _ = writeln!(out, "{file}:{line}:{col}: {severity}: {message}");
                let (text, col) = window(source.lines().nth(line - 1).unwrap_or(""), col);
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
                    .clamp(1, LINE_WINDOW);
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
                let path = excerpt(&self.path, MAX_TEXT_CHARS);
                let _ = writeln!(out, "{file}: {path}: {severity}: {message}");
            }
        }
        let _ = writeln!(out, "  = help: {}", excerpt(&self.help, MAX_TEXT_CHARS));
        out
    }
}

/// Most characters of a source line shown under a problem.
pub const LINE_WINDOW: usize = 120;

/// Most characters of a problem's message, help or path shown (an echoed key or value can be long).
pub const MAX_TEXT_CHARS: usize = 500;

/// The part of `line` shown for a problem at 1-based column `col`: the whole line when short,
/// otherwise [`LINE_WINDOW`] characters around the column marked `…` where cut; with the column in
/// the shown text.
fn window(line: &str, col: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= LINE_WINDOW {
        return (line.to_owned(), col);
    }
    let start = col
        .saturating_sub(LINE_WINDOW / 2 + 1)
        .min(count - LINE_WINDOW);
    let mut text: String = line.chars().skip(start).take(LINE_WINDOW).collect();
    let mut col = col - start;
    if start > 0 {
        text.insert(0, '…');
        col += 1;
    }
    if start + LINE_WINDOW < count {
        text.push('…');
    }
    (text, col)
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
    fn a_long_line_is_shown_as_a_window_around_the_problem() {
        let src = format!("{{\"a\": \"{}\", \"x\": ?}}", "y".repeat(50_000_000 / 50));
        let at = src.find('?').unwrap();
        let p = Problem::new("/x", Some(at..at + 1), "bad value", "write a number");
        let text = p.render("f.json", &src);
        assert!(text.len() < 1000, "{} bytes", text.len());
        let caret = text.lines().nth(3).unwrap().find('^').unwrap();
        let shown = text.lines().nth(2).unwrap();
        assert_eq!(shown.chars().nth(caret), Some('?'), "{text}");
        let long = Problem::new("/", None, "k".repeat(10_000), "h");
        assert!(long.render("f", "").len() < 1000);
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
