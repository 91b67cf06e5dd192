//! The ECS model: components of settlements, units and depots, and the run-wide resources.
mod components;
mod resources;

pub use components::*;
pub use resources::*;
