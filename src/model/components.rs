//! Components: what a settlement, a unit and a depot are made of in the ECS world.
//!
//! Settlements and depots are entities too, so systems query them like units; their static facts
//! (name, position, kind) stay in the scenario held by [`crate::model::Theatre`], and only what
//! changes during a run lives here.

use crate::ids::{NodeId, RouteId, Side};
use bevy_ecs::prelude::*;

/// A stable key derived from the scenario id (FNV-1a 64), used for ordering and random streams.
#[derive(Component, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// FNV-1a 64 of `id`.
    pub hash: u64,
    /// The scenario id (units made during a run get ids derived from their origin).
    pub id: String,
}

impl Key {
    /// The key of a scenario id.
    pub fn of(id: &str) -> Key {
        Key {
            hash: crate::rng::fnv1a(id.as_bytes()),
            id: id.to_owned(),
        }
    }
}

/// The node (settlement index) an entity stands for or stands at.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Node(pub NodeId);

/// Which side an entity belongs to.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct SideOf(pub Side);

/// The attacker's line of effort a unit follows (index into the scenario's lines); a unit without
/// one follows the first line.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineOfEffort(pub usize);

/// How a settlement is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlState {
    /// Its controller is present (or, for the defender, holds it through the population).
    Held,
    /// Both sides fight there.
    Contested,
    /// The attacker cleared it but keeps no garrison there.
    ClearedUnheld,
}

/// Who controls a settlement, and how firmly.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    /// The controlling side.
    pub side: Side,
    /// Held, contested or cleared-unheld.
    pub state: ControlState,
}

/// Districts of a settlement, cleared one after another in an assault.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Districts {
    /// How many.
    pub total: f64,
    /// How many the attacker has cleared (fractional while a district is being cleared).
    pub cleared: f64,
}

/// People still living in a settlement.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Population(pub f64);

/// Fighters in a unit.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Strength(pub f64);

/// Morale and organisation, 0..1.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Cohesion(pub f64);

/// Supply on hand, tons.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Supply {
    /// Tons on hand.
    pub tons: f64,
}

/// Fighters a unit had when it was formed, less the share it has since detached (garrisons,
/// cells): the reference for the share of strength lost that drives cohesion in combat, so a
/// breakpoint is a share of the unit lost, as the format reference states.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Establishment(pub f64);

/// Road speeds, km per day.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Speed {
    /// On a route whose both ends its side controls, with no enemy at either end.
    pub march: f64,
    /// On any other route: through contested or enemy ground.
    pub advance: f64,
}

impl Speed {
    /// One speed for every kind of ground.
    pub fn uniform(km_per_day: f64) -> Speed {
        Speed {
            march: km_per_day,
            advance: km_per_day,
        }
    }
}

/// Where a unit is: at a settlement, or part-way along a route.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub enum Location {
    /// At a settlement.
    At(NodeId),
    /// On `route`, heading to node `to`, `km_done` along it.
    OnRoute {
        /// The route.
        route: RouteId,
        /// The node it is heading to.
        to: NodeId,
        /// Distance covered, km.
        km_done: f64,
        /// Days still to spend crossing before it moves on (a river crossing's delay).
        crossing_days_left: f64,
    },
}

impl Location {
    /// The settlement, when at one.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            Location::At(n) => Some(*n),
            Location::OnRoute { .. } => None,
        }
    }
}

/// What a unit is doing.
#[derive(Component, Debug, Clone, PartialEq)]
pub enum Task {
    /// Tasked by its side: moving along `path` (routes) toward `target`, or idle.
    Maneuver {
        /// The settlement it is sent to.
        target: Option<NodeId>,
        /// Routes still to travel, in order.
        path: Vec<RouteId>,
    },
    /// Stays where it is (a garrison, or a unit told to hold).
    Hold,
    /// Broken: falling back along `path` to recover.
    Withdraw {
        /// Routes still to travel, in order.
        path: Vec<RouteId>,
    },
}

/// Supply stored in a settlement (a city's own stores): it belongs to whoever controls the place
/// and changes hands with it.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Stockpile {
    /// Tons stored.
    pub tons: f64,
    /// Most it holds, tons (its controller refills it up to this).
    pub capacity_tons: f64,
    /// The side the stock belongs to now (follows control, with a capture when control changes).
    pub owner: Side,
}

/// A supply depot.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Depot {
    /// Stock, tons.
    pub stock_tons: f64,
    /// Production, tons per day.
    pub output_tons_per_day: f64,
}
