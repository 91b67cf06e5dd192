//! The raw scenario layer: what a file says, field by field, before anything is checked.
//!
//! Every field is optional and span-carrying ([`Loc`]), so reading never stops at the first problem;
//! `validate` walks this layer, collects every problem with its location and only then builds the
//! checked types of [`crate::scenario::types`]. The layer stays typed (structs, not a value tree)
//! so that a machine-made file with a million units is read without an intermediate tree.

use super::loc::{Loc, Tab};
use serde::Deserialize;

/// A whole scenario file.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RawScenarioFile {
    /// `[scenario]`: name, dates, tick.
    #[serde(default)]
    pub scenario: Option<Tab<RawMeta>>,
    /// `[[side]]`: exactly one attacker and one defender.
    #[serde(default)]
    pub side: Vec<Tab<RawSide>>,
    /// `[[settlement]]`: the nodes of the theatre.
    #[serde(default)]
    pub settlement: Vec<Tab<RawSettlement>>,
    /// `[[route]]`: undirected edges between settlements.
    #[serde(default)]
    pub route: Vec<Tab<RawRoute>>,
    /// `[[unit]]`: forces.
    #[serde(default)]
    pub unit: Vec<Tab<RawUnit>>,
    /// `[[depot]]`: supply sources.
    #[serde(default)]
    pub depot: Vec<Tab<RawDepot>>,
    /// `[[objective]]`: the first is the primary objective.
    #[serde(default)]
    pub objective: Vec<Tab<RawObjective>>,
    /// `[[phase]]`: the attacker's campaign plan, in order.
    #[serde(default)]
    pub phase: Vec<Tab<RawPhase>>,
    /// `[air]`: the attacker's air campaign.
    #[serde(default)]
    pub air: Option<Tab<RawAir>>,
    /// `[[front]]`: outside pressure on the defender (a second front).
    #[serde(default)]
    pub front: Vec<Tab<RawFront>>,
    /// `[[inject]]`: scheduled events for instructors and what-ifs.
    #[serde(default)]
    pub inject: Vec<Tab<RawInject>>,
    /// `[[feature]]`: rivers, borders and coasts for the map.
    #[serde(default)]
    pub feature: Vec<Tab<RawFeature>>,
    /// `[[uncertain]]`: parameters drawn per seed from a distribution (checked and sampled by
    /// [`crate::calibration::uncertain`], not by `validate`).
    #[serde(default)]
    pub uncertain: Vec<Tab<RawUncertain>>,
}

/// `[[uncertain]]`: one parameter, named as `--set` names it, and its distribution.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawUncertain {
    pub path: Option<Loc<String>>,
    pub distribution: Option<Loc<String>>,
    pub low: Option<Loc<f64>>,
    pub high: Option<Loc<f64>>,
    pub mode: Option<Loc<f64>>,
    pub mean: Option<Loc<f64>>,
    pub sd: Option<Loc<f64>>,
    pub median: Option<Loc<f64>>,
    pub sigma: Option<Loc<f64>>,
    pub integer: Option<Loc<bool>>,
}

/// `[[feature]]`: a polyline of `[lat, lon]` points.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawFeature {
    pub name: Option<Loc<String>>,
    pub kind: Option<Loc<String>>,
    pub points: Option<Loc<Vec<Vec<f64>>>>,
}

/// `[scenario]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawMeta {
    pub name: Option<Loc<String>>,
    pub description: Option<Loc<String>>,
    pub format_version: Option<Loc<i64>>,
    pub start_date: Option<Loc<DateText>>,
    pub duration_days: Option<Loc<f64>>,
    pub tick_hours: Option<Loc<f64>>,
    pub isolation_threshold: Option<Loc<f64>>,
    pub displacement_share_per_day: Option<Loc<f64>>,
    pub contested_capacity_fraction: Option<Loc<f64>>,
    pub milestone_hold_days: Option<Loc<f64>>,
    pub attrition_dispersion: Option<Loc<f64>>,
    pub doctrine: Option<Loc<String>>,
}

/// A date written either as a TOML date or as an ISO `YYYY-MM-DD` string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DateText {
    /// `start_date = "2016-11-05"`.
    Text(String),
    /// `start_date = 2016-11-05`.
    Toml(toml::value::Datetime),
}

/// `[[side]]` with its doctrine parameters.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawSide {
    pub id: Option<Loc<String>>,
    pub name: Option<Loc<String>>,
    pub role: Option<Loc<String>>,
    pub lethality_per_day: Option<Loc<f64>>,
    pub breakpoint_cohesion: Option<Loc<f64>>,
    pub cohesion_loss_per_loss_share: Option<Loc<f64>>,
    pub cohesion_recovery_per_day: Option<Loc<f64>>,
    pub consumption_tons_per_fighter_per_day: Option<Loc<f64>>,
    pub convoy_speed_km_per_day: Option<Loc<f64>>,
    pub resupply_target_days: Option<Loc<f64>>,
    pub unsupplied_attrition_per_day: Option<Loc<f64>>,
    pub unsupplied_cohesion_loss_per_day: Option<Loc<f64>>,
    pub garrison_ratio: Option<Loc<f64>>,
    pub garrison_min: Option<Loc<f64>>,
    pub attack_force_ratio: Option<Loc<f64>>,
    pub pause_mean_days: Option<Loc<f64>>,
    pub pause_rate_per_day: Option<Loc<f64>>,
    pub urban_lethality_per_day: Option<Loc<f64>>,
    pub civilians_halving_fire: Option<Loc<f64>>,
    pub district_frontage_fighters: Option<Loc<f64>>,
    pub threat_reach_km: Option<Loc<f64>>,
    pub reserve_strength: Option<Loc<f64>>,
    pub reserve_at: Option<Loc<String>>,
    pub reinforce_delay_days: Option<Loc<f64>>,
    pub reinforce_share: Option<Loc<f64>>,
    pub c2_initial: Option<Loc<f64>>,
    pub c2_recovery_per_day: Option<Loc<f64>>,
    pub infiltration_rate_per_day: Option<Loc<f64>>,
    pub escape_share_per_day: Option<Loc<f64>>,
    pub escape_threat_ratio: Option<Loc<f64>>,
    pub escape_speed_km_per_day: Option<Loc<f64>>,
}

