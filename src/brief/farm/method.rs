//! The method section of a farm page: how the points were laid out and run, in words made from
//! the design, then the first sentences of `sensitivity.json`'s own `method` text.

use maud::{Markup, html};

use super::super::html::para;
use super::super::words::{capitalise, seeds_phrase};
use super::sensitivity::kind_words;
use crate::farm::sensitivity_file::SensitivityFile;

/// How many sentences of the file's method text the page shows.
const METHOD_SENTENCES: usize = 3;

/// The first `n` sentences of `text` (a sentence ends at `. ` before a capital or a backquote,
/// unless the word before is an abbreviation such as `al.` or `e.g.`).
fn first_sentences(text: &str, n: usize) -> &str {
    const ABBREVIATIONS: [&str; 5] = ["al", "e.g", "i.e", "cf", "etc"];
    let mut count = 0;
    for (i, _) in text.match_indices(". ") {
        let next = text[i + 2..].chars().next();
        let word = text[..i].rsplit(' ').next().unwrap_or("");
        if next.is_some_and(|c| c.is_uppercase() || c == '`') && !ABBREVIATIONS.contains(&word) {
            count += 1;
            if count == n {
                return &text[..=i];
            }
        }
    }
    text
}

/// Text with `` `code` `` spans as `<code>`, the rest as text.
fn with_code(text: &str) -> Markup {
    html! {
        @for (i, part) in text.split('`').enumerate() {
            @if i % 2 == 1 {
                code { (part) }
            } @else {
                (part)
            }
        }
    }
}

/// How the points were laid out and run, then the file's method in its first sentences.
pub(crate) fn method(s: &SensitivityFile) -> Markup {
    let d = &s.design;
    let layout = if d.kind == "latin_hypercube" {
        format!(
            "every factor takes {} evenly spaced values between its low and high, once each, arranged \
             so that no two factors move together",
            d.points
        )
    } else {
        "every combination of the factors' levels".to_owned()
    };
    let layout = para(&format!(
        "{} of {} points: {layout}. Every point ran the same {} seeds ({}, common random numbers), \
         {} runs in all, and each outcome was then ranked against every factor.",
        capitalise(&kind_words(&d.kind)),
        d.points,
        d.seeds_per_point,
        seeds_phrase(&d.seeds),
        d.runs
    ));
    html! {
        (layout)
        @if !s.method.trim().is_empty() {
            p { (with_code(first_sentences(s.method.trim(), METHOD_SENTENCES))) }
        }
        p.note {
            "The full method, and every coefficient with its standard error, are in \
             sensitivity.json; the runs, factor values and outcomes in runs.csv."
        }
    }
}
