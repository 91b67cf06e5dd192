//! Building a world from a checked scenario and running it tick by tick.
//!
//! [`Simulation::new`] spawns settlements, units and depots, computes the day-0 isolation picture
//! and builds the schedule with ambiguity detection as an error; [`Simulation::run`] steps it to the
//! end and gathers the [`RunOutput`]. Nothing here reads the clock or the environment: a run is a
//! function of (scenario, seed, days).

use crate::graph::RouteGraph;
use crate::ids::NodeId;
use crate::ids::Side;
use crate::model::*;
use crate::results::{
    ObjectiveSummary, Ordered, PerSide, PhaseSummary, RunOutput, Summary, SupplySummary,
    split_at_capture,
};
use crate::scenario::{Scenario, StartTask, Unit};
use crate::systems::record::{Recorder, RunView, frame, row};
use crate::systems::{CampaignTick, isolation, register_campaign_systems};
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings};
use bevy_ecs::system::RunSystemOnce;
use std::sync::Arc;

/// Why a run could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The schedule could not be built (an unordered conflict between systems: a programming error).
    #[error("the campaign schedule is invalid: {0}")]
    Schedule(String),
}

/// The components of a scenario unit with `supply_tons` on hand.
pub fn unit_bundle(u: &Unit, supply_tons: f64) -> impl Bundle {
    let task = match u.task {
        StartTask::Hold => Task::Hold,
        StartTask::Maneuver => Task::Maneuver {
            target: None,
            path: Vec::new(),
        },
    };
    let speed = Speed {
        march: u.speed_km_per_day,
        advance: u.advance_speed_km_per_day,
    };
    (
        crate::systems::common::unit_components(
            &u.id,
            u.side,
            NodeId(u.at),
            u.strength,
            u.cohesion,
            supply_tons,
            speed,
        ),
        task,
        LineOfEffort(u.line),
    )
}

/// A world being simulated.
pub struct Simulation {
    world: World,
    schedule: Schedule,
    total_ticks: u32,
    seed: u64,
    timed: Option<TimedSteps>,
}

/// The steps of a tick as separate schedules, each timed (`phaseline run --timings`). Same order
/// and same results as the single schedule; only slower by the per-schedule overhead.
struct TimedSteps {
    schedules: Vec<Schedule>,
    timings: Timings,
}

/// Wall time spent in each step of the tick, for finding where a big scenario spends its time.
/// Never part of the results: the simulation itself reads no clock.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Step names in order (a system that runs twice appears twice).
    pub names: Vec<&'static str>,
    /// Seconds spent per step.
    pub seconds: Vec<f64>,
    /// Ticks timed.
    pub ticks: u64,
}

