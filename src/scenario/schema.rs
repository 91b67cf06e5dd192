//! The scenario format's one source of truth: every field, its type, unit, range, default and meaning.
//!
//! The validator takes its ranges and defaults from [`FIELDS`], `phaseline schema` turns it into a
//! JSON Schema, and `phaseline schema --markdown` into the format reference, so the three cannot drift.

use serde_json::{Map, Value, json};

/// The type of a field as written in a file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldKind {
    /// A real number.
    Number,
    /// A whole number.
    Integer,
    /// Free text.
    Text,
    /// The id of another entity (or, for an `id` field, this entity's own id).
    Id,
    /// A list of settlement ids.
    IdList,
    /// `true` / `false`.
    Bool,
    /// One of a fixed set of words.
    Enum(&'static [&'static str]),
    /// `YYYY-MM-DD`.
    Date,
    /// A nested table.
    Table,
    /// A list of `[lat, lon]` pairs in degrees (a polyline).
    Points,
}

/// What a field is when a file leaves it out: a value typed at compile time that the validator
/// fills in, or words for the reference where the validator works it out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldDefault {
    /// Required: leaving it out is a problem.
    Required,
    /// A number ([`FieldKind::Number`]).
    Num(f64),
    /// A whole number ([`FieldKind::Integer`]).
    Int(i64),
    /// `true` or `false`.
    Flag(bool),
    /// One of the field's words ([`FieldKind::Enum`]).
    Word(&'static str),
    /// A fixed text, written quoted in the reference.
    Literal(&'static str),
    /// Optional, with no value when left out (`none` in the reference).
    Unset,
    /// Worked out by the validator from other fields; the words say how.
    Derived(&'static str),
}

impl FieldDefault {
    /// Whether the field must be given.
    pub fn is_required(self) -> bool {
        self == FieldDefault::Required
    }

    /// The number it stands for, when it is one.
    pub fn number(self) -> Option<f64> {
        match self {
            FieldDefault::Num(x) => Some(x),
            FieldDefault::Int(i) => Some(i as f64),
            _ => None,
        }
    }

    /// How the format reference writes it.
    pub fn reference(self) -> String {
        match self {
            FieldDefault::Required => "**required**".to_owned(),
            FieldDefault::Num(x) => format!("{x}"),
            FieldDefault::Int(i) => format!("{i}"),
            FieldDefault::Flag(b) => format!("{b}"),
            FieldDefault::Word(w) => w.to_owned(),
            FieldDefault::Literal(t) => format!("\"{t}\""),
            FieldDefault::Unset => "none".to_owned(),
            FieldDefault::Derived(how) => how.to_owned(),
        }
    }
}

/// One field of the format.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The table it belongs to (`unit`, `phase.trigger`, …).
    pub table: &'static str,
    /// The field name.
    pub name: &'static str,
    /// Its type.
    pub kind: FieldKind,
    /// Smallest plausible value (numbers).
    pub min: f64,
    /// Largest plausible value (numbers).
    pub max: f64,
    /// What the field is when a file leaves it out.
    pub default: FieldDefault,
    /// What it means, with its unit.
    pub doc: &'static str,
}

const fn f(
    table: &'static str,
    name: &'static str,
    kind: FieldKind,
    min: f64,
    max: f64,
    default: FieldDefault,
    doc: &'static str,
) -> FieldSpec {
    FieldSpec {
        table,
        name,
        kind,
        min,
        max,
        default,
        doc,
    }
}

use FieldDefault::{Derived, Flag, Int, Literal, Num, Required, Unset, Word};
use FieldKind::{Bool, Date, Enum, Id, IdList, Integer, Number, Points, Table, Text};

const DAYS: f64 = 36_500.0;

/// Every field of the scenario format, table by table, in reference order.
#[rustfmt::skip]
pub const FIELDS: &[FieldSpec] = &[
    f("scenario", "name", Text, 0.0, 0.0, Required, "Short name; names the output folder (letters, digits, `-`, `_`)."),
    f("scenario", "description", Text, 0.0, 0.0, Literal(""), "What the scenario models, for the briefing."),
    f("scenario", "format_version", Integer, 1.0, 1.0, Int(1), "Version of this format."),
    f("scenario", "start_date", Date, 0.0, 0.0, Required, "Calendar date of day 0, `YYYY-MM-DD`."),
    f("scenario", "duration_days", Number, 1.0, DAYS, Required, "Campaign length in days (at most 100 years)."),
    f("scenario", "tick_hours", Integer, 1.0, 24.0, Int(6), "Simulated hours per tick; must divide 24."),
    f("scenario", "isolation_threshold", Number, 0.0, 1.0, Num(0.95), "Isolation index at which an objective counts as isolated."),
    f("scenario", "displacement_share_per_day", Number, 0.0, 1.0, Num(0.02), "Share of a settlement's remaining population displaced per day of fighting there."),
    f("scenario", "attrition_dispersion", Number, 0.0, 5.0, Num(0.5), "Coefficient of variation of each engagement's daily intensity: every day, each fight's expected losses on both sides are multiplied by a gamma draw with mean 1 and this spread (gamma-Poisson, i.e. negative binomial, attrition). Real fights have good and bad days far beyond Poisson noise; 0 gives pure Poisson attrition."),
    f("scenario", "milestone_hold_days", Number, 1.0, 365.0, Num(7.0), "Days a state must hold to count as a milestone: `isolation_day` and `capture_day` are the first day of the first spell (consecutive days, judged at each day's end) in which the objective stayed isolated or taken this long, or that was still going when the run ended. Spells that ended are counted as losses (`isolation_losses`, `capture_losses`)."),
    f("scenario", "doctrine", Text, 0.0, 0.0, Unset, "A doctrine file (path relative to this file) whose side, air and scenario parameters this scenario takes wherever it does not set them itself; see \"Doctrine files\" above."),
    f("scenario", "contested_capacity_fraction", Number, 0.0, 1.0, Num(0.5), "Share of a route's capacity a side can use while either end is contested (convoys under fire); applies to supply distribution and to the isolation index alike."),
    f("side", "id", Id, 0.0, 0.0, Required, "Unique id of the side."),
    f("side", "name", Text, 0.0, 0.0, Derived("the id"), "Display name."),
    f("side", "role", Enum(&["attacker", "defender"]), 0.0, 0.0, Required, "Exactly one attacker and one defender."),
    f("side", "lethality_per_day", Number, 0.0, 10.0, Num(0.02), "Lanchester coefficient: enemy fighters put out of action per fighter per day at full cohesion and supply, before posture."),
    f("side", "breakpoint_cohesion", Number, 0.0, 1.0, Num(0.3), "A unit whose cohesion falls below this breaks: it withdraws along an open route or surrenders (a unit that holds surrenders in place). With cohesion_loss_per_loss_share k, a unit in contact from full cohesion breaks once (1 − this) ÷ k of its establishment is lost (0.3 and 2.0: 35 %; 0.1 and 1.0: 90 %)."),
    f("side", "cohesion_loss_per_loss_share", Number, 0.0, 100.0, Num(2.0), "Cohesion lost per share of the unit's establishment lost in combat, linearly (2.0: losing 35 % of the fighters it was formed with costs 0.7 cohesion). The establishment is its strength when formed, less what it detached as garrisons or cells."),
    f("side", "cohesion_recovery_per_day", Number, 0.0, 1.0, Num(0.02), "Cohesion regained per day out of combat while supplied."),
    f("side", "consumption_tons_per_fighter_per_day", Number, 0.0, 1.0, Num(0.01), "Supply consumed per fighter per day, tons; drawn from what the unit carries, tick by tick."),
    f("side", "convoy_speed_km_per_day", Number, 1.0, 5000.0, Num(300.0), "Speed of supply convoys, km per day: a shipment takes (road distance from the nearest source that can reach it) ÷ speed to arrive."),
    f("side", "resupply_target_days", Number, 0.0, 365.0, Num(10.0), "Days of supply a unit asks to hold (its basic load); each day's distribution carries the difference from the side's stocks over the route network."),
    f("side", "unsupplied_attrition_per_day", Number, 0.0, 1.0, Num(0.01), "Share of strength lost per day by a unit whose carried supply is spent (slow: days to weeks, not a hidden combat multiplier)."),
    f("side", "unsupplied_cohesion_loss_per_day", Number, 0.0, 1.0, Num(0.03), "Cohesion lost per day by a unit whose carried supply is spent."),
    f("side", "garrison_ratio", Number, 0.0, 10.0, Num(0.5), "Attacker: garrison = max(garrison_min, ratio × the defender's free fighters that can reach the place: within the attacker's threat_reach_km by road, not through settlements the attacker holds, and not holding a place themselves)."),
    f("side", "garrison_min", Number, 0.0, 100_000.0, Num(50.0), "Attacker: smallest garrison left in a cleared settlement, fighters."),
    f("side", "district_frontage_fighters", Number, 1.0, 1.0e6, Num(300.0), "Attacker: fighters one city district can employ at once (frontage). In a city the attacker fights with at most this many in each district on the front (about √R of the R districts still held); the rest wait. Also the density at which a district counts as full: below it, kills fall in proportion. In fighters, so rescaling every fighter rescales it too."),
    f("side", "civilians_halving_fire", Number, 0.0, 1.0e8, Num(0.0), "Attacker: civilians still inside a city at which the attacker's fire there is halved (rules of engagement, human shields): its close-combat coefficient is divided by 1 + civilians ÷ this. 0: civilians do not slow the fight."),
    f("side", "urban_lethality_per_day", Number, 0.0, 10.0, Num(0.05), "Close-combat coefficient in a city (a settlement of more than one district): enemy fighters put out of action per fighter per day when the district it fights over is full (at least `district_frontage_fighters` of the enemy in it), before posture; it falls in proportion as the district thins out (the linear law)."),
    f("side", "pause_rate_per_day", Number, 0.0, 1.0, Num(0.02), "Attacker: daily hazard of an operational pause (regrouping, resupply, politics, weather), drawn on the day clock: during a pause its manoeuvre units take no new orders and do not advance; fights already joined go on. Pauses are the main source of campaign-to-campaign spread in timing (MODEL.md: random pauses and decision delays). 0: never."),
    f("side", "pause_mean_days", Number, 0.0, 365.0, Num(5.0), "Attacker: mean length of an operational pause, days (exponentially distributed, rounded up to whole days)."),
    f("side", "attack_force_ratio", Number, 0.1, 100.0, Num(3.0), "Attacker: local force ratio the doctrine asks for before clearing a settlement (the classic 3:1)."),
    f("side", "threat_reach_km", Number, 0.0, 1000.0, Num(40.0), "Road distance within which the enemy's free fighters (units not holding a place) threaten a settlement, over routes no inject cut and not through settlements the threatened side holds (garrisons, infiltration, escape, reinforcement). The defender's also bounds the campaign area that air strikes on concentrations may hit, and (straight line) the ring of villages the default plan's assault waits for."),
    f("side", "reserve_strength", Number, 0.0, 1.0e7, Num(0.0), "Defender: fighters in the reserve pool that reinforcement draws on."),
    f("side", "reserve_at", Id, 0.0, 0.0, Derived("the primary objective's first source"), "Defender: settlement where the reserve pool sits; reinforcements travel from there."),
    f("side", "reinforce_delay_days", Number, 0.0, 365.0, Num(3.0), "Defender: days between reinforcement decisions at full C2; the delay is this ÷ C2. A decision counts only when fighters are sent: while no holding it can reach is threatened, it stays due and is taken the first day one is."),
    f("side", "reinforce_share", Number, 0.0, 1.0, Num(0.3), "Defender: share of the reserve sent per decision at full C2; the share is this × C2."),
    f("side", "c2_initial", Number, 0.0, 1.0, Num(1.0), "Defender: command-and-control effectiveness on day 0."),
    f("side", "c2_recovery_per_day", Number, 0.0, 1.0, Num(0.05), "Defender: share of the gap to its ceiling that C2 recovers per day."),
    f("side", "infiltration_rate_per_day", Number, 0.0, 10.0, Num(0.05), "Defender: base daily hazard that the defender sends an infiltration cell against a settlement the attacker holds, per unit of (its free fighters that can reach it ÷ (garrison + 1)), × (1 − attacker_support). Smooth in the garrison: a larger garrison always lowers it."),
    f("side", "escape_share_per_day", Number, 0.0, 1.0, Num(0.05), "Defender: base share of the objective's fighters leaving per day through an open back door; × pressure (the attacker's free fighters that can reach it ÷ (escape_threat_ratio × defenders inside), at most 2) × the objective's isolation index."),
    f("side", "escape_speed_km_per_day", Number, 1.0, 1000.0, Num(40.0), "Defender: speed of fighters escaping to an exit, km per day."),
    f("side", "escape_threat_ratio", Number, 0.0, 100.0, Num(1.5), "Defender: the threat ratio at which escape runs at its base share (with the ring shut); it grows smoothly from zero below it, to twice the base share at twice this ratio."),
    f("settlement", "id", Id, 0.0, 0.0, Required, "Unique id."),
    f("settlement", "name", Text, 0.0, 0.0, Derived("the id"), "Display name."),
    f("settlement", "kind", Enum(&["city", "town", "village", "crossing", "base"]), 0.0, 0.0, Required, "What the place is."),
    f("settlement", "lat", Number, -90.0, 90.0, Required, "Latitude, degrees north."),
    f("settlement", "lon", Number, -180.0, 180.0, Required, "Longitude, degrees east."),
    f("settlement", "population", Number, 0.0, 5.0e7, Num(0.0), "Civilians living there (displacement and civilian harm)."),
    f("settlement", "value", Number, 0.0, 1.0e6, Num(1.0), "Strategic value; the clear phase takes villages by value."),
    f("settlement", "defensibility", Number, 0.1, 10.0, Derived("city 3, town 2, base 2, village 1.5, crossing 1.2"), "Multiplier on the defender's fire there (urban or prepared positions: 1.5–3)."),
    f("settlement", "control", Id, 0.0, 0.0, Required, "Side holding it on day 0."),
    f("settlement", "districts", Integer, 1.0, 100.0, Derived("city: population ÷ 25 000 within 2..20; others 1"), "Districts of a city. A settlement of more than one district is fought as a city (mixed law of close combat, about √R districts on the front at once, `district_frontage_fighters` per district, `urban_lethality_per_day`) and falls when the last district is cleared; one district is a fight in the open (square law)."),
    f("settlement", "attacker_support", Number, 0.0, 1.0, Num(0.5), "Local support for the attacker; infiltration hazard × (1 − support)."),
    f("settlement", "command_node", Bool, 0.0, 0.0, Flag(false), "Holds a defender command node (an air target)."),
    f("settlement", "stockpile_tons", Number, 0.0, 1.0e9, Num(0.0), "Supply stored there on day 0, tons (a city's own stores): held by whoever controls the place, captured with it, drawn on by its controller's distribution."),
    f("settlement", "stockpile_capacity_tons", Number, 0.0, 1.0e9, Derived("stockpile_tons"), "Most the stockpile holds, tons; its controller refills it from depots with what the network carries after units are served."),
    f("route", "id", Id, 0.0, 0.0, Derived("\"<from>-<to>\""), "Unique id, used by injects."),
    f("route", "from", Id, 0.0, 0.0, Required, "Settlement at one end."),
    f("route", "to", Id, 0.0, 0.0, Required, "Settlement at the other end (routes are two-way)."),
    f("route", "length_km", Number, 0.1, 5000.0, Required, "Road length, km."),
    f("route", "capacity_tons_per_day", Number, 0.0, 1.0e6, Required, "Supply it can carry per day, tons."),
    f("route", "kind", Enum(&["highway", "road", "track", "river_crossing"]), 0.0, 0.0, Word("road"), "Type of route. A `river_crossing` (bridge, dam road, ferry, boats) is as long as the crossing itself; its `capacity_tons_per_day` is what crosses the river per day (supply and the isolation index read it as they read any route's), and units lose `crossing_delay_days` crossing it."),
    f("route", "crossing_delay_days", Number, 0.0, 30.0, Derived("river_crossing 1, other kinds 0"), "Days a unit spends crossing, on top of the time the length takes at its speed (loading ferries and boats, a single-lane bridge, a crossing under fire); the unit waits at the near end, then moves on. Units only: convoys are limited by the route's capacity, not delayed."),
    f("unit", "id", Id, 0.0, 0.0, Required, "Unique id (units, depots and settlements share no namespace)."),
    f("unit", "side", Id, 0.0, 0.0, Required, "Side it belongs to."),
    f("unit", "at", Id, 0.0, 0.0, Required, "Settlement where it starts."),
    f("unit", "strength", Number, 0.0, 1.0e7, Required, "Fighters."),
    f("unit", "cohesion", Number, 0.0, 1.0, Num(1.0), "Morale and organisation, 0..1."),
    f("unit", "supply_days", Number, 0.0, 3650.0, Num(10.0), "Days of supply on hand at its side's consumption."),
    f("unit", "speed_km_per_day", Number, 0.0, 1000.0, Num(20.0), "March speed, km per day: on a route whose both ends its side controls and where no enemy stands at either end."),
    f("unit", "advance_speed_km_per_day", Number, 0.0, 1000.0, Derived("speed_km_per_day"), "Advance speed, km per day: on any other route (an end contested, held by the enemy or with enemy fighters in it), judged tick by tick."),
    f("unit", "task", Enum(&["maneuver", "hold"]), 0.0, 0.0, Word("maneuver"), "`hold`: stays in its settlement all run — it never withdraws, and when it breaks it surrenders where it stands (its fighters can still slip out through an open back door as escapees); `maneuver`: tasked by its side each tick."),
    f("unit", "line", Id, 0.0, 0.0, Derived("the line of the first [[phase]]"), "Attacker units only: the line of effort (`[[phase]] line`) whose current phase tasks the unit. Units added by an inject and the garrisons units leave follow the first line."),
    f("depot", "id", Id, 0.0, 0.0, Required, "Unique id."),
    f("depot", "side", Id, 0.0, 0.0, Required, "Side it supplies."),
    f("depot", "at", Id, 0.0, 0.0, Required, "Settlement where it stands."),
    f("depot", "stock_tons", Number, 0.0, 1.0e9, Num(0.0), "Stock on day 0, tons."),
    f("depot", "output_tons_per_day", Number, 0.0, 1.0e7, Num(0.0), "Production per day, tons, while its side controls the settlement (a captured depot stands idle and its stock is captured)."),
    f("objective", "settlement", Id, 0.0, 0.0, Required, "The objective settlement. The first objective is the primary one."),
    f("objective", "attacker", Id, 0.0, 0.0, Required, "The attacking side's id."),
    f("objective", "sources", IdList, 0.0, 0.0, Required, "Defender's outside sources (joined into one super-source for max-flow)."),
    f("objective", "exits", IdList, 0.0, 0.0, Derived("the sources"), "Where defenders escape to through the back door (never the objective itself)."),
    f("phase", "name", Text, 0.0, 0.0, Required, "Name shown in outputs."),
    f("phase", "behaviour", Enum(&["isolate", "clear", "assault"]), 0.0, 0.0, Required, "isolate: seize min-cut settlements; clear: villages by value and isolation effect; assault: the objective."),
    f("phase", "trigger", Table, 0.0, 0.0, Derived("none (first phase of its line: day 0)"), "When the phase starts; required for every phase but the first of its line of effort, and refused on that first one (it starts on day 0, so a trigger there would never be read)."),
    f("phase", "line", Text, 0.0, 0.0, Derived("one line, `main`, for the whole plan"), "Line of effort the phase belongs to. Each line runs its own phases in file order, side by side with the other lines: its first phase starts on day 0, each later one when its own trigger holds, and it tasks only the attacker units assigned to the line (`[[unit]] line`). Without it, every phase is on one line and every attacker unit follows it."),
    f("phase.trigger", "day", Number, 0.0, DAYS, Unset, "Condition: this day reached."),
    f("phase.trigger", "isolation_at_least", Number, 0.0, 1.0, Unset, "Condition: primary objective's isolation index at least this…"),
    f("phase.trigger", "for_days", Number, 0.0, DAYS, Num(0.0), "…on this many consecutive days (the index read at each day's start): 7 starts the phase on the 7th consecutive day, 7 days after the day the index got there; 0 and 1 both mean the first day it holds."),
    f("phase.trigger", "villages_held_share", Number, 0.0, 1.0, Unset, "Condition: attacker controls at least this share of the area's settlements. The area must hold at least one: validation refuses an empty area (it is never \"all held\")."),
    f("phase.trigger", "area", IdList, 0.0, 0.0, Derived("the villages within `radius_km`; without it, all villages"), "The area: settlement ids (any kind)."),
    f("phase.trigger", "radius_km", Number, 0.0, 5000.0, Unset, "The area: villages within this straight-line distance of the primary objective."),
    f("phase.trigger", "mode", Enum(&["all", "any"]), 0.0, 0.0, Word("all"), "Whether all conditions or any one must hold."),
    f("air", "sorties_per_day", Number, 0.0, 10_000.0, Num(0.0), "Attacker's air sorties per day."),
    f("air", "effect_probability", Number, 0.0, 1.0, Num(0.5), "Chance a sortie has its effect."),
    f("air", "priorities", Table, 0.0, 0.0, Derived("all 1"), "Relative weights of the target categories."),
    f("air", "c2_hit_leadership", Number, 0.0, 1.0, Num(0.02), "Defender C2 lost per effective leadership strike."),
    f("air", "c2_hit_command_node", Number, 0.0, 1.0, Num(0.01), "Defender C2 lost per effective command-node strike."),
    f("air", "depot_hit_tons", Number, 0.0, 1.0e6, Num(20.0), "Stock destroyed per effective depot strike, tons."),
    f("air", "concentration_hit_fighters", Number, 0.0, 1.0e5, Num(5.0), "Fighters put out of action per effective strike on a concentration."),
    f("air", "interdiction_capacity_fraction", Number, 0.0, 1.0, Num(0.3), "Share of a route's capacity left while air interdicts it (for the defender's supply flow and its isolation index)."),
    f("air", "interdiction_days", Number, 1.0, 365.0, Num(3.0), "Days an effective interdiction strike keeps a route at reduced capacity (cratered roads, wrecks, the threat of renewed strikes); a route already interdicted can be struck again to extend it."),
    f("air", "civilian_harm_per_strike", Number, 0.0, 1000.0, Num(0.1), "Civilian-harm index added per strike at a populated place, per 100 000 inhabitants."),
    f("air.priorities", "leadership", Number, 0.0, 1000.0, Num(1.0), "Weight of strikes on leaders (lower C2)."),
    f("air.priorities", "command_nodes", Number, 0.0, 1000.0, Num(1.0), "Weight of strikes on command nodes (lower C2; civilian risk)."),
    f("air.priorities", "depots", Number, 0.0, 1000.0, Num(1.0), "Weight of strikes on defender depots."),
    f("air.priorities", "concentrations", Number, 0.0, 1000.0, Num(1.0), "Weight of strikes on the largest defender unit in the campaign area: at a settlement within the defender's `threat_reach_km` by road of the primary objective or of a settlement the attacker holds (ties by unit id; no effect when none stands there)."),
    f("air.priorities", "interdiction", Number, 0.0, 1000.0, Num(1.0), "Weight of sorties interdicting the objective's min-cut routes."),
    f("front", "name", Text, 0.0, 0.0, Required, "Name (e.g. Mosul)."),
    f("front", "start_day", Number, 0.0, DAYS, Num(0.0), "First day of pressure."),
    f("front", "end_day", Number, 0.0, DAYS, Derived("the scenario's end"), "Last day of pressure."),
    f("front", "c2_load", Number, 0.0, 1.0, Num(0.2), "Share of the defender's C2 ceiling taken while active."),
    f("front", "reserve_draw_per_day", Number, 0.0, 1.0e6, Num(0.0), "Fighters drawn from the defender reserve per day while active."),
    f("inject", "day", Number, 0.0, DAYS, Required, "Day it applies (first tick of that day)."),
    f("inject", "action", Enum(&["cut_route", "reopen_route", "destroy_depot", "add_unit", "withdraw_unit", "set_sorties"]), 0.0, 0.0, Required, "What happens."),
    f("inject", "route", Id, 0.0, 0.0, Unset, "cut_route / reopen_route: the route id."),
    f("inject", "depot", Id, 0.0, 0.0, Unset, "destroy_depot: the depot id."),
    f("inject", "unit", Id, 0.0, 0.0, Unset, "add_unit: the new unit's id; withdraw_unit: the unit's id."),
    f("inject", "sorties_per_day", Number, 0.0, 10_000.0, Unset, "set_sorties: new sorties per day."),
    f("inject", "side", Id, 0.0, 0.0, Unset, "add_unit: side."),
    f("inject", "at", Id, 0.0, 0.0, Unset, "add_unit: settlement."),
    f("inject", "strength", Number, 0.0, 1.0e7, Unset, "add_unit: fighters."),
    f("inject", "cohesion", Number, 0.0, 1.0, Num(1.0), "add_unit: cohesion."),
    f("inject", "supply_days", Number, 0.0, 3650.0, Num(10.0), "add_unit: days of supply."),
    f("inject", "speed_km_per_day", Number, 0.0, 1000.0, Num(20.0), "add_unit: march speed."),
    f("inject", "advance_speed_km_per_day", Number, 0.0, 1000.0, Derived("speed_km_per_day"), "add_unit: advance speed."),
    f("uncertain", "path", Text, 0.0, 0.0, Required, "The parameter, named as `--set` names it (`side.isis.lethality_per_day`, `air.effect_probability`); a side may be named by its role (`side.defender.…`), as a doctrine must."),
    f("uncertain", "distribution", Enum(&["uniform", "triangular", "normal", "lognormal"]), 0.0, 0.0, Required, "uniform (`low`, `high`); triangular (`low`, `mode`, `high`); normal (`mean`, `sd`, truncated to `low`..`high`, both required); lognormal (`median`, `sigma` of its logarithm; optionally truncated to `low`..`high`, else to its 0.1–99.9 % quantiles)."),
    f("uncertain", "low", Number, f64::NEG_INFINITY, f64::INFINITY, Unset, "Smallest value (uniform, triangular, normal; lognormal: optional)."),
    f("uncertain", "high", Number, f64::NEG_INFINITY, f64::INFINITY, Unset, "Largest value (uniform, triangular, normal; lognormal: optional)."),
    f("uncertain", "mode", Number, f64::NEG_INFINITY, f64::INFINITY, Unset, "Triangular: the most likely value."),
    f("uncertain", "mean", Number, f64::NEG_INFINITY, f64::INFINITY, Unset, "Normal: the mean before truncation."),
    f("uncertain", "sd", Number, 0.0, f64::INFINITY, Unset, "Normal: the standard deviation before truncation (> 0)."),
    f("uncertain", "median", Number, 0.0, f64::INFINITY, Unset, "Lognormal: the median (> 0)."),
    f("uncertain", "sigma", Number, 0.0, f64::INFINITY, Unset, "Lognormal: standard deviation of the logarithm (> 0)."),
    f("uncertain", "integer", Bool, 0.0, 0.0, Flag(false), "Round every draw to a whole number."),
    f("feature", "name", Text, 0.0, 0.0, Literal(""), "Name shown in the map's legend (e.g. Euphrates)."),
    f("feature", "kind", Enum(&["river", "border", "coast"]), 0.0, 0.0, Required, "What it is; sets how the map draws it."),
    f("feature", "points", Points, 0.0, 0.0, Required, "The polyline, at least two `[lat, lon]` pairs in degrees (lat −90–90, lon −180–180), in order along the line."),
];

/// Tables in document order, with whether they repeat (`[[x]]`) and what they are.
pub const TABLES: &[(&str, bool, &str)] = &[
    ("scenario", false, "The scenario's name, dates and clock."),
    ("side", true, "The two sides and their doctrine."),
    (
        "settlement",
        true,
        "Nodes of the theatre: cities, towns, villages, crossings, bases.",
    ),
    ("route", true, "Two-way edges between settlements."),
    ("unit", true, "Forces."),
    (
        "depot",
        true,
        "Supply sources: stock and production of one side at a settlement.",
    ),
    (
        "objective",
        true,
        "What the attacker wants; the first is primary.",
    ),
    (
        "phase",
        true,
        "The attacker's phases in order. Without any, the default plan: Isolate (day 0) → Clear (isolation ≥ 0.9 for 3 days) → Assault (the attacker holds 70 % of the villages within the defender's `threat_reach_km`, straight line, of the primary objective; with no village there, isolation ≥ 0.9 for 3 more days).",
    ),
    ("phase.trigger", false, "When a phase starts."),
    ("air", false, "The attacker's air campaign."),
    ("air.priorities", false, "Target weights."),
    (
        "front",
        true,
        "Second fronts: outside pressure on the defender.",
    ),
    ("inject", true, "Scheduled events."),
    (
        "feature",
        true,
        "Geography an officer orients by — rivers, borders, coasts — as polylines; drawn on the map under the route network, no effect on the model.",
    ),
    (
        "uncertain",
        true,
        "Parameters known only as a distribution, drawn once per seed from their own random stream (in a scenario or a doctrine); see \"Uncertain parameters\" above.",
    ),
];

/// The spec of `table.name`. Panics only on a programming error (a name missing from [`FIELDS`]).
pub fn spec(table: &str, name: &str) -> &'static FieldSpec {
    // Looked up for every field of every table read, so indexed once rather than scanned.
    static INDEX: std::sync::OnceLock<
        std::collections::BTreeMap<(&'static str, &'static str), usize>,
    > = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        FIELDS
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.table, s.name), i))
            .collect()
    });
    index
        .get(&(table, name))
        .map(|&i| &FIELDS[i])
        .unwrap_or_else(|| panic!("field {table}.{name} is missing from schema::FIELDS"))
}

