//! Placing name labels on a map so that no two collide and none covers another settlement.
//!
//! Greedy, in priority order (objectives first, then by value): each label tries positions around
//! its marker — right, left, above, below, then the four diagonals — on rings further and further
//! out; the first position inside the panel that overlaps no label already placed and no other
//! marker wins. A label placed beyond the first ring gets a leader line back to its marker; one that
//! finds no room is left out rather than drawn over another. Pure pixel geometry, so a test can
//! check that no two label boxes overlap.

/// An axis-aligned box in pixels, `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rect {
    pub(crate) x0: i32,
    pub(crate) y0: i32,
    pub(crate) x1: i32,
    pub(crate) y1: i32,
}

impl Rect {
    /// Whether the two boxes share any pixel.
    pub(crate) fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Whether `self` lies wholly inside `o`.
    fn inside(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }

    /// The point of the box nearest `(x, y)`.
    pub(crate) fn nearest(&self, (x, y): (i32, i32)) -> (i32, i32) {
        (x.clamp(self.x0, self.x1), y.clamp(self.y0, self.y1))
    }
}

/// A label to place: its marker (centre and radius) and its text's size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Label {
    /// Marker centre.
    pub(crate) anchor: (i32, i32),
    /// Marker radius (with any ring).
    pub(crate) radius: i32,
    /// Text width.
    pub(crate) width: i32,
    /// Text height.
    pub(crate) height: i32,
}

/// Where a label goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placed {
    /// Index of the label in the input.
    pub(crate) index: usize,
    /// The text's left edge and vertical middle (as `boxed_text` takes them).
    pub(crate) at: (i32, i32),
    /// The box the label covers, its white background included.
    pub(crate) rect: Rect,
    /// Whether it sits away from its marker and needs a leader line.
    pub(crate) leader: bool,
}

/// Padding of the white box around the text (as `boxed_text` draws it).
const PAD_X: i32 = 3;
/// Vertical padding.
const PAD_Y: i32 = 1;
/// Gap between a marker and its label.
const GAP: i32 = 5;
/// How much further out each ring is.
const RING_STEP: i32 = 26;
/// Rings tried.
const RINGS: i32 = 5;

/// The box of a label with its text's left edge at `left` and middle at `mid`.
fn label_rect(l: &Label, (left, mid): (i32, i32)) -> Rect {
    Rect {
        x0: left - PAD_X,
        y0: mid - l.height / 2 - PAD_Y,
        x1: left + l.width + PAD_X,
        y1: mid + l.height / 2 + PAD_Y,
    }
}

/// Candidate `(left, mid)` positions of `l` on ring `ring`, in order of preference.
fn candidates(l: &Label, ring: i32) -> [(i32, i32); 8] {
    let (x, y) = l.anchor;
    let d = l.radius + GAP + ring * RING_STEP;
    let (w, h) = (l.width, l.height);
    let diag = d * 7 / 10;
    [
        (x + d, y),
        (x - d - w, y),
        (x - w / 2, y - d - h / 2),
        (x - w / 2, y + d + h / 2),
        (x + diag, y - diag - h / 2),
        (x - diag - w, y - diag - h / 2),
        (x + diag, y + diag + h / 2),
        (x - diag - w, y + diag + h / 2),
    ]
}

/// The box a marker covers.
fn marker_rect((x, y): (i32, i32), r: i32) -> Rect {
    Rect {
        x0: x - r,
        y0: y - r,
        x1: x + r,
        y1: y + r,
    }
}

/// Places `labels` (in priority order) inside `bounds`, clear of each other and of `markers`
/// (centre, radius) other than a label's own; labels that find no room are left out.
pub(crate) fn place(labels: &[Label], markers: &[((i32, i32), i32)], bounds: Rect) -> Vec<Placed> {
    let mut placed: Vec<Placed> = Vec::new();
    for (index, l) in labels.iter().enumerate() {
        let free = |r: &Rect| {
            r.inside(&bounds)
                && !placed.iter().any(|p| p.rect.overlaps(r))
                && !markers
                    .iter()
                    .filter(|(c, _)| *c != l.anchor)
                    .any(|(c, radius)| marker_rect(*c, *radius).overlaps(r))
        };
        let found = (0..RINGS).find_map(|ring| {
            candidates(l, ring)
                .into_iter()
                .map(|at| (at, label_rect(l, at)))
                .find(|(_, r)| free(r))
                .map(|(at, rect)| Placed {
                    index,
                    at,
                    rect,
                    leader: ring > 0,
                })
        });
        if let Some(p) = found {
            placed.push(p);
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Rect = Rect {
        x0: 0,
        y0: 0,
        x1: 700,
        y1: 300,
    };

    fn label(x: i32, y: i32, width: i32) -> Label {
        Label {
            anchor: (x, y),
            radius: 8,
            width,
            height: 19,
        }
    }

    #[test]
    fn crowded_labels_never_overlap_each_other_or_other_markers() {
        // The crowd around an objective: a dozen places within 40 pixels of each other.
        let labels: Vec<Label> = (0..12)
            .map(|i| label(300 + (i % 4) * 12, 150 + (i / 4) * 12, 60 + i * 7))
            .collect();
        let markers: Vec<((i32, i32), i32)> = labels.iter().map(|l| (l.anchor, l.radius)).collect();
        let placed = place(&labels, &markers, BOUNDS);
        assert!(placed.len() >= 8, "most find room: {}", placed.len());
        for (i, a) in placed.iter().enumerate() {
            assert!(a.rect.inside(&BOUNDS));
            for b in &placed[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} overlaps {b:?}");
            }
            for (c, r) in markers.iter().filter(|(c, _)| *c != labels[a.index].anchor) {
                assert!(!marker_rect(*c, *r).overlaps(&a.rect), "{a:?} covers {c:?}");
            }
        }
        assert!(
            placed.iter().any(|p| p.leader),
            "far labels get leader lines"
        );
        assert_eq!(
            placed[0].index, 0,
            "the first (the objective) is placed first"
        );
    }

    #[test]
    fn a_label_near_the_right_edge_goes_left() {
        let placed = place(&[label(690, 100, 80)], &[], BOUNDS);
        assert_eq!(placed.len(), 1);
        assert!(placed[0].rect.x1 <= 690, "{:?}", placed[0]);
        assert!(!placed[0].leader);
    }
}
