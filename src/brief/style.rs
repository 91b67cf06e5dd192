//! The page's one stylesheet, inline: screen layout and the print rules.
//!
//! Colours follow the charts (Okabe–Ito: attacker blue, defender vermillion, isolation bluish
//! green, capture reddish purple; a farm's effects sky blue when raising a factor raises the
//! outcome and orange when it lowers it, as on the tornado charts). Fonts are the reader's own (no web font is fetched); the charts
//! are PNG images drawn with the embedded DejaVu Sans, so they look the same everywhere. In print,
//! every chart starts a page and is never cut; tables repeat their header row.

/// The stylesheet.
pub(crate) const CSS: &str = r#":root { color-scheme: light; }
html { background: #ffffff; }
body { margin: 0; color: #1f1f1f; background: #ffffff;
  font-family: "DejaVu Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  font-size: 16px; line-height: 1.5; }
main { max-width: 64rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
header { border-bottom: 4px solid #0072B2; margin-bottom: 1.2rem; padding-bottom: 0.6rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.3rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 0.7rem; padding-bottom: 0.2rem;
  border-bottom: 1px solid #c8c8c8; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 0.4rem; }
p { margin: 0.5rem 0; }
.subtitle { color: #4a4a4a; margin: 0; font-size: 1.05rem; }
.bottom-line { font-size: 1.2rem; line-height: 1.55; background: #eef5fb;
  border-left: 6px solid #0072B2; padding: 0.8rem 1.2rem; margin: 0.6rem 0; }
.bottom-line p { margin: 0.35rem 0; }
.note { color: #4a4a4a; font-size: 0.93rem; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; font-size: 0.95rem; }
caption { text-align: left; font-weight: 600; padding: 0.2rem 0 0.4rem; }
th, td { text-align: left; vertical-align: top; padding: 0.32rem 0.6rem;
  border-bottom: 1px solid #dcdcdc; }
thead th { background: #f0f0f0; border-bottom: 2px solid #9a9a9a; }
tbody th { font-weight: normal; }
table.figures tbody th { width: 32%; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.milestone td, tr.milestone th { font-weight: 700; }
.nowrap { white-space: nowrap; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px;
  vertical-align: -0.1em; margin-right: 0.3em; }
.attacker { color: #0072B2; font-weight: 600; }
.defender { color: #A84A00; font-weight: 600; }
figure { margin: 1.2rem 0 2rem; }
figure img { display: block; width: 100%; height: auto; border: 1px solid #d0d0d0; }
figcaption { margin-top: 0.4rem; font-size: 0.97rem; }
figcaption .what { font-weight: 600; }
.timeline svg { display: block; width: 100%; height: auto; }
.timeline svg text { font-family: inherit; }
.notes { white-space: pre-wrap; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 0.8rem; line-height: 1.4; background: #fafafa; border: 1px solid #e2e2e2;
  padding: 0.8rem 1rem; overflow-wrap: anywhere; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em;
  overflow-wrap: anywhere; }
table.parameters th code, table.differences th code { white-space: nowrap; }
table.effects { font-size: 0.9rem; }
table.effects td { white-space: nowrap; }
table.effects .ci { display: block; font-size: 0.8em; color: #4a4a4a; }
table.effects td.unclear { color: #7a7a7a; }
td.up1 { background: #e6f4fc; } td.up2 { background: #c4e4f7; } td.up3 { background: #99d2f2; }
td.down1 { background: #fcf3e0; } td.down2 { background: #f8e1b0; } td.down3 { background: #f2c96e; }
table.design tbody th { width: 32%; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.2rem; }
dl.provenance dt { font-weight: 600; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 2.5rem; border-top: 1px solid #c8c8c8; color: #4a4a4a; font-size: 0.85rem; }
@media print {
  @page { size: A4; margin: 14mm 14mm 16mm; }
  body { font-size: 10.5pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  tr, .bottom-line, .timeline, dl.provenance { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  @page chart { size: A4 landscape; margin: 12mm; }
  #charts { page: chart; break-before: page; page-break-before: always; }
  figure.chart { break-before: page; page-break-before: always; break-inside: avoid;
    page-break-inside: avoid; margin: 0; }
  #charts figure.chart:first-of-type { break-before: auto; page-break-before: auto; }
  #charts > h2 { margin-top: 0; }
  figure.chart img { width: 100%; max-height: 148mm; object-fit: contain; border: none; }
  .notes { font-size: 7.5pt; }
}
"#;
