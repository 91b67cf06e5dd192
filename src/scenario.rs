//! Scenario files: the schema, reading TOML and JSON, and validation into checked types.
//!
//! Flow: bytes → [`raw`] (typed, span-carrying, lenient) → [`validate`](validate::validate) (every
//! problem collected) → [`types::Scenario`] (what the engine trusts). [`schema`] is the single
//! description of every field that validation, `phaseline schema` and the format reference share.

pub mod check;
pub mod limits;
pub mod load;
pub mod loc;
pub mod overrides;
pub mod problem;
pub mod raw;
pub mod schema;
pub mod types;
pub mod validate;
pub mod warnings;

pub use limits::Limits;
pub use load::{
    LoadedScenario, ScenarioError, hex_sha256, load_scenario, load_scenario_bytes,
    load_scenario_with, load_scenario_with_limits, parse_scenario, parse_scenario_with_limits,
    read_scenario_bytes,
};
pub use loc::SourceFormat;
pub use overrides::Override;
pub use problem::Problem;
pub use types::*;
pub use warnings::warnings;
