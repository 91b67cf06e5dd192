//! Presence: how many fighters of each side stand at each settlement.
//!
//! Tasking, combat and holding all ask "who is here, and who is near"; this tally answers once per
//! stage instead of each system scanning every unit for every settlement.

use crate::model::{Location, Presence, SideOf, Strength};
use bevy_ecs::prelude::*;

/// Recounts [`Presence`] from the units standing at settlements (units on the road count nowhere).
pub fn tally_presence(
    mut presence: ResMut<Presence>,
    units: Query<(&SideOf, &Strength, &Location)>,
) {
    presence.strength.iter_mut().for_each(|s| *s = [0.0, 0.0]);
    units.iter().for_each(|(side, strength, location)| {
        if let Location::At(node) = location {
            presence.strength[*node][side.0] += strength.0;
        }
    });
}
