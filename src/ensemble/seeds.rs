//! Seed ranges (`A..B`, inclusive) and shards (`K/N`, contiguous blocks).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::EnsembleError;

/// An inclusive range of seeds, written `A..B` (`1..1000` is 1000 seeds). Never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SeedRange {
    first: u64,
    last: u64,
}

impl SeedRange {
    /// The range `first..last`, both included; an error when `last < first`, or when the range
    /// holds more than `u64::MAX` seeds (only `0..18446744073709551615`).
    pub fn new(first: u64, last: u64) -> Result<Self, EnsembleError> {
        let err = |reason: &str| EnsembleError::InvalidSeedRange {
            input: format!("{first}..{last}"),
            reason: reason.to_owned(),
        };
        if last < first {
            return Err(err("the last seed is below the first"));
        }
        if first == 0 && last == u64::MAX {
            return Err(err("more than 2^64 - 1 seeds"));
        }
        Ok(Self { first, last })
    }

    /// The first seed.
    pub fn first(&self) -> u64 {
        self.first
    }

    /// The last seed (included).
    pub fn last(&self) -> u64 {
        self.last
    }

    /// How many seeds the range holds (at least 1).
    pub fn len(&self) -> u64 {
        self.last - self.first + 1
    }

    /// Always false: a range holds at least one seed (here for clippy's `len_without_is_empty`).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Whether `seed` lies in the range.
    pub fn contains(&self, seed: u64) -> bool {
        (self.first..=self.last).contains(&seed)
    }

    /// The seeds in ascending order.
    pub fn iter(&self) -> std::ops::RangeInclusive<u64> {
        self.first..=self.last
    }

    /// The seeds of shard `K/N`: the range cut into N contiguous blocks, in order, whose sizes differ
    /// by at most one, the larger blocks first. With L seeds, shard K gets `L/N + (K < L%N)` seeds,
    /// starting `K*(L/N) + min(K, L%N)` after the first. `None` when the shard gets no seed
    /// (more shards than seeds).
    pub fn shard(&self, shard: Shard) -> Option<SeedRange> {
        let (n, k) = (u64::from(shard.count), u64::from(shard.index));
        let (base, rem) = (self.len() / n, self.len() % n);
        let size = base + u64::from(k < rem);
        let first = self.first + k * base + k.min(rem);
        (size > 0).then(|| SeedRange {
            first,
            last: first + (size - 1),
        })
    }
}

impl fmt::Display for SeedRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.first, self.last)
    }
}

impl FromStr for SeedRange {
    type Err = EnsembleError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = |reason: &str| EnsembleError::InvalidSeedRange {
            input: input.to_owned(),
            reason: reason.to_owned(),
        };
        let (a, b) = input.split_once("..").ok_or_else(|| err("no `..`"))?;
        let first = parse_u64(a).map_err(|r| err(&format!("first seed {r}")))?;
        let last = parse_u64(b).map_err(|r| err(&format!("last seed {r}")))?;
        Self::new(first, last).map_err(|e| match e {
            EnsembleError::InvalidSeedRange { reason, .. } => err(&reason),
            other => other,
        })
    }
}

impl TryFrom<String> for SeedRange {
    type Error = EnsembleError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<SeedRange> for String {
    fn from(r: SeedRange) -> Self {
        r.to_string()
    }
}

/// One shard `K/N` of a sweep: K from 0 to N-1, as `sbatch --array=0-(N-1)` numbers its tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawShard")]
pub struct Shard {
    /// K, from 0.
    pub index: u32,
    /// N, at least 1.
    pub count: u32,
}

impl Shard {
    /// Shard `index/count`; an error unless `index < count`.
    pub fn new(index: u32, count: u32) -> Result<Self, EnsembleError> {
        if index < count {
            Ok(Self { index, count })
        } else {
            Err(EnsembleError::InvalidShard {
                input: format!("{index}/{count}"),
                reason: "K must be below N".to_owned(),
            })
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = EnsembleError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = |reason: String| EnsembleError::InvalidShard {
            input: input.to_owned(),
            reason,
        };
        let (k, n) = input.split_once('/').ok_or_else(|| err("no `/`".into()))?;
        let parse = |s: &str, what: &str| -> Result<u32, EnsembleError> {
            let v = parse_u64(s).map_err(|r| err(format!("{what} {r}")))?;
            u32::try_from(v).map_err(|_| err(format!("{what} is too large")))
        };
        let (index, count) = (parse(k, "K")?, parse(n, "N")?);
        Self::new(index, count).map_err(|_| err("K must be below N".into()))
    }
}

/// A shard as read from a header, before `K < N` is checked.
#[derive(Deserialize)]
struct RawShard {
    index: u32,
    count: u32,
}

impl TryFrom<RawShard> for Shard {
    type Error = EnsembleError;

