//! The house style of every chart: size, font sizes, the Okabe–Ito palette and number formats.
//!
//! Colours carry one meaning each, in every chart: [`ATTACKER`] blue, [`DEFENDER`] vermillion,
//! [`CONTESTED`] orange, [`CLEARED`] grey, the isolation index black, the isolation milestone bluish
//! green and the capture milestone reddish purple. The farm charts, which show no side, colour an
//! effect by its sign: [`RAISES`] sky blue, [`LOWERS`] orange (light enough for a black whisker on
//! top, and apart from the sides' darker blue and vermillion).

pub(crate) use crate::report::{display_name, seeds_phrase, whole};
use plotters::style::{RGBAColor, RGBColor};

/// Width of every chart, in pixels.
pub(crate) const WIDTH: u32 = 1600;
/// Height of every chart, in pixels.
pub(crate) const HEIGHT: u32 = 900;

/// The font family every text uses (the embedded DejaVu Sans is registered under this name).
pub(crate) const FONT: &str = "sans-serif";
/// Chart title.
pub(crate) const TITLE_PX: f64 = 40.0;
/// Axis descriptions ("day", "fighters").
pub(crate) const LABEL_PX: f64 = 24.0;
/// Tick labels.
pub(crate) const TICK_PX: f64 = 21.0;
/// Legend entries and in-plot annotations.
pub(crate) const LEGEND_PX: f64 = 22.0;
/// Footer (provenance line).
pub(crate) const FOOTER_PX: f64 = 18.0;

/// Attacker: Okabe–Ito blue.
pub(crate) const ATTACKER: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Defender: Okabe–Ito vermillion.
pub(crate) const DEFENDER: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// Contested settlements: Okabe–Ito orange.
pub(crate) const CONTESTED: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
/// Settlements cleared but not held: grey.
pub(crate) const CLEARED: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// The isolation index: black.
pub(crate) const INDEX: RGBColor = RGBColor(0x00, 0x00, 0x00);
/// Isolation milestone (and course A in comparisons): Okabe–Ito bluish green.
pub(crate) const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
/// Capture milestone, cut routes (and course B in comparisons): Okabe–Ito reddish purple.
pub(crate) const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
/// Okabe–Ito sky blue (phase tint, displaced civilians).
pub(crate) const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
/// Okabe–Ito yellow (phase tint only).
pub(crate) const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
/// Dark grey for text, open routes and axes.
pub(crate) const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// Mid grey for footers and secondary text.
pub(crate) const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);

/// Farm charts: a factor whose increase raises the outcome (a later day, a higher share).
pub(crate) const RAISES: RGBColor = SKY;
/// Farm charts: a factor whose increase lowers the outcome.
pub(crate) const LOWERS: RGBColor = CONTESTED;

/// Tints that shade successive phases (cycled).
pub(crate) const PHASE_TINTS: [RGBColor; 4] = [SKY, YELLOW, GREEN, PURPLE];

/// A colour with transparency.
pub(crate) fn tint(colour: RGBColor, alpha: f64) -> RGBAColor {
    RGBAColor(colour.0, colour.1, colour.2, alpha)
}

/// A plain-words label for a number on an axis or in a note: thousands separated, no needless
/// decimals (`41,000`, `0.25`, `3`).
pub(crate) fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let rounded = v.round();
    if v.abs() >= 1000.0 || (v - rounded).abs() < 1e-9 {
        return whole(rounded);
    }
    let text = format!("{:.2}", v.abs());
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let sign = if v < 0.0 && text != "0" { "−" } else { "" };
    format!("{sign}{text}")
}

/// A signed number for differences (`+12.3`, `−4`, `0`).
pub(crate) fn fmt_signed(v: f64) -> String {
    if v > 0.0 && v.is_finite() {
        format!("+{}", fmt_num(v))
    } else {
        fmt_num(v)
    }
}

