//! The page's building blocks as maud templates: the document shell, sections, paragraphs and
//! tables.
//!
//! maud escapes every text it splices in (`& < > "`, in text and in quoted attribute values alike),
//! so nothing here or in the pages escapes by hand; markup made by one template is passed to the
//! next as [`Markup`], which maud splices as it is. Every element is closed and every attribute
//! quoted; void elements are written the HTML way (`<meta …>`, `<img …>`). The page makes no
//! reference to anything outside it: the only `src` is a chart's `data:` URI, and there is no
//! `href`.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::style::CSS;

/// A cell of a [`table`]: text (maud escapes it) or markup made by a template.
pub(crate) enum Cell {
    /// Plain text, left-aligned.
    Text(String),
    /// A number or day, right-aligned with tabular figures.
    Num(String),
    /// Text that must not wrap (a date).
    Nowrap(String),
    /// Markup made by a template.
    Html(Markup),
    /// A number as markup, right-aligned, with an extra class on the cell (a shade that says the
    /// sign and size of an effect).
    NumHtml {
        /// The cell's extra class.
        class: &'static str,
        /// The markup.
        html: Markup,
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
) -> Markup {
    let numeric = |i: usize| {
        rows.first()
            .and_then(|r| r.cells.get(i))
            .is_some_and(|c| matches!(c, Cell::Num(_) | Cell::NumHtml { .. }))
    };
    html! {
        table class=(class) {
            caption { (caption) }
            thead {
                tr {
                    @for (i, h) in headers.iter().enumerate() {
                        th scope="col" class=[numeric(i).then_some("num")] { (h) }
                    }
                }
            }
            tbody {
                @for row in rows {
                    tr class=[row.strong.then_some("milestone")] {
                        @for (i, cell) in row.cells.iter().enumerate() {
                            (table_cell(cell, row_headers && i == 0))
                        }
                    }
                }
            }
        }
    }
}

/// One cell: `<th scope="row">` when it heads its row, else `<td>`.
fn table_cell(cell: &Cell, row_header: bool) -> Markup {
    let (class, content) = match cell {
        Cell::Text(s) => (None, html! { (s) }),
        Cell::Num(s) => (Some("num".to_owned()), html! { (s) }),
        Cell::Nowrap(s) => (Some("nowrap".to_owned()), html! { (s) }),
        Cell::Html(m) => (None, m.clone()),
        Cell::NumHtml { class, html } => (Some(format!("num {class}")), html.clone()),
    };
    if row_header {
        html! { th scope="row" class=[class] { (content) } }
    } else {
        html! { td class=[class] { (content) } }
    }
}

/// A `<section>` with an `<h2>` heading and `body`.
pub(crate) fn section(id: &str, heading: &str, body: Markup) -> Markup {
    let heading_id = format!("{id}-h");
    html! {
        section id=(id) aria-labelledby=(heading_id) {
            h2 id=(heading_id) { (heading) }
            (body)
        }
    }
}

/// A paragraph of plain text.
pub(crate) fn para(text: &str) -> Markup {
    html! { p { (text) } }
}

/// A note: a paragraph of plain text in the smaller, grey style.
pub(crate) fn note(text: &str) -> Markup {
    html! { p.note { (text) } }
}

/// The whole document: `title` in `<title>` and `<h1>`, `subtitle` under it, then `sections`.
pub(crate) fn document(title: &str, subtitle: &str, sections: &[Markup], footer: &str) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="phaseline";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                main {
                    header {
                        h1 { (title) }
                        p.subtitle { (subtitle) }
                    }
                    @for s in sections {
                        (s)
                    }
                    footer { p { (footer) } }
                }
            }
        }
    }
    .into_string()
}