    fn try_from(raw: RawShard) -> Result<Self, Self::Error> {
        Self::new(raw.index, raw.count)
    }
}

/// Parses a plain decimal `u64` (no sign, no spaces), saying what is wrong otherwise.
fn parse_u64(s: &str) -> Result<u64, &'static str> {
    if s.is_empty() {
        Err("is missing")
    } else if !s.bytes().all(|b| b.is_ascii_digit()) {
        Err("is not a whole number")
    } else {
        s.parse().map_err(|_| "is too large")
    }
}

/// The seeds of `range` absent from ascending `found`: how many, and [`describe_ranges`] of them.
pub(crate) fn missing_seeds(range: Option<SeedRange>, found: &[u64]) -> (u64, String) {
    let Some(range) = range else {
        return (0, String::new());
    };
    let mut gaps = Vec::new();
    let mut next = Some(range.first);
    for &s in found.iter().filter(|&&s| range.contains(s)) {
        if let Some(n) = next.filter(|&n| n < s) {
            gaps.push((n, s - 1));
        }
        next = s.checked_add(1);
    }
    if let Some(n) = next.filter(|&n| n <= range.last) {
        gaps.push((n, range.last));
    }
    let count = gaps.iter().map(|(a, b)| b - a + 1).sum();
    (count, describe_ranges(&gaps))
}

/// Writes inclusive ranges as `3..5, 9`, at most 10 of them, then `(+N more ranges)`.
fn describe_ranges(runs: &[(u64, u64)]) -> String {
    let mut parts: Vec<String> = runs
        .iter()
        .take(10)
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}..{b}")
            }
        })
        .collect();
    if runs.len() > 10 {
        parts.push(format!("(+{} more ranges)", runs.len() - 10));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn seed_ranges_parse_inclusive() {
        let r: SeedRange = "1..1000".parse().unwrap();
        assert_eq!((r.first(), r.last(), r.len()), (1, 1000, 1000));
        assert_eq!("7..7".parse::<SeedRange>().unwrap().len(), 1);
        assert_eq!(r.to_string(), "1..1000");
    }

    #[test]
    fn bad_seed_ranges_are_refused() {
        for bad in [
            "", "..", "5", "1..", "..4", "4..1", "a..b", "-1..3", "1..2..3", " 1..2", "1..=3",
        ] {
            assert!(
                matches!(
                    bad.parse::<SeedRange>(),
                    Err(EnsembleError::InvalidSeedRange { .. })
                ),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn shards_parse_and_refuse() {
        assert_eq!(
            "0/4".parse::<Shard>().unwrap(),
            Shard { index: 0, count: 4 }
        );
        assert_eq!(
            "3/4".parse::<Shard>().unwrap(),
            Shard { index: 3, count: 4 }
        );
        for bad in ["4/4", "0/0", "1", "/4", "a/4", "-1/4", "1/99999999999", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad:?} accepted");
        }
        assert!(serde_json::from_str::<Shard>(r#"{"index": 4, "count": 4}"#).is_err());
    }

    #[test]
    fn shard_blocks_are_pinned() {
        let r = SeedRange::new(1, 10).unwrap();
        let blocks: Vec<String> = (0..4)
            .map(|k| r.shard(Shard::new(k, 4).unwrap()).unwrap().to_string())
            .collect();
        assert_eq!(blocks, ["1..3", "4..6", "7..8", "9..10"]);
        let two = SeedRange::new(5, 6).unwrap();
        assert_eq!(two.shard(Shard::new(2, 3).unwrap()), None);
    }

    #[test]
    fn missing_seeds_collapse_into_ranges() {
        let r = SeedRange::new(1, 10).unwrap();
        assert_eq!(
            missing_seeds(Some(r), &[2, 3, 7]),
            (7, "1, 4..6, 8..10".to_owned())
        );
        assert_eq!(
            missing_seeds(Some(r), &(1..=10).collect::<Vec<_>>()),
            (0, String::new())
        );
    }

    proptest! {
        #[test]
        fn shards_partition_the_range(first in 0u64..1000, len in 1u64..500, n in 1u32..40) {
            let r = SeedRange::new(first, first + len - 1).unwrap();
            let mut next = r.first();
            let mut sizes = Vec::new();
            for k in 0..n {
                if let Some(s) = r.shard(Shard::new(k, n).unwrap()) {
                    prop_assert_eq!(s.first(), next);
                    next = s.last() + 1;
                    sizes.push(s.len());
                }
            }
            prop_assert_eq!(next, r.last() + 1);
            let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            prop_assert!(max - min <= 1);
        }
    }
}