impl Simulation {
    /// Builds the world for `scenario` and `seed`, to run for `days` (default: the scenario's length).
    pub fn new(
        scenario: Arc<Scenario>,
        seed: u64,
        days: Option<u32>,
    ) -> Result<Simulation, RunError> {
        let mut world = World::new();
        let days = days
            .unwrap_or(scenario.meta.duration_days)
            .min(scenario.meta.duration_days);
        let clock = Clock {
            tick: 0,
            ticks_per_day: scenario.meta.ticks_per_day(),
            tick_days: scenario.meta.tick_days(),
        };
        let node_entities = spawn_settlements(&mut world, &scenario);
        let initial_tons = spawn_forces(&mut world, &scenario);
        let graph = RouteGraph::new(&scenario);
        let reach = scenario
            .sides
            .iter()
            .map(|s| s.threat_reach_km)
            .fold(0.0, f64::max);
        let neighbourhood = (0..graph.nodes).map(|n| graph.within(n, reach)).collect();
        let theatre = Theatre {
            scenario: scenario.clone(),
            graph,
            neighbourhood,
            node_entities,
        };
        let control: Vec<Side> = scenario.settlements.iter().map(|s| s.control).collect();
        let n_routes = scenario.routes.len();
        let mut routes = RouteState {
            status: vec![RouteStatus::Open; n_routes],
            inject_cut: vec![false; n_routes],
            interdicted: vec![false; n_routes],
            interdicted_until_day: vec![0; n_routes],
            used_tons_today: vec![0.0; n_routes],
            dirty: false,
        };
        isolation::refresh_route_status(&theatre, &mut routes, &control);
        // The day-0 reference flow is the network's own: no place contested, no route interdicted.
        let uncontested = vec![false; theatre.graph.nodes];
        let objectives = (0..scenario.objectives.len())
            .map(|i| isolation::assess(&theatre, &routes, &control, &uncontested, i, 0.0))
            .collect();
        let defender = &scenario.sides[Side::Defender];
        world.insert_resource(DefenderCommand {
            c2: defender.c2_initial,
            min_c2: defender.c2_initial,
            reserve: defender.reserve_strength,
            next_decision_day: 0.0,
            reinforced: 0.0,
            arrivals: Vec::new(),
        });
        world.insert_resource(Threat::default());
        world.insert_resource(Presence {
            strength: vec![[0.0; 2]; theatre.graph.nodes],
        });
        world.insert_resource(theatre);
        world.insert_resource(clock);
        world.insert_resource(RunSeed(seed));
        world.insert_resource(routes);
        world.insert_resource(Isolation { objectives });
        world.insert_resource(Campaign::new(&scenario));
        world.insert_resource(AirState {
            sorties_per_day: scenario.air.sorties_per_day,
            flown: 0.0,
        });
        world.insert_resource(Ledger {
            sides: initial_tons.map(|tons| SupplyAccount {
                initial_tons: tons,
                ..SupplyAccount::default()
            }),
            in_transit: Vec::new(),
        });
        world.insert_resource(Tallies::default());
        world.insert_resource(EventLog::default());
        world.insert_resource(Recorder::default());
        let mut schedule = Schedule::new(CampaignTick);
        schedule.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..Default::default()
        });
        register_campaign_systems(&mut schedule);
        schedule
            .initialize(&mut world)
            .map_err(|e| RunError::Schedule(format!("{e:?}")))?;
        let mut sim = Simulation {
            world,
            schedule,
            total_ticks: days * clock.ticks_per_day,
            seed,
            timed: None,
        };
        sim.snapshot("Start", true);
        Ok(sim)
    }

    /// The world, for tests and benches that inspect state.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The world, mutably (tests set up situations with it).
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    /// Tons each side holds now (`[attacker, defender]`): its depots, the stockpiles it owns and
    /// what its units carry. Convoys on the road are in the ledger's `in_transit`.
    pub fn supply_held(&mut self) -> [f64; 2] {
        supply_held(&mut self.world)
    }

    /// Per side, how far the supply ledger is from balancing now: (initial + produced + captured −
    /// consumed − destroyed − lost to the enemy) − (held + in transit). Zero up to rounding.
    pub fn supply_imbalance(&mut self) -> [f64; 2] {
        let held = self.supply_held();
        let ledger = self.world.resource::<Ledger>();
        Side::BOTH.map(|side| {
            ledger.sides[side].expected_on_hand_tons() - held[side] - ledger.in_transit_tons(side)
        })
    }

    /// Whether every tick has run.
    pub fn finished(&self) -> bool {
        self.world.resource::<Clock>().tick >= self.total_ticks
    }

    /// Runs one tick.
    pub fn step(&mut self) {
        match &mut self.timed {
            None => self.schedule.run(&mut self.world),
            Some(timed) => {
                for (i, schedule) in timed.schedules.iter_mut().enumerate() {
                    let start = std::time::Instant::now();
                    schedule.run(&mut self.world);
                    timed.timings.seconds[i] += start.elapsed().as_secs_f64();
                }
                timed.timings.ticks += 1;
            }
        }
        self.world.resource_mut::<Clock>().tick += 1;
    }

    /// From now on, runs each step as its own schedule and times it.
    pub fn enable_timings(&mut self) -> Result<(), RunError> {
        let steps = crate::systems::campaign_steps();
        let mut schedules = Vec::with_capacity(steps.len());
        for (i, step) in steps.iter().enumerate() {
            let mut schedule = Schedule::new(CampaignTick);
            (step.add)(&mut schedule, crate::systems::StepSet(i));
            schedule
                .initialize(&mut self.world)
                .map_err(|e| RunError::Schedule(format!("{e:?}")))?;
            schedules.push(schedule);
        }
        let timings = Timings {
            names: steps.iter().map(|s| s.name).collect(),
            seconds: vec![0.0; steps.len()],
            ticks: 0,
        };
        self.timed = Some(TimedSteps { schedules, timings });
        Ok(())
    }

    /// The timings gathered since [`enable_timings`](Self::enable_timings), if enabled.
    pub fn timings(&self) -> Option<&Timings> {
        self.timed.as_ref().map(|t| &t.timings)
    }

    /// Runs `days` whole days (or to the end).
    pub fn step_days(&mut self, days: u32) {
        let ticks = days * self.world.resource::<Clock>().ticks_per_day;
        for _ in 0..ticks {
            if self.finished() {
                break;
            }
            self.step();
        }
    }

    /// Runs to the end and gathers the output.
    pub fn run(mut self) -> RunOutput {
        while !self.finished() {
            self.step();
        }
        self.snapshot("End", false);
        let summary = self.summary();
        let recorder = self.world.remove_resource::<Recorder>().unwrap_or_default();
        let events = self
            .world
            .remove_resource::<EventLog>()
            .unwrap_or_default()
            .0;
        RunOutput {
            timeseries: recorder.rows,
            events,
            frames: recorder.frames,
            summary,
        }
    }

    /// Records a map frame labelled `label` (and, at the start, the day-0 row).
    fn snapshot(&mut self, label: &str, with_row: bool) {
        let label = label.to_owned();
        let result = (&mut self.world).run_system_once(
            move |view: RunView, mut recorder: ResMut<Recorder>| {
                let day = view.clock.tick / view.clock.ticks_per_day;
                if with_row {
                    recorder.rows.push(row(&view, day));
                }
                recorder.frames.push(frame(&view, day, label.clone()));
            },
        );
        debug_assert!(result.is_ok(), "snapshot system failed");
    }

    fn summary(&mut self) -> Summary {
        let held = self.supply_held();
        let w = &self.world;
        let theatre = w.resource::<Theatre>();
        let scenario = &theatre.scenario;
        let isolation = w.resource::<Isolation>();
        let campaign = w.resource::<Campaign>();
        let tallies = w.resource::<Tallies>();
        let command = w.resource::<DefenderCommand>();
        let recorder = w.resource::<Recorder>();
        let last = recorder.rows.last();
        let start: [f64; 2] = Side::BOTH.map(|side| {
            scenario
                .units
                .iter()
                .filter(|u| u.side == side)
                .map(|u| u.strength)
                .sum()
        });
        let phases: Vec<PhaseSummary> = scenario
            .phases
            .iter()
            .zip(&campaign.phase_start_days)
            .map(|(p, d)| PhaseSummary {
                name: p.name.clone(),
                behaviour: p.behaviour,
                start_day: *d,
                line: (scenario.lines.len() > 1).then(|| scenario.lines[p.line].clone()),
            })
            .collect();
        let objectives = scenario
            .objectives
            .iter()
            .zip(&isolation.objectives)
            .map(|(o, s)| {
                let figures = ObjectiveSummary {
                    isolation_day: s.isolated.day(),
                    capture_day: s.taken.day(),
                    isolation_losses: s.isolated.lost,
                    capture_losses: s.taken.lost,
                    final_isolation_index: s.isolation_index,
                };
                (scenario.settlements[o.settlement].id.clone(), figures)
            })
            .collect();
        let primary = isolation.objectives.first();
        let capture_day = primary.and_then(|o| o.taken.day());
        let harm = split_at_capture(&recorder.rows, capture_day, |r| r.civilian_harm_index);
        let displaced = split_at_capture(&recorder.rows, capture_day, |r| r.displaced_civilians);
        let share = |loss: f64, of: f64| if of > 0.0 { loss / of } else { 0.0 };
        Summary {
            scenario: scenario.meta.name.clone(),
            seed: self.seed,
            days_simulated: last.map_or(0, |r| r.day),
            primary_objective: scenario
                .objectives
                .first()
                .map(|o| scenario.settlements[o.settlement].id.clone())
                .unwrap_or_default(),
            isolation_day: primary.and_then(|o| o.isolated.day()),
            capture_day: primary.and_then(|o| o.taken.day()),
            objective_entered_day: recorder.objective_entered_day,
            phase_start_days: Ordered(
                phases
                    .iter()
                    .map(|p| (p.name.clone(), p.start_day))
                    .collect(),
            ),
            phases,
            final_isolation_index: primary.map_or(0.0, |o| o.isolation_index),
            settlements_controlled: PerSide {
                attacker: last.map_or(0, |r| r.attacker_held + r.cleared_unheld),
                defender: last.map_or(0, |r| r.defender_held),
            },
            villages_held: PerSide {
                attacker: last.map_or(0, |r| r.attacker_villages_held),
                defender: last.map_or(0, |r| r.defender_villages_held),
            },
            strength_start: start.into(),
            losses: tallies.losses.into(),
            loss_share: PerSide {
                attacker: share(tallies.losses[Side::Attacker], start[Side::Attacker]),
                defender: share(
                    tallies.losses[Side::Defender],
                    start[Side::Defender] + command.reinforced,
                ),
            },
            reversions: tallies.reversions,
            escaped_fighters: tallies.escaped,
            withdrawn_fighters: tallies.withdrawn,
            reinforced_fighters: command.reinforced,
            supply_shortfall_tons: w.resource::<Ledger>().shortfall_tons(),
            starvation_losses: tallies.starved.into(),
            supply: PerSide::by(|side| SupplySummary::of(w.resource::<Ledger>(), side, held[side])),
            civilian_harm_index: tallies.civilian_harm,
            displaced_civilians: tallies.displaced,
            civilian_harm_to_capture: harm.map(|h| h.0),
            civilian_harm_after_capture: harm.map(|h| h.1),
            displaced_to_capture: displaced.map(|d| d.0),
            displaced_after_capture: displaced.map(|d| d.1),
            min_defender_c2: command.min_c2,
            sorties_flown: w.resource::<AirState>().flown,
            objectives: Ordered(objectives),
        }
    }
}