/// Field names valid in the table that a path such as `/unit/3/strenght` points into.
pub fn known_fields(path: &str) -> Vec<&'static str> {
    let segs: Vec<&str> = path
        .trim_start_matches('/')
        .split('/')
        .filter(|s| s.parse::<usize>().is_err())
        .collect();
    let table = segs[..segs.len().saturating_sub(1)].join(".");
    FIELDS
        .iter()
        .filter(|s| s.table == table)
        .map(|s| s.name)
        .collect()
}

fn field_schema(s: &FieldSpec) -> Value {
    let mut v = match s.kind {
        Number | Integer => {
            let mut m = json!({ "type": if s.kind == Integer { "integer" } else { "number" } });
            if s.min.is_finite() {
                m["minimum"] = json!(s.min);
            }
            if s.max.is_finite() && s.max > s.min {
                m["maximum"] = json!(s.max);
            }
            m
        }
        Text | Id | Date => json!({ "type": "string" }),
        IdList => json!({ "type": "array", "items": { "type": "string" } }),
        Bool => json!({ "type": "boolean" }),
        Enum(words) => json!({ "type": "string", "enum": words }),
        Points => json!({
            "type": "array",
            "minItems": 2,
            "items": { "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 }
        }),
        Table => table_schema(&format!("{}.{}", s.table, s.name)),
    };
    v["description"] = json!(s.doc);
    v
}

fn table_schema(table: &str) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for s in FIELDS.iter().filter(|s| s.table == table) {
        props.insert(s.name.to_owned(), field_schema(s));
        if s.default.is_required() {
            required.push(s.name);
        }
    }
    json!({ "type": "object", "additionalProperties": false, "properties": props, "required": required })
}

