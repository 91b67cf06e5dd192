//! Writing one chart as PNG and SVG, each under a temporary name renamed into place.

use std::fs;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;

use super::error::ChartError;
use super::style::{HEIGHT, WIDTH};

/// A drawing failure inside a chart, before it is tied to the file being drawn.
#[derive(Debug)]
pub(crate) struct DrawError(pub(crate) String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

/// The result of drawing into a backend.
pub(crate) type DrawResult = Result<(), DrawError>;

/// One chart: its file stem and how to draw it on any plotters backend.
pub(crate) trait Chart {
    /// The file name without extension (`campaign` gives `campaign.png` and `campaign.svg`); owned,
    /// since per-outcome charts name their files after ids read from the result files.
    fn stem(&self) -> String;
    /// Draws the whole chart on `root` (1600×900, already filled white).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult;
}

/// Draws `chart` into `dir` as `<stem>.png` and `<stem>.svg`; returns both paths.
pub(crate) fn write_chart<C: Chart>(dir: &Path, chart: &C) -> Result<Vec<PathBuf>, ChartError> {
    let stem = chart.stem();
    // Stems built from result files are checked when read; this keeps every chart inside `dir`.
    if stem.is_empty() || !stem.chars().all(is_stem_char) {
        return Err(ChartError::Draw {
            path: dir.join(&stem),
            message: "a chart file name may only hold letters, digits, `_` and `-`".to_string(),
        });
    }
    let png = write_png(dir, chart)?;
    let svg = write_svg(dir, chart)?;
    Ok(vec![png, svg])
}

/// Whether `c` may stand in a chart's file name: ASCII letters, digits, `_` and `-`.
pub(crate) fn is_stem_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn draw_error(path: &Path, e: DrawError) -> ChartError {
    ChartError::Draw {
        path: path.to_path_buf(),
        message: e.0,
    }
}

fn write_png<C: Chart>(dir: &Path, chart: &C) -> Result<PathBuf, ChartError> {
    let stem = chart.stem();
    let path = dir.join(format!("{stem}.png"));
    // The bitmap backend picks the encoder from the extension: the temporary name keeps `.png`.
    let tmp = dir.join(format!(".{stem}.tmp.png"));
    let drawn = (|| -> DrawResult {
        let root = BitMapBackend::new(&tmp, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root)?;
        root.present()?;
        Ok(())
    })();
    if let Err(e) = drawn {
        let _ = fs::remove_file(&tmp);
        return Err(draw_error(&path, e));
    }
    rename_into_place(&tmp, &path)?;
    Ok(path)
}

fn write_svg<C: Chart>(dir: &Path, chart: &C) -> Result<PathBuf, ChartError> {
    let stem = chart.stem();
    let path = dir.join(format!("{stem}.svg"));
    let tmp = dir.join(format!(".{stem}.tmp.svg"));
    let mut text = String::new();
    (|| -> DrawResult {
        let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root)?;
        root.present()?;
        Ok(())
    })()
    .map_err(|e| draw_error(&path, e))?;
    fs::write(&tmp, text.as_bytes()).map_err(|source| {
        let _ = fs::remove_file(&tmp);
        ChartError::Write {
            path: tmp.clone(),
            source,
        }
    })?;
    rename_into_place(&tmp, &path)?;
    Ok(path)
}

fn rename_into_place(tmp: &Path, path: &Path) -> Result<(), ChartError> {
    fs::rename(tmp, path).map_err(|source| {
        let _ = fs::remove_file(tmp);
        ChartError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}
