//! Typed identities: which [`Side`] something belongs to, and which settlement ([`NodeId`]) or
//! route ([`RouteId`]) of the scenario it is.
//!
//! A side indexes anything kept per side as `[T; 2]` (`strength[Side::Defender]`), so the attacker
//! is always first. Node and route ids are positions in the scenario's settlement and route lists;
//! they index the per-node and per-route vectors of the run state. Graph algorithms keep plain
//! indices internally and convert at their edges.

use serde::{Serialize, Serializer};
use std::ops::{Index, IndexMut};

/// One of the two sides of the campaign. Serialised as its index (0, 1), as the checked scenario
/// always held it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The side that isolates, clears and holds; index 0.
    Attacker,
    /// The side that holds the objective; index 1.
    Defender,
}

impl Side {
    /// Both sides, attacker first: the order of every per-side array and output column.
    pub const BOTH: [Side; 2] = [Side::Attacker, Side::Defender];

    /// 0 for the attacker, 1 for the defender.
    pub const fn index(self) -> usize {
        match self {
            Side::Attacker => 0,
            Side::Defender => 1,
        }
    }

    /// The enemy.
    pub const fn other(self) -> Side {
        match self {
            Side::Attacker => Side::Defender,
            Side::Defender => Side::Attacker,
        }
    }

    /// Lower-case name, as result files write it (`attacker`, `defender`).
    pub const fn name(self) -> &'static str {
        match self {
            Side::Attacker => "attacker",
            Side::Defender => "defender",
        }
    }
}

impl Serialize for Side {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.index() as u64)
    }
}

impl<T> Index<Side> for [T; 2] {
    type Output = T;
    fn index(&self, side: Side) -> &T {
        &self[side.index()]
    }
}

impl<T> IndexMut<Side> for [T; 2] {
    fn index_mut(&mut self, side: Side) -> &mut T {
        &mut self[side.index()]
    }
}

/// A settlement: its position in [`crate::scenario::Scenario::settlements`], which is also its node
/// in the route graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct NodeId(pub usize);

/// A route: its position in [`crate::scenario::Scenario::routes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RouteId(pub usize);

macro_rules! index_by {
    ($id:ty) => {
        impl $id {
            /// The plain index.
            pub const fn index(self) -> usize {
                self.0
            }
        }
        impl<T> Index<$id> for [T] {
            type Output = T;
            fn index(&self, id: $id) -> &T {
                &self[id.0]
            }
        }
        impl<T> IndexMut<$id> for [T] {
            fn index_mut(&mut self, id: $id) -> &mut T {
                &mut self[id.0]
            }
        }
        impl<T> Index<$id> for Vec<T> {
            type Output = T;
            fn index(&self, id: $id) -> &T {
                &self[id.0]
            }
        }
        impl<T> IndexMut<$id> for Vec<T> {
            fn index_mut(&mut self, id: $id) -> &mut T {
                &mut self[id.0]
            }
        }
    };
}
index_by!(NodeId);
index_by!(RouteId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_index_per_side_arrays_attacker_first() {
        let mut a = [1.0, 2.0];
        a[Side::Defender] += 1.0;
        assert_eq!(a[Side::Attacker], 1.0);
        assert_eq!(a[Side::Defender], 3.0);
        assert_eq!(Side::Attacker.other(), Side::Defender);
        assert_eq!(Side::BOTH.map(Side::index), [0, 1]);
        assert_eq!(serde_json::to_string(&Side::Defender).unwrap(), "1");
    }
}