/// A JSON Schema (draft 2020-12) of the scenario format, for programs that write scenarios.
pub fn json_schema() -> Value {
    let mut props = Map::new();
    for (table, repeated, doc) in TABLES.iter().filter(|(t, _, _)| !t.contains('.')) {
        let mut t = table_schema(table);
        t["description"] = json!(doc);
        let v = if *repeated {
            json!({ "type": "array", "items": t })
        } else {
            t
        };
        props.insert((*table).to_owned(), v);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "phaseline scenario",
        "type": "object",
        "additionalProperties": false,
        "required": ["scenario", "side", "settlement", "route", "unit", "objective"],
        "properties": props,
    })
}

/// The format reference as Markdown tables, one per table of the format.
pub fn markdown_reference() -> String {
    let mut out = String::new();
    for (table, repeated, doc) in TABLES {
        let header = if *repeated {
            format!("[[{table}]]")
        } else {
            format!("[{table}]")
        };
        out.push_str(&format!("### `{header}`\n{doc}\n\n| field | type | range | default | meaning |\n| --- | --- | --- | --- | --- |\n"));
        for s in FIELDS.iter().filter(|s| s.table == *table) {
            let (ty, range) = match s.kind {
                Number | Integer if !s.min.is_finite() => (kind_name(s.kind), String::new()),
                Number | Integer if s.max.is_finite() => {
                    (kind_name(s.kind), format!("{} – {}", s.min, s.max))
                }
                Number | Integer => (kind_name(s.kind), format!("≥ {}", s.min)),
                k => (kind_name(k), String::new()),
            };
            let default = s.default.reference();
            out.push_str(&format!(
                "| `{}` | {ty} | {range} | {default} | {} |\n",
                s.name, s.doc
            ));
        }
        out.push('\n');
    }
    out
}

