//! The journal of finished seeds (`seeds.journal`) and its header (`sweep.json` / `shard.json`).
//!
//! One line per finished seed, written with a single `write` and flushed before the next seed is
//! counted: `seed<TAB>figures<TAB>days<TAB>daily\n`, figures comma-separated with an empty item for
//! `None`, daily rows separated by `;` and series within a row by `,`, every float in Rust's `{}`
//! (parsed back bit for bit). Only lines that end in `\n` count; an unterminated tail is a torn write
//! from a killed process and is dropped (and cut off before a resumed sweep appends).

use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::header::JournalHeader;
use super::{EnsembleError, SeedRange, SeedResult};

/// The journal of finished seeds in a sweep or shard folder.
pub const JOURNAL_FILE: &str = "seeds.journal";
/// The journal header of an unsharded sweep folder.
pub const SWEEP_HEADER_FILE: &str = "sweep.json";
/// The journal header of a shard folder.
pub const SHARD_HEADER_FILE: &str = "shard.json";

/// Encodes one seed's results as a journal line, `\n` included.
pub(crate) fn encode_line(r: &SeedResult) -> String {
    let mut line = format!("{}\t", r.seed);
    for (i, v) in r.figures.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = match v {
            Some(v) => write!(line, "{sep}{v}"),
            None => write!(line, "{sep}"),
        };
    }
    let _ = write!(line, "\t{}\t", r.daily.len());
    for (d, row) in r.daily.iter().enumerate() {
        line.push_str(if d == 0 { "" } else { ";" });
        for (i, v) in row.iter().enumerate() {
            let _ = write!(line, "{}{v}", if i == 0 { "" } else { "," });
        }
    }
    line.push('\n');
    line
}

/// Decodes a journal line (without its `\n`) holding `figures` figures and `series` series a day.
fn decode_line(line: &str, figures: usize, series: usize) -> Result<SeedResult, String> {
    let parts: Vec<&str> = line.split('\t').collect();
    let [seed, figs, days, daily] = parts[..] else {
        return Err(format!("{} tab-separated fields, expected 4", parts.len()));
    };
    let seed: u64 = seed
        .parse()
        .map_err(|_| format!("seed {seed:?} is not a whole number"))?;
    let days: usize = days
        .parse()
        .map_err(|_| format!("day count {days:?} is not a whole number"))?;
    let figures = split_exact(figs, ',', figures, "figures")?
        .into_iter()
        .map(|v| {
            if v.is_empty() {
                Ok(None)
            } else {
                parse_float(v).map(Some)
            }
        })
        .collect::<Result<_, _>>()?;
    let daily = split_exact(daily, ';', days, "days")?
        .into_iter()
        .map(|row| {
            split_exact(row, ',', series, "series")?
                .into_iter()
                .map(parse_float)
                .collect()
        })
        .collect::<Result<_, _>>()?;
    Ok(SeedResult {
        seed,
        figures,
        daily,
    })
}

/// Splits `text` at `sep` into exactly `count` items (`""` holds zero items when `count` is 0).
fn split_exact<'a>(
    text: &'a str,
    sep: char,
    count: usize,
    what: &str,
) -> Result<Vec<&'a str>, String> {
    let items: Vec<&str> = if count == 0 && text.is_empty() {
        Vec::new()
    } else {
        text.split(sep).collect()
    };
    if items.len() == count {
        Ok(items)
    } else {
        Err(format!("{} {what}, expected {count}", items.len()))
    }
}

/// Parses a finite float written with `{}`.
fn parse_float(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{text:?} is not a finite number"))
}

/// Reads the complete lines of the journal at `path`, handing each decoded seed to `each` in file
/// order; returns the byte length of the complete lines (a torn tail after it is ignored).
/// A missing journal reads as empty.
pub(crate) fn read_journal(
    path: &Path,
    header: &JournalHeader,
    mut each: impl FnMut(SeedResult) -> Result<(), EnsembleError>,
) -> Result<u64, EnsembleError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(EnsembleError::io(path)(e)),
    };
    let mut reader = BufReader::new(file);
    let (mut buf, mut complete, mut line_no) = (Vec::new(), 0_u64, 0_usize);
    loop {
        buf.clear();
        let read = reader
            .read_until(b'\n', &mut buf)
            .map_err(EnsembleError::io(path))?;
        if read == 0 || buf.last() != Some(&b'\n') {
            return Ok(complete);
        }
        line_no += 1;
        let corrupt = |reason: String| EnsembleError::JournalCorrupt {
            path: path.to_owned(),
            line: line_no,
            reason,
        };
        let text =
            std::str::from_utf8(&buf[..read - 1]).map_err(|_| corrupt("not UTF-8".into()))?;
        let result =
            decode_line(text, header.figures.len(), header.series.len()).map_err(corrupt)?;
        each(result)?;
        complete += read as u64;
    }
}

