//! Plain string building of the page: escaping, the document shell, sections and tables.
//!
//! Markup is XHTML-compatible (every element closed, attributes quoted, void elements written
//! `<x />`), so the tests can check it with a simple balanced-tag reader.

use std::fmt::Write as _;

use super::style::CSS;

/// Escapes text for an HTML text node or a double- or single-quoted attribute value (and for SVG
/// text): `& < > " '`. A `//` is written `/&#47;` so that no text can read as a protocol-relative
/// reference, and a carriage return is dropped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev = '\0';
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '/' if prev == '/' => out.push_str("&#47;"),
            '\r' => {}
            _ => out.push(c),
        }
        prev = c;
    }
    out
}

/// A cell of a [`table`]: text (escaped) or markup (trusted, already escaped).
pub(crate) enum Cell {
    /// Plain text, left-aligned.
    Text(String),
    /// A number or day, right-aligned with tabular figures.
    Num(String),
    /// Text that must not wrap (a date).
    Nowrap(String),
    /// Markup made by this module.
    Html(String),
    /// A number as markup (trusted, already escaped), right-aligned, with an extra class on the
    /// cell (a shade that says the sign and size of an effect).
    NumHtml {
        /// The cell's extra class.
        class: &'static str,
        /// The markup.
        html: String,
    },
}

/// One table row: its cells, and whether it is emphasised (a milestone).
pub(crate) struct Row {
    /// The cells; the first is the row's header (`<th scope="row">`) when `row_headers` is set.
    pub(crate) cells: Vec<Cell>,
    /// Emphasised row.
    pub(crate) strong: bool,
}

impl Row {
    /// A plain row.
    pub(crate) fn new(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            strong: false,
        }
    }
}

/// A table with a caption, a header row and optionally row headers in the first column.
pub(crate) fn table(
    class: &str,
    caption: &str,
    headers: &[&str],
    rows: &[Row],
    row_headers: bool,
) -> String {
    let mut t = String::new();
    let _ = write!(
        t,
        "<table class=\"{}\">\n<caption>{}</caption>\n<thead><tr>",
        escape(class),
        escape(caption)
    );
    for (i, h) in headers.iter().enumerate() {
        let num = rows
            .first()
            .and_then(|r| r.cells.get(i))
            .is_some_and(|c| matches!(c, Cell::Num(_) | Cell::NumHtml { .. }));
        let class = if num { " class=\"num\"" } else { "" };
        let _ = write!(t, "<th scope=\"col\"{class}>{}</th>", escape(h));
    }
    t.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        t.push_str(if row.strong {
            "<tr class=\"milestone\">"
        } else {
            "<tr>"
        });
        for (i, cell) in row.cells.iter().enumerate() {
            let (open, close) = if row_headers && i == 0 {
                ("<th scope=\"row\"", "</th>")
            } else {
                ("<td", "</td>")
            };
            match cell {
                Cell::Text(s) => {
                    let _ = write!(t, "{open}>{}{close}", escape(s));
                }
                Cell::Num(s) => {
                    let _ = write!(t, "{open} class=\"num\">{}{close}", escape(s));
                }
                Cell::Nowrap(s) => {
                    let _ = write!(t, "{open} class=\"nowrap\">{}{close}", escape(s));
                }
                Cell::Html(s) => {
                    let _ = write!(t, "{open}>{s}{close}");
                }
                Cell::NumHtml { class, html } => {
                    let _ = write!(t, "{open} class=\"num {}\">{html}{close}", escape(class));
                }
            }
        }
        t.push_str("</tr>\n");
    }
    t.push_str("</tbody>\n</table>\n");
    t
}

/// A `<section>` with an `<h2>` heading and `body` (markup).
pub(crate) fn section(id: &str, heading: &str, body: &str) -> String {
    format!(
        "<section id=\"{}\" aria-labelledby=\"{}-h\">\n<h2 id=\"{}-h\">{}</h2>\n{body}</section>\n",
        escape(id),
        escape(id),
        escape(id),
        escape(heading)
    )
}

/// A paragraph of plain text.
pub(crate) fn para(text: &str) -> String {
    format!("<p>{}</p>\n", escape(text))
}

/// The whole document: `title` in `<title>` and `<h1>`, `subtitle` under it, then `sections`.
pub(crate) fn document(title: &str, subtitle: &str, sections: &[String], footer: &str) -> String {
    let mut page = String::new();
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
    page.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
         <meta name=\"generator\" content=\"phaseline\" />\n",
    );
    let _ = writeln!(page, "<title>{}</title>", escape(title));
    let _ = writeln!(page, "<style>\n{CSS}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(
        page,
        "<header>\n<h1>{}</h1>\n<p class=\"subtitle\">{}</p>\n</header>",
        escape(title),
        escape(subtitle)
    );
    for s in sections {
        page.push_str(s);
    }
    let _ = writeln!(
        page,
        "<footer><p>{}</p></footer>\n</main>\n</body>\n</html>",
        escape(footer)
    );
    page
}
