//! Checks shared by the chart tests: written files, PNG facts, SVG texts, determinism.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::super::ChartError;

fn names(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn expected(stems: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = stems
        .iter()
        .flat_map(|s| [format!("{s}.png"), format!("{s}.svg")])
        .collect();
    all.sort();
    all
}

/// Decodes a PNG; returns (width, height, number of distinct colours).
fn png_facts(path: &Path) -> (u32, u32, usize) {
    let file = fs::File::open(path).expect("open png");
    let mut reader = png::Decoder::new(file).read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let step = info.color_type.samples();
    let colours: BTreeSet<&[u8]> = buf[..info.buffer_size()].chunks(step).collect();
    (info.width, info.height, colours.len())
}

/// Every written file exists, is sorted, PNGs are 1600×900 and not blank, no temp file is left.
pub(super) fn check_written(dir: &Path, paths: &[PathBuf], stems: &[&str]) {
    assert_eq!(names(paths), expected(stems));
    let mut sorted = paths.to_vec();
    sorted.sort();
    assert_eq!(paths, sorted.as_slice());
    for p in paths {
        assert!(p.is_file(), "{} missing", p.display());
        assert_eq!(p.parent(), Some(dir));
        if p.extension().is_some_and(|e| e == "png") {
            let (w, h, colours) = png_facts(p);
            assert_eq!((w, h), (1600, 900), "{}", p.display());
            assert!(
                colours >= 3,
                "{} looks blank ({colours} colours)",
                p.display()
            );
        }
    }
    let leftovers: Vec<_> = fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// The text of `<stem>.svg` with XML's character entities read back.
fn svg(dir: &Path, stem: &str) -> String {
    fs::read_to_string(dir.join(format!("{stem}.svg")))
        .expect("read svg")
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

pub(super) fn assert_svg_has(dir: &Path, stem: &str, texts: &[&str]) {
    let text = svg(dir, stem);
    for t in texts {
        assert!(text.contains(t), "{stem}.svg lacks {t:?}");
    }
}

/// Draws twice in one folder and once in a copy; all three must give the same bytes.
pub(super) fn assert_deterministic(
    make: fn(&Path),
    draw: fn(&Path) -> Result<Vec<PathBuf>, ChartError>,
) {
    let (a, b) = (tempdir(), tempdir());
    make(a.path());
    make(b.path());
    let first = draw(a.path()).expect("first draw");
    let bytes: Vec<Vec<u8>> = first.iter().map(|p| fs::read(p).expect("read")).collect();
    let again = draw(a.path()).expect("second draw");
    let other = draw(b.path()).expect("draw in another folder");
    for ((p, q), (r, original)) in again.iter().zip(&other).zip(first.iter().zip(&bytes)) {
        assert_eq!(
            &fs::read(p).expect("read"),
            original,
            "{} changed on redraw",
            r.display()
        );
        assert_eq!(
            &fs::read(q).expect("read"),
            original,
            "{} differs across folders",
            q.display()
        );
    }
}

pub(super) fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}
