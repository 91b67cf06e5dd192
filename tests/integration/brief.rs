//! The briefing page in a real browser (opt-in): `phaseline run` on tiny (and `phaseline farm` of a
//! small design over it) writes `briefing.html`; headless Chromium (Debian's `chromium` package)
//! renders it offline to a screenshot that must not be blank, and prints it to a PDF with a page per
//! chart.
//!
//! Runs when Chromium is installed at `/usr/bin/chromium` (`.ci/run` installs it); otherwise it says
//! it was skipped, unless `PHASELINE_REQUIRE_CHROMIUM` is set, in which case a missing Chromium is
//! a failure.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs headless Chromium on `page` with `extra` flags (a fresh profile, no network, no GPU), and
/// fails if it does not finish within a minute.
fn chromium(page: &Path, profile: &Path, extra: &[String]) {
    let mut cmd = Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(format!("file://{}", page.display()))
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {CHROMIUM}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                assert!(status.success(), "chromium failed: {status}");
                return;
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within 60 s on {}", page.display());
            }
            Err(e) => panic!("{e}"),
        }
    }
}

/// Distinct RGB colours and the share of pixels that are not near-white, of a PNG.
fn colours(png_path: &Path) -> (usize, f64) {
    let file = std::fs::File::open(png_path).unwrap_or_else(|e| panic!("{e}"));
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{e}"));
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buf)
        .unwrap_or_else(|e| panic!("{e}"));
    let channels = info.color_type.samples();
    assert!(
        channels >= 3,
        "expected a colour screenshot, got {:?}",
        info.color_type
    );
    let pixels = &buf[..info.buffer_size()];
    let mut distinct = BTreeSet::new();
    let mut inked = 0usize;
    let mut total = 0usize;
    for px in pixels.chunks_exact(channels) {
        let rgb = (px[0], px[1], px[2]);
        distinct.insert(rgb);
        total += 1;
        if rgb.0 < 235 || rgb.1 < 235 || rgb.2 < 235 {
            inked += 1;
        }
    }
    (distinct.len(), inked as f64 / total.max(1) as f64)
}

/// Whether Chromium is there; without it the test is skipped (or fails with
/// `PHASELINE_REQUIRE_CHROMIUM`).
fn chromium_available() -> bool {
    if Path::new(CHROMIUM).is_file() {
        return true;
    }
    assert!(
        std::env::var_os("PHASELINE_REQUIRE_CHROMIUM").is_none(),
        "PHASELINE_REQUIRE_CHROMIUM is set but {CHROMIUM} is missing (apt-get install -y chromium)"
    );
    eprintln!(
        "SKIPPED: briefing page in headless Chromium (no {CHROMIUM}; `bash .ci/run` installs it)"
    );
    false
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("phaseline-brief-test")
        .tempdir_in("/tmp")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Runs the phaseline binary in the project folder, asserting success.
fn phaseline(args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_phaseline"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "phaseline {args:?} failed");
}

/// Renders `page` to a screenshot that must not be blank, and prints it to a PDF that must have at
/// least `min_pages` pages (the text, then a page per chart).
fn renders_and_prints(tmp: &Path, page: &Path, min_pages: usize) {
    let shot = tmp.join("shot.png");
    chromium(
        page,
        &tmp.join("profile-shot"),
        &[
            "--window-size=1280,2000".to_owned(),
            "--hide-scrollbars".to_owned(),
            format!("--screenshot={}", shot.display()),
        ],
    );
    let (distinct, inked) = colours(&shot);
    assert!(
        distinct >= 64,
        "the screenshot has only {distinct} colours: blank or unstyled?"
    );
    assert!(
        inked > 0.03,
        "only {:.1} % of the screenshot is not white: blank?",
        inked * 100.0
    );
    let pdf = tmp.join("briefing.pdf");
    chromium(
        page,
        &tmp.join("profile-pdf"),
        &[format!("--print-to-pdf={}", pdf.display())],
    );
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{e}"));
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    assert!(
        bytes.len() > 50_000,
        "the PDF is only {} bytes",
        bytes.len()
    );
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page\n").count();
    assert!(
        pages >= min_pages,
        "{pages} PDF pages: the text, then each chart on a page of its own ({min_pages} expected)"
    );
}

#[test]
fn a_run_briefing_renders_offline_in_headless_chromium_and_prints_to_pdf() {
    if !chromium_available() {
        return;
    }
    let tmp = temp_dir();
    let out: PathBuf = tmp.path().join("run");
    let out_arg = out.display().to_string();
    phaseline(&[
        "run",
        "scenarios/tiny.toml",
        "--seed",
        "3",
        "--out",
        &out_arg,
    ]);
    let page = out.join("briefing.html");
    let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    assert!(html.contains("Alpha was isolated") || html.contains("Alpha was neither"));
    renders_and_prints(tmp.path(), &page, 6);
}

#[test]
fn a_farm_briefing_renders_offline_in_headless_chromium_and_prints_to_pdf() {
    if !chromium_available() {
        return;
    }
    let tmp = temp_dir();
    let design = tmp.path().join("farm.toml");
    let tiny = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let text = format!(
        "[farm]\nscenario = {:?}\nseeds_per_point = 2\ndays = 30\noutcomes = [\"isolation_day\", \"defender_losses\"]\n\n\
         [design]\nkind = \"latin_hypercube\"\npoints = 9\n\n\
         [[factor]]\nname = \"lethality\"\npath = \"side.blue.lethality_per_day\"\nlow = 0.002\nhigh = 0.02\n\n\
         [[factor]]\nname = \"garrison_ratio\"\npath = \"side.blue.garrison_ratio\"\nlow = 0.2\nhigh = 0.8\n",
        tiny.display().to_string()
    );
    std::fs::write(&design, text).unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("farm");
    phaseline(&[
        "farm",
        &design.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    let page = out.join("briefing.html");
    let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    assert!(html.contains("lethality"), "the page names the factors");
    // The text, then a tornado and a top-factor chart per outcome, each on a page of its own.
    renders_and_prints(tmp.path(), &page, 5);
}