/// Tons each side holds in `world`: its depots, the stockpiles it owns, its units.
fn supply_held(world: &mut World) -> [f64; 2] {
    let mut held = [0.0; 2];
    for (side, depot) in world.query::<(&SideOf, &Depot)>().iter(world) {
        held[side.0] += depot.stock_tons;
    }
    for pile in world.query::<&Stockpile>().iter(world) {
        held[pile.owner] += pile.tons;
    }
    for (side, supply) in world.query::<(&SideOf, &Supply)>().iter(world) {
        held[side.0] += supply.tons;
    }
    held
}

fn spawn_settlements(world: &mut World, scenario: &Scenario) -> Vec<Entity> {
    let mut present = vec![[false; 2]; scenario.settlements.len()];
    for u in scenario.units.iter().filter(|u| u.strength > 0.0) {
        present[u.at][u.side] = true;
    }
    scenario
        .settlements
        .iter()
        .enumerate()
        .map(|(i, s)| {
            world
                .spawn((
                    Key::of(&s.id),
                    Node(NodeId(i)),
                    Control {
                        side: s.control,
                        state: initial_state(s.control, present[i]),
                    },
                    Districts {
                        total: f64::from(s.districts),
                        cleared: 0.0,
                    },
                    Population(s.population),
                    Stockpile {
                        tons: s.stockpile_tons,
                        capacity_tons: s.stockpile_capacity_tons,
                        owner: s.control,
                    },
                ))
                .id()
        })
        .collect()
}

