//! Writing to the terminal: the one way the command line prints.
//!
//! - Text for people ([`say`] on standard output, [`tell`] on standard error) goes through
//!   [`printable`]: control characters (terminal escape codes, a carriage return, bidirectional
//!   overrides) from a scenario's names or a file's bytes are shown escaped, never acted on, and a
//!   message longer than [`MAX_MESSAGE_BYTES`] is cut, saying so.
//! - Data ([`data`]: the JSON Schema, a generated scenario, a Slurm script) is written as is.
//! - A closed standard output (`phaseline run … | head -0`) is quiet: text for people is dropped from
//!   then on and the command finishes its work (its results are on disk, and its exit code tells
//!   how it went); data, which is the whole point of its command, stops with [`TermError::Closed`],
//!   which the command line turns into a quiet exit 0. Any other failure to write (`> /dev/full`) is
//!   an error with its reason. Standard error that cannot be written is ignored: there is nowhere
//!   left to say so, and the exit code still tells.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

/// Longest message written for people, in bytes; longer ones are cut and say so.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;

/// Why standard output could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TermError {
    /// The reader went away (a closed pipe): not an error for the person who closed it.
    #[error("standard output was closed")]
    Closed,
    /// Writing failed for another reason (a full disk, say).
    #[error("cannot write to standard output: {0}")]
    Io(std::io::Error),
}

impl From<std::io::Error> for TermError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            TermError::Closed
        } else {
            TermError::Io(e)
        }
    }
}

/// Set once standard output is found closed: text for people is no longer written.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` for people on standard output (escaped and capped by [`printable`]), flushed; a
/// closed standard output drops it (and all later text) without an error.
pub fn say(text: &str) -> Result<(), TermError> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    match data(printable(text).as_bytes()) {
        Err(TermError::Closed) => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        other => other,
    }
}

/// Writes `bytes` on standard output as they are, flushed.
pub fn data(bytes: &[u8]) -> Result<(), TermError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    Ok(out.flush()?)
}

/// Writes `text` for people on standard error (escaped and capped by [`printable`]); a failure to
/// write is ignored.
pub fn tell(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err
        .write_all(printable(text).as_bytes())
        .and_then(|()| err.flush());
}

/// `text` made safe to show on a terminal: control characters other than newline and tab, and
/// bidirectional-text controls, written as `\u{…}`; cut at [`MAX_MESSAGE_BYTES`] with a line saying
/// how long it was.
pub fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if text.len() <= MAX_MESSAGE_BYTES && !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE_BYTES) + 64);
    for c in text.chars() {
        if out.len() >= MAX_MESSAGE_BYTES {
            let _ = write!(
                out,
                "\n… (cut: messages are capped at {MAX_MESSAGE_BYTES} bytes; this one had {})\n",
                text.len()
            );
            break;
        }
        if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` cut to at most `max` characters, with `…` and how much was cut when it is longer: for
/// echoing a value from a file inside a message.
pub fn excerpt(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}… ({} bytes in all)", &text[..at], text.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_codes_are_shown_not_obeyed() {
        assert_eq!(printable("a\u{1b}[31mred\r\n"), "a\\u{1b}[31mred\\u{d}\n");
        assert_eq!(printable("tab\tok\n"), "tab\tok\n");
        assert_eq!(printable("\u{202e}txt"), "\\u{202e}txt");
    }

    #[test]
    fn long_messages_are_cut_and_say_so() {
        let long = "x".repeat(MAX_MESSAGE_BYTES * 3);
        let shown = printable(&long);
        assert!(shown.len() < MAX_MESSAGE_BYTES + 200);
        assert!(
            shown.contains("capped at 262144 bytes"),
            "{}",
            &shown[shown.len() - 100..]
        );
        assert_eq!(excerpt("abcdef", 3), "abc… (6 bytes in all)");
        assert_eq!(excerpt("abc", 3), "abc");
    }

    #[test]
    fn a_broken_pipe_is_a_closed_output() {
        let e = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(matches!(TermError::from(e), TermError::Closed));
        let full = std::io::Error::other("no space");
        assert!(matches!(TermError::from(full), TermError::Io(_)));
    }
}