/// `[[settlement]]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawSettlement {
    pub id: Option<Loc<String>>,
    pub name: Option<Loc<String>>,
    pub kind: Option<Loc<String>>,
    pub lat: Option<Loc<f64>>,
    pub lon: Option<Loc<f64>>,
    pub population: Option<Loc<f64>>,
    pub value: Option<Loc<f64>>,
    pub defensibility: Option<Loc<f64>>,
    pub control: Option<Loc<String>>,
    pub districts: Option<Loc<i64>>,
    pub attacker_support: Option<Loc<f64>>,
    pub command_node: Option<Loc<bool>>,
    pub stockpile_tons: Option<Loc<f64>>,
    pub stockpile_capacity_tons: Option<Loc<f64>>,
}

/// `[[route]]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawRoute {
    pub id: Option<Loc<String>>,
    pub from: Option<Loc<String>>,
    pub to: Option<Loc<String>>,
    pub length_km: Option<Loc<f64>>,
    pub capacity_tons_per_day: Option<Loc<f64>>,
    pub kind: Option<Loc<String>>,
    pub crossing_delay_days: Option<Loc<f64>>,
}

/// `[[unit]]`, also the body of an `add_unit` inject.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawUnit {
    pub id: Option<Loc<String>>,
    pub side: Option<Loc<String>>,
    pub at: Option<Loc<String>>,
    pub strength: Option<Loc<f64>>,
    pub cohesion: Option<Loc<f64>>,
    pub supply_days: Option<Loc<f64>>,
    pub speed_km_per_day: Option<Loc<f64>>,
    pub advance_speed_km_per_day: Option<Loc<f64>>,
    pub task: Option<Loc<String>>,
    pub line: Option<Loc<String>>,
}

/// `[[depot]]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawDepot {
    pub id: Option<Loc<String>>,
    pub side: Option<Loc<String>>,
    pub at: Option<Loc<String>>,
    pub stock_tons: Option<Loc<f64>>,
    pub output_tons_per_day: Option<Loc<f64>>,
}

/// `[[objective]]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawObjective {
    pub settlement: Option<Loc<String>>,
    pub attacker: Option<Loc<String>>,
    pub sources: Option<Loc<Vec<String>>>,
    pub exits: Option<Loc<Vec<String>>>,
}

/// `[[phase]]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawPhase {
    pub name: Option<Loc<String>>,
    pub behaviour: Option<Loc<String>>,
    pub trigger: Option<Tab<RawTrigger>>,
    pub line: Option<Loc<String>>,
}

/// `[phase.trigger]`: conditions that start a phase.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawTrigger {
    pub day: Option<Loc<f64>>,
    pub isolation_at_least: Option<Loc<f64>>,
    pub for_days: Option<Loc<f64>>,
    pub villages_held_share: Option<Loc<f64>>,
    pub area: Option<Loc<Vec<String>>>,
    pub radius_km: Option<Loc<f64>>,
    pub mode: Option<Loc<String>>,
}

/// `[air]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawAir {
    pub sorties_per_day: Option<Loc<f64>>,
    pub effect_probability: Option<Loc<f64>>,
    pub priorities: Option<Tab<RawPriorities>>,
    pub c2_hit_leadership: Option<Loc<f64>>,
    pub c2_hit_command_node: Option<Loc<f64>>,
    pub depot_hit_tons: Option<Loc<f64>>,
    pub concentration_hit_fighters: Option<Loc<f64>>,
    pub interdiction_capacity_fraction: Option<Loc<f64>>,
    pub interdiction_days: Option<Loc<f64>>,
    pub civilian_harm_per_strike: Option<Loc<f64>>,
}

/// `[air.priorities]`: relative weights of the target categories.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawPriorities {
    pub leadership: Option<Loc<f64>>,
    pub command_nodes: Option<Loc<f64>>,
    pub depots: Option<Loc<f64>>,
    pub concentrations: Option<Loc<f64>>,
    pub interdiction: Option<Loc<f64>>,
}

/// `[[front]]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawFront {
    pub name: Option<Loc<String>>,
    pub start_day: Option<Loc<f64>>,
    pub end_day: Option<Loc<f64>>,
    pub c2_load: Option<Loc<f64>>,
    pub reserve_draw_per_day: Option<Loc<f64>>,
}

/// `[[inject]]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct RawInject {
    pub day: Option<Loc<f64>>,
    pub action: Option<Loc<String>>,
    pub route: Option<Loc<String>>,
    pub depot: Option<Loc<String>>,
    pub unit: Option<Loc<String>>,
    pub sorties_per_day: Option<Loc<f64>>,
    pub side: Option<Loc<String>>,
    pub at: Option<Loc<String>>,
    pub strength: Option<Loc<f64>>,
    pub cohesion: Option<Loc<f64>>,
    pub supply_days: Option<Loc<f64>>,
    pub speed_km_per_day: Option<Loc<f64>>,
    pub advance_speed_km_per_day: Option<Loc<f64>>,
}