/// Day-0 control state (`present`: whether each side has fighters there): the attacker holds what
/// it stands in, the defender holds all it controls.
fn initial_state(side: Side, present: [bool; 2]) -> ControlState {
    match present {
        [true, true] => ControlState::Contested,
        [false, false] if side == Side::Attacker => ControlState::ClearedUnheld,
        _ => ControlState::Held,
    }
}

/// Spawns units and depots; returns the supply each side holds on day 0 in units, depots and the
/// stockpiles of the settlements it controls (the ledger's starting point).
fn spawn_forces(world: &mut World, scenario: &Scenario) -> [f64; 2] {
    let mut tons = [0.0; 2];
    for s in &scenario.settlements {
        tons[s.control] += s.stockpile_tons;
    }
    for u in &scenario.units {
        let supply = u.supply_days
            * u.strength
            * scenario.sides[u.side].consumption_tons_per_fighter_per_day;
        tons[u.side] += supply;
        world.spawn(unit_bundle(u, supply));
    }
    for d in &scenario.depots {
        tons[d.side] += d.stock_tons;
        world.spawn((
            Key::of(&d.id),
            SideOf(d.side),
            Location::At(NodeId(d.at)),
            Depot {
                stock_tons: d.stock_tons,
                output_tons_per_day: d.output_tons_per_day,
            },
        ));
    }
    tons
}

/// Runs `scenario` with `seed` to its end (or for `days`).
pub fn simulate(
    scenario: Arc<Scenario>,
    seed: u64,
    days: Option<u32>,
) -> Result<RunOutput, RunError> {
    Ok(Simulation::new(scenario, seed, days)?.run())
}
