//! File helpers shared by every writer of result files: atomic writes, `{}` floats in CSV and JSON.
//!
//! Results must be byte-identical however they were produced, so floats are always written with
//! Rust's shortest round-trip `{}` (serde_json's own float text differs: `1e-7`, `118.0`), and a
//! file appears under its name only once complete (written to a temporary name, synced, renamed).

use serde::{Serialize, Serializer};
use std::fs;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to a temporary name beside `path`, syncs it, then renames it over `path`; on
/// failure (a full disk, say) the temporary file is removed, so nothing half-written is left.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] of what `write` writes (buffered), for files too large to build in memory.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let written = fs::File::create(&tmp).and_then(|file| {
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    });
    let result = written.and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Why [`read_limited`] read nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReadLimitError {
    /// The file could not be opened or read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The file holds more than the limit.
    #[error("more than {limit} bytes")]
    TooLarge {
        /// The limit, bytes.
        limit: u64,
    },
}

/// Reads at most `limit` bytes of `path`, refusing a longer file without reading past the limit.
///
/// Works on what a size check cannot see: a pipe (`/dev/stdin`), a device (`/dev/zero`) or a file
/// that grows while read.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadLimitError> {
    use std::io::Read as _;
    let file = fs::File::open(path)?;
    let hint = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadLimitError::TooLarge { limit });
    }
    Ok(bytes)
}

/// A float in a result file: Rust's shortest round-trip `{}`, empty (CSV) or `null` (JSON) for
/// `None` and non-finite values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub Option<f64>);

impl Num {
    /// The CSV cell.
    pub fn cell(self) -> String {
        self.0
            .filter(|v| v.is_finite())
            .map(|v| v.to_string())
            .unwrap_or_default()
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(v) if v.is_finite() => s.serialize_f64(v),
            _ => s.serialize_none(),
        }
    }
}

/// Pretty JSON (with a final newline) whose floats are written with Rust's `{}`.
pub fn json_bytes(value: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, DisplayFloats::default());
    value.serialize(&mut ser)?;
    out.push(b'\n');
    Ok(out)
}

/// serde_json's pretty formatter with `{}` floats.
#[derive(Default)]
struct DisplayFloats(serde_json::ser::PrettyFormatter<'static>);

/// Forwards the layout methods of `Formatter` to the inner pretty formatter.
macro_rules! forward_layout {
    ($($name:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {$(
        fn $name<W: ?Sized + std::io::Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> std::io::Result<()> {
            self.0.$name(w $(, $arg)*)
        }
    )*};
}

impl serde_json::ser::Formatter for DisplayFloats {
    forward_layout!(
        begin_array(), end_array(), begin_array_value(first: bool), end_array_value(),
        begin_object(), end_object(), begin_object_key(first: bool), begin_object_value(),
        end_object_value(),
    );

    fn write_f64<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        value: f64,
    ) -> std::io::Result<()> {
        if value.is_finite() {
            write!(w, "{value}")
        } else {
            w.write_all(b"null")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_atomic_write_leaves_no_temporary_file() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("bands.csv");
        std::fs::create_dir_all(target.join("in-the-way")).unwrap();
        assert!(write_atomic(&target, b"x").is_err());
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn reads_stop_at_the_limit() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("f");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_limited(&file, 10).unwrap().len(), 10);
        assert!(matches!(
            read_limited(&file, 9),
            Err(ReadLimitError::TooLarge { limit: 9 })
        ));
        if Path::new("/dev/zero").exists() {
            assert!(read_limited(Path::new("/dev/zero"), 1 << 20).is_err());
        }
    }

    #[test]
    fn floats_use_display_text() {
        let v = serde_json::json!({"a": 118.0, "b": 1e-7, "c": 0.1});
        let text = String::from_utf8(json_bytes(&v).unwrap_or_default()).unwrap_or_default();
        assert!(
            text.contains("\"a\": 118\n") || text.contains("\"a\": 118,"),
            "{text}"
        );
        assert!(text.contains("0.0000001"), "{text}");
        assert_eq!(Num(Some(2.5)).cell(), "2.5");
        assert_eq!(Num(None).cell(), "");
        assert_eq!(Num(Some(f64::NAN)).cell(), "");
    }
}