/// A value (or, `signed`, a difference) of the figure `name` with the rounding of its kind, as the
/// briefing page rounds it: days to one decimal (whole days for a level), shares in percent
/// (points for a difference), indices to two decimals, counts whole.
pub(crate) fn fmt_figure(name: &str, v: f64, signed: bool) -> String {
    let day = name.ends_with("_day") || name.starts_with("phase_start_");
    let (text, suffix) = if !v.is_finite() {
        return "n/a".to_string();
    } else if day {
        (if signed { round_to(v, 1) } else { whole(v) }, "")
    } else if name.ends_with("_share") {
        let decimals = if signed && (v * 100.0).abs() < 1.0 {
            2
        } else {
            1
        };
        (
            round_to(v * 100.0, decimals),
            if signed { " pts" } else { "%" },
        )
    } else if name.ends_with("_index") || name.ends_with("_c2") || name.starts_with("civilian_harm")
    {
        (round_to(v, 2), "")
    } else {
        (whole(v), "")
    };
    let plus = if signed && v > 0.0 && !text.trim_start_matches(['0', '.']).is_empty() {
        "+"
    } else {
        ""
    };
    format!("{plus}{text}{suffix}")
}

/// `v` with at most `decimals` decimals, trailing zeros dropped, thousands separated.
fn round_to(v: f64, decimals: usize) -> String {
    if v.abs() >= 1000.0 {
        return whole(v);
    }
    let text = format!("{:.*}", decimals, v.abs());
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let sign = if v < 0.0 && text != "0" { "−" } else { "" };
    format!("{sign}{text}")
}

/// A regression coefficient: signed, always two decimals (`+0.52`, `−0.03`, `0.00`).
pub(crate) fn fmt_coef(v: f64) -> String {
    let text = format!("{:.2}", v.abs());
    match v {
        _ if !v.is_finite() => "n/a".to_string(),
        _ if text == "0.00" => text,
        _ if v > 0.0 => format!("+{text}"),
        _ => format!("−{text}"),
    }
}

/// A share in whole percent (`38%`).
pub(crate) fn fmt_pct(share: f64) -> String {
    if share.is_finite() {
        format!("{:.0}%", share * 100.0)
    } else {
        "n/a".to_string()
    }
}

/// A figure or series name in plain words: `isolation_day` → `isolation day`,
/// `phase_start_Clear` → `start of phase Clear`.
pub(crate) fn plain_name(name: &str) -> String {
    match name.strip_prefix("phase_start_") {
        Some(phase) => format!("start of phase {}", phase.replace('_', " ")),
        None => name.replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_phrase_reads_single_seeds_and_inclusive_ranges() {
        assert_eq!(seeds_phrase("7"), "seed 7");
        assert_eq!(seeds_phrase("1..500"), "seeds 1–500");
        assert_eq!(seeds_phrase("3..3"), "seed 3");
        assert_eq!(seeds_phrase("1,4,9"), "seeds 1,4,9");
    }

    #[test]
    fn numbers_are_formatted_in_plain_words() {
        assert_eq!(fmt_num(41000.0), "41,000");
        assert_eq!(fmt_num(1234567.4), "1,234,567");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(-1500.0), "−1,500");
        assert_eq!(fmt_num(f64::NAN), "n/a");
        assert_eq!(fmt_signed(12.0), "+12");
        assert_eq!(fmt_pct(0.384), "38%");
        assert_eq!(fmt_coef(0.5), "+0.50");
        assert_eq!(fmt_coef(-0.034), "−0.03");
        assert_eq!(fmt_coef(-0.001), "0.00");
        assert_eq!(plain_name("phase_start_Clear"), "start of phase Clear");
        assert_eq!(fmt_figure("capture_day", -10.734, true), "−10.7");
        assert_eq!(fmt_figure("capture_day", 138.5, false), "139");
        assert_eq!(fmt_figure("attacker_losses", 761.24, true), "+761");
        assert_eq!(fmt_figure("defender_loss_share", 0.0044, true), "+0.44 pts");
        assert_eq!(
            fmt_figure("defender_loss_share", -0.0003, true),
            "−0.03 pts"
        );
        assert_eq!(fmt_figure("defender_loss_share", 0.025, true), "+2.5 pts");
        assert_eq!(fmt_figure("civilian_harm_index", 151.17, true), "+151.17");
        assert_eq!(display_name("raqqa"), "Raqqa");
    }
}