/// Reads every seed of the journal in `dir`, ascending, refusing seeds outside the header's
/// `journal_seeds` and seeds found twice.
pub(crate) fn load_results(
    dir: &Path,
    header: &JournalHeader,
) -> Result<Vec<SeedResult>, EnsembleError> {
    let path = dir.join(JOURNAL_FILE);
    let mut results = Vec::new();
    read_journal(&path, header, |r| {
        results.push(r);
        Ok(())
    })?;
    results.sort_by_key(|r| r.seed);
    let seeds: Vec<u64> = results.iter().map(|r| r.seed).collect();
    check_seeds(&path, header.journal_seeds, &seeds)?;
    Ok(results)
}

/// Refuses ascending `seeds` read from the journal at `path` when one lies outside `range` or
/// appears twice.
pub(crate) fn check_seeds(
    path: &Path,
    range: Option<SeedRange>,
    seeds: &[u64],
) -> Result<(), EnsembleError> {
    let unexpected = |reason: String| {
        Err(EnsembleError::JournalSeeds {
            path: path.to_owned(),
            reason,
        })
    };
    if let Some(s) = seeds
        .iter()
        .find(|&&s| !range.is_some_and(|r| r.contains(s)))
    {
        let range = range.map_or("no seeds".to_owned(), |r| r.to_string());
        return unexpected(format!(
            "seed {s} is outside this journal's seeds ({range})"
        ));
    }
    if let Some(w) = seeds.windows(2).find(|w| w[0] == w[1]) {
        return unexpected(format!("seed {} appears twice", w[0]));
    }
    Ok(())
}

/// Appends lines to a journal from many threads, one whole line per `write` call.
pub(crate) struct JournalWriter {
    path: PathBuf,
    file: Mutex<File>,
}

impl JournalWriter {
    /// Opens the journal at `path` for appending after cutting it to `keep` bytes (its complete
    /// lines; 0 starts it afresh).
    pub(crate) fn open(path: &Path, keep: u64) -> Result<Self, EnsembleError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(EnsembleError::io(path))?;
        file.set_len(keep).map_err(EnsembleError::io(path))?;
        Ok(Self {
            path: path.to_owned(),
            file: Mutex::new(file),
        })
    }

    /// Appends one seed's line and hands it to the operating system before returning.
    pub(crate) fn append(&self, result: &SeedResult) -> Result<(), EnsembleError> {
        let line = encode_line(result);
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        file.write_all(line.as_bytes())
            .and_then(|()| file.flush())
            .map_err(EnsembleError::io(&self.path))
    }

    /// Syncs the journal to disk.
    pub(crate) fn finish(self) -> Result<(), EnsembleError> {
        let file = self
            .file
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        file.sync_data().map_err(EnsembleError::io(&self.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_bit_for_bit() {
        let r = SeedResult {
            seed: 42,
            figures: vec![Some(0.1 + 0.2), None, Some(-0.0), Some(1e-300), Some(118.0)],
            daily: vec![vec![1.0 / 3.0, 2.5], vec![f64::MAX, f64::MIN_POSITIVE]],
        };
        let line = encode_line(&r);
        assert!(line.starts_with("42\t0.30000000000000004,,-0,"));
        let back = decode_line(line.trim_end_matches('\n'), 5, 2).unwrap();
        assert_eq!(back.seed, 42);
        let bits = |v: &[Option<f64>]| v.iter().map(|x| x.map(f64::to_bits)).collect::<Vec<_>>();
        assert_eq!(bits(&back.figures), bits(&r.figures));
        assert_eq!(back.daily, r.daily);
    }

    #[test]
    fn empty_shapes_round_trip() {
        for r in [
            SeedResult {
                seed: 1,
                figures: vec![],
                daily: vec![],
            },
            SeedResult {
                seed: 2,
                figures: vec![None],
                daily: vec![vec![], vec![]],
            },
        ] {
            let (f, s) = (r.figures.len(), r.daily.first().map_or(0, Vec::len));
            assert_eq!(
                decode_line(encode_line(&r).trim_end_matches('\n'), f, s).unwrap(),
                r
            );
        }
    }

    #[test]
    fn malformed_lines_say_why() {
        assert!(
            decode_line("1\t2", 1, 0)
                .unwrap_err()
                .contains("2 tab-separated fields")
        );
        assert!(
            decode_line("1\t2,3\t0\t", 1, 0)
                .unwrap_err()
                .contains("2 figures, expected 1")
        );
        assert!(
            decode_line("1\tx\t0\t", 1, 0)
                .unwrap_err()
                .contains("not a finite number")
        );
        assert!(
            decode_line("1\t1\t2\t1", 1, 1)
                .unwrap_err()
                .contains("1 days, expected 2")
        );
    }
}