fn kind_name(kind: FieldKind) -> String {
    match kind {
        Number => "number".into(),
        Integer => "integer".into(),
        Text => "text".into(),
        Id => "id".into(),
        IdList => "list of ids".into(),
        Bool => "bool".into(),
        Enum(w) => w.join(" \\| "),
        Date => "date".into(),
        Table => "table".into(),
        Points => "list of [lat, lon]".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_defaults_match_their_field_kinds_and_ranges() {
        for s in FIELDS {
            let ok = match (s.default, s.kind) {
                (Num(x), Number) => (s.min..=s.max).contains(&x),
                (Int(i), Integer) => (s.min..=s.max).contains(&(i as f64)),
                (Word(w), Enum(words)) => words.contains(&w),
                (Num(_) | Int(_) | Word(_), _) => false,
                (Flag(_), kind) => kind == Bool,
                _ => true,
            };
            assert!(
                ok,
                "{}.{}: default {:?} does not fit",
                s.table, s.name, s.default
            );
        }
    }

    #[test]
    fn every_table_has_fields_and_every_field_a_table() {
        for (t, _, _) in TABLES {
            assert!(
                FIELDS.iter().any(|s| s.table == *t),
                "table {t} has no fields"
            );
        }
        for s in FIELDS {
            assert!(
                TABLES.iter().any(|(t, _, _)| *t == s.table),
                "{}.{} has no table",
                s.table,
                s.name
            );
        }
    }

    #[test]
    fn schema_requires_the_required_fields() {
        let s = json_schema();
        let req = &s["properties"]["unit"]["items"]["required"];
        assert!(
            req.as_array()
                .is_some_and(|a| a.contains(&json!("strength")))
        );
        assert_eq!(
            s["properties"]["unit"]["items"]["properties"]["cohesion"]["maximum"],
            json!(1.0)
        );
    }

    #[test]
    fn known_fields_follow_the_path() {
        assert!(known_fields("/unit/3/strenght").contains(&"strength"));
        assert!(known_fields("/phase/0/trigger/dya").contains(&"day"));
    }
}
